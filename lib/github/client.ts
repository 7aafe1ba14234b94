/**
 * The GitHub client every command uses: Octokit with App authentication, pacing within GitHub's
 * secondary rate limits (`./pacing`: reads side by side, writes one at a time and spaced), waits
 * after a rate limit (`./rate-limits`), retries of server errors, and pagination. Built from
 * explicit options, so tests hand it a local stand-in's URL.
 */
import { statSync } from "node:fs";
import { Octokit } from "@octokit/core";
import { createAppAuth } from "@octokit/auth-app";
import { paginateRest } from "@octokit/plugin-paginate-rest";
import { retry } from "@octokit/plugin-retry";
import { UsageError } from "../config/errors";
import { FileProblem, readRegularFile } from "../regular-file";
import { apiUrlFor } from "../naming";
import { apiRootProblem, isLoopbackHost } from "../hosts";
import { paced, writeLaneOf, WriteLane, type PacingOptions, type RequestTiming } from "./pacing";
import { waitOutRateLimits, type RateLimitOptions } from "./rate-limits";

/**
 * Requests whose next attempt the rate-limit handler has already announced (with the wait), so
 * {@link announceRetries} does not say it twice.
 */
const announcedByThrottling = new WeakSet<object>();

/**
 * Says on the log when a request is actually sent again, and only then. Registered before the
 * retry plugin and the rate-limit handler, so its wrapper runs once per attempt; both send every
 * attempt of one call with the same options object, so a second sight of that object is a resend.
 * (The retry plugin's own `retryCount` is no guide: it writes it after any failure, retried or
 * not, onto a `request` object that every later call of the client shares.)
 */
function announceRetries(octokit: Octokit): void {
  const attempts = new WeakMap<object, number>();
  octokit.hook.wrap("request", async (request, options) => {
    const attempt = (attempts.get(options) ?? 0) + 1;
    attempts.set(options, attempt);
    if (attempt > 1 && !announcedByThrottling.delete(options)) {
      const path = String(options.url).replace(/\?.*$/, "");
      octokit.log.warn(`retrying ${options.method} ${path} (attempt ${attempt})`);
    }
    return request(options);
  });
}

/**
 * The REST API version every request asks for (`X-GitHub-Api-Version`): the version of GitHub's
 * description the stand-in checks requests and responses against (`@octokit/openapi`). Without
 * the header GitHub answers with its default version, which may change; 2026-03-10 has breaking
 * changes (`DELETE /app/installations/{id}` answers 202, `has_downloads` is gone from repositories).
 * GitHub supports a version at least 24 months after its successor.
 */
export const GITHUB_API_VERSION = "2022-11-28";

/** Sends {@link GITHUB_API_VERSION} with every request, the installation token requests of App authentication included. */
function pinApiVersion(octokit: Octokit): void {
  octokit.hook.before("request", (options) => {
    options.headers["x-github-api-version"] = GITHUB_API_VERSION;
  });
}

/**
 * Paces every attempt of a request (`./pacing`) with the client's `pacing` option. Registered
 * inside the retry plugin and the rate-limit handler, so that a resend is paced as a first send is.
 */
function paceRequests(octokit: Octokit, options: { pacing?: PacingOptions }): void {
  const { pacing } = options;
  if (pacing) octokit.hook.wrap("request", (request, o) => paced(pacing, o.method, String(o.url), async () => request(o)));
}

/** Octokit with the plugins this product relies on; the last registered wraps the others. */
export const GitHubOctokit = Octokit.plugin(
  pinApiVersion,
  announceRetries,
  paceRequests as (octokit: Octokit, options: object) => void,
  paginateRest,
  retry,
  waitOutRateLimits as (octokit: Octokit, options: object) => void,
);
/** A client instance. */
export type GitHubClient = InstanceType<typeof GitHubOctokit>;

/** How a command authenticates. */
export type GitHubAuth =
  | { readonly kind: "token"; readonly token: string }
  | { readonly kind: "app"; readonly appId: string; readonly privateKey: string; readonly installationId?: number };

