/**
 * The enterprise layer of the PAT policy, pure: what an organization may declare under its
 * enterprise's policy, and the organization's effective policy (the enterprise's bounds applied).
 *
 * An enterprise sets, per token type, "Allow organizations to configure access requirements"
 * (`organizations-decide`), "Restrict access via personal access tokens" (`restrict`) or "Allow
 * access via personal access tokens" (`allow`); for fine-grained tokens "Require approval"
 * (`true`), "Disable approval" (`false`) or "Allow organizations to configure approval
 * requirements" (`organizations-decide`); and a maximum lifetime per token type (1–366 days) that
 * no organization can exceed. An organization cannot override what its enterprise decided.
 *
 * The effective policy is the organization's declaration where it made one (the loader refuses a
 * declaration the enterprise forbids), and where it declared nothing, the enterprise's setting in
 * place of the default. `review`, `serve`, the guide, the template links, the report and
 * `verify` read it as `patPolicy` of a loaded organization.
 */
import {
  classicLifetimeUnused,
  DEFAULT_PAT_POLICY,
  patPolicySchema,
  type EnterpriseConfig,
  type EnterprisePatPolicyConfig,
  type OrganizationConfig,
  type PatPolicyConfig,
  type PatPolicyInput,
} from "./schema";

export type { EnterprisePatPolicyConfig } from "./schema";

/** What the effective-policy functions need of an enterprise: its slug and its PAT policy. */
export interface EnterpriseBounds {
  /** The enterprise's slug, as in `https://github.com/enterprises/SLUG`. */
  readonly slug: string;
  /** Its PAT policy. */
  readonly patPolicy: EnterprisePatPolicyConfig;
  /**
   * Web root of its GitHub instance; its organizations must be on the same one.
   * @default "https://github.com"
   */
  readonly githubUrl?: string;
}

/** A declaration of an organization that its enterprise does not allow. */
export interface PolicyConflict {
  /** The organization's `patPolicy` key, such as `maxLifetimeDays`. */
  readonly key: keyof PatPolicyConfig;
  /** What the enterprise decided and what the organization may declare instead. */
  readonly message: string;
}

/** The organization's policy keys the enterprise decides, each with the enterprise's value in words. */
export type EnterpriseBindings = Partial<Record<keyof PatPolicyConfig, string>>;

const TAB = { fineGrainedTokens: "fine-grained tokens", classicTokens: "personal access tokens (classic)" } as const;

/**
 * Every declaration of `declared` (an organization's `patPolicy` as written, defaults merged) that
 * its enterprise forbids: access the enterprise decided otherwise, approval it decided otherwise, a
 * lifetime above its maximum. Values of the wrong shape are left to the schema.
 */
export function enterpriseConflicts(declared: unknown, enterprise: EnterpriseBounds): PolicyConflict[] {
  if (declared === null || typeof declared !== "object" || Array.isArray(declared)) return [];
  const d = declared as Record<string, unknown>;
  const e = enterprise.patPolicy;
  const name = `enterprise ${enterprise.slug}`;
  const out: PolicyConflict[] = [];
  for (const key of ["fineGrainedTokens", "classicTokens"] as const) {
    const mine = d[key];
    const theirs = e[key];
    if ((mine === "allow" || mine === "restrict") && theirs !== "organizations-decide" && mine !== theirs) {
      out.push({
        key,
        message: `is ${mine}, but ${name} ${theirs === "restrict" ? "restricts" : "allows"} ${TAB[key]} for all of its organizations and they cannot override it; declare ${theirs} or leave ${key} out`,
      });
    }
  }
  const approval = d.requireApproval;
  if (typeof approval === "boolean" && e.requireApproval !== "organizations-decide" && approval !== e.requireApproval) {
    out.push({
      key: "requireApproval",
      message: `is ${approval}, but ${name} ${e.requireApproval ? "requires approval of" : "disables approval for"} fine-grained tokens in all of its organizations and they cannot override it; declare ${e.requireApproval} or leave requireApproval out`,
    });
  }
  for (const [key, cap] of [
    ["maxLifetimeDays", e.maxLifetimeDays],
    ["classicMaxLifetimeDays", e.classicMaxLifetimeDays],
  ] as const) {
    const days = d[key];
    if (cap !== undefined && typeof days === "number" && days > cap) {
      out.push({
        key,
        message: `is ${days} days, but ${name} caps the lifetime of ${key === "maxLifetimeDays" ? TAB.fineGrainedTokens : TAB.classicTokens} at ${cap} days; declare at most ${cap} or leave ${key} out`,
      });
    }
  }
  // A classic lifetime where the effective policy keeps classic tokens out would be dropped.
  const classic =
    typeof d.classicTokens === "string"
      ? d.classicTokens
      : e.classicTokens === "organizations-decide"
        ? DEFAULT_PAT_POLICY.classicTokens
        : e.classicTokens;
  if (typeof d.classicMaxLifetimeDays === "number" && classic !== "allow")
    out.push({ key: "classicMaxLifetimeDays", message: classicLifetimeUnused(classic) });
  return out;
}

