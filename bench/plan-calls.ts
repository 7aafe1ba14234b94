/**
 * `npm run bench:plan-calls`: the GitHub API calls of `terraform plan` per organization stack of
 * the example config, derived from what the stack synthesizes and from what the github provider
 * (v6.13.0, the newest in range) does for each: its configuration, each data source's Read (at
 * every plan) and each resource's Read (at a refreshed plan, when the resource is in state). No
 * provider runs here; the call list is read off the provider's source, cited per entry below.
 *
 * Two plans per stack: the first (empty state: the provider configurations and the data sources)
 * and a refreshed one (everything in state: those plus every resource's Read). Paginated calls
 * (100 a page, the provider's `maxPerPage`) count one page each unless the bench's assumptions
 * say more: `--org-secrets N` Actions secrets in the organization (10), `--accessible-repositories N`
 * repositories the deploy token's user sees through the installation (30). Calls that depend on
 * what GitHub holds (a repository's Pages site and license, read by `data.github_repository`, as
 * the stacks looked repositories up before, only when the repository has them) are counted in a
 * column of their own.
 *
 * `-- --tiny` (CI): the first organization only. A github type the model does not know fails the
 * bench, so it cannot fall behind the stacks.
 */
import { join } from "node:path";
import { App, Testing } from "cdktf";
import { loadConfig } from "../lib/config/load";
import { enterpriseOf } from "../lib/config/effective-policy";
import { OrganizationStack } from "../lib/constructs/organization-stack";
import { OrgTokenPolicy } from "../lib/constructs/org-token-policy";
import { tiny } from "./mode";

const flag = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const ORG_SECRETS = flag("org-secrets", 10);
const ACCESSIBLE_REPOSITORIES = flag("accessible-repositories", 30);
const pages = (n: number) => Math.max(1, Math.ceil(n / 100));

/** One call the provider makes, and how many times. */
interface Call {
  readonly endpoint: string;
  readonly count: number;
}

/** A synthesized block: its type, name and arguments. */
interface Block {
  readonly type: string;
  readonly name: string;
  readonly body: any;
}

/** What reading one block costs (provider v6.13.0, github/<file>). */
const DATA_SOURCE_READS: Record<string, (b: Block) => Call[]> = {
  // data_source_github_repository.go: Repositories.Get; GetPagesInfo only when has_pages, License only when it has one.
  github_repository: () => [{ endpoint: "GET /repos/{owner}/{repo}", count: 1 }],
  // data_source_github_rest_api.go: one GET of the endpoint; a 404 is an answer (code 404), not an error.
  github_rest_api: (b) => [
    { endpoint: `GET /${String(b.body.endpoint).replace(/^repos\/[^/]+\/[^/]+$/, "repos/{owner}/{repo}")}`, count: 1 },
  ],
  // data_source_github_actions_organization_secrets.go: ListOrgSecrets, PerPage 100, every page.
  github_actions_organization_secrets: () => [{ endpoint: "GET /orgs/{org}/actions/secrets", count: pages(ORG_SECRETS) }],
  // data_source_github_actions_organization_oidc_subject_claim_customization_template.go: one object.
  github_actions_organization_oidc_subject_claim_customization_template: () => [
    { endpoint: "GET /orgs/{org}/actions/oidc/customization/sub", count: 1 },
  ],
};

/** What a resource's Read costs at a refreshed plan (provider v6.13.0, github/<file>). */
const RESOURCE_READS: Record<string, (b: Block) => Call[]> = {
  // resource_github_actions_organization_secret.go: GetOrgSecret; ListSelectedReposForOrgSecret only with selected_repository_ids set.
  github_actions_organization_secret: (b) => [
    { endpoint: "GET /orgs/{org}/actions/secrets/{name}", count: 1 },
    ...(b.body.selected_repository_ids ? [{ endpoint: "GET /orgs/{org}/actions/secrets/{name}/repositories", count: 1 }] : []),
  ],
  // resource_github_actions_organization_secret_repositories.go: ListSelectedReposForOrgSecret, every page.
  github_actions_organization_secret_repositories: (b) => [
    { endpoint: "GET /orgs/{org}/actions/secrets/{name}/repositories", count: pages(listLength(b.body.selected_repository_ids)) },
  ],
  // resource_github_dependabot_organization_secret.go: as the Actions secret.
  github_dependabot_organization_secret: (b) => [
    { endpoint: "GET /orgs/{org}/dependabot/secrets/{name}", count: 1 },
    ...(b.body.selected_repository_ids ? [{ endpoint: "GET /orgs/{org}/dependabot/secrets/{name}/repositories", count: 1 }] : []),
  ],
  // resource_github_dependabot_organization_secret_repositories.go: every page.
  github_dependabot_organization_secret_repositories: (b) => [
    { endpoint: "GET /orgs/{org}/dependabot/secrets/{name}/repositories", count: pages(listLength(b.body.selected_repository_ids)) },
  ],
  // resource_github_actions_organization_variable.go: GetOrgVariable; ListSelectedReposForOrgVariable when selected with ids.
  github_actions_organization_variable: (b) => [
    { endpoint: "GET /orgs/{org}/actions/variables/{name}", count: 1 },
    ...(b.body.visibility === "selected" && b.body.selected_repository_ids
      ? [{ endpoint: "GET /orgs/{org}/actions/variables/{name}/repositories", count: pages(listLength(b.body.selected_repository_ids)) }]
      : []),
  ],
  // resource_github_actions_environment_secret.go: GetEnvSecret by the repository id in state.
  github_actions_environment_secret: () => [{ endpoint: "GET /repositories/{id}/environments/{env}/secrets/{name}", count: 1 }],
  // resource_github_app_installation_repositories.go getAllAccessibleRepos: Apps.ListUserRepos, every page.
  github_app_installation_repositories: () => [
    { endpoint: "GET /user/installations/{id}/repositories", count: pages(ACCESSIBLE_REPOSITORIES) },
  ],
  // resource_github_repository_file.go: GetContents, then GetCommit of the commit_sha in state.
  github_repository_file: () => [
    { endpoint: "GET /repos/{owner}/{repo}/contents/{path}", count: 1 },
    { endpoint: "GET /repos/{owner}/{repo}/commits/{sha}", count: 1 },
  ],
};

