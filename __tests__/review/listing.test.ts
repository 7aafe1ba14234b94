/**
 * Reading pending requests by token id, against the OpenAPI-checked stand-in: GitHub's
 * `token_id[]` filter, 50 ids a call, as `serve` reads a batch of deliveries back.
 */
import { createGitHubClient } from "../../lib/github/client";
import { pendingRequestsOfTokens } from "../../lib/review/listing";
import { addRequest, installApp, standInForEachTest } from "../../test-support/fixtures";

const LIST = "GET /orgs/{org}/personal-access-token-requests";

describe("pendingRequestsOfTokens", () => {
  const standIn = standInForEachTest();

  test("reads the pending requests of 120 tokens in 3 calls of at most 50 token_id[] each, and only theirs", async () => {
    // GIVEN 130 pending requests, 120 of whose tokens are asked for (one of them twice)
    const app = installApp(standIn());
    const reqs = Array.from({ length: 130 }, (_, i) => addRequest(standIn(), app.org, { owner: `o${i}` }));
    const asked = reqs.slice(0, 120).map((r) => r.tokenId);
    const client = await createGitHubClient({ apiUrl: standIn().url, auth: { kind: "token", token: app.token } });
    // WHEN they are read
    const read: number[] = [];
    for await (const page of pendingRequestsOfTokens(client, "acme-corp", [...asked, asked[0]])) read.push(...page.map((l) => l.raw.id));
    // THEN exactly those requests, in calls GitHub accepts
    expect(read.sort()).toEqual(
      reqs
        .slice(0, 120)
        .map((r) => r.id)
        .sort(),
    );
    const calls = standIn().callsOf(LIST);
    expect(calls.map((c) => new URL(c.url, standIn().url).searchParams.getAll("token_id[]").length)).toEqual([50, 50, 20]);
    expect(calls.every((c) => c.status === 200)).toBe(true);
    expect(standIn().rejections).toEqual([]);
  });

  test("the stand-in refuses the comma-joined filter Octokit makes of an array, as GitHub documents only token_id[]", async () => {
    const app = installApp(standIn());
    const client = await createGitHubClient({ apiUrl: standIn().url, auth: { kind: "token", token: app.token }, maxRetries: 0 });
    await expect(client.request(LIST, { org: "acme-corp", token_id: ["1", "2"] })).rejects.toMatchObject({ status: 422 });
  });

  test("reads nothing for no token ids", async () => {
    const app = installApp(standIn());
    const client = await createGitHubClient({ apiUrl: standIn().url, auth: { kind: "token", token: app.token } });
    for await (const page of pendingRequestsOfTokens(client, "acme-corp", [])) expect(page).toEqual([]);
    expect(standIn().callsOf(LIST)).toEqual([]);
  });
});
