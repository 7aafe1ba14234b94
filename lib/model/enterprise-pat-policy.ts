/**
 * An enterprise's personal access token policy as a document: the canonical form the
 * `EnterprisePatPolicy` construct records in Terraform, and the steps an enterprise owner takes
 * under Policies → Personal access tokens to match it (no API reads or sets it). Pure: the
 * construct and the `report` command share it.
 */
import type { EnterprisePatPolicyConfig } from "../config/effective-policy";

/** The enterprise policy as recorded in Terraform: stable key order, every default spelled out. */
export interface EnterprisePatPolicyDocument {
  /** `allow`, `restrict` or `organizations-decide`. */
  readonly fine_grained_tokens: "allow" | "restrict" | "organizations-decide";
  /** `true`, `false` or `organizations-decide`. */
  readonly require_approval: boolean | "organizations-decide";
  /** The enterprise's maximum lifetime of a fine-grained token, in days; null for none. */
  readonly fine_grained_max_lifetime_days: number | null;
  /** `allow`, `restrict` or `organizations-decide`. */
  readonly classic_tokens: "allow" | "restrict" | "organizations-decide";
  /** The enterprise's maximum lifetime of a classic token, in days; null for none. */
  readonly classic_max_lifetime_days: number | null;
  /** Whether the maximums spare administrators. */
  readonly exempt_administrators: boolean;
}

/** The enterprise policy in the canonical form `EnterprisePatPolicy` records. */
export function enterprisePatPolicyDocument(p: EnterprisePatPolicyConfig): EnterprisePatPolicyDocument {
  return {
    fine_grained_tokens: p.fineGrainedTokens,
    require_approval: p.requireApproval,
    fine_grained_max_lifetime_days: p.maxLifetimeDays ?? null,
    classic_tokens: p.classicTokens,
    classic_max_lifetime_days: p.classicMaxLifetimeDays ?? null,
    exempt_administrators: p.exemptAdministrators,
  };
}

const ACCESS = {
  "organizations-decide": "Allow organizations to configure access requirements",
  restrict: "Restrict access via personal access tokens",
  allow: "Allow access via personal access tokens",
} as const;

/** The enterprise owner's steps, in the order the page shows them (tab "Fine-grained tokens", then "Tokens (classic)"). */
export function enterpriseOwnerSteps(p: EnterprisePatPolicyDocument, url: string): string[] {
  const lifetime = (days: number | null) =>
    days === null
      ? 'leave "Set maximum lifetimes for personal access tokens" unset (organizations choose)'
      : `set "Set maximum lifetimes for personal access tokens" to ${days} days`;
  const approval =
    p.require_approval === "organizations-decide"
      ? "Allow organizations to configure approval requirements"
      : p.require_approval
        ? "Require approval"
        : "Disable approval";
  return [
    `Open ${url} as an enterprise owner, then Policies → Personal access tokens.`,
    `Tab "Fine-grained tokens": under access, select "${ACCESS[p.fine_grained_tokens]}".`,
    `Tab "Fine-grained tokens": under approval, select "${approval}".`,
    `Tab "Fine-grained tokens": ${lifetime(p.fine_grained_max_lifetime_days)}.`,
    `Tab "Tokens (classic)": under access, select "${ACCESS[p.classic_tokens]}".`,
    `Tab "Tokens (classic)": ${lifetime(p.classic_max_lifetime_days)}.`,
    `"Exempt administrators": ${p.exempt_administrators ? "check it" : "leave it unchecked"}.`,
    "Save, then run `cdktf deploy` so Terraform records the policy as applied.",
  ];
}
