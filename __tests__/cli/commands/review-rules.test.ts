import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";
import { run } from "../../../cli";
import { GitHubStandIn } from "../../../test-support/github-stand-in/server";
import { addRequest, installApp, type InstalledApp } from "../../../test-support/fixtures";
import { captureIO } from "../../../test-support/io";
import { byBuiltin } from "../../../lib/approval/outcomes";
import { tempDir } from "../../../test-support/temp";

const REVIEW = "POST /orgs/{org}/personal-access-token-requests";
const MEMBERS = "GET /orgs/{org}/teams/{team_slug}/members";

/** A config file for acme-corp with these rules and App permissions. */
function writeConfig(rules: unknown[], permissions: Record<string, string> = {}): string {
  const file = join(tempDir("review-rules-"), "token-policy.yaml");
  writeFileSync(
    file,
    stringify({
      organizations: [
        {
          login: "acme-corp",
          patPolicy: { maxLifetimeDays: 90 },
          approval: { rules },
          app: {
            name: "acme-token-broker",
            homepageUrl: "https://github.com/acme-corp",
            permissions: { organization_personal_access_token_requests: "write", ...permissions },
          },
          credentials: { actions: { visibility: "selected", repositories: ["release-tools"] } },
        },
      ],
    }),
  );
  return file;
}

