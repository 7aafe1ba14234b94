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
import type { OrganizationConfig, TokenPolicyConfig } from "../../lib/config/schema";
import { liveImpact, type LiveImpact } from "../../lib/review/impact";
import { authFor, clientFor } from "../../lib/github/credentials";
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
  /**
   * With `base`: apply both configs' rules to each organization's pending requests and granted
   * tokens now (as its App, read-only) and report what the change does to them.
   * @default false
   */
  readonly live?: boolean;
  /** With `live`: the file create-app wrote, for the App's credentials. */
  readonly credentials?: string;
}

/** Builds the report, prints it, writes it to `--out` and `$GITHUB_STEP_SUMMARY`; returns it. */
export async function report(options: ReportOptions, io: CommandIO): Promise<string> {
  const loaded = loadConfig(configFileName(options.config, io.env));
  let changes: Change[] | undefined;
  let baseName: string | undefined;
  let base: ReturnType<typeof loadBase> | undefined;
  if (options.base) {
    base = loadBase(options.base, loaded.file);
    baseName = base.name;
    changes = diffConfigs(base.config, loaded.config);
  }
  const out: string[] = [`# Token policy: ${loaded.config.organizations.map((o) => md(o.login)).join(", ")}`, ""];
  if (options.live) {
    if (!base) throw new UsageError("--live compares the base's rules with the head's: give --base FILE_OR_REF");
    for (const org of loaded.config.organizations) {
      let auth;
      try {
        auth = io.client ? undefined : authFor(io, org, options.credentials);
      } catch (e) {
        if (e instanceof UsageError) throw new UsageError(`--live reads ${org.login}'s pending requests and granted tokens as its App (organization_personal_access_token_requests: read, organization_personal_access_tokens: read): ${e.message}`);
        throw e;
      }
      const before = base.config.organizations.find((o) => o.login.toLowerCase() === org.login.toLowerCase());
      // Read-only: the token is narrowed to the two listings (and team members, when either
      // config's rules name teams), whatever else the App may do.
      const readsTeams = [org, before].some((o) => o?.approval.rules.some((r) => r.match.teams));
      const client = await clientFor(io, org, {
        auth,
        permissions: { organization_personal_access_token_requests: "read", organization_personal_access_tokens: "read", ...(readsTeams ? { members: "read" as const } : {}) },
      });
      out.push(...liveSection(await liveImpact(client, before as OrganizationConfig | undefined, org)));
    }
  }
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

/** Most examples shown per organization. */
export const LIVE_EXAMPLES = 20;

function liveSection(impact: LiveImpact): string[] {
  const lines = [`## What this change does to ${md(impact.org)}'s tokens now`, ""];
  const counts = Object.entries(impact.transitions).sort((a, b) => b[1] - a[1]);
  lines.push(
    `${impact.pending} pending ${impact.pending === 1 ? "request" : "requests"} read: ${impact.changed.length ? `${impact.changed.length} change outcome (${counts.map(([k, n]) => `${n} ${k}`).join(", ")})` : "none changes outcome"}.` +
      (impact.granted ? ` ${impact.granted} granted tokens read: ${impact.newlyRevoked.length} would newly be revoked.` : "") +
      (impact.gone ? ` ${impact.gone} went away while being read.` : ""),
    "",
  );
  if (impact.changed.length) {
    lines.push("| Request | Owner | Token | Was → now | Rule |", "|---|---|---|---|---|");
    for (const c of impact.changed.slice(0, LIVE_EXAMPLES)) lines.push(`| ${c.requestId} | ${md(c.owner ?? "?")} | ${md(c.tokenName ?? "")} | ${c.from} → **${c.to}**${c.asksWrite && c.to === "approve" ? " (write)" : ""} | ${md(c.rule)} |`);
    if (impact.changed.length > LIVE_EXAMPLES) lines.push("", `…and ${impact.changed.length - LIVE_EXAMPLES} more.`);
    lines.push("");
  }
  if (impact.newlyRevoked.length) {
    lines.push("| Granted token | Owner | Token | Revoked by |", "|---|---|---|---|");
    for (const r of impact.newlyRevoked.slice(0, LIVE_EXAMPLES)) lines.push(`| ${r.tokenId} | ${md(r.owner ?? "?")} | ${md(r.tokenName ?? "")} | ${md(r.rule)} |`);
    lines.push("");
  }
  return lines;
}

function gitMessage(e: unknown): string {
  const err = e as { stderr?: string; message?: string };
  return (err.stderr?.trim() || err.message || String(e)).split("\n")[0];
}
