import { join } from "node:path";
import { Testing } from "cdktf";
import { loadConfig } from "../../lib/config/load";
import { OrgTokenPolicy } from "../../lib/constructs/org-token-policy";
import { OrganizationStack } from "../../lib/constructs/organization-stack";
import { minimumTerraformVersion, TERRAFORM_FEATURES, type TerraformFeature } from "../../lib/constructs/terraform-requirements";
import { orgEntry, parseOrg } from "../../test-support/config";
import { newStack, synthJson } from "../../test-support/stack";

/** The features a synthesized stack uses, read from the JSON Terraform gets (not from what the constructs recorded). */
function featuresIn(tf: any): TerraformFeature[] {
  const text = JSON.stringify(tf);
  const found: TerraformFeature[] = [];
  if (text.includes('"postcondition"') || text.includes('"precondition"')) found.push("postconditions");
  if (text.includes('"replace_triggered_by"')) found.push("replace_triggered_by");
  if (tf.resource?.terraform_data) found.push("terraform_data");
  if (text.includes("nonsensitive(")) found.push("nonsensitive");
  if (tf.removed) found.push("removed_block");
  if (tf.terraform?.cloud?.workspaces?.project) found.push("cloud_workspace_project");
  if (tf.terraform?.backend?.s3?.assume_role) found.push("s3_assume_role");
  if (tf.terraform?.backend?.s3?.use_lockfile) found.push("s3_use_lockfile");
  return found;
}

function compare(a: string, b: string): number {
  const [pa, pb] = [a, b].map((v) => v.split(".").map(Number));
  for (let i = 0; i < 3; i++) if (pa[i] !== pb[i]) return pa[i] - pb[i];
  return 0;
}

describe("Terraform requirements", () => {
  test("pins each feature to the Terraform release that introduced it", () => {
    // Each from Terraform's CHANGELOG (the v1.x branch's CHANGELOG.md), in its words where quoted.
    expect(TERRAFORM_FEATURES).toEqual({
      // v1.2.0 (2022-05-18), new features: preconditions and postconditions on resources, data sources and outputs
      postconditions: "1.2.0",
      // v1.2.0 (2022-05-18): "replace_triggered_by is a new lifecycle argument for managed resources"
      replace_triggered_by: "1.2.0",
      // v1.4.0 (2023-03-08), new features: the built-in terraform_data managed resource (in place of null_resource)
      terraform_data: "1.4.0",
      // v1.6.0 (2023-10-04): the cloud block's workspaces take a project
      cloud_workspace_project: "1.6.0",
      // v1.6.0 (2023-10-04), backend/s3: assume_role block (the top-level role_arn deprecated; gone in 1.10)
      s3_assume_role: "1.6.0",
      // v1.7.0 (2024-01-17), new features: removed blocks, to remove a resource from state without destroying it
      removed_block: "1.7.0",
      // v1.7.0: "nonsensitive: no longer produces error when applied to nonsensitive values" (hashicorp/terraform#33856)
      nonsensitive: "1.7.0",
      // v1.10.0 (2024-11-27), backend/s3: S3-native state locking, use_lockfile
      s3_use_lockfile: "1.10.0",
    });
  });

  test("the minimum is the highest of the features used, and 1.4.0 at least", () => {
    expect(minimumTerraformVersion([])).toBe("1.4.0");
    expect(minimumTerraformVersion(["postconditions"])).toBe("1.4.0");
    expect(minimumTerraformVersion(["postconditions", "nonsensitive", "cloud_workspace_project"])).toBe("1.7.0");
    expect(minimumTerraformVersion(["s3_use_lockfile", "removed_block"])).toBe("1.10.0");
  });

  const example = loadConfig(join(__dirname, "..", "..", "token-policy.yaml")).config.organizations;
  const cases: [string, () => any][] = [
    ...example.map((org, i): [string, () => any] => [
      `the example's ${org.login}`,
      () => {
        const stack = new OrganizationStack(Testing.app(), org.login, {
          organizationLogin: org.login,
          githubUrl: org.githubUrl,
          backend: org.backend,
        });
        OrgTokenPolicy.fromConfig(stack, "token-policy", org, { configPath: `organizations[${i}]` });
        return synthJson(stack).tf;
      },
    ]),
    [
      "plaintext mode with a local backend",
      () => {
        const stack = newStack();
        OrgTokenPolicy.fromConfig(
          stack,
          "token-policy",
          parseOrg(orgEntry({ credentials: { privateKeyInput: "plaintext", actions: { visibility: "all" } } })),
        );
        return synthJson(stack).tf;
      },
    ],
    [
      "S3 with a role and locking, listed installation repositories",
      () => {
        const stack = newStack({
          backend: {
            type: "s3",
            bucket: "b",
            region: "eu-west-1",
            useLockfile: true,
            encrypt: true,
            roleArn: "arn:aws:iam::123456789012:role/x",
          },
        });
        OrgTokenPolicy.fromConfig(
          stack,
          "token-policy",
          parseOrg(
            orgEntry({
              app: { name: "acme-broker", homepageUrl: "https://github.com/acme-corp", installation: { id: 5, repositories: ["a"] } },
            }),
          ),
        );
        return synthJson(stack).tf;
      },
    ],
    [
      "a cloud project",
      () => {
        const stack = newStack({ backend: { type: "cloud", organization: "acme", project: "tokens" } });
        OrgTokenPolicy.fromConfig(stack, "token-policy", parseOrg());
        return synthJson(stack).tf;
      },
    ],
  ];

  test.each(cases)("required_version of %s covers every feature its JSON uses", (_what, synth) => {
    const tf = synth();
    const used = featuresIn(tf);
    const required = /^>= (\d+\.\d+\.\d+)$/.exec(tf.terraform.required_version)?.[1];
    expect(required).toBeDefined();
    for (const feature of used) expect([feature, compare(required!, TERRAFORM_FEATURES[feature]) >= 0]).toEqual([feature, true]);
    // and asks no more than the features need
    expect(required).toBe(minimumTerraformVersion(used));
  });

  test("plaintext mode needs Terraform 1.7 for nonsensitive() over the key's checks", () => {
    const stack = newStack();
    OrgTokenPolicy.fromConfig(
      stack,
      "token-policy",
      parseOrg(
        orgEntry({
          app: { name: "acme-broker", homepageUrl: "https://github.com/acme-corp", installation: { id: 5, repositories: ["a"] } },
          credentials: { privateKeyInput: "plaintext", actions: { visibility: "all" } },
        }),
      ),
    );
    const { tf } = synthJson(stack);
    expect(tf.locals.acme_corp_app_private_key_ok).toMatch(/^\$\{nonsensitive\(/);
    expect(tf.removed).toBeUndefined();
    expect(tf.terraform.required_version).toBe(">= 1.7.0");
  });
});
