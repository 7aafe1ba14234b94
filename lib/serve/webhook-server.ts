/**
 * The approval policy on GitHub's `personal_access_token_request` webhook, for every
 * organization of the config, each through its own App. A request is decided seconds after it
 * is made, not at the next scheduled sweep.
 *
 * The door holds against volume, slowness and lookalikes: headers are checked before a byte of
 * the body is read (signature, event and delivery headers, a JSON content type, a declared
 * length within the cap, and with `hookRanges` the sender's address); the body is counted while
 * it streams; connections, bodies and bytes in flight are bounded globally and per peer
 * (`./connection-table`); a request whose headers or body are not whole within
 * `requestTimeoutMs`, a connection idle between requests for 5 s or silent for `idleTimeoutMs`,
 * is cut, and a connection that errs or is refused is destroyed, never left half-closed. The
 * signature is checked on the raw bytes, then the JSON and the few fields read. Every accepted
 * delivery gets 202 at once.
 *
 * A delivery is a trigger, not a record: the batch it joins is read again from GitHub and
 * decided by the review engine (`./decide-batch`). Deliveries are deduplicated by delivery id
 * (case-insensitive) and by organization, request id and action, in a bounded memory with a time
 * to live, so a redelivery or a replay costs no call. A periodic sweep decides whatever a lost
 * delivery left pending. `/healthz` reports per organization whether its App can sign, checked
 * at most once a minute. With `pages`, a `GET` under `/member/` is the member pages'.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import type { OrganizationConfig } from "../config/schema";
import { describeGitHubError, isGitHubError } from "../github/errors";
import { applyReviews } from "../review/apply";
import { runReview, type ReviewRun } from "../review/run";
import { BulkWriter } from "./bulk-writer";
import { ConnectionTable, DrainRate, type BodyInFlight } from "./connection-table";
import { decideBatch, type BatchOutcome, type OrganizationSession, type QueuedRequest } from "./decide-batch";
import { readDelivery, TOKEN_REQUEST_EVENT } from "./delivery";
import { safe, stdoutLog, type LogLine } from "./log";
import { HookRanges } from "./hook-ranges";
import { RecentKeys } from "./recent-keys";
import { RefusalLog } from "./refusal-log";
import { SIGNATURE_HEADER, signatureValid } from "./signature";

export type { LogLine } from "./log";
export type { OrganizationSession } from "./decide-batch";

/** GitHub's cap on a delivery's payload; `maxBodyBytes` may not exceed it. */
export const MAX_DELIVERY_BYTES = 25 * 1024 * 1024;

/** The default cap on a body: a token request delivery is a few kilobytes. */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/** How long an idle connection is kept between two requests, in ms. */
const KEEP_ALIVE_MS = 5_000;

/** How long a refused connection may take to receive its answer before it is destroyed anyway, in ms. */
const ANSWER_GRACE_MS = 1_000;

/** The most of one body held in memory (and of a token request delivery, read at all). */
const HELD_MAX_BYTES = DEFAULT_MAX_BODY_BYTES;

/** How fast bodies read only to be thrown away are read, all together: 16 MiB a second. */
const DRAIN_BYTES_PER_SECOND = 16 * 1024 * 1024;

/** GitHub's bulk limit: a batch is decided as soon as it holds this many requests. */
const BATCH_MAX = 100;

/** Batches of one organization read and decided at once. */
const BATCHES_IN_FLIGHT = 4;

