import { Construct } from "constructs";
import { Fn, TerraformStack, type TerraformVariable, Token } from "cdktf";
import type { ITerraformDependable, TerraformResource } from "cdktf";
import { ActionsOrganizationSecretRepositories } from "@cdktf/provider-github/lib/actions-organization-secret-repositories";
import { ActionsOrganizationVariable } from "@cdktf/provider-github/lib/actions-organization-variable";
import { DependabotOrganizationSecretRepositories } from "@cdktf/provider-github/lib/dependabot-organization-secret-repositories";
import type { GithubProvider } from "@cdktf/provider-github/lib/provider";
import { DEFAULT_CREDENTIALS_PREFIX } from "../config/schema";
import { secretNames, secretNameProblem, variableNames, type SecretNames } from "../naming";
import { ActionsEnvironmentSecretValue } from "./bindings/actions-environment-secret-value";
import { ActionsOrganizationSecretValue } from "./bindings/actions-organization-secret-value";
import { DependabotOrganizationSecretValue } from "./bindings/dependabot-organization-secret-value";
import { organizationContext, stackVariable } from "./organization-stack";
import { providerOwnerPrecondition } from "./owner-precondition";
import { lookUpRepository, repositoryIdOf } from "./repository-lookup";
import {
  addInputPrecondition,
  inputPreconditionsOf,
  pemKeyPrecondition,
  sealedKeyPrecondition,
  sealedKeyInputs,
} from "./variable-preconditions";
import { DeclaredValue } from "./declared-value";
import { requireGithubProvider, requireTerraform } from "./terraform-requirements";
import { terraformLiteral, terraformLiteralOrToken } from "./terraform-literal";

/** Who can read an organization secret or variable. */
export interface SecretVisibility {
  /**
   * `selected` (only the listed repositories), `private` (private and internal repositories)
   * or `all`.
   * @default "selected"
   */
  readonly visibility?: "selected" | "private" | "all";
  /**
   * Repository names, for `selected`. Their ids are looked up at plan time; a secret's list is
   * managed by its own `…_secret_repositories` resource.
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
  /**
   * The organization's login; names the Terraform variables.
   * @default - the login of the enclosing OrganizationStack
   */
  readonly organizationLogin?: string;
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
   * target's public key by `token-policy seal`, as `KEY_ID:BASE64`: the base64 is passed as
   * `value_encrypted` and the public key's id as `key_id`, so state keeps only ciphertext and
   * a key sealed again after GitHub rotates the public key is sent with its new id. A value
   * without `KEY_ID:` (seal's output before it wrote the id) is taken too, with no `key_id`.
   * `plaintext`: one variable with the PEM, passed as `value`; state then holds the key in
   * clear, so keep it in an encrypted backend.
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
 * after the organization (see `variableNames`), set by CI as `TF_VAR_<name>`. Every resource
 * here depends on the stack's input checks and owner check, so a bad input or a provider pointed
 * at another organization fails the plan before the provider sees a value or plans a change.
 * Organization secrets' repository lists are `…_secret_repositories` resources (the secrets'
 * own `selected_repository_ids` is deprecated from provider 6.11.0).
 */
export class AppCredentials extends Construct {
  /** The secret and variable names. */
  public readonly secretNames: SecretNames;
  /** The Terraform variable names CI must set, by purpose. */
  public readonly credentialInputs: Readonly<Record<string, string>>;
  /** The Actions secret holding the key. */
  public readonly actionsSecret: ActionsOrganizationSecretValue;
  /** The repositories that may read the Actions secret, when its visibility is `selected`. */
  public readonly actionsSecretRepositories?: ActionsOrganizationSecretRepositories;
  /** The Dependabot secret, when requested. */
  public readonly dependabotSecret?: DependabotOrganizationSecretValue;
  /** The repositories that may read the Dependabot secret, when its visibility is `selected`. */
  public readonly dependabotSecretRepositories?: DependabotOrganizationSecretRepositories;

  private readonly provider?: GithubProvider;
  /** Where the props came from, for messages: `configPath` or the construct's path. */
  private readonly configBase: string;

