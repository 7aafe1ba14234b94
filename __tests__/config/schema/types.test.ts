/**
 * The config types a consumer reads (lib/config/schema/types.ts): written out field by field, each
 * field documented, shown so in the API report and, in the same words, in the JSON Schema, and held
 * equal to the schemas by the compiler
 * (`types.assert.ts`, checked by `tsc --noEmit` in `npm test`). The last test shows that check
 * failing on a field added to a schema only, so the check cannot pass whatever the schemas say.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as ts from "typescript";
import { fieldDocs } from "../../../lib/config/json-schema";

const root = join(__dirname, "..", "..", "..");
const typesFile = join(root, "lib", "config", "schema", "types.ts");
const assertFile = join(__dirname, "types.assert.ts");

/** Every documented-ness problem of the type aliases of `file`: exports or fields without JSDoc. */
function undocumented(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.ES2022, true);
  const missing: string[] = [];
  const hasDoc = (node: ts.Node) => ts.getJSDocCommentsAndTags(node).length > 0;
  const visitMembers = (owner: string, node: ts.Node): void => {
    if (ts.isPropertySignature(node)) {
      const name = `${owner}.${node.name.getText(source)}`;
      if (!hasDoc(node)) missing.push(name);
      if (node.type) visitMembers(name, node.type);
      return;
    }
    ts.forEachChild(node, (child) => visitMembers(owner, child));
  };
  for (const statement of source.statements) {
    if (!ts.isTypeAliasDeclaration(statement)) continue;
    if (!hasDoc(statement)) missing.push(statement.name.text);
    visitMembers(statement.name.text, statement.type);
  }
  return missing;
}

/** The compiler's errors for `types.assert.ts`, with `replace` applied to the files it names. */
function assertionErrors(replace: Record<string, (text: string) => string>) {
  const config = ts.getParsedCommandLineOfConfigFile(
    join(root, "tsconfig.json"),
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} },
  );
  if (!config) throw new Error("tsconfig.json could not be read");
  const host = ts.createCompilerHost(config.options, true);
  const getSourceFile = host.getSourceFile;
  host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
    const change = replace[fileName];
    if (!change) return getSourceFile.call(host, fileName, languageVersion, onError, shouldCreate);
    return ts.createSourceFile(fileName, change(readFileSync(fileName, "utf8")), languageVersion, true);
  };
  const program = ts.createProgram({ rootNames: [assertFile], options: { ...config.options, noEmit: true }, host });
  const errors = ts.getPreEmitDiagnostics(program).map((d) => {
    const where = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : undefined;
    const line = where && d.file ? d.file.text.split("\n")[where.line].trim() : "";
    return { file: d.file?.fileName, line, message: ts.flattenDiagnosticMessageText(d.messageText, "\n") };
  });
  return errors;
}

describe("config types", () => {
  test("every config type and each of its fields has its JSDoc", () => {
    // GIVEN the types a consumer reads  WHEN their declarations are read  THEN none is undocumented
    expect(undocumented(typesFile)).toEqual([]);
  });

  test("the API report shows the config types field by field: no zod types, no forgotten exports", () => {
    const report = readFileSync(join(root, "api", "github-token-policy.api.md"), "utf8");
    expect(report).not.toMatch(/z\.(input|output)</);
    expect(report.match(/^.*ae-forgotten-export.*$/gm) ?? []).toEqual([]);
    expect(report).toMatch(/^export type OrganizationConfig = \{$/m);
  });

  test("the JSON Schema describes every key with its field's JSDoc", () => {
    // GIVEN the committed JSON Schema  WHEN every key of every object in it is listed
    const schema = JSON.parse(readFileSync(join(root, "token-policy.schema.json"), "utf8"));
    const undescribed: string[] = [];
    const walk = (node: unknown, path: string): void => {
      if (Array.isArray(node)) return node.forEach((n, i) => walk(n, `${path}[${i}]`));
      if (node === null || typeof node !== "object") return;
      const n = node as Record<string, unknown>;
      // Permission maps list the catalogue's names, not config keys; the keys beneath each key of
      // defaults are described once, under organizations.
      const skip = /\.(permissions|anyPermission)(\.\w+)?$/.test(path) || /^\.defaults\.\w+/.test(path);
      for (const [key, child] of Object.entries((n.properties ?? {}) as Record<string, Record<string, unknown>>)) {
        if (!skip && typeof child.description !== "string") undescribed.push(`${path}.${key}`);
        walk(child, `${path}.${key}`);
      }
      for (const key of ["items", "oneOf", "anyOf"]) walk(n[key], `${path}.${key}`);
    };
    walk(schema, "");
    // THEN every one has a description, in the words of the types' JSDoc
    expect(undescribed).toEqual([]);
    const org = schema.properties.organizations.items.properties;
    expect(org.approval.properties.otherwise.description).toBe(fieldDocs().get("ApprovalConfig")?.get("otherwise")?.text);
    expect(org.approval.properties.otherwise.description).toMatch(/^What happens when no rule holds/);
    expect(schema.properties.defaults.properties.approval.description).toBe(org.approval.description);
    expect(org.backend.oneOf.map((v: { properties: { key?: { description?: string } } }) => v.properties.key?.description)).toEqual([
      undefined,
      fieldDocs().get("S3BackendConfig")?.get("key")?.text,
      undefined,
      undefined,
      undefined,
    ]);
  });

  test("fails to compile when a schema gains a field its type lacks", () => {
    // GIVEN the assertions as committed (they compile: `tsc --noEmit` checks them in `npm test`)
    // WHEN the guide's schema gains a field and nothing else changes
    const guide = join(root, "lib", "config", "schema", "guide.ts");
    const anchor = '  branch: nonEmpty("branch").optional(),\n';
    const errors = assertionErrors({
      [guide]: (text) => {
        if (!text.includes(anchor)) throw new Error(`guide.ts no longer has the line ${JSON.stringify(anchor)}`);
        return text.replace(anchor, `${anchor}  extra: z.string().optional(),\n`);
      },
    });

    // THEN the compiler names the assertions of every type that holds the guide, and nothing else
    expect(errors.map((e) => [e.file, e.line])).toEqual([
      [assertFile, "Assert<Equals<T.TokenPolicyConfig, Out<typeof configSchema>>>,"],
      [assertFile, "Assert<Equals<T.OrganizationConfig, Out<typeof organizationSchema>>>,"],
      [assertFile, "Assert<Equals<T.GuideConfig, Out<typeof guideSchema>>>,"],
      [assertFile, "Assert<Equals<T.GuideInput, In<typeof guideSchema>>>,"],
    ]);
    expect(errors[0].message).toMatch(/'false' does not satisfy the constraint 'true'/);
  });
});
