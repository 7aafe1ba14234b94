import { join } from "node:path";
import { Fn, Lazy, Testing, TerraformStack, TerraformVariable, Token } from "cdktf";
import * as tokens from "cdktf/lib/_tokens";
import { loadConfig } from "../../lib/config/load";
import { enterpriseOf } from "../../lib/config/effective-policy";
import { enterpriseStackName } from "../../lib/naming";
import { EnterprisePatPolicy } from "../../lib/constructs/enterprise-pat-policy";
import { EnterpriseStack } from "../../lib/constructs/enterprise-stack";
import { OrganizationStack } from "../../lib/constructs/organization-stack";
import { OrgTokenPolicy } from "../../lib/constructs/org-token-policy";
import { resolveTokensOnly, withFastResolve } from "../../lib/constructs/fast-resolve";

const resolveModule = tokens as unknown as { resolve: (scope: unknown, obj: unknown, preparing?: boolean) => unknown };

/** Every stack of the example config (token-policy.yaml), built as main.ts builds them, synthesized by `synth`. */
function exampleStacks(synth: (stack: TerraformStack) => string): Record<string, string> {
  const { config } = loadConfig(join(__dirname, "..", "..", "token-policy.yaml"));
  const out: Record<string, string> = {};
  for (const enterprise of config.enterprises) {
    const stack = new EnterpriseStack(Testing.app(), enterpriseStackName(enterprise.slug), {
      enterpriseSlug: enterprise.slug,
      githubUrl: enterprise.githubUrl,
      backend: enterprise.backend,
    });
    EnterprisePatPolicy.fromConfig(stack, "enterprise-pat-policy", enterprise);
    out[stack.node.id] = synth(stack);
  }
  for (const [i, org] of config.organizations.entries()) {
    const stack = new OrganizationStack(Testing.app(), org.login, {
      organizationLogin: org.login,
      githubUrl: org.githubUrl,
      backend: org.backend,
    });
    OrgTokenPolicy.fromConfig(stack, "token-policy", org, { configPath: `organizations[${i}]`, enterprise: enterpriseOf(config, org) });
    out[stack.node.id] = synth(stack);
  }
  return out;
}

/** A stack with a variable, for values that reference something. */
function stackWithVariable(): { stack: TerraformStack; v: TerraformVariable } {
  const stack = new TerraformStack(Testing.app(), "values");
  return { stack, v: new TerraformVariable(stack, "v", { type: "string" }) };
}

describe("withFastResolve", () => {
  test("every stack of the example synthesizes byte-identical to cdktf's own resolve", () => {
    // GIVEN the example config's stacks, built twice
    // WHEN one set is synthesized with cdktf's resolve and the other with the fast one
    const plain = exampleStacks((s) => Testing.synth(s));
    const fast = withFastResolve(() => exampleStacks((s) => Testing.synth(s)));
    // THEN every stack is the same text
    expect(Object.keys(fast).sort()).toEqual(Object.keys(plain).sort());
    expect(Object.keys(fast).length).toBeGreaterThanOrEqual(3);
    for (const id of Object.keys(plain)) expect(fast[id]).toBe(plain[id]);
  });

  test("values holding tokens of every kind resolve as cdktf resolves them", () => {
    // GIVEN values with string, list, number and map tokens, lazies, functions, references,
    // strings cdktf's number pattern reads, undefined entries, and plain data around them
    const { stack, v } = stackWithVariable();
    const values: unknown[] = [
      "plain text, nothing to resolve",
      `prefix ${v.stringValue} suffix`,
      { [`key-${v.stringValue}`]: "value" },
      v.listValue,
      [Token.asString(Lazy.stringValue({ produce: () => "lazy" })), "b"],
      { n: Token.asNumber(Lazy.numberValue({ produce: () => 7 })), plain: 3, float: 1.5 },
      [Token.asNumber(Lazy.numberValue({ produce: () => 8 })), 2],
      Fn.join(",", ["x", v.stringValue]),
      { map: Token.asStringMap(Lazy.anyValue({ produce: () => ({ k: "v" }) })) },
      { nested: [{ deep: [1, "1e5", "x-e-y", `${v.stringValue}e+3`, undefined] }], skipped: undefined },
      { resolve: () => "an object literal that is a token" },
      Lazy.anyValue({ produce: () => ({ produced: [v.stringValue, undefined, "$${literal}"] }) }),
      [undefined, null, true, false, 0, -1, Number.MAX_SAFE_INTEGER, ""],
      Object.assign(Object.create(null), { nullProto: "yes" }),
    ];
    for (const value of values) {
      // WHEN resolved by cdktf and by the fast resolve
      const expected = tokens.resolve(stack, value);
      const actual = withFastResolve(() => tokens.resolve(stack, value));
      // THEN the results are equal
      expect(actual).toStrictEqual(expected);
    }
  });

  test("fails as cdktf fails, with its message, on a map token's placeholder in a string, a construct and a list token among strings", () => {
    // GIVEN values cdktf refuses
    const { stack } = stackWithVariable();
    const { v } = stackWithVariable();
    for (const value of [{ a: Token.STRING_MAP_TOKEN_VALUE }, [Token.ANY_MAP_TOKEN_VALUE], { c: stack }, { l: ["a", ...v.listValue] }]) {
      // WHEN each is resolved THEN both refuse it with the same message
      let message = "";
      try {
        tokens.resolve(stack, value);
      } catch (e) {
        message = (e as Error).message;
      }
      expect(message).not.toBe("");
      expect(() => withFastResolve(() => tokens.resolve(stack, value))).toThrow(message);
    }
  });

  test("plain data never reaches cdktf's resolver", () => {
    // GIVEN plain data as a stack's elements produce it
    const calls: unknown[] = [];
    const plain = { resource: { r: { name: "x", list: ["a", "b"], n: 3, flag: true, empty: null, gone: undefined } } };
    // WHEN it is resolved with a resolver that records what it is given
    const out = resolveTokensOnly(plain, (part) => calls.push(part));
    // THEN the resolver saw nothing and undefined entries are gone
    expect(calls).toEqual([]);
    expect(out).toEqual({ resource: { r: { name: "x", list: ["a", "b"], n: 3, flag: true, empty: null } } });
    expect(Object.keys((out as { resource: { r: object } }).resource.r)).not.toContain("gone");
  });

  test("cdktf's resolve is replaced inside and put back afterwards, also when the build throws", () => {
    // GIVEN cdktf's resolve
    const original = resolveModule.resolve;
    // WHEN a build runs, and another throws
    const inside = withFastResolve(() => resolveModule.resolve);
    expect(() =>
      withFastResolve(() => {
        throw new Error("construct refused");
      }),
    ).toThrow("construct refused");
    // THEN the build saw another resolve, and cdktf's is back
    expect(inside).not.toBe(original);
    expect(resolveModule.resolve).toBe(original);
  });

  test("keeps cdktf's resolve when asked to (TOKEN_POLICY_DEBUG)", () => {
    // GIVEN keep WHEN a build runs THEN it sees cdktf's resolve
    expect(withFastResolve(() => resolveModule.resolve, true)).toBe(resolveModule.resolve);
  });
});
