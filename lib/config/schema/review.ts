/**
 * The `review` section: how a review run (`review` and `serve`'s sweep) behaves, beyond what the
 * approval rules decide. `massRevocation` is the brake: a run that would revoke more than the
 * larger of `minTokens` and `share` of the organization's granted tokens revokes none and reports
 * them held (a fast host clock or a wrong rule revokes many at once); `review --apply
 * --allow-mass-revoke` lets one run through, and the sweep never does.
 */
import { z } from "zod";
import { obj } from "./primitives";

/** The brake when the config sets none: the larger of 10 tokens and 10% of the grants. */
export const DEFAULT_MASS_REVOCATION = { minTokens: 10, share: 0.1 } as const;

/**
 * The brake on revocations of one run.
 * @internal
 */
export const massRevocationSchema = obj({
  /** Revocations one run may always make, however few tokens are granted. @default 10 */
  minTokens: z
    .number({ error: "minTokens must be a whole number of tokens, 0 or more" })
    .int({ error: "minTokens must be a whole number of tokens, 0 or more" })
    .min(0, { error: "minTokens must be a whole number of tokens, 0 or more" })
    .default(DEFAULT_MASS_REVOCATION.minTokens),
  /** The share of the granted tokens one run may revoke: more than 0, at most 1 (all of them). @default 0.1 */
  share: z
    .number({ error: "share must be a number more than 0 and at most 1 (0.1 is 10% of the granted tokens)" })
    .gt(0, {
      error:
        "share must be more than 0 and at most 1 (0.1 is 10% of the granted tokens); to stop every mass revocation, keep minTokens low",
    })
    .max(1, { error: "share must be at most 1 (all the granted tokens); 0.1 is 10%" })
    .default(DEFAULT_MASS_REVOCATION.share),
});

/**
 * The `review` section of an organization.
 * @internal
 */
export const reviewSchema = obj({
  /** The brake on revocations of one run. @default { minTokens: 10, share: 0.1 } */
  massRevocation: massRevocationSchema.default(DEFAULT_MASS_REVOCATION),
});

/** The review section when an organization has none. */
export const DEFAULT_REVIEW = reviewSchema.parse({});
