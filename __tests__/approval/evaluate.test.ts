import {
  evaluate,
  evaluateGrant,
  lifetimeDays,
  type ApprovalPolicy,
  type TeamMembership,
  type TokenAccess,
} from "../../lib/approval/evaluate";
import type { ApprovalRule } from "../../lib/config/schema";
import { byBuiltin, byRule } from "../../lib/approval/outcomes";

const T0 = "2026-11-01T10:00:00Z";
const days = (n: number) => new Date(Date.parse(T0) + n * 86_400_000).toISOString();

function request(overrides: Partial<TokenAccess> = {}): TokenAccess {
  return {
    id: 1,
    owner: "octocat",
    tokenName: "ci",
    repositorySelection: "subset",
    permissions: { repository: { contents: "read", metadata: "read" } },
    since: T0,
    tokenExpiresAt: days(30),
    ...overrides,
  };
}

function policy(rules: ApprovalRule[], extra: Partial<ApprovalPolicy["approval"]> = {}, maxLifetimeDays = 90): ApprovalPolicy {
  return { patPolicy: { maxLifetimeDays }, approval: { rules, otherwise: "leave", ...extra } };
}

const approve = (name: string, match: ApprovalRule["match"]): ApprovalRule => ({ name, action: "approve", reason: `ok by ${name}`, match });
const deny = (name: string, match: ApprovalRule["match"]): ApprovalRule => ({ name, action: "deny", reason: `no by ${name}`, match });

/** The decision's action and rule, failing when repositories were needed. */
function decide(access: TokenAccess, p: ApprovalPolicy, repos?: string[]) {
  const e = evaluate(access, p, repos);
  if (!("decided" in e)) throw new Error("needed repositories");
  return e.decided;
}

