import { nodeVersionProblem } from "../../lib/runtime/node-version";

describe("nodeVersionProblem (which Node runs the project)", () => {
  test.each(["v20.19.0", "v20.20.2", "v22.12.0", "v22.19.1", "v24.1.0"])("%s runs", (version) => {
    expect(nodeVersionProblem(version)).toBeUndefined();
  });

  test.each(["v18.20.4", "v20.18.3", "v21.7.3", "v22.11.0"])("fails on %s, saying what to install", (version) => {
    expect(nodeVersionProblem(version)).toBe(
      `this is Node ${version}, which cannot load this project's ES-module dependencies (Octokit): install Node 22 LTS or later (package.json engines: node >=22), for example with nvm install 22, then run npm ci again`,
    );
  });
});
