import { execFileSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import { run } from "../../../cli";
import { captureIO } from "../../helpers/io";

const example = join(__dirname, "..", "..", "..", "token-policy.yaml");

/** A git repository with the example committed, and a working copy changed by `change`. */
function repoWithChange(change: (c: any) => void): string {
  const dir = mkdtempSync(join(tmpdir(), "report-git-"));
  const git = (...args: string[]) => execFileSync("git", args, { cwd: dir, stdio: "ignore", env: { ...process.env, GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@t.invalid", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@t.invalid" } });
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
    expect(out).toContain("GitHub has no API for the PAT policy. Check it matches at https://github.acme.example/organizations/acme-labs/settings/personal-access-tokens");
    expect(out).toContain("Register the App: `token-policy create-app --org acme-corp`");
    expect(out).not.toContain("## Changes");
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
    expect(out).toContain("## Changes against main:token-policy.yaml\n\n**Widens access**\n\n- acme-corp: App permission members added at read.\n\n**Narrows or neutral**\n\n- acme-corp: Rule \"read-only tokens for anyone\" gives a new reason.\n");
    expect(out).toContain("**The App asks for more permissions:** GitHub applies them only after an owner accepts them at https://github.com/organizations/acme-corp/settings/installations");
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
    const dir = mkdtempSync(join(tmpdir(), "report-base-"));
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
    expect(widens[0]).toMatch(/^- acme-labs: GitHub instance changed: https:\/\/github\.acme\.example → https:\/\/github\.other\.example\. .*check it is yours\.$/);
    expect(widens[1]).toMatch(/^- acme-corp: App permission members added/);
  });

  test("every value it interpolates is escaped: Markdown, HTML, bidi controls and @-mentions", async () => {
    const dir = repoWithChange((c) => {
      c.organizations[0].approval.rules[0].reason = "<img src=x onerror=alert(1)> **bold** [link](https://evil.example) @octocat \u202egnp.exe & |cell|";
    });
    const io = captureIO({});
    expect(await run(["report", "--config", join(dir, "token-policy.yaml"), "--base", "main"], io)).toBe(0);
    const out = io.out();
    expect(out).not.toMatch(/(?<!\\)<img/);
    expect(out).not.toContain("**bold**");
    expect(out).not.toContain("[link](");
    expect(out).not.toMatch(/@octocat/);
    expect(out).not.toContain("\u202e");
    expect(out).toContain("\\<img src=x onerror=alert(1)\\> \\*\\*bold\\*\\* \\[link\\](https://evil.example) @\u2060octocat gnp.exe &amp; \\|cell\\|");
  });

  test("--out never follows a symbolic link", async () => {
    const dir = mkdtempSync(join(tmpdir(), "report-out-"));
    const target = join(dir, "authorized_keys");
    writeFileSync(target, "ssh-ed25519 AAAA keep-me\n");
    symlinkSync(target, join(dir, "report.md"));
    const io = captureIO({});
    expect(await run(["report", "--config", example, "--out", join(dir, "report.md")], io)).toBe(2);
    expect(io.err()).toMatch(/--out .*report\.md is a symbolic link; refusing to follow it/);
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

  test("a ref that git could read as an option is refused", async () => {
    const dir = repoWithChange(() => {});
    const io = captureIO({});
    expect(await run(["report", "--config", join(dir, "token-policy.yaml"), "--base", "--output=/tmp/x"], io)).toBe(2);
    expect(io.err()).toMatch(/not a git ref \(a ref has no leading '-'/);
  });
});
