import { checkOrganization, POLICY_CHECKS } from "../../lib/policy-checks/check-pack";
import { orgEntry, parseOrg } from "../helpers/config";

const app = (permissions: Record<string, string> = {}) => ({ name: "b", homepageUrl: "https://x.example", permissions });
const reviewer = app({ organization_personal_access_token_requests: "write" });
const denyAll = { otherwise: "deny" };

/** Ids of the unsuppressed findings on an organization entry. */
function ids(entry: Record<string, unknown>): string[] {
  return checkOrganization(parseOrg(orgEntry({ app: reviewer, approval: denyAll, ...entry }))).filter((f) => f.level !== "suppressed").map((f) => f.checkId);
}

describe("policy rules", () => {
  test("a careful organization has no findings", () => {
    expect(ids({ patPolicy: { maxLifetimeDays: 30 } })).toEqual([]);
  });

  test("every rule has an id, a level, what is wrong and why", () => {
    for (const r of POLICY_CHECKS) {
      expect(r.id).toMatch(/^[a-z-]+$/);
      expect(["error", "warning"]).toContain(r.level);
      expect(r.info.length).toBeGreaterThan(10);
      expect(r.explanation.length).toBeGreaterThan(30);
    }
    expect(new Set(POLICY_CHECKS.map((r) => r.id)).size).toBe(POLICY_CHECKS.length);
  });

  test("private-key-visible-to-all: Actions or Dependabot secret visible to all", () => {
    expect(ids({ patPolicy: { maxLifetimeDays: 30 }, credentials: { actions: { visibility: "all" } } })).toEqual(["private-key-visible-to-all"]);
    expect(ids({ patPolicy: { maxLifetimeDays: 30 }, credentials: { actions: { visibility: "private" }, dependabot: { visibility: "all" } } })).toEqual(["private-key-visible-to-all"]);
    expect(ids({ patPolicy: { maxLifetimeDays: 30 }, credentials: { actions: { visibility: "private" } } })).toEqual([]);
  });

  test("app-administration-write: administration or organization_administration at write", () => {
    const base = { patPolicy: { maxLifetimeDays: 30 } };
    expect(ids({ ...base, app: app({ organization_personal_access_token_requests: "write", administration: "write" }) })).toEqual(["app-administration-write"]);
    expect(ids({ ...base, app: app({ organization_personal_access_token_requests: "write", organization_administration: "write" }) })).toEqual(["app-administration-write"]);
    expect(ids({ ...base, app: app({ organization_personal_access_token_requests: "write", administration: "read" }) })).toEqual([]);
  });

  test("classic-tokens-allowed", () => {
    expect(ids({ patPolicy: { maxLifetimeDays: 30, classicTokens: "allow" } })).toEqual(["classic-tokens-allowed"]);
  });

  test("long-token-lifetime: a warning over 90 days, not applicable when fine-grained tokens are restricted", () => {
    const f = checkOrganization(parseOrg(orgEntry({ app: reviewer, approval: denyAll, patPolicy: { maxLifetimeDays: 91 } })));
    expect(f.map((x) => [x.checkId, x.level])).toEqual([["long-token-lifetime", "warning"]]);
    expect(f[0].message).toBe(
      "[long-token-lifetime] Fine-grained tokens may live longer than 90 days. patPolicy.maxLifetimeDays is 91. A leaked token is useful to an attacker until it expires. Short lifetimes bound the damage and make owners renew what they still need.",
    );
    expect(ids({ patPolicy: { maxLifetimeDays: 90 } })).toEqual([]);
    expect(ids({ patPolicy: { fineGrainedTokens: "restrict" } })).toEqual([]);
  });

  test("approval-not-required: only while fine-grained tokens are allowed", () => {
    expect(ids({ patPolicy: { maxLifetimeDays: 30, requireApproval: false } })).toEqual(["approval-not-required"]);
    expect(ids({ patPolicy: { fineGrainedTokens: "restrict", requireApproval: false } })).toEqual([]);
  });

  test("approve-write-all-repositories: an approve rule that can grant write on all repositories", () => {
    const p = { patPolicy: { maxLifetimeDays: 30 } };
    const rule = (match: Record<string, unknown>) => ({ approval: { rules: [{ name: "r", action: "approve", match }] } });
    const write = { permissions: { repository: { contents: "write" } } };
    expect(ids({ ...p, ...rule({}) })).toContain("approve-write-all-repositories");
    expect(ids({ ...p, ...rule(write) })).toEqual(["approve-write-all-repositories"]);
    // A subset whose patterns match every repository name is all repositories.
    expect(ids({ ...p, ...rule({ ...write, repositories: ["*"] }) })).toEqual(["approve-write-all-repositories"]);
    expect(ids({ ...p, ...rule({ ...write, repositories: ["docs-*", "?*"] }) })).toEqual(["approve-write-all-repositories"]);
    expect(ids({ ...p, ...rule({ ...write, repositories: ["??*"] }) })).toEqual([]);
    expect(ids({ ...p, ...rule({ permissions: { repository: { contents: "read" } } }) })).toEqual([]);
    expect(ids({ ...p, ...rule({ ...write, repositorySelection: ["subset"] }) })).toEqual([]);
    expect(ids({ ...p, ...rule({ ...write, repositories: ["release-*"] }) })).toEqual([]);
    expect(ids({ ...p, approval: { rules: [{ name: "d", action: "deny", match: {} }] } })).toEqual([]);
  });

  test("approve-without-permission-cap: an approve rule without match.permissions, however narrow otherwise", () => {
    const p = { patPolicy: { maxLifetimeDays: 30 } };
    const f = checkOrganization(parseOrg(orgEntry({ ...p, app: reviewer, approval: { rules: [{ name: "docs", action: "approve", match: { repositories: ["docs-*"], maxLifetimeDays: 7 } }] } })));
    expect(f.map((x) => [x.checkId, x.level, x.detail])).toEqual([
      ["approve-without-permission-cap", "error", "approval.rules[0] (docs) has no match.permissions"],
      // Uncapped, it can grant organization permissions at write too.
      ["approve-organization-write", "error", "approval.rules[0] (docs) has no permission cap"],
    ]);
    expect(ids({ ...p, approval: { rules: [{ name: "docs", action: "approve", match: { repositories: ["docs-*"], permissions: { repository: { contents: "write" } } } }] } })).toEqual([]);
    expect(ids({ ...p, approval: { rules: [{ name: "d", action: "deny", match: { repositories: ["docs-*"] } }] } })).toEqual([]);
  });

  test("deny-rule-permission-cap: a deny rule written with a permissions cap, which one more permission dodges", () => {
    const p = { patPolicy: { maxLifetimeDays: 30 } };
    const deny = (match: Record<string, unknown>) => ({ approval: { rules: [{ name: "no admin", action: "deny", match }] } });
    const f = checkOrganization(parseOrg(orgEntry({ ...p, app: reviewer, ...deny({ permissions: { organization: { administration: "write" } } }) })));
    expect(f.map((x) => [x.checkId, x.level, x.detail])).toEqual([["deny-rule-permission-cap", "warning", "approval.rules[0] (no admin) denies with match.permissions; use match.anyPermission"]]);
    expect(ids({ ...p, ...deny({ anyPermission: { organization: { administration: "write" } } }) })).toEqual([]);
  });

  test("approve-organization-write: an approve rule that can grant an organization permission at write, under any spelling", () => {
    const p = { patPolicy: { maxLifetimeDays: 30 } };
    const rule = (permissions: Record<string, unknown> | undefined) => ({
      approval: { rules: [{ name: "r", action: "approve", match: { repositories: ["docs-*"], ...(permissions ? { permissions } : {}) } }] },
    });
    const f = checkOrganization(parseOrg(orgEntry({ ...p, app: reviewer, ...rule({ organization: { organization_administration: "write", members: "read" } }) })));
    expect(f.map((x) => [x.checkId, x.detail])).toEqual([["approve-organization-write", "approval.rules[0] (r) allows organization administration: write"]]);
    expect(ids({ ...p, ...rule({ organization: { projects: "admin" } }) })).toEqual(["approve-organization-write"]);
    expect(ids({ ...p, ...rule(undefined) })).toEqual(["approve-without-permission-cap", "approve-organization-write"]);
    expect(ids({ ...p, ...rule({ organization: { members: "read" }, repository: { contents: "write" } }) })).toEqual([]);
  });

  test("approve-owners-glob-only: an approve rule that trusts a login pattern without a team", () => {
    const p = { patPolicy: { maxLifetimeDays: 30 } };
    const cap = { permissions: { repository: { contents: "read" } }, repositorySelection: ["subset"] };
    const rule = (match: Record<string, unknown>) => ({ approval: { rules: [{ name: "bots", action: "approve", match: { ...cap, ...match } }] } });
    const f = checkOrganization(parseOrg(orgEntry({ ...p, app: reviewer, ...rule({ owners: ["release-bot-*", "octocat", "bot-?"] }) })));
    expect(f.map((x) => [x.checkId, x.detail])).toEqual([["approve-owners-glob-only", "approval.rules[0] (bots) matches owners release-bot-*, bot-? and no teams"]]);
    expect(ids({ ...p, ...rule({ owners: ["octocat", "hubot"] }) })).toEqual([]);
    const withMembers = app({ organization_personal_access_token_requests: "write", members: "read" });
    expect(ids({ ...p, app: withMembers, ...rule({ owners: ["release-bot-*"], teams: ["release-bots"] }) })).toEqual([]);
    expect(ids({ ...p, approval: { rules: [{ name: "d", action: "deny", match: { owners: ["ex-*"] } }] } })).toEqual([]);
  });

  test("the new findings are suppressible with a reason", () => {
    const org = parseOrg(
      orgEntry({
        patPolicy: { maxLifetimeDays: 30 },
        app: reviewer,
        approval: { rules: [{ name: "bots", action: "approve", match: { owners: ["ci-bot-*"], permissions: { repository: { contents: "read" } }, repositorySelection: ["subset"] } }] },
        suppressions: [{ id: "approve-owners-glob-only", reason: "ci-bot-* logins are reserved by the enterprise's naming policy (SEC-40)." }],
      }),
    );
    expect(checkOrganization(org).map((f) => [f.checkId, f.level])).toEqual([["approve-owners-glob-only", "suppressed"]]);
  });

  test("approval-app-mismatch: rules without the App permission, the permission without rules, revoking without permission", () => {
    const p = { patPolicy: { maxLifetimeDays: 30 } };
    expect(ids({ ...p, app: app() })).toEqual(["approval-app-mismatch"]);
    expect(ids({ ...p, approval: { otherwise: "leave" } })).toEqual(["approval-app-mismatch"]);
    const f = checkOrganization(parseOrg(orgEntry({ ...p, app: reviewer, approval: { otherwise: "deny", revokeNonCompliant: true } })));
    expect(f.map((x) => x.detail)).toEqual(["approval.revokeNonCompliant is true but app.permissions.organization_personal_access_tokens is not write"]);
  });

  test("plaintext-private-key: a warning", () => {
    expect(ids({ patPolicy: { maxLifetimeDays: 30 }, credentials: { privateKeyInput: "plaintext", actions: { visibility: "private" } } })).toEqual(["plaintext-private-key"]);
  });

  describe("suppressions", () => {
    test("turn the finding into suppressed, with the reason", () => {
      const org = parseOrg(orgEntry({ app: reviewer, approval: denyAll, patPolicy: { maxLifetimeDays: 180 }, suppressions: [{ id: "long-token-lifetime", reason: "Data team tokens renew twice a year; tracked in SEC-12." }] }));
      expect(checkOrganization(org).map((f) => [f.checkId, f.level, f.suppressedBecause])).toEqual([
        ["long-token-lifetime", "suppressed", "Data team tokens renew twice a year; tracked in SEC-12."],
      ]);
    });

    test("fail loudly when they match nothing or name no rule", () => {
      const org = parseOrg(orgEntry({ app: reviewer, approval: denyAll, patPolicy: { maxLifetimeDays: 30 }, suppressions: [{ id: "long-token-lifetime", reason: "left over from 2025" }, { id: "no-such-rule", reason: "a typo in the id" }] }));
      expect(checkOrganization(org).map((f) => [f.level, f.message])).toEqual([
        ["error", "[unused-suppression] suppressions[0] suppresses long-token-lifetime, which finds nothing in acme-corp: remove it."],
        ["error", expect.stringMatching(/^\[unused-suppression\] suppressions\[1\] names no-such-rule, which is no rule \(rules: private-key-visible-to-all, /)],
      ]);
    });
  });
});

describe("events-without-webhook", () => {
  test("warns about event subscriptions that nothing receives", () => {
    const withEvents = (extra: Record<string, unknown>) => ids({ patPolicy: { maxLifetimeDays: 30 }, app: { ...reviewer, events: ["personal_access_token_request"], ...extra } });
    expect(withEvents({})).toEqual(["events-without-webhook"]);
    expect(withEvents({ webhookUrl: "https://hooks.example/gh" })).toEqual([]);
  });
});
