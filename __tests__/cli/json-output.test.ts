/**
 * `--json` on every command that prints results: stdout holds one JSON document and nothing
 * else, for one organization and with `--all`, a failing run included (`{ error, exitCode }`);
 * the exit codes and stderr are those of the run without --json. `lock` is covered in
 * __tests__/deploy/lock.test.ts (it needs Terraform), `create-app` and `plan-guard` in their own
 * tests, `review --all` and `verify --all` in all-organizations.test.ts.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import { run } from "../../cli";
import type { AllOrganizationsJson } from "../../cli/all-organizations";
import type { ReportJson } from "../../cli/render/report";
import { captureIO } from "../../test-support/io";
import { tempDir } from "../../test-support/temp";

const example = join(__dirname, "..", "..", "token-policy.yaml");

/** Runs the CLI; returns its exit code, stdout parsed as JSON (it fails the test when it is not JSON) and stderr. */
async function runJson(argv: string[]): Promise<{ code: number; json: any; err: string }> {
  const io = captureIO({});
  const code = await run(argv, io);
  return { code, json: JSON.parse(io.out()), err: io.err() };
}

describe("guide --json", () => {
  test("prints the organization and its guide's Markdown as one JSON object", async () => {
    // WHEN
    const { code, json } = await runJson(["guide", "--org", "acme-corp", "--config", example, "--json"]);
    // THEN the Markdown is the guide printed without --json
    const plain = captureIO({});
    await run(["guide", "--org", "acme-corp", "--config", example], plain);
    expect(code).toBe(0);
    expect(json).toEqual({ org: "acme-corp", markdown: plain.out(), file: null });
  });

  test("names the --out file it also wrote", async () => {
    const out = join(tempDir("guide-json-"), "TOKENS.md");
    const { json } = await runJson(["guide", "--org", "acme-corp", "--config", example, "--json", "--out", out]);
    expect(json.file).toBe(out);
    expect(readFileSync(out, "utf8")).toBe(json.markdown);
  });

  test("--all --json: one document, each organization's guide under its login", async () => {
    // WHEN
    const { code, json } = await runJson(["guide", "--all", "--config", example, "--json"]);
    // THEN
    const document = json as AllOrganizationsJson;
    expect(code).toBe(0);
    expect(document.organizations.map((o) => [o.login, o.result, (o.output as { org: string }).org])).toEqual([
      ["acme-corp", "ok", "acme-corp"],
      ["acme-labs", "ok", "acme-labs"],
    ]);
    expect((document.organizations[1].output as { markdown: string }).markdown).toMatch(/acme-labs/);
    expect([document.ok, document.notOk]).toEqual([2, 0]);
  });

  test("fails when --all is given with --out: exit 2, the error as JSON on stdout", async () => {
    const { code, json, err } = await runJson(["guide", "--all", "--config", example, "--json", "--out", "x.md"]);
    expect(code).toBe(2);
    expect(json).toEqual({ error: "guide: --out writes one organization's guide: give --org LOGIN, not --all", exitCode: 2 });
    expect(err).toBe("error: guide: --out writes one organization's guide: give --org LOGIN, not --all\n");
  });
});

