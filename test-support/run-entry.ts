import { spawnSync } from "node:child_process";
import { join } from "node:path";

const root = join(__dirname, "..");
const runTs = join(root, "scripts", "run-ts.cjs");

/** Runs a TypeScript entry of this project (main.ts, cli/index.ts) as a user would (`npm run synth`, `npm run cli`), in `cwd`. */
export function runEntry(entry: string, args: string[], opts: { cwd: string; env?: NodeJS.ProcessEnv; input?: string }) {
  const r = spawnSync(process.execPath, [runTs, entry, ...args], {
    cwd: opts.cwd,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...opts.env },
    input: opts.input ?? "",
    encoding: "utf8",
    timeout: 60_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
