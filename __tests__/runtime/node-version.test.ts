import { readFileSync } from "node:fs";
import { join } from "node:path";
import { satisfies } from "semver";
import { nodeVersionProblem, SUPPORTED_NODE } from "../../lib/runtime/node-version";

const engines = (JSON.parse(readFileSync(join(__dirname, "..", "..", "package.json"), "utf8")) as { engines: { node: string } }).engines;

describe("nodeVersionProblem (which Node runs the project)", () => {
  test.each(["v20.19.0", "v20.20.2", "v22.12.0", "v22.19.1", "v22.23.5", "v23.0.0", "v24.1.0", "v26.0.0"])("%s runs", (version) => {
    expect(nodeVersionProblem(version)).toBeUndefined();
  });

  test.each(["v18.20.4", "v20.18.3", "v21.7.3", "v22.5.0", "v22.11.0"])("fails on %s, saying what to install", (version) => {
    expect(nodeVersionProblem(version)).toBe(
      `this is Node ${version}, which cannot load this project's ES-module dependencies (Octokit): install Node 22 LTS (22.12 or later), Node 24, or Node 20.19 or later (package.json engines: node ^20.19.0 || >=22.12.0), for example with nvm install 22, then run npm ci again`,
    );
  });
});

describe("package.json engines and the start-up check", () => {
  test("engines.node is the range the start-up check names", () => {
    expect(engines.node).toBe(SUPPORTED_NODE);
  });

  // GIVEN versions on both sides of every boundary WHEN npm's range and the check judge them THEN they agree
  test.each([
    "v18.20.4",
    "v20.0.0",
    "v20.18.3",
    "v20.19.0",
    "v20.20.2",
    "v21.7.3",
    "v22.0.0",
    "v22.5.0",
    "v22.11.0",
    "v22.12.0",
    "v22.23.5",
    "v23.0.0",
    "v24.0.0",
    "v24.22.3",
    "v26.1.0",
  ])("agree on %s", (version) => {
    expect(nodeVersionProblem(version) === undefined).toBe(satisfies(version, engines.node));
  });
});
