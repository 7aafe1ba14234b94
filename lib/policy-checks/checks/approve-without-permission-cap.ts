import { compliant, nonCompliant, notApplicable, type PolicyCheck } from "../policy-check";

/** Every approve rule must cap the permissions it approves. */
export const approveWithoutPermissionCap: PolicyCheck = {
  id: "approve-without-permission-cap",
  level: "error",
  info: "An approve rule has no permission cap.",
  explanation:
    "Without match.permissions a rule approves whatever a request asks for once its other keys hold: organization administration, workflows and secrets included. List the permissions the rule may approve, at the highest level it may approve them.",
  evaluate(org) {
    const approves = org.approval.rules.map((r, i) => ({ r, i })).filter(({ r }) => r.action === "approve");
    if (approves.length === 0) return notApplicable;
    const uncapped = approves.filter(({ r }) => !r.match.permissions);
    return uncapped.length
      ? nonCompliant(uncapped.map(({ r, i }) => `approval.rules[${i}] (${r.name}) has no match.permissions`).join("; "))
      : compliant;
  },
};
