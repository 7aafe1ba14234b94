/**
 * What `seal` prints: what was sealed with which public key, where to store the value, and the
 * `TF_VAR_` line itself; nothing else secret.
 */
import type { SealResult } from "../../lib/seal/seal";
import { deployEnvironment } from "../../lib/naming";

/** The sealed key as two comment lines and the `TF_VAR_` assignment. */
export function sealText(login: string, r: SealResult): string {
  return (
    `# The App's private key sealed for ${r.what} with its public key ${r.keyId}, as KEY_ID:BASE64 (Terraform passes both to GitHub); seal again if GitHub rotates that key\n` +
    `# Store the value as the secret ${r.variable.toUpperCase()} in the GitHub environment ${deployEnvironment(login)} (the deploy job's), or export this line where terraform runs\n` +
    `TF_VAR_${r.variable}=${r.value}\n`
  );
}

/**
 * `seal --json`: the sealed key as one JSON object: the Terraform variable, its `KEY_ID:BASE64`
 * value, the public key's id, and the secret and environment to store it in (ciphertext only).
 */
export function sealJson(login: string, r: SealResult): string {
  return `${JSON.stringify(
    {
      org: login,
      target: r.what,
      variable: r.variable,
      value: r.value,
      keyId: r.keyId,
      secret: r.variable.toUpperCase(),
      environment: deployEnvironment(login),
    },
    null,
    2,
  )}\n`;
}
