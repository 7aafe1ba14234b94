/**
 * How `review` prints a run: tables for a terminal, and Markdown for a GitHub Actions step
 * summary. `--json` prints the report as it is. Who decided shows as `decidedByText`: `rule
 * "NAME"` for a rule of the organization, `(otherwise)` for a built-in outcome.
 */
import type { ReviewAction } from "../../lib/approval/evaluate";
import { decidedByText } from "../../lib/approval/outcomes";
import type { Outcome } from "../../lib/review/apply";
import type { RequestDecision, TokenRevocation, UnreadableGrant } from "../../lib/review/decide";
import { md } from "../../lib/text";
import { table } from "../io";

/** The command's result; `--json` prints it. */
export interface ReviewReport {
  /** The organization's login. */
  readonly org: string;
  /** Whether the run was asked to write (`--apply`). */
  readonly applied: boolean;
  /** Every request decided, with its outcome when applied. */
  readonly decisions: RequestDecision[];
  /** Every granted token to revoke, with its outcome when applied. */
  readonly revocations: TokenRevocation[];
  /** Granted tokens left to an owner because they could not be read (with revokeNonCompliant). */
  readonly unreadableGrants: UnreadableGrant[];
  /** Whose time token ages were counted by, when not this host's (or that none could be read). */
  readonly clock?: string;
  /** Why no token was revoked: more revocations than one run may make. */
  readonly held?: string;
}

/** The clock and brake lines, each on its own line, or nothing. */
function notes(report: ReviewReport): string[] {
  return [...(report.clock ? [`Clock: ${report.clock}`] : []), ...(report.held ? [`Held: ${report.held}.`] : [])];
}

function counts(report: ReviewReport): string {
  const by = (a: ReviewAction) => report.decisions.filter((d) => d.action === a).length;
  return `${report.decisions.length} pending: ${by("approve")} approve, ${by("deny")} deny, ${by("leave")} leave; ${report.revocations.length} revocations`;
}

/** The closing line: what was applied, only when something was. */
function closing(report: ReviewReport): string {
  if (!report.applied) return "Dry run: nothing was changed. Run with --apply to make these calls.";
  const all = [...report.decisions, ...report.revocations];
  const n = (o: Outcome) => all.filter((x) => x.outcome === o).length;
  const parts = [`${n("applied")} applied`, `${n("already-decided")} already decided`];
  if (n("failed")) parts.push(`${n("failed")} failed`);
  if (n("unknown")) parts.push(`${n("unknown")} unknown (see OUTCOME)`);
  if (n("not-sent")) parts.push(`${n("not-sent")} not sent`);
  if (n("held")) parts.push(`${n("held")} revocations held`);
  if (n("applied") === 0 && n("failed") === 0 && n("unknown") === 0 && n("not-sent") === 0 && n("held") === 0)
    return `Nothing to apply (${parts[1]}).`;
  return `${parts.join(", ")}.`;
}

function outcomeText(x: { outcome?: Outcome; outcomeReason?: string }): string {
  return x.outcome ? `${x.outcome}${x.outcomeReason ? `: ${x.outcomeReason}` : ""}` : "-";
}

/** The report as tables, cells cut at `width` characters. */
export function renderReviewTables(report: ReviewReport, width: number): string {
  const withOutcome = report.applied || report.decisions.some((d) => d.outcome);
  let out = "";
  if (report.decisions.length) {
    out += table(
      ["REQUEST", "OWNER", "TOKEN", "ACTION", "RULE", "REASON", ...(withOutcome ? ["OUTCOME"] : [])],
      report.decisions.map((d) => [
        String(d.requestId),
        d.owner,
        d.tokenName,
        d.action,
        decidedByText(d.decidedBy),
        d.reason,
        ...(withOutcome ? [outcomeText(d)] : []),
      ]),
      width,
    );
  }
  if (report.revocations.length) {
    out += "\nRevocations:\n";
    out += table(
      ["TOKEN ID", "OWNER", "TOKEN", "REASON", ...(report.applied ? ["OUTCOME"] : [])],
      report.revocations.map((r) => [String(r.tokenId), r.owner, r.tokenName, r.reason, ...(report.applied ? [outcomeText(r)] : [])]),
      width,
    );
  }
  if (report.unreadableGrants.length) {
    out += "\nGranted tokens that could not be read (not revoked; an owner should look):\n";
    out += table(
      ["TOKEN ID", "OWNER", "TOKEN", "NOT UNDERSTOOD"],
      report.unreadableGrants.map((g) => [String(g.tokenId), g.owner, g.tokenName, g.unreadable]),
      width,
    );
  }
  out += `\n${report.org}: ${counts(report)}.\n`;
  for (const line of notes(report)) out += `${line}\n`;
  out += `${closing(report)}\n`;
  return out;
}

/** The report as a step summary in Markdown (at most 500 decisions listed), with the failure if any. */
export function renderReviewMarkdown(report: ReviewReport, failure?: string): string {
  let out = `## Token requests in ${md(report.org)}${report.applied ? "" : " (dry run)"}\n\n${counts(report)}.\n\n`;
  if (failure) out += `**Failed:** ${md(failure)}\n\n`;
  for (const line of notes(report)) out += `**${md(line.split(": ")[0])}:** ${md(line.slice(line.indexOf(": ") + 2))}\n\n`;
  const decided = report.decisions.filter((d) => d.action !== "leave");
  if (report.decisions.length) {
    out += "| Request | Owner | Token | Action | Rule | Reason |\n|---|---|---|---|---|---|\n";
    for (const d of [...decided, ...report.decisions.filter((x) => x.action === "leave")].slice(0, 500)) {
      out += `| ${d.requestId} | ${md(d.owner)} | ${md(d.tokenName)} | ${d.action}${d.outcome ? ` (${md(outcomeText(d))})` : ""} | ${md(decidedByText(d.decidedBy))} | ${md(d.reason)} |\n`;
    }
    if (report.decisions.length > 500) out += `\n…and ${report.decisions.length - 500} more.\n`;
  }
  if (report.revocations.length) {
    out += "\n### Revocations\n\n| Token | Owner | Name | Reason |\n|---|---|---|---|\n";
    for (const r of report.revocations)
      out += `| ${r.tokenId} | ${md(r.owner)} | ${md(r.tokenName)} | ${md(r.reason)}${r.outcome ? ` (${md(outcomeText(r))})` : ""} |\n`;
  }
  return out + "\n";
}

/** The report as printed by `--json`: one object, indented. */
export function renderReviewJson(report: ReviewReport): string {
  return JSON.stringify(report, null, 2) + "\n";
}
