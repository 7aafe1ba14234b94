import { z } from "zod";
import { APP_EVENTS, APP_PERMISSIONS, TOKEN_PERMISSION_ALIASES, TOKEN_PERMISSION_KINDS, TOKEN_PERMISSIONS } from "../catalogue";
import { secretNames, SECRET_NAME_MAX_LENGTH, SECRET_NAME_PATTERN } from "../naming";
import { configSchema, organizationSchema } from "./schema";

/**
 * The JSON Schema of `token-policy.yaml`, derived from the zod schema. Checks that zod does in
 * code (catalogue lookups, duplicates) are spelled out where JSON Schema can say them: App
 * permissions list every name with its levels, events list every name.
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
