/**
 * `npm run bench:serve-abuse`: hostile volume and slowness against `token-policy serve --apply`
 * in its own process (so its memory is its own), on loopback only, bounded in count and time,
 * with the OpenAPI-checked stand-in as GitHub (20 ms a call). While each abuse runs, real signed
 * deliveries are sent; every one must be decided. Prints:
 * - all at once, for 30 s, from 64 loopback addresses (127.0.10.1–64, so per-sender limits alone
 *   cannot stop them), each kind reopened as soon as serve cuts it: 256 paused sockets (connect,
 *   never send nor read), 70 slow bodies with a signature-shaped header (one byte a second), 300
 *   idle connections (a request, then silence) and 100 × 25 MB uploads (as `push` deliveries: a
 *   token request delivery is refused past 1 MiB from its declared length), against
 *   `serve --apply --max-body 26214400` with write spacing off, while real signed deliveries
 *   arrive from 127.0.0.1 once a second: their receipt-to-applied p99 (limit 2 s), peak RSS of
 *   the serve process (limit 300 MB), and how often serve cut each kind;
 * - peak RSS of the serve process under 100 concurrent unsigned 25 MB uploads, and under 100
 *   concurrent 25 MB uploads that look signed and stream without a declared length (limit 300 MB);
 * - when a body sent at one byte a second is cut (limit 15 s);
 * - how long the process takes to exit after SIGTERM with slow clients connected (limit 15 s).
 *
 * `-- --all-at-once` runs the first scenario only.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { connect, type Socket } from "node:net";
import { join } from "node:path";
import { serve as serveCommand } from "../cli/commands/serve";
import { signBody } from "../lib/serve/signature";
import { GitHubStandIn } from "../test-support/github-stand-in/server";
import { addRequest, installApp, writePolicyFile, type InstalledApp } from "../test-support/fixtures";
import { sized, tiny } from "./mode";

const MB = 1024 * 1024;
/** Concurrent uploads, their size in MB, and slow clients at SIGTERM. */
const UPLOADS = sized(100, 2);
const UPLOAD_MB = sized(25, 1);
const SLOW_CLIENTS = sized(20, 0);
const root = join(__dirname, "..");

interface Child {
  readonly child: ChildProcess;
  readonly port: number;
  readonly exited: Promise<number | null>;
  readonly lines: () => Record<string, unknown>[];
}

/**
 * `token-policy serve --apply` in its own process; resolves after its first sweep. With
 * `unspaced`, through this file's child mode: the command with GitHub's write spacing off.
 */
