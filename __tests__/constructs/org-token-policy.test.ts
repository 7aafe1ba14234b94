import { ActionsOrganizationVariable } from "@cdktf/provider-github/lib/actions-organization-variable";
import { AppInstallationRepositories } from "@cdktf/provider-github/lib/app-installation-repositories";
import { OrgTokenPolicy } from "../../lib/constructs/org-token-policy";
import { orgEntry, parseOrg } from "../../test-support/config";
import { newStack, synthJson } from "../../test-support/stack";

describe("OrgTokenPolicy", () => {
  test("composes the policy record, the App and its credentials from one config entry", () => {
    const org = parseOrg(
      orgEntry({
        app: {
          name: "acme-broker",
          homepageUrl: "https://github.com/acme-corp",
          id: 777,
          clientId: "Iv1.abc",
          installation: { id: 9, repositories: ["x"] },
        },
      }),
    );
    const stack = newStack();
    const policy = OrgTokenPolicy.fromConfig(stack, "token-policy", org);
    const { synth, tf } = synthJson(stack);
    expect(policy.patPolicy.patPolicyDocument.fine_grained_max_lifetime_days).toBe(366);
    expect(synth).toHaveResourceWithProperties(ActionsOrganizationVariable, { variable_name: "TOKEN_BROKER_APP_ID", value: "777" });
    expect(synth).toHaveResourceWithProperties(ActionsOrganizationVariable, { variable_name: "TOKEN_BROKER_CLIENT_ID", value: "Iv1.abc" });
    expect(synth).toHaveResourceWithProperties(AppInstallationRepositories, { installation_id: "9", selected_repositories: ["x"] });
    // Only the key is an input when the config records the ids.
    expect(Object.keys(tf.variable)).toEqual(["acme_corp_app_private_key_actions_sealed"]);
  });

  test("reads App and client ids from variables until the config records them", () => {
    const stack = newStack();
    OrgTokenPolicy.fromConfig(stack, "token-policy", parseOrg());
    const { synth, tf } = synthJson(stack);
    expect(tf.variable.acme_corp_app_id).toMatchObject({ type: "string" });
    expect(tf.variable.acme_corp_app_id.sensitive).toBeUndefined();
    expect(synth).toHaveResourceWithProperties(ActionsOrganizationVariable, {
      variable_name: "TOKEN_BROKER_APP_ID",
      value: "${var.acme_corp_app_id}",
    });
    expect(synth).toHaveResourceWithProperties(ActionsOrganizationVariable, {
      variable_name: "TOKEN_BROKER_CLIENT_ID",
      value: "${var.acme_corp_app_client_id}",
    });
  });

  test("keeps construct ids, and so Terraform addresses, fixed", () => {
    const stack = newStack();
    OrgTokenPolicy.fromConfig(stack, "token-policy", parseOrg());
    const paths = stack.node
      .findAll()
      .map((c) => c.node.path)
      .filter((p) => p.startsWith("acme-corp/token-policy/") && p.split("/").length === 3);
    expect(paths.sort()).toEqual(["acme-corp/token-policy/app", "acme-corp/token-policy/credentials", "acme-corp/token-policy/pat-policy"]);
  });
});

