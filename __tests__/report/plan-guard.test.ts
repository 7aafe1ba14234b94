/**
 * The plan guard: a pull request's plan runs only on the base's state backend and GitHub host,
 * since the plan job's credentials follow them.
 */
import { planCredentialChanges, planCredentialChangeText } from "../../lib/report/plan-guard";
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
