/**
 * Reading grants filtered by owner and token id, against the OpenAPI-checked stand-in: GitHub's
 * `owner[]` (10 a call) and `token_id[]` (50 a call) filters, as `member` and `revoke` read them.
 */
import { createGitHubClient } from "../../lib/github/client";
import { listAccessFiltered } from "../../lib/review/listing";
import { addGrant, installApp, standInForEachTest } from "../../test-support/fixtures";

const LIST = "GET /orgs/{org}/personal-access-tokens";

describe("listAccessFiltered", () => {
  const standIn = standInForEachTest();

  test("reads the grants of 25 owners in 3 calls of at most 10 owner[] each, and only theirs", async () => {
    // GIVEN grants of 30 owners, 25 of whom are asked for
    const app = installApp(standIn());
    const grants = Array.from({ length: 30 }, (_, i) => addGrant(standIn(), app.org, { owner: `o${i}` }));
    const client = await createGitHubClient({ apiUrl: standIn().url, auth: { kind: "token", token: app.token } });
    // WHEN they are read
    const read: number[] = [];
    const owners = Array.from({ length: 25 }, (_, i) => `o${i}`);
    for await (const page of listAccessFiltered(client, "acme-corp", "grant", { owners })) read.push(...page.map((l) => l.raw.id));
    // THEN exactly theirs, in calls GitHub accepts
    expect(read.sort()).toEqual(grants.slice(0, 25).sort());
    const calls = standIn().callsOf(LIST);
    expect(calls.map((c) => new URL(c.url, standIn().url).searchParams.getAll("owner[]").length)).toEqual([10, 10, 5]);
    expect(calls.every((c) => c.status === 200)).toBe(true);
  });

  test("combines owner[] and token_id[] in one listing", async () => {
    const app = installApp(standIn());
    const mine = addGrant(standIn(), app.org, { owner: "mona" });
    addGrant(standIn(), app.org, { owner: "mona" });
    const tokenId = app.org.grants.get(mine)!.tokenId;
    const client = await createGitHubClient({ apiUrl: standIn().url, auth: { kind: "token", token: app.token } });
    const read: number[] = [];
    for await (const page of listAccessFiltered(client, "acme-corp", "grant", { owners: ["mona"], tokenIds: [tokenId] }))
      read.push(...page.map((l) => l.raw.id));
    expect(read).toEqual([mine]);
    expect(standIn().callsOf(LIST)).toHaveLength(1);
  });

  test("the stand-in refuses the comma-joined owner filter Octokit makes of an array, as GitHub documents only owner[]", async () => {
    const app = installApp(standIn());
    const client = await createGitHubClient({ apiUrl: standIn().url, auth: { kind: "token", token: app.token } });
    await expect(client.request("GET /orgs/{org}/personal-access-tokens", { org: "acme-corp", owner: ["a", "b"] })).rejects.toMatchObject({
      status: 422,
    });
  });
});
