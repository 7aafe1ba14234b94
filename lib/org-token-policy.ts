import { Construct } from "constructs";
import type { GithubProvider } from "@cdktf/provider-github/lib/provider";
import type { OrganizationConfig } from "./config/schema";
import { AppCredentials } from "./app-credentials";
import { GitHubApp } from "./github-app";
import { PatPolicy } from "./pat-policy";
import { stackVariable } from "./organization-stack";
import { variableNames } from "./naming";

/** Props of {@link OrgTokenPolicy}. */
export interface OrgTokenPolicyProps {
  /** One validated organization entry of `token-policy.yaml` (see `loadConfig`). */
  readonly organization: OrganizationConfig;
  /**
   * The stack's provider, when several share an app.
   * @default - the stack's default provider
   */
  readonly provider?: GithubProvider;
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
    const appId =
      org.app.id ??
      stackVariable(this, names.appId, { type: "string", description: `Id of the ${org.app.name} App (printed by token-policy create-app); or set app.id in the config.` }).stringValue;
    const clientId =
      org.app.clientId ??
      stackVariable(this, names.clientId, { type: "string", description: `Client id of the ${org.app.name} App (printed by token-policy create-app); or set app.clientId in the config.` }).stringValue;
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
    });
  }
}
