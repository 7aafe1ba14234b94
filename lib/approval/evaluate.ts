/**
 * The approval policy's decision logic: pure functions from a token request (or a granted
 * token) and the config to a decision. No I/O; the `review` command supplies the data and makes
 * the calls. The rule semantics are the contract documented in README.md.
 */
import { APP_PERMISSIONS, levelAtLeast } from "../catalogue";
import type { ApprovalConfig, ApprovalRule, PatPolicyConfig, RuleMatch } from "../config/schema";

/** Permissions by kind, as GitHub reports them on a request or grant. */
export interface RequestedPermissions {
  readonly organization?: Readonly<Record<string, string>>;
  readonly repository?: Readonly<Record<string, string>>;
  readonly other?: Readonly<Record<string, string>>;
}

/** What the decision logic needs of a pending request or a granted token. */
export interface TokenAccess {
  /** Request id (pat_request_id) or grant id (pat_id). */
  readonly id: number;
  /** The requester's login. */
  readonly owner: string;
  /** The token's name. */
  readonly tokenName: string;
  /** none, all or subset. */
  readonly repositorySelection: "none" | "all" | "subset";
  /** Permissions asked for. */
  readonly permissions: RequestedPermissions;
  /** When the request was made (or access granted), ISO 8601. */
  readonly since: string;
  /** When the token expires, ISO 8601; null when it never does. */
  readonly tokenExpiresAt: string | null;
}

/** What to do with a request. */
export type ReviewAction = "approve" | "deny" | "leave";

/** A decision on one request. */
export interface Decision {
  readonly action: ReviewAction;
  /** The rule that decided: a rule name, `lifetime-limit`, or `otherwise`. */
  readonly rule: string;
  /** Sent to GitHub with approve and deny, shown to the requester. */
  readonly reason: string;
}

/** The outcome of one evaluation step: a decision, or the repositories are needed first. */
export type Evaluation = { readonly decided: Decision } | { readonly needsRepositories: true };

/** The policy the logic applies, from one organization's config entry. */
export interface ApprovalPolicy {
  readonly patPolicy: Pick<PatPolicyConfig, "maxLifetimeDays">;
  readonly approval: Pick<ApprovalConfig, "rules" | "otherwise" | "otherwiseReason">;
}

const DAY_MS = 86_400_000;

/** Rule name used for the lifetime check that runs before every rule. */
export const LIFETIME_RULE = "lifetime-limit";
/** Rule name used when no rule holds. */
export const OTHERWISE_RULE = "otherwise";
/** Rule name used for a request the logic cannot fully read: never approved. */
export const NOT_UNDERSTOOD_RULE = "not-understood";

/** The permission kinds GitHub reports on a request or grant. */
const KINDS = ["organization", "repository", "other"] as const;
const SELECTIONS = ["none", "all", "subset"];

/**
 * The levels GitHub's catalogue has for a permission a token asks for, or undefined when the
 * name is unknown. Organization permissions of fine-grained tokens are reported with or without
 * the `organization_` prefix the App catalogue uses.
 */
function catalogueLevels(kind: (typeof KINDS)[number], name: string): readonly string[] | undefined {
  if (!Object.hasOwn(APP_PERMISSIONS, name) && !(kind === "organization" && Object.hasOwn(APP_PERMISSIONS, `organization_${name}`))) return undefined;
  return Object.hasOwn(APP_PERMISSIONS, name) ? APP_PERMISSIONS[name] : APP_PERMISSIONS[`organization_${name}`];
}

function isIsoDate(v: unknown): v is string {
  return typeof v === "string" && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(v) && Number.isFinite(Date.parse(v));
}

/**
 * What the decision logic cannot read in a request or grant, or undefined when it reads all of
 * it: every permission kind, name and level must be in GitHub's catalogue (levels compared
 * exactly as GitHub sends them, `read`/`write`/`admin`), the dates must be ISO 8601 timestamps
 * (`tokenExpiresAt` may be null: never expires), and the selection one of none, all, subset.
 * Anything else is never approved: it is left to an owner, or denied by `otherwise: deny`.
 */
