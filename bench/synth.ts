/**
 * `npm run bench:synth`: synthesizes the example config and generated configs of 1, 100, 500 and
 * 1,000 organizations, each in a fresh process exactly as `npm run synth` runs (`ts-node --swc
 * main.ts`), and prints wall and CPU time (whole process, start-up included), both per
 * organization, and peak RSS; then the growth from 500 to 1,000 organizations per organization
 * (linear when it matches the per-organization figures). Targets on an idle 2-core machine: the
 * example under 1 s; 500 organizations under 3 s and 300 MB; 1,000 under 6 s.
 * `-- --runs N` synthesizes each config N times (default 3) and prints the median wall and CPU time
 * and the largest peak RSS: one run's peak depends on when V8's last full collection fell (its
 * old generation may grow to 4 times what was live then before it collects again), so one run
 * can show nearly twice another's. `-- --tiny` (CI): the example and 1 and 3 organizations, once.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import { sized, tiny } from "./mode";

const root = join(__dirname, "..");
const runTs = join(root, "scripts", "run-ts.cjs");
/**
 * A config of `n` organizations shaped like the example's first one. What they share is written
 * once under `defaults` (each entry gets it merged), which keeps 1,000 organizations within the
 * loader's 1 MiB limit.
 */
export function generatedConfig(n: number): string {
  const organizations = Array.from({ length: n }, (_, i) => ({
    login: `bench-org-${i}`,
    ...(i % 5 === 4 ? { githubUrl: "https://github.bench.example" } : {}),
    app: { name: `bench-broker-${i}`, homepageUrl: `https://github.com/bench-org-${i}`, webhookUrl: `https://hooks.bench.example/${i}` },
  }));
  const defaults = {
    patPolicy: { maxLifetimeDays: 90 },
    approval: {
      rules: [
        { name: "read-only", action: "approve", match: { permissions: { repository: { contents: "read" } }, maxLifetimeDays: 30 } },
        {
          name: "no-admin",
          action: "deny",
          reason: "No administration.",
          match: { anyPermission: { organization: { administration: "read" } } },
        },
      ],
    },
    app: {
      permissions: { contents: "read", organization_personal_access_token_requests: "write" },
      events: ["personal_access_token_request"],
      installation: { repositories: ["tools", "release"] },
    },
    credentials: {
      actions: { visibility: "selected", repositories: ["tools", "release", "docs"] },
      dependabot: { visibility: "selected", repositories: ["tools"] },
      environments: [{ repository: "release", environment: "production" }],
    },
  };
  return stringify({ defaults, organizations });
}

/** One synth's figures. */
interface Figures {
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly peakRssMiB: number;
}

/** How many times each config is synthesized: `--runs N`, else 3 (1 under `--tiny`). */
function runsWanted(): number {
  const i = process.argv.indexOf("--runs");
  if (i < 0) return tiny ? 1 : 3;
  const n = Number(process.argv[i + 1]);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--runs takes a whole number of runs, 1 or more, got ${process.argv[i + 1]}`);
  return n;
}

/** The median of `xs`. */
function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** `runs` synths of one config, printed as one row: median wall and CPU time, largest peak RSS. */
function run(label: string, configText: string | null, orgs: number, runs: number): Figures {
  const all = Array.from({ length: runs }, () => once(label, configText, orgs));
  const f: Figures = {
    wallMs: median(all.map((x) => x.wallMs)),
    cpuMs: median(all.map((x) => x.cpuMs)),
    peakRssMiB: Math.max(...all.map((x) => x.peakRssMiB)),
  };
  const { wallMs, cpuMs, peakRssMiB } = f;
  console.log(
    [
      label.padEnd(10),
      String(orgs).padStart(5),
      `${(wallMs / 1000).toFixed(2)} s`.padStart(9),
      `${(cpuMs / 1000).toFixed(2)} s`.padStart(9),
      `${(wallMs / orgs).toFixed(1)} ms`.padStart(10),
      `${(cpuMs / orgs).toFixed(1)} ms`.padStart(10),
      `${peakRssMiB.toFixed(0)} MiB`.padStart(9),
    ].join("  "),
  );
  return f;
}

/** Synthesizes `configText` (the example's when null) in a fresh process; checks it wrote one stack per organization and enterprise. */
function once(label: string, configText: string | null, orgs: number): Figures {
  const dir = mkdtempSync(join(tmpdir(), "bench-synth-"));
  try {
    const text = configText ?? readFileSync(join(root, "token-policy.yaml"), "utf8");
    if (configText === null) copyFileSync(join(root, "token-policy.yaml"), join(dir, "token-policy.yaml"));
    else writeFileSync(join(dir, "token-policy.yaml"), configText);
    const started = process.hrtime.bigint();
    const r = spawnSync(process.execPath, [runTs, "main.ts"], {
      cwd: dir,
      env: { ...process.env, NODE_OPTIONS: `--require ${join(__dirname, "peak-rss.js")}` },
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
    });
    const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
    if (r.status !== 0) throw new Error(`${label}: synth exited ${r.status}\n${r.stderr}`);
    const peakRssMiB = Number(/BENCH_PEAK_RSS_KB=(\d+)/.exec(r.stderr)?.[1] ?? NaN) / 1024;
    const cpuMs = Number(/BENCH_CPU_US=(\d+)/.exec(r.stderr)?.[1] ?? NaN) / 1000;
    const enterprises = ((parse(text) as { enterprises?: unknown[] }).enterprises ?? []).length;
    const stacks = readdirSync(join(dir, "cdktf.out", "stacks")).length;
    if (stacks !== orgs + enterprises) throw new Error(`${label}: expected ${orgs + enterprises} stacks, got ${stacks}`);
    return { wallMs, cpuMs, peakRssMiB };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  const sizes = sized([1, 100, 500, 1_000], [1, 3]);
  const runs = runsWanted();
  console.log(
    `node ${process.version}, ${cpus().length} cores; each run is a fresh process (node scripts/run-ts.cjs main.ts, sources compiled before the first), start-up included; ${runs} ${runs === 1 ? "run" : "runs"} per config: median times, largest peak RSS`,
  );
  console.log(
    [
      "config".padEnd(10),
      "orgs".padStart(5),
      "wall".padStart(9),
      "cpu".padStart(9),
      "wall/org".padStart(10),
      "cpu/org".padStart(10),
      "peak RSS".padStart(9),
    ].join("  "),
  );
  // The first synth after a change of the sources compiles them (scripts/run-ts.cjs): not timed.
  once("warm-up", null, 2);
  run("example", null, 2, runs);
  const figures = new Map(sizes.map((n) => [n, run("generated", generatedConfig(n), n, runs)]));
  const [small, large] = [sizes.at(-2)!, sizes.at(-1)!].map((n) => ({ n, f: figures.get(n)! }));
  const per = (k: "wallMs" | "cpuMs") => ((large.f[k] - small.f[k]) / (large.n - small.n)).toFixed(1);
  console.log(
    `growth from ${small.n} to ${large.n} organizations: ${per("wallMs")} ms wall, ${per("cpuMs")} ms cpu per added organization`,
  );
}
