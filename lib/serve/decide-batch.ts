/**
 * Deciding a batch of delivered requests on GitHub's record: the deliveries only say which
 * requests to look at. Their pending requests are read again from GitHub by token id (50 ids a
 * call), decided by the review engine exactly as `review` decides them (a request's
 * repositories read only when a rule needs them); the caller applies them in bulk.
 * A request GitHub no longer lists as pending is skipped; a delivery that names another
 * installation than the organization's is not trusted at all.
 */
import type { ApprovalPolicy } from "../approval/evaluate";
import type { OrganizationConfig } from "../config/schema";
import type { GitHubClient } from "../github/client";
import { decidePending, type RequestDecision } from "../review/decide";
import { pendingRequestsOfTokens, type ListedAccess } from "../review/listing";

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
  const pages = onlyRequests(
    pendingRequestsOfTokens(
      session.client,
      org.login,
      trusted.map((q) => q.tokenId),
    ),
    wanted,
  );
  // Team members are read once per batch (no `teams` passed).
  const decisions = await decidePending({ client: session.client, login: org.login, policy, pages });
  const byId = new Map(decisions.map((d) => [d.requestId, d]));
  for (const q of trusted) {
    const decision = byId.get(q.requestId);
    outcomes.push(decision ? { queued: q, decision } : { queued: q, skipped: "not-pending" });
  }
  return outcomes;
}

/**
 * Only the listed requests a delivery named: a token's listing is GitHub's record, but a
 * request no delivery named is left to the sweep.
 */
async function* onlyRequests(
  pages: AsyncIterable<ListedAccess[]>,
  wanted: ReadonlyMap<number, QueuedRequest>,
): AsyncGenerator<ListedAccess[]> {
  for await (const page of pages) yield page.filter((l) => wanted.has(l.raw.id));
}
