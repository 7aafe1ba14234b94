import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { run } from "../../cli";
import { mirrorFlag } from "../../lib/deploy/lock";
import { parseLockFile } from "../../lib/model/lock-file";
import { captureIO } from "../../test-support/io";
import { multiPlatformMirror } from "../../test-support/multi-platform-mirror";
import { runEntry } from "../../test-support/run-entry";
import { terraformBinary } from "../../test-support/terraform";
import { tempDir } from "../../test-support/temp";

const example = join(__dirname, "..", "..", "token-policy.yaml");
const binary = terraformBinary();
const withTerraform = binary ? describe : describe.skip;
if (!binary) process.stdout.write("skipped: no terraform binary on the PATH; token-policy lock did not run against a mirror\n");

const GITHUB = "registry.terraform.io/integrations/github";

/** A project folder holding the example config. */
function project(): string {
  const dir = tempDir("token-policy-lock-");
  copyFileSync(example, join(dir, "token-policy.yaml"));
  return dir;
}

/** `token-policy lock` for acme-corp of the project in `dir`, for linux_amd64, and `more`. */
function lockArgs(dir: string, ...more: string[]): string[] {
  return ["lock", "--config", join(dir, "token-policy.yaml"), "--org", "acme-corp", "--platform", "linux_amd64", ...more];
}

