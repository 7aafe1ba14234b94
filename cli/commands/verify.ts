/**
 * `token-policy verify`: checks GitHub against the config, as the App (the checks live in
 * `lib/verify`). One line per drift with what to do and where, then the PAT policy setting by
 * setting as the evidence shows it; exit 3 on drift. `--evidence-out` keeps the PAT policy
 * evidence as a record for auditors.
 */
import { verifyOrganization, type VerifyReport } from "../../lib/verify/verify";
import type { PatPolicyEvidence } from "../../lib/verify/pat-policy-evidence";
import { loadOrganization } from "../context";
import { checkOutputPath, writeNoFollow } from "../files";
import { evidenceText, verifyText } from "../render/verify";
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
  const { org, enterprise } = loadOrganization(options, io.env);
  const report = await verifyOrganization({ org, context: io, credentialsFile: options.credentials, enterprise });
  io.stdout.write(options.json ? JSON.stringify(report, null, 2) + "\n" : verifyText(report));
  return report;
}

/** Throws a UsageError (exit 2) before any call when `file` cannot be where the record goes. */
export function checkEvidenceOut(file: string): void {
  checkOutputPath(file, "--evidence-out");
}

/**
 * Writes the PAT policy evidence of the organizations read to `file`: Markdown, or JSON when
 * `json`. `expected` are the organizations asked for; any not read is named in the record.
 */
export function writeEvidence(file: string, records: readonly PatPolicyEvidence[], json: boolean, expected?: readonly string[]): void {
  writeNoFollow(file, evidenceText(records, json, expected), "--evidence-out");
}
