/**
 * `serve` end to end: signed deliveries from the test (built from the stand-in's own requests and
 * checked against GitHub's webhook schema), decisions applied to the OpenAPI-checked stand-in.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { spawn } from "node:child_process";
import { request as httpRequest } from "node:http";
import { join } from "node:path";
import { serve } from "../../cli/commands/serve";
import type { LogLine, WebhookServer } from "../../lib/serve/webhook-server";
import { signBody } from "../../lib/serve/signature";
import { GitHubStandIn } from "../../test-support/github-stand-in/server";
import { addRequest, installApp, writePolicyFile, type InstalledApp } from "../../test-support/fixtures";
import { captureIO } from "../helpers/io";

const REVIEW = "POST /orgs/{org}/personal-access-token-requests";
const LIST = "GET /orgs/{org}/personal-access-token-requests";
const SECRET = randomBytes(20).toString("hex");

interface Running {
  url: string;
  logs: LogLine[];
  server: WebhookServer;
  stop: () => Promise<void>;
}

describe("serve", () => {
  let standIn: GitHubStandIn;
  let app: InstalledApp;
  let config: string;
  const running: Running[] = [];

  beforeEach(async () => {
    standIn = await GitHubStandIn.start();
    app = installApp(standIn);
    config = writePolicyFile({
      patPolicy: { maxLifetimeDays: 90 },
      approval: { rules: [{ name: "read-only", action: "approve", reason: "Read-only is fine.", match: { permissions: { repository: { contents: "read" } } } }] },
      app: { name: "acme-token-broker", homepageUrl: "https://github.com/acme-corp", permissions: { organization_personal_access_token_requests: "write" } },
    });
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((r) => r.stop()));
    expect(standIn.violations).toEqual([]);
    await standIn.close();
  });

  /** Starts serve --apply in this process; resolves once its first sweep is logged. */
  async function start(extra: { apply?: boolean; coalesceMs?: number } = {}): Promise<Running> {
    const logs: LogLine[] = [];
    let stop!: () => void;
    const stopSignal = new Promise<void>((r) => (stop = r));
    let server!: WebhookServer;
    let url = "";
    let done!: Promise<void>;
    const swept = new Promise<void>((resolve) => {
      const log = (l: LogLine) => {
        logs.push(l);
        if (l.event === "sweep" || l.event === "sweep-failed") resolve();
      };
      const io = captureIO({ GITHUB_API_URL: standIn.url, APP_ID: String(app.appId), APP_PRIVATE_KEY: app.pem, WEBHOOK_SECRET: SECRET });
      done = serve({ config, port: 0, apply: extra.apply ?? true, sweepMinutes: 0 }, io, { log, stopSignal, coalesceMs: extra.coalesceMs ?? 50, onListening: (u, s) => ((url = u), (server = s)) });
    });
    await swept;
    const r: Running = { url, logs, server, stop: async () => (stop(), await done) };
    running.push(r);
    return r;
  }

  /** POSTs a delivery; returns the status. */
  async function deliver(url: string, payload: unknown, opts: { id?: string; event?: string; signature?: string | null; raw?: string } = {}): Promise<number> {
    const body = opts.raw ?? JSON.stringify(payload);
    const headers: Record<string, string> = { "content-type": "application/json", "x-github-event": opts.event ?? "personal_access_token_request", "x-github-delivery": opts.id ?? randomUUID() };
    if (opts.signature !== null) headers["x-hub-signature-256"] = opts.signature ?? signBody(SECRET, body);
    return (await fetch(`${url}/webhook`, { method: "POST", headers, body })).status;
  }

  const decided = (r: Running, n: number) =>
    new Promise<LogLine[]>((resolve, reject) => {
      const t0 = Date.now();
      const poll = () => {
        const d = r.logs.filter((l) => l.event === "decision");
        if (d.length >= n) return resolve(d);
        if (Date.now() - t0 > 5000) return reject(new Error(`only ${d.length} decisions after 5 s: ${JSON.stringify(r.logs)}`));
        setTimeout(poll, 10);
      };
      poll();
    });

  test("decides a new request on its delivery, reading only that token's request from GitHub", async () => {
    const r = await start();
    const listsBefore = standIn.callsOf(LIST).length;
    addRequest(standIn, app.org, { owner: "someone-else" }); // pending, but not delivered
    const req = addRequest(standIn, app.org, { owner: "reader", permissions: { repository: { contents: "read" } } });
    expect(await deliver(r.url, standIn.deliveryPayload("acme-corp", req.id))).toBe(202);
    const [d] = await decided(r, 1);
    expect(d).toMatchObject({ org: "acme-corp", request: req.id, action: "approve", rule: "read-only", outcome: "applied" });
    expect(typeof d.ms).toBe("number");
    expect(app.org.reviews.flatMap((x) => x.ids)).toEqual([req.id]);
    // one listing, filtered to the delivered token as GitHub documents the filter
    const lists = standIn.callsOf(LIST).slice(listsBefore);
    expect(lists).toHaveLength(1);
    expect(new URL(lists[0].url, standIn.url).searchParams.getAll("token_id[]")).toEqual([String(req.tokenId)]);
    expect(standIn.rejections).toEqual([]);
    // and nothing secret reached the log
    expect(JSON.stringify(r.logs)).not.toContain(SECRET);
    expect(JSON.stringify(r.logs)).not.toMatch(/sha256=|PRIVATE KEY|ghs_/);
  });

  test("a missing or forged signature gets 401 and nothing else happens", async () => {
    const r = await start();
    const req = addRequest(standIn, app.org);
    const payload = standIn.deliveryPayload("acme-corp", req.id);
    const calls = standIn.calls.length;
    expect(await deliver(r.url, payload, { signature: null })).toBe(401);
    expect(await deliver(r.url, payload, { signature: signBody("not-the-secret-at-all", JSON.stringify(payload)) })).toBe(401);
    expect(await deliver(r.url, payload, { signature: "sha256=zz" })).toBe(401);
    await new Promise((x) => setTimeout(x, 150));
    expect(standIn.calls.length).toBe(calls);
    expect(r.logs.filter((l) => l.event === "delivery-refused")).toHaveLength(3);
    expect(r.logs.some((l) => l.event === "decision")).toBe(false);
  });

  test("a redelivery is acknowledged and not decided again", async () => {
    const r = await start();
    const req = addRequest(standIn, app.org);
    const payload = standIn.deliveryPayload("acme-corp", req.id);
    const id = randomUUID();
    expect(await deliver(r.url, payload, { id })).toBe(202);
    await decided(r, 1);
    expect(await deliver(r.url, payload, { id })).toBe(202);
    await new Promise((x) => setTimeout(x, 150));
    expect(standIn.callsOf(REVIEW)).toHaveLength(1);
    expect(r.logs.filter((l) => l.event === "delivery-duplicate")).toEqual([expect.objectContaining({ delivery: id })]);
  });

  test("a burst is coalesced into bulk calls: at most one per 100 ids", async () => {
    // a window longer than the burst takes to arrive on a loaded machine, so the count is exact
    const r = await start({ coalesceMs: 2000 });
    const reqs = Array.from({ length: 150 }, (_, i) => addRequest(standIn, app.org, { owner: `reader${i}` }));
    const statuses = await Promise.all(reqs.map((q) => deliver(r.url, standIn.deliveryPayload("acme-corp", q.id))));
    expect(statuses.every((s) => s === 202)).toBe(true);
    await decided(r, 150);
    const writes = standIn.callsOf(REVIEW);
    expect(writes.map((c) => (c.body as { pat_request_ids: number[] }).pat_request_ids.length).sort()).toEqual([100, 50].sort());
    expect(writes.flatMap((c) => (c.body as { pat_request_ids: number[] }).pat_request_ids).sort()).toEqual(reqs.map((q) => q.id).sort());
    expect(app.org.requests.size).toBe(0);
    // GitHub's record read back at 50 token ids a call: 2 for the batch of 100, 1 for the 50
    const reads = standIn.callsOf(LIST).filter((c) => c.url.includes("token_id"));
    expect(reads.map((c) => new URL(c.url, standIn.url).searchParams.getAll("token_id[]").length).sort()).toEqual([50, 50, 50]);
    expect(reads.every((c) => !new URL(c.url, standIn.url).searchParams.getAll("token_id[]").some((v) => v.includes(",")))).toBe(true);
  });

  test("an owner deciding between delivery and write, or a 502 after the write took effect: decided once", async () => {
    const r = await start();
    const a = addRequest(standIn, app.org, { owner: "a" });
    const b = addRequest(standIn, app.org, { owner: "b" });
    let once = false;
    standIn.beforeHandle = (op) => {
      if (op === REVIEW && !once) {
        once = true;
        app.org.requests.delete(a.id); // an owner decided it in the settings page meanwhile
      }
    };
    standIn.inject({ operation: REVIEW, kind: "502-after", after: 1 });
    await Promise.all([a, b].map((q) => deliver(r.url, standIn.deliveryPayload("acme-corp", q.id))));
    const d = await decided(r, 2);
    expect(d.map((x) => [x.request, x.outcome]).sort()).toEqual([
      [a.id, "already-decided"],
      [b.id, "already-decided"],
    ].sort());
    // b was applied exactly once (by the call whose answer was lost)
    expect(app.org.reviews.filter((x) => x.ids.includes(b.id))).toHaveLength(1);
  });

  test("stopping mid-batch finishes the decisions in flight, then resolves", async () => {
    const r = await start();
    const req = addRequest(standIn, app.org);
    expect(await deliver(r.url, standIn.deliveryPayload("acme-corp", req.id))).toBe(202);
    // stop at once: the delivery is still waiting for its batch
    await r.stop();
    running.splice(running.indexOf(r), 1);
    expect(r.logs.find((l) => l.event === "decision")).toMatchObject({ request: req.id, outcome: "applied" });
    expect(r.logs.at(-1)).toMatchObject({ event: "stopped" });
    await expect(fetch(`${r.url}/healthz`)).rejects.toThrow();
  });

  test("other events, actions and organizations are acknowledged and ignored; a body over the cap is refused from its declared length", async () => {
    const r = await start();
    const req = addRequest(standIn, app.org);
    const payload = standIn.deliveryPayload("acme-corp", req.id) as any;
    expect(await deliver(r.url, { ...payload, action: "approved" })).toBe(202);
    expect(await deliver(r.url, payload, { event: "push" })).toBe(202);
    expect(await deliver(r.url, { ...payload, organization: { ...payload.organization, login: "someone-else" } })).toBe(202);
    await new Promise((x) => setTimeout(x, 150));
    expect(r.logs.filter((l) => l.event === "delivery-ignored")).toHaveLength(3);
    expect(standIn.callsOf(REVIEW)).toEqual([]);
    // A body over the 1 MiB cap is refused as soon as its length is known, before it is sent.
    const big = await new Promise<number>((resolve, reject) => {
      const u = new URL(`${r.url}/webhook`);
      const headers = { "content-type": "application/json", "content-length": String(2 * 1024 * 1024), "x-github-event": "personal_access_token_request", "x-github-delivery": randomUUID(), "x-hub-signature-256": signBody(SECRET, "x") };
      const req = httpRequest({ host: u.hostname, port: u.port, path: u.pathname, method: "POST", headers }, (res) => {
        res.resume();
        resolve(res.statusCode!);
      });
      req.on("error", reject);
      req.write("x".repeat(1024));
    });
    expect(big).toBe(413);
    expect((await fetch(`${r.url}/healthz`)).status).toBe(200);
  });

  test("a dry run logs what it would decide and changes nothing", async () => {
    const r = await start({ apply: false });
    const req = addRequest(standIn, app.org);
    await deliver(r.url, standIn.deliveryPayload("acme-corp", req.id));
    const [d] = await decided(r, 1);
    expect(d).toMatchObject({ action: "approve", outcome: "dry-run" });
    expect(standIn.callsOf(REVIEW)).toEqual([]);
  });

  test("refuses to start without WEBHOOK_SECRET", async () => {
    await expect(serve({ config, port: 0 }, captureIO({ APP_ID: "1", APP_PRIVATE_KEY: app.pem }))).rejects.toMatchObject({ exitCode: 2, message: expect.stringContaining("serve needs WEBHOOK_SECRET") });
  });
});

