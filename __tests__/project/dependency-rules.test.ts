/**
 * The layer rules of `.dependency-cruiser.cjs` (docs/ARCHITECTURE.md): each one reported by name
 * for a small tree that breaks it, and the project's own tree breaking none.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { tempDir } from "../../test-support/temp";

const root = join(__dirname, "..", "..");
const config = join(root, ".dependency-cruiser.cjs");
const depcruise = join(root, "node_modules", "dependency-cruiser", "bin", "dependency-cruise.mjs");

interface Violation {
  readonly from: string;
  readonly to: string;
  readonly rule: { readonly name: string };
}

/** Runs depcruise with the project's config over `paths` in `cwd`; the violations it reports. */
function cruise(cwd: string, paths: readonly string[]): Violation[] {
  const run = spawnSync(process.execPath, [depcruise, ...paths, "--config", config, "--output-type", "json"], { cwd, encoding: "utf8" });
  if (!run.stdout) throw new Error(`depcruise printed nothing (exit ${run.status}): ${run.stderr}`);
  return (JSON.parse(run.stdout) as { summary: { violations: Violation[] } }).summary.violations;
}

/** Writes `files` (path → content) under `dir`. */
function writeTree(dir: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
}

describe("dependency rules", () => {
  let dir: string;
  let violations: Violation[];

  beforeAll(() => {
    // GIVEN a tree that breaks each rule once, with a stand-in cdktf package
    dir = tempDir("dependency-rules-");
    writeTree(dir, {
      "tsconfig.json": JSON.stringify({ compilerOptions: { module: "nodenext", moduleResolution: "nodenext", strict: true } }),
      "node_modules/cdktf/package.json": JSON.stringify({ name: "cdktf", version: "0.0.0", main: "index.js" }),
      "node_modules/cdktf/index.js": "exports.App = class {};\n",
      "lib/constructs/y.ts": "export const y = 1;\n",
      "lib/review/x.ts": 'import { y } from "../constructs/y";\nexport const x = y;\n',
      "lib/report/a.ts": 'import { b } from "./b";\nexport const a = () => b;\n',
      "lib/report/b.ts": 'import { a } from "./a";\nexport const b = () => a;\n',
      "lib/model/m.ts": 'import { readFileSync } from "node:fs";\nexport const m = readFileSync;\n',
      "lib/constructs/c.ts": 'import { x } from "../review/x";\nexport const c = x;\n',
      "lib/l.ts": 'import { z } from "../cli/z";\nexport const l = z;\n',
      "cli/z.ts": "export const z = 1;\n",
      "lib/config/k.ts": 'import { App } from "cdktf";\nexport const k = App;\n',
      "cli/commands/report.ts": 'import { k } from "../../lib/config/k";\nexport const report = k;\n',
      "cli/commands/serve.ts": 'import { k } from "../../lib/config/k";\nexport const serve = k;\n',
    });
    // WHEN depcruise checks it with the project's rules
    violations = cruise(dir, ["lib", "cli"]);
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const reported = (rule: string) => violations.filter((v) => v.rule.name === rule).map((v) => `${v.from} → ${v.to}`);

  test("fails when an engine imports a construct", () => {
    expect(reported("engines-never-import-constructs")).toContain("lib/review/x.ts → lib/constructs/y.ts");
  });

  test("fails when two modules import each other", () => {
    // depcruise names a cycle once, from the first of its modules it meets
    expect(reported("no-cycles")).toEqual([expect.stringMatching(/^lib\/report\/(a\.ts → lib\/report\/b|b\.ts → lib\/report\/a)\.ts$/)]);
  });

  test("fails when the model reads files", () => {
    expect(reported("model-is-pure")).toContain("lib/model/m.ts → fs");
  });

  test("fails when a construct imports an engine", () => {
    expect(reported("constructs-import-only-model-config-catalogue-naming")).toContain("lib/constructs/c.ts → lib/review/x.ts");
  });

  test("fails when lib imports cli", () => {
    expect(reported("lib-never-imports-cli")).toContain("lib/l.ts → cli/z.ts");
  });

  test("fails when a pure module imports cdktf", () => {
    expect(reported("engines-never-import-constructs")).toContain("lib/config/k.ts → node_modules/cdktf/index.js");
  });

  test("fails when report or serve reaches cdktf through another module", () => {
    expect(reported("report-runs-without-cdktf")).toContain("cli/commands/report.ts → node_modules/cdktf/index.js");
    expect(reported("serve-runs-without-cdktf")).toContain("cli/commands/serve.ts → node_modules/cdktf/index.js");
  });

  test("the project's own tree breaks no rule", () => {
    // WHEN depcruise checks lib, cli and main.ts as `npm run lint:deps` does
    const found = cruise(root, ["lib", "cli", "main.ts"]);
    // THEN it reports nothing
    expect(found.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`)).toEqual([]);
  });
});
