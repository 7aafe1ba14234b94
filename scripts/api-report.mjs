/**
 * The API report: api-extractor's summary of everything lib/index.ts exports, committed as
 * api/github-token-policy.api.md.
 *
 *   node scripts/api-report.mjs           (`npm run api:check`) fails when the public API differs
 *                                         from the committed report, printing the difference;
 *   node scripts/api-report.mjs --update  (`npm run api:update`) rewrites the committed report.
 *
 * The declarations are emitted by tsc (tsconfig.build.json) into a temporary folder, which is
 * removed afterwards: nothing but the report itself is written into the checkout.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const update = process.argv.includes("--update");

const { Extractor, ExtractorConfig } = require("@microsoft/api-extractor");

const temp = mkdtempSync(join(tmpdir(), "api-report-"));
let status;
try {
  status = run();
} finally {
  rmSync(temp, { recursive: true, force: true });
}
process.exit(status);

function run() {
  // The declarations, as `npm run build` would emit them, without the JavaScript.
  const dts = join(temp, "dts");
  const tsc = spawnSync(
    process.execPath,
    [require.resolve("typescript/bin/tsc"), "-p", join(root, "tsconfig.build.json"), "--emitDeclarationOnly", "--outDir", dts],
    { cwd: root, stdio: "inherit" },
  );
  if (tsc.status !== 0) {
    console.error("api-report: tsc could not emit the declarations (above)");
    return 1;
  }

  const configFile = join(root, "api-extractor.json");
  const configObject = ExtractorConfig.loadFile(configFile);
  configObject.mainEntryPointFilePath = join(dts, "lib", "index.d.ts");
  configObject.apiReport = { ...configObject.apiReport, reportTempFolder: join(temp, "report") };
  const config = ExtractorConfig.prepare({
    configObject,
    configObjectFullPath: configFile,
    packageJsonFullPath: join(root, "package.json"),
  });

  const result = Extractor.invoke(config, {
    localBuild: update,
    showVerboseMessages: false,
    // api-extractor's own advice on a changed report ("copy the file…") is replaced by the diff below,
    // and its note on which TypeScript it bundles is noise.
    messageCallback(message) {
      if (message.messageId === "console-api-report-not-copied" || message.messageId === "console-preamble") message.handled = true;
    },
  });
  const committed = config.reportFilePath;
  const fresh = config.reportTempFilePath;

  if (update) {
    console.log(`api-report: wrote ${relative(root, committed)}`);
    return result.errorCount === 0 ? 0 : 1;
  }
  if (result.apiReportChanged) {
    console.error(`\napi-report: the public API differs from ${relative(root, committed)}:\n`);
    if (existsSync(committed)) {
      spawnSync("git", ["diff", "--no-index", "--no-color", "--", committed, fresh], { stdio: "inherit" });
    } else {
      console.error(`(${relative(root, committed)} does not exist yet)`);
    }
    console.error("\nWhen the change is meant, run `npm run api:update` and commit the report with it.");
    return 1;
  }
  if (!result.succeeded) {
    console.error(`api-report: ${result.errorCount} error(s), ${result.warningCount} warning(s) (above)`);
    return 1;
  }
  return 0;
}
