/**
 * Problem reporting: what a problem is (file, line, column, path, message), how it is printed
 * (`file:line:col path: message`), how a value is shown in a message (short, never a secret),
 * and how a path in the data is found in the document, so every check reports where the user
 * wrote the value (or, for a merged default, where `defaults` wrote it).
 */
import { isMap, isSeq, type Document, type Node } from "yaml";
import type { z } from "zod";
import { withoutSecrets } from "../secret-shape";
import { clean, didYouMean } from "../text";
import { isRecord } from "./schema";

/** One problem found in an input, located by file, line and path. */
export interface Problem {
  /** The file as the user named it. */
  readonly file: string;
  /** 1-based line, when known. */
  readonly line?: number;
  /** 1-based column, when known. */
  readonly col?: number;
  /** Dotted path into the document, such as `organizations[0].patPolicy.maxLifetimeDays`. */
  readonly path: string;
  /** What is wrong and what is allowed, ending with the value found where that helps. */
  readonly message: string;
}

/** Formats one problem as `file:line:col path: message`. */
export function formatProblem(p: Problem): string {
  const where = p.line ? `${p.file}:${p.line}:${p.col ?? 1}` : p.file;
  return p.path ? `${where} ${p.path}: ${p.message}` : `${where}: ${p.message}`;
}

/** Formats a path array as `organizations[0].app.name`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out;
}

/**
 * Shows a value in a message: short, invisible characters escaped, and a secret-shaped part
 * (key, token, URL user info, high-entropy string) only as its shape ({@link withoutSecrets},
 * applied before the value is cut, so no part of a secret is left).
 */
export function showValue(value: unknown): string {
  if (value === undefined) return "nothing";
  const json = withoutSecrets(JSON.stringify(value) ?? String(value));
  return clean(json.length > 60 ? json.slice(0, 57) + "..." : json);
}

/** Messages such as "maxLifetimeDays must be ..." already follow their path: drops the repeated name. */
export function stripLeadingName(message: string): string {
  return message.replace(/^[A-Za-z$]+ (must|is) /, "$1 ");
}

/** Turns an offset in the text into a 1-based line and column (nothing for no offset). */
export type Locator = (offset: number | undefined) => { line?: number; col?: number };

/** The parsed file: its name, its YAML document, the locator of its text and its data as written. */
export interface ConfigSource {
  /** The file as the user named it. */
  readonly file: string;
  /** The YAML document, for positions. */
  readonly doc: Document;
  /** Offsets to lines and columns. */
  readonly at: Locator;
  /** The file as plain data, before `defaults` are merged. */
  readonly raw: Record<string, unknown>;
}

/** A problem at `path` of the document (at its key when `atKey`, else its value). */
export function problemAt(source: ConfigSource, path: PropertyKey[], message: string, atKey = false): Problem {
  return { file: source.file, ...locate(source.doc, path, source.at, atKey), path: formatPath(path), message };
}

/**
 * Turns zod's issues on the merged data (`input`) into problems, each reported at the
 * organization's own entry when it has the path, else at `defaults`.
 */
export function issuesToProblems(issues: readonly z.core.$ZodIssue[], input: Record<string, unknown>, source: ConfigSource): Problem[] {
  const { raw } = source;
  const out: Problem[] = [];
  for (const issue of issues) {
    const path = issue.path as PropertyKey[];
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) out.push(place([...path, key], unknownKeyMessage(key, issue.message), undefined, true));
      continue;
    }
    const value = getIn(input, path);
    out.push(place(path, describe(issue, value), value, false));
  }
  return out;

  /** Reports at the organization's own entry when it has the path, else at `defaults`. */
  function place(path: PropertyKey[], message: string, _value: unknown, atKey: boolean): Problem {
    let reported = path;
    if (path[0] === "organizations" && typeof path[1] === "number" && path.length > 2) {
      const rest = path.slice(2);
      const own = getIn(raw, path.slice(0, 2));
      if (!hasPath(own, rest) && isRecord(raw.defaults) && hasPath(raw.defaults, rest)) {
        reported = ["defaults", ...rest];
      }
    }
    return problemAt(source, reported, message, atKey);
  }
}

/**
 * An unknown key's message with the allowed key it most likely meant: `unknown key (did you mean
 * "maxLifetimeDays"?); allowed here: …`, from the schema's `unknown key; allowed here: …`.
 */
function unknownKeyMessage(key: string, message: string): string {
  const allowed = /; allowed here: (.+)$/.exec(message)?.[1].split(", ") ?? [];
  const hint = didYouMean(key, allowed);
  return hint ? message.replace(/^unknown key/, `unknown key${hint}`) : message;
}

