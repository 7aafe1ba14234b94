import { Lazy, Token } from "cdktf";
import { withoutTokenStackTraces } from "../../lib/constructs/token-stack-traces";

/** The creation stack cdktf recorded for a token made now. */
const creationStack = () => Token.asAny(Lazy.anyValue({ produce: () => 1 })).creationStack;

describe("withoutTokenStackTraces", () => {
  test("tokens made inside record no creation stack; tokens made outside still do", () => {
    // GIVEN cdktf's token stack traces WHEN a token is made inside and outside
    const inside = withoutTokenStackTraces(creationStack);
    const outside = creationStack();
    // THEN only the one made outside carries a stack
    expect(inside).toEqual([]);
    expect(outside.length).toBeGreaterThan(0);
  });

  test("keeps the traces when asked to (TOKEN_POLICY_DEBUG)", () => {
    // GIVEN keep WHEN a token is made inside THEN it carries a stack
    expect(withoutTokenStackTraces(creationStack, true).length).toBeGreaterThan(0);
  });

  test("puts cdktf's capture back when the build throws", () => {
    // GIVEN a build that fails
    expect(() =>
      withoutTokenStackTraces(() => {
        throw new Error("construct refused");
      }),
    ).toThrow("construct refused");
    // THEN tokens made afterwards carry a stack again
    expect(creationStack().length).toBeGreaterThan(0);
  });
});
