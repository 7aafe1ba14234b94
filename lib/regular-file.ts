/**
 * Every path a command reads or writes goes through here. Reading: only a regular file (a
 * device, a FIFO or a folder is refused, whatever a symbolic link to it is called), never more
 * than its size cap, however the file grows while it is read. Writing: only to a new path or an
 * existing regular file, never through a symbolic link (which could point at an SSH key) and
 * never into a device or a FIFO. Synth, the lock engine, the report and the CLI share it.
 */
import { closeSync, constants, fstatSync, ftruncateSync, lstatSync, openSync, readSync, writeSync } from "node:fs";

/** Why a path was not read or written: what is wrong with it, without the file's content. */
export class FileProblem extends Error {}

/** Whether `path` is a regular file (not a symbolic link, which could point anywhere). */
export function isRegularFile(path: string): boolean {
  try {
    return lstatSync(path).isFile();
  } catch {
    return false;
  }
}

/** What `lstat` says a path is, in words, for an error. */
function kindOf(mode: {
  isSymbolicLink(): boolean;
  isDirectory(): boolean;
  isFIFO(): boolean;
  isCharacterDevice(): boolean;
  isBlockDevice(): boolean;
  isSocket(): boolean;
}): string {
  if (mode.isSymbolicLink()) return "a symbolic link";
  if (mode.isDirectory()) return "a folder";
  if (mode.isFIFO()) return "a FIFO (named pipe)";
  if (mode.isCharacterDevice() || mode.isBlockDevice()) return "a device";
  if (mode.isSocket()) return "a socket";
  return "not a regular file";
}

/**
 * The text of the regular file `file`, of at most `maxBytes` bytes. Opened without blocking (a
 * FIFO cannot hold the command) and checked on the open descriptor, so what is read is what was
 * checked; reading stops one byte past the cap. Throws a {@link FileProblem}: missing,
 * unreadable, not a regular file, or too large.
 */
export function readRegularFile(file: string, maxBytes: number): string {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new FileProblem(code === "ENOENT" ? "file not found" : `cannot be read (${code ?? "unreadable"})`);
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new FileProblem(`is ${kindOf(stat)}, not a regular file; give the path of a file`);
    if (stat.size > maxBytes) throw new FileProblem(`is ${stat.size} bytes; at most ${maxBytes} are read`);
    // One byte past the cap: a file that grew after fstat is caught, not cut.
    const buffer = Buffer.alloc(maxBytes + 1);
    let read = 0;
    for (let n = -1; n !== 0 && read <= maxBytes; read += n) n = readSync(fd, buffer, read, buffer.length - read, null);
    if (read > maxBytes) throw new FileProblem(`grew past ${maxBytes} bytes while it was read; at most ${maxBytes} are read`);
    return buffer.subarray(0, read).toString("utf8");
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes `text` to `file`: a new file, or an existing regular file replaced. A symbolic link, a
 * folder, a device or a FIFO at that path is refused, checked before opening and again on the
 * open descriptor (`O_NOFOLLOW`, `O_NONBLOCK`), so a path swapped in between is refused too.
 * Throws a {@link FileProblem}.
 */
export function writeRegularFile(file: string, text: string, mode = 0o644): void {
  try {
    const existing = lstatSync(file);
    if (!existing.isFile()) throw new FileProblem(`is ${kindOf(existing)}; refusing to write through it (give a regular path)`);
  } catch (e) {
    if (e instanceof FileProblem) throw e;
    // does not exist yet
  }
  let fd: number;
  try {
    fd = openSync(file, constants.O_WRONLY | constants.O_CREAT | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0), mode);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ELOOP") throw new FileProblem("is a symbolic link; refusing to write through it (give a regular path)");
    throw new FileProblem(`cannot be written (${code ?? "unwritable"})`);
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new FileProblem(`is ${kindOf(stat)}; refusing to write into it (give a regular path)`);
    // Truncated only now: a path that turned out not to be a regular file is left as it was.
    ftruncateSync(fd, 0);
    const bytes = Buffer.from(text, "utf8");
    let written = 0;
    while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
  } finally {
    closeSync(fd);
  }
}
