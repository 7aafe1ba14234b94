import { findings, ids, shortLived } from "./organization";

const deny = (match: Record<string, unknown>) => ({ approval: { rules: [{ name: "no admin", action: "deny", match }] } });

describe("deny-rule-permission-cap", () => {
  test("fails (a warning) when a deny rule is written with a permissions cap, which one more permission dodges", () => {
    const f = findings({ ...shortLived, ...deny({ permissions: { organization: { administration: "write" } } }) });
    expect(f.map((x) => [x.checkId, x.level, x.detail])).toEqual([
      ["deny-rule-permission-cap", "warning", "approval.rules[0] (no admin) denies with match.permissions; use match.anyPermission"],
    ]);
  });

  test("holds for a deny rule with anyPermission", () => {
    expect(ids({ ...shortLived, ...deny({ anyPermission: { organization: { administration: "write" } } }) })).toEqual([]);
  });
});
