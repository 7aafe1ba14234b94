/**
 * No partial plan before an error (issue 30 item 3), with real Terraform 1.11 and a real provider.
 *
 * Terraform plans a resource that left the configuration (an orphan) with no edge to anything in
 * the configuration, so a failing lookup or input check cannot order it; what it waits for is its
 * provider's configuration. The stacks' github provider takes its owner from an expression that
 * references every lookup and the input checks (lib/constructs/lookup-provider.ts). No github
 * provider can be installed here, so the example's acme-corp stack is cut to a provider that can:
 * the AWS provider from a local plugin directory (configured offline, never called), each github
 * provider block an `aws` block with the same alias whose `region` is the github `owner`
 * expression, each github resource an `aws_ssm_parameter` of that provider keeping its
 * `depends_on`, each github data source a `terraform_remote_state` keeping its postcondition's
 * message and failing when told. The state holds two orphans: the environment secret of a
 * repository the config no longer names, the case found (a renamed environment repository), and a
 * guide file at a path the config no longer names.
 */
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Testing } from "cdktf";
import { loadConfig } from "../../lib/config/load";
import { enterpriseOf } from "../../lib/config/effective-policy";
import { OrganizationStack } from "../../lib/constructs/organization-stack";
import { OrgTokenPolicy } from "../../lib/constructs/org-token-policy";
import { terraform, terraformBinary, terraformDir } from "../../test-support/terraform";

/** A local plugin directory holding the AWS provider (no download). */
const PLUGIN_DIR = "/opt/tf-plugins";
const AWS = "registry.terraform.io/hashicorp/aws";
const awsVersion = (): string | undefined => {
  const dir = join(PLUGIN_DIR, AWS);
  if (!existsSync(dir)) return undefined;
  return require("node:fs").readdirSync(dir)[0];
};
const ready = terraformBinary() && awsVersion() ? describe : describe.skip;

/** The example's acme-corp stack as synthesized. */
function acmeCorp(): any {
  const loaded = loadConfig(join(__dirname, "..", "..", "token-policy.yaml"));
  const i = loaded.config.organizations.findIndex((o) => o.login === "acme-corp");
  const org = loaded.config.organizations[i];
  const stack = new OrganizationStack(Testing.app(), org.login, { organizationLogin: org.login, githubUrl: org.githubUrl });
  OrgTokenPolicy.fromConfig(stack, "token-policy", org, {
    configPath: `organizations[${i}]`,
    enterprise: enterpriseOf(loaded.config, org),
  });
  return JSON.parse(Testing.synth(stack));
}

/** `data.github_<type>.<name>` → the remote-state stand-in's address. */
const dataStandIn = (type: string, name: string) => `data.terraform_remote_state.${type}__${name}`;

/**
 * The stack on the AWS provider. `gated: false` writes the github provider's owner as the bare
 * login, as stacks did before: the control that shows the test sees a partial plan.
 */
function onAwsProvider(tf: any, dir: string, gated: boolean): any {
  let text = JSON.stringify(tf);
  // References to lookups: their `id` becomes the stand-in's `backend`, a repository id a number.
  text = text.replace(/jsondecode\(data\.github_rest_api\.([A-Za-z0-9_-]+)\.body\)\.id/g, "1001");
  text = text.replace(/data\.(github_[a-z_]+)\.([A-Za-z0-9_-]+)\.id/g, (_m, type, name) => `${dataStandIn(type, name)}.backend`);
  const cut = JSON.parse(text);
  const out: any = {
    terraform: {
      required_version: cut.terraform.required_version,
      required_providers: { aws: { source: "hashicorp/aws", version: awsVersion() } },
    },
    variable: cut.variable,
    locals: cut.locals,
    provider: {
      aws: cut.provider.github.map((p: any) => ({
        ...(p.alias ? { alias: p.alias } : {}),
        region: gated ? p.owner : "acme-corp",
        access_key: "stand-in",
        secret_key: "stand-in",
        skip_credentials_validation: true,
        skip_requesting_account_id: true,
        skip_metadata_api_check: true,
        skip_region_validation: true,
      })),
    },
    data: { terraform_remote_state: {} as Record<string, unknown> },
    resource: { terraform_data: {} as Record<string, unknown>, aws_ssm_parameter: {} as Record<string, unknown> },
  };
  const rewrite = (a: string) =>
    a.startsWith("data.github_")
      ? dataStandIn(a.split(".")[1], a.split(".")[2])
      : a.startsWith("github_")
        ? `aws_ssm_parameter.${a.replace(".", "__")}`
        : a;
  for (const [type, byName] of Object.entries(cut.data) as [string, Record<string, any>][]) {
    for (const [name, d] of Object.entries(byName)) {
      out.data.terraform_remote_state[`${type}__${name}`] = {
        backend: "local",
        config: { path: join(dir, "lookup.tfstate") },
        lifecycle: {
          postcondition: [
            {
              condition: `\${!contains(var.failing_lookups, ${JSON.stringify(`${type}.${name}`)})}`,
              // a failing stand-in is a lookup GitHub answered 404 (its message's branch for a missing repository)
              error_message: d.lifecycle.postcondition[0].error_message.replace(/self\.id/g, "self.backend").replace(/self\.code/g, "404"),
            },
          ],
        },
      };
    }
  }
  out.variable.failing_lookups = { type: "list(string)", default: [] };
  for (const [name, r] of Object.entries(cut.resource.terraform_data) as [string, any][]) {
    out.resource.terraform_data[name] = r.depends_on ? { ...r, depends_on: r.depends_on.map(rewrite) } : r;
  }
  for (const [type, byName] of Object.entries(cut.resource) as [string, Record<string, any>][]) {
    if (!type.startsWith("github_")) continue;
    for (const [name, r] of Object.entries(byName)) {
      out.resource.aws_ssm_parameter[`${type}__${name}`] = {
        name: `${type}.${name}`,
        type: "String",
        value: "stand-in",
        ...(r.provider ? { provider: r.provider.replace(/^github/, "aws") } : {}),
        ...(r.depends_on ? { depends_on: r.depends_on.map(rewrite) } : {}),
      };
    }
  }
  return out;
}

