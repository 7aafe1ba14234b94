/**
 * One member's answer, read from GitHub as the organization's App: can LOGIN pick the
 * organization as a fine-grained token's resource owner, and if not why (GitHub's missing
 * sentence, written); whether SSO applies and whether LOGIN's credentials are authorized; what the
 * rules do with LOGIN's pending requests now, and for a request left to an owner the nearest one
 * they would approve; when LOGIN's granted tokens expire or will be revoked; and the guide's
 * ready-made links that would be approved for LOGIN. The `member` command drives it.
 *
 * It reads only what it needs: the membership by one call (the outside collaborators only when
 * LOGIN is no member), the token listings filtered by `owner[]`, a request's or grant's
 * repositories only when a rule needs them, the teams the rules name. It fails closed: each part
 * it cannot read says so, and no part is guessed from another. The decisions are the review
 * engine's (`lib/review/decide`), never a copy.
 */
import { evaluate, lifetimeDays, type ApprovalPolicy } from "../approval/evaluate";
import type { DecidedBy } from "../approval/outcomes";
import { enterpriseBindings } from "../config/effective-policy";
import type { EnterpriseConfig, OrganizationConfig } from "../config/schema";
import type { GitHubClient } from "../github/client";
import { describeGitHubError, isGitHubError } from "../github/errors";
import {
  exampleRepositories,
  hasTemplateUrls,
  requestFromTemplate,
  tokenRequestTemplate,
  type TokenRequestTemplate,
} from "../model/token-request";
import { enterpriseSettingsUrl, patPolicySettingsUrl, webRoot } from "../naming";
import { decisionClock } from "../review/clock";
import { checkGrants, decidePending, type RequestDecision } from "../review/decide";
import { listAccessFiltered, PAGE, type ListedAccess, type RawAccess } from "../review/listing";
import { TeamMembers, teamsNamed } from "../review/teams";

/** LOGIN's standing in the organization, as GitHub records it. */
export type Membership =
  | { readonly kind: "member"; readonly role: "admin" | "member" }
  | { readonly kind: "billing-manager" }
  | { readonly kind: "invitation-pending"; readonly role: string }
  | { readonly kind: "outside-collaborator" }
  | { readonly kind: "not-a-member" }
  | { readonly kind: "unreadable"; readonly why: string };

/** Why LOGIN cannot pick the organization (or why it cannot be told). */
export type PickCause =
  | "not-a-member"
  | "billing-manager"
  | "outside-collaborator"
  | "invitation-pending"
  | "organization-policy"
  | "enterprise-policy"
  | "membership-unreadable";

/** One reason, in plain words, and the page where it is decided. */
export interface PickReason {
  /** The cause, for programs. */
  readonly cause: PickCause;
  /** The sentence GitHub does not show. */
  readonly text: string;
  /** Where it is decided or put right. */
  readonly where?: string;
}

/** Whether LOGIN can pick the organization in the token form's "Resource owner" list. */
export interface PickAnswer {
  /** `yes`, `no`, or `cannot-tell` when the membership could not be read and nothing else says no. */
  readonly answer: "yes" | "no" | "cannot-tell";
  /** Every reason found, in the order to put them right. */
  readonly reasons: readonly PickReason[];
}

/** The organization's fine-grained token policy as the config declares it (no API reads it). */
export interface PolicyAnswer {
  /** Whether fine-grained tokens may reach the organization. */
  readonly fineGrainedTokens: "allow" | "restrict";
  /** Who decides it: the organization's owners, or its enterprise. */
  readonly decidedBy: "organization" | "enterprise";
  /** The settings page where it is decided. */
  readonly where: string;
  /** Whether each token needs approval. */
  readonly requireApproval: boolean;
  /** The longest lifetime of a fine-grained token, in days. */
  readonly maxLifetimeDays: number;
}

/** One SSO authorization of LOGIN (no part of the credential itself is kept). */
export interface SsoAuthorization {
  /** GitHub's id of the authorization. */
  readonly credentialId: number;
  /** GitHub's words: `personal access token`, `SSH key`, `OAuth app token`, `GitHub app token`. */
  readonly credentialType: string;
  /** When it was authorized. */
  readonly authorizedAt: string;
  /** When the credential expires, when GitHub says. */
  readonly expiresAt?: string | null;
}

/** Whether tokens need authorizing for SAML SSO, and whether LOGIN's are. */
export type SsoAnswer =
  | { readonly kind: "not-enforced"; readonly text: string }
  | { readonly kind: "enforced"; readonly authorizations: readonly SsoAuthorization[] }
  | { readonly kind: "cannot-be-checked"; readonly why: string };

