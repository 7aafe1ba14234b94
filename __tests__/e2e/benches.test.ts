import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";

/**
 * Every `npm run bench:*` script runs to the end in its tiny mode (`-- --tiny`, bench/mode.ts):
 * the same code paths as the full bench at a size CI affords, so a bench broken by a change
 * fails here rather than when someone next measures. Figures are not checked: timings belong
 * to the benches, not to tests.
 */
const root = join(__dirname, "..", "..");
const scripts = Object.keys((JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts);
const benches = scripts.filter((s) => s.startsWith("bench:"));

describe("benches in tiny mode", () => {
  test("package.json has the benches this file runs", () => {
    expect(benches).toEqual(
      expect.arrayContaining([
        "bench:synth",
        "bench:review",
        "bench:verify",
        "bench:report-live",
        "bench:serve",
        "bench:serve-abuse",
        "bench:plan-calls",
      ]),
    );
  });

  test.each(benches)(
    "%s -- --tiny runs to the end",
    (script) => {
      // GIVEN a bench script WHEN it runs in its tiny mode
      const r = spawnSync("npm", ["run", "-s", script, "--", "--tiny"], {
        cwd: root,
        encoding: "utf8",
        env: { ...process.env, CHECKPOINT_DISABLE: "1" },
        timeout: 150_000,
      });
      // THEN it exits 0 having printed its figures
      expect({ status: r.status, stderr: r.status === 0 ? "" : r.stderr }).toEqual({ status: 0, stderr: "" });
      expect(r.stdout.trim().split("\n").length).toBeGreaterThan(2);
    },
    180_000,
  );
});
