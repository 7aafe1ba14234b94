import { levelAtLeast } from "../../catalogue";
import { compliant, nonCompliant, notApplicable, type PolicyCheck } from "../policy-check";

/** No approve rule may grant an organization permission at write. */
export const approveOrganizationWrite: PolicyCheck = {
  id: "approve-organization-write",
  level: "error",
  info: "An approve rule can grant an organization permission at write.",
  explanation:
    "Organization permissions at write change the organization itself (administration, members, secrets, webhooks, runners): a token with one is as strong as an owner's hands in that area. Such requests should reach an owner. Cap organization permissions at read, or leave them out of the rule.",
  evaluate(org) {
    const approves = org.approval.rules.map((r, i) => ({ r, i })).filter(({ r }) => r.action === "approve");
    if (approves.length === 0) return notApplicable;
    const found = approves.flatMap(({ r, i }) => {
      // Without a cap any organization permission may be asked for, at any level.
      if (!r.match.permissions) return [`approval.rules[${i}] (${r.name}) has no permission cap`];
      const writes = Object.entries(r.match.permissions.organization ?? {}).filter(([, level]) => levelAtLeast(level, "write"));
      return writes.length
        ? [`approval.rules[${i}] (${r.name}) allows ${writes.map(([name, level]) => `organization ${name}: ${level}`).join(", ")}`]
        : [];
    });
    return found.length ? nonCompliant(found.join("; ")) : compliant;
  },
};
