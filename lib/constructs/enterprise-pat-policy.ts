import { Construct } from "constructs";
import { TerraformOutput, Token } from "cdktf";
import { ENTERPRISE_SLUG_PATTERN, enterprisePatPolicySchema, type EnterpriseConfig } from "../config/schema";
import { formatPath, showValue, stripLeadingName } from "../config/errors";
import type { EnterpriseBounds, EnterprisePatPolicyConfig } from "../config/effective-policy";
import { enterpriseSettingsUrl, webRoot } from "../naming";
import { DeclaredValue } from "./declared-value";
import { enterpriseOwnerSteps, enterprisePatPolicyDocument, type EnterprisePatPolicyDocument } from "../model/enterprise-pat-policy";
import { terraformLiteral, terraformLiterals } from "./terraform-literal";

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
  public readonly enterprisePatPolicyDeclaredValue: DeclaredValue;
  /** The enterprise and its validated policy, for `OrgTokenPolicy`'s `enterprise` prop. */
  public readonly enterpriseBounds: EnterpriseBounds;

  /**
   * The construct for one entry of `enterprises` as `loadConfig` returns it: validated, defaults
   * merged, so it is not checked again here.
   */
  static fromConfig(scope: Construct, id: string, entry: EnterpriseConfig): EnterprisePatPolicy {
    const props: EnterprisePatPolicyProps = { enterpriseSlug: entry.slug, githubUrl: entry.githubUrl, ...entry.patPolicy };
    loadedPolicies.set(props, entry.patPolicy);
    return new EnterprisePatPolicy(scope, id, props);
  }

  constructor(scope: Construct, id: string, props: EnterprisePatPolicyProps) {
    super(scope, id);
    const { enterpriseSlug, githubUrl } = props;
    const policy = loadedPolicies.get(props) ?? validated(props, this.node.path);
    this.enterpriseBounds = { slug: enterpriseSlug, githubUrl: webRoot(githubUrl), patPolicy: policy };
    this.enterprisePatPolicyDocument = enterprisePatPolicyDocument(policy);
    this.enterprisePatPolicySettingsUrl = enterpriseSettingsUrl(enterpriseSlug, githubUrl);
    this.enterprisePatPolicyOwnerSteps = enterpriseOwnerSteps(this.enterprisePatPolicyDocument, this.enterprisePatPolicySettingsUrl);

    this.enterprisePatPolicyDeclaredValue = new DeclaredValue(this, "record", { ...this.enterprisePatPolicyDocument });
    new TerraformOutput(this, "settings_url", {
      value: terraformLiteral(this.enterprisePatPolicySettingsUrl),
      description: "Where an enterprise owner opens Policies → Personal access tokens (GitHub has no API for the policy).",
    }).overrideLogicalId("enterprise_pat_policy_settings_url");
    new TerraformOutput(this, "owner_steps", {
      value: terraformLiterals(this.enterprisePatPolicyOwnerSteps),
      description: "What an enterprise owner sets there to match the declared policy.",
    }).overrideLogicalId("enterprise_pat_policy_owner_steps");
  }
}

/** The loaded policies `fromConfig` passes, by the props it builds from them. */
const loadedPolicies = new WeakMap<EnterprisePatPolicyProps, EnterprisePatPolicyConfig>();

/**
 * The props of a direct API user checked as a YAML entry is, every problem at once; the config
 * schema is the one place that validates and holds the defaults.
 */
function validated(props: EnterprisePatPolicyProps, where: string): EnterprisePatPolicyConfig {
  const { enterpriseSlug, githubUrl: _githubUrl, ...policy } = props;
  const parsed = enterprisePatPolicySchema.safeParse(policy);
  const problems = parsed.success
    ? []
    : parsed.error.issues.map((i) => {
        const value = (policy as Record<string, unknown>)[String(i.path[0])];
        return `${formatPath(i.path as PropertyKey[]) || "props"}: ${stripLeadingName(i.message)}${value === undefined ? "" : `, got ${showValue(value)}`}`;
      });
  if (!Token.isUnresolved(enterpriseSlug) && !ENTERPRISE_SLUG_PATTERN.test(enterpriseSlug)) {
    problems.unshift(
      `enterpriseSlug: must be a GitHub enterprise slug (lower-case letters, digits and single hyphens), got ${showValue(enterpriseSlug)}`,
    );
  }
  if (!parsed.success || problems.length) throw new Error(`EnterprisePatPolicy ${where}: ${problems.join("; ")}`);
  return parsed.data;
}
