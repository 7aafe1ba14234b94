import { readFileSync } from "node:fs";
import { join } from "node:path";
import { App } from "cdktf";
import { AppInstallationRepositories } from "@cdktf/provider-github/lib/app-installation-repositories";
import { buildAppManifest } from "../../lib/model/app-manifest";
import { GitHubApp } from "../../lib/constructs/github-app";
import { OrganizationStack } from "../../lib/constructs/organization-stack";
import { newStack, synthJson } from "../../test-support/stack";
import { tempDir } from "../../test-support/temp";

const base = { organizationLogin: "acme-corp", name: "acme-broker", homepageUrl: "https://github.com/acme-corp" };

describe("GitHubApp", () => {
  test("builds a private manifest with sorted permissions and events", () => {
    const stack = newStack();
    const app = new GitHubApp(stack, "app", {
      ...base,
      description: "Broker",
      permissions: { organization_personal_access_token_requests: "write", contents: "read" },
      events: ["personal_access_token_request", "installation_target"],
      webhookUrl: "https://hooks.acme.example/github",
    });
    expect(JSON.stringify(app.appManifest)).toBe(
      JSON.stringify({
        name: "acme-broker",
        url: "https://github.com/acme-corp",
        description: "Broker",
        public: false,
        default_permissions: { contents: "read", organization_personal_access_token_requests: "write" },
        default_events: ["installation_target", "personal_access_token_request"],
        hook_attributes: { url: "https://hooks.acme.example/github", active: true },
        request_oauth_on_install: false,
        setup_on_update: false,
      }),
    );
  });

  test("writes the manifest next to the stack's output, byte-identical across synths", () => {
    const synthOnce = () => {
      const outdir = tempDir("gh-app-");
      const app = new App({ outdir });
      const stack = new OrganizationStack(app, "acme-corp", { organizationLogin: "acme-corp" });
      new GitHubApp(stack, "app", { ...base, permissions: { contents: "read", members: "read" } });
      app.synth();
      return readFileSync(join(outdir, "stacks", "acme-corp", "app-manifest.json"), "utf8");
    };
    const first = synthOnce();
    expect(first).toBe(synthOnce());
    expect(JSON.parse(first).default_permissions).toEqual({ contents: "read", members: "read" });
  });

  test("records the manifest in terraform_data, so a permission change shows in cdktf diff", () => {
    const input = (permissions: Record<string, string>) => {
      const stack = newStack();
      new GitHubApp(stack, "app", { ...base, permissions });
      return Object.values(synthJson(stack).tf.resource.terraform_data as Record<string, { input: { manifest: string } }>)[0].input
        .manifest;
    };
    expect(input({ contents: "read" })).not.toBe(input({ contents: "write" }));
    expect(JSON.parse(input({ contents: "write" })).default_permissions).toEqual({ contents: "write" });
  });

  test("manages selected repositories with the configured installation id", () => {
    const stack = newStack();
    new GitHubApp(stack, "app", { ...base, installationId: 42, installationRepositories: ["b", "a"] });
    const { synth, tf } = synthJson(stack);
    expect(synth).toHaveResourceWithProperties(AppInstallationRepositories, { installation_id: "42", selected_repositories: ["a", "b"] });
    expect(Object.values(tf.resource.github_app_installation_repositories)[0]).not.toHaveProperty("count");
    expect(tf.variable).toBeUndefined();
  });

  test("without an id, requires it from a variable that refuses an empty or non-numeric value", () => {
    const stack = newStack();
    new GitHubApp(stack, "app", { ...base, installationRepositories: ["a"] });
    const { synth, tf } = synthJson(stack);
    // No default and no count: a missing or empty id fails the plan instead of planning the
    // destruction of the installation's repository list.
    const v = tf.variable.acme_corp_app_installation_id;
    expect(v).toMatchObject({ type: "string", nullable: false });
    expect(v).not.toHaveProperty("default");
    // Checked by a precondition over a local, so a failure never prints the value.
    expect(tf.locals.acme_corp_app_installation_id_ok).toBe('${can(regex("^[1-9][0-9]{0,18}$", var.acme_corp_app_installation_id))}');
    expect(tf.resource.terraform_data.input_checks.lifecycle.precondition).toEqual([
      {
        condition: "${local.acme_corp_app_installation_id_ok}",
        error_message: expect.stringMatching(
          /^TF_VAR_acme_corp_app_installation_id must be the numeric id .* `token-policy install --org acme-corp`/,
        ),
      },
    ]);
    expect(synth).toHaveResourceWithProperties(AppInstallationRepositories, { installation_id: "${var.acme_corp_app_installation_id}" });
    expect(Object.values(tf.resource.github_app_installation_repositories)[0]).not.toHaveProperty("count");
  });

  test("with all repositories, manages no selection and forgets a former one without destroying it", () => {
    // GIVEN a stack that managed a list before (same construct path)
    const before = newStack();
    new GitHubApp(before, "app", { ...base, installationId: 42, installationRepositories: ["a"] });
    const address = `github_app_installation_repositories.${Object.keys(synthJson(before).tf.resource.github_app_installation_repositories)[0]}`;
    // WHEN the config switches to all
    const stack = newStack();
    new GitHubApp(stack, "app", { ...base, installationId: 42 });
    const { synth, tf } = synthJson(stack);
    // THEN the resource is gone, a removed block takes it out of state (Terraform ≥ 1.7), and the owner's step is named
    expect(synth).not.toHaveResource(AppInstallationRepositories);
    expect(tf.removed).toEqual([{ from: address, lifecycle: { destroy: false } }]);
    expect(tf.terraform.required_version).toBe(">= 1.7.0");
    expect(tf.output.app_installation_owner_step.value).toMatch(
      /"All repositories" .* https:\/\/github\.com\/organizations\/acme-corp\/settings\/installations/,
    );
  });

  test("outputs where an owner registers the App", () => {
    const stack = newStack({ githubUrl: "https://github.acme.example" });
    new GitHubApp(stack, "app", { ...base, githubUrl: "https://github.acme.example" });
    expect(synthJson(stack).tf.output.app_registration_url.value).toBe(
      "https://github.acme.example/organizations/acme-corp/settings/apps/new",
    );
  });

  test("fails when a permission or level is not in GitHub's catalogue", () => {
    expect(() => buildAppManifest({ ...base, permissions: { teleport: "read", contents: "admin" }, events: ["nope"] })).toThrow(
      'GitHubApp acme-broker: permission contents must be one of read, write, got "admin"; unknown permission "teleport"; unknown webhook event "nope"',
    );
  });

  test("fails when the selected repository list is empty", () => {
    expect(() => new GitHubApp(newStack(), "app", { ...base, installationRepositories: [] })).toThrow(
      /installationRepositories must list at least one repository/,
    );
  });

  test("adds redirect_url only when create-app asks for it", () => {
    expect(buildAppManifest(base)).not.toHaveProperty("redirect_url");
    expect(buildAppManifest(base, "http://127.0.0.1:5000/callback").redirect_url).toBe("http://127.0.0.1:5000/callback");
  });
});

describe("the event serve decides on", () => {
  test("an App with a webhook and the requests permission asks for personal_access_token_request, active", () => {
    const m = buildAppManifest({
      name: "broker",
      homepageUrl: "https://github.com/acme-corp",
      permissions: { organization_personal_access_token_requests: "write" },
      webhookUrl: "https://hooks.acme.example/webhook",
    });
    expect(m.default_events).toEqual(["personal_access_token_request"]);
    expect(m.hook_attributes).toEqual({ url: "https://hooks.acme.example/webhook", active: true });
  });

  test("without a webhook, or without the permission, it does not", () => {
    expect(
      buildAppManifest({
        name: "broker",
        homepageUrl: "https://github.com/a",
        permissions: { organization_personal_access_token_requests: "write" },
      }).default_events,
    ).toEqual([]);
    expect(
      buildAppManifest({
        name: "broker",
        homepageUrl: "https://github.com/a",
        permissions: { contents: "read" },
        webhookUrl: "https://hooks.acme.example/webhook",
      }).default_events,
    ).toEqual([]);
  });
});
