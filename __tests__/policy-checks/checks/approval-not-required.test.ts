import { ids } from "./organization";

describe("approval-not-required", () => {
  test("fails when fine-grained tokens are allowed without approval", () => {
    expect(ids({ patPolicy: { maxLifetimeDays: 30, requireApproval: false } })).toEqual(["approval-not-required"]);
  });

  test("does not apply when fine-grained tokens are restricted", () => {
    expect(ids({ patPolicy: { fineGrainedTokens: "restrict", requireApproval: false } })).toEqual([]);
  });
});
