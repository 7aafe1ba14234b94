import { stringify } from "yaml";
import { BUILTIN_OUTCOMES } from "../../../lib/approval/outcomes";
import { configProblems, orgEntry, parseOrg } from "../../../test-support/config";

const withRules = (...names: string[]) =>
  stringify({
    organizations: [
      orgEntry({ approval: { otherwise: "deny", rules: names.map((name) => ({ name, action: "deny", match: { owners: ["ex-*"] } })) } }),
    ],
  });

describe("approval rule names", () => {
  test("fails when a rule is named like a built-in outcome, naming the outcomes and the way out", () => {
    // GIVEN a deny rule named `otherwise` (once not revoked under revokeNonCompliant) WHEN the file is loaded
    const problems = configProblems(withRules("contractors", "otherwise"));
    // THEN it is refused at its name, with the list of built-in outcomes
    expect(problems).toEqual([
      `policy.yaml:21:17 organizations[0].approval.rules[1].name: "otherwise" is the name of a built-in outcome (${BUILTIN_OUTCOMES.join(", ")}); give the rule another name`,
    ]);
  });

  test("fails for every built-in outcome, whatever its case or separator", () => {
    for (const outcome of BUILTIN_OUTCOMES) {
      expect(configProblems(withRules(outcome))).toEqual([
        expect.stringContaining(`rules[0].name: ${JSON.stringify(outcome)} is the name of a built-in outcome`),
      ]);
    }
    expect(configProblems(withRules("Lifetime_Limit"))).toEqual([
      expect.stringContaining(`rules[0].name: "Lifetime_Limit" is the name of a built-in outcome`),
    ]);
  });

  test("holds for names that only contain an outcome's name", () => {
    const org = parseOrg(
      orgEntry({
        approval: {
          otherwise: "deny",
          rules: [
            { name: "otherwise-deny", action: "deny" },
            { name: "lifetime limit", action: "deny" },
          ],
        },
      }),
    );
    expect(org.approval.rules.map((r) => r.name)).toEqual(["otherwise-deny", "lifetime limit"]);
  });
});
