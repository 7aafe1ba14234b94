import { findings, ids, shortLived } from "./organization";

describe("approve-without-permission-cap", () => {
  test("fails when an approve rule has no match.permissions, however narrow otherwise", () => {
    const f = findings({
      ...shortLived,
      approval: { rules: [{ name: "docs", action: "approve", match: { repositories: ["docs-*"], maxLifetimeDays: 7 } }] },
    });
    expect(f.map((x) => [x.checkId, x.level, x.detail])).toEqual([
      ["approve-without-permission-cap", "error", "approval.rules[0] (docs) has no match.permissions"],
      // Uncapped, it can grant organization permissions at write too.
      ["approve-organization-write", "error", "approval.rules[0] (docs) has no permission cap"],
    ]);
  });

  test("holds for a capped approve rule and for deny rules", () => {
    expect(
      ids({
        ...shortLived,
        approval: {
          rules: [
            { name: "docs", action: "approve", match: { repositories: ["docs-*"], permissions: { repository: { contents: "write" } } } },
          ],
        },
      }),
    ).toEqual([]);
    expect(ids({ ...shortLived, approval: { rules: [{ name: "d", action: "deny", match: { repositories: ["docs-*"] } }] } })).toEqual([]);
  });
});
