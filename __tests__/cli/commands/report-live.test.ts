import { run } from "../../../cli";
import { GitHubStandIn } from "../../../test-support/github-stand-in/server";
import { addGrant, addRequest, installApp, writePolicyFile, type InstalledApp } from "../../../test-support/fixtures";
import { captureIO } from "../../../test-support/io";

const READ_ONLY = { name: "read-only", action: "approve", match: { permissions: { repository: { contents: "read" } } } };

/** acme-corp's policy with this approval section and its App reading requests and grants. */
const config = (approval: Record<string, unknown>) =>
  writePolicyFile({
    patPolicy: { maxLifetimeDays: 90 },
    approval,
    app: {
      name: "acme-token-broker",
      homepageUrl: "https://github.com/acme-corp",
      permissions: { organization_personal_access_token_requests: "read", organization_personal_access_tokens: "read" },
    },
  });

describe("report --base --live", () => {
  let standIn: GitHubStandIn;
  let app: InstalledApp;
  beforeEach(async () => {
    standIn = await GitHubStandIn.start();
    app = installApp(standIn);
  });
  afterEach(async () => {
    expect(standIn.violations).toEqual([]);
    await standIn.close();
  });
  const env = () => ({ GITHUB_API_URL: standIn.url, APP_ID: String(app.appId), APP_PRIVATE_KEY: app.pem });

  test("counts and shows which real requests and tokens the rule change affects, riskiest first", async () => {
    // GIVEN what is pending and granted now
    const same = addRequest(standIn, app.org, { owner: "reader", tokenName: "docs", permissions: { repository: { contents: "read" } } });
    const write = addRequest(standIn, app.org, {
      owner: "release-bot",
      tokenName: "ship",
      permissions: { repository: { contents: "write" } },
      repositories: ["release-tools"],
    });
    const read = addRequest(standIn, app.org, { owner: "someone", tokenName: "triage", permissions: { repository: { issues: "read" } } });
    const admin = addRequest(standIn, app.org, {
      owner: "admin-wannabe",
      tokenName: "org",
      permissions: { organization: { administration: "write" } },
    });
    const adminGrant = addGrant(standIn, app.org, {
      owner: "old-admin",
      tokenName: "legacy",
      permissions: { organization: { administration: "write" } },
    });
    addGrant(standIn, app.org, { owner: "reader", permissions: { repository: { contents: "read" } } });
    // AND a change that approves more and denies administration, revoking what it denies
    const base = config({ rules: [READ_ONLY] });
    const head = config({
      rules: [
        { ...READ_ONLY, match: { permissions: { repository: { contents: "read", issues: "read" } } } },
        {
          name: "release writers",
          action: "approve",
          match: { owners: ["release-*"], repositories: ["release-*"], permissions: { repository: { contents: "write" } } },
        },
        {
          name: "no admin",
          action: "deny",
          reason: "No administration.",
          match: { anyPermission: { organization: { administration: "read" } } },
        },
      ],
      revokeNonCompliant: true,
    });
    // WHEN
    const io = captureIO(env());
    expect(await run(["report", "--config", head, "--base", base, "--live"], io)).toBe(0);
    const out = io.out();
    // THEN before the config diff: exact counts, and the examples, newly approved write access first
    expect(out.indexOf("## What this change does to acme-corp's tokens now")).toBeLessThan(out.indexOf("## Changes against"));
    expect(out).toContain(
      "4 pending requests read: 3 change outcome (2 leave → approve, 1 leave → deny). 2 granted tokens read: 1 would newly be revoked.",
    );
    const rows = out.split("\n").filter((l) => /^\| \d{4,} \|/.test(l));
    expect(rows).toEqual([
      `| ${write.id} | release-bot | ship | leave → **approve** (write) | rule "release writers" |`,
      `| ${read.id} | someone | triage | leave → **approve** | rule "read-only" |`,
      `| ${admin.id} | admin-wannabe | org | leave → **deny** | rule "no admin" |`,
      `| ${adminGrant} | old-admin | legacy | rule "no admin" |`,
    ]);
    expect(out).not.toContain(`| ${same.id} |`);
    // AND it read one listing of each kind, repositories only where a rule needed them, and wrote nothing
    expect(standIn.callsOf("GET /orgs/{org}/personal-access-token-requests")).toHaveLength(1);
    expect(standIn.callsOf("GET /orgs/{org}/personal-access-tokens")).toHaveLength(1);
    expect(standIn.callsOf("GET /orgs/{org}/personal-access-token-requests/{pat_request_id}/repositories").map((c) => c.url)).toEqual([
      expect.stringContaining(`/${write.id}/repositories`),
    ]);
    expect(standIn.calls.filter((c) => c.method === "POST" && !c.operation.includes("access_tokens"))).toEqual([]);
    // with a token narrowed to reading the two listings
    expect(standIn.callsOf("POST /app/installations/{installation_id}/access_tokens").map((c) => [c.status, c.body])).toEqual([
      [201, { permissions: { organization_personal_access_token_requests: "read", organization_personal_access_tokens: "read" } }],
    ]);
  });

  test("without credentials it stops with exit 2 and says which it needs", async () => {
    const io = captureIO({ GITHUB_API_URL: standIn.url });
    const file = config({ rules: [READ_ONLY] });
    expect(await run(["report", "--config", file, "--base", file, "--live"], io)).toBe(2);
    expect(io.err()).toMatch(
      /^error: --live reads acme-corp's pending requests and granted tokens as its App \(organization_personal_access_token_requests: read, organization_personal_access_tokens: read\): no GitHub credentials for acme-corp: set ACME_CORP_APP_ID with ACME_CORP_APP_PRIVATE_KEY or ACME_CORP_APP_PRIVATE_KEY_FILE /,
    );
    expect(standIn.calls).toEqual([]);
  });

  test("without --live the report makes no call", async () => {
    const file = config({ rules: [READ_ONLY] });
    const io = captureIO(env());
    expect(await run(["report", "--config", file, "--base", file], io)).toBe(0);
    expect(io.out()).not.toContain("tokens now");
    expect(standIn.calls).toEqual([]);
  });
});
