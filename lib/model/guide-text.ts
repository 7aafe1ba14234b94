/**
 * The token guide for an organization's members, in Markdown, from its config entry alone: what
 * the policy is, why the organization can be missing from the token form, and for each approve
 * rule how to ask for a token it approves. Pure; `token-policy guide` prints it and
 * `MemberGuide` keeps it in a repository.
 */
import type { ApprovalRule, OrganizationConfig, RuleMatch } from "../config/schema";
import { md } from "../text";
import { memberPageUrl, webRoot } from "../naming";
import { hasTemplateUrls, tokenRequestTemplate } from "./token-request";
import { enterpriseBindings, type EnterpriseBounds } from "../config/effective-policy";

/** GitHub's pages the guide cites. */
export const GUIDE_SOURCES = {
  managingTokens: "https://docs.github.com/en/authentication/keeping-your-account-and-data-secure/managing-your-personal-access-tokens",
  tokenPolicy:
    "https://docs.github.com/en/organizations/managing-programmatic-access-to-your-organization/setting-a-personal-access-token-policy-for-your-organization",
  saml: "https://docs.github.com/en/authentication/authenticating-with-saml-single-sign-on/authorizing-a-personal-access-token-for-use-with-saml-single-sign-on",
} as const;

/**
 * The guide for one organization. With `enterprise` (the one that owns it), the guide says which
 * limits are the enterprise's doing, so members ask the right owners.
 */
export function memberGuideMarkdown(org: OrganizationConfig, enterprise?: EnterpriseBounds): string {
  const p = org.patPolicy;
  const web = webRoot(org.githubUrl);
  const login = md(org.login);
  const bound = enterpriseBindings(p, enterprise);
  const ent = enterprise ? `its enterprise, ${md(enterprise.slug)},` : "";
  const out: string[] = [`# Personal access tokens in ${login}`, ""];
  out.push("This page is generated from the organization's token policy; a change to the policy changes it.", "");

  out.push("## The policy", "");
  if (p.fineGrainedTokens === "restrict") {
    out.push(
      bound.fineGrainedTokens
        ? `- **Fine-grained tokens cannot reach ${login}:** ${ent} restricts them for all of its organizations, and ${login} cannot change that. Ask for access through the organization's GitHub App instead.`
        : `- **Fine-grained tokens cannot reach ${login}.** Ask for access through the organization's GitHub App instead.`,
    );
  } else {
    out.push(
      `- Fine-grained tokens may reach ${login}, for at most **${p.maxLifetimeDays} days**${bound.maxLifetimeDays ? ` (the most ${ent} allows any of its organizations)` : ""}.`,
    );
    if (bound.requireApproval)
      out.push(
        `- ${ent[0].toUpperCase()}${ent.slice(1)} ${p.requireApproval ? "requires approval of every fine-grained token" : "has turned approval off"} in all of its organizations.`,
      );
    if (!p.requireApproval) out.push("- They need no approval.");
    else if (org.approval.rules.some((r) => r.action === "approve")) {
      out.push(
        "- Each one needs approval. The organization's App decides within minutes by the rules below; a request no rule approves " +
          (org.approval.otherwise === "deny" ? "is **denied**." : "waits for an organization owner."),
      );
    } else
      out.push(
        `- Each one needs approval by an organization owner${org.approval.otherwise === "deny" ? "; the App denies every request no rule matches" : ""}.`,
      );
    out.push(`- A token that never expires, or lives longer than ${p.maxLifetimeDays} days, is denied.`);
  }
  out.push(
    p.classicTokens === "restrict"
      ? `- Classic tokens cannot reach ${login}${bound.classicTokens ? `: ${ent} restricts them for all of its organizations` : ""}.`
      : `- Classic tokens may reach ${login}${p.classicMaxLifetimeDays ? `, for at most ${p.classicMaxLifetimeDays} days${bound.classicMaxLifetimeDays ? ` (the most ${ent} allows)` : ""}` : ""}.`,
    "",
  );

  out.push(`## ${login} is missing from the "Resource owner" list`, "");
  if (org.memberPage?.enabled && org.memberPage.url)
    out.push(
      `To see which reason is yours, and what the rules do with your requests and tokens, sign in with GitHub on [your token page](${memberPageUrl(org.memberPage.url, org.login)}): it shows your own standing in ${login}, to you alone.`,
      "",
    );
  out.push(
    `GitHub's [token documentation](${GUIDE_SOURCES.managingTokens}) and [policy documentation](${GUIDE_SOURCES.tokenPolicy}) give these reasons:`,
    "",
    bound.fineGrainedTokens === "restrict"
      ? `- An organization that blocks fine-grained tokens does not appear, and ${login} is blocked by its enterprise (below): this is why.`
      : p.fineGrainedTokens === "restrict"
        ? `- An organization that blocks fine-grained tokens does not appear, and ${login} blocks them (see the policy above): this is why.`
        : `- An organization that blocks fine-grained tokens does not appear: ${login} allows them, so this is not the reason.`,
    `- Only organizations you are a member of appear: an outside collaborator does not see ${login}. Ask an owner for membership, or for access through the organization's App.`,
    !enterprise
      ? "- An enterprise that owns the organization can block fine-grained tokens for all of its organizations, whatever the organization allows: ask the enterprise's owners."
      : bound.fineGrainedTokens === "restrict"
        ? `- An enterprise that owns the organization can block fine-grained tokens for all of its organizations: ${ent} does, so this is why. Only the enterprise's owners can change it.`
        : `- An enterprise that owns the organization can block fine-grained tokens for all of its organizations: ${ent} does not, so this is not the reason.`,
    "- A fine-grained token has exactly one resource owner: to reach two organizations, create two tokens.",
    "",
  );

  out.push("## Single sign-on", "");
  out.push(
    `Where the organization uses SAML single sign-on, a fine-grained token is authorized while you create it; a classic token must be authorized after you create it, with "Configure SSO" next to the token ([GitHub's documentation](${GUIDE_SOURCES.saml})).`,
    "",
  );

  if (p.fineGrainedTokens === "allow" && org.approval.rules.length) {
    out.push("## What is approved automatically, and how to ask for it", "");
    const templates = hasTemplateUrls(org.githubUrl);
    if (!templates)
      out.push(
        `${web} is a GitHub Enterprise Server: it has no pre-filled token links. Enter the values below in the form at ${web}/settings/personal-access-tokens/new.`,
        "",
      );
    org.approval.rules.forEach((rule, i) => {
      if (rule.action === "deny") {
        out.push(
          `### Denied: ${md(rule.name)}`,
          "",
          `${sentence(rule)} ${rule.reason ? `Reason given: ${md(rule.reason)}` : ""}`.trim(),
          "",
        );
        return;
      }
      const t = tokenRequestTemplate(org, i);
      out.push(`### Approved: ${md(rule.name)}`, "", sentence(rule), "");
      if (t.shadowedBy) {
        out.push(`No token reaches this rule unchanged: an earlier rule, ${md(t.shadowedBy)}, decides it first.`, "");
        return;
      }
      out.push("To ask for a token this rule approves, create a fine-grained token with:", "");
      out.push(`- Resource owner: **${login}**`, `- Expiration: **${t.expiresInDays} days**`);
      for (const line of t.byHand) out.push(`- ${line}`);
      for (const kind of ["repository", "organization", "other"] as const) {
        const entries = Object.entries(t.permissions[kind]);
        if (entries.length)
          out.push(
            `- ${kind === "repository" ? "Repository" : kind === "organization" ? "Organization" : "Account"} permissions: ${entries.map(([n, l]) => `${md(n)}: **${l}**`).join(", ")}; nothing else`,
          );
      }
      if (t.url)
        out.push(
          "",
          `Pre-filled form: [create this token](${t.url}) (GitHub's template URL; if the form opens without these values, enter them as listed).`,
        );
      out.push("");
    });
    if (org.approval.otherwise === "deny")
      out.push(`Anything else is denied${org.approval.otherwiseReason ? `: ${md(org.approval.otherwiseReason)}` : "."}`, "");
    else out.push("Anything else waits for an organization owner.", "");
  }
  return out.join("\n");
}

