import { Construct } from "constructs";
import { TerraformOutput, Token } from "cdktf";
import { DeclaredRecord } from "./declared-record";
import { patPolicySettingsUrl } from "../naming";

/** Props of {@link PatPolicy}. */
export interface PatPolicyProps {
  /** The organization's login. */
  readonly organizationLogin: string;
  /**
   * Web root of the GitHub instance, for the settings URL.
   * @default "https://github.com"
   */
  readonly githubUrl?: string;
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
  readonly fine_grained_tokens: "allow" | "restrict";
  readonly require_approval: boolean;
  readonly fine_grained_max_lifetime_days: number;
  readonly classic_tokens: "allow" | "restrict";
  readonly classic_max_lifetime_days: number | null;
}

/**
 * An organization's personal access token policy.
 *
 * GitHub has no API and no Terraform resource for this policy: only an owner can set it, on
 * the organization's settings page. So this construct does the honest next best thing:
 * - records the canonical policy as a `terraform_data` resource, so any change of it shows as
 *   an update in `cdktf diff` and in the pull request that makes it;
 * - outputs the exact settings URL and the steps an owner takes to match it
 *   (`pat_policy_settings_url`, `pat_policy_owner_steps`).
 * The `verify` command checks what the API can see of it (granted and pending tokens' lifetimes).
 */
export class PatPolicy extends Construct {
  /** The policy as recorded, with defaults applied. */
  public readonly patPolicyDocument: PatPolicyDocument;
  /** Where an owner sets the policy. */
  public readonly patPolicySettingsUrl: string;
  /** The steps an owner takes on that page, in order. */
  public readonly patPolicyOwnerSteps: readonly string[];
  /** The `terraform_data` resource whose input is the policy. */
  public readonly patPolicyRecord: DeclaredRecord;

  constructor(scope: Construct, id: string, props: PatPolicyProps) {
    super(scope, id);
    checkDays("maxLifetimeDays", props.maxLifetimeDays, this.node.path);
    checkDays("classicMaxLifetimeDays", props.classicMaxLifetimeDays, this.node.path);
    this.patPolicyDocument = patPolicyDocument(props);
    this.patPolicySettingsUrl = patPolicySettingsUrl(props.organizationLogin, props.githubUrl);
    this.patPolicyOwnerSteps = ownerSteps(this.patPolicyDocument, this.patPolicySettingsUrl);

    this.patPolicyRecord = new DeclaredRecord(this, "record", { ...this.patPolicyDocument });
    new TerraformOutput(this, "settings_url", {
      value: this.patPolicySettingsUrl,
      description: "Where an organization owner sets the PAT policy (GitHub has no API for it).",
    }).overrideLogicalId("pat_policy_settings_url");
    new TerraformOutput(this, "owner_steps", {
      value: this.patPolicyOwnerSteps,
      description: "What an organization owner sets on that page to match the declared policy.",
    }).overrideLogicalId("pat_policy_owner_steps");
  }
}

/** The policy with every default applied, in the canonical form `PatPolicy` records. */
export function patPolicyDocument(p: Omit<PatPolicyProps, "organizationLogin" | "githubUrl">): PatPolicyDocument {
  const classic = p.classicTokens ?? "restrict";
  return {
    fine_grained_tokens: p.fineGrainedTokens ?? "allow",
    require_approval: p.requireApproval ?? true,
    fine_grained_max_lifetime_days: p.maxLifetimeDays ?? 366,
    classic_tokens: classic,
    classic_max_lifetime_days: classic === "allow" ? (p.classicMaxLifetimeDays ?? null) : null,
  };
}

/** The owner's steps on the settings page, in the order the page shows them. */
export function ownerSteps(p: PatPolicyDocument, url: string): string[] {
  const steps = [`Open ${url} as an organization owner.`];
  if (p.fine_grained_tokens === "allow") {
    steps.push("Fine-grained personal access tokens: select \"Allow access via fine-grained personal access tokens\".");
    steps.push(
      p.require_approval
        ? "Require approval: select \"Require administrator approval\"."
        : "Require approval: select \"Do not require administrator approval\".",
    );
    steps.push(`Set the maximum lifetime of fine-grained tokens to ${p.fine_grained_max_lifetime_days} days.`);
  } else {
    steps.push("Fine-grained personal access tokens: select \"Restrict access via fine-grained personal access tokens\".");
  }
  if (p.classic_tokens === "allow") {
    steps.push("Personal access tokens (classic): select \"Allow access via personal access tokens (classic)\".");
    steps.push(
      p.classic_max_lifetime_days
        ? `Set the maximum lifetime of classic tokens to ${p.classic_max_lifetime_days} days.`
        : "Leave the maximum lifetime of classic tokens unset.",
    );
  } else {
    steps.push("Personal access tokens (classic): select \"Restrict access via personal access tokens (classic)\".");
  }
  steps.push("Save, then run `cdktf deploy` so Terraform records the policy as applied.");
  return steps;
}

function checkDays(name: string, value: number | undefined, where: string): void {
  if (value === undefined || Token.isUnresolved(value)) return;
  if (!Number.isInteger(value) || value < 1 || value > 366) {
    throw new Error(`PatPolicy: ${name} must be a whole number between 1 and 366, got ${value} (${where})`);
  }
}
