import { join } from "node:path";
import { Testing, TerraformStack } from "cdktf";
import * as tokens from "cdktf/lib/_tokens";
import { GithubProvider } from "@cdktf/provider-github/lib/provider";
import { OrganizationStack, stackVariable } from "../../lib/constructs/organization-stack";
import { OrgTokenPolicy } from "../../lib/constructs/org-token-policy";
import { loadConfig } from "../../lib/config/load";
import { enterpriseOf } from "../../lib/config/effective-policy";
import { newStack, synthJson } from "../../test-support/stack";
import { tempDir } from "../../test-support/temp";

describe("OrganizationStack", () => {
  test("configures a github provider owned by the organization, api.github.com by default", () => {
    const { synth, tf } = synthJson(newStack());
    expect(synth).toHaveProviderWithProperties(GithubProvider, { owner: "acme-corp" });
    expect(tf.provider.github[0].base_url).toBeUndefined();
  });

  test.each([
    ["https://github.acme.example", "https://github.acme.example/api/v3/"],
    ["https://github.acme.example/", "https://github.acme.example/api/v3/"],
    ["https://octo.ghe.com", "https://api.octo.ghe.com/"],
  ])("derives the API root of %s", (githubUrl, baseUrl) => {
    const stack = newStack({ githubUrl });
    expect(Testing.synth(stack)).toHaveProviderWithProperties(GithubProvider, { owner: "acme-corp", base_url: baseUrl });
  });

  test("keeps local state in the project directory, by a path relative to the stack's directory", () => {
    // GIVEN cdktf's layout: the output directory inside the project (a temporary one: the app
    // makes its output directory, and a test writes nothing into the checkout)
    const cwd = process.cwd();
    process.chdir(tempDir("project-"));
    try {
      const app = Testing.app({ outdir: join(process.cwd(), "cdktf.out") });
      const stack = new OrganizationStack(app, "acme-corp", { organizationLogin: "acme-corp" });
      const custom = new OrganizationStack(app, "acme-labs", {
        organizationLogin: "acme-labs",
        backend: { type: "local", path: "state/labs.tfstate" },
      });
      // THEN Terraform, running in cdktf.out/stacks/<org>, finds the file in the project
      expect(synthJson(stack).tf.terraform.backend.local.path).toBe("../../../terraform.acme-corp.tfstate");
      expect(synthJson(custom).tf.terraform.backend.local.path).toBe("../../../state/labs.tfstate");
    } finally {
      process.chdir(cwd);
    }
  });

  test("keys shared backends per organization unless told otherwise", () => {
    const s3 = synthJson(
      newStack({ backend: { type: "s3", bucket: "tfstate", region: "eu-west-1", useLockfile: true, encrypt: true } }),
    ).tf;
    expect(s3.terraform.backend.s3).toEqual({
      bucket: "tfstate",
      key: "github-token-policy/acme-corp.tfstate",
      region: "eu-west-1",
      encrypt: true,
      use_lockfile: true,
    });
    expect(s3.terraform.required_version).toBe(">= 1.10.0");
    const gcs = synthJson(newStack({ backend: { type: "gcs", bucket: "tfstate" } })).tf;
    expect(gcs.terraform.backend.gcs).toEqual({ bucket: "tfstate", prefix: "github-token-policy/acme-corp" });
    const cloud = synthJson(newStack({ backend: { type: "cloud", organization: "acme" } })).tf;
    expect(cloud.terraform.cloud).toEqual({ organization: "acme", workspaces: { name: "github-token-policy-acme-corp" } });
    const pg = synthJson(newStack({ backend: { type: "pg" } })).tf;
    // The connection string carries a password: Terraform reads PG_CONN_STR.
    expect(pg.terraform.backend.pg).toEqual({ schema_name: "github_token_policy_acme_corp" });
  });

  test("assumes an S3 role in assume_role {}, as Terraform ≥ 1.10 requires", () => {
    const s3 = synthJson(
      newStack({
        backend: {
          type: "s3",
          bucket: "tfstate",
          region: "eu-west-1",
          useLockfile: false,
          encrypt: true,
          roleArn: "arn:aws:iam::123456789012:role/tfstate",
        },
      }),
    ).tf;
    expect(s3.terraform.backend.s3.assume_role).toEqual({ role_arn: "arn:aws:iam::123456789012:role/tfstate" });
    expect(s3.terraform.backend.s3).not.toHaveProperty("role_arn");
    expect(s3.terraform.required_version).toBe(">= 1.6.0");
  });

  test("constrains the github provider to releases that have every argument the stack writes and deprecate none of them", () => {
    const { tf } = synthJson(newStack());
    expect(tf.terraform.required_providers.github).toEqual({ source: "integrations/github", version: ">= 6.12.0, < 7.0.0" });
    expect(tf.terraform.required_version).toBe(">= 1.4.0");
  });

  test("writes required_version from the features the stack uses", () => {
    expect(synthJson(newStack({ backend: { type: "cloud", organization: "acme", project: "tokens" } })).tf.terraform.required_version).toBe(
      ">= 1.6.0",
    );
    expect(synthJson(newStack({ backend: { type: "gcs", bucket: "b" } })).tf.terraform.required_version).toBe(">= 1.4.0");
  });

  test("stackVariable creates one variable per name at the stack root, with that name", () => {
    const stack = newStack();
    const a = stackVariable(stack, "acme_corp_x", { type: "string", description: "x", sensitive: true });
    const b = stackVariable(stack, "acme_corp_x", { type: "string", description: "x", sensitive: true });
    expect(a).toBe(b);
    const { tf } = synthJson(stack);
    expect(tf.variable).toEqual({ acme_corp_x: { type: "string", description: "x", sensitive: true } });
  });

  test("two organizations in one app each get their own provider and state", () => {
    const app = Testing.app();
    const a = new OrganizationStack(app, "a", { organizationLogin: "a" });
    const b = new OrganizationStack(app, "b", { organizationLogin: "b" });
    expect(JSON.parse(Testing.synth(a)).provider.github[0].owner).toBe("a");
    expect(JSON.parse(Testing.synth(b)).terraform.backend.local.path).toMatch(/terraform\.b\.tfstate$/);
  });
});

