/**
 * How a member asks for a token that an approve rule approves: the values to enter in GitHub's
 * new fine-grained token form, and GitHub's template URL that pre-fills them. Pure; the guide and
 * its test share it, and the test proves each one against the decision logic.
 */
import { evaluate, type TokenAccess } from "../approval/evaluate";
import { tokenFormParameter } from "../catalogue";
import type { ApprovalRule, OrganizationConfig } from "../config/schema";
import { webRoot } from "../naming";
import { md } from "../text";

/** What to enter in the form for one approve rule. */
export interface TokenRequestTemplate {
  /** The rule, by name. */
  readonly rule: string;
  /** Template URL parameters, in the order the form shows them. */
  readonly params: ReadonlyArray<readonly [string, string]>;
  /** Permissions by kind, as the form groups them. */
  readonly permissions: {
    readonly organization: Record<string, string>;
    readonly repository: Record<string, string>;
    readonly other: Record<string, string>;
  };
  /** Days until the token expires (the rule's limit, within the organization's). */
  readonly expiresInDays: number;
  /** `all`, `subset` or `none`: the form's "Repository access". */
  readonly repositorySelection: "all" | "subset" | "none";
  /** What the member picks by hand: things a URL cannot carry (Markdown, values escaped). */
  readonly byHand: readonly string[];
  /** The pre-filled link, when the instance has template URLs (github.com and GHE.com). */
  readonly url?: string;
  /** Why no token made this way reaches this rule, when an earlier rule decides it first. */
  readonly shadowedBy?: string;
}

/** Whether the instance has template URLs: github.com and GHE.com do, GitHub Enterprise Server does not. */
export function hasTemplateUrls(githubUrl?: string): boolean {
  const host = new URL(webRoot(githubUrl)).host;
  return host === "github.com" || host.endsWith(".ghe.com");
}

/** A name matching every glob: `*` becomes `member`, `?` becomes `x`. */
export function exampleFor(glob: string): string {
  return glob.replace(/\*/g, "member").replace(/\?/g, "x");
}

/**
 * The token an approve rule approves, as the form takes it. Permissions are the rule's
 * `permissions` at their listed levels (or one `anyPermission` entry); the lifetime is the
 * rule's `maxLifetimeDays` within the organization's limit; repository access follows
 * `repositorySelection` and `repositories`. Owners and repository subsets cannot travel in a URL:
 * they are listed in `byHand`.
 */
