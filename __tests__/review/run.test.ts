/**
 * The review run (`runReview`): one engine for `review` and `serve`'s sweep. It decides, checks
 * granted tokens, applies, and returns everything, a failure included, without losing what was
 * decided before it.
 */
import { byBuiltin, byRule } from "../../lib/approval/outcomes";
import type { OrganizationConfig } from "../../lib/config/schema";
import { createGitHubClient, type GitHubClient } from "../../lib/github/client";
import { clockNote } from "../../lib/review/clock";
import { revocationLimit, runReview, type ReviewProgress } from "../../lib/review/run";
import { GitHubStandIn } from "../../test-support/github-stand-in/server";
import { addGrant, addRequest, installApp, type InstalledApp } from "../../test-support/fixtures";
import { orgEntry, parseOrg } from "../../test-support/config";

const REVIEW = "POST /orgs/{org}/personal-access-token-requests";
const REVOKE = "POST /orgs/{org}/personal-access-tokens";
const GRANTS = "GET /orgs/{org}/personal-access-tokens";
const ADMIN = { organization: { administration: "write" } } as const;

/** An organization whose approval block is replaced after loading, as the loader would refuse some of these names. */
function orgWith(approval: Partial<OrganizationConfig["approval"]>): OrganizationConfig {
  const org = parseOrg(orgEntry());
  return { ...org, approval: { ...org.approval, ...approval } };
}

const denyAdmin = (name: string) => ({
  name,
  action: "deny" as const,
  reason: `No administration (${name}).`,
  match: { anyPermission: { organization: { administration: "read" as const } } },
});
const approveAll = { name: "anyone", action: "approve" as const, reason: "Fine.", match: {} };

