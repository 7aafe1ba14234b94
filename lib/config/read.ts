/**
 * Reading and hardening: the config file is read only up to {@link MAX_CONFIG_BYTES}, parsed as
 * YAML with unique keys and no unresolved tags, then walked before it becomes JavaScript: no key
 * that reaches an object's prototype, no non-scalar key, no nesting deeper than
 * {@link MAX_CONFIG_DEPTH}, at most {@link MAX_ALIAS_COUNT} alias expansions, and no text that
 * Terraform would evaluate. What comes out is the file as plain data, with where each part is.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from "yaml";
import { formatPath, showValue, type ConfigSource, type Locator, type Problem } from "./problems";
import { isRecord } from "./schema";
import { withoutSecrets } from "../secret-shape";
import { FileProblem, readRegularFile } from "../regular-file";
import { GRAPHEME_PREPEND } from "../model/grapheme-prepend";

/** Largest config file read (1 MiB): hundreds of organizations fit many times over. */
export const MAX_CONFIG_BYTES = 1024 * 1024;
/** Deepest nesting of mappings and lists (the schema needs about 8). */
export const MAX_CONFIG_DEPTH = 32;
/** Most alias expansions (`*anchor`) in one file, against "billion laughs" documents. */
export const MAX_ALIAS_COUNT = 100;
/** Keys that would reach an object's prototype when the file becomes JavaScript objects. */
export const FORBIDDEN_KEYS = new Set(["__proto__", "constructor", "prototype"]);

/** The file's text, or why it cannot be read (missing, unreadable, not a regular file, larger than {@link MAX_CONFIG_BYTES}). */
export function readConfigText(
  file: string,
): { readonly text: string; readonly problems?: undefined } | { readonly text?: undefined; readonly problems: readonly Problem[] } {
  try {
    return { text: readRegularFile(file, MAX_CONFIG_BYTES) };
  } catch (e) {
    if (!(e instanceof FileProblem)) throw e;
    return { problems: [{ file, path: "", message: e.message }] };
  }
}

/**
 * Parses config text into a {@link ConfigSource} (the document, its data and a locator), or the
 * problems that stop the file from being read at all: too long, not valid YAML, a shape that is
 * refused, too many alias expansions, or not a mapping.
 */
export function parseYaml(
  text: string,
  file: string,
):
  | { readonly source: ConfigSource; readonly problems?: undefined }
  | { readonly source?: undefined; readonly problems: readonly Problem[] } {
  if (text.length > MAX_CONFIG_BYTES)
    return { problems: [{ file, path: "", message: `is ${text.length} characters; at most ${MAX_CONFIG_BYTES} (1 MiB) is read` }] };
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
  const at: Locator = (offset) => (offset === undefined ? {} : lines.linePos(offset));
  // Warnings (an unresolved tag such as !!js/function, read as a plain string) are errors here:
  // a value the loader does not understand is not used.
  const yamlProblems = [...doc.errors, ...doc.warnings];
  if (yamlProblems.length > 0) {
    return {
      problems: yamlProblems.map((e) => ({
        file,
        ...at(e.pos[0]),
        path: "",
        message: `not valid YAML: ${withoutSecrets(e.message.split("\n")[0])}`,
      })),
    };
  }
  const shape = shapeProblems(doc, file, at);
  if (shape.length > 0) return { problems: shape };
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    // The yaml package throws a ReferenceError for excessive aliases.
    return {
      problems: [
        {
          file,
          line: 1,
          col: 1,
          path: "",
          message: `expands YAML aliases too much (${(e as Error).message}); at most ${MAX_ALIAS_COUNT} alias expansions are read`,
        },
      ],
    };
  }
  if (!isRecord(raw)) {
    return {
      problems: [{ file, line: 1, col: 1, path: "", message: `must be a mapping with an organizations list, got ${showValue(raw)}` }],
    };
  }
  return { source: { file, doc, at, raw } };
}