describe("evaluate", () => {
  describe("the lifetime limit, before any rule", () => {
    test("denies a token that never expires, naming the limit", () => {
      const d = decide(request({ tokenExpiresAt: null }), policy([approve("all", {})]));
      expect(d).toEqual({
        action: "deny",
        decidedBy: byBuiltin("lifetime-limit"),
        reason: "The token never expires; this organization allows tokens of at most 90 days.",
      });
    });

    test("denies a token that outlives the limit, naming both", () => {
      const d = decide(request({ tokenExpiresAt: days(91) }), policy([approve("all", {})]));
      expect(d).toEqual({
        action: "deny",
        decidedBy: byBuiltin("lifetime-limit"),
        reason: "The token lives 91 days; this organization allows tokens of at most 90 days.",
      });
    });

    test("lets a token of exactly the limit through to the rules, counting whole days", () => {
      expect(decide(request({ tokenExpiresAt: days(90) }), policy([approve("all", {})])).action).toBe("approve");
      // Expiring at the end of its 90th day is still 90 days.
      expect(decide(request({ tokenExpiresAt: days(90.9) }), policy([approve("all", {})])).action).toBe("approve");
      expect(lifetimeDays({ since: T0, tokenExpiresAt: days(90.9) })).toBe(90);
    });
  });

  describe("match keys", () => {
    test("owners: globs on the login, case-insensitive", () => {
      const p = policy([approve("bots", { owners: ["release-*", "octo?at"] })]);
      expect(decide(request({ owner: "release-bot" }), p).decidedBy).toEqual(byRule("bots"));
      expect(decide(request({ owner: "Release-Bot" }), p).decidedBy).toEqual(byRule("bots"));
      expect(decide(request({ owner: "octocat" }), p).decidedBy).toEqual(byRule("bots"));
      expect(decide(request({ owner: "mallory" }), p).decidedBy).toEqual(byBuiltin("otherwise"));
    });

    test("repositories: asks for them only for a subset selection, and every one must match", () => {
      const p = policy([approve("release", { repositories: ["release-*", "changelog"] })]);
      expect(evaluate(request(), p)).toEqual({ needsRepositories: true });
      expect(decide(request(), p, ["release-tools", "changelog"]).decidedBy).toEqual(byRule("release"));
      expect(decide(request(), p, ["release-tools", "billing"]).decidedBy).toEqual(byBuiltin("otherwise"));
      expect(decide(request(), p, []).decidedBy).toEqual(byBuiltin("otherwise"));
      // all and none never satisfy a repositories key, and need no look-up
      expect(decide(request({ repositorySelection: "all" }), p).decidedBy).toEqual(byBuiltin("otherwise"));
      expect(decide(request({ repositorySelection: "none" }), p).decidedBy).toEqual(byBuiltin("otherwise"));
    });

    test("repositories: no look-up when another key of the rule already fails", () => {
      const p = policy([approve("release", { owners: ["release-*"], repositories: ["release-*"] })]);
      expect(decide(request({ owner: "mallory" }), p).decidedBy).toEqual(byBuiltin("otherwise"));
    });

    test("repositorySelection: the request's selection is listed", () => {
      const p = policy([approve("no-repos", { repositorySelection: ["none"] })]);
      expect(decide(request({ repositorySelection: "none" }), p).decidedBy).toEqual(byRule("no-repos"));
      expect(decide(request({ repositorySelection: "all" }), p).decidedBy).toEqual(byBuiltin("otherwise"));
    });

    test("permissions: every permission asked for is listed at an equal or higher level", () => {
      const p = policy([approve("read", { permissions: { repository: { contents: "write", issues: "read" } } })]);
      expect(decide(request({ permissions: { repository: { contents: "read" } } }), p).decidedBy).toEqual(byRule("read"));
      expect(decide(request({ permissions: { repository: { contents: "write", issues: "read" } } }), p).decidedBy).toEqual(byRule("read"));
      expect(decide(request({ permissions: { repository: { issues: "write" } } }), p).decidedBy).toEqual(byBuiltin("otherwise"));
      expect(
        decide(request({ permissions: { repository: { contents: "read" }, organization: { members: "read" } } }), p).decidedBy,
      ).toEqual(byBuiltin("otherwise"));
    });

    test("permissions: repository metadata read is implied, metadata write is not", () => {
      const p = policy([approve("read", { permissions: { repository: { contents: "read" } } })]);
      expect(decide(request({ permissions: { repository: { contents: "read", metadata: "read" } } }), p).decidedBy).toEqual(byRule("read"));
      // Fine-grained tokens only read metadata: a request for write is not one GitHub's catalogue has.
      expect(decide(request({ permissions: { repository: { metadata: "write" } } }), p)).toMatchObject({
        action: "leave",
        decidedBy: byBuiltin("not-understood"),
      });
    });

    test("permissions: admin covers write covers read, per kind", () => {
      const p = policy([approve("org", { permissions: { organization: { administration: "admin" }, other: { followers: "read" } } })]);
      expect(decide(request({ permissions: { organization: { administration: "write" } } }), p).decidedBy).toEqual(byRule("org"));
      expect(decide(request({ permissions: { other: { followers: "write" } } }), p).decidedBy).toEqual(byBuiltin("otherwise"));
      // the same name under another kind is another permission
      expect(decide(request({ permissions: { repository: { administration: "read" } } }), p).decidedBy).toEqual(byBuiltin("otherwise"));
    });

    test("anyPermission: at least one listed permission at that level or higher", () => {
      const p = policy([deny("admin", { anyPermission: { organization: { administration: "read" }, repository: { secrets: "write" } } })]);
      expect(decide(request({ permissions: { organization: { administration: "write" } } }), p).decidedBy).toEqual(byRule("admin"));
      expect(decide(request({ permissions: { repository: { secrets: "write", contents: "read" } } }), p).decidedBy).toEqual(
        byRule("admin"),
      );
      expect(decide(request({ permissions: { repository: { secrets: "read" } } }), p).decidedBy).toEqual(byBuiltin("otherwise"));
    });

    test("maxLifetimeDays: the token expires no later than that many days after the request", () => {
      const p = policy([approve("short", { maxLifetimeDays: 7 })]);
      expect(decide(request({ tokenExpiresAt: days(7) }), p).decidedBy).toEqual(byRule("short"));
      expect(decide(request({ tokenExpiresAt: days(8) }), p).decidedBy).toEqual(byBuiltin("otherwise"));
    });

    test("an empty match holds for every request", () => {
      expect(decide(request(), policy([approve("anything", {})])).decidedBy).toEqual(byRule("anything"));
    });

    test("every key present must hold", () => {
      const p = policy([approve("both", { owners: ["octocat"], maxLifetimeDays: 7 })]);
      expect(decide(request({ tokenExpiresAt: days(30) }), p).decidedBy).toEqual(byBuiltin("otherwise"));
      expect(decide(request({ tokenExpiresAt: days(3) }), p).decidedBy).toEqual(byRule("both"));
    });
  });

  test("the first rule that holds decides, in order", () => {
    const rules = [deny("no-admin", { anyPermission: { organization: { administration: "read" } } }), approve("anyone", {})];
    expect(decide(request({ permissions: { organization: { administration: "read" } } }), policy(rules))).toEqual({
      action: "deny",
      decidedBy: byRule("no-admin"),
      reason: "no by no-admin",
    });
    expect(decide(request(), policy(rules))).toEqual({ action: "approve", decidedBy: byRule("anyone"), reason: "ok by anyone" });
    expect(decide(request({ permissions: { organization: { administration: "read" } } }), policy([...rules].reverse())).decidedBy).toEqual(
      byRule("anyone"),
    );
  });

  test("a rule without a reason sends one naming the rule", () => {
    expect(decide(request(), policy([{ name: "r", action: "approve", match: {} }])).reason).toBe(
      'Approved by the organization\'s token policy (rule "r").',
    );
  });

  test("otherwise: leave leaves the request to an owner; deny denies with the configured reason", () => {
    expect(decide(request(), policy([]))).toEqual({
      action: "leave",
      decidedBy: byBuiltin("otherwise"),
      reason: "No rule matches; an organization owner decides.",
    });
    expect(decide(request(), policy([], { otherwise: "deny", otherwiseReason: "Use the App." }))).toEqual({
      action: "deny",
      decidedBy: byBuiltin("otherwise"),
      reason: "Use the App.",
    });
    expect(decide(request(), policy([], { otherwise: "deny" })).reason).toBe("No approval rule of this organization matches this request.");
  });
});

