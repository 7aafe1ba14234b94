/**
 * One review run of one organization, the engine behind `review` and `serve`'s sweep: list and
 * decide its pending requests, check its granted tokens, then (with `apply`) write the decisions
 * and revocations in bulk. Everything is returned, a failure included (the stage it stopped in
 * and the error), so that what was decided before it is never lost; with `apply`, what the run
 * did not send is marked `not-sent`. GitHub's client is injected.
 */
import type { ApprovalPolicy } from "../approval/evaluate";
import { DEFAULT_MASS_REVOCATION, type OrganizationConfig } from "../config/schema";
import type { GitHubClient } from "../github/client";
import { describeGitHubError, isGitHubError, type GitHubErrorContext } from "../github/errors";
import { applyReviews, applyRevocations, markOutcome } from "./apply";
import { checkGrantPages, decidePages, type RequestDecision, type TokenRevocation, type UnreadableGrant } from "./decide";
import { TeamMembers } from "./teams";
import type { DecisionClock } from "./clock";

/** The stages of a run, in order. */
export type ReviewStage = "decide" | "check-grants" | "apply-reviews" | "apply-revocations";

/** How far a stage has got: requests decided, tokens checked, reviews or revocations sent. */
export interface ReviewProgress {
  /** The stage under way. */
  readonly stage: ReviewStage;
  /** Items done in that stage so far. */
  readonly count: number;
}

/** Options of {@link runReview}. */
export interface ReviewRunOptions {
  /** A client acting for the organization. */
  readonly client: GitHubClient;
  /** The organization's config entry, its effective policy included. */
  readonly org: OrganizationConfig;
  /** Write the decisions and revocations; otherwise only decide. @default false */
  readonly apply?: boolean;
  /**
   * Which checks of granted tokens the run makes: `all` (`revokeNonCompliant` and
   * `revokeUnusedAfterDays`, as `review` does) or `unused` (`revokeUnusedAfterDays` only, as
   * `serve`'s sweep does: `revokeNonCompliant` is left to `review`). @default "all"
   */
  readonly grants?: "all" | "unused";
  /**
   * Write the decisions before granted tokens are checked, so a failure to list or check the
   * grants never holds back a decision (`serve`'s sweep). `review` checks the grants first and
   * writes nothing when any listing fails. @default false
   */
  readonly applyReviewsFirst?: boolean;
  /** Called as each stage advances. @default none */
  readonly progress?: (progress: ReviewProgress) => void;
  /** The members of the teams the rules name, read once per run. @default a reader for this run */
  readonly teams?: TeamMembers;
  /**
   * The host's clock, for revocations for non-use; GitHub's time is used instead when the two
   * differ by more than a minute (`./clock`). @default Date.now
   */
  readonly now?: () => number;
  /**
   * The brake on revocations: a run that would revoke more than this of the organization's
   * granted tokens revokes none and reports them `held`, unless `allow`. Each field given here
   * wins over the organization's `review.massRevocation`.
   * @default the organization's `review.massRevocation` (the larger of 10 tokens and 10%), not allowed
   */
  readonly massRevocation?: MassRevocationLimit;
  /** Named in the description of a GitHub failure (the App id, the API root's variable). @default none */
  readonly errorContext?: GitHubErrorContext;
}

/** How many revocations one run may make before it makes none (see {@link revocationLimit}). */
export interface MassRevocationLimit {
  /** Revocations always allowed, however few tokens are granted. @default 10 */
  readonly minTokens?: number;
  /** The share of the granted tokens allowed, between 0 and 1. @default 0.1 */
  readonly share?: number;
  /** Revoke however many the checks find (`review --allow-mass-revoke`). @default false */
  readonly allow?: boolean;
}

/** The most revocations a run makes of `grants` granted tokens: the larger of `minTokens` and `share` of them. */
export function revocationLimit(grants: number, limit: MassRevocationLimit = {}): number {
  return Math.max(
    limit.minTokens ?? DEFAULT_MASS_REVOCATION.minTokens,
    Math.floor((limit.share ?? DEFAULT_MASS_REVOCATION.share) * grants),
  );
}

/** Why a run's revocations were held back: more than its limit. */
export interface HeldRevocations {
  /** Granted tokens checked. */
  readonly grants: number;
  /** The most revocations allowed for that many. */
  readonly limit: number;
  /** What a person reads. */
  readonly message: string;
}

/** Where and why a run stopped. */
export interface ReviewFailure {
  /** The stage that failed: in `decide` or `check-grants`, nothing was written. */
  readonly stage: ReviewStage;
  /** The error as thrown. */
  readonly error: unknown;
  /** What went wrong, for a person (GitHub's answer, likely cause and fix). */
  readonly message: string;
}

