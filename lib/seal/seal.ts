/**
 * Sealing the App's private key for one secret target: the target checked against the config
 * (the stack declares a sealed variable only for a declared target), the target's public key
 * read from GitHub, and the key sealed with it (a libsodium sealed box), as `KEY_ID:BASE64` for
 * `AppCredentials` (`key_id` and `value_encrypted`), so Terraform state holds only ciphertext.
 * GitHub is reached through the injected context; nothing is printed.
 */
import sodium from "libsodium-wrappers";
import { UsageError } from "../config/errors";
import type { OrganizationConfig } from "../config/schema";
import type { GitHubAuth, GitHubClient } from "../github/client";
import { GitHubFailure } from "../github/errors";
import { appCredentialsNeeded, authenticationFor, clientFor, type GitHubContext } from "../github/authentication";
import { PUBLIC_KEY_ID_PATTERN, variableNames } from "../naming";

/** Where a sealed key goes. */
export const SEAL_TARGETS = ["actions", "dependabot", "environment"] as const;
/** One of {@link SEAL_TARGETS}. */
export type SealTarget = (typeof SEAL_TARGETS)[number];

/** Options of {@link sealPrivateKey}. */
export interface SealPrivateKeyOptions {
  /** The organization's validated config entry. */
  readonly org: OrganizationConfig;
  /** The environment, warnings, and an injected client or client options. */
  readonly context: GitHubContext;
  /**
   * Reads the App's PEM private key, the plaintext to seal; called once the target is known to
   * be declared. Undefined: there is no key to seal.
   */
  readonly readPrivateKey: () => string | undefined;
  /** Where the sealed key goes. @default "actions" */
  readonly target?: string;
  /** With target `environment`: the repository. */
  readonly repository?: string;
  /** With target `environment`: the environment. */
  readonly environment?: string;
  /** The file create-app wrote, to read the public key as the App. @default the environment's authentication */
  readonly credentialsFile?: string;
}

/** A sealed key and where it goes. */
export interface SealResult {
  /** The Terraform variable to set. */
  readonly variable: string;
  /** The variable's value: `KEY_ID:BASE64`, the key id and the sealed box. */
  readonly value: string;
  /** Base64 sealed box. */
  readonly sealed: string;
  /** GitHub's id of the public key used; a rotated key needs a new seal. */
  readonly keyId: string;
  /** The target in words, e.g. `acme-corp Actions secrets`. */
  readonly what: string;
}

/**
 * Seals the App's private key for the target. The public key is read with `GITHUB_TOKEN` when set (an
 * owner's token can read it), else as the App's installation. Throws a UsageError for a target
 * the config does not declare or a key that is not PEM, a GitHubFailure when GitHub refuses the
 * public key or returns a key id the stack cannot take.
 */
export async function sealPrivateKey(options: SealPrivateKeyOptions): Promise<SealResult> {
  const { org, context } = options;
  const target = options.target ?? "actions";
  const problem = targetProblem(org, { target, repository: options.repository, environment: options.environment });
  if (problem) throw new UsageError(problem);
  const pem = options.readPrivateKey();
  if (!pem) throw new UsageError(`no key to seal for ${org.login}: ${appCredentialsNeeded(org)}`);
  if (!/-----BEGIN (RSA )?PRIVATE KEY-----/.test(pem)) throw new UsageError("the key to seal is not a PEM private key");

  const auth: GitHubAuth = context.env.GITHUB_TOKEN
    ? { kind: "token", token: context.env.GITHUB_TOKEN }
    : authenticationFor(context, org, options.credentialsFile);
  const client = await clientFor(context, org, { auth });
  const { variable, what, key } = await readPublicKey(client, org, {
    target: target as SealTarget,
    repository: options.repository,
    environment: options.environment,
  });

  // The stack splits the value at its one ':' and checks the id against the same pattern.
  if (typeof key.key_id !== "string" || !new RegExp(`^${PUBLIC_KEY_ID_PATTERN}$`).test(key.key_id)) {
    throw new GitHubFailure(
      `GitHub returned the public key of ${what} with the key id ${JSON.stringify(key.key_id)}, which the stack cannot take (it expects 1 to 100 letters, digits, '_' or '-'): nothing was sealed`,
    );
  }
  await sodium.ready;
  const publicKey = sodium.from_base64(key.key, sodium.base64_variants.ORIGINAL);
  const sealed = sodium.to_base64(sodium.crypto_box_seal(sodium.from_string(pem), publicKey), sodium.base64_variants.ORIGINAL);
  return { variable, value: `${key.key_id}:${sealed}`, sealed, keyId: key.key_id, what };
}

