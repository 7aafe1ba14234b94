import { ActionsEnvironmentSecret } from "@cdktf/provider-github/lib/actions-environment-secret";
import { ActionsOrganizationSecret } from "@cdktf/provider-github/lib/actions-organization-secret";
import { ActionsOrganizationSecretRepositories } from "@cdktf/provider-github/lib/actions-organization-secret-repositories";
import { DependabotOrganizationSecretRepositories } from "@cdktf/provider-github/lib/dependabot-organization-secret-repositories";
import { ActionsOrganizationVariable } from "@cdktf/provider-github/lib/actions-organization-variable";
import { DataGithubRestApi } from "@cdktf/provider-github/lib/data-github-rest-api";
import { DependabotOrganizationSecret } from "@cdktf/provider-github/lib/dependabot-organization-secret";
import { AppCredentials, type AppCredentialsProps } from "../../lib/constructs/app-credentials";
import { newStack, synthJson } from "../../test-support/stack";

const props: AppCredentialsProps = {
  organizationLogin: "acme-corp",
  appId: 12345,
  clientId: "Iv23liabc",
  actions: { visibility: "selected", repositories: ["release-tools", "changelog"] },
};

function synthWith(extra: Partial<AppCredentialsProps> = {}) {
  const stack = newStack();
  const c = new AppCredentials(stack, "credentials", { ...props, ...extra });
  return { c, ...synthJson(stack) };
}

