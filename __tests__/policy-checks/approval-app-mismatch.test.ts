import { checkOrganization } from "../../lib/policy-checks/check-pack";
import { orgEntry, parseOrg } from "../helpers/config";

const app = (permissions: Record<string, string>) => ({ name: "b", homepageUrl: "https://x.example", permissions });
const details = (entry: Record<string, unknown>) =>
  checkOrganization(parseOrg(orgEntry({ patPolicy: { maxLifetimeDays: 30 }, approval: { otherwise: "deny", ...entry.approval as object }, app: entry.app })))
    .filter((f) => f.checkId === "approval-app-mismatch")
    .map((f) => f.detail);

describe("approval-app-mismatch and revokeUnusedAfterDays", () => {
  test("fails when revokeUnusedAfterDays is set and the App cannot revoke (tokens only read, as verify.evidence adds it)", () => {
    expect(details({ approval: { revokeUnusedAfterDays: 30 }, app: app({ organization_personal_access_token_requests: "write" }) })).toEqual([
      "approval.revokeUnusedAfterDays is set but app.permissions.organization_personal_access_tokens is not write",
    ]);
  });
  test("holds when the App may revoke", () => {
    expect(details({ approval: { revokeUnusedAfterDays: 30 }, app: app({ organization_personal_access_token_requests: "write", organization_personal_access_tokens: "write" }) })).toEqual([]);
  });
});
