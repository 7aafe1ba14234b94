/**
 * Reading an organization's pending token requests and granted tokens as the decision logic
 * reads them, with GitHub's client injected. Shared by `review` and `report --live`.
 */
import type { TokenAccess } from "../approval/evaluate";
import type { GitHubClient } from "../github/client";

/** GitHub's page size for these listings, and its bulk limit for reviews and revocations. */
export const PAGE = 100;

/** A request or grant as GitHub lists it (the fields the logic reads). */
export interface RawAccess {
  id: number;
  owner: { login: string };
  token_name: string;
  repository_selection: "none" | "all" | "subset";
  permissions: TokenAccess["permissions"];
  token_expires_at: string | null;
  created_at?: string;
  access_granted_at?: string;
  /** Granted tokens only: when last used; null when never. */
  token_last_used_at?: string | null;
  /** GitHub's id of the token itself (the `token_id[]` filter), not of the request or grant. */
  token_id?: number;
}

/** One listed item: GitHub's fields, and the same as the logic reads them. */
export interface ListedAccess {
  readonly raw: RawAccess;
  readonly access: TokenAccess;
}

/**
 * The request or grant as the decision logic reads it. Nothing is defaulted: a missing field
 * stays missing, and the logic leaves what it cannot read to an owner.
 */
export function toAccess(r: RawAccess, since: string | undefined): TokenAccess {
  return {
    id: r.id,
    owner: r.owner?.login,
    tokenName: r.token_name,
    repositorySelection: r.repository_selection,
    permissions: r.permissions,
    since: since as string,
    tokenExpiresAt: r.token_expires_at,
  };
}

/**
 * Pending requests (`request`) or granted tokens (`grant`), a page at a time. `onAnswer` gets the
 * `Date` header of each page's answer before the page is handed out (GitHub's time, for age
 * decisions).
 */
export async function* listAccess(
  client: GitHubClient,
  login: string,
  kind: "request" | "grant",
  onAnswer?: (date: string | undefined) => void,
): AsyncGenerator<ListedAccess[]> {
  const pages =
    kind === "request"
      ? client.paginate.iterator("GET /orgs/{org}/personal-access-token-requests", { org: login, per_page: PAGE })
      : client.paginate.iterator("GET /orgs/{org}/personal-access-tokens", { org: login, per_page: PAGE });
  for await (const page of pages) {
    onAnswer?.(page.headers.date);
    yield (page.data as unknown as RawAccess[]).map((raw) => ({
      raw,
      access: toAccess(raw, kind === "request" ? raw.created_at : raw.access_granted_at),
    }));
  }
}

/** Returned by {@link repositoryNames} when the request or grant is gone (404). */
export const GONE = Symbol("gone");

/** The repository names of a request or grant, every page; {@link GONE} when it no longer exists. */
export async function repositoryNames(
  client: GitHubClient,
  kind: "request" | "grant",
  login: string,
  id: number,
): Promise<string[] | typeof GONE> {
  const names: string[] = [];
  const iterator =
    kind === "request"
      ? client.paginate.iterator("GET /orgs/{org}/personal-access-token-requests/{pat_request_id}/repositories", {
          org: login,
          pat_request_id: id,
          per_page: PAGE,
        })
      : client.paginate.iterator("GET /orgs/{org}/personal-access-tokens/{pat_id}/repositories", {
          org: login,
          pat_id: id,
          per_page: PAGE,
        });
  try {
    for await (const page of iterator) for (const repo of page.data) names.push(repo.name);
  } catch (e) {
    if ((e as { status?: number }).status === 404) return GONE;
    throw e;
  }
  return names;
}

/** GitHub's cap on the `token_id[]` filter of the request and grant listings. */
export const TOKEN_ID_FILTER_MAX = 50;

/**
 * The pending requests of these tokens, as GitHub records them now: one listing per 50 token
 * ids, filtered with `token_id[]=a&token_id[]=b` as GitHub documents it (Octokit would join an
 * array with commas, so the query is built here). A token with no pending request is simply
 * absent.
 */
export async function* pendingRequestsOfTokens(
  client: GitHubClient,
  login: string,
  tokenIds: readonly number[],
): AsyncGenerator<ListedAccess[]> {
  const unique = [...new Set(tokenIds)].filter((id) => Number.isSafeInteger(id) && id > 0);
  for (let i = 0; i < unique.length; i += TOKEN_ID_FILTER_MAX) {
    const query = unique
      .slice(i, i + TOKEN_ID_FILTER_MAX)
      .map((id) => `token_id[]=${id}`)
      .join("&");
    const route = `GET /orgs/{org}/personal-access-token-requests?${query}` as "GET /orgs/{org}/personal-access-token-requests";
    for await (const page of client.paginate.iterator(route, { org: login, per_page: PAGE })) {
      yield (page.data as unknown as RawAccess[]).map((raw) => ({ raw, access: toAccess(raw, raw.created_at) }));
    }
  }
}

/** GitHub's cap on the `owner[]` filter of the request and grant listings. */
export const OWNER_FILTER_MAX = 10;

/** What GitHub filters the request and grant listings by itself (each list ANDed with the other). */
export interface AccessFilter {
  /** Only these owners' requests or grants (`owner[]`, 10 a listing). @default every owner */
  readonly owners?: readonly string[];
  /** Only these tokens (`token_id[]`, 50 a listing; the token's id, not the grant's). @default every token */
  readonly tokenIds?: readonly number[];
}

/**
 * Pending requests (`request`) or granted tokens (`grant`) filtered by GitHub: one listing per
 * 10 owners and 50 token ids, the query built as GitHub documents it (`owner[]=a&owner[]=b`;
 * Octokit would join an array with commas). With no filter, the whole listing. `onAnswer` gets the
 * `Date` header of each page's answer, as {@link listAccess} does.
 */
export async function* listAccessFiltered(
  client: GitHubClient,
  login: string,
  kind: "request" | "grant",
  filter: AccessFilter,
  onAnswer?: (date: string | undefined) => void,
): AsyncGenerator<ListedAccess[]> {
  const chunks = <T>(all: readonly T[] | undefined, size: number): (T[] | undefined)[] => {
    if (!all?.length) return [undefined];
    const out: T[][] = [];
    for (let i = 0; i < all.length; i += size) out.push(all.slice(i, i + size));
    return out;
  };
  const owners = filter.owners && [...new Set(filter.owners.map((o) => o.toLowerCase()))];
  const tokenIds = filter.tokenIds && [...new Set(filter.tokenIds)];
  const path = kind === "request" ? "/orgs/{org}/personal-access-token-requests" : "/orgs/{org}/personal-access-tokens";
  for (const o of chunks(owners, OWNER_FILTER_MAX)) {
    for (const t of chunks(tokenIds, TOKEN_ID_FILTER_MAX)) {
      const query = [
        ...(o ?? []).map((v) => `owner[]=${encodeURIComponent(v)}`),
        ...(t ?? []).map((v) => `token_id[]=${encodeURIComponent(String(v))}`),
      ].join("&");
      const route = `GET ${path}${query ? `?${query}` : ""}` as "GET /orgs/{org}/personal-access-tokens";
      for await (const page of client.paginate.iterator(route, { org: login, per_page: PAGE })) {
        onAnswer?.(page.headers.date);
        yield (page.data as unknown as RawAccess[]).map((raw) => ({
          raw,
          access: toAccess(raw, kind === "request" ? raw.created_at : raw.access_granted_at),
        }));
      }
    }
  }
}
