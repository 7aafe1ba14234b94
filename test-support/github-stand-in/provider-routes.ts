/**
 * The operations the integrations/github Terraform provider (6.12/6.13) calls for the stacks this
 * project synthesizes, added to a {@link GitHubStandIn} for a manual run of the real provider
 * against it (issue 30). Every route is an operation of GitHub's description, so requests and
 * answers stay checked as the stand-in checks the rest.
 *
 * State beyond the stand-in's own: which repositories exist (a name not listed answers 404, as a
 * missing or invisible repository does), their environments, environment secrets and files.
 */
import { createHash } from "node:crypto";
import type { GitHubStandIn, OrgState } from "./server";

/** What the provider routes keep per organization. */
export interface ProviderWorld {
  /** Repository names that exist, per organization login (lower case). */
  readonly repositories: Map<string, Set<string>>;
  /** Environments by `org/repo` (lower case). */
  readonly environments: Map<string, Set<string>>;
  /** Environment secrets by `org/repo/environment/name` (lower case): when last written. */
  readonly environmentSecrets: Map<string, { updatedAt: string; keyId: string }>;
  /** Files by `org/repo/path`: content (UTF-8) and blob sha. */
  readonly files: Map<string, { content: string; sha: string; commit: string; message: string }>;
  /** Every secret write (PUT), in order: which secret, the key id and a digest of the value sent. */
  readonly secretWrites: { operation: string; name: string; keyId?: string; valueDigest?: string; repositories?: number[] }[];
}

const T = "2026-11-01T00:00:00Z";
const now = () => new Date().toISOString().replace(/\.\d+Z$/, "Z");
const sha1 = (s: string) => createHash("sha1").update(s).digest("hex");

