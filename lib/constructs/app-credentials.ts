import { Construct } from "constructs";
import { Token } from "cdktf";
import { ActionsEnvironmentSecret } from "@cdktf/provider-github/lib/actions-environment-secret";
import { ActionsOrganizationSecret } from "@cdktf/provider-github/lib/actions-organization-secret";
import { ActionsOrganizationVariable } from "@cdktf/provider-github/lib/actions-organization-variable";
import { DataGithubRepository } from "@cdktf/provider-github/lib/data-github-repository";
import { DependabotOrganizationSecret } from "@cdktf/provider-github/lib/dependabot-organization-secret";
import type { GithubProvider } from "@cdktf/provider-github/lib/provider";
import { credentialNames, secretNameProblem, variableNames, type CredentialNames } from "../naming";
import { stackVariable } from "./organization-stack";
import { checkInput, pemKeyCheck, sealedKeyCheck } from "./variable-checks";
import { requireGithubProvider, requireTerraform } from "./terraform-requirements";

/** Who can read an organization secret or variable. */
export interface SecretVisibility {
  /**
   * `selected` (only the listed repositories), `private` (private and internal repositories)
   * or `all`.
   * @default "selected"
   */
  readonly visibility?: "selected" | "private" | "all";
  /**
   * Repository names, for `selected`. Their ids are looked up at plan time.
   * @default []
   */
  readonly repositories?: readonly string[];
}

/** A repository environment that gets the private key as an environment secret. */
export interface EnvironmentTarget {
  /** Repository name. The environment must already exist. */
  readonly repository: string;
  /** Environment name. */
  readonly environment: string;
}

/** Props of {@link AppCredentials}. */
export interface AppCredentialsProps {
  /** The organization's login; names the Terraform variables. */
  readonly organizationLogin: string;
  /**
   * Prefix of the secret and variable names: `<PREFIX>_APP_ID`, `<PREFIX>_CLIENT_ID`,
   * `<PREFIX>_PRIVATE_KEY`. GitHub rules: letters, digits, `_`, no leading digit, no `GITHUB_`.
   * @default "TOKEN_BROKER"
   */
  readonly prefix?: string;
  /** The App's numeric id (or a token). */
  readonly appId: string | number;
  /** The App's client id (or a token). */
  readonly clientId: string;
  /**
   * How the private key enters Terraform, always through sensitive variables, never a literal.
   * `sealed`: one variable per target holding the key sealed (libsodium sealed box) with that
   * target's public key by `token-policy seal`, passed as `encrypted_value`, so state keeps
   * only ciphertext. `plaintext`: one variable with the PEM, passed as `plaintext_value`; state
   * then holds the key in clear, so keep it in an encrypted backend.
   * @default "sealed"
   */
  readonly privateKeyInput?: "sealed" | "plaintext";
  /** Who can read the Actions variables and the Actions secret. */
  readonly actions: SecretVisibility;
  /**
   * Who can read the Dependabot secret; Dependabot-triggered workflows read the ids from the
   * Actions variables.
   * @default - no Dependabot secret
   */
  readonly dependabot?: SecretVisibility;
  /**
   * Repository environments that get the key as an environment secret.
   * @default []
   */
  readonly environments?: readonly EnvironmentTarget[];
  /**
   * The stack's provider, when several share an app.
   * @default - the stack's default provider
   */
  readonly provider?: GithubProvider;
  /**
   * Where these props came from, named in deploy-time messages (a repository that does not
   * exist names its place: `organizations[0].credentials.actions.repositories[1]`).
   * @default - the construct's path
   */
  readonly configPath?: string;
}

/**
 * The App's credentials, wired where workflows need them to mint installation tokens:
 * org Actions variables `<PREFIX>_APP_ID` and `<PREFIX>_CLIENT_ID`, org Actions secret
 * `<PREFIX>_PRIVATE_KEY`, optionally a Dependabot org secret and environment secrets.
 *
 * The key never passes through TypeScript: it enters as sensitive Terraform variables named
 * after the organization (see `variableNames`), set by CI as `TF_VAR_<name>`.
 */
export class AppCredentials extends Construct {
  /** The secret and variable names. */
  public readonly credentialNames: CredentialNames;
  /** The Terraform variable names CI must set, by purpose. */
  public readonly credentialInputs: Readonly<Record<string, string>>;
  /** The Actions secret holding the key. */
  public readonly actionsSecret: ActionsOrganizationSecret;
  /** The Dependabot secret, when requested. */
  public readonly dependabotSecret?: DependabotOrganizationSecret;

  private readonly repoIds = new Map<string, number>();
  private readonly provider?: GithubProvider;
  /** Repository name → the first place in the props (or config) that names it. */
  private readonly repoPlaces = new Map<string, string>();