/** GitHub's repository selections of a token in the words of its creation form. */
const REPOSITORY_SELECTION_WORDS: Readonly<Record<string, string>> = {
  none: "public repositories only",
  subset: "selected repositories",
  all: "all repositories",
};

/** A rule in plain words, as Markdown (every value from the config escaped). */
export function sentence(rule: ApprovalRule): string {
  const m: RuleMatch = rule.match;
  const what: string[] = [];
  if (m.permissions) {
    const levels = (["repository", "organization", "other"] as const).flatMap((k) => Object.values(m.permissions![k] ?? {}));
    const readOnly = levels.every((l) => l === "read");
    what.push(`${readOnly ? "read-only" : "at most the listed"} access (${perms(m.permissions)})`);
  } else if (m.anyPermission) what.push(`a token asking for any of ${perms(m.anyPermission)}`);
  else what.push("any access");
  if (m.repositories) what.push(`to repositories matching ${m.repositories.map(md).join(", ")}`);
  else if (m.repositorySelection) what.push(`to ${m.repositorySelection.map((r) => REPOSITORY_SELECTION_WORDS[r]).join(" or ")}`);
  if (m.owners) what.push(`for accounts matching ${m.owners.map(md).join(", ")}`);
  if (m.teams) what.push(`for members of ${m.teams.map((t) => `team ${md(t)}`).join(" or ")}`);
  if (m.maxLifetimeDays !== undefined) what.push(`for up to ${m.maxLifetimeDays} days`);
  const verb = rule.action === "approve" ? "is approved automatically" : "is denied";
  const text = what.join(" ");
  return `${text.charAt(0).toUpperCase()}${text.slice(1)} ${verb}.`;
}

function perms(p: NonNullable<RuleMatch["permissions"]>): string {
  return (["repository", "organization", "other"] as const)
    .flatMap((k) => Object.entries(p[k] ?? {}).map(([n, l]) => `${k === "repository" ? "" : `${k} `}${md(n)}: ${l}`))
    .join(", ");
}