describe("evaluateGrant", () => {
  const grant = (o: Partial<TokenAccess> = {}) => request({ id: 9, ...o });

  test("revokes a granted token that never expires or outlives the limit since it was granted", () => {
    expect(evaluateGrant(grant({ tokenExpiresAt: null }), policy([]))).toEqual({
      revoke: {
        decidedBy: byBuiltin("lifetime-limit"),
        reason: "The token never expires; this organization allows tokens of at most 90 days.",
      },
    });
    expect(evaluateGrant(grant({ tokenExpiresAt: days(120) }), policy([]))).toMatchObject({
      revoke: { decidedBy: byBuiltin("lifetime-limit") },
    });
  });

  test("revokes a token a deny rule would now deny", () => {
    const p = policy([deny("no-admin", { anyPermission: { organization: { administration: "read" } } })]);
    expect(evaluateGrant(grant({ permissions: { organization: { administration: "write" } } }), p)).toEqual({
      revoke: { decidedBy: byRule("no-admin"), reason: 'Rule "no-admin" would now deny it: no by no-admin' },
    });
  });

  test("keeps compliant tokens, including those no rule names under otherwise: deny", () => {
    expect(evaluateGrant(grant(), policy([approve("all", {})]))).toEqual({ revoke: null });
    expect(evaluateGrant(grant(), policy([], { otherwise: "deny" }))).toEqual({ revoke: null });
  });

  test("asks for repositories when a deny rule on repositories is still being tried", () => {
    const p = policy([deny("no-billing", { repositories: ["billing*"] })]);
    expect(evaluateGrant(grant(), p)).toEqual({ needsRepositories: true });
    expect(evaluateGrant(grant(), p, ["billing-api"])).toMatchObject({ revoke: { decidedBy: byRule("no-billing") } });
    expect(evaluateGrant(grant(), p, ["web"])).toEqual({ revoke: null });
  });
});

