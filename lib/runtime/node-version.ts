/**
 * The Node.js versions this project runs on, checked before anything else loads.
 *
 * What breaks on an older Node is loading the ES-module-only Octokit packages with `require()`,
 * which Node supports unflagged from 20.19 and 22.12 (and in every release of 23 and later): on an
 * older Node every command would stop later with a bare `ERR_REQUIRE_ESM`. So an older Node is
 * refused up front, naming what to install. `package.json` `engines` states the same range
 * ({@link SUPPORTED_NODE}); a test keeps the two in agreement.
 */

/** The supported Node versions as a semver range: `package.json` `engines.node` is exactly this. */
export const SUPPORTED_NODE = "^20.19.0 || >=22.12.0";

/** The major.minor from which `require()` loads ES modules without a flag, per major. */
const REQUIRE_ESM_FROM: Record<number, number> = { 20: 19, 22: 12 };

/**
 * What is wrong with running on Node `version` (such as `v20.20.2`), or undefined when it runs.
 */
export function nodeVersionProblem(version: string): string | undefined {
  const match = /^v?(\d+)\.(\d+)\./.exec(version);
  if (!match) return undefined;
  const [major, minor] = [Number(match[1]), Number(match[2])];
  const fromMinor = REQUIRE_ESM_FROM[major];
  const runs = major > 22 || (fromMinor !== undefined && minor >= fromMinor);
  if (runs) return undefined;
  return `this is Node ${version}, which cannot load this project's ES-module dependencies (Octokit): install Node 22 LTS (22.12 or later), Node 24, or Node 20.19 or later (package.json engines: node ${SUPPORTED_NODE}), for example with nvm install 22, then run npm ci again`;
}

/** Stops the process with exit code 1 and the reason when this Node cannot run the project. */
export function requireSupportedNode(): void {
  const problem = nodeVersionProblem(process.version);
  if (problem) {
    process.stderr.write(`error: ${problem}\n`);
    process.exit(1);
  }
}
