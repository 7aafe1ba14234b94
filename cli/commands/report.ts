/**
 * `token-policy report`: what the config does, per organization, in Markdown, and with `--base`
 * what a change does to who can reach the organization, riskiest first. Never holds secrets:
 * the config has none.
 */
import { execFileSync } from "node:child_process";
import { appendFileSync, existsSync, writeFileSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import { UsageError } from "../../lib/config/errors";
import { configFileName, loadConfig, parseConfig } from "../../lib/config/load";
import type { TokenPolicyConfig } from "../../lib/config/schema";
import { diffConfigs, riskOf, type Change } from "../../lib/report/diff";
import { describeOrganization } from "../../lib/report/describe";
import { md } from "../../lib/text";
import type { CommandIO } from "../io";

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
  const text = out.join("\n");
  io.stdout.write(text);
  if (options.out) writeFileSync(options.out, text);
  if (io.env.GITHUB_STEP_SUMMARY) appendFileSync(io.env.GITHUB_STEP_SUMMARY, text);
  return text;
}

/** Reads the base: a file when one exists at that path, else the config file at a git ref. */
function loadBase(base: string, configFile: string): { name: string; config: Pick<TokenPolicyConfig, "organizations"> } {
  if (existsSync(base)) return { name: base, config: loadConfig(base).config };
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
  let text: string;
  try {
    text = execFileSync("git", ["show", `${base}:${path}`], { cwd: top, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], maxBuffer: 64 * 1024 * 1024 });
  } catch {
    // The file is new in this change: every organization is added.
    return { name: `${base}:${path} (absent)`, config: { organizations: [] } };
  }
  return { name: `${base}:${path}`, config: parseConfig(text, `${base}:${path}`) };
}
