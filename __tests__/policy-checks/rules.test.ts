import { checkOrganization, POLICY_RULES } from "../../lib/policy-checks/rule-pack";
import { orgEntry, parseOrg } from "../helpers/config";

const app = (permissions: Record<string, string> = {}) => ({ name: "b", homepageUrl: "https://x.example", permissions });
const reviewer = app({ organization_personal_access_token_requests: "write" });
const denyAll = { otherwise: "deny" };

/** Ids of the unsuppressed findings on an organization entry. */
function ids(entry: Record<string, unknown>): string[] {
  return checkOrganization(parseOrg(orgEntry({ app: reviewer, approval: denyAll, ...entry }))).filter((f) => f.level !== "suppressed").map((f) => f.ruleId);
}

describe("policy rules", () => {
  test("a careful organization has no findings", () => {
    expect(ids({ patPolicy: { maxLifetimeDays: 30 } })).toEqual([]);
  });

  test("every rule has an id, a level, what is wrong and why", () => {
    for (const r of POLICY_RULES) {
      expect(r.id).toMatch(/^[a-z-]+$/);
      expect(["error", "warning"]).toContain(r.level);
      expect(r.info.length).toBeGreaterThan(10);
      expect(r.explanation.length).toBeGreaterThan(30);
    }
    expect(new Set(POLICY_RULES.map((r) => r.id)).size).toBe(POLICY_RULES.length);
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
    expect(f.map((x) => [x.ruleId, x.level])).toEqual([["long-token-lifetime", "warning"]]);
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
    expect(ids({ ...p, ...rule({}) })).toEqual(["approve-write-all-repositories"]);
    expect(ids({ ...p, ...rule({ owners: ["bot-*"] }) })).toEqual(["approve-write-all-repositories"]);
    expect(ids({ ...p, ...rule({ permissions: { repository: { contents: "write" } } }) })).toEqual(["approve-write-all-repositories"]);
    expect(ids({ ...p, ...rule({ permissions: { repository: { contents: "read" } } }) })).toEqual([]);
    expect(ids({ ...p, ...rule({ repositorySelection: ["subset"] }) })).toEqual([]);
    expect(ids({ ...p, ...rule({ repositories: ["release-*"] }) })).toEqual([]);
    expect(ids({ ...p, approval: { rules: [{ name: "d", action: "deny", match: {} }] } })).toEqual([]);
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
      expect(checkOrganization(org).map((f) => [f.ruleId, f.level, f.suppressedBecause])).toEqual([
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
