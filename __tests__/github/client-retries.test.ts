import { createGitHubClient, type GitHubClient } from "../../lib/github/client";
import { GitHubStandIn } from "../../test-support/github-stand-in/server";
import { installApp } from "../../test-support/fixtures";

/** The retry announcements among the warnings. */
const retriesIn = (warnings: string[]) => warnings.filter((w) => /retrying/.test(w));

describe("createGitHubClient: retries are announced only when a request is sent again", () => {
  let standIn: GitHubStandIn;
  let warnings: string[];

  /** A client acting as an installation of an App on acme-corp, each warning collected. */
  async function client(extra: { maxRetries?: number; asApp?: boolean } = {}): Promise<GitHubClient> {
    const app = installApp(standIn, "acme-corp");
    return createGitHubClient({
      apiUrl: standIn.url,
      auth: { kind: "app", appId: String(app.appId), privateKey: app.pem, installationId: app.installationId },
      asApp: extra.asApp,
      retryUnitMs: 1,
      writeIntervalMs: 0,
      maxRetries: extra.maxRetries ?? 2,
      warn: (m) => warnings.push(m),
    });
  }

  beforeEach(async () => {
    standIn = await GitHubStandIn.start();
    standIn.addOrg("acme-labs"); // the App is not installed here
    warnings = [];
  });
  afterEach(async () => {
    expect(standIn.violations).toEqual([]);
    await standIn.close();
  });

  test("a 404 is not retried and the calls after it announce nothing (install's polling, verify's single calls)", async () => {
    // GIVEN a client as the App, and an organization without the App
    const github = await client({ asApp: true });
    // WHEN it polls the installation three times, each answered 404
    for (let i = 0; i < 3; i++)
      await expect(github.request("GET /orgs/{org}/installation", { org: "acme-labs" })).rejects.toMatchObject({ status: 404 });
    // AND then makes a call that succeeds at once
    await github.request("GET /orgs/{org}/installation", { org: "acme-corp" });
    // THEN each call was sent once, and no retry was announced
    expect(standIn.callsOf("GET /orgs/{org}/installation")).toHaveLength(4);
    expect(retriesIn(warnings)).toEqual([]);
  });

  test("a server error is sent again, and announced once per resend", async () => {
    // GIVEN GitHub answers 502 twice, then normally
    const github = await client();
    standIn.inject({ operation: "GET /orgs/{org}/personal-access-token-requests", kind: "502-before", times: 2 });
    // WHEN the client lists requests
    await github.request("GET /orgs/{org}/personal-access-token-requests", { org: "acme-corp" });
    // THEN three requests reached GitHub and two resends were announced
    const sent = standIn.callsOf("GET /orgs/{org}/personal-access-token-requests");
    expect(sent.map((c) => c.status)).toEqual([502, 502, 200]);
    expect(retriesIn(warnings)).toEqual([
      "retrying GET /orgs/{org}/personal-access-token-requests (attempt 2)",
      "retrying GET /orgs/{org}/personal-access-token-requests (attempt 3)",
    ]);
    // AND a later call, sent once, announces nothing more
    await github.request("GET /orgs/{org}/personal-access-token-requests", { org: "acme-corp" });
    expect(retriesIn(warnings)).toHaveLength(sent.length - 1);
  });

  test("fails when retries run out: the last failure is not announced as a retry", async () => {
    const github = await client({ maxRetries: 1 });
    standIn.inject({ operation: "GET /orgs/{org}/personal-access-token-requests", kind: "502-before", times: 5 });
    await expect(github.request("GET /orgs/{org}/personal-access-token-requests", { org: "acme-corp" })).rejects.toMatchObject({
      status: 502,
    });
    expect(standIn.callsOf("GET /orgs/{org}/personal-access-token-requests")).toHaveLength(2);
    expect(retriesIn(warnings)).toEqual(["retrying GET /orgs/{org}/personal-access-token-requests (attempt 2)"]);
  });

  test("a secondary rate limit is announced once, with its wait, per resend; giving up is not announced as a retry", async () => {
    // GIVEN GitHub's secondary rate limit on the next three requests
    const github = await client({ maxRetries: 2 });
    standIn.inject({ operation: "GET /orgs/{org}/personal-access-token-requests", kind: "secondary-rate-limit", times: 3, retryAfter: 1 });
    // WHEN the client lists requests
    await expect(github.request("GET /orgs/{org}/personal-access-token-requests", { org: "acme-corp" })).rejects.toMatchObject({
      status: 403,
    });
    // THEN it sent the request three times and announced the two resends, each once
    expect(standIn.callsOf("GET /orgs/{org}/personal-access-token-requests")).toHaveLength(3);
    expect(retriesIn(warnings)).toEqual([
      "secondary rate limit on GET /orgs/{org}/personal-access-token-requests; retrying after 1s (1/2)",
      "secondary rate limit on GET /orgs/{org}/personal-access-token-requests; retrying after 1s (2/2)",
    ]);
  });
});
