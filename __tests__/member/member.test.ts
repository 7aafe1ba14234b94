import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";
import { run } from "../../cli";
import { member } from "../../cli/commands/member";
import type { MemberAnswer } from "../../lib/member/member";
import { GitHubStandIn } from "../../test-support/github-stand-in/server";
import { addGrant, addRequest, installApp, type InstalledApp } from "../../test-support/fixtures";
import { captureIO } from "../../test-support/io";
import { tempDir } from "../../test-support/temp";

const RULES = [
  {
    name: "read-docs",
    action: "approve",
    reason: "Reading is fine.",
    match: { permissions: { repository: { contents: "read" } }, repositorySelection: ["subset"] },
  },
  {
    name: "no-admin",
    action: "deny",
    reason: "No administration.",
    match: { anyPermission: { organization: { administration: "read" } } },
  },
  {
    name: "platform-writes",
    action: "approve",
    reason: "Platform team.",
    match: { teams: ["platform"], permissions: { repository: { contents: "write" } } },
  },
];

/** A config for acme-corp: rules above, patPolicy and approval extras, optionally under an enterprise. */
function writeConfig(
  extra: { patPolicy?: Record<string, unknown>; approval?: Record<string, unknown>; enterprise?: Record<string, unknown> } = {},
) {
  const file = join(tempDir("member-"), "token-policy.yaml");
  writeFileSync(
    file,
    stringify({
      ...(extra.enterprise ? { enterprises: [{ slug: "acme", patPolicy: extra.enterprise }] } : {}),
      organizations: [
        {
          login: "acme-corp",
          ...(extra.enterprise ? { enterprise: "acme" } : {}),
          patPolicy: { maxLifetimeDays: 90, ...extra.patPolicy },
          approval: { rules: RULES, otherwise: "leave", ...extra.approval },
          app: {
            name: "acme-token-broker",
            homepageUrl: "https://github.com/acme-corp",
            permissions: { organization_personal_access_token_requests: "write", members: "read" },
          },
          credentials: { actions: { visibility: "all" } },
        },
      ],
    }),
  );
  return file;
}

