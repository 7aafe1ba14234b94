import { createGitHubClient, type GitHubClient } from "../../lib/github/client";
import { MAX_READS_IN_FLIGHT, paced, Slots, WriteLane, type PacingOptions } from "../../lib/github/pacing";
import { rateLimitOf } from "../../lib/github/rate-limits";
import { GitHubStandIn } from "../../test-support/github-stand-in/server";
import { addRequest, installApp, type InstalledApp } from "../../test-support/fixtures";

/** A promise with its resolve, to hold a request in flight until a test lets it go. */
function held(): { promise: Promise<void>; release: () => void } {
  let release!: () => void;
  const promise = new Promise<void>((r) => (release = r));
  return { promise, release };
}

const tick = () => new Promise((r) => setImmediate(r));

describe("pacing, on its own", () => {
  test("reads are not queued behind writes: they are sent while a write is in flight and another waits for its turn", async () => {
    // GIVEN a write in flight, held, and a second write of the same identity waiting
    const options: PacingOptions = { lane: new WriteLane(), writeIntervalMs: 200, reads: new Slots(4) };
    const write = held();
    const sent: string[] = [];
    const first = paced(options, "POST", "/orgs/acme-corp/personal-access-token-requests", async () => {
      sent.push("write 1");
      await write.promise;
    });
    const second = paced(options, "POST", "/orgs/acme-corp/personal-access-token-requests", async () => void sent.push("write 2"));
    await tick();
    // WHEN three reads are asked
    await Promise.all(
      [1, 2, 3].map((i) =>
        paced(options, "GET", "/orgs/acme-corp/personal-access-token-requests", async () => void sent.push(`read ${i}`)),
      ),
    );
    // THEN they were sent and answered while the writes wait
    expect(sent).toEqual(["write 1", "read 1", "read 2", "read 3"]);
    write.release();
    await Promise.all([first, second]);
    expect(sent.at(-1)).toBe("write 2");
  });

  test("reads beyond the limit wait, and go in the order they were asked as slots free", async () => {
    // GIVEN two read slots, both taken by held reads
    const options: PacingOptions = { lane: new WriteLane(), writeIntervalMs: 0, reads: new Slots(2) };
    const holds = [held(), held()];
    const sent: number[] = [];
    const reads = [0, 1, 2, 3, 4].map((i) =>
      paced(options, "GET", "/meta", async () => {
        sent.push(i);
        if (i < 2) await holds[i].promise;
      }),
    );
    await tick();
    // THEN only two were sent
    expect(sent).toEqual([0, 1]);
    expect(options.reads!.queued).toBe(3);
    // WHEN one is answered THEN the next in line goes, and so on
    holds[1].release();
    await reads[1];
    await tick();
    expect(sent.slice(0, 3)).toEqual([0, 1, 2]);
    holds[0].release();
    await Promise.all(reads);
    expect(sent).toEqual([0, 1, 2, 3, 4]);
    expect(options.reads!.taken).toBe(0);
  });

  test("writes of one identity go one at a time, each sent at least the interval after the previous one was sent", async () => {
    // GIVEN a lane with 100 ms between writes
    const lane = new WriteLane();
    const options: PacingOptions = { lane, writeIntervalMs: 100 };
    const sentAt: number[] = [];
    let inFlight = 0;
    let most = 0;
    // WHEN four writes are asked at once, each taking 30 ms
    await Promise.all(
      [1, 2, 3, 4].map(() =>
        paced(options, "POST", "/orgs/acme-corp/personal-access-tokens", async () => {
          sentAt.push(performance.now());
          most = Math.max(most, ++inFlight);
          await new Promise((r) => setTimeout(r, 30));
          inFlight--;
        }),
      ),
    );
    // THEN never two were in flight, and each went at least 100 ms after the one before
    expect(most).toBe(1);
    const gaps = sentAt.slice(1).map((t, i) => t - sentAt[i]);
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(99);
  });

  test("a failed write does not stop the lane: the next write is still sent", async () => {
    const options: PacingOptions = { lane: new WriteLane(), writeIntervalMs: 0 };
    const failing = paced(options, "DELETE", "/x", async () => {
      throw new Error("GitHub refused it");
    });
    await expect(failing).rejects.toThrow("GitHub refused it");
    await expect(paced(options, "DELETE", "/x", async () => "sent")).resolves.toBe("sent");
  });

  test("fails when a limit of read slots is not a whole number of at least 1", () => {
    expect(() => new Slots(0)).toThrow("Slots: max must be a whole number of at least 1, got 0");
  });
});

