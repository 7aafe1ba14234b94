/**
 * The package's entry point (lib/index.ts) exports by name what consumers need and nothing else.
 * The whole surface, with every signature, is the committed API report (`npm run api:check`);
 * this test guards the form of the entry point and the names the README's examples import.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as api from "../lib";

const root = join(__dirname, "..");

describe("lib/index.ts", () => {
  test("exports by name only: no `export *`, which would publish every internal of a module", () => {
    const source = readFileSync(join(root, "lib", "index.ts"), "utf8");
    expect(source).not.toMatch(/^\s*export\s+\*/m);
  });

  test("exports every name the README's examples import from the package", () => {
    const readme = readFileSync(join(root, "README.md"), "utf8");
    const imported = [...readme.matchAll(/^import \{([^}]+)\} from "github-token-policy";$/gm)].flatMap((m) =>
      m[1].split(",").map((name) => name.trim()),
    );
    expect(imported.length).toBeGreaterThan(0);
    expect(imported.filter((name) => !(name in api))).toEqual([]);
  });

  test("keeps the engines' internals out: review's steps, the evaluator's helpers, the zod schemas", () => {
    for (const name of [
      "decidePending",
      "applyReviews",
      "listAccess",
      "ruleHolds",
      "OTHERWISE_RULE",
      "organizationSchema",
      "deepMerge",
      "inputChecksOf",
    ]) {
      expect({ name, exported: name in api }).toEqual({ name, exported: false });
    }
  });
});