async function startServe(
  standIn: GitHubStandIn,
  app: InstalledApp,
  secret: string,
  extra: { unspaced?: boolean; args?: string[] } = {},
): Promise<Child> {
  const config = writePolicyFile({
    approval: { rules: [{ name: "read-only", action: "approve", match: { permissions: { repository: { contents: "read" } } } }] },
    app: {
      name: "acme-token-broker",
      homepageUrl: "https://github.com/acme-corp",
      permissions: { organization_personal_access_token_requests: "write" },
    },
  });
  const child = spawn(
    process.execPath,
    [
      "-r",
      "ts-node/register/transpile-only",
      ...(extra.unspaced ? [__filename, "--child"] : [join(root, "cli", "index.ts"), "serve"]),
      "--config",
      config,
      "--port",
      "0",
      "--apply",
      "--sweep-minutes",
      "0",
      ...(extra.args ?? []),
    ],
    {
      cwd: root,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        GITHUB_API_URL: standIn.url,
        APP_ID: String(app.appId),
        APP_PRIVATE_KEY: app.pem,
        WEBHOOK_SECRET: secret,
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let out = "";
  child.stdout!.on("data", (c) => (out += c));
  child.stderr!.on("data", (c) => process.stderr.write(c));
  const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
  const lines = () =>
    out
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  for (const t0 = Date.now(); !lines().some((l) => l.event === "sweep");) {
    if (Date.now() - t0 > 60_000) throw new Error(`serve did not start: ${out}`);
    await sleep(50);
  }
  const url = String(lines().find((l) => l.event === "listening")!.url);
  return { child, port: Number(new URL(url).port), exited, lines };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The process's resident set now, and its peak so far (VmHWM), in MB. */
function rss(pid: number): { now: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+)`, "m").exec(status)![1]);
  return { now: kb("VmRSS") / 1024, peak: kb("VmHWM") / 1024 };
}

/**
 * Sends a request of `total` bytes (declared, or chunked when `declare` is false) as fast as the
 * server takes it; resolves when the server answers or drops the connection.
 */
function upload(port: number, headers: Record<string, string>, total: number, declare: boolean): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    const head = [
      "POST /webhook HTTP/1.1",
      "host: 127.0.0.1",
      ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
      declare ? `content-length: ${total}` : "transfer-encoding: chunked",
      "",
      "",
    ].join("\r\n");
    const chunk = Buffer.alloc(256 * 1024, "x");
    let sent = 0;
    let answer = "";
    let done = false;
    const finish = (how: string) => {
      if (done) return;
      done = true;
      socket.destroy();
      resolve(how);
    };
    socket.on("data", (d) => {
      answer += d.toString("latin1");
      const m = /^HTTP\/1\.1 (\d{3})/.exec(answer);
      if (m) finish(m[1]);
    });
    socket.on("error", () => finish("dropped"));
    socket.on("close", () => finish("dropped"));
    const pump = () => {
      while (!done && sent < total) {
        const part = chunk.subarray(0, Math.min(chunk.length, total - sent));
        sent += part.length;
        const ok = socket.write(
          declare ? part : Buffer.concat([Buffer.from(`${part.length.toString(16)}\r\n`), part, Buffer.from("\r\n")]),
        );
        if (!ok) return void socket.once("drain", pump);
      }
      if (!declare && !done) socket.write("0\r\n\r\n");
    };
    socket.on("connect", () => {
      socket.write(head);
      pump();
    });
  });
}

/** A connection that sends headers, then one body byte a second; resolves with the seconds until the server cut it. */
function trickle(port: number, headers: Record<string, string>, limitSeconds: number): { cut: Promise<number>; socket: Socket } {
  const socket = connect(port, "127.0.0.1");
  const t0 = Date.now();
  let timer: NodeJS.Timeout | undefined;
  const cut = new Promise<number>((resolve) => {
    const end = () => {
      clearInterval(timer);
      resolve((Date.now() - t0) / 1000);
    };
    socket.on("close", end);
    socket.on("error", end);
    socket.on("data", () => socket.destroy());
  });
  socket.on("connect", () => {
    socket.write(
      [
        "POST /webhook HTTP/1.1",
        "host: 127.0.0.1",
        ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
        "content-length: 1000",
        "",
        "",
      ].join("\r\n"),
    );
    let n = 0;
    timer = setInterval(() => {
      if (++n > limitSeconds) socket.destroy();
      else socket.write("{");
    }, 1000);
  });
  return { cut, socket };
}

/** Real deliveries, one every `everyMs`, while `during` runs; returns their request ids. */
async function realDeliveries(
  standIn: GitHubStandIn,
  app: InstalledApp,
  secret: string,
  port: number,
  during: Promise<unknown>,
  everyMs = 250,
): Promise<number[]> {
  const ids: number[] = [];
  let running = true;
  void during.finally(() => (running = false));
  const sends: Promise<unknown>[] = [];
  while (running) {
    const r = addRequest(standIn, app.org, { owner: `real-${ids.length}` });
    ids.push(r.id);
    const body = JSON.stringify(standIn.deliveryPayload("acme-corp", r.id));
    sends.push(
      fetch(`http://127.0.0.1:${port}/webhook`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-github-event": "personal_access_token_request",
          "x-github-delivery": randomUUID(),
          "x-hub-signature-256": signBody(secret, body),
        },
        body,
      }).then((res) => {
        if (res.status !== 202) throw new Error(`a real delivery got ${res.status}`);
      }),
    );
    await sleep(everyMs);
  }
  await Promise.all(sends);
  return ids;
}

async function waitDecided(standIn: GitHubStandIn, app: InstalledApp, ids: number[], limitMs = 30_000): Promise<number> {
  const t0 = Date.now();
  const reviewed = () => new Set(app.org.reviews.flatMap((r) => r.ids));
  while (ids.some((id) => !reviewed().has(id))) {
    if (Date.now() - t0 > limitMs) break;
    await sleep(50);
  }
  return ids.filter((id) => reviewed().has(id)).length;
}