/**
 * Walks the document before it becomes JavaScript: keys that would reach an object's prototype
 * (`__proto__`, `constructor`, `prototype`) anywhere, non-scalar keys, and nesting deeper than
 * {@link MAX_CONFIG_DEPTH}. Iterative, so a deep file cannot exhaust the stack.
 */
function shapeProblems(doc: Document, file: string, at: Locator): Problem[] {
  const out: Problem[] = [];
  const stack: { node: unknown; depth: number; path: PropertyKey[] }[] = [{ node: doc.contents, depth: 0, path: [] }];
  while (stack.length) {
    const { node, depth, path } = stack.pop()!;
    if (isAlias(node) || !(isMap(node) || isSeq(node))) continue;
    if (depth >= MAX_CONFIG_DEPTH) {
      out.push({
        file,
        ...at((node as Node).range?.[0]),
        path: formatPath(path),
        message: `is nested more than ${MAX_CONFIG_DEPTH} levels deep`,
      });
      continue;
    }
    if (isSeq(node)) {
      node.items.forEach((item, i) => stack.push({ node: item, depth: depth + 1, path: [...path, i] }));
      continue;
    }
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const key = pair.key;
      if (!isScalar(key) || (typeof key.value !== "string" && typeof key.value !== "number")) {
        out.push({ file, ...at((key as Node | null)?.range?.[0]), path: formatPath(path), message: "has a key that is not a plain name" });
        continue;
      }
      const name = String(key.value);
      if (FORBIDDEN_KEYS.has(name)) {
        out.push({
          file,
          ...at(key.range?.[0]),
          path: formatPath([...path, name]),
          message: `key ${JSON.stringify(name)} is not allowed anywhere (it would reach JavaScript's object prototype)`,
        });
        continue;
      }
      stack.push({ node: pair.value, depth: depth + 1, path: [...path, name] });
    }
  }
  return out.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
}

/**
 * Text that Terraform would evaluate: the synthesized stack carries config strings (App name,
 * descriptions, reasons, the member guide) into `cdk.tf.json`, where `${…}` and `%{…}` are
 * template expressions. A pull request's config is planned with credentials in the environment,
 * so `${file("/proc/self/environ")}` in a description must never reach Terraform. Nor may a
 * grapheme Prepend character (lib/model/grapheme-prepend.ts): in a description, which is not
 * escaped, it can stand before a quote, and Terraform then cannot read the stack at all. Nor
 * cdktf's spelling of a list or map token (`#{TfToken[…]}`), which synthesis would resolve.
 */
export function templateProblems(doc: Document, file: string, at: Locator): Problem[] {
  const out: Problem[] = [];
  const stack: { node: unknown; path: PropertyKey[] }[] = [{ node: doc.contents, path: [] }];
  while (stack.length) {
    const { node, path } = stack.pop()!;
    if (isScalar(node)) {
      if (typeof node.value === "string" && /[$%]\{/.test(node.value)) {
        out.push({
          file,
          ...at(node.range?.[0]),
          path: formatPath(path),
          message:
            "contains ${ or %{, which Terraform would evaluate as an expression in the synthesized stack; write the text without them",
        });
      }
      if (typeof node.value === "string" && /[#&]\{TfToken\[/.test(node.value)) {
        out.push({
          file,
          ...at(node.range?.[0]),
          path: formatPath(path),
          message:
            "contains #{TfToken[ or &{TfToken[, cdktf's spelling of a reference, which synthesis would read as one; write the text without it",
        });
      }
      const prepend = typeof node.value === "string" ? GRAPHEME_PREPEND.exec(node.value) : null;
      if (prepend) {
        out.push({
          file,
          ...at(node.range?.[0]),
          path: formatPath(path),
          message: `contains U+${prepend[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}, a character that joins the one after it, which Terraform cannot read before a quote in the synthesized stack; write the text without it`,
        });
      }
    } else if (isSeq(node)) node.items.forEach((item, i) => stack.push({ node: item, path: [...path, i] }));
    else if (isMap(node))
      for (const pair of node.items)
        if (isPair(pair) && isScalar(pair.key)) stack.push({ node: pair.value, path: [...path, String(pair.key.value)] });
  }
  return out.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
}
