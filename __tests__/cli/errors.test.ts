/**
 * The CLI as people meet it: the most common mistakes each end in one message that names the
 * call, the organization and object, GitHub's answer, and the fix.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";
import { run } from "../../cli";
import { writeCredentialsFile } from "../../lib/registration/credentials-file";
import { GitHubStandIn } from "../../test-support/github-stand-in/server";
import { installApp, threeOrganizations, type InstalledApp } from "../../test-support/fixtures";
import { captureIO } from "../../test-support/io";
import { resolveApiUrl } from "../../lib/github/client";
import { tempDir } from "../../test-support/temp";

/** Two organizations, each with its own App, as the example has them. */
function twoOrgConfig(): string {
  const file = join(tempDir("errors-"), "token-policy.yaml");
  const org = (login: string, name: string) => ({
    login,
    app: { name, homepageUrl: `https://github.com/${login}`, permissions: { organization_personal_access_token_requests: "write" } },
    credentials: {
      actions: { visibility: "selected", repositories: ["release-tools"] },
      environments: [{ repository: "release-tools", environment: "production" }],
    },
  });
  writeFileSync(file, stringify({ organizations: [org("acme-corp", "acme-token-broker"), org("acme-labs", "acme-labs-token-broker")] }));
  return file;
}

describe("errors people meet", () => {
  let standIn: GitHubStandIn;
  let corp: InstalledApp;
  let config: string;
  beforeEach(async () => {
    standIn = await GitHubStandIn.start();
    corp = installApp(standIn);
    config = twoOrgConfig();
  });
  afterEach(async () => {
    expect(standIn.violations).toEqual([]);
    await standIn.close();
  });
  const appEnv = (extra: Record<string, string> = {}) => ({
    GITHUB_API_URL: standIn.url,
    APP_ID: String(corp.appId),
    APP_PRIVATE_KEY: corp.pem,
    ...extra,
  });

  test("another organization's App: exit 2 before any other call, naming the App it got and the one declared", async () => {
    standIn.addOrg("acme-labs");
    for (const command of ["review", "verify", "seal"]) {
      const io = captureIO(appEnv());
      expect(await run([command, "--org", "acme-labs", "--config", config], io)).toBe(2);
      expect(io.err()).toBe(
        `error: the credentials are for the App acme-token-broker (slug acme-corp-token-broker, id ${corp.appId}), but the config declares the App acme-labs-token-broker for acme-labs: use acme-labs's App's credentials\n`,
      );
    }
    expect(standIn.calls.map((c) => `${c.method} ${c.operation}`)).toEqual(["GET /app", "GET /app", "GET /app"]);
  });

  test("a credentials file of another organization: exit 2 before any call", async () => {
    const file = join(tempDir("creds-"), "acme-corp-app.json");
    writeCredentialsFile(file, {
      id: corp.appId,
      slug: "acme-corp-token-broker",
      client_id: "Iv23x",
      client_secret: "s",
      webhook_secret: null,
      pem: corp.pem,
      html_url: "",
      owner: "acme-corp",
      github_url: standIn.url,
    });
    for (const command of ["review", "verify", "seal", "install"]) {
      const io = captureIO({ GITHUB_API_URL: standIn.url });
      expect(
        await run(
          [command, "--org", "acme-labs", "--config", config, "--credentials", file, ...(command === "install" ? ["--no-open"] : [])],
          io,
        ),
      ).toBe(2);
      expect(io.err()).toBe(
        `error: ${file} holds the App acme-corp-token-broker of acme-corp, not of acme-labs: pass acme-labs's credentials file\n`,
      );
    }
    expect(standIn.calls).toEqual([]);
  });

  test("an App that is not installed: the installation call, the App and what to run", async () => {
    corp.org.installation = undefined;
    const io = captureIO(appEnv());
    expect(await run(["review", "--org", "acme-corp", "--config", config], io)).toBe(1);
    expect(io.err()).toBe(
      `error: finding the App's installation on acme-corp: GitHub answered 404 to GET /orgs/acme-corp/installation: Not Found. the App ${corp.appId} is not installed on acme-corp: install it (token-policy install --org acme-corp), or use acme-corp's own App's credentials\n`,
    );
    expect(io.out()).toBe("");
  });

  test("an API root with /api/v3 twice: exit 2 with the root to use, before any call", async () => {
    const io = captureIO(appEnv({ TOKEN_POLICY_API_URL: "https://github.acme.example/api/v3/api/v3" }));
    expect(await run(["review", "--org", "acme-corp", "--config", config], io)).toBe(2);
    expect(io.err()).toBe(
      "error: TOKEN_POLICY_API_URL should be the API root, without /api/v3 twice: https://github.acme.example/api/v3\n",
    );
    const io2 = captureIO(appEnv({ GITHUB_API_URL: "https://api.github.com/api/v3" }));
    expect(await run(["verify", "--org", "acme-corp", "--config", config], io2)).toBe(2);
    expect(io2.err()).toBe("error: GITHUB_API_URL should be the API root, https://api.github.com, without a path\n");
  });

  test("a PORT that is not a port: exit 2, its value not shown", async () => {
    const io = captureIO(
      appEnv({ PORT: ["ghs", "notaport".padEnd(36, "0")].join("_"), WEBHOOK_SECRET: "Xq7vR2mK9pL4sT8wZ3nB6cF1hJ5yD0gA" }),
    );
    expect(await run(["serve", "--config", config], io)).toBe(2);
    expect(io.err()).toBe("error: PORT must be a port number (0-65535); its value is not shown\n");
  });

  test("an unreachable TOKEN_POLICY_API_URL is named as such, not as GITHUB_API_URL", async () => {
    const io = captureIO(appEnv({ GITHUB_API_URL: standIn.url, TOKEN_POLICY_API_URL: "http://127.0.0.1:59999" }), {
      clientOptions: { retryUnitMs: 1, maxRetries: 0 },
    });
    expect(await run(["verify", "--org", "acme-corp", "--config", config], io)).toBe(1);
    expect(io.err()).toMatch(/cannot reach 127\.0\.0\.1:59999: check TOKEN_POLICY_API_URL, or the organization's githubUrl/);
    expect(io.err()).not.toContain("check GITHUB_API_URL");
  });

  test("a wrong APP_ID: the call, and which two things must match", async () => {
    const io = captureIO(appEnv({ APP_ID: "999" }));
    expect(await run(["review", "--org", "acme-corp", "--config", config], io)).toBe(1);
    expect(io.err()).toMatch(
      /^error: reading the App: GitHub answered 401 to GET \/app: .*\. GitHub refused the App's credentials: check that APP_ID \(999\) and the private key belong to the same App/,
    );
    // 401 is not retried
    expect(standIn.calls).toHaveLength(1);
  });

  test("a missing environment: named with its repository", async () => {
    Object.assign(corp.org.installation!.permissions, { secrets: "read" });
    const io = captureIO({ GITHUB_API_URL: standIn.url, GITHUB_TOKEN: corp.token, APP_PRIVATE_KEY: corp.pem });
    expect(
      await run(
        [
          "seal",
          "--org",
          "acme-corp",
          "--config",
          config,
          "--target",
          "environment",
          "--repository",
          "release-tools",
          "--environment",
          "production",
        ],
        io,
      ),
    ).toBe(1);
    expect(io.err()).toBe(
      'error: reading the public key of environment "production" in acme-corp/release-tools: GitHub answered 404 to GET /repos/acme-corp/release-tools/environments/production/secrets/public-key: Not Found. environment "production" not found in release-tools (or the credentials cannot see acme-corp/release-tools): create it in the repository\'s settings, or fix credentials.environments\n',
    );
  });

  test("a wrong installation id: one token request, no silent retries", async () => {
    const io = captureIO(appEnv({ APP_INSTALLATION_ID: "424242" }));
    expect(await run(["review", "--org", "acme-corp", "--config", config], io)).toBe(1);
    expect(standIn.callsOf("POST /app/installations/{installation_id}/access_tokens")).toHaveLength(1);
    expect(io.err()).toMatch(
      /^error: creating a token for installation 424242: GitHub answered 404 to POST \/app\/installations\/424242\/access_tokens: .*installation 424242 does not belong to the App \d+/,
    );
  });
});

describe("every organization in one run", () => {
  let standIn: GitHubStandIn;
  afterEach(async () => {
    expect(standIn.violations).toEqual([]);
    await standIn.close();
  });

  test("review --all: each organization with its own App, one combined summary, the worst exit", async () => {
    standIn = await GitHubStandIn.start();
    // acme-ops is declared, but its App is not installed
    const { file, corp, labs } = threeOrganizations(standIn);
    // GIVEN per-organization credentials, as a workflow passes toJSON(vars) and toJSON(secrets)
    const env = {
      GITHUB_API_URL: standIn.url,
      TOKEN_POLICY_VARS_JSON: JSON.stringify({
        ACME_CORP_APP_ID: String(corp.appId),
        ACME_LABS_APP_ID: String(labs.appId),
        ACME_OPS_APP_ID: String(labs.appId),
      }),
      TOKEN_POLICY_SECRETS_JSON: JSON.stringify({
        ACME_CORP_APP_PRIVATE_KEY: corp.pem,
        ACME_LABS_APP_PRIVATE_KEY: labs.pem,
        ACME_OPS_APP_PRIVATE_KEY: labs.pem,
      }),
    };
    const io = captureIO(env);
    // WHEN
    const code = await run(["review", "--all", "--config", file, "--concurrency", "2"], io);
    // THEN the two installed organizations ran, the third failed with its own message, exit 1
    expect(code).toBe(1);
    const out = io.out();
    expect(out.indexOf("== acme-corp\n")).toBeLessThan(out.indexOf("== acme-labs\n"));
    expect(out).toMatch(/\nORGANIZATION\s+PENDING\s+APPROVE\s+DENY\s+LEAVE\s+REVOKE\s+APPLIED\s+RESULT\n/);
    expect(out).toMatch(/\nacme-corp\s+0\s+0\s+0\s+0\s+0\s+dry run\s+ok\n/);
    expect(out).toMatch(/\nacme-ops\s+-\s+-\s+-\s+-\s+-\s+-\s+failed\n/);
    expect(out).toMatch(/3 organizations: 2 ok, 1 not\.\n$/);
    expect(io.err()).toMatch(/^acme-ops: error: finding the App's installation on acme-ops: GitHub answered 404/m);
    // each organization's token came from its own App
    const tokens = standIn.callsOf("POST /app/installations/{installation_id}/access_tokens");
    expect(new Set(tokens.map((c) => c.url.split("/")[3]))).toEqual(new Set([String(corp.installationId), String(labs.installationId)]));
  });

  test("--org and --all together, or neither, is a usage error", async () => {
    standIn = await GitHubStandIn.start();
    const io = captureIO({});
    expect(await run(["verify", "--all", "--org", "acme-corp"], io)).toBe(2);
    expect(await run(["review"], io)).toBe(2);
    expect(io.err()).toContain("review needs --org LOGIN, or --all for every organization of the config");
  });
});

describe("the API root", () => {
  test("an organization on another instance is not sent to the runner's GITHUB_API_URL", () => {
    // GitHub Actions always sets GITHUB_API_URL to the runner's own instance
    const env = { GITHUB_API_URL: "https://api.github.com" };
    expect(resolveApiUrl(env, "https://github.acme.example")).toBe("https://github.acme.example/api/v3");
    expect(resolveApiUrl(env, "https://github.com")).toBe("https://api.github.com");
    expect(resolveApiUrl({ ...env, TOKEN_POLICY_API_URL: "https://proxy.example/api/v3" }, "https://github.acme.example")).toBe(
      "https://proxy.example/api/v3",
    );
  });
});
