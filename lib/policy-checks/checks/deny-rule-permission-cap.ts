import { compliant, nonCompliant, notApplicable, type PolicyCheck } from "../policy-check";

/** A deny rule should name what it denies with anyPermission, not with a permissions cap. */
export const denyRulePermissionCap: PolicyCheck = {
  id: "deny-rule-permission-cap",
  level: "warning",
  info: "A deny rule names its permissions with match.permissions, a cap.",
  explanation:
    "match.permissions holds only when a request asks for nothing beyond the listed permissions, so a deny rule written with it is dodged by asking for one more permission (contents: read, say), and a later approve rule may then approve the request. To deny every request that asks for any of some permissions, list them under match.anyPermission.",
  evaluate(org) {
    const denies = org.approval.rules.map((r, i) => ({ r, i })).filter(({ r }) => r.action === "deny");
    if (denies.length === 0) return notApplicable;
    const capped = denies.filter(({ r }) => r.match.permissions !== undefined);
    return capped.length
      ? nonCompliant(
          capped.map(({ r, i }) => `approval.rules[${i}] (${r.name}) denies with match.permissions; use match.anyPermission`).join("; "),
        )
      : compliant;
  },
};
