/**
 * Deciding an organization's pending requests and checking its granted tokens by its policy,
 * with GitHub's client injected: a page at a time, a request's repositories read only when a
 * rule still being tried needs them. Results are pushed as they are made, so a caller that
 * fails half-way still has what was decided. `review` drives it.
 */
import { evaluate, evaluateGrant, isIsoTimestamp, type ApprovalPolicy, type ReviewAction } from "../approval/evaluate";
import type { GitHubClient } from "../github/client";
import type { Outcome } from "./apply";
import { GONE, listAccess, repositoryNames, type ListedAccess, type RawAccess } from "./listing";
import { TeamMembers, teamsNamed } from "./teams";

/** One decision, as printed and returned. */
export interface DecisionRecord {
  readonly requestId: number;
  readonly owner: string;
  readonly tokenName: string;
  readonly action: ReviewAction;
  readonly rule: string;
  readonly reason: string;
  /** Set with --apply for approve and deny, and for requests gone while being read. */
  outcome?: Outcome;
  /** Why the outcome is `unknown` or `failed`. */
  outcomeReason?: string;
}

/** One revocation, as printed and returned. */
export interface RevocationRecord {
  /** The grant's id (`pat_id`), which the revoke call takes. */
  readonly tokenId: number;
  readonly owner: string;
  readonly tokenName: string;
  readonly reason: string;
  outcome?: Outcome;
  outcomeReason?: string;
}

/** A granted token the logic could not read: neither compliant nor revoked; an owner looks. */
export interface UnreadableGrant {
  readonly tokenId: number;
  readonly owner: string;
  readonly tokenName: string;
  /** What could not be read. */
  readonly unreadable: string;
}

function recordOf(r: RawAccess): Pick<DecisionRecord, "requestId" | "owner" | "tokenName"> {
  return { requestId: r.id, owner: r.owner?.login ?? "?", tokenName: r.token_name };
}

/**
 * Decides every pending request, pushing each decision onto `into`; `progress` gets the count
 * after each page. The members of the teams the rules name are read once, when the first page
 * has a request (`teams` caches them; pass one to share it with {@link checkGrants}). `pages`
 * (every pending request of the organization when not given) narrows what is decided, for
 * example to the requests of some tokens, as `serve` does; it must be read from GitHub.
 */
export async function decidePending(
  client: GitHubClient,
  org: string,
  policy: ApprovalPolicy,
  into: DecisionRecord[],
  progress: (decided: number) => void = () => {},
  teams: TeamMembers = new TeamMembers(client, org),
  pages: AsyncIterable<ListedAccess[]> = listAccess(client, org, "request"),
): Promise<void> {
  const slugs = teamsNamed(policy);
  for await (const page of pages) {
    const members = slugs.length && page.length ? await teams.of(slugs) : undefined;
    for (const { raw: r, access } of page) {
      let e = evaluate(access, policy, undefined, members);
      if ("needsRepositories" in e) {
        const names = await repositoryNames(client, "request", org, r.id);
        if (names === GONE) {
          into.push({ ...recordOf(r), action: "leave", rule: "gone", reason: "No longer pending when its repositories were read: withdrawn, or decided meanwhile.", outcome: "already-decided" });
          continue;
        }
        e = evaluate(access, policy, names, members);
      }
      if (!("decided" in e)) throw new Error("evaluate asked for repositories twice");
      into.push({ ...recordOf(r), ...e.decided });
    }
    progress(into.length);
  }
}

/** Which checks {@link checkGrants} makes of each granted token. */
export interface GrantChecks {
  /** Revoke tokens that break the policy (`revokeNonCompliant`). @default true */
  readonly nonCompliant?: boolean;
  /** Revoke tokens not used for this many days (`revokeUnusedAfterDays`). @default - not checked */
  readonly unusedAfterDays?: number;
  /** The present, in milliseconds. @default Date.now() */
  readonly now?: number;
}

/** Rule name of a revocation for non-use. */
export const UNUSED_RULE = "revokeUnusedAfterDays";

