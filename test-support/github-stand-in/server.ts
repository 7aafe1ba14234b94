/**
 * A local stand-in for GitHub's REST API, on 127.0.0.1 only, for tests and benchmarks. Every
 * request is checked against GitHub's OpenAPI description before it is served (what GitHub
 * would refuse gets GitHub's 422 and is recorded in `rejections`), and every response the
 * stand-in sends is checked too (a mismatch is recorded in `violations`, which tests assert
 * empty), so the stand-in cannot drift from the real API.
 *
 * State is small and in memory: Apps with their public keys, organizations with their
 * installation, pending PAT requests and granted tokens. Faults are injected per operation.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createPublicKey, createVerify, generateKeyPairSync, randomBytes, type KeyObject } from "node:crypto";
import type { AddressInfo } from "node:net";
import { OpenApiChecker, type SpecName } from "./openapi";

/** A request the stand-in served, for assertions on API economy. */
export interface CallRecord {
  readonly method: string;
  /** The operation's path template, e.g. `/orgs/{org}/personal-access-token-requests`. */
  readonly operation: string;
  /** The concrete path with query. */
  readonly url: string;
  readonly status: number;
  readonly body?: unknown;
  /** `jwt`, `installation` or `none`. */
  readonly auth: string;
  /** The `X-GitHub-Api-Version` the request asked for, when it sent one. */
  readonly apiVersion?: string;
}

/**
 * The REST API version of the description the stand-in checks against (`@octokit/openapi`'s
 * api.github.com and ghec descriptions are of GitHub's default version). A request asking for
 * another gets GitHub's 400.
 */
export const STAND_IN_API_VERSION = "2022-11-28";

/** A fault to inject on the next matching request(s). */
export interface Fault {
  /** `METHOD /template`, e.g. `POST /orgs/{org}/personal-access-token-requests`. */
  readonly operation: string;
  /**
   * `502-before`: 502 without applying the request. `502-after`: apply it, then answer 502 (the
   * answer is lost). `secondary-rate-limit`: 403 with GitHub's message and `retry-after`.
   * `429`: the primary rate limit (no calls left until `x-ratelimit-reset`). `reset`: close the
   * connection unanswered.
   */
  readonly kind: "502-before" | "502-after" | "secondary-rate-limit" | "429" | "reset";
  /** How many matching requests get it. @default 1 */
  readonly times?: number;
  /** How many matching requests to serve normally first. @default 0 */
  readonly after?: number;
  /** Seconds for `retry-after`. @default 1 */
  readonly retryAfter?: number;
}

/** A user, as GitHub's simple-user schema has it. */
export function simpleUser(login: string, id: number, base: string): Record<string, unknown> {
  const api = `${base}/users/${login}`;
  return {
    login,
    id,
    node_id: `U_${id}`,
    avatar_url: `https://avatars.githubusercontent.com/u/${id}`,
    gravatar_id: "",
    url: api,
    html_url: `https://github.com/${login}`,
    followers_url: `${api}/followers`,
    following_url: `${api}/following{/other_user}`,
    gists_url: `${api}/gists{/gist_id}`,
    starred_url: `${api}/starred{/owner}{/repo}`,
    subscriptions_url: `${api}/subscriptions`,
    organizations_url: `${api}/orgs`,
    repos_url: `${api}/repos`,
    events_url: `${api}/events{/privacy}`,
    received_events_url: `${api}/received_events`,
    type: "User",
    site_admin: false,
  };
}

/** A pending fine-grained PAT request in the stand-in. */
export interface PatRequestState {
  id: number;
  owner: string;
  tokenId: number;
  tokenName: string;
  repositorySelection: "none" | "all" | "subset";
  repositories: string[];
  permissions: { organization?: Record<string, string>; repository?: Record<string, string>; other?: Record<string, string> };
  createdAt: string;
  tokenExpiresAt: string | null;
  reason: string | null;
}

/** A granted token in the stand-in. */
export interface GrantState extends Omit<PatRequestState, "createdAt" | "reason"> {
  accessGrantedAt: string;
  /** When the token was last used; null or absent: never. */
  lastUsedAt?: string | null;
}

/** An organization audit-log event as GitHub returns it (extra fields such as `token_expiration` included). */
export type AuditEventState = Record<string, unknown> & { action: string; "@timestamp": number };

/** An App registered with the stand-in. */
export interface AppState {
  id: number;
  slug: string;
  clientId: string;
  name: string;
  publicKey: KeyObject;
  permissions: Record<string, string>;
  events: string[];
  ownerLogin: string;
}

/** An organization in the stand-in. */
export interface OrgState {
  login: string;
  id: number;
  installation?: {
    id: number;
    appId: number;
    repositorySelection: "all" | "selected";
    repositories: string[];
    permissions: Record<string, string>;
    events: string[];
  };
  requests: Map<number, PatRequestState>;
  grants: Map<number, GrantState>;
  reviews: { ids: number[]; action: string; reason: string | null }[];
  revocations: number[][];
  /** Secret-encryption public keys (base64) by target: `actions`, `dependabot`, `env:<repo>/<environment>`. */
  publicKeys: Map<string, { keyId: string; key: string }>;
  /** Enterprise that owns the organization, for enterprise installations. */
  enterprise?: string;
  /** Org Actions secrets, Dependabot secrets and Actions variables by name. */
  secrets?: Map<string, { visibility: "all" | "private" | "selected"; repositories: string[]; updatedAt?: string }>;
  dependabotSecrets?: Map<string, { visibility: "all" | "private" | "selected"; repositories: string[]; updatedAt?: string }>;
  variables?: Map<string, { value: string; visibility: "all" | "private" | "selected"; repositories: string[] }>;
  /** The audit log, newest or oldest first as added (ghec only); absent: no Enterprise Cloud, GitHub answers 404. */
  auditLog?: AuditEventState[];
  /** SAML SSO credential authorizations (ghec only); absent: no SAML SSO, GitHub answers 404. */
  credentialAuthorizations?: Record<string, unknown>[];
  /** Installations of other Apps (installed through the stand-in's install page or the enterprise API). */
  appInstallations?: Map<number, NonNullable<OrgState["installation"]>>;
  /** Teams by slug (lower case): their members' logins. */
  teams?: Map<string, string[]>;
  /** Memberships by login (lower case): `pending` is an invitation not yet accepted. */
  members?: Map<string, { login: string; state: "active" | "pending"; role: "admin" | "member" | "billing_manager" }>;
  /** Outside collaborators' logins. */
  outsideCollaborators?: string[];
  /** SSO revocations by credential type asked of the organization (ghec only), in order. */
  credentialTypeRevocations?: { username?: string; credentialType: string }[];
}

/** A manifest posted to the stand-in's new-App page. */
export interface ManifestPost {
  readonly org: string;
  readonly state: string | null;
  readonly manifest: Record<string, any>;
}

interface Route {
  method: string;
  template: string;
  regex: RegExp;
  names: string[];
  auth: "jwt" | "installation" | "user" | "none";
  handle: (ctx: HandlerContext) => { status: number; body?: unknown; headers?: Record<string, string> };
}

interface HandlerContext {
  params: Record<string, string>;
  query: URLSearchParams;
  body: any;
  org?: OrgState;
  app?: AppState;
  installationId?: number;
  /** The signed-in user, for a user token. */
  user?: string;
}

/** Options of {@link GitHubStandIn.start}. */
export interface StandInOptions {
  /** Added before every answer, to model network and GitHub latency. @default 0 */
  readonly latencyMs?: number;
  /** The description to check against. @default "api.github.com" */
  readonly spec?: SpecName;
  /**
   * Issue stateless installation tokens, as GitHub.com does from 2026-04-27: `ghs_` followed by a
   * JWT, about 520 characters in all (clients send them as `bearer`, since they hold two dots).
   * @default false (the classic 40-character `ghs_` tokens)
   */
  readonly statelessTokens?: boolean;
  /** How long an idle connection is kept open, in ms (a bench keeps them as GitHub does, rather than reconnecting per call). @default 1000 */
  readonly keepAliveMs?: number;
}

