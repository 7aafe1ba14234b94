/**
 * `token-policy review`: applies the organization's approval policy to pending fine-grained PAT
 * requests (approve, deny or leave), and with `revokeNonCompliant` revokes granted tokens that
 * break it, with `revokeUnusedAfterDays` those not used for that long. Dry run unless `--apply`.
 * The work is the review run's (`lib/review/run`); this module only drives and prints it.
 */
import { appendFileSync } from "node:fs";
import { authenticationFor, clientFor } from "../../lib/github/authentication";
import { apiUrlVariable } from "../../lib/github/errors";
import { clockNote } from "../../lib/review/clock";
import { runReview, type ReviewStage } from "../../lib/review/run";
import { loadOrganization } from "../context";
import { CommandFailure, GitHubFailure, type CommandIO } from "../io";
import { ProgressLine } from "../render/progress";
import { renderReviewJson, renderReviewMarkdown, renderReviewTables, type ReviewReport } from "../render/review";

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
  /** Revoke even when the run would revoke more than `review.massRevocation` allows (by default the larger of 10 tokens and 10%). @default false */
  readonly allowMassRevoke?: boolean;
}

export type { Outcome } from "../../lib/review/apply";
export type { RequestDecision, TokenRevocation, UnreadableGrant } from "../../lib/review/decide";
export type { ReviewReport } from "../render/review";

const PROGRESS: Record<ReviewStage, string> = {
  decide: "pending requests decided",
  "check-grants": "granted tokens checked",
  "apply-reviews": "reviews sent",
  "apply-revocations": "revocations sent",
};

/**
 * Runs the review. Returns the report; throws {@link GitHubFailure} (exit 1) after printing
 * what was done when GitHub or the network fails, {@link CommandFailure} (exit 1) after printing
 * the list when `--apply` was held by the brake, a ConfigError or UsageError (exit 2) on bad
 * input before any call.
 */
export async function review(options: ReviewOptions, io: CommandIO): Promise<ReviewReport> {
  const { org } = loadOrganization(options, io.env);
  const auth = io.client ? undefined : authenticationFor(io, org, options.credentials);
  const errorContext = { appId: auth?.kind === "app" ? auth.appId : undefined, apiUrlVariable: apiUrlVariable(io.env) };
  const client = await clientFor(io, org, { auth });
  const progress = new ProgressLine(io, !options.json);
  const run = await runReview({
    client,
    org,
    apply: options.apply,
    massRevocation: { allow: Boolean(options.allowMassRevoke) },
    errorContext,
    progress: (p) => progress.show(`${org.login}: ${p.count} ${PROGRESS[p.stage]}`),
  });
  progress.done();

  const failure = run.failure?.message;
  // A listing that failed decided nothing: print the failure alone, never a summary that reads
  // as a clean run.
  if (run.failure && (run.failure.stage === "decide" || run.failure.stage === "check-grants"))
    throw new GitHubFailure(`${failure}. Nothing was decided.`);
  const report: ReviewReport = {
    org: run.login,
    applied: run.applied,
    decisions: run.decisions,
    revocations: run.revocations,
    unreadableGrants: run.unreadableGrants,
    ...(run.clock && clockNote(run.clock) ? { clock: clockNote(run.clock) } : {}),
    ...(run.held ? { held: run.held.message } : {}),
  };
  io.stdout.write(options.json ? renderReviewJson(report) : renderReviewTables(report, options.wide ? Infinity : 60));
  if (io.env.GITHUB_STEP_SUMMARY) appendFileSync(io.env.GITHUB_STEP_SUMMARY, renderReviewMarkdown(report, failure));
  if (failure) throw new GitHubFailure(failure);
  // A held run must not read as a clean one in a scheduled job: it exits 1 after printing the list.
  if (run.held && options.apply) throw new CommandFailure("revocations held by review.massRevocation: none was sent (see the list above)");
  return report;
}
