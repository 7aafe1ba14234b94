/**
 * `npm run bench:serve`: `serve --apply` in this thread against the OpenAPI-checked stand-in, every
 * GitHub call answered after 20 ms, deliveries signed as GitHub signs them. The stand-in and
 * GitHub's webhook sender run in worker threads of their own (bench/serve-github.ts), beside serve
 * rather than in its event loop, so that the figures are serve's.
 *
 * (a) Bursts of 100, 1,000 and 5,000 `created` deliveries, with GitHub's 1 s between writes (as
 *     in production) and without it (processing cost alone). Prints receipt to decision applied
 *     (p50, p99, max), the reads of GitHub's record by token id against ⌈n/50⌉, the repository
 *     reads (only the tenth of requests a repository rule needs), and the writes against ⌈n/100⌉.
 * (b) One real delivery a second for 60 s, with 100 forged (wrong signature) or replayed (a real
 *     delivery resent under fresh delivery ids) deliveries a second during 30 s of it, 1 s between
 *     writes: the real deliveries' p99 and max, and what the others caused.
 *
 * Where a burst's time goes (p99 each): per batch, queued (oldest receipt to the batch starting),
 * read (GitHub's record read and decided), write (joining the other batches' reads and the merged
 * bulk write); per GitHub call, waiting for its turn (reads, writes: lib/github/pacing.ts) and in
 * flight; and the delay of serve's event loop (its own CPU) and of the stand-in's (a slow answer
 * that is the stand-in's, not serve's).
 *
 * `-- --spacing off|on|both` (default both), `-- --bursts 100,1000` (default 100,1000,5000),
 * `-- --no-stream` (skip (b)).
 */
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { Worker } from "node:worker_threads";
import { serve } from "../cli/commands/serve";
import type { RequestTiming } from "../lib/github/pacing";
import type { LogLine } from "../lib/serve/webhook-server";
import { writePolicyFile } from "../test-support/fixtures";
import { sized } from "./mode";
import type { Delivery, Methods } from "./serve-github";

const argv = process.argv.slice(2);
const arg = (name: string) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
const BURSTS = arg("--bursts")?.split(",").map(Number) ?? sized([100, 1_000, 5_000], [5]);
const SPACING = arg("--spacing") ?? "both";
const SENDERS = 64;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** The p99 of some numbers, rounded to ms ("-" when there are none). */
function p99(values: number[]): string {
  return values.length
    ? `${Math.round(
        percentile(
          [...values].sort((a, b) => a - b),
          99,
        ),
      )} ms`
    : "-";
}

/** A worker thread of GitHub's side: each method of bench/serve-github.ts, called by message. */
class GitHubSide {
  private readonly worker: Worker;
  private readonly waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private next = 0;

  constructor() {
    const file = join(__dirname, "serve-github.ts");
    this.worker = new Worker(`require("ts-node/register/transpile-only"); require(${JSON.stringify(file)});`, { eval: true });
    this.worker.on("message", (m: { id: number; result?: unknown; error?: string }) => {
      const w = this.waiting.get(m.id)!;
      this.waiting.delete(m.id);
      if (m.error === undefined) w.resolve(m.result);
      else w.reject(new Error(`GitHub's side: ${m.error}`));
    });
    this.worker.on("error", (e) => this.waiting.forEach((w) => w.reject(e)));
  }

  call<K extends keyof Methods>(method: K, arg: Parameters<Methods[K]>[0]): Promise<Awaited<ReturnType<Methods[K]>>> {
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ id, method, arg });
    });
  }

  async terminate(): Promise<void> {
    await this.worker.terminate();
  }

  async stop(): Promise<void> {
    const { violations, rejections } = await this.call("close", undefined);
    await this.worker.terminate();
    if (violations.length) throw new Error(violations.join("\n"));
    if (rejections.length) throw new Error(JSON.stringify(rejections));
  }
}

interface Served {
  /** The stand-in's thread. */
  readonly github: GitHubSide;
  /** The webhook sender's thread. */
  readonly sender: GitHubSide;
  /** Posts deliveries to serve; returns the statuses. */
  readonly send: (deliveries: Delivery[], senders: number) => Promise<number[]>;
  readonly url: string;
  readonly decisions: LogLine[];
  readonly batches: LogLine[];
  readonly calls: RequestTiming[];
  readonly stop: () => Promise<void>;
}

