/**
 * The plan guard: a pull request's plan runs only on the base's state backend and GitHub host,
 * and with the base's provider lock file, since the plan job's credentials follow them and run that build.
 */
import { planCredentialChanges, planCredentialChangeText, planProviderChanges } from "../../lib/report/plan-guard";
import { orgEntry, parseOrg } from "../../test-support/config";

const s3 = { type: "s3", bucket: "acme-state", key: "acme.tfstate", region: "eu-west-1", roleArn: "arn:aws:iam::111111111111:role/plan" };

describe("planCredentialChanges", () => {
  test("finds nothing when the pull request keeps the backend and the host (other changes are the report's)", () => {
    const base = parseOrg(orgEntry({ backend: s3 }));
    const head = parseOrg(orgEntry({ backend: s3, patPolicy: { maxLifetimeDays: 30 } }));
    expect(planCredentialChanges(base, head)).toEqual([]);
  });

  test.each([
    ["bucket", { bucket: "attacker-state" }],
    ["key", { key: "other.tfstate" }],
    ["region", { region: "us-east-1" }],
    ["roleArn", { roleArn: "arn:aws:iam::222222222222:role/x" }],
    ["dynamodbTable", { dynamodbTable: "locks" }],
  ])("fails when the pull request changes backend.%s", (field, change) => {
    const changes = planCredentialChanges(parseOrg(orgEntry({ backend: s3 })), parseOrg(orgEntry({ backend: { ...s3, ...change } })));
    expect(changes.map((c) => c.setting)).toEqual([`backend.${field}`]);
  });

  test("fails when the pull request changes the backend's type, naming each field that differs", () => {
    const changes = planCredentialChanges(
      parseOrg(orgEntry({ backend: { type: "local" } })),
      parseOrg(orgEntry({ backend: { type: "gcs", bucket: "b", prefix: "p" } })),
    );
    expect(changes.map(planCredentialChangeText)).toEqual([
      "backend.type: local → gcs (the plan job's state-backend credentials would read (and lock) the state there)",
      "backend.bucket: unset → b (the plan job's state-backend credentials would read (and lock) the state there)",
      "backend.prefix: unset → p (the plan job's state-backend credentials would read (and lock) the state there)",
    ]);
  });

  test.each([
    [
      "a cloud workspace",
      { type: "cloud", organization: "acme", workspace: "a" },
      { type: "cloud", organization: "acme", workspace: "b" },
      "backend.workspace",
    ],
    ["a local path", { type: "local" }, { type: "local", path: "state/x.tfstate" }, "backend.path"],
    ["a pg schema", { type: "pg" }, { type: "pg", schemaName: "other" }, "backend.schemaName"],
  ])("fails when the pull request changes %s", (_what, a, b, setting) => {
    expect(planCredentialChanges(parseOrg(orgEntry({ backend: a })), parseOrg(orgEntry({ backend: b }))).map((c) => c.setting)).toEqual([
      setting,
    ]);
  });

  test("fails when the pull request moves the organization to another GitHub, naming the host and the API root", () => {
    const changes = planCredentialChanges(parseOrg(orgEntry()), parseOrg(orgEntry({ githubUrl: "https://ghes.example.com" })));
    expect(changes.map(planCredentialChangeText)).toEqual([
      "githubUrl: https://github.com → https://ghes.example.com (the reader App's JWT and token, and the provider, would go to that host)",
      "API root: https://api.github.com → https://ghes.example.com/api/v3 (the reader App's JWT and token, and the provider, would go to that host)",
    ]);
  });
});

/** A lock file as `token-policy lock` writes it, for one provider version and its checksums. */
const lock = (version: string, ...hashes: string[]) =>
  `provider "registry.terraform.io/integrations/github" {\n  version     = "${version}"\n  constraints = ">= 6.12.0, < 7.0.0"\n  hashes = [\n${hashes
    .map((h) => `    "${h}",\n`)
    .join("")}  ]\n}\n`;
const FILE = "terraform-locks/acme-corp.terraform.lock.hcl";
const GITHUB = "registry.terraform.io/integrations/github";

describe("planProviderChanges", () => {
  test("finds nothing when the pull request keeps the base's lock file, or neither side has one", () => {
    const base = lock("6.13.0", "h1:aaa=", "zh:bbb");
    expect(planProviderChanges(FILE, base, base)).toEqual([]);
    expect(planProviderChanges(FILE, undefined, undefined)).toEqual([]);
  });

  test("fails when the pull request changes the provider version, naming the file and both versions", () => {
    const changes = planProviderChanges(FILE, lock("6.13.0", "h1:aaa="), lock("6.12.0", "h1:ccc="));
    expect(changes.map(planCredentialChangeText)).toEqual([
      `${FILE}: ${GITHUB} version: 6.13.0 → 6.12.0 (terraform would run a provider build the base does not trust, with the plan job's token and state credentials)`,
    ]);
  });

  test("fails when the pull request adds checksums for the same version (other builds, which a mirror's package is checked against only by them)", () => {
    const changes = planProviderChanges(FILE, lock("6.13.0", "h1:aaa="), lock("6.13.0", "h1:aaa=", "h1:evil="));
    expect(changes).toEqual([
      expect.objectContaining({ setting: `${FILE}: ${GITHUB} 6.13.0 checksums`, base: "1 listed", head: "1 not in the base" }),
    ]);
  });

  test("fails when the pull request locks another provider", () => {
    const other = `${lock("6.13.0", "h1:aaa=")}provider "registry.example.com/acme/github" {\n  version = "1.0.0"\n  hashes = ["h1:x="]\n}\n`;
    expect(planProviderChanges(FILE, lock("6.13.0", "h1:aaa="), other).map((c) => c.setting)).toEqual([
      `${FILE}: provider registry.example.com/acme/github`,
    ]);
  });

  test.each([
    ["adds a lock file the base has none of", undefined, lock("6.13.0", "h1:aaa="), "absent", "added"],
    ["removes the base's lock file", lock("6.13.0", "h1:aaa="), undefined, "present", "removed"],
  ])("fails when the pull request %s", (_what, base, head, was, now) => {
    expect(planProviderChanges(FILE, base, head)).toEqual([expect.objectContaining({ setting: FILE, base: was, head: now })]);
  });

  test("fails when the text differs where the parser sees no change (an escape Terraform decodes, a comment)", () => {
    // GIVEN a checksum spelled with an HCL escape: Terraform reads h1:evil=, a regular expression reads no checksum
    const base = lock("6.13.0", "h1:aaa=");
    const head = lock("6.13.0", "h1:aaa=").replace("  ]\n", '    "h\\u0031:evil=",\n  ]\n');
    expect(planProviderChanges(FILE, base, head)).toEqual([
      expect.objectContaining({ setting: FILE, head: "other text, the same providers as far as this reader sees" }),
    ]);
    expect(planProviderChanges(FILE, base, `# reviewed\n${base}`)).toHaveLength(1);
  });
});
