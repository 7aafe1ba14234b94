import { ids, shortLived } from "./organization";

describe("classic-tokens-allowed", () => {
  test("fails when classic tokens are allowed", () => {
    expect(ids({ patPolicy: { maxLifetimeDays: 30, classicTokens: "allow" } })).toEqual(["classic-tokens-allowed"]);
  });

  test("holds when they are restricted (the default)", () => {
    expect(ids(shortLived)).toEqual([]);
  });
});
