/**
 * Install scripts stay off with npm 10 (the npm Node 20 and 22 bring, which ignores `allowScripts`)
 * as with the machine's npm (11). The probe: a fixture project whose one dependency, a local
 * tarball (`file:`), has `preinstall`, `install` and `postinstall` scripts that each write a marker
 * file where npm was run. `npm ci` beside a copy of the project's own `.npmrc` writes none; the
 * same `npm ci` without it writes all three, so the check can fail. npm 10 comes from the registry
 * as `.ci/run` gets Node 22 (`npm pack npm@10` into the temporary folder, its `bin/npm-cli.js` run
 * with this machine's node); nothing is cached outside that folder. The fixture's installs read no
 * user or global npm config and reach no registry.
 */
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "../../test-support/temp";

const root = join(__dirname, "..", "..");
const PROBE = "install-script-probe";
const SCRIPTS = ["preinstall", "install", "postinstall"] as const;

/** Writes `ran-<script>` into the folder npm was run in (INIT_CWD), whichever script runs it. */
const MARK = `node -e "require('fs').writeFileSync(require('path').join(process.env.INIT_CWD, 'ran-' + process.env.npm_lifecycle_event), '')"`;

let dir: string;
let project: string;
/** This machine's npm (11 here), named with its version. */
const MACHINE = `npm ${spawnSync("npm", ["--version"], { encoding: "utf8" }).stdout.trim()} (this machine's)`;
/** How to run each npm: the node binary and its CLI script (npm 10's is set once it is unpacked). */
const npms: Record<string, string[]> = { "npm 10": [], [MACHINE]: ["npm"] };

/** An environment with no npm settings but these: no user or global config, the cache in the temporary folder. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^npm_/i.test(k)) env[k] = v;
  writeFileSync(join(dir, "empty-userconfig"), "");
  writeFileSync(join(dir, "empty-globalconfig"), "");
  return {
    ...env,
    HOME: dir,
    npm_config_userconfig: join(dir, "empty-userconfig"),
    npm_config_globalconfig: join(dir, "empty-globalconfig"),
    npm_config_cache: join(dir, "cache"),
    npm_config_update_notifier: "false",
  };
}

function npm(which: string, args: string[], cwd: string): SpawnSyncReturns<string> {
  const [cmd, ...pre] = npms[which];
  return spawnSync(cmd, [...pre, ...args], { cwd, env: cleanEnv(), encoding: "utf8", timeout: 120_000 });
}

function ok(r: SpawnSyncReturns<string>, what: string): string {
  if (r.status !== 0) throw new Error(`${what} failed (${r.status ?? r.signal}): ${r.stderr || r.error}`);
  return r.stdout.trim();
}

const markers = () =>
  readdirSync(project)
    .filter((f) => f.startsWith("ran-"))
    .sort();

/** `npm ci` in the fixture with `which`, from a clean slate; returns the markers it left. */
function ci(which: string): string[] {
  for (const m of markers()) rmSync(join(project, m));
  rmSync(join(project, "node_modules"), { recursive: true, force: true });
  ok(npm(which, ["ci", "--offline", "--no-audit", "--no-fund"], project), `${which} ci`);
  expect(existsSync(join(project, "node_modules", PROBE, "package.json"))).toBe(true);
  return markers();
}

beforeAll(() => {
  dir = tempDir("install-scripts-");
  // npm 10 from the registry, with this machine's npm and its registry settings, cached here only.
  ok(
    spawnSync("npm", ["pack", "npm@10", "--pack-destination", dir, "--cache", join(dir, "cache"), "--silent"], {
      cwd: dir,
      encoding: "utf8",
      timeout: 120_000,
    }),
    "npm pack npm@10 (needs the npm registry)",
  );
  const tarball = readdirSync(dir).find((f) => /^npm-10\.\d+\.\d+\.tgz$/.test(f));
  if (!tarball) throw new Error(`npm pack npm@10 left no npm-10.x.y.tgz in ${dir}`);
  mkdirSync(join(dir, "npm10"));
  ok(spawnSync("tar", ["-xzf", join(dir, tarball), "-C", join(dir, "npm10")], { encoding: "utf8" }), "tar");
  npms["npm 10"] = [process.execPath, join(dir, "npm10", "package", "bin", "npm-cli.js")];

  // The probe, packed into the fixture project as a local tarball.
  const probe = join(dir, "probe");
  project = join(dir, "project");
  mkdirSync(probe);
  mkdirSync(project);
  writeFileSync(
    join(probe, "package.json"),
    JSON.stringify({ name: PROBE, version: "1.0.0", scripts: Object.fromEntries(SCRIPTS.map((s) => [s, MARK])) }),
  );
  ok(npm("npm 10", ["pack", "--ignore-scripts", "--pack-destination", project], probe), "npm pack of the probe");
  writeFileSync(
    join(project, "package.json"),
    JSON.stringify({ name: "fixture", version: "1.0.0", private: true, dependencies: { [PROBE]: `file:${PROBE}-1.0.0.tgz` } }),
  );
  ok(
    npm("npm 10", ["install", "--package-lock-only", "--ignore-scripts", "--offline", "--no-audit", "--no-fund"], project),
    "the lock file",
  );
}, 180_000);

describe("install scripts stay off on npm 10 and 11", () => {
  test("the npm under test is npm 10, and the project's .npmrc (tracked by git) turns install scripts off where npm 10 and 11 read it", () => {
    expect(ok(npm("npm 10", ["--version"], dir), "npm 10 --version")).toMatch(/^10\./);
    expect(spawnSync("git", ["ls-files", "--error-unmatch", ".npmrc"], { cwd: root }).status).toBe(0);
    expect(readFileSync(join(root, ".npmrc"), "utf8")).toMatch(/^ignore-scripts=true$/m);
    copyFileSync(join(root, ".npmrc"), join(project, ".npmrc"));
    for (const which of Object.keys(npms) as string[])
      expect([which, ok(npm(which, ["config", "get", "ignore-scripts"], project), `${which} config get`)]).toEqual([which, "true"]);
  });

  test.each(Object.keys(npms) as string[])("%s: npm ci beside the project's .npmrc runs no install script", (which) => {
    // GIVEN the fixture with a copy of the project's .npmrc
    copyFileSync(join(root, ".npmrc"), join(project, ".npmrc"));
    // WHEN npm ci installs the probe THEN none of its scripts ran
    expect(ci(which)).toEqual([]);
  });

  test.each(Object.keys(npms) as string[])(
    "%s: without the .npmrc the same npm ci runs all three scripts (the probe works, so the check above can fail)",
    (which) => {
      // GIVEN the fixture without the .npmrc (and no user or global npm config)
      rmSync(join(project, ".npmrc"), { force: true });
      // WHEN npm ci installs the probe THEN every script ran (npm 11.19 too: it runs a package allowScripts does not list, with a warning)
      expect(ci(which)).toEqual(SCRIPTS.map((s) => `ran-${s}`).sort());
    },
  );
});