/** The stand-in server. */
export class GitHubStandIn {
  /** Base URL, `http://127.0.0.1:PORT`. */
  url = "";
  /** Every request served, in order. */
  readonly calls: CallRecord[] = [];
  /** Requests refused because GitHub's description does not allow them. */
  readonly rejections: { operation: string; problems: string[] }[] = [];
  /** Responses that did not match GitHub's description: a defect of the stand-in. */
  readonly violations: string[] = [];
  readonly orgs = new Map<string, OrgState>();
  readonly apps = new Map<number, AppState>();
  /** Installation tokens issued: token → installation id and expiry. */
  readonly tokens = new Map<string, { installationId: number; expiresAt: number }>();
  /** Installations of an enterprise-level App, by enterprise slug (caller of the enterprise API). */
  readonly enterpriseInstallations = new Map<string, number>();
  /** Manifests posted to the new-App page, in order. */
  readonly manifestPosts: ManifestPost[] = [];
  /** Private keys of Apps registered through the manifest flow, by App id (the test's view of GitHub). */
  readonly createdAppKeys = new Map<number, string>();
  /**
   * Changes what a manifest code converts into, to act out GitHub returning an App other than the
   * one asked for (another owner, name or permissions).
   */
  conversionOverride?: (conversion: { org: string; manifest: Record<string, any> }) => { org: string; manifest: Record<string, any> };
  /**
   * GitHub's OAuth web flow for Apps (not in the REST description; as GitHub documents it):
   * `signedIn` is the login of the browser's GitHub session (absent: nobody signed in); `clientSecrets`
   * the Apps' client secrets by client id; `userTokens` the user tokens issued, token → login.
   */
  readonly oauth = {
    signedIn: undefined as string | undefined,
    clientSecrets: new Map<string, string>(),
    codes: new Map<string, { login: string; clientId: string; redirectUri: string | null }>(),
    userTokens: new Map<string, string>(),
  };
  /**
   * The webhook source ranges `GET /meta` lists as `hooks` (GitHub's published ones by default);
   * tests change them to put loopback in or out.
   */
  hookRanges: string[] = ["192.30.252.0/22", "185.199.108.0/22", "140.82.112.0/20", "143.55.64.0/20", "2a0a:a440::/29", "2606:50c0::/32"];
  /** Called before a request is handled, to change state concurrently (for example decide a request). */
  beforeHandle?: (operation: string, params: Record<string, string>) => void;

  private readonly faults: (Fault & { left: number; skip: number })[] = [];
  private readonly conversions = new Map<string, { org: string; manifest: Record<string, any> }>();
  private readonly routes: Route[] = [];
  private readonly checker: OpenApiChecker;
  private server?: Server;
  private nextId = 1000;

  private constructor(private readonly options: StandInOptions) {
    this.checker = OpenApiChecker.for(options.spec ?? "api.github.com");
    this.registerRoutes();
  }

  /** Starts a stand-in on 127.0.0.1 and a free port. */
  static async start(options: StandInOptions = {}): Promise<GitHubStandIn> {
    const s = new GitHubStandIn(options);
    s.server = createServer((req, res) => void s.serve(req, res));
    s.server.keepAliveTimeout = options.keepAliveMs ?? 1000;
    await new Promise<void>((resolve) => s.server!.listen(0, "127.0.0.1", resolve));
    s.url = `http://127.0.0.1:${(s.server.address() as AddressInfo).port}`;
    return s;
  }

