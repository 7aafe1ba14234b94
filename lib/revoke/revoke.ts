/**
 * Break-glass revocation: the granted fine-grained tokens of an organization that match every
 * filter given (owner, token id, repository, permission, last use, name), each with why it
 * matched, and their revocation in bulk through the review engine's fault-safe writer
 * (`lib/review/apply`: 100 a call, a lost answer re-read, never sent twice). Where GitHub's
 * description has it (Enterprise Cloud with SAML SSO), the SSO authorizations of classic tokens
 * are revoked by credential type too. GitHub's client is injected; the `revoke` command drives it.
 *
 * The listing is filtered by GitHub where GitHub can (`owner[]`, `token_id[]`); every filter is
 * also checked here, so nothing is revoked on GitHub's word alone. A token whose date cannot be
 * read is never revoked by a date filter: it is listed as unreadable.
 */
import { isIsoTimestamp } from "../approval/evaluate";
import { canonicalTokenPermission, levelAtLeast, PERMISSION_LEVELS, TOKEN_PERMISSION_KINDS, type TokenPermissionKind } from "../catalogue";
import { UsageError } from "../config/errors";
import type { OrganizationConfig } from "../config/schema";
import type { GitHubClient } from "../github/client";
import { describeGitHubError, isGitHubError } from "../github/errors";
import { hasTemplateUrls } from "../model/token-request";
import { applyRevocations, type Outcome, type RevocationItem } from "../review/apply";
import { GONE, listAccessFiltered, repositoryNames, type RawAccess } from "../review/listing";
import { clean } from "../text";

/** One `--permission NAME[:LEVEL]`: the kinds NAME names, and the least level. */
export interface PermissionFilter {
  /** NAME as given. */
  readonly name: string;
  /** The catalogue's name of NAME in each kind it belongs to. */
  readonly kinds: Readonly<Partial<Record<TokenPermissionKind, string>>>;
  /** The least level that matches. @default "read" (any level) */
  readonly level: "read" | "write" | "admin";
}

/** The filters of a revocation; every one given must hold (AND). */
export interface RevokeFilter {
  /** Token owners' logins. */
  readonly owners?: readonly string[];
  /** GitHub's token ids (`token_id`, not the grant's id). */
  readonly tokenIds?: readonly number[];
  /** A repository the token can reach (its name, or OWNER/NAME). */
  readonly repository?: string;
  /** Permissions the token must hold, each at least at its level. */
  readonly permissions?: readonly PermissionFilter[];
  /** Last used before this moment (ISO 8601); a token never used counts from its grant. */
  readonly lastUsedBefore?: string;
  /** Text the token's name contains (case ignored). */
  readonly nameContains?: string;
}

/** The filters as typed on the command line. */
export interface RevokeFilterInput {
  readonly owner?: readonly string[];
  readonly tokenId?: readonly string[];
  readonly repository?: string;
  readonly permission?: readonly string[];
  readonly lastUsedBefore?: string;
  readonly nameContains?: string;
}

const LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;
const REPOSITORY = /^(?:[A-Za-z0-9-]{1,39}\/)?[A-Za-z0-9._-]{1,100}$/;

/**
 * The filters, checked: every problem reported at once in a UsageError naming the option, the
 * value and what is allowed. At least one filter is required: revoking every token takes a
 * filter that says so.
 */
