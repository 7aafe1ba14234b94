import { lstatSync, statSync } from "node:fs";
import { dirname } from "node:path";
import { UsageError } from "../lib/config/errors";
import { clean } from "../lib/text";
import { FileProblem, writeRegularFile } from "../lib/regular-file";

/**
 * Writes `text` to the file an option names (`--out`, `--evidence-out`): a new file or a regular
 * one replaced; never through a symbolic link (which could point anywhere, an SSH key included),
 * never into a device or a FIFO.
 */
export function writeNoFollow(file: string, text: string, option = "--out"): void {
  try {
    writeRegularFile(file, text);
  } catch (e) {
    if (!(e instanceof FileProblem)) throw e;
    throw new UsageError(`${option} ${file} ${e.message}`);
  }
}

/**
 * Throws a UsageError (exit 2) before any call when `file`, named by `option`, cannot be where an
 * output goes: its directory must exist, and the file must be new or a regular file (never a
 * directory, a symbolic link, a device, a FIFO or a socket). The write checks again.
 */
export function checkOutputPath(file: string, option: string): void {
  const problem = (what: string) => new UsageError(`${option} ${clean(file)}: ${what}; give a file path in an existing directory`);
  let dir;
  try {
    dir = statSync(dirname(file));
  } catch {
    throw problem(`its directory ${clean(dirname(file))} does not exist`);
  }
  if (!dir.isDirectory()) throw problem(`${clean(dirname(file))} is not a directory`);
  let existing;
  try {
    existing = lstatSync(file);
  } catch {
    return; // a new file
  }
  if (existing.isDirectory()) throw problem("it is a directory");
  if (existing.isSymbolicLink()) throw problem("it is a symbolic link, which is not followed");
  if (!existing.isFile()) throw problem("it is not a regular file (a device, a FIFO or a socket)");
}
