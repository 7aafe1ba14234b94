/**
 * `npm run test:package`: the checks of what is published, slow because they build, pack and
 * install (the consumer project). Kept out of `npm test` so the
 * everyday suite stays quick; CI runs both (.ci/run). They build in a temporary copy of the
 * project and never write into the checkout (a test asserts it).
 */
const base = require("./jest.config.js");

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  testMatch: ["<rootDir>/__tests__/package/**/*.test.ts"],
  testPathIgnorePatterns: ["/node_modules/"],
  testTimeout: 240000,
};
