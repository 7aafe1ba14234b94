/**
 * `token-policy orgs`: the organizations of the config as deploy jobs see them, for a CI matrix
 * (one job per organization), and `--export-inputs`, which hands one job only its own
 * organization's Terraform inputs (`lib/deploy/export-inputs`).
 */
import { UsageError } from "../../lib/config/errors";
import { deployTargets, type DeployTarget } from "../../lib/deploy/stack-inputs";
import { exportInputs } from "../../lib/deploy/export-inputs";
import { loadOrganizations } from "../context";
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
  if (options.exportInputs && options.json)
    throw new UsageError("--export-inputs prints $GITHUB_ENV lines, not JSON: drop --json (orgs --json is the matrix)");
  if (options.exportInputs && !options.org) {
    loadOrganizations(options, io.env); // a config problem is reported first
    throw new UsageError("--export-inputs needs --org");
  }
  const targets = deployTargets(loadOrganizations(options, io.env).organizations);
  if (options.exportInputs) {
    io.stdout.write(exportInputs(targets[0], io.env));
    return targets;
  }
  io.stdout.write(options.json ? matrixJson(targets) : deployTargetsText(targets));
  return targets;
}
