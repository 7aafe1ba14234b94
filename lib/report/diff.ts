/**
 * What a config change does, riskiest first: the part of `report --base` a reviewer reads first.
 * Pure: compares two validated configs.
 */
import { posix } from "node:path";
import { levelRank } from "../catalogue";
import type { ApprovalRule, BackendConfig, OrganizationConfig, RuleMatch, TokenPolicyConfig, VisibilityConfig } from "../config/schema";
import type { Change } from "./change";
import { diffEnterprises } from "./enterprise-diff";

export { riskOf, type Change } from "./change";

/** Every change from `base` to `head`, riskiest first (ties in config order). */
export function diffConfigs(
  base: Pick<TokenPolicyConfig, "organizations"> & Partial<Pick<TokenPolicyConfig, "enterprises">>,
  head: Pick<TokenPolicyConfig, "organizations"> & Partial<Pick<TokenPolicyConfig, "enterprises">>,
): Change[] {
  const changes: Change[] = diffEnterprises(base, head);
  const byLogin = (c: Pick<TokenPolicyConfig, "organizations">) => new Map(c.organizations.map((o) => [o.login.toLowerCase(), o]));
  const before = byLogin(base);
  const after = byLogin(head);
  for (const [key, org] of after) {
    const old = before.get(key);
    if (!old)
      changes.push({
        org: org.login,
        score: 60,
        text: `Organization ${org.login} added: its policy, App and credentials are created on deploy.`,
      });
    else changes.push(...diffOrganization(old, org));
  }
  for (const [key, org] of before) {
    if (!after.has(key)) {
      changes.push({
        org: org.login,
        score: 60,
        text: `Organization ${org.login} removed: its stack is no longer synthesized; destroy it first (cdktf destroy ${org.login}) or its secrets and App stay as they are.`,
      });
    }
  }
  return changes
    .map((c, i) => ({ c, i }))
    .sort((a, b) => b.c.score - a.c.score || a.i - b.i)
    .map(({ c }) => c);
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
  if (a.app.webhookUrl !== b.app.webhookUrl)
    add(45, `App webhook URL changed: ${shownUrl(a.app.webhookUrl) ?? "none"} → ${shownUrl(b.app.webhookUrl) ?? "none"}.`);
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
  if (pb.maxLifetimeDays > pa.maxLifetimeDays)
    add(90, `Fine-grained token lifetime raised: ${pa.maxLifetimeDays} → ${pb.maxLifetimeDays} days.`);
  if (pb.maxLifetimeDays < pa.maxLifetimeDays)
    add(20, `Fine-grained token lifetime lowered: ${pa.maxLifetimeDays} → ${pb.maxLifetimeDays} days.`);
  if ((pb.classicMaxLifetimeDays ?? 999) > (pa.classicMaxLifetimeDays ?? 999))
    add(90, `Classic token lifetime raised: ${pa.classicMaxLifetimeDays ?? "none"} → ${pb.classicMaxLifetimeDays ?? "no limit"}.`);
  if (pa.classicTokens !== pb.classicTokens)
    add(pb.classicTokens === "allow" ? 95 : 20, `Classic tokens: ${pa.classicTokens} → ${pb.classicTokens}.`);
  if (pa.fineGrainedTokens !== pb.fineGrainedTokens)
    add(pb.fineGrainedTokens === "allow" ? 85 : 20, `Fine-grained tokens: ${pa.fineGrainedTokens} → ${pb.fineGrainedTokens}.`);
  if (pa.requireApproval !== pb.requireApproval)
    add(
      pb.requireApproval ? 20 : 85,
      pb.requireApproval
        ? "Owner approval of fine-grained tokens now required."
        : "Approval loosened: fine-grained tokens no longer need approval.",
    );

  // Approval
  out.push(...diffRules(b.login, a.approval.rules, b.approval.rules));
  if (a.approval.otherwise !== b.approval.otherwise) {
    add(
      b.approval.otherwise === "leave" ? 80 : 20,
      b.approval.otherwise === "leave"
        ? "Approval loosened: requests no rule matches are left to owners instead of denied."
        : "Requests no rule matches are now denied.",
    );
  }
  if (a.approval.revokeNonCompliant !== b.approval.revokeNonCompliant) {
    add(
      b.approval.revokeNonCompliant ? 20 : 75,
      b.approval.revokeNonCompliant
        ? "Non-compliant granted tokens are now revoked."
        : "Approval loosened: non-compliant granted tokens are no longer revoked.",
    );
  }
  const unusedA = a.approval.revokeUnusedAfterDays;
  const unusedB = b.approval.revokeUnusedAfterDays;
  if (unusedA !== unusedB) {
    const days = (d: number | undefined) => (d === undefined ? "never revoked" : `revoked after ${d} days`);
    if ((unusedB ?? Infinity) > (unusedA ?? Infinity))
      add(75, `Approval loosened: unused granted tokens are ${days(unusedB)} (was ${days(unusedA)}).`);
    else add(20, `Unused granted tokens are ${days(unusedB)} (was ${days(unusedA)}).`);
  }

  // The brake on mass revocation: a looser one lets a wrong clock or rule revoke more at once.
  const ma = a.review.massRevocation;
  const mb = b.review.massRevocation;
  const brake = (m: typeof ma) => `the larger of ${m.minTokens} tokens and ${+(m.share * 100).toFixed(2)}%`;
  if (mb.minTokens > ma.minTokens || mb.share > ma.share)
    add(75, `Brake on mass revocation loosened: one run may revoke ${brake(mb)} of the granted tokens (was ${brake(ma)}).`);
  else if (mb.minTokens < ma.minTokens || mb.share < ma.share)
    add(20, `Brake on mass revocation tightened: one run may revoke ${brake(mb)} of the granted tokens (was ${brake(ma)}).`);

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
    if (!(ca.environments ?? []).some((x) => x.repository === e.repository && x.environment === e.environment))
      add(65, `The private key becomes a secret of environment ${e.repository}/${e.environment}.`);
  }
  if (ca.prefix !== cb.prefix)
    add(45, `Secret and variable names change: ${ca.prefix}_* → ${cb.prefix}_* (workflows that read the old names stop working).`);
  if (ca.privateKeyInput !== cb.privateKeyInput)
    add(
      cb.privateKeyInput === "plaintext" ? 50 : 15,
      `The private key enters Terraform ${cb.privateKeyInput === "plaintext" ? "in clear: state will hold it" : "sealed: state will hold only ciphertext"}.`,
    );

  // Everything else
  for (const s of b.suppressions) if (!a.suppressions.some((x) => x.id === s.id)) add(50, `Policy finding ${s.id} suppressed: ${s.reason}`);
  // The riskiest change of all: every token, the App's key and the deploy credentials go there.
  if (a.githubUrl !== b.githubUrl)
    add(
      110,
      `GitHub instance changed: ${shownUrl(a.githubUrl)} → ${shownUrl(b.githubUrl)}. Every command, the App's key and the deploy token now talk to the new host: check it is yours.`,
    );
  if (!a.allowPrivateHost && b.allowPrivateHost)
    add(105, "allowPrivateHost turned on: githubUrl may now name a private or loopback address.");
  out.push(...diffGuide(b.login, a.guide, b.guide));
  // Every backend change is one the pull-request plan's credentials would follow: ranked with the
  // host changes, above everything else, and refused by plan-guard until merged.
  out.push(
    ...diffBackend(b.login, a.backend, b.backend).map((c) => ({
      ...c,
      score: 108,
      text: `${c.text} The pull-request plan refuses it (token-policy plan-guard); it is planned after merge.`,
    })),
  );
  // The App the published ids name is the one every workflow mints tokens for with the key.
  const ids = (["id", "clientId", "slug"] as const)
    .filter((k) => a.app[k] !== b.app[k])
    .map((k) => `app.${k}: ${a.app[k] ?? "unset"} → ${b.app[k] ?? "unset"}`);
  if (a.app.installation.id !== b.app.installation.id)
    ids.push(`app.installation.id: ${a.app.installation.id ?? "unset"} → ${b.app.installation.id ?? "unset"}`);
  if (ids.length) add(45, `The App's identity changes (${ids.join(", ")}): check it is still the organization's own App.`);
  if (a.app.name !== b.app.name || a.app.homepageUrl !== b.app.homepageUrl || a.app.description !== b.app.description)
    add(10, "App name, homepage or description changed.");
  return out;
}

