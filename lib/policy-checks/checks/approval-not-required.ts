import { compliant, nonCompliant, notApplicable, type PolicyCheck } from "../policy-check";

/** Fine-grained tokens must be approved when they are allowed. */
export const approvalNotRequired: PolicyCheck = {
  id: "approval-not-required",
  level: "error",
  info: "Fine-grained tokens are allowed without approval.",
  explanation:
    "Without approval any member's token reaches the organization the moment it is created, and the approval rules never see it. Require approval and let the rules approve the routine cases.",
  evaluate(org) {
    if (org.patPolicy.fineGrainedTokens === "restrict") return notApplicable;
    return org.patPolicy.requireApproval ? compliant : nonCompliant("patPolicy.requireApproval is false while fineGrainedTokens is allow");
  },
};
