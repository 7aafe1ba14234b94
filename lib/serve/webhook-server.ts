/**
 * The approval policy on GitHub's `personal_access_token_request` webhook: a request is decided
 * seconds after it is made, not at the next scheduled sweep. The handler verifies the signature
 * on the raw bytes before it parses anything, answers 202 at once, and hands the request to the
 * review engine (`lib/review`), which decides it exactly as `review` does and applies decisions
 * in bulk with the same fault handling. Deliveries that arrive together are coalesced into one
 * bulk call per (organization, action, reason); a redelivery is acknowledged and not decided
 * again; a periodic sweep decides whatever a lost delivery left pending.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { evaluate, type ApprovalPolicy, type TokenAccess } from "../approval/evaluate";
import type { OrganizationConfig } from "../config/schema";
import type { GitHubClient } from "../github/client";
import { describeGitHubError, isGitHubError } from "../github/errors";
import { applyReviews, applyRevocations, type ReviewItem } from "../review/apply";
import { checkGrants, decidePending, type DecisionRecord, type RevocationRecord, type UnreadableGrant } from "../review/decide";
import { GONE, PAGE, repositoryNames } from "../review/listing";

/** GitHub's cap on a delivery's payload. */
export const MAX_DELIVERY_BYTES = 25 * 1024 * 1024;

/** One structured log line: never a token, key, signature or secret. */
export type LogLine = Record<string, string | number | boolean | null | undefined> & { readonly event: string };

/** Options of {@link WebhookServer}. */
export interface WebhookServerOptions {
  /** The organizations served, from the config. */
  readonly organizations: readonly OrganizationConfig[];
  /** The webhook secret GitHub signs deliveries with. */
  readonly webhookSecret: string;
  /** Apply decisions; otherwise only log them. @default false */
  readonly apply?: boolean;
  /** A client for one organization's installation (the payload's installation id, when it has one). */
  readonly clientFor: (org: OrganizationConfig, installationId?: number) => Promise<GitHubClient>;
  /** Whether the App's credentials can sign a JWT (for `/healthz`). */
  readonly canSign: () => Promise<boolean>;
  /** Where log lines go. @default one JSON line on stdout */
  readonly log?: (line: LogLine) => void;
  /** How long deliveries are gathered before one bulk decision. @default 200 */
  readonly coalesceMs?: number;
  /** Minutes between sweeps; 0 for none after the first. @default 15 */
  readonly sweepMinutes?: number;
  /** Delivery ids remembered, for redeliveries. @default 10000 */
  readonly deliveryCacheSize?: number;
}

interface Pending {
  readonly delivery: string;
  readonly receivedAt: number;
  readonly access: TokenAccess;
  readonly repositories?: string[];
  readonly installationId?: number;
}

