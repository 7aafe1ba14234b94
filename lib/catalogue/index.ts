/**
 * GitHub's App permission and webhook event catalogue, generated from GitHub's OpenAPI
 * description (`npm run generate:catalogue`): the names and levels a manifest may ask for, and
 * what each grants. Pure data; the config loader, the manifest and create-app's page read it.
 */
import catalogue from "./github-app-catalogue.json";

/** A permission level, lowest first: read < write < admin. */
export type PermissionLevel = "read" | "write" | "admin";

/** The levels in the order GitHub ranks them. */
export const PERMISSION_LEVELS: readonly PermissionLevel[] = ["read", "write", "admin"];

/**
 * GitHub App permission name → the levels GitHub accepts for it, generated from GitHub's
 * `app-permissions` schema (see `scripts/generate-catalogue.ts`).
 */
export const APP_PERMISSIONS: Readonly<Record<string, readonly PermissionLevel[]>> =
  catalogue.permissions as Record<string, PermissionLevel[]>;

/** What each App permission grants, in GitHub's words, from the same schema. */
export const APP_PERMISSION_DESCRIPTIONS: Readonly<Record<string, string>> = catalogue.descriptions;

/** Webhook event names a GitHub App can subscribe to, generated from GitHub's description. */
export const APP_EVENTS: ReadonlySet<string> = new Set(catalogue.events);

/** Where the catalogue came from, for messages. */
export const CATALOGUE_SOURCE: string = catalogue.source;

/** Rank of a level (read 1, write 2, admin 3); 0 for anything else, such as `none`. */
export function levelRank(level: string | undefined): number {
  return PERMISSION_LEVELS.indexOf(level as PermissionLevel) + 1;
}

/** True when `granted` is at least `required` (read < write < admin). */
export function levelAtLeast(granted: string | undefined, required: string): boolean {
  const g = levelRank(granted);
  return g > 0 && g >= levelRank(required);
}

export * from "./token-permissions";