describe("review with rules checked at load (end to end against the stand-in)", () => {
  let standIn: GitHubStandIn;
  let app: InstalledApp;
  const env = () => ({ GITHUB_API_URL: standIn.url, GITHUB_TOKEN: app.token });

  beforeEach(async () => {
    standIn = await GitHubStandIn.start();
    app = installApp(standIn);
  });
  afterEach(async () => {
    expect(standIn.violations).toEqual([]);
    await standIn.close();
  });

  test("fails with exit 2 on a misspelt deny rule, naming the place and the right name, and calls GitHub for nothing", async () => {
    // GIVEN a deny rule on 'administation' before an approve-all, and an admin request pending
    addRequest(standIn, app.org, { owner: "admin-wannabe", permissions: { organization: { administration: "write" } } });
    const config = writeConfig([
      { name: "no admin", action: "deny", match: { anyPermission: { organization: { administation: "write" } } } },
      { name: "anything else", action: "approve", match: { permissions: { repository: { contents: "read" } } } },
    ]);
    // WHEN review --apply runs
    const io = captureIO(env());
    const code = await run(["review", "--org", "acme-corp", "--config", config, "--apply"], io);
    // THEN exit 2, the place and the name meant; nothing was listed or decided
    expect(code).toBe(2);
    expect(io.err()).toMatch(
      /organizations\[0\]\.approval\.rules\[0\]\.match\.anyPermission\.organization\.administation: unknown organization permission of fine-grained tokens \(did you mean "administration"\?\)/,
    );
    expect(standIn.calls).toEqual([]);
    expect(app.org.requests.size).toBe(1);
  });

  test("a deny rule spelt organization_administration denies a request GitHub reports as administration", async () => {
    // GIVEN the alias spelling in the rule, and a request in GitHub's spelling
    const admin = addRequest(standIn, app.org, {
      owner: "admin-wannabe",
      repositorySelection: "none",
      permissions: { organization: { administration: "write" } },
    });
    const reader = addRequest(standIn, app.org, {
      owner: "reader",
      repositorySelection: "none",
      permissions: { repository: { contents: "read" } },
    });
    const config = writeConfig([
      {
        name: "no admin",
        action: "deny",
        reason: "No administration.",
        match: { anyPermission: { organization: { organization_administration: "read" } } },
      },
      {
        name: "read",
        action: "approve",
        reason: "Read is fine.",
        match: { permissions: { repository: { contents: "read" }, organization: { organization_administration: "write" } } },
      },
    ]);
    // WHEN review --apply runs
    expect(await run(["review", "--org", "acme-corp", "--config", config, "--apply"], captureIO(env()))).toBe(0);
    // THEN the admin request is denied by the deny rule, never approved by the later cap
    expect(standIn.callsOf(REVIEW).map((c) => c.body)).toEqual([
      { pat_request_ids: [admin.id], action: "deny", reason: "No administration." },
      { pat_request_ids: [reader.id], action: "approve", reason: "Read is fine." },
    ]);
  });

  test("a request listing administration under both spellings is left to an owner, never approved by a read cap", async () => {
    // GIVEN a cap of administration: read, and a request asking write in one spelling and read in the other
    const both = addRequest(standIn, app.org, {
      owner: "admin-wannabe",
      repositorySelection: "none",
      permissions: { organization: { administration: "write", organization_administration: "read" } },
    });
    const config = writeConfig([
      {
        name: "admin read",
        action: "approve",
        reason: "Read is fine.",
        match: { permissions: { organization: { administration: "read" } } },
      },
    ]);
    // WHEN review --apply runs
    const io = captureIO(env());
    expect(await run(["review", "--org", "acme-corp", "--config", config, "--apply", "--json"], io)).toBe(0);
    // THEN nothing is sent; the request is left, naming the two spellings
    expect(standIn.callsOf(REVIEW)).toEqual([]);
    expect(JSON.parse(io.out()).decisions).toEqual([
      expect.objectContaining({
        requestId: both.id,
        action: "leave",
        decidedBy: byBuiltin("not-understood"),
        reason: expect.stringMatching(/administration is listed twice \(administration and organization_administration\)/),
      }),
    ]);
    expect(app.org.requests.size).toBe(1);
  });

  test("a deny rule on prod-* is not dodged by adding another repository to the request", async () => {
    // GIVEN a deny rule on writes to prod-*, then an approve rule for writes to selected repositories
    const prodOnly = addRequest(standIn, app.org, {
      owner: "mallory",
      repositories: ["prod-db"],
      permissions: { repository: { contents: "write" } },
    });
    const mixed = addRequest(standIn, app.org, {
      owner: "mallory",
      repositories: ["prod-db", "sandbox"],
      permissions: { repository: { contents: "write" } },
    });
    const sandbox = addRequest(standIn, app.org, {
      owner: "mona",
      repositories: ["sandbox"],
      permissions: { repository: { contents: "write" } },
    });
    const config = writeConfig([
      {
        name: "no prod writes",
        action: "deny",
        reason: "No writes to production.",
        match: { repositories: ["prod-*"], anyPermission: { repository: { contents: "write" } } },
      },
      {
        name: "selected writes",
        action: "approve",
        reason: "Writes to selected repositories.",
        match: { repositorySelection: ["subset"], permissions: { repository: { contents: "write" } } },
      },
    ]);
    // WHEN review --apply runs
    const io = captureIO(env());
    expect(await run(["review", "--org", "acme-corp", "--config", config, "--apply", "--json"], io)).toBe(0);
    // THEN prod only is denied, the sandbox approved, and the mixed request left to an owner
    expect(standIn.callsOf(REVIEW).map((c) => c.body)).toEqual([
      { pat_request_ids: [prodOnly.id], action: "deny", reason: "No writes to production." },
      { pat_request_ids: [sandbox.id], action: "approve", reason: "Writes to selected repositories." },
    ]);
    expect(JSON.parse(io.out()).decisions).toContainEqual(
      expect.objectContaining({ requestId: mixed.id, action: "leave", decidedBy: byBuiltin("deny-rule-partly-matches") }),
    );
    expect(app.org.requests.has(mixed.id)).toBe(true);
  });

  test("a team-matched rule approves the team's members only, reading the team once", async () => {
    // GIVEN a rule for team release-engineering, the App with members: read, and three requests
    app.org.installation!.permissions.members = "read";
    standIn.addTeam("acme-corp", "release-engineering", ["mona", "hubot"]);
    const mona = addRequest(standIn, app.org, {
      owner: "mona",
      repositories: ["release-tools"],
      permissions: { repository: { contents: "write" } },
    });
    const hubot = addRequest(standIn, app.org, {
      owner: "Hubot",
      repositories: ["release-tools"],
      permissions: { repository: { contents: "write" } },
    });
    // A login that fits the old release-* pattern is not a member.
    addRequest(standIn, app.org, {
      owner: "release-mallory",
      repositories: ["release-tools"],
      permissions: { repository: { contents: "write" } },
    });
    const config = writeConfig(
      [
        {
          name: "release engineers",
          action: "approve",
          reason: "Release engineering.",
          match: { teams: ["release-engineering"], repositories: ["release-*"], permissions: { repository: { contents: "write" } } },
        },
      ],
      { members: "read" },
    );
    // WHEN review --apply runs
    const io = captureIO(env());
    expect(await run(["review", "--org", "acme-corp", "--config", config, "--apply"], io)).toBe(0);
    // THEN only the members are approved, the team was read once, and the rest is left
    expect(standIn.callsOf(REVIEW).map((c) => c.body)).toEqual([
      { pat_request_ids: [mona.id, hubot.id], action: "approve", reason: "Release engineering." },
    ]);
    expect(standIn.callsOf(MEMBERS)).toHaveLength(1);
    expect(io.out()).toContain("acme-corp: 3 pending: 2 approve, 0 deny, 1 leave; 0 revocations.");
  });

  test("fails closed when the installation cannot read the team: nothing approved, the reason names the team", async () => {
    // GIVEN the config asks for members: read, but the installation has not accepted it (GitHub answers 403)
    standIn.addTeam("acme-corp", "release-engineering", ["mona"]);
    addRequest(standIn, app.org, { owner: "mona", repositories: ["release-tools"], permissions: { repository: { contents: "write" } } });
    const config = writeConfig(
      [
        {
          name: "release engineers",
          action: "approve",
          match: { teams: ["release-engineering"], permissions: { repository: { contents: "write" } } },
        },
      ],
      { members: "read" },
    );
    const io = captureIO(env());
    expect(await run(["review", "--org", "acme-corp", "--config", config, "--apply", "--json"], io)).toBe(0);
    expect(standIn.callsOf(REVIEW)).toEqual([]);
    expect(JSON.parse(io.out()).decisions).toEqual([
      expect.objectContaining({
        owner: "mona",
        action: "leave",
        decidedBy: byBuiltin("team-membership-unreadable"),
        reason:
          'Rule "release engineers" matches by membership of team release-engineering, which could not be read; an organization owner decides.',
      }),
    ]);
  });
});