/** Everything a run did, in the order it did it. */
export interface ReviewRun {
  /** The organization's login. */
  readonly login: string;
  /** Whether the run was asked to write. */
  readonly applied: boolean;
  /** Every request decided, with its outcome when applied. */
  readonly decisions: RequestDecision[];
  /** Every granted token to revoke, with its outcome when applied. */
  readonly revocations: TokenRevocation[];
  /** Granted tokens left to an owner because they could not be read. */
  readonly unreadableGrants: UnreadableGrant[];
  /** Whether granted tokens were checked at all (the policy asks for a check the run makes). */
  readonly grantsChecked: boolean;
  /** Why the run stopped early, when it did. */
  readonly failure?: ReviewFailure;
  /** The clock ages were counted by, when tokens were checked for non-use. */
  readonly clock?: DecisionClock;
  /** Set when the revocations were more than the run may make: none was sent (each is `held`). */
  readonly held?: HeldRevocations;
}

/** Runs one review of one organization; never throws for GitHub's failures (see {@link ReviewRun.failure}). */
export async function runReview(options: ReviewRunOptions): Promise<ReviewRun> {
  const { client, org, progress = () => {} } = options;
  const login = org.login;
  const policy: ApprovalPolicy = { patPolicy: org.patPolicy, approval: org.approval };
  const nonCompliant = (options.grants ?? "all") === "all" && org.approval.revokeNonCompliant;
  const unusedAfterDays = org.approval.revokeUnusedAfterDays;
  const grantsChecked = nonCompliant || unusedAfterDays !== undefined;
  // Team members are read once per run, for requests and grants alike.
  const teams = options.teams ?? new TeamMembers(client, login);
  const run = {
    login,
    applied: Boolean(options.apply),
    decisions: [] as RequestDecision[],
    revocations: [] as TokenRevocation[],
    unreadableGrants: [] as UnreadableGrant[],
    grantsChecked,
    clock: undefined as DecisionClock | undefined,
    held: undefined as HeldRevocations | undefined,
  };

  let stage: ReviewStage = "decide";
  try {
    for await (const page of decidePages({ client, login, policy, teams })) {
      run.decisions.push(...page);
      progress({ stage, count: run.decisions.length });
    }
    const applyReviewsNow = async () => {
      stage = "apply-reviews";
      await applyReviews({ client, login, decisions: run.decisions, progress: (count) => progress({ stage, count }) });
    };
    if (options.apply && options.applyReviewsFirst) await applyReviewsNow();
    if (grantsChecked) {
      stage = "check-grants";
      let checked = 0;
      for await (const page of checkGrantPages({ client, login, policy, nonCompliant, unusedAfterDays, now: options.now, teams })) {
        run.revocations.push(...page.revocations);
        run.unreadableGrants.push(...page.unreadableGrants);
        if (page.clock) run.clock = page.clock;
        checked += page.checked;
        progress({ stage, count: checked });
      }
      const brake = { ...DEFAULT_MASS_REVOCATION, ...org.review?.massRevocation, ...definedOnly(options.massRevocation) };
      const limit = revocationLimit(checked, brake);
      if (run.revocations.length > limit && !brake.allow) {
        run.held = {
          grants: checked,
          limit,
          message: `${run.revocations.length} of ${checked} granted tokens would be revoked, more than one run may revoke (${limit}: the larger of ${brake.minTokens} and ${+(brake.share * 100).toFixed(2)}%, review.massRevocation); none was revoked. Check the list (a wrong clock or rule revokes many at once), then run review --apply --allow-mass-revoke`,
        };
      }
    }
    if (options.apply) {
      if (!options.applyReviewsFirst) await applyReviewsNow();
      if (run.held) markOutcome(run.revocations, "held", run.held.message);
      else {
        stage = "apply-revocations";
        await applyRevocations({ client, login, revocations: run.revocations, progress: (count) => progress({ stage, count }) });
      }
    }
    return run;
  } catch (error) {
    const message = describeFailure(error, options.errorContext);
    if (options.apply) {
      const unsent = [...run.decisions.filter((d) => d.action !== "leave"), ...run.revocations].filter((x) => !x.outcome);
      markOutcome(unsent, "not-sent", `the run stopped first: ${message}`);
    }
    return { ...run, failure: { stage, error, message } };
  }
}

/** The fields of `limit` that are set: an option left undefined never hides the config's value. */
function definedOnly(limit: MassRevocationLimit = {}): MassRevocationLimit {
  return Object.fromEntries(Object.entries(limit).filter(([, v]) => v !== undefined));
}

function describeFailure(e: unknown, ctx: GitHubErrorContext = {}): string {
  return isGitHubError(e) ? describeGitHubError(e, ctx) : `${(e as Error).message ?? String(e)}`;
}
