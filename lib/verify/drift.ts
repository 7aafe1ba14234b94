/**
 * What each of verify's checks returns: the differences it found between GitHub and the config
 * ({@link Drift}), and what it could not check and why. The checks return these; the verify
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

/** What one check found: drift, and the checks that could not run with why. */
export interface CheckFindings {
  readonly drift: readonly Drift[];
  /** Checks that could not run, and why. */
  readonly notChecked: readonly string[];
}

/** Findings of several checks, in the order given. */
export function joinFindings(...parts: readonly Partial<CheckFindings>[]): { drift: Drift[]; notChecked: string[] } {
  return { drift: parts.flatMap((p) => p.drift ?? []), notChecked: parts.flatMap((p) => p.notChecked ?? []) };
}
