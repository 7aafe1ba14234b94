import { PatPolicy } from "../../lib/constructs/pat-policy";
import { newStack, synthJson } from "../../test-support/stack";

describe("PatPolicy", () => {
  test("records the canonical policy with defaults spelled out", () => {
    const stack = newStack();
    new PatPolicy(stack, "pat-policy", { organizationLogin: "acme-corp" });
    const { synth } = synthJson(stack);
    expect(synth).toHaveResourceWithProperties(
      { tfResourceType: "terraform_data" },
      {
        input: {
          fine_grained_tokens: "allow",
          require_approval: true,
          fine_grained_max_lifetime_days: 366,
          classic_tokens: "restrict",
          classic_max_lifetime_days: null,
        },
      },
    );
  });

  test("a changed policy changes the recorded input, so cdktf diff shows it", () => {
    const record = (maxLifetimeDays: number) => {
      const stack = newStack();
      new PatPolicy(stack, "pat-policy", { organizationLogin: "acme-corp", maxLifetimeDays });
      const tf = synthJson(stack).tf;
      return Object.values(tf.resource.terraform_data as Record<string, { input: unknown }>)[0].input;
    };
    expect(record(90)).not.toEqual(record(30));
    expect(record(30)).toMatchObject({ fine_grained_max_lifetime_days: 30 });
  });

  test("outputs the settings URL and the owner's steps, for GHES too", () => {
    const stack = newStack({ githubUrl: "https://github.acme.example" });
    new PatPolicy(stack, "pat-policy", {
      organizationLogin: "acme-corp",
      githubUrl: "https://github.acme.example",
      maxLifetimeDays: 45,
      classicTokens: "allow",
      classicMaxLifetimeDays: 30,
    });
    const { tf } = synthJson(stack);
    expect(tf.output.pat_policy_settings_url.value).toBe(
      "https://github.acme.example/organizations/acme-corp/settings/personal-access-tokens",
    );
    const steps: string[] = tf.output.pat_policy_owner_steps.value;
    expect(steps[0]).toBe(
      "Open https://github.acme.example/organizations/acme-corp/settings/personal-access-tokens as an organization owner.",
    );
    expect(steps).toContain("Set the maximum lifetime of fine-grained tokens to 45 days.");
    expect(steps).toContain("Set the maximum lifetime of classic tokens to 30 days.");
  });

  test("restricted fine-grained tokens skip the approval and lifetime steps", () => {
    const stack = newStack();
    const p = new PatPolicy(stack, "pat-policy", { organizationLogin: "acme-corp", fineGrainedTokens: "restrict" });
    expect(p.patPolicyOwnerSteps.join("\n")).not.toMatch(/approval|fine-grained tokens to/);
    expect(p.patPolicyOwnerSteps).toContain(
      'Fine-grained personal access tokens: select "Restrict access via fine-grained personal access tokens".',
    );
  });

  test.each([0, 367, 1.5])("fails when maxLifetimeDays is %p", (days) => {
    const stack = newStack();
    expect(() => new PatPolicy(stack, "pat-policy", { organizationLogin: "acme-corp", maxLifetimeDays: days })).toThrow(
      `PatPolicy: maxLifetimeDays must be a whole number between 1 and 366, got ${days} (acme-corp/pat-policy)`,
    );
  });
});