describe("pacing, through the client against the stand-in", () => {
  let standIn: GitHubStandIn;
  let app: InstalledApp;
  /** What left the client, in order ("read", "write"), with when, and how many were in flight at most. */
  let sent: { kind: string; at: number }[];
  let inFlight: number;
  let most: number;
  let restore: () => void;

  async function client(writeIntervalMs: number): Promise<GitHubClient> {
    return createGitHubClient({
      apiUrl: standIn.url,
      auth: { kind: "app", appId: String(app.appId), privateKey: app.pem, installationId: app.installationId },
      writeIntervalMs,
      retryUnitMs: 1,
    });
  }

  beforeEach(async () => {
    standIn = await GitHubStandIn.start({ latencyMs: 100 });
    app = installApp(standIn, "acme-corp");
    [sent, inFlight, most] = [[], 0, 0];
    // Every request the client sends goes through the global fetch: watch it leave and come back.
    const send = globalThis.fetch;
    const spy = jest.spyOn(globalThis, "fetch").mockImplementation(async (url, init) => {
      const kind = init?.method === "GET" ? "read" : String(url).endsWith("/personal-access-token-requests") ? "write" : "token";
      sent.push({ kind, at: performance.now() });
      most = Math.max(most, ++inFlight);
      try {
        return await send(url, init);
      } finally {
        inFlight--;
      }
    });
    restore = () => spy.mockRestore();
  });
  afterEach(async () => {
    restore();
    expect(standIn.violations).toEqual([]);
    expect(standIn.rejections).toEqual([]);
    await standIn.close();
  });

  /** `n` listings asked at once; the installation token is fetched first, so that it is not among them. */
  async function reads(github: GitHubClient, n: number): Promise<Promise<unknown>[]> {
    await github.auth({ type: "installation" });
    return Array.from({ length: n }, () =>
      github.request("GET /orgs/{org}/personal-access-token-requests", { org: "acme-corp", per_page: 1 }),
    );
  }

  /** A bulk approval of a new request. */
  const write = (github: GitHubClient, owner: string) =>
    github.request("POST /orgs/{org}/personal-access-token-requests", {
      org: "acme-corp",
      pat_request_ids: [addRequest(standIn, app.org, { owner }).id],
      action: "approve",
      reason: "ok",
    });

  test("reads run side by side, up to the limit of the process, not Octokit's 10", async () => {
    // GIVEN a client, and GitHub answering after 100 ms
    const github = await client(0);
    // WHEN it makes twice as many reads as the limit, at once
    await Promise.all(await reads(github, MAX_READS_IN_FLIGHT * 2));
    // THEN the limit, and no more, were in flight together
    expect(sent.filter((s) => s.kind === "read")).toHaveLength(MAX_READS_IN_FLIGHT * 2);
    expect(most).toBe(MAX_READS_IN_FLIGHT);
  });

  test("a write is not queued behind reads: it leaves before the reads beyond the limit", async () => {
    // GIVEN more reads asked than may be in flight
    const github = await client(0);
    const asked = await reads(github, MAX_READS_IN_FLIGHT + 10);
    // WHEN a write is asked after them
    await write(github, "mona");
    await Promise.all(asked);
    // THEN it left the client before any read that had to wait for a slot
    const order = sent.filter((s) => s.kind !== "token").map((s) => s.kind);
    expect(order.indexOf("write")).toBeLessThanOrEqual(MAX_READS_IN_FLIGHT);
  });

  test("writes stay spaced while reads fill every slot: each leaves the client at least the interval after the one before", async () => {
    // GIVEN 300 ms between writes, and more reads than slots
    const github = await client(300);
    const asked = await reads(github, MAX_READS_IN_FLIGHT * 2);
    // WHEN three writes are asked at once
    await Promise.all(["mona", "hubot", "octocat"].map((owner) => write(github, owner)));
    await Promise.all(asked);
    // THEN they left one at a time, at least 300 ms apart (Octokit's throttling spaced them before
    // they queued behind the reads, so that they could leave together)
    const writes = sent.filter((s) => s.kind === "write").map((s) => s.at);
    expect(writes).toHaveLength(3);
    for (const gap of writes.slice(1).map((t, i) => t - writes[i])) expect(gap).toBeGreaterThanOrEqual(295);
  });
});

describe("rate limits", () => {
  const error = (status: number, message: string, headers: Record<string, string>, data?: unknown) =>
    Object.assign(new Error(message), { status, response: { headers, data } });

  test("a secondary rate limit waits its retry-after, or 60 s without one", () => {
    const limited = "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.";
    expect(rateLimitOf(error(403, limited, { "retry-after": "7" }), 0)).toEqual({ limit: "secondary rate limit", retryAfter: 7 });
    expect(rateLimitOf(error(403, limited, {}), 0)).toEqual({ limit: "secondary rate limit", retryAfter: 60 });
  });

  test("the primary rate limit waits until its reset, and a second more", () => {
    const now = 1_800_000_000_000;
    const e = error(429, "API rate limit exceeded for installation.", {
      "x-ratelimit-remaining": "0",
      "x-ratelimit-reset": String(now / 1000 + 30),
    });
    expect(rateLimitOf(e, now)).toEqual({ limit: "rate limit", retryAfter: 31 });
  });

  test("the primary rate limit's wait is counted by GitHub's clock (its Date header), not a host clock an hour off", () => {
    // GIVEN GitHub's answer at its time T, resetting at T + 30 s, read on a host whose clock is an hour behind
    const github = 1_800_000_000_000;
    const e = error(403, "API rate limit exceeded for installation.", {
      "x-ratelimit-remaining": "0",
      "x-ratelimit-reset": String(github / 1000 + 30),
      date: new Date(github).toUTCString(),
    });
    // WHEN the wait is computed THEN it is GitHub's 30 s and a second, not an hour more
    expect(rateLimitOf(e, github - 3_600_000)).toEqual({ limit: "rate limit", retryAfter: 31 });
  });

  test("a 403 that is no rate limit (a missing permission) is not waited out", () => {
    expect(rateLimitOf(error(403, "Resource not accessible by integration", { "x-ratelimit-remaining": "4999" }), 0)).toBeUndefined();
    expect(rateLimitOf(error(404, "Not Found", {}), 0)).toBeUndefined();
  });
});
