/**
 * Names and URLs derived from an organization: Terraform variable names, secret names, the
 * API root and the settings pages. Pure, shared by the constructs and the CLI.
 */

/** The github.com web root. */
export const GITHUB_COM = "https://github.com";

/**
 * The stem of every Terraform variable of one organization, and (in upper case) of the CI secrets
 * and variables named after it: its login in lower case with `-` as `_` (GitHub logins have no
 * `_`), prefixed with `org_` when it starts with a digit, which Terraform identifiers may not, or
 * with `github`, since GitHub refuses secret and variable names that begin with `GITHUB_`. So
 * `1acme` and `org-1acme` share a stem: the config loader refuses the two together.
 */
export function variableStem(login: string): string {
  const stem = login.toLowerCase().replace(/-/g, "_");
  return /^([0-9]|github)/.test(stem) ? `org_${stem}` : stem;
}

/** The REST API root for a web root: api.github.com, `api.` for GHE.com, `/api/v3` for GHES. */
export function apiUrlFor(githubUrl: string = GITHUB_COM): string {
  const web = githubUrl.replace(/\/+$/, "");
  const host = new URL(web).host;
  if (host === "github.com" || host === "www.github.com") return "https://api.github.com";
  if (host.endsWith(".ghe.com")) return `https://api.${host}`;
  return `${web}/api/v3`;
}

/** Where `serve` shows an organization's member page, below the page's URL (`memberPage.url`). */
export function memberPagePath(login: string): string {
  return `/member/${login}`;
}

/** An organization's member page: `{url}/member/{login}`, `url` being the config's `memberPage.url`. */
export function memberPageUrl(url: string, login: string): string {
  return `${url.replace(/\/+$/, "")}${memberPagePath(login)}`;
}

/** Strips a trailing slash. */
export function webRoot(githubUrl: string = GITHUB_COM): string {
  return githubUrl.replace(/\/+$/, "");
}

/** The names of the secrets and variables `AppCredentials` writes for a prefix. */
export interface SecretNames {
  /** Actions variable holding the App id. */
  readonly appId: string;
  /** Actions variable holding the App's client id. */
  readonly clientId: string;
  /** Actions, Dependabot and environment secret holding the App's private key. */
  readonly privateKey: string;
}

/** `PREFIX_APP_ID`, `PREFIX_CLIENT_ID`, `PREFIX_PRIVATE_KEY`. */
export function secretNames(prefix: string): SecretNames {
  return { appId: `${prefix}_APP_ID`, clientId: `${prefix}_CLIENT_ID`, privateKey: `${prefix}_PRIVATE_KEY` };
}

/** Characters GitHub allows in secret and variable names: letters, digits, `_`, no leading digit. */
export const SECRET_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Longest secret or variable name GitHub accepts. */
export const SECRET_NAME_MAX_LENGTH = 100;

/**
 * Checks a secret or variable name against GitHub's rules; returns what is wrong, or undefined.
 * Letters, digits and `_`; not starting with a digit or `GITHUB_`; at most 100 characters.
 */
export function secretNameProblem(name: string): string | undefined {
  if (!SECRET_NAME_PATTERN.test(name)) return "must contain only letters, digits and '_' and not start with a digit";
  if (/^GITHUB_/i.test(name)) return "must not start with GITHUB_ (reserved by GitHub)";
  if (name.length > SECRET_NAME_MAX_LENGTH) return `must be at most ${SECRET_NAME_MAX_LENGTH} characters`;
  return undefined;
}

/** Terraform variable names of one organization, so CI can set `TF_VAR_<name>`. */
export interface VariableNames {
  /** App id, when the config does not record it. */
  readonly appId: string;
  /** App client id, when the config does not record it. */
  readonly clientId: string;
  /** Installation id, when the config does not record it. */
  readonly installationId: string;
  /** The private key in clear (plaintext mode only). */
  readonly privateKey: string;
  /** The key sealed for the org's Actions secrets public key (sealed mode). */
  readonly actionsSealed: string;
  /** The key sealed for the org's Dependabot secrets public key (sealed mode). */
  readonly dependabotSealed: string;
  /** The key sealed for one repository environment's public key (sealed mode). */
  environmentSealed(repository: string, environment: string): string;
}

/**
 * The part of an environment's sealed-key variable name that names the environment: repository
 * and environment in lower case, joined by `__`, every other character than `a-z0-9_` as `_`. So
 * `release-tools`/`prod` and `release.tools`/`prod` share it: the config loader refuses the two together.
 */
