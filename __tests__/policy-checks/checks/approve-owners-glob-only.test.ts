import { app, findings, ids, reviewer, shortLived } from "./organization";

const cap = { permissions: { repository: { contents: "read" } }, repositorySelection: ["subset"] };
const rule = (match: Record<string, unknown>) => ({
  approval: { rules: [{ name: "bots", action: "approve", match: { ...cap, ...match } }] },
});

describe("approve-owners-glob-only", () => {
  test("fails when an approve rule trusts a login pattern without a team", () => {
    const f = findings({ ...shortLived, app: reviewer, ...rule({ owners: ["release-bot-*", "octocat", "bot-?"] }) });
    expect(f.map((x) => [x.checkId, x.detail])).toEqual([
      ["approve-owners-glob-only", "approval.rules[0] (bots) matches owners release-bot-*, bot-? and no teams"],
    ]);
  });

  test("holds for exact logins, for a pattern with a team, and for deny rules", () => {
    expect(ids({ ...shortLived, ...rule({ owners: ["octocat", "hubot"] }) })).toEqual([]);
    const withMembers = app({ organization_personal_access_token_requests: "write", members: "read" });
    expect(ids({ ...shortLived, app: withMembers, ...rule({ owners: ["release-bot-*"], teams: ["release-bots"] }) })).toEqual([]);
    expect(ids({ ...shortLived, approval: { rules: [{ name: "d", action: "deny", match: { owners: ["ex-*"] } }] } })).toEqual([]);
  });

  test("its finding is suppressible with a reason", () => {
    const f = findings({
      ...shortLived,
      ...rule({ owners: ["ci-bot-*"] }),
      suppressions: [
        { id: "approve-owners-glob-only", reason: "ci-bot-* logins are reserved by the enterprise's naming policy (SEC-40)." },
      ],
    });
    expect(f.map((x) => [x.checkId, x.level])).toEqual([["approve-owners-glob-only", "suppressed"]]);
  });
});
