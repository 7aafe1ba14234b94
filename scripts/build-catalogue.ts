import { readFileSync } from "node:fs";

/** The App permission and webhook event catalogue, as taken from GitHub's OpenAPI description. */
export interface AppCatalogue {
  /** Where the catalogue was read from (package and description file). */
  readonly source: string;
  /** Permission name → levels GitHub accepts for it, lowest first. */
  readonly permissions: Readonly<Record<string, readonly string[]>>;
  /** Webhook event names an App can subscribe to, sorted. */
  readonly events: readonly string[];
  /** Permission name → what it grants, in GitHub's words (shown on create-app's page). */
  readonly descriptions: Readonly<Record<string, string>>;
}

interface OpenApiDescription {
  components: { schemas: Record<string, { properties?: Record<string, { enum?: string[]; description?: string }> }> };
  "x-webhooks"?: Record<string, { post?: { "x-github"?: { subcategory?: string } } }>;
}

const LEVEL_ORDER = ["read", "write", "admin"];

/**
 * Builds the catalogue from `@octokit/openapi`'s api.github.com description.
 *
 * Only used by the generator script and the test that keeps the committed catalogue in step;
 * the description is 13 MB, so nothing on the synth or CLI path loads it.
 */
export function buildCatalogue(): AppCatalogue {
  const file = require.resolve("@octokit/openapi/generated/api.github.com.json");
  const spec = JSON.parse(readFileSync(file, "utf8")) as OpenApiDescription;
  const props = spec.components.schemas["app-permissions"]?.properties;
  if (!props) throw new Error(`${file}: components.schemas.app-permissions has no properties`);
  const permissions: Record<string, string[]> = {};
  const descriptions: Record<string, string> = {};
  for (const name of Object.keys(props).sort()) {
    const levels = props[name].enum ?? [];
    permissions[name] = [...levels].sort((a, b) => LEVEL_ORDER.indexOf(a) - LEVEL_ORDER.indexOf(b));
    // "The level of permission to grant the access token for X." → "X."
    const d = props[name].description;
    if (d)
      descriptions[name] = d
        .replace(/^The level of permission to grant the access token (to|for) /, "")
        .replace(/^./, (c) => c.toUpperCase());
  }
  const events = new Set<string>();
  for (const hook of Object.values(spec["x-webhooks"] ?? {})) {
    const sub = hook.post?.["x-github"]?.subcategory;
    // The description files a few events under hyphenated subcategories; the event names
    // GitHub sends and accepts in a manifest use underscores.
    if (sub) events.add(sub.replace(/-/g, "_"));
  }
  const pkg = JSON.parse(readFileSync(require.resolve("@octokit/openapi/package.json"), "utf8")) as { version: string };
  return {
    source: `@octokit/openapi@${pkg.version} generated/api.github.com.json`,
    permissions,
    events: [...events].sort(),
    descriptions,
  };
}
