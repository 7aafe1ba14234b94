/**
 * The API reference in docs/api is generated from the JSDoc by `npm run docs:api` (typedoc with
 * the Markdown plugin). It is committed so that it can be read on GitHub and reviewed in pull
 * requests; this test regenerates it into a temporary folder and fails when the committed copy is
 * stale, the way the JSON Schema and the permission catalogue are checked.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { readTree } from "../helpers/files";

const root = join(__dirname, "..", "..");
const committed = join(root, "docs", "api");

describe("docs/api", () => {
  let fresh: Map<string, string>;

  beforeAll(() => {
    const out = mkdtempSync(join(tmpdir(), "api-docs-"));
    try {
      execFileSync(process.execPath, [join(dirname(require.resolve("typedoc/package.json")), "bin", "typedoc"), "--out", out], { cwd: root, stdio: "pipe" });
      fresh = readTree(out);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 120_000);

  test("is what npm run docs:api writes today (run it and commit docs/api when this fails)", () => {
    const old = readTree(committed);
    const want = [...fresh.keys()];
    expect([...old.keys()]).toEqual(want);
    const stale = want.filter((f) => old.get(f)!.replace(/\r\n/g, "\n") !== fresh.get(f)); // a Windows checkout
    expect(stale).toEqual([]);
  });

  test("documents every construct and its props, with their defaults", () => {
    const index = fresh.get("README.md")!;
    for (const name of ["OrganizationStack", "OrgTokenPolicy", "PatPolicy", "GitHubApp", "AppCredentials", "MemberGuide", "PolicyChecks"]) {
      expect(index).toContain(`[${name}](classes/${name}.md)`);
    }
    const props = fresh.get("interfaces/OrgTokenPolicyProps.md")!;
    expect(props).toMatch(/`githubUrl\?`.*\*\*Default\*\* `"https:\/\/github\.com"`/);
    expect(props).toContain("Config reference");
  });

  test("holds no machine paths and no inherited cdktf members (the same on cdktf and cdktn)", () => {
    for (const [f, text] of fresh) {
      expect({ f, home: text.includes(root) || text.includes("node_modules") }).toEqual({ f, home: false });
    }
    const stack = fresh.get("classes/OrganizationStack.md")!;
    expect(stack).not.toMatch(/Inherited from/);
  });
});