  /** Stops the server and drops open connections. */
  async close(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  /** A fresh id, unique within this stand-in. */
  id(): number {
    return this.nextId++;
  }

  /** Registers an App with its public key (the test keeps the private key). */
  addApp(app: Omit<AppState, "publicKey"> & { publicKeyPem: string }): AppState {
    const state: AppState = { ...app, publicKey: createPublicKey(app.publicKeyPem) };
    this.apps.set(app.id, state);
    return state;
  }

  /** Adds an organization, optionally with the App installed. */
  addOrg(login: string, installation?: OrgState["installation"]): OrgState {
    const org: OrgState = {
      login,
      id: this.id(),
      installation,
      requests: new Map(),
      grants: new Map(),
      reviews: [],
      revocations: [],
      publicKeys: new Map(),
    };
    this.orgs.set(login.toLowerCase(), org);
    return org;
  }

  /** Issues an installation token directly, as GITHUB_TOKEN would be in a workflow. */
  issueToken(installationId: number): string {
    const token = this.options.statelessTokens ? statelessToken(installationId) : `ghs_${randomBytes(18).toString("base64url")}`;
    this.tokens.set(token, { installationId, expiresAt: Date.now() + 3_600_000 });
    return token;
  }

  /**
   * Classic PATs of organization owners: token → the owner's login and the organizations they own
   * (see {@link issueOwnerToken}).
   */
  readonly ownerTokens = new Map<string, { login: string; orgs: string[] }>();
  /** Resolves a repository id to `owner/name` for GitHub's `/repositories/{id}/…` paths; unset: not served. */
  repositoryNameById?: (id: number) => string | undefined;

  /** Issues a classic PAT of `login`, an owner of `orgs` (as the deploy's `GITHUB_TOKEN` is where a user token is needed). */
  issueOwnerToken(login: string, orgs: string[]): string {
    const token = `ghp_${randomBytes(18).toString("base64url")}`;
    this.ownerTokens.set(token, { login, orgs });
    return token;
  }

  private requestCount = 0;

  /** A request id in GitHub's form (`X-GitHub-Request-Id`: five hex fields), distinct per answer. */
  private nextRequestId(): string {
    this.requestCount += 1;
    const n = this.requestCount.toString(16).toUpperCase();
    return `C0DE:${process.pid.toString(16).toUpperCase()}:${n}:${n.padStart(6, "0")}:6750A000`;
  }

  /** Injects a fault. */
  inject(fault: Fault): void {
    this.faults.push({ ...fault, left: fault.times ?? 1, skip: fault.after ?? 0 });
  }

  /** Drops every fault not yet used. */
  clearFaults(): void {
    this.faults.length = 0;
  }

  /** Calls of one operation (`METHOD /template`). */
  callsOf(operation: string): CallRecord[] {
    return this.calls.filter((c) => `${c.method} ${c.operation}` === operation);
  }

  /** Adds a route for an operation in the description. */
  route(method: string, template: string, auth: Route["auth"], handle: Route["handle"]): void {
    this.checker.operation(method, template); // fail fast if GitHub has no such operation
    const names: string[] = [];
    const regex = new RegExp(
      "^" +
        template
          .replace(/[.*+?^$()|[\]\\]/g, "\\$&")
          .replace(/\{([^}]+)\}/g, (_m, n: string) => (names.push(n), n === "path" ? "(.+)" : "([^/]+)")) +
        "$",
    );
    this.routes.push({ method, template, regex, names, auth, handle });
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    const url = new URL(req.url ?? "/", this.url);
    // GitHub Enterprise Server's API root (`/api/v3`), as a provider with a GHES base URL calls it.
    if (url.pathname.startsWith("/api/v3/")) url.pathname = url.pathname.slice("/api/v3".length);
    // `/repositories/{id}/…`: GitHub's undocumented id form of `/repos/{owner}/{repo}/…` (the
    // Terraform provider's environment secrets use it), served as the documented operation.
    const byId = /^\/repositories\/(\d+)(\/.*)$/.exec(url.pathname);
    const aliased = byId ? this.repositoryNameById?.(Number(byId[1])) : undefined;
    if (byId && aliased) url.pathname = `/repos/${aliased}${byId[2]}`;
    const method = (req.method ?? "GET").toUpperCase();
    if (this.options.latencyMs) await new Promise((r) => setTimeout(r, this.options.latencyMs));

    const web = /^\/organizations\/([^/]+)\/settings\/apps\/new$/.exec(url.pathname);
    if (web) return this.newAppPage(method, decodeURIComponent(web[1]), url, raw, res);
    if (url.pathname === "/login/oauth/authorize" || url.pathname === "/login/oauth/access_token")
      return this.oauthPage(method, url, raw, req.headers["content-type"] ?? "", res);
    const route = this.routes.find((r) => r.method === method && r.regex.test(url.pathname));
    const send = (status: number, body?: unknown, headers: Record<string, string> = {}, authKind = "none") => {
      this.calls.push({
        method,
        operation: route?.template ?? url.pathname,
        url: url.pathname + url.search,
        status,
        body: parsed,
        auth: authKind,
        ...(apiVersion === undefined ? {} : { apiVersion }),
      });
      const text = body === undefined ? "" : JSON.stringify(body);
      res.writeHead(status, {
        "content-type": "application/json; charset=utf-8",
        "x-github-api-version-selected": "2022-11-28",
        // On every API answer, errors included; data.github_rest_api takes it as its id, and
        // without one the provider drops the whole answer (code, body: null).
        "x-github-request-id": this.nextRequestId(),
        ...headers,
      });
      res.end(text);
    };
    const versionHeader = req.headers["x-github-api-version"];
    const apiVersion = Array.isArray(versionHeader) ? versionHeader.join(",") : versionHeader;
    let parsed: unknown;
    if (apiVersion !== undefined && apiVersion !== STAND_IN_API_VERSION) {
      return send(400, {
        message: `API version ${apiVersion} is not supported by this stand-in (it serves ${STAND_IN_API_VERSION}).`,
        documentation_url: "https://docs.github.com/rest/about-the-rest-api/api-versions",
      });
    }
    try {
      parsed = raw ? JSON.parse(raw) : undefined;
    } catch {
      return send(400, { message: "Problems parsing JSON", documentation_url: "https://docs.github.com/rest" });
    }
    if (!route) return send(404, { message: "Not Found", documentation_url: "https://docs.github.com/rest" });
    const op = this.checker.operation(method, route.template);
    const m = route.regex.exec(url.pathname)!;
    const params = Object.fromEntries(route.names.map((n, i) => [n, decodeURIComponent(m[i + 1])]));

    // Authentication, as GitHub does it: JWT for App endpoints, installation token otherwise.
    const ctx: HandlerContext = { params, query: url.searchParams, body: parsed };
    const authz = req.headers.authorization ?? "";
    let authKind = "none";
    let ownerOf: string[] | undefined;
    if (route.auth !== "none") {
      const who = this.authenticate(authz);
      if (!who)
        return send(401, { message: "Bad credentials", documentation_url: "https://docs.github.com/rest", status: "401" }, {}, "none");
      authKind = who.kind;
      // An organization owner's classic PAT reaches user and organization endpoints alike, but
      // not the PAT-request and granted-token endpoints (GitHub Apps only) nor App (JWT) ones.
      const ownerMay = who.kind === "owner" && route.auth !== "jwt" && !/personal-access-token/.test(route.template);
      if (who.kind !== route.auth && !ownerMay) {
        return send(
          403,
          {
            message: route.auth === "jwt" ? "A JSON web token could not be decoded" : "Resource not accessible by integration",
            documentation_url: "https://docs.github.com/rest",
          },
          {},
          who.kind,
        );
      }
      ctx.app = who.app;
      ctx.installationId = who.installationId;
      ctx.user = who.login;
      ownerOf = who.orgs;
    }
    const orgLogin = params.org ?? params.owner;
    if (orgLogin) {
      ctx.org = this.orgs.get(orgLogin.toLowerCase());
      if (!ctx.org) return send(404, { message: "Not Found", documentation_url: "https://docs.github.com/rest" }, {}, authKind);
      const installedHere =
        ctx.org.installation?.id === ctx.installationId ||
        [...(ctx.org.appInstallations?.values() ?? [])].some((i) => i.id === ctx.installationId);
      const enterpriseCaller =
        params.enterprise !== undefined && this.enterpriseInstallations.get(params.enterprise) === ctx.installationId;
      const ownsIt = ownerOf?.some((o) => o.toLowerCase() === ctx.org!.login.toLowerCase()) ?? false;
      if (route.auth === "installation" && !installedHere && !enterpriseCaller && !ownsIt) {
        return send(
          403,
          { message: "Resource not accessible by integration", documentation_url: "https://docs.github.com/rest" },
          {},
          authKind,
        );
      }
    }

    // Refuse what GitHub refuses.
    const problems = op.checkRequest(params, url.searchParams, parsed);
    const perPage = url.searchParams.get("per_page");
    if (perPage !== null && Number(perPage) > 100) problems.push("query parameter per_page must be at most 100");
    if (problems.length) {
      this.rejections.push({ operation: `${method} ${route.template}`, problems });
      return send(
        422,
        {
          message: "Validation Failed",
          errors: problems.map((p) => ({ resource: op.operationId, code: "invalid", message: p })),
          documentation_url: "https://docs.github.com/rest",
        },
        {},
        authKind,
      );
    }

    const fault = this.takeFault(`${method} ${route.template}`);
    if (fault?.kind === "reset") {
      this.calls.push({ method, operation: route.template, url: url.pathname + url.search, status: 0, body: parsed, auth: authKind });
      req.socket.destroy();
      return;
    }
    if (fault?.kind === "502-before") return send(502, undefined, {}, authKind);
    if (fault?.kind === "secondary-rate-limit") {
      return send(
        403,
        {
          message: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
          documentation_url: "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits",
        },
        { "retry-after": String(fault.retryAfter ?? 1) },
        authKind,
      );
    }
    if (fault?.kind === "429") {
      // GitHub's primary rate limit: no calls left until x-ratelimit-reset.
      const reset = Math.ceil(Date.now() / 1000) + (fault.retryAfter ?? 1);
      return send(
        429,
        {
          message: "API rate limit exceeded for installation.",
          documentation_url: "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api",
        },
        {
          "x-ratelimit-remaining": "0",
          "x-ratelimit-limit": "5000",
          "x-ratelimit-reset": String(reset),
          "retry-after": String(fault.retryAfter ?? 1),
        },
        authKind,
      );
    }

    this.beforeHandle?.(`${method} ${route.template}`, params);
    let result: ReturnType<Route["handle"]>;
    try {
      result = route.handle(ctx);
    } catch (e) {
      this.violations.push(`${method} ${route.template}: handler failed: ${(e as Error).message}`);
      return send(500, { message: "stand-in handler failed" }, {}, authKind);
    }
    const respProblems = op.checkResponse(result.status, result.body);
    if (respProblems.length) this.violations.push(`${method} ${route.template}: ${respProblems.join("; ")}`);
    if (fault?.kind === "502-after") return send(502, undefined, {}, authKind);
    send(result.status, result.body, result.headers, authKind);
  }

  private takeFault(operation: string): Fault | undefined {
    const f = this.faults.find((x) => x.operation === operation && x.left > 0);
    if (!f) return undefined;
    if (f.skip > 0) {
      f.skip--;
      return undefined;
    }
    f.left--;
    return f;
  }

  private authenticate(
    authz: string,
  ):
    | { kind: "jwt" | "installation" | "user" | "owner"; app?: AppState; installationId?: number; login?: string; orgs?: string[] }
    | undefined {
    const [scheme, cred] = authz.split(" ");
    if (!cred) return undefined;
    // A stateless installation token holds two dots too; it is a token, not an App's JWT.
    if (/^bearer$/i.test(scheme) && cred.split(".").length === 3 && !cred.startsWith("ghs_")) {
      const app = this.verifyJwt(cred);
      return app ? { kind: "jwt", app } : undefined;
    }
    if (this.oauth.userTokens.has(cred)) return { kind: "user", login: this.oauth.userTokens.get(cred) };
    const owner = this.ownerTokens.get(cred);
    if (owner) return { kind: "owner", login: owner.login, orgs: owner.orgs };
    const t = this.tokens.get(cred);
    if (!t || t.expiresAt < Date.now()) return undefined;
    return { kind: "installation", installationId: t.installationId };
  }

