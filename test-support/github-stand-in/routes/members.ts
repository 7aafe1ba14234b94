/**
 * The stand-in's members and credentials: team members, memberships and invitations, outside
 * collaborators, and (Enterprise Cloud) the audit log, SAML SSO credential authorizations and
 * their revocation by credential type.
 */
import type { GitHubStandIn, OrgState } from "../server";
import { organizationSimpleBody, userBody } from "../bodies";
import { forbidden, installationOf, lacks, notFound, pageOf } from "./kit";

/** Adds the member and credential operations to `s`. */
export function addMemberRoutes(s: GitHubStandIn): void {
  s.route("GET", "/orgs/{org}/teams/{team_slug}/members", "installation", ({ org, params, query, installationId }) => {
    // As GitHub: an installation without the members permission is refused; an unknown team is 404.
    if (!installationOf(org, installationId)?.permissions.members)
      return {
        status: 403,
        body: { message: "Resource not accessible by integration", documentation_url: "https://docs.github.com/rest" },
      };
    const members = org!.teams?.get(params.team_slug.toLowerCase());
    if (!members) return notFound;
    return pageOf(s, members, query, `/orgs/${org!.login}/teams/${params.team_slug}/members`, (login) => userBody(s.url, login));
  });

  if (s.spec === "ghec") addEnterpriseCloudRoutes(s);

  // Membership, as GitHub answers an App with `members: read`: 404 for anyone who is neither a
  // member nor invited (an outside collaborator included).
  s.route("GET", "/orgs/{org}/memberships/{username}", "installation", ({ org, params, installationId }) => {
    if (lacks(org!, installationId, "members", "read")) return forbidden;
    const m = org!.members?.get(params.username.toLowerCase());
    if (!m) return notFound;
    return {
      status: 200,
      body: {
        url: `${s.url}/orgs/${org!.login}/memberships/${m.login}`,
        state: m.state,
        role: m.role,
        organization_url: `${s.url}/orgs/${org!.login}`,
        organization: organizationSimpleBody(s.url, org!),
        user: userBody(s.url, m.login),
      },
    };
  });
  s.route("GET", "/orgs/{org}/outside_collaborators", "installation", ({ org, query, installationId }) => {
    if (lacks(org!, installationId, "members", "read")) return forbidden;
    return pageOf(s, org!.outsideCollaborators ?? [], query, `/orgs/${org!.login}/outside_collaborators`, (login) =>
      userBody(s.url, login),
    );
  });
}

/**
 * Enterprise Cloud only. An organization without it (`auditLog` absent) gets 404, as GitHub
 * answers (not documented; reported by users); one without SAML SSO (`credentialAuthorizations`
 * absent) too.
 */
function addEnterpriseCloudRoutes(s: GitHubStandIn): void {
  // Pages by cursor in the Link header.
  s.route("GET", "/orgs/{org}/audit-log", "installation", ({ org, query, installationId }) => {
    if (lacks(org!, installationId, "organization_administration", "read")) return forbidden;
    if (!org!.auditLog) return notFound;
    const terms = (query.get("phrase") ?? "")
      .split(/\s+/)
      .filter((t) => t.startsWith("action:"))
      .map((t) => t.slice("action:".length));
    const order = query.get("order") ?? "desc";
    const events = org!.auditLog
      .filter((e) => terms.length === 0 || terms.some((t) => e.action === t || e.action.startsWith(`${t}.`)))
      .sort((a, b) => (order === "asc" ? a["@timestamp"] - b["@timestamp"] : b["@timestamp"] - a["@timestamp"]));
    const perPage = Number(query.get("per_page") ?? 30);
    const start = query.get("after") ? Number(Buffer.from(query.get("after")!, "base64url").toString()) : 0;
    const page = events.slice(start, start + perPage);
    const headers: Record<string, string> = {};
    if (start + perPage < events.length) {
      const q = new URLSearchParams(query);
      q.set("after", Buffer.from(String(start + perPage)).toString("base64url"));
      headers.link = `<${s.url}/orgs/${org!.login}/audit-log?${q.toString()}>; rel="next"`;
    }
    return { status: 200, body: page, headers };
  });
  s.route("GET", "/orgs/{org}/credential-authorizations", "installation", ({ org, query, installationId }) => {
    if (lacks(org!, installationId, "organization_administration", "read")) return forbidden;
    if (!org!.credentialAuthorizations) return notFound;
    const login = query.get("login")?.toLowerCase();
    const all = org!.credentialAuthorizations.filter((a) => login === undefined || String(a.login).toLowerCase() === login);
    return pageOf(s, all, query, `/orgs/${org!.login}/credential-authorizations`, (a) => a);
  });
  // SSO revocation by credential type (2026): queued, answered 202.
  const revokeType = (org: OrgState, installationId: number | undefined, credentialType: string, username?: string) => {
    if (lacks(org, installationId, "organization_administration", "write")) return forbidden;
    if (!org.credentialAuthorizations) return notFound;
    (org.credentialTypeRevocations ??= []).push({ credentialType, ...(username ? { username } : {}) });
    return { status: 202, body: { message: "Credential type revocation has been queued" } };
  };
  s.route("POST", "/orgs/{org}/credential-authorizations/revoke-credential-type", "installation", ({ org, body, installationId }) =>
    revokeType(org!, installationId, body.credential_type),
  );
  s.route(
    "POST",
    "/orgs/{org}/credential-authorizations/{username}/revoke-credential-type",
    "installation",
    ({ org, body, params, installationId }) => revokeType(org!, installationId, body.credential_type, params.username),
  );
}
