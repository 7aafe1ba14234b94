/**
 * The synthesized stacks checked by the real Terraform binary (1.11 on this project's machines):
 * what it can check without the github provider, which cannot be downloaded here.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Testing } from "cdktf";
import { loadConfig } from "../../lib/config/load";
import { OrganizationStack } from "../../lib/constructs/organization-stack";
import { OrgTokenPolicy } from "../../lib/constructs/org-token-policy";
import {
  providerMirror,
  standInAddress,
  TERRAFORM_PLATFORM,
  terraform,
  terraformBinary,
  terraformDir,
  withoutProvider,
} from "../../test-support/terraform";
import { App } from "cdktf";
import { EnterprisePatPolicy } from "../../lib/constructs/enterprise-pat-policy";
import { EnterpriseStack } from "../../lib/constructs/enterprise-stack";
import { enterpriseStackName } from "../../lib/naming";
import { generateKeyPairSync } from "node:crypto";
import { generateAppKey } from "../../test-support/fixtures";

/** A passphrase-protected PKCS#1 key, made at test time: its PEM headers (Proc-Type, DEK-Info) hold colons. */
function encryptedPem(): string {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 1024 });
  return privateKey.export({ type: "pkcs1", format: "pem", cipher: "aes-128-cbc", passphrase: "test-only" }).toString();
}
import { orgEntry, parseOrg } from "../../test-support/config";
import { newStack, synthJson } from "../../test-support/stack";
import { tempDir } from "../../test-support/temp";

const binary = terraformBinary();
if (!binary) process.stdout.write("skipped: no terraform binary on the PATH; the Terraform checks of the synthesized stacks did not run\n");
const withTerraform = binary ? describe : describe.skip;

/** Stacks for every organization of the example config. */
function exampleStacks(): Record<string, any> {
  const loaded = loadConfig(join(__dirname, "..", "..", "token-policy.yaml"));
  const app = Testing.app();
  const out: Record<string, any> = {};
  loaded.config.organizations.forEach((org, i) => {
    const stack = new OrganizationStack(app, org.login, { organizationLogin: org.login, githubUrl: org.githubUrl, backend: org.backend });
    // as main.ts does
    OrgTokenPolicy.fromConfig(stack, "token-policy", org, { configPath: `organizations[${i}]` });
    out[org.login] = JSON.parse(Testing.synth(stack));
  });
  return out;
}

/** Errors Terraform gives for arguments a block does not have. */
const UNKNOWN_ARGUMENT = /Extraneous JSON object property|No argument or block type is named|Unsupported argument/;

