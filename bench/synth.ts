/**
 * `npm run bench:synth`: synthesizes the example config and generated configs of 1, 100 and 500
 * organizations, each in a fresh process exactly as `npm run synth` runs, and prints wall time,
 * ms per organization and peak memory. Targets on a 2-core machine: example < 3 s; 500 orgs
 * < 10 s and < 1 GiB.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";

const root = join(__dirname, "..");
const tsNode = join(root, "node_modules", "ts-node", "dist", "bin.js");

/** A config of `n` organizations shaped like the example's first one. */
export function generatedConfig(n: number): string {
  const organizations = Array.from({ length: n }, (_, i) => ({
    login: `bench-org-${i}`,
    ...(i % 5 === 4 ? { githubUrl: "https://github.bench.example" } : {}),
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
      name: `bench-broker-${i}`,
      homepageUrl: `https://github.com/bench-org-${i}`,
      permissions: { contents: "read", organization_personal_access_token_requests: "write" },
      events: ["personal_access_token_request"],
      webhookUrl: `https://hooks.bench.example/${i}`,
      installation: { repositories: ["tools", "release"] },
    },
    credentials: {
      actions: { visibility: "selected", repositories: ["tools", "release", "docs"] },
      dependabot: { visibility: "selected", repositories: ["tools"] },
      environments: [{ repository: "release", environment: "production" }],
    },
  }));
  return stringify({ defaults: { patPolicy: { maxLifetimeDays: 90 } }, organizations });
}

function run(label: string, configText: string | null, orgs: number): void {
  const dir = mkdtempSync(join(tmpdir(), "bench-synth-"));
  if (configText === null) copyFileSync(join(root, "token-policy.yaml"), join(dir, "token-policy.yaml"));
  else writeFileSync(join(dir, "token-policy.yaml"), configText);
  const started = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [tsNode, "--swc", join(root, "main.ts")], {
    cwd: dir,
    env: { ...process.env, NODE_OPTIONS: `--require ${join(__dirname, "peak-rss.js")}` },
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (r.status !== 0) throw new Error(`${label}: synth exited ${r.status}\n${r.stderr}`);
  const rssKb = Number(/BENCH_PEAK_RSS_KB=(\d+)/.exec(r.stderr)?.[1] ?? NaN);
  const stacks = readdirSync(join(dir, "cdktf.out", "stacks")).length;
  if (stacks !== orgs) throw new Error(`${label}: expected ${orgs} stacks, got ${stacks}`);
  console.log(
    [
      label.padEnd(12),
      String(orgs).padStart(5),
      `${(ms / 1000).toFixed(2)} s`.padStart(9),
      `${(ms / orgs).toFixed(1)} ms`.padStart(10),
      `${(rssKb / 1024).toFixed(0)} MiB`.padStart(9),
    ].join("  "),
  );
  rmSync(dir, { recursive: true, force: true });
}

if (require.main === module) {
  console.log(`node ${process.version}, ${require("node:os").cpus().length} cores; each run is a fresh process (ts-node --swc main.ts)`);
  console.log(["config".padEnd(12), "orgs".padStart(5), "wall".padStart(9), "per org".padStart(10), "peak RSS".padStart(9)].join("  "));
  run("example", null, 2);
  for (const n of [1, 100, 500]) run(`generated`, generatedConfig(n), n);
}