/** Options of {@link WebhookServer}. */
export interface WebhookServerOptions {
  /** The organizations served, from the config. */
  readonly organizations: readonly OrganizationConfig[];
  /** The webhook secret GitHub signs deliveries with (checked by the caller). */
  readonly webhookSecret: string;
  /** Apply decisions; otherwise only log them. @default false */
  readonly apply?: boolean;
  /** The organization's own App installation: a client and the installation's id. */
  readonly sessionFor: (org: OrganizationConfig) => Promise<OrganizationSession>;
  /** Whether the organization's App credentials can sign a JWT (for `/healthz`). */
  readonly canSign: (org: OrganizationConfig) => Promise<boolean>;
  /** Where log lines go. @default one JSON line on stdout */
  readonly log?: (line: LogLine) => void;
  /** How long deliveries are gathered before one batch is decided, in ms. @default 200 */
  readonly coalesceMs?: number;
  /** Minutes between sweeps; 0 for none after the first. @default 15 */
  readonly sweepMinutes?: number;
  /** Keys (delivery ids, requests) remembered for deduplication. @default 50000 */
  readonly dedupeMaxKeys?: number;
  /** How long a delivery id or request is remembered, in ms. @default 3600000 (one hour) */
  readonly dedupeTtlMs?: number;
  /**
   * Largest body accepted, in bytes; at most GitHub's 25 MiB. Whatever it says, a token request
   * delivery is refused past 1 MiB, and no body holds more than 1 MiB of memory: another event
   * (ignored in any case) whose body passes 1 MiB is drained, at 16 MiB/s for all such bodies
   * together, and acknowledged unread (or cut at `requestTimeoutMs`). @default 1048576 (1 MiB)
   */
  readonly maxBodyBytes?: number;
  /** Connections held at once; more are dropped on arrival. @default 1024 */
  readonly maxConnections?: number;
  /** Connections of one peer (an IPv4 address, an IPv6 /64) held at once; more are dropped on arrival (not for GitHub's addresses, with `hookRanges`). @default 128 */
  readonly maxConnectionsPerPeer?: number;
  /**
   * Bodies being read at once; when all are taken, a new one still gets in and the oldest body
   * of the peer holding the most is cut with 503. @default 64
   */
  readonly maxBodiesInFlight?: number;
  /** Bodies of one peer being read at once; more get 503 before their body is read (not for GitHub's addresses, with `hookRanges`). @default 32 */
  readonly maxBodiesInFlightPerPeer?: number;
  /**
   * Bytes of all bodies held while being read, together; a chunk that would pass it cuts the body
   * holding the most with 503. At least what one body holds. @default 16777216 (16 MiB)
   */
  readonly maxBodyBytesInFlight?: number;
  /** Time for a request's headers, and for the whole request, in ms. @default 10000 */
  readonly requestTimeoutMs?: number;
  /** A connection with no traffic either way for this long is cut, in ms. @default 10000 */
  readonly idleTimeoutMs?: number;
  /**
   * Reads GitHub's webhook source ranges (`GET /meta`, `hooks`, of every host served): when set,
   * a delivery from outside them gets 403 before its body is read (`/healthz` answers anyone).
   * Read before listening, then every `hookRangesRefreshMs`. @default no restriction
   */
  readonly hookRanges?: () => Promise<readonly string[]>;
  /** Time between reads of the hook ranges, in ms. @default 3600000 (one hour) */
  readonly hookRangesRefreshMs?: number;
  /** On close: how long open connections may finish before they are cut, in ms (at most 10 s). @default 10000 */
  readonly shutdownGraceMs?: number;
  /** How long a signing check of `/healthz` is reused, in ms. @default 60000 */
  readonly healthCacheMs?: number;
  /** Refused requests, and duplicates, logged whole per minute; the rest are counted. @default 20 */
  readonly refusalLinesPerMinute?: number;
  /**
   * The member pages (`./member-pages`): a `GET` under `/member/` goes to them, from any address,
   * and gets 404 when they do not serve it. @default none: 404
   */
  readonly pages?: (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;
}

/** The webhook server: `listen`, then `close` on SIGTERM. */
export class WebhookServer {
  /** The HTTP server. */
  public readonly server: Server;
  private readonly orgs = new Map<string, OrganizationConfig>();
  private readonly recent: RecentKeys;
  private readonly queues = new Map<string, Map<number, QueuedRequest>>();
  /** Batches being decided, per organization. */
  private readonly busy = new Map<string, number>();
  /** Batches being read from GitHub, per organization. */
  private readonly reading = new Map<string, Set<Promise<unknown>>>();
  /** Each organization's merged writes. */
  private readonly writers = new Map<string, BulkWriter>();
  private readonly health = new Map<string, { at: number; ok: Promise<boolean> }>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly refusals: RefusalLog;
  private readonly duplicates: RefusalLog;
  private readonly ignored: RefusalLog;
  private readonly log: (line: LogLine) => void;
  private readonly maxBody: number;
  /** Connections, bodies and bytes in flight, globally and per peer. */
  readonly connections: ConnectionTable;
  private readonly ranges?: HookRanges;
  /** Bodies drained unread share this rate, so that no number of senders can make serve busy reading them. */
  private readonly drain = new DrainRate(DRAIN_BYTES_PER_SECOND);
  private timer?: NodeJS.Timeout;
  private sweepTimer?: NodeJS.Timeout;
  private closing = false;

