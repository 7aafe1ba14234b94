/**
 * Applying decisions to GitHub so that nothing is applied twice and nothing is lost: approvals
 * and denials in bulk, one call per (action, reason) group per 100 ids, and revocations likewise.
 * The GitHub client is injected; `review` drives it, and any other caller decides the same way.
 */
import type { ReviewAction } from "../approval/evaluate";
import type { GitHubClient } from "../github/client";
import { describeGitHubError, isGitHubError } from "../github/errors";
import { PAGE } from "./listing";

/**
 * What happened to a decision or revocation when applied: `applied` (GitHub accepted it),
 * `already-decided` (no longer pending: someone else decided, or a call whose answer was lost
 * did), `failed` (GitHub refused it), `unknown` (GitHub's answer was lost and could not be
 * checked; `outcomeReason` says why), `not-sent` (the run stopped before sending it), `held`
 * (a revocation of a run that would revoke more than its limit: none was sent).
 */
export type Outcome = "applied" | "already-decided" | "failed" | "unknown" | "not-sent" | "held";

/** Something applied, and what became of it. */
export interface Applied {
  outcome?: Outcome;
  outcomeReason?: string;
}

/** A decision on a pending request. */
export interface ReviewItem extends Applied {
  readonly requestId: number;
  readonly action: ReviewAction;
  readonly reason: string;
}

/** A granted token to revoke. */
export interface RevocationItem extends Applied {
  readonly tokenId: number;
}

/** Tries of one bulk write whose answers are lost, before its outcome is `unknown`. */
const MAX_WRITE_ATTEMPTS = 4;

/** Options of {@link applyReviews}. */
export interface ApplyReviewsOptions {
  /** A client acting for the organization. */
  readonly client: GitHubClient;
  /** The organization's login. */
  readonly login: string;
  /** The decisions; `leave` ones are skipped. Each one sent gets its `outcome` set. */
  readonly decisions: readonly ReviewItem[];
  /** Gets the count sent after each call. @default none */
  readonly progress?: (sent: number) => void;
}

/**
 * Approves and denies in bulk: one call per (action, reason) group per 100 ids. Sets each
 * decision's `outcome` as it goes; throws on the first write that fails, the outcomes then
 * saying what is known.
 */
export async function applyReviews(options: ApplyReviewsOptions): Promise<void> {
  const { client, login, decisions, progress = () => {} } = options;
  const groups = new Map<string, ReviewItem[]>();
  for (const d of decisions) {
    if (d.action === "leave") continue;
    const key = `${d.action}\u0000${d.reason}`;
    groups.set(key, [...(groups.get(key) ?? []), d]);
  }
  let done = 0;
  for (const group of groups.values()) {
    const { action, reason } = group[0];
    for (let i = 0; i < group.length; i += PAGE) {
      const batch = group.slice(i, i + PAGE);
      await writeOnce(
        batch,
        (ids) =>
          client.request("POST /orgs/{org}/personal-access-token-requests", {
            org: login,
            pat_request_ids: ids,
            action: action as "approve" | "deny",
            reason,
            request: { retries: 0 },
          }),
        () => openIds(client, login, "GET /orgs/{org}/personal-access-token-requests"),
        (d) => d.requestId,
      );
      done += batch.length;
      progress(done);
    }
  }
}

/** Options of {@link applyRevocations}. */
export interface ApplyRevocationsOptions {
  /** A client acting for the organization. */
  readonly client: GitHubClient;
  /** The organization's login. */
  readonly login: string;
  /** The granted tokens to revoke. Each one sent gets its `outcome` set. */
  readonly revocations: readonly RevocationItem[];
  /** Gets the count sent after each call. @default none */
  readonly progress?: (sent: number) => void;
}

/** Revokes granted tokens in bulk, 100 ids a call, with the same fault handling as {@link applyReviews}. */
export async function applyRevocations(options: ApplyRevocationsOptions): Promise<void> {
  const { client, login, revocations, progress = () => {} } = options;
  for (let i = 0; i < revocations.length; i += PAGE) {
    const batch = revocations.slice(i, i + PAGE);
    await writeOnce(
      batch,
      (ids) =>
        client.request("POST /orgs/{org}/personal-access-tokens", { org: login, action: "revoke", pat_ids: ids, request: { retries: 0 } }),
      () => openIds(client, login, "GET /orgs/{org}/personal-access-tokens"),
      (r) => r.tokenId,
    );
    progress(i + batch.length);
  }
}

/**
 * Sends one bulk write so that nothing is applied twice and nothing is lost. Octokit's own
 * retry is off for it: after a 5xx, a dropped connection, or a 404/422 (some ids no longer
 * pending), the answer says nothing certain, so the still-open ids are listed again and only
 * those are sent again. Ids gone meanwhile were decided by someone else, or by a call whose
 * answer was lost: `already-decided`. Rate limits are waited out by the client
 * (`lib/github/rate-limits`), since GitHub did not process those requests.
 */
async function writeOnce<T extends { outcome?: Outcome; outcomeReason?: string }>(
  batch: T[],
  send: (ids: number[]) => Promise<unknown>,
  stillOpen: () => Promise<Set<number>>,
  idOf: (t: T) => number,
): Promise<void> {
  let open = batch;
  for (let attempt = 1; ; attempt++) {
    try {
      await send(open.map(idOf));
      for (const t of open) t.outcome = "applied";
      return;
    } catch (e) {
      const status = (e as { status?: number }).status ?? 0;
      const uncertain = status === 0 || status >= 500 || status === 404 || status === 422;
      if (!uncertain) {
        markOutcome(open, "failed", describeFailure(e));
        throw e;
      }
      if (attempt >= MAX_WRITE_ATTEMPTS) {
        // The last answer was lost too: GitHub may or may not have applied it.
        markOutcome(open, "unknown", `${MAX_WRITE_ATTEMPTS} tries, the last answered ${describeFailure(e)}; check the pending list`);
        throw e;
      }
      let current: Set<number>;
      try {
        current = await stillOpen();
      } catch (listing) {
        markOutcome(
          open,
          "unknown",
          `the write's answer was lost (${describeFailure(e)}) and the re-list failed (${describeFailure(listing)})`,
        );
        throw listing;
      }
      for (const t of open) if (!current.has(idOf(t))) t.outcome = "already-decided";
      open = open.filter((t) => current.has(idOf(t)));
      if (open.length === 0) return;
      await new Promise((r) => setTimeout(r, 2 ** attempt * 100));
    }
  }
}

/** Sets the same outcome and reason on every item, for example `not-sent` when a run stopped first. */
export function markOutcome(items: { outcome?: Outcome; outcomeReason?: string }[], outcome: Outcome, reason: string): void {
  for (const t of items) {
    t.outcome = outcome;
    t.outcomeReason = reason;
  }
}

function describeFailure(e: unknown): string {
  return isGitHubError(e) ? describeGitHubError(e) : `${(e as Error).message ?? String(e)}`;
}

/** The ids still open in a listing: pending requests, or granted tokens. */
async function openIds(
  client: GitHubClient,
  login: string,
  route: "GET /orgs/{org}/personal-access-token-requests" | "GET /orgs/{org}/personal-access-tokens",
): Promise<Set<number>> {
  const ids = new Set<number>();
  for await (const page of client.paginate.iterator(route, { org: login, per_page: PAGE })) for (const item of page.data) ids.add(item.id);
  return ids;
}