/** Orphans: the environment secret of a repository the config no longer names, and a guide file at a path it no longer names. */
const ORPHAN = "github_actions_environment_secret__token-policy_credentials_env_old-tools_production";
const GUIDE_ORPHAN = "github_repository_file__token-policy_guide_old-file";
function stateWithOrphan(): unknown {
  const orphan = (name: string) => ({
    mode: "managed",
    type: "aws_ssm_parameter",
    name,
    provider: `provider["${AWS}"]`,
    instances: [{ schema_version: 0, attributes: { id: name, name, type: "String", value: "stand-in" }, sensitive_attributes: [] }],
  });
  return {
    version: 4,
    terraform_version: "1.11.4",
    serial: 1,
    lineage: "7f0c2d2e-0000-4000-8000-000000000030",
    outputs: {},
    resources: [orphan(ORPHAN), orphan(GUIDE_ORPHAN)],
  };
}

const sealed = (n: number) => `key-${n}:${Buffer.alloc(1750, n).toString("base64")}`;
const INPUTS = {
  TF_VAR_acme_corp_app_id: "123456",
  TF_VAR_acme_corp_app_client_id: "Iv23liAbCdEfGh123456",
  TF_VAR_acme_corp_app_installation_id: "987654",
  TF_VAR_acme_corp_app_private_key_actions_sealed: sealed(1),
  TF_VAR_acme_corp_app_private_key_dependabot_sealed: sealed(2),
  TF_VAR_acme_corp_app_private_key_env_release_tools__production_sealed: sealed(3),
};

/** `terraform plan` of the cut with `failing` lookups and `env` over the good inputs. */
function plan(gated: boolean, failing: string[], env: Record<string, string> = {}) {
  const dir = terraformDir({});
  writeFileSync(join(dir, "main.tf.json"), JSON.stringify(onAwsProvider(acmeCorp(), dir, gated), null, 2));
  writeFileSync(join(dir, "lookup.tfstate"), JSON.stringify({ version: 4, serial: 1, lineage: "l", outputs: {}, resources: [] }));
  writeFileSync(join(dir, "terraform.tfstate"), JSON.stringify(stateWithOrphan()));
  const init = terraform(dir, ["init", "-input=false", `-plugin-dir=${PLUGIN_DIR}`]);
  expect(init.output).toMatch(/initialized/);
  // -refresh=false: the orphan is not read from AWS; the order does not depend on it.
  return terraform(dir, ["plan", "-input=false", "-refresh=false", `-var=failing_lookups=${JSON.stringify(failing)}`], {
    ...INPUTS,
    ...env,
  });
}

const REPOSITORY = "github_rest_api.repositories_repo_release-tools_5029BC5B";
const GUIDE_REPOSITORY = "github_rest_api.repositories_repo_github_D422B857";
const OWNER = "github_actions_organization_secrets.provider_owner";

ready("lookups and input checks before any resource is planned (real Terraform, a real provider)", () => {
  test("the cut plans the orphan's destroy when every lookup and input check passes", () => {
    // GIVEN a state holding an environment secret the config no longer names WHEN nothing fails
    const r = plan(true, []);
    // THEN the plan destroys it: the test sees a destroy when there is one
    expect(r.output).toContain(`aws_ssm_parameter.${ORPHAN} will be destroyed`);
    expect(r.output).toContain(`aws_ssm_parameter.${GUIDE_ORPHAN} will be destroyed`);
    expect(r.status).toBe(0);
  });

  test.each([
    ["a missing environment repository", [REPOSITORY], {}, /no repository acme-corp\/release-tools/],
    ["a missing guide repository", [GUIDE_REPOSITORY], {}, /no repository acme-corp\/\.github/],
    ["the provider acting on another organization", [OWNER], {}, /The github provider acts on organization/],
    [
      "a PEM pasted in place of a sealed key",
      [],
      { TF_VAR_acme_corp_app_private_key_actions_sealed: "-----BEGIN " + "RSA PRIVATE KEY-----" },
      /must be the App's private key sealed/,
    ],
  ])("fails with %s, and prints no plan and nothing destroyed", (_what, failing, env, message) => {
    // GIVEN the orphan in state WHEN a lookup or an input check fails
    const r = plan(true, failing as string[], env as Record<string, string>);
    // THEN the plan fails with that error, and no resource of the provider, the orphan included, was planned
    // (Terraform's own records, terraform_data, may still be planned for creation: they touch nothing on GitHub)
    expect(r.status).toBe(1);
    expect(r.output).toMatch(message);
    expect(r.output).not.toMatch(/will be destroyed|must be replaced|[1-9][0-9]* to destroy/);
    expect(r.output).not.toContain("aws_ssm_parameter.");
  });

  test("fails when the provider does not wait for the lookups: the partial plan destroys the orphan (the control)", () => {
    // GIVEN the provider's owner written as the bare login WHEN a lookup fails
    const r = plan(false, [REPOSITORY]);
    // THEN Terraform plans the orphan's destroy before the error, as it did for the stacks before
    expect(r.status).toBe(1);
    expect(r.output).toMatch(/no repository acme-corp\/release-tools/);
    expect(r.output).toContain(`aws_ssm_parameter.${ORPHAN} will be destroyed`);
  });
});
