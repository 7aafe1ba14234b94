/**
 * What `orgs` prints: the compact JSON matrix for CI (one object per organization), or each
 * organization's deploy job with every input it needs, one per line.
 */
import { deployJobInputs, type DeployTarget } from "../../lib/deploy/stack-inputs";
import { table } from "../io";

/** The CI matrix, one line of JSON. */
export function matrixJson(targets: readonly DeployTarget[]): string {
  // Compact: a CI matrix for hundreds of organizations must stay within job-output limits.
  const matrix = targets.map(({ inputs, ...t }) => ({
    ...t,
    inputs: inputs.map((i) => i.env),
    // What each job reads by name (`secrets[name]`, `vars[name]`): nothing else of the environment.
    secrets: inputs.filter((i) => i.sensitive).map((i) => i.ciName),
    variables: inputs.filter((i) => !i.sensitive).map((i) => i.ciName),
  }));
  return JSON.stringify(matrix) + "\n";
}

/** Each organization's deploy job and the table of its inputs. */
export function deployTargetsText(targets: readonly DeployTarget[]): string {
  // Every name in full, one per line: this is the list to set up, so nothing is cut.
  return targets
    .map((t) => {
      const rows = deployJobInputs(t).map((i) => [i.ciName, i.kind, i.description]);
      return (
        `${t.login}: API ${t.apiUrl}, environment ${t.environment}, plan environment ${t.planEnvironment}\n` +
        indent(table(["NAME", "KIND", "WHAT"], rows, Number.POSITIVE_INFINITY))
      );
    })
    .join("\n");
}

function indent(text: string): string {
  return text.replace(/^(?=.)/gm, "  ");
}