  constructor(scope: Construct, id: string, props: AppCredentialsProps) {
    super(scope, id);
    this.provider = props.provider;
    requireGithubProvider(this);
    const prefix = props.prefix ?? DEFAULT_CREDENTIALS_PREFIX;
    this.secretNames = secretNames(prefix);
    const problems = Object.values(this.secretNames)
      .map((n) => [n, secretNameProblem(n)] as const)
      .filter(([, p]) => p)
      .map(([n, p]) => `${n} ${p}`);
    for (const [what, v] of [
      ["actions", props.actions],
      ["dependabot", props.dependabot],
    ] as const) {
      if (v && (v.visibility ?? "selected") === "selected" && !v.repositories?.length) {
        problems.push(`${what}.repositories must list at least one repository when visibility is selected`);
      }
    }
    if (problems.length) throw new Error(`AppCredentials: ${problems.join("; ")} (${this.node.path})`);

    const base = props.configPath ?? this.node.path;
    this.configBase = base;
    const { login } = organizationContext(this, props, "AppCredentials");
    const vars = variableNames(login);
    const sealed = (props.privateKeyInput ?? "sealed") === "sealed";
    const inputs: Record<string, string> = {};
    const keyInput = (target: string, name: string, publicKey: string, sealCommand: string) => {
      inputs[target] = name;
      addInputPrecondition(this, sealed ? sealedKeyPrecondition(name, sealCommand) : pemKeyPrecondition(name), true);
      return stackVariable(this, name, {
        type: "string",
        sensitive: true,
        nullable: false,
        description: sealed
          ? `${this.secretNames.privateKey} for ${target}: the App's private key sealed with ${publicKey}, as KEY_ID:BASE64 (${sealCommand}).`
          : `${this.secretNames.privateKey}: the App's private key (PEM). Stored in state in clear.`,
      });
    };
    const seal = `token-policy seal --org ${login}`;
    const value = (target: string, name: string, publicKey: string, sealCommand: string) => {
      if (!sealed) return { value: keyInput("all targets", vars.privateKey, "", "").stringValue };
      keyInput(target, name, publicKey, sealCommand);
      return sealedKeyInputs(this, name);
    };
    /** The Terraform variable that holds the key a secret is sent. */
    const keyVariable = (sealedVariable: string) => (sealed ? sealedVariable : vars.privateKey);
    // What every resource here waits for: when one of them fails, Terraform plans none of these.
    const guarded = (): ITerraformDependable[] => [inputPreconditionsOf(this), providerOwnerPrecondition(this, login, props.provider)];
    const actionsVisibility = props.actions.visibility ?? "selected";
    const actionsIds = this.repositoryIds(login, "actions", props.actions);
    new ActionsOrganizationVariable(this, "app_id", {
      variableName: terraformLiteral(this.secretNames.appId),
      value: terraformLiteralOrToken(Token.isUnresolved(props.appId) ? (props.appId as string) : String(props.appId)),
      visibility: actionsVisibility,
      selectedRepositoryIds: actionsIds,
      dependsOn: guarded(),
      provider: props.provider,
    });
    new ActionsOrganizationVariable(this, "client_id", {
      variableName: terraformLiteral(this.secretNames.clientId),
      value: terraformLiteralOrToken(props.clientId),
      visibility: actionsVisibility,
      selectedRepositoryIds: actionsIds,
      dependsOn: guarded(),
      provider: props.provider,
    });
    this.actionsSecret = new ActionsOrganizationSecretValue(this, "private_key", {
      secretName: terraformLiteral(this.secretNames.privateKey),
      ...value("actions", vars.actionsSealed, "the organization's Actions secrets public key", `${seal} --target actions`),
      visibility: actionsVisibility,
      dependsOn: guarded(),
      provider: props.provider,
    });
    if (actionsIds) {
      this.actionsSecretRepositories = new ActionsOrganizationSecretRepositories(this, "private_key_repositories", {
        secretName: this.actionsSecret.secretName,
        selectedRepositoryIds: this.writtenAfter(this.actionsSecret, "private_key_written", keyVariable(vars.actionsSealed), actionsIds),
        dependsOn: guarded(),
        provider: props.provider,
      });
    }
    if (props.dependabot) {
      const dependabotIds = this.repositoryIds(login, "dependabot", props.dependabot);
      this.dependabotSecret = new DependabotOrganizationSecretValue(this, "dependabot_private_key", {
        secretName: terraformLiteral(this.secretNames.privateKey),
        ...value("dependabot", vars.dependabotSealed, "the organization's Dependabot secrets public key", `${seal} --target dependabot`),
        visibility: props.dependabot.visibility ?? "selected",
        dependsOn: guarded(),
        provider: props.provider,
      });
      if (dependabotIds) {
        this.dependabotSecretRepositories = new DependabotOrganizationSecretRepositories(this, "dependabot_private_key_repositories", {
          secretName: this.dependabotSecret.secretName,
          selectedRepositoryIds: this.writtenAfter(
            this.dependabotSecret,
            "dependabot_private_key_written",
            keyVariable(vars.dependabotSealed),
            dependabotIds,
          ),
          dependsOn: guarded(),
          provider: props.provider,
        });
      }
    }
    const seen = new Set<string>();
    (props.environments ?? []).forEach((env, i) => {
      const key = `${env.repository}/${env.environment}`;
      if (seen.has(key)) throw new Error(`AppCredentials: environment ${key} is listed twice (${this.node.path})`);
      seen.add(key);
      const repository = lookUpRepository(this, {
        organizationLogin: login,
        repositoryName: env.repository,
        configPlace: `${base}.environments[${i}].repository`,
        provider: props.provider,
      });
      new ActionsEnvironmentSecretValue(this, `env_${env.repository}_${env.environment}`, {
        repository: terraformLiteral(env.repository),
        environment: terraformLiteral(env.environment),
        secretName: terraformLiteral(this.secretNames.privateKey),
        ...value(
          `environment ${key}`,
          vars.environmentSealed(env.repository, env.environment),
          `the public key of environment ${key}`,
          `${seal} --target environment --repository ${env.repository} --environment ${env.environment}`,
        ),
        dependsOn: [...guarded(), repository],
        provider: props.provider,
      });
    });
    this.credentialInputs = inputs;
  }

