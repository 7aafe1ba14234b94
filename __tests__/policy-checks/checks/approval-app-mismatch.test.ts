import { app, findings, ids, reviewer, shortLived } from "./organization";

/** The check's details on an entry that denies what no rule approves. */
const details = (entry: Record<string, unknown>) =>
  findings({ ...shortLived, approval: { otherwise: "deny", ...(entry.approval as object) }, app: entry.app })
    .filter((f) => f.checkId === "approval-app-mismatch")
    .map((f) => f.detail);

describe("approval-app-mismatch", () => {
  test("fails when rules exist without the App permission to review, or the permission without rules", () => {
    expect(ids({ ...shortLived, app: app() })).toEqual(["approval-app-mismatch"]);
    expect(ids({ ...shortLived, approval: { otherwise: "leave" } })).toEqual(["approval-app-mismatch"]);
  });

  test("fails when revokeNonCompliant is set and the App cannot revoke", () => {
    expect(details({ approval: { revokeNonCompliant: true }, app: reviewer })).toEqual([
      "approval.revokeNonCompliant is true but app.permissions.organization_personal_access_tokens is not write",
    ]);
  });

  test("fails when revokeUnusedAfterDays is set and the App cannot revoke (tokens only read, as verify.evidence adds it)", () => {
    expect(details({ approval: { revokeUnusedAfterDays: 30 }, app: reviewer })).toEqual([
      "approval.revokeUnusedAfterDays is set but app.permissions.organization_personal_access_tokens is not write",
    ]);
  });

  test("holds when the App may review and revoke", () => {
    expect(
      details({
        approval: { revokeUnusedAfterDays: 30, revokeNonCompliant: true },
        app: app({ organization_personal_access_token_requests: "write", organization_personal_access_tokens: "write" }),
      }),
    ).toEqual([]);
  });
});
