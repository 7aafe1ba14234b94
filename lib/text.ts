/** Text from GitHub or a config, made safe for a terminal or for Markdown; and name suggestions. */
import { closest, distance } from "fastest-levenshtein";

/**
 * Bidirectional-text controls (U+061C, U+200E–U+200F, U+202A–U+202E, U+2066–U+2069): they can
 * make a report or terminal show text in an order other than its bytes ("Trojan Source").
 */
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Characters that show as nothing or as a line break where none is expected: Unicode's
 * default-ignorable code points (zero-width space and joiners, word joiner, soft hyphen, variation
 * selectors, Hangul fillers, the tag characters U+E0000–U+E007F, …), other format characters, and
 * the line and paragraph separators. Two names that differ only by one of them look the same.
 */
const INVISIBLE = /[\p{Default_Ignorable_Code_Point}\p{Cf}\u2028\u2029]/gu;

/** `<U+200B>` for an invisible character: shown, so that it can be seen and searched for. */
function visible(char: string): string {
  return `<U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}>`;
}

/**
 * Makes text safe for a terminal or a report without deleting a character: a tab or a line feed
 * becomes one space; other control characters (C0, C1, carriage return and escape among them),
 * bidi controls and other invisible characters are shown as `<U+XXXX>`. A character
 * that was removed could join what it separated (`$`, U+202E, `{` would read `\${`); a marker
 * keeps both what is there and where.
 */
export function clean(text: string): string {
  return text
    .replace(/[\t\n]/g, " ")
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, visible)
    .replace(BIDI, visible)
    .replace(INVISIBLE, visible);
}

/**
 * Escapes text for Markdown prose and table cells, as GitHub renders them: what {@link clean}
 * does (control, bidi and invisible characters shown as `<U+XXXX>`), Markdown syntax, HTML (`<`, `>`, `&`), and
 * @-mentions (a word joiner after `@`, so nobody is notified by a
 * value from a config or from GitHub).
 */
export function md(text: string): string {
  return clean(text)
    .replace(/([\\|`*_[\]<>#!~])/g, "\\$1")
    .replace(/&/g, "&amp;")
    .replace(/@/g, "@\u2060");
}

/** ` (did you mean "x"?)` for the closest known name within a few edits, or nothing. */
export function didYouMean(name: string, known: readonly string[]): string {
  if (known.length === 0) return "";
  const best = closest(name, [...known]);
  return distance(name, best) <= Math.max(2, Math.floor(name.length / 4)) ? ` (did you mean "${best}"?)` : "";
}