  constructor(private readonly options: WebhookServerOptions) {
    for (const o of options.organizations) this.orgs.set(o.login.toLowerCase(), o);
    this.maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
    if (!(Number.isInteger(this.maxBody) && this.maxBody >= 1024 && this.maxBody <= MAX_DELIVERY_BYTES)) {
      throw new RangeError(
        `WebhookServer: maxBodyBytes must be a whole number from 1024 to ${MAX_DELIVERY_BYTES} (GitHub's cap), got ${options.maxBodyBytes}`,
      );
    }
    if ((options.shutdownGraceMs ?? 0) > 10_000)
      throw new RangeError(`WebhookServer: shutdownGraceMs must be at most 10000, got ${options.shutdownGraceMs}`);
    this.recent = new RecentKeys({ maxKeys: options.dedupeMaxKeys ?? 50_000, ttlMs: options.dedupeTtlMs ?? 3_600_000 });
    this.log = options.log ?? stdoutLog;
    if (options.hookRanges)
      this.ranges = new HookRanges({ read: options.hookRanges, refreshMs: options.hookRangesRefreshMs, log: this.log });
    this.refusals = new RefusalLog({ log: this.log, perWindow: options.refusalLinesPerMinute ?? 20, windowMs: 60_000 });
    this.ignored = new RefusalLog({
      log: this.log,
      perWindow: options.refusalLinesPerMinute ?? 20,
      windowMs: 60_000,
      droppedEvent: "ignored-dropped",
    });
    this.duplicates = new RefusalLog({
      log: this.log,
      perWindow: options.refusalLinesPerMinute ?? 20,
      windowMs: 60_000,
      droppedEvent: "duplicates-dropped",
    });
    const bytesInFlight = options.maxBodyBytesInFlight ?? 16 * 1024 * 1024;
    const held = Math.min(this.maxBody, HELD_MAX_BYTES);
    if (!(Number.isInteger(bytesInFlight) && bytesInFlight >= held))
      throw new RangeError(
        `WebhookServer: maxBodyBytesInFlight must be at least what one body holds (${held} bytes), got ${bytesInFlight}`,
      );
    this.connections = new ConnectionTable({
      maxConnections: options.maxConnections ?? 1024,
      maxConnectionsPerPeer: options.maxConnectionsPerPeer ?? 128,
      maxBodiesInFlight: options.maxBodiesInFlight ?? 64,
      maxBodiesInFlightPerPeer: options.maxBodiesInFlightPerPeer ?? 32,
      maxBodyBytesInFlight: bytesInFlight,
      exempt: (address) => this.ranges?.allows(address) ?? false,
    });
    const timeout = options.requestTimeoutMs ?? 10_000;
    this.server = createServer(
      {
        requestTimeout: timeout,
        headersTimeout: timeout,
        keepAliveTimeout: KEEP_ALIVE_MS,
        connectionsCheckingInterval: Math.min(1_000, timeout),
      },
      (req, res) => {
        try {
          this.handle(req, res);
        } catch (e) {
          this.failed(res, e);
        }
      },
    );
    // Silent connections (a client that neither sends nor reads) are destroyed by Node on timeout.
    this.server.timeout = options.idleTimeoutMs ?? 10_000;
    this.server.on("connection", (socket: Socket) => {
      if (!this.connections.admit(socket)) socket.destroy();
    });
    // A malformed or timed-out request, or a reset connection, is the client's problem: answer
    // if possible, then destroy the connection (ended only, it would stay half-open for as long
    // as the client likes).
    this.server.on("clientError", (e: NodeJS.ErrnoException, socket: Socket) => {
      const status =
        e.code === "ERR_HTTP_REQUEST_TIMEOUT"
          ? "408 Request Timeout"
          : e.code === "HPE_HEADER_OVERFLOW"
            ? "431 Request Header Fields Too Large"
            : "400 Bad Request";
      if (e.code === "ERR_HTTP_REQUEST_TIMEOUT")
        this.refusals.refused({ event: "delivery-refused", status: 408, reason: "request not complete within the timeout" });
      if (socket.writable && !socket.destroyed) {
        socket.end(`HTTP/1.1 ${status}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
        destroyWhenAnswered(socket);
      } else socket.destroy();
    });
  }

  /** Starts listening, then sweeps every organization once and every `sweepMinutes`. */
  async listen(port: number, host: string): Promise<string> {
    await this.ranges?.start();
    await new Promise<void>((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(port, host, resolve);
    });
    const a = this.server.address() as AddressInfo;
    const url = `http://${a.family === "IPv6" ? `[${a.address}]` : a.address}:${a.port}`;
    this.log({ event: "listening", url, apply: Boolean(this.options.apply), organizations: this.orgs.size, maxBodyBytes: this.maxBody });
    this.track(this.sweep());
    const minutes = this.options.sweepMinutes ?? 15;
    if (minutes > 0) this.sweepTimer = setInterval(() => this.track(this.sweep()), minutes * 60_000);
    return url;
  }

  /**
   * Stops accepting; decides what was received; lets open requests finish for the grace period,
   * then cuts every connection; resolves when nothing is left.
   */
  async close(): Promise<void> {
    this.closing = true;
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    this.ranges?.stop();
    const closed = new Promise<void>((r) => this.server.close(() => r()));
    this.server.closeIdleConnections();
    const grace = setTimeout(() => this.server.closeAllConnections(), this.options.shutdownGraceMs ?? 10_000);
    await this.settle();
    await closed;
    clearTimeout(grace);
    // Deliveries whose bodies ended during the grace period.
    await this.settle();
    this.refusals.endWindow();
    this.duplicates.endWindow();
    this.ignored.endWindow();
    this.log({ event: "stopped" });
  }

  private async settle(): Promise<void> {
    this.flush();
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight]);
  }

  private track(p: Promise<void>): void {
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p));
  }

