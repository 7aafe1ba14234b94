/**
 * What an App permission lets the App do, at the level it asks for, in words we reviewed against
 * GitHub's documentation of the endpoints each permission opens ("Permissions required for GitHub
 * Apps" and each endpoint's reference page). create-app's page shows these to the owner who
 * clicks; for any other permission it falls back to the text in GitHub's OpenAPI description.
 *
 * Why not GitHub's text throughout: its `app-permissions` schema swaps the descriptions of
 * `organization_personal_access_token_requests` and `organization_personal_access_tokens`, and
 * describes every level of `organization_secrets` as "Manage organization secrets", which is
 * wrong for `read` (it reads names and the public key, never a value).
 *
 * Covered: every permission the example `token-policy.yaml` and the policy rule pack name.
 */
import { APP_PERMISSION_DESCRIPTIONS } from "./index";
import type { PermissionLevel } from "./permission-level";

/** Our wording, per permission and level. */
export const REVIEWED_PERMISSION_WORDING: Readonly<Record<string, Readonly<Partial<Record<PermissionLevel, string>>>>> = {
  organization_personal_access_token_requests: {
    read: "See members' pending requests for fine-grained personal access tokens to this organization: who asks, for which repositories and permissions, and why.",
    write: "See members' pending requests for fine-grained personal access tokens to this organization, and approve or deny them.",
  },
  organization_personal_access_tokens: {
    read: "List the fine-grained personal access tokens already approved for this organization, with their permissions, repositories, expiry and last use.",
    write: "List the fine-grained personal access tokens already approved for this organization, and revoke their access to it.",
  },
  organization_secrets: {
    read: "Read the names of the organization's Actions secrets, which repositories may use them, and the public key that secrets are sealed with. Never a secret's value.",
    write:
      "Create, replace and delete the organization's Actions secrets and choose which repositories may use them. Values can be written, never read back.",
  },
  dependabot_secrets: {
    read: "Read the names of Dependabot secrets and the public key that they are sealed with. Never a secret's value.",
    write: "Create, replace and delete Dependabot secrets. Values can be written, never read back.",
  },
  secrets: {
    read: "Read the names of repositories' Actions secrets and the public key that they are sealed with. Never a secret's value.",
    write: "Create, replace and delete repositories' Actions secrets. Values can be written, never read back.",
  },
  contents: {
    read: "Read repositories' files, commits, branches, tags and releases.",
    write: "Push commits, create and delete branches and tags, publish releases and merge pull requests.",
  },
  metadata: {
    read: "Search repositories and read their basic information (names, visibility, collaborators). GitHub grants this to every App.",
  },
  administration: {
    read: "Read repositories' settings, branch protection, collaborators and team access.",
    write: "Create and delete repositories and change their settings, branch protection, collaborators and team access.",
  },
  organization_administration: {
    read: "Read the organization's settings.",
    write: "Change the organization's settings, including its policies and who has access.",
  },
};

/** What a permission at a level grants, and whose words those are. */
export interface PermissionDescription {
  /** The text to show. Empty when neither we nor GitHub describe the permission. */
  readonly text: string;
  /** `reviewed`: our wording; `github`: GitHub's OpenAPI text, unreviewed. */
  readonly source: "reviewed" | "github";
}

/**
 * What `permission` at `level` grants: our reviewed wording where we have it (for that level or,
 * for `admin`, the `write` text), else GitHub's own description.
 */
export function describePermission(permission: string, level: string): PermissionDescription {
  const ours = REVIEWED_PERMISSION_WORDING[permission];
  const text = ours?.[level as PermissionLevel] ?? (level === "admin" ? ours?.write : undefined);
  if (text) return { text, source: "reviewed" };
  return { text: APP_PERMISSION_DESCRIPTIONS[permission] ?? "", source: "github" };
}
