import { findings, ids, shortLived } from "./organization";

describe("plaintext-private-key", () => {
  test("fails (a warning) when the private key enters as plaintext", () => {
    const f = findings({ ...shortLived, credentials: { privateKeyInput: "plaintext", actions: { visibility: "private" } } });
    expect(f.map((x) => [x.checkId, x.level])).toEqual([["plaintext-private-key", "warning"]]);
  });

  test("holds when the key is sealed (the default)", () => {
    expect(ids({ ...shortLived, credentials: { actions: { visibility: "private" } } })).toEqual([]);
  });
});
