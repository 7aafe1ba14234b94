import { lstatSync, statSync } from "node:fs";
import { dirname } from "node:path";
import { UsageError } from "../lib/config/errors";
import { clean } from "../lib/text";
import { FileProblem, writeRegularFile } from "../lib/regular-file";

/**
 * The one error for a file an option names that cannot be where an output goes, before the run
 * or at the write: `OPTION FILE: what is wrong; give a file path in an existing directory` (exit 2).
 */
function outputPathProblem(option: string, file: string, what: string): UsageError {
  return new UsageError(`${option} ${clean(file)}: ${what}; give a file path in an existing directory`);
}

/**
 * Writes `text` to the file an option names (`--out`, `--evidence-out`): a new file or a regular
 * one replaced; never through a symbolic link (which could point anywhere, an SSH key included),
 * never into a device or a FIFO. Checks the path as {@link checkOutputPath} does, and the write
 * checks again on the open file; either refusal is the same UsageError (exit 2).
 */
export function writeNoFollow(file: string, text: string, option = "--out"): void {
  checkOutputPath(file, option);
  try {
    writeRegularFile(file, text);
  } catch (e) {
    if (!(e instanceof FileProblem)) throw e;
    // A path swapped after the check, or one that cannot be written (EACCES, a full disk).
    throw outputPathProblem(option, file, `it ${e.message.replace(/\s*\(give a regular path\)$/, "")}`);
  }
}

/**
 * Throws a UsageError (exit 2) before any call when `file`, named by `option`, cannot be where an
 * output goes: its directory must exist, and the file must be new or a regular file (never a
 * directory, a symbolic link, a device, a FIFO or a socket). The write checks again.
 */
export function checkOutputPath(file: string, option: string): void {
  const problem = (what: string) => outputPathProblem(option, file, what);
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