// The loader refuses these names now; the policy is built directly to prove the decision logic
// keeps a user's rule apart from a built-in outcome of the same spelling.
describe("a rule named like a built-in outcome is still the user's rule", () => {
  const admin = { anyPermission: { organization: { administration: "read" } } } as const;
  const adminGrant = request({ id: 9, permissions: { organization: { administration: "write" } } });

  test("a deny rule named `otherwise` is revoked under revokeNonCompliant, with its own reason", () => {
    // GIVEN a deny rule named otherwise
    const p = policy([deny("otherwise", admin)]);
    // WHEN a granted token it would deny is checked
    // THEN it is revoked, by that rule, with the rule's own reason
    expect(evaluateGrant(adminGrant, p)).toEqual({
      revoke: { decidedBy: byRule("otherwise"), reason: 'Rule "otherwise" would now deny it: no by otherwise' },
    });
  });

  test("a deny rule named `lifetime-limit` gets its own reason text, not the lifetime one", () => {
    // GIVEN a deny rule named lifetime-limit, and a request and a grant well within the lifetime limit
    const p = policy([deny("lifetime-limit", admin)]);
    // WHEN they are decided
    // THEN the rule decides, with its own reason
    expect(decide(adminGrant, p)).toEqual({ action: "deny", decidedBy: byRule("lifetime-limit"), reason: "no by lifetime-limit" });
    expect(evaluateGrant(adminGrant, p)).toEqual({
      revoke: { decidedBy: byRule("lifetime-limit"), reason: 'Rule "lifetime-limit" would now deny it: no by lifetime-limit' },
    });
  });

  test("the built-in `otherwise: deny` still revokes nothing", () => {
    expect(evaluateGrant(adminGrant, policy([], { otherwise: "deny" }))).toEqual({ revoke: null });
  });
});

