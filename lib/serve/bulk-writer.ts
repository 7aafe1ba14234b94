/**
 * One organization's writes, merged: decisions handed in while a write is under way wait for it
 * and then go out together, so that however many batches were decided meanwhile, GitHub gets one
 * bulk call per (action, reason) per 100 ids, spaced as its write limits ask: one call a write,
 * oldest first, each batch settled once its last decision's call is answered. A write of fewer
 * than 100 first waits for the batches being read at that moment (`reading`) and carries theirs
 * too. While more is on its way (batches being read, deliveries queued), a group's ids past its
 * last whole hundred wait for the next write rather than go in a call of their own, for at most
 * `holdMs`. The write itself is the review engine's fault-safe `applyReviews`.
 */
import type { RequestDecision } from "../review/decide";

/** One batch's decisions, handed in together, and how its promise settles. */
interface Waiting {
  /** Its decisions not yet taken into a write. */
  left: number;
  /** The first failure of a write that carried some of them. */
  failure?: { error: unknown };
  readonly resolve: () => void;
  readonly reject: (e: unknown) => void;
}

/** A decision waiting for its write, whose batch it is, and when it was handed in. */
interface Item {
  readonly decision: RequestDecision;
  readonly of: Waiting;
  readonly at: number;
}

/** Options of {@link BulkWriter}. */
export interface BulkWriterOptions {
  /** The organization's batches being read now: a write of fewer than 100 waits for them. @default none */
  readonly reading?: () => readonly Promise<unknown>[];
  /** Whether deliveries of the organization wait for their batch. @default never */
  readonly queued?: () => boolean;
  /** The longest a decision waits for more of its group while more is on its way, in ms. @default 0 */
  readonly holdMs?: number;
}

/** GitHub's bulk limit: ids of one review call. */
const BULK_MAX = 100;

/** See the module summary. */
export class BulkWriter {
  private waiting: Item[] = [];
  private writing = false;
  private scheduled = false;
  private wake?: NodeJS.Timeout;
  private readonly reading: () => readonly Promise<unknown>[];

  /** @param write applies decisions (sets each one's `outcome`), for example `applyReviews`. */
  constructor(
    private readonly write: (decisions: RequestDecision[]) => Promise<void>,
    private readonly options: BulkWriterOptions = {},
  ) {
    this.reading = options.reading ?? (() => []);
  }

  /**
   * Applies `decisions` with whatever else is waiting; resolves when they were all sent, rejects
   * with the failure of a write that carried any of them (each decision's `outcome` then says
   * what is known).
   */
  add(decisions: readonly RequestDecision[]): Promise<void> {
    if (!decisions.length) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const of: Waiting = { left: decisions.length, resolve, reject };
      const at = Date.now();
      for (const decision of decisions) this.waiting.push({ decision, of, at });
      this.next();
    });
  }

  private next(): void {
    if (this.writing || this.scheduled || !this.waiting.length) return;
    // Started on the next turn of the event loop, so that batches handed in together go together.
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.start();
    });
  }

  private async start(): Promise<void> {
    if (this.writing || !this.waiting.length) return;
    this.writing = true;
    const reading = this.reading();
    if (reading.length && sent(this.waiting) < BULK_MAX) {
      await Promise.allSettled(reading);
      // and a turn of the event loop, for those batches to hand in their decisions
      await new Promise((resolve) => setImmediate(resolve));
    }
    const taken = this.take(this.reading().length > 0 || Boolean(this.options.queued?.()));
    if (!taken.length) {
      // All held for more of their group: written when the first hold ends, or with what comes.
      this.writing = false;
      const until = Math.min(...this.waiting.map((i) => i.at)) + (this.options.holdMs ?? 0);
      clearTimeout(this.wake);
      this.wake = setTimeout(() => this.next(), Math.max(0, until - Date.now()));
      return;
    }
    this.write(taken.map((i) => i.decision))
      .catch((error: unknown) => {
        for (const i of taken) i.of.failure ??= { error };
      })
      .finally(() => {
        for (const i of taken) settle(i.of);
        this.writing = false;
        this.next();
      });
  }

  /**
   * What goes in this write: one bulk call's worth, the first (action, reason) group's first 100
   * (so that each batch's decisions are settled as soon as their own call is answered, not when a
   * long merged write ends); with more on its way (`more`), a group goes only in whole hundreds
   * unless one of its decisions has been held `holdMs` already. Decisions left to an owner are
   * never written, and always go.
   */
  private take(more: boolean): Item[] {
    const held = Date.now() - (this.options.holdMs ?? 0);
    const groups = new Map<string, Item[]>();
    for (const i of this.waiting) {
      const key = i.decision.action === "leave" ? "" : `${i.decision.action}\u0000${i.decision.reason}`;
      const group = groups.get(key);
      if (group) group.push(i);
      else groups.set(key, [i]);
    }
    const taken: Item[] = [];
    const kept: Item[] = [];
    let call = false;
    for (const [key, items] of groups) {
      let n = items.length;
      if (key !== "") {
        const whole = !more || items.some((i) => i.at <= held) ? n : n - (n % BULK_MAX);
        n = call ? 0 : Math.min(whole, BULK_MAX);
        call ||= n > 0;
      }
      taken.push(...items.slice(0, n));
      kept.push(...items.slice(n));
    }
    this.waiting = kept;
    for (const i of taken) i.of.left--;
    return taken;
  }
}

/** Decisions sent to GitHub among `items` (those left to an owner are not). */
function sent(items: readonly Item[]): number {
  return items.filter((i) => i.decision.action !== "leave").length;
}

/** Settles a batch's promise once none of its decisions is waiting or being written. */
function settle(w: Waiting): void {
  if (w.left !== 0) return;
  w.left = -1; // settled once
  if (w.failure) w.reject(w.failure.error);
  else w.resolve();
}
