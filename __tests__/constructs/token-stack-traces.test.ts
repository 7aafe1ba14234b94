import { Lazy, Token } from "cdktf";
import * as stackTrace from "cdktf/lib/tokens/private/stack-trace";
import { withoutTokenStackTraces } from "../../lib/constructs/token-stack-traces";

/** The creation stack cdktf recorded for a token made now. */
const creationStack = () => Token.asAny(Lazy.anyValue({ produce: () => 1 })).creationStack;

/**
 * Whether replacing this cdktf's capture takes effect: cdktf 0.21's tokens call it through the
 * module's exports; CDK Terrain (cdktn, installed as `cdktf` in CI's second run) calls it
 * directly, so there synth keeps the traces and is only slower.
 */
const replaceable = (() => {
  const m = stackTrace as { captureStackTrace: () => string[] };
  const capture = m.captureStackTrace;
  m.captureStackTrace = () => [];
  try {
    return creationStack().length === 0;
  } finally {
    m.captureStackTrace = capture;
  }
})();

describe("withoutTokenStackTraces", () => {
  test("tokens made inside record no creation stack; tokens made outside still do", () => {
    // GIVEN cdktf's token stack traces WHEN a token is made inside and outside
    const inside = withoutTokenStackTraces(creationStack);
    const outside = creationStack();
    // THEN only the one made outside carries a stack, where the capture can be replaced; elsewhere both do
    if (replaceable) expect(inside).toEqual([]);
    else expect(inside.length).toBeGreaterThan(0);
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