  constructor(scope: Construct, id: string, props: AppCredentialsProps) {
    super(scope, id);
    this.provider = props.provider;
    requireGithubProvider(this);
    const prefix = props.prefix ?? "TOKEN_BROKER";
    this.credentialNames = credentialNames(prefix);
    const problems = Object.values(this.credentialNames)
      .map((n) => [n, secretNameProblem(n)] as const)
      .filter(([, p]) => p)
      .map(([n, p]) => `${n} ${p}`);
    for (const [what, v] of [["actions", props.actions], ["dependabot", props.dependabot]] as const) {
      if (v && (v.visibility ?? "selected") === "selected" && !(v.repositories?.length)) {
        problems.push(`${what}.repositories must list at least one repository when visibility is selected`);
      }
    }
    if (problems.length) throw new Error(`AppCredentials: ${problems.join("; ")} (${this.node.path})`);

    const base = props.configPath ?? this.node.path;
    for (const [what, v] of [["actions", props.actions], ["dependabot", props.dependabot]] as const) {
      (v?.repositories ?? []).forEach((name, i) => {
        if (!this.repoPlaces.has(name)) this.repoPlaces.set(name, `${base}.${what}.repositories[${i}]`);
      });
    }
    const vars = variableNames(props.organizationLogin);
    const sealed = (props.privateKeyInput ?? "sealed") === "sealed";
    const inputs: Record<string, string> = {};
    const keyInput = (target: string, name: string, publicKey: string, sealCommand: string) => {
      inputs[target] = name;
      checkInput(this, sealed ? sealedKeyCheck(name, sealCommand) : pemKeyCheck(name), true);
      return stackVariable(this, name, {
        type: "string",
        sensitive: true,
        nullable: false,
        description: sealed
          ? `${this.credentialNames.privateKey} for ${target}: the App's private key sealed with ${publicKey} (${sealCommand}).`
          : `${this.credentialNames.privateKey}: the App's private key (PEM). Stored in state in clear.`,
      }).stringValue;
    };
    const seal = `token-policy seal --org ${props.organizationLogin}`;
    const value = (target: string, name: string, publicKey: string, sealCommand: string) =>
      sealed ? { encryptedValue: keyInput(target, name, publicKey, sealCommand) } : { plaintextValue: keyInput("all targets", vars.privateKey, "", "") };

    const actions = this.visibility(props.organizationLogin, props.actions);
    new ActionsOrganizationVariable(this, "app_id", {
      variableName: this.credentialNames.appId,
      value: Token.isUnresolved(props.appId) ? (props.appId as string) : String(props.appId),
      ...actions,
      provider: props.provider,
    });
    new ActionsOrganizationVariable(this, "client_id", {
      variableName: this.credentialNames.clientId,
      value: props.clientId,
      ...actions,
      provider: props.provider,
    });
    this.actionsSecret = new ActionsOrganizationSecret(this, "private_key", {
      secretName: this.credentialNames.privateKey,
      ...value("actions", vars.actionsSealed, "the organization's Actions secrets public key", `${seal} --target actions`),
      ...actions,
      provider: props.provider,
    });
    if (props.dependabot) {
      this.dependabotSecret = new DependabotOrganizationSecret(this, "dependabot_private_key", {
        secretName: this.credentialNames.privateKey,
        ...value("dependabot", vars.dependabotSealed, "the organization's Dependabot secrets public key", `${seal} --target dependabot`),
        ...this.visibility(props.organizationLogin, props.dependabot),
        provider: props.provider,
      });
    }
    const seen = new Set<string>();
    for (const env of props.environments ?? []) {
      const key = `${env.repository}/${env.environment}`;
      if (seen.has(key)) throw new Error(`AppCredentials: environment ${key} is listed twice (${this.node.path})`);
      seen.add(key);
      new ActionsEnvironmentSecret(this, `env_${env.repository}_${env.environment}`, {
        repository: env.repository,
        environment: env.environment,
        secretName: this.credentialNames.privateKey,
        ...value(`environment ${key}`, vars.environmentSealed(env.repository, env.environment), `the public key of environment ${key}`, `${seal} --target environment --repository ${env.repository} --environment ${env.environment}`),
        provider: props.provider,
      });
    }
    this.credentialInputs = inputs;
  }

  private visibility(login: string, v: SecretVisibility): { visibility: string; selectedRepositoryIds?: number[] } {
    const visibility = v.visibility ?? "selected";
    if (visibility !== "selected") return { visibility };
    const ids = [...new Set(v.repositories ?? [])].sort().map((name) => this.repoId(login, name));
    return { visibility, selectedRepositoryIds: ids };
  }

  /**
   * One `data github_repository` per repository name, shared by every secret that needs it. Its
   * postcondition (Terraform ≥ 1.2) fails the plan with the name and its place in the config
   * when GitHub has no such repository, or the deploy token cannot see it: the provider itself
   * would go on with a null id and fail later naming nothing.
   */
  private repoId(login: string, name: string): number {
    let id = this.repoIds.get(name);
    if (id === undefined) {
      const place = this.repoPlaces.get(name) ?? this.node.path;
      requireTerraform(this, "postconditions");
      id = new DataGithubRepository(this, `repo_${name}`, {
        fullName: `${login}/${name}`,
        provider: this.provider,
        lifecycle: {
          postcondition: [
            {
              condition: "${try(self.repo_id, null) != null}",
              errorMessage: `${place} ${JSON.stringify(name)}: no repository ${login}/${name}, or the token that runs deploy cannot see it. Fix the name in the config, or give the deploy token access to the repository.`,
            },
          ],
        },
      }).repoId;
      this.repoIds.set(name, id);
    }
    return id;
  }
}
