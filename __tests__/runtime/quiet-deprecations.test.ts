import { spawnSync } from "node:child_process";
import { join } from "node:path";

const root = join(__dirname, "..", "..");
const tsNode = join(root, "node_modules", "ts-node", "dist", "bin.js");

/** Runs `code` in a fresh Node (this one) after the CLI's start-up module; returns its stderr. */
function stderrOf(code: string): string {
  const script = `require(${JSON.stringify(join(root, "lib", "runtime", "check-node.ts"))});\n${code}`;
  const r = spawnSync(process.execPath, [tsNode, "--swc", "-e", script], { cwd: root, encoding: "utf8", timeout: 60_000 });
  expect(r.status).toBe(0);
  return r.stderr;
}

describe("silenceDependencyDeprecations (installed at start-up by the CLI and the cdktf app)", () => {
  test("cdktf's util.isArray (DEP0044) reaches no user, on every supported Node", () => {
    // GIVEN the start-up module WHEN util.isArray is called as cdktf calls it, and DEP0044 emitted in each call form
    const stderr = stderrOf(`
      require("node:util").isArray([]);
      process.emitWarning("isArray", "DeprecationWarning", "DEP0044");
      process.emitWarning("isArray", { type: "DeprecationWarning", code: "DEP0044" });
      process.emitWarning(Object.assign(new Error("isArray"), { name: "DeprecationWarning", code: "DEP0044" }));
    `);
    // THEN nothing is printed
    expect(stderr).toBe("");
  });

  test("every other warning is still printed", () => {
    // GIVEN the start-up module WHEN another deprecation and a plain warning are emitted
    const stderr = stderrOf(`
      process.emitWarning("old thing", "DeprecationWarning", "DEP0999");
      process.emitWarning("something odd");
    `);
    // THEN both reach stderr as Node prints them
    expect(stderr).toContain("[DEP0999] DeprecationWarning: old thing");
    expect(stderr).toContain("Warning: something odd");
  });
});
