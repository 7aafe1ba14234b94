/**
 * Tests run through @swc/jest. The Octokit packages (and a few of their dependencies) ship only
 * as ES modules, which jest's module loader cannot load as they are: they are transformed too.
 * Type checking is `tsc --noEmit`, run by `npm test` before jest.
 */
const esmOnly = [
  "@octokit",
  "universal-user-agent",
  "universal-github-app-jwt",
  "before-after-hook",
  "bottleneck",
  "toad-cache",
  "fast-content-type-parse",
  "json-with-bigint",
  "content-type",
];

/**
 * What is published (the package, the consumer project) is checked by `npm run test:package`
 * (jest.package.config.js), and the real cdktf CLI and Terraform runs (the stacks checked by Terraform, the fault
 * matrix, synth under `cdktf synth`/`diff`) by `npm run test:e2e` (jest.e2e.config.js), not here: they build, pack or
 * run whole tools for minutes. CI runs all three.
 */
const packageTests = ["/__tests__/package/", "/__tests__/e2e/"];

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/__tests__"],
  testMatch: ["**/*.test.ts"],
  testPathIgnorePatterns: ["/node_modules/", ...packageTests],
  transform: {
    "^.+\\.(t|j|mj)s$": ["@swc/jest", { jsc: { target: "es2022", parser: { syntax: "typescript" } }, module: { type: "commonjs" } }],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${esmOnly.join("|")})/)`],
  moduleFileExtensions: ["ts", "js", "mjs", "json"],
  setupFilesAfterEnv: ["<rootDir>/__tests__/setup.ts"],
  testTimeout: 30000,
};
