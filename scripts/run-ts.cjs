#!/usr/bin/env node
/**
 * `node scripts/run-ts.cjs main.ts [args…]` (what `npm run synth`, `npm run cli` and cdktf.json's
 * `app` run): runs a TypeScript entry of this checkout as JavaScript compiled by swc, the compiler
 * `ts-node --swc` used, with the same options, once per version of the sources.
 *
 * ts-node loads the TypeScript compiler on every start (about 0.25 s and 65 MB before the first
 * line of ours runs) and compiles every file again on every run. Here the sources (`main.ts`,
 * `lib/` and `cli/`: their `.ts` files compiled, their `.json` files and `package.json` copied) are
 * hashed with the compiler's version and options; a folder named by that hash under
 * `node_modules/.cache/github-token-policy/` holds their JavaScript. A run finds its folder and
 * starts at once; a run after any change compiles the sources into a new folder (0.2–0.5 s on 2 cores).
 *
 * A fault leaves nothing half-written: a folder is compiled under a temporary name and renamed into
 * place whole, so a crash or two runs at once leave either no folder or a complete one; a folder
 * whose marker or files do not match what was written (a removal cut short, a write a power cut
 * lost) is compiled again. When the cache cannot be written (a read-only checkout), the entry runs
 * through ts-node as before.
 * The cache is inside `node_modules`, so whoever can write it can already change what runs.
 * `TOKEN_POLICY_DEBUG` maps stack traces back to the TypeScript sources.
 */
"use strict";
const { Buffer } = require("node:buffer");
const { createHash } = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");

/** The checkout: this file is in `scripts/`. */
const ROOT = path.resolve(__dirname, "..");
/** What a run may need, relative to the checkout: folders are walked for `.ts` and `.json` files. */
const SOURCES = ["main.ts", "lib", "cli", "package.json"];
/**
 * Written last into a compiled folder, before the folder takes its name: its key and the size of
 * every file in it, which each run checks (a write the disk lost to a power cut shows as a file
 * of another size, typically empty).
 */
const MARKER = ".complete";
/** Compiled folders kept besides the current one when older than {@link PRUNE_AFTER_MS} (a process may still run from one). */
const KEEP = 4;
const PRUNE_AFTER_MS = 60 * 60 * 1000;

/**
 * What ts-node 10.9 gives swc for this project's tsconfig.json (target ES2022, module nodenext in a
 * CommonJS package, esModuleInterop, strict); `__tests__/scripts/run-ts.test.ts` compares the
 * output of every source with ts-node's.
 */
const SWC_OPTIONS = {
  swcrc: false,
  sourceMaps: true,
  module: { type: "commonjs", noInterop: false, strictMode: true, ignoreDynamic: true },
  jsc: {
    parser: { syntax: "typescript", tsx: false, decorators: false, dynamicImport: true, importAssertions: true },
    target: "es2022",
    keepClassNames: true,
    transform: { legacyDecorator: true, useDefineForClassFields: true },
    experimental: { keepImportAttributes: true, emitAssertForImportAttributes: true },
  },
};

/** Every source file under `root`, relative, `/`-separated, sorted; a symbolic link among them is refused. */
function sourceFiles(root) {
  const out = [];
  const walk = (rel) => {
    const abs = path.join(root, rel);
    const stat = fs.lstatSync(abs, { throwIfNoEntry: false });
    if (!stat) return;
    // A link's relative imports resolve from where it points, and a link can loop: not copied.
    if (stat.isSymbolicLink()) throw new Error(`${rel} is a symbolic link, which the compiled copy cannot follow`);
    if (stat.isDirectory()) {
      for (const name of fs.readdirSync(abs)) walk(rel ? `${rel}/${name}` : name);
    } else if (stat.isFile() && (rel === "package.json" || (/\.(ts|json)$/.test(rel) && !rel.endsWith(".d.ts")))) {
      out.push(rel);
    }
  };
  for (const s of SOURCES) walk(s);
  return out.sort();
}

/**
 * The folder holding `root`'s sources compiled, compiling them when no folder has this version.
 *
 * @param {string} root the checkout
 * @param {string} cacheRoot where compiled folders are kept
 * @returns {string} the compiled folder (same layout as `root`, `.ts` → `.js`)
 */
