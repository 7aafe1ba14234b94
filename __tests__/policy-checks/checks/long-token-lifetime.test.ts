import { findings, ids } from "./organization";

describe("long-token-lifetime", () => {
  test("fails (a warning) when fine-grained tokens may live longer than 90 days", () => {
    const f = findings({ patPolicy: { maxLifetimeDays: 91 } });
    expect(f.map((x) => [x.checkId, x.level])).toEqual([["long-token-lifetime", "warning"]]);
    expect(f[0].message).toBe(
      "[long-token-lifetime] Fine-grained tokens may live longer than 90 days. patPolicy.maxLifetimeDays is 91. A leaked token is useful to an attacker until it expires. Short lifetimes bound the damage and make owners renew what they still need.",
    );
  });

  test("holds at 90 days, and does not apply when fine-grained tokens are restricted", () => {
    expect(ids({ patPolicy: { maxLifetimeDays: 90 } })).toEqual([]);
    expect(ids({ patPolicy: { fineGrainedTokens: "restrict" } })).toEqual([]);
  });
});