export function environmentVariablePart(repository: string, environment: string): string {
  return (repository + "__" + environment).toLowerCase().replace(/[^a-z0-9_]/g, "_");
}

/** The Terraform variable names for one organization login. */
export function variableNames(login: string): VariableNames {
  const s = variableStem(login);
  return {
    appId: `${s}_app_id`,
    clientId: `${s}_app_client_id`,
    installationId: `${s}_app_installation_id`,
    privateKey: `${s}_app_private_key`,
    actionsSealed: `${s}_app_private_key_actions_sealed`,
    dependabotSealed: `${s}_app_private_key_dependabot_sealed`,
    environmentSealed: (repository, environment) => `${s}_app_private_key_env_${environmentVariablePart(repository, environment)}_sealed`,
  };
}

/**
 * The GitHub environment that holds one organization's deploy inputs (its secrets and variables)
 * in the example workflows: `token-policy-<login>`.
 */
export function deployEnvironment(login: string): string {
  return `token-policy-${login.toLowerCase()}`;
}

/** The settings page where an owner sets the PAT policy (no API exists for it). */
export function patPolicySettingsUrl(login: string, githubUrl?: string): string {
  return `${webRoot(githubUrl)}/organizations/${login}/settings/personal-access-tokens`;
}

/** The page where an owner registers an App from a manifest. */
export function newAppUrl(login: string, githubUrl?: string): string {
  return `${webRoot(githubUrl)}/organizations/${login}/settings/apps/new`;
}

/** The page where an owner installs an App. */
export function installAppUrl(slug: string, githubUrl?: string): string {
  return `${webRoot(githubUrl)}/apps/${slug}/installations/new`;
}

/** The page where an owner sees the organization's App installations and their repository access. */
export function installationSettingsUrl(login: string, githubUrl?: string): string {
  return `${webRoot(githubUrl)}/organizations/${login}/settings/installations`;
}

/** The page where an owner reviews pending fine-grained token requests. */
export function pendingRequestsUrl(login: string, githubUrl?: string): string {
  return `${webRoot(githubUrl)}/organizations/${login}/settings/personal-access-token-requests`;
}

/** The page where an owner sees and revokes the organization's active fine-grained tokens. */
export function activeTokensUrl(login: string, githubUrl?: string): string {
  return `${webRoot(githubUrl)}/organizations/${login}/settings/personal-access-tokens/active`;
}

/** GitHub App client ids: `Iv1.` and 16 hex digits, or `Iv23…` (20 characters). */
export const CLIENT_ID_PATTERN = "^Iv[0-9A-Za-z.]{4,40}$";

/** Numeric ids (App, installation): digits, no leading zero, at most 19. */
export const NUMERIC_ID_PATTERN = "^[1-9][0-9]{0,18}$";

/**
 * A secrets public key's id as `token-policy seal` writes it ahead of a sealed value
 * (`KEY_ID:BASE64`): GitHub's ids are strings, digits in its examples; these characters are
 * taken, and never `:`, which separates the id from the sealed value (base64 has no `:`).
 */
export const PUBLIC_KEY_ID_PATTERN = "[A-Za-z0-9_-]{1,100}";

/**
 * The enterprise's settings, where an enterprise owner opens Policies → Personal access tokens
 * (GitHub documents the click path, not a deeper URL; no API reads or sets this policy).
 */
export function enterpriseSettingsUrl(slug: string, githubUrl?: string): string {
  return `${webRoot(githubUrl)}/enterprises/${slug}/settings`;
}

/** The name of an enterprise's stack (`cdktf deploy enterprise-SLUG`) and of its state. */
export function enterpriseStackName(slug: string): string {
  return `enterprise-${slug}`;
}

/**
 * Where a stack keeps its state when its backend block names no place, keyed by the stack's
 * name (an organization's login, `enterprise-SLUG`): the stacks and the config loader's check
 * that no two stacks share a state read it here.
 */
export function defaultStateKeys(name: string): {
  localPath: string;
  s3Key: string;
  gcsPrefix: string;
  cloudWorkspace: string;
  pgSchema: string;
} {
  return {
    localPath: `terraform.${name}.tfstate`,
    s3Key: `github-token-policy/${name}.tfstate`,
    gcsPrefix: `github-token-policy/${name}`,
    cloudWorkspace: `github-token-policy-${name}`,
    pgSchema: `github_token_policy_${variableStem(name)}`,
  };
}

/** Whether two web roots name one GitHub instance (hosts compare case-insensitively). */
export function sameGitHubInstance(a?: string, b?: string): boolean {
  return webRoot(a).toLowerCase() === webRoot(b).toLowerCase();
}