describe("a deny rule's repositories are not dodged by asking for more", () => {
  const p = policy([
    deny("no prod", { repositories: ["prod-*"], anyPermission: { repository: { contents: "write" } } }),
    approve("contents write", { permissions: { repository: { contents: "write" } } }),
  ]);
  const writer = (repositorySelection: TokenAccess["repositorySelection"]) =>
    request({ repositorySelection, permissions: { repository: { contents: "write" } } });

  test("every repository matching: denied, as before", () => {
    expect(decide(writer("subset"), p, ["prod-db", "PROD-web"])).toMatchObject({ action: "deny", decidedBy: byRule("no prod") });
  });

  test("one matching repository among others: left to an owner, never approved by a later rule", () => {
    const d = decide(writer("subset"), p, ["prod-db", "sandbox"]);
    expect(d).toEqual({
      action: "leave",
      decidedBy: byBuiltin("deny-rule-partly-matches"),
      reason:
        'Rule "no prod" denies requests for repositories matching prod-*; this request also asks for others, so an organization owner decides.',
    });
  });

  test("all repositories, which include any matching one: left to an owner, without a look-up", () => {
    expect(evaluate(writer("all"), p)).toEqual({
      decided: {
        action: "leave",
        decidedBy: byBuiltin("deny-rule-partly-matches"),
        reason:
          'Rule "no prod" denies requests for repositories matching prod-*; this request asks for all repositories, so an organization owner decides.',
      },
    });
  });

  test("no matching repository, or another key of the deny rule failing: the later rule decides", () => {
    expect(decide(writer("subset"), p, ["sandbox", "web"])).toMatchObject({ action: "approve", decidedBy: byRule("contents write") });
    expect(decide(writer("none"), p)).toMatchObject({ action: "approve", decidedBy: byRule("contents write") });
    const reader = policy([
      deny("no prod", { repositories: ["prod-*"], anyPermission: { repository: { contents: "write" } } }),
      approve("any", {}),
    ]);
    expect(decide(request({ repositorySelection: "all", permissions: { repository: { contents: "read" } } }), reader)).toMatchObject({
      action: "approve",
      decidedBy: byRule("any"),
    });
  });

  test("a grant that partly matches a deny rule is not revoked", () => {
    expect(evaluateGrant(writer("subset"), p, ["prod-db", "sandbox"])).toEqual({ revoke: null });
  });

  test("a deny rule's team that cannot be read, on a partly matching request: left, naming the team", () => {
    const q = policy([deny("no prod for contractors", { teams: ["contractors"], repositories: ["prod-*"] }), approve("any", {})]);
    const e = evaluate(writer("subset"), q, ["prod-db", "sandbox"], new Map([["contractors", null]]));
    expect(e).toMatchObject({
      decided: { action: "leave", decidedBy: byBuiltin("team-membership-unreadable"), reason: expect.stringContaining("team contractors") },
    });
    expect(evaluate(writer("subset"), q, ["prod-db", "sandbox"], new Map([["contractors", new Set<string>()]]))).toMatchObject({
      decided: { action: "approve", decidedBy: byRule("any") },
    });
  });
});

describe("requests the logic cannot fully read are never approved", () => {
  // A rule that would approve any read of contents.
  const p = policy([approve("contents read", { permissions: { repository: { contents: "read", metadata: "read" } } })]);
  const asDenier = policy([approve("contents read", { permissions: { repository: { contents: "read" } } })], { otherwise: "deny" });

  test.each<[string, Partial<TokenAccess>, RegExp]>([
    [
      "a permission kind outside organization/repository/other",
      { permissions: { repository: { contents: "read" }, enterprise: { administration: "write" } } as never },
      /permission kind "enterprise"/,
    ],
    [
      "an unknown permission name",
      { permissions: { repository: { contents: "read", teleport: "read" } } },
      /repository permission "teleport" is not in GitHub's catalogue/,
    ],
    [
      "an unknown level",
      { permissions: { repository: { contents: "read", administration: "maintain" } } },
      /repository permission administration at level "maintain"/,
    ],
    ["a level in another case", { permissions: { repository: { contents: "Write" } } }, /repository permission contents at level "Write"/],
    [
      "a level that is not a string",
      { permissions: { repository: { contents: 2 } } as never },
      /repository permission contents at level 2/,
    ],
    ["no permissions at all", { permissions: undefined as never }, /no permissions object/],
    ["an unparseable expiry", { tokenExpiresAt: "soon" }, /expiry "soon" is not a timestamp/],
    ["a missing expiry", { tokenExpiresAt: undefined as never }, /expiry undefined is not a timestamp/],
    ["an unparseable request date", { since: "yesterday" }, /request date "yesterday"/],
    ["an unknown repository selection", { repositorySelection: "some" as never }, /repository selection "some"/],
  ])("%s: left to an owner, with a reason naming what was not read", (_what, overrides, reason) => {
    const d = decide(request(overrides), p);
    expect(d.action).toBe("leave");
    expect(d.decidedBy).toEqual(byBuiltin("not-understood"));
    expect(d.reason).toMatch(reason);
  });

  test("with otherwise: deny, denied instead, and never revoked as a grant", () => {
    const odd = request({ permissions: { repository: { contents: "read", administration: "maintain" } } });
    expect(decide(odd, asDenier)).toMatchObject({ action: "deny", decidedBy: byBuiltin("not-understood") });
    expect(
      evaluateGrant(odd, {
        ...asDenier,
        approval: { ...asDenier.approval, rules: [deny("no admin", { anyPermission: { repository: { administration: "read" } } })] },
      }),
    ).toEqual({
      revoke: null,
      unreadable: expect.stringMatching(/administration at level "maintain"/),
    });
  });

  test("a far-future expiry is read, and the lifetime limit denies it", () => {
    expect(decide(request({ tokenExpiresAt: "9999-12-31T00:00:00Z" }), p)).toMatchObject({
      action: "deny",
      decidedBy: byBuiltin("lifetime-limit"),
    });
  });

  test("organization permissions are read with or without the organization_ prefix the App catalogue uses", () => {
    const q = policy([approve("members", { permissions: { organization: { members: "read", administration: "read" } } })]);
    expect(decide(request({ permissions: { organization: { members: "read", administration: "read" } } }), q).decidedBy).toEqual(
      byRule("members"),
    );
  });
});

