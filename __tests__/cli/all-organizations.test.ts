/**
 * `--all --json`: one JSON document on stdout and nothing else there, each organization's own
 * JSON object under its login; stderr and the exit code as without --json.
 */
import { run } from "../../cli";
import type { AllOrganizationsJson } from "../../cli/all-organizations";
import { GitHubStandIn } from "../../test-support/github-stand-in/server";
import { threeOrganizations } from "../../test-support/fixtures";
import { captureIO } from "../../test-support/io";

describe("--all --json", () => {
  let standIn: GitHubStandIn;
  let file: string;
  let env: NodeJS.ProcessEnv;
  beforeEach(async () => {
    // GIVEN two organizations with their own Apps, and a third whose App is not installed
    standIn = await GitHubStandIn.start();
    ({ file, env } = threeOrganizations(standIn));
  });
  afterEach(async () => {
    expect(standIn.violations).toEqual([]);
    await standIn.close();
  });

  test("review --all --json prints one JSON document on stdout and nothing else there", async () => {
    const io = captureIO(env);
    // WHEN
    const code = await run(["review", "--all", "--json", "--config", file, "--concurrency", "2"], io);
    // THEN stdout parses whole, in config order, each organization with its own object or its error
    const document = JSON.parse(io.out()) as AllOrganizationsJson;
    expect(document.organizations.map((o) => o.login)).toEqual(["acme-corp", "acme-labs", "acme-ops"]);
    const [corp, labs, ops] = document.organizations;
    expect(corp).toEqual(
      expect.objectContaining({ result: "ok", exitCode: 0, output: expect.objectContaining({ org: "acme-corp", decisions: [] }) }),
    );
    expect(labs).toEqual(expect.objectContaining({ result: "ok", exitCode: 0, output: expect.objectContaining({ org: "acme-labs" }) }));
    expect(ops).toEqual(
      expect.objectContaining({
        result: "failed",
        exitCode: 1,
        output: null,
        error: expect.stringMatching(/^finding the App's installation on acme-ops/),
      }),
    );
    expect([document.ok, document.notOk]).toEqual([2, 1]);
    // AND the exit code is the worst of them, as without --json; the error stays on stderr
    expect(code).toBe(1);
    expect(io.err()).toMatch(/^acme-ops: error: finding the App's installation on acme-ops/m);
  });

  test("verify --all --json: drift is in the document and in the exit code", async () => {
    const io = captureIO(env);
    // WHEN
    const code = await run(["verify", "--all", "--json", "--config", file], io);
    // THEN one document; the organization without an installation is drift (exit 3), as without --json
    const document = JSON.parse(io.out()) as AllOrganizationsJson;
    expect(document.organizations.map((o) => [o.login, (o.output as { org?: string } | null)?.org])).toEqual([
      ["acme-corp", "acme-corp"],
      ["acme-labs", "acme-labs"],
      ["acme-ops", "acme-ops"],
    ]);
    expect(document.organizations[2]).toEqual(expect.objectContaining({ result: "drift", exitCode: 3 }));
    expect(code).toBe(3);
  });
});
