import { authenticationFor } from "../../lib/github/authentication";
import { parseOrg } from "../../test-support/config";

const org = parseOrg();
const io = (env: NodeJS.ProcessEnv) => ({ env, stderr: { write: () => true } });

describe("authenticationFor: which credentials act for an organization", () => {
  test("fails naming the organization's own variables first when no credentials are set", () => {
    expect(() => authenticationFor(io({}), org)).toThrow(
      `no GitHub credentials for ${org.login}: set ACME_CORP_APP_ID and ACME_CORP_APP_PRIVATE_KEY (its App's id and private key, in the environment or in TOKEN_POLICY_VARS_JSON and TOKEN_POLICY_SECRETS_JSON), pass --credentials FILE from create-app, or set GITHUB_TOKEN (an installation token) or APP_ID with APP_PRIVATE_KEY or APP_PRIVATE_KEY_FILE`,
    );
  });

  test("fails when only half of the organization's pair is set, rather than falling back to GITHUB_TOKEN", () => {
    expect(() => authenticationFor(io({ ACME_CORP_APP_ID: "12", GITHUB_TOKEN: "ghs_other" }), org)).toThrow(
      "ACME_CORP_APP_ID is set for acme-corp but ACME_CORP_APP_PRIVATE_KEY is not (in the environment, or in TOKEN_POLICY_SECRETS_JSON): set both, from acme-corp's App",
    );
    expect(() => authenticationFor(io({ TOKEN_POLICY_SECRETS_JSON: JSON.stringify({ ACME_CORP_APP_PRIVATE_KEY: "k" }) }), org)).toThrow(
      "ACME_CORP_APP_PRIVATE_KEY is set for acme-corp but ACME_CORP_APP_ID is not (in the environment, or in TOKEN_POLICY_VARS_JSON)",
    );
  });

  test("GITHUB_TOKEN still serves when the organization's pair is absent", () => {
    expect(authenticationFor(io({ GITHUB_TOKEN: "ghs_x" }), org)).toEqual({ kind: "token", token: "ghs_x" });
  });
});
