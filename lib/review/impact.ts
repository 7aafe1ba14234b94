/**
 * What a change of the approval rules does to an organization's real tokens: the base and the
 * head config's rules applied to today's pending requests and granted tokens. One listing of
 * each kind; a request's repositories are read once, and only when a rule of either config needs
 * them; each team either config names is read once. Read-only: nothing is decided on GitHub.
 */
import { evaluate, evaluateGrant, type ApprovalPolicy, type Evaluation, type ReviewAction, type TokenAccess } from "../approval/evaluate";
import { byBuiltin, type DecidedBy } from "../approval/outcomes";
import type { OrganizationConfig } from "../config/schema";
import type { GitHubClient } from "../github/client";
import { GONE, listAccess, repositoryNames } from "./listing";
import { TeamMembers, teamsNamed } from "./teams";

/** One pending request whose outcome the change alters. */
export interface ChangedRequest {
  readonly requestId: number;
  readonly owner: string;
  readonly tokenName: string;
  readonly from: ReviewAction;
  readonly to: ReviewAction;
  /** Who decides under the head config: a rule, or a built-in outcome. */
  readonly decidedBy: DecidedBy;
  /** Whether the request asks for write or admin anywhere. */
  readonly asksWrite: boolean;
}

/** A granted token the head config newly revokes. */
export interface NewRevocation {
  readonly tokenId: number;
  readonly owner: string;
  readonly tokenName: string;
  /** Who revokes it under the head config: a deny rule, or the built-in `lifetime-limit`. */
  readonly decidedBy: DecidedBy;
}

/** The impact on one organization. */
export interface LiveImpact {
  readonly org: string;
  /** Pending requests read. */
  readonly pending: number;
  /** Granted tokens read (0 when neither config revokes). */
  readonly granted: number;
  /** Changed outcomes, counted by `from → to`. */
  readonly transitions: Readonly<Record<string, number>>;
  /** Every changed request, riskiest first (newly approved write access first). */
  readonly changed: readonly ChangedRequest[];
  /** Granted tokens the head config newly revokes under `revokeNonCompliant`. */
  readonly newlyRevoked: readonly NewRevocation[];
  /** Requests and grants gone while being read. */
  readonly gone: number;
}

const policyOf = (o: OrganizationConfig | undefined): ApprovalPolicy | undefined =>
  o ? { patPolicy: o.patPolicy, approval: o.approval } : undefined;

/**
 * Evaluates `base` (undefined: the organization is new, so an owner decides everything) and
 * `head` against what is pending and granted now.
 */
export async function liveImpact(
  client: GitHubClient,
  base: OrganizationConfig | undefined,
  head: OrganizationConfig,
): Promise<LiveImpact> {
  const b = policyOf(base);
  const h = policyOf(head)!;
  const login = head.login;
  const transitions: Record<string, number> = {};
  const changed: ChangedRequest[] = [];
  const newlyRevoked: NewRevocation[] = [];
  let pending = 0;
  let granted = 0;
  let gone = 0;

  // The teams either config names, read once for the whole run (only when something is listed).
  const slugs = [...new Set([...(b ? teamsNamed(b) : []), ...teamsNamed(h)])];
  const teamReader = new TeamMembers(client, login);
  const teamsFor = async (listed: number) => (slugs.length && listed ? teamReader.of(slugs) : undefined);

  /** Both configs' decisions, reading the repositories at most once. */
  const both = async <T>(
    kind: "request" | "grant",
    access: TokenAccess,
    decide: (p: ApprovalPolicy, repos?: readonly string[]) => T | { needsRepositories: true },
  ): Promise<[T | undefined, T] | typeof GONE> => {
    let bb = b ? decide(b, undefined) : undefined;
    let hh = decide(h, undefined);
    const needs = (x: unknown) => typeof x === "object" && x !== null && "needsRepositories" in x;
    if (needs(bb) || needs(hh)) {
      const names = await repositoryNames(client, kind, login, access.id);
      if (names === GONE) return GONE;
      if (needs(bb)) bb = decide(b!, names);
      if (needs(hh)) hh = decide(h, names);
    }
    return [bb as T | undefined, hh as T];
  };

  for await (const page of listAccess(client, login, "request")) {
    const teams = await teamsFor(page.length);
    for (const { access } of page) {
      pending++;
      const r = await both<Evaluation>("request", access, (p, repos) => evaluate(access, p, repos, teams));
      if (r === GONE) {
        gone++;
        continue;
      }
      const from: ReviewAction = r[0] && "decided" in r[0] ? r[0].decided.action : "leave";
      const decidedHead = "decided" in r[1] ? r[1].decided : undefined;
      const to: ReviewAction = decidedHead?.action ?? "leave";
      if (from === to) continue;
      const key = `${from} → ${to}`;
      transitions[key] = (transitions[key] ?? 0) + 1;
      changed.push({
        requestId: access.id,
        owner: access.owner,
        tokenName: access.tokenName,
        from,
        to,
        decidedBy: decidedHead?.decidedBy ?? byBuiltin("otherwise"),
        asksWrite: asksWrite(access),
      });
    }
  }

  if (head.approval.revokeNonCompliant) {
    for await (const page of listAccess(client, login, "grant")) {
      const teams = await teamsFor(page.length);
      for (const { access } of page) {
        granted++;
        const r = await both("grant", access, (p, repos) => evaluateGrant(access, p, repos, teams));
        if (r === GONE) {
          gone++;
          continue;
        }
        const revokedBefore = Boolean(base?.approval.revokeNonCompliant && r[0] && "revoke" in r[0] && r[0].revoke);
        const now = "revoke" in r[1] ? r[1].revoke : null;
        if (now && !revokedBefore)
          newlyRevoked.push({ tokenId: access.id, owner: access.owner, tokenName: access.tokenName, decidedBy: now.decidedBy });
      }
    }
  }

  return {
    org: login,
    pending,
    granted,
    transitions,
    changed: changed.sort((x, y) => risk(y) - risk(x) || x.requestId - y.requestId),
    newlyRevoked,
    gone,
  };
}

function asksWrite(a: TokenAccess): boolean {
  return Object.values(a.permissions ?? {}).some((m) => Object.values(m ?? {}).some((l) => l === "write" || l === "admin"));
}

/** Newly approved write access first, then newly approved read, then the rest. */
function risk(c: ChangedRequest): number {
  if (c.to === "approve") return c.asksWrite ? 4 : 3;
  if (c.from === "deny") return 2;
  return 1;
}
