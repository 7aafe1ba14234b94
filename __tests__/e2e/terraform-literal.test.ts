/**
 * Text from the config or from GitHub reaches a synthesized stack as text, never as a Terraform
 * expression: real Terraform (1.11 here) evaluates every emitted string back to what was given,
 * for every character of Unicode's Cf, Zs and C1 sets (and sequences of them) placed between
 * `$` or `%` and `{`, in every free-form position of an organization entry, and a marker file
 * that an injected `file()` would read never appears in its output. Each batch is one `terraform
 * plan` and one `terraform show`. The in-process properties (npm test) are in
 * __tests__/constructs/terraform-literal.property.test.ts; this file also checks their model of
 * Terraform's template scanner against Terraform.
 */
import fc from "fast-check";
import { Testing } from "cdktf";
import { stringify } from "yaml";
import { parseConfig } from "../../lib/config/load";
import { OrganizationStack } from "../../lib/constructs/organization-stack";
import { OrgTokenPolicy } from "../../lib/constructs/org-token-policy";
import { terraformLiteral, terraformLiterals, terraformStringExpression } from "../../lib/constructs/terraform-literal";
import { orgEntry, parseOrg } from "../../test-support/config";
import {
  C0,
  C1,
  CF,
  INVISIBLES,
  PREPEND,
  admittedText,
  SPELLINGS,
  ZS,
  TEXT_POSITIONS,
  allStrings,
  entryWithTexts,
  injectionText,
  markerFile,
  readTemplate,
} from "../../test-support/injection";
import { evaluateInTerraform, terraformBinary } from "../../test-support/terraform";

const SEED = 29_2026;
const marker = markerFile();

const binary = terraformBinary();
if (!binary) process.stdout.write("skipped: no terraform binary on the PATH; the literal checks under Terraform did not run\n");
const withTerraform = binary ? describe : describe.skip;

/** Terraform's values, after checking that its output never holds the marker file's content. */
function evaluate(values: Record<string, unknown>): Record<string, unknown> {
  const evaluation = evaluateInTerraform(values);
  expect(evaluation.output).not.toContain(marker.content);
  return evaluation.values;
}

/** `$` or `%`, the given characters, `{` and an expression that reads the marker file. */
function injections(between: readonly string[]): string[] {
  return between.flatMap((mid) => [`$${mid}{${marker.read}}`, `%${mid}{ if ${marker.read} != "" }x%{ endif }`]);
}

/** Each character alone, each after each of the bidi controls and the zero-width space, and all of a set in one run. */
function middles(): string[] {
  const pairs = ["\u202e", "\u200e", "\u2066", "\u200b"].flatMap((a) => INVISIBLES.map((b) => a + b));
  return [...INVISIBLES, ...pairs, CF.join(""), ZS.join(""), C1.join("")];
}

withTerraform("what Terraform makes of emitted text", () => {
  test(`every character of Cf (${CF.length}), Zs (${ZS.length}) and C1 (${C1.length}) between a sigil and a brace, and 300 generated texts, evaluate to themselves`, () => {
    // GIVEN every injection the exhaustive generator makes, 300 that fast-check makes (C0 controls
    // among their characters), and the already-escaped spellings, raw (as if no loader had looked at them)
    const generated = fc.sample(injectionText(marker, { extra: C0 }), { seed: SEED, numRuns: 300 });
    const inputs = [...injections(middles()), ...generated, ...SPELLINGS, `\${${marker.read}}`, `%{ if ${marker.read} != "" }x%{ endif }`];
    // WHEN each is emitted through terraformLiteral, as a value and as an object key, and as a
    // quoted string inside an expression, and Terraform evaluates them
    const values = evaluate({
      strings: inputs.map(terraformLiteral),
      keys: terraformLiterals(Object.fromEntries(inputs.map((s, i) => [`${i}:${s}`, i]))),
      quoted: `\${[${inputs.map(terraformStringExpression).join(", ")}]}`,
    });
    // THEN each evaluates to exactly what was given (in Unicode's NFC, as Terraform normalizes
    // every string it reads: U+2000 and U+2001 become U+2002 and U+2003), and no file was read
    const given = inputs.map((s) => s.normalize("NFC"));
    expect(values.strings).toEqual(given);
    expect(values.keys).toEqual(Object.fromEntries(given.map((s, i) => [`${i}:${s}`, i])));
    expect(values.quoted).toEqual(given);
  });
});

