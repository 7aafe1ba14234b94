/**
 * `token-policy revoke --org ORG` with filters: the granted fine-grained tokens that match every
 * filter, each with why; a dry run unless `--apply`, which revokes them in bulk through the
 * fault-safe writer; `--classic` also revokes classic tokens' SSO authorizations where GitHub
 * can; `--evidence-out FILE` keeps who ran it, when, the filters, every token and GitHub's
 * answers. The work is the revoke engine's (`lib/revoke`); this module only drives and prints it.
 */
import { authenticationFor, clientFor } from "../../lib/github/authentication";
import { describeGitHubError, GitHubFailure, isGitHubError } from "../../lib/github/errors";
import { recordWrites, revokeClassic, revokeMatches, selectTokens, type RevokeFilterInput } from "../../lib/revoke/revoke";
import { loadOrganization } from "../context";
import { writeNoFollow } from "../files";
import type { CommandIO } from "../io";
import { revokeFilterOf } from "../options";
import { ProgressLine } from "../render/progress";
import { renderRevokeEvidence, renderRevokeJson, renderRevokeText, type RevokeReport } from "../render/revoke";

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
  const filter = revokeFilterOf(options);
  const { org } = loadOrganization(options, io.env);
  const auth = io.client ? undefined : authenticationFor(io, org, options.credentials);
  const client = await clientFor(io, org, { auth });
  const answers = recordWrites(client);
  const startedAt = (io.now?.() ?? new Date()).toISOString();
  const progress = new ProgressLine(io, !options.json);

  const report: RevokeReport = { org: org.login, applied: Boolean(options.apply), filter, matches: [], unreadable: [], checked: 0 };
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
    report.failure = describeGitHubError(e);
    if (options.classic && !report.classic) report.classic = { kind: "cannot", why: `not reached: ${report.failure}` };
  }
  progress.done();

  if (options.evidenceOut) {
    const finishedAt = (io.now?.() ?? new Date()).toISOString();
    const run = { env: io.env, appId: auth?.kind === "app" ? auth.appId : null, startedAt, finishedAt, answers };
    writeNoFollow(options.evidenceOut, renderRevokeEvidence(report, run), "--evidence-out");
  }
  io.stdout.write(options.json ? renderRevokeJson(report) : renderRevokeText(report));
  if (report.failure) throw new GitHubFailure(report.failure);
  return report;
}
