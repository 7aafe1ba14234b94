/**
 * What the policy check tests share: an App that may review, an approval policy that denies
 * whatever no rule approves, and the findings of the whole pack on an organization entry built
 * from those (so that only the check under test finds something).
 */
import { checkOrganization, type PolicyFinding } from "../../../lib/policy-checks/check-pack";
import { orgEntry, parseOrg } from "../../../test-support/config";

/** An App section with these permissions. */
export const app = (permissions: Record<string, string> = {}) => ({ name: "b", homepageUrl: "https://x.example", permissions });
/** An App that may review token requests. */
export const reviewer = app({ organization_personal_access_token_requests: "write" });
/** An approval policy with no rules that denies the rest. */
export const denyAll = { otherwise: "deny" };
/** A PAT policy no check finds fault with. */
export const shortLived = { patPolicy: { maxLifetimeDays: 30 } };

/** Every finding of the pack on an organization entry (the reviewing App and deny-all, unless overridden). */
export function findings(entry: Record<string, unknown>): PolicyFinding[] {
  return checkOrganization(parseOrg(orgEntry({ app: reviewer, approval: denyAll, ...entry })));
}

/** Ids of the unsuppressed findings on an organization entry. */
export function ids(entry: Record<string, unknown>): string[] {
  return findings(entry)
    .filter((f) => f.level !== "suppressed")
    .map((f) => f.checkId);
}
