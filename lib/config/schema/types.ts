/**
 * The config types as a reader sees them: each section of `token-policy.yaml` written out field by
 * field, as it is after validation (`...Config`, every default applied) and as a caller writes it
 * (`...Input`), each field with its meaning, allowed values and default. They are object types,
 * not interfaces, so that a config stays assignable to `Record<string, unknown>` as the schemas'
 * own types are. The schemas in this folder stay the one source:
 * `__tests__/config/schema/types.assert.ts` makes the compiler prove that every type here equals
 * its schema's `z.output` or `z.input`, so a field added, removed or changed on one side only fails
 * `npm test`'s type check.
 */
import type { PermissionLevel } from "../../catalogue/permission-level";
import type { EvidenceSource } from "./verify";

// ---------------------------------------------------------------------------------------------
// patPolicy

/** An organization's PAT policy, with defaults applied (Organization settings → Personal access tokens). */
export type PatPolicyConfig = {
  /** Fine-grained tokens may access the organization (`allow`) or not (`restrict`). @default "allow" */
  fineGrainedTokens: "allow" | "restrict";
  /** Fine-grained token requests need an owner's (or the App's) approval. @default true */
  requireApproval: boolean;
  /** The longest lifetime of a fine-grained token, in whole days from 1 to 366. @default 366 */
  maxLifetimeDays: number;
  /** Personal access tokens (classic) may access the organization (`allow`) or not (`restrict`). @default "restrict" */
  classicTokens: "allow" | "restrict";
  /** The longest lifetime of a classic token, in whole days from 1 to 366; only used when `classicTokens` is `allow`. */
  classicMaxLifetimeDays?: number;
};

/** What a caller writes for the PAT policy: every key optional, the schema's defaults apply. */
export type PatPolicyInput = {
  /** `allow` or `restrict`. @default "allow" */
  fineGrainedTokens?: "allow" | "restrict";
  /** Fine-grained token requests need approval. @default true */
  requireApproval?: boolean;
  /** Whole days from 1 to 366. @default 366 */
  maxLifetimeDays?: number;
  /** `allow` or `restrict`. @default "restrict" */
  classicTokens?: "allow" | "restrict";
  /** Whole days from 1 to 366; only with `classicTokens: allow`. */
  classicMaxLifetimeDays?: number;
};

/**
 * An enterprise's PAT policy, with defaults applied (Enterprise settings → Policies → Personal
 * access tokens). Each choice but `organizations-decide` binds every organization of the enterprise.
 */
export type EnterprisePatPolicyConfig = {
  /** `allow`, `restrict`, or `organizations-decide` (each organization sets its own). @default "organizations-decide" */
  fineGrainedTokens: "allow" | "restrict" | "organizations-decide";
  /** Fine-grained token requests need approval (`true`), never (`false`), or each organization decides. @default "organizations-decide" */
  requireApproval: boolean | "organizations-decide";
  /** The longest lifetime of a fine-grained token in the enterprise, whole days from 1 to 366; none when absent. */
  maxLifetimeDays?: number;
  /** `allow`, `restrict`, or `organizations-decide` for personal access tokens (classic). @default "organizations-decide" */
  classicTokens: "allow" | "restrict" | "organizations-decide";
  /** The longest lifetime of a classic token in the enterprise, whole days from 1 to 366; none when absent. */
  classicMaxLifetimeDays?: number;
  /** "Exempt administrators" from the maximum lifetimes. @default false */
  exemptAdministrators: boolean;
};

// ---------------------------------------------------------------------------------------------
// approval

/**
 * Permissions by resource kind, as GitHub reports them on a fine-grained token request, after
 * validation: every name in the catalogue's spelling, every level `read`, `write` or `admin`.
 */
export type RulePermissions = {
  /** Organization permissions, such as `{ members: "read" }`. */
  organization?: Record<string, PermissionLevel>;
  /** Repository permissions, such as `{ contents: "write" }`. */
  repository?: Record<string, PermissionLevel>;
  /** Other permissions (user-owned resources), such as `{ gists: "read" }`. */
  other?: Record<string, PermissionLevel>;
};

