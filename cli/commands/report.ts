/**
 * `token-policy report`: what the config does, per organization, in Markdown, and with `--base`
 * what a change does to who can reach the organization, riskiest first. Never holds secrets:
 * the config has none.
 */
import { execFileSync } from "node:child_process";
import { appendFileSync, existsSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import { UsageError } from "../../lib/config/errors";
import { configFileName, loadConfig, parseConfig } from "../../lib/config/load";
import type { TokenPolicyConfig } from "../../lib/config/schema";
import { diffConfigs, riskOf, type Change } from "../../lib/report/diff";
import { describeOrganization } from "../../lib/report/describe";
import { md } from "../../lib/text";
import { PACKAGE_NAME, VERSION } from "../../lib/version";
import { CommandFailure, type CommandIO } from "../io";
import { writeNoFollow } from "../files";

/** Options of {@link report}. */
export interface ReportOptions {
  readonly config?: string;
  /** A config file, or a git ref whose version of the config file is the base. */
  readonly base?: string;
  /** Also write the report here. */
  readonly out?: string;
}

/** Builds the report, prints it, writes it to `--out` and `$GITHUB_STEP_SUMMARY`; returns it. */
export async function report(options: ReportOptions, io: CommandIO): Promise<string> {
  const loaded = loadConfig(configFileName(options.config, io.env));
  let changes: Change[] | undefined;
  let baseName: string | undefined;
  if (options.base) {
    const base = loadBase(options.base, loaded.file);
    baseName = base.name;
    changes = diffConfigs(base.config, loaded.config);
  }
  const out: string[] = [`# Token policy: ${loaded.config.organizations.map((o) => md(o.login)).join(", ")}`, ""];
  if (changes) {
    out.push(`## Changes against ${md(baseName!)}`, "");
    if (changes.length === 0) out.push("Nothing changed.", "");
    for (const risk of ["high", "medium", "low"] as const) {
      const group = changes.filter((c) => riskOf(c.score) === risk);
      if (!group.length) continue;
      out.push(`**${risk === "high" ? "Widens access" : risk === "medium" ? "Review" : "Narrows or neutral"}**`, "");
      for (const c of group) out.push(`- ${md(c.org)}: ${md(c.text)}`);
      out.push("");
    }
  }
  for (const org of loaded.config.organizations) out.push(describeOrganization(org, (changes ?? []).filter((c) => c.org === org.login)));
  out.push("", `<sub>${md(`${PACKAGE_NAME} ${VERSION}`)}</sub>`, "");
  const text = out.join("\n");
  io.stdout.write(text);
  if (options.out) writeNoFollow(options.out, text);
  if (io.env.GITHUB_STEP_SUMMARY) appendFileSync(io.env.GITHUB_STEP_SUMMARY, text);
  return text;
}

/** Reads the base: a file when one exists at that path, else the config file at a git ref. */
function loadBase(base: string, configFile: string): { name: string; config: Pick<TokenPolicyConfig, "organizations"> } {
  if (existsSync(base)) return { name: base, config: loadConfig(base).config };
  // A ref is passed to git: nothing that git could read as an option or a path.
  if (base.startsWith("-") || /[\u0000-\u0020\u007f:]/.test(base)) throw new UsageError(`--base ${JSON.stringify(base)}: not a file, and not a git ref (a ref has no leading '-', ':' or white space)`);
  const dir = dirname(resolve(configFile));
  let top: string;
  try {
    top = execFileSync("git", ["rev-parse", "--show-toplevel"], { cwd: dir, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
  } catch {
    throw new UsageError(`--base ${base}: no such file, and ${dir} is not in a git repository to read a ref from`);
  }
  const path = relative(top, resolve(configFile)).split("\\").join("/");
  try {
    execFileSync("git", ["rev-parse", "--verify", "--quiet", `${base}^{commit}`], { cwd: top, stdio: "ignore" });
  } catch {
    throw new UsageError(`--base ${base}: no such file or git ref`);
  }
  const git = (args: string[]) => execFileSync("git", args, { cwd: top, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], maxBuffer: 2 * 1024 * 1024 });
  let listed: string;
  try {
    listed = git(["ls-tree", "--full-tree", `${base}^{commit}`, "--", path]);
  } catch (e) {
    throw new CommandFailure(`--base ${base}: git could not list ${path} at that commit: ${gitMessage(e)}`);
  }
  // Absent at that commit: the file is new in this change, so every organization is added.
  if (listed.trim() === "") return { name: `${base}:${path} (absent)`, config: { organizations: [] } };
  let text: string;
  try {
    text = git(["show", `${base}:${path}`]);
  } catch (e) {
    throw new CommandFailure(`--base ${base}: git could not read ${path} at that commit: ${gitMessage(e)}`);
  }
  return { name: `${base}:${path}`, config: parseConfig(text, `${base}:${path}`) };
}

function gitMessage(e: unknown): string {
  const err = e as { stderr?: string; message?: string };
  return (err.stderr?.trim() || err.message || String(e)).split("\n")[0];
}
