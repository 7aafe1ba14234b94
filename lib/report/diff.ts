/**
 * What a config change does, riskiest first: the part of `report --base` a reviewer reads first.
 * Pure: compares two validated configs.
 */
import { levelRank } from "../catalogue";
import type { ApprovalRule, OrganizationConfig, RuleMatch, TokenPolicyConfig, VisibilityConfig } from "../config/schema";

/** One change, scored by how much it widens access. */
export interface Change {
  readonly org: string;
  /** Higher is riskier: 110 GitHub instance changed, 100 permissions widened, 90 lifetime raised, 80 approval loosened, 70 secret visibility widened, 60 organizations added or removed, ≤ 50 the rest. */
  readonly score: number;
  readonly text: string;
}

/** Risk classes, for grouping in the report. */
export function riskOf(score: number): "high" | "medium" | "low" {
  return score >= 70 ? "high" : score >= 40 ? "medium" : "low";
}

/** Every change from `base` to `head`, riskiest first (ties in config order). */
export function diffConfigs(base: Pick<TokenPolicyConfig, "organizations">, head: Pick<TokenPolicyConfig, "organizations">): Change[] {
  const changes: Change[] = [];
  const byLogin = (c: Pick<TokenPolicyConfig, "organizations">) => new Map(c.organizations.map((o) => [o.login.toLowerCase(), o]));
  const before = byLogin(base);
  const after = byLogin(head);
  for (const [key, org] of after) {
    const old = before.get(key);
    if (!old) changes.push({ org: org.login, score: 60, text: `Organization ${org.login} added: its policy, App and credentials are created on deploy.` });
    else changes.push(...diffOrganization(old, org));
  }
  for (const [key, org] of before) {
    if (!after.has(key)) {
      changes.push({ org: org.login, score: 60, text: `Organization ${org.login} removed: its stack is no longer synthesized; destroy it first (cdktf destroy ${org.login}) or its secrets and App stay as they are.` });
    }
  }
  return changes.map((c, i) => ({ c, i })).sort((a, b) => b.c.score - a.c.score || a.i - b.i).map(({ c }) => c);
}