/** A target as asked for: its kind and, for `environment`, the repository and environment. */
export interface TargetRequest {
  /** One of {@link SEAL_TARGETS}, as given. */
  readonly target: string;
  readonly repository?: string;
  readonly environment?: string;
}

/** A target known to be declared. */
interface TargetChoice extends TargetRequest {
  readonly target: SealTarget;
}

/** A target's public key from GitHub, with the target's Terraform variable and its name in words. */
interface TargetKey {
  readonly variable: string;
  readonly what: string;
  readonly key: { readonly key_id: string; readonly key: string };
}

/** The target's Terraform variable, its name in words, and its public key from GitHub. */
async function readPublicKey(
  client: GitHubClient,
  org: OrganizationConfig,
  { target, repository, environment }: TargetChoice,
): Promise<TargetKey> {
  const v = variableNames(org.login);
  const [variable, what, permission] =
    target === "actions"
      ? [v.actionsSealed, `${org.login} Actions secrets`, "organization_secrets: read"]
      : target === "dependabot"
        ? [v.dependabotSealed, `${org.login} Dependabot secrets`, "dependabot_secrets: read"]
        : [v.environmentSealed(repository!, environment!), `environment ${repository}/${environment}`, "secrets: read"];
  try {
    const key: { key_id: string; key: string } =
      target === "actions"
        ? (await client.request("GET /orgs/{org}/actions/secrets/public-key", { org: org.login })).data
        : target === "dependabot"
          ? (await client.request("GET /orgs/{org}/dependabot/secrets/public-key", { org: org.login })).data
          : (
              await client.request("GET /repos/{owner}/{repo}/environments/{environment_name}/secrets/public-key", {
                owner: org.login,
                repo: repository!,
                environment_name: environment!,
              })
            ).data;
    return { variable, what, key };
  } catch (e) {
    const err = e as { status?: number; request?: { method?: string; url?: string } };
    if (err.status === 403) {
      // The App permission that reads the target's public key, named when GitHub refuses.
      const call = `${err.request?.method ?? "GET"} ${new URL(err.request?.url ?? "http://x/").pathname}`;
      throw new GitHubFailure(
        `GitHub answered 403 to ${call}: these credentials cannot read the public key of ${what}. The App needs ${permission} (add it to app.permissions of ${org.login} and have an owner accept it), or run seal with GITHUB_TOKEN set to a token that has it (the deployer's).`,
      );
    }
    throw e;
  }
}

/**
 * Why the flags or the config do not allow sealing for `target`, or undefined when they do: the
 * target must be known, take the right flags, and be declared with the key sealed (the stack
 * declares a sealed variable only then).
 */
export function targetProblem(org: OrganizationConfig, { target, repository, environment }: TargetRequest): string | undefined {
  if (!(SEAL_TARGETS as readonly string[]).includes(target))
    return `--target must be actions, dependabot or environment, got ${JSON.stringify(target)}`;
  if (target === "environment" && !(repository && environment)) return "--target environment needs --repository and --environment";
  if (target !== "environment" && (repository || environment))
    return `--repository and --environment go with --target environment only; --target is ${target}`;
  const at = `organizations[${org.login}].credentials`;
  if (org.credentials.privateKeyInput !== "sealed")
    return `${org.login} passes the key in plaintext (${at}.privateKeyInput is ${org.credentials.privateKeyInput}): nothing to seal; set it to sealed to use seal`;
  if (target === "dependabot" && !org.credentials.dependabot)
    return `${at}.dependabot is not declared, so the stack takes no key sealed for Dependabot: declare it first`;
  if (target === "environment") {
    const envs = org.credentials.environments ?? [];
    const found = envs.some(
      (e) => e.repository.toLowerCase() === repository!.toLowerCase() && e.environment.toLowerCase() === environment!.toLowerCase(),
    );
    if (!found) {
      const listed = envs.map((e) => `${e.repository}/${e.environment}`).join(", ");
      return `environment ${repository}/${environment} is not in ${at}.environments (${listed ? `it lists ${listed}` : "it lists none"}): declare it there first, or fix --repository/--environment`;
    }
  }
  return undefined;
}
