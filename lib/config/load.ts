/**
 * Loading `token-policy.yaml`: reads and hardens the file (`read.ts`), merges `defaults`
 * (`merge.ts`), validates each section (`schema/`) and the entries against each other
 * (`consistency.ts`), and reports every problem at once (`problems.ts`), then fills each
 * organization's effective PAT policy under its enterprise (`effective-policy.ts`). Pure but for
 * reading the file: no construct tree, shared by `main.ts` and the CLI.
 */
import { didYouMean } from "../text";
import { ConfigError } from "./errors";
import { duplicateLogins, enterpriseProblems, sharedStates, stemCollisions } from "./consistency";
import { effectivePatPolicy, enterpriseOf } from "./effective-policy";
import { mergeDefaults } from "./merge";
import { dedupe, findingPlace, issuesToProblems, type Problem } from "./problems";
import { parseYaml, readConfigText, templateProblems } from "./read";
import {
  configSchema,
  isRecord,
  organizationSchema,
  type EnterpriseConfig,
  type OrganizationConfig,
  type TokenPolicyConfig,
} from "./schema";

export { deepMerge } from "./merge";
export { MAX_ALIAS_COUNT, MAX_CONFIG_BYTES, MAX_CONFIG_DEPTH } from "./read";

/** The file read when neither an argument nor `TOKEN_POLICY_CONFIG` names one. */
export const DEFAULT_CONFIG_FILE = "token-policy.yaml";

/** A loaded configuration and where it came from. */
export interface LoadedConfig {
  /** The file as named by the user (relative names stay relative, for messages). */
  readonly file: string;
  /** The validated configuration, defaults merged and applied. */
  readonly config: TokenPolicyConfig;
}

/** Picks the config file: an explicit name, else `TOKEN_POLICY_CONFIG`, else `token-policy.yaml`. */
export function configFileName(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  return explicit || env.TOKEN_POLICY_CONFIG || DEFAULT_CONFIG_FILE;
}

/** An organization entry that is valid on its own, by its index in `organizations`. */
export interface ValidOrganization {
  /** Its index in the file's `organizations`. */
  readonly index: number;
  /** The entry, validated with every default applied. */
  readonly config: OrganizationConfig;
}

/**
 * What parsing a config file found: the configuration when it has no problem, else every
 * problem; either way the organizations that are valid on their own, for checks that run on
 * valid entries (the policy checks) so that one run reports every problem of the file.
 */
export interface ParsedConfig {
  /** The validated configuration, defaults merged and applied; only when `problems` is empty. */
  readonly config?: TokenPolicyConfig;
  /** Every problem of the file, in document order; empty when `config` is set. */
  readonly problems: readonly Problem[];
  /**
   * The organizations valid on their own: all of them (with their effective PAT policy) when
   * there is no problem; else those with no problem at their own path that parse on their own
   * with the defaults merged.
   */
  readonly validOrganizations: readonly ValidOrganization[];
  /**
   * Where a policy check's finding on `organizations[index]` is written (`file:line:col`, as
   * problems say it), from the document already parsed; absent when the YAML did not parse.
   */
  readonly placeFinding?: (index: number, detail: string) => string;
}

/** Reads and validates a config file; throws {@link ConfigError} listing every problem. */
export function loadConfig(file: string = configFileName()): LoadedConfig {
  const { config, problems } = readConfig(file);
  if (!config) throw new ConfigError(problems);
  return { file, config };
}

/** Reads and validates a config file, returning every problem (a missing or unreadable file is one) instead of throwing. */
export function readConfig(file: string): ParsedConfig {
  const read = readConfigText(file);
  if (read.problems) return { problems: read.problems, validOrganizations: [] };
  return parseConfig(read.text, file);
}

/** Validates config text; `file` is only used in messages. Never throws for a problem of the text. */
export function parseConfig(text: string, file: string): ParsedConfig {
  const parsed = parseYaml(text, file);
  if (!parsed.source) return { problems: parsed.problems, validOrganizations: [] };
  const source = parsed.source;
  const { raw } = source;
  const placed = { placeFinding: (index: number, detail: string) => findingPlace(source, index, detail) };
  const { input, problems } = mergeDefaults(source);
  if (Array.isArray(raw.organizations)) problems.push(...duplicateLogins(raw.organizations, source));
  problems.push(...templateProblems(source.doc, file, source.at));
  if (Array.isArray(raw.organizations)) problems.push(...stemCollisions(raw.organizations, source));
  problems.push(...enterpriseProblems(input, source));
  const result = configSchema.safeParse(input);
  if (!result.success) problems.push(...issuesToProblems(result.error.issues, input, source));
  else problems.push(...sharedStates(result.data as TokenPolicyConfig, source));
  if (problems.length > 0)
    return { problems: dedupe(problems), validOrganizations: validOrganizations(input.organizations, problems), ...placed };
  const valid = result.data as TokenPolicyConfig;
  const config = {
    ...valid,
    organizations: valid.organizations.map((org, i) => withEffectivePolicy(org, (input.organizations as unknown[])[i], valid.enterprises)),
  };
  return { config, problems: [], validOrganizations: config.organizations.map((org, index) => ({ index, config: org })), ...placed };
}

/** Validates config text like {@link parseConfig}, for callers that want the configuration or a {@link ConfigError}. */
export function parseConfigOrThrow(text: string, file: string): TokenPolicyConfig {
  const { config, problems } = parseConfig(text, file);
  if (!config) throw new ConfigError(problems);
  return config;
}

/**
 * The organization with its effective PAT policy: what it declared (`declared` is its entry as
 * written, defaults merged), and where it declared nothing, its enterprise's setting.
 */
function withEffectivePolicy(org: OrganizationConfig, declared: unknown, enterprises: readonly EnterpriseConfig[]): OrganizationConfig {
  const enterprise = enterpriseOf({ enterprises }, org);
  if (!enterprise) return org;
  const written = isRecord(declared) && isRecord(declared.patPolicy) ? declared.patPolicy : {};
  return { ...org, patPolicy: effectivePatPolicy(written, enterprise) };
}

/** Finds one organization by login (case-insensitive) or throws a {@link ConfigError} naming the known ones. */
export function findOrganization(loaded: LoadedConfig, login: string): OrganizationConfig {
  const org = loaded.config.organizations.find((o) => o.login.toLowerCase() === login.toLowerCase());
  if (!org) {
    const known = loaded.config.organizations.map((o) => o.login).join(", ");
    throw new ConfigError([
      {
        file: loaded.file,
        path: "organizations",
        message: `has no organization ${JSON.stringify(login)}${didYouMean(
          login,
          loaded.config.organizations.map((o) => o.login),
        )}; it has ${known}`,
      },
    ]);
  }
  return org;
}

/**
 * The organizations with no problem of their own that parse on their own (with the defaults
 * merged), for checks that run on valid entries. An entry with a problem reported at its path,
 * or one that `defaults` breaks, is left out.
 */
function validOrganizations(orgs: unknown, problems: readonly Problem[]): ValidOrganization[] {
  if (!Array.isArray(orgs)) return [];
  const out: ValidOrganization[] = [];
  orgs.forEach((o, index) => {
    const own = `organizations[${index}]`;
    if (problems.some((p) => p.path === own || p.path.startsWith(`${own}.`) || p.path.startsWith(`${own}[`))) return;
    const parsed = organizationSchema.safeParse(o);
    if (parsed.success) out.push({ index, config: parsed.data });
  });
  return out;
}
