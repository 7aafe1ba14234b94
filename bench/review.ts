/**
 * `npm run bench:review`: `review --apply` against the OpenAPI-checked stand-in with 20 ms
 * latency per call, at 2,500, 5,000 and 10,000 pending requests, beside a one-call-per-request
 * baseline at 10,000 in the same run. Prints API calls against the floor (list pages + one
 * review call per 100 ids per (action, reason) group + needed repository look-ups + auth),
 * wall time, and the review process's heap after GC (what it keeps: the decisions), its peak heap
 * and its peak RSS.
 */
import { join } from "node:path";
import { spawn } from "node:child_process";
import { sized } from "./mode";
import { GitHubStandIn } from "../test-support/github-stand-in/server";
import { addRequest, installApp, writePolicyFile, type InstalledApp } from "../test-support/fixtures";

const LATENCY_MS = 20;

function configFile(): string {
  return writePolicyFile({
    patPolicy: { maxLifetimeDays: 90 },
    approval: {
      rules: [
        {
          name: "no-admin",
          action: "deny",
          reason: "No administration.",
          match: { anyPermission: { organization: { administration: "read" } } },
        },
        { name: "read-only", action: "approve", reason: "Read-only.", match: { permissions: { repository: { contents: "read" } } } },
        { name: "release", action: "approve", reason: "Release repositories.", match: { repositories: ["release-*"] } },
      ],
      otherwise: "leave",
    },
  });
}

/** Seeds n requests: 70% read-only, 15% admin, 10% lifetime, 3% need a repository look-up, 2% left. */
function seed(standIn: GitHubStandIn, app: InstalledApp, n: number): { groups: Map<string, number>; lookups: number } {
  const groups = new Map<string, number>();
  const add = (k: string) => groups.set(k, (groups.get(k) ?? 0) + 1);
  let lookups = 0;
  for (let i = 0; i < n; i++) {
    const k = i % 100;
    if (k < 70) {
      addRequest(standIn, app.org, { owner: `reader${i}`, permissions: { repository: { contents: "read", metadata: "read" } } });
      add("approve:read-only");
    } else if (k < 85) {
      addRequest(standIn, app.org, { owner: `admin${i}`, permissions: { organization: { administration: "write" } } });
      add("deny:no-admin");
    } else if (k < 95) {
      addRequest(standIn, app.org, { owner: `forever${i}`, days: null });
      add("deny:lifetime");
    } else if (k < 98) {
      addRequest(standIn, app.org, {
        owner: `rel${i}`,
        permissions: { repository: { contents: "write" } },
        repositories: [`release-${i}`],
      });
      add("approve:release");
      lookups++;
    } else {
      addRequest(standIn, app.org, { owner: `wide${i}`, repositorySelection: "all", permissions: { repository: { contents: "write" } } });
    }
  }
  return { groups, lookups };
}

interface ChildFigures {
  ms: number;
  peakHeap: number;
  heapAfterGc: number;
  maxRss: number;
  decisions: number;
}

/** Runs the review in a child process, so its memory is measured alone. */
function runChild(mode: "policy" | "baseline", config: string, env: NodeJS.ProcessEnv): Promise<ChildFigures> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["--expose-gc", "-r", "ts-node/register/transpile-only", join(__dirname, "review-run.ts"), mode, config],
      {
        cwd: join(__dirname, ".."),
        env: { PATH: process.env.PATH, ...env },
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.on("exit", (code) =>
      code === 0 ? resolve(JSON.parse(out.trim().split("\n").pop()!)) : reject(new Error(`${mode} run exited ${code}`)),
    );
  });
}

async function runOne(mode: "policy" | "baseline", n: number, config: string): Promise<number> {
  const standIn = await GitHubStandIn.start({ latencyMs: LATENCY_MS });
  const app = installApp(standIn);
  const { groups, lookups } = seed(standIn, app, n);
  const env = { GITHUB_API_URL: standIn.url, APP_ID: String(app.appId), APP_PRIVATE_KEY: app.pem, BENCH_TOKEN: app.token };
  const f = await runChild(mode, config, env);
  if (f.decisions !== n) throw new Error(`${mode} ${n}: decided ${f.decisions}`);
  if (app.org.requests.size !== Math.round(n * 0.02))
    throw new Error(`${mode} ${n}: expected ${n * 0.02} left, got ${app.org.requests.size}`);
  if (standIn.violations.length) throw new Error(standIn.violations.join("\n"));
  const floor =
    mode === "policy" ? Math.ceil(n / 100) + [...groups.values()].reduce((s, c) => s + Math.ceil(c / 100), 0) + lookups + 3 : NaN; // auth: GET /app (the declared App), GET installation, POST token
  const calls = standIn.calls.length;
  const writes = standIn.calls.filter((c) => c.method === "POST" && c.operation.includes("personal-access")).length;
  row(`${mode} ${n}`, calls, floor, f, writes);
  await standIn.close();
  return calls;
}

function row(label: string, calls: number, floor: number, f: ChildFigures, writes: number): void {
  const overFloor = Number.isNaN(floor) ? "-" : `${(((calls - floor) / floor) * 100).toFixed(1)}%`;
  const mib = (b: number) => `${(b / 1048576).toFixed(1)} MiB`;
  console.log(
    [
      label.padEnd(15),
      String(calls).padStart(6),
      (Number.isNaN(floor) ? "-" : String(floor)).padStart(6),
      overFloor.padStart(6),
      String(writes).padStart(6),
      `${(f.ms / 1000).toFixed(1)} s`.padStart(8),
      `${(writes / 60).toFixed(1)} min`.padStart(9),
      mib(f.heapAfterGc).padStart(10),
      mib(f.peakHeap).padStart(10),
      mib(f.maxRss).padStart(10),
    ].join("  "),
  );
}

async function main(): Promise<void> {
  const config = configFile();
  console.log(`latency ${LATENCY_MS} ms per call on the stand-in; App auth; each run in its own process.`);
  console.log(`Writes are unspaced here; GitHub asks for 1 s between writes, so "at 1 w/s" is the time writes alone would take.`);
  console.log(
    [
      "run".padEnd(15),
      "calls".padStart(6),
      "floor".padStart(6),
      "over".padStart(6),
      "writes".padStart(6),
      "wall".padStart(8),
      "at 1 w/s".padStart(9),
      "heap kept".padStart(10),
      "heap peak".padStart(10),
      "peak RSS".padStart(10),
    ].join("  "),
  );
  let policyCalls = 0;
  for (const n of sized([2_500, 5_000, 10_000], [20])) policyCalls = await runOne("policy", n, config);
  const baselineCalls = await runOne("baseline", sized(10_000, 20), config);
  console.log(
    `at ${sized(10_000, 20)} requests: ${baselineCalls} baseline calls / ${policyCalls} policy calls = ${(baselineCalls / policyCalls).toFixed(1)}x fewer`,
  );
}
if (require.main === module) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
