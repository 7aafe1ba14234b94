import { Construct } from "constructs";
import type { GithubProvider } from "@cdktf/provider-github/lib/provider";
import type { OrganizationConfig } from "./config/schema";
import { AppCredentials } from "./app-credentials";
import { GitHubApp } from "./github-app";
import { MemberGuide } from "./member-guide";
import { PatPolicy } from "./pat-policy";
import { stackVariable } from "./organization-stack";
import { variableNames } from "./naming";
import { checkInput, clientIdCheck, numericIdCheck, type InputCheck } from "./variable-checks";

/** Props of {@link OrgTokenPolicy}. */
export interface OrgTokenPolicyProps {
  /** One validated organization entry of `token-policy.yaml` (see `loadConfig`). */
  readonly organization: OrganizationConfig;
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

  constructor(scope: Construct, id: string, props: OrgTokenPolicyProps) {
    super(scope, id);
    const org = props.organization;
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
    });
    const names = variableNames(login);
    const fromCreateApp = (key: string) => `\`token-policy create-app\` prints it; or set ${key} in the config.`;
    const input = (name: string, description: string, check: InputCheck) => {
      checkInput(this, check, false);
      return stackVariable(this, name, { type: "string", nullable: false, description }).stringValue;
    };
    const appId =
      org.app.id ??
      input(names.appId, `Id of the ${org.app.name} App (printed by token-policy create-app); or set app.id in the config.`, numericIdCheck(names.appId, `the numeric id of the ${org.app.name} App`, fromCreateApp("app.id")));
    const clientId =
      org.app.clientId ??
      input(names.clientId, `Client id of the ${org.app.name} App (printed by token-policy create-app); or set app.clientId in the config.`, clientIdCheck(names.clientId, fromCreateApp("app.clientId")));
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
      this.memberGuide = new MemberGuide(this, "guide", { organization: org, repository: org.guide.repository, path: org.guide.path, branch: org.guide.branch, provider: props.provider });
    }
  }
}
