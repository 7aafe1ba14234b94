/**
 * Regenerates `lib/catalogue/github-app-catalogue.json` from GitHub's published OpenAPI
 * description (`@octokit/openapi`): the App permission names with the levels GitHub accepts
 * for each, and the webhook event names an App can subscribe to. Also regenerates
 * `lib/catalogue/github-token-permissions.json`, the fine-grained token permissions by kind, from
 * the snapshot of GitHub's tables in `scripts/data/`, checked against the same description.
 *
 * Run with `npm run generate:catalogue` after upgrading `@octokit/openapi` or refreshing the
 * snapshot; a test fails when a committed file no longer matches.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { buildCatalogue } from "./build-catalogue";
import { buildTokenCatalogue } from "./build-token-catalogue";

const dir = join(__dirname, "..", "lib", "catalogue");
for (const [file, data] of [
  ["github-app-catalogue.json", buildCatalogue()],
  ["github-token-permissions.json", buildTokenCatalogue()],
] as const) {
  writeFileSync(join(dir, file), JSON.stringify(data, null, 2) + "\n");
  console.log(`wrote ${join(dir, file)}`);
}
