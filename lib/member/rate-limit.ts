/**
 * How often the member page lets anyone start a sign-in or read an answer: a token bucket per
 * peer and one for everybody together. A bucket holds `burst` tokens and gains `perMinute` a
 * minute; each request takes one, and a request that finds its peer's or the global bucket empty
 * is told how long to wait. Memory is bounded: at most `maxPeers` buckets are kept, a bucket that
 * has filled up again is the same as a new one and is dropped, and when the table is full of
 * buckets still in use a new peer is refused rather than let in unmetered. The refill rule is
 * `lib/token-bucket.ts`'s.
 */
import { msUntil, refill as refillBucket, type Bucket } from "../token-bucket";

/** One bucket's size and refill. */
export interface Rate {
  /** Requests allowed at once. */
  readonly burst: number;
  /** Requests regained per minute. */
  readonly perMinute: number;
}

/** Options of {@link RateLimit}. */
export interface RateLimitOptions {
  /** Each peer's bucket. */
  readonly perPeer: Rate;
  /** Everybody's bucket. */
  readonly global: Rate;
  /** Peers tracked at once. @default 10000 */
  readonly maxPeers?: number;
  /** The present, in milliseconds. @default Date.now */
  readonly now?: () => number;
}

/** Buckets looked at to make room for a new peer. */
const SCAN = 64;

/** See the module summary. */
export class RateLimit {
  private readonly peers = new Map<string, Bucket>();
  private readonly all: Bucket;
  private readonly now: () => number;
  private readonly maxPeers: number;

  constructor(private readonly options: RateLimitOptions) {
    for (const [what, r] of [
      ["perPeer", options.perPeer],
      ["global", options.global],
    ] as const)
      if (!(Number.isInteger(r.burst) && r.burst >= 1 && r.perMinute > 0))
        throw new RangeError(`RateLimit: ${what} needs a whole burst of at least 1 and a perMinute above 0, got ${JSON.stringify(r)}`);
    this.now = options.now ?? Date.now;
    this.maxPeers = options.maxPeers ?? 10_000;
    this.all = { tokens: options.global.burst, at: this.now() };
  }

  /** Peers tracked now. */
  get size(): number {
    return this.peers.size;
  }

  /**
   * Takes one request of `peer`: 0 when it may go ahead, else the milliseconds until it may. A
   * refused request takes nothing.
   */
  take(peer: string): number {
    const now = this.now();
    refill(this.all, this.options.global, now);
    let bucket = this.peers.get(peer);
    if (bucket) refill(bucket, this.options.perPeer, now);
    else {
      if (this.peers.size >= this.maxPeers) this.dropFull(now);
      if (this.peers.size >= this.maxPeers) return waitFor(this.options.perPeer);
      bucket = { tokens: this.options.perPeer.burst, at: now };
    }
    const wait = Math.max(untilOne(bucket, this.options.perPeer), untilOne(this.all, this.options.global));
    if (wait > 0) return wait;
    bucket.tokens -= 1;
    this.all.tokens -= 1;
    // Re-inserted, so the map's order is least recently used first.
    this.peers.delete(peer);
    this.peers.set(peer, bucket);
    return 0;
  }

  /**
   * Drops buckets that have filled up again (a full bucket is the same as none), looking at the
   * least recently used {@link SCAN} only, so that a full table costs a new peer little.
   */
  private dropFull(now: number): void {
    let looked = 0;
    for (const [peer, bucket] of this.peers) {
      if (looked++ >= SCAN) break;
      refill(bucket, this.options.perPeer, now);
      if (bucket.tokens >= this.options.perPeer.burst) this.peers.delete(peer);
    }
  }
}

/** `bucket` refilled at `rate` until `now`. */
function refill(bucket: Bucket, rate: Rate, now: number): void {
  refillBucket(bucket, rate.burst, { amount: rate.perMinute, periodMs: 60_000 }, now);
}

/** Milliseconds until `bucket` holds a whole token. */
function untilOne(bucket: Bucket, rate: Rate): number {
  return msUntil(bucket, 1, { amount: rate.perMinute, periodMs: 60_000 });
}

function waitFor(rate: Rate): number {
  return Math.ceil(60_000 / rate.perMinute);
}
