/**
 * `token-policy seal`: seals the App's private key for one secret target (libsodium sealed box
 * with the target's public key) and prints it as `KEY_ID:BASE64`, so `AppCredentials` passes the
 * base64 as `value_encrypted` with the public key's id as `key_id`, and Terraform state holds only
 * ciphertext. Prints the TF_VAR line and the key id; nothing else secret.
 */
import sodium from "libsodium-wrappers";
import { privateKeyFromEnv, type GitHubAuth } from "../../lib/github/client";
import { authFor, clientFor } from "../../lib/github/credentials";
import { configFileName, findOrganization, loadConfig } from "../../lib/config/load";
import { UsageError } from "../../lib/config/errors";
import { deployEnvironment, PUBLIC_KEY_ID_PATTERN, variableNames } from "../../lib/naming";
import type { OrganizationConfig } from "../../lib/config/schema";
import { readCredentialsFile } from "../../lib/github/credentials-file";
import { GitHubFailure, type CommandIO } from "../io";

/** Options of {@link seal}. */
export interface SealOptions {
  readonly org: string;
  readonly config?: string;
  /** The file create-app wrote; its key is sealed. */
  readonly credentials?: string;
  /** `actions`, `dependabot`, or `environment` (with repository and environment). @default "actions" */
  readonly target?: string;
  readonly repository?: string;
  readonly environment?: string;
}

/** What seal prints. */
export interface SealResult {
  /** The Terraform variable to set. */
  readonly variable: string;
  /** The variable's value: `KEY_ID:BASE64`, the key id and the sealed box. */
  readonly value: string;
  /** Base64 sealed box. */
  readonly sealed: string;
  /** GitHub's id of the public key used; a rotated key needs a new seal. */
  readonly keyId: string;
}

/**
 * Seals the key. The key comes from `--credentials`, else `APP_PRIVATE_KEY`/`APP_PRIVATE_KEY_FILE`;
 * the public key is read with `GITHUB_TOKEN` when set (an owner's token can read it), else as
 * the App's installation.
 */