  /** Verifies an App JWT (RS256) against the registered public keys, as GitHub does. */
  private verifyJwt(jwt: string): AppState | undefined {
    const [h, p, sig] = jwt.split(".");
    let payload: { iss?: string | number; exp?: number; iat?: number };
    try {
      const header = JSON.parse(Buffer.from(h, "base64url").toString());
      if (header.alg !== "RS256") return undefined;
      payload = JSON.parse(Buffer.from(p, "base64url").toString());
    } catch {
      return undefined;
    }
    const app = [...this.apps.values()].find((a) => String(a.id) === String(payload.iss) || a.clientId === String(payload.iss));
    if (!app) return undefined;
    const now = Math.floor(Date.now() / 1000);
    if (!payload.exp || payload.exp < now || payload.exp - (payload.iat ?? now) > 600) return undefined;
    const ok = createVerify("RSA-SHA256").update(`${h}.${p}`).verify(app.publicKey, Buffer.from(sig, "base64url"));
    return ok ? app : undefined;
  }

  /** Builds the `link` header GitHub sends with a page. */
  private paginate<T>(items: T[], query: URLSearchParams, path: string): { page: T[]; headers: Record<string, string> } {
    const perPage = Number(query.get("per_page") ?? 30);
    const pageNo = Number(query.get("page") ?? 1);
    const last = Math.max(1, Math.ceil(items.length / perPage));
    const page = items.slice((pageNo - 1) * perPage, pageNo * perPage);
    const link = (n: number, rel: string) => {
      const q = new URLSearchParams(query);
      q.set("page", String(n));
      return `<${this.url}${path}?${q.toString()}>; rel="${rel}"`;
    };
    const links: string[] = [];
    if (pageNo < last) links.push(link(pageNo + 1, "next"), link(last, "last"));
    if (pageNo > 1) links.push(link(1, "first"), link(pageNo - 1, "prev"));
    return { page, headers: links.length ? { link: links.join(", ") } : {} };
  }

  private registerRoutes(): void {
    const notFound = { status: 404, body: { message: "Not Found", documentation_url: "https://docs.github.com/rest", status: "404" } };

    // GitHub's meta: which addresses its services use (no authentication needed).
    this.route("GET", "/meta", "none", () => ({
      status: 200,
      body: { verifiable_password_authentication: false, hooks: this.hookRanges, web: ["192.30.252.0/22"], api: ["192.30.252.0/22"] },
    }));

    this.route("GET", "/orgs/{org}/installation", "jwt", ({ org, app }) => {
      const inst = org!.installation?.appId === app!.id ? org!.installation : org!.appInstallations?.get(app!.id);
      if (!inst) return notFound;
      return { status: 200, body: this.installationBody(org!, app!, inst) };
    });

    this.route("POST", "/app/installations/{installation_id}/access_tokens", "jwt", ({ params, app, body }) => {
      const org = [...this.orgs.values()].find((o) => o.installation?.id === Number(params.installation_id));
      if (!org || org.installation!.appId !== app!.id) return notFound;
      // A narrowed token: only permissions the installation has, at most at its level.
      const asked = (body?.permissions ?? undefined) as Record<string, string> | undefined;
      const rank = (l: string | undefined) => ["read", "write", "admin"].indexOf(l ?? "") + 1;
      if (asked && Object.entries(asked).some(([n, l]) => rank(l) === 0 || rank(l) > rank(org.installation!.permissions[n]))) {
        return {
          status: 422,
          body: {
            message: "The permissions requested are not granted to this installation.",
            documentation_url: "https://docs.github.com/rest",
          },
        };
      }
      const token = this.issueToken(org.installation!.id);
      return {
        status: 201,
        body: {
          token,
          expires_at: new Date(Date.now() + 3_600_000).toISOString(),
          permissions: asked ?? org.installation!.permissions,
          repository_selection: org.installation!.repositorySelection,
        },
      };
    });

    this.route("GET", "/orgs/{org}/personal-access-token-requests", "installation", ({ org, query }) => {
      // The token_id filter as GitHub documents it: token_id[]=a&token_id[]=b (up to 50, which
      // the description's maxItems checks). A comma-joined or bracketless form is not documented.
      if (query.has("token_id") || query.getAll("token_id[]").some((v) => !/^\d+$/.test(v))) {
        return {
          status: 422,
          body: {
            message: "Validation Failed",
            documentation_url: "https://docs.github.com/rest",
            errors: [
              {
                resource: "PersonalAccessTokenRequest",
                code: "invalid",
                field: "token_id",
                message: "token_id must be given as token_id[]=ID, once per token",
              },
            ],
          },
        };
      }
      const refused = arrayFilterRefusal(query, "PersonalAccessTokenRequest");
      if (refused) return refused;
      const tokenIds = new Set(query.getAll("token_id[]").map(Number));
      const owners = new Set(query.getAll("owner[]").map((o) => o.toLowerCase()));
      const all = [...org!.requests.values()]
        .filter((r) => tokenIds.size === 0 || tokenIds.has(r.tokenId))
        .filter((r) => owners.size === 0 || owners.has(r.owner.toLowerCase()))
        .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id - b.id);
      const { page, headers } = this.paginate(all, query, `/orgs/${org!.login}/personal-access-token-requests`);
      return { status: 200, body: page.map((r) => this.requestBody(org!, r)), headers };
    });

    this.route(
      "GET",
      "/orgs/{org}/personal-access-token-requests/{pat_request_id}/repositories",
      "installation",
      ({ org, params, query }) => {
        const r = org!.requests.get(Number(params.pat_request_id));
        if (!r) return notFound;
        const { page, headers } = this.paginate(
          r.repositories,
          query,
          `/orgs/${org!.login}/personal-access-token-requests/${r.id}/repositories`,
        );
        return { status: 200, body: page.map((name) => this.repositoryBody(org!, name)), headers };
      },
    );

    const review = (org: OrgState, ids: number[], action: string, reason: string | null) => {
      // What GitHub does with an already-reviewed request is not documented: refuse the batch,
      // which is the strictest reading, so the client must cope with it.
      if (ids.some((id) => !org.requests.has(id))) {
        return {
          status: 422,
          body: {
            message: "Validation Failed",
            documentation_url: "https://docs.github.com/rest",
            errors: [{ resource: "PersonalAccessTokenRequest", code: "invalid", message: "One or more requests are no longer pending" }],
          },
        };
      }
      for (const id of ids) {
        const r = org.requests.get(id)!;
        org.requests.delete(id);
        if (action === "approve") {
          const grantId = this.id();
          org.grants.set(grantId, { ...r, id: grantId, accessGrantedAt: new Date().toISOString() });
        }
      }
      org.reviews.push({ ids, action, reason });
      return undefined;
    };

    this.route("POST", "/orgs/{org}/personal-access-token-requests", "installation", ({ org, body }) => {
      return review(org!, body.pat_request_ids, body.action, body.reason ?? null) ?? { status: 202, body: {} };
    });

    this.route("POST", "/orgs/{org}/personal-access-token-requests/{pat_request_id}", "installation", ({ org, params, body }) => {
      const id = Number(params.pat_request_id);
      if (!org!.requests.has(id)) return notFound;
      return review(org!, [id], body.action, body.reason ?? null) ?? { status: 204 };
    });

