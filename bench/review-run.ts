/**
 * Child process of `bench:review`: runs one review (or the baseline) against the stand-in whose
 * URL and credentials are in the environment, and prints its own wall time and memory as JSON,
 * so the figures are the command's alone, not the stand-in's.
 */
import { review } from "../cli/commands/review";
import { createGitHubClient } from "../lib/github/client";

async function main(): Promise<void> {
  const [mode, config] = process.argv.slice(2);
  const env = process.env;
  const sink = { write: () => true };
  let peakHeap = 0;
  const timer = setInterval(() => (peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed)), 5);
  const started = process.hrtime.bigint();
  const report = await review(
    { org: "acme-corp", config, apply: mode === "policy" },
    { env, stdout: sink, stderr: sink, clientOptions: { writeIntervalMs: 0 } },
  );
  if (mode === "baseline") {
    const client = await createGitHubClient({
      apiUrl: env.GITHUB_API_URL!,
      auth: { kind: "token", token: env.BENCH_TOKEN! },
      writeIntervalMs: 0,
    });
    const todo = report.decisions.filter((d) => d.action !== "leave");
    // Eight at a time, so the baseline finishes in this run; GitHub would throttle it harder.
    for (let i = 0; i < todo.length; i += 8) {
      await Promise.all(
        todo.slice(i, i + 8).map((d) =>
          client.request("POST /orgs/{org}/personal-access-token-requests/{pat_request_id}", {
            org: "acme-corp",
            pat_request_id: d.requestId,
            action: d.action as "approve" | "deny",
            reason: d.reason,
          }),
        ),
      );
    }
  }
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  clearInterval(timer);
  peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  (globalThis as { gc?: () => void }).gc?.();
  const heapAfterGc = process.memoryUsage().heapUsed;
  process.stdout.write(
    JSON.stringify({ ms, peakHeap, heapAfterGc, maxRss: process.resourceUsage().maxRSS * 1024, decisions: report.decisions.length }) + "\n",
  );
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