withTerraform("synthesized stacks under Terraform", () => {
  test.each(Object.entries(exampleStacks()))("the example's %s stack initializes and validates", (_login, tf) => {
    const dir = terraformDir(withoutProvider(tf, { backend: "local" }));
    const init = terraform(dir, ["init", "-backend=false", "-input=false"]);
    expect(init.output).not.toMatch(/Error/);
    const validate = terraform(dir, ["validate"]);
    expect(validate.output).toMatch(/The configuration is valid/);
    expect(validate.status).toBe(0);
  });

  test("an enterprise stack applies with Terraform alone, and a changed enterprise policy plans an in-place update", () => {
    // GIVEN the example's enterprise stack, unchanged: it has no provider at all
    const enterpriseTf = (maxLifetimeDays: number) => {
      const loaded = loadConfig(join(__dirname, "..", "..", "token-policy.yaml"));
      const entry = { ...loaded.config.enterprises[0], patPolicy: { ...loaded.config.enterprises[0].patPolicy, maxLifetimeDays } };
      const stack = new EnterpriseStack(Testing.app(), enterpriseStackName(entry.slug), { enterpriseSlug: entry.slug });
      EnterprisePatPolicy.fromConfig(stack, "enterprise-pat-policy", entry);
      const tf = JSON.parse(Testing.synth(stack));
      delete tf.terraform.backend;
      return tf;
    };
    const first = enterpriseTf(90);
    expect(first.terraform.required_providers).toBeUndefined();
    const dir = terraformDir(first);
    // WHEN Terraform initializes and applies it with local state
    expect(terraform(dir, ["init", "-input=false"]).output).toMatch(/Terraform has been successfully initialized/);
    const apply = terraform(dir, ["apply", "-auto-approve", "-input=false"]);
    expect(apply.output).toMatch(/Apply complete! Resources: 1 added, 0 changed, 0 destroyed\./);
    expect(terraform(dir, ["output", "-raw", "enterprise_pat_policy_settings_url"]).output).toBe(
      "https://github.com/enterprises/acme/settings",
    );
    // THEN a raised enterprise maximum is an in-place update of the record, shown in the plan
    writeFileSync(join(dir, "main.tf.json"), JSON.stringify(enterpriseTf(120)));
    const plan = terraform(dir, ["plan", "-input=false", "-detailed-exitcode"]);
    expect(plan.status).toBe(2);
    expect(plan.output).toMatch(/~ fine_grained_max_lifetime_days = 90 -> 120/);
    expect(plan.output).toMatch(/Plan: 0 to add, 1 to change, 0 to destroy\./);
  });

  describe("the installation id variable", () => {
    // GIVEN an installation that reaches listed repositories and no id in the config
    const org = parseOrg(
      orgEntry({
        app: {
          name: "acme-broker",
          homepageUrl: "https://github.com/acme-corp",
          id: 1,
          clientId: "Iv1.abc",
          installation: { repositories: ["docs"] },
        },
      }),
    );
    const stack = newStack();
    OrgTokenPolicy.fromConfig(stack, "token-policy", org);
    const { tf } = synthJson(stack);
    const dir = terraformDir(withoutProvider(tf, { backend: "local" }));
    const sealed = { TF_VAR_acme_corp_app_private_key_actions_sealed: Buffer.alloc(1700, 7).toString("base64") };
    beforeAll(() => {
      expect(terraform(dir, ["init", "-input=false"]).status).toBe(0);
    });

    test.each([
      ["empty", ""],
      ["not a number", "12ab"],
      ["a PEM pasted by mistake", "-----BEGIN"],
    ])("fails plan when it is %s, naming the variable and the command that prints it", (_what, value) => {
      const plan = terraform(dir, ["plan", "-input=false"], { ...sealed, TF_VAR_acme_corp_app_installation_id: value });
      expect(plan.status).not.toBe(0);
      expect(plan.output).toMatch(/Resource precondition failed/);
      expect(plan.output).toMatch(/TF_VAR_acme_corp_app_installation_id must be the numeric id/);
      expect(plan.output).toMatch(/token-policy install --org acme-corp/);
    });

    test("fails plan when it is missing, instead of planning to destroy the repository list", () => {
      const plan = terraform(dir, ["plan", "-input=false"], sealed);
      expect(plan.status).not.toBe(0);
      expect(plan.output).toMatch(/No value for required variable/);
    });

    test("plans with a numeric id", () => {
      const plan = terraform(dir, ["plan", "-input=false"], { ...sealed, TF_VAR_acme_corp_app_installation_id: "12345" });
      expect(plan.output).not.toMatch(/Error/);
      expect(plan.status).toBe(0);
    });
  });

  describe("every input is checked by plan, with a message that says what to do and never the value", () => {
    // GIVEN the example's acme-corp stack: App and client ids, the installation id and three sealed keys from variables
    const tf = exampleStacks()["acme-corp"];
    const dir = terraformDir(withoutProvider(tf, { backend: "local" }));
    // The Actions key as seal prints it (KEY_ID:BASE64), the others as it printed them before (BASE64)
    const good = {
      TF_VAR_acme_corp_app_id: "123456",
      TF_VAR_acme_corp_app_client_id: "Iv23liAbCdEfGh123456",
      TF_VAR_acme_corp_app_installation_id: "987654",
      TF_VAR_acme_corp_app_private_key_actions_sealed: `568250167242549743:${Buffer.alloc(1750, 1).toString("base64")}`,
      TF_VAR_acme_corp_app_private_key_dependabot_sealed: Buffer.alloc(1750, 2).toString("base64"),
      TF_VAR_acme_corp_app_private_key_env_release_tools__production_sealed: Buffer.alloc(1750, 3).toString("base64"),
    };
    // A real key, generated now: pasting it where the sealed value belongs must not print it.
    const { pem } = generateAppKey();
    beforeAll(() => {
      expect(terraform(dir, ["init", "-input=false"]).status).toBe(0);
    });

    test("correct values plan", () => {
      const plan = terraform(dir, ["plan", "-input=false"], good);
      expect(plan.output).not.toMatch(/Error/);
      expect(plan.status).toBe(0);
    });

    test.each([
      [
        "a PEM instead of the sealed value",
        "TF_VAR_acme_corp_app_private_key_actions_sealed",
        pem,
        /TF_VAR_acme_corp_app_private_key_actions_sealed must be the App's private key sealed by `token-policy seal --org acme-corp --target actions`/,
      ],
      [
        "a truncated sealed value",
        "TF_VAR_acme_corp_app_private_key_dependabot_sealed",
        Buffer.alloc(1750, 2).toString("base64").slice(0, 900),
        /--target dependabot`: the public key's id, a colon and base64 of 1400 to 6732 characters \(or the base64 alone\)/,
      ],
      [
        "a truncated sealed value after its key id",
        "TF_VAR_acme_corp_app_private_key_dependabot_sealed",
        `568250167242549743:${Buffer.alloc(1750, 2).toString("base64").slice(0, 900)}`,
        /--target dependabot`: the public key's id/,
      ],
      [
        "a sealed value wrapped over lines",
        "TF_VAR_acme_corp_app_private_key_actions_sealed",
        Buffer.alloc(1750, 1)
          .toString("base64")
          .replace(/(.{76})/g, "$1\n"),
        /run seal again and paste its whole TF_VAR_ line/,
      ],
      [
        "a key id with a space",
        "TF_VAR_acme_corp_app_private_key_actions_sealed",
        `5682 5016:${Buffer.alloc(1750, 1).toString("base64")}`,
        /--target actions`: the public key's id, a colon and base64/,
      ],
      [
        "two key ids",
        "TF_VAR_acme_corp_app_private_key_actions_sealed",
        `568250167242549743:568250167242549744:${Buffer.alloc(1750, 1).toString("base64")}`,
        /--target actions`: the public key's id, a colon and base64/,
      ],
      [
        "an empty key id",
        "TF_VAR_acme_corp_app_private_key_actions_sealed",
        `:${Buffer.alloc(1750, 1).toString("base64")}`,
        /--target actions`: the public key's id, a colon and base64/,
      ],
      [
        "an encrypted PEM, whose headers hold colons",
        "TF_VAR_acme_corp_app_private_key_env_release_tools__production_sealed",
        encryptedPem(),
        /--target environment --repository release-tools --environment production`: the public key's id/,
      ],
      [
        "a non-numeric App id",
        "TF_VAR_acme_corp_app_id",
        "app-name-4711x",
        /TF_VAR_acme_corp_app_id must be the numeric id of the acme-token-broker App \(digits only\)/,
      ],
      [
        "a client secret as client id",
        "TF_VAR_acme_corp_app_client_id",
        "0123456789abcdef0123456789abcdef01234567",
        /TF_VAR_acme_corp_app_client_id must be the App's client id/,
      ],
      [
        "a non-numeric installation id",
        "TF_VAR_acme_corp_app_installation_id",
        "acme",
        /TF_VAR_acme_corp_app_installation_id must be the numeric id/,
      ],
    ])("%s fails plan with one message naming the variable", (_what, name, value, message) => {
      const plan = terraform(dir, ["plan", "-input=false"], { ...good, [name]: value });
      expect(plan.status).not.toBe(0);
      expect(plan.output).toMatch(message);
      expect(plan.output.match(/Resource precondition failed/g)).toHaveLength(1);
      // The failure shows only `local.<name>_ok is false`: never the value, sensitive or not
      expect(plan.output).toContain(`local.${name.replace(/^TF_VAR_/, "")}_ok is false`);
      for (const line of value.split("\n").filter((l) => l.length > 8 && !l.startsWith("-----")))
        expect(plan.output).not.toContain(line.slice(0, 40));
    });
  });

  describe("no failed check lets anything that writes to GitHub be planned", () => {
    // GIVEN the example's acme-corp stack with every github resource replaced by a stand-in that keeps its depends_on
    const tf = exampleStacks()["acme-corp"];
    const dir = terraformDir(withoutProvider(tf, { backend: "local", standIns: true }));
    const good = {
      TF_VAR_acme_corp_app_id: "123456",
      TF_VAR_acme_corp_app_client_id: "Iv23liAbCdEfGh123456",
      TF_VAR_acme_corp_app_installation_id: "987654",
      TF_VAR_acme_corp_app_private_key_actions_sealed: Buffer.alloc(1750, 1).toString("base64"),
      TF_VAR_acme_corp_app_private_key_dependabot_sealed: Buffer.alloc(1750, 2).toString("base64"),
      TF_VAR_acme_corp_app_private_key_env_release_tools__production_sealed: Buffer.alloc(1750, 3).toString("base64"),
    };
    const standIns = Object.entries(tf.resource as Record<string, Record<string, unknown>>)
      .filter(([type]) => type.startsWith("github_"))
      .flatMap(([type, byName]) => Object.keys(byName).map((name) => standInAddress(`${type}.${name}`)));
    beforeAll(() => {
      expect(terraform(dir, ["init", "-input=false"]).status).toBe(0);
    });

    test("Terraform accepts every depends_on and replace_triggered_by the stack writes", () => {
      const validate = terraform(dir, ["validate"]);
      expect(validate.output).toMatch(/The configuration is valid/);
    });

    test("with correct inputs every resource is planned", () => {
      const plan = terraform(dir, ["plan", "-input=false"], good);
      expect(plan.status).toBe(0);
      for (const address of standIns) expect(plan.output).toContain(`${address} will be created`);
    });

    test.each([
      ["an invalid installation id", "TF_VAR_acme_corp_app_installation_id", "12ab"],
      ["a PEM in place of a sealed key", "TF_VAR_acme_corp_app_private_key_actions_sealed", generateAppKey().pem],
    ])("fails plan on %s without a partial plan of any of them", (_what, name, value) => {
      const plan = terraform(dir, ["plan", "-input=false"], { ...good, [name]: value });
      expect(plan.status).not.toBe(0);
      expect(plan.output).toMatch(/Resource precondition failed/);
      for (const address of standIns) expect(plan.output).not.toContain(address);
    });
  });

  describe("a sealed value reaches its secret as key_id and value_encrypted, with or without the key id", () => {
    // GIVEN the example's acme-corp stack, each github resource a stand-in whose input holds its key_id and value_encrypted as the stack writes them
    const tf = exampleStacks()["acme-corp"];
    const dir = terraformDir(withoutProvider(tf, { backend: "local", standIns: true, standInArguments: ["key_id", "value_encrypted"] }));
    const sealed = (n: number) => Buffer.alloc(1750, n).toString("base64");
    const inputs = {
      TF_VAR_acme_corp_app_id: "123456",
      TF_VAR_acme_corp_app_client_id: "Iv23liAbCdEfGh123456",
      TF_VAR_acme_corp_app_installation_id: "987654",
      // as seal prints it now: the public key's id, a colon, the sealed box
      TF_VAR_acme_corp_app_private_key_actions_sealed: `568250167242549743:${sealed(1)}`,
      TF_VAR_acme_corp_app_private_key_env_release_tools__production_sealed: `key_B-7:${sealed(3)}`,
      // as seal printed it before: the sealed box alone
      TF_VAR_acme_corp_app_private_key_dependabot_sealed: sealed(2),
    };
    const secretOf = (type: string) => {
      const names = Object.keys(tf.resource[type]);
      expect(names).toHaveLength(1);
      return standInAddress(`${type}.${names[0]}`);
    };
    beforeAll(() => {
      expect(terraform(dir, ["init", "-input=false"]).status).toBe(0);
    });

    test("Terraform splits each value into what the provider is sent", () => {
      // WHEN Terraform plans and the saved plan is read back
      const plan = terraform(dir, ["plan", "-input=false", "-out=tfplan"], inputs);
      expect(plan.status).toBe(0);
      const shown = spawnSync("terraform", ["show", "-json", "tfplan"], {
        cwd: dir,
        encoding: "utf8",
        env: { PATH: process.env.PATH, HOME: process.env.HOME, CHECKPOINT_DISABLE: "1", TF_CLI_CONFIG_FILE: "/dev/null" },
      });
      expect(shown.status).toBe(0);
      const changes = JSON.parse(shown.stdout).resource_changes as {
        address: string;
        change: { after: { input: any }; after_sensitive: { input: any } };
      }[];
      const inputOf = (address: string) => changes.find((c) => c.address === address)!.change;
      // THEN a value with a key id gives that id and the sealed box alone …
      expect(inputOf(secretOf("github_actions_organization_secret")).after.input).toEqual({
        address: expect.any(String),
        key_id: "568250167242549743",
        value_encrypted: sealed(1),
      });
      expect(inputOf(secretOf("github_actions_environment_secret")).after.input).toEqual({
        address: expect.any(String),
        key_id: "key_B-7",
        value_encrypted: sealed(3),
      });
      // … and one without gives a null key id (the provider then looks the key up) and the whole value
      expect(inputOf(secretOf("github_dependabot_organization_secret")).after.input).toEqual({
        address: expect.any(String),
        key_id: null,
        value_encrypted: sealed(2),
      });
      // AND the sealed value stays sensitive
      expect(inputOf(secretOf("github_actions_organization_secret")).after_sensitive.input).toMatchObject({ value_encrypted: true });
      // AND the plan printed neither
      expect(plan.output).not.toContain(sealed(1).slice(0, 40));
    });
  });

  describe("the lookups' postconditions, evaluated by Terraform", () => {
    // A data source is read only with its provider; the same condition and message over a local,
    // as a resource precondition, is what Terraform evaluates with `self` in their place.
    const tf = exampleStacks()["acme-corp"];
    const asPrecondition = (postcondition: { condition: string; error_message: string }, self: string, value: unknown) => {
      const swap = (text: string) => text.split(self).join("local.answer");
      return terraformDir({
        locals: { answer: value },
        resource: {
          terraform_data: {
            check: {
              input: "x",
              lifecycle: { precondition: [{ condition: swap(postcondition.condition), error_message: swap(postcondition.error_message) }] },
            },
          },
        },
      });
    };
    const owner = tf.data.github_actions_organization_secrets.provider_owner.lifecycle.postcondition[0];
    const lookup = (Object.values(tf.data.github_rest_api) as any[]).find((d) => d.endpoint === "repos/acme-corp/release-tools").lifecycle
      .postcondition[0];

    test("fails when GITHUB_OWNER points the provider at another organization, naming both and the variables to unset", () => {
      const plan = terraform(asPrecondition(owner, "self.id", "acme-labs"), ["plan", "-input=false"]);
      expect(plan.status).not.toBe(0);
      expect(plan.output).toContain('The github provider acts on organization "acme-labs", not acme-corp, the organization of this stack');
      expect(plan.output).toContain("Unset both (unset GITHUB_OWNER GITHUB_ORGANIZATION) and plan again.");
    });

    test("passes when the provider acts on the stack's organization, in any case", () => {
      for (const login of ["acme-corp", "ACME-Corp"])
        expect(terraform(asPrecondition(owner, "self.id", login), ["plan", "-input=false"]).status).toBe(0);
    });

    test("fails when a repository is missing (GitHub answers 404), naming every place that names it", () => {
      const plan = terraform(asPrecondition(lookup, "self.code", 404), ["plan", "-input=false"]);
      expect(plan.status).not.toBe(0);
      expect(plan.output).toMatch(
        /organizations\[0\]\.app\.installation\.repositories\[0\], organizations\[0\]\.credentials\.actions\.repositories\[0\], organizations\[0\]\.credentials\.dependabot\.repositories\[0\], organizations\[0\]\.credentials\.environments\[0\]\.repository "release-tools": no repository acme-corp\/release-tools, or the token that runs deploy cannot see it\./,
      );
      expect(terraform(asPrecondition(lookup, "self.code", 200), ["plan", "-input=false"]).status).toBe(0);
    });

    test("fails when the answer has no status the provider kept (a proxy stripped x-github-request-id), saying so rather than 'no repository'", () => {
      for (const code of [null, 500]) {
        const plan = terraform(asPrecondition(lookup, "self.code", code), ["plan", "-input=false"]);
        expect(plan.status).not.toBe(0);
        expect(plan.output).toContain("GitHub's answer to GET /repos/acme-corp/release-tools was neither 200 nor 404");
        expect(plan.output).not.toContain("no repository acme-corp/release-tools");
      }
    });
  });

  describe("closed networks: the provider from a filesystem mirror (TF_CLI_CONFIG_FILE)", () => {
    const mirror = providerMirror("6.13.0");
    const offline = { TF_CLI_CONFIG_FILE: mirror.cliConfigFile };

    test.each(Object.entries(exampleStacks()))(
      "terraform init installs and locks the %s stack's provider from the mirror alone",
      (_login, tf) => {
        const dir = terraformDir({ ...tf, terraform: { ...tf.terraform, backend: undefined, cloud: undefined } });
        const init = terraform(dir, ["init", "-input=false"], offline);
        expect(init.output).toMatch(/Installing integrations\/github v6\.13\.0/);
        expect(init.status).toBe(0);
        expect(readFileSync(join(dir, ".terraform.lock.hcl"), "utf8")).toMatch(
          /provider "registry\.terraform\.io\/integrations\/github" \{\s+version\s+= "6\.13\.0"\s+constraints = ">= 6\.12\.0, < 7\.0\.0"/,
        );
      },
    );

    test("the lock step cdktf runs reaches for the registry, unless it is pointed at the mirror", () => {
      const dir = terraformDir({
        terraform: { required_providers: { github: { source: "integrations/github", version: ">= 6.12.0, < 7.0.0" } } },
      });
      const lock = terraform(dir, ["providers", "lock", `-platform=${TERRAFORM_PLATFORM}`], offline, 30_000);
      expect(lock.status).not.toBe(0);
      expect(lock.output).toMatch(/registry\.terraform\.io/);
      const fromMirror = terraform(
        dir,
        ["providers", "lock", `-fs-mirror=${mirror.dir}`, `-platform=${TERRAFORM_PLATFORM}`],
        offline,
        30_000,
      );
      expect(fromMirror.status).toBe(0);
    });

    const cdktf = join(__dirname, "..", "..", "node_modules", ".bin", "cdktf");
    (existsSync(cdktf) ? test : test.skip)(
      "cdktf diff --skip-provider-lock initializes from the mirror and goes on to plan",
      () => {
        // GIVEN a synthesized app (cdktf.out with its manifest) and no lock file, as after every synth
        const project = tempDir("cdktf-offline-");
        writeFileSync(join(project, "cdktf.json"), JSON.stringify({ language: "typescript", app: "true", output: "cdktf.out" }));
        const app = new App({ outdir: join(project, "cdktf.out") });
        const stack = new OrganizationStack(app, "acme-corp", { organizationLogin: "acme-corp" });
        OrgTokenPolicy.fromConfig(stack, "token-policy", parseOrg());
        app.synth();
        // WHEN cdktf diff runs with the mirror and without its lock step
        const r = spawnSync(cdktf, ["diff", "acme-corp", "--skip-synth", "--skip-provider-lock"], {
          cwd: project,
          env: {
            PATH: process.env.PATH,
            HOME: project,
            CHECKPOINT_DISABLE: "1",
            CI: "1",
            TF_IN_AUTOMATION: "1",
            TF_INPUT: "0",
            ...offline,
          },
          encoding: "utf8",
          timeout: 120_000,
          killSignal: "SIGKILL",
        });
        const output = `${r.stdout}${r.stderr}`;
        // THEN init installed the provider from the mirror and plan started it (the stand-in package cannot plan)
        expect(output).not.toMatch(
          /Could not retrieve providers for locking|registry\.terraform\.io: failed to request discovery document/,
        );
        expect(output).toMatch(/Installing integrations\/github v6\.13\.0/);
        expect(readFileSync(join(project, "cdktf.out", "stacks", "acme-corp", ".terraform.lock.hcl"), "utf8")).toContain(
          'version     = "6.13.0"',
        );
      },
      150_000,
    );
  });

  describe("backends, checked against Terraform's own backend schemas", () => {
    // Every endpoint points at a closed port on loopback: init decodes the block, then fails to connect.
    const loopback = {
      AWS_ACCESS_KEY_ID: "AKIAEXAMPLE",
      AWS_SECRET_ACCESS_KEY: "example",
      AWS_EC2_METADATA_DISABLED: "true",
      AWS_ENDPOINT_URL_S3: "http://127.0.0.1:9",
      AWS_ENDPOINT_URL_STS: "http://127.0.0.1:9",
      AWS_ENDPOINT_URL_IAM: "http://127.0.0.1:9",
      AWS_ENDPOINT_URL_DYNAMODB: "http://127.0.0.1:9",
      AWS_MAX_ATTEMPTS: "1",
      PG_CONN_STR: "postgres://tf@127.0.0.1:9/state?sslmode=disable",
      TF_CLOUD_HOSTNAME: "127.0.0.1:9",
    };
    const init = (tf: any) =>
      terraform(
        terraformDir({
          terraform: { required_version: tf.terraform.required_version, backend: tf.terraform.backend, cloud: tf.terraform.cloud },
        }),
        ["init", "-input=false"],
        loopback,
        30_000,
      );

    test.each([
      [
        "s3 with a role and S3 locking",
        {
          type: "s3",
          bucket: "tfstate",
          region: "eu-west-1",
          useLockfile: true,
          encrypt: true,
          roleArn: "arn:aws:iam::123456789012:role/tfstate",
        },
        /127\.0\.0\.1:9/,
      ],
      [
        "s3 with DynamoDB locking",
        { type: "s3", bucket: "tfstate", region: "eu-west-1", useLockfile: false, encrypt: true, dynamodbTable: "locks" },
        /127\.0\.0\.1:9/,
      ],
      ["pg", { type: "pg", schemaName: "tokens" }, /127\.0\.0\.1:9/],
      ["cloud with a project", { type: "cloud", organization: "acme", project: "tokens", workspace: "tokens-acme" }, /127\.0\.0\.1:9/],
    ] as const)("%s: every argument is one the backend has", (_what, backend, reachedNetwork) => {
      const { tf } = synthJson(newStack({ backend: backend as any }));
      const r = init(tf);
      expect(r.output).not.toMatch(UNKNOWN_ARGUMENT);
      // It got past decoding the block to the (closed) endpoint.
      expect(r.output).toMatch(reachedNetwork);
    });

    test("the check can fail: a top-level role_arn, as written before, is refused by Terraform ≥ 1.10", () => {
      const r = init({
        terraform: { backend: { s3: { bucket: "b", key: "k", region: "eu-west-1", role_arn: "arn:aws:iam::123456789012:role/x" } } },
      });
      expect(r.output).toMatch(/No argument or block type is named "role_arn"/);
    });
  });
});
