/**
 * GitHub's limits on personal access token lifetimes, written once: the config schema, the
 * constructs, the report and the docs all read them from here.
 */

/** Shortest maximum lifetime an organization or enterprise can set, in days. */
export const MIN_TOKEN_LIFETIME_DAYS = 1;

/**
 * Longest maximum lifetime GitHub lets an organization or enterprise set, in days, for
 * fine-grained and classic tokens alike; also an organization's default.
 */
export const MAX_TOKEN_LIFETIME_DAYS = 366;

/** Whether `days` is a lifetime GitHub accepts: a whole number from 1 to 366. */
export function isTokenLifetimeDays(days: unknown): days is number {
  return Number.isInteger(days) && (days as number) >= MIN_TOKEN_LIFETIME_DAYS && (days as number) <= MAX_TOKEN_LIFETIME_DAYS;
}
