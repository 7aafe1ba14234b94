/**
 * Text made literal for Terraform: what the config or GitHub says is written into a synthesized
 * stack as text, never as an expression. Terraform reads `${…}` and `%{…}` in every string of
 * an argument (object keys included) as interpolations and directives; `$${` and `%%{` are their
 * literal spellings. cdktf's `Fn.rawString` escapes only `${`, so every construct that emits a
 * string from outside goes through these functions. The loader's refusal of `${` and `%{` is the
 * second wall, not the only one.
 */
import { Token } from "cdktf";
import { GRAPHEME_PREPEND_CLASS } from "../model/grapheme-prepend";

/** Unicode's grapheme-cluster Prepend characters (see {@link GRAPHEME_PREPEND_CLASS}). */
const PREPEND = GRAPHEME_PREPEND_CLASS;

/** A Prepend character at the end of the text or before a character JSON writes as an escape. */
const PREPEND_BEFORE_ESCAPE = new RegExp(`([${PREPEND}])(?=$|["\\\\\\u0000-\\u001f\\ud800-\\udfff])`, "gu");

/** cdktf's encoding of a string token, the whole string (`${TfToken[TOKEN.12]}`). */
const WHOLE_STRING_TOKEN = /^\$\{TfToken\[[a-zA-Z0-9:._-]+\]\}$/;

/**
 * What escape() rewrites: a run of `$`, `#` and `&` before `{TfToken[` (cdktf's token markers,
 * `${TfToken[`, `#{TfToken[`, `&{TfToken[`), `${` and `%{`.
 */
const ESCAPED = /[$#&]+(?=\{TfToken\[)|\$\{|%\{/g;

/** A run of `$`, `#` and `&` before `{TfToken[`: what would make cdktf read text as a token. */
const TOKEN_MARKER_RUN = /[$#&]+(?=\{TfToken\[)/g;

/**
 * `text` as Terraform evaluates it to itself: every `${` becomes `$${` and every `%{` becomes
 * `%%{`. Text only: what spells a cdktf token (`${TfToken[TOKEN.12]}`, or its list and map forms
 * `#{…` and `&{…`) stays text too, written so that cdktf does not take it for the reference it
 * spells (each `$`, `#` or `&` before `{TfToken[` as the interpolation `${"$"}`). A value that
 * may be a reference a construct made goes through {@link terraformLiteralOrToken}.
 */
export function terraformLiteral(text: string): string {
  return escape(text);
}

/**
 * The text that {@link terraformLiteral} made `literal` from: its exact inverse (`$${` and `%%{`
 * back to `${` and `%{`, each `${"$"}`, `${"#"}` or `${"&"}` back to its character, each `${""}`
 * dropped), for a construct that must write a literal another construct made into an expression
 * of its own.
 */
export function textOfTerraformLiteral(literal: string): string {
  return literal.replace(LITERAL_PARTS, (m, c: string | undefined) => (m === "$${" ? "${" : m === "%%{" ? "%{" : (c ?? "")));
}

/** What {@link escape} writes, scanned left to right: a doubled `${` or `%{`, or a constant interpolation of `$`, `#`, `&` or nothing. */
const LITERAL_PARTS = /\$\$\{|%%\{|\$\{"([$#&]?)"\}/g;

/**
 * `value` unchanged when it is exactly one cdktf string token (a reference a construct made, such
 * as a variable's value), else {@link terraformLiteral}: for a prop that is either a reference or
 * text from the config, never both in one string.
 */
export function terraformLiteralOrToken(value: string): string {
  return Token.isUnresolved(value) && WHOLE_STRING_TOKEN.test(value) ? value : terraformLiteral(value);
}

/**
 * A value (string, list or object, nested) whose every string is {@link terraformLiteralOrToken}
 * (a construct's record may hold a reference, such as a witness's digest of a variable, as one
 * whole string) and every object key {@link terraformLiteral}; numbers, booleans and tokens of
 * other types pass unchanged.
 */
export function terraformLiterals<T>(value: T): T {
  if (typeof value === "string") return terraformLiteralOrToken(value) as T;
  if (Array.isArray(value)) return value.map((v) => terraformLiterals(v)) as T;
  if (value !== null && typeof value === "object" && isPlainObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [terraformLiteral(k), terraformLiterals(v)])) as T;
  }
  return value;
}

/** A mapping written as `{…}` or made without a prototype (`Object.create(null)`), not an instance of a class (a token). */
function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** HCL's escapes for a quoted string: JSON's, but without `\b` and `\f`, which HCL does not have. */
const HCL_ESCAPES: Readonly<Record<string, string>> = { '"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t" };

/**
 * `text` as a quoted string literal inside a Terraform expression (`"…"` within `${…}`): quotes
 * and backslashes escaped, line feeds, carriage returns and tabs as `\n`, `\r`, `\t`, every other
 * C0 control, every {@link PREPEND} character and the `$`, `#` or `&` of a cdktf token's
 * spelling as `\uNNNN` (HCL has no `\b` or `\f`, which JSON.stringify would write; an escaped
 * `$` opens no interpolation), and literal as {@link terraformLiteral} makes it, since a quoted string in an expression is a template too.
 */
export function terraformStringExpression(text: string): string {
  const quoted = text
    .replace(new RegExp(`["\\\\\\u0000-\\u001f${PREPEND}]`, "gu"), (c) => HCL_ESCAPES[c] ?? hclCodePoint(c))
    .replace(TOKEN_MARKER_RUN, (run) => [...run].map(hclCodePoint).join(""));
  return escape(`"${quoted}"`);
}

/** `\uNNNN` or `\UNNNNNNNN`: HCL's escape of a character in a quoted string. */
function hclCodePoint(c: string): string {
  const cp = c.codePointAt(0)!;
  return cp > 0xffff ? `\\U${cp.toString(16).padStart(8, "0")}` : `\\u${cp.toString(16).padStart(4, "0")}`;
}

/**
 * The text with `${` and `%{` doubled, each `$`, `#` or `&` of a token marker written as a
 * constant interpolation (`${"$"}`: cdktf then finds no marker, and `$${` cannot form, since the
 * run before `{TfToken[` is rewritten whole), and an empty interpolation (`${""}`) after a
 * {@link PREPEND} character that JSON would write next to a quote or a backslash.
 */
function escape(text: string): string {
  return text
    .replace(ESCAPED, (m) => (m === "${" ? "$${" : m === "%{" ? "%%{" : [...m].map((c) => `\${"${c}"}`).join("")))
    .replace(PREPEND_BEFORE_ESCAPE, (c) => `${c}\${""}`);
}
