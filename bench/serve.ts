/**
 * `npm run bench:serve`: `serve --apply` in this process against the OpenAPI-checked stand-in,
 * every GitHub call answered after 20 ms, deliveries signed as GitHub signs them.
 *
 * (a) Bursts of 100, 1,000 and 5,000 `created` deliveries, with GitHub's 1 s between writes (as
 *     in production) and without it (processing cost alone). Prints receipt to decision applied
 *     (p50, p99, max), the reads of GitHub's record by token id against ⌈n/50⌉, the repository
 *     reads (only the tenth of requests a repository rule needs), and the writes against ⌈n/100⌉.
 * (b) One real delivery a second for 60 s, with 100 forged (wrong signature) or replayed (a real
 *     delivery resent under fresh delivery ids) deliveries a second during 30 s of it, 1 s between
 *     writes: the real deliveries' p99 and max, and what the others caused.
 *
 * Where a burst's time goes, per batch (p99 over its batches): queued (oldest receipt to the
 * batch starting), read (GitHub's record read and decided), write (joining the other batches'
 * reads and the merged bulk write).
 *
 * `-- --spacing off|on|both` (default both), `-- --bursts 100,1000` (default 100,1000,5000),
 * `-- --no-stream` (skip (b)).
 */
import { randomBytes, randomUUID } from "node:crypto";
import { serve } from "../cli/commands/serve";
import type { LogLine } from "../lib/serve/webhook-server";
import { signBody } from "../lib/serve/signature";
import { GitHubStandIn } from "../test-support/github-stand-in/server";
import { addRequest, installApp, writePolicyFile, type InstalledApp } from "../test-support/fixtures";
import { sized } from "./mode";

const argv = process.argv.slice(2);
const arg = (name: string) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
const BURSTS = arg("--bursts")?.split(",").map(Number) ?? sized([100, 1_000, 5_000], [5]);
const SPACING = arg("--spacing") ?? "both";
const SENDERS = 64;
const LIST = "GET /orgs/{org}/personal-access-token-requests";
const REPOS = "GET /orgs/{org}/personal-access-token-requests/{pat_request_id}/repositories";
const REVIEW = "POST /orgs/{org}/personal-access-token-requests";

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

interface Served {
  readonly standIn: GitHubStandIn;
  readonly app: InstalledApp;
  readonly secret: string;
  readonly url: string;
  readonly decisions: LogLine[];
  readonly batches: LogLine[];
  readonly stop: () => Promise<void>;
}

/** A stand-in and `serve --apply` on it, after its first sweep. */
async function start(writeIntervalMs: number): Promise<Served> {
  const standIn = await GitHubStandIn.start({ latencyMs: 20 });
  const app = installApp(standIn);
  const secret = randomBytes(32).toString("hex");
  const config = writePolicyFile({
    approval: {
      rules: [
        // one reason, so that both rules' approvals share one bulk call
        {
          name: "read-only",
          action: "approve",
          reason: "Within the policy.",
          match: { permissions: { repository: { contents: "read" } } },
        },
        {
          name: "docs-write",
          action: "approve",
          reason: "Within the policy.",
          match: { repositories: ["docs-*"], permissions: { repository: { contents: "write" } } },
        },
      ],
    },
    app: {
      name: "acme-token-broker",
      homepageUrl: "https://github.com/acme-corp",
      permissions: { organization_personal_access_token_requests: "write" },
    },
  });
  const decisions: LogLine[] = [];
  const batches: LogLine[] = [];
  let stop!: () => void;
  let url = "";
  let swept!: () => void;
  const ready = new Promise<void>((r) => (swept = r));
  const done = serve(
    { config, port: 0, apply: true, sweepMinutes: 0 },
    {
      env: { GITHUB_API_URL: standIn.url, APP_ID: String(app.appId), APP_PRIVATE_KEY: app.pem, WEBHOOK_SECRET: secret },
      stdout: { write: () => true },
      stderr: { write: () => true },
      clientOptions: { writeIntervalMs },
    },
    {
      log: (l) =>
        l.event === "decision" ? decisions.push(l) : l.event === "batch" ? batches.push(l) : l.event === "sweep" ? swept() : undefined,
      stopSignal: new Promise<void>((r) => (stop = r)),
      onListening: (u: string) => (url = u),
    },
  );
  await ready;
  return {
    standIn,
    app,
    secret,
    url,
    decisions,
    batches,
    stop: async () => {
      stop();
      await done;
      if (standIn.violations.length) throw new Error(standIn.violations.join("\n"));
      if (standIn.rejections.length) throw new Error(JSON.stringify(standIn.rejections));
      await standIn.close();
    },
  };
}

