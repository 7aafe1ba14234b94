/**
 * package.json's `engines` states the Node versions the runtime dependencies need: every
 * version it admits is admitted by each dependency's own `engines.node`, except the dependencies
 * named in {@link RUNS_BELOW_ITS_ENGINES}, each with the reason it is known to run on more.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { minVersion, satisfies, subset, validRange } from "semver";

const root = join(__dirname, "..", "..");
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { engines: { node: string } };
const lock = JSON.parse(readFileSync(join(root, "package-lock.json"), "utf8")) as {
  packages: Record<string, { dev?: boolean; engines?: { node?: string } | string[] }>;
};

/**
 * Runtime dependencies whose `engines.node` is narrower than ours, and why they run on every Node
 * ours admits. npm prints EBADENGINE for them on such a Node (README says so).
 */
const RUNS_BELOW_ITS_ENGINES: Record<string, string> = {
  "node_modules/content-type":
    "content-type 3 declares node >=22 but uses nothing newer than Node 20: @octokit/request parses every response's Content-Type with it, and .ci/run runs the whole suite on the machine's Node 20 as well as on Node 22",
};

describe("engines", () => {
  test("admits only Node versions every runtime dependency declares it supports", () => {
    const ours = pkg.engines.node;
    expect(validRange(ours)).not.toBeNull();
    const narrower: string[] = [];
    for (const [path, entry] of Object.entries(lock.packages)) {
      if (!path || entry.dev) continue;
      const node = !Array.isArray(entry.engines) ? entry.engines?.node : undefined;
      if (node && validRange(node) && !subset(ours, node) && !(path in RUNS_BELOW_ITS_ENGINES)) narrower.push(`${path} needs node ${node}`);
    }
    expect(narrower).toEqual([]);
  });

  test.each(Object.keys(RUNS_BELOW_ITS_ENGINES))("%s, let run below its engines, is still narrower than ours (else drop it)", (path) => {
    const entry = lock.packages[path];
    const node = entry && !Array.isArray(entry.engines) ? entry.engines?.node : undefined;
    expect(node && !subset(pkg.engines.node, node)).toBe(true);
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
    // Informational: these machines have Node 20; .ci/run also runs the suite on Node 22.
    process.stdout.write(
      `node ${process.versions.node}; engines ${pkg.engines.node} (${satisfies(process.versions.node, pkg.engines.node) ? "within" : "below"}; lowest admitted ${minVersion(pkg.engines.node)})\n`,
    );
    expect(minVersion(pkg.engines.node)).not.toBeNull();
  });
});
