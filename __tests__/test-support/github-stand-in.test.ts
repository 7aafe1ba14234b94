import { Octokit } from "@octokit/core";
import { GitHubStandIn } from "../../test-support/github-stand-in/server";
import { addRequest, installApp } from "../../test-support/fixtures";
import { addProviderRoutes } from "../../test-support/github-stand-in/provider-routes";

/** The stand-in must refuse what GitHub refuses, or tests against it prove nothing. */
describe("GitHub stand-in", () => {
  let standIn: GitHubStandIn;
  let octokit: Octokit;
  beforeAll(async () => {
    standIn = await GitHubStandIn.start();
    const app = installApp(standIn);
    addRequest(standIn, app.org, { id: 1 });
    octokit = new Octokit({ baseUrl: standIn.url, auth: app.token });
  });
  afterAll(() => standIn.close());
  afterEach(() => expect(standIn.violations).toEqual([]));

  const post = (body: Record<string, unknown>) =>
    octokit.request("POST /orgs/{org}/personal-access-token-requests", { org: "acme-corp", ...body } as never).then(
      (r) => r.status,
      (e) => e.status,
    );

  test("refuses 101 ids, a missing action and a reason over 1024 characters, as the description does", async () => {
    expect(await post({ pat_request_ids: Array.from({ length: 101 }, (_, i) => i + 1), action: "approve" })).toBe(422);
    expect(await post({ pat_request_ids: [1] })).toBe(422);
    expect(await post({ pat_request_ids: [1], action: "approve", reason: "x".repeat(1025) })).toBe(422);
    expect(await post({ pat_request_ids: [1], action: "maybe" })).toBe(422);
    expect(standIn.rejections.map((r) => r.problems[0])).toEqual([
      "body/pat_request_ids must NOT have more than 100 items",
      "body must have required property 'action'",
      "body/reason must NOT have more than 1024 characters",
      "body/action must be equal to one of the allowed values (approve, deny)",
    ]);
  });

  test("refuses per_page over 100 and a page that is not a number", async () => {
    const list = (q: Record<string, unknown>) =>
      octokit.request("GET /orgs/{org}/personal-access-token-requests", { org: "acme-corp", ...q }).then(
        (r) => r.status,
        (e) => e.status,
      );
    expect(await list({ per_page: 101 })).toBe(422);
    expect(await list({ page: "two" })).toBe(422);
    expect(await list({ per_page: 100 })).toBe(200);
  });

  test("refuses tokens it did not issue, and JWTs where an installation token is needed", async () => {
    const bad = new Octokit({ baseUrl: standIn.url, auth: "ghs_notissued" });
    await expect(bad.request("GET /orgs/{org}/personal-access-token-requests", { org: "acme-corp" })).rejects.toMatchObject({
      status: 401,
    });
  });

  test("answers with bodies that match GitHub's schemas (checked on every response)", async () => {
    const { data } = await octokit.request("GET /orgs/{org}/personal-access-token-requests", { org: "acme-corp" });
    expect(data[0]).toMatchObject({ id: 1, owner: { login: "octocat" }, repository_selection: "subset" });
    expect(standIn.violations).toEqual([]);
  });
});

describe("GitHub stand-in's routes", () => {
  test("every operation is reached by its own paths: no route of one API area shadows another's", async () => {
    // GIVEN the stand-in with every route it has (Enterprise Cloud's and the provider's included)
    const standIn = await GitHubStandIn.start({ spec: "ghec" });
    addProviderRoutes(standIn);
    try {
      // WHEN each operation's path is asked for, its parameters filled in, without credentials
      for (const operation of standIn.operations) {
        const [method, template] = operation.split(" ");
        const path = template.replace(/\{[^}]+\}/g, "x");
        await fetch(`${standIn.url}${path}`, { method });
      }
      // THEN each request was taken for the operation it was made from
      expect(standIn.calls.map((c) => `${c.method} ${c.operation}`)).toEqual(standIn.operations);
      expect(new Set(standIn.operations).size).toBe(standIn.operations.length);
    } finally {
      await standIn.close();
    }
  });
});