/** Options of {@link createGitHubClient}. */
export interface GitHubClientOptions {
  /** REST API root, e.g. https://api.github.com or https://ghes.example/api/v3. */
  readonly apiUrl: string;
  readonly auth: GitHubAuth;
  /** The login of the organization whose installation an App authenticates as (when no installation id). */
  readonly login?: string;
  /**
   * Least time between two writes of one identity (an installation, the App, a token), whichever
   * client of the process sends them; writes also go one at a time. GitHub asks for a second
   * between mutating requests to stay clear of secondary rate limits. Reads are not spaced (at
   * most 50 of the process in flight; `./pacing`).
   * @default 1000
   */
  readonly writeIntervalMs?: number;
  /** Told where each request's time went: waiting for its turn, in flight (benches). */
  readonly observe?: (timing: RequestTiming) => void;
  /** Unit of retry waits: retry-after seconds and backoff steps are multiplied by it. @default 1000 */
  readonly retryUnitMs?: number;
  /** Retries of one request after a server error, a dropped connection or a rate limit. @default 2 */
  readonly maxRetries?: number;
  /** Gives up on one request after this long. @default 30000 */
  readonly requestTimeoutMs?: number;
  /** Where warnings go (never secrets). @default stderr */
  readonly warn?: (message: string) => void;
  /**
   * With App credentials: authenticate as the App itself (a JWT) rather than as an
   * installation, for `/app` endpoints and to wait for an installation.
   * @default false
   */
  readonly asApp?: boolean;
  /**
   * With App credentials: the installation token carries only these permissions (for example
   * read-only ones for a report), instead of every permission the App has.
   * @default - every permission of the installation
   */
  readonly permissions?: Readonly<Record<string, "read" | "write">>;
  /**
   * With App credentials and an installation: the strategy of the installation client. An
   * `AppSession` (app-session.ts) passes one that returns the same `@octokit/auth-app` instance every
   * time, so every client of the session shares its cached installation token.
   * @default a new `createAppAuth` per client
   */
  readonly authStrategy?: typeof createAppAuth;
}

/**
 * Creates a client. With App credentials and no installation id, finds the organization's
 * installation with `GET /orgs/{org}/installation` (as the App) first. An API root that is not
 * `https://` (or `http://` to this machine) is refused before any request.
 */
export async function createGitHubClient(options: GitHubClientOptions): Promise<GitHubClient> {
  // Credentials go there: https only, http only to this machine (see resolveApiUrl).
  const rootProblem = apiRootProblem("the API root", options.apiUrl);
  if (rootProblem) throw new UsageError(rootProblem);
  const warn = options.warn ?? ((m: string) => process.stderr.write(`warning: ${m}\n`));
  const maxRetries = options.maxRetries ?? 2;
  const unit = options.retryUnitMs ?? 1000;
  const timeout = options.requestTimeoutMs ?? 30_000;
  /** Whether to send a rate-limited request again; says so (with the wait) only when it will. */
  const rateLimits: RateLimitOptions = {
    unitMs: unit,
    again: ({ limit, retryAfter }, o, retryCount) => {
      if (retryCount >= maxRetries) return false;
      announcedByThrottling.add(o);
      warn(`${limit} on ${o.method} ${o.url}; retrying after ${retryAfter}s (${retryCount + 1}/${maxRetries})`);
      return true;
    },
  };
  const baseUrl = options.apiUrl.replace(/\/+$/, "");
  /** `identity` names whose writes share one lane (an App, an installation); a token's client has a lane of its own. */
  const make = (auth: Record<string, unknown> | string, identity?: string, strategy?: typeof createAppAuth) =>
    new GitHubOctokit({
      baseUrl,
      pacing: {
        lane: identity ? writeLaneOf(`${baseUrl} ${identity}`) : new WriteLane(),
        writeIntervalMs: options.writeIntervalMs ?? 1000,
        observe: options.observe,
      } satisfies PacingOptions,
      ...(strategy ? { authStrategy: strategy } : {}),
      auth,
      userAgent: "github-token-policy",
      log: { debug: () => {}, info: () => {}, warn, error: warn },
      request: {
        fetch: (url: string, init: RequestInit) => fetch(url, { ...init, signal: init.signal ?? AbortSignal.timeout(timeout) }),
      },
      // Not `request.retries`: set there, the retry plugin retries every failure, 401 and 404
      // included. Here it retries only server errors and dropped connections.
      retry: { retryAfterBaseValue: unit, retries: maxRetries },
      rateLimits,
    });

  if (options.auth.kind === "token") return make(options.auth.token);
  const { appId, privateKey } = options.auth;
  if (options.asApp) return make({ appId, privateKey }, `app ${appId}`, createAppAuth);
  let installationId = options.auth.installationId;
  const asApp = make({ appId, privateKey }, `app ${appId}`, createAppAuth);
  if (installationId === undefined) {
    if (!options.login) throw new Error("createGitHubClient: an App without an installation id needs the organization's login");
    const { data } = await asApp.request("GET /orgs/{org}/installation", { org: options.login });
    installationId = data.id;
  }
  if (options.permissions) {
    // A token narrowed to these permissions; it lives one hour, longer than any command needs.
    const { data } = await asApp.request("POST /app/installations/{installation_id}/access_tokens", {
      installation_id: installationId,
      permissions: options.permissions as never,
    });
    return make(data.token, `installation ${installationId}`);
  }
  return make({ appId, privateKey, installationId }, `installation ${installationId}`, options.authStrategy ?? createAppAuth);
}

