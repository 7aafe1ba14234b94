/**
 * The App's credentials file: its shape (what `create-app` writes and `install`, `seal` and the
 * GitHub client read) and the check of its text. Pure: writing it is `lib/registration`'s
 * (exclusively, mode 0600), reading it from disk `lib/github/credentials-file`'s.
 */
import { UsageError } from "../config/errors";

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

/**
 * The credentials in `text`, the content of the credentials file `file`; throws a UsageError
 * naming the file, never its contents, when it is not JSON or lacks the App's id, client_id and pem.
 */
export function parseCredentialsFile(text: string, file: string): AppCredentialsFile {
  let data: Partial<AppCredentialsFile>;
  try {
    data = JSON.parse(text);
  } catch {
    throw new UsageError(`${file}: cannot be read as the JSON create-app writes (invalid JSON)`);
  }
  if (
    data === null ||
    typeof data !== "object" ||
    typeof data.id !== "number" ||
    typeof data.pem !== "string" ||
    typeof data.client_id !== "string"
  ) {
    throw new UsageError(`${file}: must hold the App's id, client_id and pem, as create-app writes them`);
  }
  return data as AppCredentialsFile;
}
