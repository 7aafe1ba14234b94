import { closeSync, constants, lstatSync, openSync, writeSync } from "node:fs";
import { UsageError } from "../lib/config/errors";

/**
 * Writes `text` to `file`, replacing a regular file but never following a symbolic link (which
 * could point anywhere, an SSH key included).
 */
export function writeNoFollow(file: string, text: string): void {
  let isLink = false;
  try {
    isLink = lstatSync(file).isSymbolicLink();
  } catch {
    // does not exist yet
  }
  if (isLink) throw new UsageError(`--out ${file} is a symbolic link; refusing to follow it (write to a regular path)`);
  let fd: number;
  try {
    fd = openSync(file, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | (constants.O_NOFOLLOW ?? 0), 0o644);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ELOOP") throw new UsageError(`--out ${file} is a symbolic link; refusing to follow it (write to a regular path)`);
    throw new UsageError(`--out ${file}: cannot be written (${code ?? String(e)})`);
  }
  try {
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
}
