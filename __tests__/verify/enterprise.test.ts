import { readFileSync, writeFileSync } from "node:fs";
import { parse, stringify } from "yaml";
import { run } from "../../cli";
import { verify } from "../../cli/commands/verify";
import { GitHubStandIn } from "../../test-support/github-stand-in/server";
import { addRequest, installApp, type InstalledApp } from "../../test-support/fixtures";
import { captureIO } from "../../test-support/io";
import { writePolicyFile } from "../../test-support/policy-file";

const PERMS = { organization_personal_access_token_requests: "write", organization_personal_access_tokens: "write" };

describe("verify under an enterprise", () => {
  let standIn: GitHubStandIn;
  let app: InstalledApp;

  beforeEach(async () => {
    standIn = await GitHubStandIn.start();
    app = installApp(standIn);
    app.org.installation!.repositorySelection = "all";
    // The credentials as deployed, so that only the enterprise's checks can find drift.
    const a = standIn.apps.get(app.appId)!;
    app.org.secrets = new Map([["TOKEN_BROKER_PRIVATE_KEY", { visibility: "all", repositories: [] }]]);
    app.org.variables = new Map([
      ["TOKEN_BROKER_APP_ID", { value: String(app.appId), visibility: "all", repositories: [] }],
      ["TOKEN_BROKER_CLIENT_ID", { value: a.clientId, visibility: "all", repositories: [] }],
    ]);
  });
  afterEach(async () => {
    expect(standIn.violations).toEqual([]);
    expect(standIn.rejections).toEqual([]);
    await standIn.close();
  });

  /** A config whose acme-corp matches the stand-in, owned by enterprise acme with `patPolicy`. */
  function configWith(patPolicy: Record<string, unknown>): string {
    const a = standIn.apps.get(app.appId)!;
    const file = writePolicyFile({
      enterprise: "acme",
      app: {
        name: "acme-token-broker",
        homepageUrl: "https://github.com/acme-corp",
        permissions: PERMS,
        id: app.appId,
        clientId: a.clientId,
        installation: { id: app.installationId },
      },
    });
    const doc = parse(readFileSync(file, "utf8"));
    writeFileSync(file, stringify({ enterprises: [{ slug: "acme", patPolicy }], ...doc }));
    return file;
  }
  const appEnv = () => ({ GITHUB_API_URL: standIn.url, APP_ID: String(app.appId), APP_PRIVATE_KEY: app.pem });

  test("says of every enterprise setting that no API reads it, and where an enterprise owner looks", async () => {
    // GIVEN an enterprise whose bounds the organization's records agree with
    const config = configWith({ fineGrainedTokens: "allow", requireApproval: true, maxLifetimeDays: 90 });
    addRequest(standIn, app.org, { days: 30 });
    // WHEN verify runs
    const r = await verify({ org: "acme-corp", config }, captureIO(appEnv()));
    // THEN there is no drift, and each of the six settings is listed as not checked
    expect(r.drift).toEqual([]);
    const lines = r.notChecked.filter((n) => n.startsWith("enterprise acme"));
    expect(lines.map((n) => n.split(" (declared")[0])).toEqual(
      ["fineGrainedTokens", "requireApproval", "maxLifetimeDays", "classicTokens", "classicMaxLifetimeDays", "exemptAdministrators"].map(
        (k) => `enterprise acme patPolicy.${k}`,
      ),
    );
    expect(lines[2]).toBe(
      "enterprise acme patPolicy.maxLifetimeDays (declared 90 days): no API reads an enterprise's PAT policy; an enterprise owner checks it at https://github.com/enterprises/acme/settings (Policies → Personal access tokens)",
    );
  });

  test("fails with drift when a request waits in an organization whose enterprise restricts fine-grained tokens", async () => {
    const config = configWith({ fineGrainedTokens: "restrict" });
    const req = addRequest(standIn, app.org, { days: 30 });
    const io = captureIO(appEnv());
    expect(await run(["verify", "--org", "acme-corp", "--config", config], io)).toBe(3);
    expect(io.out()).toContain(
      `drift: enterprise acme patPolicy.fineGrainedTokens: expected no pending request (the enterprise restricts fine-grained tokens), found 1 (ids ${req.id}) pending in acme-corp. An enterprise owner checks Policies → Personal access tokens at https://github.com/enterprises/acme/settings.`,
    );
    expect(io.out()).toContain("If they predate the enterprise's setting, an organization owner denies them on the pending requests page");
    expect(io.out()).toMatch(/^not checked: enterprise acme patPolicy\.fineGrainedTokens \(declared restrict\): no API reads/m);
  });

  test("fails with drift when a request waits where the enterprise disables approval", async () => {
    const config = configWith({ requireApproval: false });
    addRequest(standIn, app.org, { days: 30 });
    const r = await verify({ org: "acme-corp", config }, captureIO(appEnv()));
    // THEN the enterprise's setting reports it, beside the organization's own (effective) setting
    expect(r.drift).toEqual([
      expect.objectContaining({ check: "patPolicy.requireApproval", expected: "false" }),
      expect.objectContaining({
        check: "enterprise acme patPolicy.requireApproval",
        url: "https://github.com/organizations/acme-corp/settings/personal-access-token-requests",
      }),
    ]);
  });

  test("fails with drift when a pending request asks for more than the enterprise's maximum lifetime", async () => {
    // GIVEN an organization that declares no limit, so it inherits the enterprise's 90 days
    const config = configWith({ maxLifetimeDays: 90 });
    const req = addRequest(standIn, app.org, { days: 200 });
    const r = await verify({ org: "acme-corp", config }, captureIO(appEnv()));
    // THEN both the organization's effective limit and the enterprise's maximum report it
    expect(r.drift.map((d) => [d.check, d.actual])).toEqual([
      ["pending requests", `1 (ids ${req.id})`],
      ["enterprise acme patPolicy.maxLifetimeDays", `1 (ids ${req.id}) in acme-corp`],
    ]);
  });

  test("without an installation token, the settings are still listed as not checked", async () => {
    app.org.installation = undefined;
    const r = await verify({ org: "acme-corp", config: configWith({ fineGrainedTokens: "restrict" }) }, captureIO(appEnv()));
    expect(r.notChecked.filter((n) => n.startsWith("enterprise acme patPolicy."))).toHaveLength(6);
  });
});
