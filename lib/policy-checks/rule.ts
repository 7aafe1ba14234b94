import type { OrganizationConfig } from "../config/schema";

/** Outcome of one rule on one organization. */
export type RuleOutcome =
  | { readonly status: "compliant" }
  | { readonly status: "not-applicable" }
  /** `detail` says what in this organization is wrong, with the config path. */
  | { readonly status: "non-compliant"; readonly detail: string };

/** A policy rule: pure, one per file, evaluated on a validated organization entry. */
export interface PolicyRule {
  /** Stable id, used in findings and suppressions. */
  readonly id: string;
  /** `error` fails synth; `warning` is reported. */
  readonly level: "error" | "warning";
  /** What is wrong, in one line. */
  readonly info: string;
  /** Why the rule exists. */
  readonly explanation: string;
  evaluate(org: OrganizationConfig): RuleOutcome;
}

/** Helpers for rule files. */
export const compliant: RuleOutcome = { status: "compliant" };
export const notApplicable: RuleOutcome = { status: "not-applicable" };
export function nonCompliant(detail: string): RuleOutcome {
  return { status: "non-compliant", detail };
}
