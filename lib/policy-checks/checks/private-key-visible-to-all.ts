import { compliant, nonCompliant, type PolicyCheck } from "../policy-check";

/** The App's private key secret must not be readable by every repository. */
export const privateKeyVisibleToAll: PolicyCheck = {
  id: "private-key-visible-to-all",
  level: "error",
  info: "The App's private key secret is visible to all repositories.",
  explanation:
    "Any workflow in any repository of the organization could then mint installation tokens with all of the App's permissions. Grant it to the few repositories that need it (visibility: selected).",
  evaluate(org) {
    const wide = (["actions", "dependabot"] as const).filter((t) => org.credentials[t]?.visibility === "all");
    return wide.length ? nonCompliant(wide.map((t) => `credentials.${t}.visibility is all`).join("; ")) : compliant;
  },
};
