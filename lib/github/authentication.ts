/**
 * How each command authenticates for an organization: which App credentials (or token) act for
 * which organization, and the check that they belong to the App the config declares for it. Every command, `serve` and the verify engine build their GitHub
 * clients here, so one organization's App never acts for another.
 */
import {
  createGitHubClient,
  privateKeyFromEnv,
  resolveApiUrl,
  resolveAuth,
  type GitHubAuth,
  type GitHubClient,
  type GitHubClientOptions,
} from "./client";
import { UsageError } from "../config/errors";
import type { OrganizationConfig } from "../config/schema";
import { variableStem } from "../naming";
import { clean } from "../text";
import { readCredentialsFile } from "./credentials-file";
import { AppSession, type AppAuth, type AppSessionOptions } from "./app-session";

/**
 * What credential resolution needs from its caller: the environment, a stream for warnings, and
 * optionally a ready client or client options (tests point them at a local stand-in).
 */
export interface GitHubContext {
  readonly env: NodeJS.ProcessEnv;
  readonly stderr: { write(text: string): unknown };
  /** A ready client; when absent one is built from the environment. */
  readonly client?: GitHubClient;
  /** Overrides for the client that is built (timings in tests and benchmarks). */
  readonly clientOptions?: Partial<GitHubClientOptions>;
}

/** How a command wants to talk to GitHub, beyond the defaults. */
export interface ClientChoice {
  /** Credentials to use. @default {@link authenticationFor} */
  readonly auth?: GitHubAuth;
  /** Authenticate as the App itself (JWT), not an installation; never the injected client. */
  readonly asApp?: boolean;
  /** Retries per request. @default the client's */
  readonly maxRetries?: number;
  /** With App credentials: narrow the installation token to these permissions. */
  readonly permissions?: Readonly<Record<string, "read" | "write">>;
  /** The run's App session for the organization. @default a new one */
  readonly session?: AppSession;
}

/**
 * The App credentials a command uses for one organization, in this order, or undefined when none
 * is set:
 * 1. `--credentials FILE` (what create-app wrote); the file must belong to the organization;
 * 2. `<STEM>_APP_ID` with `<STEM>_APP_PRIVATE_KEY` or `<STEM>_APP_PRIVATE_KEY_FILE` (for example
 *    `ACME_CORP_APP_ID`), from the environment or (id and key) from the JSON objects in
 *    `TOKEN_POLICY_VARS_JSON` and `TOKEN_POLICY_SECRETS_JSON`, so one run can serve organizations
 *    with different Apps; half of such a pair is an error, never a fall-back;
 * 3. the shared `APP_ID` with `APP_PRIVATE_KEY` or `APP_PRIVATE_KEY_FILE` (and `APP_INSTALLATION_ID`).
 *
 * Every command that acts as an App (review, verify, report --live, serve, install, seal) takes
 * its App from here; {@link authenticationFor} adds `GITHUB_TOKEN` before the shared App.
 */
export function appAuthenticationFor(io: GitHubContext, org: OrganizationConfig, credentialsFile?: string): AppAuth | undefined {
  return fileApp(io, org, credentialsFile) ?? organizationApp(io, org) ?? sharedApp(io);
}

/**
 * The credentials a command uses for one organization: `--credentials FILE`, then the
 * organization's own `<STEM>_APP_*`, then `GITHUB_TOKEN` (an installation token), then the shared
 * `APP_*` (see {@link appAuthenticationFor}). Throws a UsageError naming every way when none is set.
 */
export function authenticationFor(io: GitHubContext, org: OrganizationConfig, credentialsFile?: string): GitHubAuth {
  const app = fileApp(io, org, credentialsFile) ?? organizationApp(io, org);
  if (app) return app;
  if (io.env.GITHUB_TOKEN) return resolveAuth({ env: io.env });
  const shared = sharedApp(io);
  if (shared) return shared;
  throw new UsageError(`no GitHub credentials for ${org.login}: ${appCredentialsNeeded(org)}, or GITHUB_TOKEN (an installation token)`);
}

/**
 * The ways to give an organization's App credentials, in the order they are taken, as a clause
 * for messages and `--help`: "set ACME_CORP_APP_ID with …". Without `credentialsFile`, the
 * `--credentials FILE` way is left out (serve has no such option).
 */
