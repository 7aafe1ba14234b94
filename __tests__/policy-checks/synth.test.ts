import { copyFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import { runEntry } from "../../test-support/run-entry";
import { tempDir } from "../../test-support/temp";

describe("main.ts with policy errors", () => {
  test("fails with exit 2, every error named by organization, and leaves cdktf.out as it was", () => {
    // GIVEN a previous good synth in cdktf.out
    const dir = tempDir("policy-main-");
    const example = join(__dirname, "..", "..", "token-policy.yaml");
    copyFileSync(example, join(dir, "token-policy.yaml"));
    expect(runEntry("main.ts", [], { cwd: dir }).status).toBe(0);
    const before = readFileSync(join(dir, "cdktf.out", "stacks", "acme-corp", "cdk.tf.json"), "utf8");
    // WHEN the second organization breaks a rule (the first one is fine)
    const config = parse(readFileSync(example, "utf8"));
    config.organizations[1].patPolicy.classicTokens = "allow";
    config.organizations[0].app.permissions.contents = "write";
    writeFileSync(join(dir, "token-policy.yaml"), stringify(config));
    const r = runEntry("main.ts", [], { cwd: dir });
    // THEN (at the line and column of the value the check found)
    const lines = stringify(config).split("\n");
    const line = lines.findIndex((l) => l.trim() === "classicTokens: allow") + 1;
    const col = lines[line - 1].indexOf("allow") + 1;
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      `token-policy.yaml: 1 policy error\n  token-policy.yaml:${line}:${col} organizations[1] (acme-labs): [classic-tokens-allowed] Classic personal access tokens may access the organization. patPolicy.classicTokens is allow. Classic tokens reach every organization and repository their owner can, with coarse scopes, and need no approval: the approval policy cannot see them. Restrict them and use fine-grained tokens or the App.\n`,
    );
    expect(readFileSync(join(dir, "cdktf.out", "stacks", "acme-corp", "cdk.tf.json"), "utf8")).toBe(before);
    expect(existsSync(join(dir, "cdktf.out", "stacks", "acme-labs"))).toBe(true);
  });

  test("prints warnings and still synthesizes", () => {
    const dir = tempDir("policy-warn-");
    const config = parse(readFileSync(join(__dirname, "..", "..", "token-policy.yaml"), "utf8"));
    config.defaults.patPolicy.maxLifetimeDays = 120;
    config.enterprises[0].patPolicy.maxLifetimeDays = 120; // acme-corp's enterprise allows it
    writeFileSync(join(dir, "token-policy.yaml"), stringify(config));
    const r = runEntry("main.ts", [], { cwd: dir });
    expect(r.status).toBe(0);
    // at defaults' maxLifetimeDays, which acme-corp inherits
    const line =
      stringify(config)
        .split("\n")
        .findIndex((l) => l.trim() === "maxLifetimeDays: 120") + 1;
    expect(r.stderr).toContain(`warning: token-policy.yaml:${line}:22 organizations[0] (acme-corp): [long-token-lifetime]`);
    expect(existsSync(join(dir, "cdktf.out", "stacks", "acme-corp", "cdk.tf.json"))).toBe(true);
  });
});
