import * as path from "node:path";
import { Construct } from "constructs";
import { App, CloudBackend, GcsBackend, LocalBackend, NamedCloudWorkspace, PgBackend, S3Backend, TerraformStack, TerraformVariable, type TerraformVariableConfig } from "cdktf";
import { GithubProvider } from "@cdktf/provider-github/lib/provider";
import type { BackendConfig } from "../config/schema";
import { apiUrlFor, GITHUB_COM, variableStem } from "../naming";
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
    const login = this.organizationLogin;
    switch (backend.type) {
      case "local": {
        // Terraform resolves the path from the stack's directory, cdktf.out/stacks/<id>; a
        // relative path keeps machine paths out of the synthesized files.
        const stackDir = path.join(App.of(this).outdir, "stacks", this.node.id);
        const file = path.resolve(backend.path ?? `terraform.${login}.tfstate`);
        new LocalBackend(this, { path: path.relative(path.resolve(stackDir), file).split(path.sep).join("/") });
        return;
      }
      case "s3": {
        const s3 = new S3Backend(this, {
          bucket: backend.bucket,
          key: backend.key ?? `github-token-policy/${login}.tfstate`,
          region: backend.region,
          encrypt: backend.encrypt,
          dynamodbTable: backend.dynamodbTable,
          // Terraform 1.10 removed the top-level role_arn; the role goes in assume_role {}.
          assumeRole: backend.roleArn ? { roleArn: backend.roleArn } : undefined,
        });
        if (backend.roleArn) requireTerraform(this, "s3_assume_role");
        // S3-native locking (Terraform ≥ 1.10); cdktf 0.21's S3Backend predates the option.
        if (backend.useLockfile) {
          s3.addOverride("use_lockfile", true);
          requireTerraform(this, "s3_use_lockfile");
        }
        return;
      }
      case "gcs":
        new GcsBackend(this, { bucket: backend.bucket, prefix: backend.prefix ?? `github-token-policy/${login}` });
        return;
      case "cloud":
        if (backend.project) requireTerraform(this, "cloud_workspace_project");
        new CloudBackend(this, {
          organization: backend.organization,
          hostname: backend.hostname,
          workspaces: new NamedCloudWorkspace(backend.workspace ?? `github-token-policy-${login}`, backend.project),
        });
        return;
      case "pg": {
        // The connection string holds a password: Terraform reads it from PG_CONN_STR.
        const pg = new PgBackend(this, { connStr: "", schemaName: backend.schemaName ?? `github_token_policy_${variableStem(login)}` });
        pg.addOverride("conn_str", undefined);
        return;
      }
    }
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
