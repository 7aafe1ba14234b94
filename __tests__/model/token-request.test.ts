import { join } from "node:path";
import { evaluate, type TokenAccess } from "../../lib/approval/evaluate";
import { APP_PERMISSIONS, TOKEN_PERMISSIONS } from "../../lib/catalogue";
import { loadConfig } from "../../lib/config/load";
import type { ApprovalRule, OrganizationConfig } from "../../lib/config/schema";
import { exampleFor, exampleRepositories, tokenRequestTemplate } from "../../lib/model/token-request";
import { orgEntry, parseOrg } from "../../test-support/config";

const example = loadConfig(join(__dirname, "..", "..", "token-policy.yaml")).config;
const FIXED = ["name", "description", "target_name", "expires_in"];

/** The request a member gets by opening the link unchanged and making the by-hand choices. */
function requestFromLink(
  org: OrganizationConfig,
  rule: ApprovalRule,
  url: string,
  selection: TokenAccess["repositorySelection"],
): TokenAccess {
  const q = new URL(url).searchParams;
  const kindOf = (name: string): "organization" | "repository" | "other" => {
    for (const k of ["organization", "other"] as const)
      if (rule.match.permissions?.[k]?.[name] || rule.match.anyPermission?.[k]?.[name]) return k;
    return "repository";
  };
  const permissions: Record<string, Record<string, string>> = { repository: { metadata: "read" } };
  for (const [name, level] of q) if (!FIXED.includes(name)) (permissions[kindOf(name)] ??= {})[name] = level;
  const since = "2026-03-01T12:00:00Z";
  expect(q.get("target_name")).toBe(org.login);
  return {
    id: 7,
    owner: rule.match.owners ? exampleFor(rule.match.owners[0]) : "someone",
    tokenName: q.get("name")!,
    repositorySelection: selection,
    permissions,
    since,
    tokenExpiresAt: new Date(Date.parse(since) + Number(q.get("expires_in")) * 86_400_000).toISOString(),
  };
}

/** Every approve rule's link, proven: approved by that rule, not by an earlier one. */
function proveLinks(org: OrganizationConfig): number {
  let proven = 0;
  org.approval.rules.forEach((rule, i) => {
    if (rule.action !== "approve") return;
    const t = tokenRequestTemplate(org, i);
    if (t.shadowedBy) {
      expect(t.url).toBeUndefined();
      return;
    }
    const request = requestFromLink(org, rule, t.url!, t.repositorySelection);
    const e = evaluate(request, { patPolicy: org.patPolicy, approval: org.approval }, exampleRepositories(rule));
    expect(["decided" in e && e.decided.action, "decided" in e && e.decided.decidedBy]).toEqual([
      "approve",
      { kind: "rule", name: rule.name },
    ]);
    proven++;
  });
  return proven;
}