function diffOrganization(a: OrganizationConfig, b: OrganizationConfig): Change[] {
  const out: Change[] = [];
  const add = (score: number, text: string) => out.push({ org: b.login, score, text });

  // App permissions and events
  for (const name of new Set([...Object.keys(a.app.permissions), ...Object.keys(b.app.permissions)])) {
    const was = a.app.permissions[name];
    const now = b.app.permissions[name];
    if (was === now) continue;
    if (!was) add(100, `App permission ${name} added at ${now}.`);
    else if (!now) add(20, `App permission ${name} removed (was ${was}).`);
    else if (levelRank(now) > levelRank(was)) add(100, `App permission ${name} widened: ${was} → ${now}.`);
    else add(20, `App permission ${name} narrowed: ${was} → ${now}.`);
  }
  for (const e of b.app.events) if (!a.app.events.includes(e)) add(40, `App subscribes to a new event: ${e}.`);
  for (const e of a.app.events) if (!b.app.events.includes(e)) add(10, `App no longer subscribes to ${e}.`);
  if (a.app.webhookUrl !== b.app.webhookUrl) add(45, `App webhook URL changed: ${a.app.webhookUrl ?? "none"} → ${b.app.webhookUrl ?? "none"}.`);
  const reposA = a.app.installation.repositories;
  const reposB = b.app.installation.repositories;
  if (reposA !== "all" && reposB === "all") add(75, "App installation widened to all repositories.");
  else if (reposA !== "all" && reposB !== "all") {
    const added = reposB.filter((r) => !reposA.includes(r));
    const removed = reposA.filter((r) => !reposB.includes(r));
    if (added.length) add(65, `App reaches more repositories: ${added.join(", ")}.`);
    if (removed.length) add(15, `App no longer reaches: ${removed.join(", ")}.`);
  } else if (reposA === "all" && reposB !== "all") add(15, `App installation narrowed to ${reposB.join(", ")}.`);

  // PAT policy
  const pa = a.patPolicy;
  const pb = b.patPolicy;
  if (pb.maxLifetimeDays > pa.maxLifetimeDays) add(90, `Fine-grained token lifetime raised: ${pa.maxLifetimeDays} → ${pb.maxLifetimeDays} days.`);
  if (pb.maxLifetimeDays < pa.maxLifetimeDays) add(20, `Fine-grained token lifetime lowered: ${pa.maxLifetimeDays} → ${pb.maxLifetimeDays} days.`);
  if ((pb.classicMaxLifetimeDays ?? 999) > (pa.classicMaxLifetimeDays ?? 999)) add(90, `Classic token lifetime raised: ${pa.classicMaxLifetimeDays ?? "none"} → ${pb.classicMaxLifetimeDays ?? "no limit"}.`);
  if (pa.classicTokens !== pb.classicTokens) add(pb.classicTokens === "allow" ? 95 : 20, `Classic tokens: ${pa.classicTokens} → ${pb.classicTokens}.`);
  if (pa.fineGrainedTokens !== pb.fineGrainedTokens) add(pb.fineGrainedTokens === "allow" ? 85 : 20, `Fine-grained tokens: ${pa.fineGrainedTokens} → ${pb.fineGrainedTokens}.`);
  if (pa.requireApproval !== pb.requireApproval) add(pb.requireApproval ? 20 : 85, pb.requireApproval ? "Owner approval of fine-grained tokens now required." : "Approval loosened: fine-grained tokens no longer need approval.");

  // Approval
  out.push(...diffRules(b.login, a.approval.rules, b.approval.rules));
  if (a.approval.otherwise !== b.approval.otherwise) {
    add(b.approval.otherwise === "leave" ? 80 : 20, b.approval.otherwise === "leave" ? "Approval loosened: requests no rule matches are left to owners instead of denied." : "Requests no rule matches are now denied.");
  }
  if (a.approval.revokeNonCompliant !== b.approval.revokeNonCompliant) {
    add(b.approval.revokeNonCompliant ? 20 : 75, b.approval.revokeNonCompliant ? "Non-compliant granted tokens are now revoked." : "Approval loosened: non-compliant granted tokens are no longer revoked.");
  }

  // Credentials
  const ca = a.credentials;
  const cb = b.credentials;
  for (const t of ["actions", "dependabot"] as const) {
    const va = ca[t];
    const vb = cb[t];
    if (!va && vb) add(70, `The private key becomes a ${t} secret readable by ${readers(vb)}.`);
    else if (va && !vb) add(15, `The ${t} secret is removed.`);
    else if (va && vb) out.push(...diffVisibility(b.login, t, va, vb));
  }
  for (const e of cb.environments ?? []) {
    if (!(ca.environments ?? []).some((x) => x.repository === e.repository && x.environment === e.environment)) add(65, `The private key becomes a secret of environment ${e.repository}/${e.environment}.`);
  }
  if (ca.prefix !== cb.prefix) add(45, `Secret and variable names change: ${ca.prefix}_* → ${cb.prefix}_* (workflows that read the old names stop working).`);
  if (ca.privateKeyInput !== cb.privateKeyInput) add(cb.privateKeyInput === "plaintext" ? 50 : 15, `The private key enters Terraform ${cb.privateKeyInput === "plaintext" ? "in clear: state will hold it" : "sealed: state will hold only ciphertext"}.`);

  // Everything else
  for (const s of b.suppressions) if (!a.suppressions.some((x) => x.id === s.id)) add(50, `Policy finding ${s.id} suppressed: ${s.reason}`);
  // The riskiest change of all: every token, the App's key and the deploy credentials go there.
  if (a.githubUrl !== b.githubUrl) add(110, `GitHub instance changed: ${a.githubUrl} → ${b.githubUrl}. Every command, the App's key and the deploy token now talk to the new host: check it is yours.`);
  if (!a.allowPrivateHost && b.allowPrivateHost) add(105, "allowPrivateHost turned on: githubUrl may now name a private or loopback address.");
  if (JSON.stringify(a.backend) !== JSON.stringify(b.backend)) add(30, `State backend changed: ${a.backend.type} → ${b.backend.type} (migrate state before deploying).`);
  if (a.app.name !== b.app.name || a.app.homepageUrl !== b.app.homepageUrl || a.app.description !== b.app.description) add(10, "App name, homepage or description changed.");
  return out;
}

function diffVisibility(org: string, target: string, a: VisibilityConfig, b: VisibilityConfig): Change[] {
  const rank = { selected: 0, private: 1, all: 2 } as const;
  if (rank[b.visibility] > rank[a.visibility]) return [{ org, score: 70, text: `Secret visibility widened (${target}): ${readers(a)} → ${readers(b)}.` }];
  if (rank[b.visibility] < rank[a.visibility]) return [{ org, score: 15, text: `Secret visibility narrowed (${target}): ${readers(a)} → ${readers(b)}.` }];
  if (b.visibility !== "selected") return [];
  const added = (b.repositories ?? []).filter((r) => !(a.repositories ?? []).includes(r));
  const removed = (a.repositories ?? []).filter((r) => !(b.repositories ?? []).includes(r));
  const out: Change[] = [];
  if (added.length) out.push({ org, score: 68, text: `Secret visibility widened (${target}): now also readable by ${added.join(", ")}.` });
  if (removed.length) out.push({ org, score: 15, text: `Secret no longer readable (${target}) by ${removed.join(", ")}.` });
  return out;
}

