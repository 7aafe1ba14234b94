/**
 * Text from the config or from GitHub reaches a synthesized stack as text, never as a Terraform
 * expression: real Terraform (1.11 here) evaluates every emitted string back to what was given,
 * for every character of Unicode's Cf, Zs and C1 sets (and sequences of them) placed between
 * `$` or `%` and `{`, in every free-form position of an organization entry.
 *
 * fast-check is not installed; the generator below is deterministic and exhaustive over those
 * sets: each character on its own, each next to each of a few others, and runs of them.
 */
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { Testing, TerraformStack, TerraformVariable } from "cdktf";
import { OrganizationStack } from "../../lib/constructs/organization-stack";
import { OrgTokenPolicy } from "../../lib/constructs/org-token-policy";
import { terraformLiteral, terraformLiterals, terraformStringExpression } from "../../lib/constructs/terraform-literal";
import { orgEntry, parseOrg } from "../../test-support/config";
import { terraformBinary, terraformDir } from "../../test-support/terraform";
import { tempDir } from "../../test-support/temp";

/** Every code point of a Unicode general category or set, as strings. */
function charactersOf(set: RegExp): string[] {
  const out: string[] = [];
  for (let cp = 0; cp <= 0x10ffff; cp++) {
    if (cp >= 0xd800 && cp <= 0xdfff) continue;
    const c = String.fromCodePoint(cp);
    if (set.test(c)) out.push(c);
  }
  return out;
}

const CF = charactersOf(/^\p{Cf}$/u);
const ZS = charactersOf(/^\p{Zs}$/u);
const C1 = charactersOf(/^[\u0080-\u009f]$/);
const ALL = [...CF, ...ZS, ...C1];

/** A file whose content must never reach a plan: what an injected `file()` would read. */
const marker = join(tempDir("literal-marker-"), "secret.txt");
const MARKER_CONTENT = "MARKER-3f9c2e-never-in-a-plan";
writeFileSync(marker, MARKER_CONTENT);

/** `$` or `%`, the given characters, `{` and an expression that reads the marker file. */
function injections(between: readonly string[]): string[] {
  const read = `file(${JSON.stringify(marker)})`;
  return between.flatMap((mid) => [`$${mid}{${read}}`, `%${mid}{ if ${read} != "" }x%{ endif }`]);
}

/** Each character alone, each after each of the bidi controls and the zero-width space, and all of a set in one run. */
function middles(): string[] {
  const pairs = ["\u202e", "\u200e", "\u2066", "\u200b"].flatMap((a) => ALL.map((b) => a + b));
  return [...ALL, ...pairs, CF.join(""), ZS.join(""), C1.join("")];
}

/** Strings that are already escapes, or raw expressions: literal whatever the loader would say. */
const SPELLINGS = [
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
  "{{",
  `\${file(${JSON.stringify(marker)})}`,
];

const binary = terraformBinary();
if (!binary) process.stdout.write("skipped: no terraform binary on the PATH; the literal checks under Terraform did not run\n");
const withTerraform = binary ? describe : describe.skip;

/** Terraform's value of each string, evaluated as the arguments of a resource are: `output` values of a provider-free config. */
function evaluate(values: Record<string, unknown>): Record<string, unknown> {
  const dir = terraformDir({ output: Object.fromEntries(Object.entries(values).map(([k, v]) => [k, { value: v }])) });
  const run = (args: string[]) => {
    const r = spawnSync("terraform", [...args, "-no-color"], {
      cwd: dir,
      encoding: "utf8",
      maxBuffer: 256 * 1024 * 1024,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        CHECKPOINT_DISABLE: "1",
        TF_CLI_CONFIG_FILE: "/dev/null",
        TF_IN_AUTOMATION: "1",
      },
    });
    const output = `${r.stdout ?? ""}${r.stderr ?? ""}`;
    expect(output).not.toContain(MARKER_CONTENT);
    if (r.status !== 0) throw new Error(`terraform ${args[0]} failed: ${output.slice(0, 2000)}`);
    return r.stdout;
  };
  run(["plan", "-input=false", "-out=tfplan"]);
  const planned = JSON.parse(run(["show", "-json", "tfplan"])).planned_values.outputs as Record<string, { value: unknown }>;
  return Object.fromEntries(Object.entries(planned).map(([k, o]) => [k, o.value]));
}

