/**
 * What every command that acts on one organization starts with: the config loaded from
 * `--config` (else `TOKEN_POLICY_CONFIG`, else `token-policy.yaml`), the organization found by
 * `--org`, and its enterprise when it has one. Written once, so every command finds an
 * organization, and fails on a missing one, the same way.
 */
import type { EnterpriseConfig, OrganizationConfig } from "../lib/config/schema";
import { configFileName, findOrganization, loadConfig, type LoadedConfig } from "../lib/config/load";
import { enterpriseOf } from "../lib/config/effective-policy";

/** The options that name an organization of a config. */
export interface OrganizationOptions {
  /** The organization's login, as in the config (case-insensitive). */
  readonly org: string;
  /** Config file. @default TOKEN_POLICY_CONFIG or token-policy.yaml */
  readonly config?: string;
}

/** One organization of a loaded config. */
export interface OrganizationContext {
  /** The loaded config. */
  readonly loaded: LoadedConfig;
  /** The organization's validated entry, its effective policy included. */
  readonly org: OrganizationConfig;
  /** Its enterprise's entry, when it declares one. */
  readonly enterprise?: EnterpriseConfig;
}

/** Loads the config and finds the organization; throws a ConfigError (exit 2) naming the known ones. */
export function loadOrganization(options: OrganizationOptions, env: NodeJS.ProcessEnv): OrganizationContext {
  const loaded = loadConfig(configFileName(options.config, env));
  const org = findOrganization(loaded, options.org);
  return { loaded, org, enterprise: enterpriseOf(loaded.config, org) };
}

/** The options of a command that covers every organization of a config, or the one `--org` names. */
export interface OrganizationsOptions {
  /** Only this organization (case-insensitive). @default every organization */
  readonly org?: string;
  /** Config file. @default TOKEN_POLICY_CONFIG or token-policy.yaml */
  readonly config?: string;
}

/** The organizations a command covers. */
export interface OrganizationsContext {
  /** The loaded config. */
  readonly loaded: LoadedConfig;
  /** The organization `--org` names, else every organization, in config order. */
  readonly organizations: readonly OrganizationConfig[];
}

/** Loads the config and picks the organizations; an unknown `--org` is a ConfigError (exit 2) naming the known ones. */
export function loadOrganizations(options: OrganizationsOptions, env: NodeJS.ProcessEnv): OrganizationsContext {
  const loaded = loadConfig(configFileName(options.config, env));
  return { loaded, organizations: options.org ? [findOrganization(loaded, options.org)] : loaded.config.organizations };
}