export function parseRevokeFilter(input: RevokeFilterInput): RevokeFilter {
  const problems: string[] = [];
  const show = (v: string) => JSON.stringify(clean(v));
  for (const o of input.owner ?? []) if (!LOGIN.test(o)) problems.push(`--owner ${show(o)}: must be a GitHub login`);
  const tokenIds: number[] = [];
  for (const t of input.tokenId ?? []) {
    if (/^[1-9][0-9]{0,18}$/.test(t) && Number.isSafeInteger(Number(t))) tokenIds.push(Number(t));
    else problems.push(`--token-id ${show(t)}: must be a token id, a whole number above zero`);
  }
  if (input.repository !== undefined && !REPOSITORY.test(input.repository))
    problems.push(`--repository ${show(input.repository)}: must be a repository name, or OWNER/NAME`);
  const permissions: PermissionFilter[] = [];
  for (const p of input.permission ?? []) {
    const [name, level, extra] = p.split(":");
    const kinds: Partial<Record<TokenPermissionKind, string>> = {};
    for (const kind of TOKEN_PERMISSION_KINDS) {
      const canonical = canonicalTokenPermission(kind, name);
      if (canonical !== undefined) kinds[kind] = canonical;
    }
    if (extra !== undefined || !name) problems.push(`--permission ${show(p)}: must be NAME or NAME:LEVEL`);
    else if (Object.keys(kinds).length === 0)
      problems.push(`--permission ${show(p)}: ${show(name)} is no fine-grained token permission in GitHub's catalogue`);
    else if (level !== undefined && !(PERMISSION_LEVELS as readonly string[]).includes(level))
      problems.push(`--permission ${show(p)}: level must be one of ${PERMISSION_LEVELS.join(", ")}`);
    else permissions.push({ name, kinds, level: (level ?? "read") as PermissionFilter["level"] });
  }
  let lastUsedBefore: string | undefined;
  if (input.lastUsedBefore !== undefined) {
    const v = input.lastUsedBefore;
    const iso = /^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T00:00:00Z` : v;
    if (isIsoTimestamp(iso)) lastUsedBefore = new Date(Date.parse(iso)).toISOString();
    else
      problems.push(`--last-used-before ${show(v)}: must be a date (YYYY-MM-DD, UTC midnight) or an ISO 8601 timestamp with a time zone`);
  }
  if (input.nameContains !== undefined && input.nameContains.trim() === "") problems.push(`--name-contains: must not be empty`);
  const filter: RevokeFilter = {
    ...(input.owner?.length ? { owners: [...input.owner] } : {}),
    ...(tokenIds.length ? { tokenIds } : {}),
    ...(input.repository !== undefined ? { repository: input.repository } : {}),
    ...(permissions.length ? { permissions } : {}),
    ...(lastUsedBefore ? { lastUsedBefore } : {}),
    ...(input.nameContains !== undefined ? { nameContains: input.nameContains } : {}),
  };
  if (problems.length === 0 && Object.keys(filter).length === 0)
    problems.push(
      "give at least one filter (--owner, --token-id, --repository, --permission, --last-used-before, --name-contains): revoke never revokes every token unasked",
    );
  if (problems.length) throw new UsageError(`revoke: ${problems.length === 1 ? problems[0] : `\n  ${problems.join("\n  ")}`}`);
  return filter;
}

/** A granted token the filters select. */
export interface RevokeMatch {
  /** The grant's id (`pat_id`), which the revoke call takes. */
  readonly grantId: number;
  /** GitHub's id of the token (`token_id`). */
  readonly githubTokenId?: number;
  /** The owner's login. */
  readonly owner: string;
  /** The token's name. */
  readonly tokenName: string;
  /** When it was last used; null: never. */
  readonly lastUsedAt: string | null;
  /** Why it matched: one line per filter. */
  readonly why: readonly string[];
  /** Set with apply. */
  outcome?: Outcome;
  /** Why the outcome is `unknown`, `failed` or `not-sent`. */
  outcomeReason?: string;
}

/** A token the filters could not be checked against: never revoked. */
export interface UnreadableToken {
  /** The grant's id (`pat_id`). */
  readonly grantId: number;
  /** The owner's login (`?` when GitHub sent none). */
  readonly owner: string;
  /** What could not be read. */
  readonly unreadable: string;
}

/** What a selection found. */
export interface RevokeSelection {
  /** Tokens every filter holds for. */
  readonly matches: RevokeMatch[];
  /** Tokens a filter could not be checked for. */
  readonly unreadable: UnreadableToken[];
  /** Tokens listed and checked. */
  readonly checked: number;
}

/** Options of {@link selectTokens}. */
export interface SelectOptions {
  /** A client acting for the organization. */
  readonly client: GitHubClient;
  /** The organization's login. */
  readonly login: string;
  /** The filters. */
  readonly filter: RevokeFilter;
  /** Gets the count checked after each page. @default none */
  readonly progress?: (checked: number) => void;
}

/**
 * The granted tokens every filter holds for, each with why. Reads the grants GitHub filters by
 * owner and token id, and a token's repositories only when `repository` is given, every other
 * filter holds, and the token reaches a subset of repositories. Throws on a GitHub failure.
 */
export async function selectTokens(options: SelectOptions): Promise<RevokeSelection> {
  const { client, login, filter } = options;
  const selection = { matches: [] as RevokeMatch[], unreadable: [] as UnreadableToken[], checked: 0 };
  for await (const page of listAccessFiltered(client, login, "grant", { owners: filter.owners, tokenIds: filter.tokenIds })) {
    for (const { raw } of page) {
      const checked = await check(client, login, raw, filter);
      if ("unreadable" in checked)
        selection.unreadable.push({ grantId: raw.id, owner: raw.owner?.login ?? "?", unreadable: checked.unreadable });
      else if (checked.why)
        selection.matches.push({
          grantId: raw.id,
          ...(typeof (raw as { token_id?: unknown }).token_id === "number"
            ? { githubTokenId: (raw as { token_id: number }).token_id }
            : {}),
          owner: raw.owner?.login ?? "?",
          tokenName: raw.token_name,
          lastUsedAt: raw.token_last_used_at ?? null,
          why: checked.why,
        });
    }
    selection.checked += page.length;
    options.progress?.(selection.checked);
  }
  return selection;
}

/** Why every filter holds for the grant; `why: undefined` when one does not. */
async function check(
  client: GitHubClient,
  login: string,
  g: RawAccess,
  f: RevokeFilter,
): Promise<{ why?: string[] } | { unreadable: string }> {
  const why: string[] = [];
  const owner = g.owner?.login;
  if (f.owners) {
    if (typeof owner !== "string" || !f.owners.some((o) => o.toLowerCase() === owner.toLowerCase())) return {};
    why.push(`owner ${owner}`);
  }
  if (f.tokenIds) {
    const id = g.token_id;
    if (typeof id !== "number" || !f.tokenIds.includes(id)) return {};
    why.push(`token id ${id}`);
  }
  if (f.nameContains !== undefined) {
    if (typeof g.token_name !== "string" || !g.token_name.toLowerCase().includes(f.nameContains.toLowerCase())) return {};
    why.push(`name contains ${JSON.stringify(f.nameContains)}`);
  }
  for (const p of f.permissions ?? []) {
    const held = (Object.entries(p.kinds) as [TokenPermissionKind, string][])
      .map(([kind, name]) => [kind, name, heldLevel(g, kind, name)] as const)
      .find(([, , level]) => levelAtLeast(level, p.level));
    if (!held) return {};
    why.push(`${held[0]} permission ${held[1]}: ${held[2]} (at least ${p.level})`);
  }
  if (f.lastUsedBefore !== undefined) {
    const before = Date.parse(f.lastUsedBefore);
    const day = f.lastUsedBefore.slice(0, 10);
    if (g.token_last_used_at === null) {
      if (!isIsoTimestamp(g.access_granted_at)) return { unreadable: "access_granted_at (needed by --last-used-before)" };
      if (Date.parse(g.access_granted_at) >= before) return {};
      why.push(`never used, granted ${g.access_granted_at.slice(0, 10)} (before ${day})`);
    } else {
      if (!isIsoTimestamp(g.token_last_used_at)) return { unreadable: "token_last_used_at (needed by --last-used-before)" };
      if (Date.parse(g.token_last_used_at) >= before) return {};
      why.push(`last used ${g.token_last_used_at.slice(0, 10)} (before ${day})`);
    }
  }
  if (f.repository !== undefined) {
    const wanted = f.repository.includes("/") ? f.repository : `${login}/${f.repository}`;
    const [wantedOwner, wantedName] = wanted.toLowerCase().split("/");
    if (wantedOwner !== login.toLowerCase()) return {}; // tokens of this organization reach only its repositories
    if (g.repository_selection === "all") why.push(`reaches every repository of ${login}, ${wantedName} included`);
    else if (g.repository_selection === "subset") {
      const names = await repositoryNames(client, "grant", login, g.id);
      if (names === GONE) return {}; // revoked meanwhile
      if (!names.some((n) => n.toLowerCase() === wantedName)) return {};
      why.push(`reaches ${login}/${wantedName}`);
    } else if (g.repository_selection === "none") return {};
    else return { unreadable: `repository_selection ${JSON.stringify(g.repository_selection)} (needed by --repository)` };
  }
  return { why };
}

function heldLevel(g: RawAccess, kind: TokenPermissionKind, name: string): string | undefined {
  const map = (g.permissions as Record<string, Record<string, string> | undefined> | undefined)?.[kind];
  if (!map || typeof map !== "object") return undefined;
  for (const [n, level] of Object.entries(map)) if (canonicalTokenPermission(kind, n) === name) return level;
  return undefined;
}

/** Options of {@link revokeMatches}. */
export interface RevokeOptions {
  /** A client acting for the organization. */
  readonly client: GitHubClient;
  /** The organization's login. */
  readonly login: string;
  /** The tokens to revoke; each gets its `outcome`. */
  readonly matches: readonly RevokeMatch[];
  /** Gets the count sent after each call. @default none */
  readonly progress?: (sent: number) => void;
}

/**
 * Revokes the matches in bulk, 100 a call, through the review engine's fault-safe writer: a
 * lost answer is re-read and only what is still granted sent again, so each token is revoked
 * once. Sets every match's outcome (what the writer did not reach is `not-sent`); throws the
 * first failure after setting them.
 */
export async function revokeMatches(options: RevokeOptions): Promise<void> {
  const items: (RevocationItem & { match: RevokeMatch })[] = options.matches.map((m) => ({ tokenId: m.grantId, match: m }));
  try {
    await applyRevocations({ client: options.client, login: options.login, revocations: items, progress: options.progress });
  } finally {
    for (const item of items) {
      item.match.outcome = item.outcome ?? "not-sent";
      if (item.outcomeReason) item.match.outcomeReason = item.outcomeReason;
      else if (!item.outcome) item.match.outcomeReason = "the run stopped before sending it";
    }
  }
}

/** What became of the classic tokens' SSO authorizations. */
export type ClassicRevocation =
  | { readonly kind: "cannot"; readonly why: string }
  | {
      readonly kind: "planned" | "revoked";
      /** Whose: every member of the organization, or these owners. */
      readonly scope: "organization" | readonly string[];
      /** GitHub's message per call, with `--apply`. */
      readonly answers: readonly string[];
    };

/** Options of {@link revokeClassic}. */
export interface ClassicOptions {
  /** A client acting for the organization. */
  readonly client: GitHubClient;
  /** The organization's config entry. */
  readonly org: OrganizationConfig;
  /** Only these owners' classic tokens; every member's when absent. */
  readonly owners?: readonly string[];
  /** Make the calls; otherwise only check that they can be made. @default false */
  readonly apply?: boolean;
}

/**
 * Revokes the SAML SSO authorizations of classic tokens (`credential_type: classic_pat`) for the
 * organization, per owner or for every member, where GitHub's Enterprise Cloud description has
 * the endpoints. Elsewhere (GitHub Enterprise Server, an organization without SAML SSO) it says
 * it cannot. GitHub queues the revocation and answers 202. Throws on any other failure.
 */
export async function revokeClassic(options: ClassicOptions): Promise<ClassicRevocation> {
  const { client, org } = options;
  if (!hasTemplateUrls(org.githubUrl))
    return { kind: "cannot", why: "GitHub Enterprise Server has no API to revoke SSO authorizations of classic tokens" };
  const scope = options.owners?.length ? options.owners : "organization";
  try {
    // One read: GitHub answers 404 where the organization has no SAML SSO.
    await client.request({ method: "GET", url: "/orgs/{org}/credential-authorizations", org: org.login, per_page: 1 });
  } catch (e) {
    const status = (e as { status?: number }).status;
    if (status === 404)
      return {
        kind: "cannot",
        why: `${org.login} has no SAML SSO credential authorizations (GitHub Enterprise Cloud with SAML single sign-on only): classic tokens cannot be revoked for it through the API; an owner revokes them at their holders' side`,
      };
    if (status === 403)
      return { kind: "cannot", why: `the App may not read ${org.login}'s credential authorizations: ${describeGitHubError(e)}` };
    throw e;
  }
  if (!options.apply) return { kind: "planned", scope, answers: [] };
  const answers: string[] = [];
  const calls =
    scope === "organization"
      ? [
          () =>
            client.request({
              method: "POST",
              url: "/orgs/{org}/credential-authorizations/revoke-credential-type",
              org: org.login,
              credential_type: "classic_pat",
            }),
        ]
      : scope.map(
          (username) => () =>
            client.request({
              method: "POST",
              url: "/orgs/{org}/credential-authorizations/{username}/revoke-credential-type",
              org: org.login,
              username,
              credential_type: "classic_pat",
            }),
        );
  for (const call of calls) {
    // Revocation by type is idempotent: a repeated call revokes nothing more.
    const { status, data } = await call();
    answers.push(`${status} ${String((data as { message?: unknown })?.message ?? "")}`.trim());
  }
  return { kind: "revoked", scope, answers };
}

