import { Testing } from "cdktf";
import { EnterprisePatPolicy } from "../../lib/constructs/enterprise-pat-policy";
import { EnterpriseStack } from "../../lib/constructs/enterprise-stack";
import { OrgTokenPolicy } from "../../lib/constructs/org-token-policy";
import { enterpriseSchema } from "../../lib/config/schema";
import { newStack } from "../../test-support/stack";

function enterpriseStack(props: Partial<ConstructorParameters<typeof EnterpriseStack>[2]> = {}) {
  return new EnterpriseStack(Testing.app(), "enterprise-acme", { enterpriseSlug: "acme", ...props });
}
const synth = (stack: EnterpriseStack) => {
  const text = Testing.synth(stack);
  return { text, tf: JSON.parse(text) };
};

describe("EnterprisePatPolicy", () => {
  test("records the enterprise's policy with every default spelled out", () => {
    // GIVEN an enterprise stack WHEN an empty policy is added
    const stack = enterpriseStack();
    new EnterprisePatPolicy(stack, "enterprise-pat-policy", { enterpriseSlug: "acme" });
    // THEN the record says organizations decide everything, and no lifetime cap
    expect(synth(stack).text).toHaveResourceWithProperties(
      { tfResourceType: "terraform_data" },
      {
        input: {
          fine_grained_tokens: "organizations-decide",
          require_approval: "organizations-decide",
          fine_grained_max_lifetime_days: null,
          classic_tokens: "organizations-decide",
          classic_max_lifetime_days: null,
          exempt_administrators: false,
        },
      },
    );
  });

  test("a changed enterprise policy changes the recorded input, so cdktf diff shows it", () => {
    const record = (maxLifetimeDays: number) => {
      const stack = enterpriseStack();
      new EnterprisePatPolicy(stack, "enterprise-pat-policy", { enterpriseSlug: "acme", maxLifetimeDays });
      return Object.values(synth(stack).tf.resource.terraform_data as Record<string, { input: unknown }>)[0].input;
    };
    expect(record(90)).toMatchObject({ fine_grained_max_lifetime_days: 90 });
    expect(record(30)).not.toEqual(record(90));
  });

  test("outputs the enterprise settings URL and the owner's steps, in the page's words", () => {
    const stack = enterpriseStack({ githubUrl: "https://github.acme.example" });
    const p = new EnterprisePatPolicy(stack, "enterprise-pat-policy", {
      enterpriseSlug: "acme",
      githubUrl: "https://github.acme.example",
      fineGrainedTokens: "allow",
      requireApproval: false,
      maxLifetimeDays: 90,
      classicTokens: "restrict",
      exemptAdministrators: true,
    });
    const { tf } = synth(stack);
    expect(tf.output.enterprise_pat_policy_settings_url.value).toBe("https://github.acme.example/enterprises/acme/settings");
    expect(tf.output.enterprise_pat_policy_owner_steps.value).toEqual([...p.enterprisePatPolicyOwnerSteps]);
    expect(p.enterprisePatPolicyOwnerSteps).toEqual([
      "Open https://github.acme.example/enterprises/acme/settings as an enterprise owner, then Policies → Personal access tokens.",
      'Tab "Fine-grained tokens": under access, select "Allow access via personal access tokens".',
      'Tab "Fine-grained tokens": under approval, select "Disable approval".',
      'Tab "Fine-grained tokens": set "Set maximum lifetimes for personal access tokens" to 90 days.',
      'Tab "Tokens (classic)": under access, select "Restrict access via personal access tokens".',
      'Tab "Tokens (classic)": leave "Set maximum lifetimes for personal access tokens" unset (organizations choose).',
      '"Exempt administrators": check it.',
      "Save, then run `cdktf deploy` so Terraform records the policy as applied.",
    ]);
  });

  test("fails when the slug is not an enterprise slug, with every other problem", () => {
    expect(() => new EnterprisePatPolicy(enterpriseStack(), "p", { enterpriseSlug: "Acme Corp", requireApproval: "yes" as never })).toThrow(
      'EnterprisePatPolicy enterprise-acme/p: enterpriseSlug: must be a GitHub enterprise slug (lower-case letters, digits and single hyphens), got "Acme Corp"; requireApproval: must be true, false or organizations-decide, got "yes"',
    );
  });

  test("fromConfig records a loaded entry", () => {
    const stack = enterpriseStack();
    const entry = enterpriseSchema.parse({ slug: "acme", patPolicy: { requireApproval: true, classicMaxLifetimeDays: 30 } });
    const p = EnterprisePatPolicy.fromConfig(stack, "enterprise-pat-policy", entry);
    expect(p.enterprisePatPolicyDocument).toMatchObject({ require_approval: true, classic_max_lifetime_days: 30 });
  });

  test("fails when a prop is outside what GitHub offers, naming the construct, the prop and the value", () => {
    const stack = enterpriseStack();
    expect(
      () => new EnterprisePatPolicy(stack, "p", { enterpriseSlug: "acme", maxLifetimeDays: 400, fineGrainedTokens: "deny" as never }),
    ).toThrow(
      'EnterprisePatPolicy enterprise-acme/p: fineGrainedTokens: must be one of allow, restrict, organizations-decide, got "deny"; maxLifetimeDays: must be between 1 and 366, got 400',
    );
  });
});

describe("OrgTokenPolicy under an enterprise", () => {
  const acme = enterpriseSchema.parse({
    slug: "acme",
    patPolicy: { fineGrainedTokens: "allow", maxLifetimeDays: 60, requireApproval: true },
  });
  const props = {
    organizationLogin: "acme-corp",
    app: { name: "acme-broker", homepageUrl: "https://github.com/acme-corp" },
    credentials: { actions: { visibility: "private" as const } },
    enterprise: acme,
  };

  test("takes the enterprise from an EnterprisePatPolicy built in code", () => {
    const enterprise = new EnterprisePatPolicy(enterpriseStack(), "enterprise-pat-policy", {
      enterpriseSlug: "acme",
      classicTokens: "allow",
      classicMaxLifetimeDays: 30,
    });
    const policy = new OrgTokenPolicy(newStack(), "token-policy", { ...props, enterprise: enterprise.enterpriseBounds });
    expect(policy.patPolicy.patPolicyDocument).toMatchObject({
      classic_tokens: "allow",
      classic_max_lifetime_days: 30,
      fine_grained_max_lifetime_days: 366,
    });
  });

  test("records the effective policy: the enterprise's cap where the organization declares none", () => {
    const policy = new OrgTokenPolicy(newStack(), "token-policy", props);
    expect(policy.organizationConfig.enterprise).toBe("acme");
    expect(policy.patPolicy.patPolicyDocument.fine_grained_max_lifetime_days).toBe(60);
  });

  test("fails when the organization declares what its enterprise forbids, or sits on another host", () => {
    expect(
      () =>
        new OrgTokenPolicy(newStack({ githubUrl: "https://github.acme.example" }), "token-policy", {
          ...props,
          githubUrl: "https://github.acme.example",
          patPolicy: { maxLifetimeDays: 90, requireApproval: false },
        }),
    ).toThrow(
      /^OrgTokenPolicy acme-corp\/token-policy: patPolicy\.requireApproval: is false, but enterprise acme requires approval.*; patPolicy\.maxLifetimeDays: is 90 days, but enterprise acme caps .* at 60 days.*; githubUrl: is https:\/\/github\.acme\.example, but enterprise acme is on https:\/\/github\.com$/,
    );
  });
});