    this.route("GET", "/orgs/{org}/personal-access-tokens", "installation", ({ org, query, installationId }) => {
      if (lacks(org!, installationId, "organization_personal_access_tokens", "read")) return forbidden;
      const refused = arrayFilterRefusal(query, "PersonalAccessToken");
      if (refused) return refused;
      const tokenIds = new Set(query.getAll("token_id[]").map(Number));
      const owners = new Set(query.getAll("owner[]").map((o) => o.toLowerCase()));
      const all = [...org!.grants.values()]
        .filter((g) => tokenIds.size === 0 || tokenIds.has(g.tokenId))
        .filter((g) => owners.size === 0 || owners.has(g.owner.toLowerCase()))
        .sort((a, b) => a.accessGrantedAt.localeCompare(b.accessGrantedAt) || a.id - b.id);
      const { page, headers } = this.paginate(all, query, `/orgs/${org!.login}/personal-access-tokens`);
      return { status: 200, body: page.map((g) => this.grantBody(org!, g)), headers };
    });

    this.route("GET", "/orgs/{org}/teams/{team_slug}/members", "installation", ({ org, params, query, installationId }) => {
      // As GitHub: an installation without the members permission is refused; an unknown team is 404.
      const inst = [org!.installation, ...(org!.appInstallations?.values() ?? [])].find((i) => i?.id === installationId);
      if (!inst?.permissions.members)
        return {
          status: 403,
          body: { message: "Resource not accessible by integration", documentation_url: "https://docs.github.com/rest" },
        };
      const members = org!.teams?.get(params.team_slug.toLowerCase());
      if (!members) return notFound;
      const { page, headers } = this.paginate(members, query, `/orgs/${org!.login}/teams/${params.team_slug}/members`);
      return { status: 200, body: page.map((login) => simpleUser(login, 100_000 + (hash(login) % 900_000), this.url)), headers };
    });

    this.route("GET", "/orgs/{org}/personal-access-tokens/{pat_id}/repositories", "installation", ({ org, params, query }) => {
      const g = org!.grants.get(Number(params.pat_id));
      if (!g) return notFound;
      const { page, headers } = this.paginate(g.repositories, query, `/orgs/${org!.login}/personal-access-tokens/${g.id}/repositories`);
      return { status: 200, body: page.map((name) => this.repositoryBody(org!, name)), headers };
    });

