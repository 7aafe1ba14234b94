/**
 * One shape for every failed GitHub call: what was being done, to which organization and
 * object, the method and path, GitHub's status and message, and the likely cause with its fix.
 * Shared by every command, so a failure reads the same wherever it happens.
 */
import { clean } from "../text";

/** What the explanation may use besides the error: never a secret. */
export interface GitHubErrorContext {
  /** The App id in use, when authenticating as an App. */
  readonly appId?: string;
  /** The API root in use. */
  readonly apiUrl?: string;
  /**
   * The variable that set the API root, named in a fix.
   * @default "TOKEN_POLICY_API_URL or GITHUB_API_URL"
   */
  readonly apiUrlVariable?: string;
}

interface Operation {
  readonly method: string;
  readonly pattern: RegExp;
  /** What was being done; `m` holds the pattern's groups (organization, repository, …). */
  readonly doing: (m: string[]) => string;
  /** The likely cause of a status, with the fix. */
  readonly causes?: Partial<Record<number, (m: string[], ctx: GitHubErrorContext) => string>>;
}

const app = (ctx: GitHubErrorContext) => (ctx.appId ? `the App ${ctx.appId}` : "the App");

const OPERATIONS: readonly Operation[] = [
  {
    method: "GET",
    pattern: /^\/orgs\/([^/]+)\/installation$/,
    doing: (m) => `finding the App's installation on ${m[1]}`,
    causes: {
      404: (m, ctx) =>
        `${app(ctx)} is not installed on ${m[1]}: install it (token-policy install --org ${m[1]}), or use ${m[1]}'s own App's credentials`,
    },
  },
  {
    method: "POST",
    pattern: /^\/app\/installations\/(\d+)\/access_tokens$/,
    doing: (m) => `creating a token for installation ${m[1]}`,
    causes: {
      404: (m, ctx) =>
        `installation ${m[1]} does not belong to ${app(ctx)}, or was removed: unset APP_INSTALLATION_ID to find the organization's installation`,
    },
  },
  { method: "GET", pattern: /^\/app$/, doing: () => "reading the App" },
  {
    method: "GET",
    pattern: /^\/orgs\/([^/]+)\/personal-access-token-requests$/,
    doing: (m) => `listing pending token requests of ${m[1]}`,
  },
  { method: "POST", pattern: /^\/orgs\/([^/]+)\/personal-access-token-requests$/, doing: (m) => `reviewing token requests in ${m[1]}` },
  {
    method: "GET",
    pattern: /^\/orgs\/([^/]+)\/personal-access-token-requests\/(\d+)\/repositories$/,
    doing: (m) => `reading the repositories of token request ${m[2]} in ${m[1]}`,
  },
  { method: "GET", pattern: /^\/orgs\/([^/]+)\/personal-access-tokens$/, doing: (m) => `listing granted tokens of ${m[1]}` },
  { method: "POST", pattern: /^\/orgs\/([^/]+)\/personal-access-tokens$/, doing: (m) => `revoking tokens in ${m[1]}` },
  {
    method: "GET",
    pattern: /^\/orgs\/([^/]+)\/actions\/secrets\/public-key$/,
    doing: (m) => `reading the Actions secrets public key of ${m[1]}`,
  },
  {
    method: "GET",
    pattern: /^\/orgs\/([^/]+)\/dependabot\/secrets\/public-key$/,
    doing: (m) => `reading the Dependabot secrets public key of ${m[1]}`,
  },
  {
    method: "GET",
    pattern: /^\/repos\/([^/]+)\/([^/]+)\/environments\/([^/]+)\/secrets\/public-key$/,
    doing: (m) => `reading the public key of environment "${decodeURIComponent(m[3])}" in ${m[1]}/${m[2]}`,
    causes: {
      404: (m) =>
        `environment "${decodeURIComponent(m[3])}" not found in ${m[2]} (or the credentials cannot see ${m[1]}/${m[2]}): create it in the repository's settings, or fix credentials.environments`,
    },
  },
  { method: "GET", pattern: /^\/orgs\/([^/]+)\/actions\/secrets\/([^/]+)/, doing: (m) => `reading the Actions secret ${m[2]} of ${m[1]}` },
  {
    method: "GET",
    pattern: /^\/orgs\/([^/]+)\/actions\/variables\/([^/]+)/,
    doing: (m) => `reading the Actions variable ${m[2]} of ${m[1]}`,
  },
  {
    method: "GET",
    pattern: /^\/orgs\/([^/]+)\/dependabot\/secrets\/([^/]+)/,
    doing: (m) => `reading the Dependabot secret ${m[2]} of ${m[1]}`,
  },
  { method: "GET", pattern: /^\/installation\/repositories$/, doing: () => "listing the installation's repositories" },
  {
    method: "POST",
    pattern: /^\/enterprises\/([^/]+)\/apps\/organizations\/([^/]+)\/installations$/,
    doing: (m) => `installing the App on ${m[2]} through the enterprise ${m[1]}`,
    causes: {
      404: (m) => enterpriseCause(m),
      403: (m) => enterpriseCause(m),
      422: (m) =>
        `GitHub refused the installation: check the App's client id (app.clientId, or the credentials file) and that the App is not already installed on ${m[2]} (token-policy verify --org ${m[2]})`,
    },
  },
  {
    method: "PATCH",
    pattern: /^\/enterprises\/([^/]+)\/apps\/organizations\/([^/]+)\/installations\/(\d+)\/repositories\/add$/,
    doing: (m) => `adding repositories to installation ${m[3]} on ${m[2]} through the enterprise ${m[1]}`,
    causes: {
      404: (m) => enterpriseCause(m),
      403: (m) => enterpriseCause(m),
      422: (m) => `a repository in app.installation.repositories does not exist in ${m[2]}: fix the list`,
    },
  },
];

