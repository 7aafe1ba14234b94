/**
 * package.json's `engines` states the Node versions the runtime dependencies need: every
 * version it admits is admitted by each dependency's own `engines.node`.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { minVersion, satisfies, subset, validRange } from "semver";

const root = join(__dirname, "..", "..");
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { engines: { node: string } };
const lock = JSON.parse(readFileSync(join(root, "package-lock.json"), "utf8")) as {
  packages: Record<string, { dev?: boolean; engines?: { node?: string } | string[] }>;
};

describe("engines", () => {
  test("admits only Node versions every runtime dependency declares it supports", () => {
    const ours = pkg.engines.node;
    expect(validRange(ours)).not.toBeNull();
    const narrower: string[] = [];
    for (const [path, entry] of Object.entries(lock.packages)) {
      if (!path || entry.dev) continue;
      const node = !Array.isArray(entry.engines) ? entry.engines?.node : undefined;
      if (node && validRange(node) && !subset(ours, node)) narrower.push(`${path} needs node ${node}`);
    }
    expect(narrower).toEqual([]);
  });

  test("the check can fail: Node 20 is below what @octokit/request's content-type declares", () => {
    expect(
      subset(
        ">=20.19",
        lock.packages["node_modules/content-type"].engines && !Array.isArray(lock.packages["node_modules/content-type"].engines)
          ? lock.packages["node_modules/content-type"].engines.node!
          : "",
      ),
    ).toBe(false);
  });

  test("says which Node this run used, against the range", () => {
    // Informational: these machines have Node 20; users' runners take `engines` (22 or later).
    process.stdout.write(
      `node ${process.versions.node}; engines ${pkg.engines.node} (${satisfies(process.versions.node, pkg.engines.node) ? "within" : "below"}; lowest admitted ${minVersion(pkg.engines.node)})\n`,
    );
    expect(minVersion(pkg.engines.node)).not.toBeNull();
  });
});