  private send(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
    if (res.headersSent) return;
    res.writeHead(status, { "content-type": "text/plain; charset=utf-8", connection: this.closing ? "close" : "keep-alive", ...headers });
    res.end(body + "\n");
  }

  /** Answers and drops the connection, so that no more of the body is read. */
  private refuse(req: IncomingMessage, res: ServerResponse, status: number, body: string, reason: string, delivery?: string): void {
    this.refusals.refused({ event: "delivery-refused", status, delivery, reason });
    destroyWhenAnswered(req.socket);
    this.send(res, status, body, { connection: "close" });
  }

  private failed(res: ServerResponse, e: unknown): void {
    this.log({ event: "internal-error", reason: safe((e as Error)?.message ?? String(e)) });
    this.send(res, 500, "internal error");
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const path = (req.url ?? "/").split("?")[0];
    if (req.method === "GET" && path === "/healthz") {
      this.healthz().then(
        ({ status, body }) => this.send(res, status, JSON.stringify(body), { "content-type": "application/json" }),
        (e) => this.failed(res, e),
      );
      return;
    }
    const pages = this.options.pages;
    if (pages && req.method === "GET" && path.startsWith("/member/")) {
      pages(req, res).then(
        (served) => served || this.send(res, 404, "not found"),
        (e) => this.failed(res, e),
      );
      return;
    }
    if (req.method !== "POST" || path !== "/webhook") return this.refuse(req, res, 404, "not found", "not the webhook path");
    if (this.closing) return this.refuse(req, res, 503, "stopping", "stopping");
    if (this.ranges && !this.ranges.allows(req.socket.remoteAddress))
      return this.refuse(req, res, 403, "not from GitHub's hook addresses", "sender outside GitHub's hook ranges");

    // Everything that can be refused from the headers is refused before the body is read.
    const h = req.headers;
    const signature = typeof h["x-hub-signature-256"] === "string" ? h["x-hub-signature-256"] : "";
    const event = typeof h["x-github-event"] === "string" ? h["x-github-event"] : "";
    const delivery = typeof h["x-github-delivery"] === "string" ? h["x-github-delivery"].toLowerCase() : "";
    if (!SIGNATURE_HEADER.test(signature))
      return this.refuse(req, res, 401, "signature missing or malformed", "no X-Hub-Signature-256 of the form sha256=<64 hex>");
    if (!/^[a-z_]{1,64}$/.test(event)) return this.refuse(req, res, 400, "event header missing or malformed", "no X-GitHub-Event");
    if (!/^[0-9a-f-]{8,64}$/.test(delivery))
      return this.refuse(req, res, 400, "delivery header missing or malformed", "no X-GitHub-Delivery id");
    if (!/^application\/json\s*(;|$)/i.test(h["content-type"] ?? ""))
      return this.refuse(req, res, 415, "content type must be application/json", "not JSON", delivery);
    // A token request delivery is a few kilobytes: whatever `maxBodyBytes` says, no more than
    // HELD_MAX_BYTES of one is read. Another event is ignored whatever its body: past
    // HELD_MAX_BYTES, its body is drained (so that the sender sees an answer, not a reset),
    // neither kept nor hashed, and acknowledged.
    const cap = event === TOKEN_REQUEST_EVENT ? Math.min(this.maxBody, HELD_MAX_BYTES) : this.maxBody;
    const declared = h["content-length"] === undefined ? undefined : Number(h["content-length"]);
    if (declared !== undefined && !(declared <= cap))
      return this.refuse(req, res, 413, `payload over ${cap} bytes`, "declared length over the cap", delivery);

    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    const stop = () => {
      refused = true;
      chunks.length = 0;
      body?.end();
    };
    const body: BodyInFlight | undefined = this.connections.startBody(req.socket.remoteAddress, (why) => {
      stop();
      this.refuse(req, res, 503, "busy, try again", why, delivery);
    });
    if (!body) return this.refuse(req, res, 503, "busy, try again", "too many bodies in flight from this sender", delivery);
    req.on("close", stop);
    req.on("error", stop);
    req.on("data", (c: Buffer) => {
      if (refused) return;
      size += c.length;
      if (size > cap) {
        stop();
        this.refuse(req, res, 413, `payload over ${cap} bytes`, "body over the cap", delivery);
      } else if (size > HELD_MAX_BYTES) {
        if (chunks.length) {
          body.add(-chunks.reduce((n, k) => n + k.length, 0));
          chunks.length = 0;
        }
        const wait = this.drain.take(c.length);
        if (wait) {
          req.pause();
          setTimeout(() => req.resume(), wait).unref();
        }
      } else if (body.add(c.length)) chunks.push(c);
    });
    req.on("end", () => {
      body.end();
      if (refused) return;
      if (size > HELD_MAX_BYTES) {
        this.ignored.refused({ event: "delivery-ignored", delivery, type: event, reason: `over ${HELD_MAX_BYTES} bytes, not read` });
        return this.send(res, 202, "accepted");
      }
      try {
        this.received(res, Buffer.concat(chunks), signature, event, delivery);
      } catch (e) {
        this.failed(res, e);
      }
    });
  }

