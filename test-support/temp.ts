/**
 * Temporary folders for tests: every folder made here is removed when the test file ends (the
 * jest setup, __tests__/setup.ts, calls {@link removeTempDirs} after all) or, outside jest (the
 * benchmarks), when the process exits. Nothing a test writes is left in the system's temp folder.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const made: string[] = [];
let onExit = false;

/** A new empty folder under the system's temp folder, named `<prefix>XXXXXX`; removed for you. */
export function tempDir(prefix = "token-policy-"): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  if (typeof afterAll !== "function" && !onExit) {
    onExit = true;
    process.once("exit", removeTempDirs);
  }
  return dir;
}

/** Adopts `dir`, a folder something else made under the temp folder: it is removed with tempDir's. Returns it. */
export function removeLater(dir: string): string {
  made.push(dir);
  return dir;
}

/** Removes every folder {@link tempDir} has made so far. */
export function removeTempDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
}
