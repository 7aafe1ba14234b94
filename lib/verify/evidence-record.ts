/**
 * The record of the PAT policy evidence for auditors (`verify --evidence-out FILE`): per
 * organization, each setting with its declared value, status, evidence and links, and when GitHub
 * was read. Markdown, or JSON with `--json`. Pure: text from the reports.
 */
import { md } from "../text";
import type { PatPolicyEvidence } from "./pat-policy-evidence";

/** The JSON record: the reports as they are, under a version for readers. */
export function evidenceJson(records: readonly PatPolicyEvidence[]): string {
  return JSON.stringify({ kind: "token-policy/pat-policy-evidence", version: 1, organizations: records }, null, 2) + "\n";
}

/** The Markdown record: one section per organization, one table row per setting. */
export function evidenceMarkdown(records: readonly PatPolicyEvidence[]): string {
  let out = "# PAT policy evidence\n\n";
  out += "Each setting of the organization's PAT policy as GitHub's own records show it. No API reads the policy itself: ";
  out += "**holds** means the evidence agrees with the declared value, **contradicted** that it disagrees, ";
  out += "**not checkable here** that the evidence cannot tell (the reason is given).\n";
  for (const r of records) {
    out += `\n## ${md(r.org)}\n\nRead ${r.readAt} from: ${r.sources.length ? r.sources.join(", ") : "no source"}.\n\n`;
    out += "| Setting | Declared | Status | Evidence |\n|---|---|---|---|\n";
    for (const s of r.settings) {
      const evidence = s.findings
        .map((f) => `*${f.source}*: ${md(f.text)}${f.links.length ? ` ${f.links.map((l) => `[link](${l})`).join(" ")}` : ""}`)
        .join("<br>");
      const status = s.status === "contradicted" ? `**contradicted** ([fix](${s.fixUrl}))` : s.status;
      out += `| ${s.setting} | ${md(s.declared)} | ${status} | ${evidence} |\n`;
    }
  }
  return out;
}