  /** A whole body: signature on the raw bytes, then JSON, then the fields read. */
  private received(res: ServerResponse, body: Buffer, signature: string, event: string, delivery: string): void {
    const receivedAt = Date.now();
    const refuse = (status: number, text: string, reason: string) => {
      this.refusals.refused({ event: "delivery-refused", status, delivery, reason });
      this.send(res, status, text);
    };
    if (!signatureValid(this.options.webhookSecret, body, signature)) return refuse(401, "signature wrong", "wrong signature");
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString("utf8"));
    } catch {
      return refuse(400, "body is not JSON", "body is not JSON");
    }
    const read = readDelivery(event, parsed);
    if ("problem" in read) return refuse(400, `not a delivery GitHub sends: ${read.problem}`, safe(read.problem));
    if (!this.recent.add(`delivery:${delivery}`)) {
      this.duplicates.refused({ event: "delivery-duplicate", delivery, reason: "delivery id already received" });
      return this.send(res, 202, "already received");
    }
    const t = read.trigger;
    const org = t.kind === "token-request" ? this.orgs.get(t.org.toLowerCase()) : undefined;
    if (t.kind !== "token-request" || t.action !== "created" || !org) {
      this.log({
        event: "delivery-ignored",
        delivery,
        type: event,
        action: safe(t.action ?? ""),
        org: t.kind === "token-request" ? safe(t.org) : undefined,
      });
      return this.send(res, 202, "accepted");
    }
    const requestKey = this.requestKey(org, t.requestId, t.action);
    if (!this.recent.add(requestKey)) {
      this.duplicates.refused({
        event: "delivery-duplicate",
        delivery,
        org: org.login,
        request: t.requestId,
        reason: "request already received",
      });
      return this.send(res, 202, "already received");
    }
    this.send(res, 202, "accepted");
    this.log({ event: "delivery", delivery, org: org.login, request: t.requestId });
    let queue = this.queues.get(org.login);
    if (!queue) this.queues.set(org.login, (queue = new Map()));
    queue.set(t.requestId, { delivery, receivedAt, requestId: t.requestId, tokenId: t.tokenId, installationId: t.installationId });
    // With every batch slot taken, this one waits for a slot and goes in the next batch.
    if ((this.busy.get(org.login) ?? 0) < BATCHES_IN_FLIGHT) this.schedule(queue);
  }

  /** Flushes when the queue is full or closing, else when its oldest delivery has waited `coalesceMs`. */
  private schedule(queue: Map<number, QueuedRequest>): void {
    if (queue.size >= BATCH_MAX || this.closing) return this.flush();
    if (this.timer) return;
    const oldest = queue.values().next().value as QueuedRequest;
    this.timer = setTimeout(() => this.flush(), Math.max(0, oldest.receivedAt + (this.options.coalesceMs ?? 200) - Date.now()));
  }

  /** Forgets a delivery and its request, so that they can be received again. */
  private forget(org: OrganizationConfig, q: QueuedRequest): void {
    this.recent.delete(`delivery:${q.delivery}`);
    this.recent.delete(this.requestKey(org, q.requestId, "created"));
  }

  private requestKey(org: OrganizationConfig, requestId: number, action: string): string {
    return `request:${org.login.toLowerCase()}:${requestId}:${action}`;
  }

  /**
   * Decides what is queued, in batches of up to 100 per organization, at most
   * {@link BATCHES_IN_FLIGHT} of an organization being read at once: what arrives beyond waits and
   * joins the next batch. Batches are read and decided side by side; a batch's slot is free once
   * it is read, while its decisions wait for their write, merged with the others'
   * ({@link BulkWriter}), so that spaced writes never hold up reading.
   */
  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    for (const [login, queue] of this.queues) {
      while (queue.size && (this.busy.get(login) ?? 0) < BATCHES_IN_FLIGHT) {
        const batch = [...queue.values()].slice(0, BATCH_MAX);
        for (const q of batch) queue.delete(q.requestId);
        this.busy.set(login, (this.busy.get(login) ?? 0) + 1);
        let freed = false;
        const free = () => {
          if (freed) return;
          freed = true;
          this.busy.set(login, this.busy.get(login)! - 1);
          if (queue.size) this.schedule(queue);
        };
        this.track(this.decide(this.orgs.get(login.toLowerCase())!, batch, free).finally(free));
      }
    }
  }

  /** Reads and decides `batch`, calls `read` (its slot is free), then writes its decisions. */
  private async decide(org: OrganizationConfig, batch: QueuedRequest[], read: () => void): Promise<void> {
    const started = Date.now();
    let outcomes: BatchOutcome[];
    let session: OrganizationSession;
    const reading = this.reading.get(org.login) ?? new Set<Promise<unknown>>();
    this.reading.set(org.login, reading);
    try {
      session = await this.options.sessionFor(org);
      const decided = decideBatch(session, org, batch);
      reading.add(decided);
      outcomes = await decided.finally(() => reading.delete(decided));
    } catch (e) {
      read();
      const reason = isGitHubError(e) ? describeGitHubError(e) : (e as Error).message;
      // Not lost: a redelivery is decided again, and the next sweep lists what is still pending.
      for (const q of batch) {
        this.forget(org, q);
        this.log({
          event: "decision-failed",
          delivery: q.delivery,
          org: org.login,
          request: q.requestId,
          reason,
          ms: Date.now() - q.receivedAt,
        });
      }
      return;
    }
    read();
    const decided = outcomes.flatMap((o) => ("decision" in o ? [o.decision] : []));
    const readAt = Date.now();
    let failure: string | undefined;
    if (this.options.apply && decided.some((d) => d.action !== "leave")) {
      let writer = this.writers.get(org.login);
      // Writes wait for the batches being read, and hold what is past a whole hundred while more
      // is on its way (for at most coalesceMs): one bulk call per 100 ids, not one per batch.
      if (!writer)
        this.writers.set(
          org.login,
          (writer = new BulkWriter((decisions) => applyReviews({ client: session.client, login: org.login, decisions }), {
            reading: () => [...reading],
            queued: () => (this.queues.get(org.login)?.size ?? 0) > 0,
            holdMs: this.options.coalesceMs ?? 200,
          })),
        );
      await writer.add(decided).catch((e) => (failure = isGitHubError(e) ? describeGitHubError(e) : (e as Error).message));
    }
    // Where the time went: waiting in the queue (from the oldest receipt), reading and deciding, writing.
    this.log({
      event: "batch",
      org: org.login,
      requests: batch.length,
      pending: decided.length,
      queuedMs: started - Math.min(...batch.map((q) => q.receivedAt)),
      readMs: readAt - started,
      writeMs: Date.now() - readAt,
      ms: Date.now() - started,
    });
    for (const o of outcomes) {
      const q = o.queued;
      if ("skipped" in o) {
        // A delivery naming another installation was not looked up: the real one may follow.
        if (o.skipped === "other-installation") this.forget(org, q);
        // Not pending when read (a delivery sent ahead of its request, say): only its delivery id
        // stays remembered, so the real delivery of that request is not taken for a duplicate.
        else this.recent.delete(this.requestKey(org, q.requestId, "created"));
        this.log({
          event: "decision",
          delivery: q.delivery,
          org: org.login,
          request: q.requestId,
          outcome: o.skipped,
          ms: Date.now() - q.receivedAt,
        });
        continue;
      }
      const d = o.decision;
      const outcome =
        d.outcome === "already-decided"
          ? d.outcome
          : d.action === "leave"
            ? "left"
            : this.options.apply
              ? (d.outcome ?? "failed")
              : "dry-run";
      // What may not have been written can be received again.
      if (outcome === "failed" || outcome === "unknown" || outcome === "not-sent") this.forget(org, q);
      this.log({
        event: "decision",
        delivery: q.delivery,
        org: org.login,
        request: d.requestId,
        action: d.action,
        decidedBy: d.decidedBy,
        outcome,
        reason: outcome === "failed" || outcome === "unknown" ? (d.outcomeReason ?? failure) : undefined,
        ms: Date.now() - q.receivedAt,
      });
    }
  }

  /** 200 when every organization's App can sign and the server is not stopping; 503 otherwise. */
  private async healthz(): Promise<{ status: number; body: Record<string, unknown> }> {
    const now = Date.now();
    const organizations: Record<string, string> = {};
    for (const org of this.orgs.values()) {
      let h = this.health.get(org.login);
      if (!h || now - h.at >= (this.options.healthCacheMs ?? 60_000)) {
        h = { at: now, ok: this.options.canSign(org).catch(() => false) };
        this.health.set(org.login, h);
      }
      organizations[org.login] = (await h.ok) ? "ok" : "cannot sign as the App";
    }
    const ok = Object.values(organizations).every((v) => v === "ok");
    const status = this.closing ? "stopping" : ok ? "ok" : "degraded";
    return { status: status === "ok" ? 200 : 503, body: { status, organizations } };
  }

  /**
   * Runs the review engine for every organization as `review --apply` does (a dry run without
   * `apply`), except that of granted tokens only unused ones are revoked, under
   * `revokeUnusedAfterDays`: `revokeNonCompliant` is left to `review`. One `sweep` line per
   * organization, one `sweep-unused` line when it checks granted tokens (with `held` and
   * `reason` when the brake held every revocation: the sweep has no way past it), `sweep-failed`
   * when a stage fails.
   */
  private async sweep(): Promise<void> {
    for (const org of this.orgs.values()) {
      if (this.closing) return;
      const started = Date.now();
      let run: ReviewRun;
      try {
        const { client } = await this.options.sessionFor(org);
        run = await runReview({ client, org, apply: this.options.apply, grants: "unused", applyReviewsFirst: true });
      } catch (e) {
        this.log({ event: "sweep-failed", org: org.login, reason: isGitHubError(e) ? describeGitHubError(e) : (e as Error).message });
        continue;
      }
      const stage = run.failure?.stage;
      const { decisions, revocations } = run;
      if (stage !== "decide" && stage !== "apply-reviews") {
        const n = (a: string) => decisions.filter((d) => d.action === a).length;
        this.log({
          event: "sweep",
          org: org.login,
          pending: decisions.length,
          approve: n("approve"),
          deny: n("deny"),
          leave: n("leave"),
          applied: decisions.filter((d) => d.outcome === "applied").length,
          ms: Date.now() - started,
        });
      }
      if (run.grantsChecked && !run.failure) {
        const revoked = revocations.filter((r) => r.outcome === "applied").length;
        this.log({
          event: "sweep-unused",
          org: org.login,
          revoke: revocations.length,
          revoked,
          unreadable: run.unreadableGrants.length,
          apply: Boolean(this.options.apply),
          // The brake (review.massRevocation) holds them all; the sweep never passes it: an
          // operator checks the list and runs review --apply --allow-mass-revoke.
          ...(run.held ? { held: revocations.length, limit: run.held.limit, reason: run.held.message } : {}),
          ms: Date.now() - started,
        });
      }
      if (run.failure) this.log({ event: "sweep-failed", org: org.login, reason: run.failure.message });
    }
  }
}

/**
 * Destroys `socket` once its answer is handed to the system, or after {@link ANSWER_GRACE_MS}
 * when a client that does not read keeps it from going out.
 */
function destroyWhenAnswered(socket: Socket): void {
  const timer = setTimeout(() => socket.destroy(), ANSWER_GRACE_MS);
  timer.unref();
  const done = () => {
    clearTimeout(timer);
    socket.destroy();
  };
  if (socket.writableFinished) return done();
  socket.once("finish", done);
  socket.once("close", () => clearTimeout(timer));
}
