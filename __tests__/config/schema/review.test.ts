/**
 * The `review` section: the brake on mass revocation (`review.massRevocation`), in `defaults` and
 * per organization, with clear errors for values it cannot mean.
 */
import { stringify } from "yaml";
import { parseConfigOrThrow } from "../../../lib/config/load";
import { configProblems, orgEntry, parseOrg } from "../../../test-support/config";

const withBrake = (massRevocation: unknown) => stringify({ organizations: [orgEntry({ review: { massRevocation } })] });

describe("review.massRevocation", () => {
  test("defaults to the larger of 10 tokens and 10% when the config says nothing", () => {
    expect(parseOrg().review).toEqual({ massRevocation: { minTokens: 10, share: 0.1 } });
  });

  test("takes defaults.review, and an organization's own value wins field by field", () => {
    // GIVEN a brake in defaults and one organization that changes only its share
    const config = parseConfigOrThrow(
      stringify({
        defaults: { review: { massRevocation: { minTokens: 3, share: 0.05 } } },
        organizations: [orgEntry(), orgEntry({ login: "acme-labs", review: { massRevocation: { share: 0.5 } } })],
      }),
      "x.yaml",
    );
    // THEN each organization's brake is the merge
    expect(config.organizations.map((o) => o.review.massRevocation)).toEqual([
      { minTokens: 3, share: 0.05 },
      { minTokens: 3, share: 0.5 },
    ]);
  });

  test("accepts a share of 1 (all) and minTokens 0", () => {
    expect(parseOrg(orgEntry({ review: { massRevocation: { minTokens: 0, share: 1 } } })).review.massRevocation).toEqual({
      minTokens: 0,
      share: 1,
    });
  });

  test.each([
    [
      { share: 0 },
      "share: must be more than 0 and at most 1 (0.1 is 10% of the granted tokens); to stop every mass revocation, keep minTokens low, got 0",
    ],
    [
      { share: -0.5 },
      "share: must be more than 0 and at most 1 (0.1 is 10% of the granted tokens); to stop every mass revocation, keep minTokens low, got -0.5",
    ],
    [{ share: 1.5 }, "share: must be at most 1 (all the granted tokens); 0.1 is 10%, got 1.5"],
    [{ share: "10%" }, 'share: must be a number more than 0 and at most 1 (0.1 is 10% of the granted tokens), got "10%"'],
    [{ minTokens: -1 }, "minTokens: must be a whole number of tokens, 0 or more, got -1"],
    [{ minTokens: 2.5 }, "minTokens: must be a whole number of tokens, 0 or more, got 2.5"],
    [{ maxTokens: 5 }, 'maxTokens: unknown key (did you mean "minTokens"?); allowed here: minTokens, share'],
  ])("fails when massRevocation is %j, naming the file, place, value and what is allowed", (brake, message) => {
    const [problem, ...more] = configProblems(withBrake(brake));
    expect(more).toEqual([]);
    expect(problem).toMatch(/^policy\.yaml:15:\d+ /);
    expect(problem.replace(/^policy\.yaml:15:\d+ /, "")).toBe(`organizations[0].review.massRevocation.${message}`);
  });

  test("fails when defaults.review has an unknown key, naming it in defaults", () => {
    const problems = configProblems(stringify({ defaults: { review: { brake: 1 } }, organizations: [orgEntry()] }));
    expect(problems).toEqual(["policy.yaml:3:5 defaults.review.brake: unknown key; allowed here: massRevocation"]);
  });
});
