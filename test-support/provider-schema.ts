/**
 * Checks a synthesized stack against the github provider's own schema (`terraform providers schema
 * -json`, cut down in test-support/provider-schemas/): every `github_*` resource and data source
 * type exists, every argument and nested block it sets exists and is not deprecated, every
 * required argument is set, and every literal value has the attribute's type. Values that are
 * Terraform expressions (`${…}`) are not typed here: Terraform converts them at plan.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";

/** An attribute type as the schema writes it: `"string"`, `["list", T]`, `["object", {…}]`. */
type AttributeType = string | [string, any];

interface SchemaAttribute {
  readonly type?: AttributeType;
  readonly required?: boolean;
  readonly optional?: boolean;
  readonly computed?: boolean;
  readonly deprecated?: boolean;
}

interface SchemaBlock {
  readonly attributes?: Record<string, SchemaAttribute>;
  readonly block_types?: Record<string, { nesting_mode: string; min_items?: number; max_items?: number; block: SchemaBlock }>;
  readonly deprecated?: boolean;
}

/** A provider's schema, as in test-support/provider-schemas/. */
export interface ProviderSchema {
  readonly provider: SchemaBlock;
  readonly resource_schemas: Record<string, SchemaBlock>;
  readonly data_source_schemas: Record<string, SchemaBlock>;
}

/** The github provider versions whose schemas are in test-support/provider-schemas/. */
export const SCHEMA_VERSIONS = ["6.12.0", "6.13.0"] as const;

/** The schema of one github provider version. */
export function providerSchema(version: (typeof SCHEMA_VERSIONS)[number]): ProviderSchema {
  return JSON.parse(readFileSync(join(__dirname, "provider-schemas", `integrations-github-${version}.json`), "utf8"));
}

/** Arguments Terraform itself gives every resource and data source, not the provider. */
const META_ARGUMENTS = new Set(["depends_on", "count", "for_each", "provider", "lifecycle", "provisioner", "connection", "//"]);

/**
 * Every way the `github_*` resources, data sources and provider blocks of a synthesized stack
 * (`cdk.tf.json` as an object) differ from `schema`, one line each naming the address and attribute;
 * empty when they match.
 */
export function schemaProblems(tf: any, schema: ProviderSchema): string[] {
  const problems: string[] = [];
  const kinds = [
    ["resource", schema.resource_schemas],
    ["data", schema.data_source_schemas],
  ] as const;
  for (const [kind, schemas] of kinds) {
    for (const [type, byName] of Object.entries((tf[kind] ?? {}) as Record<string, Record<string, any>>)) {
      if (!type.startsWith("github_")) continue;
      const prefix = kind === "data" ? "data." : "";
      const block = schemas[type];
      if (!block) {
        problems.push(`${prefix}${type}: no such ${kind === "data" ? "data source" : "resource"} type`);
        continue;
      }
      for (const [name, body] of Object.entries(byName)) checkBlock(`${prefix}${type}.${name}`, body, block, problems, true);
    }
  }
  for (const [i, body] of ((tf.provider?.github ?? []) as any[]).entries()) {
    // `alias` is Terraform's, as the meta-arguments of a resource are.
    const { alias: _alias, ...args } = body;
    checkBlock(`provider.github[${i}]`, args, schema.provider, problems, true);
  }
  return problems;
}

function checkBlock(where: string, body: any, block: SchemaBlock, problems: string[], topLevel: boolean): void {
  if (block.deprecated) problems.push(`${where}: deprecated block`);
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    problems.push(`${where}: expected an object, got ${JSON.stringify(body)}`);
    return;
  }
  const attributes = block.attributes ?? {};
  const blocks = block.block_types ?? {};
  for (const [key, value] of Object.entries(body)) {
    if (topLevel && META_ARGUMENTS.has(key)) continue;
    const attribute = attributes[key];
    const nested = blocks[key];
    if (attribute) {
      if (attribute.deprecated) problems.push(`${where}.${key}: deprecated`);
      if (attribute.computed && !attribute.optional && !attribute.required) problems.push(`${where}.${key}: computed only, cannot be set`);
      if (attribute.type !== undefined) checkValue(`${where}.${key}`, value, attribute.type, problems);
    } else if (nested) {
      const items = nested.nesting_mode === "single" || nested.nesting_mode === "group" ? [value] : Array.isArray(value) ? value : [value];
      if (nested.max_items !== undefined && items.length > nested.max_items)
        problems.push(`${where}.${key}: at most ${nested.max_items} blocks, got ${items.length}`);
      items.forEach((item, i) =>
        checkBlock(items.length > 1 ? `${where}.${key}[${i}]` : `${where}.${key}`, item, nested.block, problems, false),
      );
    } else {
      problems.push(`${where}.${key}: no such argument or block`);
    }
  }
  for (const [key, attribute] of Object.entries(attributes)) {
    if (attribute.required && !(key in body)) problems.push(`${where}.${key}: required, not set`);
  }
  for (const [key, nested] of Object.entries(blocks)) {
    if (nested.min_items && !(key in body)) problems.push(`${where}.${key}: required block, not set`);
  }
}

/** Whether a JSON value is a Terraform expression (a template), whose type only Terraform knows. */
function isExpression(value: unknown): boolean {
  return typeof value === "string" && value.includes("${");
}

function checkValue(where: string, value: unknown, type: AttributeType, problems: string[]): void {
  if (value === null || isExpression(value)) return;
  const wrong = (expected: string): void => {
    problems.push(`${where}: expected ${expected}, got ${JSON.stringify(value)}`);
  };
  if (typeof type === "string") {
    if (type === "string" && typeof value !== "string") wrong("a string");
    else if (type === "number" && typeof value !== "number") wrong("a number");
    else if (type === "bool" && typeof value !== "boolean") wrong("a bool");
    return;
  }
  const [kind, inner] = type;
  if (kind === "list" || kind === "set") {
    if (!Array.isArray(value)) return wrong(`a ${kind}`);
    value.forEach((v, i) => checkValue(`${where}[${i}]`, v, inner, problems));
  } else if (kind === "map") {
    if (typeof value !== "object" || Array.isArray(value)) return wrong("a map");
    for (const [k, v] of Object.entries(value as object)) checkValue(`${where}.${k}`, v, inner, problems);
  } else if (kind === "object") {
    if (typeof value !== "object" || Array.isArray(value)) return wrong("an object");
    for (const [k, v] of Object.entries(value as object)) {
      if (!(k in inner)) problems.push(`${where}.${k}: no such attribute`);
      else checkValue(`${where}.${k}`, v, inner[k], problems);
    }
  }
}
