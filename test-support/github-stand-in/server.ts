/**
 * A local stand-in for GitHub's REST API, on 127.0.0.1 only, for tests and benchmarks. Every
 * request is checked against GitHub's OpenAPI description before it is served (what GitHub
 * would refuse gets GitHub's 422 and is recorded in `rejections`), and every response the
 * stand-in sends is checked too (a mismatch is recorded in `violations`, which tests assert
 * empty), so the stand-in cannot drift from the real API.
 *
 * State is small and in memory: Apps with their public keys, organizations with their
 * installation, pending PAT requests and granted tokens. Faults are injected per operation.
 *
 * This file keeps the state, authentication, faults, the checks and the dispatch. The routes are
 * in `routes/`, one module per API area (`meta`, `apps`, `pat`, `secrets`, `members`, `oauth`;
 * what they share in `routes/kit.ts`), the answers' bodies in `bodies.ts`, and the Terraform
 * provider's operations in `provider-routes.ts`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createPublicKey, createVerify, randomBytes, type KeyObject } from "node:crypto";
import type { AddressInfo } from "node:net";
import { OpenApiChecker, type SpecName } from "./openapi";
import * as bodies from "./bodies";
import type { Answer, HandlerContext } from "./routes/kit";
import { addMetaRoutes } from "./routes/meta";
import { addAppRoutes, newAppPage } from "./routes/apps";
import { addPatRoutes } from "./routes/pat";
import { addSecretRoutes } from "./routes/secrets";
import { addMemberRoutes } from "./routes/members";
import { addUserRoutes, oauthPage } from "./routes/oauth";

export { simpleUser } from "./bodies";

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
  handle: (ctx: HandlerContext) => Answer;
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

  /** Manifest codes the new-App page issued and not yet converted: what each converts into. */
  readonly conversions = new Map<string, { org: string; manifest: Record<string, any> }>();

  private readonly faults: (Fault & { left: number; skip: number })[] = [];
  private readonly routes: Route[] = [];
  private readonly checker: OpenApiChecker;
  private server?: Server;
  private nextId = 1000;

  private constructor(private readonly options: StandInOptions) {
    this.checker = OpenApiChecker.for(this.spec);
    this.registerRoutes();
  }

  /** The description this stand-in checks against. */
  get spec(): SpecName {
    return this.options.spec ?? "api.github.com";
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

  /** The operations served, `METHOD /template`, in the order a request's path is matched against them. */
  get operations(): string[] {
    return this.routes.map((r) => `${r.method} ${r.template}`);
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
    if (web) return newAppPage(this, method, decodeURIComponent(web[1]), url, raw, res);
    if (url.pathname === "/login/oauth/authorize" || url.pathname === "/login/oauth/access_token")
      return oauthPage(this, method, url, raw, req.headers["content-type"] ?? "", res);
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

  /** One page of `items` (`per_page`, `page`) with the `link` header GitHub sends, for `path`. */
  paginate<T>(items: T[], query: URLSearchParams, path: string): { page: T[]; headers: Record<string, string> } {
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

  /** Adds the routes of every API area (each module adds one area's operations). */
  private registerRoutes(): void {
    addMetaRoutes(this);
    addAppRoutes(this);
    addPatRoutes(this);
    addSecretRoutes(this);
    addMemberRoutes(this);
    addUserRoutes(this);
  }

  /** Adds (or replaces) a team of `login` with these members. */
  addTeam(login: string, slug: string, members: string[]): void {
    const org = this.orgs.get(login.toLowerCase())!;
    (org.teams ??= new Map()).set(slug.toLowerCase(), members);
  }

  /** What an owner's click on the install page does: installs the App on the organization. */
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

  /**
   * The `personal_access_token_request` `created` delivery GitHub sends the App for a pending
   * request, checked against the description's webhook schema (a violation is recorded).
   */
  deliveryPayload(login: string, requestId: number): Record<string, unknown> {
    const org = this.orgs.get(login)!;
    const payload = bodies.patRequestCreatedDelivery(this.url, org, org.requests.get(requestId)!);
    for (const p of this.checker.webhookProblems("webhook-personal-access-token-request-created", payload))
      this.violations.push(`delivery: ${p}`);
    return payload;
  }

  /** An App as GitHub's integration schema has it. */
  integrationBody(app: AppState): Record<string, unknown> {
    return bodies.integrationBody(this.url, app, this.orgs.get(app.ownerLogin.toLowerCase())?.id ?? 1);
  }

  /** A pending request as GitHub's organization-programmatic-access-grant-request schema has it. */
  requestBody(org: OrgState, r: PatRequestState): Record<string, unknown> {
    return bodies.requestBody(this.url, org, r);
  }

  /** A granted token as GitHub's organization-programmatic-access-grant schema has it. */
  grantBody(org: OrgState, g: GrantState): Record<string, unknown> {
    return bodies.grantBody(this.url, org, g);
  }

  /** An organization as GitHub's organization-simple schema has it. */
  organizationSimpleBody(org: OrgState): Record<string, unknown> {
    return bodies.organizationSimpleBody(this.url, org);
  }

  /** An installation as GitHub's installation schema has it. */
  installationBody(org: OrgState, app: AppState, inst = org.installation!): Record<string, unknown> {
    return bodies.installationBody(this.url, org, app, inst);
  }

  /** A repository as GitHub's full repository schema has it. */
  fullRepositoryBody(org: OrgState, name: string): Record<string, unknown> {
    return bodies.fullRepositoryBody(this.url, org, name);
  }

  /** A repository as GitHub's minimal-repository schema has it. */
  repositoryBody(org: OrgState, name: string): Record<string, unknown> {
    return bodies.repositoryBody(this.url, org, name);
  }
}

/** A stateless installation token: `ghs_` and a JWT-shaped body (unsigned here), about 520 characters. */
function statelessToken(installationId: number): string {
  const part = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");
  const payload = { iss: "stand-in", installation_id: installationId, nonce: randomBytes(160).toString("base64url") };
  return `ghs_${part({ alg: "RS256", typ: "JWT" })}.${part(payload)}.${randomBytes(96).toString("base64url")}`;
}
