/**
 * What deploying one organization's stack needs from CI: the Terraform variables its stack
 * declares, read from the constructs themselves (one source: the stack), with the secret or
 * variable name CI keeps each under.
 */
import { App, TerraformVariable } from "cdktf";
import type { OrganizationConfig } from "../config/schema";
import { apiUrlFor, deployEnvironment, variableStem, webRoot } from "../naming";
import { OrganizationStack } from "../constructs/organization-stack";
import { OrgTokenPolicy } from "../constructs/org-token-policy";
import { lockFilePath } from "../model/lock-file";

/** One input of a stack. */
export interface StackInput {
  /** The Terraform variable's name. */
  readonly variable: string;
  /** The environment variable Terraform reads it from. */
  readonly env: string;
  /**
   * The name CI keeps it under: an Actions secret when sensitive, else an Actions variable
   * (the Terraform name in upper case).
   */
  readonly ciName: string;
  /** Whether it is a secret (sealed key, or plaintext key). */
  readonly sensitive: boolean;
  /** What it holds and where it comes from (the variable's description). */
  readonly description: string;
}

/** One organization as a deploy job sees it. */
export interface DeployTarget {
  /** The organization's login, also the stack's name (`cdktf deploy <stack>`). */
  readonly login: string;
  /** Web root of its GitHub instance. */
  readonly githubUrl: string;
  /** Its REST API root (the token minting step and the provider talk to it). */
  readonly apiUrl: string;
  /** The GitHub environment that holds its inputs in the example workflows. */
  readonly environment: string;
  /**
   * The GitHub environment of its pull-request plan job: `token-policy-plan_<login>`, never a
   * deploy environment (`_` is in no login), holding only a read-only App and the stack's inputs.
   */
  readonly planEnvironment: string;
  /** The Actions variable holding its token-broker App's id for review and verify (`<STEM>_APP_ID`). */
  readonly appIdVariable: string;
  /** The secret holding its token-broker App's private key (`<STEM>_APP_PRIVATE_KEY`). */
  readonly appKeySecret: string;
  /** Its provider lock file, relative to the config file's folder (`token-policy lock` writes it, synth copies it into the stack). */
  readonly lockFile: string;
  /** Whether `github_app_installation_repositories` is managed: it needs an owner's classic PAT. */
  readonly needsOwnerToken: boolean;
  /** Every input its stack declares. */
  readonly inputs: readonly StackInput[];
}

/** The deploy target of each organization, in config order. */
export function deployTargets(organizations: readonly OrganizationConfig[]): DeployTarget[] {
  const app = new App({ skipValidation: true });
  return organizations.map((org) => {
    const stack = OrganizationStack.fromConfig(app, org);
    const policy = OrgTokenPolicy.fromConfig(stack, "token-policy", org);
    const inputs = stack.node
      .findAll()
      .filter((c): c is TerraformVariable => c instanceof TerraformVariable)
      .map((v) => {
        const variable = v.friendlyUniqueId;
        return {
          variable,
          env: `TF_VAR_${variable}`,
          ciName: variable.toUpperCase(),
          sensitive: Boolean(v.sensitive),
          description: v.description ?? "",
        };
      })
      .sort((a, b) => a.variable.localeCompare(b.variable));
    return {
      login: org.login,
      githubUrl: webRoot(org.githubUrl),
      apiUrl: apiUrlFor(org.githubUrl),
      environment: deployEnvironment(org.login),
      planEnvironment: `token-policy-plan_${org.login.toLowerCase()}`,
      appIdVariable: `${variableStem(org.login).toUpperCase()}_APP_ID`,
      appKeySecret: `${variableStem(org.login).toUpperCase()}_APP_PRIVATE_KEY`,
      lockFile: lockFilePath(org.login),
      needsOwnerToken: policy.gitHubApp.appInstallationRepositories !== undefined,
      inputs,
    };
  });
}

/** One name a deploy job reads from its GitHub environment. */
export interface DeployJobInput {
  /** The secret's or variable's name in the environment. */
  readonly ciName: string;
  /** `secret` or `variable`. */
  readonly kind: "secret" | "variable";
  /** What it holds. */
  readonly description: string;
}

/**
 * Every name one organization's deploy job (examples/workflows/deploy.yml) reads from its
 * environment: the deployer App's client id and key, the owner's classic PAT when the stack
 * manages the installation's repositories, then the stack's own inputs.
 */
export function deployJobInputs(target: DeployTarget): DeployJobInput[] {
  return [
    { ciName: "TOKEN_POLICY_DEPLOYER_CLIENT_ID", kind: "variable", description: "the deployer App's client id (the job mints its token)" },
    { ciName: "TOKEN_POLICY_DEPLOYER_PRIVATE_KEY", kind: "secret", description: "the deployer App's private key" },
    ...(target.needsOwnerToken
      ? [
          {
            ciName: "TOKEN_POLICY_OWNER_PAT",
            kind: "secret" as const,
            description: "an owner's classic PAT with repo: the installation lists repositories, which only a user token can manage",
          },
        ]
      : []),
    ...target.inputs.map((i) => ({
      ciName: i.ciName,
      kind: i.sensitive ? ("secret" as const) : ("variable" as const),
      description: i.description,
    })),
  ];
}
