/**
 * `npm run bench:report-live`: `report --base --live` against the OpenAPI-checked stand-in with
 * 10,000 pending requests and 2,000 granted tokens, 20 ms per call. Prints the calls by operation
 * against the floor (one listing of each kind, 100 a page; repository look-ups only where a rule
 * of either config needs them; three auth calls), and the wall time.
 */
import { run } from "../cli";
import { GitHubStandIn } from "../test-support/github-stand-in/server";
import { addGrant, addRequest, installApp, writePolicyFile } from "../test-support/fixtures";
import { sized } from "./mode";

const REQUESTS = sized(10_000, 100);
const GRANTS = sized(2_000, 20);

const config = (rules: unknown[], revokeNonCompliant: boolean) =>
  writePolicyFile({ patPolicy: { maxLifetimeDays: 90 }, approval: { rules, revokeNonCompliant } });

async function main(): Promise<void> {
  const standIn = await GitHubStandIn.start({ latencyMs: 20 });
  const app = installApp(standIn);
  let lookups = 0;
  for (let i = 0; i < REQUESTS; i++) {
    const k = i % 100;
    if (k < 70) addRequest(standIn, app.org, { owner: `reader${i}`, permissions: { repository: { contents: "read" } } });
    else if (k < 85) addRequest(standIn, app.org, { owner: `admin${i}`, permissions: { organization: { administration: "write" } } });
    else if (k < 97) addRequest(standIn, app.org, { owner: `writer${i}`, permissions: { repository: { issues: "write" } } });
    else {
      // Only these reach the head's repository rule: 3% need a look-up.
      addRequest(standIn, app.org, {
        owner: `release-${i}`,
        permissions: { repository: { contents: "write" } },
        repositories: ["release-tools"],
      });
      lookups++;
    }
  }
  for (let i = 0; i < GRANTS; i++)
    addGrant(standIn, app.org, {
      owner: `g${i}`,
      permissions: i % 10 === 0 ? { organization: { administration: "write" } } : { repository: { contents: "read" } },
    });
  const base = config([{ name: "read-only", action: "approve", match: { permissions: { repository: { contents: "read" } } } }], false);
  const head = config(
    [
      { name: "read-only", action: "approve", match: { permissions: { repository: { contents: "read" } } } },
      { name: "no admin", action: "deny", match: { anyPermission: { organization: { administration: "read" } } } },
      {
        name: "release",
        action: "approve",
        match: { owners: ["release-*"], repositories: ["release-*"], permissions: { repository: { contents: "write" } } },
      },
    ],
    true,
  );
  const sink = { write: () => true };
  const started = process.hrtime.bigint();
  const code = await run(["report", "--config", head, "--base", base, "--live"], {
    env: { GITHUB_API_URL: standIn.url, APP_ID: String(app.appId), APP_PRIVATE_KEY: app.pem },
    stdout: sink,
    stderr: sink,
  });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const by = new Map<string, number>();
  for (const c of standIn.calls) by.set(`${c.method} ${c.operation}`, (by.get(`${c.method} ${c.operation}`) ?? 0) + 1);
  const floor = Math.ceil(REQUESTS / 100) + Math.ceil(GRANTS / 100) + lookups + 3;
  console.log(`report --live: exit ${code}, ${REQUESTS} pending requests, ${GRANTS} granted tokens, 20 ms per call`);
  for (const [op, n] of [...by.entries()].sort((a, b) => b[1] - a[1])) console.log(`  ${String(n).padStart(6)}  ${op}`);
  console.log(
    `calls ${standIn.calls.length}, floor ${floor} (listings ${Math.ceil(REQUESTS / 100)} + ${Math.ceil(GRANTS / 100)}, look-ups ${lookups}, auth 3); wall ${(ms / 1000).toFixed(1)} s`,
  );
  await standIn.close();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