/** The nearest request the rules would approve, for a request left to an owner. */
export interface NearestRequest {
  /** The approve rule. */
  readonly rule: string;
  /** What to change, one item each. */
  readonly changes: readonly string[];
  /** The pre-filled link, where the instance has template URLs. */
  readonly url?: string;
  /** What to pick by hand in the form. */
  readonly byHand: readonly string[];
}

/** One of LOGIN's pending requests, with the decision the rules give now. */
export interface MemberRequest {
  /** The decision, as `review` would make it now. */
  readonly decision: RequestDecision;
  /** For a request left to an owner: the nearest request an approve rule takes. */
  readonly nearest?: NearestRequest;
}

/** What will happen to a granted token. */
export type GrantFate =
  | { readonly kind: "revoke-now"; readonly decidedBy: DecidedBy; readonly reason: string; readonly when: string }
  | { readonly kind: "revoke-if-unused"; readonly on: string; readonly reason: string }
  | { readonly kind: "kept" }
  | { readonly kind: "unreadable"; readonly what: string };

/** One of LOGIN's granted tokens. */
export interface MemberGrant {
  /** The grant's id (`pat_id`). */
  readonly tokenId: number;
  /** The token's name. */
  readonly tokenName: string;
  /** When the token expires; null: never. */
  readonly expiresAt: string | null;
  /** When it was last used; null: never. */
  readonly lastUsedAt: string | null;
  /** Whether and when `revokeNonCompliant` or `revokeUnusedAfterDays` revokes it. */
  readonly fate: GrantFate;
}

/** A ready-made request link of the guide that would be approved for LOGIN. */
export interface ApprovableLink {
  /** The approve rule. */
  readonly rule: string;
  /** Days until such a token expires. */
  readonly expiresInDays: number;
  /** The permissions the link asks for, by kind. */
  readonly permissions: TokenRequestTemplate["permissions"];
  /** The form's "Repository access". */
  readonly repositorySelection: TokenRequestTemplate["repositorySelection"];
  /** The pre-filled link, where the instance has template URLs. */
  readonly url?: string;
  /** What to pick by hand in the form. */
  readonly byHand: readonly string[];
}

/** A part of the answer: read, or what stopped it being read. */
export type Section<T> = { readonly kind: "read"; readonly items: readonly T[] } | { readonly kind: "unreadable"; readonly why: string };

/** Everything `member` answers for LOGIN. */
export interface MemberAnswer {
  /** The member's login, as asked. */
  readonly login: string;
  /** The organization's login. */
  readonly org: string;
  /** LOGIN's standing, as GitHub records it. */
  readonly membership: Membership;
  /** The fine-grained token policy, as the config declares it. */
  readonly policy: PolicyAnswer;
  /** Whether LOGIN can pick the organization, and why not. */
  readonly pick: PickAnswer;
  /** SAML SSO. */
  readonly sso: SsoAnswer;
  /** LOGIN's pending requests. */
  readonly requests: Section<MemberRequest>;
  /** LOGIN's granted tokens. */
  readonly grants: Section<MemberGrant>;
  /** The guide's links that would be approved for LOGIN. */
  readonly links: Section<ApprovableLink>;
  /** Approve rules whose verdict for LOGIN cannot be told (a team that cannot be read). */
  readonly linksUnsure: readonly string[];
}

/** Options of {@link answerMember}. */
export interface MemberOptions {
  /** A client acting for the organization (its App's installation). */
  readonly client: GitHubClient;
  /** The organization's config entry, its effective policy included. */
  readonly org: OrganizationConfig;
  /** Its enterprise's entry, when it has one. */
  readonly enterprise?: EnterpriseConfig;
  /** The member's login. */
  readonly login: string;
  /** The present, in milliseconds. @default Date.now() */
  readonly now?: number;
}

const DAY_MS = 86_400_000;

