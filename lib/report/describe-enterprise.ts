/**
 * The Markdown a reviewer reads for one enterprise: its PAT policy, the organizations it bounds,
 * and the enterprise owner's steps (no API reads or sets the policy). Pure.
 */
import { DEFAULT_GITHUB_URL, type EnterpriseConfig, type OrganizationConfig } from "../config/schema";
import { MAX_TOKEN_LIFETIME_DAYS } from "../model/limits";
import { enterpriseOwnerSteps, enterprisePatPolicyDocument } from "../model/enterprise-pat-policy";
import { enterpriseSettingsUrl } from "../naming";
import { md } from "../text";

/** One enterprise's section; `organizations` are the loaded organizations (those naming it are listed). */
export function describeEnterprise(enterprise: EnterpriseConfig, organizations: readonly OrganizationConfig[]): string {
  const p = enterprise.patPolicy;
  const owned = organizations.filter((o) => o.enterprise === enterprise.slug).map((o) => md(o.login));
  const lines = [`## Enterprise ${md(enterprise.slug)}`, ""];
  if (enterprise.githubUrl !== DEFAULT_GITHUB_URL) lines.push(`GitHub: ${md(enterprise.githubUrl)}`, "");
  lines.push(
    `Bounds ${owned.length ? owned.join(", ") : "no organization listed here"}: what it decides, they cannot override, and no lifetime of theirs exceeds its maximum.`,
    "",
  );
  lines.push("### Enterprise PAT policy", "", "| Setting | Value |", "|---|---|");
  lines.push(`| Fine-grained tokens | ${p.fineGrainedTokens} |`);
  lines.push(
    `| Approval | ${p.requireApproval === "organizations-decide" ? "organizations decide" : p.requireApproval ? "required" : "disabled"} |`,
  );
  lines.push(
    `| Maximum lifetime | ${p.maxLifetimeDays ? `${p.maxLifetimeDays} days` : `none (organizations choose, up to ${MAX_TOKEN_LIFETIME_DAYS} days)`} |`,
  );
  lines.push(`| Classic tokens | ${p.classicTokens}${p.classicMaxLifetimeDays ? `, at most ${p.classicMaxLifetimeDays} days` : ""} |`);
  lines.push(`| Administrators exempt from maximums | ${p.exemptAdministrators ? "yes" : "no"} |`, "");
  const steps = enterpriseOwnerSteps(enterprisePatPolicyDocument(p), enterpriseSettingsUrl(enterprise.slug, enterprise.githubUrl));
  lines.push("### Manual steps for an enterprise owner", "", "GitHub has no API for the enterprise's PAT policy.", "");
  steps.slice(0, -1).forEach((s, i) => lines.push(`${i + 1}. ${md(s)}`));
  lines.push("");
  return lines.join("\n");
}
