/**
 * `token-policy install`: installs the App on the organization (`lib/install`). An ordinary
 * organization needs an owner's click: the command opens the install page and waits, polling as
 * the App, until the installation appears. An enterprise-owned organization is installed through
 * the enterprise installations API, by an App installed on the enterprise.
 */
import { UsageError } from "../../lib/config/errors";
import { DEFAULT_INSTALL_TIMEOUT_MINUTES, installApp, type InstallResult } from "../../lib/install/install";
import { openBrowser } from "../browser";
import { loadOrganization } from "../context";
import { installedJson, installedText, installProgressText } from "../render/install";
import type { CommandIO } from "../io";

export { ENTERPRISE_REPOSITORIES_PER_CALL, type InstallResult } from "../../lib/install/install";

/** Options of {@link install}. */
export interface InstallOptions {
  readonly org: string;
  readonly config?: string;
  /** The file create-app wrote (App id, client id, slug, key). */
  readonly credentials?: string;
  /** Enterprise slug: install through the enterprise API instead of the browser. */
  readonly enterprise?: string;
  /** Open the browser. @default true */
  readonly open?: boolean;
  /** Minutes to wait for an owner to install the App. @default 30 */
  readonly timeout?: number;
  /** Print the installation as one JSON object on stdout; progress goes to stderr. */
  readonly json?: boolean;
}

/** Seams for tests. */
export interface InstallDeps {
  readonly openBrowser?: (url: string) => Promise<void>;
  /** @default 3000 */
  readonly pollIntervalMs?: number;
  /** Overrides `--timeout`, in milliseconds. @default from `--timeout` */
  readonly timeoutMs?: number;
}

/** Runs the installation and prints where to record its id. */
export async function install(options: InstallOptions, io: CommandIO, deps: InstallDeps = {}): Promise<InstallResult> {
  const { loaded, org } = loadOrganization(options, io.env);
  const timeoutMs = deps.timeoutMs ?? (options.timeout ?? DEFAULT_INSTALL_TIMEOUT_MINUTES) * 60_000;
  if (!options.enterprise && !(timeoutMs > 0)) throw new UsageError(`--timeout must be a number of minutes, got ${options.timeout}`);
  const result = await installApp({
    org,
    context: io,
    configFile: loaded.file,
    credentialsFile: options.credentials,
    enterprise: options.enterprise,
    openBrowser: options.open === false ? undefined : (deps.openBrowser ?? openBrowser),
    timeoutMs,
    pollIntervalMs: deps.pollIntervalMs,
    onProgress: (p) => {
      const line = installProgressText(p, options.json);
      io[line.stream].write(line.text);
    },
  });
  io.stdout.write((options.json ? installedJson : installedText)(org.login, result, loaded.file));
  return result;
}
