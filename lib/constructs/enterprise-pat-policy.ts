import { Construct } from "constructs";
import { TerraformOutput, Token } from "cdktf";
import { ENTERPRISE_SLUG_PATTERN, enterprisePatPolicySchema, type EnterpriseConfig } from "../config/schema";
import { formatPath, showValue, stripLeadingName } from "../config/errors";
import type { EnterpriseBounds, EnterprisePatPolicyConfig } from "../config/effective-policy";
import { enterpriseSettingsUrl, webRoot } from "../naming";
import { DeclaredRecord } from "./declared-record";

/** Props of {@link EnterprisePatPolicy}. Values and defaults are those of `enterprises[].patPolicy`. */
export interface EnterprisePatPolicyProps {
  /** The enterprise's slug, as in `https://github.com/enterprises/SLUG`. */
  readonly enterpriseSlug: string;
  /**
   * Web root of the enterprise's GitHub instance, for the settings URL.
   * @default "https://github.com"
   */
  readonly githubUrl?: string;
  /**
   * Fine-grained tokens: `allow` or `restrict` for every organization of the enterprise, or
   * `organizations-decide` ("Allow organizations to configure access requirements").
   * @default "organizations-decide"
   */
  readonly fineGrainedTokens?: "allow" | "restrict" | "organizations-decide";
  /**
   * Approval of fine-grained tokens: `true` ("Require approval"), `false` ("Disable approval")
   * for every organization, or `organizations-decide`.
   * @default "organizations-decide"
   */
  readonly requireApproval?: boolean | "organizations-decide";
  /**
   * Longest lifetime of a fine-grained token in any organization of the enterprise (1–366 days).
   * @default - no enterprise maximum (organizations choose, up to 366 days)
   */
  readonly maxLifetimeDays?: number;
  /**
   * Classic tokens: `allow`, `restrict` or `organizations-decide`.
   * @default "organizations-decide"
   */
  readonly classicTokens?: "allow" | "restrict" | "organizations-decide";
  /**
   * Longest lifetime of a classic token in any organization of the enterprise (1–366 days).
   * @default - no enterprise maximum
   */
  readonly classicMaxLifetimeDays?: number;
  /**
   * Whether the lifetime maximums spare administrators ("Exempt administrators").
   * @default false
   */
  readonly exemptAdministrators?: boolean;
}

/** The enterprise policy as recorded in Terraform: stable key order, every default spelled out. */
export interface EnterprisePatPolicyDocument {
  readonly fine_grained_tokens: "allow" | "restrict" | "organizations-decide";
  readonly require_approval: boolean | "organizations-decide";
  readonly fine_grained_max_lifetime_days: number | null;
  readonly classic_tokens: "allow" | "restrict" | "organizations-decide";
  readonly classic_max_lifetime_days: number | null;
  readonly exempt_administrators: boolean;
}

/**
 * An enterprise's personal access token policy, which bounds every organization of the
 * enterprise: what it decides, they cannot override; no organization's lifetime exceeds its
 * maximum.
 *
 * No API or Terraform resource reads or sets it: an enterprise owner sets it under Enterprise
 * settings → Policies → Personal access tokens. Like `PatPolicy`, this construct records the
 * policy as a `terraform_data` resource, so a change shows in `cdktf diff` and the pull request,
 * and outputs the settings URL and the owner's steps (`enterprise_pat_policy_settings_url`,
 * `enterprise_pat_policy_owner_steps`). Put it in an `EnterpriseStack`.
 */
export class EnterprisePatPolicy extends Construct {
  /** The policy as recorded, with defaults applied. */
  public readonly enterprisePatPolicyDocument: EnterprisePatPolicyDocument;
  /** Where an enterprise owner starts: the enterprise's settings. */
  public readonly enterprisePatPolicySettingsUrl: string;
  /** The steps an enterprise owner takes there, in order. */
  public readonly enterprisePatPolicyOwnerSteps: readonly string[];
  /** The `terraform_data` resource whose input is the policy. */
  public readonly enterprisePatPolicyRecord: DeclaredRecord;
  /** The enterprise and its validated policy, for `OrgTokenPolicy`'s `enterprise` prop. */
  public readonly enterpriseBounds: EnterpriseBounds;

  /** The construct for one validated entry of `enterprises` (see `loadConfig`). */
  static fromConfig(scope: Construct, id: string, entry: EnterpriseConfig): EnterprisePatPolicy {
    return new EnterprisePatPolicy(scope, id, { enterpriseSlug: entry.slug, githubUrl: entry.githubUrl, ...entry.patPolicy });
  }

  constructor(scope: Construct, id: string, props: EnterprisePatPolicyProps) {
    super(scope, id);
    // The config schema is the one place that validates and holds the defaults.
    const { enterpriseSlug, githubUrl, ...policy } = props;
    const parsed = enterprisePatPolicySchema.safeParse(policy);
    const problems = parsed.success
      ? []
      : parsed.error.issues.map((i) => {
          const value = (policy as Record<string, unknown>)[String(i.path[0])];
          return `${formatPath(i.path as PropertyKey[]) || "props"}: ${stripLeadingName(i.message)}${value === undefined ? "" : `, got ${showValue(value)}`}`;
        });
    if (!Token.isUnresolved(enterpriseSlug) && !ENTERPRISE_SLUG_PATTERN.test(enterpriseSlug)) {
      problems.unshift(`enterpriseSlug: must be a GitHub enterprise slug (lower-case letters, digits and single hyphens), got ${showValue(enterpriseSlug)}`);
    }
    if (!parsed.success || problems.length) throw new Error(`EnterprisePatPolicy ${this.node.path}: ${problems.join("; ")}`);
    this.enterpriseBounds = { slug: enterpriseSlug, githubUrl: webRoot(githubUrl), patPolicy: parsed.data };
    this.enterprisePatPolicyDocument = enterprisePatPolicyDocument(parsed.data);
    this.enterprisePatPolicySettingsUrl = enterpriseSettingsUrl(enterpriseSlug, githubUrl);
    this.enterprisePatPolicyOwnerSteps = enterpriseOwnerSteps(this.enterprisePatPolicyDocument, this.enterprisePatPolicySettingsUrl);

    this.enterprisePatPolicyRecord = new DeclaredRecord(this, "record", { ...this.enterprisePatPolicyDocument });
    new TerraformOutput(this, "settings_url", {
      value: this.enterprisePatPolicySettingsUrl,
      description: "Where an enterprise owner opens Policies → Personal access tokens (GitHub has no API for the policy).",
    }).overrideLogicalId("enterprise_pat_policy_settings_url");
    new TerraformOutput(this, "owner_steps", {
      value: this.enterprisePatPolicyOwnerSteps,
      description: "What an enterprise owner sets there to match the declared policy.",
    }).overrideLogicalId("enterprise_pat_policy_owner_steps");
  }
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
    days === null ? "leave \"Set maximum lifetimes for personal access tokens\" unset (organizations choose)" : `set "Set maximum lifetimes for personal access tokens" to ${days} days`;
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
