/**
 * The API reference in docs/api is generated from the JSDoc by `npm run docs:api` (typedoc with
 * the Markdown plugin). It is committed so that it can be read on GitHub and reviewed in pull
 * requests; this test regenerates it into a temporary folder and fails when the committed copy is
 * stale, the way the JSON Schema and the permission catalogue are checked.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";

const root = join(__dirname, "..", "..");
const committed = join(root, "docs", "api");

function files(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const full = join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else out.push(relative(dir, full).split("\\").join("/"));
    }
  };
  walk(dir);
  return out;
}

describe("docs/api", () => {
  let fresh: string;

  beforeAll(() => {
    fresh = mkdtempSync(join(tmpdir(), "api-docs-"));
    execFileSync(process.execPath, [join(dirname(require.resolve("typedoc/package.json")), "bin", "typedoc"), "--out", fresh], { cwd: root, stdio: "pipe" });
  }, 120_000);

  afterAll(() => rmSync(fresh, { recursive: true, force: true }));

  test("is what npm run docs:api writes today (run it and commit docs/api when this fails)", () => {
    const want = files(fresh);
    expect(files(committed)).toEqual(want);
    const read = (dir: string, f: string): string => readFileSync(join(dir, f), "utf8").replace(/\r\n/g, "\n"); // a Windows checkout
    const stale = want.filter((f) => read(committed, f) !== read(fresh, f));
    expect(stale).toEqual([]);
  });

  test("documents every construct and its props, with their defaults", () => {
    const index = readFileSync(join(fresh, "README.md"), "utf8");
    for (const name of ["OrganizationStack", "OrgTokenPolicy", "PatPolicy", "GitHubApp", "AppCredentials", "MemberGuide", "PolicyChecks"]) {
      expect(index).toContain(`[${name}](classes/${name}.md)`);
    }
    const props = readFileSync(join(fresh, "interfaces", "OrgTokenPolicyProps.md"), "utf8");
    expect(props).toMatch(/`githubUrl\?`.*\*\*Default\*\* `"https:\/\/github\.com"`/);
    expect(props).toContain("Config reference");
  });

  test("holds no machine paths and no inherited cdktf members (the same on cdktf and cdktn)", () => {
    for (const f of files(fresh)) {
      const text = readFileSync(join(fresh, f), "utf8");
      expect({ f, home: text.includes(root) || text.includes("node_modules") }).toEqual({ f, home: false });
    }
    const stack = readFileSync(join(fresh, "classes", "OrganizationStack.md"), "utf8");
    expect(stack).not.toMatch(/Inherited from/);
  });
});
