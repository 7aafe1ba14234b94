/**
 * scripts/run-ts.cjs, the launcher of `npm run synth`, `npm run cli` and cdktf.json's app: it runs
 * the sources compiled once per version, as ts-node would have run them.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { create } from "ts-node";
import { readTree } from "../../test-support/files";
import { tempDir } from "../../test-support/temp";

const root = join(__dirname, "..", "..");
const script = join(root, "scripts", "run-ts.cjs");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const runTs = require(script) as {
  compiledFolder(root: string, cacheRoot: string): string;
  sourceFiles(root: string): string[];
};

/** A source without its source-map comment. */
const code = (text: string) => text.replace(/\n\/\/# sourceMappingURL=\S+\s*$/, "").trimEnd();

/** A small project: package.json, main.ts printing what lib/ gives, a JSON file it reads. */
function project(): string {
  const dir = tempDir("run-ts-project-");
  mkdirSync(join(dir, "lib"));
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "p", version: "1.0.0" }));
  writeFileSync(join(dir, "lib", "data.json"), JSON.stringify({ word: "hello" }));
  writeFileSync(
    join(dir, "lib", "greet.ts"),
    `import data from "./data.json";\nexport const greet = (who: string): string => \`\${data.word} \${who}\`;\n`,
  );
  writeFileSync(join(dir, "main.ts"), `import { greet } from "./lib/greet";\nprocess.stdout.write(greet(process.argv[2] ?? "nobody"));\n`);
  return dir;
}

