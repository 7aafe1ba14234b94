/**
 * Writes `token-policy.schema.json`, the JSON Schema editors use to complete and check
 * `token-policy.yaml`, from the zod schema that validates it. A test fails when the committed
 * file differs from what this would write.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { configJsonSchema } from "../lib/config/json-schema";

const out = join(__dirname, "..", "token-policy.schema.json");
writeFileSync(out, JSON.stringify(configJsonSchema(), null, 2) + "\n");
console.log(`wrote ${out}`);
