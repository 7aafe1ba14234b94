import { writeFileSync } from "node:fs";
import { join } from "node:path";
import sodium from "libsodium-wrappers";
import { run } from "../../../cli";
import { seal } from "../../../cli/commands/seal";
import { SEALED_KEY_BASE64_LENGTH, SEALED_KEY_VALUE_PATTERN } from "../../../lib/constructs/variable-preconditions";
import { writeCredentialsFile } from "../../../lib/registration/credentials-file";
import { GitHubStandIn } from "../../../test-support/github-stand-in/server";
import { generateAppKey, installApp, type InstalledApp, writePolicyFile } from "../../../test-support/fixtures";
import { captureIO } from "../../../test-support/io";
import { keyBodyLines } from "../../../test-support/keys";
import { tempDir } from "../../../test-support/temp";

describe("seal", () => {
  let standIn: GitHubStandIn;
  let app: InstalledApp;
  let keys: Record<string, { publicKey: Uint8Array; privateKey: Uint8Array }>;
  const appKey = generateAppKey();
  let credsFile: string;

  beforeAll(() => sodium.ready);
  beforeEach(async () => {
    standIn = await GitHubStandIn.start();
    app = installApp(standIn);
    // The public keys are readable with these App permissions.
    Object.assign(app.org.installation!.permissions, { organization_secrets: "read", dependabot_secrets: "read", secrets: "read" });
    keys = {};
    for (const target of ["actions", "dependabot", "env:release-tools/production"]) {
      keys[target] = sodium.crypto_box_keypair();
      standIn.setPublicKey(
        "acme-corp",
        target,
        sodium.to_base64(keys[target].publicKey, sodium.base64_variants.ORIGINAL),
        `key-${target.replace(/[^A-Za-z0-9_-]/g, "-")}`,
      );
    }
    credsFile = join(tempDir("creds-"), "app.json");
    writeCredentialsFile(credsFile, {
      id: app.appId,
      slug: "s",
      client_id: "Iv1",
      client_secret: "x",
      webhook_secret: null,
      pem: appKey.pem,
      html_url: "",
      owner: "acme-corp",
      github_url: standIn.url,
    });
  });
  afterEach(async () => {
    expect(standIn.violations).toEqual([]);
    await standIn.close();
  });

  const open = (sealed: string, target: string) =>
    sodium.to_string(
      sodium.crypto_box_seal_open(
        sodium.from_base64(sealed, sodium.base64_variants.ORIGINAL),
        keys[target].publicKey,
        keys[target].privateKey,
      ),
    );

  test("--json: stdout is one JSON object with the variable, its value and where to store it", async () => {
    const io = captureIO({ GITHUB_API_URL: standIn.url, GITHUB_TOKEN: app.token });
    const r = await seal({ org: "acme-corp", config: writePolicyFile(), credentials: credsFile, json: true }, io);
    expect(JSON.parse(io.out())).toEqual({
      org: "acme-corp",
      target: "acme-corp Actions secrets",
      variable: "acme_corp_app_private_key_actions_sealed",
      value: `key-actions:${r.sealed}`,
      keyId: "key-actions",
      secret: "ACME_CORP_APP_PRIVATE_KEY_ACTIONS_SEALED",
      environment: "token-policy-acme-corp",
    });
    for (const line of keyBodyLines(appKey.pem)) expect(io.out() + io.err()).not.toContain(line);
  });

  test("seals the organization's own App key, found as every command finds it (ACME_CORP_APP_PRIVATE_KEY_FILE before the shared APP_*)", async () => {
    // GIVEN the organization's App id and key file, and a shared App key that must not be taken
    const keyFile = join(tempDir("key-"), "acme-corp.pem");
    writeFileSync(keyFile, app.pem, { mode: 0o600 });
    const io = captureIO({
      GITHUB_API_URL: standIn.url,
      ACME_CORP_APP_ID: String(app.appId),
      ACME_CORP_APP_PRIVATE_KEY_FILE: keyFile,
      APP_ID: "999",
      APP_PRIVATE_KEY: appKey.pem,
    });
    // WHEN
    const r = await seal({ org: "acme-corp", config: writePolicyFile() }, io);
    // THEN the organization's key is sealed, and the public key was read as its App
    expect(open(r.sealed, "actions")).toBe(app.pem);
    expect(standIn.callsOf("POST /app/installations/{installation_id}/access_tokens")).toHaveLength(1);
  });

  test("fails when no App key is set, naming every way to give one", async () => {
    const io = captureIO({ GITHUB_API_URL: standIn.url, GITHUB_TOKEN: app.token });
    await expect(seal({ org: "acme-corp", config: writePolicyFile() }, io)).rejects.toMatchObject({
      exitCode: 2,
      message: expect.stringMatching(
        /^no key to seal for acme-corp: set ACME_CORP_APP_ID with ACME_CORP_APP_PRIVATE_KEY or ACME_CORP_APP_PRIVATE_KEY_FILE .*, pass --credentials FILE from create-app, or set APP_ID with APP_PRIVATE_KEY or APP_PRIVATE_KEY_FILE/,
      ),
    });
  });

  test("seals the key for the org's Actions secrets: it opens with the matching secret key", async () => {
    const io = captureIO({ GITHUB_API_URL: standIn.url, GITHUB_TOKEN: app.token });
    const r = await seal({ org: "acme-corp", config: writePolicyFile(), credentials: credsFile }, io);
    expect(r.variable).toBe("acme_corp_app_private_key_actions_sealed");
    expect(r.keyId).toBe("key-actions");
    expect(open(r.sealed, "actions")).toBe(appKey.pem);
    // AND the value carries the id of the public key it was sealed with, ahead of the sealed box
    expect(r.value).toBe(`key-actions:${r.sealed}`);
    // AND it says where the value goes: the secret, in the deploy job's environment
    expect(io.out()).toBe(
      "# The App's private key sealed for acme-corp Actions secrets with its public key key-actions, as KEY_ID:BASE64 (Terraform passes both to GitHub); seal again if GitHub rotates that key\n" +
        "# Store the value as the secret ACME_CORP_APP_PRIVATE_KEY_ACTIONS_SEALED in the GitHub environment token-policy-acme-corp (the deploy job's), or export this line where terraform runs\n" +
        `TF_VAR_acme_corp_app_private_key_actions_sealed=key-actions:${r.sealed}\n`,
    );
    for (const line of keyBodyLines(appKey.pem)) expect(io.out() + io.err()).not.toContain(line);
  });

  test("is different on every run", async () => {
    const io = () => captureIO({ GITHUB_API_URL: standIn.url, GITHUB_TOKEN: app.token });
    const a = await seal({ org: "acme-corp", config: writePolicyFile(), credentials: credsFile }, io());
    const b = await seal({ org: "acme-corp", config: writePolicyFile(), credentials: credsFile }, io());
    expect(a.sealed).not.toBe(b.sealed);
    expect(open(a.sealed, "actions")).toBe(open(b.sealed, "actions"));
  });

  test("uses each target's own public key: Dependabot and environments", async () => {
    const io = captureIO({ GITHUB_API_URL: standIn.url, GITHUB_TOKEN: app.token });
    const config = writePolicyFile({
      credentials: {
        actions: { visibility: "all" },
        dependabot: { visibility: "all" },
        environments: [{ repository: "release-tools", environment: "production" }],
      },
    });
    const d = await seal({ org: "acme-corp", config, credentials: credsFile, target: "dependabot" }, io);
    expect(d.variable).toBe("acme_corp_app_private_key_dependabot_sealed");
    expect(d.value).toBe(`key-dependabot:${d.sealed}`);
    expect(open(d.sealed, "dependabot")).toBe(appKey.pem);
    expect(() => open(d.sealed, "actions")).toThrow();
    const e = await seal(
      { org: "acme-corp", config, credentials: credsFile, target: "environment", repository: "release-tools", environment: "production" },
      io,
    );
    expect(e.variable).toBe("acme_corp_app_private_key_env_release_tools__production_sealed");
    expect(e.value).toBe(`key-env-release-tools-production:${e.sealed}`);
    expect(open(e.sealed, "env:release-tools/production")).toBe(appKey.pem);
  });

  test("prints a value the stack's check takes: the key id, a colon, base64 of a sealed box", async () => {
    // GIVEN a public key id as GitHub's examples show them (digits)
    standIn.setPublicKey(
      "acme-corp",
      "actions",
      sodium.to_base64(keys.actions.publicKey, sodium.base64_variants.ORIGINAL),
      "568250167242549743",
    );
    const io = captureIO({ GITHUB_API_URL: standIn.url, GITHUB_TOKEN: app.token });
    const r = await seal({ org: "acme-corp", config: writePolicyFile(), credentials: credsFile }, io);
    // THEN the printed line matches what the stack's input check accepts, split as the stack splits it
    const printed = io
      .out()
      .split("\n")
      .find((l) => l.startsWith("TF_VAR_"))!
      .replace(/^TF_VAR_[a-z_]+=/, "");
    expect(printed).toMatch(new RegExp(SEALED_KEY_VALUE_PATTERN));
    expect(printed.split(":")).toEqual(["568250167242549743", r.sealed]);
    expect(r.sealed.length).toBeGreaterThanOrEqual(SEALED_KEY_BASE64_LENGTH.min);
  });

  test.each([
    ["holds a colon", "1234:5678"],
    ["is empty", ""],
    ["is longer than 100 characters", "7".repeat(101)],
  ])("exit 1 without sealing when GitHub's public key id %s", async (_what, keyId) => {
    standIn.setPublicKey("acme-corp", "actions", sodium.to_base64(keys.actions.publicKey, sodium.base64_variants.ORIGINAL), keyId);
    const io = captureIO({ GITHUB_API_URL: standIn.url, GITHUB_TOKEN: app.token });
    expect(await run(["seal", "--org", "acme-corp", "--config", writePolicyFile(), "--credentials", credsFile], io)).toBe(1);
    expect(io.err()).toContain(
      `GitHub returned the public key of acme-corp Actions secrets with the key id ${JSON.stringify(keyId)}, which the stack cannot take (it expects 1 to 100 letters, digits, '_' or '-'): nothing was sealed`,
    );
    expect(io.out()).toBe("");
  });

  test("reads the public key as the App when no GITHUB_TOKEN is set", async () => {
    const io = captureIO({ GITHUB_API_URL: standIn.url, APP_ID: String(app.appId), APP_PRIVATE_KEY: app.pem });
    const r = await seal({ org: "acme-corp", config: writePolicyFile() }, io);
    expect(open(r.sealed, "actions")).toBe(app.pem);
    expect(standIn.callsOf("GET /orgs/{org}/actions/secrets/public-key").map((c) => c.auth)).toEqual(["installation"]);
  });

  test("exit 2 on a bad target or a missing environment, before any call", async () => {
    const io = captureIO({ GITHUB_API_URL: standIn.url, GITHUB_TOKEN: app.token });
    expect(
      await run(["seal", "--org", "acme-corp", "--config", writePolicyFile(), "--credentials", credsFile, "--target", "vault"], io),
    ).toBe(2);
    expect(io.err()).toBe('error: --target must be actions, dependabot or environment, got "vault"\n');
    expect(
      await run(["seal", "--org", "acme-corp", "--config", writePolicyFile(), "--credentials", credsFile, "--target", "environment"], io),
    ).toBe(2);
    expect(standIn.calls).toEqual([]);
  });

  test.each([
    [
      "--repository without --target environment",
      {},
      ["--repository", "release-tools"],
      "error: --repository and --environment go with --target environment only; --target is actions\n",
    ],
    [
      "an environment the config does not declare",
      { credentials: { actions: { visibility: "all" }, environments: [{ repository: "release-tools", environment: "production" }] } },
      ["--target", "environment", "--repository", "release-tools", "--environment", "staging"],
      "error: environment release-tools/staging is not in organizations[acme-corp].credentials.environments (it lists release-tools/production): declare it there first, or fix --repository/--environment\n",
    ],
    [
      "Dependabot when the config declares no Dependabot secret",
      {},
      ["--target", "dependabot"],
      "error: organizations[acme-corp].credentials.dependabot is not declared, so the stack takes no key sealed for Dependabot: declare it first\n",
    ],
    [
      "a config that passes the key in plaintext",
      { credentials: { actions: { visibility: "all" }, privateKeyInput: "plaintext" } },
      [],
      "error: acme-corp passes the key in plaintext (organizations[acme-corp].credentials.privateKeyInput is plaintext): nothing to seal; set it to sealed to use seal\n",
    ],
  ])("fails with exit 2 before any call when sealing for what the stack would not use: %s", async (_what, org, args, message) => {
    const io = captureIO({ GITHUB_API_URL: standIn.url, GITHUB_TOKEN: app.token });
    expect(await run(["seal", "--org", "acme-corp", "--config", writePolicyFile(org), "--credentials", credsFile, ...args], io)).toBe(2);
    expect(io.err()).toBe(message);
    expect(io.out()).toBe("");
    expect(standIn.calls).toEqual([]);
  });

  test.each([
    ["actions", "organization_secrets", "GET /orgs/acme-corp/actions/secrets/public-key"],
    ["dependabot", "dependabot_secrets", "GET /orgs/acme-corp/dependabot/secrets/public-key"],
  ])("exit 1 naming the App permission when the credentials cannot read the %s public key", async (target, permission, call) => {
    delete app.org.installation!.permissions[permission];
    const io = captureIO({ GITHUB_API_URL: standIn.url, APP_ID: String(app.appId), APP_PRIVATE_KEY: app.pem });
    const config = writePolicyFile({ credentials: { actions: { visibility: "all" }, dependabot: { visibility: "all" } } });
    expect(await run(["seal", "--org", "acme-corp", "--config", config, "--target", target], io)).toBe(1);
    expect(io.err()).toContain(`GitHub answered 403 to ${call}: these credentials cannot read the public key`);
    expect(io.err()).toContain(`The App needs ${permission}: read`);
    expect(io.out()).toBe("");
  });
});
