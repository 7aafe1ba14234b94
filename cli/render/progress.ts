/** One updating progress line on a terminal's stderr; silent elsewhere (a pipe, a CI log, `--json`). */
import type { CommandIO } from "../io";

/** See the module summary. */
export class ProgressLine {
  private shown = false;

  /** @param enabled false to stay silent whatever the terminal. */
  constructor(
    private readonly io: CommandIO,
    private readonly enabled: boolean,
  ) {}

  /** Replaces the line with `text`. */
  show(text: string): void {
    if (!this.enabled || !this.io.stderr.isTTY) return;
    this.io.stderr.write(`\r\u001b[2K${text}`);
    this.shown = true;
  }

  /** Clears the line, if anything was shown. */
  done(): void {
    if (this.shown) this.io.stderr.write("\r\u001b[2K");
  }
}