/** Verifies GitHub's `X-Hub-Signature-256` over the raw body, in constant time. */
export function signatureValid(secret: string, body: Buffer, header: string | undefined): boolean {
  if (!header || !/^sha256=[0-9a-f]{64}$/.test(header)) return false;
  const expected = Buffer.from(`sha256=${createHmac("sha256", secret).update(body).digest("hex")}`);
  const given = Buffer.from(header);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Signs a body as GitHub does (for tests and the benchmark's deliveries). */
export function signBody(secret: string, body: string | Buffer): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

/** A bounded set of recent delivery ids: the oldest is forgotten first. */
class RecentIds {
  private readonly ids = new Set<string>();
  constructor(private readonly max: number) {}
  /** Adds `id`; false when it was already there. */
  add(id: string): boolean {
    if (this.ids.has(id)) return false;
    this.ids.add(id);
    if (this.ids.size > this.max) this.ids.delete(this.ids.values().next().value as string);
    return true;
  }
  get size(): number {
    return this.ids.size;
  }
}

/** The webhook server: `listen`, then `close` on SIGTERM. */
export class WebhookServer {
  /** The HTTP server. */
  public readonly server: Server;
  private readonly orgs = new Map<string, OrganizationConfig>();
  private readonly seen: RecentIds;
  private readonly queues = new Map<string, Map<number, Pending>>();
  private timer?: NodeJS.Timeout;
  private sweepTimer?: NodeJS.Timeout;
  private readonly inFlight = new Set<Promise<void>>();
  private closing = false;
  private readonly log: (line: LogLine) => void;

  constructor(private readonly options: WebhookServerOptions) {
    for (const o of options.organizations) this.orgs.set(o.login.toLowerCase(), o);
    this.seen = new RecentIds(options.deliveryCacheSize ?? 10_000);
    this.log = options.log ?? ((line) => process.stdout.write(JSON.stringify({ time: new Date().toISOString(), ...line }) + "\n"));
    this.server = createServer((req, res) => this.handle(req, res));
  }

  /** Starts listening, then sweeps every organization once and every `sweepMinutes`. */
  async listen(port: number, host: string): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(port, host, resolve);
    });
    const a = this.server.address() as AddressInfo;
    const url = `http://${a.family === "IPv6" ? `[${a.address}]` : a.address}:${a.port}`;
    this.log({ event: "listening", url, apply: Boolean(this.options.apply), organizations: this.orgs.size });
    this.track(this.sweep());
    const minutes = this.options.sweepMinutes ?? 15;
    if (minutes > 0) this.sweepTimer = setInterval(() => this.track(this.sweep()), minutes * 60_000);
    return url;
  }

  /** Stops accepting, finishes what is in flight, and resolves when nothing is left. */
  async close(): Promise<void> {
    this.closing = true;
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    const closed = new Promise<void>((r) => this.server.close(() => r()));
    this.server.closeIdleConnections();
    this.flush();
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight]);
    await closed;
    this.log({ event: "stopped" });
  }

  private track(p: Promise<void>): void {
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const send = (status: number, body: string) => {
      res.writeHead(status, { "content-type": "text/plain; charset=utf-8", connection: this.closing ? "close" : "keep-alive" });
      res.end(body + "\n");
    };
    const path = (req.url ?? "/").split("?")[0];
    if (req.method === "GET" && path === "/healthz") {
      void this.options.canSign().then(
        (ok) => send(ok && !this.closing ? 200 : 503, ok ? (this.closing ? "stopping" : "ok") : "cannot sign as the App"),
        () => send(503, "cannot sign as the App"),
      );
      return;
    }
    if (req.method !== "POST" || path !== "/webhook") return send(404, "not found");
    if (this.closing) return send(503, "stopping");
    const refuse = () => {
      // Answer, then drop the connection rather than read 25 MB more.
      res.once("finish", () => req.socket.destroy());
      send(413, "payload over 25 MB");
    };
    const declared = Number(req.headers["content-length"] ?? "0");
    if (declared > MAX_DELIVERY_BYTES) return refuse();
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > MAX_DELIVERY_BYTES && !refused) {
        refused = true;
        refuse();
      } else if (!refused) chunks.push(c);
    });
    req.on("end", () => {
      if (refused) return;
      const receivedAt = Date.now();
      const body = Buffer.concat(chunks);
      const delivery = String(req.headers["x-github-delivery"] ?? "");
      const event = String(req.headers["x-github-event"] ?? "");
      // Signature first, on the raw bytes: nothing of an unsigned body is read.
      if (!signatureValid(this.options.webhookSecret, body, req.headers["x-hub-signature-256"] as string | undefined)) {
        this.log({ event: "delivery-refused", delivery: safe(delivery), reason: "missing or wrong signature" });
        return send(401, "signature missing or wrong");
      }
      let payload: Record<string, any>;
      try {
        payload = JSON.parse(body.toString("utf8"));
      } catch {
        this.log({ event: "delivery-refused", delivery: safe(delivery), reason: "body is not JSON" });
        return send(400, "body is not JSON");
      }
      if (!/^[0-9a-f-]{8,64}$/i.test(delivery)) {
        this.log({ event: "delivery-refused", reason: "no X-GitHub-Delivery id" });
        return send(400, "no delivery id");
      }
      if (!this.seen.add(delivery)) {
        this.log({ event: "delivery-duplicate", delivery });
        return send(202, "already received");
      }
      send(202, "accepted");
      this.accept(delivery, event, payload, receivedAt);
    });
  }

  /** Queues a created request of a served organization; logs and ignores the rest. */
  private accept(delivery: string, event: string, payload: Record<string, any>, receivedAt: number): void {
    const login = typeof payload.organization?.login === "string" ? payload.organization.login : undefined;
    const org = login ? this.orgs.get(login.toLowerCase()) : undefined;
    if (event !== "personal_access_token_request" || payload.action !== "created" || !org) {
      this.log({ event: "delivery-ignored", delivery, type: safe(event), action: safe(String(payload.action ?? "")), org: login ? safe(login) : undefined });
      return;
    }
    const r = payload.personal_access_token_request ?? {};
    if (!Number.isInteger(r.id)) {
      this.log({ event: "delivery-ignored", delivery, org: org.login, reason: "no request id" });
      return;
    }
    const access: TokenAccess = {
      id: r.id,
      owner: r.owner?.login,
      tokenName: r.token_name,
      repositorySelection: r.repository_selection,
      permissions: r.permissions_result,
      since: r.created_at,
      tokenExpiresAt: r.token_expires_at,
    };
    const repositories = r.repository_selection === "subset" && Array.isArray(r.repositories) && r.repositories.every((x: any) => typeof x?.name === "string") ? r.repositories.map((x: any) => x.name as string) : undefined;
    const installationId = Number.isInteger(payload.installation?.id) ? (payload.installation.id as number) : undefined;
    this.log({ event: "delivery", delivery, org: org.login, request: r.id });
    let queue = this.queues.get(org.login);
    if (!queue) this.queues.set(org.login, (queue = new Map()));
    queue.set(r.id, { delivery, receivedAt, access, repositories, installationId });
    if (queue.size >= PAGE) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), this.options.coalesceMs ?? 200);
  }

  /** Decides and applies everything queued, one batch per organization. */
  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    for (const [login, queue] of this.queues) {
      if (!queue.size) continue;
      const batch = [...queue.values()];
      queue.clear();
      this.track(this.decideBatch(this.orgs.get(login.toLowerCase())!, batch));
    }
  }

  private async decideBatch(org: OrganizationConfig, batch: Pending[]): Promise<void> {
    const policy: ApprovalPolicy = { patPolicy: org.patPolicy, approval: org.approval };
    let client: GitHubClient | undefined;
    try {
      client = await this.options.clientFor(org, batch.find((p) => p.installationId)?.installationId);
      const items: (ReviewItem & { pending: Pending; rule: string })[] = [];
      for (const p of batch) {
        let e = evaluate(p.access, policy, p.repositories);
        if ("needsRepositories" in e) {
          const names = await repositoryNames(client, "request", org.login, p.access.id);
          if (names === GONE) {
            this.log({ event: "decision", delivery: p.delivery, org: org.login, request: p.access.id, outcome: "already-decided" });
            continue;
          }
          e = evaluate(p.access, policy, names);
        }
        if (!("decided" in e)) throw new Error("evaluate asked for repositories twice");
        items.push({ requestId: p.access.id, action: e.decided.action, reason: e.decided.reason, rule: e.decided.rule, pending: p });
      }
      if (this.options.apply) await applyReviews(client, org.login, items);
      for (const d of items) {
        this.log({
          event: "decision",
          delivery: d.pending.delivery,
          org: org.login,
          request: d.requestId,
          action: d.action,
          rule: d.rule,
          outcome: d.action === "leave" ? "left" : this.options.apply ? (d.outcome ?? "unknown") : "dry-run",
          ms: Date.now() - d.pending.receivedAt,
        });
      }
    } catch (e) {
      const reason = isGitHubError(e) ? describeGitHubError(e) : (e as Error).message;
      // Not lost: the next sweep lists what is still pending and decides it.
      for (const p of batch) this.log({ event: "decision-failed", delivery: p.delivery, org: org.login, request: p.access.id, reason, ms: Date.now() - p.receivedAt });
    }
  }

  /** Revokes an organization's unused granted tokens (a dry run without `apply`); one log line. */
  private async revokeUnused(client: GitHubClient, org: OrganizationConfig): Promise<void> {
    const started = Date.now();
    const found: { revocations: RevocationRecord[]; unreadableGrants: UnreadableGrant[] } = { revocations: [], unreadableGrants: [] };
    await checkGrants(client, org.login, { patPolicy: org.patPolicy, approval: org.approval }, found, undefined, { nonCompliant: false, unusedAfterDays: org.approval.revokeUnusedAfterDays });
    if (this.options.apply) await applyRevocations(client, org.login, found.revocations);
    const revoked = found.revocations.filter((r) => r.outcome === "applied").length;
    this.log({ event: "sweep-unused", org: org.login, revoke: found.revocations.length, revoked, unreadable: found.unreadableGrants.length, apply: Boolean(this.options.apply), ms: Date.now() - started });
  }

  /** The same sweep as `review --apply` (a dry run without `apply`), for every organization. */
  private async sweep(): Promise<void> {
    for (const org of this.orgs.values()) {
      if (this.closing) return;
      const started = Date.now();
      const decisions: DecisionRecord[] = [];
      try {
        const client = await this.options.clientFor(org);
        await decidePending(client, org.login, { patPolicy: org.patPolicy, approval: org.approval }, decisions);
        if (this.options.apply) await applyReviews(client, org.login, decisions);
        const n = (a: string) => decisions.filter((d) => d.action === a).length;
        this.log({ event: "sweep", org: org.login, pending: decisions.length, approve: n("approve"), deny: n("deny"), leave: n("leave"), applied: decisions.filter((d) => d.outcome === "applied").length, ms: Date.now() - started });
        if (org.approval.revokeUnusedAfterDays !== undefined) await this.revokeUnused(client, org);
      } catch (e) {
        this.log({ event: "sweep-failed", org: org.login, reason: isGitHubError(e) ? describeGitHubError(e) : (e as Error).message });
      }
    }
  }
}

/** A header value fit for a log line: short, printable. */
function safe(v: string): string {
  return v.replace(/[^\x20-\x7e]/g, "?").slice(0, 100);
}