withTerraform("what Terraform makes of an organization entry's free-form text", () => {
  test("300 generated entries: every string of their stacks that holds an injection evaluates to what the model reads, and no file is read", () => {
    // GIVEN 300 entries with an injection in every free-form position (the loader refuses a raw
    // ${ or %{, so each has a character, or a sequence, of Cf, Zs or C1 between sigil and brace)
    const text = admittedText(marker, { maxFragments: 2 });
    const entries = fc.sample(fc.array(text, { minLength: TEXT_POSITIONS.length, maxLength: TEXT_POSITIONS.length }), {
      seed: SEED,
      numRuns: 300,
    });
    // WHEN each the loader accepts is synthesized, and Terraform evaluates, in one plan, every
    // string of every stack that holds a sigil or the marker file's path and that Terraform reads as text only
    const strings: string[] = [];
    let accepted = 0;
    let live = 0;
    for (const texts of entries) {
      const { config } = parseConfig(stringify({ organizations: [entryWithTexts(texts)] }), "generated.yaml");
      if (!config) continue;
      accepted++;
      const entry = config.organizations[0];
      const stack = new OrganizationStack(Testing.app(), entry.login, { organizationLogin: entry.login, organizationConfig: entry });
      OrgTokenPolicy.fromConfig(stack, "token-policy", entry);
      for (const s of allStrings(JSON.parse(Testing.synth(stack)))) {
        if (!s.includes(marker.path) && !/[$%]/.test(s)) continue;
        const reading = readTemplate(s);
        // (a string that also holds a reference the construct made is read by the model only; the
        // property test checks that none of its expressions holds the marker)
        if (reading.live.length) live++;
        else strings.push(s);
      }
    }
    expect(accepted).toBeGreaterThan(100);
    expect(strings.length).toBeGreaterThan(accepted);
    const values = evaluate({ strings });
    // THEN each evaluates to the text the model reads (so the model holds for Terraform), and no file was read
    expect(values.strings).toEqual(strings.map((s) => readTemplate(s).text.normalize("NFC")));
    process.stdout.write(
      `${accepted} of 300 entries accepted; ${strings.length} strings evaluated, ${live} with references left to the model\n`,
    );
  });

  test("a hand-written entry: every position the loader lets such text through evaluates to the text, and no file is read", () => {
    // GIVEN an entry whose free-form strings hold the injections, among them every character of Cf, Zs and C1 the loader admits
    const inject = (mids: readonly string[]) =>
      mids.map((m) => `$${m}{${marker.read}} %${m}{ if ${marker.read} != "" }x%${m}{ endif }`).join(" ");
    // GitHub's review reasons hold at most 1,024 characters: six characters per rule
    // (the loader refuses a grapheme Prepend character: the first test has them)
    const admitted = INVISIBLES.filter((c) => !PREPEND.includes(c));
    const chunks = Array.from({ length: Math.ceil(admitted.length / 6) }, (_, i) => admitted.slice(i * 6, i * 6 + 6));
    const short = inject(["\u202e", "\u2066"]);
    const entry = parseOrg(
      orgEntry({
        app: { name: "acme-broker", description: short, homepageUrl: "https://github.com/acme-corp", permissions: { contents: "read" } },
        approval: {
          rules: [
            ...chunks.map((mids, i) => ({
              name: `deny ${i}`,
              action: "deny",
              reason: inject(mids),
              match: { owners: [`mona${i}${inject(mids.slice(0, 1))}`] },
            })),
            { name: "deny by repository", action: "deny", reason: short, match: { repositories: [`tools${short}`] } },
          ],
          otherwise: "deny",
          otherwiseReason: short,
        },
        credentials: {
          actions: { visibility: "selected", repositories: ["release-tools"] },
          environments: [{ repository: "release-tools", environment: `production${inject(["\u200e"])}` }],
        },
        guide: { repository: ".github", branch: `main${inject(["\u061c"])}` },
      }),
    );
    const stack = new OrganizationStack(Testing.app(), entry.login, { organizationLogin: entry.login, organizationConfig: entry });
    const policy = OrgTokenPolicy.fromConfig(stack, "token-policy", entry);
    // WHEN the stack is synthesized and Terraform evaluates every string of it that holds an injection
    const tf = JSON.parse(Testing.synth(stack));
    const { terraform: _block, ...emitted } = tf;
    const strings = allStrings(emitted).filter((s) => s.includes(marker.path));
    expect(strings.length).toBeGreaterThan(5);
    const values = evaluate({
      strings,
      guide: tf.resource.github_repository_file[Object.keys(tf.resource.github_repository_file)[0]].content,
    });
    // THEN no file was read (evaluate checks Terraform's output), the guide is the text the
    // construct made, and each injection reached the stack whole
    expect(values.guide).toBe(policy.memberGuide!.guideContent.normalize("NFC"));
    expect(JSON.stringify(values)).not.toContain(marker.content);
    expect((values.strings as string[]).join("\n")).toContain(`{${marker.read}}`);
  });
});