export function notUnderstood(access: TokenAccess): string | undefined {
  const problems: string[] = [];
  if (typeof access.owner !== "string" || access.owner === "") problems.push("no owner login");
  if (!SELECTIONS.includes(access.repositorySelection as string)) problems.push(`repository selection ${JSON.stringify(access.repositorySelection)} (known: none, all, subset)`);
  if (!isIsoDate(access.since)) problems.push(`request date ${JSON.stringify(access.since)} is not a timestamp`);
  if (access.tokenExpiresAt !== null && !isIsoDate(access.tokenExpiresAt)) problems.push(`expiry ${JSON.stringify(access.tokenExpiresAt)} is not a timestamp`);
  const perms = access.permissions as unknown;
  if (typeof perms !== "object" || perms === null || Array.isArray(perms)) {
    problems.push("no permissions object");
  } else {
    for (const [kind, map] of Object.entries(perms)) {
      if (!(KINDS as readonly string[]).includes(kind)) {
        problems.push(`permission kind ${JSON.stringify(kind)} (known: ${KINDS.join(", ")})`);
        continue;
      }
      if (typeof map !== "object" || map === null || Array.isArray(map)) {
        problems.push(`${kind} permissions are not a mapping`);
        continue;
      }
      for (const [name, level] of Object.entries(map as Record<string, unknown>)) {
        const levels = catalogueLevels(kind as (typeof KINDS)[number], name);
        if (!levels) problems.push(`${kind} permission ${JSON.stringify(name)} is not in GitHub's catalogue`);
        else if (typeof level !== "string" || !levels.includes(level)) problems.push(`${kind} permission ${name} at level ${JSON.stringify(level)} (known: ${levels.join(", ")})`);
      }
    }
  }
  return problems.length ? problems.join("; ") : undefined;
}

/**
 * Whole days from `since` to the token's expiry, or null when it never expires. Whole days, so
 * a token GitHub sets to expire at the end of its last day counts as that many days.
 */
export function lifetimeDays(access: Pick<TokenAccess, "since" | "tokenExpiresAt">): number | null {
  if (access.tokenExpiresAt === null) return null;
  return Math.floor((Date.parse(access.tokenExpiresAt) - Date.parse(access.since)) / DAY_MS);
}

/** Why a token breaks the lifetime limit, or undefined when it does not. */
export function lifetimeViolation(access: Pick<TokenAccess, "since" | "tokenExpiresAt">, maxDays: number): string | undefined {
  const days = lifetimeDays(access);
  if (days === null) return `The token never expires; this organization allows tokens of at most ${maxDays} days.`;
  if (days > maxDays) return `The token lives ${days} days; this organization allows tokens of at most ${maxDays} days.`;
  return undefined;
}

/**
 * Decides a request: the lifetime limit first, then the rules in order (the first whose every
 * match key holds decides), then `otherwise`.
 *
 * @param repositories the request's repository names, once fetched. When a rule still being
 * tried needs them and they are not given, returns `{ needsRepositories: true }`: fetch them
 * and call again. Only requests that select a subset ever need them.
 */
export function evaluate(access: TokenAccess, policy: ApprovalPolicy, repositories?: readonly string[]): Evaluation {
  const unreadable = notUnderstood(access);
  if (unreadable) {
    const reason = `This request could not be fully read (${unreadable}), so it is not approved automatically.`;
    if (policy.approval.otherwise === "deny") return { decided: { action: "deny", rule: NOT_UNDERSTOOD_RULE, reason: reason.slice(0, 1024) } };
    return { decided: { action: "leave", rule: NOT_UNDERSTOOD_RULE, reason: `${reason} An organization owner decides.` } };
  }
  const tooLong = lifetimeViolation(access, policy.patPolicy.maxLifetimeDays);
  if (tooLong) return { decided: { action: "deny", rule: LIFETIME_RULE, reason: tooLong } };
  for (const rule of policy.approval.rules) {
    const holds = ruleHolds(rule.match, access, repositories);
    if (holds === "needs-repositories") return { needsRepositories: true };
    if (holds) return { decided: { action: rule.action, rule: rule.name, reason: ruleReason(rule) } };
  }
  if (policy.approval.otherwise === "deny") {
    return {
      decided: { action: "deny", rule: OTHERWISE_RULE, reason: policy.approval.otherwiseReason ?? "No approval rule of this organization matches this request." },
    };
  }
  return { decided: { action: "leave", rule: OTHERWISE_RULE, reason: "No rule matches; an organization owner decides." } };
}

