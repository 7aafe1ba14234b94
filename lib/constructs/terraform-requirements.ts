/**
 * What a stack asks of Terraform and of the github provider: the lowest Terraform version that
 * has every feature the stack uses (written as `terraform.required_version`, so an older binary
 * stops with a version error instead of "Unsupported argument"), the provider range, and
 * `removed` blocks. Works on any `TerraformStack`, so constructs used in another project's stacks
 * declare their needs too.
 */
import type { Construct } from "constructs";
import { Lazy, TerraformStack } from "cdktf";
import { makeUniqueId } from "cdktf/lib/private/unique";

/**
 * The github provider versions every stack accepts. 6.12.0 is the lowest release on which the
 * stacks plan without a deprecation warning: it added `value_encrypted` and `value` to every
 * secret resource and deprecated `encrypted_value` and `plaintext_value`, so no secret argument
 * is free of warnings on both 6.11.x and 6.12+. Earlier releases brought the GHES `base_url` fix
 * and the `data.github_repository` crash fix (6.9.1), and in-place updates of organization and
 * environment secrets (6.11.0; before, a change deleted the secret and created it again). 7.0 removes deprecated arguments and may change more.
 */
export const GITHUB_PROVIDER_VERSION = ">= 6.12.0, < 7.0.0";

/**
 * Environment variables the github provider reads where terraform runs that would change which
 * organization, host or identity a stack acts for, each with what it does. A stack names its own
 * owner and host, and authenticates only with the token in `GITHUB_TOKEN`: synth refuses these,
 * and the example deploy and plan jobs unset them before terraform runs.
 */
export const PROVIDER_ENVIRONMENT_SWITCHES: Readonly<Record<string, string>> = {
  GITHUB_OWNER: "overrides each stack's owner (every release up to 6.13.0), so every stack would manage that one organization",
  GITHUB_ORGANIZATION: "overrides each stack's owner (every release up to 6.13.0), so every stack would manage that one organization",
  GITHUB_APP_ID:
    "switches provider 6.13.0 to App authentication even without an app_auth block, and App authentication wins over the token (provider issue #3576): the stack would act as another App",
  GITHUB_APP_INSTALLATION_ID:
    "switches provider 6.13.0 to App authentication even without an app_auth block, and App authentication wins over the token (provider issue #3576): the stack would act as another App",
  GITHUB_APP_PEM_FILE:
    "switches provider 6.13.0 to App authentication even without an app_auth block, and App authentication wins over the token (provider issue #3576): the stack would act as another App",
  GITHUB_BASE_URL: "is the API root of a stack that sets none (every github.com stack), so the deploy's token would be sent to that host",
};

/**
 * Terraform features a stack may use, with the first Terraform version that has each (from
 * Terraform's changelog and upgrade guides).
 */
export const TERRAFORM_FEATURES = {
  /** `postcondition` blocks on data sources and resources. */
  postconditions: "1.2.0",
  /** `lifecycle { replace_triggered_by }`. */
  replace_triggered_by: "1.2.0",
  /** The built-in `terraform_data` resource. */
  terraform_data: "1.4.0",
  /** `cloud { workspaces { project } }`. */
  cloud_workspace_project: "1.6.0",
  /** The S3 backend's `assume_role {}` block. */
  s3_assume_role: "1.6.0",
  /** `removed {}` blocks. */
  removed_block: "1.7.0",
  /** `nonsensitive()` on a value that may not be sensitive (an error before 1.7). */
  nonsensitive: "1.7.0",
  /** The S3 backend's `use_lockfile` (S3-native state locking). */
  s3_use_lockfile: "1.10.0",
} as const;

/** A feature name of {@link TERRAFORM_FEATURES}. */
export type TerraformFeature = keyof typeof TERRAFORM_FEATURES;

interface StackNeeds {
  readonly features: Set<TerraformFeature>;
  readonly removed: Map<string, { from: string; lifecycle: { destroy: false } }>;
}

const needsByStack = new WeakMap<TerraformStack, StackNeeds>();

function needsOf(scope: Construct): StackNeeds {
  const stack = TerraformStack.of(scope);
  let needs = needsByStack.get(stack);
  if (!needs) {
    const created: StackNeeds = { features: new Set(), removed: new Map() };
    needs = created;
    needsByStack.set(stack, created);
    stack.addOverride("terraform.required_version", Lazy.stringValue({ produce: () => `>= ${minimumTerraformVersion(created.features)}` }));
    stack.addOverride("removed", Lazy.anyValue({ produce: () => (created.removed.size ? [...created.removed.values()] : undefined) }));
  }
  return needs;
}

/** Records that the stack of `scope` uses `feature`; `required_version` covers it. */
export function requireTerraform(scope: Construct, feature: TerraformFeature): void {
  needsOf(scope).features.add(feature);
}

/**
 * Takes the resource at `address` (`type.logical_id`) out of state without destroying it, when
 * it is no longer in the configuration (a `removed` block with `destroy = false`, Terraform ≥ 1.7).
 * A block for an address that is not in state does nothing.
 */
export function forgetWithoutDestroying(scope: Construct, address: string): void {
  requireTerraform(scope, "removed_block");
  needsOf(scope).removed.set(address, { from: address, lifecycle: { destroy: false } });
}

/**
 * Constrains the stack's `github` provider to {@link GITHUB_PROVIDER_VERSION}, in place of the
 * exact version the bindings were generated for (6.9.0, which has the bugs named there).
 */
export function requireGithubProvider(scope: Construct): void {
  TerraformStack.of(scope).addOverride("terraform.required_providers.github.version", GITHUB_PROVIDER_VERSION);
}

/**
 * The logical id cdktf gives a construct at this place in its stack: the name in its Terraform
 * address. For a resource that is not created here, so that a `removed` block can name it.
 */
export function logicalIdOf(construct: Construct): string {
  const stack = TerraformStack.of(construct);
  const scopes = construct.node.scopes;
  return makeUniqueId(scopes.slice(scopes.indexOf(stack) + 1).map((c) => c.node.id));
}

/** The lowest Terraform version with every feature given (1.4.0 at least, for `terraform_data`). */
export function minimumTerraformVersion(features: Iterable<TerraformFeature>): string {
  let best = TERRAFORM_FEATURES.terraform_data as string;
  for (const f of features) if (compareVersions(TERRAFORM_FEATURES[f], best) > 0) best = TERRAFORM_FEATURES[f];
  return best;
}

function compareVersions(a: string, b: string): number {
  const pa = a.split(".").map(Number);
  const pb = b.split(".").map(Number);
  for (let i = 0; i < 3; i++) if (pa[i] !== pb[i]) return pa[i] - pb[i];
  return 0;
}