/** Reads LOGIN's answer. Never throws for GitHub's failures: a part that cannot be read says so. */
export async function answerMember(options: MemberOptions): Promise<MemberAnswer> {
  const { client, org, login } = options;
  const now = options.now ?? Date.now();
  const policy: ApprovalPolicy = { patPolicy: org.patPolicy, approval: org.approval };
  const teams = new TeamMembers(client, org.login);

  const membership = await readMembership(client, org.login, login);
  const policyAnswer = policyOf(org, options.enterprise);
  const sso = await readSso(client, org, login);

  let requests: Section<MemberRequest>;
  let approvable: ApprovableLink[] = [];
  let linksUnsure: string[] = [];
  let links: Section<ApprovableLink>;
  try {
    ({ approvable, unsure: linksUnsure } = await approvableLinks(org, login, policy, teams));
    links = { kind: "read", items: approvable };
  } catch (e) {
    links = unreadable(e, "the teams the rules name");
  }
  try {
    const listed = await collect(listAccessFiltered(client, org.login, "request", { owners: [login] }));
    const decisions = await decidePending({ client, login: org.login, policy, teams, pages: once(listed) });
    requests = {
      kind: "read",
      items: decisions.map((decision) => {
        const raw = listed.find((l) => l.raw.id === decision.requestId)?.raw;
        const nearest = decision.action === "leave" && raw ? nearestRequest(raw, approvable) : undefined;
        return nearest ? { decision, nearest } : { decision };
      }),
    };
  } catch (e) {
    requests = unreadable(e, `${login}'s pending requests`);
  }

  let grants: Section<MemberGrant>;
  try {
    let date: string | undefined;
    const listed = await collect(listAccessFiltered(client, org.login, "grant", { owners: [login] }, (d) => (date = d)));
    const unusedAfterDays = org.approval.revokeUnusedAfterDays;
    const found = await checkGrants({
      client,
      login: org.login,
      policy,
      nonCompliant: org.approval.revokeNonCompliant,
      unusedAfterDays,
      teams,
      pages: once(listed),
      // Ages by GitHub's time, as review counts them; nothing is revoked for non-use without it.
      clock: decisionClock(now, date),
    });
    grants = {
      kind: "read",
      items: listed.map(({ raw }) => {
        const revoke = found.revocations.find((r) => r.tokenId === raw.id);
        const unreadableGrant = found.unreadableGrants.find((g) => g.tokenId === raw.id);
        let fate: GrantFate = { kind: "kept" };
        if (unreadableGrant) fate = { kind: "unreadable", what: unreadableGrant.unreadable };
        else if (revoke)
          fate = {
            kind: "revoke-now",
            decidedBy: revoke.decidedBy,
            reason: revoke.reason,
            when:
              revoke.decidedBy.kind === "builtin" && revoke.decidedBy.outcome === "unused"
                ? "at the next review run or serve sweep"
                : "at the next review run",
          };
        else if (unusedAfterDays !== undefined) {
          const from = raw.token_last_used_at ?? raw.access_granted_at;
          const on = from ? new Date(Date.parse(from) + (unusedAfterDays + 1) * DAY_MS).toISOString() : undefined;
          // A token that expires first is never revoked for non-use.
          const expiresFirst = raw.token_expires_at !== null && on !== undefined && Date.parse(raw.token_expires_at) <= Date.parse(on);
          if (on && !Number.isNaN(Date.parse(on)) && !expiresFirst)
            fate = {
              kind: "revoke-if-unused",
              on,
              reason: `approval.revokeUnusedAfterDays: ${unusedAfterDays}; ${raw.token_last_used_at ? "last used" : "never used since granted"} ${from!.slice(0, 10)}`,
            };
        }
        return {
          tokenId: raw.id,
          tokenName: raw.token_name,
          expiresAt: raw.token_expires_at,
          lastUsedAt: raw.token_last_used_at ?? null,
          fate,
        };
      }),
    };
  } catch (e) {
    grants = unreadable(e, `${login}'s granted tokens`);
  }

  return {
    login,
    org: org.login,
    membership,
    policy: policyAnswer,
    pick: pickAnswer(org, login, membership, policyAnswer),
    sso,
    requests,
    grants,
    links,
    linksUnsure,
  };
}

async function collect(pages: AsyncIterable<ListedAccess[]>): Promise<ListedAccess[]> {
  const all: ListedAccess[] = [];
  for await (const page of pages) all.push(...page);
  return all;
}

async function* once(items: ListedAccess[]): AsyncGenerator<ListedAccess[]> {
  yield items;
}

function unreadable(e: unknown, what: string): { kind: "unreadable"; why: string } {
  if (!isGitHubError(e)) throw e;
  return { kind: "unreadable", why: `cannot read ${what}: ${describeGitHubError(e)}` };
}

