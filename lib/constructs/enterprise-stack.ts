import type { Construct } from "constructs";
import { TerraformStack } from "cdktf";
import type { BackendConfig } from "../config/schema";
import { enterpriseStackName, GITHUB_COM } from "../naming";
import { PACKAGE_NAME, VERSION } from "../version";
import { configureStackBackend } from "./stack-backend";
import { requireTerraform } from "./terraform-requirements";

/** Props of {@link EnterpriseStack}. */
export interface EnterpriseStackProps {
  /** The enterprise's slug, as in `https://github.com/enterprises/SLUG`. */
  readonly enterpriseSlug: string;
  /**
   * Web root of the enterprise's GitHub instance.
   * @default "https://github.com"
   */
  readonly githubUrl?: string;
  /**
   * Where Terraform keeps the enterprise's state; keys default to `enterprise-SLUG`
   * (`terraform.enterprise-SLUG.tfstate` for `local`).
   * @default { type: "local" }
   */
  readonly backend?: BackendConfig;
}

/**
 * One Terraform stack per enterprise, beside its organizations' stacks. It holds the
 * enterprise's PAT policy record and needs no provider: GitHub has no API for the policy, so
 * deploying it needs no token. Name it with {@link enterpriseStackName} (`enterprise-SLUG`).
 */
export class EnterpriseStack extends TerraformStack {
  /** The enterprise's slug. */
  public readonly enterpriseSlug: string;
  /** Web root of the enterprise's GitHub instance. */
  public readonly githubUrl: string;

  constructor(scope: Construct, id: string, props: EnterpriseStackProps) {
    super(scope, id);
    this.enterpriseSlug = props.enterpriseSlug;
    this.githubUrl = props.githubUrl ?? GITHUB_COM;
    requireTerraform(this, "terraform_data");
    this.addOverride("//.metadata.tokenPolicyVersion", `${PACKAGE_NAME} ${VERSION}`);
    configureStackBackend(this, props.backend ?? { type: "local" }, enterpriseStackName(props.enterpriseSlug));
  }
}
