/**
 * Template injections for the property tests of the Terraform escape: Unicode's Cf, Zs and C1
 * sets, a marker file whose content must never reach a plan, fast-check generators of text that
 * puts those characters (and sequences of them) between `$`/`%` and `{`, the free-form positions
 * of an organization entry that reach a synthesized stack, and a model of how Terraform's
 * template scanner reads a string (checked against real Terraform in `npm run test:e2e`).
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { tempDir } from "./temp";

/** The code points of each set, as strings, in one pass over Unicode (surrogates left out). */
function charactersOfEach<K extends string>(sets: Record<K, RegExp>): Record<K, string[]> {
  const out = Object.fromEntries(Object.keys(sets).map((k) => [k, [] as string[]])) as Record<K, string[]>;
  const entries = Object.entries(sets) as [K, RegExp][];
  for (let cp = 0; cp <= 0x10ffff; cp++) {
    if (cp >= 0xd800 && cp <= 0xdfff) continue;
    const c = String.fromCodePoint(cp);
    for (const [k, set] of entries) if (set.test(c)) out[k].push(c);
  }
  return out;
}

const SETS = charactersOfEach({ cf: /^\p{Cf}$/u, zs: /^\p{Zs}$/u, c1: /^[\u0080-\u009f]$/, c0: /^[\u0000-\u001f\u007f]$/ });

/** Unicode's format characters (bidi controls, zero-width joiners, tags, …). */
export const CF = SETS.cf;
/** Unicode's space separators. */
export const ZS = SETS.zs;
/** The C1 control characters, U+0080–U+009F. */
export const C1 = SETS.c1;
/** Cf, Zs and C1 together. */
export const INVISIBLES = [...CF, ...ZS, ...C1];
/** C0 controls and DEL: a YAML double-quoted string can carry them, so the escape must too. */
export const C0 = SETS.c0;

/**
 * Unicode's grapheme-cluster Prepend characters (GraphemeBreakProperty.txt, 16.0). Terraform reads
 * a `.tf.json` file by grapheme clusters: one of them joins the quote or backslash written after it.
 */
export const PREPEND = [
  ...range(0x600, 0x605),
  0x6dd,
  0x70f,
  0x890,
  0x891,
  0x8e2,
  0xd4e,
  0x110bd,
  0x110cd,
  0x111c2,
  0x111c3,
  0x113d1,
  0x1193f,
  0x11941,
  0x11a3a,
  ...range(0x11a84, 0x11a89),
  0x11d46,
  0x11f02,
].map((cp) => String.fromCodePoint(cp));

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

/**
 * Where Terraform's JSON reader would not see a quote or a backslash of `json` (a `.tf.json`
 * file's text): a {@link PREPEND} character right before one. Terraform reports "Invalid JSON string".
 */
export function hiddenByPrepend(json: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < json.length; i++) {
    const c = String.fromCodePoint(json.codePointAt(i)!);
    if (PREPEND.includes(c) && (json[i + c.length] === '"' || json[i + c.length] === "\\"))
      out.push(JSON.stringify(json.slice(Math.max(0, i - 20), i + c.length + 2)));
    i += c.length - 1;
  }
  return out;
}

/** A file whose content must never reach a plan: what an injected `file()` would read. */
export interface Marker {
  readonly path: string;
  readonly content: string;
  /** `file("…/marker")`: the expression an injection tries to run. */
  readonly read: string;
}

/** A fresh marker file. */
export function markerFile(): Marker {
  const path = join(tempDir("literal-marker-"), "secret.txt");
  const content = "MARKER-3f9c2e-never-in-a-plan";
  writeFileSync(path, content);
  return { path, content, read: `file(${JSON.stringify(path)})` };
}

/** Spellings that are already escapes, raw expressions, the escape's own constants, or a cdktf token's forms. */
export const SPELLINGS = [
  "${x}",
  "%{x}",
  "$${x}",
  "%%{x}",
  "$$${x}",
  "%%%{x}",
  "$",
  "%",
  "${",
  "%{",
  "}",
  "$$",
  "%%",
  "{{",
  "}}",
  '${""}',
  '${"$"}',
  "${TfToken[TOKEN.0]}",
  "$${TfToken[TOKEN.1]}",
  "#{TfToken[TOKEN.2]}",
  "$&{TfToken[TOKEN.3]}",
];

/**
 * Text that tries to become an expression: runs of a sigil, a sequence (possibly empty) of Cf,
 * Zs and C1 characters, and a brace that opens `file()` of the marker or a `%{ if }` directive;
 * among already-escaped spellings, plain text and lone invisibles. `extra` adds characters to the
 * middles (C0 for the escape function itself, which has no loader in front of it).
 */
