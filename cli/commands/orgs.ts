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
    const org = findOrganization(loaded, options.org);
    const [target] = deployTargets([org]);
    io.stdout.write(exportInputs(target, io.env));
    return [target];
  }
  const targets = deployTargets(options.org ? [findOrganization(loaded, options.org)] : loaded.config.organizations);
  if (options.json) {
    // Compact: a CI matrix for hundreds of organizations must stay within job-output limits.
    const matrix = targets.map(({ inputs, ...t }) => ({
      ...t,
      inputs: inputs.map((i) => i.env),
      // What each job reads by name (`secrets[name]`, `vars[name]`): nothing else of the environment.
      secrets: inputs.filter((i) => i.sensitive).map((i) => i.ciName),
      variables: inputs.filter((i) => !i.sensitive).map((i) => i.ciName),
    }));
    io.stdout.write(JSON.stringify(matrix) + "\n");
    return targets;
  }
  // Every name in full, one per line: this is the list to set up, so nothing is cut.
  io.stdout.write(
    targets
      .map((t) => {
        const rows = deployJobInputs(t).map((i) => [i.ciName, i.kind, i.description]);
        return `${t.login}: API ${t.apiUrl}, environment ${t.environment}, plan environment ${t.planEnvironment}\n` + indent(table(["NAME", "KIND", "WHAT"], rows, Number.POSITIVE_INFINITY));
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
  const slots = { secret: slotValues(target, "secret", env), variable: slotValues(target, "variable", env) };
  const missing: string[] = [];
  let out = "";
  for (const input of target.inputs) {
    const value = (input.sensitive ? slots.secret : slots.variable).get(input.ciName) ?? (input.sensitive ? secrets : vars)[input.ciName];
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

/** Slots the example workflows fill, per kind: `TOKEN_POLICY_SECRET_1…8`, `TOKEN_POLICY_VAR_1…3`. */
export const INPUT_SLOTS = { secret: 8, variable: 3 } as const;

/**
 * The values the workflow put into the numbered slots of one kind, by name. The workflow also
 * passes the names it filled (`TOKEN_POLICY_SECRET_NAMES`, `TOKEN_POLICY_VAR_NAMES`, from the
 * matrix); they must be this organization's inputs in this order, or nothing is exported.
 */
function slotValues(target: DeployTarget, kind: "secret" | "variable", env: NodeJS.ProcessEnv): Map<string, string> {
  const prefix = kind === "secret" ? "TOKEN_POLICY_SECRET" : "TOKEN_POLICY_VAR";
  const listed = env[`${prefix}_NAMES`];
  const values = new Map<string, string>();
  if (listed === undefined) return values;
  const expected = target.inputs.filter((i) => i.sensitive === (kind === "secret")).map((i) => i.ciName);
  const names = listed.split(",").filter(Boolean);
  if (names.join(",") !== expected.join(",")) {
    throw new UsageError(`${prefix}_NAMES lists ${names.join(", ") || "nothing"}, but ${target.login}'s stack needs the ${kind}s ${expected.join(", ") || "none"}: the matrix comes from another config; run \`orgs --json\` and \`--export-inputs\` on the same checkout`);
  }
  if (expected.length > INPUT_SLOTS[kind]) {
    throw new UsageError(`${target.login}'s stack needs ${expected.length} ${kind}s (${expected.join(", ")}); the example workflows pass at most ${INPUT_SLOTS[kind]}: add ${prefix}_${INPUT_SLOTS[kind] + 1}… to the workflow's step and to INPUT_SLOTS`);
  }
  expected.forEach((name, i) => {
    const value = env[`${prefix}_${i + 1}`];
    if (value) values.set(name, value);
  });
  return values;
}