/** LOGIN's membership by one call; the outside collaborators are listed only when LOGIN is no member. */
async function readMembership(client: GitHubClient, org: string, login: string): Promise<Membership> {
  try {
    const { data } = await client.request("GET /orgs/{org}/memberships/{username}", { org, username: login });
    if (data.role === "billing_manager") return { kind: "billing-manager" };
    if (data.state === "pending") return { kind: "invitation-pending", role: data.role };
    if (data.state === "active" && (data.role === "admin" || data.role === "member")) return { kind: "member", role: data.role };
    return { kind: "unreadable", why: `GitHub answered a membership it does not document (state ${data.state}, role ${data.role})` };
  } catch (e) {
    if (!isGitHubError(e)) throw e;
    if ((e as { status?: number }).status !== 404)
      return { kind: "unreadable", why: `cannot read ${login}'s membership: ${describeGitHubError(e)}` };
  }
  try {
    const wanted = login.toLowerCase();
    for await (const page of client.paginate.iterator("GET /orgs/{org}/outside_collaborators", { org, per_page: PAGE }))
      if (page.data.some((u) => u?.login?.toLowerCase() === wanted)) return { kind: "outside-collaborator" };
    return { kind: "not-a-member" };
  } catch (e) {
    if (!isGitHubError(e)) throw e;
    return {
      kind: "unreadable",
      why: `${login} is neither a member nor invited, and the outside collaborators cannot be read: ${describeGitHubError(e)}`,
    };
  }
}

function policyOf(org: OrganizationConfig, enterprise?: EnterpriseConfig): PolicyAnswer {
  const bindings = enterprise ? enterpriseBindings(org.patPolicy, enterprise) : {};
  const byEnterprise = enterprise !== undefined && bindings.fineGrainedTokens !== undefined;
  return {
    fineGrainedTokens: org.patPolicy.fineGrainedTokens,
    decidedBy: byEnterprise ? "enterprise" : "organization",
    where: byEnterprise
      ? `${enterpriseSettingsUrl(enterprise!.slug, org.githubUrl)} (Policies → Personal access tokens, by an enterprise owner)`
      : patPolicySettingsUrl(org.login, org.githubUrl),
    requireApproval: org.patPolicy.requireApproval,
    maxLifetimeDays: org.patPolicy.maxLifetimeDays,
  };
}

function pickAnswer(org: OrganizationConfig, login: string, m: Membership, policy: PolicyAnswer): PickAnswer {
  const web = webRoot(org.githubUrl);
  const reasons: PickReason[] = [];
  switch (m.kind) {
    case "not-a-member":
      reasons.push({
        cause: "not-a-member",
        text: `${login} is not a member of ${org.login}, and not invited: only members find it under "Resource owner". An owner invites them.`,
        where: `${web}/orgs/${org.login}/people`,
      });
      break;
    case "billing-manager":
      reasons.push({
        cause: "billing-manager",
        text: `${login} is a billing manager of ${org.login}, not a member: only members find it under "Resource owner".`,
        where: `${web}/orgs/${org.login}/people`,
      });
      break;
    case "outside-collaborator":
      reasons.push({
        cause: "outside-collaborator",
        text: `${login} is an outside collaborator of ${org.login} (on some of its repositories), not a member: only members find it under "Resource owner". An owner can invite them as a member.`,
        where: `${web}/orgs/${org.login}/outside-collaborators`,
      });
      break;
    case "invitation-pending":
      reasons.push({
        cause: "invitation-pending",
        text: `${login} is invited to ${org.login} but has not accepted yet: accept the invitation, then the organization appears.`,
        where: `${web}/orgs/${org.login}/invitation`,
      });
      break;
    case "unreadable":
      reasons.push({ cause: "membership-unreadable", text: `Whether ${login} is a member cannot be told: ${m.why}.` });
      break;
    case "member":
      break;
  }
  if (policy.fineGrainedTokens === "restrict") {
    reasons.push(
      policy.decidedBy === "enterprise"
        ? {
            cause: "enterprise-policy",
            text: `${org.login} cannot be selected because fine-grained personal access tokens are restricted by its enterprise's policy; only an enterprise owner can change it.`,
            where: policy.where,
          }
        : {
            cause: "organization-policy",
            text: `${org.login} cannot be selected because fine-grained personal access tokens are restricted by the organization's policy; an owner changes it.`,
            where: policy.where,
          },
    );
  }
  const no = reasons.some((r) => r.cause !== "membership-unreadable");
  return { answer: no ? "no" : reasons.length ? "cannot-tell" : "yes", reasons };
}

