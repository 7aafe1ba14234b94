/**
 * A bounded memory of recent keys with a time to live: what `serve` has already received (a
 * delivery id, or an organization's request id and action), so a redelivery or a replay costs
 * no call to GitHub. Both bounds hold at once: a key is forgotten after `ttlMs`, and the oldest
 * is forgotten first when more than `maxKeys` are held.
 */

/** Options of {@link RecentKeys}. */
export interface RecentKeysOptions {
  /** Keys held at most. */
  readonly maxKeys: number;
  /** How long a key is remembered, in ms. */
  readonly ttlMs: number;
  /** The clock. @default Date.now */
  readonly now?: () => number;
}

/** See the module summary. */
export class RecentKeys {
  // Insertion order is expiry order, since every key lives the same time.
  private readonly expiries = new Map<string, number>();
  private readonly now: () => number;

  constructor(private readonly options: RecentKeysOptions) {
    if (!(options.maxKeys >= 1 && options.ttlMs > 0))
      throw new RangeError(`RecentKeys: maxKeys must be at least 1 and ttlMs above 0, got ${options.maxKeys} and ${options.ttlMs}`);
    this.now = options.now ?? Date.now;
  }

  /** Adds `key`; false when it is already held (and not expired). */
  add(key: string): boolean {
    const now = this.now();
    this.prune(now);
    if (this.expiries.has(key)) return false;
    this.expiries.set(key, now + this.options.ttlMs);
    if (this.expiries.size > this.options.maxKeys) this.expiries.delete(this.expiries.keys().next().value as string);
    return true;
  }

  /** Forgets `key`, so that it may be received again (after a failure, for example). */
  delete(key: string): void {
    this.expiries.delete(key);
  }

  /** Keys held now. */
  get size(): number {
    this.prune(this.now());
    return this.expiries.size;
  }

  private prune(now: number): void {
    for (const [key, expiry] of this.expiries) {
      if (expiry > now) break;
      this.expiries.delete(key);
    }
  }
}
