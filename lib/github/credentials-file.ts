/**
 * Reading the App's credentials file from disk, for the commands that act as the App
 * (`--credentials FILE`). The shape and the check of its text are `lib/model/credentials-file`.
 */
import { FileProblem, readRegularFile } from "../regular-file";
import { UsageError } from "../config/errors";
import { parseCredentialsFile, type AppCredentialsFile } from "../model/credentials-file";

/** Largest credentials file read: create-app writes about 3 KiB. */
const MAX_CREDENTIALS_FILE_BYTES = 64 * 1024;

/** Reads a credentials file; throws a UsageError naming the file, never its contents. */
export function readCredentialsFile(file: string): AppCredentialsFile {
  let text: string;
  try {
    text = readRegularFile(file, MAX_CREDENTIALS_FILE_BYTES);
  } catch (e) {
    if (!(e instanceof FileProblem)) throw e;
    throw new UsageError(`${file}: cannot be read as the JSON create-app writes: it ${e.message}`);
  }
  return parseCredentialsFile(text, file);
}
