/**
 * The approval policy's decision logic: pure functions from a token request (or a granted
 * token) and the config to a decision. No I/O; the `review` command supplies the data and makes
 * the calls. The rule semantics are the contract documented in README.md.
 */
import { canonicalTokenPermission, levelAtLeast, TOKEN_PERMISSION_KINDS, tokenPermissionLevels } from "../catalogue";
import type { ApprovalConfig, ApprovalRule, PatPolicyConfig, RuleMatch } from "../config/schema";
import { byBuiltin, byRule, type DecidedBy } from "./outcomes";

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
  /** Who decided: one of the organization's rules, or a built-in outcome (`lifetime-limit`, `otherwise`…). */
  readonly decidedBy: DecidedBy;
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

/** The permission kinds GitHub reports on a request or grant. */
const KINDS = TOKEN_PERMISSION_KINDS;
const SELECTIONS = ["none", "all", "subset"];

/**
 * Team members, as the review engine read them for one run: team slug (lower case) → the
 * members' logins (lower case), or null when the team could not be read. A team missing from
 * the map counts as unreadable.
 */
export type TeamMembership = ReadonlyMap<string, ReadonlySet<string> | null>;

/**
 * Whether `v` is a timestamp as GitHub writes them (ISO 8601 with a time zone, for example
 * `2026-05-16T08:47:09.000-07:00`). Anything else counts as unreadable wherever a date decides
 * something (the decision logic, revocations for non-use, verify's evidence).
 */
export function isIsoTimestamp(v: unknown): v is string {
  return (
    typeof v === "string" && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(v) && Number.isFinite(Date.parse(v))
  );
}

/**
 * What the decision logic cannot read in a request or grant, or undefined when it reads all of
 * it: every permission kind, name and level must be in GitHub's catalogue of fine-grained token
 * permissions, under any spelling the catalogue knows (levels compared
 * exactly as GitHub sends them, `read`/`write`/`admin`), each permission listed once (not under
 * two spellings), the dates must be ISO 8601 timestamps
 * (`tokenExpiresAt` may be null: never expires), and the selection one of none, all, subset.
 * Anything else is never approved: it is left to an owner, or denied by `otherwise: deny`.
 */
