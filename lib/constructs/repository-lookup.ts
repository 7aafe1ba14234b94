/**
 * Plan-time lookups of the repositories a stack names: one `data.github_repository` per
 * repository, shared by every construct of the stack that names it (credentials' repository
 * lists and environments, the installation's repositories, the guide's repository).
 *
 * The provider answers a lookup of a repository that does not exist, or that the deploy token
 * cannot see, with all attributes null and no error (every release from 6.9.1 to 6.13.0), and
 * resources go on to fail at apply with a raw 404, after others were already changed or
 * destroyed. A postcondition on each lookup fails the plan instead, naming the repository and
 * every place in the config that names it; resources that use the repository depend on its
 * lookup, and the stack's provider is configured only after every lookup passed, so nothing is
 * planned, not even the destroy of a resource that left the config (see `lookupProviderFor`).
 */
import { Construct } from "constructs";
import { Lazy, TerraformStack } from "cdktf";
import { DataGithubRepository } from "@cdktf/provider-github/lib/data-github-repository";
import type { GithubProvider } from "@cdktf/provider-github/lib/provider";
import { requireTerraform } from "./terraform-requirements";
import { terraformLiteral } from "./terraform-literal";
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

const placesByLookup = new WeakMap<DataGithubRepository, string[]>();

/**
 * The lookup of one repository in the stack of `scope`, created the first time any construct
 * names it; each later reference adds its config place to the lookup's error message. Looked up
 * by `full_name`, so the answer does not depend on the provider's owner (the owner check does
 * that: see `providerOwnerPrecondition`).
 */
export function lookUpRepository(scope: Construct, ref: RepositoryReference): DataGithubRepository {
  const stack = TerraformStack.of(scope);
  const holder = (stack.node.tryFindChild(REPOSITORY_LOOKUPS_ID) as Construct | undefined) ?? new Construct(stack, REPOSITORY_LOOKUPS_ID);
  const id = `repo_${ref.repositoryName}`;
  const existing = holder.node.tryFindChild(id) as DataGithubRepository | undefined;
  if (existing) {
    const places = placesByLookup.get(existing)!;
    if (!places.includes(ref.configPlace)) places.push(ref.configPlace);
    return existing;
  }
  requireTerraform(stack, "postconditions");
  const places = [ref.configPlace];
  const fullName = `${ref.organizationLogin}/${ref.repositoryName}`;
  const lookup = new DataGithubRepository(holder, id, {
    fullName: terraformLiteral(fullName),
    // Read through the stack's lookup provider, which its own provider waits for: see lookupProviderFor.
    provider: lookupProviderFor(stack, ref.provider) ?? ref.provider,
    lifecycle: {
      postcondition: [
        {
          // The provider leaves repo_id null for a repository it cannot read.
          condition: "${try(self.repo_id, null) != null}",
          errorMessage: Lazy.stringValue({
            produce: () =>
              terraformLiteral(
                `${places.join(", ")} ${JSON.stringify(ref.repositoryName)}: no repository ${fullName}, or the token that runs deploy cannot see it. Fix the name in the config, or give the deploy token access to the repository. Nothing was changed.`,
              ),
          }),
        },
      ],
    },
  });
  placesByLookup.set(lookup, places);
  return lookup;
}