/** Permissions by resource kind as written: names in any spelling the catalogue knows, levels as strings. */
export type RulePermissionsInput = {
  /** Organization permissions: name to level. */
  organization?: Record<string, string>;
  /** Repository permissions: name to level. */
  repository?: Record<string, string>;
  /** Other permissions: name to level. */
  other?: Record<string, string>;
};

/** Match block of a rule, validated: every key present must hold (an empty match holds for every request). */
export type RuleMatch = {
  /**
   * Holds when the requester's login matches one of these globs (case-insensitive; `*` any run of
   * characters, `?` one character); at least one when given.
   */
  owners?: string[];
  /** Holds when the request selects a subset of repositories and every one matches one of these globs; at least one when given. */
  repositories?: string[];
  /** Holds when the request's selection (`none`, `subset`, `all`) is listed; at least one when given. */
  repositorySelection?: ("none" | "subset" | "all")[];
  /** Holds when every permission asked for is listed here at an equal or higher level; repository `metadata: read` is implied. */
  permissions?: RulePermissions;
  /** Holds when at least one listed permission is asked for at that level or higher. */
  anyPermission?: RulePermissions;
  /** Holds when the token expires no later than this many whole days (1 to 366) after the request. */
  maxLifetimeDays?: number;
  /**
   * Holds when the requester is a member of one of these teams of the organization (slugs as in
   * the team's URL); read through the API, so `app.permissions.members: read` is required.
   */
  teams?: string[];
};

/** Match block of a rule as written. */
export type RuleMatchInput = {
  /** Globs of the requester's login; at least one when given. */
  owners?: string[];
  /** Globs of repository names; at least one when given. */
  repositories?: string[];
  /** `none`, `subset`, `all`; at least one when given. */
  repositorySelection?: ("none" | "subset" | "all")[];
  /** Permissions by kind, names in any catalogue spelling: every one asked for must be listed. */
  permissions?: RulePermissionsInput;
  /** Permissions by kind, of which the request asks for at least one. */
  anyPermission?: RulePermissionsInput;
  /** Whole days from 1 to 366. */
  maxLifetimeDays?: number;
  /** Team slugs of the organization. */
  teams?: string[];
};

/** One approval rule, validated. */
export type ApprovalRule = {
  /** The rule's name, unique in the organization: letters, digits, spaces, `.`, `_`, `-`; at most 100 characters; never a built-in outcome's name. */
  name: string;
  /** What a matching request gets: `approve` or `deny`. */
  action: "approve" | "deny";
  /** The reason given to the requester, at most 1024 characters; by default one naming the rule. */
  reason?: string;
  /** When the rule holds. @default {} (every request) */
  match: RuleMatch;
};

/** One approval rule as written. */
export type ApprovalRuleInput = {
  /** Unique in the organization; letters, digits, spaces, `.`, `_`, `-`; at most 100 characters. */
  name: string;
  /** `approve` or `deny`. */
  action: "approve" | "deny";
  /** At most 1024 characters. */
  reason?: string;
  /** When the rule holds. @default {} */
  match?: RuleMatchInput;
};

/** The approval section of one organization, with defaults applied. */
export type ApprovalConfig = {
  /** The rules, in order: the first that holds decides. @default [] */
  rules: ApprovalRule[];
  /** What happens when no rule holds: `leave` the request to an owner, or `deny` it. @default "leave" */
  otherwise: "leave" | "deny";
  /** The reason sent with `otherwise: deny`, at most 1024 characters; by default a generic reason. */
  otherwiseReason?: string;
  /** Revoke granted tokens that the rules would no longer approve (dry run unless `--apply`). @default false */
  revokeNonCompliant: boolean;
  /**
   * Revoke granted tokens not used for this many whole days, 1 to 366 (a token never used counts
   * from its grant); `review` and `serve`'s sweep revoke them, dry run unless `--apply`.
   */
  revokeUnusedAfterDays?: number;
};

/** What a caller writes for the approval policy. */
export type ApprovalInput = {
  /** The rules, in order. @default [] */
  rules?: ApprovalRuleInput[];
  /** `leave` or `deny`. @default "leave" */
  otherwise?: "leave" | "deny";
  /** At most 1024 characters. */
  otherwiseReason?: string;
  /** @default false */
  revokeNonCompliant?: boolean;
  /** Whole days from 1 to 366. */
  revokeUnusedAfterDays?: number;
};

