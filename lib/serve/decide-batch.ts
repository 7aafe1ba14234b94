/**
 * Deciding a batch of delivered requests on GitHub's record: the deliveries only say which
 * requests to look at. Their pending requests are read again from GitHub by token id (50 ids a
 * call), decided by the review engine exactly as `review` decides them (a request's
 * repositories read only when a rule needs them, a team's members once per batch); the caller
 * applies them in bulk. The listings of a batch, and then its requests, are read side by side
 * rather than one after another: a batch costs about two round trips to GitHub, not one per
 * call (the client's own limit on concurrent calls still holds).
 * A request GitHub no longer lists as pending is skipped; a delivery that names another
 * installation than the organization's is not trusted at all.
 */
import type { ApprovalPolicy } from "../approval/evaluate";
import type { OrganizationConfig } from "../config/schema";
import type { GitHubClient } from "../github/client";
import { decidePending, type RequestDecision } from "../review/decide";
import { pendingRequestsOfTokens, TOKEN_ID_FILTER_MAX, type ListedAccess } from "../review/listing";
import { TeamMembers } from "../review/teams";

/** The organization's own App installation, as its credentials reach it. */
export interface OrganizationSession {
  /** A client acting as the organization's installation of its App. */
  readonly client: GitHubClient;
  /** That installation's id, as GitHub reports it to the App. */
  readonly installationId: number;
}

/** A delivered request waiting for its batch. */
export interface QueuedRequest {
  /** The delivery id (lower case). */
  readonly delivery: string;
  /** When the delivery was received (ms since the epoch). */
  readonly receivedAt: number;
  /** The request id the delivery names. */
  readonly requestId: number;
  /** The token id the delivery names: what GitHub's listing is filtered by. */
  readonly tokenId: number;
  /** The installation id the delivery names, if any. */
  readonly installationId?: number;
}

/** What became of one delivered request. */
export type BatchOutcome =
  | { readonly queued: QueuedRequest; readonly decision: RequestDecision }
  | { readonly queued: QueuedRequest; readonly skipped: "not-pending" | "other-installation" };

/**
 * Decides `batch` (one organization's) on what GitHub returns; writes nothing (the caller applies
 * the decisions). Throws on a GitHub failure.
 */
export async function decideBatch(
  session: OrganizationSession,
  org: OrganizationConfig,
  batch: readonly QueuedRequest[],
): Promise<BatchOutcome[]> {
  const outcomes: BatchOutcome[] = [];
  const trusted: QueuedRequest[] = [];
  for (const q of batch) {
    if (q.installationId !== undefined && q.installationId !== session.installationId)
      outcomes.push({ queued: q, skipped: "other-installation" });
    else trusted.push(q);
  }
  if (!trusted.length) return outcomes;
  const wanted = new Map(trusted.map((q) => [q.requestId, q]));
  const policy: ApprovalPolicy = { patPolicy: org.patPolicy, approval: org.approval };
  const { client } = session;
  const tokenIds = [...new Set(trusted.map((q) => q.tokenId))];
  const chunks = Array.from({ length: Math.ceil(tokenIds.length / TOKEN_ID_FILTER_MAX) }, (_, i) =>
    tokenIds.slice(i * TOKEN_ID_FILTER_MAX, (i + 1) * TOKEN_ID_FILTER_MAX),
  );
  const listed = (await Promise.all(chunks.map((ids) => collect(pendingRequestsOfTokens(client, org.login, ids))))).flat();
  // Team members are read once per batch, whichever request needs them first.
  const teams = new TeamMembers(client, org.login);
  const decisions = (
    await Promise.all(
      listed.filter((l) => wanted.has(l.raw.id)).map((l) => decidePending({ client, login: org.login, policy, teams, pages: single(l) })),
    )
  ).flat();
  const byId = new Map(decisions.map((d) => [d.requestId, d]));
  for (const q of trusted) {
    const decision = byId.get(q.requestId);
    outcomes.push(decision ? { queued: q, decision } : { queued: q, skipped: "not-pending" });
  }
  return outcomes;
}

/** Every page of a listing, as one list. */
async function collect(pages: AsyncIterable<ListedAccess[]>): Promise<ListedAccess[]> {
  const all: ListedAccess[] = [];
  for await (const page of pages) all.push(...page);
  return all;
}

/** One listed request as a page of its own, so that requests are decided side by side. */
async function* single(l: ListedAccess): AsyncGenerator<ListedAccess[]> {
  yield [l];
}
