/**
 * `serve` end to end: signed deliveries from the test (built from the stand-in's own requests and
 * checked against GitHub's webhook schema), decisions applied to the OpenAPI-checked stand-in.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { spawn } from "node:child_process";
import { createServer, request as httpRequest } from "node:http";
import { connect, type AddressInfo, type Socket } from "node:net";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import { serve } from "../../cli/commands/serve";
import { WebhookServer as WebhookServerClass, type LogLine, type WebhookServer } from "../../lib/serve/webhook-server";
import { signBody } from "../../lib/serve/signature";
import { GitHubStandIn } from "../../test-support/github-stand-in/server";
import { addRequest, installApp, writePolicyFile, type InstalledApp } from "../../test-support/fixtures";
import { captureIO } from "../../test-support/io";
import { byBuiltin, byRule } from "../../lib/approval/outcomes";
import { tempDir } from "../../test-support/temp";

const REVIEW = "POST /orgs/{org}/personal-access-token-requests";
const LIST = "GET /orgs/{org}/personal-access-token-requests";
const SECRET = randomBytes(20).toString("hex");

interface Running {
  url: string;
  logs: LogLine[];
  server: WebhookServer;
  stop: () => Promise<void>;
  /** Resolves with the log lines of `event` once there are `count` of them (fails after 5 s). */
  until: (event: string, count?: number) => Promise<LogLine[]>;
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
      approval: {
        rules: [
          {
            name: "read-only",
            action: "approve",
            reason: "Read-only is fine.",
            match: { permissions: { repository: { contents: "read" } } },
          },
        ],
      },
      app: {
        name: "acme-token-broker",
        homepageUrl: "https://github.com/acme-corp",
        permissions: { organization_personal_access_token_requests: "write" },
      },
    });
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((r) => r.stop()));
    expect(standIn.violations).toEqual([]);
    await standIn.close();
  });

  /** Starts serve --apply in this process; resolves once its first sweep is logged. */
  async function start(
    extra: {
      apply?: boolean;
      coalesceMs?: number;
      env?: NodeJS.ProcessEnv;
      config?: string;
      githubHookRanges?: boolean;
      hookRangesRefreshMs?: number;
    } = {},
  ): Promise<Running> {
    const logs: LogLine[] = [];
    let stop!: () => void;
    const stopSignal = new Promise<void>((r) => (stop = r));
    let server!: WebhookServer;
    let url = "";
    let done!: Promise<void>;
    const waiting = new Set<() => void>();
    const until = (event: string, count = 1) =>
      new Promise<LogLine[]>((resolve, reject) => {
        const check = () => {
          const found = logs.filter((l) => l.event === event);
          if (found.length < count) return;
          waiting.delete(check);
          clearTimeout(timer);
          resolve(found);
        };
        const timer = setTimeout(() => {
          waiting.delete(check);
          reject(
            new Error(`only ${logs.filter((l) => l.event === event).length} ${event} lines of ${count} after 5 s: ${JSON.stringify(logs)}`),
          );
        }, 5000);
        waiting.add(check);
        check();
      });
    const swept = new Promise<void>((resolve) => {
      const log = (l: LogLine) => {
        logs.push(l);
        for (const check of [...waiting]) check();
        if (l.event === "sweep" || l.event === "sweep-failed") resolve();
      };
      const io = captureIO(
        extra.env ?? { GITHUB_API_URL: standIn.url, APP_ID: String(app.appId), APP_PRIVATE_KEY: app.pem, WEBHOOK_SECRET: SECRET },
      );
      done = serve(
        { config: extra.config ?? config, port: 0, apply: extra.apply ?? true, sweepMinutes: 0, githubHookRanges: extra.githubHookRanges },
        io,
        {
          log,
          stopSignal,
          coalesceMs: extra.coalesceMs ?? 50,
          hookRangesRefreshMs: extra.hookRangesRefreshMs,
          onListening: (u, s) => ((url = u), (server = s)),
        },
      );
    });
    await swept;
    const r: Running = { url, logs, server, stop: async () => (stop(), await done), until };
    running.push(r);
    return r;
  }

  /** POSTs a delivery; returns the status. */
  async function deliver(
    url: string,
    payload: unknown,
    opts: { id?: string; event?: string; signature?: string | null; raw?: string } = {},
  ): Promise<number> {
    const body = opts.raw ?? JSON.stringify(payload);
    const headers: Record<string, string> = {
      "content-type": "application/json",
      "x-github-event": opts.event ?? "personal_access_token_request",
      "x-github-delivery": opts.id ?? randomUUID(),
    };
    if (opts.signature !== null) headers["x-hub-signature-256"] = opts.signature ?? signBody(SECRET, body);
    return (await fetch(`${url}/webhook`, { method: "POST", headers, body })).status;
  }

  /** The decision lines, once there are `n`. */
  const decided = (r: Running, n: number) => r.until("decision", n);

  /** Stops serve, which first finishes every delivery it accepted: after it, nothing more can happen. */
  async function settle(r: Running): Promise<void> {
    await r.stop();
    running.splice(running.indexOf(r), 1);
  }

  test("decides a new request on its delivery, reading only that token's request from GitHub", async () => {
    const r = await start();
    const listsBefore = standIn.callsOf(LIST).length;
    addRequest(standIn, app.org, { owner: "someone-else" }); // pending, but not delivered
    const req = addRequest(standIn, app.org, { owner: "reader", permissions: { repository: { contents: "read" } } });
    expect(await deliver(r.url, standIn.deliveryPayload("acme-corp", req.id))).toBe(202);
    const [d] = await decided(r, 1);
    expect(d).toMatchObject({ org: "acme-corp", request: req.id, action: "approve", decidedBy: byRule("read-only"), outcome: "applied" });
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

  test("decides by the effective policy: the enterprise's maximum lifetime where the organization declares none", async () => {
    // GIVEN acme-corp declares no lifetime and its enterprise caps fine-grained tokens at 60 days
    const doc = parse(readFileSync(config, "utf8"));
    delete doc.organizations[0].patPolicy;
    doc.organizations[0].enterprise = "acme";
    writeFileSync(config, stringify({ enterprises: [{ slug: "acme", patPolicy: { maxLifetimeDays: 60 } }], ...doc }));
    const r = await start();
    // WHEN a read-only request for 90 days is delivered
    const req = addRequest(standIn, app.org, { owner: "reader", days: 90, permissions: { repository: { contents: "read" } } });
    expect(await deliver(r.url, standIn.deliveryPayload("acme-corp", req.id))).toBe(202);
    // THEN the enterprise's 60 days deny it before the read-only rule is tried
    const [d] = await decided(r, 1);
    expect(d).toMatchObject({
      org: "acme-corp",
      request: req.id,
      action: "deny",
      decidedBy: byBuiltin("lifetime-limit"),
      outcome: "applied",
    });
  });

  test("a teams rule approves a member, and fails closed once the team cannot be read: left, nothing written", async () => {
    // GIVEN a rule for team platform, whose member is mona, and an installation that can read it
    const teamsConfig = writePolicyFile({
      patPolicy: { maxLifetimeDays: 90 },
      approval: {
        rules: [
          {
            name: "platform",
            action: "approve",
            reason: "Platform team.",
            match: { teams: ["platform"], permissions: { repository: { contents: "read" } } },
          },
        ],
      },
      app: {
        name: "acme-token-broker",
        homepageUrl: "https://github.com/acme-corp",
        permissions: { organization_personal_access_token_requests: "write", members: "read" },
      },
    });
    app.org.installation!.permissions.members = "read";
    standIn.addTeam("acme-corp", "platform", ["mona"]);
    const r = await start({ config: teamsConfig });
    // WHEN mona's and mallory's requests are delivered
    const mona = addRequest(standIn, app.org, { owner: "mona", permissions: { repository: { contents: "read" } } });
    const mallory = addRequest(standIn, app.org, { owner: "mallory", permissions: { repository: { contents: "read" } } });
    expect(await deliver(r.url, standIn.deliveryPayload("acme-corp", mona.id))).toBe(202);
    expect(await deliver(r.url, standIn.deliveryPayload("acme-corp", mallory.id))).toBe(202);
    // THEN the member is approved and the other left
    const first = await decided(r, 2);
    expect(first).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ request: mona.id, action: "approve", decidedBy: byRule("platform"), outcome: "applied" }),
        expect.objectContaining({ request: mallory.id, action: "leave", decidedBy: byBuiltin("otherwise"), outcome: "left" }),
      ]),
    );
    // WHEN the installation loses members: read (GitHub answers 403) and mona asks again
    delete (app.org.installation!.permissions as Record<string, string>).members;
    const again = addRequest(standIn, app.org, { owner: "mona", permissions: { repository: { contents: "read" } } });
    expect(await deliver(r.url, standIn.deliveryPayload("acme-corp", again.id))).toBe(202);
    // THEN the team is read again for this batch, cannot be, and the request is left, never approved
    const all = await decided(r, 3);
    expect(all[2]).toMatchObject({
      request: again.id,
      action: "leave",
      decidedBy: byBuiltin("team-membership-unreadable"),
      outcome: "left",
    });
    expect(app.org.reviews.flatMap((x) => x.ids)).toEqual([mona.id]);
    expect(app.org.requests.has(again.id)).toBe(true);
  });

  test("a missing or forged signature gets 401 and nothing else happens", async () => {
    const r = await start();
    const req = addRequest(standIn, app.org);
    const payload = standIn.deliveryPayload("acme-corp", req.id);
    const calls = standIn.calls.length;
    expect(await deliver(r.url, payload, { signature: null })).toBe(401);
    expect(await deliver(r.url, payload, { signature: signBody("not-the-secret-at-all", JSON.stringify(payload)) })).toBe(401);
    expect(await deliver(r.url, payload, { signature: "sha256=zz" })).toBe(401);
    await r.until("delivery-refused", 3);
    await settle(r);
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
    await r.until("delivery-duplicate");
    await settle(r);
    expect(standIn.callsOf(REVIEW)).toHaveLength(1);
    expect(r.logs.filter((l) => l.event === "delivery-duplicate")).toEqual([expect.objectContaining({ delivery: id })]);
  });

  test("a burst is coalesced into bulk calls: at most one per 100 ids", async () => {
    // a window longer than the burst takes to arrive on a loaded machine, so the count is exact
    const r = await start({ coalesceMs: 2000 });
    const reqs = Array.from({ length: 150 }, (_, i) => addRequest(standIn, app.org, { owner: `reader${i}` }));
    // in three waves of 50 connections: one sender holds at most 128
    const statuses: number[] = [];
    for (let i = 0; i < 150; i += 50)
      statuses.push(...(await Promise.all(reqs.slice(i, i + 50).map((q) => deliver(r.url, standIn.deliveryPayload("acme-corp", q.id))))));
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
    expect(d.map((x) => [x.request, x.outcome]).sort()).toEqual(
      [
        [a.id, "already-decided"],
        [b.id, "already-decided"],
      ].sort(),
    );
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
    expect(await r.until("delivery-ignored", 3)).toHaveLength(3);
    expect(standIn.callsOf(REVIEW)).toEqual([]);
    // A body over the 1 MiB cap is refused as soon as its length is known, before it is sent.
    const big = await new Promise<number>((resolve, reject) => {
      const u = new URL(`${r.url}/webhook`);
      const headers = {
        "content-type": "application/json",
        "content-length": String(2 * 1024 * 1024),
        "x-github-event": "personal_access_token_request",
        "x-github-delivery": randomUUID(),
        "x-hub-signature-256": signBody(SECRET, "x"),
      };
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

  test("a forged payload is never approved: the request is decided on GitHub's record of it", async () => {
    // GIVEN GitHub's record: administration and workflows write on all repositories
    const r = await start();
    const real = addRequest(standIn, app.org, {
      owner: "mallory",
      repositorySelection: "all",
      repositories: [],
      permissions: { repository: { administration: "write", workflows: "write" } },
    });
    // WHEN a signed delivery claims the same request asks for contents: read on docs-1
    const forged = standIn.deliveryPayload("acme-corp", real.id) as any;
    forged.personal_access_token_request = {
      ...forged.personal_access_token_request,
      permissions_result: { repository: { contents: "read" } },
      permissions_added: { repository: { contents: "read" } },
      repository_selection: "subset",
      repository_count: 1,
      repositories: [{ id: 1, node_id: "R_1", name: "docs-1", full_name: "acme-corp/docs-1", private: true }],
    };
    expect(await deliver(r.url, forged)).toBe(202);
    // THEN the read-only rule does not hold for GitHub's record: left to an owner, nothing approved
    const [d] = await decided(r, 1);
    expect(d).toMatchObject({ request: real.id, action: "leave", decidedBy: byBuiltin("otherwise") });
    expect(app.org.reviews).toEqual([]);
    expect(app.org.requests.has(real.id)).toBe(true);
  });

  test("a payload listing fewer repositories than GitHub's record is decided on the record's repositories", async () => {
    // GIVEN a rule approving read access to docs-* repositories, and a request GitHub records on docs-1 and prod-infra
    const docsConfig = writePolicyFile({
      approval: {
        rules: [
          { name: "docs-read", action: "approve", match: { repositories: ["docs-*"], permissions: { repository: { contents: "read" } } } },
        ],
      },
      app: {
        name: "acme-token-broker",
        homepageUrl: "https://github.com/acme-corp",
        permissions: { organization_personal_access_token_requests: "write" },
      },
    });
    const r = await start({ config: docsConfig });
    const real = addRequest(standIn, app.org, {
      repositories: ["docs-1", "prod-infra"],
      permissions: { repository: { contents: "read" } },
    });
    // WHEN the delivery lists docs-1 only
    const forged = standIn.deliveryPayload("acme-corp", real.id) as any;
    forged.personal_access_token_request.repositories = forged.personal_access_token_request.repositories.slice(0, 1);
    expect(await deliver(r.url, forged)).toBe(202);
    // THEN the repositories are read from GitHub and the rule does not hold
    const [d] = await decided(r, 1);
    expect(d).toMatchObject({ request: real.id, action: "leave" });
    expect(standIn.callsOf("GET /orgs/{org}/personal-access-token-requests/{pat_request_id}/repositories")).toHaveLength(1);
    expect(app.org.reviews).toEqual([]);
  });

  test("a delivery replayed with fresh delivery ids, or its id in capitals, is written once and read once", async () => {
    const r = await start();
    const req = addRequest(standIn, app.org);
    const payload = standIn.deliveryPayload("acme-corp", req.id);
    const id = randomUUID();
    expect(await deliver(r.url, payload, { id })).toBe(202);
    await decided(r, 1);
    const listsAfterFirst = standIn.callsOf(LIST).length;
    // WHEN it is replayed ten times with fresh ids, and once with its own id upper-cased
    for (let i = 0; i < 10; i++) expect(await deliver(r.url, payload)).toBe(202);
    expect(await deliver(r.url, payload, { id: id.toUpperCase() })).toBe(202);
    await r.until("delivery-duplicate", 11);
    await settle(r);
    // THEN nothing more is read or written
    expect(standIn.callsOf(REVIEW)).toHaveLength(1);
    expect(standIn.callsOf(LIST)).toHaveLength(listsAfterFirst);
    const duplicates = r.logs.filter((l) => l.event === "delivery-duplicate");
    expect(duplicates.filter((l) => l.reason === "request already received")).toHaveLength(10);
    expect(duplicates.filter((l) => l.reason === "delivery id already received")).toHaveLength(1);
  });

  test("a request no longer pending on GitHub is skipped, not written", async () => {
    const r = await start();
    const req = addRequest(standIn, app.org);
    const payload = standIn.deliveryPayload("acme-corp", req.id);
    app.org.requests.delete(req.id); // an owner decided it before the delivery arrived
    expect(await deliver(r.url, payload)).toBe(202);
    const [d] = await decided(r, 1);
    expect(d).toMatchObject({ request: req.id, outcome: "not-pending" });
    expect(standIn.callsOf(REVIEW)).toEqual([]);
  });

  test("a delivery sent ahead of its request does not make the request's real delivery a duplicate", async () => {
    // GIVEN a signed delivery for a request id GitHub does not list as pending yet
    const r = await start();
    const req = addRequest(standIn, app.org);
    const payload = standIn.deliveryPayload("acme-corp", req.id);
    const state = app.org.requests.get(req.id)!;
    app.org.requests.delete(req.id);
    expect(await deliver(r.url, payload)).toBe(202);
    expect((await decided(r, 1))[0]).toMatchObject({ request: req.id, outcome: "not-pending" });
    // WHEN the request is made and GitHub delivers it, with its own delivery id
    app.org.requests.set(req.id, state);
    expect(await deliver(r.url, payload)).toBe(202);
    // THEN it is read and decided, not dropped as already received
    const [, real] = await decided(r, 2);
    expect(real).toMatchObject({ request: req.id, outcome: "applied" });
    expect(r.logs.filter((l) => l.event === "delivery-duplicate")).toEqual([]);
  });

  test("a delivery naming another installation than the organization's is not looked up", async () => {
    const r = await start();
    const req = addRequest(standIn, app.org);
    const payload = standIn.deliveryPayload("acme-corp", req.id) as any;
    const lists = standIn.callsOf(LIST).length;
    expect(await deliver(r.url, { ...payload, installation: { id: app.installationId + 12345, node_id: "I_x" } })).toBe(202);
    const [d] = await decided(r, 1);
    expect(d).toMatchObject({ request: req.id, outcome: "other-installation" });
    expect(standIn.callsOf(LIST)).toHaveLength(lists);
    expect(standIn.callsOf(REVIEW)).toEqual([]);
    // the real delivery, which names the organization's installation, is still decided
    expect(await deliver(r.url, payload)).toBe(202);
    expect((await decided(r, 2))[1]).toMatchObject({ request: req.id, action: "approve", outcome: "applied" });
  });

  test("two organizations with two Apps are served by one process, each through its own App", async () => {
    // GIVEN beta-corp with its own App, and each App's credentials under its organization's stem
    const beta = installApp(standIn, "beta-corp");
    const rules = { rules: [{ name: "read-only", action: "approve", match: { permissions: { repository: { contents: "read" } } } }] };
    const two = writeTwoOrgConfig(rules);
    const env = {
      GITHUB_API_URL: standIn.url,
      ACME_CORP_APP_ID: String(app.appId),
      ACME_CORP_APP_PRIVATE_KEY: app.pem,
      BETA_CORP_APP_ID: String(beta.appId),
      BETA_CORP_APP_PRIVATE_KEY: beta.pem,
      WEBHOOK_SECRET: SECRET,
    };
    const r = await start({ env, config: two });
    await r.until("sweep", 2); // both first sweeps
    // WHEN each organization's request is delivered
    const a = addRequest(standIn, app.org);
    const b = addRequest(standIn, beta.org);
    expect(await deliver(r.url, standIn.deliveryPayload("acme-corp", a.id))).toBe(202);
    expect(await deliver(r.url, standIn.deliveryPayload("beta-corp", b.id))).toBe(202);
    // THEN each is approved in its own organization (an installation token works only in its own)
    const d = await decided(r, 2);
    expect(d.map((x) => [x.org, x.request, x.outcome]).sort()).toEqual(
      [
        ["acme-corp", a.id, "applied"],
        ["beta-corp", b.id, "applied"],
      ].sort(),
    );
    expect(app.org.reviews.flatMap((x) => x.ids)).toEqual([a.id]);
    expect(beta.org.reviews.flatMap((x) => x.ids)).toEqual([b.id]);
    expect(r.logs.filter((l) => l.event === "sweep-failed")).toEqual([]);
    // and /healthz reports each organization
    const health = await fetch(`${r.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: "ok", organizations: { "acme-corp": "ok", "beta-corp": "ok" } });
  });

  test("with --github-hook-ranges, a delivery from outside GitHub's hook ranges gets 403 unread; from inside it is decided", async () => {
    // GIVEN GitHub's meta lists only its published ranges (loopback is not among them)
    const r = await start({ githubHookRanges: true, hookRangesRefreshMs: 100 });
    expect(standIn.callsOf("GET /meta")).toHaveLength(1);
    const req = addRequest(standIn, app.org, { owner: "reader", permissions: { repository: { contents: "read" } } });
    // WHEN a correctly signed delivery comes from 127.0.0.1
    // THEN it is refused before its body is read, and nothing is read from GitHub for it
    const listsBefore = standIn.callsOf(LIST).length;
    expect(await deliver(r.url, standIn.deliveryPayload("acme-corp", req.id))).toBe(403);
    expect(r.logs).toContainEqual(
      expect.objectContaining({ event: "delivery-refused", status: 403, reason: "sender outside GitHub's hook ranges" }),
    );
    expect(standIn.callsOf(LIST).length).toBe(listsBefore);
    // WHEN GitHub's meta lists loopback from the next refresh on
    standIn.hookRanges = ["127.0.0.0/8"];
    await r.until("hook-ranges", 2);
    // THEN the delivery is decided
    expect(await deliver(r.url, standIn.deliveryPayload("acme-corp", req.id))).toBe(202);
    await decided(r, 1);
    expect(app.org.reviews.flatMap((x) => x.ids)).toEqual([req.id]);
  });

  test("fails when GitHub's hook ranges cannot be read: serve does not listen", async () => {
    standIn.inject({ operation: "GET /meta", kind: "502-before", times: 5 });
    const io = captureIO({ GITHUB_API_URL: standIn.url, APP_ID: String(app.appId), APP_PRIVATE_KEY: app.pem, WEBHOOK_SECRET: SECRET });
    let listening = false;
    await expect(
      serve({ config, port: 0, sweepMinutes: 0, githubHookRanges: true }, io, {
        log: () => undefined,
        onListening: () => (listening = true),
      }),
    ).rejects.toThrow(/--github-hook-ranges: cannot read GitHub's hook ranges \(GET \/meta\)/);
    expect(listening).toBe(false);
  });

  test("fails when an organization has no App credentials, naming it and the variables to set", async () => {
    const two = writeTwoOrgConfig({ rules: [] });
    const io = captureIO({
      GITHUB_API_URL: standIn.url,
      ACME_CORP_APP_ID: String(app.appId),
      ACME_CORP_APP_PRIVATE_KEY: app.pem,
      GITHUB_TOKEN: app.token,
      WEBHOOK_SECRET: SECRET,
    });
    await expect(serve({ config: two, port: 0 }, io)).rejects.toMatchObject({
      exitCode: 2,
      message: expect.stringContaining(
        "beta-corp: serve acts as the organization's App: set BETA_CORP_APP_ID with BETA_CORP_APP_PRIVATE_KEY or BETA_CORP_APP_PRIVATE_KEY_FILE",
      ),
    });
  });

  test.each([
    ["sixteen a's", "a".repeat(16), "at least 32"],
    ["forty a's", "a".repeat(40), "one character repeated"],
    ["white space", " ".repeat(40), "only white space"],
    ["a trailing newline", `${SECRET}\n`, "white space"],
  ])("fails when WEBHOOK_SECRET is %s, saying how to make one and never echoing it", async (_name, secret, message) => {
    const io = captureIO({ APP_ID: String(app.appId), APP_PRIVATE_KEY: app.pem, WEBHOOK_SECRET: secret });
    const err = await serve({ config, port: 0 }, io).catch((e: Error) => e);
    expect(err).toMatchObject({ exitCode: 2, message: expect.stringContaining(message) });
    if (secret.trim()) expect((err as Error).message).not.toContain(secret.trim());
  });

  test("refuses to start without WEBHOOK_SECRET", async () => {
    await expect(serve({ config, port: 0 }, captureIO({ APP_ID: "1", APP_PRIVATE_KEY: app.pem }))).rejects.toMatchObject({
      exitCode: 2,
      message: expect.stringContaining("serve needs WEBHOOK_SECRET"),
    });
  });

  test("fails with exit 2 naming the address when the port is in use", async () => {
    // GIVEN another process's server on a port
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, "127.0.0.1", resolve));
    const port = (busy.address() as AddressInfo).port;
    try {
      // WHEN serve is asked to listen there
      const io = captureIO({ GITHUB_API_URL: standIn.url, APP_ID: String(app.appId), APP_PRIVATE_KEY: app.pem, WEBHOOK_SECRET: SECRET });
      // THEN it stops with a usage error that says what to do, not an internal error
      await expect(serve({ config, port, sweepMinutes: 0 }, io, { log: () => {} })).rejects.toMatchObject({
        exitCode: 2,
        message: `cannot listen on 127.0.0.1:${port}: the port is in use by another process; stop it, or pick another port with --port (or PORT)`,
      });
    } finally {
      await new Promise((resolve) => busy.close(resolve));
    }
  });
});

/** A config with acme-corp and beta-corp, each with its own App and the given approval. */
function writeTwoOrgConfig(approval: Record<string, unknown>): string {
  const file = join(tempDir("policy-"), "token-policy.yaml");
  const org = (login: string, app: string) => ({
    login,
    app: { name: app, homepageUrl: `https://github.com/${login}`, permissions: { organization_personal_access_token_requests: "write" } },
    credentials: { actions: { visibility: "all" } },
    approval,
  });
  writeFileSync(file, stringify({ organizations: [org("acme-corp", "acme-token-broker"), org("beta-corp", "beta-corp-token-broker")] }));
  return file;
}

/**
 * `token-policy serve` in its own process, its JSON log lines as they come: started by node
 * directly, or with `npm run -s cli -- serve` as README's checkout instructions do.
 */
function serveProcess(standIn: GitHubStandIn, app: InstalledApp, config: string, startedBy: "node" | "npm run" = "node") {
  const root = join(__dirname, "..", "..");
  const args = ["serve", "--config", config, "--port", "0", "--apply", "--sweep-minutes", "0"];
  const [command, argv] =
    startedBy === "node"
      ? [process.execPath, [join(root, "scripts", "run-ts.cjs"), "cli/index.ts", ...args]]
      : ["npm", ["run", "-s", "cli", "--", ...args]];
  const child = spawn(command, argv, {
    cwd: root,
    // npm and what it starts in a process group of their own, so a failing test can end them all
    detached: startedBy === "npm run",
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      GITHUB_API_URL: standIn.url,
      APP_ID: String(app.appId),
      APP_PRIVATE_KEY: app.pem,
      WEBHOOK_SECRET: SECRET,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  const waiting = new Set<() => void>();
  child.stdout.on("data", (c) => {
    out += c;
    for (const check of [...waiting]) check();
  });
  const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
  // complete lines only: a chunk can end mid-line
  const lines = () =>
    out
      .slice(0, out.lastIndexOf("\n") + 1)
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, any>);
  /** Resolves with the log lines of `event` as soon as the process has written `count` of them. */
  const line = (event: string, count = 1) =>
    new Promise<Record<string, any>[]>((resolve, reject) => {
      const check = () => {
        const found = lines().filter((l) => l.event === event);
        if (found.length < count) return;
        waiting.delete(check);
        clearTimeout(timer);
        resolve(found);
      };
      const timer = setTimeout(() => {
        waiting.delete(check);
        reject(new Error(`no ${count} ${event} lines: ${out}`));
      }, 30_000);
      waiting.add(check);
      check();
    });
  return { child, exited, line, out: () => out };
}

async function post(url: string, payload: unknown, id = randomUUID()): Promise<number> {
  const body = JSON.stringify(payload);
  const res = await fetch(`${url}/webhook`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-github-event": "personal_access_token_request",
      "x-github-delivery": id,
      "x-hub-signature-256": signBody(SECRET, body),
    },
    body,
  });
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
      app: {
        name: "acme-token-broker",
        homepageUrl: "https://github.com/acme-corp",
        permissions: { organization_personal_access_token_requests: "write" },
      },
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

  test("SIGTERM to npm stops serve started with npm run -s cli -- serve: exit 0, nothing left listening", async () => {
    // GIVEN serve started through npm, as in a checkout
    const p = serveProcess(standIn, app, config, "npm run");
    try {
      await p.line("sweep");
      const [{ url }] = await p.line("listening");
      // WHEN only npm's own process gets SIGTERM (as from a process manager)
      p.child.kill("SIGTERM");
      // THEN serve received it: it logs its stop, npm exits 0, and the port no longer answers
      expect(await p.exited).toBe(0);
      expect(p.out().trim().split("\n").at(-1)).toMatch(/"event":"stopped"/);
      await expect(fetch(`${url}/healthz`)).rejects.toThrow();
    } finally {
      try {
        process.kill(-p.child.pid!, "SIGKILL");
      } catch {
        // the group is gone: everything in it stopped
      }
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
      // the other's share: gone from GitHub's record when read (not-pending), or when written (already-decided)
      expect(outcomes.filter((o) => o === "applied" || o === "already-decided" || o === "not-pending")).toHaveLength(60);
      expect(outcomes.filter((o) => o === "applied")).toHaveLength(30);
    } finally {
      one.child.kill("SIGKILL");
      two.child.kill("SIGKILL");
    }
  }, 90_000);
});

describe("the webhook door (WebhookServer without GitHub)", () => {
  const servers: WebhookServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  /** A server whose organizations have no reachable GitHub: only the door is exercised. */
  async function door(
    options: Partial<ConstructorParameters<typeof WebhookServerClass>[0]> = {},
  ): Promise<{ url: string; logs: LogLine[]; server: WebhookServer }> {
    const logs: LogLine[] = [];
    const server = new WebhookServerClass({
      organizations: [{ login: "acme-corp" } as never],
      webhookSecret: SECRET,
      sweepMinutes: 0,
      sessionFor: async () => {
        throw new Error("no GitHub in these tests");
      },
      canSign: async () => true,
      log: (l) => logs.push(l),
      shutdownGraceMs: 100,
      ...options,
    });
    servers.push(server);
    const url = await server.listen(0, "127.0.0.1");
    return { url, logs, server };
  }

  /** Resolves once the server has received the headers of `count` more requests (their bodies still coming). */
  const requestsArrive = (server: WebhookServer, count: number) =>
    new Promise<void>((resolve) => {
      let seen = 0;
      const onRequest = () => {
        if (++seen < count) return;
        server.server.off("request", onRequest);
        resolve();
      };
      server.server.on("request", onRequest);
    });

  const goodHeaders = (body: string) => ({
    "content-type": "application/json",
    "x-github-event": "personal_access_token_request",
    "x-github-delivery": randomUUID(),
    "x-hub-signature-256": signBody(SECRET, body),
  });

  /** Sends headers and the first part of a body, never the rest; resolves with the status, or "closed". */
  function partial(url: string, headers: Record<string, string>, first: string | Buffer): Promise<number | "closed"> {
    return new Promise((resolve) => {
      const u = new URL(`${url}/webhook`);
      const req = httpRequest({ host: u.hostname, port: u.port, path: u.pathname, method: "POST", headers }, (res) => {
        res.resume();
        resolve(res.statusCode!);
      });
      req.on("error", () => resolve("closed"));
      req.on("close", () => resolve("closed"));
      req.write(first);
    });
  }

  test.each([
    ["no signature", (h: Record<string, string>) => delete h["x-hub-signature-256"], 401],
    ["a malformed signature", (h: Record<string, string>) => (h["x-hub-signature-256"] = "sha1=abc"), 401],
    ["no event header", (h: Record<string, string>) => delete h["x-github-event"], 400],
    ["no delivery header", (h: Record<string, string>) => delete h["x-github-delivery"], 400],
    ["a form content type", (h: Record<string, string>) => (h["content-type"] = "application/x-www-form-urlencoded"), 415],
  ])("refuses a 25 MB upload with %s before reading its body", async (_name, change, status) => {
    const { url } = await door();
    const headers: Record<string, string> = { ...goodHeaders("x"), "content-length": String(25 * 1024 * 1024) };
    change(headers);
    // only 1 KiB of the 25 MB is ever sent: an answer proves the body was not awaited
    expect(await partial(url, headers, "x".repeat(1024))).toBe(status);
  });

  test("a body sent without a declared length is cut once it passes the cap", async () => {
    const { url, logs } = await door({ maxBodyBytes: 64 * 1024 });
    const status = await partial(url, { ...goodHeaders("x"), "transfer-encoding": "chunked" }, Buffer.alloc(128 * 1024, "x"));
    expect(status).toBe(413);
    expect(logs).toContainEqual(expect.objectContaining({ event: "delivery-refused", status: 413, reason: "body over the cap" }));
  });

  test("bodies in flight of one sender are bounded: one more gets 503 before its body is read", async () => {
    const { url, server } = await door({ maxBodiesInFlightPerPeer: 2 });
    const slow = () => partial(url, { ...goodHeaders("{}"), "content-length": "1000" }, "{");
    const arrived = requestsArrive(server, 2);
    const held = [slow(), slow()];
    await arrived;
    expect(await partial(url, { ...goodHeaders("{}"), "content-length": "1000" }, "{")).toBe(503);
    void held;
  });

  test("connections are bounded: one more is dropped on arrival", async () => {
    const { url, server } = await door({ maxConnections: 2 });
    const arrived = requestsArrive(server, 2);
    const held = [1, 2].map(() => partial(url, { ...goodHeaders("{}"), "content-length": "1000" }, "{"));
    await arrived;
    expect(await partial(url, { ...goodHeaders("{}"), "content-length": "1000" }, "{")).toBe("closed");
    void held;
  });

  test("a body that trickles in is cut at the request timeout", async () => {
    const { url } = await door({ requestTimeoutMs: 300 });
    // one byte of a thousand, then nothing
    expect(await partial(url, { ...goodHeaders("{}"), "content-length": "1000" }, "{")).toBe(408);
  });

  test("close cuts a slow client after the grace period and resolves", async () => {
    const { url, server, logs } = await door({ shutdownGraceMs: 200, requestTimeoutMs: 60_000 });
    const arrived = requestsArrive(server, 1);
    const slow = partial(url, { ...goodHeaders("{}"), "content-length": "1000" }, "{");
    await arrived;
    await server.close();
    servers.splice(servers.indexOf(server), 1);
    expect(await slow).toBe("closed");
    expect(logs.at(-1)).toMatchObject({ event: "stopped" });
  });

  /** Connections the server holds now, as Node counts them. */
  const held = (server: WebhookServer) => new Promise<number>((r) => server.server.getConnections((_e, n) => r(n)));

  /** Polls until `check` holds (fails after `ms`). */
  async function eventually(check: () => Promise<boolean>, ms = 5000): Promise<void> {
    for (const t0 = Date.now(); !(await check()); await new Promise((r) => setTimeout(r, 25)))
      if (Date.now() - t0 > ms) throw new Error(`not within ${ms} ms`);
  }

  /** A raw connection from a loopback address of its own (a peer of its own), half-open allowed. */
  function rawFrom(url: string, localAddress: string, send?: string | Buffer): Promise<Socket> {
    return new Promise((resolve) => {
      const u = new URL(url);
      const s = connect({ host: u.hostname, port: Number(u.port), localAddress, allowHalfOpen: true });
      s.on("error", () => undefined);
      s.on("connect", () => {
        if (send) s.write(send);
        resolve(s);
      });
    });
  }
  const sockets: Socket[] = [];
  afterEach(() => sockets.splice(0).forEach((s) => s.destroy()));

  /** A signed `created` delivery for a request the door cannot look up: 202 proves it got through. */
  const signedDelivery = (url: string) => {
    const body = JSON.stringify({
      action: "created",
      organization: { login: "acme-corp" },
      personal_access_token_request: { id: 1, token_id: 2 },
    });
    return fetch(`${url}/webhook`, { method: "POST", headers: goodHeaders(body), body }).then((r) => r.status);
  };

  test("a connection that errs is destroyed, not half-closed, even when the client never closes its side", async () => {
    // GIVEN a client that sends a malformed request and keeps its side open without reading
    const { url, server } = await door();
    const s = await rawFrom(url, "127.0.0.2", "NOT HTTP AT ALL\r\n\r\n");
    sockets.push(s);
    s.pause();
    // THEN the server holds no connection soon after (ended only, it would hold it as long as the client likes)
    await eventually(async () => (await held(server)) === 0, 3000);
  });

  test("paused connections of one sender hold at most its share, are cut at the timeout, and a signed delivery still gets 202", async () => {
    // GIVEN 8 connections in all, 4 a sender, and 300 ms for a request
    const { url, server } = await door({ maxConnections: 8, maxConnectionsPerPeer: 4, requestTimeoutMs: 300, idleTimeoutMs: 300 });
    // WHEN one sender opens 12 connections that never send nor read
    for (let i = 0; i < 12; i++) sockets.push(await rawFrom(url, "127.0.0.2"));
    sockets.forEach((s) => s.pause());
    // THEN it holds 4, and GitHub's delivery gets through meanwhile
    await eventually(async () => (await held(server)) <= 4, 2000);
    expect(server.connections.heldBy("127.0.0.2")).toBe(4);
    expect(await signedDelivery(url)).toBe(202);
    // AND the paused ones are cut within the timeout and the check interval
    await eventually(async () => server.connections.heldBy("127.0.0.2") === 0, 3000);
  });

  test("idle connections from many senders are cut at the idle timeout; a signed delivery gets 202 while they are open", async () => {
    const { url, server } = await door({ maxConnections: 20, requestTimeoutMs: 400 });
    // GIVEN 19 idle connections from 19 senders
    for (let i = 0; i < 19; i++) sockets.push(await rawFrom(url, `127.0.1.${i + 1}`));
    await eventually(async () => (await held(server)) === 19);
    // THEN the last place still serves GitHub
    expect(await signedDelivery(url)).toBe(202);
    // AND every idle one is cut (GitHub's own connection may stay for its keep-alive)
    await eventually(async () => (await held(server)) <= 1, 3000);
    expect(Array.from({ length: 19 }, (_, i) => server.connections.heldBy(`127.0.1.${i + 1}`))).toEqual(Array(19).fill(0));
  });

  test("slow signature-shaped bodies cannot take every slot: the oldest is cut for a new body, and a signed delivery gets 202", async () => {
    // GIVEN 4 bodies in flight, and 7 senders each holding a slow signature-shaped body
    const { url, server, logs } = await door({ maxBodiesInFlight: 4, requestTimeoutMs: 60_000 });
    const slow = Array.from({ length: 7 }, (_, i) =>
      rawFrom(
        url,
        `127.0.2.${i + 1}`,
        `POST /webhook HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\nx-github-event: personal_access_token_request\r\nx-github-delivery: ${randomUUID()}\r\nx-hub-signature-256: ${signBody(SECRET, "{}")}\r\ncontent-length: 1000\r\n\r\n{`,
      ),
    );
    sockets.push(...(await Promise.all(slow)));
    await eventually(async () => server.connections.inFlight.bodies === 4);
    // WHEN GitHub delivers
    // THEN it gets 202, and slow bodies were cut with 503 to make room
    expect(await signedDelivery(url)).toBe(202);
    expect(logs.filter((l) => l.reason === "slot taken by a newer body").length).toBeGreaterThanOrEqual(4);
  });

  test("bytes in flight are bounded whatever the cap: large uploads are cut, and a signed delivery gets 202", async () => {
    // GIVEN a cap of 1 MiB a body and 2 MiB for all bodies together
    const { url, server, logs } = await door({
      maxBodyBytes: 1024 * 1024,
      maxBodyBytesInFlight: 2 * 1024 * 1024,
      requestTimeoutMs: 60_000,
    });
    let most = 0;
    server.server.on("request", (req) => req.on("data", () => (most = Math.max(most, server.connections.inFlight.bytes))));
    // WHEN 6 senders each send 900 KB of a 1 MiB body, and stop
    const uploads = Array.from({ length: 6 }, (_, i) =>
      rawFrom(
        url,
        `127.0.3.${i + 1}`,
        Buffer.concat([
          Buffer.from(
            `POST /webhook HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\nx-github-event: personal_access_token_request\r\nx-github-delivery: ${randomUUID()}\r\nx-hub-signature-256: ${signBody(SECRET, "{}")}\r\ncontent-length: ${1024 * 1024}\r\n\r\n`,
          ),
          Buffer.alloc(900 * 1024, "x"),
        ]),
      ),
    );
    sockets.push(...(await Promise.all(uploads)));
    await eventually(async () => logs.filter((l) => l.reason === "bytes in flight over the limit").length >= 4);
    // THEN never more than 2 MiB were held, and GitHub's delivery gets through
    expect(most).toBeLessThanOrEqual(2 * 1024 * 1024);
    expect(await signedDelivery(url)).toBe(202);
  });

  test("with a 25 MiB cap, a token request is refused past 1 MiB, and another event's 3 MB body is drained unread, holding no memory", async () => {
    // GIVEN --max-body 25 MiB
    const { url, server, logs } = await door({ maxBodyBytes: 25 * 1024 * 1024 });
    // WHEN a token request delivery declares 2 MiB
    const tokenRequest = { ...goodHeaders("x"), "content-length": String(2 * 1024 * 1024) };
    // THEN it is refused before its body is read
    expect(await partial(url, tokenRequest, "x".repeat(1024))).toBe(413);
    // WHEN a push delivery of 3 MB arrives (ignored in any case: its signature is not checked)
    let most = 0;
    server.server.on("request", (req) => req.on("data", () => (most = Math.max(most, server.connections.inFlight.bytes))));
    const big = Buffer.alloc(3_000_000, "x");
    const post = (signature: string) =>
      fetch(`${url}/webhook`, {
        method: "POST",
        headers: { ...goodHeaders("x"), "x-github-event": "push", "x-hub-signature-256": signature },
        body: big,
      }).then((r) => r.status);
    // THEN it is acknowledged, and never more than 1 MiB was held
    expect(await post(signBody(SECRET, big))).toBe(202);
    expect(most).toBeLessThanOrEqual(1024 * 1024);
    expect(server.connections.inFlight).toEqual({ bodies: 0, bytes: 0 });
    expect(logs).toContainEqual(
      expect.objectContaining({ event: "delivery-ignored", type: "push", reason: "over 1048576 bytes, not read" }),
    );
  });

  test("fails when bytes in flight are set below the cap of one body", async () => {
    await expect(door({ maxBodyBytes: 64 * 1024, maxBodyBytesInFlight: 1024 })).rejects.toThrow(
      "WebhookServer: maxBodyBytesInFlight must be at least what one body holds (65536 bytes), got 1024",
    );
  });

  test("no signed body can end the process: null, an array, a string, deep nesting and wrong types get 400", async () => {
    const { url, logs } = await door();
    let deep = '"created"';
    for (let i = 0; i < 200_000; i++) deep = `[${deep}]`;
    const bodies = [
      "null",
      "[]",
      '"created"',
      "{",
      `{"action":${deep},"organization":{"login":"acme-corp"},"personal_access_token_request":{"id":1,"token_id":2}}`,
      '{"action":"created","organization":{"login":"acme-corp"},"personal_access_token_request":{"id":"1","token_id":2}}',
      '{"action":"created","organization":null}',
    ];
    for (const body of bodies) {
      const res = await fetch(`${url}/webhook`, { method: "POST", headers: goodHeaders(body), body });
      expect(res.status).toBe(400);
    }
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    expect(logs.filter((l) => l.event === "internal-error")).toEqual([]);
  });

  test("refusal log lines are rate-limited, and what was dropped is counted", async () => {
    const { url, logs, server } = await door({ refusalLinesPerMinute: 5 });
    for (let i = 0; i < 30; i++) {
      const res = await fetch(`${url}/webhook`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-github-event": "push", "x-github-delivery": randomUUID() },
        body: "{}",
      });
      expect(res.status).toBe(401);
    }
    await server.close();
    servers.splice(servers.indexOf(server), 1);
    expect(logs.filter((l) => l.event === "delivery-refused")).toHaveLength(5);
    expect(logs).toContainEqual({ event: "refusals-dropped", count: 25 });
  });

  test("duplicate log lines are rate-limited too: a replayed delivery cannot grow the log", async () => {
    const { url, logs, server } = await door({ refusalLinesPerMinute: 5 });
    const body = JSON.stringify({ zen: "Keep it logically awesome." });
    const headers = { ...goodHeaders(body), "x-github-event": "ping" };
    for (let i = 0; i < 31; i++) expect((await fetch(`${url}/webhook`, { method: "POST", headers, body })).status).toBe(202);
    await server.close();
    servers.splice(servers.indexOf(server), 1);
    expect(logs.filter((l) => l.event === "delivery-duplicate")).toHaveLength(5);
    expect(logs).toContainEqual({ event: "duplicates-dropped", count: 25 });
  });

  test("/healthz signs at most once per cache period, and says which organization cannot sign", async () => {
    let checks = 0;
    const { url } = await door({
      organizations: [{ login: "acme-corp" } as never, { login: "beta-corp" } as never],
      canSign: async (org) => (checks++, org.login === "acme-corp"),
    });
    const answers = await Promise.all(Array.from({ length: 50 }, () => fetch(`${url}/healthz`)));
    expect(answers.every((a) => a.status === 503)).toBe(true);
    expect(await answers[0].json()).toEqual({
      status: "degraded",
      organizations: { "acme-corp": "ok", "beta-corp": "cannot sign as the App" },
    });
    expect(checks).toBe(2);
  });
});
