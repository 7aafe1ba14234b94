import { app, ids, shortLived } from "./organization";

describe("app-administration-write", () => {
  test("fails when the App holds administration or organization_administration at write", () => {
    expect(ids({ ...shortLived, app: app({ organization_personal_access_token_requests: "write", administration: "write" }) })).toEqual([
      "app-administration-write",
    ]);
    expect(
      ids({ ...shortLived, app: app({ organization_personal_access_token_requests: "write", organization_administration: "write" }) }),
    ).toEqual(["app-administration-write"]);
  });

  test("holds for read", () => {
    expect(ids({ ...shortLived, app: app({ organization_personal_access_token_requests: "write", administration: "read" }) })).toEqual([]);
  });
});
