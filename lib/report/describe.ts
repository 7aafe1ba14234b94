/**
 * The Markdown a reviewer reads for one organization: PAT policy, approval rules, the App, each
 * secret and variable with who can read it, policy findings and the manual steps left. Pure.
 */
import { DEFAULT_GITHUB_URL, type OrganizationConfig } from "../config/schema";
import { enterpriseBindings, type EnterpriseBounds } from "../config/effective-policy";
import { secretNames, installAppUrl, patPolicySettingsUrl, variableNames } from "../naming";
import { ownerSteps, patPolicyDocument } from "../model/pat-policy";
import { checkOrganization } from "../policy-checks/check-pack";
import { md } from "../text";
import type { Change } from "./change";
import { readers, shownUrl, summarizeMatch } from "./diff";

/** One organization's section. `changes` are this organization's, from `--base`; `enterprise` is the one that owns it. */
export function describeOrganization(org: OrganizationConfig, changes: readonly Change[] = [], enterprise?: EnterpriseBounds): string {
  const lines: string[] = [];
  const p = org.patPolicy;
  // The effective policy; a value its enterprise decides or caps says so.
  const bound = enterpriseBindings(p, enterprise);
  const by = (key: keyof typeof bound) => (bound[key] && enterprise ? ` (enterprise ${md(enterprise.slug)})` : "");
  lines.push(`## ${md(org.login)}`, "");
  // Every URL shown is built on the punycode host, so a look-alike name shows as what it is.
  const web = shownUrl(org.githubUrl)!;
  if (org.githubUrl !== DEFAULT_GITHUB_URL) lines.push(`GitHub: ${md(web)}`, "");
  if (enterprise)
    lines.push(
      `Enterprise: ${md(enterprise.slug)}. The policy below is the effective one: the enterprise's settings stand where the organization declares nothing.`,
      "",
    );

  lines.push("### PAT policy", "", "| Setting | Value |", "|---|---|");
  lines.push(`| Fine-grained tokens | ${p.fineGrainedTokens}${by("fineGrainedTokens")} |`);
  if (p.fineGrainedTokens === "allow") {
    lines.push(`| Owner approval | ${p.requireApproval ? "required" : "not required"}${by("requireApproval")} |`);
    lines.push(`| Maximum lifetime | ${p.maxLifetimeDays} days${by("maxLifetimeDays")} |`);
  }
  lines.push(
    `| Classic tokens | ${p.classicTokens}${p.classicTokens === "allow" && p.classicMaxLifetimeDays ? `, at most ${p.classicMaxLifetimeDays} days${by("classicMaxLifetimeDays")}` : ""}${by("classicTokens")} |`,
    "",
  );

  lines.push(
    "### Approval rules",
    "",
    "Tried in order; the first that matches decides. Before any rule, tokens that never expire or live longer than the maximum lifetime are denied.",
    "",
  );
  if (org.approval.rules.length) {
    lines.push("| # | Rule | Action | Matches | Reason |", "|---|---|---|---|---|");
    org.approval.rules.forEach((r, i) =>
      lines.push(`| ${i + 1} | ${md(r.name)} | ${r.action} | ${md(summarizeMatch(r.match))} | ${md(r.reason ?? "")} |`),
    );
  } else lines.push("No rules.");
  lines.push(
    "",
    `Otherwise: **${org.approval.otherwise}**${org.approval.otherwise === "deny" && org.approval.otherwiseReason ? ` (${md(org.approval.otherwiseReason)})` : ""}. Non-compliant granted tokens are ${org.approval.revokeNonCompliant ? "**revoked**" : "not revoked"}.`,
    "",
  );

  const a = org.app;
  lines.push(`### App ${md(a.name)}`, "");
  const perms = Object.entries(a.permissions).sort(([x], [y]) => x.localeCompare(y));
  lines.push(perms.length ? `Permissions: ${perms.map(([k, v]) => `\`${k}: ${v}\``).join(", ")}.` : "Permissions: none.");
  lines.push(
    `Events: ${a.events.length ? a.events.map((e) => `\`${e}\``).join(", ") : "none"}. Webhook: ${a.webhookUrl ? md(shownUrl(a.webhookUrl)!) : "inactive"}.`,
  );
  lines.push(
    `Installation: ${a.installation.repositories === "all" ? "all repositories" : `repositories ${a.installation.repositories.map(md).join(", ")}`}${a.installation.id ? ` (installation ${a.installation.id})` : ""}.`,
    "",
  );

  const names = secretNames(org.credentials.prefix);
  const c = org.credentials;
  lines.push("### Secrets and variables", "", "| Name | Kind | Who can read it |", "|---|---|---|");
  lines.push(`| \`${names.appId}\` | Actions variable | ${md(readers(c.actions))} |`);
  lines.push(`| \`${names.clientId}\` | Actions variable | ${md(readers(c.actions))} |`);
  lines.push(`| \`${names.privateKey}\` | Actions secret (${c.privateKeyInput}) | ${md(readers(c.actions))} |`);
  if (c.dependabot) lines.push(`| \`${names.privateKey}\` | Dependabot secret | Dependabot runs in ${md(readers(c.dependabot))} |`);
  for (const e of c.environments ?? [])
    lines.push(`| \`${names.privateKey}\` | environment secret | jobs of ${md(e.repository)} in environment ${md(e.environment)} |`);
  lines.push("");

  const findings = checkOrganization(org);
  lines.push("### Policy findings", "");
  if (findings.length === 0) lines.push("None.");
  for (const f of findings)
    lines.push(`- **${f.level}** ${md(f.message)}${f.suppressedBecause ? ` Suppressed: ${md(f.suppressedBecause)}` : ""}`);
  lines.push("");

  lines.push("### Manual steps for an owner", "");
  const steps: string[] = [];
  const policyChanged = changes.some((ch) => /token lifetime|tokens:|approval of|no longer need approval|Classic tokens/i.test(ch.text));
  steps.push(
    `${policyChanged ? "**The PAT policy changed:** " : ""}GitHub has no API for the PAT policy. Check it matches at ${patPolicySettingsUrl(org.login, web)}: ${ownerSteps(patPolicyDocument(org.patPolicy), patPolicySettingsUrl(org.login, web)).slice(1, -1).join(" ")}`,
  );
  if (!a.id)
    steps.push(
      `Register the App: \`token-policy create-app --org ${org.login}\` (one click on GitHub), then record \`app.id\` and \`app.clientId\`.`,
    );
  if (a.installation.id === undefined)
    steps.push(
      `Install the App${a.slug ? ` at ${installAppUrl(a.slug, web)}` : ""}: \`token-policy install --org ${org.login}\`, then record \`app.installation.id\` or set \`TF_VAR_${variableNames(org.login).installationId}\`.`,
    );
  if (changes.some((ch) => ch.text.startsWith("App permission") && ch.score >= 100)) {
    steps.push(
      `**The App asks for more permissions:** GitHub applies them only after an owner accepts them at ${web}/organizations/${org.login}/settings/installations. Update the App's permissions on its settings page to match the manifest first.`,
    );
  }
  steps.forEach((s, i) => lines.push(`${i + 1}. ${s}`));
  lines.push("");
  return lines.join("\n");
}
