/**
 * Plan-time lookups of the repositories a stack names: one lookup per repository, shared by
 * every construct of the stack that names it (credentials' repository lists and environments, the
 * installation's repositories, the guide's repository).
 *
 * Each lookup is one `GET /repos/{owner}/{repo}`, through `data.github_rest_api`, which answers
 * a 404 with its `code` and the body rather than an error (every release from 6.9.0 to 6.13.0:
 * `data_source_github_rest_api.go`). `data.github_repository`, used before, also reads the
 * repository's Pages site and its license when it has them (up to three calls a repository at
 * every plan), and answers a repository that does not exist, or that the deploy token cannot
 * see, with all attributes null and no error, so resources went on to fail at apply with a raw
 * 404. A postcondition on each lookup fails the plan instead, naming the repository and every
 * place in the config that names it; resources that use the repository depend on its lookup, and
 * the stack's provider is configured only after every lookup passed, so nothing is planned, not
 * even the destroy of a resource that left the config (see `lookupProviderFor`). Two costs, seen
 * with the real provider (6.12.0 and 6.13.0, built from source, against the stand-in): when the
 * organization call succeeds but a repository call fails after the provider's retries (a dropped
 * connection), `data.github_rest_api` reads the status of a response it did not get and the
 * provider stops with a crash report instead of an error (6.12.0 also when GitHub cannot be
 * reached at all; 6.13.0 fails cleanly then) — the plan fails either way, and nothing is
 * planned; and the provider keeps an answer only when it carries GitHub's `x-github-request-id`
 * header, so behind a proxy that strips it `code` is null, which the message says apart from a 404.
 */
import { Construct } from "constructs";
import { Fn, Lazy, TerraformStack, Token } from "cdktf";
import { DataGithubRestApi } from "@cdktf/provider-github/lib/data-github-rest-api";
import type { GithubProvider } from "@cdktf/provider-github/lib/provider";
import { requireTerraform } from "./terraform-requirements";
import { terraformLiteral, terraformStringExpression } from "./terraform-literal";
import { lookupProviderFor } from "./lookup-provider";

/** Construct id of the scope, at the stack root, that holds every repository lookup. */
export const REPOSITORY_LOOKUPS_ID = "repositories";

/** One repository to look up. */
export interface RepositoryReference {
  /** The organization that owns it. */
  readonly organizationLogin: string;
  /** The repository's name (without the owner). */
  readonly repositoryName: string;
  /** Where the config names it (`organizations[0].guide.repository`), named when it is missing. */
  readonly configPlace: string;
  /**
   * The stack's provider, when several share an app.
   * @default - the stack's default provider
   */
  readonly provider?: GithubProvider;
}

const placesByLookup = new WeakMap<DataGithubRestApi, string[]>();

/**
 * The lookup of one repository in the stack of `scope`, created the first time any construct
 * names it; each later reference adds its config place to the lookup's error message. Looked up
 * by owner and name, so the answer does not depend on the provider's owner (the owner check does
 * that: see `providerOwnerPrecondition`).
 */
export function lookUpRepository(scope: Construct, ref: RepositoryReference): DataGithubRestApi {
  const stack = TerraformStack.of(scope);
  const holder = (stack.node.tryFindChild(REPOSITORY_LOOKUPS_ID) as Construct | undefined) ?? new Construct(stack, REPOSITORY_LOOKUPS_ID);
  const id = `repo_${ref.repositoryName}`;
  const existing = holder.node.tryFindChild(id) as DataGithubRestApi | undefined;
  if (existing) {
    const places = placesByLookup.get(existing)!;
    if (!places.includes(ref.configPlace)) places.push(ref.configPlace);
    return existing;
  }
  requireTerraform(stack, "postconditions");
  const places = [ref.configPlace];
  const fullName = `${ref.organizationLogin}/${ref.repositoryName}`;
  const lookup = new DataGithubRestApi(holder, id, {
    endpoint: terraformLiteral(`repos/${fullName}`),
    // Read through the stack's lookup provider, which its own provider waits for: see lookupProviderFor.
    provider: lookupProviderFor(stack, ref.provider) ?? ref.provider,
    lifecycle: {
      postcondition: [
        {
          // 404 for a repository that does not exist or that the token cannot see; other failures are the provider's errors.
          condition: "${self.code == 200}",
          // A 404 is a missing repository; any other answer (or none the provider could keep) is said as such.
          errorMessage: Lazy.stringValue({
            produce: () =>
              `${terraformLiteral(`${places.join(", ")} ${JSON.stringify(ref.repositoryName)}: `)}\${self.code == 404 ? ${terraformStringExpression(
                `no repository ${fullName}, or the token that runs deploy cannot see it. Fix the name in the config, or give the deploy token access to the repository. Nothing was changed.`,
              )} : ${terraformStringExpression(
                `GitHub's answer to GET /repos/${fullName} was neither 200 nor 404, or the provider could not keep it (it keeps an answer only with GitHub's x-github-request-id header, which a proxy may strip). Plan again; if it persists, check the API URL and any proxy between Terraform and GitHub. Nothing was changed.`,
              )}}`,
          }),
        },
      ],
    },
  });
  placesByLookup.set(lookup, places);
  return lookup;
}

/** The repository's numeric id, from its lookup's answer (`jsondecode(body).id`), as a number token. */
export function repositoryIdOf(lookup: DataGithubRestApi): number {
  return Token.asNumber(Fn.lookup(Fn.jsondecode(lookup.body), "id"));
}