/**
 * The organization's effective policy: what it declared, and for each key it left out, the
 * enterprise's setting where the enterprise decides it, else the default. Throws when `declared`
 * is not a valid policy (callers validate first).
 */
export function effectivePatPolicy(declared: PatPolicyInput | undefined, enterprise?: EnterpriseBounds): PatPolicyConfig {
  const input: Record<string, unknown> = { ...(declared ?? {}) };
  if (enterprise) {
    const e = enterprise.patPolicy;
    const fill = (key: keyof PatPolicyConfig, value: unknown) => {
      if (input[key] === undefined && value !== undefined) input[key] = value;
    };
    if (e.fineGrainedTokens !== "organizations-decide") fill("fineGrainedTokens", e.fineGrainedTokens);
    if (e.requireApproval !== "organizations-decide") fill("requireApproval", e.requireApproval);
    fill("maxLifetimeDays", e.maxLifetimeDays);
    if (e.classicTokens !== "organizations-decide") fill("classicTokens", e.classicTokens);
    // The enterprise's classic cap applies only where classic tokens are let in at all.
    if ((input.classicTokens ?? DEFAULT_PAT_POLICY.classicTokens) === "allow") fill("classicMaxLifetimeDays", e.classicMaxLifetimeDays);
  }
  return patPolicySchema.parse(input);
}

/**
 * Which settings of an effective policy are the enterprise's doing rather than the
 * organization's: the enterprise decided them (organizations cannot choose), or its cap is the
 * limit in force. Members are told these come from the enterprise.
 */
export function enterpriseBindings(policy: PatPolicyConfig, enterprise?: EnterpriseBounds): EnterpriseBindings {
  if (!enterprise) return {};
  const e = enterprise.patPolicy;
  const out: EnterpriseBindings = {};
  if (e.fineGrainedTokens !== "organizations-decide") out.fineGrainedTokens = e.fineGrainedTokens;
  if (e.requireApproval !== "organizations-decide") out.requireApproval = e.requireApproval ? "approval required" : "approval disabled";
  if (e.maxLifetimeDays !== undefined && policy.maxLifetimeDays >= e.maxLifetimeDays) out.maxLifetimeDays = `${e.maxLifetimeDays} days`;
  if (e.classicTokens !== "organizations-decide") out.classicTokens = e.classicTokens;
  if (
    e.classicMaxLifetimeDays !== undefined &&
    policy.classicMaxLifetimeDays !== undefined &&
    policy.classicMaxLifetimeDays >= e.classicMaxLifetimeDays
  ) {
    out.classicMaxLifetimeDays = `${e.classicMaxLifetimeDays} days`;
  }
  return out;
}

/** The enterprise entry that owns `org`, or undefined when it names none. */
export function enterpriseOf(
  config: { readonly enterprises: readonly EnterpriseConfig[] },
  org: Pick<OrganizationConfig, "enterprise">,
): EnterpriseConfig | undefined {
  return org.enterprise === undefined ? undefined : config.enterprises.find((e) => e.slug === org.enterprise);
}
