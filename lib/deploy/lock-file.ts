/**
 * The committed provider lock files: where each organization's is kept and what it says. Pure
 * (no cdktf), so synth, the report and the lock command share it.
 */
import { lstatSync } from "node:fs";

/** The folder of the committed provider lock files, beside the config file. */
export const LOCK_DIR = "terraform-locks";

/** Where one organization's provider lock file is kept, relative to the config file's folder. */
export function lockFilePath(login: string): string {
  return `${LOCK_DIR}/${login.toLowerCase()}.terraform.lock.hcl`;
}

/** The name Terraform gives a stack folder's lock file. */
export const STACK_LOCK_FILE = ".terraform.lock.hcl";

/** Each provider of a lock file: its address → the version locked and its checksums. */
export function parseLockFile(text: string): Map<string, { version: string; hashes: string[] }> {
  const out = new Map<string, { version: string; hashes: string[] }>();
  for (const m of text.matchAll(/provider\s+"([^"]+)"\s*\{([\s\S]*?)\n\}/g)) {
    const version = /\bversion\s*=\s*"([^"]*)"/.exec(m[2])?.[1] ?? "";
    const hashes = [.../"((?:h1|zh):[^"]+)"/g[Symbol.matchAll](m[2])].map((h) => h[1]).sort();
    out.set(m[1], { version, hashes });
  }
  return out;
}

/** Whether `path` is a regular file (not a symbolic link, which could point anywhere). */
export function isRegularFile(path: string): boolean {
  try {
    return lstatSync(path).isFile();
  } catch {
    return false;
  }
}
