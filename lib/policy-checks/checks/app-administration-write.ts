import { levelAtLeast } from "../../catalogue";
import { compliant, nonCompliant, type PolicyCheck } from "../policy-check";

const ADMIN = ["administration", "organization_administration"];

/** The automation App must not administer repositories or the organization. */
export const appAdministrationWrite: PolicyCheck = {
  id: "app-administration-write",
  level: "error",
  info: "The App can write administration settings.",
  explanation:
    "administration and organization_administration at write let a token change branch protection, settings and access: a leaked installation token would own the organization. Automation that needs it should be a separate, reviewed App.",
  evaluate(org) {
    const found = ADMIN.filter((p) => levelAtLeast(org.app.permissions[p], "write"));
    return found.length ? nonCompliant(found.map((p) => `app.permissions.${p} is ${org.app.permissions[p]}`).join("; ")) : compliant;
  },
};