export function appCredentialsNeeded(org: Pick<OrganizationConfig, "login">, { credentialsFile = true } = {}): string {
  const stem = variableStem(org.login).toUpperCase();
  return [
    `set ${stem}_APP_ID with ${stem}_APP_PRIVATE_KEY or ${stem}_APP_PRIVATE_KEY_FILE (its App's id and private key, in the environment or in TOKEN_POLICY_VARS_JSON and TOKEN_POLICY_SECRETS_JSON)`,
    ...(credentialsFile ? ["pass --credentials FILE from create-app"] : []),
    "or set APP_ID with APP_PRIVATE_KEY or APP_PRIVATE_KEY_FILE (one App for every organization)",
  ].join(", ");
}

/**
 * The App's client secret for one organization, for the member page's OAuth web flow (`serve`), or
 * undefined when none is set: `<STEM>_APP_CLIENT_SECRET` (from the environment, or from the JSON
 * object in `TOKEN_POLICY_SECRETS_JSON`), else the shared `APP_CLIENT_SECRET`. The client id is
 * not taken from here: it is the App's own, read from GitHub (`GET /app`).
 */
export function appClientSecretFor(io: GitHubContext, org: Pick<OrganizationConfig, "login">): string | undefined {
  const name = `${variableStem(org.login).toUpperCase()}_APP_CLIENT_SECRET`;
  const text = (v: unknown) => (typeof v === "string" && v !== "" ? v : undefined);
  return text(io.env[name]) ?? text(jsonObject(io.env.TOKEN_POLICY_SECRETS_JSON)[name]) ?? text(io.env.APP_CLIENT_SECRET);
}

function fileApp(io: GitHubContext, org: OrganizationConfig, credentialsFile: string | undefined): AppAuth | undefined {
  if (!credentialsFile) return undefined;
  const creds = readCredentialsFile(credentialsFile);
  if (creds.owner && creds.owner.toLowerCase() !== org.login.toLowerCase()) {
    throw new UsageError(
      `${credentialsFile} holds the App ${clean(creds.slug)} of ${clean(creds.owner)}, not of ${org.login}: pass ${org.login}'s credentials file`,
    );
  }
  return { kind: "app", appId: String(creds.id), privateKey: creds.pem, installationId: installationIdFrom(io.env) };
}

function organizationApp(io: GitHubContext, org: OrganizationConfig): AppAuth | undefined {
  const stem = variableStem(org.login).toUpperCase();
  const vars = jsonObject(io.env.TOKEN_POLICY_VARS_JSON);
  const secrets = jsonObject(io.env.TOKEN_POLICY_SECRETS_JSON);
  const text = (v: unknown) => (typeof v === "string" && v !== "" ? v : undefined);
  const appId = text(io.env[`${stem}_APP_ID`]) ?? text(vars[`${stem}_APP_ID`]);
  const keyInEnv = text(io.env[`${stem}_APP_PRIVATE_KEY`]);
  const key = keyInEnv ?? text(secrets[`${stem}_APP_PRIVATE_KEY`]);
  const keyFile = text(io.env[`${stem}_APP_PRIVATE_KEY_FILE`]);
  const hasKey = key !== undefined || keyFile !== undefined;
  if (appId === undefined && !hasKey) return undefined;
  // Half of the organization's own pair is a mistake to name, not a reason to fall back to others.
  if (appId === undefined)
    throw new UsageError(
      `${key !== undefined ? `${stem}_APP_PRIVATE_KEY` : `${stem}_APP_PRIVATE_KEY_FILE`} is set for ${org.login} but ${stem}_APP_ID is not (in the environment, or in TOKEN_POLICY_VARS_JSON): set both, from ${org.login}'s App`,
    );
  if (!hasKey)
    throw new UsageError(
      `${stem}_APP_ID is set for ${org.login} but ${stem}_APP_PRIVATE_KEY is not (in the environment, or in TOKEN_POLICY_SECRETS_JSON), nor ${stem}_APP_PRIVATE_KEY_FILE: set both, from ${org.login}'s App`,
    );
  const pem = privateKeyFromEnv({ [`${stem}_APP_PRIVATE_KEY`]: key, [`${stem}_APP_PRIVATE_KEY_FILE`]: keyFile }, `${stem}_`) as string;
  const keyVariable =
    key === undefined
      ? `the file ${stem}_APP_PRIVATE_KEY_FILE names`
      : keyInEnv !== undefined
        ? `${stem}_APP_PRIVATE_KEY`
        : `${stem}_APP_PRIVATE_KEY (in TOKEN_POLICY_SECRETS_JSON)`;
  return resolveAuth({ env: { APP_ID: appId, APP_PRIVATE_KEY: pem }, keyVariable }) as AppAuth;
}