/** One write GitHub answered, for the evidence. */
export interface GitHubAnswer {
  /** When the answer came. */
  readonly at: string;
  /** Method and path. */
  readonly request: string;
  /** GitHub's status; 0 when no answer came. */
  readonly status: number;
  /** GitHub's message, when it sent one. */
  readonly message?: string;
}

/**
 * Records every write the client sends (POST, with its status or failure), for the evidence of
 * a revocation. Reads are not recorded.
 */
export function recordWrites(client: GitHubClient): GitHubAnswer[] {
  const answers: GitHubAnswer[] = [];
  // The route as sent: Octokit hands the hook its template (`/orgs/{org}/…`) and the values apart.
  const path = (o: { method?: string; url?: string } & Record<string, unknown>) =>
    `${o.method ?? "?"} ${String(o.url ?? "")
      .replace(/^https?:\/\/[^/]+/, "")
      .replace(/\{(\w+)\}/g, (m, name: string) => (o[name] === undefined ? m : encodeURIComponent(String(o[name]))))}`;
  client.hook.after("request", (response, options) => {
    if (options.method !== "POST") return;
    const message = (response.data as { message?: unknown } | undefined)?.message;
    answers.push({
      at: new Date().toISOString(),
      request: path(options),
      status: response.status,
      ...(typeof message === "string" ? { message } : {}),
    });
  });
  client.hook.error("request", (error, options) => {
    if (options.method === "POST")
      answers.push({
        at: new Date().toISOString(),
        request: path(options),
        status: (error as { status?: number }).status ?? 0,
        message: isGitHubError(error) ? describeGitHubError(error) : (error as Error).message,
      });
    throw error;
  });
  return answers;
}