export function injectionText(marker: Marker, options: { extra?: readonly string[]; maxFragments?: number } = {}): fc.Arbitrary<string> {
  const chars = [...INVISIBLES, ...PREPEND, ...(options.extra ?? [])];
  const middle = fc.array(fc.constantFrom(...chars), { maxLength: 4 }).map((a) => a.join(""));
  const payload = fc.constantFrom(
    `{${marker.read}}`,
    `{ if ${marker.read} != "" }x%{ endif }`,
    `{ for c in ${marker.read} }x%{ endfor }`,
    "{",
    "{x}",
  );
  const fragment = fc.oneof(
    { weight: 5, arbitrary: fc.tuple(fc.constantFrom("$", "%", "$$", "%%", "$$$"), middle, payload).map(([a, b, c]) => a + b + c) },
    { weight: 1, arbitrary: fc.constantFrom(...SPELLINGS) },
    { weight: 1, arbitrary: fc.string({ maxLength: 4 }) },
    { weight: 1, arbitrary: fc.constantFrom(...chars) },
    {
      weight: 1,
      arbitrary: fc.tuple(fc.constantFrom(...PREPEND), fc.constantFrom("", '"', "\\", "\n", "\u0001", "$", "%")).map(([p, c]) => p + c),
    },
  );
  return fc.array(fragment, { minLength: 1, maxLength: options.maxFragments ?? 4 }).map((a) => a.join(""));
}

/**
 * {@link injectionText} the loader lets through: no `${` or `%{` as written, no {@link PREPEND}
 * character, no cdktf list or map token spelling (`#{TfToken[`), not empty (so something stands between every sigil and brace).
 */
export function admittedText(marker: Marker, options: { maxFragments?: number } = {}): fc.Arbitrary<string> {
  return injectionText(marker, options).filter(
    (t) => t.length > 0 && !/[$%]\{/.test(t) && !/[#&]\{TfToken\[/.test(t) && !PREPEND.some((p) => t.includes(p)),
  );
}

/** What Terraform's template scanner reads in a string: its literal text, and the live interpolations and directives. */
export interface TemplateReading {
  /** The text with `$${`/`%%{` read as `${`/`%{`; each live part is left out. */
  readonly text: string;
  /** Each `${…}` or `%{…}` Terraform would evaluate, from its sigil to its closing brace (or the end). */
  readonly live: readonly string[];
}

/**
 * A model of how Terraform reads a string of a `.tf.json` file as a template: left to right,
 * `$${` and `%%{` are a literal `${` and `%{`, `${""}` and `${"$"}` (constants the escape writes
 * after a grapheme Prepend character and in a cdktf token's spelling) are their one character or
 * nothing, and `${` or `%{` opens an expression or directive up to its matching brace. The e2e test checks it against Terraform itself.
 */
export function readTemplate(template: string): TemplateReading {
  let text = "";
  const live: string[] = [];
  let i = 0;
  while (i < template.length) {
    const constant = /^\$\{"([^"\\]?)"\}/.exec(template.slice(i, i + 6));
    if (constant) {
      // a constant the escape writes: `${""}` after a Prepend character, `${"$"}` in a token's spelling
      text += constant[1];
      i += constant[0].length;
    } else if (template.startsWith("$${", i) || template.startsWith("%%{", i)) {
      text += template[i] + "{";
      i += 3;
    } else if (template.startsWith("${", i) || template.startsWith("%{", i)) {
      let depth = 0;
      let j = i + 1;
      for (; j < template.length; j++) {
        if (template[j] === "{") depth++;
        else if (template[j] === "}" && --depth === 0) break;
      }
      live.push(template.slice(i, j + 1));
      i = j + 1;
    } else {
      text += template[i];
      i++;
    }
  }
  return { text, live };
}

/**
 * A model of how Terraform reads a quoted string inside an expression (`"…"` within `${…}`), in
 * one pass as HCL's scanner does: HCL's escapes (`\n`, `\r`, `\t`, `\"`, `\\`, `\uNNNN`,
 * `\UNNNNNNNN`, and no other) are literal text (so `\u0024{` is a `$` and a brace, not an
 * interpolation), and the template rules of {@link readTemplate} hold for the raw characters.
 * Throws where Terraform reports an error.
 */
export function readQuoted(quoted: string): TemplateReading {
  if (!(quoted.length >= 2 && quoted.startsWith('"') && quoted.endsWith('"'))) throw new Error(`not a quoted string: ${quoted}`);
  const body = quoted.slice(1, -1);
  let raw = "";
  let text = "";
  const live: string[] = [];
  const flush = () => {
    const r = readTemplate(raw);
    text += r.text;
    live.push(...r.live);
    raw = "";
  };
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === '"') throw new Error(`unescaped quote at ${i}`);
    if (c !== "\\") {
      raw += c;
      continue;
    }
    flush();
    const e = body[++i];
    const simple: Record<string, string> = { n: "\n", r: "\r", t: "\t", '"': '"', "\\": "\\" };
    if (e in simple) text += simple[e];
    else if (e === "u" && /^[0-9a-fA-F]{4}$/.test(body.slice(i + 1, i + 5))) {
      text += String.fromCharCode(parseInt(body.slice(i + 1, i + 5), 16));
      i += 4;
    } else if (e === "U" && /^[0-9a-fA-F]{8}$/.test(body.slice(i + 1, i + 9))) {
      text += String.fromCodePoint(parseInt(body.slice(i + 1, i + 9), 16));
      i += 8;
    } else throw new Error(`invalid escape sequence \\${e} (Terraform: "not a valid escape sequence selector")`);
  }
  flush();
  return { text, live };
}

