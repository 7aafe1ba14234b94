/**
 * `token-policy seal`: seals the App's private key for one secret target (`lib/seal`) and prints
 * it as `KEY_ID:BASE64`, so `AppCredentials` passes the base64 as `value_encrypted` with the
 * public key's id as `key_id`, and Terraform state holds only ciphertext. Prints the TF_VAR line
 * and the key id; nothing else secret.
 */
import { appAuthenticationFor } from "../../lib/github/authentication";
import { privateKeyFromEnv } from "../../lib/github/client";
import { sealPrivateKey, type SealResult } from "../../lib/seal/seal";
import { loadOrganization } from "../context";
import { sealJson, sealText } from "../render/seal";
import type { CommandIO } from "../io";

export type { SealResult } from "../../lib/seal/seal";

/** Options of {@link seal}. */
export interface SealOptions {
  readonly org: string;
  readonly config?: string;
  /** The file create-app wrote; its key is sealed. */
  readonly credentials?: string;
  /** `actions`, `dependabot`, or `environment` (with repository and environment). @default "actions" */
  readonly target?: string;
  readonly repository?: string;
  readonly environment?: string;
  /** Print the sealed key as one JSON object. */
  readonly json?: boolean;
}

/**
 * Seals the key and prints it. The key is the App's, found as every command finds it
 * (`--credentials`, else `<STEM>_APP_PRIVATE_KEY`/`<STEM>_APP_PRIVATE_KEY_FILE`, else
 * `APP_PRIVATE_KEY`/`APP_PRIVATE_KEY_FILE`: `appAuthenticationFor`; the shared key without
 * `APP_ID` too); the public key is read with `GITHUB_TOKEN` when set
 * (an owner's token can read it), else as the App's installation.
 */
export async function seal(options: SealOptions, io: CommandIO): Promise<SealResult> {
  const { org } = loadOrganization(options, io.env);
  const result = await sealPrivateKey({
    org,
    context: io,
    target: options.target,
    repository: options.repository,
    environment: options.environment,
    credentialsFile: options.credentials,
    // Sealing needs the key alone: APP_PRIVATE_KEY (or _FILE) without APP_ID still serves.
    readPrivateKey: () => appAuthenticationFor(io, org, options.credentials)?.privateKey ?? privateKeyFromEnv(io.env),
  });
  io.stdout.write((options.json ? sealJson : sealText)(org.login, result));
  return result;
}
