/**
 * Text from a config or from GitHub, on its way to a terminal, a report or the member guide:
 * nothing in it may hide, reorder or impersonate what is shown.
 */
import { clean, md } from "../lib/text";

describe("clean", () => {
  test.each([
    ["zero-width space", "release\u200b-bot", "release<U+200B>-bot"],
    ["zero-width joiner and non-joiner", "a\u200db\u200cc", "a<U+200D>b<U+200C>c"],
    ["word joiner", "oct\u2060ocat", "oct<U+2060>ocat"],
    ["byte order mark", "\ufeffacme", "<U+FEFF>acme"],
    ["soft hyphen", "ad\u00admin", "ad<U+00AD>min"],
    ["Unicode tag characters", "ok\u{E0041}\u{E0042}", "ok<U+E0041><U+E0042>"],
    ["variation selector", "x\ufe0f", "x<U+FE0F>"],
    ["Hangul filler", "a\u3164b", "a<U+3164>b"],
    ["line separator", "a\u2028b", "a<U+2028>b"],
  ])("shows a %s escaped", (_what, input, shown) => {
    expect(clean(input)).toBe(shown);
  });

  test("shows bidi and control characters as markers and deletes none", () => {
    // GIVEN text whose bidi and control characters, deleted, would join `$` and `{`
    // WHEN it is cleaned THEN each stays where it was, shown
    expect(clean("a\u202eb\u2066c\u0007d\u009be\u001b[2J")).toBe("a<U+202E>b<U+2066>c<U+0007>d<U+009B>e<U+001B>[2J");
    expect(clean("$\u202e{x}")).toBe("$<U+202E>{x}");
  });

  test("turns a tab or a line feed into one space each", () => {
    expect(clean("a\tb\n\nc")).toBe("a b  c");
  });

  test("leaves visible text, accents and other scripts alone", () => {
    expect(clean("Zoë’s token — ключ 鍵")).toBe("Zoë’s token — ключ 鍵");
  });
});

describe("md", () => {
  test("shows invisible characters escaped, as Markdown that renders them", () => {
    expect(md("admins\u200b")).toBe("admins\\<U+200B\\>");
  });

  test("the word joiner it adds after @ stays, so nobody is mentioned", () => {
    expect(md("@octocat")).toBe("@\u2060octocat");
  });
});
