import { existsSync } from "node:fs";
import { join } from "node:path";
import { POLICY_CHECKS } from "../../lib/policy-checks/check-pack";
import { findings, ids, shortLived } from "./checks/organization";

describe("the policy check pack", () => {
  test("a careful organization has no findings", () => {
    expect(ids(shortLived)).toEqual([]);
  });

  test("every check has a unique id, a level, what is wrong and why", () => {
    for (const c of POLICY_CHECKS) {
      expect(c.id).toMatch(/^[a-z-]+$/);
      expect(["error", "warning"]).toContain(c.level);
      expect(c.info.length).toBeGreaterThan(10);
      expect(c.explanation.length).toBeGreaterThan(30);
    }
    expect(new Set(POLICY_CHECKS.map((c) => c.id)).size).toBe(POLICY_CHECKS.length);
  });

  test("every check has its file in lib/policy-checks/checks/ and its test file in checks/, both named by its id", () => {
    for (const c of POLICY_CHECKS) {
      expect([c.id, existsSync(join(__dirname, "..", "..", "lib", "policy-checks", "checks", `${c.id}.ts`))]).toEqual([c.id, true]);
      expect([c.id, existsSync(join(__dirname, "checks", `${c.id}.test.ts`))]).toEqual([c.id, true]);
    }
  });

  describe("suppressions", () => {
    test("turn the finding into suppressed, with the reason", () => {
      const f = findings({
        patPolicy: { maxLifetimeDays: 180 },
        suppressions: [{ id: "long-token-lifetime", reason: "Data team tokens renew twice a year; tracked in SEC-12." }],
      });
      expect(f.map((x) => [x.checkId, x.level, x.suppressedBecause])).toEqual([
        ["long-token-lifetime", "suppressed", "Data team tokens renew twice a year; tracked in SEC-12."],
      ]);
    });

    test("fail loudly when they match nothing or name no check", () => {
      const f = findings({
        ...shortLived,
        suppressions: [
          { id: "long-token-lifetime", reason: "left over from 2025" },
          { id: "no-such-rule", reason: "a typo in the id" },
        ],
      });
      expect(f.map((x) => [x.level, x.message])).toEqual([
        ["error", "[unused-suppression] suppressions[0] suppresses long-token-lifetime, which finds nothing in acme-corp: remove it."],
        [
          "error",
          expect.stringMatching(
            /^\[unused-suppression\] suppressions\[1\] names no-such-rule, which is no rule \(rules: private-key-visible-to-all, /,
          ),
        ],
      ]);
    });
  });
});
