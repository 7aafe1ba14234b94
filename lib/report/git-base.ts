/**
 * The base of a report's comparison: a config and each organization's provider lock file, read
 * from a file (`--base-file`) or from a git ref of the config's repository (`--base-ref`, with
 * `git ls-tree` and `git show`, never a checkout), and the head's lock files beside the config.
 * A bare `--base` is whichever exists, and refused when both do.
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { basename, dirname, isAbsolute, join, relative, resolve } from "node:path";
import { UsageError } from "../config/errors";
import { loadConfig, parseConfigOrThrow } from "../config/load";
import type { OrganizationConfig, TokenPolicyConfig } from "../config/schema";
import { lockFilePath } from "../model/lock-file";
import { FileProblem, isRegularFile, readRegularFile } from "../regular-file";
import { CommandFailure } from "../github/errors";

/** The base of a comparison: its config and each organization's provider lock file. */
export interface ReportBase {
  /** How the report names it: `REF:path`, or the file relative to the working directory. */
  readonly name: string;
  readonly config: Pick<TokenPolicyConfig, "organizations"> & Partial<Pick<TokenPolicyConfig, "enterprises">>;
  /** Login (lower case) → the lock file's text, for the organizations that had one. */
  readonly locks: ReadonlyMap<string, string>;
}

/** How the base was given: `--base`, `--base-ref` or `--base-file`. */
export type BaseKind = "base" | "baseRef" | "baseFile";

/** The flag of a base kind, for messages. */
export function flagOf(kind: BaseKind): string {
  return kind === "base" ? "--base" : kind === "baseRef" ? "--base-ref" : "--base-file";
}

/** Options of {@link loadBase}. */
export interface LoadBaseOptions {
  readonly kind: BaseKind;
  /** The file or ref given. */
  readonly value: string;
  /** The head's config file: a ref is read in its repository, at its path. */
  readonly configFile: string;
}

/**
 * Reads the base. `--base-file` is a file, `--base-ref` a git ref; a bare `--base` is whichever
 * exists, and an error when both do: a file named like a commit must not stand in for it.
 */
export function loadBase({ kind, value, configFile }: LoadBaseOptions): ReportBase {
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
    throw new UsageError(
      `--base ${value} names both a file and a git ref of ${repo}: say which with --base-file ${value} or --base-ref ${value}`,
    );
  }
  if (isFile) return fileBase(value);
  if (!refShaped)
    throw new UsageError(
      `${flag} ${JSON.stringify(value)}: ${kind === "base" ? "not a file, and " : ""}not a git ref (a ref has no leading '-', ':' or white space)`,
    );
  if (repo === undefined)
    throw new UsageError(
      `${flag} ${value}: ${kind === "base" ? "no such file, and " : ""}${dirname(resolve(configFile))} is not in a git repository to read a ref from`,
    );
  if (!isRef) throw new UsageError(`${flag} ${value}: no such ${kind === "base" ? "file or " : ""}git ref`);
  return refBase({ flag, base: value, top: repo, configFile });
}

function fileBase(file: string): ReportBase {
  const config = loadConfig(file).config;
  return { name: shownPath(file), config, locks: readLockFiles(file, config.organizations) };
}

/** Largest provider lock file read: one provider's checksums for every platform are a few KiB. */
const MAX_LOCK_FILE_BYTES = 1024 * 1024;

/** Each organization's lock file beside `configFile` (`terraform-locks/<login>.terraform.lock.hcl`), when it is a regular file; by login in lower case. */
export function readLockFiles(configFile: string, organizations: readonly OrganizationConfig[]): Map<string, string> {
  const locks = new Map<string, string>();
  for (const org of organizations) {
    const path = join(dirname(resolve(configFile)), lockFilePath(org.login));
    if (!isRegularFile(path)) continue;
    try {
      locks.set(org.login.toLowerCase(), readRegularFile(path, MAX_LOCK_FILE_BYTES));
    } catch (e) {
      if (!(e instanceof FileProblem)) throw e;
      throw new UsageError(`${shownPath(path)}: ${e.message}`);
    }
  }
  return locks;
}

function gitTop(configFile: string): string | undefined {
  try {
    return execFileSync("git", ["rev-parse", "--show-toplevel"], {
      cwd: dirname(resolve(configFile)),
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    }).trim();
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

/** The base at a git ref: `base` in the repository at `top`, named in errors with `flag`. */
function refBase({ flag, base, top, configFile }: { flag: string; base: string; top: string; configFile: string }): ReportBase {
  const git = (args: string[]) =>
    execFileSync("git", args, { cwd: top, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], maxBuffer: 2 * 1024 * 1024 });
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

function gitMessage(e: unknown): string {
  const err = e as { stderr?: string; message?: string };
  return (err.stderr?.trim() || err.message || String(e)).split("\n")[0];
}
