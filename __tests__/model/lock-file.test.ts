import { lockFilePath, parseLockFile, STACK_LOCK_FILE } from "../../lib/model/lock-file";

const GITHUB = "registry.terraform.io/integrations/github";

describe("lockFilePath", () => {
  test("keeps each organization's lock file in terraform-locks, by its login in lower case", () => {
    expect(lockFilePath("Acme-Corp")).toBe("terraform-locks/acme-corp.terraform.lock.hcl");
    expect(STACK_LOCK_FILE).toBe(".terraform.lock.hcl");
  });
});

describe("parseLockFile", () => {
  test("reads what Terraform reads: no block in a comment, a one-line block does not swallow the next, a checksum may hold //", () => {
    // GIVEN a lock file whose real block locks 6.12.0, followed by the old 6.11.0 block commented out in each of HCL's ways
    const block = (version: string, hash: string) =>
      `provider "${GITHUB}" {\n  version = "${version}"\n  hashes = [\n    "h1:${hash}=",\n  ]\n}\n`;
    const text = [
      'provider "registry.terraform.io/hashicorp/null" { version = "3.2.0" }',
      block("6.12.0", "ab//cd"),
      `/*\n${block("6.11.0", "old")}*/`,
      block("6.11.0", "old").replace(/^/gm, "# "),
      block("6.11.0", "old").replace(/^/gm, "// "),
    ].join("\n");
    // WHEN it is parsed
    const locked = parseLockFile(text);
    // THEN only the blocks Terraform reads count
    expect(Object.fromEntries(locked)).toEqual({
      "registry.terraform.io/hashicorp/null": { version: "3.2.0", hashes: [] },
      [GITHUB]: { version: "6.12.0", hashes: ["h1:ab//cd="] },
    });
  });
});
