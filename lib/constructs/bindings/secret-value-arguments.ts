/**
 * Typed bindings for the secret arguments github provider 6.12.0 added, which the
 * `@cdktf/provider-github` 15.3.1 bindings (generated for 6.9.0) lack: `value`, `value_encrypted`
 * and `key_id` on `github_actions_organization_secret`, `github_dependabot_organization_secret`
 * and `github_actions_environment_secret`. Each binding extends the generated class and writes
 * these arguments the way the generated code writes its own.
 *
 * Schema, the same on the three resources from 6.12.0 to 6.13.0: `value` and `value_encrypted`
 * (both String, Optional, Sensitive; exactly one of them, `encrypted_value` and `plaintext_value`;
 * `value_encrypted` validated as base64), `key_id` (String, Optional, Computed, only with
 * `value_encrypted`; when absent the provider reads the target's current public key id).
 */
import * as cdktf from "cdktf";

/** The arguments provider 6.12.0 added to every secret resource. */
export interface SecretValueArguments {
  /**
   * The secret in clear; the provider seals it with the target's public key. Replaces the
   * deprecated `plaintext_value`. Stored in state as given.
   *
   * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/integrations/github/6.12.0/docs/resources/actions_organization_secret#value}
   * @default - not set
   */
  readonly value?: string;
  /**
   * The secret sealed (libsodium sealed box) with the target's public key, base64. Replaces the
   * deprecated `encrypted_value`. Stored in state as given, so state keeps only ciphertext.
   *
   * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/integrations/github/6.12.0/docs/resources/actions_organization_secret#value_encrypted}
   * @default - not set
   */
  readonly valueEncrypted?: string;
  /**
   * Id of the public key `valueEncrypted` was sealed with.
   *
   * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/integrations/github/6.12.0/docs/resources/actions_organization_secret#key_id}
   * @default - the target's current public key id, read by the provider
   */
  readonly keyId?: string;
}

/** The arguments as `synthesizeAttributes` writes them (JSON). */
export function secretValueAttributes(a: SecretValueArguments): Record<string, unknown> {
  return {
    key_id: cdktf.stringToTerraform(a.keyId),
    value: cdktf.stringToTerraform(a.value),
    value_encrypted: cdktf.stringToTerraform(a.valueEncrypted),
  };
}

/** The arguments as `synthesizeHclAttributes` writes them, undefined ones left out. */
export function secretValueHclAttributes(a: SecretValueArguments): Record<string, unknown> {
  const attrs: Record<string, { value: unknown; isBlock: false; type: "simple"; storageClassType: "string" }> = {
    key_id: { value: cdktf.stringToHclTerraform(a.keyId), isBlock: false, type: "simple", storageClassType: "string" },
    value: { value: cdktf.stringToHclTerraform(a.value), isBlock: false, type: "simple", storageClassType: "string" },
    value_encrypted: { value: cdktf.stringToHclTerraform(a.valueEncrypted), isBlock: false, type: "simple", storageClassType: "string" },
  };
  return Object.fromEntries(Object.entries(attrs).filter(([, v]) => v.value !== undefined));
}
