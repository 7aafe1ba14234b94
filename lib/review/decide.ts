/**
 * Deciding an organization's pending requests and checking its granted tokens by its policy,
 * with GitHub's client injected: a page at a time, a request's repositories read only when a
 * rule still being tried needs them. Each page's results are handed out as they are made
 * ({@link decidePages}, {@link checkGrantPages}), so a run that fails half-way still has what
 * was decided; {@link decidePending} and {@link checkGrants} collect every page. The review run
 * (`./run`) and `serve`'s batches drive it.
 */
import { evaluate, evaluateGrant, isIsoTimestamp, type ApprovalPolicy, type ReviewAction } from "../approval/evaluate";
import { byBuiltin, type DecidedBy } from "../approval/outcomes";
import type { GitHubClient } from "../github/client";
import type { Outcome } from "./apply";
import { GONE, listAccess, repositoryNames, type ListedAccess, type RawAccess } from "./listing";
import { TeamMembers, teamsNamed } from "./teams";
import { decisionClock, type DecisionClock } from "./clock";

/** The decision on one pending request, as printed and returned. */
export interface RequestDecision {
  /** The request's id (`pat_request_id`). */
  readonly requestId: number;
  /** The requester's login (`?` when GitHub sent none). */
  readonly owner: string;
  /** The token's name. */
  readonly tokenName: string;
  /** Approve, deny or leave to an owner. */
  readonly action: ReviewAction;
  /** Who decided: one of the organization's rules, or a built-in outcome. */
  readonly decidedBy: DecidedBy;
  /** Sent to GitHub with approve and deny, shown to the requester. */
  readonly reason: string;
  /** Set with --apply for approve and deny, and for requests gone while being read. */
  outcome?: Outcome;
  /** Why the outcome is `unknown`, `failed` or `not-sent`. */
  outcomeReason?: string;
}

/** A granted token to revoke, as printed and returned. */
export interface TokenRevocation {
  /** The grant's id (`pat_id`), which the revoke call takes. */
  readonly tokenId: number;
  /** The token owner's login (`?` when GitHub sent none). */
  readonly owner: string;
  /** The token's name. */
  readonly tokenName: string;
  /** Who revokes it: a deny rule, the built-in `lifetime-limit`, or the built-in `unused`. */
  readonly decidedBy: DecidedBy;
  /** Why it is revoked. */
  readonly reason: string;
  /** Set with --apply. */
  outcome?: Outcome;
  /** Why the outcome is `unknown`, `failed` or `not-sent`. */
  outcomeReason?: string;
}

/** A granted token the logic could not read: neither compliant nor revoked; an owner looks. */
export interface UnreadableGrant {
  /** The grant's id (`pat_id`). */
  readonly tokenId: number;
  /** The token owner's login (`?` when GitHub sent none). */
  readonly owner: string;
  /** The token's name. */
  readonly tokenName: string;
  /** What could not be read. */
  readonly unreadable: string;
}

function decisionOf(r: RawAccess): Pick<RequestDecision, "requestId" | "owner" | "tokenName"> {
  return { requestId: r.id, owner: r.owner?.login ?? "?", tokenName: r.token_name };
}

/** Options of {@link decidePages} and {@link decidePending}. */
export interface DecideOptions {
  /** A client acting for the organization. */
  readonly client: GitHubClient;
  /** The organization's login. */
  readonly login: string;
  /** The policy to decide by. */
  readonly policy: ApprovalPolicy;
  /**
   * The members of the teams the rules name, read once, when the first page has a request; pass
   * one to share it with {@link checkGrants}. @default a reader for this call alone
   */
  readonly teams?: TeamMembers;
  /**
   * What is decided, read from GitHub, for example the requests of some tokens as `serve` does.
   * @default every pending request of the organization
   */
  readonly pages?: AsyncIterable<ListedAccess[]>;
}