export async function seal(options: SealOptions, io: CommandIO): Promise<SealResult> {
  const loaded = loadConfig(configFileName(options.config, io.env));
  const org = findOrganization(loaded, options.org);
  const target = options.target ?? "actions";
  if (!["actions", "dependabot", "environment"].includes(target)) throw new UsageError(`--target must be actions, dependabot or environment, got ${JSON.stringify(target)}`);
  if (target === "environment" && !(options.repository && options.environment)) throw new UsageError("--target environment needs --repository and --environment");
  if (target !== "environment" && (options.repository || options.environment)) {
    throw new UsageError(`--repository and --environment go with --target environment only; --target is ${target}`);
  }
  const declared = undeclaredTarget(org, target, options.repository, options.environment);
  if (declared) throw new UsageError(declared);

  const creds = options.credentials ? readCredentialsFile(options.credentials) : undefined;
  const pem = creds?.pem ?? privateKeyFromEnv(io.env);
  if (!pem) throw new UsageError("no key to seal: pass --credentials FILE from create-app, or set APP_PRIVATE_KEY or APP_PRIVATE_KEY_FILE");
  if (!/-----BEGIN (RSA )?PRIVATE KEY-----/.test(pem)) throw new UsageError("the key to seal is not a PEM private key");

  const auth: GitHubAuth = io.env.GITHUB_TOKEN ? { kind: "token", token: io.env.GITHUB_TOKEN } : authFor(io, org, options.credentials);
  const client = await clientFor(io, org, { auth });

  const v = variableNames(org.login);
  let key: { key_id: string; key: string };
  let variable: string;
  let what: string;
  /** The App permission that reads the target's public key, named when GitHub refuses. */
  let permission: string;
  try {
    if (target === "actions") {
      variable = v.actionsSealed;
      what = `${org.login} Actions secrets`;
      permission = "organization_secrets: read";
      key = (await client.request("GET /orgs/{org}/actions/secrets/public-key", { org: org.login })).data;
    } else if (target === "dependabot") {
      variable = v.dependabotSealed;
      what = `${org.login} Dependabot secrets`;
      permission = "dependabot_secrets: read";
      key = (await client.request("GET /orgs/{org}/dependabot/secrets/public-key", { org: org.login })).data;
    } else {
      variable = v.environmentSealed(options.repository!, options.environment!);
      what = `environment ${options.repository}/${options.environment}`;
      permission = "secrets: read";
      key = (
        await client.request("GET /repos/{owner}/{repo}/environments/{environment_name}/secrets/public-key", {
          owner: org.login,
          repo: options.repository!,
          environment_name: options.environment!,
        })
      ).data;
    }
  } catch (e) {
    const err = e as { status?: number; request?: { method?: string; url?: string } };
    if (err.status === 403) {
      const call = `${err.request?.method ?? "GET"} ${new URL(err.request?.url ?? "http://x/").pathname}`;
      throw new GitHubFailure(
        `GitHub answered 403 to ${call}: these credentials cannot read the public key of ${what!}. The App needs ${permission!} (add it to app.permissions of ${org.login} and have an owner accept it), or run seal with GITHUB_TOKEN set to a token that has it (the deployer's).`,
      );
    }
    throw e;
  }

  // The stack splits the value at its one ':' and checks the id against the same pattern.
  if (typeof key.key_id !== "string" || !new RegExp(`^${PUBLIC_KEY_ID_PATTERN}$`).test(key.key_id)) {
    throw new GitHubFailure(
      `GitHub returned the public key of ${what!} with the key id ${JSON.stringify(key.key_id)}, which the stack cannot take (it expects 1 to 100 letters, digits, '_' or '-'): nothing was sealed`,
    );
  }
  await sodium.ready;
  const publicKey = sodium.from_base64(key.key, sodium.base64_variants.ORIGINAL);
  const sealed = sodium.to_base64(sodium.crypto_box_seal(sodium.from_string(pem), publicKey), sodium.base64_variants.ORIGINAL);
  const value = `${key.key_id}:${sealed}`;
  io.stdout.write(
    `# The App's private key sealed for ${what} with its public key ${key.key_id}, as KEY_ID:BASE64 (Terraform passes both to GitHub); seal again if GitHub rotates that key\n` +
      `# Store the value as the secret ${variable.toUpperCase()} in the GitHub environment ${deployEnvironment(org.login)} (the deploy job's), or export this line where terraform runs\n` +
      `TF_VAR_${variable}=${value}\n`,
  );
  return { variable, value, sealed, keyId: key.key_id };
}

/**
 * Why the stack would not use a key sealed for `target`, or undefined when it would: the config
 * must keep the key sealed and declare the target (its stack declares a sealed variable only then).
 */
function undeclaredTarget(org: OrganizationConfig, target: string, repository?: string, environment?: string): string | undefined {
  const at = `organizations[${org.login}].credentials`;
  if (org.credentials.privateKeyInput !== "sealed") return `${org.login} passes the key in plaintext (${at}.privateKeyInput is ${org.credentials.privateKeyInput}): nothing to seal; set it to sealed to use seal`;
  if (target === "dependabot" && !org.credentials.dependabot) return `${at}.dependabot is not declared, so the stack takes no key sealed for Dependabot: declare it first`;
  if (target === "environment") {
    const envs = org.credentials.environments ?? [];
    const found = envs.some((e) => e.repository.toLowerCase() === repository!.toLowerCase() && e.environment.toLowerCase() === environment!.toLowerCase());
    if (!found) {
      const listed = envs.map((e) => `${e.repository}/${e.environment}`).join(", ");
      return `environment ${repository}/${environment} is not in ${at}.environments (${listed ? `it lists ${listed}` : "it lists none"}): declare it there first, or fix --repository/--environment`;
    }
  }
  return undefined;
}
