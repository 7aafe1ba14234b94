/**
 * `npm run bench:verify`: `verify` with every evidence source against the OpenAPI-checked
 * stand-in (GitHub Enterprise Cloud's description, 20 ms latency per call): 10,000 granted
 * tokens (a tenth never expiring), 5,000 audit-log events and 1,000 credential authorizations,
 * read at the listing floor (pages of 100). Two audit-log shapes: no policy event in the window
 * (every page is read) and the latest policy events on the first page (reading stops there).
 * Prints calls per operation against the floor and wall time.
 */
import { verify } from "../cli/commands/verify";
import { GitHubStandIn } from "../test-support/github-stand-in/server";
import { addGrant, addRequest, installApp, writePolicyFile } from "../test-support/fixtures";
import { sized } from "./mode";

const LATENCY_MS = 20;
const GRANTS = sized(10_000, 30);
const EVENTS = sized(5_000, 150);
const AUTHORIZATIONS = sized(1_000, 10);
const DAY = 86_400_000;
const PAGE = 100;

async function runOnce(policyEventsFirst: boolean): Promise<void> {
  const standIn = await GitHubStandIn.start({ spec: "ghec", latencyMs: LATENCY_MS });
  try {
    const app = installApp(standIn);
    app.org.installation!.permissions = { ...app.org.installation!.permissions, organization_administration: "read" };
    for (let i = 0; i < GRANTS; i++) addGrant(standIn, app.org, { owner: `dev${i}`, days: i % 10 === 0 ? null : 30 });
    addRequest(standIn, app.org);
    const now = Date.now();
    app.org.auditLog = [];
    for (let i = 0; i < EVENTS; i++)
      app.org.auditLog.push({
        action: i % 2 ? "personal_access_token.access_granted" : "personal_access_token.request_created",
        "@timestamp": now - i * 60_000,
        actor: `dev${i}`,
      });
    if (policyEventsFirst) {
      for (const action of [
        "personal_access_token.access_restriction_disabled",
        "personal_access_token.auto_approve_grant_requests_disabled",
        "personal_access_token.expiration_limit_set",
      ]) {
        app.org.auditLog.push({ action, "@timestamp": now + 1000, actor: "owner" });
      }
    }
    app.org.credentialAuthorizations = Array.from({ length: AUTHORIZATIONS }, (_, i) => ({
      login: `dev${i}`,
      credential_id: i + 1,
      credential_type: i % 2 ? "SSH key" : "personal access token",
      credential_authorized_at: new Date(now - 10 * DAY).toISOString(),
      credential_accessed_at: null,
      authorized_credential_id: i + 10_001,
      authorized_credential_expires_at: new Date(now + 20 * DAY).toISOString(),
    }));
    const config = writePolicyFile({
      patPolicy: { maxLifetimeDays: 90, classicTokens: "allow", classicMaxLifetimeDays: 90 },
      verify: { evidence: ["grants", "auditLog", "credentialAuthorizations"] },
      app: {
        name: "acme-token-broker",
        homepageUrl: "https://github.com/acme-corp",
        permissions: { organization_personal_access_token_requests: "write", organization_personal_access_tokens: "write" },
      },
    });
    let out = "";
    const started = process.hrtime.bigint();
    const report = await verify(
      { org: "acme-corp", config },
      {
        env: { GITHUB_API_URL: standIn.url, GITHUB_TOKEN: app.token },
        stdout: { write: (s: string) => (out += s) },
        stderr: { write: () => true },
        clientOptions: { writeIntervalMs: 0 },
      },
    );
    const ms = Number(process.hrtime.bigint() - started) / 1e6;

    const calls = (op: string) => standIn.callsOf(op).length;
    const audit = standIn.callsOf("GET /orgs/{org}/audit-log");
    const category = audit.filter(
      (c) => c.url.includes("phrase=action%3Apersonal_access_token&") || c.url.endsWith("phrase=action%3Apersonal_access_token"),
    ).length;
    const rows: [string, number, number][] = [
      ["GET /orgs/{org}/personal-access-tokens", calls("GET /orgs/{org}/personal-access-tokens"), Math.ceil(GRANTS / PAGE)],
      ["GET /orgs/{org}/personal-access-token-requests", calls("GET /orgs/{org}/personal-access-token-requests"), 1],
      ["GET /orgs/{org}/audit-log (personal_access_token)", category, policyEventsFirst ? 1 : Math.ceil(EVENTS / PAGE)],
      ["GET /orgs/{org}/audit-log (auto_approve_…)", audit.length - category, 1],
      ["GET /orgs/{org}/credential-authorizations", calls("GET /orgs/{org}/credential-authorizations"), Math.ceil(AUTHORIZATIONS / PAGE)],
    ];
    const total = standIn.calls.length;
    const floor = rows.reduce((n, r) => n + r[2], 0);
    console.log(
      `\n${policyEventsFirst ? "Latest policy events on the first audit-log page" : "No policy event in the audit-log window (every page read)"}: ${GRANTS} grants, ${EVENTS} events, ${AUTHORIZATIONS} authorizations, ${LATENCY_MS} ms per call`,
    );
    for (const [op, n, f] of rows) console.log(`  ${op.padEnd(52)} ${String(n).padStart(4)} calls (floor ${f})`);
    console.log(
      `  all calls ${total} (floor ${floor} + the secrets and variables checks ${total - rows.reduce((n, r) => n + r[1], 0)}); ${Math.round(ms)} ms; drift ${report.drift.length}; statuses ${report.patPolicy!.settings.map((s) => `${s.setting}=${s.status}`).join(", ")}`,
    );
    const over = rows.filter(([, n, f]) => n > f);
    if (over.length) throw new Error(`above the listing floor: ${over.map(([op, n, f]) => `${op} ${n} > ${f}`).join("; ")}`);
    if (standIn.violations.length || standIn.rejections.length)
      throw new Error(
        `stand-in found problems: ${[...standIn.violations, ...standIn.rejections.map((r) => r.problems.join("; "))].join("; ")}`,
      );
    if (!/maxLifetimeDays 90: contradicted/.test(out)) throw new Error("the never-expiring tokens were not reported");
  } finally {
    await standIn.close();
  }
}

async function main(): Promise<void> {
  await runOnce(false);
  await runOnce(true);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
