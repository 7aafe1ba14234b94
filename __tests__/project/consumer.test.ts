/**
 * Another cdktf project installs the packed package with only its peers and uses the constructs
 * in code: the README's example is this very file (examples/consumer/main.ts).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const root = join(__dirname, "..", "..");
const example = join(root, "examples", "consumer", "main.ts");

describe("a consumer project", () => {
  let dir: string;
  let files: string[];

  beforeAll(() => {
    // GIVEN a module left in dist/ by an earlier build of a file since removed
    mkdirSync(join(root, "dist", "lib"), { recursive: true });
    writeFileSync(join(root, "dist", "lib", "removed-since.js"), "module.exports = 'stale';\n");
    // AND the package as npm would publish it
    const out = mkdtempSync(join(tmpdir(), "pack-"));
    const packed = JSON.parse(execFileSync("npm", ["pack", "--json", "--pack-destination", out], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] })) as { filename: string; files: { path: string }[] }[];
    files = packed[0].files.map((f) => f.path);
    // AND a new project with only the tarball and the peers (this checkout's copies, whatever engine they are)
    dir = mkdtempSync(join(tmpdir(), "consumer-"));
    writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "consumer", private: true, dependencies: { "github-token-policy": `file:${join(out, packed[0].filename)}` } }));
    writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions: { module: "commonjs", target: "es2022", strict: true, esModuleInterop: true, skipLibCheck: true, types: [] }, files: ["main.ts"] }));
    copyFileSync(example, join(dir, "main.ts"));
    // The package's own dependencies from the registry (or the cache); the peers are the
    // project's own copies, linked in, so the consumer has exactly one cdktf.
    execFileSync("npm", ["install", "--prefer-offline", "--legacy-peer-deps", "--no-audit", "--no-fund", "--ignore-scripts"], { cwd: dir, stdio: "ignore" });
    mkdirSync(join(dir, "node_modules", "@cdktf"), { recursive: true });
    for (const peer of ["cdktf", "constructs", "@cdktf/provider-github"]) symlinkSync(join(root, "node_modules", peer), join(dir, "node_modules", peer), "dir");
  }, 240_000);

  test("the package holds the built library and CLI, the schema and the README: no tests, fixtures or secrets", () => {
    expect(files).toEqual(expect.arrayContaining(["dist/lib/index.js", "dist/lib/index.d.ts", "dist/cli/index.js", "token-policy.schema.json", "README.md", "package.json"]));
    expect(files.filter((f) => !/^(dist\/(lib|cli)\/|README\.md$|package\.json$|token-policy\.schema\.json$)/.test(f))).toEqual([]);
    expect(files.filter((f) => /__tests__|test-support|fixtures|\.secrets|\.pem$|\.tfstate/.test(f))).toEqual([]);
  });

  test("is built from a clean dist/: nothing an earlier build left behind is packed", () => {
    expect(files).not.toContain("dist/lib/removed-since.js");
    expect(files).toContain("dist/lib/hosts.js");
  });

  test("type-checks against the package's declarations and synthesizes every stack", () => {
    // THEN the consumer's code type-checks against what the package ships
    const tsc = spawnSync(process.execPath, [join(root, "node_modules", "typescript", "bin", "tsc"), "-p", dir, "--noEmit"], { encoding: "utf8" });
    expect(tsc.stdout + tsc.stderr).toBe("");
    // AND synthesizes
    const synth = spawnSync(process.execPath, [join(root, "node_modules", "ts-node", "dist", "bin.js"), "--swc", "main.ts"], { cwd: dir, encoding: "utf8", env: { ...process.env, CHECKPOINT_DISABLE: "1" } });
    expect(synth.stderr).not.toMatch(/Error/);
    expect(synth.status).toBe(0);
    expect(readdirSync(join(dir, "cdktf.out", "stacks")).sort()).toEqual(["acme-corp", "acme-labs", "acme-ops", "enterprise-acme", "platform"]);
    const stack = (id: string) => JSON.parse(readFileSync(join(dir, "cdktf.out", "stacks", id, "cdk.tf.json"), "utf8"));
    for (const login of ["acme-corp", "acme-labs", "acme-ops"]) {
      const tf = stack(login);
      expect(tf.provider.github[0].owner).toBe(login);
      expect(Object.values(tf.resource.github_actions_organization_secret)).toEqual([expect.objectContaining({ secret_name: "TOKEN_BROKER_PRIVATE_KEY", visibility: "private" })]);
      expect(JSON.parse((Object.values(tf.resource.terraform_data) as any[]).find((r) => r.input.manifest)!.input.manifest).name).toBe(`${login}-broker`);
      // The organization declares no lifetime: its record holds the enterprise's 90 days.
      expect((Object.values(tf.resource.terraform_data) as any[]).find((r) => "fine_grained_max_lifetime_days" in r.input)!.input).toMatchObject({ fine_grained_max_lifetime_days: 90, require_approval: true });
    }
    const enterprise = stack("enterprise-acme");
    expect(Object.values(enterprise.resource.terraform_data as Record<string, any>).map((r) => r.input)).toEqual([
      { fine_grained_tokens: "organizations-decide", require_approval: true, fine_grained_max_lifetime_days: 90, classic_tokens: "restrict", classic_max_lifetime_days: null, exempt_administrators: false },
    ]);
    expect(enterprise.provider).toBeUndefined();
    const platform = stack("platform");
    expect(Object.values(platform.resource.terraform_data as Record<string, any>).map((r) => r.input.fine_grained_max_lifetime_days)).toContain(30);
    expect(Object.values(platform.resource.github_actions_organization_variable as Record<string, any>).map((v) => v.value).sort()).toEqual(["1234", "Iv23liExample0000000"]);
  });

  test("the README's example is this consumer's main.ts", () => {
    expect(readFileSync(join(root, "README.md"), "utf8")).toContain(readFileSync(example, "utf8"));
  });
});