/** Decides every pending request, handing out each page's decisions (an empty page too) as they are made. */
export async function* decidePages(options: DecideOptions): AsyncGenerator<RequestDecision[]> {
  const { client, login, policy } = options;
  const teams = options.teams ?? new TeamMembers(client, login);
  const slugs = teamsNamed(policy);
  for await (const page of options.pages ?? listAccess(client, login, "request")) {
    const members = slugs.length && page.length ? await teams.of(slugs) : undefined;
    const decided: RequestDecision[] = [];
    for (const { raw: r, access } of page) {
      let e = evaluate(access, policy, undefined, members);
      if ("needsRepositories" in e) {
        const names = await repositoryNames(client, "request", login, r.id);
        if (names === GONE) {
          const reason = "No longer pending when its repositories were read: withdrawn, or decided meanwhile.";
          decided.push({ ...decisionOf(r), action: "leave", decidedBy: byBuiltin("gone"), reason, outcome: "already-decided" });
          continue;
        }
        e = evaluate(access, policy, names, members);
      }
      if (!("decided" in e)) throw new Error("evaluate asked for repositories twice");
      decided.push({ ...decisionOf(r), ...e.decided });
    }
    yield decided;
  }
}

/**
 * Decides every pending request (or those of `pages`) and returns the decisions; `progress`
 * gets the count after each page. Throws on a GitHub failure: use {@link decidePages} to keep
 * what was decided before it.
 */
export async function decidePending(
  options: DecideOptions & { readonly progress?: (decided: number) => void },
): Promise<RequestDecision[]> {
  const decisions: RequestDecision[] = [];
  for await (const page of decidePages(options)) {
    decisions.push(...page);
    options.progress?.(decisions.length);
  }
  return decisions;
}

/** Options of {@link checkGrantPages} and {@link checkGrants}. */
export interface GrantCheckOptions {
  /** A client acting for the organization. */
  readonly client: GitHubClient;
  /** The organization's login. */
  readonly login: string;
  /** The policy to check by. */
  readonly policy: ApprovalPolicy;
  /** Revoke tokens that break the policy (`revokeNonCompliant`). @default true */
  readonly nonCompliant?: boolean;
  /** Revoke tokens not used for this many days (`revokeUnusedAfterDays`). @default - not checked */
  readonly unusedAfterDays?: number;
  /**
   * The host's present, in milliseconds, read when each page is answered; ages are counted by
   * GitHub's time instead when the two differ by more than a minute (see `./clock`).
   * @default Date.now
   */
  readonly now?: () => number;
  /** The members of the teams the rules name, shared with {@link decidePending}. @default a reader for this call alone */
  readonly teams?: TeamMembers;
  /**
   * What is checked, read from GitHub, for example one member's grants as `member` does.
   * @default every granted token of the organization
   */
  readonly pages?: AsyncIterable<ListedAccess[]>;
  /**
   * With `pages`: the clock they were read by (from their answers' `Date`, see `./clock`).
   * @default unknown: nothing given is revoked for non-use
   */
  readonly clock?: DecisionClock;
}

/** What checking granted tokens found: the ones to revoke, and the ones left to an owner. */
export interface GrantCheck {
  /** Tokens to revoke. */
  readonly revocations: TokenRevocation[];
  /** Tokens the logic could not read: never revoked, an owner looks. */
  readonly unreadableGrants: UnreadableGrant[];
  /** The clock the ages were counted by (the last page's), when ages were checked. */
  readonly clock?: DecisionClock;
}

const DAY_MS = 86_400_000;
const readTime = (v: unknown): number | undefined => (isIsoTimestamp(v) ? Date.parse(v) : undefined);

/**
 * Why a granted token is revoked for non-use, `null` when it was used within `days`, or
 * `unreadable` with what could not be read (such a token is left to an owner, never revoked).
 * A token never used counts from when access was granted.
 */
