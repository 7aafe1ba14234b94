/**
 * An organization's personal access token policy as a document: the settings with every default
 * applied, in the canonical form the `PatPolicy` construct records in Terraform, and the steps an
 * organization owner takes on the settings page to match it (GitHub has no API for the policy).
 * Pure: the construct, the `report` command and the member guide all build on it, so `report`
 * needs no cdktf.
 */
import { MAX_TOKEN_LIFETIME_DAYS } from "./limits";

/** An organization's PAT policy settings, each optional; {@link patPolicyDocument} applies the defaults. */
export interface PatPolicySettings {
  /**
   * Whether fine-grained personal access tokens may reach the organization.
   * @default "allow"
   */
  readonly fineGrainedTokens?: "allow" | "restrict";
  /**
   * Whether an owner (or the approval policy's App) must approve each fine-grained token.
   * @default true
   */
  readonly requireApproval?: boolean;
  /**
   * Longest lifetime of a fine-grained token, in days (1–366).
   * @default 366
   */
  readonly maxLifetimeDays?: number;
  /**
   * Whether classic personal access tokens may reach the organization.
   * @default "restrict"
   */
  readonly classicTokens?: "allow" | "restrict";
  /**
   * Longest lifetime of a classic token, in days (1–366), when classic tokens are allowed.
   * @default - no limit
   */
  readonly classicMaxLifetimeDays?: number;
}

/** The policy as recorded in Terraform: stable key order, every default spelled out. */
export interface PatPolicyDocument {
  /** `allow` or `restrict`. */
  readonly fine_grained_tokens: "allow" | "restrict";
  /** Whether each fine-grained token needs approval. */
  readonly require_approval: boolean;
  /** Longest lifetime of a fine-grained token, in days. */
  readonly fine_grained_max_lifetime_days: number;
  /** `allow` or `restrict`. */
  readonly classic_tokens: "allow" | "restrict";
  /** Longest lifetime of a classic token, in days; null when classic tokens are restricted or unlimited. */
  readonly classic_max_lifetime_days: number | null;
}

/** The policy with every default applied, in the canonical form `PatPolicy` records. */
export function patPolicyDocument(p: PatPolicySettings): PatPolicyDocument {
  const classic = p.classicTokens ?? "restrict";
  return {
    fine_grained_tokens: p.fineGrainedTokens ?? "allow",
    require_approval: p.requireApproval ?? true,
    fine_grained_max_lifetime_days: p.maxLifetimeDays ?? MAX_TOKEN_LIFETIME_DAYS,
    classic_tokens: classic,
    classic_max_lifetime_days: classic === "allow" ? (p.classicMaxLifetimeDays ?? null) : null,
  };
}

/** The owner's steps on the settings page at `url`, in the order the page shows them. */
export function ownerSteps(p: PatPolicyDocument, url: string): string[] {
  const steps = [`Open ${url} as an organization owner.`];
  if (p.fine_grained_tokens === "allow") {
    steps.push('Fine-grained personal access tokens: select "Allow access via fine-grained personal access tokens".');
    steps.push(
      p.require_approval
        ? 'Require approval: select "Require administrator approval".'
        : 'Require approval: select "Do not require administrator approval".',
    );
    steps.push(`Set the maximum lifetime of fine-grained tokens to ${p.fine_grained_max_lifetime_days} days.`);
  } else {
    steps.push('Fine-grained personal access tokens: select "Restrict access via fine-grained personal access tokens".');
  }
  if (p.classic_tokens === "allow") {
    steps.push('Personal access tokens (classic): select "Allow access via personal access tokens (classic)".');
    steps.push(
      p.classic_max_lifetime_days
        ? `Set the maximum lifetime of classic tokens to ${p.classic_max_lifetime_days} days.`
        : "Leave the maximum lifetime of classic tokens unset.",
    );
  } else {
    steps.push('Personal access tokens (classic): select "Restrict access via personal access tokens (classic)".');
  }
  steps.push("Save, then run `cdktf deploy` so Terraform records the policy as applied.");
  return steps;
}