/** A URL as a reviewer should see it: its host in punycode (`xn--…`), so a look-alike name shows as what it is. */
export function shownUrl(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname === "/" && !url.endsWith("/") ? "" : u.pathname}${u.search}`;
  } catch {
    return url;
  }
}

/** A host name as a reviewer should see it: in punycode. */
export function shownHost(host: string): string {
  try {
    return new URL(`https://${host}`).host;
  } catch {
    return host;
  }
}

function guideTarget(g: NonNullable<OrganizationConfig["guide"]>): string {
  return `${g.repository}:${g.path}${g.branch ? ` on branch ${g.branch}` : " on the default branch"}`;
}

/** Where every deploy writes the member guide (with `overwrite_on_create`): a new place is a file written into a repository. */
function diffGuide(org: string, a: OrganizationConfig["guide"], b: OrganizationConfig["guide"]): Change[] {
  if (!a && !b) return [];
  if (a && !b) return [{ org, score: 15, text: `The member guide is no longer written (was ${guideTarget(a)}).` }];
  if (!a && b)
    return [
      {
        org,
        score: 90,
        text: `Every deploy now writes the member guide into a repository, overwriting what is there: ${guideTarget(b)}. Check that file is meant for it.`,
      },
    ];
  const moved = a!.repository !== b!.repository || a!.path !== b!.path || (a!.branch ?? "") !== (b!.branch ?? "");
  const out: Change[] = [];
  if (moved)
    out.push({
      org,
      score: 90,
      text: `The member guide's target moves: ${guideTarget(a!)} → ${guideTarget(b!)}. Every deploy writes that file, overwriting what is there: check it is meant for it.`,
    });
  if (!a!.allowGitHubPaths && b!.allowGitHubPaths)
    out.push({
      org,
      score: 85,
      text: "guide.allowGitHubPaths turned on: the guide may now be written under .github/, which GitHub reads as configuration.",
    });
  return out;
}

