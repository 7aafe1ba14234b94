/**
 * Installing the App on an organization. An ordinary organization needs an owner's click: the
 * engine opens the install page and waits, polling as the App, until the installation appears.
 * An enterprise-owned organization is installed through the enterprise installations API, by an
 * App installed on the enterprise. GitHub is reached through the injected context; the browser
 * and the poll interval are injected too, and progress is reported as events, never printed.
 */
import { UsageError } from "../config/errors";
import type { OrganizationConfig } from "../config/schema";
import { describeGitHubError, GitHubFailure } from "../github/errors";
import { appAuthenticationFor, appCredentialsNeeded, clientFor, openAppSession, type GitHubContext } from "../github/authentication";
import { installAppUrl, installationSettingsUrl } from "../naming";
import { readCredentialsFile } from "../github/credentials-file";
import type { AppCredentialsFile } from "../model/credentials-file";

/** Most repository names GitHub's enterprise installation endpoints take in one call. */
export const ENTERPRISE_REPOSITORIES_PER_CALL = 50;

/** How long to wait for an owner's click, unless told. */
export const DEFAULT_INSTALL_TIMEOUT_MINUTES = 30;

/** What the engine reports while it waits for an owner. */
export type InstallProgress =
  | { readonly kind: "waiting"; readonly slug: string; readonly login: string; readonly url: string; readonly timeoutMs: number }
  | {
      readonly kind: "still-waiting";
      readonly slug: string;
      readonly login: string;
      readonly elapsedMs: number;
      readonly timeoutMs: number;
    };

/** Options of {@link installApp}. */
export interface InstallAppOptions {
  /** The organization's validated config entry. */
  readonly org: OrganizationConfig;
  /** The environment, warnings, and an injected client or client options. */
  readonly context: GitHubContext;
  /** The config file, named in messages. */
  readonly configFile: string;
  /** The file create-app wrote (App id, client id, slug, key). @default the environment's authentication */
  readonly credentialsFile?: string;
  /** Enterprise slug: install through the enterprise API instead of an owner's click. */
  readonly enterprise?: string;
  /** Opens the install page; not called when undefined. */
  readonly openBrowser?: (url: string) => Promise<void>;
  /** How long to wait for an owner, in milliseconds. @default 30 minutes */
  readonly timeoutMs?: number;
  /** Between two polls. @default 3000 */
  readonly pollIntervalMs?: number;
  /** Told when the wait starts and every 30 seconds of it. */
  readonly onProgress?: (progress: InstallProgress) => void;
}

/** The installation found or made. */
export interface InstallResult {
  readonly installationId: number;
  readonly repositorySelection: string;
}

/**
 * Installs the App (or waits for an owner to) and returns the installation. Throws a
 * UsageError when the installation reaches all repositories but the config lists some, which
 * the provider cannot narrow.
 */
export async function installApp(options: InstallAppOptions): Promise<InstallResult> {
  const { org } = options;
  const creds = options.credentialsFile ? readCredentialsFile(options.credentialsFile) : undefined;
  const result = options.enterprise
    ? await installThroughEnterprise(options, options.enterprise, creds)
    : await waitForOwner(options, creds);
  const listed = org.app.installation.repositories;
  if (listed !== "all" && result.repositorySelection === "all") {
    // The provider cannot narrow an "All repositories" installation (GitHub answers 422), so a
    // deploy would fail: the owner changes the choice, or the config says all.
    const githubUrl = creds?.github_url ?? org.githubUrl;
    throw new UsageError(
      [
        `${org.login}: the App is installed (installation id ${result.installationId}) with access to all repositories, but ${options.configFile} lists ${listed.length} (${listed.slice(0, 5).join(", ")}${listed.length > 5 ? ", …" : ""}).`,
        `Either an owner chooses "Only select repositories" at ${installationSettingsUrl(org.login, githubUrl)}/${result.installationId} and cdktf deploy manages the list,`,
        `or set app.installation.repositories: all for ${org.login} in ${options.configFile}.`,
      ].join("\n"),
    );
  }
  return result;
}

/**
 * Installs through the enterprise installations API. The caller is the enterprise's own
 * installer App (GITHUB_TOKEN or APP_* for it); the App to install is named by its client id.
 */
async function installThroughEnterprise(
  options: InstallAppOptions,
  enterprise: string,
  creds: AppCredentialsFile | undefined,
): Promise<InstallResult> {
  const { org } = options;
  const clientId = creds?.client_id ?? org.app.clientId;
  if (!clientId)
    throw new UsageError(
      "--enterprise needs the App's client id: pass --credentials FILE from create-app, or set app.clientId in the config",
    );
  const client = await clientFor(options.context, org);
  const repos = org.app.installation.repositories;
  const listed = repos === "all" ? [] : [...repos];
  // GitHub takes at most 50 repository names per call: the first 50 with the installation,
  // the rest through the add endpoint, 50 at a time.
  const { data } = await client.request("POST /enterprises/{enterprise}/apps/organizations/{org}/installations", {
    enterprise,
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
      enterprise,
      org: org.login,
      installation_id: inst.id,
      repositories: listed.slice(i, i + ENTERPRISE_REPOSITORIES_PER_CALL),
    } as never);
  }
  return { installationId: inst.id, repositorySelection: inst.repository_selection };
}

/** Opens the install page and polls as the App itself (a JWT) until the installation appears. */
async function waitForOwner(options: InstallAppOptions, creds: AppCredentialsFile | undefined): Promise<InstallResult> {
  const { org, context } = options;
  // The App itself (a JWT) is the only one that can see its new installation: no token will do.
  const auth = appAuthenticationFor(context, org, options.credentialsFile);
  if (!auth) throw new UsageError(`install polls as ${org.login}'s App: ${appCredentialsNeeded(org)} (GITHUB_TOKEN is not used here)`);
  const session = openAppSession(context, org, { auth, maxRetries: 1 });
  const app = await session.assertDeclaredApp();
  const jwt = await session.asApp();
  const slug = creds?.slug ?? org.app.slug ?? (app.slug as string);
  const url = installAppUrl(slug, creds?.github_url ?? org.githubUrl);
  const timeoutMs = options.timeoutMs ?? DEFAULT_INSTALL_TIMEOUT_MINUTES * 60_000;
  options.onProgress?.({ kind: "waiting", slug, login: org.login, url, timeoutMs });
  if (options.openBrowser) void options.openBrowser(url);
  const started = Date.now();
  let lastShown = started;
  for (;;) {
    try {
      const { data } = await jwt.request("GET /orgs/{org}/installation", { org: org.login });
      return { installationId: data.id, repositorySelection: data.repository_selection };
    } catch (e) {
      if ((e as { status?: number }).status !== 404) throw new GitHubFailure(describeGitHubError(e, { appId: auth.appId }));
    }
    if (Date.now() > started + timeoutMs) {
      throw new GitHubFailure(
        `${slug} was not installed on ${org.login} within ${waitText(timeoutMs)}. Install it at ${url}, then run install again (or --timeout MINUTES for a longer wait).`,
      );
    }
    if (Date.now() - lastShown >= 30_000) {
      lastShown = Date.now();
      options.onProgress?.({ kind: "still-waiting", slug, login: org.login, elapsedMs: lastShown - started, timeoutMs });
    }
    await new Promise((r) => setTimeout(r, options.pollIntervalMs ?? 3000));
  }
}

/** A wait as people say it: minutes from one minute on, else seconds. */
export function waitText(ms: number): string {
  return ms >= 60_000 ? `${Math.round(ms / 60_000)} min` : `${Math.round(ms / 1000)} s`;
}
