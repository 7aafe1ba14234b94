/**
 * Who decided a request or a revocation: one of the organization's approval rules, by name, or
 * one of the decision logic's own outcomes. The two are kept apart by type, so a rule a user
 * names `otherwise` or `lifetime-limit` is still that user's rule, never the built-in outcome.
 * Pure: no I/O.
 */

/**
 * The decision logic's own outcomes, in the order the logic reaches them:
 * - `not-understood`: the request (or grant) could not be fully read; never approved;
 * - `lifetime-limit`: the token outlives `patPolicy.maxLifetimeDays`; denied (or revoked);
 * - `team-membership-unreadable`: a rule's team could not be read; left to an owner;
 * - `deny-rule-partly-matches`: a deny rule names some of the repositories asked for; left to an owner;
 * - `otherwise`: no rule holds; `approval.otherwise` decides;
 * - `gone`: no longer pending when its repositories were read;
 * - `unused`: a granted token not used within `approval.revokeUnusedAfterDays`.
 */
export const BUILTIN_OUTCOMES = [
  "not-understood",
  "lifetime-limit",
  "team-membership-unreadable",
  "deny-rule-partly-matches",
  "otherwise",
  "gone",
  "unused",
] as const;

/** One of the decision logic's own outcomes. */
export type BuiltinOutcome = (typeof BUILTIN_OUTCOMES)[number];

/**
 * Who decided: a user's approval rule (`name` as written in the config), or a built-in outcome.
 * Compare `kind` first; a rule's name is never compared with a built-in outcome's.
 */
export type DecidedBy = { readonly kind: "rule"; readonly name: string } | { readonly kind: "builtin"; readonly outcome: BuiltinOutcome };

/** `decidedBy` for a user's rule. */
export function byRule(name: string): DecidedBy {
  return { kind: "rule", name };
}

/** `decidedBy` for a built-in outcome. */
export function byBuiltin(outcome: BuiltinOutcome): DecidedBy {
  return { kind: "builtin", outcome };
}

/**
 * How a person reads `decidedBy`: `rule "NAME"` for a user's rule, the outcome's name in
 * parentheses for a built-in one (`(otherwise)`), so the two never read alike in a table.
 */
export function decidedByText(by: DecidedBy): string {
  return by.kind === "rule" ? `rule ${JSON.stringify(by.name)}` : `(${by.outcome})`;
}

/** Whether `name` is spelt like a built-in outcome (case and `_`/`-` ignored): refused as a rule name at load. */
export function isBuiltinOutcomeName(name: string): boolean {
  const key = name.trim().toLowerCase().replace(/_/g, "-");
  return (BUILTIN_OUTCOMES as readonly string[]).includes(key);
}
