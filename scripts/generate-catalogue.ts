/**
 * Regenerates `lib/catalogue/github-app-catalogue.json` from GitHub's published OpenAPI
 * description (`@octokit/openapi`): the App permission names with the levels GitHub accepts
 * for each, and the webhook event names an App can subscribe to.
 *
 * Run with `npm run generate:catalogue` after upgrading `@octokit/openapi`; a test fails when
 * the committed file no longer matches the installed description.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { buildCatalogue } from "./build-catalogue";

const out = join(__dirname, "..", "lib", "catalogue", "github-app-catalogue.json");
writeFileSync(out, JSON.stringify(buildCatalogue(), null, 2) + "\n");
console.log(`wrote ${out}`);