/** Where a command's authentication comes from. */
export interface AuthenticationSources {
  readonly env: NodeJS.ProcessEnv;
  /**
   * The variable `APP_PRIVATE_KEY` was read from, for messages (an organization's own
   * `ACME_CORP_APP_PRIVATE_KEY`, for example).
   * @default "APP_PRIVATE_KEY"
   */
  readonly keyVariable?: string;
}

/**
 * Picks the authentication from the environment: `GITHUB_TOKEN`, else `APP_ID` with `APP_PRIVATE_KEY`
 * or `APP_PRIVATE_KEY_FILE` (and `APP_INSTALLATION_ID` when set). Commands that take
 * `--credentials FILE` read that file themselves. Throws a {@link UsageError} (exit 2) naming
 * what to set; never echoes a value.
 */
export function resolveAuth({ env, keyVariable = "APP_PRIVATE_KEY" }: AuthenticationSources): GitHubAuth {
  const installationId = env.APP_INSTALLATION_ID ? Number(env.APP_INSTALLATION_ID) : undefined;
  if (installationId !== undefined && !(Number.isInteger(installationId) && installationId > 0)) {
    throw usage("APP_INSTALLATION_ID must be the installation's numeric id");
  }
  if (env.GITHUB_TOKEN) return { kind: "token", token: env.GITHUB_TOKEN };
  if (env.APP_ID) {
    const key = privateKeyFromEnv(env);
    if (!key) throw usage("APP_ID is set but neither APP_PRIVATE_KEY nor APP_PRIVATE_KEY_FILE is");
    if (!/-----BEGIN (RSA )?PRIVATE KEY-----/.test(key))
      throw usage(notAKey(env.APP_PRIVATE_KEY ? keyVariable : "APP_PRIVATE_KEY_FILE", key));
    return { kind: "app", appId: env.APP_ID, privateKey: key, installationId };
  }
  throw usage("no GitHub credentials: set GITHUB_TOKEN (an installation token), or APP_ID with APP_PRIVATE_KEY or APP_PRIVATE_KEY_FILE");
}

