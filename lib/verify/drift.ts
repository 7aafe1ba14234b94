/**
 * What each part of verify returns: the drift it found between GitHub and the config
 * ({@link Drift}), and what it could not read and why. Each part returns these; the verify
 * engine joins them, in order, into the organization's report.
 */

/** One difference between GitHub and the config. */
export interface Drift {
  /** What was checked, e.g. `app.permissions.contents`. */
  readonly check: string;
  readonly expected: string;
  readonly actual: string;
  /** What to do about it. */
  readonly fix: string;
  /** Where to do it. */
  readonly url: string;
}

/** What one part of verify found: drift, and what could not be checked, with why. */
export interface VerifyFindings {
  readonly drift: readonly Drift[];
  /** Checks that could not run, and why. */
  readonly notChecked: readonly string[];
}

/** The findings of several parts, in the order given. */
export function joinFindings(...parts: readonly Partial<VerifyFindings>[]): { drift: Drift[]; notChecked: string[] } {
  return { drift: parts.flatMap((p) => p.drift ?? []), notChecked: parts.flatMap((p) => p.notChecked ?? []) };
}