describe("deploy-time messages", () => {
  test("every repository lookup fails the plan with its name and every place in the config that names it", () => {
    // GIVEN repositories listed for the Actions secret and the Dependabot secret
    const org = parseOrg(
      orgEntry({
        credentials: {
          actions: { visibility: "selected", repositories: ["release-tools", "docs-site"] },
          dependabot: { visibility: "selected", repositories: ["docs-site", "bots"] },
        },
      }),
    );
    const stack = newStack();
    OrgTokenPolicy.fromConfig(stack, "token-policy", org, { configPath: "organizations[3]" });
    const { tf } = synthJson(stack);
    // THEN one lookup per name, each with a postcondition naming every place it is listed
    const lookups = Object.values(tf.data.github_rest_api as Record<string, any>);
    expect(lookups.map((d) => [d.endpoint, d.lifecycle.postcondition[0].condition, d.lifecycle.postcondition[0].error_message])).toEqual([
      [
        "repos/acme-corp/bots",
        "${self.code == 200}",
        expect.stringMatching(
          /^organizations\[3\]\.credentials\.dependabot\.repositories\[1\] "bots": \$\{self\.code == 404 \? "no repository acme-corp\/bots, or the token that runs deploy cannot see it\./,
        ),
      ],
      [
        "repos/acme-corp/docs-site",
        "${self.code == 200}",
        expect.stringMatching(
          /^organizations\[3\]\.credentials\.actions\.repositories\[1\], organizations\[3\]\.credentials\.dependabot\.repositories\[0\] "docs-site": /,
        ),
      ],
      [
        "repos/acme-corp/release-tools",
        "${self.code == 200}",
        expect.stringMatching(/^organizations\[3\]\.credentials\.actions\.repositories\[0\] "release-tools": /),
      ],
    ]);
    // postconditions need Terraform ≥ 1.2; the installation's removed block (all repositories) 1.7
    expect(tf.terraform.required_version).toBe(">= 1.7.0");
  });

  test("looks up every repository the entry names: environments, the installation's repositories and the guide's", () => {
    // GIVEN an entry naming a repository in each place outside the secrets' lists
    const org = parseOrg(
      orgEntry({
        app: {
          name: "acme-broker",
          homepageUrl: "https://github.com/acme-corp",
          installation: { id: 9, repositories: ["infra", "release-tools"] },
        },
        credentials: { actions: { visibility: "all" }, environments: [{ repository: "deployer", environment: "production" }] },
        guide: { repository: ".github" },
      }),
    );
    const stack = newStack();
    OrgTokenPolicy.fromConfig(stack, "token-policy", org, { configPath: "organizations[0]" });
    const { tf } = synthJson(stack);
    // THEN each has a lookup whose message names its place
    const messages = Object.fromEntries(
      Object.values(tf.data.github_rest_api as Record<string, any>).map((d) => [d.endpoint, d.lifecycle.postcondition[0].error_message]),
    );
    expect(messages).toEqual({
      "repos/acme-corp/.github": expect.stringMatching(
        /^organizations\[0\]\.guide\.repository "\.github": \$\{self\.code == 404 \? "no repository acme-corp\/\.github/,
      ),
      "repos/acme-corp/deployer": expect.stringMatching(/^organizations\[0\]\.credentials\.environments\[0\]\.repository "deployer": /),
      "repos/acme-corp/infra": expect.stringMatching(/^organizations\[0\]\.app\.installation\.repositories\[0\] "infra": /),
      "repos/acme-corp/release-tools": expect.stringMatching(/^organizations\[0\]\.app\.installation\.repositories\[1\] "release-tools": /),
    });
    // AND the resources that use them depend on their lookups, so a missing one plans nothing of theirs
    const lookupOf = (name: string) => expect.stringMatching(new RegExp(`^data\\.github_rest_api\\.[^.]*${name.replace(".", "")}`));
    expect((Object.values(tf.resource.github_actions_environment_secret)[0] as any).depends_on).toContainEqual(lookupOf("deployer"));
    expect((Object.values(tf.resource.github_repository_file)[0] as any).depends_on).toContainEqual(lookupOf("github"));
    expect((Object.values(tf.resource.github_app_installation_repositories)[0] as any).depends_on).toEqual(
      expect.arrayContaining([lookupOf("infra"), lookupOf("release-tools")]),
    );
  });

  test("every resource that writes to GitHub depends on the input checks and the owner check", () => {
    // GIVEN the fullest entry: ids from variables, Dependabot, an environment, listed installation repositories, a guide
    const org = parseOrg(
      orgEntry({
        app: { name: "acme-broker", homepageUrl: "https://github.com/acme-corp", installation: { repositories: ["infra"] } },
        credentials: {
          actions: { visibility: "selected", repositories: ["infra"] },
          dependabot: { visibility: "selected", repositories: ["infra"] },
          environments: [{ repository: "infra", environment: "prod" }],
        },
        guide: { repository: ".github" },
      }),
    );
    const stack = newStack();
    OrgTokenPolicy.fromConfig(stack, "token-policy", org);
    const { tf } = synthJson(stack);
    const github = Object.entries(tf.resource as Record<string, Record<string, any>>)
      .filter(([type]) => type.startsWith("github_"))
      .flatMap(([type, byName]) => Object.entries(byName).map(([name, r]) => [`${type}.${name}`, r] as const));
    expect(github.length).toBe(9);
    for (const [address, r] of github) {
      expect([address, r.depends_on]).toEqual([
        address,
        expect.arrayContaining(["terraform_data.input_checks", "data.github_actions_organization_secrets.provider_owner"]),
      ]);
    }
    // The lookups depend on nothing: a data source that depends on a resource is read at apply, not plan
    expect(Object.values(tf.data.github_rest_api).filter((d: any) => d.depends_on)).toEqual([]);
  });

  test("checks at plan that the provider acts on the stack's organization", () => {
    const stack = newStack();
    OrgTokenPolicy.fromConfig(stack, "token-policy", parseOrg());
    const { tf } = synthJson(stack);
    // data.github_actions_organization_secrets sets its id to the provider's effective owner
    const check = tf.data.github_actions_organization_secrets.provider_owner;
    expect(check.depends_on).toBeUndefined();
    expect(check.lifecycle.postcondition).toEqual([
      {
        condition: '${try(lower(self.id), "") == "acme-corp"}',
        error_message: expect.stringMatching(
          /^The github provider acts on organization \$\{jsonencode\(self\.id\)\}, not acme-corp, .*Unset both \(unset GITHUB_OWNER GITHUB_ORGANIZATION\)/,
        ),
      },
    ]);
  });

  test("records which release synthesized the stack", () => {
    const tf = newStack().toTerraform() as any;
    expect(tf["//"].metadata.tokenPolicyVersion).toMatch(/^github-token-policy \d+\.\d+\.\d+/);
  });
});

describe("props, not config", () => {
  test("takes typed props with only the login, the App's name and homepage, and the Actions visibility required", () => {
    const stack = newStack();
    const policy = new OrgTokenPolicy(stack, "token-policy", {
      organizationLogin: "acme-corp",
      app: { name: "acme-broker", homepageUrl: "https://github.com/acme-corp" },
      credentials: { actions: { visibility: "all" } },
    });
    // the defaults are the config schema's: one place for both paths
    expect(policy.organizationConfig.patPolicy).toEqual({
      fineGrainedTokens: "allow",
      requireApproval: true,
      maxLifetimeDays: 366,
      classicTokens: "restrict",
    });
    expect(policy.organizationConfig.approval).toEqual({ rules: [], otherwise: "leave", revokeNonCompliant: false });
    expect(policy.appCredentials.secretNames.privateKey).toBe("TOKEN_BROKER_PRIVATE_KEY");
    expect(synthJson(stack).tf.resource.github_actions_organization_secret).toBeDefined();
  });

  test("fails before any child exists, naming the construct, the prop, the value and what is allowed", () => {
    const stack = newStack();
    expect(
      () =>
        new OrgTokenPolicy(stack, "token-policy", {
          organizationLogin: "acme corp",
          patPolicy: { maxLifetimeDays: 400 },
          app: { name: "acme-broker", homepageUrl: "https://github.com/acme-corp", permissions: { content: "read" } },
          credentials: { actions: { visibility: "selected" } },
        }),
    ).toThrow(
      /^OrgTokenPolicy acme-corp\/token-policy: organizationLogin: must be a GitHub organization login.*, got "acme corp"; patPolicy\.maxLifetimeDays: must be between 1 and 366, got 400; app\.permissions\.content: unknown App permission \(did you mean "contents"\?\).*; credentials\.actions\.repositories: must list at least one repository when visibility is selected$/,
    );
    expect(stack.node.findChild("token-policy").node.children).toEqual([]);
  });
});
