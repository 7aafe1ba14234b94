import { ids, shortLived } from "./organization";

describe("private-key-visible-to-all", () => {
  test("fails when the key's Actions or Dependabot secret is visible to all repositories", () => {
    expect(ids({ ...shortLived, credentials: { actions: { visibility: "all" } } })).toEqual(["private-key-visible-to-all"]);
    expect(ids({ ...shortLived, credentials: { actions: { visibility: "private" }, dependabot: { visibility: "all" } } })).toEqual([
      "private-key-visible-to-all",
    ]);
  });

  test("holds for private or selected repositories", () => {
    expect(ids({ ...shortLived, credentials: { actions: { visibility: "private" } } })).toEqual([]);
  });
});
