/**
 * `token-policy create-app`: registers the organization's App from its manifest through GitHub's
 * manifest flow (`lib/registration`), then prints the next steps. The owner's one click on GitHub
 * is the only manual step; the credentials land in a 0600 file, never on the screen.
 */
import { resolveApiUrl } from "../../lib/github/client";
import { apiUrlFor, webRoot } from "../../lib/naming";
import { registerApp, type CreateAppDeps, type CreateAppResult } from "../../lib/registration/manifest-flow";
import { defaultCredentialsFile } from "../../lib/registration/credentials-file";
import { UsageError } from "../../lib/config/errors";
import { apiRootProblem, isLoopbackHost, privateHostProblem } from "../../lib/hosts";
import { openBrowser } from "../browser";
import { loadOrganization } from "../context";
import { createdAppJson, nextStepsText } from "../render/create-app";
import type { CommandIO } from "../io";

export { conversionMismatch, type CreateAppDeps, type CreateAppResult } from "../../lib/registration/manifest-flow";

/** Options of {@link createApp}. */
export interface CreateAppOptions {
  readonly org: string;
  readonly config?: string;
  /** Web root of GitHub. @default the org's githubUrl */
  readonly githubUrl?: string;
  /** API root. @default GITHUB_API_URL, else derived from the web root */
  readonly apiUrl?: string;
  /** Local port. @default a free one */
  readonly port?: number;
  /** Open the browser. @default true */
  readonly open?: boolean;
  /** Credentials file. @default .secrets/<login>-app.json */
  readonly out?: string;
  /** Accept a credentials folder that group or others can write to. @default false */
  readonly allowSharedFolder?: boolean;
  /** Print the created App as one JSON object (no secret); the address to open goes to stderr. @default false */
  readonly json?: boolean;
}

/** Runs the flow; resolves when the credentials are written, rejects after the timeout. */
export async function createApp(options: CreateAppOptions, io: CommandIO, deps: CreateAppDeps = {}): Promise<CreateAppResult> {
  const { loaded, org } = loadOrganization(options, io.env);
  const problems = [
    options.githubUrl !== undefined ? urlProblem("--github-url", options.githubUrl, org.allowPrivateHost) : undefined,
    options.apiUrl !== undefined ? urlProblem("--api-url", options.apiUrl, org.allowPrivateHost) : undefined,
  ].filter((p): p is string => p !== undefined);
  if (problems.length) throw new UsageError(problems.join("\n"));
  const githubUrl = webRoot(options.githubUrl ?? org.githubUrl);
  const apiUrl = (options.apiUrl ?? (options.githubUrl ? apiUrlFor(options.githubUrl) : resolveApiUrl(io.env, org.githubUrl))).replace(
    /\/+$/,
    "",
  );
  const out = options.out ?? defaultCredentialsFile(org.login);
  const interrupt = deps.interrupted ? undefined : interruptSignal();
  try {
    const result = await registerApp(
      org,
      {
        githubUrl,
        apiUrl,
        out,
        port: options.port,
        open: options.open,
        allowSharedFolder: options.allowSharedFolder,
        configFile: loaded.file,
      },
      // With --json, stdout carries the one JSON object: the address to open goes to stderr.
      options.json ? { stdout: io.stderr, stderr: io.stderr } : io,
      { openBrowser, interrupted: interrupt?.signal, ...deps },
    );
    io.stdout.write((options.json ? createdAppJson : nextStepsText)(org.login, result, loaded.file));
    return result;
  } finally {
    interrupt?.dispose();
  }
}

/**
 * Why a root given on the command line cannot be used: credentials and the one-time code go
 * there, so `https://` (`http://` only to this machine), an ASCII host, no user info; a private
 * address other than this machine's only with the organization's `allowPrivateHost`.
 */
function urlProblem(flag: string, value: string, allowPrivateHost: boolean): string | undefined {
  const problem = apiRootProblem(flag, value);
  if (problem) return problem;
  const host = new URL(value).hostname;
  const priv = privateHostProblem(host);
  if (priv && !isLoopbackHost(host) && !allowPrivateHost)
    return `${flag} ${priv}; for a GitHub Enterprise Server on an internal network set allowPrivateHost: true for this organization`;
  return undefined;
}

/** Ctrl-C and SIGTERM as a promise of the signal's name, and a way to stop listening. */
function interruptSignal(): { signal: Promise<string>; dispose: () => void } {
  let on: ((name: string) => void) | undefined;
  const signal = new Promise<string>((resolve) => (on = resolve));
  const handlers = (["SIGINT", "SIGTERM"] as const).map((name) => [name, () => on?.(name)] as const);
  for (const [name, handler] of handlers) process.on(name, handler);
  return { signal, dispose: () => handlers.forEach(([name, handler]) => process.off(name, handler)) };
}