/** A small deterministic generator (mulberry32). */
function rng(seed: number): () => number {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe("token request links", () => {
  test("every approve rule of the example gets a link that its rule, and no earlier one, approves", () => {
    const corp = example.organizations[0];
    expect(proveLinks(corp)).toBe(2);
  });

  test("the same holds for 300 generated policies; shadowed rules get no link", () => {
    const next = rng(42);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)];
    const repoPerms = ["contents", "issues", "pull_requests", "actions", "workflows", "secrets"];
    let proven = 0;
    let shadowed = 0;
    for (let n = 0; n < 300; n++) {
      const rules = Array.from({ length: 1 + Math.floor(next() * 4) }, (_, i) => {
        const match: Record<string, unknown> = {};
        // Levels each permission has (workflows is write only), as the loader requires.
        const level = (p: string) => pick(TOKEN_PERMISSIONS.repository[p]);
        if (next() < 0.7)
          match.permissions = { repository: Object.fromEntries(repoPerms.filter(() => next() < 0.4).map((p) => [p, level(p)])) };
        else if (next() < 0.5) {
          const p = pick(repoPerms);
          match.anyPermission = { repository: { [p]: level(p) } };
        }
        if (next() < 0.3) match.owners = [pick(["release-*", "bot-?", "octocat"])];
        if (next() < 0.3) match.repositories = [pick(["docs-*", "web", "api-?"])];
        // eslint-disable-next-line no-dupe-else-if -- each next() is a fresh random draw, not the same condition
        else if (next() < 0.3) match.repositorySelection = [pick(["subset", "all", "none"])];
        if (next() < 0.5) match.maxLifetimeDays = 1 + Math.floor(next() * 100);
        return { name: `rule ${i}`, action: next() < 0.75 ? "approve" : "deny", match };
      });
      const org = parseOrg(orgEntry({ patPolicy: { maxLifetimeDays: 30 + Math.floor(next() * 300) }, approval: { rules } }));
      proven += proveLinks(org);
      shadowed += org.approval.rules.filter((r, i) => r.action === "approve" && tokenRequestTemplate(org, i).shadowedBy).length;
    }
    // Both kinds occur, so both branches are exercised.
    expect(proven).toBeGreaterThan(200);
    expect(shadowed).toBeGreaterThan(10);
  });

  test("parameters are GitHub's: target_name, expires_in in days, and catalogue permissions at catalogue levels", () => {
    const corp = example.organizations[0];
    const q = new URL(tokenRequestTemplate(corp, 1).url!).searchParams;
    expect([...q.keys()].slice(0, 4)).toEqual(FIXED);
    expect(Number(q.get("expires_in"))).toBe(90);
    for (const [name, level] of q) {
      if (FIXED.includes(name)) continue;
      expect(APP_PERMISSIONS[name]).toContain(level);
    }
    expect(new URL(tokenRequestTemplate(corp, 1).url!).origin + new URL(tokenRequestTemplate(corp, 1).url!).pathname).toBe(
      "https://github.com/settings/personal-access-tokens/new",
    );
  });

  test("GitHub Enterprise Server has no template URLs: no link, the values only", () => {
    const labs = example.organizations[1];
    const t = tokenRequestTemplate(labs, 0);
    expect(t.url).toBeUndefined();
    expect(t.permissions.repository).toEqual({ contents: "read" });
    expect(t.expiresInDays).toBe(7);
  });
});

describe("token request links for rules of this issue's kinds", () => {
  const reviewerWithMembers = {
    name: "b",
    homepageUrl: "https://x.example",
    permissions: { organization_personal_access_token_requests: "write", members: "read" },
  };

  test("organization permissions go into the link under the form's organization_ names, whatever the rule's spelling", () => {
    // GIVEN a rule that caps organization administration at read, spelt as requests report it
    const org = parseOrg(
      orgEntry({
        approval: {
          rules: [
            { name: "org read", action: "approve", match: { permissions: { organization: { administration: "read", members: "read" } } } },
          ],
        },
      }),
    );
    // WHEN its link is made THEN the form gets organization_administration (administration alone is the repository's)
    const q = new URL(tokenRequestTemplate(org, 0).url!).searchParams;
    expect(q.get("organization_administration")).toBe("read");
    expect(q.get("members")).toBe("read");
    expect(q.has("administration")).toBe(false);
  });

  test("a teams rule says who it approves, and its link is proven with its team's member", () => {
    const rules = [
      { name: "contractors", action: "deny", match: { teams: ["contractors"] } },
      {
        name: "platform",
        action: "approve",
        match: { teams: ["platform"], permissions: { repository: { contents: "write" } }, repositorySelection: ["subset"] },
      },
    ];
    const org = parseOrg(orgEntry({ app: reviewerWithMembers, approval: { rules } }));
    const t = tokenRequestTemplate(org, 1);
    expect(t.shadowedBy).toBeUndefined();
    expect(t.byHand).toContain("Only members of team platform are approved by this rule.");
  });
});
