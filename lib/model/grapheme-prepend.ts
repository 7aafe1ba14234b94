/**
 * Unicode's grapheme-cluster Prepend characters (GraphemeBreakProperty.txt, Unicode 16.0; Terraform
 * 1.11 segments by Unicode 15.0, a subset): the Arabic number signs U+0600–U+0605, U+06DD and
 * U+08E2, U+070F, U+0890–U+0891, U+0D4E and a few Brahmic letters and signs. Terraform reads a
 * `.tf.json` file by grapheme clusters, so such a character joins the character after it: written
 * just before a string's closing quote, or before the backslash of an escape JSON writes (`\"`,
 * `\\`, `\n`, `\u0001`), it hides that quote or backslash, and the whole file fails to parse
 * ("Invalid JSON string").
 */
export const GRAPHEME_PREPEND_CLASS =
  "\\u0600-\\u0605\\u06dd\\u070f\\u0890\\u0891\\u08e2\\u0d4e\\u{110bd}\\u{110cd}\\u{111c2}\\u{111c3}\\u{113d1}\\u{1193f}\\u{11941}\\u{11a3a}\\u{11a84}-\\u{11a89}\\u{11d46}\\u{11f02}";

/** Matches one {@link GRAPHEME_PREPEND_CLASS} character (a `u`-flag expression). */
export const GRAPHEME_PREPEND = new RegExp(`[${GRAPHEME_PREPEND_CLASS}]`, "u");
