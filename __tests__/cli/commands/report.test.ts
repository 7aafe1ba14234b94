import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import { run } from "../../../cli";
import { captureIO } from "../../../test-support/io";
import { tempDir } from "../../../test-support/temp";

const example = join(__dirname, "..", "..", "..", "token-policy.yaml");

/** Runs git in `dir` as a committer named t. */
function gitIn(dir: string): (...args: string[]) => void {
  return (...args) =>
    void execFileSync("git", args, {
      cwd: dir,
      stdio: "ignore",
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: "t",
        GIT_AUTHOR_EMAIL: "t@t.invalid",
        GIT_COMMITTER_NAME: "t",
        GIT_COMMITTER_EMAIL: "t@t.invalid",
      },
    });
}

/** A git repository with the example committed, and a working copy changed by `change`. */
function repoWithChange(change: (c: any) => void): string {
  const dir = tempDir("report-git-");
  const git = gitIn(dir);
  git("init", "-q", "-b", "main");
  copyFileSync(example, join(dir, "token-policy.yaml"));
  git("add", ".");
  git("commit", "-qm", "base");
  const c = parse(readFileSync(example, "utf8"));
  change(c);
  writeFileSync(join(dir, "token-policy.yaml"), stringify(c));
  return dir;
}

describe("report", () => {
  test("describes each organization: policy, rules, App, who reads each secret, findings, manual steps", async () => {
    const io = captureIO({});
    expect(await run(["report", "--config", example], io)).toBe(0);
    const out = io.out();
    expect(out).toMatch(/^# Token policy: acme-corp, acme-labs\n/);
    expect(out).toContain("| Maximum lifetime | 90 days |");
    expect(out).toContain("| 3 | no organization administration | deny | any of organization administration: read |");
    expect(out).toContain("| `TOKEN_BROKER_PRIVATE_KEY` | Actions secret (sealed) | release-tools only |");
    expect(out).toContain("| `TOKEN_BROKER_PRIVATE_KEY` | Actions secret (sealed) | every private and internal repository |");
    expect(out).toContain(
      "GitHub has no API for the PAT policy. Check it matches at https://github.acme.example/organizations/acme-labs/settings/personal-access-tokens",
    );
    expect(out).toContain("Register the App: `token-policy create-app --org acme-corp`");
    expect(out).not.toContain("## Changes");
  });

  test("describes each enterprise with its owner's steps, and marks what it decides in its organizations' policy", async () => {
    // GIVEN the example, where enterprise acme owns acme-corp, requires approval and caps lifetimes at 90 days
    const io = captureIO({});
    // WHEN the report is written
    expect(await run(["report", "--config", example], io)).toBe(0);
    const out = io.out();
    // THEN the enterprise has its section, with the steps on its settings page
    expect(out).toContain("## Enterprise acme\n\nBounds acme-corp: what it decides, they cannot override");
    expect(out).toContain("| Maximum lifetime | 90 days |\n| Classic tokens | restrict |");
    expect(out).toContain(
      "1. Open https://github.com/enterprises/acme/settings as an enterprise owner, then Policies → Personal access tokens.",
    );
    // AND acme-corp's effective policy names the enterprise where it decides; acme-labs's does not
    expect(out).toContain(
      "| Owner approval | required (enterprise acme) |\n| Maximum lifetime | 90 days (enterprise acme) |\n| Classic tokens | restrict (enterprise acme) |",
    );
    expect(out.slice(out.indexOf("## acme-labs"))).not.toContain("(enterprise acme)");
  });

  test("--base REF compares with the config at a git ref, riskiest first, with the manual step it implies", async () => {
    const dir = repoWithChange((c) => {
      c.organizations[0].app.permissions.members = "read";
      c.organizations[0].approval.rules[0].reason = "Reworded.";
    });
    const summary = join(dir, "summary.md");
    const io = captureIO({ GITHUB_STEP_SUMMARY: summary });
    expect(await run(["report", "--config", join(dir, "token-policy.yaml"), "--base", "main", "--out", join(dir, "r.md")], io)).toBe(0);
    const out = io.out();
    expect(out).toContain(
      '## Changes against main:token-policy.yaml\n\n**Widens access**\n\n- acme-corp: App permission members added at read.\n\n**Narrows or neutral**\n\n- acme-corp: Rule "read-only tokens for anyone" gives a new reason.\n',
    );
    expect(out).toContain(
      "**The App asks for more permissions:** GitHub applies them only after an owner accepts them at https://github.com/organizations/acme-corp/settings/installations",
    );
    expect(readFileSync(join(dir, "r.md"), "utf8")).toBe(out);
    expect(readFileSync(summary, "utf8")).toBe(out);
  });

  test("--base FILE, and nothing changed says so", async () => {
    const io = captureIO({});
    expect(await run(["report", "--config", example, "--base", example], io)).toBe(0);
    // named relative to the working directory, never by its absolute path
    expect(io.out()).toContain("## Changes against token-policy.yaml\n\nNothing changed.\n");
    expect(io.out()).not.toContain(example);
  });

  test("--base FILE outside the working directory is named by its file name only (no local path in the summary)", async () => {
    const dir = tempDir("report-base-");
    const base = join(dir, "old-policy.yaml");
    copyFileSync(example, base);
    const io = captureIO({});
    expect(await run(["report", "--config", example, "--base", base], io)).toBe(0);
    expect(io.out()).toContain("## Changes against old-policy.yaml\n");
    expect(io.out()).not.toContain(dir);
  });

  test("a config new at the ref counts every organization as added", async () => {
    const dir = repoWithChange(() => {});
    execFileSync("git", ["mv", "token-policy.yaml", "policy.yaml"], { cwd: dir });
    const io = captureIO({});
    expect(await run(["report", "--config", join(dir, "policy.yaml"), "--base", "main"], io)).toBe(0);
    expect(io.out()).toContain("- acme-corp: Organization acme-corp added");
  });

  test("exit 2 for a base that is neither a file nor a ref", async () => {
    const dir = repoWithChange(() => {});
    const io = captureIO({});
    expect(await run(["report", "--config", join(dir, "token-policy.yaml"), "--base", "no-such-ref"], io)).toBe(2);
    expect(io.err()).toBe("error: --base no-such-ref: no such file or git ref\n");
  });

  test("a changed githubUrl ranks as the riskiest change of all", async () => {
    const dir = repoWithChange((c) => {
      c.organizations[0].app.permissions.members = "read";
      c.organizations[1].githubUrl = "https://github.other.example";
    });
    const io = captureIO({});
    expect(await run(["report", "--config", join(dir, "token-policy.yaml"), "--base", "main"], io)).toBe(0);
    const widens = io.out().split("**Widens access**\n\n")[1].split("\n");
    expect(widens[0]).toMatch(
      /^- acme-labs: GitHub instance changed: https:\/\/github\.acme\.example → https:\/\/github\.other\.example\. .*check it is yours\.$/,
    );
    expect(widens[1]).toMatch(/^- acme-corp: App permission members added/);
  });

  test("every value it interpolates is escaped: Markdown, HTML, bidi controls (shown, not deleted) and @-mentions", async () => {
    const dir = repoWithChange((c) => {
      c.organizations[0].approval.rules[0].reason =
        "<img src=x onerror=alert(1)> **bold** [link](https://evil.example) @octocat \u202egnp.exe & |cell|";
    });
    const io = captureIO({});
    expect(await run(["report", "--config", join(dir, "token-policy.yaml"), "--base", "main"], io)).toBe(0);
    const out = io.out();
    expect(out).not.toMatch(/(?<!\\)<img/);
    expect(out).not.toContain("**bold**");
    expect(out).not.toContain("[link](");
    expect(out).not.toMatch(/@octocat/);
    expect(out).not.toContain("\u202e");
    expect(out).toContain(
      "\\<img src=x onerror=alert(1)\\> \\*\\*bold\\*\\* \\[link\\](https://evil.example) @\u2060octocat \\<U+202E\\>gnp.exe &amp; \\|cell\\|",
    );
  });

  test("shows hosts in punycode, so a look-alike name shows as what it is", async () => {
    // (a look-alike githubUrl is refused at load with its punycode spelling; a webhook URL is shown)
    const dir = repoWithChange((c) => {
      c.organizations[0].app.webhookUrl = "https://h\u043e\u043eks.example/github";
    });
    const io = captureIO({});
    expect(await run(["report", "--config", join(dir, "token-policy.yaml")], io)).toBe(0);
    expect(io.out()).toMatch(/Webhook: https:\/\/xn--hks-[a-z0-9]+\.example\/github\./);
    expect(io.out()).not.toContain("\u043e");
  });

  test("invisible characters in a value are shown escaped, not passed on", async () => {
    // GIVEN a rule whose reason hides a zero-width space and Unicode tag characters
    const dir = repoWithChange((c) => {
      c.organizations[0].approval.rules[0].reason = "ask platform\u200b-team\u{E0069}\u{E0067}";
    });
    const io = captureIO({});
    expect(await run(["report", "--config", join(dir, "token-policy.yaml"), "--base", "main"], io)).toBe(0);
    // THEN the report shows where they are, and carries none of them
    expect(io.out()).toContain("ask platform\\<U+200B\\>-team\\<U+E0069\\>\\<U+E0067\\>");
    expect(io.out()).not.toMatch(/[\u200b\u{E0000}-\u{E007F}]/u);
  });

  test("--out never follows a symbolic link", async () => {
    const dir = tempDir("report-out-");
    const target = join(dir, "authorized_keys");
    writeFileSync(target, "ssh-ed25519 AAAA keep-me\n");
    symlinkSync(target, join(dir, "report.md"));
    const io = captureIO({});
    expect(await run(["report", "--config", example, "--out", join(dir, "report.md")], io)).toBe(2);
    expect(io.err()).toBe(
      `error: --out ${join(dir, "report.md")}: it is a symbolic link, which is not followed; give a file path in an existing directory\n`,
    );
    expect(readFileSync(target, "utf8")).toBe("ssh-ed25519 AAAA keep-me\n");
  });

  test("a git failure other than 'not in that commit' is an error (exit 1), not an absent base", async () => {
    const dir = repoWithChange(() => {});
    // GIVEN a repository whose object for the config at the base is missing (corrupt)
    const blob = execFileSync("git", ["rev-parse", "main:token-policy.yaml"], { cwd: dir, encoding: "utf8" }).trim();
    rmSync(join(dir, ".git", "objects", blob.slice(0, 2), blob.slice(2)));
    const io = captureIO({});
    expect(await run(["report", "--config", join(dir, "token-policy.yaml"), "--base", "main"], io)).toBe(1);
    expect(io.err()).toMatch(/^error: --base main: git could not read token-policy\.yaml at that commit: /);
    expect(io.out()).toBe("");
  });

  test("fails with exit 2 when a bare --base names both a file and a git ref: a file named like the base commit cannot stand in for it", async () => {
    // GIVEN a change that adds an approve-everything rule and raises the lifetime, and a file named like the base commit holding the head's config
    const dir = repoWithChange((c) => {
      c.enterprises[0].patPolicy.maxLifetimeDays = 366; // acme-corp's enterprise caps it at 90
      c.organizations[0].patPolicy = { maxLifetimeDays: 366 };
      c.organizations[0].approval.rules.unshift({ name: "everything", action: "approve", match: {} });
    });
    const sha = execFileSync("git", ["rev-parse", "HEAD"], { cwd: dir, encoding: "utf8" }).trim();
    copyFileSync(join(dir, "token-policy.yaml"), join(dir, sha));
    const io = captureIO({});
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      // WHEN the report is asked for --base SHA
      expect(await run(["report", "--config", join(dir, "token-policy.yaml"), "--base", sha], io)).toBe(2);
    } finally {
      process.chdir(cwd);
    }
    // THEN it refuses, saying which flags say what, and reports nothing
    expect(io.err()).toBe(
      `error: --base ${sha} names both a file and a git ref of ${execFileSync("git", ["rev-parse", "--show-toplevel"], { cwd: dir, encoding: "utf8" }).trim()}: say which with --base-file ${sha} or --base-ref ${sha}\n`,
    );
    expect(io.out()).toBe("");

    // WHEN --base-ref SHA is given, THEN the file is ignored and the change is reported, riskiest first
    const byRef = captureIO({});
    process.chdir(dir);
    try {
      expect(await run(["report", "--config", join(dir, "token-policy.yaml"), "--base-ref", sha], byRef)).toBe(0);
    } finally {
      process.chdir(cwd);
    }
    expect(byRef.out()).not.toContain("Nothing changed.");
    expect(byRef.out()).toContain(`## Changes against ${sha}:token-policy.yaml\n\n**Widens access**\n\n`);
    expect(byRef.out()).toContain(
      `- acme-corp: Fine-grained token lifetime raised: 90 → 366 days.\n- acme-corp: New rule "everything" approves: every request.\n`,
    );
  });

  test("--base-file reads a file and never a ref; --base-ref reads a ref and never a file", async () => {
    const dir = repoWithChange(() => {});
    const file = captureIO({});
    expect(await run(["report", "--config", join(dir, "token-policy.yaml"), "--base-file", "main"], file)).toBe(2);
    expect(file.err()).toBe("error: --base-file main: no such file\n");
    const ref = captureIO({});
    expect(await run(["report", "--config", join(dir, "token-policy.yaml"), "--base-ref", example], ref)).toBe(2);
    expect(ref.err()).toMatch(/^error: --base-ref ".*token-policy\.yaml": not a git ref|^error: --base-ref .*: no such git ref/);
    const both = captureIO({});
    expect(await run(["report", "--config", join(dir, "token-policy.yaml"), "--base-ref", "main", "--base-file", example], both)).toBe(2);
    expect(both.err()).toBe("error: --base-ref and --base-file cannot go together: give one base\n");
  });

  test("names a provider version change between the base's lock file and the head's", async () => {
    const lock = (version: string, hash: string) =>
      `provider "registry.terraform.io/integrations/github" {\n  version     = "${version}"\n  constraints = ">= 6.11.0, < 7.0.0"\n  hashes = [\n    "h1:${hash}=",\n  ]\n}\n`;
    const dir = repoWithChange(() => {});
    const git = gitIn(dir);
    mkdirSync(join(dir, "terraform-locks"));
    writeFileSync(join(dir, "terraform-locks", "acme-corp.terraform.lock.hcl"), lock("6.11.0", "aaa"));
    writeFileSync(join(dir, "terraform-locks", "acme-labs.terraform.lock.hcl"), lock("6.11.0", "bbb"));
    git("add", ".");
    git("commit", "-qm", "locks");
    writeFileSync(join(dir, "terraform-locks", "acme-corp.terraform.lock.hcl"), lock("6.12.0", "ccc"));
    writeFileSync(join(dir, "terraform-locks", "acme-labs.terraform.lock.hcl"), lock("6.11.0", "ddd"));
    const io = captureIO({});
    expect(await run(["report", "--config", join(dir, "token-policy.yaml"), "--base-ref", "main"], io)).toBe(0);
    expect(io.out()).toContain(
      "- acme-labs: Provider registry.terraform.io/integrations/github 6.11.0 trusts new checksums without a version change (terraform-locks/acme-labs.terraform.lock.hcl)",
    );
    expect(io.out()).toContain(
      "- acme-corp: Provider registry.terraform.io/integrations/github version changed: 6.11.0 → 6.12.0 (terraform-locks/acme-corp.terraform.lock.hcl); the deploy runs the new build (the pull-request plan refuses it until merge).",
    );
  });

  test("--org reports one organization only", async () => {
    const dir = repoWithChange((c) => {
      c.organizations[0].patPolicy = { maxLifetimeDays: 80 };
      c.organizations[1].patPolicy.maxLifetimeDays = 100;
    });
    const io = captureIO({});
    expect(await run(["report", "--config", join(dir, "token-policy.yaml"), "--base-ref", "main", "--org", "acme-labs"], io)).toBe(0);
    expect(io.out()).toMatch(/^# Token policy: acme-labs\n/);
    expect(io.out()).toContain("- acme-labs: Fine-grained token lifetime raised: 30 → 100 days.");
    expect(io.out()).not.toContain("acme-corp");
  });

  test("lists an enterprise's changes, and with --org only those of the organization's enterprise", async () => {
    // GIVEN enterprise acme (which owns acme-corp) raises its lifetime maximum, and nothing else changes
    const dir = repoWithChange((c) => {
      c.enterprises[0].patPolicy.maxLifetimeDays = 200;
    });
    const config = join(dir, "token-policy.yaml");
    const line =
      "- enterprise acme: Enterprise fine-grained token lifetime raised: 90 days → 200 days for every organization of the enterprise.";
    // WHEN the report compares with the base, for every organization and for acme-corp alone
    const all = captureIO({});
    expect(await run(["report", "--config", config, "--base-ref", "main"], all)).toBe(0);
    const corp = captureIO({});
    expect(await run(["report", "--config", config, "--base-ref", "main", "--org", "acme-corp"], corp)).toBe(0);
    // THEN both list the enterprise's change as widening access
    expect(all.out()).toContain(`**Widens access**\n\n${line}\n`);
    expect(corp.out()).toContain(`**Widens access**\n\n${line}\n`);
    // AND acme-labs, which no enterprise owns, is not told about it
    const labs = captureIO({});
    expect(await run(["report", "--config", config, "--base-ref", "main", "--org", "acme-labs"], labs)).toBe(0);
    expect(labs.out()).toContain("Nothing changed.");
  });

  test("a ref that git could read as an option is refused", async () => {
    const dir = repoWithChange(() => {});
    const io = captureIO({});
    expect(await run(["report", "--config", join(dir, "token-policy.yaml"), "--base", "--output=/tmp/x"], io)).toBe(2);
    expect(io.err()).toMatch(/not a git ref \(a ref has no leading '-'/);
  });
});
