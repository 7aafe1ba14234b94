import { targetProblem } from "../../lib/seal/seal";
import { orgEntry, parseOrg } from "../../test-support/config";

const sealed = (credentials: Record<string, unknown> = {}) =>
  parseOrg(
    orgEntry({
      credentials: { actions: { visibility: "selected", repositories: ["release-tools"] }, privateKeyInput: "sealed", ...credentials },
    }),
  );

describe("targetProblem: whether the stack would use a key sealed for a target", () => {
  test("no problem for the Actions secrets of an organization that keeps its key sealed", () => {
    expect(targetProblem(sealed(), { target: "actions" })).toBeUndefined();
  });

  test("fails when the target is unknown or takes other flags", () => {
    expect(targetProblem(sealed(), { target: "codespaces" })).toBe('--target must be actions, dependabot or environment, got "codespaces"');
    expect(targetProblem(sealed(), { target: "environment", repository: "release-tools" })).toBe(
      "--target environment needs --repository and --environment",
    );
    expect(targetProblem(sealed(), { target: "actions", repository: "release-tools" })).toBe(
      "--repository and --environment go with --target environment only; --target is actions",
    );
  });

  test("fails when the organization passes its key in plaintext", () => {
    expect(targetProblem(sealed({ privateKeyInput: "plaintext" }), { target: "actions" })).toMatch(
      /^acme-corp passes the key in plaintext \(organizations\[acme-corp\]\.credentials\.privateKeyInput is plaintext\): nothing to seal/,
    );
  });

  test("fails when Dependabot or the environment is not declared, naming what is", () => {
    expect(targetProblem(sealed(), { target: "dependabot" })).toBe(
      "organizations[acme-corp].credentials.dependabot is not declared, so the stack takes no key sealed for Dependabot: declare it first",
    );
    const withEnv = sealed({ environments: [{ repository: "release-tools", environment: "prod" }] });
    expect(targetProblem(withEnv, { target: "environment", repository: "Release-Tools", environment: "PROD" })).toBeUndefined();
    expect(targetProblem(withEnv, { target: "environment", repository: "release-tools", environment: "staging" })).toMatch(
      /^environment release-tools\/staging is not in organizations\[acme-corp\]\.credentials\.environments \(it lists release-tools\/prod\)/,
    );
  });
});
