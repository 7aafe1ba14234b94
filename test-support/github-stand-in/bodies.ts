/**
 * The bodies the stand-in answers with, shaped as GitHub's schemas have them (users, Apps,
 * installations, PAT requests and grants, organizations, repositories). `base` is the stand-in's
 * URL, for the `*_url` fields.
 */
import type { AppState, GrantState, OrgState, PatRequestState } from "./server";
import { hash } from "./routes/kit";

/** A user, as GitHub's simple-user schema has it. */
export function simpleUser(login: string, id: number, base: string): Record<string, unknown> {
  const api = `${base}/users/${login}`;
  return {
    login,
    id,
    node_id: `U_${id}`,
    avatar_url: `https://avatars.githubusercontent.com/u/${id}`,
    gravatar_id: "",
    url: api,
    html_url: `https://github.com/${login}`,
    followers_url: `${api}/followers`,
    following_url: `${api}/following{/other_user}`,
    gists_url: `${api}/gists{/gist_id}`,
    starred_url: `${api}/starred{/owner}{/repo}`,
    subscriptions_url: `${api}/subscriptions`,
    organizations_url: `${api}/orgs`,
    repos_url: `${api}/repos`,
    events_url: `${api}/events{/privacy}`,
    received_events_url: `${api}/received_events`,
    type: "User",
    site_admin: false,
  };
}

/** A user as GitHub's simple-user schema has it, with an id derived from the login. */
export function userBody(base: string, login: string): Record<string, unknown> {
  return simpleUser(login, 100_000 + (hash(login) % 900_000), base);
}

/** An App as GitHub's integration schema has it. */
export function integrationBody(base: string, app: AppState, ownerId: number): Record<string, unknown> {
  return {
    id: app.id,
    slug: app.slug,
    node_id: `A_${app.id}`,
    client_id: app.clientId,
    owner: { ...simpleUser(app.ownerLogin, ownerId, base), type: "Organization" },
    name: app.name,
    description: null,
    external_url: `https://github.com/${app.ownerLogin}`,
    html_url: `https://github.com/apps/${app.slug}`,
    created_at: "2026-11-01T00:00:00Z",
    updated_at: "2026-11-01T00:00:00Z",
    permissions: app.permissions,
    events: app.events,
  };
}

/** A pending request as GitHub's organization-programmatic-access-grant-request schema has it. */
export function requestBody(base: string, org: OrgState, r: PatRequestState): Record<string, unknown> {
  return {
    id: r.id,
    reason: r.reason,
    owner: userBody(base, r.owner),
    repository_selection: r.repositorySelection,
    repositories_url: `${base}/organizations/${org.id}/personal-access-token-requests/${r.id}/repositories`,
    permissions: r.permissions,
    created_at: r.createdAt,
    token_id: r.tokenId,
    token_name: r.tokenName,
    token_expired: r.tokenExpiresAt !== null && Date.parse(r.tokenExpiresAt) < Date.now(),
    token_expires_at: r.tokenExpiresAt,
    token_last_used_at: null,
  };
}

/** A granted token as GitHub's organization-programmatic-access-grant schema has it. */
export function grantBody(base: string, org: OrgState, g: GrantState): Record<string, unknown> {
  return {
    id: g.id,
    owner: userBody(base, g.owner),
    repository_selection: g.repositorySelection,
    repositories_url: `${base}/organizations/${org.id}/personal-access-tokens/${g.id}/repositories`,
    permissions: g.permissions,
    access_granted_at: g.accessGrantedAt,
    token_id: g.tokenId,
    token_name: g.tokenName,
    token_expired: g.tokenExpiresAt !== null && Date.parse(g.tokenExpiresAt) < Date.now(),
    token_expires_at: g.tokenExpiresAt,
    token_last_used_at: g.lastUsedAt ?? null,
  };
}

/** The `personal_access_token_request` `created` delivery GitHub sends the App for pending request `r`. */
export function patRequestCreatedDelivery(base: string, org: OrgState, r: PatRequestState): Record<string, unknown> {
  return {
    action: "created",
    personal_access_token_request: {
      id: r.id,
      owner: userBody(base, r.owner),
      permissions_added: r.permissions,
      permissions_upgraded: {},
      permissions_result: r.permissions,
      repository_selection: r.repositorySelection,
      repository_count: r.repositorySelection === "subset" ? r.repositories.length : null,
      repositories:
        r.repositorySelection === "subset"
          ? r.repositories.map((n) => {
              const repo = repositoryBody(base, org, n) as { id: number; node_id: string };
              return { id: repo.id, name: n, full_name: `${org.login}/${n}`, node_id: repo.node_id, private: true };
            })
          : null,
      created_at: r.createdAt,
      token_id: r.tokenId,
      token_name: r.tokenName,
      token_expired: false,
      token_expires_at: r.tokenExpiresAt,
      token_last_used_at: null,
    },
    organization: organizationSimpleBody(base, org),
    sender: userBody(base, r.owner),
    installation: { id: org.installation?.id ?? 0, node_id: `I_${org.installation?.id ?? 0}` },
  };
}

