import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { appAuthenticationFor, appClientSecretFor, appCredentials, authenticationFor } from "../../lib/github/authentication";
import { tempDir } from "../../test-support/temp";
import { parseOrg } from "../../test-support/config";

const org = parseOrg();
const io = (env: NodeJS.ProcessEnv) => ({ env, stderr: { write: () => true } });

describe("authenticationFor: which credentials act for an organization", () => {
  test("fails naming the organization's own variables first when no credentials are set", () => {
    expect(() => authenticationFor(io({}), org)).toThrow(
      "no GitHub credentials for acme-corp: set ACME_CORP_APP_ID with ACME_CORP_APP_PRIVATE_KEY or ACME_CORP_APP_PRIVATE_KEY_FILE (its App's id and private key, in the environment or in TOKEN_POLICY_VARS_JSON and TOKEN_POLICY_SECRETS_JSON), pass --credentials FILE from create-app, or set APP_ID with APP_PRIVATE_KEY or APP_PRIVATE_KEY_FILE (one App for every organization), or GITHUB_TOKEN (an installation token)",
    );
  });

  test("fails when only half of the organization's pair is set, rather than falling back to GITHUB_TOKEN", () => {
    expect(() => authenticationFor(io({ ACME_CORP_APP_ID: "12", GITHUB_TOKEN: "ghs_other" }), org)).toThrow(
      "ACME_CORP_APP_ID is set for acme-corp but ACME_CORP_APP_PRIVATE_KEY is not (in the environment, or in TOKEN_POLICY_SECRETS_JSON), nor ACME_CORP_APP_PRIVATE_KEY_FILE: set both, from acme-corp's App",
    );
    expect(() => authenticationFor(io({ TOKEN_POLICY_SECRETS_JSON: JSON.stringify({ ACME_CORP_APP_PRIVATE_KEY: "k" }) }), org)).toThrow(
      "ACME_CORP_APP_PRIVATE_KEY is set for acme-corp but ACME_CORP_APP_ID is not (in the environment, or in TOKEN_POLICY_VARS_JSON)",
    );
  });

  test("GITHUB_TOKEN still serves when the organization's pair is absent", () => {
    expect(authenticationFor(io({ GITHUB_TOKEN: "ghs_x" }), org)).toEqual({ kind: "token", token: "ghs_x" });
  });

  test("the organization's own App wins over GITHUB_TOKEN and the shared APP_*; GITHUB_TOKEN over the shared APP_*", () => {
    const shared = { APP_ID: "1", APP_PRIVATE_KEY: PEM_B, GITHUB_TOKEN: "ghs_x" };
    expect(authenticationFor(io({ ...shared, ACME_CORP_APP_ID: "7", ACME_CORP_APP_PRIVATE_KEY: PEM_A }), org)).toEqual(
      expect.objectContaining({ kind: "app", appId: "7", privateKey: PEM_A }),
    );
    expect(authenticationFor(io(shared), org)).toEqual({ kind: "token", token: "ghs_x" });
  });
});

// PEM-shaped stand-ins assembled at run time: no key-shaped text is committed.
const pemLike = (body: string) =>
  ["-----BEGIN RSA", "PRIVATE KEY-----", `\n${body}\n-----END RSA`, "PRIVATE KEY-----\n"].join(" ").replace(/ \n/g, "\n");
const PEM_A = pemLike("AAAA");
const PEM_B = pemLike("BBBB");

describe("appAuthenticationFor: the App every command acts as (install, seal and serve too)", () => {
  test("reads <STEM>_APP_PRIVATE_KEY_FILE with <STEM>_APP_ID", () => {
    // GIVEN the organization's key in a file, as the systemd unit passes it
    const file = join(tempDir("key-"), "acme-corp.pem");
    writeFileSync(file, PEM_A, { mode: 0o600 });
    // WHEN / THEN its id and that key, not the shared App's
    expect(
      appAuthenticationFor(io({ ACME_CORP_APP_ID: "7", ACME_CORP_APP_PRIVATE_KEY_FILE: file, APP_ID: "1", APP_PRIVATE_KEY: PEM_B }), org),
    ).toEqual(expect.objectContaining({ kind: "app", appId: "7", privateKey: PEM_A }));
  });

  test("fails when <STEM>_APP_PRIVATE_KEY_FILE names no file, naming the variable and not the path", () => {
    const missing = join(tempDir("key-"), "secret-name.pem");
    expect(() => appAuthenticationFor(io({ ACME_CORP_APP_ID: "7", ACME_CORP_APP_PRIVATE_KEY_FILE: missing }), org)).toThrow(
      "ACME_CORP_APP_PRIVATE_KEY_FILE names a file that cannot be read (ENOENT: it does not exist); the name is not shown",
    );
  });

  test("fails when only <STEM>_APP_PRIVATE_KEY_FILE is set, rather than falling back to the shared App", () => {
    expect(() => appAuthenticationFor(io({ ACME_CORP_APP_PRIVATE_KEY_FILE: "/x.pem", APP_ID: "1", APP_PRIVATE_KEY: PEM_B }), org)).toThrow(
      "ACME_CORP_APP_PRIVATE_KEY_FILE is set for acme-corp but ACME_CORP_APP_ID is not",
    );
  });

  test("takes no GITHUB_TOKEN: undefined when only a token is set", () => {
    expect(appAuthenticationFor(io({ GITHUB_TOKEN: "ghs_x" }), org)).toBeUndefined();
    expect(appAuthenticationFor(io({ GITHUB_TOKEN: "ghs_x", APP_ID: "1", APP_PRIVATE_KEY: PEM_B }), org)).toEqual(
      expect.objectContaining({ kind: "app", appId: "1", privateKey: PEM_B }),
    );
  });

  test("serve's appCredentials takes the same App, key file included", () => {
    const file = join(tempDir("key-"), "acme-corp.pem");
    writeFileSync(file, PEM_A, { mode: 0o600 });
    expect(appCredentials(io({ ACME_CORP_APP_ID: "7", ACME_CORP_APP_PRIVATE_KEY_FILE: file }), [org]).get("acme-corp")).toEqual(
      expect.objectContaining({ appId: "7", privateKey: PEM_A }),
    );
  });
});

describe("appClientSecretFor: the App's client secret for the member page", () => {
  test("takes the organization's own, from the environment or TOKEN_POLICY_SECRETS_JSON, before the shared one", () => {
    const own = "own-" + "s".repeat(8);
    const fromJson = "json-" + "s".repeat(8);
    const shared = "shared-" + "s".repeat(8);
    expect(appClientSecretFor(io({ ACME_CORP_APP_CLIENT_SECRET: own, APP_CLIENT_SECRET: shared }), org)).toBe(own);
    expect(
      appClientSecretFor(
        io({ TOKEN_POLICY_SECRETS_JSON: JSON.stringify({ ACME_CORP_APP_CLIENT_SECRET: fromJson }), APP_CLIENT_SECRET: shared }),
        org,
      ),
    ).toBe(fromJson);
    expect(appClientSecretFor(io({ APP_CLIENT_SECRET: shared, BETA_CORP_APP_CLIENT_SECRET: own }), org)).toBe(shared);
  });

  test("is undefined when none is set, or set empty", () => {
    expect(appClientSecretFor(io({ ACME_CORP_APP_CLIENT_SECRET: "", TOKEN_POLICY_SECRETS_JSON: "not json" }), org)).toBeUndefined();
  });
});
