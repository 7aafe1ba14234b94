/**
 * The policy check pack: every policy check (one per file in `checks/`), and the function that
 * applies them to one organization with its suppressions. Pure (no cdktf): `main.ts` runs it
 * once per organization before any construct exists, the `PolicyChecksAspect` turns those
 * findings into annotations, and `report` prints them.
 */
import type { OrganizationConfig } from "../config/schema";
import { appAdministrationWrite } from "./checks/app-administration-write";
import { approvalAppMismatch } from "./checks/approval-app-mismatch";
import { approvalNotRequired } from "./checks/approval-not-required";
import { approveOrganizationWrite } from "./checks/approve-organization-write";
import { approveOwnersGlobOnly } from "./checks/approve-owners-glob-only";
import { approveWithoutPermissionCap } from "./checks/approve-without-permission-cap";
import { denyRulePermissionCap } from "./checks/deny-rule-permission-cap";
import { approveWriteAllRepositories } from "./checks/approve-write-all-repositories";
import { classicTokensAllowed } from "./checks/classic-tokens-allowed";
import { eventsWithoutWebhook } from "./checks/events-without-webhook";
import { longTokenLifetime } from "./checks/long-token-lifetime";
import { plaintextPrivateKey } from "./checks/plaintext-private-key";
import { privateKeyVisibleToAll } from "./checks/private-key-visible-to-all";
import type { PolicyCheck } from "./policy-check";

export * from "./policy-check";

/** Every policy check, in report order. */
export const POLICY_CHECKS: readonly PolicyCheck[] = [
  privateKeyVisibleToAll,
  appAdministrationWrite,
  classicTokensAllowed,
  approvalNotRequired,
  approveWriteAllRepositories,
  approveWithoutPermissionCap,
  denyRulePermissionCap,
  approveOrganizationWrite,
  approveOwnersGlobOnly,
  longTokenLifetime,
  approvalAppMismatch,
  plaintextPrivateKey,
  eventsWithoutWebhook,
];

/** One finding of the pack: a check that found something, or a suppression that matches nothing. */
export interface PolicyFinding {
  /** The id of the check (for an unused suppression, the id it names). */
  readonly checkId: string;
  /** `error`, `warning`, or `suppressed` (with the reason given). */
  readonly level: "error" | "warning" | "suppressed";
  /** `[id] info detail. explanation` */
  readonly message: string;
  /** The check that found it. */
  readonly check: PolicyCheck;
  /** What in this organization is wrong, with the config path. */
  readonly detail: string;
  /** The suppression's reason, when suppressed. */
  readonly suppressedBecause?: string;
}

/**
 * Applies every policy check to an organization. A suppression (`suppressions: [{ id, reason }]`)
 * turns its check's finding into `suppressed`; a suppression of an unknown check, or of a check
 * that finds nothing, is itself an error, so stale suppressions do not linger.
 */
export function checkOrganization(org: OrganizationConfig, checks: readonly PolicyCheck[] = POLICY_CHECKS): PolicyFinding[] {
  const findings: PolicyFinding[] = [];
  const used = new Set<string>();
  for (const check of checks) {
    const outcome = check.evaluate(org);
    if (outcome.status !== "non-compliant") continue;
    const s = org.suppressions.find((x) => x.id === check.id);
    if (s) used.add(s.id);
    findings.push({
      checkId: check.id,
      level: s ? "suppressed" : check.level,
      message: `[${check.id}] ${check.info} ${outcome.detail}. ${check.explanation}`,
      check,
      detail: outcome.detail,
      ...(s ? { suppressedBecause: s.reason } : {}),
    });
  }
  org.suppressions.forEach((s, i) => {
    if (used.has(s.id)) return;
    const known = checks.some((c) => c.id === s.id);
    const detail = known
      ? `suppressions[${i}] suppresses ${s.id}, which finds nothing in ${org.login}: remove it`
      : `suppressions[${i}] names ${s.id}, which is no rule (rules: ${checks.map((c) => c.id).join(", ")})`;
    findings.push({
      checkId: s.id,
      level: "error",
      message: `[unused-suppression] ${detail}.`,
      check: {
        id: "unused-suppression",
        level: "error",
        info: "A suppression matches nothing.",
        explanation: "Stale suppressions hide future findings.",
        evaluate: () => ({ status: "compliant" }),
      },
      detail,
    });
  });
  return findings;
}
