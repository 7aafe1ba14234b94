/**
 * Part of `npm run build`, after the declarations are emitted: deletes every declaration file
 * (`.d.ts`) in dist/ that the package's types (`dist/lib/index.d.ts`) never reach. The package's
 * `exports` map lets a consumer import only the library's root, so a declaration of a module it
 * does not re-export (the CLI's, an engine's internals) is never read: a sixth of what the
 * package unpacks to. A test (__tests__/package/consumer.test.ts) checks that every declaration
 * shipped is reached and that the consumer's code type-checks against them.
 */
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(root, "dist");
const entry = join(dist, "lib", "index.d.ts");

/** Relative module specifiers a declaration file refers to: `from "…"`, `import("…")`, `/// <reference path="…" />`. */
const SPECIFIER = /(?:\bfrom\s+|\bimport\s*\(\s*|<reference\s+path=)["'](\.{1,2}\/[^"']*)["']/g;

/** The declaration file a relative specifier in `from` names, if there is one. */
function declarationOf(from, specifier) {
  const base = join(dirname(from), specifier).replace(/\.(js|d\.ts)$/, "");
  return [`${base}.d.ts`, join(base, "index.d.ts")].find((f) => existsSync(f) && statSync(f).isFile());
}

/** Every declaration file reachable from `start`. */
function reachable(start) {
  const seen = new Set();
  const todo = [start];
  while (todo.length) {
    const file = todo.pop();
    if (seen.has(file)) continue;
    seen.add(file);
    for (const [, specifier] of readFileSync(file, "utf8").matchAll(SPECIFIER)) {
      const target = declarationOf(file, specifier);
      if (target) todo.push(target);
    }
  }
  return seen;
}

/** Every `.d.ts` under `dir`. */
function declarations(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? declarations(join(dir, e.name)) : e.name.endsWith(".d.ts") ? [join(dir, e.name)] : [],
  );
}

if (!existsSync(entry)) throw new Error(`prune-declarations: ${relative(root, entry)} is missing: run after tsc --emitDeclarationOnly`);
const keep = reachable(entry);
const pruned = declarations(dist).filter((f) => !keep.has(f));
// Silent: `npm pack --json` prints its report on the same stdout as the scripts it runs.
for (const f of pruned) rmSync(f);
