import { compliant, nonCompliant, type PolicyCheck } from "../policy-check";

/** Classic PATs should not reach the organization. */
export const classicTokensAllowed: PolicyCheck = {
  id: "classic-tokens-allowed",
  level: "error",
  info: "Classic personal access tokens may access the organization.",
  explanation:
    "Classic tokens reach every organization and repository their owner can, with coarse scopes, and need no approval: the approval policy cannot see them. Restrict them and use fine-grained tokens or the App.",
  evaluate(org) {
    return org.patPolicy.classicTokens === "allow" ? nonCompliant("patPolicy.classicTokens is allow") : compliant;
  },
};