describe("terraformLiteral", () => {
  test("doubles the sigil of every ${ and %{ and of nothing else", () => {
    expect(terraformLiteral("a ${b} %{c} $d %e {f}")).toBe("a $${b} %%{c} $d %e {f}");
    expect(terraformLiteral("$${x}")).toBe("$$${x}");
  });

  test("keeps a cdktf token a reference and escapes the text around it", () => {
    // GIVEN a string that joins a variable's token and text from a config
    const app = Testing.app();
    const stack = new TerraformStack(app, "s");
    const token = new TerraformVariable(stack, "v", { type: "string" }).stringValue;
    // WHEN it is made literal
    const out = terraformLiteral(`\${x} ${token}`);
    // THEN the token is still there, whole, and only the text is escaped
    expect(out).toBe(`$\${x} ${token}`);
  });

  test("escapes object keys and nested values, and leaves numbers and booleans", () => {
    expect(terraformLiterals({ "k${1}": ["%{x}", 3, true, { y: "${z}" }] })).toEqual({ "k$${1}": ["%%{x}", 3, true, { y: "$${z}" }] });
  });
});

withTerraform("what Terraform makes of emitted text", () => {
  test(`every character of Cf (${CF.length}), Zs (${ZS.length}) and C1 (${C1.length}) between a sigil and a brace evaluates to itself`, () => {
    // GIVEN every injection the generator makes, raw (as if no loader had looked at them)
    const inputs = [...injections(middles()), ...SPELLINGS];
    // WHEN each is emitted through terraformLiteral, as a value and as an object key, and Terraform evaluates them
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

/** Every string (value or object key) of a synthesized stack that holds `needle`. */
function stringsHolding(value: unknown, needle: string, out: string[] = []): string[] {
  if (typeof value === "string") {
    if (value.includes(needle)) out.push(value);
  } else if (Array.isArray(value)) {
    for (const v of value) stringsHolding(v, needle, out);
  } else if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      if (k.includes(needle)) out.push(k);
      stringsHolding(v, needle, out);
    }
  }
  return out;
}

withTerraform("what Terraform makes of an organization entry's free-form text", () => {
  test("every position the loader lets such text through evaluates to the text, and no file is read", () => {
    // GIVEN an entry whose free-form strings hold the injections (the loader refuses a raw ${ or
    // %{, so each has a character between its sigil and its brace), among them every character
    // of Cf, Zs and C1
    const read = `file(${JSON.stringify(marker)})`;
    const inject = (mids: readonly string[]) => mids.map((m) => `$${m}{${read}} %${m}{ if ${read} != "" }x%${m}{ endif }`).join(" ");
    // GitHub's review reasons hold at most 1,024 characters: six characters per rule
    const chunks = Array.from({ length: Math.ceil(ALL.length / 6) }, (_, i) => ALL.slice(i * 6, i * 6 + 6));
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
    const app = Testing.app();
    const stack = new OrganizationStack(app, entry.login, { organizationLogin: entry.login, organizationConfig: entry });
    const policy = OrgTokenPolicy.fromConfig(stack, "token-policy", entry);
    // WHEN the stack is synthesized and Terraform evaluates every string of it that holds an injection
    const tf = JSON.parse(Testing.synth(stack));
    const { terraform: _block, ...emitted } = tf;
    const strings = stringsHolding(emitted, marker);
    expect(strings.length).toBeGreaterThan(5);
    const values = evaluate({
      strings,
      guide: tf.resource.github_repository_file[Object.keys(tf.resource.github_repository_file)[0]].content,
    });
    // THEN no file was read (evaluate checks Terraform's output), the guide is the text the
    // construct made, and each injection reached the stack whole
    expect(values.guide).toBe(policy.memberGuide!.guideContent.normalize("NFC"));
    expect(JSON.stringify(values)).not.toContain(MARKER_CONTENT);
    expect((values.strings as string[]).join("\n")).toContain(`{file(${JSON.stringify(marker)})}`);
  });
});