withTerraform("token-policy lock", () => {
  jest.setTimeout(120_000);

  test("writes each stack's lock file from the mirror TF_CLI_CONFIG_FILE names, and the next synth puts it into the stack", async () => {
    // GIVEN a filesystem mirror with stand-in builds of the provider for two platforms
    const { cliConfig } = multiPlatformMirror(GITHUB, "6.12.0", ["linux_amd64", "darwin_arm64"]);
    const dir = project();
    // WHEN token-policy lock runs for those platforms
    const io = captureIO({ PATH: process.env.PATH, HOME: process.env.HOME, TF_CLI_CONFIG_FILE: cliConfig });
    expect(
      await run(["lock", "--config", join(dir, "token-policy.yaml"), "--platform", "linux_amd64", "--platform", "darwin_arm64"], io),
    ).toBe(0);
    // THEN each organization has a lock file naming the mirror's version, with one checksum per build
    for (const login of ["acme-corp", "acme-labs"]) {
      const locked = parseLockFile(readFileSync(join(dir, "terraform-locks", `${login}.terraform.lock.hcl`), "utf8"));
      expect([...locked.keys()]).toEqual([GITHUB]);
      expect(locked.get(GITHUB)!.version).toBe("6.12.0");
      expect(locked.get(GITHUB)!.hashes).toHaveLength(2);
    }
    expect(io.out()).toContain(
      "acme-corp     terraform-locks/acme-corp.terraform.lock.hcl  registry.terraform.io/integrations/github 6.12.0",
    );
    expect(io.out()).toMatch(/Checksums for linux_amd64, darwin_arm64 from .*mirror \(TF_CLI_CONFIG_FILE\)/);

    // WHEN the app synthesizes, THEN each stack holds its committed lock file
    const synth = runEntry("main.ts", [], { cwd: dir, env: { PATH: dirname(process.execPath) } });
    expect(synth.status).toBe(0);
    expect(synth.stdout).toContain(
      "acme-corp: cdktf.out/stacks/acme-corp/cdk.tf.json (provider pinned by terraform-locks/acme-corp.terraform.lock.hcl)",
    );
    for (const login of ["acme-corp", "acme-labs"]) {
      expect(readFileSync(join(dir, "cdktf.out", "stacks", login, ".terraform.lock.hcl"), "utf8")).toBe(
        readFileSync(join(dir, "terraform-locks", `${login}.terraform.lock.hcl`), "utf8"),
      );
    }

    // WHEN the committed lock file is gone and synth runs again, THEN the stack keeps the one it had
    const stackLock = join(dir, "cdktf.out", "stacks", "acme-labs", ".terraform.lock.hcl");
    const before = readFileSync(stackLock, "utf8");
    rmSync(join(dir, "terraform-locks", "acme-labs.terraform.lock.hcl"));
    expect(runEntry("main.ts", [], { cwd: dir, env: { PATH: dirname(process.execPath) } }).status).toBe(0);
    expect(readFileSync(stackLock, "utf8")).toBe(before);
  });

  test("keeps the version a committed lock file names and adds checksums for new platforms", async () => {
    const dir = project();
    const first = multiPlatformMirror(GITHUB, "6.12.0", ["linux_amd64"]);
    expect(await run(lockArgs(dir), captureIO({ PATH: process.env.PATH, TF_CLI_CONFIG_FILE: first.cliConfig }))).toBe(0);
    // GIVEN a mirror that also serves a newer version, for two platforms
    const second = multiPlatformMirror(GITHUB, "6.12.0", ["linux_amd64", "windows_amd64"]);
    const newer = multiPlatformMirror(GITHUB, "6.13.0", ["linux_amd64", "windows_amd64"]);
    for (const platform of ["linux_amd64", "windows_amd64"]) {
      copyFileSync(
        join(newer.mirror, GITHUB, `terraform-provider-github_6.13.0_${platform}.zip`),
        join(second.mirror, GITHUB, `terraform-provider-github_6.13.0_${platform}.zip`),
      );
    }
    const io = captureIO({ PATH: process.env.PATH, TF_CLI_CONFIG_FILE: second.cliConfig });
    expect(await run(lockArgs(dir, "--platform", "windows_amd64"), io)).toBe(0);
    const locked = parseLockFile(readFileSync(join(dir, "terraform-locks", "acme-corp.terraform.lock.hcl"), "utf8")).get(GITHUB)!;
    expect(locked.version).toBe("6.12.0");
    expect(locked.hashes).toHaveLength(2);
    expect(existsSync(join(dir, "terraform-locks", "acme-labs.terraform.lock.hcl"))).toBe(false);
  });

  describe("from a committed 6.11 lock file", () => {
    /** A project whose acme-corp lock file pins 6.11.1, as `token-policy lock` wrote it before the stacks required 6.12. */
    const projectWith611 = () => {
      const dir = project();
      mkdirSync(join(dir, "terraform-locks"));
      const committed = [
        '# This file is maintained automatically by "terraform init".',
        "# Manual edits may be lost in future updates.",
        "",
        `provider "${GITHUB}" {`,
        '  version     = "6.11.1"',
        '  constraints = ">= 6.11.0, < 7.0.0"',
        "  hashes = [",
        '    "h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",',
        "  ]",
        "}",
        "",
      ].join("\n");
      writeFileSync(join(dir, "terraform-locks", "acme-corp.terraform.lock.hcl"), committed);
      return { dir, committed };
    };

    test("fails with exit 2 before terraform runs, naming the lock file, its version and --upgrade, and leaves it as it was", async () => {
      const { dir, committed } = projectWith611();
      const { cliConfig } = multiPlatformMirror(GITHUB, "6.13.0", ["linux_amd64"]);
      const io = captureIO({ PATH: process.env.PATH, TF_CLI_CONFIG_FILE: cliConfig });
      expect(await run(lockArgs(dir), io)).toBe(2);
      expect(io.err()).toContain(
        `terraform-locks/acme-corp.terraform.lock.hcl pins ${GITHUB} 6.11.1, which the stacks no longer accept (>= 6.12.0, < 7.0.0)`,
      );
      expect(io.err()).toContain("token-policy lock --upgrade");
      expect(readFileSync(join(dir, "terraform-locks", "acme-corp.terraform.lock.hcl"), "utf8")).toBe(committed);
    });

    test("lock --upgrade moves it to the newest version the stacks accept, in one command", async () => {
      // GIVEN a mirror serving 6.11.1 (which the stacks refuse), 6.12.0 and 6.13.0
      const { dir } = projectWith611();
      const mirror = multiPlatformMirror(GITHUB, "6.13.0", ["linux_amd64"]);
      for (const version of ["6.11.1", "6.12.0"]) {
        const other = multiPlatformMirror(GITHUB, version, ["linux_amd64"]);
        copyFileSync(
          join(other.mirror, GITHUB, `terraform-provider-github_${version}_linux_amd64.zip`),
          join(mirror.mirror, GITHUB, `terraform-provider-github_${version}_linux_amd64.zip`),
        );
      }
      // WHEN lock --upgrade runs
      const io = captureIO({ PATH: process.env.PATH, TF_CLI_CONFIG_FILE: mirror.cliConfig });
      expect(await run(lockArgs(dir, "--upgrade"), io)).toBe(0);
      // THEN the lock file pins 6.13.0 with its checksum, and the next synth puts it into the stack
      const locked = parseLockFile(readFileSync(join(dir, "terraform-locks", "acme-corp.terraform.lock.hcl"), "utf8")).get(GITHUB)!;
      expect(locked.version).toBe("6.13.0");
      expect(locked.hashes).toHaveLength(1);
      expect(locked.hashes[0]).not.toBe("h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
      const synth = runEntry("main.ts", [], { cwd: dir, env: { PATH: dirname(process.execPath) } });
      expect(synth.status).toBe(0);
      expect(readFileSync(join(dir, "cdktf.out", "stacks", "acme-corp", ".terraform.lock.hcl"), "utf8")).toContain(
        'version     = "6.13.0"',
      );
    });
  });

  test("lock --all --json prints one JSON object: the platforms, the mirror and each lock file with its providers", async () => {
    // GIVEN a mirror with one build
    const { cliConfig, mirror } = multiPlatformMirror(GITHUB, "6.12.0", ["linux_amd64"]);
    const dir = project();
    const io = captureIO({ PATH: process.env.PATH, TF_CLI_CONFIG_FILE: cliConfig });
    // WHEN
    expect(await run(["lock", "--all", "--json", "--config", join(dir, "token-policy.yaml"), "--platform", "linux_amd64"], io)).toBe(0);
    // THEN stdout is that one document
    const provider = { source: GITHUB, version: "6.12.0" };
    expect(JSON.parse(io.out())).toEqual({
      platforms: ["linux_amd64"],
      mirror,
      lockFiles: [
        { org: "acme-corp", file: "terraform-locks/acme-corp.terraform.lock.hcl", providers: [provider] },
        { org: "acme-labs", file: "terraform-locks/acme-labs.terraform.lock.hcl", providers: [provider] },
      ],
    });
  });

  test("fails with exit 1 and the error as JSON on stdout with --json when terraform cannot lock", async () => {
    const { cliConfig } = multiPlatformMirror(GITHUB, "5.0.0", ["linux_amd64"]);
    const dir = project();
    const io = captureIO({ PATH: process.env.PATH, TF_CLI_CONFIG_FILE: cliConfig });
    expect(await run(lockArgs(dir, "--json"), io)).toBe(1);
    expect(JSON.parse(io.out())).toEqual({ error: expect.stringMatching(/^acme-corp: terraform providers lock /), exitCode: 1 });
  });

  test("fails with exit 1 naming the organization when terraform cannot lock, and writes nothing", async () => {
    // GIVEN a mirror with a version the stacks do not allow
    const { cliConfig } = multiPlatformMirror(GITHUB, "5.0.0", ["linux_amd64"]);
    const dir = project();
    const io = captureIO({ PATH: process.env.PATH, TF_CLI_CONFIG_FILE: cliConfig });
    expect(await run(["lock", "--config", join(dir, "token-policy.yaml"), "--platform", "linux_amd64"], io)).toBe(1);
    expect(io.err()).toMatch(
      /^error: acme-corp: terraform providers lock -platform=linux_amd64 -fs-mirror=\S+ failed: .*integrations\/github/,
    );
    expect(existsSync(join(dir, "terraform-locks"))).toBe(false);
  });

  test("refuses to write through a symbolic link where a lock file goes", async () => {
    const { cliConfig } = multiPlatformMirror(GITHUB, "6.12.0", ["linux_amd64"]);
    const dir = project();
    const target = join(dir, "elsewhere");
    writeFileSync(target, "keep\n");
    mkdirSync(join(dir, "terraform-locks"));
    symlinkSync(target, join(dir, "terraform-locks", "acme-corp.terraform.lock.hcl"));
    const io = captureIO({ PATH: process.env.PATH, TF_CLI_CONFIG_FILE: cliConfig });
    expect(await run(lockArgs(dir), io)).toBe(2);
    expect(io.err()).toMatch(/acme-corp\.terraform\.lock\.hcl is not a regular file/);
    expect(readFileSync(target, "utf8")).toBe("keep\n");
  });
});

withTerraform("token-policy lock and a mirror's user info", () => {
  jest.setTimeout(120_000);
  test("fails without printing the user and password of the network mirror it was given", async () => {
    // GIVEN a CLI configuration whose network mirror URL carries a user and password, at a port nothing listens on
    const dir = project();
    const password = ["hunter", "22-", "mirror"].join("");
    const tfrc = join(dir, "mirror.tfrc");
    writeFileSync(
      tfrc,
      `provider_installation {\n  network_mirror {\n    url = "https://deploy:${password}@127.0.0.1:1/providers/"\n  }\n}\n`,
    );
    const io = captureIO({ PATH: process.env.PATH, TF_CLI_CONFIG_FILE: tfrc });
    // WHEN lock runs THEN it fails naming the mirror without its user info
    expect(await run(lockArgs(dir), io)).toBe(1);
    expect(io.err()).toContain("-net-mirror=https://<user info>@127.0.0.1:1/providers/");
    expect(io.err() + io.out()).not.toContain(password);
    expect(io.err() + io.out()).not.toContain("deploy:");
  });
});

describe("token-policy lock's input checks", () => {
  test("fails with exit 2 for a platform that is not OS_ARCH, naming it, before running terraform", async () => {
    const dir = project();
    const io = captureIO({ PATH: "" });
    expect(await run(["lock", "--config", join(dir, "token-policy.yaml"), "--platform", "linux amd64"], io)).toBe(2);
    expect(io.err()).toContain(
      'error: --platform "linux amd64": a platform is OS_ARCH, for example linux_amd64, linux_arm64, darwin_amd64, darwin_arm64, windows_amd64',
    );
  });

  test("uses the one mirror the CLI configuration names, and fails when it names two", () => {
    const dir = tempDir("tfrc-");
    const one = join(dir, "one.tfrc");
    writeFileSync(
      one,
      'provider_installation {\n  # filesystem_mirror { path = "/commented" }\n  network_mirror {\n    url = "https://mirror.example/providers/"\n  }\n  direct { exclude = ["registry.terraform.io/*/*"] }\n}\n',
    );
    expect(mirrorFlag({ TF_CLI_CONFIG_FILE: one })).toBe("-net-mirror=https://mirror.example/providers/");
    const two = join(dir, "two.tfrc");
    writeFileSync(
      two,
      'provider_installation {\n  filesystem_mirror { path = "/a" }\n  network_mirror { url = "https://b.example/" }\n}\n',
    );
    expect(() => mirrorFlag({ TF_CLI_CONFIG_FILE: two })).toThrow(
      /names 2 provider mirrors \(-fs-mirror=\/a, -net-mirror=https:\/\/b\.example\/\)/,
    );
    const withUser = join(dir, "with-user.tfrc");
    writeFileSync(
      withUser,
      'provider_installation {\n  filesystem_mirror { path = "/a" }\n  network_mirror { url = "https://u:pw-not-shown@b.example/" }\n}\n',
    );
    expect(() => mirrorFlag({ TF_CLI_CONFIG_FILE: withUser })).toThrow(/-net-mirror=https:\/\/<user info>@b\.example\/\)/);
    expect(mirrorFlag({})).toBeUndefined();
  });
});
