/**
 * Every synthesized github resource, data source and provider block checked against the
 * provider's own schema, for each release in the supported range whose schema is in
 * test-support/provider-schemas/: an unknown type or argument, a missing required argument, a
 * deprecated argument or a literal of the wrong type fails.
 */
import { join } from "node:path";
import { Testing } from "cdktf";
import { loadConfig } from "../../lib/config/load";
import { enterpriseOf } from "../../lib/config/effective-policy";
import { OrganizationStack } from "../../lib/constructs/organization-stack";
import { OrgTokenPolicy } from "../../lib/constructs/org-token-policy";
import { orgEntry, parseOrg } from "../../test-support/config";
import { providerSchema, schemaProblems, SCHEMA_VERSIONS } from "../../test-support/provider-schema";
import { newStack, synthJson } from "../../test-support/stack";

/** The example config's organization stacks, synthesized as main.ts does. */
function exampleStacks(): [string, any][] {
  const loaded = loadConfig(join(__dirname, "..", "..", "token-policy.yaml"));
  const app = Testing.app();
  return loaded.config.organizations.map((org, i) => {
    const stack = new OrganizationStack(app, org.login, { organizationLogin: org.login, githubUrl: org.githubUrl, backend: org.backend });
    OrgTokenPolicy.fromConfig(stack, "token-policy", org, {
      configPath: `organizations[${i}]`,
      enterprise: enterpriseOf(loaded.config, org),
    });
    return [`example ${org.login}`, JSON.parse(Testing.synth(stack))];
  });
}

/** Configs that reach what the example does not: plaintext keys, `all` and `private` visibility, GHES, a guide. */
const RICHER: [string, Record<string, unknown>][] = [
  [
    "sealed keys to every target, an installation and a guide",
    orgEntry({
      app: {
        name: "acme-broker",
        homepageUrl: "https://github.com/acme-corp",
        id: 1,
        clientId: "Iv1.abc",
        permissions: { contents: "read" },
        installation: { repositories: ["docs", "release-tools"] },
      },
      credentials: {
        actions: { visibility: "selected", repositories: ["release-tools", "docs"] },
        dependabot: { visibility: "selected", repositories: ["docs"] },
        environments: [
          { repository: "release-tools", environment: "production" },
          { repository: "docs", environment: "staging" },
        ],
      },
      guide: { repository: ".github", path: "profile/TOKENS.md" },
    }),
  ],
  [
    "a plaintext key readable by all repositories, on GHES",
    orgEntry({
      githubUrl: "https://github.acme.example",
      credentials: {
        privateKeyInput: "plaintext",
        actions: { visibility: "all" },
        dependabot: { visibility: "private" },
        environments: [{ repository: "release-tools", environment: "production" }],
      },
    }),
  ],
];

function richerStacks(): [string, any][] {
  return RICHER.map(([what, entry]) => {
    const org = parseOrg(entry);
    const stack = newStack({ githubUrl: org.githubUrl });
    OrgTokenPolicy.fromConfig(stack, "token-policy", org);
    return [what, synthJson(stack).tf];
  });
}

const STACKS = [...exampleStacks(), ...richerStacks()];

describe.each(SCHEMA_VERSIONS)("github provider %s schema", (version) => {
  const schema = providerSchema(version);

  test.each(STACKS)("%s matches it", (_what, tf) => {
    // GIVEN a synthesized stack WHEN it is checked THEN nothing differs from the schema
    expect(schemaProblems(tf, schema)).toEqual([]);
    // and the check saw the provider's resources, not an empty stack
    expect(Object.keys(tf.resource).filter((t) => t.startsWith("github_")).length).toBeGreaterThan(0);
  });
});

describe("the schema check", () => {
  const schema = providerSchema("6.13.0");
  const secret = (body: Record<string, unknown>) => ({
    resource: { github_actions_organization_secret: { key: { secret_name: "K", visibility: "all", ...body } } },
  });

  test("passes a secret set as the stacks set it", () => {
    expect(schemaProblems(secret({ value_encrypted: "${var.sealed}", key_id: "${local.key_id}" }), schema)).toEqual([]);
  });

  test("fails when a resource type is unknown", () => {
    expect(schemaProblems({ resource: { github_pat_policy: { p: {} } } }, schema)).toEqual(["github_pat_policy: no such resource type"]);
  });

  test("fails when a data source type is unknown", () => {
    expect(schemaProblems({ data: { github_pat_policy: { p: {} } } }, schema)).toEqual([
      "data.github_pat_policy: no such data source type",
    ]);
  });

  test("fails when an argument is unknown", () => {
    expect(schemaProblems(secret({ value_sealed: "x" }), schema)).toEqual([
      "github_actions_organization_secret.key.value_sealed: no such argument or block",
    ]);
  });

  test("fails when an argument is deprecated", () => {
    expect(schemaProblems(secret({ encrypted_value: "${var.sealed}", selected_repository_ids: [1] }), schema)).toEqual([
      "github_actions_organization_secret.key.encrypted_value: deprecated",
      "github_actions_organization_secret.key.selected_repository_ids: deprecated",
    ]);
  });

  test("fails when a required argument is missing", () => {
    expect(schemaProblems({ resource: { github_actions_organization_secret: { key: { visibility: "all" } } } }, schema)).toEqual([
      "github_actions_organization_secret.key.secret_name: required, not set",
    ]);
  });

  test("fails when a literal has the wrong type", () => {
    expect(
      schemaProblems(
        { resource: { github_actions_organization_secret_repositories: { r: { secret_name: "K", selected_repository_ids: ["12"] } } } },
        schema,
      ),
    ).toEqual(['github_actions_organization_secret_repositories.r.selected_repository_ids[0]: expected a number, got "12"']);
  });

  test("fails when a Codespaces secret is given value_encrypted, which no release up to 6.13.0 has there", () => {
    expect(
      schemaProblems(
        { resource: { github_codespaces_organization_secret: { c: { secret_name: "K", visibility: "all", value_encrypted: "x" } } } },
        schema,
      ),
    ).toEqual(["github_codespaces_organization_secret.c.value_encrypted: no such argument or block"]);
  });

  test("fails when a provider argument is unknown", () => {
    expect(schemaProblems({ provider: { github: [{ owner: "acme-corp", auth_mode: "token" }] } }, schema)).toEqual([
      "provider.github[0].auth_mode: no such argument or block",
    ]);
  });
});
