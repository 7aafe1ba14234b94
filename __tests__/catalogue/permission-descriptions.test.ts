import { join } from "node:path";
import { APP_PERMISSIONS, APP_PERMISSION_DESCRIPTIONS } from "../../lib/catalogue";
import { describePermission, REVIEWED_PERMISSION_WORDING } from "../../lib/catalogue/permission-descriptions";
import { loadConfig } from "../../lib/config/load";

describe("create-app's permission descriptions", () => {
  test("the two token permissions are described the right way round (GitHub's schema swaps them)", () => {
    // GIVEN GitHub's own texts, which describe requests as approved tokens and vice versa
    expect(APP_PERMISSION_DESCRIPTIONS.organization_personal_access_token_requests).toMatch(/tokens that have been approved/);
    // THEN ours say: requests are pending and get approved or denied; tokens are approved and get revoked
    expect(describePermission("organization_personal_access_token_requests", "write")).toEqual({
      text: "See members' pending requests for fine-grained personal access tokens to this organization, and approve or deny them.",
      source: "reviewed",
    });
    expect(describePermission("organization_personal_access_token_requests", "read").text).toMatch(/^See members' pending requests/);
    expect(describePermission("organization_personal_access_tokens", "write")).toEqual({
      text: "List the fine-grained personal access tokens already approved for this organization, and revoke their access to it.",
      source: "reviewed",
    });
    expect(describePermission("organization_personal_access_tokens", "read").text).not.toMatch(/revoke|request/);
  });

  test("organization_secrets: read reads names and the public key, and does not claim to manage secrets", () => {
    expect(APP_PERMISSION_DESCRIPTIONS.organization_secrets).toBe("Manage organization secrets.");
    expect(describePermission("organization_secrets", "read")).toEqual({
      text: "Read the names of the organization's Actions secrets, which repositories may use them, and the public key that secrets are sealed with. Never a secret's value.",
      source: "reviewed",
    });
    expect(describePermission("organization_secrets", "write").text).toMatch(/^Create, replace and delete/);
  });

  test("every permission the example config and the rule pack name has reviewed wording at each level GitHub accepts", () => {
    const example = loadConfig(join(__dirname, "..", "..", "token-policy.yaml")).config;
    const used = new Set(example.organizations.flatMap((o) => Object.keys(o.app.permissions)));
    // The rule pack's app-administration-write rule names these two.
    for (const p of ["administration", "organization_administration"]) used.add(p);
    const missing = [...used].flatMap((p) =>
      (APP_PERMISSIONS[p] ?? []).filter((level) => describePermission(p, level).source !== "reviewed").map((level) => `${p}: ${level}`),
    );
    expect(missing).toEqual([]);
    // and every reviewed name is one GitHub knows
    expect(Object.keys(REVIEWED_PERMISSION_WORDING).filter((p) => !APP_PERMISSIONS[p])).toEqual([]);
  });

  test("falls back to GitHub's words, marked as such, for a permission we have not reviewed", () => {
    expect(describePermission("issues", "read")).toEqual({ text: APP_PERMISSION_DESCRIPTIONS.issues, source: "github" });
    expect(describePermission("no_such_permission", "read")).toEqual({ text: "", source: "github" });
  });
});
