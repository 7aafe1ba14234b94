/**
 * No dependency's install script runs on `npm ci`: npm 11 reads `allowScripts` in package.json,
 * npm 10 (the npm Node 22 ships) does not, and reads `ignore-scripts` in the project's `.npmrc`.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";

const root = join(__dirname, "..", "..");

/** The settings of an npmrc file: `key=value` lines, comments and blank lines skipped. */
function npmrc(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split("\n")) {
    const t = line.trim();
    if (!t || t.startsWith("#") || t.startsWith(";")) continue;
    const eq = t.indexOf("=");
    out.set(t.slice(0, eq).trim(), t.slice(eq + 1).trim());
  }
  return out;
}

describe("install scripts", () => {
  test("the project's .npmrc turns them off, for npm 10 as for npm 11", () => {
    expect(npmrc(readFileSync(join(root, ".npmrc"), "utf8")).get("ignore-scripts")).toBe("true");
  });

  test("every dependency of the lockfile that has one is also denied by allowScripts (npm 11)", () => {
    // GIVEN the lockfile's packages with an install script
    const lock = JSON.parse(readFileSync(join(root, "package-lock.json"), "utf8")) as {
      packages: Record<string, { hasInstallScript?: boolean }>;
    };
    const withScript = Object.entries(lock.packages)
      .filter(([, p]) => p.hasInstallScript)
      .map(([path]) => path.replace(/^.*node_modules\//, ""));
    // THEN package.json's allowScripts names each one, denied
    const allow = (JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { allowScripts: Record<string, boolean> }).allowScripts;
    expect(withScript.length).toBeGreaterThan(0);
    for (const name of withScript) expect([name, allow[name]]).toEqual([name, false]);
  });
});
