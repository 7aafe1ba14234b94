/**
 * The PAT policies: an organization's (`patPolicy`) and an enterprise's (`enterprises[].patPolicy`),
 * with their defaults, written once here for the schema, the JSON Schema and the docs.
 */
import { z } from "zod";
import { MAX_TOKEN_LIFETIME_DAYS } from "../../model/limits";
import { days, obj, oneOf } from "./primitives";

/** Why `classicMaxLifetimeDays` does nothing when classic tokens are `classicTokens` (not allow). */
export function classicLifetimeUnused(classicTokens: string): string {
  return `is only used when classicTokens is allow, and classicTokens is ${classicTokens} (the default is ${DEFAULT_PAT_POLICY.classicTokens}): remove classicMaxLifetimeDays, or allow classic tokens`;
}

/** An organization's PAT policy as the schema reads it (the effective-policy module fills it). */
export const patPolicySchema = obj({
  fineGrainedTokens: oneOf(["allow", "restrict"]).default("allow"),
  requireApproval: z.boolean({ error: "must be true or false" }).default(true),
  maxLifetimeDays: days("maxLifetimeDays").default(MAX_TOKEN_LIFETIME_DAYS),
  classicTokens: oneOf(["allow", "restrict"]).default("restrict"),
  classicMaxLifetimeDays: days("classicMaxLifetimeDays").optional(),
});

/**
 * An organization's PAT policy when it declares none: fine-grained tokens allowed with approval
 * for at most 366 days, classic tokens restricted.
 */
export const DEFAULT_PAT_POLICY = patPolicySchema.parse({});

const enterpriseAccess = oneOf(["allow", "restrict", "organizations-decide"]);

/**
 * An enterprise's PAT policy (Enterprise settings → Policies → Personal access tokens). Each
 * choice but `organizations-decide` binds every organization of the enterprise.
 */
export const enterprisePatPolicySchema = obj({
  fineGrainedTokens: enterpriseAccess.default("organizations-decide"),
  requireApproval: z
    .union([z.boolean(), z.literal("organizations-decide")], { error: "must be true, false or organizations-decide" })
    .default("organizations-decide"),
  maxLifetimeDays: days("maxLifetimeDays").optional(),
  classicTokens: enterpriseAccess.default("organizations-decide"),
  classicMaxLifetimeDays: days("classicMaxLifetimeDays").optional(),
  exemptAdministrators: z.boolean({ error: "must be true or false" }).default(false),
});

/** An enterprise's PAT policy when it declares none: every choice left to its organizations. */
export const DEFAULT_ENTERPRISE_PAT_POLICY = enterprisePatPolicySchema.parse({});