// ---------------------------------------------------------------------------------------------
// app

/** Where the App is installed, with defaults applied. */
export type InstallationConfig = {
  /** The installation's numeric id; by default from a Terraform variable. */
  id?: number;
  /** `all` repositories, or a list of at least one repository name (a list is managed by Terraform). @default "all" */
  repositories: "all" | string[];
};

/** Where the App is installed, as written. */
export type InstallationInput = {
  /** The installation's numeric id. */
  id?: number;
  /** `all`, or at least one repository name. @default "all" */
  repositories?: "all" | string[];
};

/** The App section of one organization, with defaults applied. */
export type AppConfig = {
  /** The App's name: at most 34 characters (GitHub's limit). */
  name: string;
  /** The App's homepage, an http(s) URL without user info or white space. */
  homepageUrl: string;
  /** The App's description, at most 1000 characters. */
  description?: string;
  /**
   * App permissions (name to `read`, `write` or `admin`), checked against GitHub's
   * `app-permissions` catalogue; those `verify.evidence` needs are added. @default {}
   */
  permissions: Record<string, string>;
  /** Webhook events, checked against GitHub's catalogue. @default [] */
  events: string[];
  /** Where GitHub delivers webhooks: an `https://` URL; none keeps webhooks inactive. */
  webhookUrl?: string;
  /** The App's numeric id: record it once the App exists; by default from a Terraform variable. */
  id?: number;
  /** The App's client id (starts with `Iv`): record it once the App exists; by default from a Terraform variable. */
  clientId?: string;
  /** The App's URL slug (lower-case letters, digits, `-`): record it once the App exists; by default from a Terraform variable. */
  slug?: string;
  /** Where the App is installed. @default { repositories: "all" } */
  installation: InstallationConfig;
};

/** What a caller writes for the App: `name` and `homepageUrl` are required. */
export type AppInput = {
  /** At most 34 characters. */
  name: string;
  /** An http(s) URL. */
  homepageUrl: string;
  /** At most 1000 characters. */
  description?: string;
  /** Permission name to level. @default {} */
  permissions?: Record<string, string>;
  /** Webhook events. @default [] */
  events?: string[];
  /** An https URL. */
  webhookUrl?: string;
  /** The App's numeric id. */
  id?: number;
  /** The App's client id (starts with `Iv`). */
  clientId?: string;
  /** The App's URL slug. */
  slug?: string;
  /** @default { repositories: "all" } */
  installation?: InstallationInput;
};

// ---------------------------------------------------------------------------------------------
// credentials

/** Which repositories may read a secret or variable, with defaults applied. */
export type VisibilityConfig = {
  /** `selected` repositories (listed in `repositories`), every `private` one, or `all`. @default "selected" */
  visibility: "selected" | "private" | "all";
  /** The repositories, required (at least one) with `selected` and only allowed with it. */
  repositories?: string[];
};

/** Which repositories may read a secret or variable, as written. */
export type VisibilityInput = {
  /** `selected`, `private` or `all`. @default "selected" */
  visibility?: "selected" | "private" | "all";
  /** Repository names; at least one with `selected`. */
  repositories?: string[];
};

/** One deployment environment that gets the App's credentials as environment secrets. */
export type EnvironmentConfig = {
  /** The repository's name. */
  repository: string;
  /** The environment's name, 1 to 255 characters; unique per repository (case ignored). */
  environment: string;
};

/** The credentials section of one organization, with defaults applied. */
export type CredentialsConfig = {
  /** The prefix of every secret and variable name the stack writes: letters, digits, `_`, no leading digit, not `GITHUB_`. @default "TOKEN_BROKER" */
  prefix: string;
  /** How the private key enters: `sealed` (encrypted before Terraform sees it) or `plaintext`. @default "sealed" */
  privateKeyInput: "sealed" | "plaintext";
  /** The Actions secrets and variables: which repositories may read them. */
  actions: VisibilityConfig;
  /** The same for a Dependabot organization secret, added when given. */
  dependabot?: VisibilityConfig;
  /** Deployment environments that get the credentials as environment secrets (the environments must exist). */
  environments?: EnvironmentConfig[];
};