/** `token-policy serve` in its own process, its JSON log lines as they come. */
function serveProcess(standIn: GitHubStandIn, app: InstalledApp, config: string) {
  const root = join(__dirname, "..", "..");
  const child = spawn(process.execPath, [join(root, "node_modules", "ts-node", "dist", "bin.js"), "--swc", join(root, "cli", "index.ts"), "serve", "--config", config, "--port", "0", "--apply", "--sweep-minutes", "0"], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, GITHUB_API_URL: standIn.url, APP_ID: String(app.appId), APP_PRIVATE_KEY: app.pem, WEBHOOK_SECRET: SECRET },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout.on("data", (c) => (out += c));
  const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
  const lines = () => out.split("\n").filter(Boolean).map((l) => JSON.parse(l) as Record<string, any>);
  const line = (event: string, count = 1) =>
    new Promise<Record<string, any>[]>((resolve, reject) => {
      const t0 = Date.now();
      const poll = () => {
        const found = lines().filter((l) => l.event === event);
        if (found.length >= count) return resolve(found);
        if (Date.now() - t0 > 30_000) return reject(new Error(`no ${count} ${event} lines: ${out}`));
        setTimeout(poll, 20);
      };
      poll();
    });
  return { child, exited, line, out: () => out };
}

async function post(url: string, payload: unknown, id = randomUUID()): Promise<number> {
  const body = JSON.stringify(payload);
  const res = await fetch(`${url}/webhook`, { method: "POST", headers: { "content-type": "application/json", "x-github-event": "personal_access_token_request", "x-github-delivery": id, "x-hub-signature-256": signBody(SECRET, body) }, body });
  return res.status;
}

