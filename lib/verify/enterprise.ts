/**
 * The enterprise's part of `verify`. No API reads an enterprise's PAT policy, so each of its
 * settings is listed as not checked, with where an enterprise owner sees it; never passed over in
 * silence. What the organization's own records show is checked against the enterprise's bounds
 * where they can contradict it: a pending request exists only where fine-grained tokens reach the
 * organization and need approval, and the token form offers no lifetime above the enterprise's
 * maximum.
 */
import type { EnterpriseConfig, OrganizationConfig } from "../config/schema";
import { lifetimeViolation } from "../approval/evaluate";
import type { GitHubClient } from "../github/client";
import { enterpriseSettingsUrl, pendingRequestsUrl } from "../naming";
import type { VerifyFindings, Drift } from "./drift";

/** One line per enterprise setting: it cannot be read by any API, and where to look instead. */
export function enterpriseSettingsNotReadable(enterprise: EnterpriseConfig): string[] {
  const p = enterprise.patPolicy;
  const where = `${enterpriseSettingsUrl(enterprise.slug, enterprise.githubUrl)} (Policies → Personal access tokens)`;
  const days = (d: number | undefined) => (d === undefined ? "no maximum" : `${d} days`);
  return [
    ["fineGrainedTokens", p.fineGrainedTokens],
    ["requireApproval", String(p.requireApproval)],
    ["maxLifetimeDays", days(p.maxLifetimeDays)],
    ["classicTokens", p.classicTokens],
    ["classicMaxLifetimeDays", days(p.classicMaxLifetimeDays)],
    ["exemptAdministrators", String(p.exemptAdministrators)],
  ].map(
    ([key, value]) =>
      `enterprise ${enterprise.slug} patPolicy.${key} (declared ${value}): no API reads an enterprise's PAT policy; an enterprise owner checks it at ${where}`,
  );
}

/** Options of {@link verifyEnterpriseBounds}. */
export interface EnterpriseBoundsOptions {
  /** The organization's installation; without it only the settings are listed. */
  readonly client?: GitHubClient;
  readonly org: OrganizationConfig;
  /** The enterprise that owns `org`. */
  readonly enterprise: EnterpriseConfig;
}

/**
 * The enterprise's findings: every setting as not checked, and, with `client` (the
 * organization's installation), drift where the organization's pending requests contradict the
 * enterprise's bounds.
 */
export async function verifyEnterpriseBounds({ client, org, enterprise }: EnterpriseBoundsOptions): Promise<VerifyFindings> {
  const notChecked = enterpriseSettingsNotReadable(enterprise);
  const drift: Drift[] = [];
  const p = enterprise.patPolicy;
  const restricts = p.fineGrainedTokens === "restrict";
  const noApproval = p.requireApproval === false;
  if (!client || (!restricts && !noApproval && p.maxLifetimeDays === undefined)) return { drift, notChecked };

  const pending: { id: number; created_at: string; token_expires_at: string | null }[] = [];
  try {
    for await (const page of client.paginate.iterator("GET /orgs/{org}/personal-access-token-requests", {
      org: org.login,
      per_page: 100,
    })) {
      pending.push(...(page.data as unknown as typeof pending));
    }
  } catch (e) {
    if ((e as { status?: number }).status === 403) {
      notChecked.push(
        `enterprise ${enterprise.slug}'s bounds against pending requests (the token lacks organization_personal_access_token_requests: read)`,
      );
      return { drift, notChecked };
    }
    throw e;
  }
  const settings = enterpriseSettingsUrl(enterprise.slug, enterprise.githubUrl);
  const ids = (list: readonly { id: number }[]) =>
    `${list.length} (ids ${list
      .slice(0, 10)
      .map((r) => r.id)
      .join(", ")}${list.length > 10 ? ", …" : ""})`;
  const stale = (remedy: string) =>
    `If they predate the enterprise's setting, ${remedy}; new ones mean the enterprise page does not match the config.`;
  if (pending.length && (restricts || noApproval)) {
    drift.push({
      check: `enterprise ${enterprise.slug} patPolicy.${restricts ? "fineGrainedTokens" : "requireApproval"}`,
      expected: restricts
        ? "no pending request (the enterprise restricts fine-grained tokens)"
        : "no pending request (the enterprise disables approval)",
      actual: `${ids(pending)} pending in ${org.login}`,
      fix: `An enterprise owner checks Policies → Personal access tokens at ${settings}. ${stale("an organization owner denies them on the pending requests page")}`,
      url: pendingRequestsUrl(org.login, org.githubUrl),
    });
  }
  if (p.maxLifetimeDays !== undefined && !restricts) {
    const tooLong = pending.filter((r) =>
      lifetimeViolation({ since: r.created_at, tokenExpiresAt: r.token_expires_at }, p.maxLifetimeDays!),
    );
    if (tooLong.length) {
      drift.push({
        check: `enterprise ${enterprise.slug} patPolicy.maxLifetimeDays`,
        expected: `no pending request for over ${p.maxLifetimeDays} days (the enterprise's maximum)`,
        actual: `${ids(tooLong)} in ${org.login}`,
        fix: `An enterprise owner checks "Set maximum lifetimes for personal access tokens" at ${settings}. ${stale("`review --apply` denies them (they exceed the effective limit)")}`,
        url: pendingRequestsUrl(org.login, org.githubUrl),
      });
    }
  }
  return { drift, notChecked };
}