/** What a caller writes for the App's credentials: `actions` is required. */
export type CredentialsInput = {
  /** @default "TOKEN_BROKER" */
  prefix?: string;
  /** `sealed` or `plaintext`. @default "sealed" */
  privateKeyInput?: "sealed" | "plaintext";
  /** The Actions secrets and variables. */
  actions: VisibilityInput;
  /** The Dependabot secrets. */
  dependabot?: VisibilityInput;
  /** Deployment environments. */
  environments?: EnvironmentConfig[];
};

// ---------------------------------------------------------------------------------------------
// backend

/** State in a local file. */
export type LocalBackendConfig = {
  /** The backend's type. */
  type: "local";
  /** The state file's path; absolute or with `..` needs `allowOutsideProject`. By default `terraform.<login>.tfstate` in the project. */
  path?: string;
  /** Let `path` lie outside the project directory. */
  allowOutsideProject?: boolean;
};

/** State in an S3 bucket. */
export type S3BackendConfig = {
  /** The backend's type. */
  type: "s3";
  /** The bucket. */
  bucket: string;
  /** The state object's key. By default `github-token-policy/<login>.tfstate`. */
  key?: string;
  /** The bucket's region. */
  region: string;
  /** Lock the state with an S3 lock file. @default true */
  useLockfile: boolean;
  /** A DynamoDB table to lock the state with (deprecated: prefer `useLockfile`). */
  dynamodbTable?: string;
  /** Encrypt the state object. @default true */
  encrypt: boolean;
  /** A role to assume. */
  roleArn?: string;
};

/** State in a Google Cloud Storage bucket. */
export type GcsBackendConfig = {
  /** The backend's type. */
  type: "gcs";
  /** The bucket. */
  bucket: string;
  /** The prefix of the state objects. By default `github-token-policy/<login>`. */
  prefix?: string;
};

/** State in HCP Terraform (or Terraform Enterprise). */
export type CloudBackendConfig = {
  /** The backend's type. */
  type: "cloud";
  /** The HCP Terraform organization. */
  organization: string;
  /** The workspace. By default `github-token-policy-<login>`. */
  workspace?: string;
  /** The project. */
  project?: string;
  /** The host, for Terraform Enterprise. */
  hostname?: string;
};

/** State in PostgreSQL (the connection string comes from the environment). */
export type PgBackendConfig = {
  /** The backend's type. */
  type: "pg";
  /** The Postgres schema. By default `github_token_policy_<stem>`. */
  schemaName?: string;
};

/** Where a stack keeps its Terraform state: `local`, `s3`, `gcs`, `cloud` or `pg`. @default { type: "local" } */
export type BackendConfig = LocalBackendConfig | S3BackendConfig | GcsBackendConfig | CloudBackendConfig | PgBackendConfig;

// ---------------------------------------------------------------------------------------------
// guide, memberPage, verify, review, suppressions

/** Where the member guide is kept, with defaults applied. */
export type GuideConfig = {
  /** The repository of the organization that holds the guide. */
  repository: string;
  /** The guide's path in the repository: relative, never a workflow or CODEOWNERS, under `.github/` only with `allowGitHubPaths`. @default "profile/TOKENS.md" */
  path: string;
  /** The branch; by default the repository's default branch. */
  branch?: string;
  /** Let `path` name a file under `.github/` other than workflows and CODEOWNERS. @default false */
  allowGitHubPaths?: boolean;
};

/** What a caller writes for the member guide. */
export type GuideInput = {
  /** The repository of the organization that holds the guide. */
  repository: string;
  /** A relative path. @default "profile/TOKENS.md" */
  path?: string;
  /** The branch. */
  branch?: string;
  /** @default false */
  allowGitHubPaths?: boolean;
};

/** The member page of one organization, served by `serve`, with defaults applied. */
export type MemberPageConfig = {
  /** Serve the page. @default true */
  enabled: boolean;
  /** Where members' browsers reach `serve`, e.g. `https://tokens.example.com` (http only for localhost); required when enabled. */
  url?: string;
};

/** What a caller writes for the member page. */
export type MemberPageInput = {
  /** Serve the page. @default true */
  enabled?: boolean;
  /** The server's root URL; required when enabled. */
  url?: string;
};

/** The verify section of one organization, with defaults applied. */
export type VerifyConfig = {
  /** Where `verify` looks for evidence of the PAT policy (`grants`, `auditLog`, `credentialAuthorizations`), each once. @default ["grants"] */
  evidence: EvidenceSource[];
};