async function readSso(client: GitHubClient, org: OrganizationConfig, login: string): Promise<SsoAnswer> {
  if (!hasTemplateUrls(org.githubUrl))
    return { kind: "cannot-be-checked", why: "GitHub Enterprise Server has no API for SAML SSO credential authorizations" };
  try {
    const authorizations: SsoAuthorization[] = [];
    const pages = client.paginate.iterator({
      method: "GET",
      url: "/orgs/{org}/credential-authorizations",
      org: org.login,
      login,
      per_page: PAGE,
    });
    for await (const page of pages) {
      for (const a of page.data as unknown as Record<string, unknown>[]) {
        if (String(a.login).toLowerCase() !== login.toLowerCase()) continue;
        authorizations.push({
          credentialId: Number(a.credential_id),
          credentialType: String(a.credential_type),
          authorizedAt: String(a.credential_authorized_at),
          ...(a.authorized_credential_expires_at !== undefined ? { expiresAt: a.authorized_credential_expires_at as string | null } : {}),
        });
      }
    }
    return { kind: "enforced", authorizations };
  } catch (e) {
    if (!isGitHubError(e)) throw e;
    const status = (e as { status?: number }).status;
    if (status === 404)
      return {
        kind: "not-enforced",
        text: `${org.login} has no SAML single sign-on (GitHub answers 404 for its credential authorizations): tokens need no SSO authorization`,
      };
    return { kind: "cannot-be-checked", why: `the App cannot read the credential authorizations: ${describeGitHubError(e)}` };
  }
}

/**
 * The guide's approve-rule links whose request, made by LOGIN, the rules approve by that very
 * rule: LOGIN's real team membership included. A rule whose team cannot be read is `unsure`.
 */
async function approvableLinks(
  org: OrganizationConfig,
  login: string,
  policy: ApprovalPolicy,
  teams: TeamMembers,
): Promise<{ approvable: ApprovableLink[]; unsure: string[] }> {
  const approveRules = org.approval.rules.map((r, i) => [r, i] as const).filter(([r]) => r.action === "approve");
  if (approveRules.length === 0) return { approvable: [], unsure: [] };
  const slugs = teamsNamed(policy);
  const members = slugs.length ? await teams.of(slugs) : undefined;
  const approvable: ApprovableLink[] = [];
  const unsure: string[] = [];
  for (const [rule, i] of approveRules) {
    const template = tokenRequestTemplate(org, i);
    if (template.shadowedBy) continue;
    const request = { ...requestFromTemplate(org, i, template), owner: login };
    const e = evaluate(request, policy, exampleRepositories(rule), members);
    if (!("decided" in e)) continue;
    const d = e.decided;
    if (d.action === "approve" && d.decidedBy.kind === "rule" && d.decidedBy.name === rule.name)
      approvable.push({
        rule: rule.name,
        expiresInDays: template.expiresInDays,
        permissions: template.permissions,
        repositorySelection: template.repositorySelection,
        url: template.url,
        byHand: template.byHand,
      });
    else if (d.decidedBy.kind === "builtin" && d.decidedBy.outcome === "team-membership-unreadable") unsure.push(rule.name);
  }
  return { approvable, unsure };
}

/** The approvable link closest to a request: fewest changes, the first rule on a tie. */
export function nearestRequest(raw: RawAccess, links: readonly ApprovableLink[]): NearestRequest | undefined {
  let best: NearestRequest | undefined;
  for (const link of links) {
    const changes = changesTo(raw, link);
    if (!best || changes.length < best.changes.length) best = { rule: link.rule, changes, url: link.url, byHand: link.byHand };
  }
  return best;
}

/** What to change in a request to make it the link's: permissions, repository access, lifetime. */
function changesTo(raw: RawAccess, link: ApprovableLink): string[] {
  const changes: string[] = [];
  const has = raw.permissions ?? {};
  for (const kind of ["repository", "organization", "other"] as const) {
    const mine: Record<string, string> = { ...(has[kind] ?? {}) };
    if (kind === "repository") delete mine.metadata; // always granted read
    const wanted = link.permissions[kind];
    for (const [name, level] of Object.entries(mine)) {
      const theirs = wanted[name];
      if (theirs === undefined) changes.push(`drop ${kind} permission ${name} (${level})`);
      else if (theirs !== level) changes.push(`${kind} permission ${name}: ${theirs} instead of ${level}`);
    }
    for (const [name, level] of Object.entries(wanted))
      if (mine[name] === undefined) changes.push(`add ${kind} permission ${name} (${level})`);
  }
  if (raw.repository_selection !== link.repositorySelection)
    changes.push(`repository access ${link.repositorySelection} instead of ${raw.repository_selection}`);
  const days = raw.created_at ? lifetimeDays({ since: raw.created_at, tokenExpiresAt: raw.token_expires_at }) : null;
  if (days === null || days > link.expiresInDays) changes.push(`expire within ${link.expiresInDays} days`);
  return changes;
}
