import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { homedir, hostname, tmpdir, userInfo } from "node:os";
import { dirname, join } from "node:path";
import { generateAppKey, keyBodyLines } from "../test-support/keys";
import { runEntry } from "../test-support/run-entry";
import { writeTempConfig } from "../test-support/config";
import { readTree } from "../test-support/files";
import { tempDir } from "../test-support/temp";

const example = join(__dirname, "..", "token-policy.yaml");

/** Synthesizes the example in a fresh directory, with only node on PATH: synth needs no terraform binary. */
function synthIn(env: NodeJS.ProcessEnv = {}) {
  const dir = tempDir("token-policy-synth-");
  copyFileSync(example, join(dir, "token-policy.yaml"));
  const r = runEntry("main.ts", [], { cwd: dir, env: { PATH: dirname(process.execPath), ...env } });
  return { dir, ...r };
}

describe("main.ts synthesis", () => {
  /** The example, synthesized once for the tests that only read its output. */
  let synthesized: ReturnType<typeof synthIn>;
  beforeAll(() => {
    synthesized = synthIn();
  }, 60_000);

  test("two synths of one config, in different directories, are byte-identical and hold no machine detail", () => {
    // GIVEN the example config in two different directories WHEN each is synthesized
    const a = synthesized;
    const b = synthIn();
    expect(a.stderr).toBe("");
    expect(a.status).toBe(0);
    expect(b.status).toBe(0);
    // THEN the trees match byte for byte
    const ta = readTree(join(a.dir, "cdktf.out"));
    const tb = readTree(join(b.dir, "cdktf.out"));
    expect([...ta.keys()]).toEqual([
      "manifest.json",
      "stacks/acme-corp/app-manifest.json",
      "stacks/acme-corp/cdk.tf.json",
      "stacks/acme-labs/app-manifest.json",
      "stacks/acme-labs/cdk.tf.json",
      "stacks/enterprise-acme/cdk.tf.json",
    ]);
    expect(ta).toEqual(tb);
    // AND nothing names the machine, the user or the time
    const all = [...ta.values()].join("\n");
    for (const detail of [a.dir, homedir(), `/${userInfo().username}/`, hostname(), tmpdir()]) expect(all).not.toContain(detail);
    expect(all).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
    expect(all).not.toMatch(/"\/(?!\/)[^"]*"/); // no absolute path as a string value
  });

  test("cdktf.out holds no key material even when keys and tokens are in the environment", () => {
    // GIVEN a private key and tokens in every variable a user might have set during synth
    const { pem } = generateAppKey();
    const token = "ghs_" + "A1b2C3d4".repeat(5);
    const env = {
      APP_PRIVATE_KEY: pem,
      GITHUB_APP_PEM: pem,
      TF_VAR_acme_corp_app_private_key: pem,
      TF_VAR_acme_corp_app_private_key_actions_sealed: Buffer.from(pem).toString("base64"),
      GITHUB_TOKEN: token,
    };
    // WHEN synthesized
    const r = synthIn(env);
    expect(r.status).toBe(0);
    // THEN no line of the key, its base64, or the token is anywhere in the output
    const all = [...readTree(join(r.dir, "cdktf.out")).values()].join("\n") + r.stdout + r.stderr;
    for (const line of keyBodyLines(pem)) expect(all).not.toContain(line);
    expect(all).not.toContain(Buffer.from(pem).toString("base64").slice(0, 40));
    expect(all).not.toContain(token);
    expect(all).not.toMatch(/PRIVATE KEY-----/);
    // AND the key is wired only through sensitive variables
    const tf = JSON.parse(readFileSync(join(r.dir, "cdktf.out", "stacks", "acme-corp", "cdk.tf.json"), "utf8"));
    expect(tf.variable.acme_corp_app_private_key_actions_sealed.sensitive).toBe(true);
  });

  test("fails on bad input with exit 2, one message, no stack trace and nothing written", () => {
    // GIVEN a config with problems, named by TOKEN_POLICY_CONFIG
    const dir = tempDir("token-policy-bad-");
    const bad = join(__dirname, "fixtures", "many-problems.yaml");
    // WHEN synthesized
    const r = runEntry("main.ts", [], { cwd: dir, env: { TOKEN_POLICY_CONFIG: bad } });
    // THEN
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    const lines = r.stderr.trimEnd().split("\n");
    expect(lines[0]).toBe(`${bad}: 7 problems`);
    expect(lines.slice(1).every((l) => l.startsWith(`  ${bad}:`))).toBe(true);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(join(dir, "cdktf.out"))).toBe(false);
  });

  test("prints one line per stack written, the warning count and the next command", () => {
    const r = synthesized;
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(
      "Synthesized token-policy.yaml into cdktf.out:\n  enterprise-acme: cdktf.out/stacks/enterprise-acme/cdk.tf.json\n  acme-corp: cdktf.out/stacks/acme-corp/cdk.tf.json\n  acme-labs: cdktf.out/stacks/acme-labs/cdk.tf.json\n0 policy warnings.\n",
    );
    expect(r.stdout).toMatch(/Next: .*report.*cdktf diff/);
  });

  test("synthesizes a stack per enterprise with its policy record, its settings page and no provider", () => {
    // GIVEN the example, where enterprise acme owns acme-corp WHEN it is synthesized
    const r = synthesized;
    expect(r.status).toBe(0);
    const enterprise = JSON.parse(readFileSync(join(r.dir, "cdktf.out", "stacks", "enterprise-acme", "cdk.tf.json"), "utf8"));
    // THEN the enterprise's stack records its policy, names its settings page and needs no provider
    expect(Object.values(enterprise.resource.terraform_data as Record<string, { input: unknown }>).map((r) => r.input)).toEqual([
      {
        fine_grained_tokens: "organizations-decide",
        require_approval: true,
        fine_grained_max_lifetime_days: 90,
        classic_tokens: "restrict",
        classic_max_lifetime_days: null,
        exempt_administrators: false,
      },
    ]);
    expect(enterprise.output.enterprise_pat_policy_settings_url.value).toBe("https://github.com/enterprises/acme/settings");
    expect(enterprise.provider).toBeUndefined();
    expect(enterprise.terraform.backend.local.path).toBe("../../../terraform.enterprise-acme.tfstate");
  });

  test("with a warning firing and the config outside the project, cdktf.out holds no path, user name or stack trace", () => {
    // GIVEN a config in a temporary directory whose lifetime limit (and its enterprise's) fires the long-token-lifetime warning
    const text = readFileSync(example, "utf8").replaceAll("maxLifetimeDays: 90", "maxLifetimeDays: 200");
    const { dir, file } = writeTempConfig(text);
    const out = tempDir("token-policy-out-");
    // WHEN synthesized from another directory
    const r = runEntry("main.ts", [], { cwd: out, env: { PATH: dirname(process.execPath), TOKEN_POLICY_CONFIG: file } });
    // THEN it succeeds with the warning on stderr
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/^warning: \S+token-policy\.yaml:\d+:\d+ organizations\[0\] \(acme-corp\): \[long-token-lifetime\]/m);
    expect(r.stdout).toMatch(/1 policy warning \(above\)\./);
    // AND the written files carry the warning but no trace of this machine
    const all = [...readTree(join(out, "cdktf.out")).values()].join("\n");
    expect(all).toContain("long-token-lifetime");
    for (const detail of [dir, out, homedir(), `/${userInfo().username}/`, "node_modules", "annotations.ts"])
      expect(all).not.toContain(detail);
    expect(all).not.toMatch(/\bat .*:\d+:\d+/);
  });

  test("fails with exit 2 when an organization's local state is inside cdktf.out, and the state survives", () => {
    // GIVEN the example with acme-labs' local state kept inside cdktf.out, from an earlier deploy
    const dir = tempDir("token-policy-synth-");
    const text = readFileSync(example, "utf8").replace(
      "    githubUrl: https://github.acme.example\n",
      "    githubUrl: https://github.acme.example\n    backend: { type: local, path: cdktf.out/acme-labs.tfstate }\n",
    );
    writeFileSync(join(dir, "token-policy.yaml"), text);
    mkdirSync(join(dir, "cdktf.out"));
    writeFileSync(join(dir, "cdktf.out", "acme-labs.tfstate"), '{"version": 4}\n');
    // WHEN synthesized
    const r = runEntry("main.ts", [], { cwd: dir, env: { PATH: dirname(process.execPath) } });
    // THEN it refuses, naming the place, the file and why
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      "token-policy.yaml: organizations[1].backend.path keeps the state of acme-labs in cdktf.out/acme-labs.tfstate, inside cdktf.out, which every synth replaces whole: the state would be deleted. Keep state outside cdktf.out (by default terraform.<login>.tfstate in the project).\n",
    );
    // AND the state file is still there
    expect(readFileSync(join(dir, "cdktf.out", "acme-labs.tfstate"), "utf8")).toBe('{"version": 4}\n');
  });

  test("fails with exit 2 when CDKTF_OUTDIR is the project folder, deleting nothing", () => {
    const dir = tempDir("token-policy-synth-");
    copyFileSync(example, join(dir, "token-policy.yaml"));
    const r = runEntry("main.ts", [], { cwd: dir, env: { PATH: dirname(process.execPath), CDKTF_OUTDIR: "." } });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      "CDKTF_OUTDIR is ., which holds the project folder: every synth replaces that folder whole. Name a folder of its own, such as cdktf.out.\n",
    );
    expect(existsSync(join(dir, "token-policy.yaml"))).toBe(true);
  });

  test("synthesizes into a CDKTF_OUTDIR whose parent folders do not exist yet", () => {
    const r = synthIn({ CDKTF_OUTDIR: join("build", "tf", "cdktf.out") });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(existsSync(join(r.dir, "build", "tf", "cdktf.out", "stacks", "acme-corp", "cdk.tf.json"))).toBe(true);
  });

  test("fails with exit 2 when GITHUB_OWNER or GITHUB_ORGANIZATION would point every stack at one organization", () => {
    for (const name of ["GITHUB_OWNER", "GITHUB_ORGANIZATION"]) {
      const r = synthIn({ [name]: "someone-else" });
      expect(r.status).toBe(2);
      expect(r.stderr).toContain(`${name} is set in the environment`);
      expect(r.stderr).toContain(`Unset ${name}`);
      expect(existsSync(join(r.dir, "cdktf.out"))).toBe(false);
    }
  });

  test("fails with exit 2 when a GITHUB_APP_* variable or GITHUB_BASE_URL would change the identity or host the provider uses", () => {
    for (const name of ["GITHUB_APP_ID", "GITHUB_APP_INSTALLATION_ID", "GITHUB_APP_PEM_FILE", "GITHUB_BASE_URL"]) {
      // GIVEN the variable set for another tool WHEN synth runs
      const r = synthIn({ [name]: "set-by-another-tool" });
      // THEN it stops, naming the variable and what it would do, and writes nothing
      expect(r.status).toBe(2);
      expect(r.stderr).toContain(`${name} is set in the environment`);
      expect(r.stderr).toMatch(name === "GITHUB_BASE_URL" ? /token would be sent to that host/ : /issue #3576/);
      expect(r.stderr).not.toContain("set-by-another-tool");
      expect(existsSync(join(r.dir, "cdktf.out"))).toBe(false);
    }
  });

  test("reports the policy errors of every organization at once, with nothing written", () => {
    // GIVEN classic tokens allowed in both organizations and by acme-corp's enterprise (an error of the rule pack)
    const text = readFileSync(example, "utf8").replaceAll("classicTokens: restrict", "classicTokens: allow");
    const { dir, file } = writeTempConfig(text);
    const r = runEntry("main.ts", [], { cwd: dir, env: { PATH: dirname(process.execPath), TOKEN_POLICY_CONFIG: file } });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/2 policy errors/);
    expect(r.stderr).toMatch(/organizations\[0\] \(acme-corp\): \[classic-tokens-allowed\]/);
    expect(r.stderr).toMatch(/organizations\[1\] \(acme-labs\): \[classic-tokens-allowed\]/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(join(dir, "cdktf.out"))).toBe(false);
  });

  test("under `cdktf synth`, every organization's policy errors arrive together, without stack traces", () => {
    const text = readFileSync(example, "utf8").replaceAll("classicTokens: restrict", "classicTokens: allow");
    const { file } = writeTempConfig(text);
    const cli = join(__dirname, "..", "node_modules", "cdktf-cli", "bundle", "bin", "cdktf");
    const r = spawnSync(process.execPath, [cli, "synth"], {
      cwd: join(__dirname, ".."),
      env: {
        ...process.env,
        CI: "1",
        CHECKPOINT_DISABLE: "1",
        TF_CLI_CONFIG_FILE: "/dev/null",
        TOKEN_POLICY_CONFIG: file,
        CDKTF_OUTDIR: join(tempDir("cdktf-out-"), "out"),
      },
      encoding: "utf8",
      timeout: 90_000,
    });
    const all = `${r.stdout}${r.stderr}`;
    expect(r.status).not.toBe(0);
    expect(all).toMatch(/2 policy errors/);
    expect(all).toMatch(/organizations\[0\] \(acme-corp\): \[classic-tokens-allowed\]/);
    expect(all).toMatch(/organizations\[1\] \(acme-labs\): \[classic-tokens-allowed\]/);
    expect(all).not.toMatch(/\n\s+at \S+ \(/);
    expect(all).not.toMatch(/Annotations\.addError|PolicyChecks(Aspect)?\.visit/);
  }, 120_000);
});