/** Turns a zod issue into "what is allowed, got what". */
function describe(issue: z.core.$ZodIssue, value: unknown): string {
  const generic = issue.message.startsWith("Invalid input") || issue.message.startsWith("Too ");
  switch (issue.code) {
    case "invalid_type":
      if (value === undefined) return "is required";
      return `${generic ? `must be ${issue.expected === "array" ? "a list" : issue.expected === "object" ? "a mapping" : `a ${issue.expected}`}` : stripLeadingName(issue.message)}, got ${showValue(value)}`;
    case "too_big":
    case "too_small": {
      if (typeof value === "string") return `${stripLeadingName(issue.message)}, got ${value.length} characters`;
      if (Array.isArray(value)) return `${stripLeadingName(issue.message)}, got ${value.length}`;
      return `${stripLeadingName(issue.message)}, got ${showValue(value)}`;
    }
    case "invalid_value": {
      const hint =
        typeof value === "string"
          ? didYouMean(
              value,
              issue.values.map((v) => String(v)),
            )
          : "";
      return `${generic ? `must be one of ${issue.values.map((v) => String(v)).join(", ")}` : stripLeadingName(issue.message)}, got ${showValue(value)}${hint}`;
    }
    default:
      // A check that names what is wrong itself (such as an unknown map key) says so in params.
      if (issue.code === "custom" && (issue.params as { valueInMessage?: boolean } | undefined)?.valueInMessage)
        return stripLeadingName(issue.message);
      return value === undefined ? stripLeadingName(issue.message) : `${stripLeadingName(issue.message)}, got ${showValue(value)}`;
  }
}

/**
 * Where `path` is written in the document: its value (or key when `atKey`); a path that goes
 * deeper than the document points at the deepest part that is there.
 */
export function locate(doc: Document, path: PropertyKey[], at: Locator, atKey = false): { line?: number; col?: number } {
  // Walk as deep as the document goes, so a missing key points at its parent.
  let node: unknown = doc.contents;
  let keyNode: Node | undefined;
  for (const part of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => (p.key as { value?: unknown } | null)?.value === part);
      if (!pair) break;
      keyNode = pair.key as Node;
      node = pair.value;
    } else if (isSeq(node) && typeof part === "number") {
      keyNode = undefined;
      node = node.items[part];
    } else break;
  }
  const target = (atKey && keyNode) || (node as Node | null);
  return at(target?.range?.[0]);
}

/** Whether the data has `path` (own or inherited keys, as written). */
export function hasPath(obj: unknown, path: PropertyKey[]): boolean {
  let cur: unknown = obj;
  for (const part of path) {
    if (cur === null || typeof cur !== "object" || !(String(part) in (cur as object))) return false;
    cur = (cur as Record<string, unknown>)[String(part)];
  }
  return true;
}

/** The value at `path` of the data, or undefined. */
export function getIn(obj: unknown, path: readonly PropertyKey[]): unknown {
  let cur = obj;
  for (const part of path) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string, unknown>)[String(part)];
  }
  return cur;
}

/** Problems without repeats (same path and message), in document order. */
export function dedupe(problems: Problem[]): Problem[] {
  const seen = new Set<string>();
  const out = problems.filter((p) => {
    const k = `${p.path}\u0000${p.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  return out.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.col ?? 0) - (b.col ?? 0));
}

/**
 * Where a policy check's finding is written, as `file:line:col`: the config path that opens its
 * `detail` (`patPolicy.maxLifetimeDays is 120`) in `organizations[index]`, or in `defaults` when
 * the organization inherits it from there; the file alone when no such path is written.
 */
export function findingPlace(source: ConfigSource, index: number, detail: string): string {
  const dotted = /^([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*|\[\d+\])*)/.exec(detail)?.[1];
  if (!dotted) return source.file;
  const path = dotted.split(/\.|(?=\[)/).map((part) => (part.startsWith("[") ? Number(part.slice(1, -1)) : part));
  const own = getIn(source.raw, ["organizations", index]);
  const full: PropertyKey[] | undefined = hasPath(own, path)
    ? ["organizations", index, ...path]
    : isRecord(source.raw.defaults) && hasPath(source.raw.defaults, path)
      ? ["defaults", ...path]
      : undefined;
  if (!full) return source.file;
  const { line, col } = locate(source.doc, full, source.at);
  return line ? `${source.file}:${line}:${col ?? 1}` : source.file;
}
