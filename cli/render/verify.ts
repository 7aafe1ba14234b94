/**
 * What `verify` prints: one line per drift with what to do and where, what was not checked, the
 * PAT policy setting by setting with each source's finding, and the total; and the PAT policy
 * evidence record for auditors (`--evidence-out`), in Markdown or JSON.
 */
import type { PatPolicyEvidence } from "../../lib/verify/pat-policy-evidence";
import type { VerifyReport } from "../../lib/verify/verify";
import { evidenceJson, evidenceMarkdown } from "../../lib/verify/evidence-record";
import { clean } from "../../lib/text";

/** The report as text, ending with the organization's drift count. */
export function verifyText(report: VerifyReport): string {
  let out = "";
  for (const d of report.drift)
    out += `drift: ${clean(d.check)}: expected ${clean(d.expected)}, found ${clean(d.actual)}. ${d.fix} ${d.url}\n`;
  for (const n of report.notChecked) out += `not checked: ${n}\n`;
  if (report.patPolicy) out += patPolicyText(report.patPolicy);
  const n = report.drift.length;
  return out + (n ? `${report.org}: ${n} drift${n === 1 ? "" : "s"}.\n` : `${report.org}: no drift.\n`);
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

/**
 * The evidence record of the organizations read, in the order of `expected` (the organizations
 * asked for); any not read is named in it. Markdown, or JSON when `json`.
 */
export function evidenceText(
  records: readonly PatPolicyEvidence[],
  json: boolean,
  expected: readonly string[] = records.map((r) => r.org),
): string {
  const key = (login: string) => login.toLowerCase();
  const missing = expected.filter((login) => !records.some((r) => key(r.org) === key(login)));
  const order = (login: string) => expected.findIndex((l) => key(l) === key(login));
  const sorted = [...records].sort((a, b) => order(a.org) - order(b.org));
  let text = json ? evidenceJson(sorted) : evidenceMarkdown(sorted);
  if (missing.length && json) text = JSON.stringify({ ...JSON.parse(text), notRead: missing }, null, 2) + "\n";
  else if (missing.length) text += `\nNot read (verify failed for them; see the run's output): ${missing.map(clean).join(", ")}.\n`;
  return text;
}
