/**
 * The review run (`runReview`): one engine for `review` and `serve`'s sweep. It decides, checks
 * granted tokens, applies, and returns everything, a failure included, without losing what was
 * decided before it.
 */
import { byBuiltin, byRule } from "../../lib/approval/outcomes";
import type { OrganizationConfig } from "../../lib/config/schema";
import { createGitHubClient, type GitHubClient } from "../../lib/github/client";
import { runReview, type ReviewProgress } from "../../lib/review/run";
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
});
