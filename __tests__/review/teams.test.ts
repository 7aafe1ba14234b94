import type { ApprovalPolicy } from "../../lib/approval/evaluate";
import { createGitHubClient, type GitHubClient } from "../../lib/github/client";
import { byBuiltin, byRule } from "../../lib/approval/outcomes";
import { checkGrants, decidePending } from "../../lib/review/decide";
import { liveImpact } from "../../lib/review/impact";
import { TeamMembers, teamsNamed } from "../../lib/review/teams";
import { orgEntry, parseOrg } from "../../test-support/config";
import { GitHubStandIn } from "../../test-support/github-stand-in/server";
import { addGrant, addRequest, installApp, type InstalledApp } from "../../test-support/fixtures";

const MEMBERS = "GET /orgs/{org}/teams/{team_slug}/members";

const policy = (rules: ApprovalPolicy["approval"]["rules"]): ApprovalPolicy => ({
  patPolicy: { maxLifetimeDays: 90 },
  approval: { rules, otherwise: "leave" },
});

describe("team membership in the review engine", () => {
  let standIn: GitHubStandIn;
  let app: InstalledApp;
  let client: GitHubClient;

  beforeEach(async () => {
    standIn = await GitHubStandIn.start();
    app = installApp(standIn);
    app.org.installation!.permissions.members = "read";
    client = await createGitHubClient({ apiUrl: standIn.url, auth: { kind: "token", token: app.token }, retryUnitMs: 1, warn: () => {} });
  });
  afterEach(async () => {
    // Every call was one GitHub's OpenAPI description allows, answered as it describes.
    expect(standIn.violations).toEqual([]);
    expect(standIn.rejections).toEqual([]);
    await standIn.close();
  });

  test("approves a member of a named team, reading each team once for the whole run", async () => {
    // GIVEN a rule for team platform, 150 members (two pages), and three requests
    standIn.addTeam("acme-corp", "platform", [...Array.from({ length: 149 }, (_, i) => `dev-${i}`), "Octocat"]);
    for (const owner of ["octocat", "dev-148", "mallory"]) addRequest(standIn, app.org, { owner });
    // WHEN the pending requests are decided
    const decisions = await decidePending({
      client,
      login: "acme-corp",
      policy: policy([{ name: "platform", action: "approve", match: { teams: ["Platform"] } }]),
    });
    // THEN members are approved, the rest left, and the team was listed once (two pages)
    expect(decisions.map((d) => [d.owner, d.action, d.decidedBy])).toEqual([
      ["octocat", "approve", byRule("platform")],
      ["dev-148", "approve", byRule("platform")],
      ["mallory", "leave", byBuiltin("otherwise")],
    ]);
    expect(standIn.callsOf(MEMBERS).map((c) => c.url)).toEqual([
      "/orgs/acme-corp/teams/platform/members?per_page=100",
      "/orgs/acme-corp/teams/platform/members?per_page=100&page=2",
    ]);
  });

  test("fails closed when a team does not exist: left to an owner, naming the team", async () => {
    addRequest(standIn, app.org, { owner: "octocat" });
    const decisions = await decidePending({
      client,
      login: "acme-corp",
      policy: policy([{ name: "sre", action: "approve", match: { teams: ["sre"] } }]),
    });
    expect(decisions).toEqual([
      expect.objectContaining({
        action: "leave",
        decidedBy: byBuiltin("team-membership-unreadable"),
        reason: 'Rule "sre" matches by membership of team sre, which could not be read; an organization owner decides.',
      }),
    ]);
  });

  test("fails closed when the installation cannot read members (403): a deny rule's team never lets a later approve through", async () => {
    delete app.org.installation!.permissions.members;
    standIn.addTeam("acme-corp", "contractors", ["octocat"]);
    addRequest(standIn, app.org, { owner: "octocat" });
    const rules = [
      { name: "contractors", action: "deny" as const, match: { teams: ["contractors"] } },
      { name: "anyone", action: "approve" as const, match: {} },
    ];
    const decisions = await decidePending({ client, login: "acme-corp", policy: policy(rules) });
    expect(decisions.map((d) => [d.action, d.decidedBy])).toEqual([["leave", byBuiltin("team-membership-unreadable")]]);
  });

  test("reads no team when nothing is pending or no rule names one", async () => {
    standIn.addTeam("acme-corp", "platform", ["octocat"]);
    await decidePending({
      client,
      login: "acme-corp",
      policy: policy([{ name: "platform", action: "approve", match: { teams: ["platform"] } }]),
    });
    addRequest(standIn, app.org, { owner: "octocat" });
    await decidePending({ client, login: "acme-corp", policy: policy([{ name: "anyone", action: "approve", match: {} }]) });
    expect(standIn.callsOf(MEMBERS)).toEqual([]);
  });

  test("one TeamMembers shared by requests and grants reads each team once", async () => {
    standIn.addTeam("acme-corp", "contractors", ["octocat"]);
    addRequest(standIn, app.org, { owner: "octocat" });
    addGrant(standIn, app.org, { owner: "octocat" });
    const p = policy([{ name: "contractors", action: "deny", match: { teams: ["contractors"] } }]);
    const teams = new TeamMembers(client, "acme-corp");
    const decisions = await decidePending({ client, login: "acme-corp", policy: p, teams });
    const grants = await checkGrants({ client, login: "acme-corp", policy: p, teams });
    expect(decisions.map((d) => d.decidedBy)).toEqual([byRule("contractors")]);
    expect(grants.revocations).toEqual([
      expect.objectContaining({ owner: "octocat", reason: expect.stringMatching(/^Rule "contractors" would now deny it/) }),
    ]);
    expect(standIn.callsOf(MEMBERS)).toHaveLength(1);
  });

  test("report --live's impact reads each team once and applies it to both configs", async () => {
    // GIVEN a head config that approves team platform's read tokens, and two pending requests
    standIn.addTeam("acme-corp", "platform", ["octocat"]);
    const member = addRequest(standIn, app.org, { owner: "octocat" });
    addRequest(standIn, app.org, { owner: "mallory" });
    const app_ = {
      name: "b",
      homepageUrl: "https://x.example",
      permissions: { organization_personal_access_token_requests: "write", members: "read" },
    };
    const base = parseOrg(orgEntry({ app: app_ }));
    const head = parseOrg(
      orgEntry({
        app: app_,
        approval: {
          rules: [
            { name: "platform", action: "approve", match: { teams: ["platform"], permissions: { repository: { contents: "read" } } } },
          ],
        },
      }),
    );
    // WHEN the impact is computed
    const impact = await liveImpact(client, base, head);
    // THEN only the member's request changes, and the team was read once
    expect(impact.changed).toEqual([
      expect.objectContaining({ requestId: member.id, from: "leave", to: "approve", decidedBy: byRule("platform") }),
    ]);
    expect(standIn.callsOf(MEMBERS)).toHaveLength(1);
  });

  test("teamsNamed lists each team of the rules once, in lower case", () => {
    const p = policy([
      { name: "a", action: "approve", match: { teams: ["Platform", "sre"] } },
      { name: "b", action: "deny", match: { teams: ["platform"] } },
      { name: "c", action: "deny", match: {} },
    ]);
    expect(teamsNamed(p)).toEqual(["platform", "sre"]);
  });
});
