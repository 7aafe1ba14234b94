import { ActionsEnvironmentSecret } from "@cdktf/provider-github/lib/actions-environment-secret";
import { ActionsOrganizationSecret } from "@cdktf/provider-github/lib/actions-organization-secret";
import { ActionsOrganizationVariable } from "@cdktf/provider-github/lib/actions-organization-variable";
import { DataGithubRepository } from "@cdktf/provider-github/lib/data-github-repository";
import { DependabotOrganizationSecret } from "@cdktf/provider-github/lib/dependabot-organization-secret";
import { AppCredentials, type AppCredentialsProps } from "../../lib/constructs/app-credentials";
import { newStack, synthJson } from "../helpers/stack";

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
    expect(synth).toHaveResourceWithProperties(ActionsOrganizationVariable, { variable_name: "TOKEN_BROKER_APP_ID", value: "12345", visibility: "selected" });
    expect(synth).toHaveResourceWithProperties(ActionsOrganizationVariable, { variable_name: "TOKEN_BROKER_CLIENT_ID", value: "Iv23liabc" });
    // Repository ids are looked up by name, once per repository, sorted.
    const repos = Object.values(tf.data.github_repository).map((r: any) => r.full_name);
    expect(repos).toEqual(["acme-corp/changelog", "acme-corp/release-tools"]);
    expect(synth).toHaveDataSourceWithProperties(DataGithubRepository, { full_name: "acme-corp/release-tools" });
    const variable = Object.values(tf.resource.github_actions_organization_variable)[0] as any;
    expect(variable.selected_repository_ids).toEqual([
      expect.stringMatching(/^\$\{data\.github_repository\..*changelog.*\.repo_id\}$/),
      expect.stringMatching(/^\$\{data\.github_repository\..*release-tools.*\.repo_id\}$/),
    ]);
  });

  test("takes the key sealed, from a sensitive variable named after the organization", () => {
    const { synth, tf, c } = synthWith();
    expect(synth).toHaveResourceWithProperties(ActionsOrganizationSecret, {
      secret_name: "TOKEN_BROKER_PRIVATE_KEY",
      encrypted_value: "${var.acme_corp_app_private_key_actions_sealed}",
      visibility: "selected",
    });
    const secret = Object.values(tf.resource.github_actions_organization_secret)[0] as any;
    expect(secret).not.toHaveProperty("plaintext_value");
    expect(tf.variable.acme_corp_app_private_key_actions_sealed).toMatchObject({ type: "string", sensitive: true });
    expect(c.credentialInputs).toEqual({ actions: "acme_corp_app_private_key_actions_sealed" });
  });

  test("plaintext mode uses one sensitive variable as plaintext_value everywhere", () => {
    const { tf } = synthWith({ privateKeyInput: "plaintext", dependabot: { visibility: "private" } });
    expect(Object.keys(tf.variable)).toEqual(["acme_corp_app_private_key"]);
    expect(tf.variable.acme_corp_app_private_key.sensitive).toBe(true);
    const secrets = [
      ...Object.values(tf.resource.github_actions_organization_secret),
      ...Object.values(tf.resource.github_dependabot_organization_secret),
    ] as any[];
    expect(secrets.map((s) => s.plaintext_value)).toEqual(["${var.acme_corp_app_private_key}", "${var.acme_corp_app_private_key}"]);
  });

  test("seals separately for Dependabot and each environment, whose public keys differ", () => {
    const { synth, tf } = synthWith({
      dependabot: { visibility: "private" },
      environments: [{ repository: "release-tools", environment: "production" }],
    });
    expect(synth).toHaveResourceWithProperties(DependabotOrganizationSecret, {
      secret_name: "TOKEN_BROKER_PRIVATE_KEY",
      visibility: "private",
      encrypted_value: "${var.acme_corp_app_private_key_dependabot_sealed}",
    });
    expect(synth).toHaveResourceWithProperties(ActionsEnvironmentSecret, {
      repository: "release-tools",
      environment: "production",
      secret_name: "TOKEN_BROKER_PRIVATE_KEY",
      encrypted_value: "${var.acme_corp_app_private_key_env_release_tools__production_sealed}",
    });
    expect(Object.keys(tf.variable).sort()).toEqual([
      "acme_corp_app_private_key_actions_sealed",
      "acme_corp_app_private_key_dependabot_sealed",
      "acme_corp_app_private_key_env_release_tools__production_sealed",
    ]);
  });

  test("uses the prefix for every name", () => {
    const { synth } = synthWith({ prefix: "RELEASE_BOT", actions: { visibility: "all" } });
    expect(synth).toHaveResourceWithProperties(ActionsOrganizationSecret, { secret_name: "RELEASE_BOT_PRIVATE_KEY", visibility: "all" });
    expect(synth).toHaveResourceWithProperties(ActionsOrganizationVariable, { variable_name: "RELEASE_BOT_APP_ID" });
    expect(synth).not.toHaveDataSource(DataGithubRepository);
  });

  test("fails when a name breaks GitHub's rules or selected has no repositories", () => {
    expect(() => synthWith({ prefix: "GITHUB_BOT" })).toThrow(
      "AppCredentials: GITHUB_BOT_APP_ID must not start with GITHUB_ (reserved by GitHub); GITHUB_BOT_CLIENT_ID must not start with GITHUB_ (reserved by GitHub); GITHUB_BOT_PRIVATE_KEY must not start with GITHUB_ (reserved by GitHub) (acme-corp/credentials)",
    );
    expect(() => synthWith({ actions: { visibility: "selected" } })).toThrow("AppCredentials: actions.repositories must list at least one repository when visibility is selected (acme-corp/credentials)");
  });

  test("fails when an environment is listed twice", () => {
    const env = { repository: "r", environment: "prod" };
    expect(() => synthWith({ environments: [env, env] })).toThrow("AppCredentials: environment r/prod is listed twice (acme-corp/credentials)");
  });
});