export function unusedRevocation(
  g: Pick<RawAccess, "access_granted_at" | "token_last_used_at">,
  days: number,
  now: number,
): { reason: string } | null | { unreadable: string } {
  const setting = `approval.revokeUnusedAfterDays: ${days}`;
  if (g.token_last_used_at === null) {
    const granted = readTime(g.access_granted_at);
    if (granted === undefined) return { unreadable: "access_granted_at" };
    const idle = Math.floor((now - granted) / DAY_MS);
    return idle > days ? { reason: `Never used in the ${idle} days since access was granted (${setting}).` } : null;
  }
  const last = readTime(g.token_last_used_at);
  if (last === undefined) return { unreadable: "token_last_used_at" };
  const idle = Math.floor((now - last) / DAY_MS);
  return idle > days ? { reason: `Not used for ${idle} days, last on ${new Date(last).toISOString().slice(0, 10)} (${setting}).` } : null;
}

/**
 * Checks every granted token under `revokeNonCompliant` and `revokeUnusedAfterDays` (as the
 * options say), handing out each page's findings as they are made. A deny rule whose team
 * cannot be read revokes nothing.
 */
export async function* checkGrantPages(options: GrantCheckOptions): AsyncGenerator<GrantCheck & { readonly checked: number }> {
  const { client, login, policy, unusedAfterDays } = options;
  const nonCompliant = options.nonCompliant ?? true;
  const hostNow = options.now ?? Date.now;
  const teams = options.teams ?? new TeamMembers(client, login);
  const slugs = teamsNamed(policy);
  let clock: DecisionClock = options.clock ?? { kind: "unknown", why: "no answer from GitHub yet" };
  for await (const page of options.pages ?? listAccess(client, login, "grant", (date) => (clock = decisionClock(hostNow(), date)))) {
    const found: GrantCheck = { revocations: [], unreadableGrants: [], ...(unusedAfterDays === undefined ? {} : { clock }) };
    const members = nonCompliant && slugs.length && page.length ? await teams.of(slugs) : undefined;
    const ids = (g: RawAccess) => ({ tokenId: g.id, owner: g.owner?.login ?? "?", tokenName: g.token_name });
    /** Revokes `g` for non-use when it is idle; an unreadable date leaves it to an owner. */
    const checkUnused = (g: RawAccess) => {
      // Without GitHub's time, no age is trusted: nothing is revoked for non-use.
      if (unusedAfterDays === undefined || clock.kind === "unknown") return;
      const r = unusedRevocation(g, unusedAfterDays, clock.now);
      if (r && "unreadable" in r) found.unreadableGrants.push({ ...ids(g), unreadable: r.unreadable });
      else if (r) found.revocations.push({ ...ids(g), decidedBy: byBuiltin("unused"), reason: r.reason });
    };
    for (const { raw: g, access } of page) {
      if (!nonCompliant) {
        checkUnused(g);
        continue;
      }
      let e = evaluateGrant(access, policy, undefined, members);
      if ("needsRepositories" in e) {
        const names = await repositoryNames(client, "grant", login, g.id);
        if (names === GONE) continue; // revoked meanwhile: nothing left to revoke
        e = evaluateGrant(access, policy, names, members);
      }
      if (!("revoke" in e)) throw new Error("evaluateGrant asked for repositories twice");
      if (e.unreadable) found.unreadableGrants.push({ ...ids(g), unreadable: e.unreadable });
      else if (e.revoke) found.revocations.push({ ...ids(g), decidedBy: e.revoke.decidedBy, reason: e.revoke.reason });
      else checkUnused(g);
    }
    yield { ...found, checked: page.length };
  }
}

/**
 * Checks every granted token (see {@link checkGrantPages}) and returns what it found;
 * `progress` gets the count checked after each page. Throws on a GitHub failure.
 */
export async function checkGrants(options: GrantCheckOptions & { readonly progress?: (checked: number) => void }): Promise<GrantCheck> {
  const found: GrantCheck = { revocations: [], unreadableGrants: [] };
  let clock: DecisionClock | undefined;
  let checked = 0;
  for await (const page of checkGrantPages(options)) {
    found.revocations.push(...page.revocations);
    found.unreadableGrants.push(...page.unreadableGrants);
    checked += page.checked;
    options.progress?.(checked);
    if (page.clock) clock = page.clock;
  }
  return { ...found, ...(clock ? { clock } : {}) };
}
