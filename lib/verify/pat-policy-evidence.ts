/**
 * The PAT policy verified from evidence. No API reads an organization's PAT policy, so each
 * setting is judged from what GitHub does show: granted fine-grained tokens and pending requests
 * (`grants`), the Enterprise Cloud audit log (`auditLog`), and the SAML SSO credential
 * authorizations (`credentialAuthorizations`), as `verify.evidence` chooses. Each setting ends
 * `holds`, `contradicted` or `not checkable here`, always with the evidence or the reason; a
 * setting no source speaks to is said to be not checkable, never left out.
 */
import type { EvidenceSource, OrganizationConfig } from "../config/schema";
import type { GitHubClient } from "../github/client";
import { patPolicySettingsUrl } from "../naming";
import { auditLogFindings } from "./audit-log-evidence";
import { credentialAuthorizationFindings } from "./credential-authorization-evidence";
import { grantFindings } from "./grant-evidence";
import { PAT_POLICY_SETTINGS, type EvidenceStatus, type EvidenceFinding, type PatPolicySetting } from "./evidence-finding";

export { PAT_POLICY_SETTINGS, type EvidenceStatus, type EvidenceFinding, type PatPolicySetting } from "./evidence-finding";

/** One setting: what the config declares, what the evidence says, and where to fix it. */
export interface SettingEvidence {
  readonly setting: PatPolicySetting;
  /** The declared value, as text (`none` when not declared). */
  readonly declared: string;
  /** `contradicted` when any source contradicts it; else `holds` when any confirms it. */
  readonly status: EvidenceStatus;
  readonly findings: readonly EvidenceFinding[];
  /** The PAT policy page, where an owner sets it. */
  readonly fixUrl: string;
}

/** The PAT policy of one organization as the evidence shows it. */
export interface PatPolicyEvidence {
  readonly org: string;
  /** When GitHub was read, ISO 8601. */
  readonly readAt: string;
  /** The sources read (`verify.evidence`). */
  readonly sources: readonly EvidenceSource[];
  readonly settings: readonly SettingEvidence[];
}

/** The declared value of a setting, as text. */
export function declaredValue(org: OrganizationConfig, setting: PatPolicySetting): string {
  const v = org.patPolicy[setting];
  return v === undefined ? "none" : String(v);
}

/** Options of {@link patPolicyEvidence}. */
export interface PatPolicyEvidenceOptions {
  /** Why nothing could be read, said for every setting when there is no client. @default - */
  readonly why?: string;
  /** When GitHub was read. @default now */
  readonly now?: Date;
  /** How many requests are pending, when the caller has listed them already. @default - listed here */
  readonly pendingRequests?: number;
}

/**
 * Reads every source of `org.verify.evidence` with `client` (the App's installation) and judges
 * each setting. `client` undefined: nothing could be read, and `why` says so for every setting.
 */
export async function patPolicyEvidence(
  client: GitHubClient | undefined,
  org: OrganizationConfig,
  options: PatPolicyEvidenceOptions = {},
): Promise<PatPolicyEvidence> {
  const now = options.now ?? new Date();
  const sources = org.verify.evidence;
  const findings: EvidenceFinding[] = [];
  if (client) {
    for (const source of sources) {
      if (source === "grants") findings.push(...(await grantFindings(client, org, options.pendingRequests)));
      if (source === "auditLog") findings.push(...(await auditLogFindings(client, org)));
      if (source === "credentialAuthorizations") findings.push(...(await credentialAuthorizationFindings(client, org)));
    }
  }
  const fixUrl = patPolicySettingsUrl(org.login, org.githubUrl);
  const settings = PAT_POLICY_SETTINGS.map((setting): SettingEvidence => {
    const mine = findings.filter((f) => f.setting === setting);
    if (mine.length === 0) mine.push(uncovered(setting, sources, client ? undefined : options.why));
    const status: EvidenceStatus = mine.some((f) => f.status === "contradicted")
      ? "contradicted"
      : mine.some((f) => f.status === "holds")
        ? "holds"
        : "not checkable here";
    return { setting, declared: declaredValue(org, setting), status, findings: mine, fixUrl };
  });
  return { org: org.login, readAt: now.toISOString(), sources, settings };
}

/** Which sources could speak to a setting, for the reason when none of the chosen ones does. */
const COVERED_BY: Record<PatPolicySetting, readonly EvidenceSource[]> = {
  fineGrainedTokens: ["grants", "auditLog"],
  requireApproval: ["grants", "auditLog"],
  maxLifetimeDays: ["grants", "auditLog"],
  classicTokens: ["credentialAuthorizations", "auditLog"],
  classicMaxLifetimeDays: ["credentialAuthorizations", "auditLog"],
};

function uncovered(setting: PatPolicySetting, chosen: readonly EvidenceSource[], why: string | undefined): EvidenceFinding {
  const could = COVERED_BY[setting];
  const text = why
    ? `Nothing was read: ${why}.`
    : `No chosen evidence source speaks to it (verify.evidence is ${chosen.length ? chosen.join(", ") : "empty"}); ${could.filter((s) => !chosen.includes(s)).join(" or ")} would (Enterprise Cloud${could.includes("credentialAuthorizations") ? ", with SAML single sign-on for credentialAuthorizations" : ""}).`;
  return { setting, source: "none", status: "not checkable here", text, links: [] };
}
