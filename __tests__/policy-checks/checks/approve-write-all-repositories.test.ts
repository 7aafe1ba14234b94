import { ids, shortLived } from "./organization";

const rule = (match: Record<string, unknown>) => ({ approval: { rules: [{ name: "r", action: "approve", match }] } });
const write = { permissions: { repository: { contents: "write" } } };

describe("approve-write-all-repositories", () => {
  test("fails when an approve rule can grant write on all repositories", () => {
    expect(ids({ ...shortLived, ...rule({}) })).toContain("approve-write-all-repositories");
    expect(ids({ ...shortLived, ...rule(write) })).toEqual(["approve-write-all-repositories"]);
  });

  test("fails when the rule's repository patterns match every repository name", () => {
    expect(ids({ ...shortLived, ...rule({ ...write, repositories: ["*"] }) })).toEqual(["approve-write-all-repositories"]);
    expect(ids({ ...shortLived, ...rule({ ...write, repositories: ["docs-*", "?*"] }) })).toEqual(["approve-write-all-repositories"]);
  });

  test("holds for read, for selected repositories, for patterns that leave some out, and for deny rules", () => {
    expect(ids({ ...shortLived, ...rule({ ...write, repositories: ["??*"] }) })).toEqual([]);
    expect(ids({ ...shortLived, ...rule({ permissions: { repository: { contents: "read" } } }) })).toEqual([]);
    expect(ids({ ...shortLived, ...rule({ ...write, repositorySelection: ["subset"] }) })).toEqual([]);
    expect(ids({ ...shortLived, ...rule({ ...write, repositories: ["release-*"] }) })).toEqual([]);
    expect(ids({ ...shortLived, approval: { rules: [{ name: "d", action: "deny", match: {} }] } })).toEqual([]);
  });
});
