/**
 * The precondition that a stack's github provider acts on the stack's own organization.
 *
 * Every provider release in range lets `GITHUB_OWNER` or `GITHUB_ORGANIZATION` in the environment
 * where terraform runs override the `owner` the stack sets: a stack for acme-corp would then plan
 * and apply its secrets in another organization. Synth refuses those variables, but terraform may
 * run elsewhere (a CI job, a shell with a leftover export). The provider does not tell which owner
 * it uses, except through what it reads: `data.github_actions_organization_secrets` sets its `id`
 * to the provider's effective owner (`d.SetId(owner)` in every release from 6.9.0 to 6.13.0). A
 * postcondition compares it with the login and fails the plan naming both and the variables to
 * unset. Every resource that writes to GitHub depends on this lookup, and the stack's provider is
 * configured only after it passed (see `lookupProviderFor`), so nothing is planned against the
 * wrong organization, not even the destroy of a resource that left the config.
 */
import type { Construct } from "constructs";
import { TerraformStack } from "cdktf";
import { DataGithubActionsOrganizationSecrets } from "@cdktf/provider-github/lib/data-github-actions-organization-secrets";
import type { GithubProvider } from "@cdktf/provider-github/lib/provider";
import { requireTerraform } from "./terraform-requirements";
import { terraformLiteral, terraformStringExpression } from "./terraform-literal";
import { lookupProviderFor } from "./lookup-provider";

/** Construct id (and Terraform name) of the lookup that reveals the provider's effective owner. */
export const OWNER_PRECONDITION_ID = "provider_owner";

/** The HCL condition (without `${}`) that holds when `owner` (an HCL expression) names `login`. */
export function ownerCondition(owner: string, login: string): string {
  return `try(lower(${owner}), "") == ${terraformStringExpression(login.toLowerCase())}`;
}

/** The message of a failed owner precondition; `owner` is the HCL expression of the effective owner. */
export function ownerErrorMessage(owner: string, login: string): string {
  return (
    `The github provider acts on organization \${jsonencode(${owner})}, not ${terraformLiteral(login)}, the organization of this stack: ` +
    `GITHUB_OWNER or GITHUB_ORGANIZATION is set where terraform runs, and every provider release lets it override the stack's owner. ` +
    `Unset both (unset GITHUB_OWNER GITHUB_ORGANIZATION) and plan again.`
  );
}

/**
 * The owner precondition of the stack of `scope`, created on first use: a
 * `data.github_actions_organization_secrets.provider_owner` whose postcondition fails the plan
 * when the provider's effective owner is not `login` (compared without case, as GitHub does).
 * It lists the organization's Actions secret names, which the deploy token may read since it
 * manages them.
 */
export function providerOwnerPrecondition(
  scope: Construct,
  login: string,
  provider?: GithubProvider,
): DataGithubActionsOrganizationSecrets {
  const stack = TerraformStack.of(scope);
  const existing = stack.node.tryFindChild(OWNER_PRECONDITION_ID);
  if (existing) return existing as DataGithubActionsOrganizationSecrets;
  requireTerraform(stack, "postconditions");
  const lookup = new DataGithubActionsOrganizationSecrets(stack, OWNER_PRECONDITION_ID, {
    // Read through the lookup provider (same owner and environment), which the stack's provider waits for.
    provider: lookupProviderFor(stack, provider) ?? provider,
    lifecycle: {
      postcondition: [{ condition: `\${${ownerCondition("self.id", login)}}`, errorMessage: ownerErrorMessage("self.id", login) }],
    },
  });
  lookup.overrideLogicalId(OWNER_PRECONDITION_ID);
  return lookup;
}
