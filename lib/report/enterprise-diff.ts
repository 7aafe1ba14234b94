/**
 * What a change of the enterprise layer does, scored on the scale of `diff.ts`: an enterprise
 * loosening ranks above the same loosening in one organization, because it reaches every
 * organization the enterprise owns (their own changes in effective policy are listed as well).
 * Pure.
 */
import type { EnterpriseConfig, OrganizationConfig } from "../config/schema";
import type { Change } from "./change";

const ACCESS_RANK = { restrict: 0, "organizations-decide": 1, allow: 2 } as const;
const APPROVAL_RANK = (v: boolean | "organizations-decide") => (v === true ? 0 : v === "organizations-decide" ? 1 : 2);
const cap = (days: number | undefined) => days ?? Infinity;
const showCap = (days: number | undefined) => (days === undefined ? "no enterprise maximum" : `${days} days`);

/** The label a change of an enterprise carries in place of an organization's login. */
export function enterpriseLabel(slug: string): string {
  return `enterprise ${slug}`;
}

/** Every change of `enterprises` and of which enterprise owns an organization, from base to head. */
export function diffEnterprises(
  base: { readonly enterprises?: readonly EnterpriseConfig[]; readonly organizations: readonly OrganizationConfig[] },
  head: { readonly enterprises?: readonly EnterpriseConfig[]; readonly organizations: readonly OrganizationConfig[] },
): Change[] {
  const out: Change[] = [];
  const before = new Map((base.enterprises ?? []).map((e) => [e.slug.toLowerCase(), e]));
  const after = new Map((head.enterprises ?? []).map((e) => [e.slug.toLowerCase(), e]));
  for (const [key, e] of after) {
    const old = before.get(key);
    const org = enterpriseLabel(e.slug);
    if (!old)
      out.push({
        org,
        score: 60,
        text: `Enterprise ${e.slug} added: its stack records its PAT policy, which bounds the organizations that name it.`,
      });
    else out.push(...diffEnterprise(org, old, e));
  }
  for (const [key, e] of before) {
    if (!after.has(key))
      out.push({
        org: enterpriseLabel(e.slug),
        score: 60,
        text: `Enterprise ${e.slug} removed: its organizations are no longer bounded by it here; destroy its stack (cdktf destroy enterprise-${e.slug}) or its record stays.`,
      });
  }
  const owners = new Map(base.organizations.map((o) => [o.login.toLowerCase(), o.enterprise]));
  for (const o of head.organizations) {
    const key = o.login.toLowerCase();
    if (!owners.has(key) || owners.get(key) === o.enterprise) continue;
    const was = owners.get(key);
    out.push({
      org: o.login,
      score: 50,
      text: `Enterprise of ${o.login}: ${was ?? "none"} → ${o.enterprise ?? "none"} (its effective policy follows the new enterprise's bounds).`,
    });
  }
  return out;
}

function diffEnterprise(org: string, a: EnterpriseConfig, b: EnterpriseConfig): Change[] {
  const out: Change[] = [];
  const add = (score: number, text: string) => out.push({ org, score, text });
  const pa = a.patPolicy;
  const pb = b.patPolicy;
  const every = "for every organization of the enterprise";
  if (pa.fineGrainedTokens !== pb.fineGrainedTokens) {
    const looser = ACCESS_RANK[pb.fineGrainedTokens] > ACCESS_RANK[pa.fineGrainedTokens];
    add(
      looser ? 96 : 20,
      `Enterprise fine-grained tokens: ${pa.fineGrainedTokens} → ${pb.fineGrainedTokens}${looser ? ` (loosened ${every})` : ""}.`,
    );
  }
  if (pa.classicTokens !== pb.classicTokens) {
    const looser = ACCESS_RANK[pb.classicTokens] > ACCESS_RANK[pa.classicTokens];
    add(looser ? 100 : 20, `Enterprise classic tokens: ${pa.classicTokens} → ${pb.classicTokens}${looser ? ` (loosened ${every})` : ""}.`);
  }
  if (pa.requireApproval !== pb.requireApproval) {
    const looser = APPROVAL_RANK(pb.requireApproval) > APPROVAL_RANK(pa.requireApproval);
    add(
      looser ? 90 : 20,
      `Enterprise approval of fine-grained tokens: ${pa.requireApproval} → ${pb.requireApproval}${looser ? ` (loosened ${every})` : ""}.`,
    );
  }
  if (cap(pb.maxLifetimeDays) > cap(pa.maxLifetimeDays))
    add(95, `Enterprise fine-grained token lifetime raised: ${showCap(pa.maxLifetimeDays)} → ${showCap(pb.maxLifetimeDays)} ${every}.`);
  if (cap(pb.maxLifetimeDays) < cap(pa.maxLifetimeDays))
    add(20, `Enterprise fine-grained token lifetime lowered: ${showCap(pa.maxLifetimeDays)} → ${showCap(pb.maxLifetimeDays)}.`);
  if (cap(pb.classicMaxLifetimeDays) > cap(pa.classicMaxLifetimeDays))
    add(
      95,
      `Enterprise classic token lifetime raised: ${showCap(pa.classicMaxLifetimeDays)} → ${showCap(pb.classicMaxLifetimeDays)} ${every}.`,
    );
  if (cap(pb.classicMaxLifetimeDays) < cap(pa.classicMaxLifetimeDays))
    add(20, `Enterprise classic token lifetime lowered: ${showCap(pa.classicMaxLifetimeDays)} → ${showCap(pb.classicMaxLifetimeDays)}.`);
  if (pa.exemptAdministrators !== pb.exemptAdministrators) {
    add(
      pb.exemptAdministrators ? 80 : 15,
      pb.exemptAdministrators
        ? "Enterprise lifetime maximums no longer apply to administrators."
        : "Enterprise lifetime maximums now apply to administrators too.",
    );
  }
  if (a.githubUrl !== b.githubUrl) add(30, `Enterprise GitHub instance changed: ${a.githubUrl} → ${b.githubUrl}.`);
  if (JSON.stringify(a.backend) !== JSON.stringify(b.backend))
    add(
      30,
      `Enterprise state backend changed: ${a.backend?.type ?? "local"} → ${b.backend?.type ?? "local"} (migrate state before deploying).`,
    );
  return out;
}
