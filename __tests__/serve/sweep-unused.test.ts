/**
 * `serve`'s sweep revokes unused granted tokens under `approval.revokeUnusedAfterDays`, as
 * `review` does: a dry run without `--apply`, one bulk call with it, one log line either way.
 */
import { serve } from "../../cli/commands/serve";
import type { LogLine } from "../../lib/serve/webhook-server";
import { GitHubStandIn } from "../../test-support/github-stand-in/server";
import { addGrant, installApp, writePolicyFile, type InstalledApp } from "../../test-support/fixtures";
import { captureIO } from "../../test-support/io";

const REVOKE = "POST /orgs/{org}/personal-access-tokens";

describe("serve: the sweep revokes unused tokens", () => {
  let standIn: GitHubStandIn;
  let app: InstalledApp;
  let ids: { used: number; idle: number };

  beforeEach(async () => {
    // GIVEN a token used yesterday and one not used for 50 days, and a 30-day rule
    standIn = await GitHubStandIn.start();
    app = installApp(standIn);
    ids = {
      used: addGrant(standIn, app.org, { grantedDaysAgo: 90, lastUsedDaysAgo: 1, days: 200 }),
      idle: addGrant(standIn, app.org, { grantedDaysAgo: 90, lastUsedDaysAgo: 50, days: 200 }),
    };
  });
  afterEach(async () => {
    expect(standIn.violations).toEqual([]);
    expect(standIn.rejections).toEqual([]);
    await standIn.close();
  });

  /** Runs serve until its first sweep of unused tokens is logged; returns that line. */
  async function sweepOnce(apply: boolean, approval: Record<string, unknown> = {}, more: Record<string, unknown> = {}): Promise<LogLine> {
    const config = writePolicyFile({
      ...more,
      approval: { revokeUnusedAfterDays: 30, ...approval },
      app: {
        name: "acme-token-broker",
        homepageUrl: "https://github.com/acme-corp",
        permissions: { organization_personal_access_tokens: "write" },
      },
    });
    let stop!: () => void;
    const stopSignal = new Promise<void>((r) => (stop = r));
    let done!: Promise<void>;
    const line = await new Promise<LogLine>((resolve, reject) => {
      const log = (l: LogLine) => {
        if (l.event === "sweep-unused" || l.event === "sweep-failed") resolve(l);
      };
      const io = captureIO({
        GITHUB_API_URL: standIn.url,
        APP_ID: String(app.appId),
        APP_PRIVATE_KEY: app.pem,
        WEBHOOK_SECRET: "Xq7vR2mK9pL4sT8wZ3nB6cF1hJ5yD0gA",
      });
      done = serve({ config, port: 0, apply, sweepMinutes: 0 }, io, { log, stopSignal });
      done.catch(reject); // a refused start fails the test at once, not at the timeout
    });
    stop();
    await done;
    return line;
  }

  test("without --apply: logs what it would revoke, revokes nothing", async () => {
    expect(await sweepOnce(false)).toMatchObject({ event: "sweep-unused", org: "acme-corp", revoke: 1, revoked: 0, apply: false });
    expect(standIn.callsOf(REVOKE)).toEqual([]);
  });

  test("with --apply: revokes the idle token only, in one bulk call", async () => {
    expect(await sweepOnce(true)).toMatchObject({ event: "sweep-unused", org: "acme-corp", revoke: 1, revoked: 1, apply: true });
    expect(standIn.callsOf(REVOKE).map((c) => c.body)).toEqual([{ action: "revoke", pat_ids: [ids.idle] }]);
    expect([...app.org.grants.keys()]).toEqual([ids.used]);
  });

  test("revokeNonCompliant is review's: the sweep revokes a token that never expires only when it is also unused", async () => {
    // GIVEN revokeNonCompliant too, and a token used yesterday that never expires
    const forever = addGrant(standIn, app.org, { grantedDaysAgo: 10, lastUsedDaysAgo: 1, days: null });
    // WHEN serve --apply sweeps
    expect(await sweepOnce(true, { revokeNonCompliant: true })).toMatchObject({ event: "sweep-unused", revoke: 1, revoked: 1 });
    // THEN only the idle token is revoked; the non-compliant one is left for review --apply
    expect(standIn.callsOf(REVOKE).map((c) => c.body)).toEqual([{ action: "revoke", pat_ids: [ids.idle] }]);
    expect([...app.org.grants.keys()].sort()).toEqual([ids.used, forever].sort());
  });

  test("fails closed at the brake (review.massRevocation): with --apply it revokes none and logs them held, with how to proceed", async () => {
    // GIVEN a brake of no token at all below 10 grants (minTokens 0, 10% of 2 is 0)
    const brake = { review: { massRevocation: { minTokens: 0, share: 0.1 } } };
    // WHEN serve --apply sweeps
    const line = await sweepOnce(true, {}, brake);
    // THEN the idle token is held, not revoked, and the line says so; the sweep has no way past it
    expect(line).toMatchObject({ event: "sweep-unused", org: "acme-corp", revoke: 1, revoked: 0, held: 1, limit: 0, apply: true });
    expect(line.reason).toMatch(
      /^1 of 2 granted tokens would be revoked, more than one run may revoke \(0: .*review --apply --allow-mass-revoke$/,
    );
    expect(standIn.callsOf(REVOKE)).toEqual([]);
    expect([...app.org.grants.keys()].sort()).toEqual([ids.used, ids.idle].sort());
  });
});