/** An organization as GitHub's organization-simple schema has it. */
export function organizationSimpleBody(base: string, org: OrgState): Record<string, unknown> {
  return {
    login: org.login,
    id: org.id,
    node_id: `O_${org.id}`,
    url: `${base}/orgs/${org.login}`,
    repos_url: `${base}/orgs/${org.login}/repos`,
    events_url: `${base}/orgs/${org.login}/events`,
    hooks_url: `${base}/orgs/${org.login}/hooks`,
    issues_url: `${base}/orgs/${org.login}/issues`,
    members_url: `${base}/orgs/${org.login}/members{/member}`,
    public_members_url: `${base}/orgs/${org.login}/public_members{/member}`,
    avatar_url: "https://avatars.example/o",
    description: null,
  };
}

/** An installation as GitHub's installation schema has it. */
export function installationBody(base: string, org: OrgState, app: AppState, inst = org.installation!): Record<string, unknown> {
  return {
    id: inst.id,
    account: { ...simpleUser(org.login, org.id, base), type: "Organization" },
    repository_selection: inst.repositorySelection,
    access_tokens_url: `${base}/app/installations/${inst.id}/access_tokens`,
    repositories_url: `${base}/installation/repositories`,
    html_url: `https://github.com/organizations/${org.login}/settings/installations/${inst.id}`,
    app_id: app.id,
    client_id: app.clientId,
    target_id: org.id,
    target_type: "Organization",
    permissions: inst.permissions,
    events: inst.events,
    created_at: "2026-01-01T00:00:00Z",
    updated_at: "2026-01-01T00:00:00Z",
    single_file_name: null,
    app_slug: app.slug,
    suspended_by: null,
    suspended_at: null,
  };
}

/** A repository as GitHub's full repository schema has it. */
export function fullRepositoryBody(base: string, org: OrgState, name: string): Record<string, unknown> {
  return {
    ...repositoryBody(base, org, name),
    ...FULL_REPOSITORY_EXTRA,
    clone_url: `https://github.com/${org.login}/${name}.git`,
    git_url: `git://github.com/${org.login}/${name}.git`,
    ssh_url: `git@github.com:${org.login}/${name}.git`,
    svn_url: `https://github.com/${org.login}/${name}`,
  };
}

/** A repository as GitHub's minimal-repository schema has it. */
export function repositoryBody(base: string, org: OrgState, name: string): Record<string, unknown> {
  const id = hash(`${org.login}/${name}`) % 1_000_000_000;
  const api = `${base}/repos/${org.login}/${name}`;
  const owner = { ...simpleUser(org.login, org.id, base), type: "Organization" };
  const urls = Object.fromEntries(
    [
      "archive",
      "assignees",
      "blobs",
      "branches",
      "collaborators",
      "comments",
      "commits",
      "compare",
      "contents",
      "contributors",
      "deployments",
      "downloads",
      "events",
      "forks",
      "git_commits",
      "git_refs",
      "git_tags",
      "hooks",
      "issue_comment",
      "issue_events",
      "issues",
      "keys",
      "labels",
      "languages",
      "merges",
      "milestones",
      "notifications",
      "pulls",
      "releases",
      "stargazers",
      "statuses",
      "subscribers",
      "subscription",
      "tags",
      "teams",
      "trees",
    ].map((k) => [`${k}_url`, `${api}/${k}`]),
  );
  return {
    id,
    node_id: `R_${id}`,
    name,
    full_name: `${org.login}/${name}`,
    owner,
    private: true,
    html_url: `https://github.com/${org.login}/${name}`,
    description: null,
    fork: false,
    url: api,
    ...urls,
  };
}

/** Extra fields of GitHub's full repository schema beyond the minimal one. */
const FULL_REPOSITORY_EXTRA = {
  default_branch: "main",
  forks: 0,
  forks_count: 0,
  has_downloads: true,
  has_issues: true,
  has_projects: false,
  has_wiki: false,
  has_pages: false,
  homepage: null,
  language: null,
  archived: false,
  disabled: false,
  mirror_url: null,
  open_issues: 0,
  open_issues_count: 0,
  license: null,
  pushed_at: "2026-11-01T00:00:00Z",
  size: 1,
  stargazers_count: 0,
  watchers: 0,
  watchers_count: 0,
  created_at: "2026-01-01T00:00:00Z",
  updated_at: "2026-11-01T00:00:00Z",
};