describe("permission spellings", () => {
  test("a deny rule in the prefixed spelling (organization_administration) fires on a request GitHub reports without it", () => {
    const p = policy([
      deny("no-admin", { anyPermission: { organization: { organization_administration: "write" } } }),
      approve("anyone", {}),
    ]);
    expect(decide(request({ permissions: { organization: { administration: "write" } } }), p).decidedBy).toEqual(byRule("no-admin"));
  });

  test("a deny rule without the prefix fires on a request that spells it with the prefix", () => {
    const p = policy([deny("no-admin", { anyPermission: { organization: { administration: "write" } } }), approve("anyone", {})]);
    expect(decide(request({ permissions: { organization: { organization_administration: "write" } } }), p).decidedBy).toEqual(
      byRule("no-admin"),
    );
  });

  test("a permission cap in one spelling covers a request in the other", () => {
    const p = policy([
      approve("admin-read", { permissions: { organization: { organization_administration: "read" }, other: { emails: "read" } } }),
    ]);
    expect(
      decide(request({ permissions: { organization: { administration: "read" }, other: { email_addresses: "read" } } }), p).decidedBy,
    ).toEqual(byRule("admin-read"));
    expect(decide(request({ permissions: { organization: { administration: "write" } } }), p).decidedBy).toEqual(byBuiltin("otherwise"));
  });

  test("a request that names one permission under both spellings is never approved, whichever level comes last", () => {
    // GIVEN a cap of administration: read, and requests asking write under one spelling and read under the other
    const p = policy([approve("admin-read", { permissions: { organization: { administration: "read" } } })]);
    const both = [
      { administration: "write", organization_administration: "read" },
      { organization_administration: "write", administration: "read" },
    ];
    for (const organization of both) {
      // WHEN it is decided
      const d = decide(request({ permissions: { organization } }), p);
      // THEN it is left to an owner, naming the two spellings, never approved at read
      expect(d).toMatchObject({ action: "leave", decidedBy: byBuiltin("not-understood") });
      expect(d.reason).toMatch(
        /organization permission administration is listed twice \((administration|organization_administration) and (administration|organization_administration)\)/,
      );
    }
  });

  test("a deny rule is not dodged by listing a permission under both spellings", () => {
    const p = policy([deny("no-admin-write", { anyPermission: { organization: { administration: "write" } } }), approve("anyone", {})], {
      otherwise: "deny",
    });
    const d = decide(request({ permissions: { organization: { administration: "write", organization_administration: "read" } } }), p);
    expect(d.action).toBe("deny");
    expect(
      evaluateGrant(request({ permissions: { organization: { organization_administration: "write", administration: "read" } } }), p),
    ).toEqual({ revoke: null, unreadable: expect.stringMatching(/listed twice/) });
  });

  test("account permissions GitHub's token catalogue has are read (gists), App-only ones are not (checks)", () => {
    const p = policy([approve("anyone", {})]);
    expect(decide(request({ permissions: { other: { gists: "write" } } }), p).decidedBy).toEqual(byRule("anyone"));
    expect(decide(request({ permissions: { repository: { checks: "read" } } }), p)).toMatchObject({
      action: "leave",
      decidedBy: byBuiltin("not-understood"),
    });
  });
});

