/**
 * The policy rule pack: every rule, and the check that applies them to one organization with its
 * suppressions. Pure: the `PolicyChecks` aspect and the `report` command both use it.
 */
import type { OrganizationConfig } from "../config/schema";
import { appAdministrationWrite } from "./rules/app-administration-write";
import { approvalAppMismatch } from "./rules/approval-app-mismatch";
import { approvalNotRequired } from "./rules/approval-not-required";
import { approveOrganizationWrite } from "./rules/approve-organization-write";
import { approveOwnersGlobOnly } from "./rules/approve-owners-glob-only";
import { approveWithoutPermissionCap } from "./rules/approve-without-permission-cap";
import { denyRulePermissionCap } from "./rules/deny-rule-permission-cap";
import { approveWriteAllRepositories } from "./rules/approve-write-all-repositories";
import { classicTokensAllowed } from "./rules/classic-tokens-allowed";
import { eventsWithoutWebhook } from "./rules/events-without-webhook";
import { longTokenLifetime } from "./rules/long-token-lifetime";
import { plaintextPrivateKey } from "./rules/plaintext-private-key";
import { privateKeyVisibleToAll } from "./rules/private-key-visible-to-all";
import type { PolicyRule } from "./rule";

export * from "./rule";

/** Every rule, in report order. */
export const POLICY_RULES: readonly PolicyRule[] = [
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

/** One finding of the pack. */
export interface Finding {
  readonly ruleId: string;
  /** `error`, `warning`, or `suppressed` (with the reason given). */
  readonly level: "error" | "warning" | "suppressed";
  /** `[id] info detail. explanation` */
  readonly message: string;
  readonly rule: PolicyRule;
  readonly detail: string;
  /** The suppression's reason, when suppressed. */
  readonly suppressedBecause?: string;
}

/**
 * Applies every rule to an organization. A suppression (`suppressions: [{ id, reason }]`) turns
 * its rule's finding into `suppressed`; a suppression of an unknown rule, or of a rule that finds
 * nothing, is itself an error, so stale suppressions do not linger.
 */
export function checkOrganization(org: OrganizationConfig, rules: readonly PolicyRule[] = POLICY_RULES): Finding[] {
  const findings: Finding[] = [];
  const used = new Set<string>();
  for (const rule of rules) {
    const outcome = rule.evaluate(org);
    if (outcome.status !== "non-compliant") continue;
    const s = org.suppressions.find((x) => x.id === rule.id);
    if (s) used.add(s.id);
    findings.push({
      ruleId: rule.id,
      level: s ? "suppressed" : rule.level,
      message: `[${rule.id}] ${rule.info} ${outcome.detail}. ${rule.explanation}`,
      rule,
      detail: outcome.detail,
      ...(s ? { suppressedBecause: s.reason } : {}),
    });
  }
  org.suppressions.forEach((s, i) => {
    if (used.has(s.id)) return;
    const known = rules.some((r) => r.id === s.id);
    const detail = known
      ? `suppressions[${i}] suppresses ${s.id}, which finds nothing in ${org.login}: remove it`
      : `suppressions[${i}] names ${s.id}, which is no rule (rules: ${rules.map((r) => r.id).join(", ")})`;
    findings.push({
      ruleId: s.id,
      level: "error",
      message: `[unused-suppression] ${detail}.`,
      rule: { id: "unused-suppression", level: "error", info: "A suppression matches nothing.", explanation: "Stale suppressions hide future findings.", evaluate: () => ({ status: "compliant" }) },
      detail,
    });
  });
  return findings;
}