/** Why the enterprise installations API refused: the enterprise, the organization or the caller. */
function enterpriseCause(m: string[]): string {
  return `the enterprise ${m[1]} does not exist under that slug, ${m[2]} does not belong to it, or the credentials are not the enterprise's installer App (an App installed on ${m[1]} with enterprise_organization_installations: write; set GITHUB_TOKEN or APP_ID and APP_PRIVATE_KEY to it): check --enterprise and the credentials. An organization outside an enterprise is installed with token-policy install --org ${m[2]} (no --enterprise)`;
}

/**
 * Which variable set the API root, for a fix that names it: `TOKEN_POLICY_API_URL` wins over
 * `GITHUB_API_URL`, as in `resolveApiUrl`; undefined when neither is set.
 */
export function apiUrlVariable(env: NodeJS.ProcessEnv): string | undefined {
  if (env.TOKEN_POLICY_API_URL) return "TOKEN_POLICY_API_URL";
  return env.GITHUB_API_URL ? "GITHUB_API_URL" : undefined;
}

/** The parts of an Octokit RequestError this needs. */
interface RequestErrorLike {
  status?: number;
  message?: string;
  request?: { method?: string; url?: string };
  response?: { data?: unknown };
}

/** Whether `e` is a failed GitHub call (an Octokit RequestError). */
export function isGitHubError(e: unknown): boolean {
  const err = e as RequestErrorLike;
  return typeof err?.request?.method === "string" && typeof err?.request?.url === "string";
}

/**
 * The one-line account of a failed call. Only the method, the path (no query) and GitHub's own
 * message are shown: never a header, a token or a body.
 */
export function describeGitHubError(e: unknown, ctx: GitHubErrorContext = {}): string {
  const err = e as RequestErrorLike;
  const method = err.request?.method ?? "?";
  let url: URL | undefined;
  try {
    url = new URL(err.request?.url ?? "");
  } catch {
    url = undefined;
  }
  const fullPath = url?.pathname ?? "?";
  const root = ctx.apiUrl ? safePath(ctx.apiUrl) : "";
  const path =
    root && root !== "/" && fullPath.startsWith(root) ? fullPath.slice(root.replace(/\/$/, "").length) || "/" : stripApiRoot(fullPath);
  const status = err.status ?? 0;
  const data = err.response?.data as { message?: unknown } | undefined;
  const network = err.response ? undefined : networkCode(e);
  const said = clean(
    network ??
      (typeof data?.message === "string" ? data.message : String(err.message ?? "").replace(/ - https:\/\/docs\.github\.com\S*$/, "")),
  );
  const op = OPERATIONS.find((o) => o.method === method && o.pattern.test(path));
  const m = op ? (op.pattern.exec(path) as RegExpExecArray).map(String) : [];
  const doing = op ? op.doing(m) : "calling GitHub";
  const cause = hint(status, said, fullPath, url, op, m, ctx);
  const answered =
    status === 0 || (status === 500 && !err.response)
      ? `no answer from ${url?.host ?? "GitHub"} to ${method} ${fullPath}`
      : `GitHub answered ${status} to ${method} ${fullPath}`;
  return `${doing}: ${answered}: ${said || "no message"}${cause ? `. ${cause}` : ""}`;
}