/** Where the state is: whoever controls it controls what Terraform believes exists, and it holds the sealed key and every secret's metadata. */
function diffBackend(org: string, a: BackendConfig, b: BackendConfig): Change[] {
  const out: Change[] = [];
  const moved = (what: string) =>
    out.push({
      org,
      score: 88,
      text: `State backend moves (${what}): plan and deploy read and write the state there, and it holds the sealed key and every secret's metadata. Check the new place is yours, and migrate state before deploying.`,
    });
  if (a.type !== b.type) {
    moved(`${describeBackend(a)} → ${describeBackend(b)}`);
    return out;
  }
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  const changed = [...keys].filter(
    (k) => JSON.stringify((a as Record<string, unknown>)[k]) !== JSON.stringify((b as Record<string, unknown>)[k]),
  );
  if (!changed.length) return out;
  const value = (x: BackendConfig, k: string) => {
    const v = (x as Record<string, unknown>)[k];
    if (k === "hostname") return shownHost(String(v ?? "app.terraform.io"));
    return v === undefined ? "default" : String(v);
  };
  const where = changed.filter((k) =>
    ["bucket", "key", "region", "roleArn", "prefix", "organization", "workspace", "project", "hostname", "schemaName"].includes(k),
  );
  if (where.length) moved(where.map((k) => `${k}: ${value(a, k)} → ${value(b, k)}`).join(", "));
  if (a.type === "local" && b.type === "local" && a.path !== b.path) {
    if (b.path && outsideProject(b.path)) moved(`path: ${a.path ?? "default"} → ${b.path}, outside the project`);
    else
      out.push({
        org,
        score: 40,
        text: `State file moves within the project: ${a.path ?? "default"} → ${b.path ?? "default"} (migrate state before deploying).`,
      });
  }
  if (a.type === "s3" && b.type === "s3" && a.encrypt && !b.encrypt)
    out.push({
      org,
      score: 88,
      text: "State backend encryption turned off (backend.encrypt: false): the state, with the sealed key and every secret's metadata, is stored unencrypted.",
    });
  if (a.type === "local" && b.type === "local" && !a.allowOutsideProject && b.allowOutsideProject)
    out.push({
      org,
      score: 88,
      text: `State may now live outside the project (backend.allowOutsideProject: true${b.path ? `, path ${b.path}` : ""}).`,
    });
  const rest = changed.filter((k) => !where.includes(k) && !["encrypt", "allowOutsideProject", "path"].includes(k));
  if (rest.length) out.push({ org, score: 30, text: `State backend settings changed: ${rest.join(", ")}.` });
  return out;
}

/** Whether a local state path leaves the project folder (absolute, a drive, or `..`). */
function outsideProject(path: string): boolean {
  const p = posix.normalize(path.replace(/\\/g, "/"));
  return posix.isAbsolute(p) || /^[A-Za-z]:/.test(p) || p === ".." || p.startsWith("../");
}

function describeBackend(b: BackendConfig): string {
  switch (b.type) {
    case "s3":
      return `s3 bucket ${b.bucket}${b.key ? ` key ${b.key}` : ""}`;
    case "gcs":
      return `gcs bucket ${b.bucket}${b.prefix ? ` prefix ${b.prefix}` : ""}`;
    case "cloud":
      return `cloud ${shownHost(b.hostname ?? "app.terraform.io")} organization ${b.organization}${b.workspace ? ` workspace ${b.workspace}` : ""}`;
    case "pg":
      return "pg";
    case "local":
      return `local${b.path ? ` ${b.path}` : ""}`;
  }
}

