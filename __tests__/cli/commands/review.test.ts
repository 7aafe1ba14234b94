import { randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import { run } from "../../../cli";
import { review, type ReviewReport } from "../../../cli/commands/review";
import { GitHubStandIn } from "../../../test-support/github-stand-in/server";
import { addGrant, addRequest, installApp, type InstalledApp } from "../../../test-support/fixtures";
import { captureIO } from "../../../test-support/io";
import { keyBodyLines } from "../../../test-support/keys";
import { byBuiltin, byRule } from "../../../lib/approval/outcomes";
import { tempDir } from "../../../test-support/temp";

const REVIEW = "POST /orgs/{org}/personal-access-token-requests";
const LIST = "GET /orgs/{org}/personal-access-token-requests";
const REPOS = "GET /orgs/{org}/personal-access-token-requests/{pat_request_id}/repositories";
const REVOKE = "POST /orgs/{org}/personal-access-tokens";

/** A config file with the approval section given, for acme-corp. */
function writeConfig(
  approval: Record<string, unknown>,
  patPolicy: Record<string, unknown> = { maxLifetimeDays: 90 },
  more: Record<string, unknown> = {},
): string {
  const dir = tempDir("review-");
  const file = join(dir, "token-policy.yaml");
  writeFileSync(
    file,
    stringify({
      organizations: [
        {
          login: "acme-corp",
          patPolicy,
          approval,
          app: {
            name: "acme-token-broker",
            homepageUrl: "https://github.com/acme-corp",
            permissions: { organization_personal_access_token_requests: "write" },
          },
          credentials: { actions: { visibility: "all" } },
          ...more,
        },
      ],
    }),
  );
  return file;
}

const RULES = {
  rules: [
    { name: "read-only", action: "approve", reason: "Read-only is fine.", match: { permissions: { repository: { contents: "read" } } } },
    {
      name: "no-admin",
      action: "deny",
      reason: "No administration.",
      match: { anyPermission: { organization: { administration: "read" } } },
    },
    { name: "release", action: "approve", reason: "Release repos.", match: { repositories: ["release-*"] } },
  ],
  otherwise: "leave",
};

describe("review", () => {
  let standIn: GitHubStandIn;
  let app: InstalledApp;
  let config: string;
  const env = () => ({ GITHUB_API_URL: standIn.url, GITHUB_TOKEN: app.token });

  beforeEach(async () => {
    standIn = await GitHubStandIn.start();
    app = installApp(standIn);
    config = writeConfig(RULES);
  });
  afterEach(async () => {
    expect(standIn.violations).toEqual([]);
    await standIn.close();
  });

  function seed() {
    const a = addRequest(standIn, app.org, { owner: "reader", tokenName: "docs" });
    const b = addRequest(standIn, app.org, {
      owner: "admin-wannabe",
      tokenName: "org",
      permissions: { organization: { administration: "write" } },
    });
    const c = addRequest(standIn, app.org, {
      owner: "releaser",
      tokenName: "rel",
      permissions: { repository: { contents: "write" } },
      repositories: ["release-tools"],
    });
    const d = addRequest(standIn, app.org, {
      owner: "someone",
      tokenName: "wide",
      repositorySelection: "all",
      permissions: { repository: { contents: "write" } },
    });
    const e = addRequest(standIn, app.org, { owner: "forever", tokenName: "eternal", days: null });
    return { a, b, c, d, e };
  }

  test("dry run decides every pending request and makes no write call", async () => {
    const { a, b, c, d, e } = seed();
    const io = captureIO(env());
    const report = await review({ org: "acme-corp", config, json: true }, io);
    expect(report.applied).toBe(false);
    expect(report.decisions).toEqual([
      {
        requestId: a.id,
        owner: "reader",
        tokenName: "docs",
        action: "approve",
        decidedBy: byRule("read-only"),
        reason: "Read-only is fine.",
      },
      {
        requestId: b.id,
        owner: "admin-wannabe",
        tokenName: "org",
        action: "deny",
        decidedBy: byRule("no-admin"),
        reason: "No administration.",
      },
      { requestId: c.id, owner: "releaser", tokenName: "rel", action: "approve", decidedBy: byRule("release"), reason: "Release repos." },
      {
        requestId: d.id,
        owner: "someone",
        tokenName: "wide",
        action: "leave",
        decidedBy: byBuiltin("otherwise"),
        reason: "No rule matches; an organization owner decides.",
      },
      {
        requestId: e.id,
        owner: "forever",
        tokenName: "eternal",
        action: "deny",
        decidedBy: byBuiltin("lifetime-limit"),
        reason: "The token never expires; this organization allows tokens of at most 90 days.",
      },
    ]);
    expect(standIn.calls.filter((c) => c.method !== "GET")).toEqual([]);
    expect(app.org.requests.size).toBe(5);
    // --json prints exactly the report
    expect(JSON.parse(io.out())).toEqual(JSON.parse(JSON.stringify(report)));
  });

  test("the table's RULE column tells a rule from a built-in outcome", async () => {
    seed();
    const io = captureIO(env());
    await review({ org: "acme-corp", config, wide: true }, io);
    expect(io.out()).toMatch(/\breader +docs +approve +rule "read-only" +Read-only is fine\./);
    expect(io.out()).toMatch(/\bsomeone +wide +leave +\(otherwise\) +No rule matches/);
    expect(io.out()).toMatch(/\bforever +eternal +deny +\(lifetime-limit\) +The token never expires/);
  });

  test("denies a request over its enterprise's maximum lifetime when the organization declares none", async () => {
    // GIVEN acme-corp declares no lifetime, and its enterprise caps fine-grained tokens at 60 days
    const file = writeConfig(RULES, {});
    const doc = parse(readFileSync(file, "utf8"));
    doc.organizations[0].enterprise = "acme";
    writeFileSync(file, stringify({ enterprises: [{ slug: "acme", patPolicy: { maxLifetimeDays: 60 } }], ...doc }));
    const within = addRequest(standIn, app.org, { owner: "reader", days: 60 });
    const over = addRequest(standIn, app.org, { owner: "reader", days: 90 });
    // WHEN review decides
    const report = await review({ org: "acme-corp", config: file }, captureIO(env()));
    // THEN the enterprise's 60 days are the limit: the read-only rule approves one, the limit denies the other
    expect(report.decisions.map((d) => [d.requestId, d.action, d.decidedBy])).toEqual([
      [within.id, "approve", byRule("read-only")],
      [over.id, "deny", byBuiltin("lifetime-limit")],
    ]);
  });

  test("fetches repositories only for a subset request that reaches a rule needing them", async () => {
    const { c } = seed();
    await review({ org: "acme-corp", config }, captureIO(env()));
    // a: decided by read-only first; b: by no-admin; d: selects all; e: lifetime. Only c is looked up.
    expect(standIn.callsOf(REPOS).map((x) => x.url)).toEqual([
      `/orgs/acme-corp/personal-access-token-requests/${c.id}/repositories?per_page=100`,
    ]);
  });

  test("prints a table and says it was a dry run", async () => {
    seed();
    const io = captureIO(env());
    await review({ org: "acme-corp", config }, io);
    const out = io.out();
    expect(out).toMatch(/^REQUEST\s+OWNER\s+TOKEN\s+ACTION\s+RULE\s+REASON\n/);
    expect(out).toContain("acme-corp: 5 pending: 2 approve, 2 deny, 1 leave; 0 revocations.");
    expect(out).toContain("Dry run: nothing was changed. Run with --apply to make these calls.");
  });

  test("--apply reviews in bulk: one call per (action, reason) group", async () => {
    const { a, b, c, d, e } = seed();
    const report = await review({ org: "acme-corp", config, apply: true }, captureIO(env()));
    expect(standIn.callsOf(REVIEW).map((x) => x.body)).toEqual([
      { pat_request_ids: [a.id], action: "approve", reason: "Read-only is fine." },
      { pat_request_ids: [b.id], action: "deny", reason: "No administration." },
      { pat_request_ids: [c.id], action: "approve", reason: "Release repos." },
      { pat_request_ids: [e.id], action: "deny", reason: "The token never expires; this organization allows tokens of at most 90 days." },
    ]);
    expect([...app.org.requests.keys()]).toEqual([d.id]);
    expect(app.org.grants.size).toBe(2);
    expect(report.decisions.map((x) => x.outcome)).toEqual(["applied", "applied", "applied", undefined, "applied"]);
  });

  test("pages through 250+ requests at 100 a page and sends 100 ids per call", async () => {
    for (let i = 0; i < 260; i++)
      addRequest(standIn, app.org, { owner: `user${i}`, repositorySelection: "none", permissions: { repository: { contents: "read" } } });
    const report = await review({ org: "acme-corp", config, apply: true }, captureIO(env()));
    expect(report.decisions).toHaveLength(260);
    expect(standIn.callsOf(LIST)).toHaveLength(3);
    expect(standIn.callsOf(REVIEW).map((x) => (x.body as { pat_request_ids: number[] }).pat_request_ids.length)).toEqual([100, 100, 60]);
    expect(app.org.requests.size).toBe(0);
  });

  test("authenticates as the App with a key generated in the test, finding the installation", async () => {
    seed();
    const io = captureIO({ GITHUB_API_URL: standIn.url, APP_ID: String(app.appId), APP_PRIVATE_KEY: app.pem });
    await review({ org: "acme-corp", config, apply: true }, io);
    expect(standIn.calls.slice(0, 4).map((c) => `${c.method} ${c.operation} ${c.auth}`)).toEqual([
      // first: the App behind the key is the one the config declares
      "GET /app jwt",
      "GET /orgs/{org}/installation jwt",
      `POST /app/installations/{installation_id}/access_tokens jwt`,
      "GET /orgs/{org}/personal-access-token-requests installation",
    ]);
    expect(standIn.calls.slice(3).every((c) => c.auth === "installation")).toBe(true);
    // nothing printed holds the key
    for (const line of keyBodyLines(app.pem)) expect(io.out() + io.err()).not.toContain(line);
  });

  test("uses APP_INSTALLATION_ID and APP_PRIVATE_KEY_FILE without looking the installation up", async () => {
    const keyFile = join(tempDir("key-"), "app.pem");
    writeFileSync(keyFile, app.pem, { mode: 0o600 });
    const io = captureIO({
      GITHUB_API_URL: standIn.url,
      APP_ID: String(app.appId),
      APP_PRIVATE_KEY_FILE: keyFile,
      APP_INSTALLATION_ID: String(app.installationId),
    });
    await review({ org: "acme-corp", config }, io);
    expect(standIn.callsOf("GET /orgs/{org}/installation")).toEqual([]);
  });

  test("a 502 before the change took effect: sent again once, applied once", async () => {
    const { a } = seed();
    standIn.inject({ operation: REVIEW, kind: "502-before" });
    const report = await review({ org: "acme-corp", config, apply: true }, captureIO(env()));
    const approveCalls = standIn.callsOf(REVIEW).filter((c) => (c.body as { pat_request_ids: number[] }).pat_request_ids.includes(a.id));
    expect(approveCalls.map((c) => c.status)).toEqual([502, 202]);
    expect(app.org.reviews.filter((r) => r.ids.includes(a.id))).toHaveLength(1);
    expect(report.decisions.find((d) => d.requestId === a.id)!.outcome).toBe("applied");
  });

  test("a 502 after the change took effect: recognised by re-listing, not sent again", async () => {
    const { a } = seed();
    standIn.inject({ operation: REVIEW, kind: "502-after" });
    const report = await review({ org: "acme-corp", config, apply: true }, captureIO(env()));
    const approveCalls = standIn.callsOf(REVIEW).filter((c) => (c.body as { pat_request_ids: number[] }).pat_request_ids.includes(a.id));
    expect(approveCalls.map((c) => c.status)).toEqual([502]);
    expect(app.org.reviews.filter((r) => r.ids.includes(a.id))).toHaveLength(1);
    expect(report.decisions.find((d) => d.requestId === a.id)!.outcome).toBe("already-decided");
    // the other groups went on as usual
    expect(app.org.requests.size).toBe(1);
  });

  test("a dropped connection on a write is treated like a lost answer", async () => {
    seed();
    standIn.inject({ operation: REVIEW, kind: "reset" });
    const report = await review({ org: "acme-corp", config, apply: true }, captureIO(env()));
    expect(report.decisions.filter((d) => d.action !== "leave").every((d) => d.outcome === "applied")).toBe(true);
    expect(app.org.reviews.flatMap((r) => r.ids)).toHaveLength(4);
  });

  test("a secondary rate limit is retried after retry-after", async () => {
    seed();
    standIn.inject({ operation: REVIEW, kind: "secondary-rate-limit", retryAfter: 1 });
    const io = captureIO(env(), { clientOptions: { writeIntervalMs: 0, retryUnitMs: 1000 } });
    const started = Date.now();
    await review({ org: "acme-corp", config, apply: true }, io);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(standIn.callsOf(REVIEW).map((c) => c.status)).toEqual([403, 202, 202, 202, 202]);
    expect(io.err()).toMatch(/secondary rate limit on POST .*retrying after 1s/);
    expect(app.org.requests.size).toBe(1);
  });

  test("the primary rate limit and 5xx on reads are retried", async () => {
    seed();
    standIn.inject({ operation: LIST, kind: "429", retryAfter: 1 });
    standIn.inject({ operation: REPOS, kind: "502-before" });
    const report = await review(
      { org: "acme-corp", config },
      captureIO(env(), { clientOptions: { retryUnitMs: 1000, writeIntervalMs: 0 } }),
    );
    expect(report.decisions).toHaveLength(5);
    expect(standIn.callsOf(LIST).map((c) => c.status)).toEqual([429, 200]);
    expect(standIn.callsOf(REPOS).map((c) => c.status)).toEqual([502, 200]);
  });

  test("a request decided concurrently by an owner is not decided again; the rest of its batch is", async () => {
    const first = addRequest(standIn, app.org, { owner: "a" });
    const second = addRequest(standIn, app.org, { owner: "b" });
    let done = false;
    standIn.beforeHandle = (op) => {
      if (op === REVIEW && !done) {
        done = true;
        app.org.requests.delete(first.id); // an owner denied it in the settings page meanwhile
      }
    };
    const report = await review({ org: "acme-corp", config, apply: true }, captureIO(env()));
    expect(standIn.callsOf(REVIEW).map((c) => [c.status, (c.body as { pat_request_ids: number[] }).pat_request_ids])).toEqual([
      [422, [first.id, second.id]],
      [202, [second.id]],
    ]);
    expect(report.decisions.map((d) => d.outcome)).toEqual(["already-decided", "applied"]);
  });

  test("a re-run after a failure half-way decides only what is still pending", async () => {
    seed();
    // GIVEN a first run whose first bulk call lands and whose second fails for good
    standIn.inject({ operation: REVIEW, kind: "secondary-rate-limit", after: 1, times: 99 });
    const failing = captureIO(env(), { clientOptions: { writeIntervalMs: 0, retryUnitMs: 1, maxRetries: 0 } });
    await expect(review({ org: "acme-corp", config, apply: true }, failing)).rejects.toThrow(
      /GitHub answered 403 to POST .*secondary rate limit/,
    );
    expect(app.org.reviews.flatMap((r) => r.ids)).toHaveLength(1);
    // WHEN it is run again
    standIn.clearFaults();
    const report = await review({ org: "acme-corp", config, apply: true }, captureIO(env()));
    // THEN the three left are decided, and nothing twice
    expect(report.decisions.filter((d) => d.outcome === "applied")).toHaveLength(3);
    const reviewed = app.org.reviews.flatMap((r) => r.ids);
    expect(reviewed).toHaveLength(4);
    expect(new Set(reviewed).size).toBe(4);
  });

  test("revokes non-compliant granted tokens in bulk when asked to", async () => {
    config = writeConfig({ ...RULES, revokeNonCompliant: true });
    const forever = addGrant(standIn, app.org, { days: null, tokenName: "forever" });
    const admin = addGrant(standIn, app.org, { permissions: { organization: { administration: "read" } }, tokenName: "admin" });
    const fine = addGrant(standIn, app.org, { tokenName: "fine" });
    const long = addGrant(standIn, app.org, { days: 200, tokenName: "long" });
    const report = await review({ org: "acme-corp", config, apply: true }, captureIO(env()));
    expect(report.revocations.map((r) => [r.tokenId, r.tokenName, r.outcome])).toEqual([
      [forever, "forever", "applied"],
      [admin, "admin", "applied"],
      [long, "long", "applied"],
    ]);
    expect(report.revocations[1].reason).toBe('Rule "no-admin" would now deny it: No administration.');
    expect(standIn.callsOf(REVOKE).map((c) => c.body)).toEqual([{ action: "revoke", pat_ids: [forever, admin, long] }]);
    expect([...app.org.grants.keys()]).toEqual([fine]);
  });

  describe("the brake on mass revocation (review.massRevocation)", () => {
    /** Three non-compliant grants under a brake of 2 tokens (or 10%, less here). */
    function threeOverTheBrake(): number[] {
      config = writeConfig({ ...RULES, revokeNonCompliant: true }, undefined, { review: { massRevocation: { minTokens: 2, share: 0.1 } } });
      return [1, 2, 3].map((i) => addGrant(standIn, app.org, { days: null, tokenName: `forever-${i}` }));
    }

    test("fails closed when --apply would revoke more than the organization's brake: none is revoked, each is held, and it says how to proceed", async () => {
      // GIVEN three tokens to revoke and a brake of 2
      threeOverTheBrake();
      const io = captureIO(env());
      // WHEN review --apply runs
      expect(await run(["review", "--org", "acme-corp", "--config", config, "--apply"], io)).toBe(1);
      // THEN no revocation is sent; the run says why and what to run after checking the list
      expect(standIn.callsOf(REVOKE)).toEqual([]);
      expect(app.org.grants.size).toBe(3);
      expect(io.out()).toContain(
        "3 of 3 granted tokens would be revoked, more than one run may revoke (2: the larger of 2 and 10%, review.massRevocation); none was revoked.",
      );
      expect(io.out()).toContain("review --apply --allow-mass-revoke");
      // AND it exits 1, so a scheduled run that was held shows as failed
      expect(io.err()).toContain("error: revocations held by review.massRevocation: none was sent");
    });

    test("--allow-mass-revoke lets the run through: every token is revoked in one call", async () => {
      const ids = threeOverTheBrake();
      const io = captureIO(env());
      expect(await run(["review", "--org", "acme-corp", "--config", config, "--apply", "--allow-mass-revoke", "--json"], io)).toBe(0);
      expect(standIn.callsOf(REVOKE).map((c) => c.body)).toEqual([{ action: "revoke", pat_ids: ids }]);
      expect(JSON.parse(io.out()).held).toBeUndefined();
    });
  });

  test("does not look at granted tokens unless revokeNonCompliant is set", async () => {
    addGrant(standIn, app.org, { days: null });
    const report = await review({ org: "acme-corp", config, apply: true }, captureIO(env()));
    expect(report.revocations).toEqual([]);
    expect(standIn.callsOf("GET /orgs/{org}/personal-access-tokens")).toEqual([]);
  });

  test("shows progress on a terminal, and none in --json or off a terminal", async () => {
    for (let i = 0; i < 150; i++) addRequest(standIn, app.org, { owner: `u${i}` });
    const tty = captureIO(env());
    let progress = "";
    const ttyIO = { ...tty, stderr: { isTTY: true, write: (s: string) => (progress += s) } };
    await review({ org: "acme-corp", config }, ttyIO);
    expect(progress).toBe(
      "\r\u001b[2Kacme-corp: 100 pending requests decided\r\u001b[2Kacme-corp: 150 pending requests decided\r\u001b[2K",
    );
    let quiet = "";
    await review({ org: "acme-corp", config, json: true }, { ...tty, stderr: { isTTY: true, write: (s: string) => (quiet += s) } });
    const plain = captureIO(env());
    await review({ org: "acme-corp", config }, plain);
    expect(quiet + plain.err()).toBe("");
  });

  test("writes a Markdown summary to GITHUB_STEP_SUMMARY, escaping names from GitHub", async () => {
    addRequest(standIn, app.org, { owner: "octocat", tokenName: "pipe | and `tick`" });
    const summary = join(tempDir("summary-"), "summary.md");
    await review({ org: "acme-corp", config }, captureIO({ ...env(), GITHUB_STEP_SUMMARY: summary }));
    const md = readFileSync(summary, "utf8");
    expect(md).toContain("## Token requests in acme-corp (dry run)");
    expect(md).toContain('| pipe \\| and \\`tick\\` | approve | rule "read-only" |');
  });
  test("--wide shows whole reasons; the default table cuts them", async () => {
    const long = `Read-only access to the documentation repositories is approved automatically for thirty days at most.`;
    const wide = writeConfig({
      rules: [{ name: "docs", action: "approve", reason: long, match: { permissions: { repository: { contents: "read" } } } }],
    });
    addRequest(standIn, app.org, { owner: "reader", tokenName: "docs" });
    const narrow = captureIO(env());
    expect(await run(["review", "--org", "acme-corp", "--config", wide], narrow)).toBe(0);
    expect(narrow.out()).not.toContain(long);
    expect(narrow.out()).toContain("…");
    const io = captureIO(env());
    expect(await run(["review", "--org", "acme-corp", "--config", wide, "--wide"], io)).toBe(0);
    expect(io.out()).toContain(long);
  });

  describe("fails closed", () => {
    test("--apply never approves a request it cannot fully read; it leaves it, naming what was not read", async () => {
      // GIVEN a rule approving contents: read, one readable request and five odd ones
      const ok = addRequest(standIn, app.org, {
        owner: "reader",
        permissions: { repository: { contents: "read" } },
        repositorySelection: "all",
      });
      const odd = [
        addRequest(standIn, app.org, {
          owner: "k",
          repositorySelection: "all",
          permissions: { repository: { contents: "read" }, enterprise: { administration: "write" } } as never,
        }),
        addRequest(standIn, app.org, {
          owner: "l",
          repositorySelection: "all",
          permissions: { repository: { contents: "read", administration: "maintain" } },
        }),
        addRequest(standIn, app.org, { owner: "c", repositorySelection: "all", permissions: { repository: { contents: "Read" } } }),
        addRequest(standIn, app.org, {
          owner: "n",
          repositorySelection: "all",
          permissions: { repository: { contents: "read", teleport: "read" } },
        }),
        addRequest(standIn, app.org, { owner: "e", repositorySelection: "all", permissions: { repository: { contents: "read" } } }),
      ];
      odd[4].tokenExpiresAt = "in a while";
      // WHEN reviewed with --apply
      const report = await review({ org: "acme-corp", config, apply: true }, captureIO(env()));
      // THEN only the readable one was approved; the others are still pending, left to an owner
      expect(app.org.reviews.flatMap((r) => r.ids)).toEqual([ok.id]);
      for (const r of odd) expect(app.org.requests.has(r.id)).toBe(true);
      const left = report.decisions.filter((d) => d.decidedBy.kind === "builtin" && d.decidedBy.outcome === "not-understood");
      expect(left.map((d) => d.requestId)).toEqual(odd.map((r) => r.id));
      expect(left.every((d) => d.action === "leave")).toBe(true);
      expect(left.map((d) => d.reason)).toEqual([
        expect.stringContaining('permission kind "enterprise"'),
        expect.stringContaining('administration at level "maintain"'),
        expect.stringContaining('contents at level "Read"'),
        expect.stringContaining('"teleport" is not in GitHub\'s catalogue'),
        expect.stringContaining('expiry "in a while" is not a timestamp'),
      ]);
    });

    test("a request withdrawn between listing and reading its repositories is already-decided; the rest proceed", async () => {
      const gone = addRequest(standIn, app.org, {
        owner: "releaser",
        permissions: { repository: { contents: "write" } },
        repositories: ["release-tools"],
      });
      const { a } = seed();
      standIn.beforeHandle = (op, params) => {
        if (op === REPOS && Number(params.pat_request_id) === gone.id) app.org.requests.delete(gone.id);
      };
      const io = captureIO(env());
      const report = await review({ org: "acme-corp", config, apply: true }, io);
      expect(report.decisions.find((d) => d.requestId === gone.id)).toMatchObject({
        decidedBy: byBuiltin("gone"),
        outcome: "already-decided",
      });
      expect(report.decisions.find((d) => d.requestId === a.id)!.outcome).toBe("applied");
      expect(io.out()).toMatch(/\d+ applied, 1 already decided\.\n$/);
    });

    test("after an uncertain write whose re-list also fails, the outcome is unknown with the reason, and exit 1", async () => {
      const { a } = seed();
      standIn.inject({ operation: REVIEW, kind: "502-after", times: 1 });
      standIn.beforeHandle = (op) => {
        if (op === REVIEW) standIn.inject({ operation: LIST, kind: "502-before", times: 50 });
      };
      const io = captureIO(env(), { clientOptions: { writeIntervalMs: 0, retryUnitMs: 1, maxRetries: 1 } });
      expect(await run(["review", "--org", "acme-corp", "--config", config, "--apply", "--json"], io)).toBe(1);
      const report = JSON.parse(io.out()) as ReviewReport;
      const first = report.decisions.find((d) => d.requestId === a.id)!;
      expect(first.outcome).toBe("unknown");
      expect(first.outcomeReason).toMatch(
        /the write's answer was lost \(reviewing token requests in acme-corp: GitHub answered 502 to POST .*\) and the re-list failed \(listing pending token requests of acme-corp: GitHub answered 502 to GET /,
      );
      // every decision that was to be applied has an outcome: none is shown as if applied
      expect(report.decisions.filter((d) => d.action !== "leave" && d.outcome === undefined)).toEqual([]);
      expect(
        report.decisions
          .filter((d) => d.outcome === "not-sent")
          .every((d) => /^the run stopped first: listing pending token requests of acme-corp: GitHub answered 502/.test(d.outcomeReason!)),
      ).toBe(true);
    });
  });
});

describe("token-policy review (exit codes)", () => {
  let standIn: GitHubStandIn;
  let app: InstalledApp;
  beforeAll(async () => {
    standIn = await GitHubStandIn.start();
    app = installApp(standIn);
  });
  afterAll(() => standIn.close());

  const config = () => writeConfig(RULES);

  test("0 when it ran, whatever it decided", async () => {
    addRequest(standIn, app.org);
    const io = captureIO({ GITHUB_API_URL: standIn.url, GITHUB_TOKEN: app.token });
    expect(await run(["review", "--org", "acme-corp", "--config", config(), "--json"], io)).toBe(0);
    expect((JSON.parse(io.out()) as ReviewReport).decisions).toHaveLength(1);
  });

  test("2 with one line for an unknown organization, a bad config, missing credentials or a missing option", async () => {
    const io1 = captureIO({ GITHUB_API_URL: standIn.url, GITHUB_TOKEN: app.token });
    expect(await run(["review", "--org", "nope", "--config", config()], io1)).toBe(2);
    expect(io1.err()).toMatch(/^error: .*organizations: has no organization "nope"; it has acme-corp\n$/s);

    const bad = join(tempDir("bad-"), "p.yaml");
    writeFileSync(bad, "organizations: 3\n");
    const io2 = captureIO({});
    expect(await run(["review", "--org", "acme-corp", "--config", bad], io2)).toBe(2);
    expect(io2.err()).toContain("organizations: must be a list, got 3");

    const io3 = captureIO({ GITHUB_API_URL: standIn.url });
    expect(await run(["review", "--org", "acme-corp", "--config", config()], io3)).toBe(2);
    // the organization's own variables first, then the other ways
    expect(io3.err()).toBe(
      "error: no GitHub credentials for acme-corp: set ACME_CORP_APP_ID with ACME_CORP_APP_PRIVATE_KEY or ACME_CORP_APP_PRIVATE_KEY_FILE (its App's id and private key, in the environment or in TOKEN_POLICY_VARS_JSON and TOKEN_POLICY_SECRETS_JSON), pass --credentials FILE from create-app, or set APP_ID with APP_PRIVATE_KEY or APP_PRIVATE_KEY_FILE (one App for every organization), or GITHUB_TOKEN (an installation token)\n",
    );

    const io4 = captureIO({});
    expect(await run(["review"], io4)).toBe(2);
    expect(io4.err()).toContain("review needs --org LOGIN, or --all for every organization of the config");
  });

  test("1 when GitHub refuses or the network fails, without the token in the message", async () => {
    const revoked = `ghs_${randomBytes(27).toString("hex")}`; // never issued by the stand-in
    const io = captureIO({ GITHUB_API_URL: standIn.url, GITHUB_TOKEN: revoked });
    expect(await run(["review", "--org", "acme-corp", "--config", config()], io)).toBe(1);
    expect(io.err()).toBe(
      "error: listing pending token requests of acme-corp: GitHub answered 401 to GET /orgs/acme-corp/personal-access-token-requests: Bad credentials. GitHub refused the token: it is wrong or expired (installation tokens live one hour). Nothing was decided.\n",
    );
    expect(io.err()).not.toContain(revoked);
    // No summary that would read as a clean run in a CI log.
    expect(io.out()).toBe("");

    const io2 = captureIO(
      { GITHUB_API_URL: "http://127.0.0.1:59999", GITHUB_TOKEN: app.token },
      { clientOptions: { retryUnitMs: 1, maxRetries: 1 } },
    );
    expect(await run(["review", "--org", "acme-corp", "--config", config()], io2)).toBe(1);
    // a bounded retry, said while it waits, then one error that names the call and the cause
    expect(io2.err()).toMatch(/^warning: retrying GET \S+\/orgs\/acme-corp\/personal-access-token-requests \(attempt 2\)\n/);
    expect(io2.err()).toMatch(
      /\nerror: listing pending token requests of acme-corp: no answer from 127\.0\.0\.1:59999 to GET \/orgs\/acme-corp\/personal-access-token-requests: ECONNREFUSED\. cannot reach 127\.0\.0\.1:59999: check GITHUB_API_URL, or the organization's githubUrl\. Nothing was decided\.\n$/,
    );
  });
});
