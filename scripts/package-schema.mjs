/**
 * Part of `npm run build`: writes `dist/token-policy.schema.json`, the JSON Schema the package
 * ships (as `github-token-policy/token-policy.schema.json`), minified: a quarter of the size of the
 * readable `token-policy.schema.json` kept in the repository for editors and reviews. The content
 * is the same document; a test (__tests__/package/package-contents.test.ts) checks it.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const schema = JSON.parse(readFileSync(join(root, "token-policy.schema.json"), "utf8"));
mkdirSync(join(root, "dist"), { recursive: true });
writeFileSync(join(root, "dist", "token-policy.schema.json"), JSON.stringify(schema));
