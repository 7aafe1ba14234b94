/**
 * `token-policy verify`: checks GitHub against the config, as the App (the checks live in
 * `lib/verify`). One line per drift with what to do and where, then the PAT policy setting by
 * setting as the evidence shows it; exit 3 on drift. `--evidence-out` keeps the PAT policy
 * evidence as a record for auditors.
 */
import { statSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { configFileName, findOrganization, loadConfig } from "../../lib/config/load";
import { UsageError } from "../../lib/config/errors";
import { verifyOrganization, type VerifyReport } from "../../lib/verify/verify";
import { enterpriseOf } from "../../lib/config/effective-policy";
import { evidenceJson, evidenceMarkdown } from "../../lib/verify/evidence-record";
import type { PatPolicyEvidence } from "../../lib/verify/pat-policy-evidence";
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
    if (report.patPolicy) io.stdout.write(patPolicyText(report.patPolicy));
    io.stdout.write(report.drift.length ? `${org.login}: ${report.drift.length} drift${report.drift.length === 1 ? "" : "s"}.\n` : `${org.login}: no drift.\n`);
  }
  return report;
}

/** The PAT policy, one line per setting and one indented line per source's finding. */
function patPolicyText(e: PatPolicyEvidence): string {
  let out = `PAT policy (evidence: ${e.sources.join(", ") || "none"}):\n`;
  for (const s of e.settings) {
    out += `  ${s.setting} ${clean(s.declared)}: ${s.status}${s.status === "contradicted" ? ` (fix: ${s.fixUrl})` : ""}\n`;
    for (const f of s.findings) out += `    ${f.source}: ${clean(f.text)}\n`;
  }
  return out;
}

/** Throws a UsageError (exit 2) before any call when `file` cannot be where the record goes. */
export function checkEvidenceOut(file: string): void {
  const problem = (what: string) => new UsageError(`--evidence-out ${clean(file)}: ${what}; give a file path in an existing directory`);
  let dir;
  try {
    dir = statSync(dirname(file));
  } catch {
    throw problem(`its directory ${clean(dirname(file))} does not exist`);
  }
  if (!dir.isDirectory()) throw problem(`${clean(dirname(file))} is not a directory`);
  let existing;
  try {
    existing = statSync(file);
  } catch {
    return; // a new file
  }
  if (existing.isDirectory()) throw problem("it is a directory");
}

/**
 * Writes the PAT policy evidence of the organizations read to `file`: Markdown, or JSON when
 * `json`. `expected` are the organizations asked for; any not read is named in the record.
 */
export function writeEvidence(file: string, records: readonly PatPolicyEvidence[], json: boolean, expected: readonly string[] = records.map((r) => r.org)): void {
  const key = (login: string) => login.toLowerCase();
  const missing = expected.filter((login) => !records.some((r) => key(r.org) === key(login)));
  const order = (login: string) => expected.findIndex((l) => key(l) === key(login));
  const sorted = [...records].sort((a, b) => order(a.org) - order(b.org));
  let text = json ? evidenceJson(sorted) : evidenceMarkdown(sorted);
  if (missing.length && json) text = JSON.stringify({ ...JSON.parse(text), notRead: missing }, null, 2) + "\n";
  else if (missing.length) text += `\nNot read (verify failed for them; see the run's output): ${missing.map(clean).join(", ")}.\n`;
  try {
    writeFileSync(file, text);
  } catch (e) {
    throw new UsageError(`--evidence-out ${clean(file)}: cannot write it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); give a writable file path`);
  }
}
