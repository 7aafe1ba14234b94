/**
 * GitHub's App permission and webhook event catalogue, generated from GitHub's OpenAPI
 * description (`npm run generate:catalogue`): the names and levels a manifest may ask for, and
 * what each grants. Pure data; the config loader, the manifest and create-app's page read it.
 */
import catalogue from "./github-app-catalogue.json";
import type { PermissionLevel } from "./permission-level";

/**
 * GitHub App permission name → the levels GitHub accepts for it, generated from GitHub's
 * `app-permissions` schema (see `scripts/generate-catalogue.ts`).
 */
export const APP_PERMISSIONS: Readonly<Record<string, readonly PermissionLevel[]>> = catalogue.permissions as Record<
  string,
  PermissionLevel[]
>;

/** What each App permission grants, in GitHub's words, from the same schema. */
export const APP_PERMISSION_DESCRIPTIONS: Readonly<Record<string, string>> = catalogue.descriptions;

/** Webhook event names a GitHub App can subscribe to, generated from GitHub's description. */
export const APP_EVENTS: ReadonlySet<string> = new Set(catalogue.events);

/** Where the catalogue came from, for messages. */
export const CATALOGUE_SOURCE: string = catalogue.source;

export * from "./permission-level";
export * from "./token-permissions";
