import { readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { run } from "../../cli";
import { revoke } from "../../cli/commands/revoke";
import { parseRevokeFilter } from "../../lib/revoke/revoke";
import { GitHubStandIn } from "../../test-support/github-stand-in/server";
import { addGrant, installApp, writePolicyFile, type InstalledApp } from "../../test-support/fixtures";
import { captureIO } from "../../test-support/io";
import { tempDir } from "../../test-support/temp";

const REVOKE = "POST /orgs/{org}/personal-access-tokens";
const LIST = "GET /orgs/{org}/personal-access-tokens";

describe("revoke", () => {
  let standIn: GitHubStandIn;
  let app: InstalledApp;
  let config: string;
  const env = () => ({ GITHUB_API_URL: standIn.url, GITHUB_TOKEN: app.token, GITHUB_ACTOR: "security-lead" });

  async function start(spec?: "ghec") {
    standIn = await GitHubStandIn.start(spec ? { spec } : {});
    app = installApp(standIn);
    config = writePolicyFile();
  }
  afterEach(async () => {
    expect(standIn.violations).toEqual([]);
    expect(standIn.rejections).toEqual([]);
    await standIn.close();
  });

  const dryRun = async (filters: Record<string, unknown>) => {
    const io = captureIO(env());
    const report = await revoke({ org: "acme-corp", config, ...filters }, io);
    return { report, ids: report.matches.map((m) => m.grantId).sort((a, b) => a - b), text: io.out() };
  };
  const sorted = (...ids: number[]) => ids.sort((a, b) => a - b);

  test("--owner selects that owner's tokens through GitHub's owner[] filter, and a dry run revokes nothing", async () => {
    // GIVEN tokens of two owners
    await start();
    const a = addGrant(standIn, app.org, { owner: "leaver" });
    addGrant(standIn, app.org, { owner: "stayer" });
    // WHEN a dry run selects the leaver's
    const { ids, text } = await dryRun({ owner: ["leaver"] });
    // THEN only theirs, each with why, and nothing revoked
    expect(ids).toEqual([a]);
    expect(text).toContain("owner leaver");
    expect(text).toContain("Dry run: nothing was revoked.");
    expect(standIn.callsOf(REVOKE)).toHaveLength(0);
    expect(standIn.callsOf(LIST)[0].url).toContain("owner[]=leaver");
  });

  test("--token-id selects by GitHub's token id (token_id[]), not the grant's id", async () => {
    await start();
    const a = addGrant(standIn, app.org, {});
    addGrant(standIn, app.org, {});
    const tokenId = app.org.grants.get(a)!.tokenId;
    const { ids, report } = await dryRun({ tokenId: [String(tokenId)] });
    expect(ids).toEqual([a]);
    expect(report.matches[0].githubTokenId).toBe(tokenId);
    expect(standIn.callsOf(LIST)[0].url).toContain(`token_id[]=${tokenId}`);
  });

  test("--repository selects tokens reaching it: all repositories, or a subset naming it; never 'none'", async () => {
    await start();
    const all = addGrant(standIn, app.org, { repositorySelection: "all", repositories: [] });
    const subset = addGrant(standIn, app.org, { repositorySelection: "subset", repositories: ["api", "web"] });
    addGrant(standIn, app.org, { repositorySelection: "subset", repositories: ["docs"] });
    addGrant(standIn, app.org, { repositorySelection: "none", repositories: [] });
    const { ids, report } = await dryRun({ repository: "acme-corp/web" });
    expect(ids).toEqual(sorted(all, subset));
    expect(report.matches.find((m) => m.grantId === all)!.why).toEqual(["reaches every repository of acme-corp, web included"]);
  });

  test("--permission NAME matches any level, NAME:LEVEL at least that level", async () => {
    await start();
    const read = addGrant(standIn, app.org, { permissions: { repository: { contents: "read" } } });
    const write = addGrant(standIn, app.org, { permissions: { repository: { contents: "write" } } });
    addGrant(standIn, app.org, { permissions: { repository: { issues: "write" } } });
    expect((await dryRun({ permission: ["contents"] })).ids).toEqual(sorted(read, write));
    expect((await dryRun({ permission: ["contents:write"] })).ids).toEqual([write]);
  });

  test("--last-used-before: used before the date, or never used and granted before it", async () => {
    await start();
    const old = addGrant(standIn, app.org, { grantedDaysAgo: 100, lastUsedDaysAgo: 50 });
    const neverOld = addGrant(standIn, app.org, { grantedDaysAgo: 100, lastUsedDaysAgo: null });
    addGrant(standIn, app.org, { grantedDaysAgo: 100, lastUsedDaysAgo: 1 });
    addGrant(standIn, app.org, { grantedDaysAgo: 1, lastUsedDaysAgo: null });
    const date = new Date(Date.now() - 20 * 86_400_000).toISOString().slice(0, 10);
    const { ids, report } = await dryRun({ lastUsedBefore: date });
    expect(ids).toEqual(sorted(old, neverOld));
    expect(report.matches.find((m) => m.grantId === neverOld)!.why[0]).toMatch(/^never used, granted/);
  });

  test("--name-contains ignores case; filters combine with AND", async () => {
    await start();
    const both = addGrant(standIn, app.org, { owner: "leaver", tokenName: "Deploy-Bot" });
    addGrant(standIn, app.org, { owner: "leaver", tokenName: "laptop" });
    addGrant(standIn, app.org, { owner: "stayer", tokenName: "deploy" });
    expect((await dryRun({ nameContains: "deploy" })).ids.length).toBe(2);
    const { ids, report } = await dryRun({ owner: ["leaver"], nameContains: "deploy" });
    expect(ids).toEqual([both]);
    expect(report.matches[0].why).toEqual(["owner leaver", 'name contains "deploy"']);
  });

  test("fails when no filter is given, and names every bad filter at once", async () => {
    expect(() => parseRevokeFilter({})).toThrow("give at least one filter");
    expect(() =>
      parseRevokeFilter({ tokenId: ["x"], permission: ["nonsense:write", "contents:owner"], lastUsedBefore: "yesterday" }),
    ).toThrow(
      /--token-id "x": must be a token id[\s\S]*--permission "nonsense:write": "nonsense" is no fine-grained token permission[\s\S]*--permission "contents:owner": level must be one of read, write, admin[\s\S]*--last-used-before "yesterday"/,
    );
  });

  test("--apply against a 502 after the write: 150 tokens, two bulk calls, each token revoked exactly once", async () => {
    // GIVEN 150 matching tokens and a first revoke call whose answer is lost after GitHub applied it
    await start();
    const ids = Array.from({ length: 150 }, () => addGrant(standIn, app.org, { owner: "leaver" }));
    addGrant(standIn, app.org, { owner: "stayer" });
    standIn.inject({ operation: REVOKE, kind: "502-after" });
    // WHEN they are revoked
    const io = captureIO(env());
    const report = await revoke({ org: "acme-corp", config, owner: ["leaver"], apply: true }, io);
    // THEN every one is revoked once: the lost answer was re-read, never sent again
    const revoked = standIn.orgs.get("acme-corp")!.revocations.flat();
    expect(revoked.sort((a, b) => a - b)).toEqual(sorted(...ids));
    expect(new Set(revoked).size).toBe(150);
    expect(standIn.callsOf(REVOKE).every((c) => (c.body as { pat_ids: number[] }).pat_ids.length <= 100)).toBe(true);
    expect(report.matches.filter((m) => m.outcome === "already-decided")).toHaveLength(100);
    expect(report.matches.filter((m) => m.outcome === "applied")).toHaveLength(50);
    expect(app.org.grants.size).toBe(1);
    expect(io.out()).toContain("50 revoked, 100 already gone.");
  });

  test("--evidence-out keeps who, when, the filters, every token and GitHub's answers", async () => {
    await start();
    const a = addGrant(standIn, app.org, { owner: "leaver" });
    const file = join(tempDir("evidence-"), "revoke.json");
    await revoke({ org: "acme-corp", config, owner: ["leaver"], apply: true, evidenceOut: file }, captureIO(env()));
    const evidence = JSON.parse(readFileSync(file, "utf8"));
    expect(evidence).toMatchObject({
      org: "acme-corp",
      applied: true,
      ranBy: { actor: "security-lead" },
      filter: { owners: ["leaver"] },
      matches: [{ grantId: a, owner: "leaver", outcome: "applied" }],
      githubAnswers: [{ request: "POST /orgs/acme-corp/personal-access-tokens", status: 202 }],
    });
    expect(Date.parse(evidence.startedAt)).toBeLessThanOrEqual(Date.parse(evidence.finishedAt));
    expect(JSON.stringify(evidence)).not.toContain(app.token);
  });

  test("fails when the grants cannot be listed: nothing revoked, exit 1, and the evidence says why", async () => {
    // GIVEN a listing GitHub keeps refusing
    await start();
    addGrant(standIn, app.org, { owner: "leaver" });
    app.org.installation!.permissions.organization_personal_access_tokens = "none" as never;
    const file = join(tempDir("evidence-"), "revoke.json");
    // WHEN revoke --apply runs
    const io = captureIO(env());
    const code = await run(
      ["revoke", "--org", "acme-corp", "--config", config, "--owner", "leaver", "--apply", "--evidence-out", file],
      io,
    );
    // THEN it fails, revokes nothing, and the evidence records the failure
    expect(code).toBe(1);
    expect(app.org.grants.size).toBe(1);
    expect(standIn.callsOf(REVOKE)).toHaveLength(0);
    const evidence = JSON.parse(readFileSync(file, "utf8"));
    expect(evidence).toMatchObject({ applied: true, matches: [], failure: expect.stringContaining("403") });
  });

  test("fails when --evidence-out is a symbolic link, before any call", async () => {
    await start();
    addGrant(standIn, app.org, { owner: "leaver" });
    const dir = tempDir("evidence-");
    const target = join(dir, "elsewhere");
    writeFileSync(target, "keep");
    symlinkSync(target, join(dir, "link.json"));
    const io = captureIO(env());
    const code = await run(
      ["revoke", "--org", "acme-corp", "--config", config, "--owner", "leaver", "--apply", "--evidence-out", join(dir, "link.json")],
      io,
    );
    expect(code).toBe(2);
    expect(io.err()).toContain("it is a symbolic link, which is not followed");
    expect(readFileSync(target, "utf8")).toBe("keep");
    expect(standIn.calls).toHaveLength(0);
  });

  test("fails when the evidence cannot be written after the run, naming --evidence-out (exit 2)", async () => {
    // GIVEN an --evidence-out name longer than the file system takes: new, so the check before the calls passes
    await start();
    addGrant(standIn, app.org, { owner: "leaver" });
    const file = join(tempDir("evidence-"), "e".repeat(300));
    const io = captureIO(env());
    // WHEN a dry run ends and writes its evidence
    const code = await run(["revoke", "--org", "acme-corp", "--config", config, "--owner", "leaver", "--evidence-out", file], io);
    // THEN the write's refusal names the option the file came from
    expect(code).toBe(2);
    expect(io.err()).toBe(
      `error: --evidence-out ${file}: it cannot be written (ENAMETOOLONG); give a file path in an existing directory\n`,
    );
  });

  test("--classic on Enterprise Cloud with SAML SSO revokes the owners' classic tokens by credential type", async () => {
    await start("ghec");
    app.org.installation!.permissions.organization_administration = "write";
    app.org.credentialAuthorizations = [];
    addGrant(standIn, app.org, { owner: "leaver" });
    const io = captureIO(env());
    const report = await revoke({ org: "acme-corp", config, owner: ["leaver"], classic: true, apply: true }, io);
    expect(report.classic).toMatchObject({ kind: "revoked", scope: ["leaver"] });
    expect(app.org.credentialTypeRevocations).toEqual([{ username: "leaver", credentialType: "classic_pat" }]);
    expect(io.out()).toContain("SSO authorizations of classic tokens of leaver revoked");
  });

  test("--classic where GitHub has no such API says it cannot, and still revokes the fine-grained tokens", async () => {
    await start();
    addGrant(standIn, app.org, { owner: "leaver" });
    const io = captureIO(env());
    const report = await revoke({ org: "acme-corp", config, owner: ["leaver"], classic: true, apply: true }, io);
    expect(report.classic?.kind).toBe("cannot");
    expect(io.out()).toContain("Classic tokens: cannot be revoked here");
    expect(app.org.grants.size).toBe(0);
  });

  test("fails when --classic is combined with a filter GitHub cannot apply to classic tokens", async () => {
    await start();
    const io = captureIO(env());
    expect(await run(["revoke", "--org", "acme-corp", "--config", config, "--permission", "contents", "--classic"], io)).toBe(2);
    expect(io.err()).toContain("only --owner narrows it; drop --permission");
  });

  test("--json prints the report", async () => {
    await start();
    const a = addGrant(standIn, app.org, { owner: "leaver" });
    const io = captureIO(env());
    expect(await run(["revoke", "--org", "acme-corp", "--config", config, "--owner", "leaver", "--json"], io)).toBe(0);
    expect(JSON.parse(io.out())).toMatchObject({ applied: false, matches: [{ grantId: a, why: ["owner leaver"] }] });
  });
});
