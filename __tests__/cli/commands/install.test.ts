import { join } from "node:path";
import { run } from "../../../cli";
import { install } from "../../../cli/commands/install";
import { writeCredentialsFile } from "../../../lib/registration/credentials-file";
import { GitHubStandIn } from "../../../test-support/github-stand-in/server";
import { generateAppKey, installApp, writePolicyFile } from "../../../test-support/fixtures";
import { captureIO } from "../../../test-support/io";
import { tempDir } from "../../../test-support/temp";

/** Registers an App (not installed) and writes the credentials file create-app would. */
function registerApp(standIn: GitHubStandIn, key = generateAppKey()) {
  const id = standIn.id();
  const app = standIn.addApp({
    id,
    slug: "acme-token-broker",
    clientId: `Iv23li${id}`,
    name: "acme-token-broker",
    publicKeyPem: key.publicPem,
    permissions: { contents: "read" },
    events: [],
    ownerLogin: "acme-corp",
  });
  const file = join(tempDir("creds-"), "app.json");
  writeCredentialsFile(file, {
    id,
    slug: app.slug,
    client_id: app.clientId,
    client_secret: "s",
    webhook_secret: null,
    pem: key.pem,
    html_url: "",
    owner: "acme-corp",
    github_url: standIn.url,
  });
  return { app, file };
}

/**
 * A GitHub Enterprise Cloud stand-in where acme-corp belongs to the enterprise acme-enterprise:
 * acme-corp's App registered with its credentials file, and the enterprise's installer App
 * installed on the enterprise (the caller of the enterprise installations API).
 */
async function enterpriseWithInstaller() {
  const standIn = await GitHubStandIn.start({ spec: "ghec" });
  const org = standIn.addOrg("acme-corp");
  org.enterprise = "acme-enterprise";
  const { app, file } = registerApp(standIn);
  const installer = installApp(standIn, "acme-installer-holder");
  standIn.enterpriseInstallations.set("acme-enterprise", installer.installationId);
  return { standIn, org, app, file, installer };
}

