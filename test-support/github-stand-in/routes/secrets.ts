/**
 * The stand-in's secrets and variables reads: secret-encryption public keys (organization
 * Actions, Dependabot, environments), organization secrets and Actions variables with their
 * selected repositories. (Writes, for the Terraform provider, are in `../provider-routes.ts`.)
 */
import type { GitHubStandIn, OrgState } from "../server";
import { forbidden, lacks, notFound, repositoryPageOf } from "./kit";

const timestamps = { created_at: "2026-11-01T00:00:00Z", updated_at: "2026-11-01T00:00:00Z" };

/** Adds the public-key, org secret and variable reads to `s`. */
export function addSecretRoutes(s: GitHubStandIn): void {
  // Before the secret reads: `public-key` would match `{secret_name}` too.
  const publicKey = (org: OrgState, target: string, installationId: number | undefined) => {
    const permission = target === "actions" ? "organization_secrets" : target === "dependabot" ? "dependabot_secrets" : "secrets";
    if (lacks(org, installationId, permission, "read")) return forbidden;
    const k = org.publicKeys.get(target);
    return k ? { status: 200, body: { key_id: k.keyId, key: k.key } } : notFound;
  };
  s.route("GET", "/orgs/{org}/actions/secrets/public-key", "installation", ({ org, installationId }) =>
    publicKey(org!, "actions", installationId),
  );
  s.route("GET", "/orgs/{org}/dependabot/secrets/public-key", "installation", ({ org, installationId }) =>
    publicKey(org!, "dependabot", installationId),
  );
  s.route(
    "GET",
    "/repos/{owner}/{repo}/environments/{environment_name}/secrets/public-key",
    "installation",
    ({ org, params, installationId }) => publicKey(org!, `env:${params.repo}/${params.environment_name}`, installationId),
  );

  const secretRoutes = (kind: "actions" | "dependabot", store: (o: OrgState) => OrgState["secrets"]) => {
    s.route("GET", `/orgs/{org}/${kind}/secrets/{secret_name}`, "installation", ({ org, params }) => {
      const sec = store(org!)?.get(params.secret_name);
      if (!sec) return notFound;
      return {
        status: 200,
        body: {
          name: params.secret_name,
          ...timestamps,
          ...(sec.updatedAt ? { updated_at: sec.updatedAt } : {}),
          visibility: sec.visibility,
          ...(sec.visibility === "selected"
            ? { selected_repositories_url: `${s.url}/orgs/${org!.login}/${kind}/secrets/${params.secret_name}/repositories` }
            : {}),
        },
      };
    });
    s.route("GET", `/orgs/{org}/${kind}/secrets/{secret_name}/repositories`, "installation", ({ org, params, query }) => {
      const sec = store(org!)?.get(params.secret_name);
      if (!sec) return notFound;
      return repositoryPageOf(s, org!, sec.repositories, query, `/orgs/${org!.login}/${kind}/secrets/${params.secret_name}/repositories`);
    });
  };
  secretRoutes("actions", (o) => o.secrets);
  secretRoutes("dependabot", (o) => o.dependabotSecrets);

  s.route("GET", "/orgs/{org}/actions/variables/{name}", "installation", ({ org, params }) => {
    const v = org!.variables?.get(params.name);
    if (!v) return notFound;
    return {
      status: 200,
      body: {
        name: params.name,
        value: v.value,
        ...timestamps,
        visibility: v.visibility,
        ...(v.visibility === "selected"
          ? { selected_repositories_url: `${s.url}/orgs/${org!.login}/actions/variables/${params.name}/repositories` }
          : {}),
      },
    };
  });
  s.route("GET", "/orgs/{org}/actions/variables/{name}/repositories", "installation", ({ org, params, query }) => {
    const v = org!.variables?.get(params.name);
    if (!v) return notFound;
    return repositoryPageOf(s, org!, v.repositories, query, `/orgs/${org!.login}/actions/variables/${params.name}/repositories`);
  });
}
