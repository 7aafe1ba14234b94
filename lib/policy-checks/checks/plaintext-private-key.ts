import { compliant, nonCompliant, type PolicyCheck } from "../policy-check";

/** The private key should enter Terraform sealed. */
export const plaintextPrivateKey: PolicyCheck = {
  id: "plaintext-private-key",
  level: "warning",
  info: "The App's private key enters Terraform in clear.",
  explanation:
    "With privateKeyInput: plaintext, Terraform state holds the key as given. Sealed (token-policy seal) keeps only ciphertext in state.",
  evaluate(org) {
    return org.credentials.privateKeyInput === "plaintext" ? nonCompliant("credentials.privateKeyInput is plaintext") : compliant;
  },
};
