#!/usr/bin/env node
/**
 * Cuts `terraform providers schema -json` of the github provider down to what the schema check
 * (test-support/provider-schema.ts) reads: every resource, data source and the provider block,
 * with each attribute's type, required/optional/computed, sensitive and deprecated flags, and each
 * nested block's nesting and item counts; descriptions are dropped.
 *
 * Usage: node scripts/strip-provider-schema.mjs FULL.json OUT.json
 */
import { readFileSync, writeFileSync } from "node:fs";

const KEPT = ["type", "required", "optional", "computed", "sensitive", "deprecated"];

function strip(block) {
  const out = {};
  if (block.attributes) {
    out.attributes = Object.fromEntries(
      Object.entries(block.attributes).map(([name, a]) => [name, Object.fromEntries(KEPT.filter((k) => k in a).map((k) => [k, a[k]]))]),
    );
  }
  if (block.block_types) {
    out.block_types = Object.fromEntries(
      Object.entries(block.block_types).map(([name, t]) => [
        name,
        {
          nesting_mode: t.nesting_mode,
          ...("min_items" in t ? { min_items: t.min_items } : {}),
          ...("max_items" in t ? { max_items: t.max_items } : {}),
          block: strip(t.block),
        },
      ]),
    );
  }
  if (block.deprecated) out.deprecated = true;
  return out;
}

const [from, to] = process.argv.slice(2);
if (!from || !to) {
  process.stderr.write("usage: node scripts/strip-provider-schema.mjs FULL.json OUT.json\n");
  process.exit(2);
}
const full = JSON.parse(readFileSync(from, "utf8"));
const github = full.provider_schemas["registry.terraform.io/integrations/github"];
const sorted = (o) =>
  Object.fromEntries(
    Object.keys(o)
      .sort()
      .map((k) => [k, strip(o[k].block)]),
  );
const out = {
  provider: strip(github.provider.block),
  resource_schemas: sorted(github.resource_schemas),
  data_source_schemas: sorted(github.data_source_schemas),
};
writeFileSync(to, JSON.stringify(out, null, 2) + "\n");
