/**
 * The REST API version the CLI and serve ask for, and installation tokens of any length: GitHub's
 * stateless tokens (`ghs_` and a JWT, about 520 characters) read from GITHUB_TOKEN or minted for
 * the App, sent and kept out of every message.
 */
import { run } from "../../cli";
import { showValue } from "../../lib/config/problems";
import { GITHUB_API_VERSION } from "../../lib/github/client";
import { GitHubStandIn, STAND_IN_API_VERSION } from "../../test-support/github-stand-in/server";
import { installApp, writePolicyFile, type InstalledApp } from "../../test-support/fixtures";
import { captureIO } from "../../test-support/io";

describe.each([false, true])("against a stand-in issuing stateless tokens: %s", (statelessTokens) => {
  let standIn: GitHubStandIn;
  let app: InstalledApp;
  beforeEach(async () => {
    standIn = await GitHubStandIn.start({ statelessTokens });
    app = installApp(standIn);
  });
  afterEach(async () => {
    expect(standIn.violations).toEqual([]);
    expect(standIn.rejections).toEqual([]);
    await standIn.close();
  });

  test("review as the App sends X-GitHub-Api-Version, the stand-in description's version, on every request", async () => {
    // GIVEN the App's id and key (the CLI finds the installation, then mints a token)
    const io = captureIO({ GITHUB_API_URL: standIn.url, APP_ID: String(app.appId), APP_PRIVATE_KEY: app.pem });
    // WHEN review runs
    expect(await run(["review", "--org", "acme-corp", "--config", writePolicyFile()], io)).toBe(0);
    // THEN every request, the App's own and the installation's, asked for the pinned version
    expect(GITHUB_API_VERSION).toBe(STAND_IN_API_VERSION);
    expect(new Set(standIn.calls.map((c) => c.auth))).toEqual(new Set(["jwt", "installation"]));
    expect(standIn.calls.map((c) => [c.operation, c.apiVersion]).filter(([, v]) => v !== GITHUB_API_VERSION)).toEqual([]);
  });

  test("review with GITHUB_TOKEN sends the token as given and never shows it", async () => {
    // GIVEN an installation token in GITHUB_TOKEN, as a workflow's create-github-app-token gives it
    if (statelessTokens) expect(app.token.length).toBeGreaterThanOrEqual(500);
    const io = captureIO({ GITHUB_API_URL: standIn.url, GITHUB_TOKEN: app.token });
    // WHEN review runs THEN GitHub accepted it on every request
    expect(await run(["review", "--org", "acme-corp", "--config", writePolicyFile()], io)).toBe(0);
    expect(standIn.calls.length).toBeGreaterThan(0);
    expect(standIn.calls.filter((c) => c.auth !== "installation")).toEqual([]);
    // AND no part of it is in the output
    expect(io.out() + io.err()).not.toContain(app.token.slice(4, 40));
  });
});

describe("the stand-in's API version", () => {
  test("fails when a request asks for a version other than its description's, as GitHub answers an unsupported one", async () => {
    const standIn = await GitHubStandIn.start();
    try {
      const r = await fetch(`${standIn.url}/orgs/acme-corp/installation`, { headers: { "x-github-api-version": "2026-03-10" } });
      expect(r.status).toBe(400);
      expect(standIn.calls.map((c) => c.apiVersion)).toEqual(["2026-03-10"]);
    } finally {
      await standIn.close();
    }
  });
});

describe("a stateless installation token in a message", () => {
  test("is never shown, whatever its length or its dots", () => {
    const token = `ghs_${"eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9"}.${"a-b_c".repeat(90)}.${"sig".repeat(40)}`;
    // Shown only by its shape: the kind and the length, no character of the token.
    expect(showValue(token)).toBe(`"<GitHub ghs token, ${token.length} characters>"`);
    const dotted = `ghs_ab-_.${"x".repeat(500)}`;
    expect(showValue(dotted)).toBe(`"<GitHub ghs token, ${dotted.length} characters>"`);
  });
});
