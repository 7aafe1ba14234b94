/**
 * `token-policy install`: installs the App on the organization. An ordinary organization needs
 * an owner's click: the command opens the install page and waits, polling as the App, until the
 * installation appears. An enterprise-owned organization is installed through the enterprise
 * installations API, by an App installed on the enterprise.
 */
import type { GitHubAuth } from "../../lib/github/client";
import { describeGitHubError } from "../../lib/github/errors";
import { authFor, clientFor } from "../../lib/github/credentials";
import { configFileName, findOrganization, loadConfig } from "../../lib/config/load";
import { UsageError } from "../../lib/config/errors";
import { installAppUrl, installationSettingsUrl, variableNames } from "../../lib/naming";
import { openBrowser } from "../browser";
import { readCredentialsFile } from "../../lib/github/credentials-file";
import { GitHubFailure, type CommandIO } from "../io";

/** Most repository names GitHub's enterprise installation endpoints take in one call. */
export const ENTERPRISE_REPOSITORIES_PER_CALL = 50;

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
}

/** Seams for tests. */
export interface InstallDeps {
  readonly openBrowser?: (url: string) => Promise<void>;
  /** @default 3000 */
  readonly pollIntervalMs?: number;
  /** Overrides `--timeout`, in milliseconds. @default from `--timeout` */
  readonly timeoutMs?: number;
}

/** The installation found or made. */
export interface InstallResult {
  readonly installationId: number;
  readonly repositorySelection: string;
}

/** Runs the installation. */
export async function install(options: InstallOptions, io: CommandIO, deps: InstallDeps = {}): Promise<InstallResult> {
  const loaded = loadConfig(configFileName(options.config, io.env));
  const org = findOrganization(loaded, options.org);
  const creds = options.credentials ? readCredentialsFile(options.credentials) : undefined;
  const githubUrl = creds?.github_url ?? org.githubUrl;
  let result: InstallResult;

  if (options.enterprise) {
    // The caller is the enterprise's own installer App (GITHUB_TOKEN or APP_* for it); the App
    // to install is named by its client id.
    const clientId = creds?.client_id ?? org.app.clientId;
    if (!clientId) throw new UsageError("--enterprise needs the App's client id: pass --credentials FILE from create-app, or set app.clientId in the config");
    const client = await clientFor(io, org);
    const repos = org.app.installation.repositories;
    const listed = repos === "all" ? [] : [...repos];
    // GitHub takes at most 50 repository names per call: the first 50 with the installation,
    // the rest through the add endpoint, 50 at a time.
    const { data } = await client.request("POST /enterprises/{enterprise}/apps/organizations/{org}/installations", {
      enterprise: options.enterprise,
      org: org.login,
      client_id: clientId,
      repository_selection: repos === "all" ? "all" : "selected",
      ...(repos === "all" ? {} : { repositories: listed.slice(0, ENTERPRISE_REPOSITORIES_PER_CALL) }),
      // The routes are in GitHub Enterprise Cloud's description only, not in Octokit's
      // api.github.com types; the stand-in checks them against the GHEC description.
    } as never);
    const inst = data as { id: number; repository_selection: string };
    for (let i = ENTERPRISE_REPOSITORIES_PER_CALL; i < listed.length; i += ENTERPRISE_REPOSITORIES_PER_CALL) {
      await client.request("PATCH /enterprises/{enterprise}/apps/organizations/{org}/installations/{installation_id}/repositories/add", {
        enterprise: options.enterprise,
        org: org.login,
        installation_id: inst.id,
        repositories: listed.slice(i, i + ENTERPRISE_REPOSITORIES_PER_CALL),
      } as never);
    }
    result = { installationId: inst.id, repositorySelection: inst.repository_selection };
  } else {
    const auth: GitHubAuth = authFor({ ...io, env: { ...io.env, GITHUB_TOKEN: undefined } }, org, options.credentials);
    if (auth.kind !== "app") throw new UsageError("install polls as the App: pass --credentials FILE from create-app, or set APP_ID with APP_PRIVATE_KEY or APP_PRIVATE_KEY_FILE");
    // Poll as the App itself (JWT): an installation id is what is being waited for.
    const jwtClient = await clientFor(io, org, { auth, asApp: true, maxRetries: 1 });
    let slug = creds?.slug ?? org.app.slug;
    if (!slug) slug = ((await jwtClient.request("GET /app")).data as { slug: string }).slug;
    const url = installAppUrl(slug, githubUrl);
    const timeoutMs = deps.timeoutMs ?? (options.timeout ?? 30) * 60_000;
    if (!(timeoutMs > 0)) throw new UsageError(`--timeout must be a number of minutes, got ${options.timeout}`);
    const minutes = (ms: number) => (ms >= 60_000 ? `${Math.round(ms / 60_000)} min` : `${Math.round(ms / 1000)} s`);
    io.stdout.write(`Install ${slug} on ${org.login}: ${url}\nWaiting for the installation to appear (giving up after ${minutes(timeoutMs)})…\n`);
    if (options.open !== false) void (deps.openBrowser ?? openBrowser)(url);
    const started = Date.now();
    const deadline = started + timeoutMs;
    let lastShown = started;
    for (;;) {
      try {
        const { data } = await jwtClient.request("GET /orgs/{org}/installation", { org: org.login });
        result = { installationId: data.id, repositorySelection: data.repository_selection };
        break;
      } catch (e) {
        const status = (e as { status?: number }).status;
        if (status !== 404) throw new GitHubFailure(describeGitHubError(e, { appId: auth.appId }));
      }
      if (Date.now() > deadline) {
        throw new GitHubFailure(`${slug} was not installed on ${org.login} within ${minutes(timeoutMs)}. Install it at ${url}, then run install again (or --timeout MINUTES for a longer wait).`);
      }
      if (Date.now() - lastShown >= 30_000) {
        lastShown = Date.now();
        io.stderr.write(`still waiting for ${slug} on ${org.login}: ${minutes(Date.now() - started)} of ${minutes(timeoutMs)}\n`);
      }
      await new Promise((r) => setTimeout(r, deps.pollIntervalMs ?? 3000));
    }
  }

  const listed = org.app.installation.repositories;
  if (listed !== "all" && result.repositorySelection === "all") {
    // The provider cannot narrow an "All repositories" installation (GitHub answers 422), so a
    // deploy would fail: the owner changes the choice, or the config says all.
    throw new UsageError(
      [
        `${org.login}: the App is installed (installation id ${result.installationId}) with access to all repositories, but ${loaded.file} lists ${listed.length} (${listed.slice(0, 5).join(", ")}${listed.length > 5 ? ", …" : ""}).`,
        `Either an owner chooses "Only select repositories" at ${installationSettingsUrl(org.login, githubUrl)}/${result.installationId} and cdktf deploy manages the list,`,
        `or set app.installation.repositories: all for ${org.login} in ${loaded.file}.`,
      ].join("\n"),
    );
  }
  const v = variableNames(org.login);
  io.stdout.write(
    [
      `Installed on ${org.login}: installation id ${result.installationId} (repositories: ${result.repositorySelection}).`,
      `Record it in ${loaded.file} under ${org.login}: app: { installation: { id: ${result.installationId} } }`,
      `or set TF_VAR_${v.installationId}=${result.installationId} in CI.`,
      "",
    ].join("\n"),
  );
  return result;
}
