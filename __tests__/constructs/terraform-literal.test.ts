/**
 * The Terraform escape on examples: `${` and `%{` doubled, tokens kept, object keys escaped, and
 * the faults the property tests found (HCL has no `\b` or `\f`; a mapping without a prototype; a
 * grapheme Prepend character before a quote). The properties are in
 * terraform-literal.property.test.ts; real Terraform evaluates them in __tests__/e2e/terraform-literal.test.ts.
 */
import { Testing, TerraformOutput, TerraformStack, TerraformVariable } from "cdktf";
import {
  terraformLiteral,
  terraformLiteralOrToken,
  terraformLiterals,
  terraformStringExpression,
} from "../../lib/constructs/terraform-literal";
import { hiddenByPrepend, readQuoted, readTemplate } from "../../test-support/injection";

describe("terraformLiteral", () => {
  test("doubles the sigil of every ${ and %{ and of nothing else", () => {
    expect(terraformLiteral("a ${b} %{c} $d %e {f}")).toBe("a $${b} %%{c} $d %e {f}");
    expect(terraformLiteral("$${x}")).toBe("$$${x}");
  });

  test("keeps a value that is a cdktf token a reference, through terraformLiteralOrToken", () => {
    // GIVEN a variable's token, and text from a config
    const stack = new TerraformStack(Testing.app(), "s");
    const token = new TerraformVariable(stack, "v", { type: "string" }).stringValue;
    // WHEN each goes through terraformLiteralOrToken; THEN the token is kept and the text escaped
    expect(terraformLiteralOrToken(token)).toBe(token);
    expect(terraformLiteralOrToken("${x}")).toBe("$${x}");
    // AND a token inside text is text: a prop is a reference or text, never both
    expect(terraformLiteralOrToken(`a ${token}`)).toBe(terraformLiteral(`a ${token}`));
  });

  test("a text that spells a cdktf token stays text: cdktf does not resolve it to the reference it names", () => {
    // GIVEN a stack whose first token is a sensitive variable's value, and texts that spell it
    // (plain, already escaped, as a list and a map token)
    const stack = new TerraformStack(Testing.app(), "s");
    const secret = new TerraformVariable(stack, "private_key", { type: "string", sensitive: true });
    const spelled = secret.stringValue;
    expect(spelled).toMatch(/^\$\{TfToken\[TOKEN\.\d+\]\}$/);
    const texts = [spelled, `$${spelled}`, `reason ${spelled} end`, spelled.replace("$", "#"), spelled.replace("$", "$&")];
    // WHEN each is made literal, in a value and as an expression string, and the stack is synthesized
    texts.forEach((t, i) => {
      new TerraformOutput(stack, `text_${i}`, { value: terraformLiteral(t), sensitive: true });
      new TerraformOutput(stack, `quoted_${i}`, { value: `\${${terraformStringExpression(t)}}`, sensitive: true });
    });
    const outputs = JSON.parse(Testing.synth(stack)).output as Record<string, { value: string }>;
    // THEN Terraform reads each back as the text, and none names the variable
    texts.forEach((t, i) => {
      expect(readTemplate(outputs[`text_${i}`].value)).toEqual({ text: t, live: [] });
      expect(readQuoted(outputs[`quoted_${i}`].value.slice(2, -1))).toEqual({ text: t, live: [] });
    });
    expect(JSON.stringify(outputs)).not.toContain("var.private_key");
  });

  test("escapes object keys and nested values, and leaves numbers and booleans", () => {
    expect(terraformLiterals({ "k${1}": ["%{x}", 3, true, { y: "${z}" }] })).toEqual({ "k$${1}": ["%%{x}", 3, true, { y: "$${z}" }] });
  });

  test("quotes a backspace and a form feed as \\u escapes in an expression string, which HCL reads (it has no \\b or \\f)", () => {
    // GIVEN text with a backspace and a form feed; WHEN it is quoted for an expression
    const quoted = terraformStringExpression("a\bb\fc");
    // THEN HCL's escapes spell them, and HCL reads the text back
    expect(quoted).toBe('"a\\u0008b\\u000cc"');
    expect(readQuoted(quoted).text).toBe("a\bb\fc");
  });

  test("escapes the keys of a mapping made without a prototype", () => {
    // GIVEN a mapping such as Object.create(null) makes
    const value = Object.assign(Object.create(null) as Record<string, string>, { "${k}": "%{v}" });
    // WHEN it is made literal; THEN its keys and values are escaped like a plain object's
    expect(terraformLiterals(value)).toEqual({ "$${k}": "%%{v}" });
  });

  test("ends a grapheme Prepend character before a quote or an escape with an empty interpolation, so Terraform's JSON reader sees the quote", () => {
    // GIVEN U+0600 at the end of a text, and before a quote, a backslash and a line feed
    for (const text of ["n\u0600", 'n\u0600"q', "n\u0600\\q", "n\u0600\nq", "\u{110bd}"]) {
      // WHEN it is made literal
      const literal = terraformLiteral(text);
      // THEN no Prepend character stands before a quote or backslash of its JSON, and it reads back as itself
      expect(hiddenByPrepend(JSON.stringify(literal))).toEqual([]);
      expect(readTemplate(literal)).toEqual({ text, live: [] });
    }
    // AND one in the middle of a word is left as it is
    expect(terraformLiteral("n\u0600m")).toBe("n\u0600m");
    // AND inside an expression string it is written as HCL's \u escape
    expect(terraformStringExpression("\u0600")).toBe('"\\u0600"');
  });
});
