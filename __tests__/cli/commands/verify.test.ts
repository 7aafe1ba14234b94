import { run } from "../../../cli";
import { verify } from "../../../cli/commands/verify";
import { GitHubStandIn } from "../../../test-support/github-stand-in/server";
import { addGrant, addRequest, installApp, type InstalledApp, writePolicyFile } from "../../../test-support/fixtures";
import { captureIO } from "../../../test-support/io";

const PERMS = { organization_personal_access_token_requests: "write", organization_personal_access_tokens: "write" };

describe("verify", () => {
  let standIn: GitHubStandIn;
  let app: InstalledApp;
  let config: string;

  /** A stand-in whose GitHub matches the config exactly. */
  beforeEach(async () => {
    standIn = await GitHubStandIn.start();
    app = installApp(standIn);
    const inst = app.org.installation!;
    inst.repositorySelection = "selected";
    inst.repositories = ["release-tools"];
    const a = standIn.apps.get(app.appId)!;
    app.org.secrets = new Map([["TOKEN_BROKER_PRIVATE_KEY", { visibility: "selected", repositories: ["release-tools"] }]]);
    app.org.dependabotSecrets = new Map([["TOKEN_BROKER_PRIVATE_KEY", { visibility: "private", repositories: [] }]]);
    app.org.variables = new Map([
      ["TOKEN_BROKER_APP_ID", { value: String(app.appId), visibility: "selected", repositories: ["release-tools"] }],
      ["TOKEN_BROKER_CLIENT_ID", { value: a.clientId, visibility: "selected", repositories: ["release-tools"] }],
    ]);
    addGrant(standIn, app.org, { days: 30 });
    addRequest(standIn, app.org, { days: 30 });
    config = matchingConfig(["release-tools"]);
  });
  /** A config that matches the stand-in's App, with the Actions secret going to `repositories`. */
  const matchingConfig = (repositories: string[]) =>
    writePolicyFile({
      patPolicy: { maxLifetimeDays: 90 },
      app: {
        name: "acme-token-broker",
        homepageUrl: "https://github.com/acme-corp",
        permissions: PERMS,
        id: app.appId,
        clientId: standIn.apps.get(app.appId)!.clientId,
        installation: { id: app.installationId, repositories: ["release-tools"] },
      },
      credentials: { actions: { visibility: "selected", repositories }, dependabot: { visibility: "private" } },
    });
  afterEach(async () => {
    expect(standIn.violations).toEqual([]);
    expect(standIn.rejections).toEqual([]);
    await standIn.close();
  });

  const appEnv = () => ({ GITHUB_API_URL: standIn.url, APP_ID: String(app.appId), APP_PRIVATE_KEY: app.pem });

  test("no drift: exit 0", async () => {
    const io = captureIO(appEnv());
    expect(await run(["verify", "--org", "acme-corp", "--config", config], io)).toBe(0);
    expect(io.out()).not.toMatch(/^drift:/m);
    expect(io.out()).toMatch(/^PAT policy \(evidence: grants\):\n  fineGrainedTokens allow: holds\n/);
    expect(io.out()).toMatch(/\nacme-corp: no drift\.\n$/);
  });

  const cases: [string, () => void, RegExp][] = [
    [
      "App permission changed on GitHub",
      () => (standIn.apps.get(app.appId)!.permissions = { ...PERMS, members: "read" }),
      /^drift: app\.permissions\.members: expected none, found read\. Set the App's permissions .* https:\/\/github\.com\/organizations\/acme-corp\/settings\/apps\/acme-corp-token-broker\/permissions$/m,
    ],
    ["App events changed", () => (standIn.apps.get(app.appId)!.events = ["push"]), /^drift: app\.events: expected none, found push\./m],
    [
      "new permissions not accepted by an owner",
      () => (app.org.installation!.permissions = { ...PERMS, organization_personal_access_token_requests: "read" }),
      /^drift: installation\.permissions\.organization_personal_access_token_requests: expected write, found read\. An owner must accept/m,
    ],
    [
      "installation switched to all repositories",
      () => (app.org.installation!.repositorySelection = "all"),
      /^drift: installation\.repository_selection: expected selected, found all\./m,
    ],
    [
      "installation reaches another repository",
      () => app.org.installation!.repositories.push("billing"),
      /^drift: installation\.repositories: expected release-tools, found billing, release-tools\./m,
    ],
    [
      "private key secret missing",
      () => app.org.secrets!.delete("TOKEN_BROKER_PRIVATE_KEY"),
      /^drift: secret TOKEN_BROKER_PRIVATE_KEY: expected present, found missing\. Run cdktf deploy/m,
    ],
    [
      "private key visible to all",
      () => (app.org.secrets!.get("TOKEN_BROKER_PRIVATE_KEY")!.visibility = "all"),
      /^drift: secret TOKEN_BROKER_PRIVATE_KEY\.visibility: expected selected, found all\./m,
    ],
    [
      "private key granted to another repository",
      () => app.org.secrets!.get("TOKEN_BROKER_PRIVATE_KEY")!.repositories.push("web"),
      /^drift: secret TOKEN_BROKER_PRIVATE_KEY\.repositories: expected release-tools, found release-tools, web\./m,
    ],
    [
      "App id variable holds another id",
      () => (app.org.variables!.get("TOKEN_BROKER_APP_ID")!.value = "1"),
      /^drift: variable TOKEN_BROKER_APP_ID\.value: expected \d+, found 1\./m,
    ],
    [
      "Dependabot secret widened",
      () => (app.org.dependabotSecrets!.get("TOKEN_BROKER_PRIVATE_KEY")!.visibility = "all"),
      /^drift: Dependabot secret TOKEN_BROKER_PRIVATE_KEY\.visibility: expected private, found all\./m,
    ],
    [
      "a granted token outlives the limit",
      () => addGrant(standIn, app.org, { days: null }),
      /^drift: patPolicy\.maxLifetimeDays: expected 90, found 1 of 2 live granted tokens outlives 90 days, worst first: \d+ \(octocat, "granted"\) never expires\..* https:\/\/github\.com\/organizations\/acme-corp\/settings\/personal-access-tokens$/m,
    ],
    [
      "a pending request asks for too long",
      () => addRequest(standIn, app.org, { days: 200 }),
      /^drift: pending requests: expected none asking for over 90 days, found 1 \(ids \d+\)\./m,
    ],
    [
      "the App was uninstalled",
      () => (app.org.installation = undefined),
      /^drift: app\.installation: expected installed, found not installed\. Install it: token-policy install --org acme-corp\. https:\/\/github\.com\/apps\/acme-corp-token-broker\/installations\/new$/m,
    ],
  ];

  test.each(cases)("drift: %s → exit 3 with a line saying what to do and where", async (_name, inject, line) => {
    // The App itself keeps its token valid even when uninstalled from the org in the stand-in.
    inject();
    const io = captureIO(appEnv());
    const code = await run(["verify", "--org", "acme-corp", "--config", config], io);
    expect(io.out()).toMatch(line);
    expect(code).toBe(3);
    expect(io.out()).toMatch(/acme-corp: 1 drift\.\n$/);
    // a call that found nothing (404) is not retried, and the calls after it are not announced as retries
    expect(io.err()).not.toContain("retrying");
  });

  test("with the App uninstalled, says for every PAT policy setting that nothing could be read", async () => {
    app.org.installation = undefined;
    const r = await verify({ org: "acme-corp", config }, captureIO(appEnv()));
    for (const s of r.patPolicy!.settings) {
      expect(s.status).toBe("not checkable here");
      expect(s.findings.map((f) => f.text)).toEqual(["Nothing was read: the App is not installed, so it has no installation token."]);
    }
  });

  test("reads every page of a selected-repository list (no false drift above 100 repositories)", async () => {
    // GIVEN 150 repositories selected for the key, its id variable and in the config
    const repos = Array.from({ length: 150 }, (_, i) => `repo-${String(i).padStart(3, "0")}`);
    app.org.secrets!.get("TOKEN_BROKER_PRIVATE_KEY")!.repositories = [...repos];
    for (const v of app.org.variables!.values()) v.repositories = [...repos];
    const wide = matchingConfig(repos);
    const io = captureIO(appEnv());
    expect(await run(["verify", "--org", "acme-corp", "--config", wide], io)).toBe(0);
    expect(io.out()).toMatch(/\nacme-corp: no drift\.\n$/);
  });

  test.each([
    [
      "a missing variable",
      () => app.org.variables!.delete("TOKEN_BROKER_CLIENT_ID"),
      "variable TOKEN_BROKER_CLIENT_ID",
      "https://github.com/organizations/acme-corp/settings/variables/actions",
    ],
    [
      "a missing Dependabot secret",
      () => app.org.dependabotSecrets!.delete("TOKEN_BROKER_PRIVATE_KEY"),
      "Dependabot secret TOKEN_BROKER_PRIVATE_KEY",
      "https://github.com/organizations/acme-corp/settings/secrets/dependabot",
    ],
    [
      "a pending request over the limit",
      () => addRequest(standIn, app.org, { days: 200 }),
      "pending requests",
      "https://github.com/organizations/acme-corp/settings/personal-access-token-requests",
    ],
  ])("links %s to the page of the thing it names", async (_name, inject, check, url) => {
    inject();
    const r = await verify({ org: "acme-corp", config }, captureIO(appEnv()));
    expect(r.drift).toEqual([expect.objectContaining({ check, url })]);
  });

  test("--json prints the report", async () => {
    app.org.secrets!.get("TOKEN_BROKER_PRIVATE_KEY")!.visibility = "private";
    const io = captureIO(appEnv());
    expect(await run(["verify", "--org", "acme-corp", "--config", config, "--json"], io)).toBe(3);
    expect(JSON.parse(io.out())).toEqual({
      org: "acme-corp",
      drift: [
        {
          check: "secret TOKEN_BROKER_PRIVATE_KEY.visibility",
          expected: "selected",
          actual: "private",
          fix: "Run cdktf deploy for this organization.",
          url: "https://github.com/organizations/acme-corp/settings/secrets/actions",
        },
      ],
      notChecked: [],
      patPolicy: expect.objectContaining({
        org: "acme-corp",
        sources: ["grants"],
        settings: expect.arrayContaining([expect.objectContaining({ setting: "maxLifetimeDays", status: "holds" })]),
      }),
    });
  });

  test("with only an installation token, says what it could not check", async () => {
    const r = await verify({ org: "acme-corp", config }, captureIO({ GITHUB_API_URL: standIn.url, GITHUB_TOKEN: app.token }));
    expect(r.drift).toEqual([]);
    expect(r.notChecked).toEqual([
      expect.stringMatching(
        /^the App's registration and installation \(GET \/app and GET \/orgs\/\{org\}\/installation need the App itself/,
      ),
    ]);
  });

  test("one App session per run: GET /app once, one installation token", async () => {
    // GIVEN a GitHub that matches the config
    // WHEN verify runs as the App
    expect(await run(["verify", "--org", "acme-corp", "--config", config], captureIO(appEnv()))).toBe(0);
    // THEN the App's registration is read once and one installation token serves every call
    expect(standIn.callsOf("GET /app")).toHaveLength(1);
    expect(standIn.callsOf("POST /app/installations/{installation_id}/access_tokens")).toHaveLength(1);
  });

  test("exit 1 when GitHub fails, 2 on bad usage", async () => {
    standIn.inject({ operation: "GET /app", kind: "502-before", times: 10 });
    expect(
      await run(
        ["verify", "--org", "acme-corp", "--config", config],
        captureIO(appEnv(), { clientOptions: { retryUnitMs: 1, maxRetries: 1 } }),
      ),
    ).toBe(1);
    expect(await run(["verify", "--config", config], captureIO(appEnv()))).toBe(2);
  });
});