/** Who can read a secret with this visibility, in words. */
export function readers(v: VisibilityConfig): string {
  if (v.visibility === "all") return "every repository, public ones included";
  if (v.visibility === "private") return "every private and internal repository";
  return `${v.repositories?.join(", ")} only`;
}

function diffRules(org: string, a: readonly ApprovalRule[], b: readonly ApprovalRule[]): Change[] {
  const out: Change[] = [];
  const add = (score: number, text: string) => out.push({ org, score, text });
  const old = new Map(a.map((r) => [r.name, r]));
  for (const r of b) {
    const was = old.get(r.name);
    if (!was) {
      add(r.action === "approve" ? 80 : 20, r.action === "approve" ? `New rule "${r.name}" approves: ${summarizeMatch(r.match)}.` : `New rule "${r.name}" denies: ${summarizeMatch(r.match)}.`);
      continue;
    }
    if (was.action !== r.action) add(r.action === "approve" ? 85 : 20, `Rule "${r.name}" now ${r.action === "approve" ? "approves" : "denies"} what it ${was.action === "approve" ? "approved" : "denied"}: ${summarizeMatch(r.match)}.`);
    else if (JSON.stringify(was.match) !== JSON.stringify(r.match)) {
      const wider = matchWidened(was.match, r.match);
      if (r.action === "approve") add(wider ? 80 : 25, wider ? `Rule "${r.name}" now approves more: ${summarizeMatch(r.match)} (was ${summarizeMatch(was.match)}).` : `Rule "${r.name}" approves less: ${summarizeMatch(r.match)}.`);
      else add(wider ? 20 : 60, wider ? `Rule "${r.name}" denies more: ${summarizeMatch(r.match)}.` : `Rule "${r.name}" denies less: ${summarizeMatch(r.match)} (was ${summarizeMatch(was.match)}).`);
    }
    if ((was.reason ?? "") !== (r.reason ?? "")) add(5, `Rule "${r.name}" gives a new reason.`);
  }
  for (const r of a) if (!b.some((x) => x.name === r.name)) add(r.action === "deny" ? 80 : 20, r.action === "deny" ? `Approval loosened: deny rule "${r.name}" removed.` : `Approve rule "${r.name}" removed.`);
  const orderA = a.map((r) => r.name).filter((n) => b.some((x) => x.name === n));
  const orderB = b.map((r) => r.name).filter((n) => a.some((x) => x.name === n));
  if (orderA.join("\u0000") !== orderB.join("\u0000")) add(60, `Rule order changed (the first rule that matches decides): ${orderB.join(" → ")}.`);
  return out;
}

/** Whether `b` may hold for requests `a` did not: a key dropped, a list grown, a level or lifetime raised. */
export function matchWidened(a: RuleMatch, b: RuleMatch): boolean {
  for (const key of ["owners", "repositories", "repositorySelection", "teams"] as const) {
    if (a[key] && !b[key]) return true;
    if (a[key] && b[key] && b[key]!.some((x) => !(a[key] as readonly string[]).includes(x))) return true;
  }
  if (a.maxLifetimeDays !== undefined && (b.maxLifetimeDays === undefined || b.maxLifetimeDays > a.maxLifetimeDays)) return true;
  if (a.permissions && !b.permissions) return true;
  if (a.permissions && b.permissions) {
    for (const kind of ["organization", "repository", "other"] as const) {
      for (const [name, level] of Object.entries(b.permissions[kind] ?? {})) if (levelRank(level) > levelRank(a.permissions[kind]?.[name])) return true;
    }
  }
  if (JSON.stringify(a.anyPermission) !== JSON.stringify(b.anyPermission)) return true;
  return false;
}

/** A rule's match in words. */
export function summarizeMatch(m: RuleMatch): string {
  const parts: string[] = [];
  if (m.owners) parts.push(`owners ${m.owners.join(", ")}`);
  if (m.teams) parts.push(`teams ${m.teams.join(", ")}`);
  if (m.repositories) parts.push(`repositories ${m.repositories.join(", ")}`);
  if (m.repositorySelection) parts.push(`selection ${m.repositorySelection.join("/")}`);
  const perms = (p: NonNullable<RuleMatch["permissions"]>) =>
    (["organization", "repository", "other"] as const).flatMap((k) => Object.entries(p[k] ?? {}).map(([n, l]) => `${k === "repository" ? "" : `${k} `}${n}: ${l}`)).join(", ");
  if (m.permissions) parts.push(`permissions at most ${perms(m.permissions)}`);
  if (m.anyPermission) parts.push(`any of ${perms(m.anyPermission)}`);
  if (m.maxLifetimeDays !== undefined) parts.push(`lifetime ≤ ${m.maxLifetimeDays} days`);
  return parts.length ? parts.join("; ") : "every request";
}
