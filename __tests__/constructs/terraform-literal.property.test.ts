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
import {
  terraformLiteral,
  terraformLiterals,
  terraformStringExpression,
  textOfTerraformLiteral,
} from "../../lib/constructs/terraform-literal";
import { clean, md } from "../../lib/text";
import {
  C0,
  TEXT_POSITIONS,
  admittedText,
  allStrings,
  entryWithTexts,
  hiddenByPrepend,
  PREPEND,
  injectionText,
  markerFile,
  readQuoted,
  readTemplate,
} from "../../test-support/injection";

const SEED = 29_2026;
const marker = markerFile();

describe("terraformLiteral (property)", () => {
  test("any text, C0 controls included, reads back as itself and opens no expression", () => {
    fc.assert(
      fc.property(injectionText(marker, { extra: C0 }), (text) => {
        // GIVEN text as it came from a config or from GitHub; WHEN it is made literal
        const literal = terraformLiteral(text);
        // THEN Terraform's scanner reads the text back and finds no interpolation or directive
        expect(readTemplate(literal)).toEqual({ text, live: [] });
        // AND its JSON reader sees every quote and backslash of it
        expect(hiddenByPrepend(JSON.stringify(literal))).toEqual([]);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  test("textOfTerraformLiteral gives back the text terraformLiteral was given, whatever it holds", () => {
    fc.assert(
      fc.property(injectionText(marker, { extra: C0 }), (text) => {
        expect(textOfTerraformLiteral(terraformLiteral(text))).toBe(text);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  test("object keys and nested values read back as themselves", () => {
    // (a value that is exactly a cdktf token's spelling is kept as the reference: terraformLiterals
    // writes a construct's records, which may hold one; the loader refuses `${`)
    const value = injectionText(marker).filter((t) => !/^\$\{TfToken\[[^\]]*\]\}$/.test(t));
    fc.assert(
      fc.property(fc.dictionary(injectionText(marker), fc.array(value, { maxLength: 3 }), { maxKeys: 4 }), (value) => {
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
        const expression = terraformStringExpression(text);
        expect(readQuoted(expression)).toEqual({ text, live: [] });
        expect(hiddenByPrepend(JSON.stringify(`\${[${expression}]}`))).toEqual([]);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });
});

/** A text the loader lets through for each free-form position. */
function textsFor(): fc.Arbitrary<string[]> {
  return fc.array(admittedText(marker, { maxFragments: 2 }), { minLength: TEXT_POSITIONS.length, maxLength: TEXT_POSITIONS.length });
}

/** Where a stack string read by Terraform could show a position's text: as written, Markdown-escaped (and trimmed) or JSON-quoted. */
function spellings(text: string): string[] {
  // (the guide trims a line, so a reason of spaces alone shows as nothing)
  return [text, md(text), clean(text), JSON.stringify(text).slice(1, -1), md(text).trim()];
}

describe("an organization entry's free-form text in a synthesized stack (property)", () => {
  test("every text the loader lets through reaches the stack as text, and no expression reads the marker", () => {
    let synthesized = 0;
    fc.assert(
      fc.property(textsFor(), (texts) => {
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
        const json = Testing.synth(stack);
        const readings = allStrings(JSON.parse(json)).map(readTemplate);
        // THEN Terraform's JSON reader sees every quote and backslash of the stack
        expect(hiddenByPrepend(json)).toEqual([]);
        // AND no interpolation or directive Terraform would evaluate names the marker file
        expect(readings.flatMap((r) => r.live).filter((l) => l.includes(marker.path))).toEqual([]);
        // AND each position's text is in what Terraform reads, whole
        const read = readings.map((r) => r.text);
        TEXT_POSITIONS.forEach((position, i) => {
          if (!position.reachesStack) return;
          const found = spellings(texts[i]).some((s) => read.some((r) => r.includes(s)));
          if (!found) throw new Error(`${position.path}: ${JSON.stringify(texts[i])} is not in any string Terraform reads`);
        });
      }),
      { seed: SEED, numRuns: 40 },
    );
    // (a property over refusals only would test nothing)
    expect(synthesized).toBeGreaterThan(10);
  });

  test("the loader refuses a raw ${ or %{, a cdktf token spelling or a grapheme Prepend character, in any free-form position, naming that position", () => {
    const refused = fc.oneof(
      fc.constantFrom("${", "%{").map((sigil) => ({ text: `${sigil}${marker.read}}`, why: "contains ${ or %{" })),
      fc.constantFrom("#", "&").map((sigil) => ({ text: `${sigil}{TfToken[TOKEN.0]}`, why: "cdktf's spelling of a reference" })),
      fc.constantFrom(...PREPEND).map((p) => ({
        text: p,
        why: `contains U+${p.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}, a character that joins`,
      })),
    );
    fc.assert(
      fc.property(textsFor(), fc.nat(TEXT_POSITIONS.length - 1), refused, (texts, at, { text, why }) => {
        // GIVEN an entry with a raw sigil and brace, a token spelling or a Prepend character, in one position
        const withRaw = texts.map((t, i) => (i === at ? `${t}${text}` : t));
        // WHEN it is loaded
        const { config, problems } = parseConfig(stringify({ organizations: [entryWithTexts(withRaw)] }), "generated.yaml");
        // THEN it is refused, with a problem at that position that says why
        expect(config).toBeUndefined();
        const at0 = `organizations[0].${TEXT_POSITIONS[at].path}`;
        expect(problems.filter((p) => p.path === at0 && p.message.includes(why))).toHaveLength(1);
      }),
      { seed: SEED, numRuns: 100 },
    );
  });
});
