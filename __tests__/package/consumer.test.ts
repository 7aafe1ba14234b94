/**
 * Another cdktf project installs the packed package with only its peers and uses the constructs
 * in code: the README's example is this very file (examples/consumer/main.ts).
 *
 * The package is built and packed in a copy of the project (the files git knows, as they are in
 * the working tree) in a temporary folder: `npm pack` runs prepack, which rebuilds dist/, and a
 * test must never do that in the checkout (it would break an `npm link`ed CLI mid-run).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { tempDir } from "../../test-support/temp";

const root = join(__dirname, "..", "..");
const example = join(root, "examples", "consumer", "main.ts");

/** What a build or pack in the checkout would change: git's view, and every file under dist/ with its mtime. */
function checkoutState(): { status: string; dist: string[] } {
  // node_modules is left out: an installed tree lists tens of thousands of ignored files, and no build writes there.
  const status = execFileSync("git", ["status", "--porcelain", "--untracked-files=all", "--ignored", "--", ".", ":(exclude)node_modules"], {
    cwd: root,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  const dist: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      else dist.push(`${p} ${st.mtimeMs}`);
    }
  };
  if (existsSync(join(root, "dist"))) walk(join(root, "dist"));
  return { status, dist };
}

/** A copy of the project in a temporary folder: the files git tracks or would track, and a link to node_modules. */
function copyProject(): string {
  const copy = join(tempDir("project-"), "github-token-policy");
  const files = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: root, encoding: "utf8" })
    .split("\0")
    .filter(Boolean);
  for (const file of files) {
    if (!existsSync(join(root, file)) || statSync(join(root, file)).isDirectory()) continue; // deleted in the working tree, or a submodule
    mkdirSync(dirname(join(copy, file)), { recursive: true });
    copyFileSync(join(root, file), join(copy, file));
  }
  symlinkSync(join(root, "node_modules"), join(copy, "node_modules"), "dir");
  return copy;
}