/** A list argument's length; a reference to a list (unknown here) counts as one page. */
function listLength(v: unknown): number {
  return Array.isArray(v) ? v.length : 1;
}

/** Every block of a kind (`data` or `resource`) with a github type. */
function blocks(tf: any, kind: "data" | "resource"): Block[] {
  return Object.entries((tf[kind] ?? {}) as Record<string, Record<string, any>>)
    .filter(([type]) => type.startsWith("github_"))
    .flatMap(([type, byName]) => Object.entries(byName).map(([name, body]) => ({ type, name, body })));
}

/** The calls of one plan of a synthesized stack. */
export function planCalls(tf: any, refreshed: boolean): Call[] {
  const calls: Call[] = [];
  // provider.go configureProviderMeta: Organizations.Get of the owner, once per provider configuration.
  for (const _p of (tf.provider?.github ?? []) as unknown[])
    calls.push({ endpoint: "GET /orgs/{owner} (provider configuration)", count: 1 });
  for (const b of blocks(tf, "data")) {
    const read = DATA_SOURCE_READS[b.type];
    if (!read) throw new Error(`bench:plan-calls: no call model for data source ${b.type}; add it from the provider's source`);
    calls.push(...read(b));
  }
  if (refreshed) {
    for (const b of blocks(tf, "resource")) {
      const read = RESOURCE_READS[b.type];
      if (!read) throw new Error(`bench:plan-calls: no call model for resource ${b.type}; add it from the provider's source`);
      calls.push(...read(b));
    }
  }
  return calls;
}

const total = (calls: readonly Call[]) => calls.reduce((n, c) => n + c.count, 0);

/** Calls summed by endpoint, largest first. */
function byEndpoint(calls: readonly Call[]): [string, number][] {
  const m = new Map<string, number>();
  for (const c of calls) m.set(c.endpoint, (m.get(c.endpoint) ?? 0) + c.count);
  return [...m].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

function main(): void {
  const root = join(__dirname, "..");
  const loaded = loadConfig(join(root, "token-policy.yaml"));
  const organizations = tiny ? loaded.config.organizations.slice(0, 1) : loaded.config.organizations;
  console.log(
    `plan API calls per stack (provider v6.13.0; assumed: ${ORG_SECRETS} organization Actions secrets, ` +
      `${ACCESSIBLE_REPOSITORIES} repositories the installation's user sees)`,
  );
  console.log(
    [
      "stack",
      "first plan",
      "refreshed plan",
      "first, every repository with Pages and a license",
      "refreshed, same",
      "provider configurations",
      "data sources",
      "resources",
    ].join("\t"),
  );
  const rows: { login: string; first: Call[]; refreshed: Call[] }[] = [];
  for (const org of organizations) {
    const stack = OrganizationStack.fromConfig(new App({ skipValidation: true }), org, enterpriseOf(loaded.config, org));
    OrgTokenPolicy.fromConfig(stack, "token-policy", org, {
      configPath: `organizations[${loaded.config.organizations.indexOf(org)}]`,
      enterprise: enterpriseOf(loaded.config, org),
    });
    const tf = JSON.parse(Testing.synth(stack));
    const first = planCalls(tf, false);
    const refreshed = planCalls(tf, true);
    // data_source_github_repository.go: GetPagesInfo and License, one call each when the repository has them.
    const extras = 2 * blocks(tf, "data").filter((b) => b.type === "github_repository").length;
    rows.push({ login: org.login, first, refreshed });
    console.log(
      [
        org.login,
        total(first),
        total(refreshed),
        total(first) + extras,
        total(refreshed) + extras,
        (tf.provider?.github ?? []).length,
        blocks(tf, "data").length,
        blocks(tf, "resource").length,
      ].join("\t"),
    );
  }
  for (const { login, refreshed } of rows) {
    console.log(`\n${login}, refreshed plan, by endpoint:`);
    for (const [endpoint, n] of byEndpoint(refreshed)) console.log(`  ${String(n).padStart(3)}  ${endpoint}`);
  }
}

if (require.main === module) main();
