/**
 * The commands CONTRIBUTING.md gives for running one test, or a few, run tests as written.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

const root = join(__dirname, "..", "..");

describe("CONTRIBUTING.md", () => {
  const text = readFileSync(join(root, "CONTRIBUTING.md"), "utf8");
  const commands = [...text.matchAll(/^npx jest (\S+)(?: -t "([^"]+)")?/gm)].map((m) => ({ file: m[1], pattern: m[2] }));

  test("gives at least one command for one file and one for matching test names", () => {
    expect(commands.length).toBeGreaterThan(0);
    expect(commands.some((c) => c.pattern)).toBe(true);
  });

  test("names test files that exist, and name patterns that match a test in them (else jest runs nothing and passes)", () => {
    for (const { file, pattern } of commands) {
      expect(existsSync(join(root, file))).toBe(true);
      if (pattern) expect(readFileSync(join(root, file), "utf8")).toContain(pattern);
    }
  });
});
