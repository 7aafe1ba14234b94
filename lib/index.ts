/**
 * The public API of `github-token-policy`: every name a consumer imports, exported by name. What
 * is not listed here is internal and may change in any release; the committed API report
 * (`api/github-token-policy.api.md`, `npm run api:check`) shows every change to this surface.
 *
 * Groups: the stacks and constructs with their props, the policy checks (an Aspect), loading a
 * config file and its types, the approval decision logic, the names a workflow needs, and the
 * errors a caller catches.
 */

// Stacks: one per organization, one per enterprise.
export { OrganizationStack, type OrganizationStackProps } from "./constructs/organization-stack";
export { EnterpriseStack, type EnterpriseStackProps } from "./constructs/enterprise-stack";

// Constructs and their props.
export { OrgTokenPolicy, type OrgTokenPolicyProps } from "./constructs/org-token-policy";
export { PatPolicy, type PatPolicyProps } from "./constructs/pat-policy";
export type { PatPolicyDocument, PatPolicySettings } from "./model/pat-policy";
export { EnterprisePatPolicy, type EnterprisePatPolicyProps } from "./constructs/enterprise-pat-policy";
export type { EnterprisePatPolicyDocument } from "./model/enterprise-pat-policy";
export { GitHubApp, type GitHubAppProps } from "./constructs/github-app";
export { AppCredentials, type AppCredentialsProps, type EnvironmentTarget, type SecretVisibility } from "./constructs/app-credentials";
export { MemberGuide, type MemberGuideProps } from "./constructs/member-guide";

// Resources the constructs expose as attributes (for `dependsOn`, or to read what was recorded);
// exported as types: they are created by the constructs above, not by a consumer.
export type { DeclaredValue } from "./constructs/declared-value";
export type {
  ActionsOrganizationSecretValue,
  ActionsOrganizationSecretValueConfig,
} from "./constructs/bindings/actions-organization-secret-value";
export type {
  DependabotOrganizationSecretValue,
  DependabotOrganizationSecretValueConfig,
} from "./constructs/bindings/dependabot-organization-secret-value";
export type { SecretValueArguments } from "./constructs/bindings/secret-value-arguments";
export type { AppManifest, AppManifestInput } from "./model/app-manifest";

// The policy checks, applied as an Aspect.
export { PolicyChecksAspect, type LocatedFinding, type PolicyChecksAspectOptions } from "./constructs/policy-checks-aspect";
export { POLICY_CHECKS, checkOrganization, type PolicyFinding, type PolicyCheck, type CheckOutcome } from "./policy-checks/check-pack";

// Loading a config file, and its types (`...Input` as written, `...Config` with defaults applied).
export { loadConfig, parseConfig, type LoadedConfig, type ParsedConfig, type ValidOrganization } from "./config/load";
export type {
  TokenPolicyConfig,
  OrganizationConfig,
  EnterpriseConfig,
  PatPolicyConfig,
  PatPolicyInput,
  ApprovalConfig,
  ApprovalInput,
  ApprovalRule,
  ApprovalRuleInput,
  RuleMatch,
  RuleMatchInput,
  RulePermissions,
  RulePermissionsInput,
  AppConfig,
  AppInput,
  InstallationConfig,
  InstallationInput,
  CredentialsConfig,
  CredentialsInput,
  VisibilityConfig,
  VisibilityInput,
  EnvironmentConfig,
  GuideConfig,
  GuideInput,
  MemberPageConfig,
  MemberPageInput,
  VerifyConfig,
  VerifyInput,
  EvidenceSource,
  PermissionLevel,
  ReviewConfig,
  ReviewInput,
  MassRevocationConfig,
  SuppressionInput,
  BackendConfig,
  LocalBackendConfig,
  S3BackendConfig,
  GcsBackendConfig,
  CloudBackendConfig,
  PgBackendConfig,
} from "./config/schema";
export { EVIDENCE_SOURCES } from "./config/schema";
export { effectivePatPolicy, type EnterpriseBounds, type EnterprisePatPolicyConfig } from "./config/effective-policy";

// The approval decision logic: what `review` and `serve` decide for a request or a grant.
export {
  evaluate,
  evaluateGrant,
  type ApprovalPolicy,
  type Decision,
  type Evaluation,
  type RequestedPermissions,
  type Revocation,
  type ReviewAction,
  type TeamMembership,
  type TokenAccess,
} from "./approval/evaluate";
export { BUILTIN_OUTCOMES, decidedByText, isBuiltinOutcomeName, type BuiltinOutcome, type DecidedBy } from "./approval/outcomes";

// Names a deploy workflow needs: Terraform variables, the Actions secrets and variables, stacks.
export { variableNames, secretNames, deployEnvironment, enterpriseStackName, type VariableNames, type SecretNames } from "./naming";

// Errors a caller catches.
export { ConfigError, type Problem } from "./config/errors";

// The package's own version.
export { VERSION } from "./version";
