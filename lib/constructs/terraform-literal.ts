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

/** cdktf's encoding of a string token inside a string (`${TfToken[TOKEN.12]}`). */
const STRING_TOKEN = /(\$\{TfToken\[[a-zA-Z0-9:._-]+\]\})/;

/**
 * `text` as Terraform evaluates it to itself: every `${` becomes `$${` and every `%{` becomes
 * `%%{`. A cdktf token in it (a reference a construct made, such as a variable's value) stays a
 * reference; only the text around it is escaped.
 */
export function terraformLiteral(text: string): string {
  if (!Token.isUnresolved(text)) return escape(text);
  // split() with a capturing group: the tokens are at the odd indexes.
  return text
    .split(STRING_TOKEN)
    .map((part, i) => (i % 2 === 1 ? part : escape(part)))
    .join("");
}

/**
 * A value (string, list or object, nested) whose every string and every object key is
 * {@link terraformLiteral}; numbers, booleans and tokens of other types pass unchanged.
 */
export function terraformLiterals<T>(value: T): T {
  if (typeof value === "string") return terraformLiteral(value) as T;
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
 * C0 control and every {@link PREPEND} character as `\uNNNN` (HCL has no `\b` or `\f`, which
 * JSON.stringify would write), and literal as {@link terraformLiteral} makes it, since a quoted string in an expression is a template too.
 */
export function terraformStringExpression(text: string): string {
  const quoted = text.replace(new RegExp(`["\\\\\\u0000-\\u001f${PREPEND}]`, "gu"), (c) => HCL_ESCAPES[c] ?? hclCodePoint(c));
  return escape(`"${quoted}"`);
}

/** `\uNNNN` or `\UNNNNNNNN`: HCL's escape of a character in a quoted string. */
function hclCodePoint(c: string): string {
  const cp = c.codePointAt(0)!;
  return cp > 0xffff ? `\\U${cp.toString(16).padStart(8, "0")}` : `\\u${cp.toString(16).padStart(4, "0")}`;
}

/**
 * The text with `${` and `%{` doubled, and an empty interpolation (`${""}`, which evaluates to
 * nothing) after a {@link PREPEND} character that JSON would write next to a quote or a backslash.
 */
function escape(text: string): string {
  return text
    .replace(/\$\{/g, "$$${")
    .replace(/%\{/g, "%%{")
    .replace(PREPEND_BEFORE_ESCAPE, (c) => `${c}\${""}`);
}
