/**
 * `token-policy review`: applies the organization's approval policy to pending fine-grained PAT
 * requests (approve, deny or leave), and with `revokeNonCompliant` revokes granted tokens that
 * break it, with `revokeUnusedAfterDays` those not used for that long. Dry run unless `--apply`.
 */
import { appendFileSync } from "node:fs";
import type { ApprovalPolicy, ReviewAction } from "../../lib/approval/evaluate";
import { PAGE } from "../../lib/review/listing";
import { checkGrants, decidePending, type DecisionRecord, type RevocationRecord, type UnreadableGrant } from "../../lib/review/decide";
import { TeamMembers } from "../../lib/review/teams";
import { applyReviews, applyRevocations, markOutcome, type Outcome } from "../../lib/review/apply";
import { configFileName, findOrganization, loadConfig } from "../../lib/config/load";
import { authFor, clientFor } from "../../lib/github/credentials";
import { apiUrlVariable, describeGitHubError, isGitHubError, type GitHubErrorContext } from "../../lib/github/errors";
import { md } from "../../lib/text";
import { GitHubFailure, table, type CommandIO } from "../io";

/** Options of {@link review}. */
export interface ReviewOptions {
  /** The organization's login, as in the config. */
  readonly org: string;
  /** Config file. @default TOKEN_POLICY_CONFIG or token-policy.yaml */
  readonly config?: string;
  /** Make the calls; otherwise only report. @default false */
  readonly apply?: boolean;
  /** Print one JSON object instead of tables. @default false */
  readonly json?: boolean;
  /** The file create-app wrote, for the App's credentials. @default the environment's */
  readonly credentials?: string;
  /** Show whole reasons in the table. @default false */
  readonly wide?: boolean;
}

export type { Outcome } from "../../lib/review/apply";

export type { DecisionRecord, RevocationRecord, UnreadableGrant } from "../../lib/review/decide";

/** The command's result; `--json` prints it. */
export interface ReviewReport {
  readonly org: string;
  readonly applied: boolean;
  readonly decisions: DecisionRecord[];
  readonly revocations: RevocationRecord[];
  /** Granted tokens left to an owner because they could not be read (with revokeNonCompliant). */
  readonly unreadableGrants: UnreadableGrant[];
}

/** GitHub takes at most this many ids per bulk call. */
export const BATCH = PAGE;


/**
 * Runs the review. Returns the report; throws {@link GitHubFailure} (exit 1) after printing
 * what was done when GitHub or the network fails, a ConfigError or UsageError (exit 2) on bad
 * input before any call.
 */
export async function review(options: ReviewOptions, io: CommandIO): Promise<ReviewReport> {
  const loaded = loadConfig(configFileName(options.config, io.env));
  const org = findOrganization(loaded, options.org);
  const policy: ApprovalPolicy = { patPolicy: org.patPolicy, approval: org.approval };
  const auth = io.client ? undefined : authFor(io, org, options.credentials);
  const errorContext = { appId: auth?.kind === "app" ? auth.appId : undefined, apiUrlVariable: apiUrlVariable(io.env) };
  const client = await clientFor(io, org, { auth });
  const progress = new Progress(io, !options.json);
  const login = org.login;

  const report: ReviewReport = { org: login, applied: Boolean(options.apply), decisions: [], revocations: [], unreadableGrants: [] };
  let failure: string | undefined;
  let listed = false;
  try {
    // Team members are read once per run, for requests and grants alike.
    const teams = new TeamMembers(client, login);
    await decidePending(client, login, policy, report.decisions, (n) => progress.show(`${login}: ${n} pending requests decided`), teams);
    if (org.approval.revokeNonCompliant || org.approval.revokeUnusedAfterDays !== undefined) {
      const checks = { nonCompliant: org.approval.revokeNonCompliant, unusedAfterDays: org.approval.revokeUnusedAfterDays };
      await checkGrants(client, login, policy, report, (n) => progress.show(`${login}: ${n} granted tokens checked`), checks, teams);
    }
    listed = true;
    if (options.apply) {
      await applyReviews(client, login, report.decisions, (n) => progress.show(`${login}: ${n} reviews sent`));
      await applyRevocations(client, login, report.revocations, (n) => progress.show(`${login}: ${n} revocations sent`));
    }
  } catch (e) {
    failure = describeFailure(e, errorContext);
    if (options.apply) {
      const unsent = [...report.decisions.filter((d) => d.action !== "leave"), ...report.revocations].filter((x) => !x.outcome);
      markOutcome(unsent, "not-sent", `the run stopped first: ${failure}`);
    }
  }
  progress.done();

  // A listing that failed decided nothing: print the failure alone, never a summary that reads
  // as a clean run.
  if (failure && !listed) throw new GitHubFailure(`${failure}. Nothing was decided.`);
  if (options.json) io.stdout.write(JSON.stringify(report, null, 2) + "\n");
  else io.stdout.write(render(report, options.wide ? Infinity : 60));
  if (io.env.GITHUB_STEP_SUMMARY) appendFileSync(io.env.GITHUB_STEP_SUMMARY, markdown(report, failure));
  if (failure) throw new GitHubFailure(failure);
  return report;
}


