/**
 * How `member` prints its answer: plain text, the verdict first, then each part; a part that
 * could not be read says so. `--json` prints the answer as it is.
 */
import { decidedByText } from "../../lib/approval/outcomes";
import type { GrantFate, MemberAnswer } from "../../lib/member/member";
import { clean } from "../../lib/text";

/** The answer as text for a terminal. */
export function renderMemberText(a: MemberAnswer): string {
  const lines: string[] = [];
  const c = clean;
  const verdict = { yes: "can pick", no: "cannot pick", "cannot-tell": "may not be able to pick (cannot tell)" }[a.pick.answer];
  lines.push(`${c(a.login)} ${verdict} ${a.org} as the resource owner of a fine-grained token.`);
  for (const r of a.pick.reasons) lines.push(`  - ${c(r.text)}${r.where ? `\n    Where: ${r.where}` : ""}`);
  lines.push("");
  lines.push(`Membership: ${membershipText(a)}`);
  const p = a.policy;
  lines.push(
    `Policy (as the config declares it; no API reads it): fine-grained tokens ${p.fineGrainedTokens === "allow" ? "allowed" : "restricted"} by the ${p.decidedBy}; ${p.requireApproval ? "approval required" : "no approval needed"}; at most ${p.maxLifetimeDays} days. Set at ${p.where}`,
  );
  lines.push(`SSO: ${ssoText(a)}`);
  lines.push("");
  lines.push("Pending requests:");
  if (a.requests.kind === "unreadable") lines.push(`  cannot be read: ${c(a.requests.why)}`);
  else if (a.requests.items.length === 0) lines.push("  none");
  for (const r of a.requests.kind === "read" ? a.requests.items : []) {
    const d = r.decision;
    lines.push(`  ${d.requestId} ${c(d.tokenName)}: ${d.action} by ${c(decidedByText(d.decidedBy))}: ${c(d.reason)}`);
    if (r.nearest) {
      lines.push(
        `    Nearest request the rules approve (rule ${c(JSON.stringify(r.nearest.rule))}): ${r.nearest.changes.map(c).join("; ") || "no change"}`,
      );
      if (r.nearest.url) lines.push(`    ${r.nearest.url}`);
    }
  }
  lines.push("");
  lines.push("Granted tokens:");
  if (a.grants.kind === "unreadable") lines.push(`  cannot be read: ${c(a.grants.why)}`);
  else if (a.grants.items.length === 0) lines.push("  none");
  for (const g of a.grants.kind === "read" ? a.grants.items : []) {
    const expiry = g.expiresAt === null ? "never expires" : `expires ${g.expiresAt.slice(0, 10)}`;
    const used = g.lastUsedAt === null ? "never used" : `last used ${g.lastUsedAt.slice(0, 10)}`;
    lines.push(`  ${g.tokenId} ${c(g.tokenName)}: ${expiry}, ${used}; ${fateText(g.fate)}`);
  }
  lines.push("");
  lines.push(`Ready-made requests the rules approve for ${c(a.login)}:`);
  if (a.links.kind === "unreadable") lines.push(`  cannot be told: ${c(a.links.why)}`);
  else if (a.links.items.length === 0) lines.push("  none");
  for (const l of a.links.kind === "read" ? a.links.items : []) {
    lines.push(
      `  rule ${c(JSON.stringify(l.rule))} (${l.expiresInDays} days): ${l.url ?? "enter the values of the guide by hand (no template links here)"}`,
    );
    for (const h of l.byHand) lines.push(`    ${c(h)}`);
  }
  for (const rule of a.linksUnsure) lines.push(`  rule ${c(JSON.stringify(rule))}: cannot be told (a team it names cannot be read)`);
  return lines.join("\n") + "\n";
}

function membershipText(a: MemberAnswer): string {
  const m = a.membership;
  switch (m.kind) {
    case "member":
      return m.role === "admin" ? "owner (admin)" : "member";
    case "billing-manager":
      return "billing manager (not a member)";
    case "invitation-pending":
      return "invited, invitation not accepted";
    case "outside-collaborator":
      return "outside collaborator (not a member)";
    case "not-a-member":
      return "not a member, not invited, no outside collaborator";
    case "unreadable":
      return `cannot be read: ${clean(m.why)}`;
  }
}

function ssoText(a: MemberAnswer): string {
  const s = a.sso;
  if (s.kind === "not-enforced") return clean(s.text);
  if (s.kind === "cannot-be-checked") return `cannot be checked: ${clean(s.why)}`;
  const n = s.authorizations.length;
  return `SAML SSO is enforced: classic tokens and SSH keys work only once authorized for ${a.org}; ${clean(a.login)} has ${n} authorized credential${n === 1 ? "" : "s"}${n ? ` (${s.authorizations.map((x) => `${clean(x.credentialType)} authorized ${x.authorizedAt.slice(0, 10)}`).join(", ")})` : ""}.`;
}

function fateText(f: GrantFate): string {
  switch (f.kind) {
    case "revoke-now":
      return `revoked ${f.when} by ${decidedByText(f.decidedBy)}: ${clean(f.reason)}`;
    case "revoke-if-unused":
      return `revoked if not used by ${String(f.on).slice(0, 10)} (${clean(f.reason)})`;
    case "unreadable":
      return `cannot be read (${clean(f.what)}): an owner looks, never revoked`;
    default:
      return "not due for revocation";
  }
}

/** The answer as `--json` prints it. */
export function renderMemberJson(a: MemberAnswer): string {
  return JSON.stringify(a, null, 2) + "\n";
}