/** The stand-in and `serve --apply` on it, after its first sweep. */
async function start(writeIntervalMs: number): Promise<Served> {
  const github = new GitHubSide();
  const sender = new GitHubSide();
  const secret = randomBytes(32).toString("hex");
  const app = await github.call("start", { latencyMs: 20 });
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
  const calls: RequestTiming[] = [];
  let stop!: () => void;
  let url = "";
  let swept!: () => void;
  const ready = new Promise<void>((r) => (swept = r));
  const done = serve(
    { config, port: 0, apply: true, sweepMinutes: 0 },
    {
      env: { GITHUB_API_URL: app.url, APP_ID: String(app.appId), APP_PRIVATE_KEY: app.pem, WEBHOOK_SECRET: secret },
      stdout: { write: () => true },
      stderr: { write: () => true },
      clientOptions: { writeIntervalMs, observe: (t) => calls.push(t) },
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
    github,
    sender,
    send: (deliveries, senders) => sender.call("send", { url, secret, deliveries, senders }),
    url,
    decisions,
    batches,
    calls,
    stop: async () => {
      stop();
      await done;
      await github.stop();
      await sender.terminate();
    },
  };
}

async function bursts(writeIntervalMs: number): Promise<void> {
  const s = await start(writeIntervalMs);
  console.log(
    `\n(a) bursts, ${writeIntervalMs ? `${writeIntervalMs} ms between writes (production)` : "no spacing between writes (processing cost)"}, 20 ms per GitHub call, ${SENDERS} deliveries in flight`,
  );
  console.log("  batches: how many the burst was read in; reads: GitHub's record read by token id, against the sum of ⌈batch/50⌉");
  console.log("  repo reads: a request's repositories, against the requests a repository rule needs them for; writes against ⌈n/100⌉");
  console.log(
    "  p99 of: a batch queued, reading, writing; a GitHub read and a write waiting for their turn; a read in flight; the event loop delay of serve, of the stand-in",
  );
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
      "read wait",
      "write wait",
      "in flight",
      "loop delay",
      "stand-in",
    ]
      .map((h, i) => (i ? h.padStart(11) : h.padStart(6)))
      .join(""),
  );
  for (const n of BURSTS) {
    s.decisions.length = 0;
    s.batches.length = 0;
    s.calls.length = 0;
    const before = await s.github.call("counts", undefined);
    // every tenth request asks contents: write, which only the docs-* rule can approve: its repositories are read
    const reqs = await s.github.call(
      "requests",
      Array.from({ length: n }, (_, i) =>
        i % 10 === 0
          ? { owner: `w${n}-${i}`, repositories: ["docs-1"], permissions: { repository: { contents: "write" as const } } }
          : { owner: `m${n}-${i}` },
      ),
    );
    const loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();
    await s.github.call("loopDelay", undefined);
    const started = Date.now();
    const statuses = await s.send(
      reqs.map((r) => ({ body: r.body })),
      SENDERS,
    );
    if (statuses.some((st) => st !== 202)) throw new Error(`a delivery was answered ${statuses.find((st) => st !== 202)}`);
    while (s.decisions.length < n) await new Promise((r) => setTimeout(r, 20));
    const wall = Date.now() - started;
    loop.disable();
    const after = await s.github.call("counts", undefined);
    const standInDelay = await s.github.call("loopDelay", undefined);
    const ms = s.decisions.map((d) => Number(d.ms)).sort((a, b) => a - b);
    if (s.decisions.some((d) => d.outcome !== "applied"))
      throw new Error(`a decision was not applied: ${JSON.stringify(s.decisions.find((d) => d.outcome !== "applied"))}`);
    const of = (kind: RequestTiming["kind"]) => s.calls.filter((c) => c.kind === kind);
    console.log(
      [
        String(n).padStart(6),
        ...[
          `${percentile(ms, 50)} ms`,
          `${percentile(ms, 99)} ms`,
          `${ms.at(-1)} ms`,
          String(s.batches.length),
          String(after.list - before.list),
          String(s.batches.reduce((sum, b) => sum + Math.ceil(Number(b.requests) / 50), 0)),
          String(after.repos - before.repos),
          String(Math.ceil(n / 10)),
          String(after.review - before.review),
          String(Math.ceil(n / 100)),
          `${(wall / 1000).toFixed(1)} s`,
          ...["queuedMs", "readMs", "writeMs"].map((k) => p99(s.batches.map((b) => Number(b[k])))),
          p99(of("read").map((c) => c.queuedMs)),
          p99(of("write").map((c) => c.queuedMs)),
          p99(of("read").map((c) => c.inFlightMs)),
          `${Math.round(loop.percentile(99) / 1e6)} ms`,
          `${standInDelay} ms`,
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
  const [captured] = await s.github.call("requests", [{ owner: "captured" }]);
  const post = async (body: string, forged = false) => (await s.send([{ body, forged }], 1))[0];
  // the captured delivery was decided when it first arrived
  if ((await post(captured.body)) !== 202) throw new Error("first delivery refused");
  while (s.decisions.length < 1) await new Promise((r) => setTimeout(r, 20));
  s.decisions.length = 0;
  const countsBefore = await s.github.call("counts", undefined);
  let hostile = 0;
  const statuses = new Map<number, number>();
  const hostileSends: Promise<void>[] = [];
  const t0 = Date.now();
  for (let second = 0; second < SECONDS; second++) {
    const [r] = await s.github.call("requests", [{ owner: `steady-${second}` }]);
    real.push(r.id);
    void post(r.body);
    if (second >= HOSTILE_FROM && second < HOSTILE_TO) {
      for (let i = 0; i < 100; i++) {
        hostile++;
        // half forged (a wrong signature), half replayed (the captured delivery, its real signature, a fresh delivery id)
        const p = post(captured.body, i % 2 === 0);
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
  const written = await s.github.call("written", countsBefore.review);
  const countsAfter = await s.github.call("counts", undefined);
  const extra = written.filter((id) => !real.includes(id));
  console.log(
    `\n(b) one real delivery a second for ${SECONDS} s; ${hostile} forged or replayed deliveries (100 a second from ${HOSTILE_FROM} s to ${HOSTILE_TO} s); 1 s between writes, 20 ms per GitHub call`,
  );
  console.log(`  real deliveries: ${real.length} decided, p50 ${percentile(ms, 50)} ms, p99 ${percentile(ms, 99)} ms, max ${ms.at(-1)} ms`);
  console.log(
    `  forged or replayed: answers ${[...statuses].map(([k, v]) => `${v}× ${k}`).join(", ")}; ids written that no real delivery named: ${extra.length}; writes ${written.length} ids in ${countsAfter.review - countsBefore.review} calls; reads ${countsAfter.list - countsBefore.list}`,
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
