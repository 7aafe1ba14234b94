import { RateLimit } from "../../lib/member/rate-limit";

describe("RateLimit", () => {
  const clock = () => {
    let t = 1_000_000;
    return { now: () => t, advance: (ms: number) => (t += ms) };
  };

  test("lets a peer's burst through, then makes it wait for the refill", () => {
    // GIVEN a limit of 3 at once and 6 a minute per peer
    const c = clock();
    const limit = new RateLimit({ perPeer: { burst: 3, perMinute: 6 }, global: { burst: 100, perMinute: 100 }, now: c.now });
    // WHEN one peer asks four times at once
    const waits = [1, 2, 3, 4].map(() => limit.take("a"));
    // THEN three go ahead and the fourth is told to wait one refill (10 s)
    expect(waits).toEqual([0, 0, 0, 10_000]);
    // AND another peer is not held back by it
    expect(limit.take("b")).toBe(0);
    // AND after 10 s the first may go once more, and only once
    c.advance(10_000);
    expect(limit.take("a")).toBe(0);
    expect(limit.take("a")).toBeGreaterThan(0);
  });

  test("fails when everybody together passes the global limit, whatever the number of peers", () => {
    // GIVEN a global limit of 5 at once
    const c = clock();
    const limit = new RateLimit({ perPeer: { burst: 10, perMinute: 10 }, global: { burst: 5, perMinute: 60 }, now: c.now });
    // WHEN ten peers ask once each
    const waits = Array.from({ length: 10 }, (_, i) => limit.take(`peer-${i}`));
    // THEN five go ahead and the rest wait for the global refill (1 s)
    expect(waits).toEqual([0, 0, 0, 0, 0, 1000, 1000, 1000, 1000, 1000]);
    // AND a refused request took nothing: one second later exactly one more goes
    c.advance(1000);
    expect([limit.take("peer-9"), limit.take("peer-8")]).toEqual([0, 1000]);
  });

  test("keeps at most maxPeers buckets: full ones are dropped, and a new peer is refused when none is", () => {
    // GIVEN room for 100 peers, all of which just asked
    const c = clock();
    const limit = new RateLimit({
      perPeer: { burst: 2, perMinute: 60 },
      global: { burst: 10_000, perMinute: 10_000 },
      maxPeers: 100,
      now: c.now,
    });
    for (let i = 0; i < 100; i++) expect(limit.take(`old-${i}`)).toBe(0);
    // WHEN a new peer asks while every bucket is still in use
    // THEN it is refused rather than let in unmetered, and the table does not grow
    expect(limit.take("new")).toBeGreaterThan(0);
    expect(limit.size).toBe(100);
    // WHEN the old buckets have filled up again (one second) and a thousand new peers ask
    c.advance(1000);
    const admitted = Array.from({ length: 1000 }, (_, i) => limit.take(`new-${i}`)).filter((w) => w === 0).length;
    // THEN the old buckets make room for as many new peers as the table holds, and no more
    expect(admitted).toBe(100);
    expect(limit.size).toBe(100);
  });

  test("fails when a rate is not a positive burst and refill", () => {
    expect(() => new RateLimit({ perPeer: { burst: 0, perMinute: 1 }, global: { burst: 1, perMinute: 1 } })).toThrow(
      /perPeer needs a whole burst of at least 1 and a perMinute above 0/,
    );
    expect(() => new RateLimit({ perPeer: { burst: 1, perMinute: 1 }, global: { burst: 1, perMinute: 0 } })).toThrow(/global needs/);
  });
});
