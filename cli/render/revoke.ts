/**
 * How `revoke` prints a run: every token selected with why, its outcome with `--apply`, the
 * classic tokens' SSO revocation, and a closing line. `--json` prints the report as it is; the
 * evidence file is the report with who, when and GitHub's answers.
 */
import type { ClassicRevocation, GitHubAnswer, RevokeFilter, RevokeSelection } from "../../lib/revoke/revoke";
import { clean } from "../../lib/text";
import { PACKAGE_NAME, VERSION } from "../../lib/version";
import { table } from "../io";

/** The command's result; `--json` prints it. */
export interface RevokeReport extends RevokeSelection {
  /** The organization's login. */
  readonly org: string;
  /** Whether the run revoked (`--apply`). */
  readonly applied: boolean;
  /** The filters, as checked. */
  readonly filter: RevokeFilter;
  /** The classic tokens' SSO revocation, with `--classic`. */
  classic?: ClassicRevocation;
  /** What stopped the run, when something did. */
  failure?: string;
}

/** What `--evidence-out` writes. */
export interface RevokeEvidence extends RevokeReport {
  /** The tool and its version. */
  readonly tool: string;
  /** Who ran it: the actor (GITHUB_ACTOR or USER), the App, the workflow run. */
  readonly ranBy: { readonly actor: string | null; readonly app: string | null; readonly workflowRun: string | null };
  /** When it started and finished. */
  readonly startedAt: string;
  readonly finishedAt: string;
  /** Every write sent, with GitHub's answer. */
  readonly githubAnswers: readonly GitHubAnswer[];
}

/** The report as text for a terminal. */
export function renderRevokeText(r: RevokeReport): string {
  let out = "";
  if (r.matches.length)
    out += table(
      ["GRANT", "TOKEN ID", "OWNER", "TOKEN", "WHY", ...(r.applied ? ["OUTCOME"] : [])],
      r.matches.map((m) => [
        String(m.grantId),
        m.githubTokenId === undefined ? "-" : String(m.githubTokenId),
        m.owner,
        m.tokenName,
        m.why.join("; "),
        ...(r.applied ? [`${m.outcome ?? "-"}${m.outcomeReason ? `: ${m.outcomeReason}` : ""}`] : []),
      ]),
      Infinity,
    );
  if (r.unreadable.length) {
    out += "\nTokens the filters could not be checked against (not revoked; an owner should look):\n";
    out += table(
      ["GRANT", "OWNER", "NOT READABLE"],
      r.unreadable.map((u) => [String(u.grantId), u.owner, u.unreadable]),
      Infinity,
    );
  }
  const c = r.classic;
  if (c) {
    if (c.kind === "cannot") out += `\nClassic tokens: cannot be revoked here: ${clean(c.why)}\n`;
    else {
      const whose = c.scope === "organization" ? `every member of ${r.org}` : c.scope.map(clean).join(", ");
      out +=
        c.kind === "planned"
          ? `\nClassic tokens: --apply would revoke the SSO authorizations of classic tokens of ${whose}.\n`
          : `\nClassic tokens: SSO authorizations of classic tokens of ${whose} revoked (GitHub queued it: ${c.answers.map(clean).join("; ")}).\n`;
    }
  }
  out += `\n${r.org}: ${r.checked} granted token${r.checked === 1 ? "" : "s"} checked, ${r.matches.length} match${r.matches.length === 1 ? "es" : ""} every filter.\n`;
  if (r.failure) out += `Failed: ${clean(r.failure)}\n`;
  if (!r.applied) out += "Dry run: nothing was revoked. Run with --apply to revoke these tokens.\n";
  else {
    const n = (o: string) => r.matches.filter((m) => m.outcome === o).length;
    out += `${n("applied")} revoked, ${n("already-decided")} already gone${n("failed") ? `, ${n("failed")} failed` : ""}${n("unknown") ? `, ${n("unknown")} unknown` : ""}${n("not-sent") ? `, ${n("not-sent")} not sent` : ""}.\n`;
  }
  return out;
}

/** The report as `--json` prints it. */
export function renderRevokeJson(r: RevokeReport): string {
  return JSON.stringify(r, null, 2) + "\n";
}

/** Who ran a revocation and when, and GitHub's answers: what the evidence adds to the report. */
export interface RevokeRun {
  readonly env: NodeJS.ProcessEnv;
  /** The App the run authenticated as, when it did as an App. */
  readonly appId: string | null;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly answers: readonly GitHubAnswer[];
}

/**
 * What `--evidence-out` writes ({@link RevokeEvidence}), as JSON: the report with the tool, who
 * ran it (GITHUB_ACTOR, else USER or USERNAME; the App; the workflow run's URL), when, and every
 * answer GitHub gave.
 */
export function renderRevokeEvidence(report: RevokeReport, run: RevokeRun): string {
  const { env } = run;
  const evidence: RevokeEvidence = {
    tool: `${PACKAGE_NAME} ${VERSION}`,
    ranBy: {
      actor: env.GITHUB_ACTOR ?? env.USER ?? env.USERNAME ?? null,
      app: run.appId,
      workflowRun:
        env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID
          ? `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`
          : null,
    },
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    githubAnswers: run.answers,
    ...report,
  };
  return JSON.stringify(evidence, null, 2) + "\n";
}
