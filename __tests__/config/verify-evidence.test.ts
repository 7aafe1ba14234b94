import { buildAppManifest } from "../../lib/model/app-manifest";
import { diffConfigs } from "../../lib/report/diff";
import { withEvidencePermissions } from "../../lib/config/schema";
import { configProblems, orgEntry, parseOrg } from "../../test-support/config";

describe("verify.evidence", () => {
  test("defaults to grants, and the App then asks for organization_personal_access_tokens: read", () => {
    const org = parseOrg(orgEntry());
    expect(org.verify.evidence).toEqual(["grants"]);
    expect(org.app.permissions).toEqual({ contents: "read", organization_personal_access_tokens: "read" });
    expect(buildAppManifest(org.app).default_permissions).toEqual({ contents: "read", organization_personal_access_tokens: "read" });
  });

  test("the audit log and credential authorizations add organization_administration: read", () => {
    const org = parseOrg(orgEntry({ verify: { evidence: ["auditLog", "credentialAuthorizations"] } }));
    expect(org.app.permissions).toEqual({ contents: "read", organization_administration: "read" });
  });

  test("an empty list asks for nothing more", () => {
    expect(parseOrg(orgEntry({ verify: { evidence: [] } })).app.permissions).toEqual({ contents: "read" });
  });

  test("a permission held at write stays write", () => {
    expect(withEvidencePermissions({ organization_personal_access_tokens: "write" }, ["grants"])).toEqual({
      organization_personal_access_tokens: "write",
    });
  });

  test("the report shows the added permission like any other", () => {
    const base = parseOrg(orgEntry());
    const head = parseOrg(orgEntry({ verify: { evidence: ["grants", "auditLog"] } }));
    expect(diffConfigs({ organizations: [base] }, { organizations: [head] }).map((c) => c.text)).toContain(
      "App permission organization_administration added at read.",
    );
  });

  test("fails when a source is unknown or listed twice, naming the place and what is allowed", () => {
    const yaml = (evidence: string) =>
      `organizations:\n  - login: acme-corp\n    app: { name: b, homepageUrl: "https://github.com/acme-corp" }\n    credentials: { actions: { visibility: all } }\n    verify: { evidence: ${evidence} }\n`;
    expect(configProblems(yaml("[grants, audit]"))).toEqual([
      'policy.yaml:5:34 organizations[0].verify.evidence[1]: must be one of grants, auditLog, credentialAuthorizations, got "audit"',
    ]);
    expect(configProblems(yaml("[grants, grants]"))).toEqual([
      expect.stringMatching(
        /^policy\.yaml:5:\d+ organizations\[0\]\.verify\.evidence\[1\]: duplicate evidence source \(first listed at evidence\[0\]\)/,
      ),
    ]);
  });
});

describe("approval.revokeUnusedAfterDays", () => {
  test("fails when it is not a whole number of days from 1 to 366", () => {
    const yaml = (v: string) =>
      `organizations:\n  - login: acme-corp\n    app: { name: b, homepageUrl: "https://github.com/acme-corp" }\n    credentials: { actions: { visibility: all } }\n    approval: { revokeUnusedAfterDays: ${v} }\n`;
    expect(configProblems(yaml("0"))).toEqual([
      expect.stringMatching(/organizations\[0\]\.approval\.revokeUnusedAfterDays: must be between 1 and 366, got 0$/),
    ]);
    expect(configProblems(yaml("1.5"))).toEqual([
      expect.stringMatching(/revokeUnusedAfterDays: must be a whole number of days between 1 and 366/),
    ]);
    expect(parseOrg(orgEntry({ approval: { revokeUnusedAfterDays: 30 } })).approval.revokeUnusedAfterDays).toBe(30);
  });
});