/** Adds the provider's operations to `s` and returns the state they keep. */
export function addProviderRoutes(s: GitHubStandIn): ProviderWorld {
  const world: ProviderWorld = {
    repositories: new Map(),
    environments: new Map(),
    environmentSecrets: new Map(),
    files: new Map(),
    secretWrites: [],
  };
  const notFound = { status: 404, body: { message: "Not Found", documentation_url: "https://docs.github.com/rest", status: "404" } };
  const exists = (org: OrgState, repo: string) => world.repositories.get(org.login.toLowerCase())?.has(repo.toLowerCase()) ?? false;
  const repoId = (org: OrgState, repo: string) => (s.repositoryBody(org, repo) as { id: number }).id;
  const nameOfId = (org: OrgState, id: number) =>
    [...(world.repositories.get(org.login.toLowerCase()) ?? [])].find((n) => repoId(org, n) === id);
  s.repositoryNameById = (id) => {
    for (const org of s.orgs.values()) {
      const n = nameOfId(org, id);
      if (n) return `${org.login}/${n}`;
    }
    return undefined;
  };
  const digest = (v: unknown) => (typeof v === "string" ? createHash("sha256").update(v).digest("hex").slice(0, 16) : undefined);

  s.route("GET", "/orgs/{org}", "installation", ({ org }) => ({
    status: 200,
    body: {
      ...s.organizationSimpleBody(org!),
      html_url: `https://github.com/${org!.login}`,
      has_organization_projects: true,
      has_repository_projects: true,
      public_repos: 0,
      public_gists: 0,
      followers: 0,
      following: 0,
      type: "Organization",
      created_at: T,
      updated_at: T,
      archived_at: null,
    },
  }));

  s.route("GET", "/repos/{owner}/{repo}", "installation", ({ org, params }) =>
    exists(org!, params.repo)
      ? {
          status: 200,
          body: { ...s.fullRepositoryBody(org!, params.repo), has_discussions: false, network_count: 0, subscribers_count: 0 },
        }
      : notFound,
  );

  // Organization secrets (Actions and Dependabot): list, write, delete, repository lists.
  for (const kind of ["actions", "dependabot"] as const) {
    const store = (o: OrgState) => (kind === "actions" ? (o.secrets ??= new Map()) : (o.dependabotSecrets ??= new Map()));
    const body = (o: OrgState, name: string, sec: { visibility: string; updatedAt?: string }) => ({
      name,
      created_at: T,
      updated_at: sec.updatedAt ?? T,
      visibility: sec.visibility,
      ...(sec.visibility === "selected"
        ? { selected_repositories_url: `${s.url}/orgs/${o.login}/${kind}/secrets/${name}/repositories` }
        : {}),
    });
    s.route("GET", `/orgs/{org}/${kind}/secrets`, "installation", ({ org }) => {
      const all = [...store(org!).entries()];
      return { status: 200, body: { total_count: all.length, secrets: all.map(([n, sec]) => body(org!, n, sec)) } };
    });
    s.route("PUT", `/orgs/{org}/${kind}/secrets/{secret_name}`, "installation", ({ org, params, body: b }) => {
      const had = store(org!).get(params.secret_name);
      const ids: (number | string)[] = b.selected_repository_ids ?? [];
      const names = ids.map((id) => nameOfId(org!, Number(id))).filter((n): n is string => n !== undefined);
      store(org!).set(params.secret_name, {
        updatedAt: now(),
        visibility: b.visibility,
        repositories: b.selected_repository_ids !== undefined ? names : (had?.repositories ?? []),
      });
      world.secretWrites.push({
        operation: `PUT ${kind} secret`,
        name: params.secret_name,
        keyId: b.key_id,
        valueDigest: digest(b.encrypted_value),
        ...(b.selected_repository_ids !== undefined ? { repositories: ids.map(Number) } : {}),
      });
      return had ? { status: 204 } : { status: 201, body: {} };
    });
    s.route("DELETE", `/orgs/{org}/${kind}/secrets/{secret_name}`, "installation", ({ org, params }) =>
      store(org!).delete(params.secret_name) ? { status: 204 } : notFound,
    );
    s.route("PUT", `/orgs/{org}/${kind}/secrets/{secret_name}/repositories`, "installation", ({ org, params, body: b }) => {
      const sec = store(org!).get(params.secret_name);
      if (!sec) return notFound;
      const ids: (number | string)[] = b.selected_repository_ids;
      sec.repositories = ids.map((id) => nameOfId(org!, Number(id))).filter((n): n is string => n !== undefined);
      world.secretWrites.push({ operation: `PUT ${kind} secret repositories`, name: params.secret_name, repositories: ids.map(Number) });
      return { status: 204 };
    });
  }

  // Organization variables.
  const variables = (o: OrgState) => (o.variables ??= new Map());
  const repoNames = (org: OrgState, ids: unknown) =>
    ((ids as number[] | undefined) ?? []).map((id) => nameOfId(org, Number(id))).filter((n): n is string => n !== undefined);
  s.route("POST", "/orgs/{org}/actions/variables", "installation", ({ org, body: b }) => {
    if (variables(org!).has(b.name))
      return { status: 409, body: { message: "Already exists", documentation_url: "https://docs.github.com/rest" } };
    variables(org!).set(b.name, { value: b.value, visibility: b.visibility, repositories: repoNames(org!, b.selected_repository_ids) });
    return { status: 201, body: {} };
  });
  s.route("PATCH", "/orgs/{org}/actions/variables/{name}", "installation", ({ org, params, body: b }) => {
    const v = variables(org!).get(params.name);
    if (!v) return notFound;
    if (b.value !== undefined) v.value = b.value;
    if (b.visibility !== undefined) v.visibility = b.visibility;
    if (b.selected_repository_ids !== undefined) v.repositories = repoNames(org!, b.selected_repository_ids);
    return { status: 204 };
  });
  s.route("DELETE", "/orgs/{org}/actions/variables/{name}", "installation", ({ org, params }) =>
    variables(org!).delete(params.name) ? { status: 204 } : notFound,
  );

  // Environment secrets (the provider calls them by repository id; the stand-in maps the id form).
  const envKey = (org: OrgState, repo: string, env: string) => `${org.login}/${repo}/${env}`.toLowerCase();
  const envExists = (org: OrgState, repo: string, env: string) =>
    exists(org, repo) && (world.environments.get(`${org.login}/${repo}`.toLowerCase())?.has(env.toLowerCase()) ?? false);
  s.route("GET", "/repos/{owner}/{repo}/environments/{environment_name}/secrets/{secret_name}", "installation", ({ org, params }) => {
    const sec = world.environmentSecrets.get(`${envKey(org!, params.repo, params.environment_name)}/${params.secret_name.toLowerCase()}`);
    return sec ? { status: 200, body: { name: params.secret_name, created_at: T, updated_at: sec.updatedAt } } : notFound;
  });
  s.route(
    "PUT",
    "/repos/{owner}/{repo}/environments/{environment_name}/secrets/{secret_name}",
    "installation",
    ({ org, params, body: b }) => {
      if (!envExists(org!, params.repo, params.environment_name)) return notFound;
      const key = `${envKey(org!, params.repo, params.environment_name)}/${params.secret_name.toLowerCase()}`;
      const had = world.environmentSecrets.has(key);
      world.environmentSecrets.set(key, { updatedAt: now(), keyId: b.key_id });
      world.secretWrites.push({
        operation: "PUT environment secret",
        name: `${params.repo}/${params.environment_name}/${params.secret_name}`,
        keyId: b.key_id,
        valueDigest: digest(b.encrypted_value),
      });
      return had ? { status: 204 } : { status: 201, body: {} };
    },
  );
  s.route("DELETE", "/repos/{owner}/{repo}/environments/{environment_name}/secrets/{secret_name}", "installation", ({ org, params }) =>
    world.environmentSecrets.delete(`${envKey(org!, params.repo, params.environment_name)}/${params.secret_name.toLowerCase()}`)
      ? { status: 204 }
      : notFound,
  );

  // The App installation's repositories, as an owner's classic PAT sees and changes them.
  const installationOf = (id: number) => {
    for (const org of s.orgs.values()) if (org.installation?.id === id) return { org, inst: org.installation };
    return undefined;
  };
  s.route("GET", "/user/installations/{installation_id}/repositories", "user", ({ params, query }) => {
    const found = installationOf(Number(params.installation_id));
    if (!found) return notFound;
    const perPage = Number(query.get("per_page") ?? 30);
    const page = Number(query.get("page") ?? 1);
    const names = found.inst.repositories.slice((page - 1) * perPage, page * perPage);
    return {
      status: 200,
      body: {
        total_count: found.inst.repositories.length,
        repository_selection: found.inst.repositorySelection,
        repositories: names.map((n) => s.fullRepositoryBody(found.org, n)),
      },
    };
  });
  for (const method of ["PUT", "DELETE"] as const)
    s.route(method, "/user/installations/{installation_id}/repositories/{repository_id}", "user", ({ params }) => {
      const found = installationOf(Number(params.installation_id));
      if (!found) return notFound;
      const name = nameOfId(found.org, Number(params.repository_id));
      if (!name) return notFound;
      const list = found.inst.repositories;
      if (method === "PUT") {
        if (!list.includes(name)) list.push(name);
      } else {
        // GitHub answers 422 (no body in the description) when the owner chose all repositories, or for the last one.
        if (found.inst.repositorySelection === "all" || (list.length === 1 && list[0] === name)) return { status: 422 };
        found.inst.repositories = list.filter((n) => n !== name);
      }
      return { status: 204 };
    });

  // Repository contents and the commits that wrote them.
  const fileKey = (org: OrgState, repo: string, path: string) => `${org.login}/${repo}/${path}`;
  const links = (org: OrgState, repo: string, path: string, sha: string) => ({
    self: `${s.url}/repos/${org.login}/${repo}/contents/${path}?ref=main`,
    git: `${s.url}/repos/${org.login}/${repo}/git/blobs/${sha}`,
    html: `https://github.com/${org.login}/${repo}/blob/main/${path}`,
  });
  const contentBody = (org: OrgState, repo: string, path: string, f: { content: string; sha: string }, withContent: boolean) => ({
    type: "file",
    ...(withContent ? { encoding: "base64", content: Buffer.from(f.content).toString("base64") } : {}),
    size: Buffer.byteLength(f.content),
    name: path.split("/").pop(),
    path,
    sha: f.sha,
    url: links(org, repo, path, f.sha).self,
    git_url: links(org, repo, path, f.sha).git,
    html_url: links(org, repo, path, f.sha).html,
    download_url: `https://raw.example/${org.login}/${repo}/main/${path}`,
    _links: links(org, repo, path, f.sha),
  });
  const person = { name: "stand-in", email: "stand-in@example.invalid", date: T };
  const commitBody = (org: OrgState, repo: string, sha: string, message: string) => ({
    sha,
    node_id: `C_${sha.slice(0, 10)}`,
    url: `${s.url}/repos/${org.login}/${repo}/git/commits/${sha}`,
    html_url: `https://github.com/${org.login}/${repo}/commit/${sha}`,
    author: person,
    committer: person,
    message,
    tree: { sha: sha1(`tree ${sha}`), url: `${s.url}/repos/${org.login}/${repo}/git/trees/${sha1(`tree ${sha}`)}` },
    parents: [],
    verification: { verified: false, reason: "unsigned", signature: null, payload: null, verified_at: null },
  });
  s.route("GET", "/repos/{owner}/{repo}/contents/{path}", "installation", ({ org, params }) => {
    if (!exists(org!, params.repo)) return notFound;
    const f = world.files.get(fileKey(org!, params.repo, params.path));
    return f ? { status: 200, body: contentBody(org!, params.repo, params.path, f, true) } : notFound;
  });
  s.route("PUT", "/repos/{owner}/{repo}/contents/{path}", "installation", ({ org, params, body: b }) => {
    if (!exists(org!, params.repo)) return notFound;
    const key = fileKey(org!, params.repo, params.path);
    const had = world.files.get(key);
    if (had && b.sha !== had.sha)
      return {
        status: 409,
        body: { message: `${params.path} does not match ${b.sha ?? "(no sha)"}`, documentation_url: "https://docs.github.com/rest" },
      };
    const content = Buffer.from(b.content, "base64").toString("utf8");
    const f = { content, sha: sha1(`blob ${content}`), commit: sha1(`commit ${key} ${content} ${Date.now()}`), message: b.message };
    world.files.set(key, f);
    return {
      status: had ? 200 : 201,
      body: {
        content: contentBody(org!, params.repo, params.path, f, false),
        commit: commitBody(org!, params.repo, f.commit, b.message),
      },
    };
  });
  s.route("DELETE", "/repos/{owner}/{repo}/contents/{path}", "installation", ({ org, params, body: b }) => {
    const key = fileKey(org!, params.repo, params.path);
    const had = world.files.get(key);
    if (!had) return notFound;
    if (b.sha !== had.sha)
      return { status: 409, body: { message: "sha does not match", documentation_url: "https://docs.github.com/rest" } };
    world.files.delete(key);
    return { status: 200, body: { content: null, commit: commitBody(org!, params.repo, sha1(`delete ${key}`), b.message) } };
  });
  const fullCommit = (org: OrgState, repo: string, sha: string, message: string) => {
    const c = commitBody(org, repo, sha, message);
    return {
      url: c.url,
      sha,
      node_id: c.node_id,
      html_url: c.html_url,
      comments_url: `${c.url}/comments`,
      commit: {
        url: c.url,
        author: person,
        committer: person,
        message: c.message,
        comment_count: 0,
        tree: c.tree,
        verification: c.verification,
      },
      author: null,
      committer: null,
      parents: [],
    };
  };
  s.route("GET", "/repos/{owner}/{repo}/commits/{ref}", "installation", ({ org, params }) => {
    if (!exists(org!, params.repo)) return notFound;
    const known = [...world.files.entries()].find(([k, f]) => k.startsWith(`${org!.login}/${params.repo}/`) && f.commit === params.ref);
    return known ? { status: 200, body: fullCommit(org!, params.repo, params.ref, known[1].message) } : notFound;
  });
  s.route("GET", "/repos/{owner}/{repo}/commits", "installation", ({ org, params, query }) => {
    if (!exists(org!, params.repo)) return notFound;
    const path = query.get("path");
    const f = path ? world.files.get(fileKey(org!, params.repo, path)) : undefined;
    return { status: 200, body: f ? [fullCommit(org!, params.repo, f.commit, f.message)] : [] };
  });

  return world;
}

/** Declares repositories (and their environments) that exist in `org`. */
export function addRepositories(world: ProviderWorld, org: string, repos: Record<string, string[]>): void {
  const set = world.repositories.get(org.toLowerCase()) ?? new Set<string>();
  world.repositories.set(org.toLowerCase(), set);
  for (const [name, envs] of Object.entries(repos)) {
    set.add(name.toLowerCase());
    const e = world.environments.get(`${org}/${name}`.toLowerCase()) ?? new Set<string>();
    for (const env of envs) e.add(env.toLowerCase());
    world.environments.set(`${org}/${name}`.toLowerCase(), e);
  }
}
