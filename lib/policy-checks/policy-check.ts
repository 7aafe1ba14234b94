/**
 * What a policy check is: a pure function of one validated organization entry that says whether
 * the entry is compliant, non-compliant (and what in it is wrong) or not applicable, with a
 * stable id, a level, and two texts (what is wrong, and why the check exists). These check the
 * configuration; they are not the approval rules that decide token requests.
 */
import type { OrganizationConfig } from "../config/schema";

/** Outcome of one policy check on one organization. */
export type CheckOutcome =
  | { readonly status: "compliant" }
  | { readonly status: "not-applicable" }
  /** `detail` says what in this organization is wrong, with the config path. */
  | { readonly status: "non-compliant"; readonly detail: string };

/** A policy check: pure, one per file in `checks/`, evaluated on a validated organization entry. */
export interface PolicyCheck {
  /** Stable id, used in findings and suppressions. Part of the API: never renamed. */
  readonly id: string;
  /** `error` fails synth; `warning` is reported. */
  readonly level: "error" | "warning";
  /** What is wrong, in one line. */
  readonly info: string;
  /** Why the check exists. */
  readonly explanation: string;
  /** The outcome on one organization. */
  evaluate(org: OrganizationConfig): CheckOutcome;
}

/** The outcome of a check that holds. */
export const compliant: CheckOutcome = { status: "compliant" };
/** The outcome of a check that does not apply to this organization. */
export const notApplicable: CheckOutcome = { status: "not-applicable" };
/** The outcome of a check that fails; `detail` says what is wrong, with the config path. */
export function nonCompliant(detail: string): CheckOutcome {
  return { status: "non-compliant", detail };
}
