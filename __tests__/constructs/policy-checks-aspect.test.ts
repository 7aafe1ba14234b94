import { Aspects, Testing } from "cdktf";
import { OrgTokenPolicy } from "../../lib/constructs/org-token-policy";
import { PolicyChecksAspect } from "../../lib/constructs/policy-checks-aspect";
import { checkOrganization, type PolicyCheck } from "../../lib/policy-checks/check-pack";
import { orgEntry, parseOrg } from "../../test-support/config";
import { newStack } from "../../test-support/stack";

describe("PolicyChecksAspect", () => {
  test("applies to the stacks it is added to (cdktf invokes aspects per stack)", () => {
    const stack = newStack();
    OrgTokenPolicy.fromConfig(stack, "token-policy", parseOrg(orgEntry({ patPolicy: { classicTokens: "allow" } })));
    const checks = new PolicyChecksAspect();
    Aspects.of(stack).add(checks);
    Testing.synth(stack);
    expect(checks.findings.map((f) => f.checkId)).toContain("classic-tokens-allowed");
  });

  test("annotates each OrgTokenPolicy with its findings: errors, warnings, suppressed as info", () => {
    const stack = newStack();
    const org = parseOrg(
      orgEntry({
        patPolicy: { maxLifetimeDays: 120, classicTokens: "allow" },
        credentials: { actions: { visibility: "all" } },
        suppressions: [{ id: "private-key-visible-to-all", reason: "Every repository deploys with it; see SEC-7." }],
      }),
    );
    OrgTokenPolicy.fromConfig(stack, "token-policy", org);
    const checks = new PolicyChecksAspect();
    Aspects.of(stack).add(checks);
    Testing.synth(stack);
    const node = stack.node.findChild("token-policy");
    const meta = node.node.metadata.map((m) => [m.type, String(m.data).split("]")[0] + "]"]);
    expect(meta).toEqual([
      ["@cdktf/info", "[private-key-visible-to-all]"],
      ["@cdktf/error", "[classic-tokens-allowed]"],
      ["@cdktf/warn", "[long-token-lifetime]"],
    ]);
    expect(checks.findings.map((f) => [f.organizationLogin, f.constructPath, f.checkId])).toContainEqual([
      "acme-corp",
      "acme-corp/token-policy",
      "classic-tokens-allowed",
    ]);
  });

  test("annotates with the findings it is given, without running the checks again", () => {
    // GIVEN findings computed once, and a check that fails the test if it runs
    const stack = newStack();
    const org = parseOrg(orgEntry({ patPolicy: { classicTokens: "allow" } }));
    OrgTokenPolicy.fromConfig(stack, "token-policy", org);
    const given = checkOrganization(org);
    const never: PolicyCheck = {
      id: "never",
      level: "error",
      info: "Never runs.",
      explanation: "The findings were given to the aspect.",
      evaluate: () => {
        throw new Error("checked again");
      },
    };
    const checks = new PolicyChecksAspect({ findings: new Map([[org.login, given]]), checks: [never] });
    // WHEN the stack is synthesized
    Aspects.of(stack).add(checks);
    Testing.synth(stack);
    // THEN the node carries exactly the given findings
    expect(given.map((f) => f.checkId)).toContain("classic-tokens-allowed");
    expect(checks.findings.map((f) => f.checkId)).toEqual(given.map((f) => f.checkId));
    const meta = stack.node.findChild("token-policy").node.metadata.map((m) => String(m.data).split("]")[0] + "]");
    expect(meta).toEqual(given.map((f) => `[${f.checkId}]`));
  });
});
