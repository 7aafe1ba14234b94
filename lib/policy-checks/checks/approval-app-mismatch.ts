import { levelAtLeast } from "../../catalogue";
import { compliant, nonCompliant, type PolicyCheck } from "../policy-check";

/** The approval rules and the App's permissions must go together. */
export const approvalAppMismatch: PolicyCheck = {
  id: "approval-app-mismatch",
  level: "warning",
  info: "The approval rules and the App's permissions do not match.",
  explanation:
    "review runs as the App: rules without organization_personal_access_token_requests: write are never enforced, revokeNonCompliant and revokeUnusedAfterDays need organization_personal_access_tokens: write, and the permission without any rule is held for nothing.",
  evaluate(org) {
    const p = org.app.permissions;
    const canReview = levelAtLeast(p.organization_personal_access_token_requests, "write");
    const hasPolicy = org.approval.rules.length > 0 || org.approval.otherwise === "deny";
    const problems: string[] = [];
    if (hasPolicy && !canReview)
      problems.push("approval rules exist but app.permissions.organization_personal_access_token_requests is not write");
    if (canReview && !hasPolicy)
      problems.push(
        "app.permissions.organization_personal_access_token_requests is write but approval has no rules and otherwise is leave",
      );
    if (org.approval.revokeNonCompliant && !levelAtLeast(p.organization_personal_access_tokens, "write")) {
      problems.push("approval.revokeNonCompliant is true but app.permissions.organization_personal_access_tokens is not write");
    }
    if (org.approval.revokeUnusedAfterDays !== undefined && !levelAtLeast(p.organization_personal_access_tokens, "write")) {
      problems.push("approval.revokeUnusedAfterDays is set but app.permissions.organization_personal_access_tokens is not write");
    }
    return problems.length ? nonCompliant(problems.join("; ")) : compliant;
  },
};
