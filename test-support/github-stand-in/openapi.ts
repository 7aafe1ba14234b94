/**
 * Checks HTTP requests and responses against GitHub's published OpenAPI description
 * (`@octokit/openapi`), so the stand-in refuses what GitHub refuses and answers only what
 * GitHub can answer. Only the operations the stand-in serves are compiled.
 */
import { readFileSync } from "node:fs";
import Ajv, { type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";

/** Which description: api.github.com, or GitHub Enterprise Cloud (enterprise endpoints). */
export type SpecName = "api.github.com" | "ghec";

interface Parameter {
  name: string;
  in: "path" | "query" | "header";
  required?: boolean;
  schema?: Record<string, unknown>;
}

/** One operation, ready to check. */
export interface CheckedOperation {
  readonly method: string;
  readonly template: string;
  readonly operationId: string;
  /** Checks path and query parameters and the body; returns problems. */
  checkRequest(pathParams: Record<string, string>, query: URLSearchParams, body: unknown): string[];
  /** Checks a response body against the documented schema for the status; returns problems. */
  checkResponse(status: number, body: unknown): string[];
}

const specs = new Map<SpecName, Record<string, any>>();

function loadSpec(name: SpecName): Record<string, any> {
  let spec = specs.get(name);
  if (!spec) {
    spec = JSON.parse(readFileSync(require.resolve(`@octokit/openapi/generated/${name}.json`), "utf8")) as Record<string, any>;
    spec.components.schemas = nullableToJsonSchema(spec.components.schemas);
    specs.set(name, spec);
  }
  return spec;
}

const checkers = new Map<SpecName, OpenApiChecker>();

/** Compiles and caches the operations of one description. */
export class OpenApiChecker {
  /** The process-wide checker of a description: compiled once, shared by every stand-in. */
  static for(specName: SpecName = "api.github.com"): OpenApiChecker {
    let c = checkers.get(specName);
    if (!c) {
      c = new OpenApiChecker(specName);
      checkers.set(specName, c);
    }
    return c;
  }

  private readonly spec: Record<string, any>;
  private readonly ajv: Ajv;
  private readonly operations = new Map<string, CheckedOperation>();

  constructor(readonly specName: SpecName = "api.github.com") {
    this.spec = loadSpec(specName);
    this.ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false, coerceTypes: false });
    addFormats(this.ajv);
    // One schema holding the components, so every operation's $refs compile once.
    this.ajv.addSchema({ $id: "gh", components: { schemas: this.spec.components.schemas } });
  }

  /** The operation for a method and path template, such as `POST /orgs/{org}/personal-access-tokens`. */
  operation(method: string, template: string): CheckedOperation {
    const key = `${method.toUpperCase()} ${template}`;
    let op = this.operations.get(key);
    if (!op) {
      op = this.compile(method.toLowerCase(), template);
      this.operations.set(key, op);
    }
    return op;
  }

  /**
   * Problems of a webhook payload against its schema in the description (for example
   * `webhook-personal-access-token-request-created`); empty when it conforms.
   */
  webhookProblems(schemaName: string, payload: unknown): string[] {
    let check = this.webhooks.get(schemaName);
    if (!check) {
      if (!this.spec.components.schemas[schemaName]) throw new Error(`${this.specName} has no schema ${schemaName}`);
      check = this.schema({ $ref: `#/components/schemas/${schemaName}` });
      this.webhooks.set(schemaName, check);
    }
    return check(payload) ? [] : (check.errors ?? []).map((e) => `${schemaName}${e.instancePath} ${e.message}`);
  }

  private readonly webhooks = new Map<string, ValidateFunction>();

  private deref<T>(obj: any): T {
    let cur = obj;
    while (cur && typeof cur.$ref === "string") {
      const path = (cur.$ref as string).replace(/^#\//, "").split("/");
      cur = path.reduce((o: any, p) => o?.[p.replace(/~1/g, "/").replace(/~0/g, "~")], this.spec);
    }
    return cur as T;
  }

  private schema(s: unknown): ValidateFunction {
    const rewritten = JSON.parse(JSON.stringify(nullableToJsonSchema(s)).replace(/"#\/components\/schemas\//g, '"gh#/components/schemas/'));
    return this.ajv.compile(rewritten);
  }

  private compile(method: string, template: string): CheckedOperation {
    const item = this.spec.paths[template];
    const raw = item?.[method];
    if (!raw) throw new Error(`${this.specName} has no operation ${method.toUpperCase()} ${template}`);
    const params: Parameter[] = [...(item.parameters ?? []), ...(raw.parameters ?? [])].map((p: unknown) => this.deref<Parameter>(p));
    const paramCheckers = params.map((p) => ({ p, check: this.schema(p.schema ?? {}) }));
    const bodySpec = this.deref<any>(raw.requestBody);
    const bodySchema = bodySpec?.content?.["application/json"]?.schema;
    const bodyCheck = bodySchema ? this.schema(bodySchema) : undefined;
    const responses = new Map<number, ValidateFunction | null>();
    for (const [status, r] of Object.entries(raw.responses ?? {})) {
      const resp = this.deref<any>(r);
      const schema = resp?.content?.["application/json"]?.schema;
      responses.set(Number(status), schema ? this.schema(schema) : null);
    }
    // GitHub answers 401, 403 and 404 on every operation (bad credentials, no permission, not
    // installed, not found) but documents them on only some. Undocumented, they must still be
    // GitHub's basic-error shape.
    const basicError = this.schema({ $ref: "#/components/schemas/basic-error" });
    const errors = (v: ValidateFunction, where: string) =>
      (v.errors ?? []).map(
        (e) =>
          `${where}${e.instancePath || ""} ${e.message}${e.params && "allowedValues" in e.params ? ` (${(e.params.allowedValues as unknown[]).join(", ")})` : ""}`,
      );

    return {
      method: method.toUpperCase(),
      template,
      operationId: raw.operationId,
      checkRequest(pathParams, query, body) {
        const problems: string[] = [];
        for (const { p, check } of paramCheckers) {
          if (p.in === "header") continue;
          let value: unknown;
          if (p.in === "path") value = pathParams[p.name];
          else if ((p.schema as any)?.type === "array") {
            const all = [...query.getAll(p.name), ...query.getAll(`${p.name}[]`)];
            value = all.length ? all.flatMap((v) => v.split(",")) : undefined;
          } else value = query.get(p.name) ?? undefined;
          if (value === undefined) {
            if (p.required) problems.push(`${p.in} parameter ${p.name} is required`);
            continue;
          }
          const t = (p.schema as any)?.type;
          const typed =
            t === "integer" || t === "number"
              ? /^-?\d+(\.\d+)?$/.test(String(value))
                ? Number(value)
                : value
              : t === "boolean"
                ? value === "true"
                  ? true
                  : value === "false"
                    ? false
                    : value
                : value;
          if (!check(typed)) problems.push(...errors(check, `${p.in} parameter ${p.name}`));
        }
        if (bodyCheck) {
          if (body === undefined) {
            if (bodySpec.required) problems.push("request body is required");
          } else if (!bodyCheck(body)) problems.push(...errors(bodyCheck, "body"));
        } else if (body !== undefined && method !== "get") {
          // GitHub ignores unexpected bodies on most operations; nothing to check.
        }
        return problems;
      },
      checkResponse(status, body) {
        if (!responses.has(status)) {
          if ([401, 403, 404].includes(status)) return basicError(body) ? [] : errors(basicError, `response ${status} body (basic-error)`);
          return [`status ${status} is not documented for ${method.toUpperCase()} ${template}`];
        }
        const check = responses.get(status);
        if (check === null)
          return body === undefined || body === "" ? [] : [`status ${status} has no body in the description, but one was sent`];
        if (!check!(body)) return errors(check!, `response ${status} body`);
        return [];
      },
    };
  }
}

/**
 * OpenAPI 3.0 says "may be null" with `nullable: true`; JSON Schema says it with the `null`
 * type. Rewrites the former into the latter (also into enums, and around `$ref`/`allOf`
 * schemas that have no `type`), so Ajv checks exactly what the description allows.
 */
export function nullableToJsonSchema(node: any): any {
  if (Array.isArray(node)) return node.map(nullableToJsonSchema);
  if (node === null || typeof node !== "object") return node;
  const out: Record<string, any> = {};
  for (const [k, v] of Object.entries(node)) out[k] = k === "example" || k === "examples" ? v : nullableToJsonSchema(v);
  if (out.nullable !== true) return out;
  delete out.nullable;
  if (typeof out.type === "string") {
    out.type = [out.type, "null"];
    if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
    return out;
  }
  return { anyOf: [out, { type: "null" }] };
}