/** The reason sent for a rule's decision: its own, or one naming it. */
export function ruleReason(rule: ApprovalRule): string {
  return rule.reason ?? `${rule.action === "approve" ? "Approved" : "Denied"} by the organization's token policy (rule "${rule.name}").`;
}

/**
 * Whether every key of `match` holds. Keys that need no repositories are checked first, so a
 * rule that fails on them never costs a repository look-up.
 */
export function ruleHolds(match: RuleMatch, access: TokenAccess, repositories?: readonly string[]): boolean | "needs-repositories" {
  if (match.owners && !globs(match.owners)(access.owner)) return false;
  if (match.repositorySelection && !match.repositorySelection.includes(access.repositorySelection)) return false;
  if (match.permissions && !withinPermissions(access.permissions, match.permissions)) return false;
  if (match.anyPermission && !asksAnyPermission(access.permissions, match.anyPermission)) return false;
  if (match.maxLifetimeDays !== undefined) {
    const days = lifetimeDays(access);
    if (days === null || days > match.maxLifetimeDays) return false;
  }
  if (match.repositories) {
    if (access.repositorySelection !== "subset") return false;
    if (!repositories) return "needs-repositories";
    const ok = globs(match.repositories);
    return repositories.length > 0 && repositories.every((r) => ok(r));
  }
  return true;
}

/** Every permission asked for is listed at an equal or higher level; repository metadata read is implied. */
export function withinPermissions(asked: RequestedPermissions, allowed: NonNullable<RuleMatch["permissions"]>): boolean {
  for (const kind of KINDS) {
    for (const [name, level] of Object.entries(asked[kind] ?? {})) {
      if (kind === "repository" && name === "metadata" && level === "read") continue;
      if (!levelAtLeast(allowed[kind]?.[name], level)) return false;
    }
  }
  return true;
}

/** At least one listed permission is asked for at that level or higher. */
export function asksAnyPermission(asked: RequestedPermissions, listed: NonNullable<RuleMatch["anyPermission"]>): boolean {
  return KINDS.some((kind) => Object.entries(listed[kind] ?? {}).some(([name, level]) => levelAtLeast(asked[kind]?.[name], level)));
}

const globCache = new Map<string, (s: string) => boolean>();

/**
 * A case-insensitive matcher (GitHub logins and repository names ignore case) for the two
 * wildcards the README documents: `*` (any run of characters) and `?` (one character). Every
 * other character, `!`, `[`, `{` and `\\` included, matches only itself.
 */
export function globs(patterns: readonly string[]): (s: string) => boolean {
  const key = patterns.join("\u0000");
  let m = globCache.get(key);
  if (!m) {
    const res = patterns.map((p) => new RegExp(`^${[...p].map((c) => (c === "*" ? ".*" : c === "?" ? "." : c.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&"))).join("")}$`, "is"));
    m = (s: string) => res.some((re) => re.test(s));
    globCache.set(key, m);
  }
  return m;
}

/** A granted token found non-compliant, and why it is revoked. */
export interface Revocation {
  readonly reason: string;
  readonly rule: string;
}

/**
 * Whether a granted token is revoked under `revokeNonCompliant`: it never expires, outlives the
 * lifetime limit counted from when access was granted, or a deny rule would now hold for it
 * (`otherwise: deny` does not revoke). Same
 * staged contract as {@link evaluate} for repositories.
 */
export function evaluateGrant(
  grant: TokenAccess,
  policy: ApprovalPolicy,
  repositories?: readonly string[],
): { readonly revoke: Revocation | null; readonly unreadable?: string } | { readonly needsRepositories: true } {
  // A grant the logic cannot read is neither compliant nor revoked: an owner looks at it.
  const unreadable = notUnderstood(grant);
  if (unreadable) return { revoke: null, unreadable };
  const e = evaluate(grant, policy, repositories);
  if ("needsRepositories" in e) return e;
  // Only the lifetime limit or an explicit deny rule revokes: `otherwise: deny` is for new
  // requests, and would otherwise revoke every grant that no rule names.
  if (e.decided.action !== "deny" || e.decided.rule === OTHERWISE_RULE) return { revoke: null };
  return { revoke: { rule: e.decided.rule, reason: e.decided.rule === LIFETIME_RULE ? e.decided.reason : `Rule "${e.decided.rule}" would now deny it: ${e.decided.reason}` } };
}