describe("teams", () => {
  const members = (m: Record<string, string[] | null>): TeamMembership => new Map(Object.entries(m).map(([t, l]) => [t, l && new Set(l)]));
  const p = policy([approve("platform", { teams: ["Platform", "sre"] })]);

  test("holds for a member of one listed team, logins and slugs compared case-insensitively", () => {
    expect(decide(request({ owner: "Octocat" }), p, undefined)).toMatchObject({
      action: "leave",
      decidedBy: byBuiltin("team-membership-unreadable"),
    });
    const e = evaluate(request({ owner: "Octocat" }), p, undefined, members({ platform: ["octocat"], sre: [] }));
    expect(e).toEqual({ decided: { action: "approve", decidedBy: byRule("platform"), reason: "ok by platform" } });
  });

  test("does not hold for someone in no listed team", () => {
    const e = evaluate(request({ owner: "mallory" }), p, undefined, members({ platform: ["octocat"], sre: ["hubot"] }));
    expect(e).toMatchObject({ decided: { action: "leave", decidedBy: byBuiltin("otherwise") } });
  });

  test("fails closed when a team cannot be read: left to an owner, naming the team, never approved", () => {
    const e = evaluate(request({ owner: "mallory" }), p, undefined, members({ platform: ["octocat"], sre: null }));
    expect(e).toEqual({
      decided: {
        action: "leave",
        decidedBy: byBuiltin("team-membership-unreadable"),
        reason: 'Rule "platform" matches by membership of team sre, which could not be read; an organization owner decides.',
      },
    });
  });

  test("fails closed for a deny rule too: an unreadable team never lets a later approve rule through", () => {
    const q = policy([deny("contractors", { teams: ["contractors"] }), approve("anyone", {})]);
    expect(evaluate(request(), q, undefined, members({ contractors: null }))).toMatchObject({
      decided: { action: "leave", decidedBy: byBuiltin("team-membership-unreadable") },
    });
    expect(evaluate(request(), q, undefined, members({ contractors: ["octocat"] }))).toMatchObject({
      decided: { action: "deny", decidedBy: byRule("contractors") },
    });
    expect(evaluate(request(), q, undefined, members({ contractors: [] }))).toMatchObject({
      decided: { action: "approve", decidedBy: byRule("anyone") },
    });
  });

  test("an unreadable team does not matter when another key of the rule already fails", () => {
    const q = policy([approve("platform-read", { teams: ["platform"], permissions: { repository: { contents: "read" } } })]);
    expect(evaluate(request({ permissions: { repository: { contents: "write" } } }), q, undefined, members({}))).toMatchObject({
      decided: { decidedBy: byBuiltin("otherwise") },
    });
  });

  test("a member of a readable team is matched even when another listed team cannot be read", () => {
    expect(evaluate(request(), p, undefined, members({ platform: null, sre: ["octocat"] }))).toMatchObject({
      decided: { action: "approve" },
    });
  });
});

describe("globs", () => {
  test("know only * and ?; every other character matches itself", () => {
    const p = policy([
      approve("neg", { owners: ["!release-*"] }),
      approve("class", { owners: ["[ab]ot"] }),
      approve("brace", { owners: ["{a,b}"] }),
    ]);
    for (const owner of ["octocat", "aot", "bot", "a", "b"])
      expect(decide(request({ owner }), p).decidedBy).toEqual(byBuiltin("otherwise"));
    expect(decide(request({ owner: "!release-bot" }), p).decidedBy).toEqual(byRule("neg"));
    expect(decide(request({ owner: "[ab]ot" }), p).decidedBy).toEqual(byRule("class"));
  });
});
