/**
 * The stand-in's fine-grained PAT operations: pending requests (list, their repositories,
 * review one or many) and granted tokens (list, their repositories, revoke).
 */
import type { GitHubStandIn, OrgState } from "../server";
import { grantBody, repositoryBody, requestBody } from "../bodies";
import { forbidden, lacks, notFound, pageOf, validationFailed, type Answer } from "./kit";

/** Adds the PAT request and granted-token operations to `s`. */
export function addPatRoutes(s: GitHubStandIn): void {
  s.route("GET", "/orgs/{org}/personal-access-token-requests", "installation", ({ org, query }) => {
    // The token_id filter as GitHub documents it: token_id[]=a&token_id[]=b (up to 50, which
    // the description's maxItems checks). A comma-joined or bracketless form is not documented.
    if (query.has("token_id") || query.getAll("token_id[]").some((v) => !/^\d+$/.test(v))) {
      return validationFailed([
        {
          resource: "PersonalAccessTokenRequest",
          code: "invalid",
          field: "token_id",
          message: "token_id must be given as token_id[]=ID, once per token",
        },
      ]);
    }
    const refused = arrayFilterRefusal(query, "PersonalAccessTokenRequest");
    if (refused) return refused;
    const all = filtered([...org!.requests.values()], query).sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id - b.id);
    return pageOf(s, all, query, `/orgs/${org!.login}/personal-access-token-requests`, (r) => requestBody(s.url, org!, r));
  });

  s.route("GET", "/orgs/{org}/personal-access-token-requests/{pat_request_id}/repositories", "installation", ({ org, params, query }) => {
    const r = org!.requests.get(Number(params.pat_request_id));
    if (!r) return notFound;
    return pageOf(s, r.repositories, query, `/orgs/${org!.login}/personal-access-token-requests/${r.id}/repositories`, (name) =>
      repositoryBody(s.url, org!, name),
    );
  });

  const review = (org: OrgState, ids: number[], action: string, reason: string | null): Answer | undefined => {
    // What GitHub does with an already-reviewed request is not documented: refuse the batch,
    // which is the strictest reading, so the client must cope with it.
    if (ids.some((id) => !org.requests.has(id))) {
      return validationFailed([
        { resource: "PersonalAccessTokenRequest", code: "invalid", message: "One or more requests are no longer pending" },
      ]);
    }
    for (const id of ids) {
      const r = org.requests.get(id)!;
      org.requests.delete(id);
      if (action === "approve") {
        const grantId = s.id();
        org.grants.set(grantId, { ...r, id: grantId, accessGrantedAt: new Date().toISOString() });
      }
    }
    org.reviews.push({ ids, action, reason });
    return undefined;
  };

  s.route("POST", "/orgs/{org}/personal-access-token-requests", "installation", ({ org, body }) => {
    return review(org!, body.pat_request_ids, body.action, body.reason ?? null) ?? { status: 202, body: {} };
  });

  s.route("POST", "/orgs/{org}/personal-access-token-requests/{pat_request_id}", "installation", ({ org, params, body }) => {
    const id = Number(params.pat_request_id);
    if (!org!.requests.has(id)) return notFound;
    return review(org!, [id], body.action, body.reason ?? null) ?? { status: 204 };
  });

  s.route("GET", "/orgs/{org}/personal-access-tokens", "installation", ({ org, query, installationId }) => {
    if (lacks(org!, installationId, "organization_personal_access_tokens", "read")) return forbidden;
    const refused = arrayFilterRefusal(query, "PersonalAccessToken");
    if (refused) return refused;
    const all = filtered([...org!.grants.values()], query).sort(
      (a, b) => a.accessGrantedAt.localeCompare(b.accessGrantedAt) || a.id - b.id,
    );
    return pageOf(s, all, query, `/orgs/${org!.login}/personal-access-tokens`, (g) => grantBody(s.url, org!, g));
  });

  s.route("GET", "/orgs/{org}/personal-access-tokens/{pat_id}/repositories", "installation", ({ org, params, query }) => {
    const g = org!.grants.get(Number(params.pat_id));
    if (!g) return notFound;
    return pageOf(s, g.repositories, query, `/orgs/${org!.login}/personal-access-tokens/${g.id}/repositories`, (name) =>
      repositoryBody(s.url, org!, name),
    );
  });

  s.route("POST", "/orgs/{org}/personal-access-tokens", "installation", ({ org, body }) => {
    const ids: number[] = body.pat_ids;
    if (ids.some((id) => !org!.grants.has(id))) {
      return validationFailed([{ resource: "PersonalAccessToken", code: "invalid", message: "One or more tokens are not granted" }]);
    }
    for (const id of ids) org!.grants.delete(id);
    org!.revocations.push(ids);
    return { status: 202, body: {} };
  });
}

/** The items the `token_id[]` and `owner[]` filters of a token listing keep. */
function filtered<T extends { tokenId: number; owner: string }>(items: T[], query: URLSearchParams): T[] {
  const tokenIds = new Set(query.getAll("token_id[]").map(Number));
  const owners = new Set(query.getAll("owner[]").map((o) => o.toLowerCase()));
  return items
    .filter((r) => tokenIds.size === 0 || tokenIds.has(r.tokenId))
    .filter((r) => owners.size === 0 || owners.has(r.owner.toLowerCase()));
}

/**
 * GitHub's 422 for an array filter of the token listings (`owner`, `token_id`) given in a form it
 * does not document: a bare name (Octokit joins arrays with commas) or a token id that is not a
 * number. GitHub documents `owner[]=a&owner[]=b`.
 */
function arrayFilterRefusal(query: URLSearchParams, resource: string): Answer | undefined {
  const bad = query.has("owner")
    ? "owner"
    : query.has("token_id") || query.getAll("token_id[]").some((v) => !/^\d+$/.test(v))
      ? "token_id"
      : undefined;
  if (!bad) return undefined;
  return validationFailed([{ resource, code: "invalid", field: bad, message: `${bad} must be given as ${bad}[]=VALUE, once per value` }]);
}