describe("runReview", () => {
  let standIn: GitHubStandIn;
  let app: InstalledApp;
  let client: GitHubClient;

  beforeEach(async () => {
    standIn = await GitHubStandIn.start();
    app = installApp(standIn);
    client = await createGitHubClient({
      apiUrl: standIn.url,
      auth: { kind: "token", token: app.token },
      retryUnitMs: 1,
      maxRetries: 0,
      warn: () => {},
    });
  });
  afterEach(async () => {
    expect(standIn.violations).toEqual([]);
    expect(standIn.rejections).toEqual([]);
    await standIn.close();
  });

  test("a deny rule named `otherwise` revokes under revokeNonCompliant, with its own reason", async () => {
    // GIVEN a deny rule named otherwise, revokeNonCompliant, and a granted admin token
    const grant = addGrant(standIn, app.org, { permissions: ADMIN, tokenName: "admin" });
    const org = orgWith({ rules: [denyAdmin("otherwise")], revokeNonCompliant: true });
    // WHEN the run applies
    const run = await runReview({ client, org, apply: true });
    // THEN the token is revoked by that rule, with the rule's reason
    expect(run.failure).toBeUndefined();
    expect(run.revocations).toEqual([
      expect.objectContaining({
        tokenId: grant,
        decidedBy: byRule("otherwise"),
        reason: 'Rule "otherwise" would now deny it: No administration (otherwise).',
        outcome: "applied",
      }),
    ]);
    expect(standIn.callsOf(REVOKE).map((c) => c.body)).toEqual([{ action: "revoke", pat_ids: [grant] }]);
  });

  test("a deny rule named `lifetime-limit` denies with its own reason, not the lifetime one", async () => {
    const req = addRequest(standIn, app.org, { permissions: ADMIN });
    const run = await runReview({ client, org: orgWith({ rules: [denyAdmin("lifetime-limit")] }) });
    expect(run.decisions).toEqual([
      expect.objectContaining({
        requestId: req.id,
        action: "deny",
        decidedBy: byRule("lifetime-limit"),
        reason: "No administration (lifetime-limit).",
      }),
    ]);
  });

  test("grants: unused leaves revokeNonCompliant to review, and revokes only idle tokens", async () => {
    // GIVEN a token a deny rule would revoke, used yesterday, and an idle one
    addGrant(standIn, app.org, { permissions: ADMIN, grantedDaysAgo: 10, lastUsedDaysAgo: 1, days: 200 });
    const idle = addGrant(standIn, app.org, { grantedDaysAgo: 90, lastUsedDaysAgo: 50, days: 200 });
    const org = orgWith({ rules: [denyAdmin("no admin")], revokeNonCompliant: true, revokeUnusedAfterDays: 30 });
    // WHEN the sweep's run checks grants
    const run = await runReview({ client, org, grants: "unused" });
    // THEN only the idle token is to be revoked, by the built-in outcome
    expect(run.revocations).toEqual([expect.objectContaining({ tokenId: idle, decidedBy: byBuiltin("unused") })]);
    expect(run.grantsChecked).toBe(true);
  });

  test("checks no granted token when the policy revokes none", async () => {
    addGrant(standIn, app.org, { permissions: ADMIN });
    const run = await runReview({ client, org: orgWith({ rules: [denyAdmin("no admin")] }) });
    expect(run.grantsChecked).toBe(false);
    expect(standIn.callsOf(GRANTS)).toEqual([]);
  });

  test("a failed grant listing returns what was decided, in stage check-grants, and writes nothing", async () => {
    // GIVEN a pending request, a grant listing that fails, and --apply
    const req = addRequest(standIn, app.org);
    standIn.inject({ operation: GRANTS, kind: "502-before", times: 5 });
    const progress: ReviewProgress[] = [];
    // WHEN the run applies
    const run = await runReview({
      client,
      org: orgWith({ rules: [approveAll], revokeNonCompliant: true }),
      apply: true,
      progress: (p) => progress.push(p),
    });
    // THEN the decision is returned, marked not sent, and the failure names the stage
    expect(run.failure).toMatchObject({ stage: "check-grants", message: expect.stringMatching(/502/) });
    expect(run.decisions).toEqual([expect.objectContaining({ requestId: req.id, action: "approve", outcome: "not-sent" })]);
    expect(progress).toEqual([{ stage: "decide", count: 1 }]);
    expect(standIn.callsOf(REVIEW)).toEqual([]);
  });

  test("with applyReviewsFirst (serve's sweep), a failed grant listing still lets the decisions be written", async () => {
    // GIVEN a pending request, a grant listing that fails, and --apply with the sweep's order
    const req = addRequest(standIn, app.org);
    standIn.inject({ operation: GRANTS, kind: "502-before", times: 5 });
    // WHEN the run applies
    const run = await runReview({
      client,
      org: orgWith({ rules: [approveAll], revokeUnusedAfterDays: 30 }),
      apply: true,
      grants: "unused",
      applyReviewsFirst: true,
    });
    // THEN the decision was sent and applied before the grants failed, and the failure names the stage
    expect(run.failure).toMatchObject({ stage: "check-grants", message: expect.stringMatching(/502/) });
    expect(run.decisions).toEqual([expect.objectContaining({ requestId: req.id, action: "approve", outcome: "applied" })]);
    expect(standIn.callsOf(REVIEW)).toHaveLength(1);
  });

  test("a failed review write marks the revocations not sent, and keeps every decision", async () => {
    // GIVEN a request to approve, a token to revoke, and a review write whose answers are all lost
    addRequest(standIn, app.org);
    addGrant(standIn, app.org, { permissions: ADMIN });
    standIn.inject({ operation: REVIEW, kind: "502-before", times: 10 });
    // WHEN the run applies
    const run = await runReview({
      client,
      org: orgWith({ rules: [denyAdmin("no admin"), approveAll], revokeNonCompliant: true }),
      apply: true,
    });
    // THEN the run stopped in apply-reviews: the decision's outcome is unknown, the revocation not sent
    expect(run.failure?.stage).toBe("apply-reviews");
    expect(run.decisions.map((d) => d.outcome)).toEqual(["unknown"]);
    expect(run.revocations).toEqual([
      expect.objectContaining({ outcome: "not-sent", outcomeReason: expect.stringMatching(/^the run stopped first: /) }),
    ]);
    expect(standIn.callsOf(REVOKE)).toEqual([]);
  });

  describe("GitHub's clock", () => {
    const DAY = 86_400_000;

    test("counts ages by GitHub's time when the host's clock is 60 days ahead, and says so", async () => {
      // GIVEN a token used an hour ago, revokeUnusedAfterDays 30, and a host clock 60 days fast
      addGrant(standIn, app.org, { lastUsedDaysAgo: 1 / 24 });
      const org = orgWith({ revokeUnusedAfterDays: 30 });
      // WHEN the run applies
      const run = await runReview({ client, org, apply: true, now: () => Date.now() + 60 * DAY });
      // THEN nothing is revoked, and the run says whose time it used
      expect(run.revocations).toEqual([]);
      expect(standIn.callsOf(REVOKE)).toEqual([]);
      expect(run.clock).toEqual(expect.objectContaining({ kind: "github" }));
      expect(clockNote(run.clock!)).toMatch(/^This host's clock is 60 days ahead of GitHub's: token ages were counted by GitHub's time/);
    });

    test("fails closed when GitHub's time cannot be read: nothing is revoked for non-use", async () => {
      // GIVEN a token unused for 100 days, and answers without a Date header
      addGrant(standIn, app.org, { grantedDaysAgo: 200, lastUsedDaysAgo: 100 });
      client.hook.wrap("request", async (request, options) => {
        const response = await request(options);
        return { ...response, headers: { ...response.headers, date: undefined } };
      });
      // WHEN the run applies
      const run = await runReview({ client, org: orgWith({ revokeUnusedAfterDays: 30 }), apply: true });
      // THEN no token is revoked, and the run says why
      expect(run.revocations).toEqual([]);
      expect(standIn.callsOf(REVOKE)).toEqual([]);
      expect(clockNote(run.clock!)).toBe(
        "GitHub's time could not be read (GitHub's answer had no Date header): no token was revoked for non-use.",
      );
    });

    test("uses the host's time when it is within a minute of GitHub's, and says nothing", async () => {
      addGrant(standIn, app.org, { grantedDaysAgo: 200, lastUsedDaysAgo: 100 });
      const run = await runReview({ client, org: orgWith({ revokeUnusedAfterDays: 30 }), apply: true });
      expect(run.clock).toEqual(expect.objectContaining({ kind: "host" }));
      expect(run.revocations).toEqual([expect.objectContaining({ outcome: "applied" })]);
    });
  });

  describe("the brake on mass revocation", () => {
    test("fails closed when a run would revoke more than the larger of 10 tokens and 10%: none is revoked, each is held", async () => {
      // GIVEN 11 granted tokens, all unused for 100 days
      for (let i = 0; i < 11; i++) addGrant(standIn, app.org, { grantedDaysAgo: 200, lastUsedDaysAgo: 100, tokenName: `t${i}` });
      // WHEN the run applies
      const run = await runReview({ client, org: orgWith({ revokeUnusedAfterDays: 30 }), apply: true });
      // THEN no revocation is sent; the 11 are reported held, with why and how to proceed
      expect(standIn.callsOf(REVOKE)).toEqual([]);
      expect(run.revocations).toHaveLength(11);
      expect(run.revocations.every((r) => r.outcome === "held")).toBe(true);
      expect(run.held).toEqual(
        expect.objectContaining({
          grants: 11,
          limit: 10,
          message: expect.stringMatching(
            /^11 of 11 granted tokens would be revoked, more than one run may revoke \(10: .*--allow-mass-revoke$/,
          ),
        }),
      );
    });

    test("revokes them all when allowed", async () => {
      for (let i = 0; i < 11; i++) addGrant(standIn, app.org, { grantedDaysAgo: 200, lastUsedDaysAgo: 100, tokenName: `t${i}` });
      const run = await runReview({ client, org: orgWith({ revokeUnusedAfterDays: 30 }), apply: true, massRevocation: { allow: true } });
      expect(run.held).toBeUndefined();
      expect(run.revocations.every((r) => r.outcome === "applied")).toBe(true);
      expect(standIn.callsOf(REVOKE).flatMap((c) => (c.body as { pat_ids: number[] }).pat_ids)).toHaveLength(11);
    });

    test("fails closed at the organization's own brake (review.massRevocation), which an option left undefined never hides", async () => {
      // GIVEN 3 unused tokens and an organization whose brake is the larger of 2 tokens and 2.5%
      for (let i = 0; i < 3; i++) addGrant(standIn, app.org, { grantedDaysAgo: 200, lastUsedDaysAgo: 100, tokenName: `t${i}` });
      const org = { ...orgWith({ revokeUnusedAfterDays: 30 }), review: { massRevocation: { minTokens: 2, share: 0.025 } } };
      // WHEN the run applies, with options that set nothing but `allow: false`
      const run = await runReview({ client, org, apply: true, massRevocation: { allow: false, minTokens: undefined } });
      // THEN the organization's brake holds all three
      expect(standIn.callsOf(REVOKE)).toEqual([]);
      expect(run.held).toEqual(expect.objectContaining({ grants: 3, limit: 2 }));
      expect(run.held?.message).toContain("(2: the larger of 2 and 2.5%, review.massRevocation); none was revoked.");
    });

    test("allows 10% of a large organization's grants", () => {
      expect(revocationLimit(5)).toBe(10);
      expect(revocationLimit(250)).toBe(25);
      expect(revocationLimit(250, { minTokens: 3, share: 0.01 })).toBe(3);
    });
  });
});