async function post(s: Served, body: string, opts: { id?: string; signature?: string } = {}): Promise<number> {
  const res = await fetch(`${s.url}/webhook`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-github-event": "personal_access_token_request",
      "x-github-delivery": opts.id ?? randomUUID(),
      "x-hub-signature-256": opts.signature ?? signBody(s.secret, body),
    },
    body,
  });
  await res.arrayBuffer();
  return res.status;
}

const count = (s: Served, op: string) => s.standIn.callsOf(op).length;

async function bursts(writeIntervalMs: number): Promise<void> {
  const s = await start(writeIntervalMs);
  console.log(
    `\n(a) bursts, ${writeIntervalMs ? `${writeIntervalMs} ms between writes (production)` : "no spacing between writes (processing cost)"}, 20 ms per GitHub call, ${SENDERS} deliveries in flight`,
  );
  console.log("  batches: how many the burst was read in; reads: GitHub's record read by token id, against the sum of ⌈batch/50⌉");
  console.log("  repo reads: a request's repositories, against the requests a repository rule needs them for; writes against ⌈n/100⌉");
  console.log(
    [
      "burst",
      "p50",
      "p99",
      "max",
      "batches",
      "reads",
      "Σ⌈b/50⌉",
      "repo reads",
      "needing",
      "writes",
      "⌈n/100⌉",
      "wall",
      "queued",
      "read",
      "write",
    ]
      .map((h, i) => (i ? h.padStart(11) : h.padStart(6)))
      .join(""),
  );
  for (const n of BURSTS) {
    s.decisions.length = 0;
    s.batches.length = 0;
    const before = { list: count(s, LIST), repos: count(s, REPOS), review: count(s, REVIEW) };
    // every tenth request asks contents: write, which only the docs-* rule can approve: its repositories are read
    const reqs = Array.from({ length: n }, (_, i) =>
      addRequest(
        s.standIn,
        s.app.org,
        i % 10 === 0
          ? { owner: `w${n}-${i}`, repositories: ["docs-1"], permissions: { repository: { contents: "write" } } }
          : { owner: `m${n}-${i}` },
      ),
    );
    const bodies = reqs.map((r) => JSON.stringify(s.standIn.deliveryPayload("acme-corp", r.id)));
    const started = Date.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: SENDERS }, async () => {
        for (let i = next++; i < bodies.length; i = next++) {
          const status = await post(s, bodies[i]);
          if (status !== 202) throw new Error(`delivery answered ${status}`);
        }
      }),
    );
    while (s.decisions.length < n) await new Promise((r) => setTimeout(r, 20));
    const wall = Date.now() - started;
    const ms = s.decisions.map((d) => Number(d.ms)).sort((a, b) => a - b);
    if (s.decisions.some((d) => d.outcome !== "applied"))
      throw new Error(`a decision was not applied: ${JSON.stringify(s.decisions.find((d) => d.outcome !== "applied"))}`);
    console.log(
      [
        String(n).padStart(6),
        ...[
          `${percentile(ms, 50)} ms`,
          `${percentile(ms, 99)} ms`,
          `${ms.at(-1)} ms`,
          String(s.batches.length),
          String(count(s, LIST) - before.list),
          String(s.batches.reduce((sum, b) => sum + Math.ceil(Number(b.requests) / 50), 0)),
          String(count(s, REPOS) - before.repos),
          String(Math.ceil(n / 10)),
          String(count(s, REVIEW) - before.review),
          String(Math.ceil(n / 100)),
          `${(wall / 1000).toFixed(1)} s`,
          ...["queuedMs", "readMs", "writeMs"].map(
            (k) =>
              `${percentile(
                s.batches.map((b) => Number(b[k])).sort((a, b) => a - b),
                99,
              )} ms`,
          ),
        ].map((c) => c.padStart(11)),
      ].join(""),
    );
  }
  await s.stop();
}

