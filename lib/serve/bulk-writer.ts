/**
 * One organization's writes, merged: decisions handed in while a write is under way wait for it
 * and then go out together, so that however many batches were decided meanwhile, GitHub gets one
 * bulk call per (action, reason) per 100 ids, spaced as its write limits ask. The write itself
 * is the review engine's fault-safe `applyReviews`.
 */
import type { RequestDecision } from "../review/decide";

interface Waiting {
  readonly decisions: readonly RequestDecision[];
  readonly resolve: () => void;
  readonly reject: (e: unknown) => void;
}

/** See the module summary. */
export class BulkWriter {
  private waiting: Waiting[] = [];
  private writing = false;
  private scheduled = false;

  /** @param write applies decisions (sets each one's `outcome`), for example `applyReviews`. */
  constructor(private readonly write: (decisions: RequestDecision[]) => Promise<void>) {}

  /**
   * Applies `decisions` with whatever else is waiting; resolves when they were sent, rejects with
   * the write's failure (each decision's `outcome` then says what is known).
   */
  add(decisions: readonly RequestDecision[]): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ decisions, resolve, reject });
      this.next();
    });
  }

  private next(): void {
    if (this.writing || this.scheduled || !this.waiting.length) return;
    // Started on the next turn of the event loop, so that batches handed in together go together.
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.start();
    });
  }

  private start(): void {
    if (this.writing || !this.waiting.length) return;
    const taken = this.waiting;
    this.waiting = [];
    this.writing = true;
    this.write(taken.flatMap((w) => w.decisions))
      .then(
        () => taken.forEach((w) => w.resolve()),
        (e) => taken.forEach((w) => w.reject(e)),
      )
      .finally(() => {
        this.writing = false;
        this.next();
      });
  }
}
