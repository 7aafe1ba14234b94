/**
 * Reading the App's credentials file from disk, for the commands that act as the App
 * (`--credentials FILE`). The shape and the check of its text are `lib/model/credentials-file`.
 */
import { readFileSync } from "node:fs";
import { UsageError } from "../config/errors";
import { parseCredentialsFile, type AppCredentialsFile } from "../model/credentials-file";

/** Reads a credentials file; throws a UsageError naming the file, never its contents. */
export function readCredentialsFile(file: string): AppCredentialsFile {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new UsageError(`${file}: cannot be read as the JSON create-app writes (${(e as NodeJS.ErrnoException).code ?? "invalid JSON"})`);
  }
  return parseCredentialsFile(text, file);
}
