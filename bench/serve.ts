/**
 * `npm run bench:serve`: bursts of 100, 1,000 and 5,000 `personal_access_token_request` created
 * deliveries, signed as GitHub signs them, against `serve --apply` in this process with the
 * OpenAPI-checked stand-in answering every GitHub call after 20 ms. Prints, per burst, receipt to
 * decision applied (p50, p99, max), write calls against ⌈deliveries/100⌉, and the heap after GC
 * and peak RSS (stand-in included) as the bursts grow.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { serve } from "../cli/commands/serve";
import type { LogLine, WebhookServer } from "../lib/serve/webhook-server";
import { signBody } from "../lib/serve/signature";
import { GitHubStandIn } from "../test-support/github-stand-in/server";
import { addRequest, installApp, writePolicyFile } from "../test-support/fixtures";

const BURSTS = [100, 1_000, 5_000];
const SENDERS = 64;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function main(): Promise<void> {
  const standIn = await GitHubStandIn.start({ latencyMs: 20 });
  const app = installApp(standIn);
  const secret = randomBytes(20).toString("hex");
  const config = writePolicyFile({
    approval: { rules: [{ name: "read-only", action: "approve", match: { permissions: { repository: { contents: "read" } } } }] },
    app: { name: "acme-token-broker", homepageUrl: "https://github.com/acme-corp", permissions: { organization_personal_access_token_requests: "write" } },
  });
  const decisions: LogLine[] = [];
  let stop!: () => void;
  let url = "";
  let swept!: () => void;
  const ready = new Promise<void>((r) => (swept = r));
  const done = serve(
    { config, port: 0, apply: true, sweepMinutes: 0 },
    { env: { GITHUB_API_URL: standIn.url, APP_ID: String(app.appId), APP_PRIVATE_KEY: app.pem, WEBHOOK_SECRET: secret }, stdout: { write: () => true }, stderr: { write: () => true }, clientOptions: { writeIntervalMs: 0 } },
    {
      log: (l) => (l.event === "decision" ? decisions.push(l) : l.event === "sweep" ? swept() : undefined),
      stopSignal: new Promise<void>((r) => (stop = r)),
      onListening: (u: string, _s: WebhookServer) => (url = u),
    },
  );
  await ready;
  console.log(`serve --apply, stand-in at 20 ms per call, ${SENDERS} deliveries in flight at once`);
  console.log(["burst".padStart(6), "p50".padStart(8), "p99".padStart(8), "max".padStart(8), "writes".padStart(7), "floor".padStart(6), "wall".padStart(8), "heap kept".padStart(10), "peak RSS".padStart(10)].join("  "));
  for (const n of BURSTS) {
    decisions.length = 0;
    const writesBefore = standIn.callsOf("POST /orgs/{org}/personal-access-token-requests").length;
    const reqs = Array.from({ length: n }, (_, i) => addRequest(standIn, app.org, { owner: `m${n}-${i}` }));
    const bodies = reqs.map((r) => JSON.stringify(standIn.deliveryPayload("acme-corp", r.id)));
    const started = Date.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: SENDERS }, async () => {
        for (let i = next++; i < bodies.length; i = next++) {
          const res = await fetch(`${url}/webhook`, { method: "POST", headers: { "x-github-event": "personal_access_token_request", "x-github-delivery": randomUUID(), "x-hub-signature-256": signBody(secret, bodies[i]) }, body: bodies[i] });
          if (res.status !== 202) throw new Error(`delivery answered ${res.status}`);
        }
      }),
    );
    while (decisions.length < n) await new Promise((r) => setTimeout(r, 20));
    const wall = Date.now() - started;
    const ms = decisions.map((d) => Number(d.ms)).sort((a, b) => a - b);
    const writes = standIn.callsOf("POST /orgs/{org}/personal-access-token-requests").length - writesBefore;
    (globalThis as { gc?: () => void }).gc?.();
    const mib = (b: number) => `${(b / 1048576).toFixed(1)} MiB`;
    console.log(
      [
        String(n).padStart(6),
        `${percentile(ms, 50)} ms`.padStart(8),
        `${percentile(ms, 99)} ms`.padStart(8),
        `${ms.at(-1)} ms`.padStart(8),
        String(writes).padStart(7),
        String(Math.ceil(n / 100)).padStart(6),
        `${(wall / 1000).toFixed(1)} s`.padStart(8),
        mib(process.memoryUsage().heapUsed).padStart(10),
        mib(process.resourceUsage().maxRSS * 1024).padStart(10),
      ].join("  "),
    );
    if (decisions.some((d) => d.outcome !== "applied")) throw new Error("a decision was not applied");
  }
  stop();
  await done;
  if (standIn.violations.length) throw new Error(standIn.violations.join("\n"));
  await standIn.close();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
