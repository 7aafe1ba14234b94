/**
 * The one test of a path before it is read as a project file (a provider lock file, say): a
 * regular file, not a symbolic link that could point anywhere. Synth, the lock engine and the
 * report share it.
 */
import { lstatSync } from "node:fs";

/** Whether `path` is a regular file (not a symbolic link, which could point anywhere). */
export function isRegularFile(path: string): boolean {
  try {
    return lstatSync(path).isFile();
  } catch {
    return false;
  }
}