describe("AppCredentials", () => {
  test("writes the App id and client id as org Actions variables with the secret's visibility", () => {
    const { synth, tf } = synthWith();
    expect(synth).toHaveResourceWithProperties(ActionsOrganizationVariable, {
      variable_name: "TOKEN_BROKER_APP_ID",
      value: "12345",
      visibility: "selected",
    });
    expect(synth).toHaveResourceWithProperties(ActionsOrganizationVariable, {
      variable_name: "TOKEN_BROKER_CLIENT_ID",
      value: "Iv23liabc",
    });
    // Repository ids are looked up by name, once per repository (one GET /repos/{owner}/{repo}), sorted.
    const repos = Object.values(tf.data.github_rest_api).map((r: any) => r.endpoint);
    expect(repos).toEqual(["repos/acme-corp/changelog", "repos/acme-corp/release-tools"]);
    expect(synth).toHaveDataSourceWithProperties(DataGithubRestApi, { endpoint: "repos/acme-corp/release-tools" });
    const variable = Object.values(tf.resource.github_actions_organization_variable)[0] as any;
    expect(variable.selected_repository_ids).toEqual([
      expect.stringMatching(/^\$\{jsondecode\(data\.github_rest_api\..*changelog.*\.body\)\.id\}$/),
      expect.stringMatching(/^\$\{jsondecode\(data\.github_rest_api\..*release-tools.*\.body\)\.id\}$/),
    ]);
  });

  test("takes the key sealed, from a sensitive variable named after the organization, and passes its key id", () => {
    const { synth, tf, c } = synthWith();
    expect(synth).toHaveResourceWithProperties(ActionsOrganizationSecret, {
      secret_name: "TOKEN_BROKER_PRIVATE_KEY",
      key_id: "${local.acme_corp_app_private_key_actions_sealed_key_id}",
      value_encrypted: "${local.acme_corp_app_private_key_actions_sealed_value_encrypted}",
      visibility: "selected",
    });
    // The variable holds KEY_ID:BASE64 as seal prints it, or BASE64 alone as seal printed it before (no key id)
    const parts = 'split(":", var.acme_corp_app_private_key_actions_sealed)';
    expect(tf.locals).toMatchObject({
      acme_corp_app_private_key_actions_sealed_key_id: `\${length(${parts}) > 1 ? ${parts}[0] : null}`,
      acme_corp_app_private_key_actions_sealed_value_encrypted: `\${${parts}[length(${parts}) - 1]}`,
    });
    const secret = Object.values(tf.resource.github_actions_organization_secret)[0] as any;
    // Neither argument provider 6.12.0 deprecated
    expect(secret).not.toHaveProperty("encrypted_value");
    expect(secret).not.toHaveProperty("plaintext_value");
    expect(tf.variable.acme_corp_app_private_key_actions_sealed).toMatchObject({ type: "string", sensitive: true });
    expect(c.credentialInputs).toEqual({ actions: "acme_corp_app_private_key_actions_sealed" });
  });

  test("plaintext mode uses one sensitive variable as value everywhere", () => {
    const { tf } = synthWith({ privateKeyInput: "plaintext", dependabot: { visibility: "private" } });
    expect(Object.keys(tf.variable)).toEqual(["acme_corp_app_private_key"]);
    expect(tf.variable.acme_corp_app_private_key.sensitive).toBe(true);
    const secrets = [
      ...Object.values(tf.resource.github_actions_organization_secret),
      ...Object.values(tf.resource.github_dependabot_organization_secret),
    ] as any[];
    expect(secrets.map((s) => s.value)).toEqual(["${var.acme_corp_app_private_key}", "${var.acme_corp_app_private_key}"]);
    expect(secrets.filter((s) => "plaintext_value" in s || "encrypted_value" in s || "key_id" in s || "value_encrypted" in s)).toEqual([]);
  });

  test("seals separately for Dependabot and each environment, whose public keys differ", () => {
    const { synth, tf } = synthWith({
      dependabot: { visibility: "private" },
      environments: [{ repository: "release-tools", environment: "production" }],
    });
    expect(synth).toHaveResourceWithProperties(DependabotOrganizationSecret, {
      secret_name: "TOKEN_BROKER_PRIVATE_KEY",
      visibility: "private",
      key_id: "${local.acme_corp_app_private_key_dependabot_sealed_key_id}",
      value_encrypted: "${local.acme_corp_app_private_key_dependabot_sealed_value_encrypted}",
    });
    expect(synth).toHaveResourceWithProperties(ActionsEnvironmentSecret, {
      repository: "release-tools",
      environment: "production",
      secret_name: "TOKEN_BROKER_PRIVATE_KEY",
      key_id: "${local.acme_corp_app_private_key_env_release_tools__production_sealed_key_id}",
      value_encrypted: "${local.acme_corp_app_private_key_env_release_tools__production_sealed_value_encrypted}",
    });
    expect(tf.locals.acme_corp_app_private_key_dependabot_sealed_value_encrypted).toContain(
      "var.acme_corp_app_private_key_dependabot_sealed)",
    );
    expect(tf.locals.acme_corp_app_private_key_env_release_tools__production_sealed_key_id).toContain(
      "var.acme_corp_app_private_key_env_release_tools__production_sealed)",
    );
    expect(Object.keys(tf.variable).sort()).toEqual([
      "acme_corp_app_private_key_actions_sealed",
      "acme_corp_app_private_key_dependabot_sealed",
      "acme_corp_app_private_key_env_release_tools__production_sealed",
    ]);
  });

  test("manages each organization secret's repositories with its own resource, written again after each successful write of the secret and never replaced", () => {
    // GIVEN selected repositories for Actions and Dependabot
    const { synth, tf } = synthWith({ dependabot: { visibility: "selected", repositories: ["bots"] } });
    // THEN the secrets carry no repository list (deprecated from provider 6.11.0) …
    for (const type of ["github_actions_organization_secret", "github_dependabot_organization_secret"]) {
      expect(Object.values(tf.resource[type]).map((s: any) => s.selected_repository_ids)).toEqual([undefined]);
    }
    // … a witness per secret, written after the secret, holds the key's digest and the looked-up ids …
    const secretAddress = (type: string) => `${type}.${Object.keys(tf.resource[type])[0]}`;
    const witnesses = tf.resource.terraform_data;
    const actionsWitness = Object.entries(witnesses).find(([name]) => /^credentials_private_key_written_/.test(name))![1] as any;
    expect(actionsWitness).toEqual({
      depends_on: [secretAddress("github_actions_organization_secret")],
      input: {
        key_sha256: "${nonsensitive(sha256(var.acme_corp_app_private_key_actions_sealed))}",
        repositories: [
          expect.stringMatching(/^\$\{jsondecode\(data\.github_rest_api\..*changelog.*\.body\)\.id\}$/),
          expect.stringMatching(/^\$\{jsondecode\(data\.github_rest_api\..*release-tools.*\.body\)\.id\}$/),
        ],
      },
    });
    const dependabotWitness = Object.entries(witnesses).find(([name]) =>
      /^credentials_dependabot_private_key_written_/.test(name),
    )![1] as any;
    expect(dependabotWitness.depends_on).toEqual([secretAddress("github_dependabot_organization_secret")]);
    expect(dependabotWitness.input.key_sha256).toBe("${nonsensitive(sha256(var.acme_corp_app_private_key_dependabot_sealed))}");
    // … and each list resource names its secret by reference and takes its ids from the witness, with no replacement trigger
    const actionsList = Object.values(tf.resource.github_actions_organization_secret_repositories) as any[];
    expect(actionsList).toHaveLength(1);
    expect(actionsList[0].secret_name).toMatch(
      /^\$\{github_actions_organization_secret\.credentials_private_key_[0-9A-F]+\.secret_name\}$/,
    );
    expect(actionsList[0].selected_repository_ids).toMatch(
      /^\$\{terraform_data\.credentials_private_key_written_[0-9A-F]+\.output\.repositories\}$/,
    );
    expect(actionsList[0].lifecycle).toBeUndefined();
    expect(synth).toHaveResourceWithProperties(DependabotOrganizationSecretRepositories, {
      secret_name: expect.stringMatching(/^\$\{github_dependabot_organization_secret\..*\.secret_name\}$/),
      selected_repository_ids: expect.stringMatching(
        /^\$\{terraform_data\.credentials_dependabot_private_key_written_.*\.output\.repositories\}$/,
      ),
    });
    expect(JSON.stringify(tf)).not.toContain("replace_triggered_by");
  });

  test("writes no repository list resource for visibility all or private", () => {
    const { synth } = synthWith({ actions: { visibility: "all" }, dependabot: { visibility: "private" } });
    expect(synth).not.toHaveResource(ActionsOrganizationSecretRepositories);
    expect(synth).not.toHaveResource(DependabotOrganizationSecretRepositories);
  });

  test("every secret, variable and list depends on the input checks and the owner check; an environment secret also on its repository's lookup", () => {
    const { tf } = synthWith({
      dependabot: { visibility: "selected", repositories: ["bots"] },
      environments: [{ repository: "deploy", environment: "prod" }],
    });
    const resources = Object.entries(tf.resource as Record<string, Record<string, any>>).filter(([type]) => type.startsWith("github_"));
    expect(resources.map(([type]) => type).sort()).toEqual([
      "github_actions_environment_secret",
      "github_actions_organization_secret",
      "github_actions_organization_secret_repositories",
      "github_actions_organization_variable",
      "github_dependabot_organization_secret",
      "github_dependabot_organization_secret_repositories",
    ]);
    for (const [type, byName] of resources) {
      for (const [name, r] of Object.entries(byName)) {
        expect([`${type}.${name}`, r.depends_on]).toEqual([
          `${type}.${name}`,
          expect.arrayContaining(["terraform_data.input_checks", "data.github_actions_organization_secrets.provider_owner"]),
        ]);
      }
    }
    const envSecret = Object.values(tf.resource.github_actions_environment_secret)[0] as any;
    expect(envSecret.depends_on).toContainEqual(expect.stringMatching(/^data\.github_rest_api\..*deploy/));
    // The environment's repository is looked up and named by its place
    const deploy = Object.values(tf.data.github_rest_api as Record<string, any>).find((d) => d.endpoint === "repos/acme-corp/deploy");
    expect(deploy.lifecycle.postcondition[0].error_message).toMatch(
      /^acme-corp\/credentials\.environments\[0\]\.repository "deploy": \$\{self\.code == 404 \? "no repository acme-corp\/deploy/,
    );
  });

  test("a repository named in several places is looked up once, and its message names every place", () => {
    const { tf } = synthWith({
      dependabot: { visibility: "selected", repositories: ["changelog"] },
      environments: [{ repository: "changelog", environment: "prod" }],
    });
    const lookups = Object.values(tf.data.github_rest_api as Record<string, any>).filter((d) => d.endpoint === "repos/acme-corp/changelog");
    expect(lookups).toHaveLength(1);
    expect(lookups[0].lifecycle.postcondition[0].error_message).toMatch(
      /^acme-corp\/credentials\.actions\.repositories\[1\], acme-corp\/credentials\.dependabot\.repositories\[0\], acme-corp\/credentials\.environments\[0\]\.repository "changelog": /,
    );
  });

  test("uses the prefix for every name", () => {
    const { synth } = synthWith({ prefix: "RELEASE_BOT", actions: { visibility: "all" } });
    expect(synth).toHaveResourceWithProperties(ActionsOrganizationSecret, { secret_name: "RELEASE_BOT_PRIVATE_KEY", visibility: "all" });
    expect(synth).toHaveResourceWithProperties(ActionsOrganizationVariable, { variable_name: "RELEASE_BOT_APP_ID" });
    expect(synth).not.toHaveDataSource(DataGithubRestApi);
  });

  test("fails when a name breaks GitHub's rules or selected has no repositories", () => {
    expect(() => synthWith({ prefix: "GITHUB_BOT" })).toThrow(
      "AppCredentials: GITHUB_BOT_APP_ID must not start with GITHUB_ (reserved by GitHub); GITHUB_BOT_CLIENT_ID must not start with GITHUB_ (reserved by GitHub); GITHUB_BOT_PRIVATE_KEY must not start with GITHUB_ (reserved by GitHub) (acme-corp/credentials)",
    );
    expect(() => synthWith({ actions: { visibility: "selected" } })).toThrow(
      "AppCredentials: actions.repositories must list at least one repository when visibility is selected (acme-corp/credentials)",
    );
  });

  test("fails when an environment is listed twice", () => {
    const env = { repository: "r", environment: "prod" };
    expect(() => synthWith({ environments: [env, env] })).toThrow(
      "AppCredentials: environment r/prod is listed twice (acme-corp/credentials)",
    );
  });
});
