/**
 * The schema of `token-policy.yaml`: the one source for validation, TypeScript types and the
 * published JSON Schema (`token-policy.schema.json`). One file per section (`app`, `approval`,
 * `pat-policy`, `credentials`, `backend`, `guide`, `member-page`, `verify`, `review`, `enterprise`, `organization`); this
 * file holds the whole file's schema, and re-exports what the rest of the code uses. The types are
 * interfaces written out field by field (`./types`), which the compiler proves equal to the
 * schemas' (`__tests__/config/schema/types.assert.ts`).
 */
import { z } from "zod";
import { enterpriseSchema } from "./enterprise";
import { organizationSchema } from "./organization";
import { obj } from "./primitives";

export { privateHostProblem } from "../../hosts";
export { DEFAULT_INSTALLATION } from "./app";
export { builtinOutcomeNameProblem, DEFAULT_APPROVAL } from "./approval";
export { DEFAULT_BACKEND } from "./backend";
export { DEFAULT_CREDENTIALS_PREFIX } from "./credentials";
export { ENTERPRISE_SLUG_PATTERN, enterpriseSchema } from "./enterprise";
export { DEFAULT_GUIDE_PATH, guidePathProblem } from "./guide";
export { memberPageUrlProblem } from "./member-page";
export { organizationSchema } from "./organization";
export {
  classicLifetimeUnused,
  DEFAULT_ENTERPRISE_PAT_POLICY,
  DEFAULT_PAT_POLICY,
  enterprisePatPolicySchema,
  patPolicySchema,
} from "./pat-policy";
export { DEFAULT_GITHUB_URL, isRecord, LOGIN_PATTERN, REPOSITORY_PATTERN } from "./primitives";
export { DEFAULT_MASS_REVOCATION, DEFAULT_REVIEW } from "./review";
export type * from "./types";
export type { PermissionLevel } from "../../catalogue/permission-level";
export { DEFAULT_VERIFY, EVIDENCE_PERMISSIONS, EVIDENCE_SOURCES, withEvidencePermissions, type EvidenceSource } from "./verify";

/**
 * The whole file. `defaults` is checked for key names by the loader and its values once merged
 * under each organization; duplicate logins are also checked by the loader, so that they are
 * reported together with every other problem.
 */
export const configSchema = obj({
  $schema: z.string().optional(),
  defaults: z.record(z.string(), z.unknown()).optional(),
  organizations: z.array(organizationSchema).min(1, { error: "must list at least one organization" }),
  /** Enterprises that own organizations listed here, each with its PAT policy. */
  enterprises: z.array(enterpriseSchema).default([]),
});

/** The keys an organization entry (and so `defaults`) may have. */
export const ORGANIZATION_KEYS: readonly string[] = Object.keys(organizationSchema.shape);
