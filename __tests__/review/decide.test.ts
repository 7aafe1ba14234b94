import { readFileSync } from "node:fs";
import { join } from "node:path";
import { run } from "../../cli";
import { review } from "../../cli/commands/review";
import { unusedRevocation } from "../../lib/review/decide";
import { GitHubStandIn } from "../../test-support/github-stand-in/server";
import { addGrant, installApp, writePolicyFile, type InstalledApp } from "../../test-support/fixtures";
import { captureIO } from "../../test-support/io";
import { tempDir } from "../../test-support/temp";

const REVOKE = "POST /orgs/{org}/personal-access-tokens";
const DAY = 86_400_000;
const NOW = Date.parse("2026-11-30T12:00:00Z");
const daysAgo = (n: number) => new Date(NOW - n * DAY).toISOString();

describe("unusedRevocation", () => {
  test("revokes a token last used more than N days ago, naming the rule", () => {
    expect(unusedRevocation({ access_granted_at: daysAgo(100), token_last_used_at: daysAgo(31) }, 30, NOW)).toEqual({
      reason: "Not used for 31 days, last on 2026-10-30 (approval.revokeUnusedAfterDays: 30).",
    });
  });
  test("keeps a token used within N days", () => {
    expect(unusedRevocation({ access_granted_at: daysAgo(100), token_last_used_at: daysAgo(30) }, 30, NOW)).toBeNull();
  });
  test("counts a never-used token from its grant", () => {
    expect(unusedRevocation({ access_granted_at: daysAgo(45), token_last_used_at: null }, 30, NOW)).toEqual({
      reason: "Never used in the 45 days since access was granted (approval.revokeUnusedAfterDays: 30).",
    });
    expect(unusedRevocation({ access_granted_at: daysAgo(3), token_last_used_at: null }, 30, NOW)).toBeNull();
  });
  test.each([
    ["the last use is missing", { access_granted_at: daysAgo(100) }, "token_last_used_at"],
    ["the last use is not a time", { access_granted_at: daysAgo(100), token_last_used_at: "yesterday" }, "token_last_used_at"],
    ["a never-used token's grant time is missing", { token_last_used_at: null }, "access_granted_at"],
  ])("fails closed when %s: unreadable, never revoked", (_name, grant, field) => {
    expect(unusedRevocation(grant as never, 30, NOW)).toEqual({ unreadable: field });
  });
});

describe("review with approval.revokeUnusedAfterDays", () => {
  let standIn: GitHubStandIn;
  let app: InstalledApp;
  let ids: Record<string, number>;
  let config: string;
  const env = () => ({ GITHUB_API_URL: standIn.url, GITHUB_TOKEN: app.token });

  beforeEach(async () => {
    // GIVEN four granted tokens: used lately, idle 40 days, never used for 40 days, new and unused
    standIn = await GitHubStandIn.start();
    app = installApp(standIn);
    ids = {
      recent: addGrant(standIn, app.org, { tokenName: "recent", grantedDaysAgo: 100, lastUsedDaysAgo: 2, days: 200 }),
      idle: addGrant(standIn, app.org, { tokenName: "idle", grantedDaysAgo: 100, lastUsedDaysAgo: 40, days: 200 }),
      never: addGrant(standIn, app.org, { tokenName: "never", grantedDaysAgo: 40, days: 200 }),
      fresh: addGrant(standIn, app.org, { tokenName: "fresh", grantedDaysAgo: 3, days: 200 }),
    };
    config = writePolicyFile({
      approval: { revokeUnusedAfterDays: 30 },
      app: {
        name: "acme-token-broker",
        homepageUrl: "https://github.com/acme-corp",
        permissions: { organization_personal_access_tokens: "write" },
      },
    });
  });
  afterEach(async () => {
    expect(standIn.violations).toEqual([]);
    expect(standIn.rejections).toEqual([]);
    await standIn.close();
  });

  test("dry run: lists the idle and the never-used token with the rule, revokes nothing", async () => {
    const r = await review({ org: "acme-corp", config }, captureIO(env()));
    expect(r.revocations.map((x) => [x.tokenName, x.reason])).toEqual([
      ["idle", expect.stringMatching(/^Not used for 40 days, last on \d{4}-\d{2}-\d{2} \(approval\.revokeUnusedAfterDays: 30\)\.$/)],
      ["never", "Never used in the 40 days since access was granted (approval.revokeUnusedAfterDays: 30)."],
    ]);
    expect(standIn.callsOf(REVOKE)).toEqual([]);
    expect(app.org.grants.size).toBe(4);
  });

  test("--apply revokes exactly those two in one bulk call and says so", async () => {
    const io = captureIO(env());
    expect(await run(["review", "--org", "acme-corp", "--config", config, "--apply", "--wide"], io)).toBe(0);
    expect(standIn.callsOf(REVOKE).map((c) => c.body)).toEqual([{ action: "revoke", pat_ids: [ids.idle, ids.never] }]);
    expect([...app.org.grants.keys()].sort()).toEqual([ids.recent, ids.fresh].sort());
    expect(io.out()).toMatch(/approval\.revokeUnusedAfterDays: 30/);
    expect(io.out()).toMatch(/2 applied, 0 already decided\./);
  });

  test("fails closed when the revocation's answer is lost: re-lists and does not revoke twice", async () => {
    standIn.inject({ operation: REVOKE, kind: "502-after" });
    const r = await review({ org: "acme-corp", config, apply: true }, captureIO(env()));
    expect(standIn.callsOf(REVOKE).filter((c) => c.status === 202 || c.status === 502)).toHaveLength(1);
    expect(r.revocations.map((x) => x.outcome)).toEqual(["already-decided", "already-decided"]);
    expect(app.org.grants.size).toBe(2);
  });

  test("with revokeNonCompliant too: a token breaking the limit is revoked for that, an idle one for non-use", async () => {
    const long = addGrant(standIn, app.org, { tokenName: "long", grantedDaysAgo: 1, lastUsedDaysAgo: 0, days: null });
    const both = writePolicyFile({
      patPolicy: { maxLifetimeDays: 366 },
      approval: { revokeNonCompliant: true, revokeUnusedAfterDays: 30 },
      app: {
        name: "acme-token-broker",
        homepageUrl: "https://github.com/acme-corp",
        permissions: { organization_personal_access_tokens: "write" },
      },
    });
    const r = await review({ org: "acme-corp", config: both }, captureIO(env()));
    expect(r.revocations.map((x) => x.tokenId).sort()).toEqual([ids.idle, ids.never, long].sort());
    expect(r.revocations.find((x) => x.tokenId === long)!.reason).not.toMatch(/revokeUnusedAfterDays/);
  });

  test("the step summary names the rule", async () => {
    const summary = join(tempDir("summary-"), "summary.md");
    require("node:fs").writeFileSync(summary, "");
    await review({ org: "acme-corp", config }, captureIO({ ...env(), GITHUB_STEP_SUMMARY: summary }));
    expect(readFileSync(summary, "utf8")).toMatch(
      /\| never \| Never used in the 40 days since access was granted \(approval\.revokeUnusedAfterDays: 30\)\. \|/,
    );
  });
});
