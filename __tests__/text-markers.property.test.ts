/**
 * Invisible characters in text from a config or from GitHub are shown, never deleted, and shown
 * the same way wherever the text is read: as `<U+XXXX>` in the member guide, the report a
 * reviewer reads, and `review`'s tables and step summary (fast-check, fixed seed). In Markdown
 * the marker's angle brackets are escaped (`\<U+202E\>`), which GitHub renders as `<U+202E>`.
 */
import fc from "fast-check";
import { memberGuideMarkdown } from "../lib/model/guide-text";
import { describeOrganization } from "../lib/report/describe";
import { byRule } from "../lib/approval/outcomes";
import { renderReviewMarkdown, renderReviewTables, type ReviewReport } from "../cli/render/review";
import { orgEntry, parseOrg } from "../test-support/config";
import { C0, C1, CF, PREPEND } from "../test-support/injection";

/**
 * What must be shown as a marker: C0 controls other than tab and line feed (which become a
 * space), C1, Cf (bidi controls among them) but the Prepend characters the loader refuses,
 * Unicode's other default-ignorable code points and the line and paragraph separators.
 */
const INVISIBLE = [
  ...C0.filter((c) => c !== "\t" && c !== "\n"),
  ...C1,
  ...CF.filter((c) => !PREPEND.includes(c)),
  "\u115f",
  "\u3164",
  "\ufe0f",
  "\u{e0100}",
  "\u2028",
  "\u2029",
];

/** `<U+202E>` */
const marker = (c: string) => `<U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}>`;

/** Text of letters and invisible characters, in runs (no `@`, after which Markdown output adds a word joiner on purpose). */
const text = fc
  .array(fc.oneof(fc.constantFrom(...INVISIBLE), fc.constantFrom("a", "b", " ", "$", "{", "%")), { minLength: 1, maxLength: 12 })
  .map((a) => `r ${a.join("")} z`)
  .filter((t) => !/[$%]\{/.test(t));

/** The invisible characters of `text` that `output` holds raw, and those it does not show as a marker. */
function unshown(text: string, output: string, markdown: boolean): string[] {
  const invisible = [...new Set([...text].filter((c) => INVISIBLE.includes(c)))];
  const shown = (c: string) => output.includes(markdown ? `\\<${marker(c).slice(1, -1)}\\>` : marker(c));
  return invisible.filter((c) => output.includes(c) || !shown(c)).map(marker);
}

describe("invisible characters in guide, report and summaries (property)", () => {
  test("each is shown as its <U+XXXX> marker and none is left raw or deleted", () => {
    fc.assert(
      fc.property(text, (reason) => {
        // GIVEN a deny rule's reason and the otherwise reason holding invisible characters
        const org = parseOrg(
          orgEntry({
            approval: {
              rules: [{ name: "deny all", action: "deny", reason, match: { owners: ["*"] } }],
              otherwise: "deny",
              otherwiseReason: reason,
            },
          }),
        );
        const report: ReviewReport = {
          org: org.login,
          applied: false,
          decisions: [{ requestId: 1, owner: "mona", tokenName: reason, action: "deny", decidedBy: byRule("deny all"), reason }],
          revocations: [{ tokenId: 2, owner: "mona", tokenName: "t", reason } as ReviewReport["revocations"][number]],
          unreadableGrants: [],
        };
        // WHEN the guide, the report and review's summaries are written
        const outputs: [string, string, boolean][] = [
          ["guide", memberGuideMarkdown(org), true],
          ["report", describeOrganization(org), true],
          ["review step summary", renderReviewMarkdown(report), true],
          ["review tables", renderReviewTables(report, 10_000), false],
        ];
        // THEN each shows every invisible character of the reason as its marker, and none raw
        for (const [where, output, markdown] of outputs)
          expect({ where, unshown: unshown(reason, output, markdown) }).toEqual({ where, unshown: [] });
      }),
      { seed: 29_2026, numRuns: 150 },
    );
  });
});