function hint(
  status: number,
  said: string,
  fullPath: string,
  url: URL | undefined,
  op: Operation | undefined,
  m: string[],
  ctx: GitHubErrorContext,
): string | undefined {
  const variable = ctx.apiUrlVariable ?? "TOKEN_POLICY_API_URL or GITHUB_API_URL";
  if (/\/api\/v3\/api\/v3(\/|$)/.test(fullPath)) return `${variable} should be the API root (https://HOST/api/v3), without /api/v3 twice`;
  if ((status === 0 || status === 500) && /ENOTFOUND|ECONNREFUSED|EAI_AGAIN|fetch failed|timeout/i.test(said)) {
    return `cannot reach ${url?.host ?? "the API"}: check ${variable}, or the organization's githubUrl`;
  }
  const specific = op?.causes?.[status]?.(m, ctx);
  if (specific) return specific;
  if (status === 401) {
    return ctx.appId
      ? `GitHub refused the App's credentials: check that APP_ID (${ctx.appId}) and the private key belong to the same App, and that this machine's clock is right`
      : "GitHub refused the token: it is wrong or expired (installation tokens live one hour)";
  }
  if (status === 403 && /not accessible by personal access token/i.test(said)) {
    return "a personal access token cannot make this call (GitHub lets only Apps manage token requests, grants and installations): use the App's credentials, APP_ID with APP_PRIVATE_KEY or --credentials FILE, or its installation token in GITHUB_TOKEN";
  }
  if (status === 403 && /not accessible by integration/i.test(said))
    return "the App lacks the permission this call needs: add it to app.permissions and have an owner accept it";
  if ((status === 403 || status === 429) && /rate limit/i.test(said)) return "rate limited: wait, then run again";
  if (status === 404) {
    const org = /^\/(?:orgs|repos)\/([^/]+)/.exec(stripApiRoot(fullPath))?.[1];
    return org
      ? `not found, or not visible to these credentials: an installation token sees only its own organization, so check they are ${org}'s App's`
      : undefined;
  }
  return undefined;
}

/** The system error code behind a failed fetch (ECONNREFUSED, ENOTFOUND, …), from the cause chain. */
function networkCode(e: unknown): string | undefined {
  let cur: unknown = e;
  for (let i = 0; i < 5 && cur; i++) {
    const c = cur as { code?: unknown; name?: unknown; cause?: unknown };
    if (typeof c.code === "string" && /^E[A-Z_]+$/.test(c.code)) return c.code;
    if (c.name === "TimeoutError" || c.name === "AbortError") return "timeout";
    cur = c.cause;
  }
  return undefined;
}

function safePath(u: string): string {
  try {
    return new URL(u).pathname;
  } catch {
    return "";
  }
}

/** The path below a GHES API root (`/api/v3`), as the operations are written. */
function stripApiRoot(path: string): string {
  return path.replace(/^\/api\/v3(?=\/)/, "");
}

/** A failure of something the command depends on (git, the file system): exit 1. */
export class CommandFailure extends Error {
  readonly exitCode: number = 1;

  constructor(message: string) {
    super(message);
    this.name = "CommandFailure";
  }
}

/** A failure of GitHub or the network: the CLI prints it and exits 1. */
export class GitHubFailure extends CommandFailure {
  constructor(message: string) {
    super(message);
    this.name = "GitHubFailure";
  }
}
