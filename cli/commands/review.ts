/**
 * `token-policy review`: applies the organization's approval policy to pending fine-grained PAT
 * requests (approve, deny or leave), and with `revokeNonCompliant` revokes granted tokens that
 * break it. Dry run unless `--apply`.
 */
import { appendFileSync } from "node:fs";
import { evaluate, evaluateGrant, type ApprovalPolicy, type ReviewAction } from "../../lib/approval/evaluate";
import { GONE, listAccess, PAGE, repositoryNames, type RawAccess } from "../../lib/review/listing";
import { applyReviews, applyRevocations, markOutcome, type Outcome } from "../../lib/review/apply";
import { configFileName, findOrganization, loadConfig } from "../../lib/config/load";
import { authFor, clientFor } from "../github";
import { describeGitHubError, isGitHubError, type GitHubErrorContext } from "../../lib/github/errors";
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

/** One decision, as printed and returned. */
export interface DecisionRecord {
  readonly requestId: number;
  readonly owner: string;
  readonly tokenName: string;
  readonly action: ReviewAction;
  readonly rule: string;
  readonly reason: string;
  /** Set with --apply for approve and deny, and for requests gone while being read. */
  outcome?: Outcome;
  /** Why the outcome is `unknown` or `failed`. */
  outcomeReason?: string;
}

/** One revocation, as printed and returned. */
export interface RevocationRecord {
  /** The grant's id (`pat_id`), which the revoke call takes. */
  readonly tokenId: number;
  readonly owner: string;
  readonly tokenName: string;
  readonly reason: string;
  outcome?: Outcome;
  outcomeReason?: string;
}

/** A granted token the logic could not read: neither compliant nor revoked; an owner looks. */
export interface UnreadableGrant {
  readonly tokenId: number;
  readonly owner: string;
  readonly tokenName: string;
  /** What could not be read. */
  readonly unreadable: string;
}

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
  const errorContext = { appId: auth?.kind === "app" ? auth.appId : undefined };
  const client = await clientFor(io, org, { auth });
  const progress = new Progress(io, !options.json);
  const login = org.login;

  const report: ReviewReport = { org: login, applied: Boolean(options.apply), decisions: [], revocations: [], unreadableGrants: [] };
  let failure: string | undefined;
  let listed = false;
  try {
    // Decide every pending request, a page at a time; repositories only when a rule needs them.
    for await (const page of listAccess(client, login, "request")) {
      for (const { raw: r, access } of page) {
        let e = evaluate(access, policy);
        if ("needsRepositories" in e) {
          const names = await repositoryNames(client, "request", login, r.id);
          if (names === GONE) {
            report.decisions.push({ ...recordOf(r), action: "leave", rule: "gone", reason: "No longer pending when its repositories were read: withdrawn, or decided meanwhile.", outcome: "already-decided" });
            continue;
          }
          e = evaluate(access, policy, names);
        }
        if (!("decided" in e)) throw new Error("evaluate asked for repositories twice");
        report.decisions.push({ ...recordOf(r), ...e.decided });
      }
      progress.show(`${login}: ${report.decisions.length} pending requests decided`);
    }
    if (org.approval.revokeNonCompliant) {
      for await (const page of listAccess(client, login, "grant")) {
        for (const { raw: g, access } of page) {
          let e = evaluateGrant(access, policy);
          if ("needsRepositories" in e) {
            const names = await repositoryNames(client, "grant", login, g.id);
            if (names === GONE) continue; // revoked meanwhile: nothing left to revoke
            e = evaluateGrant(access, policy, names);
          }
          if (!("revoke" in e)) throw new Error("evaluateGrant asked for repositories twice");
          if (e.unreadable) report.unreadableGrants.push({ tokenId: g.id, owner: g.owner?.login ?? "?", tokenName: g.token_name, unreadable: e.unreadable });
          else if (e.revoke) report.revocations.push({ tokenId: g.id, owner: g.owner.login, tokenName: g.token_name, reason: e.revoke.reason });
        }
        progress.show(`${login}: granted tokens checked`);
      }
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

function recordOf(r: RawAccess): Pick<DecisionRecord, "requestId" | "owner" | "tokenName"> {
  return { requestId: r.id, owner: r.owner?.login ?? "?", tokenName: r.token_name };
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