function diffVisibility(org: string, target: string, a: VisibilityConfig, b: VisibilityConfig): Change[] {
  const rank = { selected: 0, private: 1, all: 2 } as const;
  if (rank[b.visibility] > rank[a.visibility])
    return [{ org, score: 70, text: `Secret visibility widened (${target}): ${readers(a)} → ${readers(b)}.` }];
  if (rank[b.visibility] < rank[a.visibility])
    return [{ org, score: 15, text: `Secret visibility narrowed (${target}): ${readers(a)} → ${readers(b)}.` }];
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
      add(
        r.action === "approve" ? 80 : 20,
        r.action === "approve"
          ? `New rule "${r.name}" approves: ${summarizeMatch(r.match)}.`
          : `New rule "${r.name}" denies: ${summarizeMatch(r.match)}.`,
      );
      continue;
    }
    if (was.action !== r.action)
      add(
        r.action === "approve" ? 85 : 20,
        `Rule "${r.name}" now ${r.action === "approve" ? "approves" : "denies"} what it ${was.action === "approve" ? "approved" : "denied"}: ${summarizeMatch(r.match)}.`,
      );
    else if (JSON.stringify(was.match) !== JSON.stringify(r.match)) {
      const wider = matchWidened(was.match, r.match);
      // A match may grow in one key and shrink in another: the direction that widens access wins.
      const narrower = matchWidened(r.match, was.match);
      if (r.action === "approve")
        add(
          wider ? 80 : 25,
          wider
            ? `Rule "${r.name}" now approves more: ${summarizeMatch(r.match)} (was ${summarizeMatch(was.match)}).`
            : `Rule "${r.name}" approves less: ${summarizeMatch(r.match)}.`,
        );
      else
        add(
          narrower ? 80 : 20,
          narrower
            ? `Approval loosened: deny rule "${r.name}" now denies less: ${summarizeMatch(r.match)} (was ${summarizeMatch(was.match)}).`
            : `Rule "${r.name}" denies more: ${summarizeMatch(r.match)}.`,
        );
    }
    if ((was.reason ?? "") !== (r.reason ?? "")) add(5, `Rule "${r.name}" gives a new reason.`);
  }
  for (const r of a)
    if (!b.some((x) => x.name === r.name))
      add(
        r.action === "deny" ? 80 : 20,
        r.action === "deny" ? `Approval loosened: deny rule "${r.name}" removed.` : `Approve rule "${r.name}" removed.`,
      );
  const orderA = a.map((r) => r.name).filter((n) => b.some((x) => x.name === n));
  const orderB = b.map((r) => r.name).filter((n) => a.some((x) => x.name === n));
  if (orderA.join("\u0000") !== orderB.join("\u0000"))
    add(60, `Rule order changed (the first rule that matches decides): ${orderB.join(" → ")}.`);
  return out;
}

/**
 * Whether `b` may hold for requests `a` did not: a key dropped, a list grown, a level or lifetime
 * raised, an `anyPermission` entry added or its level lowered. `matchWidened(b, a)` says whether
 * `b` may fail to hold where `a` held (it matches less).
 */
export function matchWidened(a: RuleMatch, b: RuleMatch): boolean {
  for (const key of ["owners", "repositories", "repositorySelection", "teams"] as const) {
    if (a[key] && !b[key]) return true;
    if (a[key] && b[key] && b[key]!.some((x) => !(a[key] as readonly string[]).includes(x))) return true;
  }
  if (a.maxLifetimeDays !== undefined && (b.maxLifetimeDays === undefined || b.maxLifetimeDays > a.maxLifetimeDays)) return true;
  if (a.permissions && !b.permissions) return true;
  if (a.permissions && b.permissions) {
    for (const kind of ["organization", "repository", "other"] as const) {
      for (const [name, level] of Object.entries(b.permissions[kind] ?? {}))
        if (levelRank(level) > levelRank(a.permissions[kind]?.[name])) return true;
    }
  }
  // "Any of": no list holds for every request; a new entry, or a lower level, holds for more.
  if (a.anyPermission && !b.anyPermission) return true;
  if (a.anyPermission && b.anyPermission) {
    for (const kind of ["organization", "repository", "other"] as const) {
      for (const [name, level] of Object.entries(b.anyPermission[kind] ?? {})) {
        const was = a.anyPermission[kind]?.[name];
        if (was === undefined || levelRank(level) < levelRank(was)) return true;
      }
    }
  }
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
    (["organization", "repository", "other"] as const)
      .flatMap((k) => Object.entries(p[k] ?? {}).map(([n, l]) => `${k === "repository" ? "" : `${k} `}${n}: ${l}`))
      .join(", ");
  if (m.permissions) parts.push(`permissions at most ${perms(m.permissions)}`);
  if (m.anyPermission) parts.push(`any of ${perms(m.anyPermission)}`);
  if (m.maxLifetimeDays !== undefined) parts.push(`lifetime ≤ ${m.maxLifetimeDays} days`);
  return parts.length ? parts.join("; ") : "every request";
}
