import { RecentKeys } from "../../lib/serve/recent-keys";

describe("RecentKeys", () => {
  test("a key is refused while remembered and accepted again once its time to live has passed", () => {
    let now = 0;
    const keys = new RecentKeys({ maxKeys: 10, ttlMs: 1000, now: () => now });
    expect(keys.add("a")).toBe(true);
    now = 999;
    expect(keys.add("a")).toBe(false);
    now = 1000;
    expect(keys.add("a")).toBe(true);
  });

  test("holds at most maxKeys, forgetting the oldest first", () => {
    const keys = new RecentKeys({ maxKeys: 3, ttlMs: 60_000 });
    for (const k of ["a", "b", "c", "d"]) keys.add(k);
    expect(keys.size).toBe(3);
    expect(keys.add("a")).toBe(true);
    expect(keys.add("d")).toBe(false);
  });

  test("a deleted key can be added again", () => {
    const keys = new RecentKeys({ maxKeys: 3, ttlMs: 60_000 });
    keys.add("a");
    keys.delete("a");
    expect(keys.add("a")).toBe(true);
  });

  test("fails when a bound is not positive", () => {
    expect(() => new RecentKeys({ maxKeys: 0, ttlMs: 1 })).toThrow("RecentKeys: maxKeys must be at least 1 and ttlMs above 0, got 0 and 1");
  });
});