describe("a consumer project", () => {
  let before: ReturnType<typeof checkoutState>;
  let dir: string;
  let files: string[];
  let packedSize: number;
  let unpackedSize: number;

  beforeAll(() => {
    before = checkoutState();
    // GIVEN a copy of the project, with a module left in dist/ by an earlier build of a file since removed
    const project = copyProject();
    mkdirSync(join(project, "dist", "lib"), { recursive: true });
    writeFileSync(join(project, "dist", "lib", "removed-since.js"), "module.exports = 'stale';\n");
    // AND the package as npm would publish it
    const out = tempDir("pack-");
    const packed = JSON.parse(
      // The project's .npmrc turns lifecycle scripts off; a release runs prepack, as asked here.
      execFileSync("npm", ["pack", "--ignore-scripts=false", "--json", "--pack-destination", out], {
        cwd: project,
        encoding: "utf8",
        stdio: ["ignore", "pipe", "pipe"],
      }),
    ) as { filename: string; size: number; unpackedSize: number; files: { path: string }[] }[];
    files = packed[0].files.map((f) => f.path);
    ({ size: packedSize, unpackedSize } = packed[0]);
    // AND a new project with only the tarball and the peers (this checkout's copies, whatever engine they are)
    dir = tempDir("consumer-");
    writeFileSync(
      join(dir, "package.json"),
      JSON.stringify({ name: "consumer", private: true, dependencies: { "github-token-policy": `file:${join(out, packed[0].filename)}` } }),
    );
    writeFileSync(
      join(dir, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: { module: "commonjs", target: "es2022", strict: true, esModuleInterop: true, skipLibCheck: true, types: [] },
        files: ["main.ts"],
      }),
    );
    copyFileSync(example, join(dir, "main.ts"));
    // The package's own dependencies from the registry (or the cache); the peers are the
    // project's own copies, linked in, so the consumer has exactly one cdktf.
    execFileSync("npm", ["install", "--prefer-offline", "--legacy-peer-deps", "--no-audit", "--no-fund", "--ignore-scripts"], {
      cwd: dir,
      stdio: "ignore",
    });
    mkdirSync(join(dir, "node_modules", "@cdktf"), { recursive: true });
    for (const peer of ["cdktf", "constructs", "@cdktf/provider-github"])
      symlinkSync(join(root, "node_modules", peer), join(dir, "node_modules", peer), "dir");
  }, 240_000);

  test("the package holds the built library and CLI, the schema and the README: no tests, fixtures or secrets", () => {
    expect(files).toEqual(
      expect.arrayContaining([
        "dist/lib/index.js",
        "dist/lib/index.d.ts",
        "dist/cli/index.js",
        "dist/token-policy.schema.json",
        "README.md",
        "package.json",
      ]),
    );
    expect(
      files.filter((f) => !/^(dist\/(lib|cli)\/|README\.md$|LICENSE$|package\.json$|dist\/token-policy\.schema\.json$)/.test(f)),
    ).toEqual([]);
    expect(files.filter((f) => /__tests__|test-support|fixtures|\.secrets|\.pem$|\.tfstate/.test(f))).toEqual([]);
  });

  test("ships no more than a consumer needs: under 250 KiB packed and 1 MiB unpacked, no generator-only or synth-only modules", () => {
    // 237 kB packed and 910 kB unpacked (issue 33), from 291 kB and 1.18 MB: the schema minified,
    // no comments in the JavaScript (the declarations keep the JSDoc), no schema generator.
    // With issues 29–32 merged (member, revoke, plan-guard, the connection table): 279 kB packed,
    // 1.08 MB unpacked; only the declarations the package's types reach: 229 kB and 898 kB.
    // Later 254 kB and 989 kB: the README (122 kB of it unpacked) and the config types' JSDoc.
    // lib/synth is main.ts's (the checkout's synth), not the package's.
    expect(packedSize).toBeLessThan(250 * 1024);
    expect(unpackedSize).toBeLessThan(1024 * 1024);
    expect(files.filter((f) => f.startsWith("dist/lib/config/json-schema.") || f.startsWith("dist/lib/synth/"))).toEqual([]);
    expect(readFileSync(join(dir, "node_modules", "github-token-policy", "dist", "lib", "approval", "evaluate.js"), "utf8")).not.toMatch(
      /\/\*\*/,
    );
    expect(readFileSync(join(dir, "node_modules", "github-token-policy", "dist", "lib", "approval", "evaluate.d.ts"), "utf8")).toMatch(
      /\/\*\*/,
    );
  });

  test("ships only the declarations the package's types reach: the library's, none of the CLI's or of engine internals", () => {
    // THEN the root's types and what they re-export are there (the type-check below needs them all)
    expect(files).toEqual(expect.arrayContaining(["dist/lib/index.d.ts", "dist/lib/constructs/org-token-policy.d.ts"]));
    // AND no declaration a consumer cannot import (the exports map opens the root only) is packed
    expect(files.filter((f) => f.startsWith("dist/cli/") && f.endsWith(".d.ts"))).toEqual([]);
    expect(files).not.toContain("dist/lib/serve/webhook-server.d.ts");
    expect(files).toContain("dist/lib/serve/webhook-server.js");
  });

  test("ships the JSON Schema minified, the same document as the readable one in the repository, at github-token-policy/token-policy.schema.json", () => {
    const resolved = require.resolve("github-token-policy/token-policy.schema.json", { paths: [dir] });
    const shipped = readFileSync(resolved, "utf8");
    expect(shipped).not.toContain("\n");
    expect(JSON.parse(shipped)).toEqual(JSON.parse(readFileSync(join(root, "token-policy.schema.json"), "utf8")));
  });

  test("is built from a clean dist/: nothing an earlier build left behind is packed", () => {
    expect(files).not.toContain("dist/lib/removed-since.js");
    expect(files).toContain("dist/lib/hosts.js");
  });

  test("type-checks against the package's declarations and synthesizes every stack", () => {
    // THEN the consumer's code type-checks against what the package ships
    const tsc = spawnSync(process.execPath, [join(root, "node_modules", "typescript", "bin", "tsc"), "-p", dir, "--noEmit"], {
      encoding: "utf8",
    });
    expect(tsc.stdout + tsc.stderr).toBe("");
    // AND synthesizes
    const synth = spawnSync(process.execPath, [join(root, "node_modules", "ts-node", "dist", "bin.js"), "--swc", "main.ts"], {
      cwd: dir,
      encoding: "utf8",
      env: { ...process.env, CHECKPOINT_DISABLE: "1" },
    });
    expect(synth.stderr).not.toMatch(/Error/);
    expect(synth.status).toBe(0);
    expect(readdirSync(join(dir, "cdktf.out", "stacks")).sort()).toEqual([
      "acme-corp",
      "acme-labs",
      "acme-ops",
      "enterprise-acme",
      "platform",
    ]);
    const stack = (id: string) => JSON.parse(readFileSync(join(dir, "cdktf.out", "stacks", id, "cdk.tf.json"), "utf8"));
    for (const login of ["acme-corp", "acme-labs", "acme-ops"]) {
      const tf = stack(login);
      // the lookups' provider acts on the login; the stack's own takes it through the gate over every lookup
      const providers: { alias?: string; owner: string }[] = tf.provider.github;
      expect(providers.find((p) => p.alias === "lookups")?.owner).toBe(login);
      expect(providers.find((p) => !p.alias)?.owner).toMatch(new RegExp(`^\\$\\{\\["${login}", `));
      expect(Object.values(tf.resource.github_actions_organization_secret)).toEqual([
        expect.objectContaining({ secret_name: "TOKEN_BROKER_PRIVATE_KEY", visibility: "private" }),
      ]);
      expect(JSON.parse((Object.values(tf.resource.terraform_data) as any[]).find((r) => r.input.manifest)!.input.manifest).name).toBe(
        `${login}-broker`,
      );
      // The organization declares no lifetime: its record holds the enterprise's 90 days.
      expect(
        (Object.values(tf.resource.terraform_data) as any[]).find((r) => "fine_grained_max_lifetime_days" in r.input)!.input,
      ).toMatchObject({ fine_grained_max_lifetime_days: 90, require_approval: true });
    }
    const enterprise = stack("enterprise-acme");
    expect(Object.values(enterprise.resource.terraform_data as Record<string, any>).map((r) => r.input)).toEqual([
      {
        fine_grained_tokens: "organizations-decide",
        require_approval: true,
        fine_grained_max_lifetime_days: 90,
        classic_tokens: "restrict",
        classic_max_lifetime_days: null,
        exempt_administrators: false,
      },
    ]);
    expect(enterprise.provider).toBeUndefined();
    const platform = stack("platform");
    expect(
      Object.values(platform.resource.terraform_data as Record<string, any>).map((r) => r.input.fine_grained_max_lifetime_days),
    ).toContain(30);
    expect(
      Object.values(platform.resource.github_actions_organization_variable as Record<string, any>)
        .map((v) => v.value)
        .sort(),
    ).toEqual(["1234", "Iv23liExample0000000"]);
  });

  test("the README's example is this consumer's main.ts", () => {
    expect(readFileSync(join(root, "README.md"), "utf8")).toContain(readFileSync(example, "utf8"));
  });

  test("leaves the checkout as it was: git sees no change and dist/ is untouched", () => {
    expect(checkoutState()).toEqual(before);
  });
});