function sharedApp(io: GitHubContext): AppAuth | undefined {
  if (!io.env.APP_ID) return undefined;
  return resolveAuth({ env: { ...io.env, GITHUB_TOKEN: undefined } }) as AppAuth;
}

function installationIdFrom(env: NodeJS.ProcessEnv): number | undefined {
  if (!env.APP_INSTALLATION_ID) return undefined;
  const id = Number(env.APP_INSTALLATION_ID);
  if (!(Number.isInteger(id) && id > 0)) throw new UsageError("APP_INSTALLATION_ID must be the installation's numeric id");
  return id;
}

function jsonObject(text: string | undefined): Record<string, unknown> {
  if (!text) return {};
  try {
    const v = JSON.parse(text) as unknown;
    return v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/**
 * The client a command uses for one organization: the injected one, else one built from the
 * credentials ({@link authenticationFor} unless given), `GITHUB_API_URL` or the org's `githubUrl`, and the
 * caller's client options. With App credentials, the App must be the one the config declares for
 * the organization (its slug, or else its name): another organization's App stops the command
 * with exit 2 before it does anything. Pass `session` to share one App session (one `GET /app`,
 * one installation token) across the run.
 */
export async function clientFor(io: GitHubContext, org: OrganizationConfig, choice: ClientChoice = {}): Promise<GitHubClient> {
  if (io.client && !choice.asApp) return io.client;
  const auth = choice.auth ?? authenticationFor(io, org);
  if (auth.kind === "token") {
    return createGitHubClient({ ...sessionClientOptions(io, org, choice), auth, login: org.login });
  }
  const session = choice.session ?? openAppSession(io, org, { auth, maxRetries: choice.maxRetries });
  await session.assertDeclaredApp();
  return choice.asApp ? session.asApp() : session.installation(auth.installationId, choice.permissions);
}

/** How {@link openAppSession} authenticates. */
export interface AppSessionChoice {
  /** The App's id and private key (and installation id when known). */
  readonly auth: AppAuth;
  /** Retries per request. @default the client's */
  readonly maxRetries?: number;
}

/** Opens the App session of one organization for one run (see {@link AppSession}). */
export function openAppSession(io: GitHubContext, org: OrganizationConfig, choice: AppSessionChoice): AppSession {
  return new AppSession({ auth: choice.auth, org, client: sessionClientOptions(io, org, choice) });
}

function sessionClientOptions(
  io: GitHubContext,
  org: OrganizationConfig,
  choice: Pick<ClientChoice, "maxRetries">,
): AppSessionOptions["client"] {
  return {
    apiUrl: resolveApiUrl(io.env, org.githubUrl),
    warn: (m) => io.stderr.write(`warning: ${m}\n`),
    ...(choice.maxRetries !== undefined ? { maxRetries: choice.maxRetries } : {}),
    ...io.clientOptions,
  };
}

/**
 * The App credentials of every organization, exactly as every command takes them
 * ({@link appAuthenticationFor} without a credentials file); `GITHUB_TOKEN` is not used, since
 * `serve` acts as each organization's App. Every organization without App credentials is named in
 * one error (exit 2).
 */
export function appCredentials(
  io: GitHubContext,
  organizations: readonly OrganizationConfig[],
): Map<string, Extract<GitHubAuth, { kind: "app" }>> {
  const found = new Map<string, Extract<GitHubAuth, { kind: "app" }>>();
  const problems: string[] = [];
  for (const org of organizations) {
    try {
      const auth = appAuthenticationFor(io, org);
      if (auth) found.set(org.login, auth);
      else problems.push(`${org.login}: serve acts as the organization's App: ${appCredentialsNeeded(org, { credentialsFile: false })}`);
    } catch (e) {
      if (!(e instanceof UsageError)) throw e;
      problems.push(`${org.login}: ${e.message}`);
    }
  }
  if (problems.length)
    throw new UsageError(`serve needs App credentials for every organization of the config:\n  ${problems.join("\n  ")}`);
  return found;
}
