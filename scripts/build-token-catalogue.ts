import { readFileSync } from "node:fs";
import { join } from "node:path";

/** The kinds GitHub reports a fine-grained token's permissions under, and their tables' headings. */
const KIND_HEADINGS = {
  other: "Account permissions",
  repository: "Repository permissions",
  organization: "Organization permissions",
} as const;

/** A permission kind as GitHub reports it on a token request or grant. */
export type TokenPermissionKind = keyof typeof KIND_HEADINGS;

/** The fine-grained token permission catalogue, as written to `lib/catalogue/github-token-permissions.json`. */
export interface TokenCatalogue {
  /** Where the names and levels were read, and what they were checked against. */
  readonly source: string;
  /** Kind → permission name → the levels GitHub accepts for it, lowest first. */
  readonly permissions: Readonly<Record<TokenPermissionKind, Readonly<Record<string, readonly string[]>>>>;
  /** Kind → permission name → GitHub's display name (shown in the README and messages). */
  readonly titles: Readonly<Record<TokenPermissionKind, Readonly<Record<string, string>>>>;
  /** Kind → another spelling of a permission → its name in the catalogue. */
  readonly aliases: Readonly<Record<TokenPermissionKind, Readonly<Record<string, string>>>>;
}

/** The snapshot of GitHub's published tables that the catalogue is generated from. */
export const TOKEN_TABLES_FILE = join(__dirname, "data", "fine-grained-token-permissions.md");

/**
 * Spellings of account permissions in GitHub's `app-permissions` schema that differ from the
 * fine-grained token tables (same display name, same meaning). Organization permissions need no
 * list: see {@link buildTokenCatalogue}.
 */
const ACCOUNT_APP_SPELLINGS: Readonly<Record<string, string>> = { email_addresses: "emails", git_ssh_keys: "keys" };

const LEVEL_ORDER = ["read", "write", "admin"];

/**
 * Builds the fine-grained token permission catalogue from the snapshot of GitHub's tables
 * (`scripts/data/fine-grained-token-permissions.md`) and checks it against GitHub's OpenAPI
 * description: a name that is also an App permission must have the same levels there (except
 * `metadata`, which tokens only read), and every alias must name a catalogue entry.
 * Throws, naming every mismatch, when the two disagree.
 *
 * Organization permissions are named without the `organization_` prefix of the tables (the
 * token form's parameters and the App schema use it): `administration`, as a request reports
 * them under `organization`. The prefixed spelling is kept as an alias, so both match.
 */
export function buildTokenCatalogue(): TokenCatalogue {
  const text = readFileSync(TOKEN_TABLES_FILE, "utf8");
  const spec = JSON.parse(readFileSync(require.resolve("@octokit/openapi/generated/api.github.com.json"), "utf8")) as {
    components: { schemas: Record<string, { properties?: Record<string, { enum?: string[] }> }> };
  };
  const app = spec.components.schemas["app-permissions"]?.properties ?? {};
  const permissions = { other: {}, repository: {}, organization: {} } as Record<TokenPermissionKind, Record<string, string[]>>;
  const titles = { other: {}, repository: {}, organization: {} } as Record<TokenPermissionKind, Record<string, string>>;
  const problems: string[] = [];
  for (const [kind, heading] of Object.entries(KIND_HEADINGS) as [TokenPermissionKind, string][]) {
    const section = text.split(`## ${heading}\n`)[1]?.split(/\n## /)[0];
    if (!section) {
      problems.push(`no "## ${heading}" table`);
      continue;
    }
    for (const m of section.matchAll(/^\| `([a-z][a-z0-9_]*)` \| ([^|]+?) \| ([^|]+?) \|$/gm)) {
      const [, name, title, levelText] = m;
      const levels = [...levelText.matchAll(/`([a-z]+)`/g)]
        .map((l) => l[1])
        .sort((a, b) => LEVEL_ORDER.indexOf(a) - LEVEL_ORDER.indexOf(b));
      if (levels.length === 0 || levels.some((l) => !LEVEL_ORDER.includes(l))) problems.push(`${kind} ${name}: levels ${levelText}`);
      const inApp = app[name]?.enum;
      if (inApp && name !== "metadata" && [...inApp].sort().join() !== [...levels].sort().join())
        problems.push(`${kind} ${name}: ${levels.join(", ")} here, ${inApp.join(", ")} in app-permissions`);
      const key = kind === "organization" ? name.replace(/^organization_/, "") : name;
      if (Object.hasOwn(permissions[kind], key)) problems.push(`${kind} ${name}: ${key} is listed twice`);
      permissions[kind][key] = levels;
      titles[kind][key] = title;
    }
    if (Object.keys(permissions[kind]).length === 0) problems.push(`the "${heading}" table has no rows`);
  }
  const aliases = { other: {}, repository: {}, organization: {} } as Record<TokenPermissionKind, Record<string, string>>;
  for (const name of Object.keys(permissions.organization)) {
    // Only prefixed spellings that GitHub itself uses: the tables' names.
    if (text.includes(`| \`organization_${name}\` |`)) aliases.organization[`organization_${name}`] = name;
  }
  for (const [spelling, name] of Object.entries(ACCOUNT_APP_SPELLINGS)) {
    if (!Object.hasOwn(permissions.other, name)) problems.push(`alias ${spelling} names ${name}, which is no account permission`);
    else if (!app[spelling]) problems.push(`alias ${spelling} is not in app-permissions`);
    else aliases.other[spelling] = name;
  }
  if (problems.length) throw new Error(`${TOKEN_TABLES_FILE}: ${problems.join("; ")}`);
  const pkg = JSON.parse(readFileSync(require.resolve("@octokit/openapi/package.json"), "utf8")) as { version: string };
  return {
    source: `GitHub Docs "Managing your personal access tokens", Permissions tables (scripts/data/fine-grained-token-permissions.md), checked against @octokit/openapi@${pkg.version} app-permissions`,
    permissions,
    titles,
    aliases,
  };
}