/** A free-form position of an organization entry: where the text goes, and the loader's name for it. */
export interface TextPosition {
  /** The loader's path of the position (`approval.rules[0].reason`), below `organizations[0].`. */
  readonly path: string;
  /** Whether the text reaches the stack as written (in the guide, Markdown-escaped). */
  readonly reachesStack: boolean;
}

/**
 * The free-form strings of an organization entry (every `z.string()` of lib/config/schema without
 * a pattern that excludes `$`, `%` or `{`), in the order {@link entryWithTexts} takes texts.
 */
export const TEXT_POSITIONS: readonly TextPosition[] = [
  { path: "app.name", reachesStack: true },
  { path: "app.description", reachesStack: true },
  { path: "app.homepageUrl", reachesStack: true },
  { path: "app.webhookUrl", reachesStack: true },
  { path: "approval.rules[0].reason", reachesStack: true },
  { path: "approval.rules[0].match.owners[0]", reachesStack: true },
  { path: "approval.rules[0].match.repositories[0]", reachesStack: true },
  { path: "approval.rules[1].reason", reachesStack: false },
  { path: "approval.rules[1].match.repositories[0]", reachesStack: true },
  { path: "approval.otherwiseReason", reachesStack: true },
  { path: "credentials.environments[0].environment", reachesStack: true },
  { path: "guide.branch", reachesStack: true },
  { path: "guide.path", reachesStack: true },
  { path: "suppressions[0].reason", reachesStack: false },
  { path: "suppressions[0].id", reachesStack: false },
];

/**
 * An organization entry (as written in a file) with one text per {@link TEXT_POSITIONS} entry,
 * in order. URLs get the text as their path, the guide's path as a file name under `docs/`.
 */
export function entryWithTexts(texts: readonly string[]): Record<string, unknown> {
  const [
    name,
    description,
    homepage,
    webhook,
    reason0,
    owner0,
    repository0,
    reason1,
    repository1,
    otherwise,
    environment,
    branch,
    path,
    suppressionReason,
    suppressionId,
  ] = texts;
  return {
    login: "acme-corp",
    app: {
      name,
      description,
      homepageUrl: `https://github.com/${homepage}`,
      webhookUrl: `https://hooks.example.com/${webhook}`,
      permissions: { contents: "read" },
    },
    approval: {
      rules: [
        { name: "deny by owner", action: "deny", reason: reason0, match: { owners: [owner0], repositories: [repository0] } },
        { name: "approve by repository", action: "approve", reason: reason1, match: { repositories: [repository1] } },
      ],
      otherwise: "deny",
      otherwiseReason: otherwise,
    },
    credentials: {
      actions: { visibility: "selected", repositories: ["release-tools"] },
      environments: [{ repository: "release-tools", environment }],
    },
    guide: { repository: ".github", branch, path: `docs/${path}.md` },
    suppressions: [{ id: suppressionId, reason: `suppressed because ${suppressionReason}` }],
  };
}

/** Every string (value or object key) of a synthesized stack, with the `terraform` block's. */
export function allStrings(value: unknown, out: string[] = []): string[] {
  if (typeof value === "string") out.push(value);
  else if (Array.isArray(value)) for (const v of value) allStrings(v, out);
  else if (value !== null && typeof value === "object")
    for (const [k, v] of Object.entries(value)) {
      out.push(k);
      allStrings(v, out);
    }
  return out;
}
