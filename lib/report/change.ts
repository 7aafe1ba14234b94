/**
 * One change a pull request makes, scored by how much it widens access: the type every part of
 * the report (config diff, enterprise diff, provider lock files) returns, in a file of its own so
 * those parts import it without importing each other. Pure.
 */

/** One change, scored by how much it widens access. */
export interface Change {
  /** The organization's login, or an enterprise's label (see `enterpriseLabel`). */
  readonly org: string;
  /**
   * Higher is riskier: 110 GitHub instance changed, 108 any state backend change (what the
   * pull-request plan's credentials follow: plan-guard refuses it), 107 any provider lock file
   * change (the provider build those credentials run with: plan-guard refuses it too), 105 private hosts allowed,
   * 100 permissions widened, 90 lifetime raised or the member guide written somewhere new, 80 approval
   * loosened (an approve rule matching more, a deny rule matching less), 70 secret visibility
   * widened, 60 organizations added or removed, ≤ 58 the rest.
   */
  readonly score: number;
  /** What changed and what it does, for the reviewer. */
  readonly text: string;
}

/** Risk classes, for grouping in the report. */
export function riskOf(score: number): "high" | "medium" | "low" {
  return score >= 70 ? "high" : score >= 40 ? "medium" : "low";
}
