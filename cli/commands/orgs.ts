/**
 * `token-policy orgs`: the organizations of the config as deploy jobs see them, for a CI matrix
 * (one job per organization), and `--export-inputs`, which hands one job only its own
 * organization's Terraform inputs.
 */
import { randomBytes } from "node:crypto";
import { configFileName, findOrganization, loadConfig } from "../../lib/config/load";
import { UsageError } from "../../lib/config/errors";
import { deployJobInputs, deployTargets, type DeployTarget } from "../../lib/deploy/stack-inputs";
import { table, type CommandIO } from "../io";

/** Options of {@link orgs}. */
export interface OrgsOptions {
  /** Config file. @default TOKEN_POLICY_CONFIG or token-policy.yaml */
  readonly config?: string;
  /** Print the JSON matrix (one object per organization). @default false */
  readonly json?: boolean;
  /** Only this organization (with `exportInputs`, required: the organization whose inputs are exported). @default every organization */
  readonly org?: string;
  /**
   * Print `TF_VAR_…` assignments for `$GITHUB_ENV`, read from the JSON objects in
   * `TOKEN_POLICY_SECRETS_JSON` and `TOKEN_POLICY_VARS_JSON` (`toJSON(secrets)`, `toJSON(vars)`).
   * @default false
   */
  readonly exportInputs?: boolean;
}

/** Lists the organizations, or exports one organization's inputs. */
export async function orgs(options: OrgsOptions, io: CommandIO): Promise<DeployTarget[]> {
  const loaded = loadConfig(configFileName(options.config, io.env));
  if (options.exportInputs) {
    if (!options.org) throw new UsageError("--export-inputs needs --org");
    const org = findOrganization(loaded, options.org);
    const [target] = deployTargets([org]);
    io.stdout.write(exportInputs(target, io.env));
    return [target];
  }
  const targets = deployTargets(options.org ? [findOrganization(loaded, options.org)] : loaded.config.organizations);
  if (options.json) {
    // Compact: a CI matrix for hundreds of organizations must stay within job-output limits.
    const matrix = targets.map(({ inputs, ...t }) => ({ ...t, inputs: inputs.map((i) => i.env) }));
    io.stdout.write(JSON.stringify(matrix) + "\n");
    return targets;
  }
  // Every name in full, one per line: this is the list to set up, so nothing is cut.
  io.stdout.write(
    targets
      .map((t) => {
        const rows = deployJobInputs(t).map((i) => [i.ciName, i.kind, i.description]);
        return `${t.login}: API ${t.apiUrl}, environment ${t.environment}\n` + indent(table(["NAME", "KIND", "WHAT"], rows, Number.POSITIVE_INFINITY));
      })
      .join("\n"),
  );
  return targets;
}

function indent(text: string): string {
  return text.replace(/^(?=.)/gm, "  ");
}

function parseJsonObject(name: string, text: string | undefined): Record<string, unknown> {
  if (!text) return {};
  try {
    const v = JSON.parse(text) as unknown;
    if (v && typeof v === "object" && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw new UsageError(`${name} must hold a JSON object (toJSON(secrets) or toJSON(vars)); its value is not shown`);
}

/**
 * `$GITHUB_ENV` lines for every input of one organization, each read from the secret (sensitive)
 * or variable of its CI name. Every missing input is named at once; no value is ever printed in
 * an error.
 */
function exportInputs(target: DeployTarget, env: NodeJS.ProcessEnv): string {
  const secrets = parseJsonObject("TOKEN_POLICY_SECRETS_JSON", env.TOKEN_POLICY_SECRETS_JSON);
  const vars = parseJsonObject("TOKEN_POLICY_VARS_JSON", env.TOKEN_POLICY_VARS_JSON);
  const missing: string[] = [];
  let out = "";
  for (const input of target.inputs) {
    const value = (input.sensitive ? secrets : vars)[input.ciName];
    if (typeof value !== "string" || value === "") {
      missing.push(`${input.sensitive ? "secret" : "variable"} ${input.ciName} (${input.description})`);
      continue;
    }
    const delimiter = `EOF_${randomBytes(12).toString("hex")}`;
    out += `${input.env}<<${delimiter}\n${value}\n${delimiter}\n`;
  }
  if (missing.length) {
    throw new UsageError(`${target.login}: ${missing.length} input${missing.length === 1 ? "" : "s"} missing from environment ${target.environment}:\n  ${missing.join("\n  ")}`);
  }
  return out;
}