function describeFailure(e: unknown, ctx: GitHubErrorContext = {}): string {
  return isGitHubError(e) ? describeGitHubError(e, ctx) : `${(e as Error).message ?? String(e)}`;
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
  if (n("applied") === 0 && n("failed") === 0 && n("unknown") === 0 && n("not-sent") === 0) return `Nothing to apply (${parts[1]}).`;
  return `${parts.join(", ")}.`;
}

function outcomeText(x: { outcome?: Outcome; outcomeReason?: string }): string {
  return x.outcome ? `${x.outcome}${x.outcomeReason ? `: ${x.outcomeReason}` : ""}` : "-";
}

function render(report: ReviewReport, width: number): string {
  const withOutcome = report.applied || report.decisions.some((d) => d.outcome);
  let out = "";
  if (report.decisions.length) {
    out += table(
      ["REQUEST", "OWNER", "TOKEN", "ACTION", "RULE", "REASON", ...(withOutcome ? ["OUTCOME"] : [])],
      report.decisions.map((d) => [String(d.requestId), d.owner, d.tokenName, d.action, d.rule, d.reason, ...(withOutcome ? [outcomeText(d)] : [])]),
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
    out += table(["TOKEN ID", "OWNER", "TOKEN", "NOT UNDERSTOOD"], report.unreadableGrants.map((g) => [String(g.tokenId), g.owner, g.tokenName, g.unreadable]), width);
  }
  out += `\n${report.org}: ${counts(report)}.\n`;
  out += `${closing(report)}\n`;
  return out;
}

function markdown(report: ReviewReport, failure?: string): string {
  let out = `## Token requests in ${md(report.org)}${report.applied ? "" : " (dry run)"}\n\n${counts(report)}.\n\n`;
  if (failure) out += `**Failed:** ${md(failure)}\n\n`;
  const decided = report.decisions.filter((d) => d.action !== "leave");
  if (report.decisions.length) {
    out += "| Request | Owner | Token | Action | Rule | Reason |\n|---|---|---|---|---|---|\n";
    for (const d of [...decided, ...report.decisions.filter((x) => x.action === "leave")].slice(0, 500)) {
      out += `| ${d.requestId} | ${md(d.owner)} | ${md(d.tokenName)} | ${d.action}${d.outcome ? ` (${md(outcomeText(d))})` : ""} | ${md(d.rule)} | ${md(d.reason)} |\n`;
    }
    if (report.decisions.length > 500) out += `\n…and ${report.decisions.length - 500} more.\n`;
  }
  if (report.revocations.length) {
    out += "\n### Revocations\n\n| Token | Owner | Name | Reason |\n|---|---|---|---|\n";
    for (const r of report.revocations) out += `| ${r.tokenId} | ${md(r.owner)} | ${md(r.tokenName)} | ${md(r.reason)}${r.outcome ? ` (${md(outcomeText(r))})` : ""} |\n`;
  }
  return out + "\n";
}

/** One updating line on a terminal; silent elsewhere. */
class Progress {
  private shown = false;
  constructor(private readonly io: CommandIO, private readonly enabled: boolean) {}
  show(text: string): void {
    if (!this.enabled || !this.io.stderr.isTTY) return;
    this.io.stderr.write(`\r\u001b[2K${text}`);
    this.shown = true;
  }
  done(): void {
    if (this.shown) this.io.stderr.write("\r\u001b[2K");
  }
}