describe("report --json", () => {
  /** The example with acme-labs's maximum lifetime raised from 30 to 100 days: a change that widens access. */
  function raisedLifetime(): string {
    const c = parse(readFileSync(example, "utf8"));
    c.organizations[1].patPolicy.maxLifetimeDays = 100;
    const file = join(tempDir("report-json-"), "token-policy.yaml");
    writeFileSync(file, stringify(c));
    return file;
  }

  test("with a base: each change with its organization and risk, and the Markdown report", async () => {
    // GIVEN a pull request's config that raises acme-labs's lifetime
    const head = raisedLifetime();
    // WHEN the report compares it with the example as JSON
    const { code, json } = await runJson(["report", "--config", head, "--base-file", example, "--json"]);
    // THEN
    const document = json as ReportJson;
    expect(code).toBe(0);
    expect(document.organizations).toEqual(["acme-corp", "acme-labs"]);
    expect(document.base).toMatch(/token-policy\.yaml$/);
    expect(document.changes).toContainEqual(
      expect.objectContaining({ org: "acme-labs", risk: "high", text: expect.stringContaining("100") }),
    );
    expect(document.markdown).toMatch(/^# Token policy: acme-corp, acme-labs\n/);
    expect(document.live).toEqual([]);
  });

  test("--all is every organization, as without --org; without a base, changes is null", async () => {
    const all = await runJson(["report", "--all", "--config", example, "--json"]);
    const plain = await runJson(["report", "--config", example, "--json"]);
    expect(all.json).toEqual(plain.json);
    expect(all.json.changes).toBeNull();
  });

  test("--org: only that organization", async () => {
    const { json } = await runJson(["report", "--org", "acme-labs", "--config", example, "--json"]);
    expect(json.organizations).toEqual(["acme-labs"]);
  });

  test.each([
    [["--org", "acme-corp", "--all"], "report: --org and --all cannot go together"],
    [["--live"], "--live compares the base's rules with the head's: give --base-ref REF or --base-file FILE"],
  ])("fails when %j: exit 2, the error as JSON on stdout", async (flags, message) => {
    const { code, json } = await runJson(["report", "--config", example, "--json", ...flags]);
    expect(code).toBe(2);
    expect(json).toEqual({ error: message, exitCode: 2 });
  });
});

describe("orgs --json", () => {
  test("--all is every organization, as without --org: the same matrix", async () => {
    const all = await runJson(["orgs", "--all", "--config", example, "--json"]);
    const plain = await runJson(["orgs", "--config", example, "--json"]);
    expect(all.code).toBe(0);
    expect(all.json).toEqual(plain.json);
    expect((all.json as { login: string }[]).map((o) => o.login)).toEqual(["acme-corp", "acme-labs"]);
  });

  test("fails when --export-inputs is asked for as JSON: exit 2, the error as JSON, no TF_VAR_ line", async () => {
    const { code, json } = await runJson(["orgs", "--org", "acme-corp", "--export-inputs", "--config", example, "--json"]);
    expect(code).toBe(2);
    expect(json).toEqual({
      error: "--export-inputs prints $GITHUB_ENV lines, not JSON: drop --json (orgs --json is the matrix)",
      exitCode: 2,
    });
  });
});

describe("a failing run with --json", () => {
  // Every command that prints results, run for an organization the config does not have.
  test.each([
    ["review", "--org"],
    ["verify", "--org"],
    ["install", "--org"],
    ["seal", "--org"],
    ["revoke", "--org"],
    ["guide", "--org"],
    ["create-app", "--org"],
    ["orgs", "--org"],
    ["report", "--org"],
    ["lock", "--org"],
    ["plan-guard", "--base-file"],
    ["member octocat", "--org"],
  ])("%s: exit 2, the error as the one JSON document on stdout and as a line on stderr", async (command, flag) => {
    // GIVEN a config without acme-ops (or, for plan-guard, a base file that does not exist)
    const args = flag === "--base-file" ? ["--org", "acme-ops", "--base-file", join(tempDir("missing-"), "base.yaml")] : [flag, "acme-ops"];
    // WHEN
    const { code, json, err } = await runJson([...command.split(" "), ...args, "--config", example, "--json"]);
    // THEN
    expect(code).toBe(2);
    expect(json).toEqual({ error: expect.any(String), exitCode: 2 });
    expect(err).toBe(`error: ${json.error}\n`);
  });

  test("a command line commander refuses: exit 2, its message as JSON", async () => {
    const { code, json } = await runJson(["verify", "--org", "acme-corp", "--json", "--no-such-flag"]);
    expect(code).toBe(2);
    expect(json).toEqual({ error: "unknown option '--no-such-flag'", exitCode: 2 });
  });

  test("--all --json with a config that does not load: exit 2, one JSON document", async () => {
    const { code, json } = await runJson(["review", "--all", "--json", "--config", join(tempDir("missing-"), "token-policy.yaml")]);
    expect(code).toBe(2);
    expect(json).toEqual({ error: expect.stringContaining("token-policy.yaml"), exitCode: 2 });
  });

  test("without --json a failure prints nothing on stdout", async () => {
    const io = captureIO({});
    expect(await run(["guide", "--org", "acme-ops", "--config", example], io)).toBe(2);
    expect(io.out()).toBe("");
  });
});
