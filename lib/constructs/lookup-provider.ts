/**
 * Lookups first, by construction: the provider configuration the lookups of a stack read through,
 * and the gate that makes the stack's own github provider wait for them.
 *
 * Terraform plans a resource that left the configuration (an orphan: an environment secret whose
 * repository was renamed, say) with no edge to anything in the configuration, so a failing lookup
 * or input check could not stop it: the plan printed "will be destroyed" before the error
 * (Terraform 1.11, checked with a real provider). What every resource instance of a provider,
 * orphans included, does wait for is that provider's configuration. So the lookups read through a
 * second configuration of the same provider (alias `lookups`, same owner, host and credentials
 * from the environment), and the stack's provider takes its `owner` from an expression that
 * references every lookup and the input checks: when one of them fails, Terraform never
 * configures the provider, and no resource of it, orphan or not, is planned.
 */
import type { Construct } from "constructs";
import { Lazy, TerraformDataSource, TerraformStack, Token } from "cdktf";
import { GithubProvider } from "@cdktf/provider-github/lib/provider";
import { INPUT_PRECONDITIONS_ID } from "./variable-preconditions";
import { terraformStringExpression, textOfTerraformLiteral } from "./terraform-literal";

/** Alias suffix of the provider configuration lookups read through (`github.lookups`). */
export const LOOKUP_PROVIDER_ALIAS = "lookups";

const lookupProviders = new WeakMap<GithubProvider, GithubProvider>();

/** The stack's github provider without an alias, if there is one. */
function defaultProviderOf(stack: TerraformStack): GithubProvider | undefined {
  return stack.node.children.find((c): c is GithubProvider => c instanceof GithubProvider && c.alias === undefined);
}

/**
 * The provider configuration the lookups of `scope`'s stack read through, for `provider` (the
 * stack's default github provider when omitted), created on first use; it gates `provider` on
 * every lookup that uses it and on the stack's input checks (see the module's comment). Undefined
 * when the stack has no github provider to copy: the lookups then use the default, ungated.
 */
export function lookupProviderFor(scope: Construct, provider?: GithubProvider): GithubProvider | undefined {
  const stack = TerraformStack.of(scope);
  const target = provider ?? defaultProviderOf(stack);
  if (!target) return undefined;
  const existing = lookupProviders.get(target);
  if (existing) return existing;
  const owner = target.owner;
  const lookups = new GithubProvider(stack, `${target.node.id}_${LOOKUP_PROVIDER_ALIAS}`, {
    alias: target.alias ? `${target.alias}_${LOOKUP_PROVIDER_ALIAS}` : LOOKUP_PROVIDER_ALIAS,
    owner,
    baseUrl: target.baseUrl,
    token: target.token,
    appAuth: target.appAuth,
    insecure: target.insecure,
    organization: target.organization,
    maxPerPage: target.maxPerPage,
    maxRetries: target.maxRetries,
    parallelRequests: target.parallelRequests,
    readDelayMs: target.readDelayMs,
    retryDelayMs: target.retryDelayMs,
    retryableErrors: target.retryableErrors,
    writeDelayMs: target.writeDelayMs,
  });
  lookupProviders.set(target, lookups);
  // A token owner is the caller's expression: left as it is, and the provider ungated.
  if (owner === undefined || !Token.isUnresolved(owner)) {
    target.owner = Lazy.stringValue({ produce: () => gatedOwner(stack, lookups, owner) });
  }
  return lookups;
}

/**
 * `owner` as an expression that evaluates to it (null when unset) and references every data
 * source read through `lookups` and the stack's input checks: the first element of a tuple
 * holding them.
 */
function gatedOwner(stack: TerraformStack, lookups: GithubProvider, owner: string | undefined): string {
  const gates: string[] = [];
  for (const c of stack.node.findAll()) {
    if (c instanceof TerraformDataSource && c.provider === lookups) gates.push(`data.${c.terraformResourceType}.${c.friendlyUniqueId}.id`);
  }
  if (stack.node.tryFindChild(INPUT_PRECONDITIONS_ID)) gates.push(`terraform_data.${INPUT_PRECONDITIONS_ID}.input`);
  // The owner as the stack wrote it (a literal) is written again as a quoted string in the expression.
  const value = owner === undefined ? "null" : terraformStringExpression(textOfTerraformLiteral(owner));
  return gates.length ? `\${[${[value, ...gates].join(", ")}][0]}` : (owner as string);
}