describe("main.ts with config problems and policy errors in one file", () => {
  test("reports the loader's problems and the rule pack's errors on the valid organizations in one run", () => {
    // GIVEN a deny rule with a misspelt permission in acme-corp, and classic tokens allowed in acme-labs
    const text = readFileSync(example, "utf8")
      .replace("organization: { administration: read }", "organization: { administation: read }")
      .replace("      maxLifetimeDays: 30\n    approval:", "      maxLifetimeDays: 30\n      classicTokens: allow\n    approval:");
    const { dir, file } = writeTempConfig(text);
    // WHEN synthesized
    const r = runEntry("main.ts", [], { cwd: dir, env: { TOKEN_POLICY_CONFIG: file } });
    // THEN both come out at once, exit 2, and nothing is written
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(
      /: 1 problem\n  \S+:\d+:\d+ organizations\[0\]\.approval\.rules\[2\]\.match\.anyPermission\.organization\.administation: unknown organization permission of fine-grained tokens \(did you mean "administration"\?\)/,
    );
    expect(r.stderr).toMatch(/: 1 policy error\n  \S+:\d+:\d+ organizations\[1\] \(acme-labs\): \[classic-tokens-allowed\]/);
    expect(existsSync(join(dir, "cdktf.out"))).toBe(false);
  }, 120_000);
});