    this.route("POST", "/app-manifests/{code}/conversions", "none", ({ params }) => {
      const found = this.conversions.get(params.code);
      if (!found) return notFound;
      const conv = this.conversionOverride ? this.conversionOverride(found) : found;
      this.conversions.delete(params.code); // one use, as on GitHub
      const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
      const pem = privateKey.export({ type: "pkcs1", format: "pem" }).toString();
      const id = this.id();
      const slug = String(conv.manifest.name)
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, "-");
      const app = this.addApp({
        id,
        slug,
        clientId: `Iv23li${randomBytes(6).toString("hex")}`,
        name: conv.manifest.name,
        publicKeyPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
        permissions: conv.manifest.default_permissions ?? {},
        events: conv.manifest.default_events ?? [],
        ownerLogin: conv.org,
      });
      this.createdAppKeys.set(id, pem);
      return {
        status: 201,
        body: {
          ...this.integrationBody(app),
          client_secret: randomBytes(20).toString("hex"),
          webhook_secret: conv.manifest.hook_attributes ? randomBytes(20).toString("hex") : null,
          pem,
        },
      };
    });

    this.route("GET", "/app", "jwt", ({ app }) => ({ status: 200, body: this.integrationBody(app!) }));

    this.route("GET", "/user", "user", ({ user }) => ({
      status: 200,
      body: {
        ...simpleUser(user!, 100_000 + (hash(user!) % 900_000), this.url),
        user_view_type: "public",
        name: null,
        company: null,
        blog: null,
        location: null,
        email: null,
        hireable: null,
        bio: null,
        public_repos: 0,
        public_gists: 0,
        followers: 0,
        following: 0,
        created_at: "2020-01-01T00:00:00Z",
        updated_at: "2026-01-01T00:00:00Z",
      },
    }));

    /** GitHub's answer when an installation lacks the App permission an endpoint needs. */
    const lacks = (org: OrgState, installationId: number | undefined, permission: string, level: "read" | "write") => {
      const inst =
        org.installation?.id === installationId
          ? org.installation
          : [...(org.appInstallations?.values() ?? [])].find((i) => i.id === installationId);
      if (!inst) return false; // not an installation token of this org (an owner's token)
      const have = inst.permissions[permission];
      return !(have === level || have === "write" || have === "admin");
    };
    const forbidden = {
      status: 403,
      body: { message: "Resource not accessible by integration", documentation_url: "https://docs.github.com/rest", status: "403" },
    };
    const publicKey = (org: OrgState, target: string, installationId: number | undefined) => {
      const permission = target === "actions" ? "organization_secrets" : target === "dependabot" ? "dependabot_secrets" : "secrets";
      if (lacks(org, installationId, permission, "read")) return forbidden;
      const k = org.publicKeys.get(target);
      return k ? { status: 200, body: { key_id: k.keyId, key: k.key } } : notFound;
    };
    this.route("GET", "/orgs/{org}/actions/secrets/public-key", "installation", ({ org, installationId }) =>
      publicKey(org!, "actions", installationId),
    );
    this.route("GET", "/orgs/{org}/dependabot/secrets/public-key", "installation", ({ org, installationId }) =>
      publicKey(org!, "dependabot", installationId),
    );
    this.route(
      "GET",
      "/repos/{owner}/{repo}/environments/{environment_name}/secrets/public-key",
      "installation",
      ({ org, params, installationId }) => publicKey(org!, `env:${params.repo}/${params.environment_name}`, installationId),
    );

    if (this.options.spec === "ghec") {
      // Enterprise Cloud only. An organization without it (auditLog absent) gets 404, as GitHub
      // answers (not documented; reported by users). Pages by cursor in the Link header.
      this.route("GET", "/orgs/{org}/audit-log", "installation", ({ org, query, installationId }) => {
        if (lacks(org!, installationId, "organization_administration", "read")) return forbidden;
        if (!org!.auditLog) return notFound;
        const terms = (query.get("phrase") ?? "")
          .split(/\s+/)
          .filter((t) => t.startsWith("action:"))
          .map((t) => t.slice("action:".length));
        const order = query.get("order") ?? "desc";
        const events = org!.auditLog
          .filter((e) => terms.length === 0 || terms.some((t) => e.action === t || e.action.startsWith(`${t}.`)))
          .sort((a, b) => (order === "asc" ? a["@timestamp"] - b["@timestamp"] : b["@timestamp"] - a["@timestamp"]));
        const perPage = Number(query.get("per_page") ?? 30);
        const start = query.get("after") ? Number(Buffer.from(query.get("after")!, "base64url").toString()) : 0;
        const page = events.slice(start, start + perPage);
        const headers: Record<string, string> = {};
        if (start + perPage < events.length) {
          const q = new URLSearchParams(query);
          q.set("after", Buffer.from(String(start + perPage)).toString("base64url"));
          headers.link = `<${this.url}/orgs/${org!.login}/audit-log?${q.toString()}>; rel="next"`;
        }
        return { status: 200, body: page, headers };
      });
      this.route("GET", "/orgs/{org}/credential-authorizations", "installation", ({ org, query, installationId }) => {
        if (lacks(org!, installationId, "organization_administration", "read")) return forbidden;
        if (!org!.credentialAuthorizations) return notFound;
        const login = query.get("login")?.toLowerCase();
        const all = org!.credentialAuthorizations.filter((a) => login === undefined || String(a.login).toLowerCase() === login);
        const { page, headers } = this.paginate(all, query, `/orgs/${org!.login}/credential-authorizations`);
        return { status: 200, body: page, headers };
      });
      // SSO revocation by credential type (2026): queued, answered 202. An organization without
      // SAML SSO (credentialAuthorizations absent) gets 404.
      const revokeType = (org: OrgState, installationId: number | undefined, credentialType: string, username?: string) => {
        if (lacks(org, installationId, "organization_administration", "write")) return forbidden;
        if (!org.credentialAuthorizations) return notFound;
        (org.credentialTypeRevocations ??= []).push({ credentialType, ...(username ? { username } : {}) });
        return { status: 202, body: { message: "Credential type revocation has been queued" } };
      };
      this.route("POST", "/orgs/{org}/credential-authorizations/revoke-credential-type", "installation", ({ org, body, installationId }) =>
        revokeType(org!, installationId, body.credential_type),
      );
      this.route(
        "POST",
        "/orgs/{org}/credential-authorizations/{username}/revoke-credential-type",
        "installation",
        ({ org, body, params, installationId }) => revokeType(org!, installationId, body.credential_type, params.username),
      );
      this.route("POST", "/enterprises/{enterprise}/apps/organizations/{org}/installations", "installation", ({ org, params, body }) => {
        if (org!.enterprise !== params.enterprise) return notFound;
        const app = [...this.apps.values()].find((a) => a.clientId === body.client_id);
        if (!app)
          return {
            status: 422,
            body: {
              message: "Validation Failed",
              documentation_url: "https://docs.github.com/rest",
              errors: [{ resource: "Installation", code: "invalid", field: "client_id" }],
            },
          };
        if (org!.appInstallations?.has(app.id))
          return { status: 200, body: this.installationBody(org!, app, org!.appInstallations.get(app.id)!) };
        const inst = {
          id: this.id(),
          appId: app.id,
          repositorySelection: body.repository_selection === "selected" ? ("selected" as const) : ("all" as const),
          repositories: [...(body.repositories ?? [])],
          permissions: app.permissions,
          events: app.events,
        };
        org!.appInstallations = org!.appInstallations ?? new Map();
        org!.appInstallations.set(app.id, inst);
        return { status: 201, body: this.installationBody(org!, app, inst) };
      });
      this.route(
        "PATCH",
        "/enterprises/{enterprise}/apps/organizations/{org}/installations/{installation_id}/repositories/add",
        "installation",
        ({ org, params, body }) => {
          if (org!.enterprise !== params.enterprise) return notFound;
          const inst = [...(org!.appInstallations?.values() ?? [])].find((i) => i.id === Number(params.installation_id));
          if (!inst) return notFound;
          for (const name of body.repositories as string[]) if (!inst.repositories.includes(name)) inst.repositories.push(name);
          return {
            status: 200,
            body: inst.repositories.map((name) => ({
              id: hash(`${org!.login}/${name}`) % 1_000_000_000,
              name,
              full_name: `${org!.login}/${name}`,
            })),
          };
        },
      );
    }

    this.route("GET", "/installation/repositories", "installation", ({ installationId, query }) => {
      const org = [...this.orgs.values()].find(
        (o) => o.installation?.id === installationId || [...(o.appInstallations?.values() ?? [])].some((i) => i.id === installationId),
      );
      const inst =
        org?.installation?.id === installationId
          ? org!.installation!
          : [...(org?.appInstallations?.values() ?? [])].find((i) => i.id === installationId);
      if (!org || !inst) return notFound;
      const { page, headers } = this.paginate(inst.repositories, query, "/installation/repositories");
      return {
        status: 200,
        body: {
          total_count: inst.repositories.length,
          repository_selection: inst.repositorySelection,
          repositories: page.map((n) => this.fullRepositoryBody(org, n)),
        },
        headers,
      };
    });

    const timestamps = { created_at: "2026-11-01T00:00:00Z", updated_at: "2026-11-01T00:00:00Z" };
    const secretRoutes = (kind: "actions" | "dependabot", store: (o: OrgState) => OrgState["secrets"]) => {
      this.route("GET", `/orgs/{org}/${kind}/secrets/{secret_name}`, "installation", ({ org, params }) => {
        const sec = store(org!)?.get(params.secret_name);
        if (!sec) return notFound;
        return {
          status: 200,
          body: {
            name: params.secret_name,
            ...timestamps,
            ...(sec.updatedAt ? { updated_at: sec.updatedAt } : {}),
            visibility: sec.visibility,
            ...(sec.visibility === "selected"
              ? { selected_repositories_url: `${this.url}/orgs/${org!.login}/${kind}/secrets/${params.secret_name}/repositories` }
              : {}),
          },
        };
      });
      this.route("GET", `/orgs/{org}/${kind}/secrets/{secret_name}/repositories`, "installation", ({ org, params, query }) => {
        const sec = store(org!)?.get(params.secret_name);
        if (!sec) return notFound;
        const { page, headers } = this.paginate(
          sec.repositories,
          query,
          `/orgs/${org!.login}/${kind}/secrets/${params.secret_name}/repositories`,
        );
        return {
          status: 200,
          body: { total_count: sec.repositories.length, repositories: page.map((n) => this.repositoryBody(org!, n)) },
          headers,
        };
      });
    };
    secretRoutes("actions", (o) => o.secrets);
    secretRoutes("dependabot", (o) => o.dependabotSecrets);
    this.route("GET", "/orgs/{org}/actions/variables/{name}", "installation", ({ org, params }) => {
      const v = org!.variables?.get(params.name);
      if (!v) return notFound;
      return {
        status: 200,
        body: {
          name: params.name,
          value: v.value,
          ...timestamps,
          visibility: v.visibility,
          ...(v.visibility === "selected"
            ? { selected_repositories_url: `${this.url}/orgs/${org!.login}/actions/variables/${params.name}/repositories` }
            : {}),
        },
      };
    });
    this.route("GET", "/orgs/{org}/actions/variables/{name}/repositories", "installation", ({ org, params, query }) => {
      const v = org!.variables?.get(params.name);
      if (!v) return notFound;
      const { page, headers } = this.paginate(v.repositories, query, `/orgs/${org!.login}/actions/variables/${params.name}/repositories`);
      return {
        status: 200,
        body: { total_count: v.repositories.length, repositories: page.map((n) => this.repositoryBody(org!, n)) },
        headers,
      };
    });

    // Membership, as GitHub answers an App with `members: read`: 404 for anyone who is neither a
    // member nor invited (an outside collaborator included).
    this.route("GET", "/orgs/{org}/memberships/{username}", "installation", ({ org, params, installationId }) => {
      if (lacks(org!, installationId, "members", "read")) return forbidden;
      const m = org!.members?.get(params.username.toLowerCase());
      if (!m) return notFound;
      return {
        status: 200,
        body: {
          url: `${this.url}/orgs/${org!.login}/memberships/${m.login}`,
          state: m.state,
          role: m.role,
          organization_url: `${this.url}/orgs/${org!.login}`,
          organization: this.organizationSimpleBody(org!),
          user: simpleUser(m.login, 100_000 + (hash(m.login) % 900_000), this.url),
        },
      };
    });
    this.route("GET", "/orgs/{org}/outside_collaborators", "installation", ({ org, query, installationId }) => {
      if (lacks(org!, installationId, "members", "read")) return forbidden;
      const { page, headers } = this.paginate(org!.outsideCollaborators ?? [], query, `/orgs/${org!.login}/outside_collaborators`);
      return { status: 200, body: page.map((login) => simpleUser(login, 100_000 + (hash(login) % 900_000), this.url)), headers };
    });

    this.route("POST", "/orgs/{org}/personal-access-tokens", "installation", ({ org, body }) => {
      const ids: number[] = body.pat_ids;
      if (ids.some((id) => !org!.grants.has(id))) {
        return {
          status: 422,
          body: {
            message: "Validation Failed",
            documentation_url: "https://docs.github.com/rest",
            errors: [{ resource: "PersonalAccessToken", code: "invalid", message: "One or more tokens are not granted" }],
          },
        };
      }
      for (const id of ids) org!.grants.delete(id);
      org!.revocations.push(ids);
      return { status: 202, body: {} };
    });
  }

  /**
   * The stand-in for GitHub's new-App page (a web page, not the API, so not in the OpenAPI
   * description). A POST with a `manifest` form field registers the App as an owner's click
   * would, and redirects to the manifest's `redirect_url` with a one-time code and the state.
   */
  private newAppPage(method: string, login: string, url: URL, raw: string, res: ServerResponse): void {
    const page = (status: number, text: string) => {
      res.writeHead(status, { "content-type": "text/html; charset=utf-8" });
      res.end(`<!doctype html><title>GitHub stand-in</title><p>${text.replace(/</g, "&lt;")}</p>`);
    };
    if (method !== "POST") return page(200, "Post a manifest here.");
    const manifestText = new URLSearchParams(raw).get("manifest");
    let manifest: Record<string, any>;
    try {
      manifest = JSON.parse(manifestText ?? "");
    } catch {
      return page(422, "Invalid GitHub App configuration: the manifest is not JSON.");
    }
    const state = url.searchParams.get("state");
    this.manifestPosts.push({ org: login, state, manifest });
    if (!this.orgs.has(login.toLowerCase())) return page(404, "Organization not found.");
    if (typeof manifest.url !== "string" || typeof manifest.name !== "string")
      return page(422, "Invalid GitHub App configuration: name and url are required.");
    if (typeof manifest.redirect_url !== "string")
      return page(422, "Invalid GitHub App configuration: redirect_url is required for this flow.");
    const code = randomBytes(10).toString("hex");
    this.conversions.set(code, { org: login, manifest });
    const target = new URL(manifest.redirect_url);
    target.searchParams.set("code", code);
    if (state !== null) target.searchParams.set("state", state);
    res.writeHead(302, { location: target.toString() });
    res.end();
  }

  /**
   * GitHub's OAuth web flow for an App, as GitHub documents it: `GET /login/oauth/authorize`
   * (the signed-in user's consent, which redirects to `redirect_uri` with a one-time `code` and the
   * `state`), and `POST /login/oauth/access_token` (the code, the client id and secret; a JSON
   * answer when asked, an `error` with status 200 for a bad code, as GitHub answers).
   */
  private oauthPage(method: string, url: URL, raw: string, contentType: string, res: ServerResponse): void {
    const json = (body: unknown) => {
      res.writeHead(200, { "content-type": "application/json; charset=utf-8" });
      res.end(JSON.stringify(body));
    };
    if (url.pathname === "/login/oauth/authorize") {
      const clientId = url.searchParams.get("client_id") ?? "";
      if (method !== "GET" || ![...this.apps.values()].some((a) => a.clientId === clientId)) {
        res.writeHead(404, { "content-type": "text/html; charset=utf-8" });
        return void res.end("<!doctype html><p>Not Found</p>");
      }
      if (!this.oauth.signedIn) {
        res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
        return void res.end("<!doctype html><title>Sign in to GitHub</title><p>Sign in to GitHub</p>");
      }
      const redirectUri = url.searchParams.get("redirect_uri");
      const code = randomBytes(10).toString("hex");
      this.oauth.codes.set(code, { login: this.oauth.signedIn, clientId, redirectUri });
      const target = new URL(redirectUri ?? "http://127.0.0.1/");
      target.searchParams.set("code", code);
      const state = url.searchParams.get("state");
      if (state !== null) target.searchParams.set("state", state);
      res.writeHead(302, { location: target.toString() });
      return void res.end();
    }
    if (method !== "POST") {
      res.writeHead(404);
      return void res.end();
    }
    let form: Record<string, string>;
    try {
      form = contentType.includes("json")
        ? (JSON.parse(raw || "{}") as Record<string, string>)
        : Object.fromEntries(new URLSearchParams(raw));
    } catch {
      return json({ error: "bad_request", error_description: "The body is not JSON." });
    }
    const found = this.oauth.codes.get(form.code ?? "");
    if (!found) return json({ error: "bad_verification_code", error_description: "The code passed is incorrect or expired." });
    this.oauth.codes.delete(form.code); // one use, as on GitHub
    if (found.clientId !== form.client_id || this.oauth.clientSecrets.get(found.clientId) !== form.client_secret)
      return json({ error: "incorrect_client_credentials", error_description: "The client_id and/or client_secret passed are incorrect." });
    if (form.redirect_uri !== undefined && form.redirect_uri !== found.redirectUri)
      return json({ error: "redirect_uri_mismatch", error_description: "The redirect_uri MUST match the registered callback URL." });
    const token = `ghu_${randomBytes(18).toString("base64url")}`;
    this.oauth.userTokens.set(token, found.login);
    return json({ access_token: token, token_type: "bearer", scope: "" });
  }

  /** An App as GitHub's integration schema has it. */
  integrationBody(app: AppState): Record<string, unknown> {
    const owner = this.orgs.get(app.ownerLogin.toLowerCase());
    return {
      id: app.id,
      slug: app.slug,
      node_id: `A_${app.id}`,
      client_id: app.clientId,
      owner: { ...simpleUser(app.ownerLogin, owner?.id ?? 1, this.url), type: "Organization" },
      name: app.name,
      description: null,
      external_url: `https://github.com/${app.ownerLogin}`,
      html_url: `https://github.com/apps/${app.slug}`,
      created_at: "2026-11-01T00:00:00Z",
      updated_at: "2026-11-01T00:00:00Z",
      permissions: app.permissions,
      events: app.events,
    };
  }

  /** What an owner's click on the install page does: installs the App on the organization. */
  /** Adds (or replaces) a team of `login` with these members. */
  addTeam(login: string, slug: string, members: string[]): void {
    const org = this.orgs.get(login.toLowerCase())!;
    (org.teams ??= new Map()).set(slug.toLowerCase(), members);
  }

  installAppOn(login: string, appId: number, repositorySelection: "all" | "selected" = "all"): number {
    const org = this.orgs.get(login.toLowerCase())!;
    const app = this.apps.get(appId)!;
    const inst = { id: this.id(), appId, repositorySelection, repositories: [], permissions: app.permissions, events: app.events };
    org.appInstallations = org.appInstallations ?? new Map();
    org.appInstallations.set(appId, inst);
    return inst.id;
  }

  /** Sets an organization's (or environment's) secret-encryption public key, base64. */
  setPublicKey(login: string, target: string, key: string, keyId = String(this.id())): void {
    this.orgs.get(login.toLowerCase())!.publicKeys.set(target, { keyId, key });
  }

  /** A pending request as GitHub's organization-programmatic-access-grant-request schema has it. */
  requestBody(org: OrgState, r: PatRequestState): Record<string, unknown> {
    return {
      id: r.id,
      reason: r.reason,
      owner: simpleUser(r.owner, 100_000 + (hash(r.owner) % 900_000), this.url),
      repository_selection: r.repositorySelection,
      repositories_url: `${this.url}/organizations/${org.id}/personal-access-token-requests/${r.id}/repositories`,
      permissions: r.permissions,
      created_at: r.createdAt,
      token_id: r.tokenId,
      token_name: r.tokenName,
      token_expired: r.tokenExpiresAt !== null && Date.parse(r.tokenExpiresAt) < Date.now(),
      token_expires_at: r.tokenExpiresAt,
      token_last_used_at: null,
    };
  }

  /**
   * The `personal_access_token_request` `created` delivery GitHub sends the App for a pending
   * request, checked against the description's webhook schema (a violation is recorded).
   */
  deliveryPayload(login: string, requestId: number): Record<string, unknown> {
    const org = this.orgs.get(login)!;
    const r = org.requests.get(requestId)!;
    const payload = {
      action: "created",
      personal_access_token_request: {
        id: r.id,
        owner: simpleUser(r.owner, 100_000 + (hash(r.owner) % 900_000), this.url),
        permissions_added: r.permissions,
        permissions_upgraded: {},
        permissions_result: r.permissions,
        repository_selection: r.repositorySelection,
        repository_count: r.repositorySelection === "subset" ? r.repositories.length : null,
        repositories:
          r.repositorySelection === "subset"
            ? r.repositories.map((n) => {
                const repo = this.repositoryBody(org, n) as { id: number; node_id: string };
                return { id: repo.id, name: n, full_name: `${org.login}/${n}`, node_id: repo.node_id, private: true };
              })
            : null,
        created_at: r.createdAt,
        token_id: r.tokenId,
        token_name: r.tokenName,
        token_expired: false,
        token_expires_at: r.tokenExpiresAt,
        token_last_used_at: null,
      },
      organization: this.organizationSimpleBody(org),
      sender: simpleUser(r.owner, 100_000 + (hash(r.owner) % 900_000), this.url),
      installation: { id: org.installation?.id ?? 0, node_id: `I_${org.installation?.id ?? 0}` },
    };
    for (const p of this.checker.webhookProblems("webhook-personal-access-token-request-created", payload))
      this.violations.push(`delivery: ${p}`);
    return payload;
  }

  /** An organization as GitHub's organization-simple schema has it. */
  organizationSimpleBody(org: OrgState): Record<string, unknown> {
    return {
      login: org.login,
      id: org.id,
      node_id: `O_${org.id}`,
      url: `${this.url}/orgs/${org.login}`,
      repos_url: `${this.url}/orgs/${org.login}/repos`,
      events_url: `${this.url}/orgs/${org.login}/events`,
      hooks_url: `${this.url}/orgs/${org.login}/hooks`,
      issues_url: `${this.url}/orgs/${org.login}/issues`,
      members_url: `${this.url}/orgs/${org.login}/members{/member}`,
      public_members_url: `${this.url}/orgs/${org.login}/public_members{/member}`,
      avatar_url: "https://avatars.example/o",
      description: null,
    };
  }

  /** Adds (or replaces) a membership: `pending` is an invitation not yet accepted. */
  addMember(
    login: string,
    member: string,
    role: "admin" | "member" | "billing_manager" = "member",
    state: "active" | "pending" = "active",
  ): void {
    const org = this.orgs.get(login.toLowerCase())!;
    (org.members ??= new Map()).set(member.toLowerCase(), { login: member, state, role });
  }

  /** A granted token as GitHub's organization-programmatic-access-grant schema has it. */
  grantBody(org: OrgState, g: GrantState): Record<string, unknown> {
    return {
      id: g.id,
      owner: simpleUser(g.owner, 100_000 + (hash(g.owner) % 900_000), this.url),
      repository_selection: g.repositorySelection,
      repositories_url: `${this.url}/organizations/${org.id}/personal-access-tokens/${g.id}/repositories`,
      permissions: g.permissions,
      access_granted_at: g.accessGrantedAt,
      token_id: g.tokenId,
      token_name: g.tokenName,
      token_expired: g.tokenExpiresAt !== null && Date.parse(g.tokenExpiresAt) < Date.now(),
      token_expires_at: g.tokenExpiresAt,
      token_last_used_at: g.lastUsedAt ?? null,
    };
  }

  /** An installation as GitHub's installation schema has it. */
  installationBody(org: OrgState, app: AppState, inst = org.installation!): Record<string, unknown> {
    return {
      id: inst.id,
      account: { ...simpleUser(org.login, org.id, this.url), type: "Organization" },
      repository_selection: inst.repositorySelection,
      access_tokens_url: `${this.url}/app/installations/${inst.id}/access_tokens`,
      repositories_url: `${this.url}/installation/repositories`,
      html_url: `https://github.com/organizations/${org.login}/settings/installations/${inst.id}`,
      app_id: app.id,
      client_id: app.clientId,
      target_id: org.id,
      target_type: "Organization",
      permissions: inst.permissions,
      events: inst.events,
      created_at: "2026-01-01T00:00:00Z",
      updated_at: "2026-01-01T00:00:00Z",
      single_file_name: null,
      app_slug: app.slug,
      suspended_by: null,
      suspended_at: null,
    };
  }

  /** A repository as GitHub's full repository schema has it. */
  fullRepositoryBody(org: OrgState, name: string): Record<string, unknown> {
    const base = this.repositoryBody(org, name);
    return {
      ...base,
      ...FULL_REPOSITORY_EXTRA,
      clone_url: `https://github.com/${org.login}/${name}.git`,
      git_url: `git://github.com/${org.login}/${name}.git`,
      ssh_url: `git@github.com:${org.login}/${name}.git`,
      svn_url: `https://github.com/${org.login}/${name}`,
    };
  }

  /** A repository as GitHub's minimal-repository schema has it. */
  repositoryBody(org: OrgState, name: string): Record<string, unknown> {
    const id = hash(`${org.login}/${name}`) % 1_000_000_000;
    const api = `${this.url}/repos/${org.login}/${name}`;
    const owner = { ...simpleUser(org.login, org.id, this.url), type: "Organization" };
    const urls = Object.fromEntries(
      [
        "archive",
        "assignees",
        "blobs",
        "branches",
        "collaborators",
        "comments",
        "commits",
        "compare",
        "contents",
        "contributors",
        "deployments",
        "downloads",
        "events",
        "forks",
        "git_commits",
        "git_refs",
        "git_tags",
        "hooks",
        "issue_comment",
        "issue_events",
        "issues",
        "keys",
        "labels",
        "languages",
        "merges",
        "milestones",
        "notifications",
        "pulls",
        "releases",
        "stargazers",
        "statuses",
        "subscribers",
        "subscription",
        "tags",
        "teams",
        "trees",
      ].map((k) => [`${k}_url`, `${api}/${k}`]),
    );
    return {
      id,
      node_id: `R_${id}`,
      name,
      full_name: `${org.login}/${name}`,
      owner,
      private: true,
      html_url: `https://github.com/${org.login}/${name}`,
      description: null,
      fork: false,
      url: api,
      ...urls,
    };
  }
}

