/**
 * The Node.js versions this project runs on, checked before anything else loads.
 *
 * `package.json` `engines` says Node 22 or later (a dependency of Octokit, content-type, declares
 * it). What actually breaks on an older Node is loading the ES-module-only Octokit packages with
 * `require()`, which Node supports unflagged from 20.19 and 22.12: on an older Node every command
 * would stop later with a bare `ERR_REQUIRE_ESM`. So an older Node is refused up front, naming what
 * to install; Node 20.19 and later run (npm warns about `engines` at install time).
 */

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
  return `this is Node ${version}, which cannot load this project's ES-module dependencies (Octokit): install Node 22 LTS or later (package.json engines: node >=22), for example with nvm install 22, then run npm ci again`;
}

/** Stops the process with exit code 1 and the reason when this Node cannot run the project. */
export function requireSupportedNode(): void {
  const problem = nodeVersionProblem(process.version);
  if (problem) {
    process.stderr.write(`error: ${problem}\n`);
    process.exit(1);
  }
}
