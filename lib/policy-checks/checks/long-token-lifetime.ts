import { compliant, nonCompliant, notApplicable, type PolicyCheck } from "../policy-check";

/** Threshold of the rule, in days. */
export const LONG_LIFETIME_DAYS = 90;

/** Fine-grained tokens should not live longer than 90 days. */
export const longTokenLifetime: PolicyCheck = {
  id: "long-token-lifetime",
  level: "warning",
  info: `Fine-grained tokens may live longer than ${LONG_LIFETIME_DAYS} days.`,
  explanation:
    "A leaked token is useful to an attacker until it expires. Short lifetimes bound the damage and make owners renew what they still need.",
  evaluate(org) {
    if (org.patPolicy.fineGrainedTokens === "restrict") return notApplicable;
    return org.patPolicy.maxLifetimeDays > LONG_LIFETIME_DAYS
      ? nonCompliant(`patPolicy.maxLifetimeDays is ${org.patPolicy.maxLifetimeDays}`)
      : compliant;
  },
};
