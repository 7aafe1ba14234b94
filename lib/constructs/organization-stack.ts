import type { Construct, IConstruct } from "constructs";
import { TerraformStack, TerraformVariable, type TerraformVariableConfig } from "cdktf";
import { GithubProvider } from "@cdktf/provider-github/lib/provider";
import type { BackendConfig, OrganizationConfig } from "../config/schema";
import type { EnterpriseBounds } from "../config/effective-policy";
import { apiUrlFor, GITHUB_COM } from "../naming";
import { configureStackBackend } from "./stack-backend";
import { requireGithubProvider, requireTerraform } from "./terraform-requirements";
import { PACKAGE_NAME, VERSION } from "../version";
import { terraformLiteral } from "./terraform-literal";

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
  /**
   * The organization's entry as the loader returned it (validated, defaults merged, its
   * effective PAT policy computed), for the constructs of the stack to read through
   * {@link OrganizationStack.of} instead of deriving it again.
   * @default - none: constructs take everything from their props
   */
  readonly organizationConfig?: OrganizationConfig;
  /**
   * The enterprise that owns the organization, for the constructs of the stack (the member
   * guide names it).
   * @default - none
   */
  readonly enterprise?: EnterpriseBounds;
}

/** The organization a construct acts for: from its props where they say, else from its stack. */
export interface OrganizationContext {
  /** The organization's login. */
  readonly login: string;
  /** Web root of its GitHub instance, when the props or the stack name one. */
  readonly githubUrl?: string;
}

/**
 * One Terraform stack per organization, with its own `github` provider and backend.
 *
 * The provider reads its token from the environment (`GITHUB_TOKEN`), never from the
 * synthesized files; the variables that would change its owner, host or identity are refused
 * (see `PROVIDER_ENVIRONMENT_SWITCHES`). Inputs the stack needs at deploy time are Terraform variables whose
 * names start with the organization's stem (see {@link variableStem}), so one CI job can
 * deploy every stack with `TF_VAR_<name>` set.
 */
export class OrganizationStack extends TerraformStack {
  /**
   * The `OrganizationStack` that holds `scope`; throws when `scope` is in no such stack (as
   * cdktf's `TerraformStack.of` does for a construct outside any stack).
   */
  static of(scope: IConstruct): OrganizationStack {
    const stack = OrganizationStack.tryOf(scope);
    if (!stack)
      throw new Error(
        `${scope.node.path || "The construct"} is not inside an OrganizationStack: create it in one, or pass organizationLogin in its props`,
      );
    return stack;
  }

  /** The `OrganizationStack` that holds `scope`, or undefined when it is in none. */
  static tryOf(scope: IConstruct): OrganizationStack | undefined {
    for (const c of scope.node.scopes.reverse()) if (c instanceof OrganizationStack) return c;
    return undefined;
  }

  /**
   * The stack of one loaded organization entry (see `loadConfig`), with the entry's login as its
   * id; `enterprise` is the one that owns it (`enterpriseOf`).
   */
  static fromConfig(scope: Construct, entry: OrganizationConfig, enterprise?: EnterpriseBounds): OrganizationStack {
    return new OrganizationStack(scope, entry.login, {
      organizationLogin: entry.login,
      githubUrl: entry.githubUrl,
      backend: entry.backend,
      organizationConfig: entry,
      enterprise,
    });
  }

  /** The organization's login. */
  public readonly organizationLogin: string;
  /** Web root of the GitHub instance. */
  public readonly githubUrl: string;
  /** The REST API root the provider talks to. */
  public readonly githubApiUrl: string;
  /** The stack's github provider; pass it to constructs when several stacks share an app. */
  public readonly githubProvider: GithubProvider;
  /** The organization's loaded config entry, when the stack was built from one. */
  public readonly organizationConfig?: OrganizationConfig;
  /** The enterprise that owns the organization, when the stack was told. */
  public readonly enterprise?: EnterpriseBounds;

  constructor(scope: Construct, id: string, props: OrganizationStackProps) {
    super(scope, id);
    this.organizationLogin = props.organizationLogin;
    this.organizationConfig = props.organizationConfig;
    this.enterprise = props.enterprise;
    this.githubUrl = props.githubUrl ?? GITHUB_COM;
    this.githubApiUrl = apiUrlFor(this.githubUrl);
    this.githubProvider = new GithubProvider(this, "github", {
      owner: terraformLiteral(props.organizationLogin),
      // Every provider release in GITHUB_PROVIDER_VERSION takes the API root with a trailing
      // slash for GHES (it trims `api/v3/` and adds it back) and for GHE.com (`api.` host).
      baseUrl: this.githubUrl === GITHUB_COM ? undefined : terraformLiteral(`${this.githubApiUrl}/`),
    });
    requireGithubProvider(this);
    requireTerraform(this, "terraform_data");
    // Which release wrote this stack, for bug reports and for reading a plan later.
    this.addOverride("//.metadata.tokenPolicyVersion", `${PACKAGE_NAME} ${VERSION}`);
    this.configureBackend(props.backend ?? { type: "local" });
  }

  /**
   * Skips cdktf's preparing pass, a full resolve of every element that exists only to create
   * cross-stack references (a fifth of a synth's CPU): an organization's stack references no
   * other stack, by design (one independent stack per organization). A construct that added such
   * a reference would synthesize a reference Terraform refuses at plan as undeclared.
   */
  public prepareStack(): void {
    this.ensureBackendExists();
  }

  private configureBackend(backend: BackendConfig): void {
    configureStackBackend(this, backend, this.organizationLogin);
  }
}

/**
 * The login and GitHub instance a construct of `construct`'s kind acts for: `props` where they
 * name them, else the {@link OrganizationStack} that holds `scope`. Throws when neither names
 * the login.
 */
export function organizationContext(
  scope: IConstruct,
  props: { readonly organizationLogin?: string; readonly githubUrl?: string },
  construct: string,
): OrganizationContext {
  const stack = OrganizationStack.tryOf(scope);
  const login = props.organizationLogin ?? stack?.organizationLogin;
  if (login === undefined) throw new Error(`${construct}: organizationLogin is required outside an OrganizationStack (${scope.node.path})`);
  return { login, githubUrl: props.githubUrl ?? stack?.githubUrl };
}

/**
 * Returns the stack-level Terraform variable `name`, creating it once. Variables live at the
 * stack root with their name as logical id, so their `TF_VAR_` names never depend on where a
 * construct sits in the tree.
 */
export function stackVariable(scope: Construct, name: string, props: TerraformVariableConfig): TerraformVariable {
  const stack = TerraformStack.of(scope);
  const existing = stack.node.tryFindChild(`var-${name}`);
  if (existing) return existing as TerraformVariable;
  const v = new TerraformVariable(stack, `var-${name}`, props);
  v.overrideLogicalId(name);
  return v;
}
