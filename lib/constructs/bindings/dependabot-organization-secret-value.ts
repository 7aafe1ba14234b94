import type { Construct } from "constructs";
import {
  DependabotOrganizationSecret,
  type DependabotOrganizationSecretConfig,
} from "@cdktf/provider-github/lib/dependabot-organization-secret";
import { secretValueAttributes, secretValueHclAttributes, type SecretValueArguments } from "./secret-value-arguments";

/** Config of {@link DependabotOrganizationSecretValue}: the 15.3.1 binding's config plus the 6.12.0 arguments. */
export interface DependabotOrganizationSecretValueConfig extends DependabotOrganizationSecretConfig, SecretValueArguments {}

/**
 * `github_dependabot_organization_secret` with `value`, `value_encrypted` and `key_id` (github provider ≥ 6.12.0),
 * so a stack sets neither deprecated `encrypted_value` nor `plaintext_value`.
 */
export class DependabotOrganizationSecretValue extends DependabotOrganizationSecret {
  private readonly secretValue: SecretValueArguments;

  constructor(scope: Construct, id: string, config: DependabotOrganizationSecretValueConfig) {
    super(scope, id, config);
    this.secretValue = { value: config.value, valueEncrypted: config.valueEncrypted, keyId: config.keyId };
  }

  /** The `value_encrypted` argument as configured. */
  public get valueEncryptedInput(): string | undefined {
    return this.secretValue.valueEncrypted;
  }

  /** The `value` argument as configured. */
  public get valueInput(): string | undefined {
    return this.secretValue.value;
  }

  /** The `key_id` the provider used (computed when not configured). */
  public get keyId(): string {
    return this.getStringAttribute("key_id");
  }

  protected synthesizeAttributes(): { [name: string]: any } {
    return { ...super.synthesizeAttributes(), ...secretValueAttributes(this.secretValue) };
  }

  protected synthesizeHclAttributes(): { [name: string]: any } {
    return { ...super.synthesizeHclAttributes(), ...secretValueHclAttributes(this.secretValue) };
  }
}
