import { join } from "node:path";
import { run } from "../../../cli/index";
import { writeTempConfig } from "../../../test-support/config";
import { captureIO } from "../../../test-support/io";

const example = join(__dirname, "..", "..", "..", "token-policy.yaml");

describe("orgs", () => {
  test("--json prints the deploy matrix: login, API root, environment and the stack's inputs", async () => {
    const io = captureIO({});
    expect(await run(["orgs", "--json", "--config", example], io)).toBe(0);
    const matrix = JSON.parse(io.out());
    expect(matrix.map((o: any) => [o.login, o.apiUrl, o.environment, o.needsOwnerToken])).toEqual([
      ["acme-corp", "https://api.github.com", "token-policy-acme-corp", true],
      ["acme-labs", "https://github.acme.example/api/v3", "token-policy-acme-labs", false],
    ]);
    // The inputs are the variables the synthesized stack declares.
    expect(matrix[0].inputs).toEqual([
      "TF_VAR_acme_corp_app_client_id",
      "TF_VAR_acme_corp_app_id",
      "TF_VAR_acme_corp_app_installation_id",
      "TF_VAR_acme_corp_app_private_key_actions_sealed",
      "TF_VAR_acme_corp_app_private_key_dependabot_sealed",
      "TF_VAR_acme_corp_app_private_key_env_release_tools__production_sealed",
    ]);
    expect(matrix[1].inputs).toEqual([
      "TF_VAR_acme_labs_app_client_id",
      "TF_VAR_acme_labs_app_id",
      "TF_VAR_acme_labs_app_private_key_actions_sealed",
    ]);
  });

  test("the table lists every name each deploy job reads, in full: the deployer App's, the owner's PAT where needed, and the stack's", async () => {
    // GIVEN the example: acme-corp lists installation repositories (needs the owner's PAT), acme-labs does not
    const io = captureIO({ COLUMNS: "80" });
    expect(await run(["orgs", "--config", example], io)).toBe(0);
    const [corp, labs] = io.out().split("\n\n");
    const names = (block: string) =>
      block
        .split("\n")
        .slice(2)
        .filter(Boolean)
        .map((l) => l.trim().split(/\s+/).slice(0, 2).join(" "));
    // THEN each organization's block names its API root and environment, then every name and its kind
    expect(corp.split("\n")[0]).toBe(
      "acme-corp: API https://api.github.com, environment token-policy-acme-corp, plan environment token-policy-plan_acme-corp",
    );
    expect(names(corp)).toEqual([
      "TOKEN_POLICY_DEPLOYER_CLIENT_ID variable",
      "TOKEN_POLICY_DEPLOYER_PRIVATE_KEY secret",
      "TOKEN_POLICY_OWNER_PAT secret",
      "ACME_CORP_APP_CLIENT_ID variable",
      "ACME_CORP_APP_ID variable",
      "ACME_CORP_APP_INSTALLATION_ID variable",
      "ACME_CORP_APP_PRIVATE_KEY_ACTIONS_SEALED secret",
      "ACME_CORP_APP_PRIVATE_KEY_DEPENDABOT_SEALED secret",
      "ACME_CORP_APP_PRIVATE_KEY_ENV_RELEASE_TOOLS__PRODUCTION_SEALED secret",
    ]);
    expect(names(labs)).toEqual([
      "TOKEN_POLICY_DEPLOYER_CLIENT_ID variable",
      "TOKEN_POLICY_DEPLOYER_PRIVATE_KEY secret",
      "ACME_LABS_APP_CLIENT_ID variable",
      "ACME_LABS_APP_ID variable",
      "ACME_LABS_APP_PRIVATE_KEY_ACTIONS_SEALED secret",
    ]);
    // AND nothing is cut short
    expect(io.out()).not.toContain("…");
  });

  test("--org without --export-inputs shows only that organization, in the table and in --json", async () => {
    const table = captureIO({});
    expect(await run(["orgs", "--config", example, "--org", "acme-labs"], table)).toBe(0);
    expect(table.out()).toMatch(/^acme-labs: /);
    expect(table.out()).not.toContain("acme-corp");
    const json = captureIO({});
    expect(await run(["orgs", "--config", example, "--org", "acme-labs", "--json"], json)).toBe(0);
    expect(JSON.parse(json.out()).map((o: { login: string }) => o.login)).toEqual(["acme-labs"]);
    const unknown = captureIO({});
    expect(await run(["orgs", "--config", example, "--org", "acme-nope"], unknown)).toBe(2);
  });

  test("--export-inputs writes only that organization's inputs, secrets from secrets and ids from variables", async () => {
    const secrets = { ACME_LABS_APP_PRIVATE_KEY_ACTIONS_SEALED: "c2VhbGVk\nline2", ACME_CORP_APP_PRIVATE_KEY_ACTIONS_SEALED: "other-org" };
    const vars = { ACME_LABS_APP_ID: "12", ACME_LABS_APP_CLIENT_ID: "Iv23abc", ACME_CORP_APP_ID: "99" };
    const io = captureIO({ TOKEN_POLICY_SECRETS_JSON: JSON.stringify(secrets), TOKEN_POLICY_VARS_JSON: JSON.stringify(vars) });
    expect(await run(["orgs", "--config", example, "--org", "acme-labs", "--export-inputs"], io)).toBe(0);
    const out = io.out();
    // GITHUB_ENV's multi-line form, a random delimiter per value
    const entries = [...out.matchAll(/^(TF_VAR_\w+)<<(EOF_[0-9a-f]{24})\n([\s\S]*?)\n\2$/gm)].map((m) => [m[1], m[3]]);
    expect(entries).toEqual([
      ["TF_VAR_acme_labs_app_client_id", "Iv23abc"],
      ["TF_VAR_acme_labs_app_id", "12"],
      ["TF_VAR_acme_labs_app_private_key_actions_sealed", "c2VhbGVk\nline2"],
    ]);
    expect(out).not.toContain("other-org");
    expect(out).not.toContain("acme_corp");
  });

  test("--json names, per organization, the secrets and variables a job reads by name, its plan environment and lock file", async () => {
    const io = captureIO({});
    expect(await run(["orgs", "--json", "--config", example], io)).toBe(0);
    const labs = JSON.parse(io.out())[1];
    expect(labs).toMatchObject({
      secrets: ["ACME_LABS_APP_PRIVATE_KEY_ACTIONS_SEALED"],
      variables: ["ACME_LABS_APP_CLIENT_ID", "ACME_LABS_APP_ID"],
      planEnvironment: "token-policy-plan_acme-labs",
      appIdVariable: "ACME_LABS_APP_ID",
      appKeySecret: "ACME_LABS_APP_PRIVATE_KEY",
      lockFile: "terraform-locks/acme-labs.terraform.lock.hcl",
    });
  });

  test("the table names each organization's deploy and plan environments", async () => {
    const io = captureIO({});
    expect(await run(["orgs", "--config", example], io)).toBe(0);
    const heads = io
      .out()
      .split("\n")
      .filter((l) => /^\S+: API /.test(l));
    expect(heads).toEqual([
      "acme-corp: API https://api.github.com, environment token-policy-acme-corp, plan environment token-policy-plan_acme-corp",
      "acme-labs: API https://github.acme.example/api/v3, environment token-policy-acme-labs, plan environment token-policy-plan_acme-labs",
    ]);
  });

  test("--export-inputs reads each input from the numbered slot the workflow filled by name", async () => {
    const io = captureIO({
      TOKEN_POLICY_SECRET_NAMES: "ACME_LABS_APP_PRIVATE_KEY_ACTIONS_SEALED",
      TOKEN_POLICY_SECRET_1: "c2VhbGVk",
      TOKEN_POLICY_VAR_NAMES: "ACME_LABS_APP_CLIENT_ID,ACME_LABS_APP_ID",
      TOKEN_POLICY_VAR_1: "Iv23abc",
      TOKEN_POLICY_VAR_2: "12",
      TOKEN_POLICY_VAR_3: "",
    });
    expect(await run(["orgs", "--config", example, "--org", "acme-labs", "--export-inputs"], io)).toBe(0);
    const entries = [...io.out().matchAll(/^(TF_VAR_\w+)<<(EOF_[0-9a-f]{24})\n([\s\S]*?)\n\2$/gm)].map((m) => [m[1], m[3]]);
    expect(entries).toEqual([
      ["TF_VAR_acme_labs_app_client_id", "Iv23abc"],
      ["TF_VAR_acme_labs_app_id", "12"],
      ["TF_VAR_acme_labs_app_private_key_actions_sealed", "c2VhbGVk"],
    ]);
  });

  test("fails with exit 2 when the slots were filled for another organization's inputs, exporting nothing", async () => {
    const io = captureIO({
      TOKEN_POLICY_SECRET_NAMES: "ACME_CORP_APP_PRIVATE_KEY_ACTIONS_SEALED",
      TOKEN_POLICY_SECRET_1: "other-org-value",
    });
    expect(await run(["orgs", "--config", example, "--org", "acme-labs", "--export-inputs"], io)).toBe(2);
    expect(io.out()).toBe("");
    expect(io.err()).toContain(
      "TOKEN_POLICY_SECRET_NAMES lists ACME_CORP_APP_PRIVATE_KEY_ACTIONS_SEALED, but acme-labs's stack needs the secrets ACME_LABS_APP_PRIVATE_KEY_ACTIONS_SEALED",
    );
    expect(io.err()).not.toContain("other-org-value");
  });

  test("fails with exit 2 naming every missing input and its environment, never a value", async () => {
    const io = captureIO({
      TOKEN_POLICY_SECRETS_JSON: JSON.stringify({ ACME_CORP_APP_PRIVATE_KEY_ACTIONS_SEALED: "s3cr3t-value" }),
      TOKEN_POLICY_VARS_JSON: "{}",
    });
    expect(await run(["orgs", "--config", example, "--org", "acme-corp", "--export-inputs"], io)).toBe(2);
    expect(io.out()).toBe("");
    expect(io.err()).toMatch(/acme-corp: 5 inputs missing from environment token-policy-acme-corp:/);
    expect(io.err()).toContain("variable ACME_CORP_APP_INSTALLATION_ID (Installation id of the acme-token-broker App");
    expect(io.err()).toContain("secret ACME_CORP_APP_PRIVATE_KEY_DEPENDABOT_SEALED");
    expect(io.err()).not.toContain("s3cr3t-value");
  });

  test("fails with exit 2 when the secrets are not a JSON object", async () => {
    const { file } = writeTempConfig(
      `organizations:\n  - login: a\n    app: { name: a, homepageUrl: "https://github.com/a" }\n    credentials: { actions: { visibility: all } }\n`,
    );
    const io = captureIO({ TOKEN_POLICY_SECRETS_JSON: "not json {secret}" });
    expect(await run(["orgs", "--config", file, "--org", "a", "--export-inputs"], io)).toBe(2);
    expect(io.err()).toMatch(/TOKEN_POLICY_SECRETS_JSON must hold a JSON object/);
    expect(io.err()).not.toContain("{secret}");
  });
});
