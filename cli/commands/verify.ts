/**
 * `token-policy verify`: checks GitHub against the config, as the App (the checks live in
 * `lib/verify`). One line per drift with what to do and where; exit 3 on drift.
 */
import { configFileName, findOrganization, loadConfig } from "../../lib/config/load";
import { verifyOrganization, type VerifyReport } from "../../lib/verify/verify";
import { enterpriseOf } from "../../lib/config/effective-policy";
import { clean } from "../../lib/text";
import type { CommandIO } from "../io";

export type { Drift, VerifyReport } from "../../lib/verify/verify";

/** Options of {@link verify}. */
export interface VerifyOptions {
  readonly org: string;
  readonly config?: string;
  readonly json?: boolean;
  /** The file create-app wrote, for the App's credentials. @default the environment's */
  readonly credentials?: string;
}

/** Runs every check it can and prints; returns the report (the CLI exits 3 when `drift` is not empty). */
export async function verify(options: VerifyOptions, io: CommandIO): Promise<VerifyReport> {
  const loaded = loadConfig(configFileName(options.config, io.env));
  const org = findOrganization(loaded, options.org);
  const report = await verifyOrganization(org, io, options.credentials, enterpriseOf(loaded.config, org));
  if (options.json) io.stdout.write(JSON.stringify(report, null, 2) + "\n");
  else {
    for (const d of report.drift) io.stdout.write(`drift: ${clean(d.check)}: expected ${clean(d.expected)}, found ${clean(d.actual)}. ${d.fix} ${d.url}\n`);
    for (const n of report.notChecked) io.stdout.write(`not checked: ${n}\n`);
    io.stdout.write(report.drift.length ? `${org.login}: ${report.drift.length} drift${report.drift.length === 1 ? "" : "s"}.\n` : `${org.login}: no drift.\n`);
  }
  return report;
}
