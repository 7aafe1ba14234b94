import type { Construct } from "constructs";
import { TerraformStack, TerraformVariable, type TerraformVariableConfig } from "cdktf";
import { GithubProvider } from "@cdktf/provider-github/lib/provider";
import type { BackendConfig } from "../config/schema";
import { apiUrlFor, GITHUB_COM } from "../naming";
import { configureStackBackend } from "./stack-backend";
import { requireGithubProvider, requireTerraform } from "./terraform-requirements";
import { PACKAGE_NAME, VERSION } from "../version";

/** Props of {@link OrganizationStack}. */
export interface OrganizationStackProps {
  /** The organization's login; also the provider's `owner`. */
  readonly organizationLogin: string;
  /**
   * Web root of the GitHub instance: github.com, a GHE.com tenant or a GitHub Enterprise
   * Server host. The provider's API root is derived from it.
   * @default "https://github.com"
   */
  readonly githubUrl?: string;
  /**
   * Where Terraform keeps this organization's state.
   * `local` keeps `terraform.<login>.tfstate` in the project directory (relative, so the
   * synthesized files hold no absolute path); `s3`, `gcs`, `cloud` and `pg` share state and
   * locking across CI runs, each keyed per organization unless a key is given. Credentials
   * for them come from the environment (AWS_*, GOOGLE_*, TF_TOKEN_*, PG_CONN_STR), never
   * from here.
   * @default { type: "local" }
   */
  readonly backend?: BackendConfig;
}

/**
 * One Terraform stack per organization, with its own `github` provider and backend.
 *
 * The provider reads its credentials from the environment (`GITHUB_TOKEN`, or
 * `GITHUB_APP_ID`/`GITHUB_APP_INSTALLATION_ID`/`GITHUB_APP_PEM_FILE`), never from the
 * synthesized files. Inputs the stack needs at deploy time are Terraform variables whose
 * names start with the organization's stem (see {@link variableStem}), so one CI job can
 * deploy every stack with `TF_VAR_<name>` set.
 */
export class OrganizationStack extends TerraformStack {
  /** The organization's login. */
  public readonly organizationLogin: string;
  /** Web root of the GitHub instance. */
  public readonly githubUrl: string;
  /** The REST API root the provider talks to. */
  public readonly githubApiUrl: string;
  /** The stack's github provider; pass it to constructs when several stacks share an app. */
  public readonly githubProvider: GithubProvider;

  constructor(scope: Construct, id: string, props: OrganizationStackProps) {
    super(scope, id);
    this.organizationLogin = props.organizationLogin;
    this.githubUrl = props.githubUrl ?? GITHUB_COM;
    this.githubApiUrl = apiUrlFor(this.githubUrl);
    this.githubProvider = new GithubProvider(this, "github", {
      owner: props.organizationLogin,
      // Every provider release in GITHUB_PROVIDER_VERSION takes the API root with a trailing
      // slash for GHES (it trims `api/v3/` and adds it back) and for GHE.com (`api.` host).
      baseUrl: this.githubUrl === GITHUB_COM ? undefined : `${this.githubApiUrl}/`,
    });
    requireGithubProvider(this);
    requireTerraform(this, "terraform_data");
    // Which release wrote this stack, for bug reports and for reading a plan later.
    this.addOverride("//.metadata.tokenPolicyVersion", `${PACKAGE_NAME} ${VERSION}`);
    this.configureBackend(props.backend ?? { type: "local" });
  }

  private configureBackend(backend: BackendConfig): void {
    configureStackBackend(this, backend, this.organizationLogin);
  }
}

/**
 * Returns the stack-level Terraform variable `name`, creating it once. Variables live at the
 * stack root with their name as logical id, so their `TF_VAR_` names never depend on where a
 * construct sits in the tree.
 */
export function stackVariable(
  scope: Construct,
  name: string,
  props: TerraformVariableConfig,
): TerraformVariable {
  const stack = TerraformStack.of(scope);
  const existing = stack.node.tryFindChild(`var-${name}`);
  if (existing) return existing as TerraformVariable;
  const v = new TerraformVariable(stack, `var-${name}`, props);
  v.overrideLogicalId(name);
  return v;
}
