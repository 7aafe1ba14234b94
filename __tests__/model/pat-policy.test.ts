import { ownerSteps, patPolicyDocument } from "../../lib/model/pat-policy";
import { enterpriseOwnerSteps, enterprisePatPolicyDocument } from "../../lib/model/enterprise-pat-policy";

describe("patPolicyDocument", () => {
  test("spells out every default: fine-grained tokens allowed with approval for 366 days, classic restricted", () => {
    expect(patPolicyDocument({})).toEqual({
      fine_grained_tokens: "allow",
      require_approval: true,
      fine_grained_max_lifetime_days: 366,
      classic_tokens: "restrict",
      classic_max_lifetime_days: null,
    });
  });

  test("drops a classic lifetime while classic tokens are restricted", () => {
    expect(patPolicyDocument({ classicMaxLifetimeDays: 30 }).classic_max_lifetime_days).toBeNull();
    expect(patPolicyDocument({ classicTokens: "allow", classicMaxLifetimeDays: 30 }).classic_max_lifetime_days).toBe(30);
  });
});

describe("ownerSteps", () => {
  test("opens the settings page, follows its order and ends with the deploy", () => {
    // GIVEN fine-grained tokens restricted and classic tokens allowed without a limit
    const steps = ownerSteps(
      patPolicyDocument({ fineGrainedTokens: "restrict", classicTokens: "allow" }),
      "https://github.com/organizations/acme-corp/settings/personal-access-tokens",
    );
    // THEN the owner is told each setting in the page's order
    expect(steps).toEqual([
      "Open https://github.com/organizations/acme-corp/settings/personal-access-tokens as an organization owner.",
      'Fine-grained personal access tokens: select "Restrict access via fine-grained personal access tokens".',
      'Personal access tokens (classic): select "Allow access via personal access tokens (classic)".',
      "Leave the maximum lifetime of classic tokens unset.",
      "Save, then run `cdktf deploy` so Terraform records the policy as applied.",
    ]);
  });
});

describe("enterprise documents", () => {
  test("record null for an absent maximum and name each choice as the enterprise page does", () => {
    const doc = enterprisePatPolicyDocument({
      fineGrainedTokens: "organizations-decide",
      requireApproval: true,
      classicTokens: "restrict",
      exemptAdministrators: false,
    });
    expect(doc).toEqual({
      fine_grained_tokens: "organizations-decide",
      require_approval: true,
      fine_grained_max_lifetime_days: null,
      classic_tokens: "restrict",
      classic_max_lifetime_days: null,
      exempt_administrators: false,
    });
    const steps = enterpriseOwnerSteps(doc, "https://github.com/enterprises/acme/settings");
    expect(steps[1]).toBe('Tab "Fine-grained tokens": under access, select "Allow organizations to configure access requirements".');
    expect(steps[2]).toBe('Tab "Fine-grained tokens": under approval, select "Require approval".');
  });
});
