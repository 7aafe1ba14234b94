/**
 * Whose time decides a token's age. Revocation for non-use counts days from "now"; a host whose
 * clock runs ahead would revoke tokens in use. GitHub's time (the `Date` header of its answers)
 * is the reference: the host's time is used only while the two agree within
 * {@link CLOCK_TOLERANCE_MS}; otherwise GitHub's, and the run says so. Without GitHub's time
 * nothing is revoked for non-use.
 */

/** How far the host's clock may differ from GitHub's before GitHub's is used: one minute. */
export const CLOCK_TOLERANCE_MS = 60_000;

/** The time age decisions use, and why. */
export type DecisionClock =
  /** The host's time, within a minute of GitHub's. */
  | { readonly kind: "host"; readonly now: number }
  /** GitHub's time, as the host's differs from it by `skewMs` (positive: the host is ahead). */
  | { readonly kind: "github"; readonly now: number; readonly skewMs: number }
  /** No usable time: GitHub's answer carried no readable `Date`; nothing is revoked for non-use. */
  | { readonly kind: "unknown"; readonly why: string };

/**
 * The clock for age decisions from the host's time and the `Date` header of a GitHub answer
 * read at that time.
 */
export function decisionClock(hostNow: number, dateHeader: string | undefined): DecisionClock {
  const github = dateHeader === undefined ? NaN : Date.parse(dateHeader);
  if (!Number.isFinite(github)) {
    return {
      kind: "unknown",
      why:
        dateHeader === undefined
          ? "GitHub's answer had no Date header"
          : `GitHub's Date header ${JSON.stringify(dateHeader.slice(0, 40))} is not a date`,
    };
  }
  const skewMs = hostNow - github;
  return Math.abs(skewMs) > CLOCK_TOLERANCE_MS ? { kind: "github", now: github, skewMs } : { kind: "host", now: hostNow };
}

/** What a person should know about the clock a run used; nothing when the host's was used. */
export function clockNote(clock: DecisionClock): string | undefined {
  if (clock.kind === "host") return undefined;
  if (clock.kind === "unknown") return `GitHub's time could not be read (${clock.why}): no token was revoked for non-use.`;
  const abs = Math.abs(clock.skewMs);
  const by =
    abs >= 2 * 86_400_000
      ? `${Math.round(abs / 86_400_000)} days`
      : abs >= 120_000
        ? `${Math.round(abs / 60_000)} minutes`
        : `${Math.round(abs / 1000)} seconds`;
  return `This host's clock is ${by} ${clock.skewMs > 0 ? "ahead of" : "behind"} GitHub's: token ages were counted by GitHub's time (${new Date(clock.now).toISOString()}). Fix the host's clock (NTP).`;
}