  /** The repository ids of a `selected` visibility, looked up at plan; undefined for the others. */
  private repositoryIds(login: string, what: "actions" | "dependabot", v: SecretVisibility): number[] | undefined {
    if ((v.visibility ?? "selected") !== "selected") return undefined;
    const names = v.repositories ?? [];
    return [...new Set(names)].sort().map((name) =>
      repositoryIdOf(
        lookUpRepository(this, {
          organizationLogin: login,
          repositoryName: name,
          configPlace: `${this.configBase}.${what}.repositories[${names.indexOf(name)}]`,
          provider: this.provider,
        }),
      ),
    );
  }

  /**
   * A secret's repository list, written again after every successful write of its secret, and
   * never emptied by one. The provider's update of a secret sends `visibility: selected` without
   * the list (go-github omits an empty `selected_repository_ids`), and whether GitHub then keeps
   * the list is not documented, so the list is sent again after every change of the key.
   *
   * A `terraform_data` witness (`<id>`) holds the digest of the key variable and the ids; it
   * depends on the secret, so Terraform writes it only after GitHub accepted the secret, and the
   * list takes its ids from the witness's output: a new key or a changed list makes that output
   * unknown at plan, so the list is updated in place (one PUT of the whole list) after the
   * witness. A failed secret write stops the apply before the witness and the list, which keep
   * what GitHub has. (Replacing the list on every change of the secret, as before, destroyed it
   * first: `PUT …/repositories []` before the secret's write, so a failed write left every
   * repository without the key.)
   */
  private writtenAfter(secret: TerraformResource, id: string, keyVariable: string, ids: number[]): number[] {
    requireTerraform(this, "nonsensitive");
    // The key's variable, made by this construct's key input; a reference token, so it stays an
    // expression where every text around it is made literal.
    const variable = TerraformStack.of(this).node.findChild(`var-${keyVariable}`) as TerraformVariable;
    const witness = new DeclaredValue(this, id, {
      // A digest of the sealed (or PEM) value: nothing of the key, and no sensitive mark on the ids.
      key_sha256: Fn.nonsensitive(Fn.sha256(variable.stringValue)),
      repositories: ids,
    });
    // The bare address: cdktf writes a resource's fqn as "${type.name}" (see replace_triggered_by before).
    witness.dependsOn = [`${secret.terraformResourceType}.${secret.friendlyUniqueId}`];
    return Token.asNumberList(witness.interpolationForAttribute("output.repositories"));
  }
}
