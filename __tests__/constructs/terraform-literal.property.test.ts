/**
 * Property tests of the Terraform escape, in process (fast-check, fixed seed): text from the
 * config or from GitHub, with every character of Unicode's Cf, Zs and C1 sets (and sequences of
 * them) between `$`/`%` and `{`, reaches a synthesized stack as text that Terraform reads back
 * literally, by the model of Terraform's template scanner in test-support/injection.ts. Real
 * Terraform evaluates a batch of the same inputs in __tests__/e2e/terraform-literal.test.ts,
 * which also checks the model.
 */
import fc from "fast-check";
import { Testing } from "cdktf";
import { stringify } from "yaml";
import { parseConfig } from "../../lib/config/load";
import { OrganizationStack } from "../../lib/constructs/organization-stack";
import { OrgTokenPolicy } from "../../lib/constructs/org-token-policy";
import { terraformLiteral, terraformLiterals, terraformStringExpression } from "../../lib/constructs/terraform-literal";
import { clean, md } from "../../lib/text";
import {
  C0,
  TEXT_POSITIONS,
  allStrings,
  entryWithTexts,
  injectionText,
  markerFile,
  readQuoted,
  readTemplate,
} from "../../test-support/injection";

const SEED = 29_2026;
const marker = markerFile();
/** Text with a sigil and a brace that the loader lets through: something stands between them. */
const TEMPLATE = /[$%]\{/;

describe("terraformLiteral (property)", () => {
  test("any text, C0 controls included, reads back as itself and opens no expression", () => {
    fc.assert(
      fc.property(injectionText(marker, { extra: C0 }), (text) => {
        // GIVEN text as it came from a config or from GitHub; WHEN it is made literal
        const reading = readTemplate(terraformLiteral(text));
        // THEN Terraform's scanner reads the text back and finds no interpolation or directive
        expect(reading).toEqual({ text, live: [] });
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  test("object keys and nested values read back as themselves", () => {
    fc.assert(
      fc.property(fc.dictionary(injectionText(marker), fc.array(injectionText(marker), { maxLength: 3 }), { maxKeys: 4 }), (value) => {
        const escaped = terraformLiterals(value);
        const read = Object.fromEntries(
          Object.entries(escaped).map(([k, v]) => [readTemplate(k).text, v.map((s) => readTemplate(s).text)]),
        );
        expect(read).toEqual(value);
        expect(allStrings(escaped).flatMap((s) => readTemplate(s).live)).toEqual([]);
      }),
      { seed: SEED, numRuns: 100 },
    );
  });

  test("a quoted string inside an expression reads back as itself, C0 controls included", () => {
    fc.assert(
      fc.property(injectionText(marker, { extra: C0 }), (text) => {
        expect(readQuoted(terraformStringExpression(text))).toEqual({ text, live: [] });
      }),
      { seed: SEED, numRuns: 300 },
    );
  });
});

/** A text for each free-form position; the loader's door (no `${`/`%{` as written) is respected unless `raw`. */
function textsFor(raw: boolean): fc.Arbitrary<string[]> {
  const text = injectionText(marker, { maxFragments: 2 }).filter((t) => t.length > 0 && (raw || !TEMPLATE.test(t)));
  return fc.array(text, { minLength: TEXT_POSITIONS.length, maxLength: TEXT_POSITIONS.length });
}

/** Where a stack string read by Terraform could show a position's text: as written, Markdown-escaped or JSON-quoted. */
function spellings(text: string): string[] {
  return [text, md(text), clean(text), JSON.stringify(text).slice(1, -1)];
}

describe("an organization entry's free-form text in a synthesized stack (property)", () => {
  test("every text the loader lets through reaches the stack as text, and no expression reads the marker", () => {
    let synthesized = 0;
    fc.assert(
      fc.property(textsFor(false), (texts) => {
        // GIVEN an entry with an injection in every free-form position
        const { config, problems } = parseConfig(stringify({ organizations: [entryWithTexts(texts)] }), "generated.yaml");
        if (!config) {
          // (the loader may refuse a text for another reason: a URL with a space, a name over 34 characters; it names the place)
          const paths = TEXT_POSITIONS.map((p) => `organizations[0].${p.path}`);
          for (const p of problems)
            expect(paths.filter((path) => p.path === path || p.path === path.replace(/\[0\]$/, ""))).not.toEqual([]);
          return;
        }
        synthesized++;
        // WHEN the stack is synthesized
        const entry = config.organizations[0];
        const stack = new OrganizationStack(Testing.app(), entry.login, { organizationLogin: entry.login, organizationConfig: entry });
        OrgTokenPolicy.fromConfig(stack, "token-policy", entry);
        const readings = allStrings(JSON.parse(Testing.synth(stack))).map(readTemplate);
        // THEN no interpolation or directive Terraform would evaluate names the marker file
        expect(readings.flatMap((r) => r.live).filter((l) => l.includes(marker.path))).toEqual([]);
        // AND each position's text is in what Terraform reads, whole
        const read = readings.map((r) => r.text);
        TEXT_POSITIONS.forEach((position, i) => {
          if (!position.reachesStack) return;
          const found = spellings(texts[i]).some((s) => read.some((r) => r.includes(s)));
          if (!found) throw new Error(`${position.path}: ${JSON.stringify(texts[i])} is not in any string Terraform reads`);
        });
      }),
      { seed: SEED, numRuns: 60 },
    );
    // (a property over refusals only would test nothing)
    expect(synthesized).toBeGreaterThan(10);
  });

  test("the loader refuses a raw ${ or %{ in any free-form position, naming that position", () => {
    fc.assert(
      fc.property(textsFor(false), fc.nat(TEXT_POSITIONS.length - 1), fc.constantFrom("${", "%{"), (texts, at, sigil) => {
        // GIVEN an entry with a raw sigil and brace in one position
        const withRaw = texts.map((t, i) => (i === at ? `${t}${sigil}${marker.read}}` : t));
        // WHEN it is loaded
        const { config, problems } = parseConfig(stringify({ organizations: [entryWithTexts(withRaw)] }), "generated.yaml");
        // THEN it is refused, with a problem at that position that says why
        expect(config).toBeUndefined();
        const at0 = `organizations[0].${TEXT_POSITIONS[at].path}`;
        expect(problems.filter((p) => p.path === at0 && p.message.includes("${ or %{"))).toHaveLength(1);
      }),
      { seed: SEED, numRuns: 100 },
    );
  });
});
