/**
 * A token bucket, the one refill rule behind every rate in the engines: the member page's sign-in
 * limits (`lib/member/rate-limit.ts`) and serve's rate for bodies drained unread
 * (`lib/serve/connection-table.ts`). A bucket gains `amount` tokens every `periodMs`, continuously,
 * and never holds more than its capacity; what a caller does with an empty bucket (refuse, or
 * run into debt and wait) is the caller's.
 */

/** A bucket's level and when it was last refilled (milliseconds). */
export interface Bucket {
  tokens: number;
  at: number;
}

/** How fast a bucket fills: `amount` tokens every `periodMs`. */
export interface Refill {
  readonly amount: number;
  readonly periodMs: number;
}

/** Adds what `bucket` gained from its last refill until `now`, up to `capacity`. */
export function refill(bucket: Bucket, capacity: number, rate: Refill, now: number): void {
  bucket.tokens = Math.min(capacity, bucket.tokens + ((now - bucket.at) * rate.amount) / rate.periodMs);
  bucket.at = now;
}

/** Milliseconds until `bucket` holds `level` tokens: 0 when it does. */
export function msUntil(bucket: Bucket, level: number, rate: Refill): number {
  return bucket.tokens >= level ? 0 : Math.ceil(((level - bucket.tokens) * rate.periodMs) / rate.amount);
}
