import { readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";
import { run } from "../../cli";
import { verify } from "../../cli/commands/verify";
import type { PatPolicySetting, SettingEvidence } from "../../lib/verify/pat-policy-evidence";
import { GitHubStandIn, type AuditEventState } from "../../test-support/github-stand-in/server";
import { addGrant, addRequest, installApp, writePolicyFile, type InstalledApp } from "../../test-support/fixtures";
import { captureIO } from "../../test-support/io";
import { tempDir } from "../../test-support/temp";

const DAY = 86_400_000;
const AUDIT = "GET /orgs/{org}/audit-log";
const ALL_SOURCES = ["grants", "auditLog", "credentialAuthorizations"];
const PERMS = {
  organization_personal_access_token_requests: "write",
  organization_personal_access_tokens: "write",
  organization_administration: "read",
};

/** An audit-log event as GitHub returns it, `daysAgo` days old, by an owner. */
function event(action: string, daysAgo: number, extra: Record<string, unknown> = {}): AuditEventState {
  const t = Date.now() - daysAgo * DAY;
  return {
    action,
    "@timestamp": t,
    created_at: t,
    actor: "owner-alice",
    actor_id: 7,
    org: "acme-corp",
    org_id: 1,
    _document_id: `doc-${action}-${daysAgo}`,
    ...extra,
  };
}

/** A SAML credential authorization as GitHub lists it; the token's last eight are a marker never to be shown. */
function authorization(type: string, id: number, expiresInDays: number | null, authorizedDaysAgo = 10): Record<string, unknown> {
  const at = Date.now() - authorizedDaysAgo * DAY;
  return {
    login: "classic-carl",
    credential_id: id,
    credential_type: type,
    credential_authorized_at: new Date(at).toISOString(),
    credential_accessed_at: null,
    authorized_credential_id: id + 1000,
    authorized_credential_note: "old ci token",
    authorized_credential_expires_at: expiresInDays === null ? null : new Date(at + expiresInDays * DAY).toISOString(),
    ...(type === "SSH key"
      ? { fingerprint: "SHA256:abc", authorized_credential_title: "laptop" }
      : { token_last_eight: "LAST8XYZ", scopes: ["repo"] }),
  };
}

describe("verify: the PAT policy from evidence (Enterprise Cloud with SAML)", () => {
  let standIn: GitHubStandIn;
  let app: InstalledApp;
  const env = () => ({ GITHUB_API_URL: standIn.url, GITHUB_TOKEN: app.token });

  beforeEach(async () => {
    standIn = await GitHubStandIn.start({ spec: "ghec" });
    app = installApp(standIn);
    app.org.installation!.permissions = { ...PERMS };
    app.org.auditLog = [];
    app.org.credentialAuthorizations = [];
  });
  afterEach(async () => {
    expect(standIn.violations).toEqual([]);
    expect(standIn.rejections).toEqual([]);
    await standIn.close();
  });

  /** Runs verify with this PAT policy and evidence; returns each setting and the report. */
  async function settings(patPolicy: Record<string, unknown>, evidence: string[] = ALL_SOURCES) {
    const config = writePolicyFile({
      patPolicy,
      verify: { evidence },
      app: { name: "acme-token-broker", homepageUrl: "https://github.com/acme-corp", permissions: PERMS },
    });
    const report = await verify({ org: "acme-corp", config }, captureIO(env()));
    const by = Object.fromEntries(report.patPolicy!.settings.map((s) => [s.setting, s])) as Record<PatPolicySetting, SettingEvidence>;
    return { by, report };
  }
  const text = (s: SettingEvidence, source: string) =>
    s.findings
      .filter((f) => f.source === source)
      .map((f) => f.text)
      .join("\n");

  test("states every setting, never silent, with the time GitHub was read", async () => {
    const { report } = await settings({}, ["grants"]);
    expect(report.patPolicy!.settings.map((s) => s.setting)).toEqual([
      "fineGrainedTokens",
      "requireApproval",
      "maxLifetimeDays",
      "classicTokens",
      "classicMaxLifetimeDays",
    ]);
    for (const s of report.patPolicy!.settings) expect(s.findings.length).toBeGreaterThan(0);
    expect(Date.parse(report.patPolicy!.readAt)).toBeGreaterThan(Date.now() - 60_000);
    expect(text(report.patPolicy!.settings[3], "none")).toMatch(
      /^No chosen evidence source speaks to it \(verify\.evidence is grants\); credentialAuthorizations or auditLog would/,
    );
  });

  describe("fineGrainedTokens", () => {
    test("holds when allowed and a token has access", async () => {
      addGrant(standIn, app.org);
      expect((await settings({ fineGrainedTokens: "allow" })).by.fineGrainedTokens.status).toBe("holds");
    });
    test("contradicted (drift) when restricted and a token has access, naming it", async () => {
      const id = addGrant(standIn, app.org, { owner: "dev-dana", tokenName: "deploy" });
      const { by, report } = await settings({ fineGrainedTokens: "restrict" });
      expect(by.fineGrainedTokens.status).toBe("contradicted");
      expect(text(by.fineGrainedTokens, "grants")).toBe(
        `1 fine-grained token has access although fine-grained tokens are declared restricted: ${id} (dev-dana, "deploy").`,
      );
      expect(report.drift).toContainEqual(
        expect.objectContaining({
          check: "patPolicy.fineGrainedTokens",
          expected: "restrict",
          actual: `1 fine-grained token has access although fine-grained tokens are declared restricted: ${id} (dev-dana, "deploy")`,
          url: "https://github.com/organizations/acme-corp/settings/personal-access-tokens",
        }),
      );
    });
    test("not checkable when the App lacks organization_personal_access_tokens: read (GitHub answers 403), naming it", async () => {
      app.org.installation!.permissions = { organization_personal_access_token_requests: "write", organization_administration: "read" };
      const { by } = await settings({ fineGrainedTokens: "restrict" }, ["grants"]);
      expect(by.fineGrainedTokens.status).toBe("not checkable here");
      expect(text(by.fineGrainedTokens, "grants")).toMatch(
        /^GitHub answered 403 to GET \/orgs\/\{org\}\/personal-access-tokens: the App lacks organization_personal_access_tokens: read/,
      );
    });
    test("not checkable when allowed and nothing is granted or logged", async () => {
      const { by } = await settings({ fineGrainedTokens: "allow" });
      expect(by.fineGrainedTokens.status).toBe("not checkable here");
      expect(text(by.fineGrainedTokens, "grants")).toBe("No granted fine-grained token: that fits either value.");
    });
  });

  describe("requireApproval", () => {
    test("holds when required and a request is pending", async () => {
      addRequest(standIn, app.org);
      expect((await settings({ requireApproval: true })).by.requireApproval.status).toBe("holds");
    });
    test("contradicted when not required but a request is pending", async () => {
      addRequest(standIn, app.org);
      const { by } = await settings({ requireApproval: false });
      expect(by.requireApproval.status).toBe("contradicted");
      expect(text(by.requireApproval, "grants")).toMatch(/^1 pending request although approval is declared not required/);
    });
    test("not checkable when nothing is pending or logged", async () => {
      expect((await settings({ requireApproval: true })).by.requireApproval.status).toBe("not checkable here");
    });
    test("contradicted by the latest audit event, with who and when", async () => {
      app.org.auditLog!.push(
        event("personal_access_token.auto_approve_grant_requests_disabled", 20),
        event("personal_access_token.auto_approve_grant_requests_enabled", 3),
      );
      const { by } = await settings({ requireApproval: true });
      expect(by.requireApproval.status).toBe("contradicted");
      expect(text(by.requireApproval, "auditLog")).toMatch(
        /^Latest event: personal_access_token\.auto_approve_grant_requests_enabled \(fine-grained token requests approved automatically\) by @owner-alice at \d{4}-\d{2}-\d{2}T[\d:.]+Z: requireApproval is false\.$/,
      );
      expect(by.requireApproval.findings.find((f) => f.source === "auditLog")!.links).toEqual([
        "https://github.com/organizations/acme-corp/settings/audit-log?q=action%3Apersonal_access_token.auto_approve_grant_requests_enabled",
      ]);
    });
    test("holds by the latest event across both event categories", async () => {
      app.org.auditLog!.push(
        event("personal_access_token.auto_approve_grant_requests_enabled", 30),
        event("auto_approve_personal_access_token_requests.disable", 1),
      );
      const { by } = await settings({ requireApproval: true });
      expect(by.requireApproval.status).toBe("holds");
      expect(text(by.requireApproval, "auditLog")).toMatch(/^Latest event: auto_approve_personal_access_token_requests\.disable/);
    });
  });

  describe("maxLifetimeDays", () => {
    test("holds when every live token expires within the limit of its grant", async () => {
      addGrant(standIn, app.org, { days: 30 });
      const { by } = await settings({ maxLifetimeDays: 90 });
      expect(by.maxLifetimeDays.status).toBe("holds");
      expect(text(by.maxLifetimeDays, "grants")).toBe("Every live granted token (1) expires within 90 days of its grant.");
    });
    test("contradicted: never-expiring tokens first, then the longest, at most 20 listed, with the approximation said", async () => {
      const never = addGrant(standIn, app.org, { days: null, tokenName: "forever" });
      const longest = addGrant(standIn, app.org, { days: 300 });
      for (let i = 0; i < 23; i++) addGrant(standIn, app.org, { days: 100 });
      addGrant(standIn, app.org, { days: 60 });
      const { by } = await settings({ maxLifetimeDays: 90 });
      const t = text(by.maxLifetimeDays, "grants");
      expect(by.maxLifetimeDays.status).toBe("contradicted");
      expect(t).toMatch(
        new RegExp(
          `^25 of 26 live granted tokens outlive 90 days, worst first: ${never} \\(octocat, "forever"\\) never expires; ${longest} \\(octocat, "granted"\\) expires 300 days after its grant; `,
        ),
      );
      expect(t.match(/expires \d+ days after its grant|never expires/g)).toHaveLength(20);
      expect(t).toMatch(/; …\. Lifetimes are counted from the grant: GitHub's API gives no creation time/);
    });
    test("not checkable when no token is granted", async () => {
      expect((await settings({ maxLifetimeDays: 90 })).by.maxLifetimeDays.status).toBe("not checkable here");
    });
    test("an expiration-limit event is 'changed, value unknown', its raw fields shown", async () => {
      app.org.auditLog!.push(
        event("personal_access_token.expiration_limit_set", 5, {
          programmatic_access_type: "fine-grained",
          token_expiration: 30,
          exempt_administrators: false,
        }),
      );
      const { by } = await settings({ maxLifetimeDays: 90 }, ["auditLog"]);
      expect(by.maxLifetimeDays.status).toBe("not checkable here");
      expect(text(by.maxLifetimeDays, "auditLog")).toMatch(
        /\(programmatic_access_type: "fine-grained", token_expiration: 30, exempt_administrators: false\): changed, value unknown\. GitHub does not document/,
      );
    });
  });

  describe("classicTokens", () => {
    test("contradicted when restricted and a classic token is SSO-authorized; its last eight never shown", async () => {
      app.org.credentialAuthorizations!.push(authorization("personal access token", 501, null));
      const { by, report } = await settings({ classicTokens: "restrict" });
      expect(by.classicTokens.status).toBe("contradicted");
      expect(text(by.classicTokens, "credentialAuthorizations")).toMatch(
        /^1 classic token is authorized for single sign-on although classic tokens are declared restricted: 501 \(classic-carl, authorized \d{4}-\d{2}-\d{2}\)\.$/,
      );
      expect(JSON.stringify(report)).not.toContain("LAST8XYZ");
    });
    test("holds when restricted and only SSH keys are authorized", async () => {
      app.org.credentialAuthorizations!.push(authorization("SSH key", 502, null));
      expect((await settings({ classicTokens: "restrict" })).by.classicTokens.status).toBe("holds");
    });
    test("not checkable without SAML single sign-on (GitHub answers 404), saying so", async () => {
      app.org.credentialAuthorizations = undefined;
      const { by } = await settings({ classicTokens: "restrict" }, ["credentialAuthorizations"]);
      expect(by.classicTokens.status).toBe("not checkable here");
      expect(text(by.classicTokens, "credentialAuthorizations")).toMatch(
        /^GitHub answered 404 to GET \/orgs\/\{org\}\/credential-authorizations: credential authorizations exist only for organizations on GitHub Enterprise Cloud with SAML single sign-on\.$/,
      );
    });
    test("a restriction event is 'changed, value unknown' (GitHub does not document which token type it records)", async () => {
      app.org.auditLog!.push(event("personal_access_token.access_restriction_enabled", 2));
      const { by } = await settings({ classicTokens: "restrict", fineGrainedTokens: "allow" }, ["auditLog"]);
      expect(by.classicTokens.status).toBe("not checkable here");
      expect(by.fineGrainedTokens.status).toBe("not checkable here");
      expect(text(by.classicTokens, "auditLog")).toMatch(
        /^Latest event: personal_access_token\.access_restriction_enabled \(access by personal access tokens restricted\) by @owner-alice at .*: changed, value unknown\./,
      );
    });
  });

  describe("classicMaxLifetimeDays", () => {
    test("contradicted by an authorized classic token that never expires", async () => {
      app.org.credentialAuthorizations!.push(
        authorization("personal access token", 601, 30),
        authorization("personal access token", 602, null),
      );
      const { by } = await settings({ classicTokens: "allow", classicMaxLifetimeDays: 90 });
      expect(by.classicMaxLifetimeDays.status).toBe("contradicted");
      expect(text(by.classicMaxLifetimeDays, "credentialAuthorizations")).toMatch(
        /^1 of 2 authorized classic tokens outlives 90 days, worst first: 602 \(classic-carl, authorized [\d-]+\) never expires\. Counted from the authorization/,
      );
    });
    test("holds when every authorized classic token expires within the limit", async () => {
      app.org.credentialAuthorizations!.push(authorization("personal access token", 603, 30));
      expect((await settings({ classicTokens: "allow", classicMaxLifetimeDays: 90 })).by.classicMaxLifetimeDays.status).toBe("holds");
    });
    test("not checkable when no limit is declared", async () => {
      app.org.credentialAuthorizations!.push(authorization("personal access token", 604, null));
      const { by } = await settings({ classicTokens: "allow" });
      expect(by.classicMaxLifetimeDays.status).toBe("not checkable here");
      expect(by.classicMaxLifetimeDays.declared).toBe("none");
    });
  });

  describe("the audit log", () => {
    test("not checkable on an organization without Enterprise Cloud (GitHub answers 404), said for each setting", async () => {
      app.org.auditLog = undefined;
      const { by } = await settings({}, ["auditLog"]);
      for (const s of Object.values(by)) {
        expect(s.status).toBe("not checkable here");
        expect(text(s, "auditLog")).toMatch(
          /^GitHub answered 404 to GET \/orgs\/\{org\}\/audit-log: the audit log API is for organizations on GitHub Enterprise Cloud/,
        );
      }
    });
    test("not checkable when the App lacks organization_administration: read (GitHub answers 403), naming it", async () => {
      app.org.installation!.permissions = { organization_personal_access_tokens: "read" };
      const { by } = await settings({}, ["auditLog"]);
      expect(text(by.requireApproval, "auditLog")).toMatch(
        /^GitHub answered 403 to GET \/orgs\/\{org\}\/audit-log: the App lacks organization_administration: read/,
      );
    });
    test("not checkable when no event is in the window", async () => {
      app.org.auditLog!.push(event("repo.create", 1));
      const { by } = await settings({}, ["auditLog"]);
      expect(text(by.requireApproval, "auditLog")).toBe(
        "No event for it in the audit log's window (the API returns the last three months by default).",
      );
    });
    test("reads newest first a page of 100 at a time by category, and stops once every setting has its latest event", async () => {
      // GIVEN 250 unrelated PAT events, newest first, then one event of each setting
      for (let i = 0; i < 250; i++) app.org.auditLog!.push(event("personal_access_token.access_granted", i / 1000));
      app.org.auditLog!.push(
        event("personal_access_token.access_restriction_disabled", 1),
        event("personal_access_token.auto_approve_grant_requests_disabled", 1),
        event("personal_access_token.expiration_limit_unset", 1),
      );
      for (let i = 0; i < 150; i++) app.org.auditLog!.push(event("personal_access_token.request_created", 2 + i / 1000));
      await settings({}, ["auditLog"]);
      const calls = standIn.callsOf(AUDIT).map((c) => new URL(c.url, standIn.url).searchParams);
      const category = calls.filter((q) => q.get("phrase") === "action:personal_access_token");
      expect(category).toHaveLength(3); // 3 of 5 pages: the latest of each is on page 3
      expect(category.every((q) => q.get("per_page") === "100" && q.get("order") === "desc")).toBe(true);
      expect(calls.filter((q) => q.get("phrase") === "action:auto_approve_personal_access_token_requests")).toHaveLength(1);
    });
  });

  test("fails when --evidence-out is a symbolic link, before any call, and leaves its target as it was", async () => {
    // GIVEN --evidence-out naming a symbolic link to a file that must not be overwritten
    const dir = tempDir("evidence-link-");
    const target = join(dir, "authorized_keys");
    writeFileSync(target, "ssh-ed25519 AAAA keep-me\n");
    symlinkSync(target, join(dir, "evidence.md"));
    const config = writePolicyFile({
      verify: { evidence: ["grants"] },
      app: { name: "acme-token-broker", homepageUrl: "https://github.com/acme-corp", permissions: PERMS },
    });
    const io = captureIO(env());
    // WHEN verify runs THEN it exits 2 naming the link, and the target is untouched
    expect(await run(["verify", "--org", "acme-corp", "--config", config, "--evidence-out", join(dir, "evidence.md")], io)).toBe(2);
    expect(io.err()).toMatch(/--evidence-out .*evidence\.md: it is a symbolic link, which is not followed/);
    expect(readFileSync(target, "utf8")).toBe("ssh-ed25519 AAAA keep-me\n");
  });

  test("--evidence-out writes the record: each setting, declared value, status, evidence with links, and when read", async () => {
    addGrant(standIn, app.org, { days: null });
    const config = writePolicyFile({
      patPolicy: { maxLifetimeDays: 90 },
      verify: { evidence: ["grants"] },
      app: { name: "acme-token-broker", homepageUrl: "https://github.com/acme-corp", permissions: PERMS },
    });
    const dir = tempDir("evidence-");
    const io = captureIO(env());
    expect(await run(["verify", "--org", "acme-corp", "--config", config, "--evidence-out", join(dir, "evidence.md")], io)).toBe(3);
    const md = readFileSync(join(dir, "evidence.md"), "utf8");
    expect(md).toMatch(/^# PAT policy evidence\n/);
    expect(md).toMatch(/\n## acme-corp\n\nRead \d{4}-\d{2}-\d{2}T[\d:.]+Z from: grants\.\n/);
    expect(md).toMatch(
      /\n\| maxLifetimeDays \| 90 \| \*\*contradicted\*\* \(\[fix\]\(https:\/\/github\.com\/organizations\/acme-corp\/settings\/personal-access-tokens\)\) \| \*grants\*: 1 of 1 live granted token outlives 90 days.* \[link\]\(https:\/\/github\.com\/organizations\/acme-corp\/settings\/personal-access-tokens\/active\) \|\n/,
    );
    expect(md).toMatch(/\n\| classicTokens \| restrict \| not checkable here \| \*none\*: No chosen evidence source/);

    expect(
      await run(
        ["verify", "--org", "acme-corp", "--config", config, "--json", "--evidence-out", join(dir, "evidence.json")],
        captureIO(env()),
      ),
    ).toBe(3);
    const json = JSON.parse(readFileSync(join(dir, "evidence.json"), "utf8"));
    expect(json).toEqual({
      kind: "token-policy/pat-policy-evidence",
      version: 1,
      organizations: [expect.objectContaining({ org: "acme-corp", sources: ["grants"] })],
    });
    expect(json.organizations[0].settings.find((s: SettingEvidence) => s.setting === "maxLifetimeDays")).toMatchObject({
      declared: "90",
      status: "contradicted",
    });
  });

  test("--all writes every organization into one record, in config order, and names one whose verify failed", async () => {
    // GIVEN two organizations; the second one's checks fail on GitHub (502s)
    const beta = installApp(standIn, "beta-org");
    const dir = tempDir("evidence-");
    const config = join(dir, "token-policy.yaml");
    const entry = (login: string) => ({
      login,
      app: {
        name: login === "acme-corp" ? "acme-token-broker" : `${login}-token-broker`,
        homepageUrl: `https://github.com/${login}`,
        permissions: PERMS,
      },
      credentials: { actions: { visibility: "all" } },
    });
    writeFileSync(config, stringify({ organizations: [entry("acme-corp"), entry("beta-org")] }));
    standIn.inject({ operation: "GET /orgs/{org}/actions/secrets/{secret_name}", kind: "502-before", after: 1, times: 20 });
    const env = {
      GITHUB_API_URL: standIn.url,
      ACME_CORP_APP_ID: String(app.appId),
      ACME_CORP_APP_PRIVATE_KEY: app.pem,
      BETA_ORG_APP_ID: String(beta.appId),
      BETA_ORG_APP_PRIVATE_KEY: beta.pem,
    };
    const io = captureIO(env, { clientOptions: { retryUnitMs: 1, maxRetries: 1 } });
    const code = await run(["verify", "--all", "--concurrency", "1", "--config", config, "--evidence-out", join(dir, "evidence.md")], io);
    expect(code).toBe(1);
    const md = readFileSync(join(dir, "evidence.md"), "utf8");
    expect(md.match(/^## .*$/gm)).toEqual(["## acme-corp"]);
    expect(md).toMatch(/\nNot read \(verify failed for them; see the run's output\): beta-org\.\n$/);
  });

  test("fails with exit 2 before any call when --evidence-out cannot be written", async () => {
    const config = writePolicyFile({ app: { name: "acme-token-broker", homepageUrl: "https://github.com/acme-corp", permissions: PERMS } });
    const io = captureIO(env());
    expect(await run(["verify", "--org", "acme-corp", "--config", config, "--evidence-out", "/nonexistent-dir/evidence.md"], io)).toBe(2);
    expect(io.err()).toMatch(
      /--evidence-out \/nonexistent-dir\/evidence\.md: its directory \/nonexistent-dir does not exist; give a file path in an existing directory/,
    );
    // Before any call to GitHub
    expect(standIn.calls).toEqual([]);
    const dir = tempDir("evidence-");
    expect(await run(["verify", "--org", "acme-corp", "--config", config, "--evidence-out", dir], captureIO(env()))).toBe(2);
  });
});

describe("verify: the PAT policy on github.com without Enterprise Cloud", () => {
  test("the audit log and credential authorizations are not checkable (404), and the grants still speak", async () => {
    // GIVEN a stand-in checked against api.github.com's description, which has neither endpoint
    const standIn = await GitHubStandIn.start();
    try {
      const app = installApp(standIn);
      addGrant(standIn, app.org, { days: null });
      const config = writePolicyFile({
        patPolicy: { maxLifetimeDays: 90 },
        verify: { evidence: ALL_SOURCES },
        app: { name: "acme-token-broker", homepageUrl: "https://github.com/acme-corp", permissions: PERMS },
      });
      const io = captureIO({ GITHUB_API_URL: standIn.url, GITHUB_TOKEN: app.token });
      expect(await run(["verify", "--org", "acme-corp", "--config", config], io)).toBe(3);
      expect(io.out()).toMatch(
        /^  classicTokens restrict: not checkable here\n    auditLog: GitHub answered 404 to GET \/orgs\/\{org\}\/audit-log: the audit log API is for organizations on GitHub Enterprise Cloud.*\n    credentialAuthorizations: GitHub answered 404 to GET \/orgs\/\{org\}\/credential-authorizations/m,
      );
      expect(io.out()).toMatch(
        /^  maxLifetimeDays 90: contradicted \(fix: https:\/\/github\.com\/organizations\/acme-corp\/settings\/personal-access-tokens\)\n    grants: 1 of 1 live granted token outlives 90 days/m,
      );
      expect(standIn.violations).toEqual([]);
      expect(standIn.rejections).toEqual([]);
    } finally {
      await standIn.close();
    }
  });
});
