/**
 * The constructs layer: cdktf constructs that turn one validated organization entry into
 * Terraform. `OrgTokenPolicy` composes the others (`PatPolicy`, `GitHubApp`, `AppCredentials`,
 * `MemberGuide`) inside an `OrganizationStack`; `DeclaredValue`, the variable preconditions and the
 * Terraform requirements serve only constructs. Secrets enter as sensitive variables only.
 */
import { Construct } from "constructs";
import type { GithubProvider } from "@cdktf/provider-github/lib/provider";
import {
  organizationSchema,
  type ApprovalInput,
  type AppInput,
  type CredentialsInput,
  type GuideInput,
  type OrganizationConfig,
  type PatPolicyInput,
  type SuppressionInput,
  type VerifyInput,
} from "../config/schema";
import { formatPath, showValue, stripLeadingName } from "../config/errors";
import { effectivePatPolicy, enterpriseConflicts, type EnterpriseBounds } from "../config/effective-policy";
import { AppCredentials } from "./app-credentials";
import { GitHubApp } from "./github-app";
import { MemberGuide } from "./member-guide";
import { PatPolicy } from "./pat-policy";
import { OrganizationStack, organizationContext, stackVariable, type OrganizationContext } from "./organization-stack";
import { sameGitHubInstance, variableNames, webRoot } from "../naming";
import { addInputPrecondition, clientIdPrecondition, numericIdPrecondition, type InputPrecondition } from "./variable-preconditions";

/**
 * Props of {@link OrgTokenPolicy}: the same shape as an organization's entry in `token-policy.yaml`.
 *
 * The nested fields (`patPolicy.maxLifetimeDays`, `app.installation.repositories`, …), their
 * values and their defaults are the README's "Config reference": one schema checks both the file
 * and these props.
 */
export interface OrgTokenPolicyProps {
  /**
   * The organization's login.
   * @default - the login of the enclosing OrganizationStack
   */
  readonly organizationLogin?: string;
  /**
   * Web root of its GitHub instance: github.com, a GHE.com tenant or a GitHub Enterprise Server.
   * @default - the enclosing OrganizationStack's, else "https://github.com"
   */
  readonly githubUrl?: string;
  /**
   * Whether `githubUrl` may name a private or loopback address (a GHES on an internal network).
   * @default false
   */
  readonly allowPrivateHost?: boolean;
  /**
   * The PAT policy: `fineGrainedTokens`, `requireApproval`, `maxLifetimeDays`, `classicTokens`,
   * `classicMaxLifetimeDays`.
   * @default - fine-grained tokens allowed with approval for at most 366 days; classic restricted
   */
  readonly patPolicy?: PatPolicyInput;
  /**
   * The approval rules `review` and `serve` apply, `otherwise` and `revokeNonCompliant`.
   * @default - no rules; requests left to owners; nothing revoked
   */
  readonly approval?: ApprovalInput;
  /** The App: `name` and `homepageUrl`, and its permissions, events, webhook, ids and installation. */
  readonly app: AppInput;
  /** Where the App's credentials go: `actions` visibility (required), Dependabot, environments, prefix. */
  readonly credentials: CredentialsInput;
  /**
   * Keep the member guide in a repository of the organization.
   * @default - no guide
   */
  readonly guide?: GuideInput;
  /**
   * What `verify` reads as evidence of the PAT policy (`evidence`: `grants`, `auditLog`,
   * `credentialAuthorizations`); the App gains the read permissions the sources need.
   * @default { evidence: ["grants"] }
   */
  readonly verify?: VerifyInput;
  /**
   * Policy rules suppressed for this organization, each with its reason.
   * @default []
   */
  readonly suppressions?: readonly SuppressionInput[];
  /**
   * The enterprise that owns the organization (an `enterprises` entry, or
   * `EnterprisePatPolicy.enterpriseBounds`): its settings stand where `patPolicy` declares
   * nothing, a declaration it forbids throws, and the member guide names it.
   * @default - the enclosing OrganizationStack's; else the organization belongs to no enterprise declared here
   */
  readonly enterprise?: EnterpriseBounds;
  /**
   * The stack's provider, when several share an app.
   * @default - the stack's default provider
   */
  readonly provider?: GithubProvider;
  /**
   * Where the entry sits in its config file (`organizations[0]`), named in deploy-time messages.
   * @default - the construct's path
   */
  readonly configPath?: string;
}

/**
 * The whole token setup of one organization, from its config entry: the PAT policy record,
 * the App (manifest and installation repositories) and the App's credentials.
 *
 * Construct ids (`pat-policy`, `app`, `credentials`) are part of the Terraform addresses:
 * they do not change.
 */
export class OrgTokenPolicy extends Construct {
  /** The organization entry this policy was built from (policy checks read it). */
  public readonly organizationConfig: OrganizationConfig;
  /** The PAT policy record. */
  public readonly patPolicy: PatPolicy;
  /** The App. */
  public readonly gitHubApp: GitHubApp;
  /** The App's credentials as secrets and variables. */
  public readonly appCredentials: AppCredentials;
  /** The member guide, when the entry asks for one (`guide`). */
  public readonly memberGuide?: MemberGuide;

  /**
   * The construct for one entry as `loadConfig` returns it: validated, defaults merged, its
   * effective PAT policy computed, so nothing of it is checked or derived again here.
   * `options.enterprise` is the enterprise that owns it (`enterpriseOf`), for the member guide.
   */
  static fromConfig(
    scope: Construct,
    id: string,
    entry: OrganizationConfig,
    options: Pick<OrgTokenPolicyProps, "provider" | "configPath" | "enterprise"> = {},
  ): OrgTokenPolicy {
    const { login, backend: _stackLevel, enterprise: _slug, ...rest } = entry;
    const props: OrgTokenPolicyProps = { organizationLogin: login, ...rest, ...options };
    loadedEntries.set(props, entry);
    return new OrgTokenPolicy(scope, id, props);
  }

