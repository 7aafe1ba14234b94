/**
 * Writing the App's credentials file: where create-app puts it by default, and a writer that
 * opens it exclusively, mode 0600, before anything is created on GitHub. Its shape is
 * `lib/model/credentials-file`; reading it is `lib/github/credentials-file`.
 */
import { closeSync, constants, existsSync, fstatSync, lstatSync, mkdirSync, openSync, statSync, unlinkSync, writeSync } from "node:fs";
import { dirname, join } from "node:path";
import { UsageError } from "../config/errors";
import type { AppCredentialsFile } from "../model/credentials-file";

/** Default credentials file of an organization, in the git-ignored `.secrets/`. */
export function defaultCredentialsFile(login: string): string {
  return join(".secrets", `${login}-app.json`);
}

/** Options of {@link CredentialsFileWriter}. */
export interface CredentialsFileOptions {
  /**
   * Accept an existing folder that group or others can write to, where another user could
   * replace the file between its writing and its use.
   * @default false
   */
  readonly allowSharedFolder?: boolean;
}

/**
 * A credentials file opened for writing before anything is created on GitHub: exclusively
 * (an existing file, a dangling symlink or a symlink to anywhere makes it fail now, not after
 * the one-time code is spent), mode 0600, without following a symlink. Its folder is created
 * with mode 0700 when it does not exist; an existing folder keeps its mode, but one that group
 * or others can write to is refused unless `allowSharedFolder`. An existing empty file (left by
 * an interrupted run) is named as such.
 */
export class CredentialsFileWriter {
  private fd?: number;
  private readonly ino: number;

  constructor(
    readonly file: string,
    options: CredentialsFileOptions = {},
  ) {
    const dir = dirname(file);
    if (!existsSync(dir)) mkdirSync(dir, { recursive: true, mode: 0o700 });
    else if (!options.allowSharedFolder) refuseSharedFolder(dir);
    try {
      this.fd = openSync(file, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0), 0o600);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === "EEXIST" && isEmptyFile(file)) {
        throw new UsageError(
          `${file} already exists and is empty: a create-app run was interrupted before it saved credentials. Remove the empty file and run create-app again (if that run's App was created on GitHub, delete it in the organization's settings first)`,
        );
      }
      if (code === "EEXIST" || code === "ELOOP")
        throw new UsageError(
          `${file} already exists (or is a symbolic link); refusing to write an App's credentials there (move it away or pass --out)`,
        );
      throw new UsageError(`${file}: cannot be created (${code ?? String(e)})`);
    }
    this.ino = fstatSync(this.fd).ino;
  }

  /** Writes the credentials and closes the file. */
  write(data: AppCredentialsFile): void {
    if (this.fd === undefined) throw new Error("CredentialsFileWriter: already closed");
    try {
      writeSync(this.fd, JSON.stringify(data, null, 2) + "\n");
    } finally {
      closeSync(this.fd);
      this.fd = undefined;
    }
  }

  /** Closes and removes the still-empty file, when the flow ends without credentials. */
  discard(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
    try {
      // Only the file this writer created: not one put in its place meanwhile.
      if (lstatSync(this.file).ino === this.ino) unlinkSync(this.file);
    } catch {
      // already gone
    }
  }
}

/** Fails when group or others can write to the folder (POSIX modes only). */
function refuseSharedFolder(dir: string): void {
  if (process.platform === "win32") return;
  const mode = statSync(dir).mode & 0o777;
  if ((mode & 0o022) === 0) return;
  const who = (mode & 0o002 ? ["everyone"] : []).concat(mode & 0o020 ? ["its group"] : []).join(" and ");
  throw new UsageError(
    `${dir} (mode ${mode.toString(8).padStart(3, "0")}) can be written by ${who}, who could replace the credentials file: write to a folder only you can write to (chmod go-w ${dir}, or --out elsewhere), or pass --allow-shared-folder`,
  );
}

/** Whether a path is a regular file (not a symbolic link) with nothing in it. */
function isEmptyFile(file: string): boolean {
  try {
    const st = lstatSync(file);
    return st.isFile() && st.size === 0;
  } catch {
    return false;
  }
}

/** Writes the file as {@link CredentialsFileWriter} does; fails if it exists. */
export function writeCredentialsFile(file: string, data: AppCredentialsFile): void {
  new CredentialsFileWriter(file).write(data);
}
