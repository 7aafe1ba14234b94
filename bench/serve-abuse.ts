/**
 * `npm run bench:serve-abuse`: hostile volume and slowness against `token-policy serve --apply`
 * in its own process (so its memory is its own), on loopback only, bounded in count and time,
 * with the OpenAPI-checked stand-in as GitHub (20 ms a call). While each abuse runs, real signed
 * deliveries are sent; every one must be decided. Prints:
 * - peak RSS of the serve process under 100 concurrent unsigned 25 MB uploads, and under 100
 *   concurrent 25 MB uploads that look signed and stream without a declared length (limit 300 MB);
 * - when a body sent at one byte a second is cut (limit 15 s);
 * - how long the process takes to exit after SIGTERM with slow clients connected (limit 15 s).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { connect, type Socket } from "node:net";
import { join } from "node:path";
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

/** `token-policy serve --apply` in its own process; resolves after its first sweep. */
async function startServe(standIn: GitHubStandIn, app: InstalledApp, secret: string): Promise<Child> {
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
      join(root, "cli", "index.ts"),
      "serve",
      "--config",
      config,
      "--port",
      "0",
      "--apply",
      "--sweep-minutes",
      "0",
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

async function main(): Promise<void> {
  const standIn = await GitHubStandIn.start({ latencyMs: 20 });
  const app = installApp(standIn);
  const secret = randomBytes(32).toString("hex");
  const serve = await startServe(standIn, app, secret);
  const pid = serve.child.pid!;
  const results: [string, string, string, string][] = [];
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
  console.log("");
  const w = [Math.max(...results.map((r) => r[0].length)), Math.max(...results.map((r) => r[1].length)), 9];
  for (const r of results) console.log(`${r[0].padEnd(w[0])}  ${r[1].padEnd(w[1])}  ${r[2].padEnd(w[2])}  ${r[3]}`);
  if (standIn.violations.length) throw new Error(standIn.violations.join("\n"));
  await standIn.close();
  if (results.some((r) => r[3] !== "ok")) process.exitCode = 1;
}

function summary(answers: string[]): string {
  const m = new Map<string, number>();
  for (const a of answers) m.set(a, (m.get(a) ?? 0) + 1);
  return [...m].map(([k, v]) => `${v}× ${k}`).join(", ");
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
