/**
 * This package's name and version, read from its package.json, so a plan, a report or a bug
 * report can be traced to a release.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";

/** The npm package name. */
export const PACKAGE_NAME = "github-token-policy";

function findVersion(): string {
  // From lib/ in a checkout, or dist/lib/ in the published package: the nearest package.json
  // that is this package's.
  let dir = __dirname;
  for (let i = 0; i < 5; i++) {
    const file = join(dir, "package.json");
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, "utf8")) as { name?: string; version?: string };
      if (pkg.name === PACKAGE_NAME && pkg.version) return pkg.version;
    }
    dir = dirname(dir);
  }
  return "unknown";
}

/** The package version, such as `0.1.0`. */
export const VERSION: string = findVersion();