describe("run-ts", () => {
  test("compiles every source as ts-node --swc does, with the project's tsconfig", () => {
    // GIVEN this checkout's sources, compiled into a cache of the test's own
    const folder = runTs.compiledFolder(root, tempDir("run-ts-cache-"));
    const service = create({ swc: true, project: join(root, "tsconfig.json") });
    const sources = runTs.sourceFiles(root).filter((f) => f.endsWith(".ts"));
    expect(sources).toEqual(expect.arrayContaining(["main.ts", "cli/index.ts", "lib/index.ts"]));
    // THEN each file's JavaScript is what ts-node would have run
    for (const rel of sources) {
      const source = join(root, rel);
      const expected = code(service.compile(readFileSync(source, "utf8"), source));
      expect({ rel, code: code(readFileSync(join(folder, rel.replace(/\.ts$/, ".js")), "utf8")) }).toEqual({ rel, code: expected });
    }
  });

  test("compiles once per version of the sources, and again after a change", () => {
    // GIVEN a project and an empty cache
    const dir = project();
    const cache = tempDir("run-ts-cache-");
    // WHEN it is compiled twice
    const first = runTs.compiledFolder(dir, cache);
    const written = statSync(join(first, "main.js")).mtimeMs;
    const again = runTs.compiledFolder(dir, cache);
    // THEN the second finds the first's folder, untouched
    expect(again).toBe(first);
    expect(statSync(join(first, "main.js")).mtimeMs).toBe(written);
    expect(readFileSync(join(first, "lib", "data.json"), "utf8")).toBe(JSON.stringify({ word: "hello" }));
    // WHEN a JSON file changes THEN a new folder holds the new version; the old one is kept
    writeFileSync(join(dir, "lib", "data.json"), JSON.stringify({ word: "hi" }));
    const changed = runTs.compiledFolder(dir, cache);
    expect(changed).not.toBe(first);
    expect(readFileSync(join(changed, "lib", "data.json"), "utf8")).toBe(JSON.stringify({ word: "hi" }));
    expect(existsSync(join(first, "main.js"))).toBe(true);
    // and nothing half-made is left
    expect(readdirSync(cache).filter((n) => n.startsWith("."))).toEqual([]);
  });

  test("replaces a folder of the same version that an interrupted removal left without its marker", () => {
    // GIVEN a compiled folder whose marker and a module are gone (a removal cut short)
    const dir = project();
    const cache = tempDir("run-ts-cache-");
    const folder = runTs.compiledFolder(dir, cache);
    rmSync(join(folder, ".complete"));
    rmSync(join(folder, "lib", "greet.js"));
    // WHEN the same version is asked for
    const again = runTs.compiledFolder(dir, cache);
    // THEN the folder is whole again under the same name, and nothing else is left
    expect(again).toBe(folder);
    expect(existsSync(join(folder, "lib", "greet.js"))).toBe(true);
    expect(readdirSync(cache)).toEqual([folder.split(/[\\/]/).pop()]);
  });

  test("compiles again a version whose file the disk lost (empty after a power cut)", () => {
    // GIVEN a compiled folder with its marker, and one module emptied
    const dir = project();
    const cache = tempDir("run-ts-cache-");
    const folder = runTs.compiledFolder(dir, cache);
    const whole = readFileSync(join(folder, "lib", "greet.js"), "utf8");
    writeFileSync(join(folder, "lib", "greet.js"), "");
    // WHEN the same version is asked for THEN the module is whole again, under the same name
    expect(runTs.compiledFolder(dir, cache)).toBe(folder);
    expect(readFileSync(join(folder, "lib", "greet.js"), "utf8")).toBe(whole);
    expect(readdirSync(cache)).toEqual([folder.split(/[\\/]/).pop()]);
  });

  // Windows makes links only with a privilege most accounts lack.
  (process.platform === "win32" ? test.skip : test)(
    "fails when a source is a symbolic link, naming it (the launcher then runs through ts-node)",
    () => {
      // GIVEN a project whose lib/ holds a link
      const dir = project();
      symlinkSync(join(dir, "lib", "greet.ts"), join(dir, "lib", "linked.ts"));
      // WHEN it is compiled THEN the link is refused by name and nothing is written
      const cache = tempDir("run-ts-cache-");
      expect(() => runTs.compiledFolder(dir, cache)).toThrow("lib/linked.ts is a symbolic link, which the compiled copy cannot follow");
      expect(readdirSync(cache)).toEqual([]);
    },
  );

  test("fails when a source does not compile, leaving no folder for that version", () => {
    // GIVEN a project with a syntax error
    const dir = project();
    const cache = tempDir("run-ts-cache-");
    writeFileSync(join(dir, "lib", "broken.ts"), "export const = ;\n");
    // WHEN it is compiled THEN swc's error names the file, and the cache holds nothing
    expect(() => runTs.compiledFolder(dir, cache)).toThrow(/broken\.ts/);
    expect(readdirSync(cache)).toEqual([]);
  });

  test("runs leave one complete folder when several compile the same version at once", async () => {
    // GIVEN a project and an empty cache, WHEN four processes compile it at the same moment
    const dir = project();
    const cache = tempDir("run-ts-cache-");
    const one = () =>
      new Promise<string>((resolve, reject) => {
        const child = spawn(process.execPath, [
          "-e",
          `process.stdout.write(require(${JSON.stringify(script)}).compiledFolder(${JSON.stringify(dir)}, ${JSON.stringify(cache)}))`,
        ]);
        let out = "";
        child.stdout.on("data", (b: Buffer) => (out += b.toString()));
        child.on("error", reject);
        child.on("close", (status) => (status === 0 ? resolve(out) : reject(new Error(`exited ${status}`))));
      });
    const folders = await Promise.all([one(), one(), one(), one()]);
    // THEN each got the same folder, complete, and no staging folder is left
    expect(new Set(folders).size).toBe(1);
    expect(readdirSync(cache)).toEqual([folders[0].split(/[\\/]/).pop()]);
    expect(existsSync(join(folders[0], "lib", "greet.js"))).toBe(true);
  });

  test("runs an entry as the main module with its arguments", () => {
    // GIVEN the CLI, WHEN run through the launcher
    const r = spawnSync(process.execPath, [script, "cli/index.ts", "--version"], { encoding: "utf8" });
    // THEN it ran as the main module (cli/index.ts runs only then), read its arguments, and found
    // its release in the package.json compiled beside it
    expect(r.stderr).toBe("");
    expect(r.stdout.trim()).toBe(`github-token-policy ${JSON.parse(readFileSync(join(root, "package.json"), "utf8")).version}`);
    expect(r.status).toBe(0);
  });

  test("runs the entry through ts-node when the cache cannot be written", () => {
    // GIVEN a cache folder that cannot be made (its parent is a file)
    const blocked = join(tempDir("run-ts-blocked-"), "file");
    writeFileSync(blocked, "");
    // WHEN the CLI is run with it
    const r = spawnSync(
      process.execPath,
      ["-e", `require(${JSON.stringify(script)}).run("cli/index.ts", ["--version"], ${JSON.stringify(join(blocked, "cache"))})`],
      { encoding: "utf8", env: { PATH: process.env.PATH, HOME: process.env.HOME, TOKEN_POLICY_DEBUG: "1" } },
    );
    // THEN it ran all the same, through ts-node, and said why only when asked to debug
    expect(r.stderr).toMatch(/^run-ts: no compiled copy \(ENOTDIR[^\n]*\); running through ts-node\n$/);
    expect(r.stdout.trim()).toMatch(/^github-token-policy \d+\.\d+\.\d+/);
    expect(r.status).toBe(0);
  });

  test("synthesizes the example byte for byte as ts-node did", () => {
    // GIVEN the example config in two folders
    const synth = (command: string[]) => {
      const dir = tempDir("run-ts-synth-");
      writeFileSync(join(dir, "token-policy.yaml"), readFileSync(join(root, "token-policy.yaml")));
      const r = spawnSync(process.execPath, command, {
        cwd: dir,
        encoding: "utf8",
        env: { PATH: process.env.PATH, HOME: process.env.HOME },
      });
      expect(r.status).toBe(0);
      return readTree(join(dir, "cdktf.out"));
    };
    // WHEN each is synthesized, one through the launcher, one through ts-node
    const launched = synth([script, "main.ts"]);
    const tsNode = synth([join(root, "node_modules", "ts-node", "dist", "bin.js"), "--swc", join(root, "main.ts")]);
    // THEN every file is the same
    expect([...launched.keys()].length).toBeGreaterThan(4);
    expect(launched).toEqual(tsNode);
  });

  test("fails when the entry is not a TypeScript source of the checkout", () => {
    const r = spawnSync(process.execPath, [script, "scripts/api-report.mjs"], { encoding: "utf8" });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/run-ts: scripts\/api-report\.mjs is not a TypeScript file of main\.ts, lib, cli, package\.json/);
  });
});
