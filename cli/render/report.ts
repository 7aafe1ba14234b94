/**
 * What `report` prints, in Markdown: the live impact of a change on each organization's tokens,
 * the changes grouped by risk, each enterprise's and organization's policy, and the version.
 */
import { decidedByText } from "../../lib/approval/outcomes";
import type { TokenPolicyConfig, OrganizationConfig } from "../../lib/config/schema";
import { enterpriseOf } from "../../lib/config/effective-policy";
import { riskOf, type Change } from "../../lib/report/diff";
import { describeOrganization } from "../../lib/report/describe";
import { describeEnterprise } from "../../lib/report/describe-enterprise";
import type { LiveImpact } from "../../lib/review/impact";
import { md } from "../../lib/text";
import { PACKAGE_NAME, VERSION } from "../../lib/version";

/** Most examples shown per organization. */
export const LIVE_EXAMPLES = 20;

/** What the report shows. */
export interface ReportContent {
  readonly config: TokenPolicyConfig;
  /** The organizations it covers. */
  readonly organizations: readonly OrganizationConfig[];
  /** Whether it covers every organization (no `--org`). */
  readonly everyOrganization: boolean;
  /** With a base: its name and the changes, riskiest first. */
  readonly changes?: { readonly baseName: string; readonly list: readonly Change[] };
  /** With `--live`: each organization's impact. */
  readonly live: readonly LiveImpact[];
}

/** The whole report. */
export function reportMarkdown(r: ReportContent): string {
  const out: string[] = [`# Token policy: ${r.organizations.map((o) => md(o.login)).join(", ")}`, ""];
  for (const impact of r.live) out.push(...liveSection(impact));
  if (r.changes) {
    out.push(`## Changes against ${md(r.changes.baseName)}`, "");
    if (r.changes.list.length === 0) out.push("Nothing changed.", "");
    for (const risk of ["high", "medium", "low"] as const) {
      const group = r.changes.list.filter((c) => riskOf(c.score) === risk);
      if (!group.length) continue;
      out.push(`**${risk === "high" ? "Widens access" : risk === "medium" ? "Review" : "Narrows or neutral"}**`, "");
      for (const c of group) out.push(`- ${md(c.org)}: ${md(c.text)}`);
      out.push("");
    }
  }
  for (const enterprise of r.config.enterprises) {
    if (r.organizations.some((o) => enterpriseOf(r.config, o)?.slug === enterprise.slug) || r.everyOrganization)
      out.push(describeEnterprise(enterprise, r.config.organizations));
  }
  for (const org of r.organizations)
    out.push(
      describeOrganization(
        org,
        (r.changes?.list ?? []).filter((c) => c.org === org.login),
        enterpriseOf(r.config, org),
      ),
    );
  out.push("", `<sub>${md(`${PACKAGE_NAME} ${VERSION}`)}</sub>`, "");
  return out.join("\n");
}

/**
 * What `report --json` prints, one JSON object: the organizations covered, the base and each
 * change with its risk (null without a base), each organization's live impact (with `--live`),
 * and the Markdown report itself (what `--out` and the job summary get).
 */
export interface ReportJson {
  readonly organizations: readonly string[];
  /** The base compared with (`--base`, `--base-ref`, `--base-file`), or null. */
  readonly base: string | null;
  /** The changes, riskiest first, or null without a base. */
  readonly changes:
    readonly { readonly org: string; readonly risk: "high" | "medium" | "low"; readonly score: number; readonly text: string }[] | null;
  /** With `--live`: each organization's impact; otherwise empty. */
  readonly live: readonly LiveImpact[];
  readonly markdown: string;
  /** The release that wrote it. */
  readonly tool: string;
}

/** The report as one JSON object ({@link ReportJson}); `markdown` is {@link reportMarkdown}'s text. */
export function reportJson(r: ReportContent, markdown: string): string {
  const document: ReportJson = {
    organizations: r.organizations.map((o) => o.login),
    base: r.changes?.baseName ?? null,
    changes: r.changes ? r.changes.list.map((c) => ({ org: c.org, risk: riskOf(c.score), score: c.score, text: c.text })) : null,
    live: r.live,
    markdown,
    tool: `${PACKAGE_NAME} ${VERSION}`,
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

function liveSection(impact: LiveImpact): string[] {
  const lines = [`## What this change does to ${md(impact.org)}'s tokens now`, ""];
  const counts = Object.entries(impact.transitions).sort((a, b) => b[1] - a[1]);
  lines.push(
    `${impact.pending} pending ${impact.pending === 1 ? "request" : "requests"} read: ${impact.changed.length ? `${impact.changed.length} change outcome (${counts.map(([k, n]) => `${n} ${k}`).join(", ")})` : "none changes outcome"}.` +
      (impact.granted ? ` ${impact.granted} granted tokens read: ${impact.newlyRevoked.length} would newly be revoked.` : "") +
      (impact.gone ? ` ${impact.gone} went away while being read.` : ""),
    "",
  );
  if (impact.changed.length) {
    lines.push("| Request | Owner | Token | Was → now | Rule |", "|---|---|---|---|---|");
    for (const c of impact.changed.slice(0, LIVE_EXAMPLES))
      lines.push(
        `| ${c.requestId} | ${md(c.owner ?? "?")} | ${md(c.tokenName ?? "")} | ${c.from} → **${c.to}**${c.asksWrite && c.to === "approve" ? " (write)" : ""} | ${md(decidedByText(c.decidedBy))} |`,
      );
    if (impact.changed.length > LIVE_EXAMPLES) lines.push("", `…and ${impact.changed.length - LIVE_EXAMPLES} more.`);
    lines.push("");
  }
  if (impact.newlyRevoked.length) {
    lines.push("| Granted token | Owner | Token | Revoked by |", "|---|---|---|---|");
    for (const r of impact.newlyRevoked.slice(0, LIVE_EXAMPLES))
      lines.push(`| ${r.tokenId} | ${md(r.owner ?? "?")} | ${md(r.tokenName ?? "")} | ${md(decidedByText(r.decidedBy))} |`);
    lines.push("");
  }
  return lines;
}
