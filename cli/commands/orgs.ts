/**
 * `token-policy orgs`: the organizations of the config as deploy jobs see them, for a CI matrix
 * (one job per organization), and `--export-inputs`, which hands one job only its own
 * organization's Terraform inputs (`lib/deploy/export-inputs`).
 */
import { configFileName, findOrganization, loadConfig } from "../../lib/config/load";
import { UsageError } from "../../lib/config/errors";
import { deployTargets, type DeployTarget } from "../../lib/deploy/stack-inputs";
import { exportInputs } from "../../lib/deploy/export-inputs";
import { deployTargetsText, matrixJson } from "../render/orgs";
import type { CommandIO } from "../io";

export { INPUT_SLOTS } from "../../lib/deploy/export-inputs";

/** Options of {@link orgs}. */
export interface OrgsOptions {
  /** Config file. @default TOKEN_POLICY_CONFIG or token-policy.yaml */
  readonly config?: string;
  /** Print the JSON matrix (one object per organization). @default false */
  readonly json?: boolean;
  /** Only this organization (with `exportInputs`, required: the organization whose inputs are exported). @default every organization */
  readonly org?: string;
  /**
   * Print `TF_VAR_…` assignments for `$GITHUB_ENV`. Each input is read from its slot,
   * `TOKEN_POLICY_SECRET_<n>` / `TOKEN_POLICY_VAR_<n>` (the n-th name of the matrix's `secrets` /
   * `variables`, which the example workflows fill with `secrets[matrix.org.secrets[n-1]]`), or
   * else from the JSON objects in `TOKEN_POLICY_SECRETS_JSON` and `TOKEN_POLICY_VARS_JSON`.
   * @default false
   */
  readonly exportInputs?: boolean;
}

/** Lists the organizations, or exports one organization's inputs. */
export async function orgs(options: OrgsOptions, io: CommandIO): Promise<DeployTarget[]> {
  const loaded = loadConfig(configFileName(options.config, io.env));
  if (options.exportInputs) {
    if (!options.org) throw new UsageError("--export-inputs needs --org");
    const [target] = deployTargets([findOrganization(loaded, options.org)]);
    io.stdout.write(exportInputs(target, io.env));
    return [target];
  }
  const targets = deployTargets(options.org ? [findOrganization(loaded, options.org)] : loaded.config.organizations);
  io.stdout.write(options.json ? matrixJson(targets) : deployTargetsText(targets));
  return targets;
}
