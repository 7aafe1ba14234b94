import { openAppSession } from "../../lib/github/authentication";
import { GitHubStandIn } from "../../test-support/github-stand-in/server";
import { installApp, type InstalledApp } from "../../test-support/fixtures";
import { orgEntry, parseOrg } from "../../test-support/config";

const TOKENS = "POST /app/installations/{installation_id}/access_tokens";

describe("AppSession: one App session per run and organization", () => {
  let standIn: GitHubStandIn;
  let app: InstalledApp;
  beforeEach(async () => {
    standIn = await GitHubStandIn.start();
    app = installApp(standIn);
  });
  afterEach(async () => {
    expect(standIn.violations).toEqual([]);
    expect(standIn.rejections).toEqual([]);
    await standIn.close();
  });

  const session = (name = "acme-token-broker") =>
    openAppSession(
      { env: { GITHUB_API_URL: standIn.url }, stderr: { write: () => true } },
      parseOrg(orgEntry({ app: { name, homepageUrl: "https://github.com/acme-corp", permissions: { contents: "read" } } })),
      { auth: { kind: "app", appId: String(app.appId), privateKey: app.pem } },
    );

  test("reads GET /app once, however often the registration is asked for", async () => {
    // GIVEN a session
    const s = session();
    // WHEN the check, the registration and the App's client are all asked for, twice
    await Promise.all([s.assertDeclaredApp(), s.app(), s.assertDeclaredApp()]);
    const registered = await s.app();
    // THEN GitHub was asked once
    expect(registered).toMatchObject({ id: app.appId, name: "acme-token-broker" });
    expect(standIn.callsOf("GET /app")).toHaveLength(1);
  });

  test("fails when the credentials belong to another App than the config declares", async () => {
    await expect(session("someone-elses-app").assertDeclaredApp()).rejects.toMatchObject({
      exitCode: 2,
      message: expect.stringMatching(
        /^the credentials are for the App acme-token-broker .* but the config declares the App someone-elses-app for acme-corp/,
      ),
    });
  });

  test("its installation clients share one installation token (auth-app's cache)", async () => {
    // GIVEN a session and two installation clients of it
    const s = session();
    const first = await s.installation();
    const second = await s.installation(app.installationId);
    // WHEN both call GitHub
    await first.request("GET /orgs/{org}/personal-access-token-requests", { org: "acme-corp" });
    await second.request("GET /orgs/{org}/personal-access-token-requests", { org: "acme-corp" });
    // THEN one token was created, and the installation was looked up once
    expect(standIn.callsOf(TOKENS)).toHaveLength(1);
    expect(standIn.callsOf("GET /orgs/{org}/installation")).toHaveLength(1);
  });

  test("a new session is a new run: it creates its own token", async () => {
    for (const s of [session(), session()])
      await (await s.installation(app.installationId)).request("GET /orgs/{org}/personal-access-token-requests", { org: "acme-corp" });
    expect(standIn.callsOf(TOKENS)).toHaveLength(2);
  });
});