describe("install", () => {
  let standIn: GitHubStandIn;
  afterEach(async () => {
    expect(standIn.violations).toEqual([]);
    await standIn.close();
  });

  test("opens the install page and polls as the App until the installation appears", async () => {
    standIn = await GitHubStandIn.start();
    standIn.addOrg("acme-corp");
    const { app, file } = registerApp(standIn);
    let opened = "";
    let installationId = 0;
    let polls = 0;
    standIn.beforeHandle = (op) => {
      // The owner clicks "Install" while the command waits: on the third poll.
      if (op === "GET /orgs/{org}/installation" && ++polls === 3) installationId = standIn.installAppOn("acme-corp", app.id);
    };
    const io = captureIO({ GITHUB_API_URL: standIn.url });
    const result = await install({ org: "acme-corp", config: writePolicyFile(), credentials: file }, io, {
      openBrowser: async (u) => void (opened = u),
      pollIntervalMs: 10,
    });
    expect(opened).toBe(`${standIn.url}/apps/acme-token-broker/installations/new`);
    expect(result).toEqual({ installationId, repositorySelection: "all" });
    const polled = standIn.callsOf("GET /orgs/{org}/installation");
    expect(polled.map((c) => [c.status, c.auth])).toEqual([
      [404, "jwt"],
      [404, "jwt"],
      [200, "jwt"],
    ]);
    // one App session: its registration is read once, for the check that it is the declared App
    expect(standIn.callsOf("GET /app")).toHaveLength(1);
    // each poll is a new request, not a retry: none is announced as one
    expect(io.err()).not.toContain("retrying");
    expect(io.out()).toContain(`app: { installation: { id: ${installationId} } }`);
    expect(io.out()).toContain(`TF_VAR_acme_corp_app_installation_id=${installationId}`);
  });

  test("--json: stdout is one JSON object with the installation; the install link goes to stderr", async () => {
    // GIVEN an App the owner installs on the second poll
    standIn = await GitHubStandIn.start();
    standIn.addOrg("acme-corp");
    const { app, file } = registerApp(standIn);
    let installationId = 0;
    let polls = 0;
    standIn.beforeHandle = (op) => {
      if (op === "GET /orgs/{org}/installation" && ++polls === 2) installationId = standIn.installAppOn("acme-corp", app.id);
    };
    const io = captureIO({ GITHUB_API_URL: standIn.url });
    // WHEN
    await install({ org: "acme-corp", config: writePolicyFile(), credentials: file, json: true, open: false }, io, { pollIntervalMs: 10 });
    // THEN
    expect(JSON.parse(io.out())).toEqual({
      org: "acme-corp",
      installationId,
      repositorySelection: "all",
      configFile: expect.stringMatching(/\.yaml$/),
      variable: "acme_corp_app_installation_id",
    });
    expect(io.err()).toContain(`Install acme-token-broker on acme-corp: ${standIn.url}/apps/acme-token-broker/installations/new`);
  });

  test("gives up after its timeout with exit 1", async () => {
    standIn = await GitHubStandIn.start();
    standIn.addOrg("acme-corp");
    const { file } = registerApp(standIn);
    await expect(
      install({ org: "acme-corp", config: writePolicyFile(), credentials: file, open: false }, captureIO({ GITHUB_API_URL: standIn.url }), {
        pollIntervalMs: 10,
        timeoutMs: 100,
      }),
    ).rejects.toMatchObject({ exitCode: 1, message: expect.stringContaining("was not installed on acme-corp") });
  });

  test("--timeout bounds the wait, says so up front, and names the link when it gives up", async () => {
    standIn = await GitHubStandIn.start();
    standIn.addOrg("acme-corp");
    const { file } = registerApp(standIn);
    const io = captureIO({ GITHUB_API_URL: standIn.url });
    const started = Date.now();
    // 0.005 minutes = 300 ms
    await expect(
      install({ org: "acme-corp", config: writePolicyFile(), credentials: file, open: false, timeout: 0.005 }, io, { pollIntervalMs: 20 }),
    ).rejects.toMatchObject({
      exitCode: 1,
      message: expect.stringMatching(
        /^acme-token-broker was not installed on acme-corp within 0 s\. Install it at http:\/\/127\.0\.0\.1:\d+\/apps\/acme-token-broker\/installations\/new, then run install again \(or --timeout MINUTES for a longer wait\)\.$/,
      ),
    });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(io.out()).toContain("Waiting for the installation to appear (giving up after 0 s)");
  });

  test("fails when only GITHUB_TOKEN is set, naming the App credentials it polls with", async () => {
    standIn = await GitHubStandIn.start();
    await expect(
      install({ org: "acme-corp", config: writePolicyFile(), open: false }, captureIO({ GITHUB_TOKEN: "ghs_x" })),
    ).rejects.toMatchObject({
      exitCode: 2,
      message:
        "install polls as acme-corp's App: set ACME_CORP_APP_ID with ACME_CORP_APP_PRIVATE_KEY or ACME_CORP_APP_PRIVATE_KEY_FILE (its App's id and private key, in the environment or in TOKEN_POLICY_VARS_JSON and TOKEN_POLICY_SECRETS_JSON), pass --credentials FILE from create-app, or set APP_ID with APP_PRIVATE_KEY or APP_PRIVATE_KEY_FILE (one App for every organization) (GITHUB_TOKEN is not used here)",
    });
  });

  test("installs on an enterprise-owned organization through the enterprise API (checked against GHEC's description)", async () => {
    // The caller is the enterprise's installer App, installed on the enterprise.
    const { app, file, installer, ...e } = await enterpriseWithInstaller();
    standIn = e.standIn;
    const config = writePolicyFile({
      app: {
        name: "acme-token-broker",
        homepageUrl: "https://github.com/acme-corp",
        installation: { repositories: ["release-tools", "changelog"] },
      },
    });
    const io = captureIO({ GITHUB_API_URL: standIn.url, GITHUB_TOKEN: installer.token });
    const result = await install({ org: "acme-corp", config, credentials: file, enterprise: "acme-enterprise" }, io);
    expect(standIn.callsOf("POST /enterprises/{enterprise}/apps/organizations/{org}/installations").map((c) => [c.status, c.body])).toEqual(
      [[201, { client_id: app.clientId, repository_selection: "selected", repositories: ["release-tools", "changelog"] }]],
    );
    expect(result.repositorySelection).toBe("selected");
    expect(standIn.rejections).toEqual([]);
  });

  test("fails with exit 1 and the likely cause when the enterprise named is not the installer's (GitHub refuses)", async () => {
    const { file, installer, ...e } = await enterpriseWithInstaller();
    standIn = e.standIn;
    const config = writePolicyFile({ app: { name: "acme-token-broker", homepageUrl: "https://github.com/acme-corp" } });
    const io = captureIO({ GITHUB_API_URL: standIn.url, GITHUB_TOKEN: installer.token });
    // WHEN install names another enterprise
    expect(await run(["install", "--org", "acme-corp", "--config", config, "--credentials", file, "--enterprise", "acme-other"], io)).toBe(
      1,
    );
    // THEN the error says what was done, GitHub's answer, and what to check
    expect(io.err()).toBe(
      "error: installing the App on acme-corp through the enterprise acme-other: GitHub answered 403 to POST /enterprises/acme-other/apps/organizations/acme-corp/installations: Resource not accessible by integration. the enterprise acme-other does not exist under that slug, acme-corp does not belong to it, or the credentials are not the enterprise's installer App (an App installed on acme-other with enterprise_organization_installations: write; set GITHUB_TOKEN or APP_ID and APP_PRIVATE_KEY to it): check --enterprise and the credentials. An organization outside an enterprise is installed with token-policy install --org acme-corp (no --enterprise)\n",
    );
  });

  test("on an enterprise, sends at most 50 repositories per call: the rest through the add endpoint", async () => {
    const { org, file, installer, ...e } = await enterpriseWithInstaller();
    standIn = e.standIn;
    const repos = Array.from({ length: 120 }, (_, i) => `repo-${i}`);
    const config = writePolicyFile({
      app: { name: "acme-token-broker", homepageUrl: "https://github.com/acme-corp", installation: { repositories: repos } },
    });
    const result = await install(
      { org: "acme-corp", config, credentials: file, enterprise: "acme-enterprise" },
      captureIO({ GITHUB_API_URL: standIn.url, GITHUB_TOKEN: installer.token }),
    );
    expect(
      standIn
        .callsOf("POST /enterprises/{enterprise}/apps/organizations/{org}/installations")
        .map((c) => (c.body as any).repositories.length),
    ).toEqual([50]);
    expect(
      standIn
        .callsOf("PATCH /enterprises/{enterprise}/apps/organizations/{org}/installations/{installation_id}/repositories/add")
        .map((c) => [c.status, (c.body as any).repositories.length]),
    ).toEqual([
      [200, 50],
      [200, 20],
    ]);
    const inst = [...org.appInstallations!.values()].find((i) => i.id === result.installationId)!;
    expect([...inst.repositories].sort()).toEqual([...repos].sort());
    expect(standIn.rejections).toEqual([]);
  });

  test("stops with exit 2 when the owner chose all repositories but the config lists some", async () => {
    standIn = await GitHubStandIn.start();
    standIn.addOrg("acme-corp");
    const { app, file } = registerApp(standIn);
    const installationId = standIn.installAppOn("acme-corp", app.id);
    const config = writePolicyFile({
      app: { name: "acme-token-broker", homepageUrl: "https://github.com/acme-corp", installation: { repositories: ["release-tools"] } },
    });
    const io = captureIO({ GITHUB_API_URL: standIn.url });
    await expect(install({ org: "acme-corp", config, credentials: file, open: false }, io, { pollIntervalMs: 10 })).rejects.toMatchObject({
      exitCode: 2,
      message: expect.stringMatching(
        new RegExp(
          `installation id ${installationId}\\) with access to all repositories, but .* lists 1 \\(release-tools\\)[\\s\\S]*Only select repositories[\\s\\S]*app\\.installation\\.repositories: all`,
        ),
      ),
    });
  });
});
