/**
 * How every client paces its requests to GitHub, within GitHub's secondary rate limits ("no more
 * than 100 concurrent requests"; "wait at least one second between" mutating requests):
 *
 * - **reads** (`GET`, `HEAD`) run side by side, at most {@link MAX_READS_IN_FLIGHT} of the whole
 *   process at once, the rest waiting in order of arrival;
 * - **writes** (every other method) of one identity (an installation, the App itself, a token) go
 *   out one at a time, each sent at least the client's `writeIntervalMs` after the previous one of
 *   that identity was sent, whichever client of the process sends it. A write waits only for the
 *   identity's writes, never for reads, and reads never wait for writes;
 * - installation token requests go one at a time, apart from reads and writes, so that a request
 *   waiting for its token never holds what the token request needs.
 *
 * One identity thus has at most {@link MAX_READS_IN_FLIGHT} + 1 requests in flight. Every attempt
 * is paced, retries included: the client registers this inside the retry plugins.
 */

/** Reads of the whole process in flight at once: half of GitHub's 100 concurrent requests, the rest left to writes and to other processes. */
export const MAX_READS_IN_FLIGHT = 50;

/** Where one request's time went, for benches: waiting for its turn, then in flight. */
export interface RequestTiming {
  /** `read` or `write`; `token` for an installation token request. */
  readonly kind: "read" | "write" | "token";
  readonly method: string;
  /** The path, without its query. */
  readonly path: string;
  /** Time from asking to being sent, in ms. */
  readonly queuedMs: number;
  /** Time from being sent to the answer (or failure), in ms. */
  readonly inFlightMs: number;
}

/** A first-come, first-served count of slots. */
export class Slots {
  private inUse = 0;
  private readonly waiting: (() => void)[] = [];
  private head = 0;

  /** @param max slots; at least 1. */
  constructor(readonly max: number) {
    if (!(Number.isInteger(max) && max >= 1)) throw new RangeError(`Slots: max must be a whole number of at least 1, got ${max}`);
  }

  /** Slots taken now. */
  get taken(): number {
    return this.inUse;
  }

  /** Requests waiting for a slot. */
  get queued(): number {
    return this.waiting.length - this.head;
  }

  /** Runs `work` in a slot, once one is free (in order of asking). */
  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.inUse < this.max) this.inUse++;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await work();
    } finally {
      this.release();
    }
  }

  /** Hands the slot to the next in line, or frees it. */
  private release(): void {
    if (this.head < this.waiting.length) {
      const next = this.waiting[this.head];
      this.head++;
      if (this.head > 1024 && this.head * 2 > this.waiting.length) {
        this.waiting.splice(0, this.head);
        this.head = 0;
      }
      next();
    } else this.inUse--;
  }
}

/** One identity's writes: one at a time, each sent at least its interval after the previous one was sent. */
export class WriteLane {
  private tail: Promise<unknown> = Promise.resolve();
  private lastSent = Number.NEGATIVE_INFINITY;

  constructor(private readonly now: () => number = () => performance.now()) {}

  /** Runs `send` once the previous writes are answered and `intervalMs` has passed since the last was sent. */
  run<T>(intervalMs: number, send: () => Promise<T>): Promise<T> {
    const turn = this.tail.then(async () => {
      const wait = this.lastSent + intervalMs - this.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, Math.ceil(wait)));
      this.lastSent = this.now();
      return send();
    });
    this.tail = turn.catch(() => undefined);
    return turn;
  }
}

/** Every process-wide read slot, token request slot and identity's write lane. */
const reads = new Slots(MAX_READS_IN_FLIGHT);
const tokens = new Slots(1);
const lanes = new Map<string, WriteLane>();

/** The write lane of `identity` (apiUrl and who authenticates), shared by every client of the process. */
export function writeLaneOf(identity: string): WriteLane {
  let lane = lanes.get(identity);
  if (!lane) lanes.set(identity, (lane = new WriteLane()));
  return lane;
}

/** What {@link pace} needs of a client. */
export interface PacingOptions {
  /** The identity's write lane ({@link writeLaneOf}), or a lane of its own. */
  readonly lane: WriteLane;
  /** Least time between two writes of the identity, in ms. */
  readonly writeIntervalMs: number;
  /** The process's read slots. @default the process-wide {@link MAX_READS_IN_FLIGHT} */
  readonly reads?: Slots;
  /** Told where each request's time went (benches). */
  readonly observe?: (timing: RequestTiming) => void;
}

/** An installation token request (as Octokit's throttling plugin recognises it). */
function isTokenRequest(method: string, path: string): boolean {
  return method === "POST" && /^\/app\/installations\/[^/]+\/access_tokens$/.test(path);
}

/** Sends one attempt of a request when its turn comes (see the module summary). */
export function paced<T>(options: PacingOptions, method: string, url: string, send: () => Promise<T>): Promise<T> {
  const path = new URL(url, "http://github.test").pathname;
  const kind = isTokenRequest(method, path) ? "token" : method === "GET" || method === "HEAD" ? "read" : "write";
  const { observe } = options;
  const asked = observe ? performance.now() : 0;
  let sent = 0;
  const timed = observe
    ? async () => {
        sent = performance.now();
        try {
          return await send();
        } finally {
          observe({ kind, method, path, queuedMs: sent - asked, inFlightMs: performance.now() - sent });
        }
      }
    : send;
  if (kind === "token") return tokens.run(timed);
  if (kind === "read") return (options.reads ?? reads).run(timed);
  return options.lane.run(options.writeIntervalMs, timed);
}