/** Child mode: `serve` as the CLI runs it, with the write spacing off; stops on SIGTERM. */
async function child(): Promise<void> {
  const after = (flag: string) => process.argv[process.argv.indexOf(flag) + 1];
  const [config, maxBody] = [after("--config"), process.argv.includes("--max-body") ? after("--max-body") : undefined];
  await serveCommand(
    { config, port: 0, apply: true, sweepMinutes: 0, maxBody: maxBody ? Number(maxBody) : undefined },
    {
      env: process.env,
      stdout: process.stdout,
      stderr: process.stderr,
      clientOptions: { writeIntervalMs: 0 },
    },
  );
}

/** Keeps `count` attackers of one kind going until `until`: each is reopened once serve cuts it; returns the cuts seen. */
function keep(count: number, until: Promise<unknown>, open: (from: string) => Promise<unknown>): Promise<number> {
  let running = true;
  void until.finally(() => (running = false));
  let cuts = 0;
  return Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const from = `127.0.10.${(i % 64) + 1}`;
      while (running) {
        await open(from);
        if (running) cuts++;
        else break;
        await sleep(20);
      }
    }),
  ).then(() => cuts);
}

/** A raw connection from `from` that sends `head` (if any), then `body` at `pace` (bytes, ms), until cut or `stop`. */
function attacker(
  port: number,
  from: string,
  stop: Promise<unknown>,
  opts: { head?: string; pace?: [Buffer, number]; pump?: number } = {},
): Promise<void> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: "127.0.0.1", localAddress: from });
    let timer: NodeJS.Timeout | undefined;
    const done = () => {
      clearInterval(timer);
      socket.destroy();
      resolve();
    };
    void stop.finally(done);
    socket.on("error", done);
    socket.on("close", done);
    socket.on("end", done);
    // Answers are read only to see the cut: a client that does not read changes nothing here,
    // since none of these waits for an answer it would have to take in.
    socket.on("data", () => undefined);
    socket.on("connect", () => {
      if (opts.head) socket.write(opts.head);
      if (opts.pace) timer = setInterval(() => socket.write(opts.pace![0]), opts.pace[1]);
      if (opts.pump) {
        const chunk = Buffer.alloc(256 * 1024, "x");
        let sent = 0;
        const pump = () => {
          while (sent < opts.pump!) {
            sent += chunk.length;
            if (!socket.write(chunk)) return void socket.once("drain", pump);
          }
        };
        pump();
      }
    });
  });
}

/** Attack mode: the four kinds at once against `port` for `seconds`; prints "started", then the cuts of each kind as JSON. */
async function attack(port: number, seconds: number): Promise<void> {
  const stop = sleep(seconds * 1000);
  const shaped = (length: number, event = "personal_access_token_request") =>
    [
      "POST /webhook HTTP/1.1",
      "host: 127.0.0.1",
      "content-type: application/json",
      `x-github-event: ${event}`,
      `x-github-delivery: ${randomUUID()}`,
      `x-hub-signature-256: ${signBody("not-the-secret", randomUUID())}`,
      `content-length: ${length}`,
      "",
      "",
    ].join("\r\n");
  process.stdout.write("started\n");
  const cuts = await Promise.all([
    keep(256, stop, (from) => attacker(port, from, stop)),
    keep(70, stop, (from) => attacker(port, from, stop, { head: shaped(1000), pace: [Buffer.from("{"), 1000] })),
    keep(300, stop, (from) => attacker(port, from, stop, { head: "GET /healthz HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n" })),
    keep(100, stop, (from) => attacker(port, from, stop, { head: shaped(25 * 1000 * 1000, "push"), pump: 25 * 1000 * 1000 })),
  ]);
  process.stdout.write(JSON.stringify(cuts) + "\n");
  process.exit(0);
}