describe("member", () => {
  let standIn: GitHubStandIn;
  let app: InstalledApp;

  async function start(spec?: "ghec") {
    standIn = await GitHubStandIn.start(spec ? { spec } : {});
    app = installApp(standIn);
    // The App reads memberships and teams (members: read) and SSO authorizations (organization_administration: read).
    app.org.installation!.permissions.members = "read";
    app.org.installation!.permissions.organization_administration = "read";
    standIn.addTeam("acme-corp", "platform", ["plat-dev"]);
  }
  afterEach(async () => {
    expect(standIn.violations).toEqual([]);
    expect(standIn.rejections).toEqual([]);
    await standIn.close();
  });

  const ask = async (login: string, config = writeConfig()) => {
    const io = captureIO({ GITHUB_API_URL: standIn.url, GITHUB_TOKEN: app.token });
    const answer = await member({ login, org: "acme-corp", config }, io);
    return { answer, text: io.out() };
  };
  const causes = (a: MemberAnswer) => a.pick.reasons.map((r) => r.cause);

  test("a member can pick the organization, and is told so", async () => {
    // GIVEN an active member
    await start();
    standIn.addMember("acme-corp", "mona", "member");
    // WHEN their answer is read
    const { answer, text } = await ask("mona");
    // THEN they can pick it, with no reason against
    expect(answer.membership).toEqual({ kind: "member", role: "member" });
    expect(answer.pick).toEqual({ answer: "yes", reasons: [] });
    expect(text).toContain("mona can pick acme-corp as the resource owner of a fine-grained token.");
  });

  test("an owner (admin) can pick the organization", async () => {
    await start();
    standIn.addMember("acme-corp", "boss", "admin");
    const { answer, text } = await ask("boss");
    expect(answer.membership).toEqual({ kind: "member", role: "admin" });
    expect(answer.pick.answer).toBe("yes");
    expect(text).toContain("Membership: owner (admin)");
  });

  test("an outside collaborator is told they are not a member, and where an owner invites them", async () => {
    // GIVEN someone who only collaborates on repositories
    await start();
    app.org.outsideCollaborators = ["someone-else", "contractor"];
    // WHEN their answer is read
    const { answer, text } = await ask("contractor");
    // THEN the reason is written out, with where it is put right
    expect(answer.membership).toEqual({ kind: "outside-collaborator" });
    expect(answer.pick.answer).toBe("no");
    expect(causes(answer)).toEqual(["outside-collaborator"]);
    expect(text).toContain("contractor cannot pick acme-corp");
    expect(text).toContain("is an outside collaborator of acme-corp");
    expect(text).toContain("Where: https://github.com/orgs/acme-corp/outside-collaborators");
  });

  test("a pending invitation is named as the reason", async () => {
    await start();
    standIn.addMember("acme-corp", "newbie", "member", "pending");
    const { answer, text } = await ask("newbie");
    expect(answer.membership).toEqual({ kind: "invitation-pending", role: "member" });
    expect(causes(answer)).toEqual(["invitation-pending"]);
    expect(text).toContain("has not accepted yet");
  });

  test("someone who is not a member, not invited and no collaborator is told so", async () => {
    await start();
    const { answer } = await ask("stranger");
    expect(answer.membership).toEqual({ kind: "not-a-member" });
    expect(answer.pick.answer).toBe("no");
    expect(causes(answer)).toEqual(["not-a-member"]);
  });

  test("the organization's policy restricting fine-grained tokens is named, with its settings page", async () => {
    // GIVEN a member of an organization that restricts fine-grained tokens
    await start();
    standIn.addMember("acme-corp", "mona");
    // WHEN their answer is read
    const { answer, text } = await ask("mona", writeConfig({ patPolicy: { fineGrainedTokens: "restrict" } }));
    // THEN GitHub's missing sentence is written, pointing at the organization's settings
    expect(answer.pick.answer).toBe("no");
    expect(causes(answer)).toEqual(["organization-policy"]);
    expect(text).toContain(
      "acme-corp cannot be selected because fine-grained personal access tokens are restricted by the organization's policy",
    );
    expect(text).toContain("Where: https://github.com/organizations/acme-corp/settings/personal-access-tokens");
  });

  test("the enterprise's policy restricting fine-grained tokens is named as the enterprise's", async () => {
    await start();
    standIn.addMember("acme-corp", "mona");
    const { answer, text } = await ask("mona", writeConfig({ enterprise: { fineGrainedTokens: "restrict" } }));
    expect(causes(answer)).toEqual(["enterprise-policy"]);
    expect(answer.policy.decidedBy).toBe("enterprise");
    expect(text).toContain("restricted by its enterprise's policy; only an enterprise owner can change it");
    expect(text).toContain("https://github.com/enterprises/acme/settings");
  });

  test("fails closed when the membership cannot be read: cannot tell, never yes", async () => {
    // GIVEN an App without members: read
    await start();
    delete app.org.installation!.permissions.members;
    standIn.addMember("acme-corp", "mona");
    const { answer, text } = await ask("mona");
    expect(answer.membership.kind).toBe("unreadable");
    expect(answer.pick.answer).toBe("cannot-tell");
    expect(causes(answer)).toEqual(["membership-unreadable"]);
    expect(text).toContain("may not be able to pick (cannot tell)");
  });

  test("SSO readable: enforced, and the member's own authorizations listed without any part of the credential", async () => {
    // GIVEN Enterprise Cloud with SAML SSO, and one authorization of mona's and one of someone else's
    await start("ghec");
    standIn.addMember("acme-corp", "mona");
    const auth = (login: string, id: number) => ({
      login,
      credential_id: id,
      credential_type: "personal access token",
      token_last_eight: "abcd1234",
      credential_authorized_at: "2026-10-01T00:00:00Z",
      credential_accessed_at: null,
      authorized_credential_id: id + 1,
    });
    app.org.credentialAuthorizations = [auth("mona", 1), auth("other", 2)];
    // WHEN mona's answer is read
    const { answer, text } = await ask("mona");
    // THEN SSO is enforced and only her authorization is shown, never the token's last eight
    expect(answer.sso).toEqual({
      kind: "enforced",
      authorizations: [{ credentialId: 1, credentialType: "personal access token", authorizedAt: "2026-10-01T00:00:00Z" }],
    });
    expect(text).toContain("SAML SSO is enforced");
    expect(text).not.toContain("abcd1234");
    expect(standIn.callsOf("GET /orgs/{org}/credential-authorizations")[0].url).toContain("login=mona");
  });

  test("SSO not readable: said to be unchecked, not assumed", async () => {
    await start("ghec");
    standIn.addMember("acme-corp", "mona");
    app.org.credentialAuthorizations = [];
    delete app.org.installation!.permissions.organization_administration;
    const { answer, text } = await ask("mona");
    expect(answer.sso.kind).toBe("cannot-be-checked");
    expect(text).toContain("SSO: cannot be checked: the App cannot read the credential authorizations");
  });

  test("SSO absent (GitHub answers 404): tokens need no authorizing", async () => {
    await start("ghec");
    standIn.addMember("acme-corp", "mona");
    const { answer } = await ask("mona");
    expect(answer.sso.kind).toBe("not-enforced");
  });

  test("pending requests: approved, denied, and one left to an owner with the nearest request the rules approve", async () => {
    // GIVEN three requests of mona's and one of someone else's
    await start();
    standIn.addMember("acme-corp", "mona");
    const ok = addRequest(standIn, app.org, { owner: "mona", tokenName: "docs" });
    const denied = addRequest(standIn, app.org, {
      owner: "mona",
      tokenName: "org-admin",
      permissions: { organization: { administration: "write" } },
    });
    const left = addRequest(standIn, app.org, {
      owner: "mona",
      tokenName: "write-and-issues",
      permissions: { repository: { contents: "write", issues: "read", metadata: "read" } },
    });
    addRequest(standIn, app.org, { owner: "someone", tokenName: "theirs" });
    // WHEN mona's answer is read
    const { answer, text } = await ask("mona");
    // THEN each of hers is decided as review would, and only hers are read
    expect(answer.requests.kind).toBe("read");
    const items = answer.requests.kind === "read" ? answer.requests.items : [];
    const byId = new Map(items.map((r) => [r.decision.requestId, r]));
    expect(items).toHaveLength(3);
    expect(byId.get(ok.id)!.decision).toMatchObject({ action: "approve", decidedBy: { kind: "rule", name: "read-docs" } });
    expect(byId.get(denied.id)!.decision).toMatchObject({ action: "deny", decidedBy: { kind: "rule", name: "no-admin" } });
    expect(byId.get(ok.id)!.nearest).toBeUndefined();
    const leftOne = byId.get(left.id)!;
    expect(leftOne.decision.action).toBe("leave");
    expect(leftOne.nearest).toMatchObject({
      rule: "read-docs",
      changes: ["repository permission contents: read instead of write", "drop repository permission issues (read)"],
    });
    expect(leftOne.nearest!.url).toContain("target_name=acme-corp");
    expect(text).toContain('Nearest request the rules approve (rule "read-docs")');
    expect(standIn.callsOf("GET /orgs/{org}/personal-access-token-requests").map((c) => c.url)).toEqual([
      expect.stringContaining("owner[]=mona"),
    ]);
  });

  test("a granted token due for revocation for non-use, and another with the date it will be", async () => {
    // GIVEN revokeUnusedAfterDays: 30, one token idle for 40 days and one used 10 days ago
    await start();
    standIn.addMember("acme-corp", "mona");
    const idle = addGrant(standIn, app.org, { owner: "mona", tokenName: "idle", grantedDaysAgo: 60, lastUsedDaysAgo: 40 });
    const busy = addGrant(standIn, app.org, { owner: "mona", tokenName: "busy", grantedDaysAgo: 60, lastUsedDaysAgo: 10, days: 120 });
    const expiring = addGrant(standIn, app.org, {
      owner: "mona",
      tokenName: "expiring",
      grantedDaysAgo: 60,
      lastUsedDaysAgo: 10,
      days: 65,
    });
    addGrant(standIn, app.org, { owner: "someone", tokenName: "theirs", lastUsedDaysAgo: 100 });
    const now = Date.now();
    // WHEN mona's answer is read
    const io = captureIO({ GITHUB_API_URL: standIn.url, GITHUB_TOKEN: app.token }, { now: () => new Date(now) });
    const answer = await member({ login: "mona", org: "acme-corp", config: writeConfig({ approval: { revokeUnusedAfterDays: 30 } }) }, io);
    // THEN the idle one is due now, the busy one on the day 31 days after its last use
    const grants = answer.grants.kind === "read" ? answer.grants.items : [];
    expect(grants.map((g) => g.tokenId).sort()).toEqual([idle, busy, expiring].sort());
    // AND one that expires before it could be revoked for non-use is not due
    expect(grants.find((g) => g.tokenId === expiring)!.fate).toEqual({ kind: "kept" });
    expect(grants.find((g) => g.tokenId === idle)!.fate).toMatchObject({
      kind: "revoke-now",
      decidedBy: { kind: "builtin", outcome: "unused" },
      when: "at the next review run or serve sweep",
    });
    const lastUse = Date.parse(app.org.grants.get(busy)!.lastUsedAt!);
    expect(grants.find((g) => g.tokenId === busy)!.fate).toEqual({
      kind: "revoke-if-unused",
      on: new Date(lastUse + 31 * 86_400_000).toISOString(),
      reason: expect.stringContaining("approval.revokeUnusedAfterDays: 30"),
    });
    expect(io.out()).toMatch(/idle: expires \d{4}-\d{2}-\d{2}, last used \d{4}-\d{2}-\d{2}; revoked at the next review run or serve sweep/);
  });

  test("fails closed when the granted tokens cannot be read: that part says so, the others are still answered", async () => {
    // GIVEN an App that may list requests but not granted tokens
    await start();
    standIn.addMember("acme-corp", "mona");
    delete app.org.installation!.permissions.organization_personal_access_tokens;
    addRequest(standIn, app.org, { owner: "mona", tokenName: "docs" });
    // WHEN mona's answer is read
    const { answer, text } = await ask("mona");
    // THEN the grants are unreadable, named as such, and the rest is answered
    expect(answer.grants.kind).toBe("unreadable");
    expect(text).toMatch(/Granted tokens:\n  cannot be read: cannot read mona's granted tokens: .*403/);
    expect(answer.pick.answer).toBe("yes");
    expect(answer.requests.kind === "read" && answer.requests.items).toHaveLength(1);
  });

  test("the ready-made links approved for the member, a team rule only for its members", async () => {
    await start();
    standIn.addMember("acme-corp", "mona");
    standIn.addMember("acme-corp", "plat-dev");
    const mona = (await ask("mona")).answer;
    const dev = (await ask("plat-dev")).answer;
    const rules = (a: MemberAnswer) => (a.links.kind === "read" ? a.links.items.map((l) => l.rule) : []);
    expect(rules(mona)).toEqual(["read-docs"]);
    expect(rules(dev)).toEqual(["read-docs", "platform-writes"]);
  });

  test("a team rule whose team cannot be read is named as cannot be told, never offered as approved", async () => {
    // GIVEN the platform team unknown to GitHub (404)
    await start();
    app.org.teams!.delete("platform");
    standIn.addMember("acme-corp", "plat-dev");
    const { answer, text } = await ask("plat-dev");
    expect(answer.links.kind === "read" && answer.links.items.map((l) => l.rule)).toEqual(["read-docs"]);
    expect(answer.linksUnsure).toEqual(["platform-writes"]);
    expect(text).toContain('rule "platform-writes": cannot be told (a team it names cannot be read)');
  });

  test("reads only what it needs: one membership call, the listings filtered by owner[]", async () => {
    // GIVEN Enterprise Cloud with SSO, 150 other people's tokens and a team rule
    await start("ghec");
    app.org.credentialAuthorizations = [];
    standIn.addMember("acme-corp", "mona");
    for (let i = 0; i < 150; i++) addGrant(standIn, app.org, { owner: `user${i}` });
    await ask("mona");
    const reads = standIn.calls.filter((c) => c.method === "GET").map((c) => c.operation);
    expect(reads.sort()).toEqual(
      [
        "/orgs/{org}/memberships/{username}",
        "/orgs/{org}/personal-access-token-requests",
        "/orgs/{org}/personal-access-tokens",
        "/orgs/{org}/credential-authorizations",
        "/orgs/{org}/teams/{team_slug}/members",
      ].sort(),
    );
  });

  test("through the CLI: --json prints the answer; a bad login fails before any call", async () => {
    await start();
    standIn.addMember("acme-corp", "mona");
    const env = { GITHUB_API_URL: standIn.url, GITHUB_TOKEN: app.token };
    const config = writeConfig();
    const io = captureIO(env);
    expect(await run(["member", "mona", "--org", "acme-corp", "--config", config, "--json"], io)).toBe(0);
    expect(JSON.parse(io.out())).toMatchObject({ login: "mona", pick: { answer: "yes" } });
    const bad = captureIO(env);
    const calls = standIn.calls.length;
    expect(await run(["member", "bad_login!", "--org", "acme-corp", "--config", config], bad)).toBe(2);
    expect(bad.err()).toContain('"bad_login!" is not a GitHub login');
    expect(standIn.calls.length).toBe(calls);
  });
});
