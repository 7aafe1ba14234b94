/**
 * Log lines for refused (or duplicate) requests, rate-limited: anyone can send refused requests,
 * and anyone who captured a delivery can replay it, so their log lines must not grow without
 * bound. The first `perWindow` lines of each window are logged whole; the rest are counted and
 * summed up in one `droppedEvent` line (`refusals-dropped`) when the window ends.
 */
import type { LogLine } from "./log";

/** Options of {@link RefusalLog}. */
export interface RefusalLogOptions {
  /** Where the lines go. */
  readonly log: (line: LogLine) => void;
  /** Refusals logged whole per window. @default 20 */
  readonly perWindow?: number;
  /** The window, in ms. @default 60000 */
  readonly windowMs?: number;
  /** The event of the line that counts what was dropped. @default "refusals-dropped" */
  readonly droppedEvent?: string;
}

/** See the module summary. */
export class RefusalLog {
  private logged = 0;
  private dropped = 0;
  private timer?: NodeJS.Timeout;

  constructor(private readonly options: RefusalLogOptions) {}

  /** Logs a refusal, or counts it when this window's lines are spent. */
  refused(line: LogLine): void {
    if (!this.timer) {
      this.timer = setTimeout(() => this.endWindow(), this.options.windowMs ?? 60_000);
      this.timer.unref();
    }
    if (this.logged < (this.options.perWindow ?? 20)) {
      this.logged++;
      this.options.log(line);
    } else this.dropped++;
  }

  /** Ends the window now: logs what was dropped in it, if anything. */
  endWindow(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.dropped) this.options.log({ event: this.options.droppedEvent ?? "refusals-dropped", count: this.dropped });
    this.logged = 0;
    this.dropped = 0;
  }
}
