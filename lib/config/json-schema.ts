import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as ts from "typescript";
import { z } from "zod";
import { APP_EVENTS, APP_PERMISSIONS, TOKEN_PERMISSION_ALIASES, TOKEN_PERMISSION_KINDS, TOKEN_PERMISSIONS } from "../catalogue";
import { secretNames, SECRET_NAME_MAX_LENGTH, SECRET_NAME_PATTERN } from "../naming";
import { configSchema, organizationSchema } from "./schema";

/**
 * The JSON Schema of `token-policy.yaml`, derived from the zod schema. Checks that zod does in
 * code (catalogue lookups, duplicates) are spelled out where JSON Schema can say them: App
 * permissions list every name with its levels, events list every name. Each key's description is
 * its field's JSDoc in `schema/types.ts` (the same words an editor shows for the TypeScript types).
 * A development tool (`npm run generate:schema`, the tests): not in the package.
 */
export function configJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(configSchema, { io: "input", unrepresentable: "any" }) as Record<string, any>;
  const org = z.toJSONSchema(organizationSchema, { io: "input", unrepresentable: "any" }) as Record<string, any>;
  const permissions = {
    type: "object",
    additionalProperties: false,
    properties: Object.fromEntries(Object.entries(APP_PERMISSIONS).map(([k, levels]) => [k, { type: "string", enum: [...levels] }])),
  };
  const events = { type: "array", items: { type: "string", enum: [...APP_EVENTS] } };
  // Rule permissions: every fine-grained token permission of each kind, under each spelling.
  const tokenKind = (kind: (typeof TOKEN_PERMISSION_KINDS)[number]) => ({
    type: "object",
    additionalProperties: false,
    properties: Object.fromEntries([
      ...Object.entries(TOKEN_PERMISSIONS[kind]).map(([k, levels]) => [k, { type: "string", enum: [...levels] }]),
      ...Object.entries(TOKEN_PERMISSION_ALIASES[kind]).map(([alias, k]) => [
        alias,
        { type: "string", enum: [...TOKEN_PERMISSIONS[kind][k]], description: `Another spelling of ${k}.` },
      ]),
    ]),
  });
  // The prefix is checked in code through secretNameProblem; editors get the same rules here.
  const longestSuffix = secretNames("").privateKey.length;
  for (const o of [schema.properties.organizations.items, org]) {
    o.properties.app.properties.permissions = permissions;
    o.properties.app.properties.events = events;
    const match = o.properties.approval.properties.rules.items.properties.match.properties;
    for (const key of ["permissions", "anyPermission"]) {
      for (const kind of TOKEN_PERMISSION_KINDS) match[key].properties[kind] = tokenKind(kind);
    }
    const prefix = o.properties.credentials.properties.prefix;
    Object.assign(prefix, {
      pattern: SECRET_NAME_PATTERN.source,
      maxLength: SECRET_NAME_MAX_LENGTH - longestSuffix,
      not: { pattern: "^[Gg][Ii][Tt][Hh][Uu][Bb]_" },
    });
  }
  // defaults: every key of an organization but login, nothing required at any depth, since
  // each organization completes it.
  const { login: _login, ...defaultProps } = org.properties;
  schema.properties.defaults = { type: "object", additionalProperties: false, properties: withoutRequired(defaultProps) };
  const docs = fieldDocs();
  describe(schema, "TokenPolicyConfig", docs);
  // Under defaults, each key says what it is; the keys beneath are described once, under
  // organizations (the package ships this schema, and the copy would cost 3 kB packed).
  for (const [key, property] of Object.entries<any>(schema.properties.defaults.properties))
    property.description = docs.get("OrganizationConfig")?.get(key)?.text;
  return {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    title: "token-policy.yaml",
    description: "An organization's GitHub token policy: PAT policy, approval rules, App and credentials.",
    ...Object.fromEntries(Object.entries(schema).filter(([k]) => k !== "$schema")),
  };
}

function withoutRequired(node: unknown): any {
  if (Array.isArray(node)) return node.map(withoutRequired);
  if (node === null || typeof node !== "object") return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([k]) => k !== "required")
      .map(([k, v]) => [k, withoutRequired(v)]),
  );
}

/** A field of a config type: its JSDoc text, and the config types its value is made of. */
interface FieldDoc {
  readonly text: string;
  readonly types: readonly string[];
}

/**
 * Every field of every type alias of `schema/types.ts`, by type name and field name. Read from the
 * source text, without type checking: a field's types are the aliases its type names.
 */
export function fieldDocs(file = join(__dirname, "schema", "types.ts")): Map<string, Map<string, FieldDoc>> {
  const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.ES2022, true);
  const aliases = new Map<string, ts.TypeNode>();
  for (const statement of source.statements) if (ts.isTypeAliasDeclaration(statement)) aliases.set(statement.name.text, statement.type);
  const named = (node: ts.Node): string[] => {
    if (ts.isTypeReferenceNode(node) && ts.isIdentifier(node.typeName) && aliases.has(node.typeName.text)) return [node.typeName.text];
    if (ts.isTypeLiteralNode(node)) return [];
    const out: string[] = [];
    ts.forEachChild(node, (child) => void out.push(...named(child)));
    return out;
  };
  const docs = new Map<string, Map<string, FieldDoc>>();
  for (const [name, type] of aliases) {
    const fields = new Map<string, FieldDoc>();
    if (ts.isTypeLiteralNode(type)) {
      for (const member of type.members) {
        if (!ts.isPropertySignature(member) || !member.type) continue;
        const text = ts
          .getJSDocCommentsAndTags(member)
          .filter(ts.isJSDoc)
          .map((d) => ts.getTextOfJSDocComment(d.comment) ?? "")
          .join(" ")
          .replace(/\s+/g, " ")
          .trim();
        fields.set(member.name.getText(source), { text, types: named(member.type) });
      }
    } else fields.set("", { text: "", types: named(type) });
    docs.set(name, fields);
  }
  return docs;
}

/**
 * Adds each key's description to `node` (a JSON Schema object, or a union of them) from the fields
 * of the config type `typeName`, and so on down through the types each field is made of.
 */
function describe(node: any, typeName: string, docs: Map<string, Map<string, FieldDoc>>): void {
  const fields = docs.get(typeName);
  if (!fields || node === null || typeof node !== "object") return;
  const union = fields.get("");
  if (union) {
    // A union of object types (the backends): each variant gets the type with exactly its keys.
    for (const variant of [...(node.oneOf ?? []), ...(node.anyOf ?? [])]) {
      const keys = Object.keys(variant.properties ?? {})
        .sort()
        .join();
      const match = union.types.find((t) => [...(docs.get(t)?.keys() ?? [])].sort().join() === keys);
      if (match) describe(variant, match, docs);
    }
    return;
  }
  for (const [key, property] of Object.entries<any>(node.properties ?? {})) {
    const field = fields.get(key);
    if (!field) continue;
    if (field.text) property.description = field.text;
    for (const type of field.types) {
      for (const target of [property, property.items, ...(property.anyOf ?? []), ...(property.anyOf ?? []).map((v: any) => v.items)])
        if (target) describe(target, type, docs);
    }
  }
}
