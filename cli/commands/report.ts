/**
 * `token-policy report`: what the config does, per organization, in Markdown, and with a base
 * (`--base-ref`, `--base-file`) what a change does to who can reach the organization, riskiest
 * first, provider lock file changes included. Never holds secrets: the config has none.
 */
import { execFileSync } from "node:child_process";
import { appendFileSync, existsSync, readFileSync } from "node:fs";
import { basename, dirname, isAbsolute, join, relative, resolve } from "node:path";
import { UsageError } from "../../lib/config/errors";
import { configFileName, findOrganization, loadConfig, parseConfigOrThrow } from "../../lib/config/load";
import { lockFilePath } from "../../lib/model/lock-file";
import { isRegularFile } from "../../lib/regular-file";
import type { OrganizationConfig, TokenPolicyConfig } from "../../lib/config/schema";
import { liveImpact, type LiveImpact } from "../../lib/review/impact";
import { decidedByText } from "../../lib/approval/outcomes";
import { authFor, clientFor } from "../../lib/github/credentials";
import { diffConfigs, riskOf, type Change } from "../../lib/report/diff";
import { diffLockFile } from "../../lib/report/providers";
import { enterpriseLabel } from "../../lib/report/enterprise-diff";
import { describeOrganization } from "../../lib/report/describe";
import { describeEnterprise } from "../../lib/report/describe-enterprise";
import { enterpriseOf } from "../../lib/config/effective-policy";
import { md } from "../../lib/text";
import { PACKAGE_NAME, VERSION } from "../../lib/version";
import { CommandFailure, type CommandIO } from "../io";
import { writeNoFollow } from "../files";