function compiledFolder(root, cacheRoot) {
  const files = sourceFiles(root).map((rel) => ({ rel, bytes: fs.readFileSync(path.join(root, rel)) }));
  // The key: the compiler, its options, this file (how a folder is laid out) and every source.
  const hash = createHash("sha256")
    .update(`${require("@swc/core/package.json").version}\0${JSON.stringify(SWC_OPTIONS)}\0`)
    .update(fs.readFileSync(__filename));
  for (const f of files) hash.update(`\0${f.rel}\0${f.bytes.length}\0`).update(f.bytes);
  const key = hash.digest("hex").slice(0, 32);
  const folder = path.join(cacheRoot, key);
  if (isComplete(folder, key)) return folder;

  const swc = require("@swc/core");
  fs.mkdirSync(cacheRoot, { recursive: true });
  // Node loads modules by their real path: source maps name the sources from there.
  const [realRoot, realFolder] = [fs.realpathSync(root), path.join(fs.realpathSync(cacheRoot), key)];
  const staging = fs.mkdtempSync(path.join(cacheRoot, `.staging-${key.slice(0, 8)}-`));
  const sizes = {};
  try {
    for (const { rel, bytes } of files) {
      const source = path.join(realRoot, rel);
      const target = path.join(staging, rel.endsWith(".ts") ? rel.replace(/\.ts$/, ".js") : rel);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      if (!rel.endsWith(".ts")) {
        fs.writeFileSync(target, bytes);
        sizes[rel] = bytes.length;
        continue;
      }
      const sourceFileName = path
        .relative(path.dirname(path.join(realFolder, rel)), source)
        .split(path.sep)
        .join("/");
      const { code, map } = swc.transformSync(bytes.toString("utf8"), { ...SWC_OPTIONS, filename: source, sourceFileName });
      const js = Buffer.from(`${code}\n//# sourceMappingURL=${path.basename(target)}.map\n`);
      fs.writeFileSync(target, js);
      fs.writeFileSync(`${target}.map`, map);
      sizes[rel.replace(/\.ts$/, ".js")] = js.length;
    }
    fs.writeFileSync(path.join(staging, MARKER), JSON.stringify({ key, sizes }));
    // A folder of this version without its marker is what an interrupted removal left: out of the way first.
    if (fs.existsSync(folder) && !isComplete(folder, key)) discard(cacheRoot, key);
    try {
      fs.renameSync(staging, folder);
    } catch (e) {
      // Another run renamed the same version into place first: use it.
      if (!isComplete(folder, key)) throw e;
    }
  } finally {
    fs.rmSync(staging, { recursive: true, force: true, maxRetries: 3 });
  }
  prune(cacheRoot, key);
  return folder;
}

/**
 * Whether `folder` is a whole compiled copy of version `key`: its marker, written last, holds the
 * key, and every file it lists has the size written (a stat each, a few milliseconds a run).
 */
function isComplete(folder, key) {
  try {
    const marker = JSON.parse(fs.readFileSync(path.join(folder, MARKER), "utf8"));
    if (marker.key !== key) return false;
    return Object.entries(marker.sizes).every(([rel, size]) => fs.statSync(path.join(folder, rel)).size === size);
  } catch {
    return false;
  }
}

/**
 * Removes `cacheRoot/name`: renamed first (one step, so an interrupted removal never leaves a
 * part of a folder under a version's name), then deleted; a `.trash-` folder that an interrupted
 * removal left is deleted by a later prune.
 */
function discard(cacheRoot, name) {
  const trash = path.join(cacheRoot, `.trash-${name}-${process.pid}-${Date.now()}`);
  fs.renameSync(path.join(cacheRoot, name), trash);
  fs.rmSync(trash, { recursive: true, force: true, maxRetries: 3 });
}

/**
 * Removes compiled folders beyond the {@link KEEP} newest that are older than
 * {@link PRUNE_AFTER_MS} (a process started from one may still load modules from it), and what
 * interrupted runs left (`.staging-`, `.trash-`) older than that; never fails a run.
 */
function prune(cacheRoot, current) {
  try {
    const now = Date.now();
    const entries = fs
      .readdirSync(cacheRoot)
      .filter((name) => name !== current)
      .map((name) => ({ name, mtimeMs: fs.statSync(path.join(cacheRoot, name)).mtimeMs }))
      .sort((a, b) => b.mtimeMs - a.mtimeMs);
    let kept = 0;
    for (const e of entries) {
      const old = now - e.mtimeMs > PRUNE_AFTER_MS;
      if (e.name.startsWith(".")) {
        if (old) fs.rmSync(path.join(cacheRoot, e.name), { recursive: true, force: true, maxRetries: 3 });
      } else if (++kept > KEEP && old) discard(cacheRoot, e.name);
    }
  } catch {
    // A folder another run removed first, or no right to remove: the next run tries again.
  }
}

/**
 * Runs `entry` (a `.ts` file of the checkout, relative to it) as the main module with `args`,
 * compiled, or through ts-node when the cache cannot be written.
 *
 * @param {string} entry the entry, such as `main.ts`
 * @param {string[]} args its arguments
 * @param {string} cacheRoot where compiled folders are kept
 */
function run(entry, args, cacheRoot = path.join(ROOT, "node_modules", ".cache", "github-token-policy")) {
  const rel = path.relative(ROOT, path.resolve(ROOT, entry)).split(path.sep).join("/");
  const source = rel === "main.ts" || ((rel.startsWith("lib/") || rel.startsWith("cli/")) && !rel.endsWith(".d.ts"));
  if (!source || !rel.endsWith(".ts") || !fs.statSync(path.join(ROOT, rel), { throwIfNoEntry: false })?.isFile()) {
    process.stderr.write(`run-ts: ${entry} is not a TypeScript file of ${SOURCES.join(", ")} in ${ROOT}\n`);
    process.exit(2);
  }
  let main;
  try {
    main = path.join(compiledFolder(ROOT, cacheRoot), rel.replace(/\.ts$/, ".js"));
  } catch (e) {
    if (process.env.TOKEN_POLICY_DEBUG) process.stderr.write(`run-ts: no compiled copy (${e.message}); running through ts-node\n`);
    require("ts-node").register({ swc: true, project: path.join(ROOT, "tsconfig.json") });
    main = path.join(ROOT, rel);
  }
  if (process.env.TOKEN_POLICY_DEBUG) process.setSourceMapsEnabled(true);
  process.argv = [process.argv[0], main, ...args];
  require("node:module").runMain();
}

module.exports = { compiledFolder, run, sourceFiles, SWC_OPTIONS };

if (require.main === module) {
  const [entry, ...args] = process.argv.slice(2);
  if (!entry) {
    process.stderr.write("usage: node scripts/run-ts.cjs <entry.ts> [args…]\n");
    process.exit(2);
  }
  run(entry, args);
}
