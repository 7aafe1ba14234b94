import { Construct } from "constructs";
import { TerraformOutput, Token } from "cdktf";
import { DeclaredValue } from "./declared-value";
import { patPolicySettingsUrl } from "../naming";
import { isTokenLifetimeDays, MAX_TOKEN_LIFETIME_DAYS, MIN_TOKEN_LIFETIME_DAYS } from "../model/limits";
import { ownerSteps, patPolicyDocument, type PatPolicyDocument, type PatPolicySettings } from "../model/pat-policy";
import { organizationContext } from "./organization-stack";
import { terraformLiteral, terraformLiterals } from "./terraform-literal";

/** Props of {@link PatPolicy}: the policy's settings, and the organization it is for. */
export interface PatPolicyProps extends PatPolicySettings {
  /**
   * The organization's login.
   * @default - the login of the enclosing {@link OrganizationStack}
   */
  readonly organizationLogin?: string;
  /**
   * Web root of the GitHub instance, for the settings URL.
   * @default - the enclosing OrganizationStack's, else "https://github.com"
   */
  readonly githubUrl?: string;
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
 * The document and the steps come from `lib/model/pat-policy`, which `report` shares.
 */
export class PatPolicy extends Construct {
  /** The policy as recorded, with defaults applied. */
  public readonly patPolicyDocument: PatPolicyDocument;
  /** Where an owner sets the policy. */
  public readonly patPolicySettingsUrl: string;
  /** The steps an owner takes on that page, in order. */
  public readonly patPolicyOwnerSteps: readonly string[];
  /** The `terraform_data` resource whose input is the policy. */
  public readonly patPolicyDeclaredValue: DeclaredValue;

  constructor(scope: Construct, id: string, props: PatPolicyProps = {}) {
    super(scope, id);
    const { login, githubUrl } = organizationContext(this, props, "PatPolicy");
    checkDays("maxLifetimeDays", props.maxLifetimeDays, this.node.path);
    checkDays("classicMaxLifetimeDays", props.classicMaxLifetimeDays, this.node.path);
    this.patPolicyDocument = patPolicyDocument(props);
    this.patPolicySettingsUrl = patPolicySettingsUrl(login, githubUrl);
    this.patPolicyOwnerSteps = ownerSteps(this.patPolicyDocument, this.patPolicySettingsUrl);

    this.patPolicyDeclaredValue = new DeclaredValue(this, "record", { ...this.patPolicyDocument });
    new TerraformOutput(this, "settings_url", {
      value: terraformLiteral(this.patPolicySettingsUrl),
      description: "Where an organization owner sets the PAT policy (GitHub has no API for it).",
    }).overrideLogicalId("pat_policy_settings_url");
    new TerraformOutput(this, "owner_steps", {
      value: terraformLiterals(this.patPolicyOwnerSteps),
      description: "What an organization owner sets on that page to match the declared policy.",
    }).overrideLogicalId("pat_policy_owner_steps");
  }
}

/**
 * Throws for a lifetime GitHub does not accept. A loaded config has passed the schema already;
 * this catches direct API users, with the bounds of `lib/model/limits`.
 */
function checkDays(name: string, value: number | undefined, where: string): void {
  if (value === undefined || Token.isUnresolved(value) || isTokenLifetimeDays(value)) return;
  throw new Error(
    `PatPolicy: ${name} must be a whole number between ${MIN_TOKEN_LIFETIME_DAYS} and ${MAX_TOKEN_LIFETIME_DAYS}, got ${value} (${where})`,
  );
}
