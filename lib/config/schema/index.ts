/**
 * The schema of `token-policy.yaml`: the one source for validation, TypeScript types and the
 * published JSON Schema (`token-policy.schema.json`). One file per section (`app`, `approval`,
 * `pat-policy`, `credentials`, `backend`, `guide`, `member-page`, `verify`, `review`, `enterprise`, `organization`); this
 * file holds the whole file's schema and the types, and re-exports what the rest of the code uses.
 */
import { z } from "zod";
import type { appSchema } from "./app";
import type { approvalSchema } from "./approval";
import type { credentialsSchema } from "./credentials";
import { enterpriseSchema } from "./enterprise";
import type { guideSchema } from "./guide";
import type { memberPageSchema } from "./member-page";
import { organizationSchema, type suppressionSchema } from "./organization";
import type { patPolicySchema } from "./pat-policy";
import type { reviewSchema } from "./review";
import { obj } from "./primitives";
import type { verifySchema } from "./verify";

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

/** A validated organization entry with every default applied. */
export type OrganizationConfig = z.output<typeof organizationSchema>;
/** The validated file. */
export type TokenPolicyConfig = z.output<typeof configSchema>;
/** PAT policy of one organization. */
export type PatPolicyConfig = OrganizationConfig["patPolicy"];
/** Approval section of one organization. */
export type ApprovalConfig = OrganizationConfig["approval"];
/** One approval rule. */
export type ApprovalRule = ApprovalConfig["rules"][number];
/** Match block of a rule. */
export type RuleMatch = ApprovalRule["match"];
/** App section of one organization. */
export type AppConfig = OrganizationConfig["app"];
/** Credentials section of one organization. */
export type CredentialsConfig = OrganizationConfig["credentials"];
/** Secret visibility block. */
export type VisibilityConfig = CredentialsConfig["actions"];
/** Verify section of one organization. */
export type VerifyConfig = OrganizationConfig["verify"];
/** Review section of one organization: the brake on mass revocation. */
export type ReviewConfig = OrganizationConfig["review"];
/** Member page section of one organization, when it has one. */
export type MemberPageConfig = NonNullable<OrganizationConfig["memberPage"]>;
/** What a caller writes for the member page. */
export type MemberPageInput = z.input<typeof memberPageSchema>;
/** Backend section of one organization. */
export type BackendConfig = OrganizationConfig["backend"];
/** A validated enterprise entry with every default applied. */
export type EnterpriseConfig = z.output<typeof enterpriseSchema>;

/** The keys an organization entry (and so `defaults`) may have. */
export const ORGANIZATION_KEYS: readonly string[] = Object.keys(organizationSchema.shape);

/** What a caller writes for the PAT policy: every key optional, the schema's defaults apply. */
export type PatPolicyInput = z.input<typeof patPolicySchema>;
/** What a caller writes for the approval policy. */
export type ApprovalInput = z.input<typeof approvalSchema>;
/** What a caller writes for the App: `name` and `homepageUrl` are required. */
export type AppInput = z.input<typeof appSchema>;
/** What a caller writes for the App's credentials: `actions` is required. */
export type CredentialsInput = z.input<typeof credentialsSchema>;
/** What a caller writes for the member guide. */
export type GuideInput = z.input<typeof guideSchema>;
/** What a caller writes for `review`: the brake on mass revocation. */
export type ReviewInput = z.input<typeof reviewSchema>;
/** What a caller writes for `verify`: the evidence sources. */
export type VerifyInput = z.input<typeof verifySchema>;
/** One suppression of a policy check, with its reason. */
export type SuppressionInput = z.input<typeof suppressionSchema>;