const DAY_MS = 86_400_000;
const readTime = (v: unknown): number | undefined => (isIsoTimestamp(v) ? Date.parse(v) : undefined);

/**
 * Why a granted token is revoked for non-use, `null` when it was used within `days`, or
 * `unreadable` with what could not be read (such a token is left to an owner, never revoked).
 * A token never used counts from when access was granted.
 */
export function unusedRevocation(g: Pick<RawAccess, "access_granted_at" | "token_last_used_at">, days: number, now: number): { reason: string } | null | { unreadable: string } {
  const rule = `approval.${UNUSED_RULE}: ${days}`;
  if (g.token_last_used_at === null) {
    const granted = readTime(g.access_granted_at);
    if (granted === undefined) return { unreadable: "access_granted_at" };
    const idle = Math.floor((now - granted) / DAY_MS);
    return idle > days ? { reason: `Never used in the ${idle} days since access was granted (${rule}).` } : null;
  }
  const last = readTime(g.token_last_used_at);
  if (last === undefined) return { unreadable: "token_last_used_at" };
  const idle = Math.floor((now - last) / DAY_MS);
  return idle > days ? { reason: `Not used for ${idle} days, last on ${new Date(last).toISOString().slice(0, 10)} (${rule}).` } : null;
}

/**
 * Checks every granted token under `revokeNonCompliant` and `revokeUnusedAfterDays` (as
 * `checks` says): the ones to revoke, and the ones it cannot read (left to an owner, never
 * revoked). A deny rule whose team cannot be read revokes nothing.
 */
export async function checkGrants(
  client: GitHubClient,
  org: string,
  policy: ApprovalPolicy,
  into: { revocations: RevocationRecord[]; unreadableGrants: UnreadableGrant[] },
  progress: (checked: number) => void = () => {},
  checks: GrantChecks = {},
  teams: TeamMembers = new TeamMembers(client, org),
): Promise<void> {
  const nonCompliant = checks.nonCompliant ?? true;
  const now = checks.now ?? Date.now();
  let checked = 0;
  const slugs = teamsNamed(policy);
  for await (const page of listAccess(client, org, "grant")) {
    const members = nonCompliant && slugs.length && page.length ? await teams.of(slugs) : undefined;
    for (const { raw: g, access } of page) {
      if (!nonCompliant) {
        const unused = unusedCheck(g, checks.unusedAfterDays, now, into);
        if (unused) into.revocations.push({ tokenId: g.id, owner: g.owner?.login ?? "?", tokenName: g.token_name, reason: unused });
        continue;
      }
      let e = evaluateGrant(access, policy, undefined, members);
      if ("needsRepositories" in e) {
        const names = await repositoryNames(client, "grant", org, g.id);
        if (names === GONE) continue; // revoked meanwhile: nothing left to revoke
        e = evaluateGrant(access, policy, names, members);
      }
      if (!("revoke" in e)) throw new Error("evaluateGrant asked for repositories twice");
      if (e.unreadable) into.unreadableGrants.push({ tokenId: g.id, owner: g.owner?.login ?? "?", tokenName: g.token_name, unreadable: e.unreadable });
      else if (e.revoke) into.revocations.push({ tokenId: g.id, owner: g.owner.login, tokenName: g.token_name, reason: e.revoke.reason });
      else {
        const unused = unusedCheck(g, checks.unusedAfterDays, now, into);
        if (unused) into.revocations.push({ tokenId: g.id, owner: g.owner.login, tokenName: g.token_name, reason: unused });
      }
    }
    checked += page.length;
    progress(checked);
  }
}

/** The non-use reason to revoke `g`, if any; an unreadable date goes to `unreadableGrants`. */
function unusedCheck(g: RawAccess, days: number | undefined, now: number, into: { unreadableGrants: UnreadableGrant[] }): string | undefined {
  if (days === undefined) return undefined;
  const r = unusedRevocation(g, days, now);
  if (r && "unreadable" in r) {
    into.unreadableGrants.push({ tokenId: g.id, owner: g.owner?.login ?? "?", tokenName: g.token_name, unreadable: r.unreadable });
    return undefined;
  }
  return r?.reason;
}
