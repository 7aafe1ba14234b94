/**
 * The report's provider lock file changes rank at the top with the backend's: the lock file picks
 * the provider build the plan and deploy jobs run with their credentials.
 */
import { diffLockFile } from "../../lib/report/providers";

const lock = (version: string, ...hashes: string[]) =>
  `provider "registry.terraform.io/integrations/github" {\n  version = "${version}"\n  hashes = [${hashes.map((h) => `"${h}"`).join(", ")}]\n}\n`;
const FILE = "terraform-locks/acme-corp.terraform.lock.hcl";

describe("diffLockFile", () => {
  test.each([
    ["a version change", lock("6.12.0", "h1:a="), lock("6.13.0", "h1:b=")],
    ["new checksums for the same version", lock("6.13.0", "h1:a="), lock("6.13.0", "h1:a=", "h1:b=")],
    ["a lock file added", undefined, lock("6.13.0", "h1:a=")],
    ["a lock file removed", lock("6.13.0", "h1:a="), undefined],
  ])("ranks %s above widened permissions (100) and under a backend change (108)", (_what, base, head) => {
    // GIVEN a pull request that changes the lock file WHEN the report compares it
    const changes = diffLockFile("acme-corp", FILE, base, head);
    // THEN each change is scored 107
    expect(changes.length).toBeGreaterThan(0);
    for (const c of changes) expect(c.score).toBe(107);
  });
});
