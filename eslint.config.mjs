/**
 * Lint (`npm run lint`): typescript-eslint's recommended rules, without type information so that a
 * run over the whole tree takes seconds, plus a few rules this codebase relies on. Formatting is
 * prettier's (.prettierrc.json), never eslint's: no stylistic rule is enabled here.
 */
import js from "@eslint/js";
import tseslint from "typescript-eslint";

/** Node's globals for the few plain JavaScript files (jest.config.js, bench/peak-rss.js, this file). */
const nodeGlobals = {
  require: "readonly",
  module: "writable",
  exports: "writable",
  process: "readonly",
  console: "readonly",
  __dirname: "readonly",
  __filename: "readonly",
};

export default tseslint.config(
  {
    // What a run writes or generates: not source.
    ignores: [
      "node_modules/",
      "dist/",
      "cdktf.out/",
      ".gen/",
      "coverage/",
      "bench/out/",
      "docs/api/",
      "api/temp/",
      ".cdktf.out.staging-*/",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.js", "**/*.cjs", "**/*.mjs"],
    languageOptions: { globals: nodeGlobals },
  },
  {
    files: ["**/*.js", "**/*.cjs"],
    languageOptions: { sourceType: "commonjs" },
    // CommonJS files load their config with require(): the rule is for TypeScript's imports.
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  {
    rules: {
      // `==` only where `x == null` means "null or undefined", a common idiom; everywhere else `===`.
      eqeqeq: ["error", "always", { null: "ignore" }],
      // Imports used only as types say so (`import type`, `type X` inline), so a module that only
      // needs a type never loads the other at run time (cdktf stays out of engines' start-up).
      "@typescript-eslint/consistent-type-imports": ["error", { prefer: "type-imports", fixStyle: "inline-type-imports" }],
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none", ignoreRestSiblings: true },
      ],
      "no-var": "error",
      "prefer-const": ["error", { destructuring: "all" }],
      "object-shorthand": ["error", "properties"],
      // Control characters in patterns are the point where text is cleaned or shown: a character a
      // reader cannot see is matched to be escaped or named (`<U+202E>`), never by accident.
      "no-control-regex": "off",
      // A built-in module loaded where it is used (`require("node:os")`) is plain Node; other
      // require() calls are turned into imports, or allowed below where loading late is the point.
      "@typescript-eslint/no-require-imports": ["error", { allow: ["^node:"] }],
    },
  },
  {
    // The CLI loads a command's module when the command runs (`require("./commands/orgs") as typeof
    // import("./commands/orgs")`): start-up stays fast, and serve runs in an image without cdktf.
    files: ["cli/index.ts"],
    rules: {
      "@typescript-eslint/no-require-imports": ["error", { allow: ["^node:", "^\\./commands/"] }],
      "@typescript-eslint/consistent-type-imports": [
        "error",
        { prefer: "type-imports", fixStyle: "inline-type-imports", disallowTypeAnnotations: false },
      ],
    },
  },
  {
    // Overrides of cdktf's own signatures (`synthesizeAttributes(): { [name: string]: any }`), and a
    // walk over the JSON Schema zod emits, which is untyped JSON.
    files: ["lib/constructs/bindings/*.ts", "lib/config/json-schema.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
  {
    // Tests, their stand-ins and benchmarks read synthesized Terraform JSON, GitHub's OpenAPI
    // description and recorded payloads, untyped by nature; typing each read would add casts, not
    // safety. An expected output's indentation reads best as the spaces it is (`/\n  holds/`).
    files: ["__tests__/**/*.ts", "test-support/**/*.ts", "bench/**/*.ts"],
    rules: {
      "@typescript-eslint/no-explicit-any": "off",
      "no-regex-spaces": "off",
    },
  },
  {
    // The library, the CLI and the synth app write through an injected IO or logger, never the
    // console: a command's output is tested, and serve logs one structured line per event.
    files: ["lib/**/*.ts", "cli/**/*.ts", "main.ts", "test-support/**/*.ts"],
    rules: { "no-console": "error" },
  },
  {
    // CommonJS configuration files load what they need with require(), as CommonJS does.
    files: ["**/*.js", "**/*.cjs"],
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
);