export function notUnderstood(access: TokenAccess): string | undefined {
  const problems: string[] = [];
  if (typeof access.owner !== "string" || access.owner === "") problems.push("no owner login");
  if (!SELECTIONS.includes(access.repositorySelection as string))
    problems.push(`repository selection ${JSON.stringify(access.repositorySelection)} (known: none, all, subset)`);
  if (!isIsoTimestamp(access.since)) problems.push(`request date ${JSON.stringify(access.since)} is not a timestamp`);
  if (access.tokenExpiresAt !== null && !isIsoTimestamp(access.tokenExpiresAt))
    problems.push(`expiry ${JSON.stringify(access.tokenExpiresAt)} is not a timestamp`);
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
      // One permission under two spellings would be read at whichever level came last.
      const spelledAs = new Map<string, string>();
      for (const [name, level] of Object.entries(map as Record<string, unknown>)) {
        const levels = tokenPermissionLevels(kind as (typeof KINDS)[number], name);
        if (!levels)
          problems.push(`${kind} permission ${JSON.stringify(name)} is not in GitHub's catalogue of fine-grained token permissions`);
        else if (typeof level !== "string" || !(levels as readonly string[]).includes(level))
          problems.push(`${kind} permission ${name} at level ${JSON.stringify(level)} (known: ${levels.join(", ")})`);
        const canonical = canonicalTokenPermission(kind as (typeof KINDS)[number], name);
        if (canonical === undefined) continue;
        const other = spelledAs.get(canonical);
        if (other !== undefined) problems.push(`${kind} permission ${canonical} is listed twice (${other} and ${name})`);
        else spelledAs.set(canonical, name);
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
 * @param teams the members of the teams the rules name, as read for this run. A rule whose
 * other keys hold and whose team cannot be read (or is not given) stops the evaluation: the
 * request is left to an owner, decided by the built-in `team-membership-unreadable`, never approved.
 */
export function evaluate(
  access: TokenAccess,
  policy: ApprovalPolicy,
  repositories?: readonly string[],
  teams?: TeamMembership,
): Evaluation {
  const unreadable = notUnderstood(access);
  if (unreadable) {
    const reason = `This request could not be fully read (${unreadable}), so it is not approved automatically.`;
    if (policy.approval.otherwise === "deny")
      return { decided: { action: "deny", decidedBy: byBuiltin("not-understood"), reason: reason.slice(0, 1024) } };
    return { decided: { action: "leave", decidedBy: byBuiltin("not-understood"), reason: `${reason} An organization owner decides.` } };
  }
  const tooLong = lifetimeViolation(access, policy.patPolicy.maxLifetimeDays);
  if (tooLong) return { decided: { action: "deny", decidedBy: byBuiltin("lifetime-limit"), reason: tooLong } };
  for (const rule of policy.approval.rules) {
    const holds = ruleHolds(rule.match, access, repositories, teams);
    if (holds === "needs-repositories") return { needsRepositories: true };
    if (holds === "teams-unreadable") {
      const which = unreadableTeams(rule.match.teams ?? [], teams);
      return {
        decided: {
          action: "leave",
          decidedBy: byBuiltin("team-membership-unreadable"),
          reason: `Rule "${rule.name}" matches by membership of ${which.join(", ")}, which could not be read; an organization owner decides.`,
        },
      };
    }
    if (holds) return { decided: { action: rule.action, decidedBy: byRule(rule.name), reason: ruleReason(rule) } };
    const partly = rule.action === "deny" ? denyPartlyHolds(rule, access, repositories, teams) : undefined;
    if (partly)
      return {
        decided: {
          action: "leave",
          decidedBy: byBuiltin(partly === "teams-unreadable" ? "team-membership-unreadable" : "deny-rule-partly-matches"),
          reason: partlyReason(rule, access, partly, teams),
        },
      };
  }
  if (policy.approval.otherwise === "deny") {
    return {
      decided: {
        action: "deny",
        decidedBy: byBuiltin("otherwise"),
        reason: policy.approval.otherwiseReason ?? "No approval rule of this organization matches this request.",
      },
    };
  }
  return { decided: { action: "leave", decidedBy: byBuiltin("otherwise"), reason: "No rule matches; an organization owner decides." } };
}

/**
 * Whether a deny rule that does not hold would hold but for its `repositories` key, while the
 * request reaches a repository it names: all repositories, or a subset with at least one
 * matching. Such a request must not fall through to a later approve rule.
 */
function denyPartlyHolds(
  rule: ApprovalRule,
  access: TokenAccess,
  repositories: readonly string[] | undefined,
  teams: TeamMembership | undefined,
): "partly" | "teams-unreadable" | undefined {
  const patterns = rule.match.repositories;
  if (!patterns) return undefined;
  if (access.repositorySelection === "subset") {
    const ok = globs(patterns);
    if (!repositories?.some((r) => ok(r))) return undefined;
  } else if (access.repositorySelection !== "all") return undefined;
  const rest = ruleHolds({ ...rule.match, repositories: undefined }, access, repositories, teams);
  return rest === true ? "partly" : rest === "teams-unreadable" ? "teams-unreadable" : undefined;
}

function partlyReason(
  rule: ApprovalRule,
  access: TokenAccess,
  partly: "partly" | "teams-unreadable",
  teams: TeamMembership | undefined,
): string {
  if (partly === "teams-unreadable") {
    return `Rule "${rule.name}" matches by membership of ${unreadableTeams(rule.match.teams ?? [], teams).join(", ")}, which could not be read; an organization owner decides.`;
  }
  const also = access.repositorySelection === "all" ? "this request asks for all repositories" : "this request also asks for others";
  return `Rule "${rule.name}" denies requests for repositories matching ${(rule.match.repositories ?? []).join(", ")}; ${also}, so an organization owner decides.`;
}

/** The reason sent for a rule's decision: its own, or one naming it. */
export function ruleReason(rule: ApprovalRule): string {
  return rule.reason ?? `${rule.action === "approve" ? "Approved" : "Denied"} by the organization's token policy (rule "${rule.name}").`;
}

/**
 * Whether every key of `match` holds. Keys that need no look-up are checked first, so a rule
 * that fails on them never costs a repository look-up and never depends on a team's members.
 * `teams-unreadable` when every other key holds so far and a team it names cannot be read.
 */
export function ruleHolds(
  match: RuleMatch,
  access: TokenAccess,
  repositories?: readonly string[],
  teams?: TeamMembership,
): boolean | "needs-repositories" | "teams-unreadable" {
  if (match.owners && !globs(match.owners)(access.owner)) return false;
  if (match.repositorySelection && !match.repositorySelection.includes(access.repositorySelection)) return false;
  if (match.permissions && !withinPermissions(access.permissions, match.permissions)) return false;
  if (match.anyPermission && !asksAnyPermission(access.permissions, match.anyPermission)) return false;
  if (match.maxLifetimeDays !== undefined) {
    const days = lifetimeDays(access);
    if (days === null || days > match.maxLifetimeDays) return false;
  }
  if (match.repositories && access.repositorySelection !== "subset") return false;
  if (match.teams) {
    const member = inTeams(match.teams, access.owner, teams);
    if (member !== true) return member;
  }
  if (match.repositories) {
    if (!repositories) return "needs-repositories";
    const ok = globs(match.repositories);
    return repositories.length > 0 && repositories.every((r) => ok(r));
  }
  return true;
}

/**
 * Whether `owner` is a member of one of `slugs`: true as soon as one readable team has them;
 * `teams-unreadable` when none that was read has them and one could not be read.
 */
function inTeams(slugs: readonly string[], owner: string, teams: TeamMembership | undefined): boolean | "teams-unreadable" {
  const login = owner.toLowerCase();
  let unreadable = false;
  for (const slug of slugs) {
    const members = teams?.get(slug.toLowerCase());
    if (members === undefined || members === null) unreadable = true;
    else if (members.has(login)) return true;
  }
  return unreadable ? "teams-unreadable" : false;
}

function unreadableTeams(slugs: readonly string[], teams: TeamMembership | undefined): string[] {
  return slugs.filter((s) => !teams?.get(s.toLowerCase())).map((s) => `team ${s}`);
}

/** The catalogue's spelling of a permission, or the name as given when the catalogue lacks it. */
function canonical(kind: (typeof KINDS)[number], name: string): string {
  return canonicalTokenPermission(kind, name) ?? name;
}

const EMPTY: ReadonlyMap<string, string> = new Map();
/** Canonical maps already made, by the map object and kind: a request is read once per evaluation, not once per rule. */
const canonicalMaps = new WeakMap<object, Partial<Record<(typeof KINDS)[number], ReadonlyMap<string, string>>>>();

/** A kind's permissions keyed by the catalogue's spelling. */
function canonicalMap(kind: (typeof KINDS)[number], map: Readonly<Record<string, string>> | undefined): ReadonlyMap<string, string> {
  if (!map) return EMPTY;
  let byKind = canonicalMaps.get(map);
  if (!byKind) canonicalMaps.set(map, (byKind = {}));
  return (byKind[kind] ??= new Map(Object.entries(map).map(([name, level]) => [canonical(kind, name), level])));
}

/**
 * Every permission asked for is listed at an equal or higher level; repository metadata read is
 * implied. Names on both sides are compared in the catalogue's spelling, so `administration`
 * and `organization_administration` under organization are one permission.
 */
export function withinPermissions(asked: RequestedPermissions, allowed: NonNullable<RuleMatch["permissions"]>): boolean {
  for (const kind of KINDS) {
    const cap = canonicalMap(kind, allowed[kind]);
    for (const [name, level] of canonicalMap(kind, asked[kind])) {
      if (kind === "repository" && name === "metadata" && level === "read") continue;
      if (!levelAtLeast(cap.get(name), level)) return false;
    }
  }
  return true;
}

/** At least one listed permission is asked for at that level or higher (names compared in the catalogue's spelling). */
export function asksAnyPermission(asked: RequestedPermissions, listed: NonNullable<RuleMatch["anyPermission"]>): boolean {
  return KINDS.some((kind) => {
    const a = canonicalMap(kind, asked[kind]);
    return [...canonicalMap(kind, listed[kind])].some(([name, level]) => levelAtLeast(a.get(name), level));
  });
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
    const res = patterns.map(
      (p) =>
        new RegExp(
          `^${[...p].map((c) => (c === "*" ? ".*" : c === "?" ? "." : c.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&"))).join("")}$`,
          "is",
        ),
    );
    m = (s: string) => res.some((re) => re.test(s));
    globCache.set(key, m);
  }
  return m;
}

/** A granted token found non-compliant, and why it is revoked. */
export interface Revocation {
  readonly reason: string;
  /** Who revokes it: a deny rule of the organization, or the built-in `lifetime-limit`. */
  readonly decidedBy: DecidedBy;
}

/**
 * Whether a granted token is revoked under `revokeNonCompliant`: it never expires, outlives the
 * lifetime limit counted from when access was granted, or a deny rule would now hold for it
 * (`otherwise: deny` does not revoke). Same
 * staged contract as {@link evaluate} for repositories; a rule whose team cannot be read
 * revokes nothing.
 */
export function evaluateGrant(
  grant: TokenAccess,
  policy: ApprovalPolicy,
  repositories?: readonly string[],
  teams?: TeamMembership,
): { readonly revoke: Revocation | null; readonly unreadable?: string } | { readonly needsRepositories: true } {
  // A grant the logic cannot read is neither compliant nor revoked: an owner looks at it.
  const unreadable = notUnderstood(grant);
  if (unreadable) return { revoke: null, unreadable };
  const e = evaluate(grant, policy, repositories, teams);
  if ("needsRepositories" in e) return e;
  // Only the lifetime limit or an explicit deny rule revokes: `otherwise: deny` is for new
  // requests, and would otherwise revoke every grant that no rule names.
  const { action, decidedBy, reason } = e.decided;
  if (action !== "deny") return { revoke: null };
  if (decidedBy.kind === "rule") return { revoke: { decidedBy, reason: `Rule "${decidedBy.name}" would now deny it: ${reason}` } };
  if (decidedBy.outcome === "lifetime-limit") return { revoke: { decidedBy, reason } };
  return { revoke: null };
}