describe("token-policy serve as processes", () => {
  let standIn: GitHubStandIn;
  let app: InstalledApp;
  let config: string;
  beforeEach(async () => {
    standIn = await GitHubStandIn.start();
    app = installApp(standIn);
    config = writePolicyFile({
      approval: { rules: [{ name: "read-only", action: "approve", match: { permissions: { repository: { contents: "read" } } } }] },
      app: { name: "acme-token-broker", homepageUrl: "https://github.com/acme-corp", permissions: { organization_personal_access_token_requests: "write" } },
    });
  });
  afterEach(async () => {
    expect(standIn.violations).toEqual([]);
    await standIn.close();
  });

  test("SIGTERM stops accepting, finishes the decision in flight, and exits 0", async () => {
    const p = serveProcess(standIn, app, config);
    try {
      await p.line("sweep");
      const [{ url }] = await p.line("listening");
      const req = addRequest(standIn, app.org);
      expect(await post(url, standIn.deliveryPayload("acme-corp", req.id))).toBe(202);
      p.child.kill("SIGTERM");
      expect(await p.exited).toBe(0);
      expect((await p.line("decision"))[0]).toMatchObject({ request: req.id, outcome: "applied" });
      expect(p.out().trim().split("\n").at(-1)).toMatch(/"event":"stopped"/);
      expect(app.org.reviews.flatMap((x) => x.ids)).toEqual([req.id]);
    } finally {
      p.child.kill("SIGKILL");
    }
  }, 60_000);

  test("two serve processes sharing one GitHub, receiving the same burst, review each request once", async () => {
    const one = serveProcess(standIn, app, config);
    const two = serveProcess(standIn, app, config);
    try {
      await Promise.all([one.line("sweep"), two.line("sweep")]);
      const [[{ url: u1 }], [{ url: u2 }]] = await Promise.all([one.line("listening"), two.line("listening")]);
      const reqs = Array.from({ length: 30 }, (_, i) => addRequest(standIn, app.org, { owner: `r${i}` }));
      await Promise.all(
        reqs.map((q) => {
          const payload = standIn.deliveryPayload("acme-corp", q.id);
          const id = randomUUID();
          return Promise.all([post(u1, payload, id), post(u2, payload, id)]);
        }),
      );
      await Promise.all([one.line("decision", 30), two.line("decision", 30)]);
      for (const q of reqs) expect(app.org.reviews.filter((x) => x.ids.includes(q.id))).toHaveLength(1);
      const outcomes = [...(await one.line("decision", 30)), ...(await two.line("decision", 30))].map((d) => d.outcome);
      expect(outcomes.filter((o) => o === "applied").length + outcomes.filter((o) => o === "already-decided").length).toBe(60);
      expect(outcomes.filter((o) => o === "applied")).toHaveLength(30);
    } finally {
      one.child.kill("SIGKILL");
      two.child.kill("SIGKILL");
    }
  }, 90_000);
});