/** What a caller writes for `verify`: the evidence sources. */
export type VerifyInput = {
  /** @default ["grants"] */
  evidence?: EvidenceSource[];
};

/** The brake on revocations of one run, with defaults applied. */
export type MassRevocationConfig = {
  /** Revocations one run may always make, however few tokens are granted: a whole number, 0 or more. @default 10 */
  minTokens: number;
  /** The share of the granted tokens one run may revoke: more than 0, at most 1 (all of them). @default 0.1 */
  share: number;
};

/** The review section of one organization: the brake on mass revocation. */
export type ReviewConfig = {
  /** The brake on revocations of one run. @default { minTokens: 10, share: 0.1 } */
  massRevocation: MassRevocationConfig;
};

/** What a caller writes for `review`: the brake on mass revocation. */
export type ReviewInput = {
  /** @default { minTokens: 10, share: 0.1 } */
  massRevocation?: {
    /** @default 10 */
    minTokens?: number;
    /** @default 0.1 */
    share?: number;
  };
};

/** One suppression of a policy check, with its reason. */
export type SuppressionInput = {
  /** The check's id. */
  id: string;
  /** Why the check does not apply here, at least 10 characters. */
  reason: string;
};

// ---------------------------------------------------------------------------------------------
// organizations, enterprises, the file

/** A validated organization entry (with `defaults` merged under it) with every default applied. */
export type OrganizationConfig = {
  /** The organization's login: letters, digits and single hyphens, at most 39 characters; unique (case-insensitive). */
  login: string;
  /**
   * The web root of its GitHub instance (GitHub.com, a GHES or GHE.com): `https://` and an ASCII
   * host (and port) only; a private or loopback host needs `allowPrivateHost`. @default "https://github.com"
   */
  githubUrl: string;
  /** Its PAT policy. */
  patPolicy: PatPolicyConfig;
  /** Its approval rules. @default no rules, every request left to an owner */
  approval: ApprovalConfig;
  /** The GitHub App that reviews token requests. */
  app: AppConfig;
  /** Where the stack delivers the App's credentials. */
  credentials: CredentialsConfig;
  /** Where its stack keeps state. @default { type: "local" } */
  backend: BackendConfig;
  /** Policy checks suppressed, each with its reason (see Policy checks in the README). @default [] */
  suppressions: SuppressionInput[];
  /** Keep the member guide in a repository of the organization (`cdktf deploy` updates it). */
  guide?: GuideConfig;
  /** Show members their own `member` answer on a page served by `serve` (`{url}/member/{login}`); the guide links to it. */
  memberPage?: MemberPageConfig;
  /** What `verify` reads as evidence of the PAT policy; the App asks for the permissions it needs. @default { evidence: ["grants"] } */
  verify: VerifyConfig;
  /** How review runs (`review`, serve's sweep) behave: the brake on mass revocation. */
  review: ReviewConfig;
  /** A GHES on an internal network: `githubUrl` may name a private or loopback address. @default false */
  allowPrivateHost: boolean;
  /** The slug of the enterprise (in `enterprises`) that owns the organization: its PAT policy bounds the organization's. */
  enterprise?: string;
};

/** A validated enterprise entry with every default applied. */
export type EnterpriseConfig = {
  /** The enterprise's slug: lower-case letters, digits and single hyphens, as in `https://github.com/enterprises/SLUG`. */
  slug: string;
  /** The web root of its GitHub instance. @default "https://github.com" */
  githubUrl: string;
  /** Its PAT policy. @default every choice left to its organizations */
  patPolicy: EnterprisePatPolicyConfig;
  /** Where the enterprise's stack keeps state; the loader puts `defaults.backend` here when absent. */
  backend?: BackendConfig;
};

/** The validated file. */
export type TokenPolicyConfig = {
  /** The JSON Schema the file names, for editors. */
  $schema?: string;
  /** Keys merged under every organization (any key of an organization but `login`). */
  defaults?: Record<string, unknown>;
  /** The organizations, at least one. */
  organizations: OrganizationConfig[];
  /** Enterprises that own organizations listed here, each with its PAT policy. @default [] */
  enterprises: EnterpriseConfig[];
};