async function allAtOnce(results: [string, string, string, string][]): Promise<void> {
  const check = (what: string, figure: string, limit: string, ok: boolean) => results.push([what, figure, limit, ok ? "ok" : "OVER"]);
  const standIn = await GitHubStandIn.start({ latencyMs: 20 });
  const app = installApp(standIn);
  const secret = randomBytes(32).toString("hex");
  const serve = await startServe(standIn, app, secret, { unspaced: true, args: ["--max-body", String(25 * MB)] });
  const pid = serve.child.pid!;
  const SECONDS = sized(30, 8);
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, rss(pid).peak)), 200);
  try {
    const t0 = Date.now();
    // The attackers run in a process of their own, so that their load slows serve, not the stand-in's GitHub.
    const attack = spawn(
      process.execPath,
      ["-r", "ts-node/register/transpile-only", __filename, "--attack", String(serve.port), String(SECONDS)],
      {
        cwd: root,
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    let out = "";
    const started = new Promise<void>((r) => attack.stdout!.on("data", (c) => ((out += c), out.includes("started") && r())));
    const kinds = new Promise<number[]>((r) => attack.on("exit", () => r(JSON.parse(out.split("\n")[1]) as number[])));
    await started;
    await sleep(2000);
    const real = await realDeliveries(standIn, app, secret, serve.port, sleep((SECONDS - 4) * 1000), 1000);
    const [paused, slow, idle, uploads] = await kinds;
    const decided = await waitDecided(standIn, app, real, 15_000);
    const wall = (Date.now() - t0) / 1000;
    const ms = serve
      .lines()
      .filter((l) => l.event === "decision" && real.includes(Number(l.request)) && l.outcome === "applied")
      .map((l) => Number(l.ms))
      .sort((a, b) => a - b);
    const p99 = ms[Math.min(ms.length - 1, Math.floor(0.99 * ms.length))];
    console.log(
      `all at once for ${wall.toFixed(0)} s: cut and reopened: ${paused} paused, ${slow} slow bodies, ${idle} idle, ${uploads} uploads`,
    );
    const batches = serve.lines().filter((l) => l.event === "batch");
    const worst = (k: string) => Math.max(...batches.map((b) => Number(b[k])));
    console.log(
      `  their batches (${batches.length}), worst: queued ${worst("queuedMs")} ms, read ${worst("readMs")} ms, write ${worst("writeMs")} ms`,
    );
    check("all at once: real deliveries decided", `${decided}/${real.length}`, "all", decided === real.length);
    check(
      "  their receipt to applied, p50 / p99 / max",
      `${ms[Math.floor(ms.length / 2)]} / ${p99} / ${ms.at(-1)} ms`,
      "p99 < 2 s",
      p99 < 2000,
    );
    peak = Math.max(peak, rss(pid).peak);
    check("  peak RSS of serve (--max-body 25 MiB)", `${peak.toFixed(0)} MB`, "< 300 MB", peak < 300);
  } finally {
    clearInterval(sampler);
    serve.child.kill("SIGKILL");
    await standIn.close();
  }
}

async function main(): Promise<void> {
  const results: [string, string, string, string][] = [];
  await allAtOnce(results);
  if (!process.argv.includes("--all-at-once")) await scenarios(results);
  console.log("");
  const w = [Math.max(...results.map((r) => r[0].length)), Math.max(...results.map((r) => r[1].length)), 9];
  for (const r of results) console.log(`${r[0].padEnd(w[0])}  ${r[1].padEnd(w[1])}  ${r[2].padEnd(w[2])}  ${r[3]}`);
  // A tiny run proves the bench still runs; its figures mean nothing, on a loaded CI machine least of all.
  if (!tiny && results.some((r) => r[3] !== "ok")) process.exitCode = 1;
}

async function scenarios(results: [string, string, string, string][]): Promise<void> {
  const standIn = await GitHubStandIn.start({ latencyMs: 20 });
  const app = installApp(standIn);
  const secret = randomBytes(32).toString("hex");
  const serve = await startServe(standIn, app, secret);
  const pid = serve.child.pid!;
  const check = (what: string, figure: string, limit: string, ok: boolean) => results.push([what, figure, limit, ok ? "ok" : "OVER"]);
  try {
    const idle = rss(pid);
    console.log(`serve process ${pid}: ${idle.now.toFixed(0)} MB RSS after start`);

    // 1. concurrent unsigned uploads (declared length, no signature header)
    const unsigned = Promise.all(
      Array.from({ length: UPLOADS }, () =>
        upload(
          serve.port,
          { "content-type": "application/json", "x-github-event": "personal_access_token_request", "x-github-delivery": randomUUID() },
          UPLOAD_MB * MB,
          true,
        ),
      ),
    );
    const real1 = await realDeliveries(standIn, app, secret, serve.port, unsigned);
    const answers1 = await unsigned;
    const peak1 = rss(pid).peak;
    const decided1 = await waitDecided(standIn, app, real1);
    check(
      `${UPLOADS} concurrent unsigned ${UPLOAD_MB} MB uploads: peak RSS`,
      `${peak1.toFixed(0)} MB (answers: ${summary(answers1)})`,
      "< 300 MB",
      peak1 < 300,
    );
    check("  real deliveries meanwhile decided", `${decided1}/${real1.length}`, "all", decided1 === real1.length);

    // 2. concurrent uploads with well-formed (wrong) signatures, streamed without a declared length
    const streamed = Promise.all(
      Array.from({ length: UPLOADS }, () =>
        upload(
          serve.port,
          {
            "content-type": "application/json",
            "x-github-event": "personal_access_token_request",
            "x-github-delivery": randomUUID(),
            "x-hub-signature-256": signBody("wrong", randomUUID()),
          },
          UPLOAD_MB * MB,
          false,
        ),
      ),
    );
    const real2 = await realDeliveries(standIn, app, secret, serve.port, streamed);
    const answers2 = await streamed;
    const peak2 = rss(pid).peak;
    const decided2 = await waitDecided(standIn, app, real2);
    check(
      `${UPLOADS} concurrent ${UPLOAD_MB} MB streamed bodies, signature-shaped: peak RSS`,
      `${peak2.toFixed(0)} MB (answers: ${summary(answers2)})`,
      "< 300 MB",
      peak2 < 300,
    );
    check("  real deliveries meanwhile decided", `${decided2}/${real2.length}`, "all", decided2 === real2.length);

    // 3. a body sent one byte a second (not under --tiny: it lasts until serve cuts it, 15 s)
    const headers = {
      "content-type": "application/json",
      "x-github-event": "personal_access_token_request",
      "x-github-delivery": randomUUID(),
      "x-hub-signature-256": signBody(secret, "{}"),
    };
    if (!tiny) {
      const slow = trickle(serve.port, headers, 60);
      const real3 = await realDeliveries(standIn, app, secret, serve.port, slow.cut, 1000);
      const cutAfter = await slow.cut;
      const decided3 = await waitDecided(standIn, app, real3);
      check("a body at 1 byte/s: cut after", `${cutAfter.toFixed(1)} s`, "<= 15 s", cutAfter <= 15);
      check("  real deliveries meanwhile decided", `${decided3}/${real3.length}`, "all", decided3 === real3.length);
    }

    // 4. SIGTERM with slow clients connected and real deliveries just received
    const slowOnes = Array.from({ length: SLOW_CLIENTS }, () => trickle(serve.port, { ...headers, "x-github-delivery": randomUUID() }, 60));
    await sleep(500);
    const last = await realDeliveries(standIn, app, secret, serve.port, sleep(1000), 100);
    const t0 = Date.now();
    serve.child.kill("SIGTERM");
    const code = await Promise.race([serve.exited, sleep(30_000).then(() => "still running")]);
    const exitAfter = (Date.now() - t0) / 1000;
    const decided4 = await waitDecided(standIn, app, last, 1000);
    check(
      `SIGTERM with ${SLOW_CLIENTS} slow clients connected: exit after`,
      `${exitAfter.toFixed(1)} s (exit code ${code})`,
      "<= 15 s",
      exitAfter <= 15 && code === 0,
    );
    check("  real deliveries received before SIGTERM decided", `${decided4}/${last.length}`, "all", decided4 === last.length);
    for (const s of slowOnes) s.socket.destroy();
  } finally {
    serve.child.kill("SIGKILL");
  }
  const refusals = serve.lines().filter((l) => l.event === "delivery-refused").length;
  const dropped = serve
    .lines()
    .filter((l) => l.event === "refusals-dropped")
    .reduce((n, l) => n + Number(l.count), 0);
  check("refusal log lines written / counted and dropped", `${refusals} / ${dropped}`, "bounded", refusals <= 60);
  if (standIn.violations.length) throw new Error(standIn.violations.join("\n"));
  await standIn.close();
}

function summary(answers: string[]): string {
  const m = new Map<string, number>();
  for (const a of answers) m.set(a, (m.get(a) ?? 0) + 1);
  return [...m].map(([k, v]) => `${v}× ${k}`).join(", ");
}

(process.argv[2] === "--child"
  ? child()
  : process.argv[2] === "--attack"
    ? attack(Number(process.argv[3]), Number(process.argv[4]))
    : main()
).catch((e) => {
  console.error(e);
  process.exit(1);
});