export function tokenRequestTemplate(org: OrganizationConfig, ruleIndex: number): TokenRequestTemplate {
  const rule = org.approval.rules[ruleIndex];
  if (!rule || rule.action !== "approve")
    throw new Error(`tokenRequestTemplate: rules[${ruleIndex}] of ${org.login} is not an approve rule`);
  const m = rule.match;
  const permissions = {
    organization: {} as Record<string, string>,
    repository: {} as Record<string, string>,
    other: {} as Record<string, string>,
  };
  if (m.permissions) {
    for (const kind of ["organization", "repository", "other"] as const) Object.assign(permissions[kind], m.permissions[kind] ?? {});
  } else if (m.anyPermission) {
    const kind = (["repository", "organization", "other"] as const).find((k) => Object.keys(m.anyPermission![k] ?? {}).length);
    if (kind) {
      const [name, level] = Object.entries(m.anyPermission[kind]!)[0];
      permissions[kind][name] = level;
    }
  }
  // Repository metadata is always granted read; the form shows it as such.
  if (permissions.repository.metadata === "read") delete permissions.repository.metadata;
  const expiresInDays = Math.min(m.maxLifetimeDays ?? org.patPolicy.maxLifetimeDays, org.patPolicy.maxLifetimeDays);
  const selection = chooseSelection(rule);
  const byHand: string[] = [];
  if (m.owners) byHand.push(`Only accounts matching ${m.owners.map(md).join(" or ")} are approved by this rule.`);
  if (m.teams) byHand.push(`Only members of ${m.teams.map((t) => `team ${md(t)}`).join(" or ")} are approved by this rule.`);
  if (m.repositories)
    byHand.push(
      `Repository access: choose "Only select repositories" and pick only repositories matching ${m.repositories.map(md).join(" or ")}.`,
    );
  else if (selection === "subset") byHand.push(`Repository access: choose "Only select repositories".`);
  else if (selection === "none") byHand.push(`Repository access: choose "Public repositories" (no repository of ${org.login}).`);
  else byHand.push(`Repository access: choose "All repositories".`);

  const params: [string, string][] = [
    ["name", `${org.login} ${rule.name}`.slice(0, 40)],
    ["description", `Requested under rule "${rule.name}" of ${org.login}'s token policy`],
    ["target_name", org.login],
    ["expires_in", String(expiresInDays)],
  ];
  // The form's parameter names: organization permissions keep their organization_ prefix there.
  for (const kind of ["repository", "organization", "other"] as const)
    for (const [name, level] of Object.entries(permissions[kind]).sort()) params.push([tokenFormParameter(kind, name), level]);

  const template: TokenRequestTemplate = {
    rule: rule.name,
    params,
    permissions,
    expiresInDays,
    repositorySelection: selection,
    byHand,
    url: hasTemplateUrls(org.githubUrl)
      ? `${webRoot(org.githubUrl)}/settings/personal-access-tokens/new?${new URLSearchParams(params).toString()}`
      : undefined,
  };
  // Proven, not assumed: the request made this way must be decided by this very rule.
  // A member following byHand is in this rule's teams, and in no other team a rule names.
  const request = requestFromTemplate(org, ruleIndex, template);
  const mine = new Set((m.teams ?? []).map((t) => t.toLowerCase()));
  const named = org.approval.rules.flatMap((r) => r.match.teams ?? []).map((t) => t.toLowerCase());
  const teams = new Map(named.map((t) => [t, new Set(mine.has(t) ? [request.owner.toLowerCase()] : [])]));
  const decided = evaluate(request, { patPolicy: org.patPolicy, approval: org.approval }, exampleRepositories(rule), teams);
  const by = "decided" in decided ? decided.decided : undefined;
  if (!by || by.decidedBy.kind !== "rule" || by.decidedBy.name !== rule.name || by.action !== "approve") {
    const who = by && (by.decidedBy.kind === "rule" ? by.decidedBy.name : by.decidedBy.outcome);
    return { ...template, url: undefined, shadowedBy: by ? `${who} (${by.action})` : "a rule that needs repositories" };
  }
  return template;
}

function chooseSelection(rule: ApprovalRule): "all" | "subset" | "none" {
  const m = rule.match;
  if (m.repositories) return "subset";
  const allowed = m.repositorySelection ?? ["subset", "all", "none"];
  // Fewest repositories first: a subset is what a careful member asks for.
  return (["subset", "none", "all"] as const).find((s) => allowed.includes(s)) ?? "subset";
}

/** Repository names a member following `byHand` would pick: one per glob. */
export function exampleRepositories(rule: ApprovalRule): string[] | undefined {
  if (rule.match.repositories) return rule.match.repositories.map(exampleFor);
  return chooseSelection(rule) === "subset" ? ["any-repository"] : undefined;
}

/** The request GitHub would show for a token made from the template and the by-hand choices. */
export function requestFromTemplate(
  org: OrganizationConfig,
  ruleIndex: number,
  t: Pick<TokenRequestTemplate, "permissions" | "expiresInDays" | "repositorySelection">,
): TokenAccess {
  const rule = org.approval.rules[ruleIndex];
  const since = "2026-01-01T00:00:00Z";
  return {
    id: 1,
    owner: rule.match.owners ? exampleFor(rule.match.owners[0]) : "a-member",
    tokenName: "from the guide",
    repositorySelection: t.repositorySelection,
    permissions: {
      ...(Object.keys(t.permissions.organization).length ? { organization: t.permissions.organization } : {}),
      repository: { metadata: "read", ...t.permissions.repository },
      ...(Object.keys(t.permissions.other).length ? { other: t.permissions.other } : {}),
    },
    since,
    tokenExpiresAt: new Date(Date.parse(since) + t.expiresInDays * 86_400_000).toISOString(),
  };
}
