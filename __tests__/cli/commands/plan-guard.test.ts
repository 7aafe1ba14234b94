/** `token-policy plan-guard`: the pull-request plan's gate, as the review workflow runs it. */
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";
import { run } from "../../../cli";
import { orgEntry } from "../../../test-support/config";
import { captureIO } from "../../../test-support/io";
import { tempDir } from "../../../test-support/temp";

const s3 = { type: "s3", bucket: "acme-state", region: "eu-west-1" };

/** A base and a pull-request config side by side, as the plan job has them. */
function configs(head: Record<string, unknown>): { base: string; pr: string } {
  const dir = tempDir("plan-guard-");
  const base = join(dir, "base.yaml");
  const pr = join(dir, "pr.yaml");
  writeFileSync(base, stringify({ organizations: [orgEntry({ backend: s3 })] }));
  writeFileSync(pr, stringify({ organizations: [orgEntry(head)] }));
  return { base, pr };
}

describe("token-policy plan-guard", () => {
  test("passes (exit 0) when the pull request keeps the backend and the host", async () => {
    const { base, pr } = configs({ backend: s3, patPolicy: { maxLifetimeDays: 30 } });
    const io = captureIO({});
    expect(await run(["plan-guard", "--org", "acme-corp", "--base-file", base, "--config", pr], io)).toBe(0);
    expect(io.out()).toBe(
      "acme-corp: the pull request keeps the state backend, the GitHub host and the provider lock file; the plan may run.\n",
    );
  });

  test("fails (exit 1) when the pull request points the backend at another bucket and role, naming each change", async () => {
    // GIVEN a pull request that only moves the state backend
    const { base, pr } = configs({ backend: { ...s3, bucket: "attacker-state", roleArn: "arn:aws:iam::222222222222:role/x" } });
    const io = captureIO({});
    // WHEN the guard runs THEN it refuses, naming both fields and their values
    expect(await run(["plan-guard", "--org", "acme-corp", "--base-file", base, "--config", pr], io)).toBe(1);
    expect(io.err()).toContain("acme-corp: the pull request changes what the plan job's credentials would follow; no token is minted");
    expect(io.err()).toContain("  - backend.bucket: acme-state → attacker-state (");
    expect(io.err()).toContain("  - backend.roleArn: unset → arn:aws:iam::222222222222:role/x (");
  });

  test("passes when the pull request removes the organization: nothing of it is planned", async () => {
    const dir = tempDir("plan-guard-");
    const base = join(dir, "base.yaml");
    const pr = join(dir, "pr.yaml");
    writeFileSync(base, stringify({ organizations: [orgEntry(), orgEntry({ login: "acme-labs" })] }));
    writeFileSync(pr, stringify({ organizations: [orgEntry({ login: "acme-labs" })] }));
    const io = captureIO({});
    expect(await run(["plan-guard", "--org", "acme-corp", "--base-file", base, "--config", pr], io)).toBe(0);
    expect(io.out()).toContain("removes it from the config");
  });

  describe("the provider lock file beside each config", () => {
    const lock = (version: string, hash: string) =>
      `provider "registry.terraform.io/integrations/github" {\n  version = "${version}"\n  hashes = [\n    "h1:${hash}=",\n  ]\n}\n`;

    /** base/ and pr/ as the plan job has them: each config with its terraform-locks/ beside it. */
    function trees(baseLock: string | undefined, prLock: string | undefined): { base: string; pr: string } {
      const dir = tempDir("plan-guard-locks-");
      const put = (side: string, text: string | undefined) => {
        mkdirSync(join(dir, side, "terraform-locks"), { recursive: true });
        writeFileSync(join(dir, side, "token-policy.yaml"), stringify({ organizations: [orgEntry({ backend: s3 })] }));
        if (text !== undefined) writeFileSync(join(dir, side, "terraform-locks", "acme-corp.terraform.lock.hcl"), text);
        return join(dir, side, "token-policy.yaml");
      };
      return { base: put("base", baseLock), pr: put("pr", prLock) };
    }

    test("passes when the pull request's lock file is the base's", async () => {
      const { base, pr } = trees(lock("6.13.0", "aaa"), lock("6.13.0", "aaa"));
      expect(await run(["plan-guard", "--org", "acme-corp", "--base-file", base, "--config", pr], captureIO({}))).toBe(0);
    });

    test("fails (exit 1) when the pull request's lock file picks another provider version, naming the file and the versions", async () => {
      // GIVEN a pull request that keeps the config's settings but locks another build
      const { base, pr } = trees(lock("6.13.0", "aaa"), lock("6.12.0", "bbb"));
      const io = captureIO({});
      // WHEN the guard runs THEN it refuses before any token is minted, naming the change
      expect(await run(["plan-guard", "--org", "acme-corp", "--base-file", base, "--config", pr], io)).toBe(1);
      expect(io.err()).toContain(
        "  - terraform-locks/acme-corp.terraform.lock.hcl: registry.terraform.io/integrations/github version: 6.13.0 → 6.12.0 (terraform would run a provider build the base does not trust",
      );
    });

    test("fails when the pull request's lock file is a symbolic link (synth would not pin the base's build)", async () => {
      const { base, pr } = trees(lock("6.13.0", "aaa"), undefined);
      symlinkSync(
        join(base, "..", "terraform-locks", "acme-corp.terraform.lock.hcl"),
        join(pr, "..", "terraform-locks", "acme-corp.terraform.lock.hcl"),
      );
      const io = captureIO({});
      expect(await run(["plan-guard", "--org", "acme-corp", "--base-file", base, "--config", pr], io)).toBe(1);
      expect(io.err()).toContain("  - terraform-locks/acme-corp.terraform.lock.hcl: present → removed (");
    });
  });

  test("--json prints that the plan may run as one JSON object", async () => {
    const { base, pr } = configs({ backend: s3 });
    const io = captureIO({});
    expect(await run(["plan-guard", "--org", "acme-corp", "--base-file", base, "--config", pr, "--json"], io)).toBe(0);
    expect(JSON.parse(io.out())).toEqual({ org: "acme-corp", plan: "may run", changes: [] });
  });

  test("fails (exit 1) with --json when the backend moves: each change in the JSON, the refusal on stderr", async () => {
    const { base, pr } = configs({ backend: { ...s3, bucket: "other-state" } });
    const io = captureIO({});
    expect(await run(["plan-guard", "--org", "acme-corp", "--base-file", base, "--config", pr, "--json"], io)).toBe(1);
    expect(JSON.parse(io.out())).toEqual({
      org: "acme-corp",
      plan: "refused",
      changes: [expect.objectContaining({ setting: "backend.bucket", base: "acme-state", head: "other-state" })],
    });
    expect(io.err()).toContain("  - backend.bucket: acme-state → other-state (");
  });
});
