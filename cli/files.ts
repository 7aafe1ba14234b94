import { UsageError } from "../lib/config/errors";
import { FileProblem, writeRegularFile } from "../lib/regular-file";

/**
 * Writes `text` to the file an option names (`--out`, `--evidence-out`): a new file or a regular
 * one replaced; never through a symbolic link (which could point anywhere, an SSH key included),
 * never into a device or a FIFO.
 */
export function writeNoFollow(file: string, text: string, option = "--out"): void {
  try {
    writeRegularFile(file, text);
  } catch (e) {
    if (!(e instanceof FileProblem)) throw e;
    throw new UsageError(`${option} ${file} ${e.message}`);
  }
}
