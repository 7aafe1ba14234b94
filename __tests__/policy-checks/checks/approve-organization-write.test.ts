import { findings, ids, shortLived } from "./organization";

const rule = (permissions: Record<string, unknown> | undefined) => ({
  approval: { rules: [{ name: "r", action: "approve", match: { repositories: ["docs-*"], ...(permissions ? { permissions } : {}) } }] },
});

describe("approve-organization-write", () => {
  test("fails when an approve rule can grant an organization permission at write, under any spelling", () => {
    const f = findings({ ...shortLived, ...rule({ organization: { organization_administration: "write", members: "read" } }) });
    expect(f.map((x) => [x.checkId, x.detail])).toEqual([
      ["approve-organization-write", "approval.rules[0] (r) allows organization administration: write"],
    ]);
    expect(ids({ ...shortLived, ...rule({ organization: { projects: "admin" } }) })).toEqual(["approve-organization-write"]);
  });

  test("fails when the rule caps no permission at all", () => {
    expect(ids({ ...shortLived, ...rule(undefined) })).toEqual(["approve-without-permission-cap", "approve-organization-write"]);
  });

  test("holds when organization permissions stay at read", () => {
    expect(ids({ ...shortLived, ...rule({ organization: { members: "read" }, repository: { contents: "write" } }) })).toEqual([]);
  });
});