  constructor(scope: Construct, id: string, props: OrgTokenPolicyProps) {
    super(scope, id);
    const stack = OrganizationStack.tryOf(this);
    const enterprise = props.enterprise ?? stack?.enterprise;
    const org =
      loadedEntries.get(props) ??
      validated(props, {
        login: organizationContext(this, props, "OrgTokenPolicy"),
        enterprise,
        where: props.configPath ?? this.node.path,
      });
    this.organizationConfig = org;
    const login = org.login;
    this.patPolicy = new PatPolicy(this, "pat-policy", { organizationLogin: login, githubUrl: org.githubUrl, ...org.patPolicy });
    this.gitHubApp = new GitHubApp(this, "app", {
      organizationLogin: login,
      githubUrl: org.githubUrl,
      name: org.app.name,
      homepageUrl: org.app.homepageUrl,
      description: org.app.description,
      permissions: org.app.permissions,
      events: org.app.events,
      webhookUrl: org.app.webhookUrl,
      installationId: org.app.installation.id,
      installationRepositories: org.app.installation.repositories,
      provider: props.provider,
      configPath: `${props.configPath ?? this.node.path}.app.installation.repositories`,
    });
    const names = variableNames(login);
    const fromCreateApp = (key: string) => `\`token-policy create-app\` prints it; or set ${key} in the config.`;
    const input = (name: string, description: string, precondition: InputPrecondition) => {
      addInputPrecondition(this, precondition, false);
      return stackVariable(this, name, { type: "string", nullable: false, description }).stringValue;
    };
    const appId =
      org.app.id ??
      input(
        names.appId,
        `Id of the ${org.app.name} App (printed by token-policy create-app); or set app.id in the config.`,
        numericIdPrecondition(names.appId, `the numeric id of the ${org.app.name} App`, fromCreateApp("app.id")),
      );
    const clientId =
      org.app.clientId ??
      input(
        names.clientId,
        `Client id of the ${org.app.name} App (printed by token-policy create-app); or set app.clientId in the config.`,
        clientIdPrecondition(names.clientId, fromCreateApp("app.clientId")),
      );
    this.appCredentials = new AppCredentials(this, "credentials", {
      organizationLogin: login,
      prefix: org.credentials.prefix,
      appId,
      clientId,
      privateKeyInput: org.credentials.privateKeyInput,
      actions: org.credentials.actions,
      dependabot: org.credentials.dependabot,
      environments: org.credentials.environments,
      provider: props.provider,
      configPath: `${props.configPath ?? this.node.path}.credentials`,
    });
    if (org.guide) {
      this.memberGuide = new MemberGuide(this, "guide", {
        organization: org,
        enterprise,
        repository: org.guide.repository,
        path: org.guide.path,
        branch: org.guide.branch,
        allowGitHubPaths: org.guide.allowGitHubPaths,
        provider: props.provider,
        configPath: `${props.configPath ?? this.node.path}.guide.repository`,
      });
    }
  }
}

/** The loaded entries `fromConfig` passes, by the props it builds from them. */
const loadedEntries = new WeakMap<OrgTokenPolicyProps, OrganizationConfig>();

/**
 * The props of a direct API user checked as a YAML entry is, and their effective policy. The
 * config schema is the one place that validates and holds the defaults; every problem is
 * reported at once, before any child exists.
 */
function validated(
  props: OrgTokenPolicyProps,
  at: { readonly login: OrganizationContext; readonly enterprise?: EnterpriseBounds; readonly where: string },
): OrganizationConfig {
  const {
    organizationLogin: _login,
    githubUrl: _githubUrl,
    provider: _provider,
    configPath: _configPath,
    enterprise: _enterprise,
    ...rest
  } = props;
  const { enterprise, where } = at;
  const organizationLogin = at.login.login;
  const parsed = organizationSchema.safeParse({
    login: organizationLogin,
    githubUrl: at.login.githubUrl,
    ...rest,
    enterprise: enterprise?.slug,
  });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => {
      const path = formatPath(i.path as PropertyKey[]).replace(/^login\b/, "organizationLogin");
      const value = getIn({ githubUrl: at.login.githubUrl, ...rest }, i.path as PropertyKey[], organizationLogin);
      return `${path || "props"}: ${stripLeadingName(i.message)}${value === undefined ? "" : `, got ${showValue(value)}`}`;
    });
    throw new Error(`OrgTokenPolicy ${where}: ${problems.join("; ")}`);
  }
  const conflicts = enterprise ? enterpriseConflicts(rest.patPolicy, enterprise).map((c) => `patPolicy.${c.key}: ${c.message}`) : [];
  if (enterprise && !sameGitHubInstance(enterprise.githubUrl, parsed.data.githubUrl)) {
    conflicts.push(`githubUrl: is ${parsed.data.githubUrl}, but enterprise ${enterprise.slug} is on ${webRoot(enterprise.githubUrl)}`);
  }
  if (conflicts.length) throw new Error(`OrgTokenPolicy ${where}: ${conflicts.join("; ")}`);
  // What the organization left out, its enterprise decides: the effective policy.
  return enterprise ? { ...parsed.data, patPolicy: effectivePatPolicy(rest.patPolicy, enterprise) } : parsed.data;
}

function getIn(obj: unknown, path: readonly PropertyKey[], login: string): unknown {
  if (path[0] === "login") return login;
  let cur = obj;
  for (const part of path) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string, unknown>)[String(part)];
  }
  return cur;
}
