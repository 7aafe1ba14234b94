/**
 * One deploy job's Terraform inputs, read from what the CI job was given: each input from its
 * numbered slot (`TOKEN_POLICY_SECRET_<n>` / `TOKEN_POLICY_VAR_<n>`, the n-th name of the matrix's
 * `secrets` / `variables`), or else from the JSON objects in `TOKEN_POLICY_SECRETS_JSON` and
 * `TOKEN_POLICY_VARS_JSON`; written as `$GITHUB_ENV` lines. `orgs --export-inputs` drives it.
 */
import { randomBytes } from "node:crypto";
import { UsageError } from "../config/errors";
import type { DeployTarget } from "./stack-inputs";

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
export function exportInputs(target: DeployTarget, env: NodeJS.ProcessEnv): string {
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
    throw new UsageError(
      `${target.login}: ${missing.length} input${missing.length === 1 ? "" : "s"} missing from environment ${target.environment}:\n  ${missing.join("\n  ")}`,
    );
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
    throw new UsageError(
      `${prefix}_NAMES lists ${names.join(", ") || "nothing"}, but ${target.login}'s stack needs the ${kind}s ${expected.join(", ") || "none"}: the matrix comes from another config; run \`orgs --json\` and \`--export-inputs\` on the same checkout`,
    );
  }
  if (expected.length > INPUT_SLOTS[kind]) {
    throw new UsageError(
      `${target.login}'s stack needs ${expected.length} ${kind}s (${expected.join(", ")}); the example workflows pass at most ${INPUT_SLOTS[kind]}: add ${prefix}_${INPUT_SLOTS[kind] + 1}… to the workflow's step and to INPUT_SLOTS`,
    );
  }
  expected.forEach((name, i) => {
    const value = env[`${prefix}_${i + 1}`];
    if (value) values.set(name, value);
  });
  return values;
}