/** Options of {@link report}. */
export interface ReportOptions {
  readonly config?: string;
  /**
   * A config file, or a git ref whose version of the config file is the base. A value that names
   * both an existing file and a ref is refused (exit 2): use `baseRef` or `baseFile`.
   */
  readonly base?: string;
  /** A git ref (in the config file's repository) whose version of the config file is the base. */
  readonly baseRef?: string;
  /** A config file that is the base. */
  readonly baseFile?: string;
  /** Only this organization's sections and live impact. @default every organization */
  readonly org?: string;
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
  const given = (["base", "baseRef", "baseFile"] as const).filter((k) => options[k] !== undefined);
  if (given.length > 1) throw new UsageError(`${given.map(flagOf).join(" and ")} cannot go together: give one base`);
  const organizations = options.org ? [findOrganization(loaded, options.org)] : loaded.config.organizations;
  const inScope = (login: string) => organizations.some((o) => o.login.toLowerCase() === login.toLowerCase());
  let changes: Change[] | undefined;
  let baseName: string | undefined;
  let base: Base | undefined;
  if (given.length) {
    base = loadBase(given[0], options[given[0]]!, loaded.file);
    baseName = base.name;
    const headLocks = readLockFiles(loaded.file, loaded.config.organizations);
    const lockChanges = loaded.config.organizations.flatMap((o) => diffLockFile(o.login, lockFilePath(o.login), base!.locks.get(o.login.toLowerCase()), headLocks.get(o.login.toLowerCase())));
    // An enterprise's changes carry its label, not a login: they belong to the report when it
    // covers every organization, or an organization that enterprise owns at the base or the head.
    const enterprises = new Set(
      [base.config, loaded.config].flatMap((c) =>
        (c.enterprises ?? [])
          .filter((e) => !options.org || c.organizations.some((o) => inScope(o.login) && o.enterprise?.toLowerCase() === e.slug.toLowerCase()))
          .map((e) => enterpriseLabel(e.slug)),
      ),
    );
    changes = [...diffConfigs(base.config, loaded.config), ...lockChanges]
      .filter((c) => inScope(c.org) || enterprises.has(c.org))
      .map((c, i) => ({ c, i }))
      .sort((a, b) => b.c.score - a.c.score || a.i - b.i)
      .map(({ c }) => c);
  }
  const out: string[] = [`# Token policy: ${organizations.map((o) => md(o.login)).join(", ")}`, ""];
  if (options.live) {
    if (!base) throw new UsageError("--live compares the base's rules with the head's: give --base-ref REF or --base-file FILE");
    for (const org of organizations) {
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
  for (const enterprise of loaded.config.enterprises) {
    if (organizations.some((o) => enterpriseOf(loaded.config, o)?.slug === enterprise.slug) || !options.org) out.push(describeEnterprise(enterprise, loaded.config.organizations));
  }
  for (const org of organizations) out.push(describeOrganization(org, (changes ?? []).filter((c) => c.org === org.login), enterpriseOf(loaded.config, org)));
  out.push("", `<sub>${md(`${PACKAGE_NAME} ${VERSION}`)}</sub>`, "");
  const text = out.join("\n");
  io.stdout.write(text);
  if (options.out) writeNoFollow(options.out, text);
  if (io.env.GITHUB_STEP_SUMMARY) appendFileSync(io.env.GITHUB_STEP_SUMMARY, text);
  return text;
}

/** The base of a comparison: its config and each organization's provider lock file. */
interface Base {
  readonly name: string;
  readonly config: Pick<TokenPolicyConfig, "organizations"> & Partial<Pick<TokenPolicyConfig, "enterprises">>;
  /** Login (lower case) → the lock file's text, for the organizations that had one. */
  readonly locks: ReadonlyMap<string, string>;
}

type BaseKind = "base" | "baseRef" | "baseFile";

function flagOf(kind: BaseKind): string {
  return kind === "base" ? "--base" : kind === "baseRef" ? "--base-ref" : "--base-file";
}

/**
 * Reads the base. `--base-file` is a file, `--base-ref` a git ref; a bare `--base` is whichever
 * exists, and an error when both do: a file named like a commit must not stand in for it.
 */
function loadBase(kind: BaseKind, value: string, configFile: string): Base {
  const flag = flagOf(kind);
  if (kind === "baseFile") {
    if (!existsSync(value)) throw new UsageError(`${flag} ${value}: no such file`);
    return fileBase(value);
  }
  const isFile = kind === "base" && existsSync(value);
  // A ref is passed to git: nothing that git could read as an option or a path.
  const refShaped = !value.startsWith("-") && !/[\u0000-\u0020\u007f:]/.test(value);
  const repo = refShaped ? gitTop(configFile) : undefined;
  const isRef = repo !== undefined && refExists(repo, value);
  if (isFile && isRef) {
    throw new UsageError(`--base ${value} names both a file and a git ref of ${repo}: say which with --base-file ${value} or --base-ref ${value}`);
  }
  if (isFile) return fileBase(value);
  if (!refShaped) throw new UsageError(`${flag} ${JSON.stringify(value)}: ${kind === "base" ? "not a file, and " : ""}not a git ref (a ref has no leading '-', ':' or white space)`);
  if (repo === undefined) throw new UsageError(`${flag} ${value}: ${kind === "base" ? "no such file, and " : ""}${dirname(resolve(configFile))} is not in a git repository to read a ref from`);
  if (!isRef) throw new UsageError(`${flag} ${value}: no such ${kind === "base" ? "file or " : ""}git ref`);
  return refBase(flag, value, repo, configFile);
}

function fileBase(file: string): Base {
  const config = loadConfig(file).config;
  return { name: shownPath(file), config, locks: readLockFiles(file, config.organizations) };
}

/** Each organization's lock file beside `configFile` (`terraform-locks/<login>.terraform.lock.hcl`), when it is a regular file. */
function readLockFiles(configFile: string, organizations: readonly OrganizationConfig[]): Map<string, string> {
  const locks = new Map<string, string>();
  for (const org of organizations) {
    const path = join(dirname(resolve(configFile)), lockFilePath(org.login));
    if (isRegularFile(path)) locks.set(org.login.toLowerCase(), readFileSync(path, "utf8"));
  }
  return locks;
}

function gitTop(configFile: string): string | undefined {
  try {
    return execFileSync("git", ["rev-parse", "--show-toplevel"], { cwd: dirname(resolve(configFile)), encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
  } catch {
    return undefined;
  }
}

function refExists(top: string, ref: string): boolean {
  try {
    execFileSync("git", ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`], { cwd: top, stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

function refBase(flag: string, base: string, top: string, configFile: string): Base {
  const git = (args: string[]) => execFileSync("git", args, { cwd: top, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], maxBuffer: 2 * 1024 * 1024 });
  const inRepo = (file: string) => relative(top, resolve(file)).split("\\").join("/");
  const path = inRepo(configFile);
  const listed = (p: string) => {
    try {
      return git(["ls-tree", "--full-tree", `${base}^{commit}`, "--", p]);
    } catch (e) {
      throw new CommandFailure(`${flag} ${base}: git could not list ${p} at that commit: ${gitMessage(e)}`);
    }
  };
  const show = (p: string) => {
    try {
      return git(["show", `${base}:${p}`]);
    } catch (e) {
      throw new CommandFailure(`${flag} ${base}: git could not read ${p} at that commit: ${gitMessage(e)}`);
    }
  };
  // Absent at that commit: the file is new in this change, so every organization is added.
  if (listed(path).trim() === "") return { name: `${base}:${path} (absent)`, config: { organizations: [] }, locks: new Map() };
  const config = parseConfigOrThrow(show(path), `${base}:${path}`);
  const locks = new Map<string, string>();
  for (const org of config.organizations) {
    const lock = inRepo(join(dirname(resolve(configFile)), lockFilePath(org.login)));
    // A regular file (mode 100644 or 100755) only: a symbolic link's target is not its text.
    if (/^100\d{3} blob /.test(listed(lock))) locks.set(org.login.toLowerCase(), show(lock));
  }
  return { name: `${base}:${path}`, config, locks };
}

/**
 * A base file as the report names it: relative to the working directory, or only its name when it
 * lies outside, so a summary never carries a local absolute path (a home or runner directory).
 */
function shownPath(file: string): string {
  const rel = relative(process.cwd(), resolve(file));
  return rel === "" || rel.startsWith("..") || isAbsolute(rel) ? basename(file) : rel.split("\\").join("/");
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
    for (const c of impact.changed.slice(0, LIVE_EXAMPLES)) lines.push(`| ${c.requestId} | ${md(c.owner ?? "?")} | ${md(c.tokenName ?? "")} | ${c.from} → **${c.to}**${c.asksWrite && c.to === "approve" ? " (write)" : ""} | ${md(decidedByText(c.decidedBy))} |`);
    if (impact.changed.length > LIVE_EXAMPLES) lines.push("", `…and ${impact.changed.length - LIVE_EXAMPLES} more.`);
    lines.push("");
  }
  if (impact.newlyRevoked.length) {
    lines.push("| Granted token | Owner | Token | Revoked by |", "|---|---|---|---|");
    for (const r of impact.newlyRevoked.slice(0, LIVE_EXAMPLES)) lines.push(`| ${r.tokenId} | ${md(r.owner ?? "?")} | ${md(r.tokenName ?? "")} | ${md(decidedByText(r.decidedBy))} |`);
    lines.push("");
  }
  return lines;
}

function gitMessage(e: unknown): string {
  const err = e as { stderr?: string; message?: string };
  return (err.stderr?.trim() || err.message || String(e)).split("\n")[0];
}
