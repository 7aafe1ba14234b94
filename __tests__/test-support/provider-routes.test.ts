import { GitHubStandIn } from "../../test-support/github-stand-in/server";
import { addProviderRoutes, addRepositories, type ProviderWorld } from "../../test-support/github-stand-in/provider-routes";

/**
 * The routes the real integrations/github provider calls (issue 30's manual run): served as
 * GitHub's description has them, at the GHES API root the provider uses for a non-github.com
 * base URL, with an owner's classic PAT, and with GitHub's `/repositories/{id}` form.
 */
describe("GitHub stand-in: the Terraform provider's routes", () => {
  let standIn: GitHubStandIn;
  let world: ProviderWorld;
  let token: string;
  let api: (method: string, path: string, body?: unknown, auth?: string) => Promise<{ status: number; body: any }>;
  beforeEach(async () => {
    standIn = await GitHubStandIn.start();
    world = addProviderRoutes(standIn);
    standIn.addOrg("acme-corp", {
      id: 77,
      appId: 1,
      repositorySelection: "selected",
      repositories: ["release-tools"],
      permissions: {},
      events: [],
    });
    addRepositories(world, "acme-corp", { "release-tools": ["production"], changelog: [] });
    token = standIn.issueOwnerToken("octo-owner", ["acme-corp"]);
    api = async (method, path, body, auth = token) => {
      const r = await fetch(`${standIn.url}${path}`, {
        method,
        headers: { authorization: `token ${auth}`, "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await r.text();
      return { status: r.status, body: text ? JSON.parse(text) : undefined };
    };
  });
  afterEach(async () => {
    await standIn.close();
    expect(standIn.violations).toEqual([]);
  });
  const idOf = (name: string) => (standIn.repositoryBody(standIn.orgs.get("acme-corp")!, name) as { id: number }).id;
  const sealed = () => Buffer.alloc(64, 1).toString("base64");

  test("GIVEN an owner's PAT WHEN the provider writes an org secret and its repository list at /api/v3 THEN GitHub holds both", async () => {
    const put = await api("PUT", "/api/v3/orgs/acme-corp/actions/secrets/KEY", {
      encrypted_value: sealed(),
      key_id: "k1",
      visibility: "selected",
    });
    expect(put.status).toBe(201);
    expect(
      (await api("PUT", "/api/v3/orgs/acme-corp/actions/secrets/KEY/repositories", { selected_repository_ids: [idOf("release-tools")] }))
        .status,
    ).toBe(204);
    // A second write of the value (a key rotation) leaves the repository list as it was.
    expect(
      (await api("PUT", "/api/v3/orgs/acme-corp/actions/secrets/KEY", { encrypted_value: sealed(), key_id: "k1", visibility: "selected" }))
        .status,
    ).toBe(204);
    const list = await api("GET", "/api/v3/orgs/acme-corp/actions/secrets/KEY/repositories");
    expect(list.body.repositories.map((r: { name: string }) => r.name)).toEqual(["release-tools"]);
    expect(world.secretWrites.map((w) => w.operation)).toEqual([
      "PUT actions secret",
      "PUT actions secret repositories",
      "PUT actions secret",
    ]);
  });

  test("serves an environment secret written through GitHub's /repositories/{id} form as the documented operation", async () => {
    const path = `/api/v3/repositories/${idOf("release-tools")}/environments/production/secrets/KEY`;
    expect((await api("PUT", path, { encrypted_value: sealed(), key_id: "k1" })).status).toBe(201);
    expect((await api("GET", path)).body).toMatchObject({ name: "KEY" });
    expect(standIn.calls.at(-1)?.operation).toBe("/repos/{owner}/{repo}/environments/{environment_name}/secrets/{secret_name}");
  });

  test("fails when the repository does not exist: 404, as GitHub answers a missing or invisible repository", async () => {
    expect((await api("GET", "/api/v3/repos/acme-corp/docs-site")).status).toBe(404);
    expect((await api("GET", "/api/v3/repos/acme-corp/changelog")).status).toBe(200);
  });

  test("fails when an owner's PAT calls a PAT-request endpoint: GitHub lets only Apps call those", async () => {
    expect((await api("GET", "/orgs/acme-corp/personal-access-token-requests")).status).toBe(403);
  });

  test("fails when the PAT's owner does not own the organization", async () => {
    const stranger = standIn.issueOwnerToken("stranger", ["other-org"]);
    expect((await api("GET", "/api/v3/orgs/acme-corp", undefined, stranger)).status).toBe(403);
    expect((await api("GET", "/api/v3/orgs/acme-corp")).status).toBe(200);
  });

  test("GIVEN a repository lookup WHEN it answers, found or not THEN the answer carries a distinct x-github-request-id, as GitHub's do (data.github_rest_api's id: without one the provider nulls the answer)", async () => {
    const requestId = async (path: string) => {
      const r = await fetch(`${standIn.url}${path}`, { headers: { authorization: `token ${token}` } });
      await r.text();
      return { status: r.status, id: r.headers.get("x-github-request-id") };
    };
    const found = await requestId("/api/v3/repos/acme-corp/changelog");
    const missing = await requestId("/api/v3/repos/acme-corp/docs-site");
    expect([found.status, missing.status]).toEqual([200, 404]);
    expect(found.id).toMatch(/^[0-9A-F]+(:[0-9A-F]+){4}$/);
    expect(missing.id).toMatch(/^[0-9A-F]+(:[0-9A-F]+){4}$/);
    expect(missing.id).not.toBe(found.id);
  });

  test("writes a file under a nested path and reads back the commit that wrote it", async () => {
    const put = await api("PUT", "/api/v3/repos/acme-corp/changelog/contents/profile/TOKENS.md", {
      message: "guide",
      content: Buffer.from("# Tokens\n").toString("base64"),
    });
    expect(put.status).toBe(201);
    const got = await api("GET", "/api/v3/repos/acme-corp/changelog/contents/profile/TOKENS.md?ref=main");
    expect(Buffer.from(got.body.content, "base64").toString()).toBe("# Tokens\n");
    const commit = await api("GET", `/api/v3/repos/acme-corp/changelog/commits/${put.body.commit.sha}`);
    expect(commit.body.commit.message).toBe("guide");
  });

  test("adds a repository to the App's installation and refuses to remove the last one, as GitHub does", async () => {
    const inst = "/api/v3/user/installations/77";
    expect((await api("PUT", `${inst}/repositories/${idOf("changelog")}`)).status).toBe(204);
    expect((await api("DELETE", `${inst}/repositories/${idOf("release-tools")}`)).status).toBe(204);
    expect((await api("DELETE", `${inst}/repositories/${idOf("changelog")}`)).status).toBe(422);
    const list = await api("GET", `${inst}/repositories`);
    expect(list.body.repositories.map((r: { name: string }) => r.name)).toEqual(["changelog"]);
  });
});
