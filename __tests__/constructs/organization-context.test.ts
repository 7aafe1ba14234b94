/**
 * Constructs take their organization from their stack (`OrganizationStack.of`): login, GitHub
 * instance and the loaded entry; their props still override, so they work outside one too.
 */
import { type App, TerraformStack, Testing } from "cdktf";
import { Construct } from "constructs";
import { AppCredentials } from "../../lib/constructs/app-credentials";
import { GitHubApp } from "../../lib/constructs/github-app";
import { MemberGuide } from "../../lib/constructs/member-guide";
import { OrganizationStack } from "../../lib/constructs/organization-stack";
import { OrgTokenPolicy } from "../../lib/constructs/org-token-policy";
import { PatPolicy } from "../../lib/constructs/pat-policy";
import { orgEntry, parseOrg } from "../../test-support/config";
import { newStack, synthJson } from "../../test-support/stack";

describe("OrganizationStack.of", () => {
  test("finds the stack of a construct nested at any depth", () => {
    // GIVEN a construct two levels below an organization's stack
    const stack = newStack();
    const inner = new Construct(new Construct(stack, "outer"), "inner");
    // WHEN / THEN its stack is found
    expect(OrganizationStack.of(inner)).toBe(stack);
    expect(OrganizationStack.tryOf(inner)?.organizationLogin).toBe("acme-corp");
  });

  test("fails when the construct is in no OrganizationStack", () => {
    const other = new TerraformStack(Testing.app(), "plain");
    expect(OrganizationStack.tryOf(other)).toBeUndefined();
    expect(() => OrganizationStack.of(new Construct(other, "x"))).toThrow(
      "plain/x is not inside an OrganizationStack: create it in one, or pass organizationLogin in its props",
    );
  });

  test("fromConfig keeps the loaded entry, with its login as the stack's id", () => {
    const org = parseOrg(orgEntry({ githubUrl: "https://github.acme.example" }));
    const stack = OrganizationStack.fromConfig(Testing.app(), org);
    expect([stack.node.id, stack.organizationLogin, stack.githubUrl, stack.organizationConfig]).toEqual([
      "acme-corp",
      "acme-corp",
      "https://github.acme.example",
      org,
    ]);
  });
});

describe("constructs in an OrganizationStack", () => {
  test("PatPolicy takes the login and GitHub instance of its stack", () => {
    // GIVEN a GHES organization's stack WHEN a PatPolicy names neither
    const stack = newStack({ githubUrl: "https://github.acme.example" });
    const policy = new PatPolicy(stack, "pat-policy");
    // THEN its settings URL is the stack's organization on the stack's instance
    expect(policy.patPolicySettingsUrl).toBe("https://github.acme.example/organizations/acme-corp/settings/personal-access-tokens");
  });

  test("props override the stack's organization", () => {
    const stack = newStack();
    const policy = new PatPolicy(stack, "pat-policy", { organizationLogin: "acme-labs" });
    expect(policy.patPolicySettingsUrl).toContain("/organizations/acme-labs/");
  });

  test("GitHubApp and AppCredentials name the stack's organization", () => {
    const stack = newStack();
    const app = new GitHubApp(stack, "app", { name: "acme-broker", homepageUrl: "https://github.com/acme-corp" });
    new AppCredentials(stack, "credentials", { appId: 1, clientId: "Iv1.0123456789abcdef", actions: { visibility: "all" } });
    const { tf } = synthJson(stack);
    expect(app.appRegistrationUrl).toContain("/organizations/acme-corp/");
    expect(Object.keys(tf.variable)).toEqual(["acme_corp_app_private_key_actions_sealed"]);
  });

  test("MemberGuide takes the loaded entry of a stack built from it", () => {
    const org = parseOrg(orgEntry({ guide: { repository: ".github" } }));
    const stack = OrganizationStack.fromConfig(Testing.app(), org);
    const guide = new MemberGuide(stack, "guide", { repository: ".github" });
    expect(guide.guideContent).toMatch(/^# Personal access tokens in acme-corp/);
  });

  test("OrgTokenPolicy.fromConfig and a stack built from the same entry synthesize the same Terraform", () => {
    const org = parseOrg();
    const synth = (build: (app: App) => void) => {
      const app = Testing.app();
      build(app);
      return Testing.synth(app.node.children[0] as OrganizationStack);
    };
    const before = synth((app) =>
      OrgTokenPolicy.fromConfig(new OrganizationStack(app, "acme-corp", { organizationLogin: "acme-corp" }), "token-policy", org),
    );
    const after = synth((app) => OrgTokenPolicy.fromConfig(OrganizationStack.fromConfig(app, org), "token-policy", org));
    expect(after).toEqual(before);
  });
});

describe("constructs outside an OrganizationStack", () => {
  test("fails when PatPolicy has no login and no OrganizationStack to take it from", () => {
    const stack = new TerraformStack(Testing.app(), "plain");
    expect(() => new PatPolicy(stack, "pat-policy")).toThrow(
      "PatPolicy: organizationLogin is required outside an OrganizationStack (plain/pat-policy)",
    );
  });

  test("fails when MemberGuide has no organization and no stack built from one", () => {
    const stack = newStack();
    expect(() => new MemberGuide(stack, "guide", { repository: ".github" })).toThrow(
      "MemberGuide: organization is required outside an OrganizationStack built from a config entry (acme-corp/guide)",
    );
  });

  test("work with their props alone", () => {
    const stack = new TerraformStack(Testing.app(), "plain");
    const policy = new PatPolicy(stack, "pat-policy", { organizationLogin: "acme-corp" });
    expect(policy.patPolicySettingsUrl).toBe("https://github.com/organizations/acme-corp/settings/personal-access-tokens");
  });
});