async function stream(): Promise<void> {
  const s = await start(1000);
  const SECONDS = sized(60, 3);
  const HOSTILE_FROM = sized(15, 1);
  const HOSTILE_TO = sized(45, 2);
  const real: number[] = [];
  const captured = JSON.stringify(s.standIn.deliveryPayload("acme-corp", addRequest(s.standIn, s.app.org, { owner: "captured" }).id));
  const capturedSignature = signBody(s.secret, captured);
  // the captured delivery was decided when it first arrived
  if ((await post(s, captured)) !== 202) throw new Error("first delivery refused");
  while (s.decisions.length < 1) await new Promise((r) => setTimeout(r, 20));
  s.decisions.length = 0;
  const writesBefore = count(s, REVIEW);
  const listsBefore = count(s, LIST);
  let hostile = 0;
  const statuses = new Map<number, number>();
  const hostileSends: Promise<void>[] = [];
  const t0 = Date.now();
  for (let second = 0; second < SECONDS; second++) {
    const r = addRequest(s.standIn, s.app.org, { owner: `steady-${second}` });
    real.push(r.id);
    void post(s, JSON.stringify(s.standIn.deliveryPayload("acme-corp", r.id)));
    if (second >= HOSTILE_FROM && second < HOSTILE_TO) {
      for (let i = 0; i < 100; i++) {
        hostile++;
        const forged = i % 2 === 0;
        const p = forged
          ? post(s, captured, { signature: signBody("not-the-secret-" + i, captured) })
          : post(s, captured, { signature: capturedSignature });
        hostileSends.push(p.then((status) => void statuses.set(status, (statuses.get(status) ?? 0) + 1)));
        await new Promise((x) => setTimeout(x, 10));
      }
    }
    const wait = t0 + (second + 1) * 1000 - Date.now();
    if (wait > 0) await new Promise((x) => setTimeout(x, wait));
  }
  await Promise.all(hostileSends);
  while (s.decisions.length < real.length) await new Promise((r) => setTimeout(r, 20));
  const ms = s.decisions.map((d) => Number(d.ms)).sort((a, b) => a - b);
  const written = s.standIn
    .callsOf(REVIEW)
    .slice(writesBefore)
    .flatMap((c) => (c.body as { pat_request_ids: number[] }).pat_request_ids);
  const extra = written.filter((id) => !real.includes(id));
  console.log(
    `\n(b) one real delivery a second for ${SECONDS} s; ${hostile} forged or replayed deliveries (100 a second from ${HOSTILE_FROM} s to ${HOSTILE_TO} s); 1 s between writes, 20 ms per GitHub call`,
  );
  console.log(`  real deliveries: ${real.length} decided, p50 ${percentile(ms, 50)} ms, p99 ${percentile(ms, 99)} ms, max ${ms.at(-1)} ms`);
  console.log(
    `  forged or replayed: answers ${[...statuses].map(([k, v]) => `${v}× ${k}`).join(", ")}; ids written that no real delivery named: ${extra.length}; writes ${written.length} ids in ${count(s, REVIEW) - writesBefore} calls; reads ${count(s, LIST) - listsBefore}`,
  );
  if (extra.length) throw new Error("a forged or replayed delivery caused a write");
  if (percentile(ms, 99) >= 1500) console.log("  NOTE: p99 is not under 1.5 s");
  await s.stop();
}

async function main(): Promise<void> {
  const intervals = SPACING === "on" ? [1000] : SPACING === "off" ? [0] : [1000, 0];
  for (const interval of intervals) await bursts(interval);
  if (!argv.includes("--no-stream")) await stream();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