describe("OrganizationStack.prepareStack", () => {
  /** The example's organizations, each in its stack with its token policy, in one fresh app. */
  function exampleStacks(): OrganizationStack[] {
    const { config } = loadConfig(join(__dirname, "..", "..", "token-policy.yaml"));
    const app = Testing.app();
    return config.organizations.map((org, i) => {
      const stack = OrganizationStack.fromConfig(app, org, enterpriseOf(config, org));
      OrgTokenPolicy.fromConfig(stack, "token-policy", org, { configPath: `organizations[${i}]`, enterprise: enterpriseOf(config, org) });
      return stack;
    });
  }

  test("resolves no element: cdktf's preparing pass only creates cross-stack references, which an organization's stack never has", () => {
    // GIVEN the example's stacks, and cdktf's resolve watched
    const stacks = exampleStacks();
    const resolve = jest.spyOn(tokens, "resolve");
    try {
      // WHEN App.synth prepares them
      for (const stack of stacks) stack.prepareStack();
      // THEN nothing was resolved
      expect(resolve).not.toHaveBeenCalled();
    } finally {
      resolve.mockRestore();
    }
  });

  test("changes nothing in the output: the example's stacks synthesize the same with cdktf's own preparing pass", () => {
    // GIVEN the example's stacks twice WHEN one set is prepared by cdktf's own prepareStack
    const ours = exampleStacks();
    const cdktfs = exampleStacks();
    for (const stack of ours) stack.prepareStack();
    for (const stack of cdktfs) TerraformStack.prototype.prepareStack.call(stack);
    // THEN every stack synthesizes to the same document
    expect(cdktfs.map((s) => Testing.synth(s))).toEqual(ours.map((s) => Testing.synth(s)));
  });
});
