/**
 * `token-policy revoke --org ORG` with filters: the granted fine-grained tokens that match every
 * filter, each with why; a dry run unless `--apply`, which revokes them in bulk through the
 * fault-safe writer; `--classic` also revokes classic tokens' SSO authorizations where GitHub
 * can; `--evidence-out FILE` keeps who ran it, when, the filters, every token and GitHub's
 * answers. The work is the revoke engine's (`lib/revoke`); this module only drives and prints it.
 */
import { UsageError } from "../../lib/config/errors";
import { authenticationFor, clientFor } from "../../lib/github/authentication";
import { describeGitHubError, GitHubFailure, isGitHubError } from "../../lib/github/errors";
import {
  parseRevokeFilter,
  recordWrites,
  revokeClassic,
  revokeMatches,
  selectTokens,
  type ClassicRevocation,
  type RevokeFilterInput,
} from "../../lib/revoke/revoke";
import { PACKAGE_NAME, VERSION } from "../../lib/version";
import { loadOrganization } from "../context";
import { checkOutputPath, writeNoFollow } from "../files";
import type { CommandIO } from "../io";
import { ProgressLine } from "../render/progress";
import { renderRevokeJson, renderRevokeText, type RevokeEvidence, type RevokeReport } from "../render/revoke";

/** Options of {@link revoke}. */
export interface RevokeCommandOptions extends RevokeFilterInput {
  /** The organization's login, as in the config. */
  readonly org: string;
  /** Config file. @default TOKEN_POLICY_CONFIG or token-policy.yaml */
  readonly config?: string;
  /** Revoke; otherwise only list. @default false */
  readonly apply?: boolean;
  /** Also revoke classic tokens' SSO authorizations (Enterprise Cloud with SAML SSO). @default false */
  readonly classic?: boolean;
  /** Print one JSON object. @default false */
  readonly json?: boolean;
  /** Write the evidence (JSON) to this file; never through a symbolic link. */
  readonly evidenceOut?: string;
  /** The file create-app wrote, for the App's credentials. @default the environment's */
  readonly credentials?: string;
}

/**
 * Lists (and with `apply` revokes) the tokens the filters select. Returns the report; throws a
 * UsageError (exit 2) on bad filters before any call, a {@link GitHubFailure} (exit 1) after
 * printing and writing the evidence when GitHub fails.
 */
export async function revoke(options: RevokeCommandOptions, io: CommandIO): Promise<RevokeReport> {
  const filter = parseRevokeFilter(options);
  if (options.classic) {
    const other = (["tokenId", "repository", "permission", "lastUsedBefore", "nameContains"] as const).filter((k) =>
      Array.isArray(options[k]) ? (options[k] as unknown[]).length > 0 : options[k] !== undefined,
    );
    if (other.length)
      throw new UsageError(
        `revoke --classic: GitHub revokes classic tokens' SSO authorizations by owner or for the whole organization, so only --owner narrows it; drop ${other.map((k) => `--${k.replace(/[A-Z]/g, (x) => `-${x.toLowerCase()}`)}`).join(", ")} or revoke classic tokens in a separate run`,
      );
  }
  if (options.evidenceOut) checkOutputPath(options.evidenceOut, "--evidence-out");
  const { org } = loadOrganization(options, io.env);
  const auth = io.client ? undefined : authenticationFor(io, org, options.credentials);
  const client = await clientFor(io, org, { auth });
  const answers = recordWrites(client);
  const startedAt = (io.now?.() ?? new Date()).toISOString();
  const progress = new ProgressLine(io, !options.json);

  const report: RevokeReport = { org: org.login, applied: Boolean(options.apply), filter, matches: [], unreadable: [], checked: 0 };
  let failure: string | undefined;
  try {
    const selection = await selectTokens({
      client,
      login: org.login,
      filter,
      progress: (n) => progress.show(`${org.login}: ${n} granted tokens checked`),
    });
    Object.assign(report, selection);
    if (options.apply && selection.matches.length)
      await revokeMatches({
        client,
        login: org.login,
        matches: selection.matches,
        progress: (n) => progress.show(`${org.login}: ${n} revocations sent`),
      });
    if (options.classic) report.classic = await revokeClassic({ client, org, owners: filter.owners, apply: options.apply });
  } catch (e) {
    if (!isGitHubError(e)) throw e;
    failure = describeGitHubError(e);
    if (options.classic && !report.classic) report.classic = { kind: "cannot", why: `not reached: ${failure}` } satisfies ClassicRevocation;
  }
  progress.done();
  report.failure = failure;

  if (options.evidenceOut) {
    const evidence: RevokeEvidence = {
      tool: `${PACKAGE_NAME} ${VERSION}`,
      ranBy: {
        actor: io.env.GITHUB_ACTOR ?? io.env.USER ?? io.env.USERNAME ?? null,
        app: auth?.kind === "app" ? auth.appId : null,
        workflowRun:
          io.env.GITHUB_SERVER_URL && io.env.GITHUB_REPOSITORY && io.env.GITHUB_RUN_ID
            ? `${io.env.GITHUB_SERVER_URL}/${io.env.GITHUB_REPOSITORY}/actions/runs/${io.env.GITHUB_RUN_ID}`
            : null,
      },
      startedAt,
      finishedAt: (io.now?.() ?? new Date()).toISOString(),
      githubAnswers: answers,
      ...report,
    };
    writeNoFollow(options.evidenceOut, JSON.stringify(evidence, null, 2) + "\n");
  }
  io.stdout.write(options.json ? renderRevokeJson(report) : renderRevokeText(report));
  if (failure) throw new GitHubFailure(failure);
  return report;
}