/** Extra fields of GitHub's full repository schema beyond the minimal one. */
const FULL_REPOSITORY_EXTRA = {
  default_branch: "main",
  forks: 0,
  forks_count: 0,
  has_downloads: true,
  has_issues: true,
  has_projects: false,
  has_wiki: false,
  has_pages: false,
  homepage: null,
  language: null,
  archived: false,
  disabled: false,
  mirror_url: null,
  open_issues: 0,
  open_issues_count: 0,
  license: null,
  pushed_at: "2026-11-01T00:00:00Z",
  size: 1,
  stargazers_count: 0,
  watchers: 0,
  watchers_count: 0,
  created_at: "2026-01-01T00:00:00Z",
  updated_at: "2026-11-01T00:00:00Z",
};

/**
 * GitHub's 422 for an array filter of the token listings (`owner`, `token_id`) given in a form it
 * does not document: a bare name (Octokit joins arrays with commas) or a token id that is not a
 * number. GitHub documents `owner[]=a&owner[]=b`.
 */
function arrayFilterRefusal(query: URLSearchParams, resource: string): { status: number; body: unknown } | undefined {
  const bad = query.has("owner")
    ? "owner"
    : query.has("token_id") || query.getAll("token_id[]").some((v) => !/^\d+$/.test(v))
      ? "token_id"
      : undefined;
  if (!bad) return undefined;
  return {
    status: 422,
    body: {
      message: "Validation Failed",
      documentation_url: "https://docs.github.com/rest",
      errors: [{ resource, code: "invalid", field: bad, message: `${bad} must be given as ${bad}[]=VALUE, once per value` }],
    },
  };
}

function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619) >>> 0;
  return h;
}

/** A stateless installation token: `ghs_` and a JWT-shaped body (unsigned here), about 520 characters. */
function statelessToken(installationId: number): string {
  const part = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");
  const payload = { iss: "stand-in", installation_id: installationId, nonce: randomBytes(160).toString("base64url") };
  return `ghs_${part({ alg: "RS256", typ: "JWT" })}.${part(payload)}.${randomBytes(96).toString("base64url")}`;
}
