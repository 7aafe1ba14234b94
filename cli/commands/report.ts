/**
 * `token-policy report`: what the config does, per organization, in Markdown, and with a base
 * (`--base-ref`, `--base-file`) what a change does to who can reach the organization, riskiest
 * first, provider lock file changes included (`lib/report/git-base`, `lib/report/changes`).
 * Never holds secrets: the config has none.
 */
import { appendFileSync } from "node:fs";
import { UsageError } from "../../lib/config/errors";
import type { OrganizationConfig } from "../../lib/config/schema";
import { liveImpact, type LiveImpact } from "../../lib/review/impact";
import { authenticationFor, clientFor } from "../../lib/github/authentication";
import { flagOf, loadBase, type BaseKind, type ReportBase } from "../../lib/report/git-base";
import { reportChanges } from "../../lib/report/changes";
import { loadOrganizations } from "../context";
import { reportJson, reportMarkdown } from "../render/report";
import type { CommandIO } from "../io";
import { writeNoFollow } from "../files";

export { LIVE_EXAMPLES, type ReportJson } from "../render/report";

/** Options of {@link report}. */
export interface ReportOptions {
  readonly config?: string;
  /**
   * A config file, or a git ref whose version of the config file is the base. A value that names
   * both an existing file and a ref is refused (exit 2): use `baseRef` or `baseFile`.
   */
  readonly base?: string;
  /** A git ref (in the config file's repository) whose version of the config file is the base. */
  readonly baseRef?: string;
  /** A config file that is the base. */
  readonly baseFile?: string;
  /** Only this organization's sections and live impact. @default every organization */
  readonly org?: string;
  /** Also write the report here. */
  readonly out?: string;
  /** With `base`: what both configs' rules do to each organization's requests and tokens now (as its App, read-only). @default false */
  readonly live?: boolean;
  /** With `live`: the file create-app wrote, for the App's credentials. */
  readonly credentials?: string;
  /** Print one JSON object (`ReportJson`: changes with their risk, live impact, the Markdown). @default false */
  readonly json?: boolean;
}

/** Builds the report, writes it to `--out`, prints it (with `json` as one JSON object) and appends it to `$GITHUB_STEP_SUMMARY`; returns the Markdown. */
export async function report(options: ReportOptions, io: CommandIO): Promise<string> {
  const { loaded, organizations } = loadOrganizations(options, io.env);
  const given = (["base", "baseRef", "baseFile"] as const).filter((k) => options[k] !== undefined);
  if (given.length > 1) throw new UsageError(`${given.map(flagOf).join(" and ")} cannot go together: give one base`);
  const everyOrganization = !options.org;
  const kind: BaseKind | undefined = given[0];
  const base = kind ? loadBase({ kind, value: options[kind]!, configFile: loaded.file }) : undefined;
  const changes = base ? { baseName: base.name, list: reportChanges({ base, head: loaded, organizations, everyOrganization }) } : undefined;
  if (options.live && !base)
    throw new UsageError("--live compares the base's rules with the head's: give --base-ref REF or --base-file FILE");
  const live = options.live && base ? await liveImpacts(organizations, base, options.credentials, io) : [];
  const content = { config: loaded.config, organizations, everyOrganization, changes, live };
  const text = reportMarkdown(content);
  if (options.out) writeNoFollow(options.out, text);
  io.stdout.write(options.json ? reportJson(content, text) : text);
  if (io.env.GITHUB_STEP_SUMMARY) appendFileSync(io.env.GITHUB_STEP_SUMMARY, text);
  return text;
}

/** Each organization's live impact, read as its App with a token narrowed to reading. */
async function liveImpacts(
  organizations: readonly OrganizationConfig[],
  base: ReportBase,
  credentials: string | undefined,
  io: CommandIO,
): Promise<LiveImpact[]> {
  const impacts: LiveImpact[] = [];
  for (const org of organizations) {
    let auth;
    try {
      auth = io.client ? undefined : authenticationFor(io, org, credentials);
    } catch (e) {
      if (e instanceof UsageError)
        throw new UsageError(
          `--live reads ${org.login}'s pending requests and granted tokens as its App (organization_personal_access_token_requests: read, organization_personal_access_tokens: read): ${e.message}`,
        );
      throw e;
    }
    const before = base.config.organizations.find((o) => o.login.toLowerCase() === org.login.toLowerCase());
    // Read-only: the token is narrowed to the two listings (and team members, when either
    // config's rules name teams), whatever else the App may do.
    const readsTeams = [org, before].some((o) => o?.approval.rules.some((r) => r.match.teams));
    const client = await clientFor(io, org, {
      auth,
      permissions: {
        organization_personal_access_token_requests: "read",
        organization_personal_access_tokens: "read",
        ...(readsTeams ? { members: "read" as const } : {}),
      },
    });
    impacts.push(await liveImpact(client, before, org));
  }
  return impacts;
}