/** What is wrong with a value that is not a PEM key, without showing it. */
function notAKey(variable: string, value: string): string {
  if (variable !== "APP_PRIVATE_KEY_FILE" && !KEY_SHAPED.test(value) && value.length < 4096 && isFile(value)) {
    return `${variable} holds a file name, not a key: set APP_PRIVATE_KEY_FILE to the file's path, or ${variable} to the key itself (the value is not shown)`;
  }
  const holder = variable === "APP_PRIVATE_KEY_FILE" ? "the file APP_PRIVATE_KEY_FILE names" : variable;
  return `${holder} is not a PEM private key (GitHub issues it as a .pem file: an RSA private key in PEM form); the value is not shown`;
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** Largest key file read: a PEM private key of GitHub's is under 4 KiB. */
const MAX_KEY_FILE_BYTES = 64 * 1024;

/** A PEM private key's armour, or several lines: a value that is a key, not a file name. */
const KEY_SHAPED = /-----BEGIN [A-Z ]*PRIVATE KEY-----|[\r\n]/;

/**
 * The App's private key from `APP_PRIVATE_KEY` (literal `\\n` turned into newlines, as CI
 * variables often hold it) or `APP_PRIVATE_KEY_FILE`; undefined when neither is set. Errors name
 * the variable and what is wrong, never its value or the file's content: a key placed in
 * `APP_PRIVATE_KEY_FILE` is said to be one, with the variable it belongs in. With `prefix` (an
 * organization's `ACME_CORP_`), the same from `<prefix>APP_PRIVATE_KEY` or `<prefix>APP_PRIVATE_KEY_FILE`.
 */
export function privateKeyFromEnv(env: NodeJS.ProcessEnv, prefix = ""): string | undefined {
  const [keyVariable, fileVariable] = [`${prefix}APP_PRIVATE_KEY`, `${prefix}APP_PRIVATE_KEY_FILE`];
  const literal = env[keyVariable];
  if (literal) return literal.replace(/\\n/g, "\n");
  const file = env[fileVariable];
  if (!file) return undefined;
  if (KEY_SHAPED.test(file)) {
    throw usage(
      `${fileVariable} holds a private key, not a file name: put the key in ${keyVariable}, or the key file's path in ${fileVariable} (the value is not shown)`,
    );
  }
  try {
    return readRegularFile(file, MAX_KEY_FILE_BYTES);
  } catch (e) {
    if (!(e instanceof FileProblem)) throw e;
    if (e.message.startsWith("file not found"))
      throw usage(`${fileVariable} names a file that cannot be read (ENOENT: it does not exist); the name is not shown`);
    if (e.message.startsWith("cannot be read")) throw usage(`${fileVariable} names a file that ${e.message}; the name is not shown`);
    throw usage(
      `${fileVariable} must name a regular file of a PEM private key (under ${MAX_KEY_FILE_BYTES} bytes); what it names ${e.message} (the name is not shown)`,
    );
  }
}

/** Which organizations GitHub Actions' `GITHUB_API_URL` serves: the web host of its instance. */
function instanceHostOf(apiRoot: URL): string {
  if (apiRoot.host === "api.github.com") return "github.com";
  const ghe = /^api\.([^.]+\.ghe\.com)$/.exec(apiRoot.host);
  return ghe ? ghe[1] : apiRoot.host;
}

/**
 * The API root: `TOKEN_POLICY_API_URL` when set (for every organization); else `GITHUB_API_URL`
 * when it points at the organization's own instance (GitHub Actions always sets it, to the
 * runner's instance, GHES runners included, so an organization elsewhere is never sent there), or
 * at this machine (a local stand-in or proxy, which no runner sets); else derived from the
 * organization's `githubUrl`. An override must be `https://` (`http://` only to this machine)
 * with an ASCII host and no user info; one with `/api/v3` twice, or with a path on github.com or
 * GHE.com (whose API roots have none), is refused with the root to use. Errors name the variable,
 * never its value.
 */
export function resolveApiUrl(env: NodeJS.ProcessEnv, githubUrl?: string): string {
  const instanceHost = githubUrl ? new URL(githubUrl).host : "github.com";
  const runnerApplies = (value: string) => {
    try {
      const u = new URL(value);
      return instanceHostOf(u) === instanceHost || isLoopbackHost(u.hostname);
    } catch {
      return true; // reported below, as a malformed URL
    }
  };
  const [name, override] = env.TOKEN_POLICY_API_URL
    ? ["TOKEN_POLICY_API_URL", env.TOKEN_POLICY_API_URL]
    : env.GITHUB_API_URL && runnerApplies(env.GITHUB_API_URL)
      ? ["GITHUB_API_URL", env.GITHUB_API_URL]
      : [undefined, undefined];
  const url = (override || apiUrlFor(githubUrl)).replace(/\/+$/, "");
  if (name && override) {
    const problem = apiRootProblem(name, url);
    if (problem) throw usage(problem);
    const u = new URL(url);
    if (/\/api\/v3\/api\/v3(\/|$)/.test(u.pathname))
      throw usage(`${name} should be the API root, without /api/v3 twice: ${u.origin}${u.pathname.replace(/(\/api\/v3)+/, "/api/v3")}`);
    if ((u.host === "api.github.com" || /^api\.[^.]+\.ghe\.com$/.test(u.host)) && u.pathname !== "/")
      throw usage(`${name} should be the API root, ${u.origin}, without a path`);
  }
  return url;
}

function usage(message: string): UsageError {
  return new UsageError(message);
}
