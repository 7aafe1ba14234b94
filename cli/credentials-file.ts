import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, writeSync } from "node:fs";
import { dirname, join } from "node:path";
import { UsageError } from "../lib/config/errors";

/** What `create-app` writes and `install`/`seal` read. */
export interface AppCredentialsFile {
  readonly id: number;
  readonly slug: string;
  readonly client_id: string;
  readonly client_secret: string;
  readonly webhook_secret: string | null;
  readonly pem: string;
  readonly html_url: string;
  /** The organization that owns the App. */
  readonly owner: string;
  /** Web root of the GitHub instance. */
  readonly github_url: string;
}

/** Default credentials file of an organization, in the git-ignored `.secrets/`. */
export function defaultCredentialsFile(login: string): string {
  return join(".secrets", `${login}-app.json`);
}

/** Refuses to go on when `file` exists: a second App's key must not overwrite the first's. */
export function assertWritable(file: string): void {
  if (existsSync(file)) throw new UsageError(`${file} already exists; refusing to overwrite an App's credentials (move it away or pass --out)`);
}

/** Writes the file with mode 0600 in a directory with mode 0700; fails if it exists. */
export function writeCredentialsFile(file: string, data: AppCredentialsFile): void {
  const dir = dirname(file);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  const fd = openSync(file, "wx", 0o600);
  try {
    writeSync(fd, JSON.stringify(data, null, 2) + "\n");
  } finally {
    closeSync(fd);
  }
  chmodSync(file, 0o600);
}

/** Reads a credentials file; throws a UsageError naming the file, never its contents. */
export function readCredentialsFile(file: string): AppCredentialsFile {
  let data: Partial<AppCredentialsFile>;
  try {
    data = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new UsageError(`${file}: cannot be read as the JSON create-app writes (${(e as NodeJS.ErrnoException).code ?? "invalid JSON"})`);
  }
  if (typeof data.id !== "number" || typeof data.pem !== "string" || typeof data.client_id !== "string") {
    throw new UsageError(`${file}: must hold the App's id, client_id and pem, as create-app writes them`);
  }
  return data as AppCredentialsFile;
}
