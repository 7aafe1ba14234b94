/**
 * The layers of docs/ARCHITECTURE.md, as rules a machine checks: `npm run lint:deps` (and
 * `npm test`, before jest) fails on a wrong arrow or a cycle, naming the rule.
 *
 *   lib/model            pure: documents and shapes both sides share (no cdktf, no I/O)
 *   lib/constructs       synth time: Terraform from the model and the config
 *   lib/synth            synth time: the stacks of a config into an app, on two threads when large
 *   engines (lib/…)      I/O through an injected client; never constructs or cdktf
 *   lib/deploy           builds stacks in memory to read their inputs and providers
 *   cli/                 drives engines; nothing in lib/ imports it
 *
 * __tests__/project/dependency-rules.test.ts shows each rule failing on a small tree, and the
 * real tree passing.
 */

/** The engines: folders of lib/ that do the work of a command, a server or a report. */
const ENGINES = [
  "github",
  "review",
  "serve",
  "verify",
  "report",
  "guide",
  "registration",
  "approval",
  "install",
  "seal",
  "member",
  "revoke",
];

/** cdktf and the construct libraries, as installed packages. */
const CDKTF = "(^|/)node_modules/(cdktf|constructs|@cdktf/)";

/** Node's modules that reach the file system, the network or other processes. */
const NODE_IO = "^(node:)?(fs|fs/promises|net|http|https|http2|child_process|dgram|tls|worker_threads)$";

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-cycles",
      comment:
        "No module imports itself through others: a cycle makes load order matter and hides which side owns a type. Move what both need into a file both import.",
      severity: "error",
      from: {},
      to: { circular: true },
    },
    {
      name: "model-is-pure",
      comment: "lib/model is what constructs and engines share: no cdktf, no constructs, no engine, no file, network or process access.",
      severity: "error",
      from: { path: "^lib/model/" },
      to: {
        path: [
          CDKTF,
          "^lib/(constructs|deploy|policy-checks|runtime)/",
          `^lib/(${ENGINES.filter((e) => e !== "approval").join("|")})/`,
          "^cli/",
          NODE_IO,
        ],
      },
    },
    {
      name: "engines-never-import-constructs",
      comment:
        "Engines do I/O through an injected client and run without cdktf (serve, report): they never import lib/constructs, lib/deploy, lib/synth, cdktf, constructs or @cdktf/*. What they share with the constructs lives in lib/model.",
      severity: "error",
      from: { path: `^lib/(${ENGINES.join("|")}|model|config|catalogue)/` },
      to: { path: [CDKTF, "^lib/(constructs|deploy|synth)/"] },
    },
    {
      name: "constructs-import-only-model-config-catalogue-naming",
      comment:
        "Constructs build Terraform from the model: they import lib/model, lib/config (types, effective policy), lib/catalogue, lib/policy-checks, naming, text, hosts, version, other constructs, cdktf and the provider; never an engine, lib/deploy or cli/.",
      severity: "error",
      from: { path: "^lib/constructs/" },
      to: {
        dependencyTypesNot: ["core"],
        pathNot: ["^lib/(constructs|model|config|catalogue|policy-checks)/", "^lib/(naming|text|hosts|version)\\.ts$", CDKTF],
      },
    },
    {
      name: "lib-never-imports-cli",
      comment: "No import runs upward: lib/ is used by the CLI, never the other way round.",
      severity: "error",
      from: { path: "^lib/" },
      to: { path: "^cli/" },
    },
    {
      name: "report-runs-without-cdktf",
      comment:
        "`token-policy report` runs in a pull-request job without cdktf: nothing it loads, directly or not, reaches cdktf, constructs or @cdktf/*.",
      severity: "error",
      from: { path: "^(cli/commands/report\\.ts|lib/report/)" },
      to: { path: CDKTF, reachable: true },
    },
    {
      name: "serve-runs-without-cdktf",
      comment: "`token-policy serve` runs as a long-lived server without cdktf: nothing it loads reaches cdktf, constructs or @cdktf/*.",
      severity: "error",
      from: { path: "^(cli/commands/serve\\.ts|lib/serve/)" },
      to: { path: CDKTF, reachable: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^(dist|cdktf\\.out)/" },
    // Type-only imports count: a type cycle is a cycle to a reader.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      extensions: [".ts", ".js", ".d.ts"],
    },
  },
};
