/**
 * `npm run test:e2e`: end-to-end runs of the real tools, slow because each runs cdktf's CLI or
 * Terraform many times: the synthesized stacks planned and checked by Terraform itself
 * (__tests__/e2e/stacks.test.ts), synth under `cdktf synth` and `cdktf diff` whatever the previous output held
 * (__tests__/e2e/cdktf-cli.test.ts), and the fault matrix, every write of both stacks failing once
 * and the next apply converging (__tests__/e2e/convergence.test.ts), the member page in a real
 * Chromium through `serve` (__tests__/e2e/member-page.test.ts), and every benchmark in its tiny
 * mode (__tests__/e2e/benches.test.ts), so none rots; the Terraform escape under Terraform itself, a few hundred generated
 * texts and entries in one plan each (__tests__/e2e/terraform-literal.test.ts); and `npm ci` with npm 10 (fetched from the registry) and the
 * machine's npm, which runs no install script beside the project's .npmrc (__tests__/e2e/install-scripts.test.ts). Kept out of `npm test` so the
 * everyday suite stays quick; CI runs it (.ci/run).
 */
const base = require("./jest.config.js");

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  testMatch: ["<rootDir>/__tests__/e2e/**/*.test.ts"],
  testPathIgnorePatterns: ["/node_modules/"],
  testTimeout: 240000,
};
