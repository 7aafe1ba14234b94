/**
 * `npm ci` rejects a lockfile that lacks an entry for any optional dependency of a locked package,
 * including other platforms' native binaries. Users' CI runs `npm ci` on Linux, macOS and Windows.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";

interface LockEntry {
  version?: string;
  optionalDependencies?: Record<string, string>;
  os?: string[];
}

const lock = JSON.parse(readFileSync(join(__dirname, "..", "..", "package-lock.json"), "utf8")) as { packages: Record<string, LockEntry> };

/** Where npm resolves `name` from the package at `from`: its own node_modules, then each parent's. */
function resolve(from: string, name: string): string | undefined {
  let dir = from;
  for (;;) {
    const candidate = `${dir ? `${dir}/` : ""}node_modules/${name}`;
    if (lock.packages[candidate]) return candidate;
    if (!dir) return undefined;
    const at = dir.lastIndexOf("node_modules/");
    dir = at <= 0 ? "" : dir.slice(0, at - 1);
  }
}

describe("package-lock.json", () => {
  test("every optional dependency of a locked package has its own entry (npm ci on every platform)", () => {
    const missing: string[] = [];
    for (const [path, entry] of Object.entries(lock.packages)) {
      for (const name of Object.keys(entry.optionalDependencies ?? {})) {
        if (!resolve(path, name)) missing.push(`${name} (optional dependency of ${path || "the project"})`);
      }
    }
    expect(missing).toEqual([]);
  });

  test("holds native binaries for Linux, macOS and Windows", () => {
    const oses = new Set(
      Object.entries(lock.packages)
        .filter(([p]) => p.includes("@swc/core-"))
        .flatMap(([, e]) => e.os ?? []),
    );
    expect([...oses]).toEqual(expect.arrayContaining(["linux", "darwin", "win32"]));
  });
});
