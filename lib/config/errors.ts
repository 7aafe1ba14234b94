import { clean } from "../text";
import type { OrganizationConfig } from "./schema";

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

/**
 * Bad user input: every problem of one input, reported together. The CLI and `main.ts` print
 * `message` without a stack trace and exit 2.
 */
export class ConfigError extends Error {
  /** Exit code the CLI uses for bad usage or config. */
  readonly exitCode = 2;

  constructor(
    /** The problems, in document order. */
    readonly problems: readonly Problem[],
    /**
     * The organizations of the file that are valid on their own (by index in `organizations`),
     * so that checks run on valid entries (the policy rule pack) can report in the same run.
     */
    readonly validOrganizations: readonly { readonly index: number; readonly config: OrganizationConfig }[] = [],
  ) {
    const file = problems[0]?.file ?? "config";
    const head = problems.length === 1 ? `${file}: 1 problem` : `${file}: ${problems.length} problems`;
    super([head, ...problems.map((p) => "  " + formatProblem(p))].join("\n"));
    this.name = "ConfigError";
  }
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

const SECRET_SHAPES = /-----BEGIN [A-Z ]*PRIVATE KEY-----|gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}/;

/** Shows a value in a message: short, never a key or token, invisible characters escaped. */
export function showValue(value: unknown): string {
  if (value === undefined) return "nothing";
  if (typeof value === "string") {
    if (SECRET_SHAPES.test(value)) return "a value shaped like a key or token (not shown)";
    return clean(JSON.stringify(value.length > 60 ? value.slice(0, 57) + "..." : value));
  }
  const json = JSON.stringify(value) ?? String(value);
  if (SECRET_SHAPES.test(json)) return "a value shaped like a key or token (not shown)";
  return clean(json.length > 60 ? json.slice(0, 57) + "..." : json);
}

/** Bad usage of a command (arguments, environment): the CLI prints the message and exits 2. */
export class UsageError extends Error {
  /** Exit code the CLI uses for bad usage or config. */
  readonly exitCode = 2;

  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** Messages such as "maxLifetimeDays must be ..." already follow their path: drops the repeated name. */
export function stripLeadingName(message: string): string {
  return message.replace(/^[A-Za-z$]+ (must|is) /, "$1 ");
}
