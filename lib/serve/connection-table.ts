/**
 * The connection table of `serve`: who holds connections and bodies in flight, bounded globally
 * and per peer, so that no sender, slow or fast, can take the door from GitHub.
 *
 * - Connections: at most `maxConnections` at once, and `maxConnectionsPerPeer` of one peer; one
 *   more is destroyed on arrival.
 * - Bodies in flight (read but not yet whole): at most `maxBodiesInFlightPerPeer` of one peer (one
 *   more is refused before its body is read); when all `maxBodiesInFlight` are taken, a new body
 *   still gets in and the oldest body of the peer holding the most is cut: a slow body loses its
 *   place to a fast one, never the other way round.
 * - Bytes in flight: the bytes of every body being read add up to at most `maxBodyBytesInFlight`;
 *   a chunk that would pass it cuts the body holding the most bytes (perhaps its own), so a large
 *   `maxBodyBytes` cannot multiply memory by the number of bodies.
 *
 * A peer is an IPv4 address, or the /64 network of an IPv6 address (what one host is usually
 * given); an IPv4 address mapped into IPv6 counts as the IPv4 address.
 */
import { isIPv6, type Socket } from "node:net";
import { msUntil, refill, type Bucket, type Refill } from "../token-bucket";

/** The limits of a {@link ConnectionTable}. */
export interface ConnectionLimits {
  /** Connections held at once. */
  readonly maxConnections: number;
  /** Connections of one peer held at once. */
  readonly maxConnectionsPerPeer: number;
  /** Bodies being read at once. */
  readonly maxBodiesInFlight: number;
  /** Bodies of one peer being read at once. */
  readonly maxBodiesInFlightPerPeer: number;
  /** Bytes of all bodies being read, together. */
  readonly maxBodyBytesInFlight: number;
  /**
   * Addresses the per-peer limits do not apply to (GitHub's hook ranges, once known: GitHub may
   * send a burst from few addresses). @default none
   */
  readonly exempt?: (address: string) => boolean;
}

/** Why a body in flight was cut. */
export type CutReason = "slot taken by a newer body" | "bytes in flight over the limit";

/** A body being read: count its bytes with `add`, and `end` it once whole or refused. */
export interface BodyInFlight {
  /** Counts `bytes` more; false when this body was cut to keep the bytes in flight bounded. */
  add(bytes: number): boolean;
  /** Releases the body's slot and bytes; safe to call more than once. */
  end(): void;
}

interface Body extends BodyInFlight {
  readonly peer: string;
  bytes: number;
  ended: boolean;
  readonly cut: (why: CutReason) => void;
}

/** The peer a remote address counts as: the IPv4 address, or the IPv6 address's /64. */
export function peerOf(address: string | undefined): string {
  if (!address) return "unknown";
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1];
  if (!isIPv6(address)) return address;
  const [head, tail = ""] = address.split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const groups = address.includes("::") ? [...left, ...Array(8 - left.length - right.length).fill("0"), ...right] : left;
  return `${groups
    .slice(0, 4)
    .map((g) => parseInt(g, 16).toString(16))
    .join(":")}::/64`;
}

/** See the module summary. */
export class ConnectionTable {
  private connections = 0;
  private readonly connectionsOf = new Map<string, number>();
  private readonly bodies = new Set<Body>();
  private readonly bodiesOf = new Map<string, number>();
  private bytes = 0;

  constructor(private readonly limits: ConnectionLimits) {
    for (const [name, value] of Object.entries(limits))
      if (name !== "exempt" && !(Number.isInteger(value) && value >= 1))
        throw new RangeError(`ConnectionTable: ${name} must be a whole number of at least 1, got ${value}`);
  }

  /** Connections held now. */
  get connectionCount(): number {
    return this.connections;
  }

  /** Connections of `peer` (see {@link peerOf}) held now. */
  heldBy(peer: string): number {
    return this.connectionsOf.get(peer) ?? 0;
  }

  /** Bodies being read now, and their bytes. */
  get inFlight(): { bodies: number; bytes: number } {
    return { bodies: this.bodies.size, bytes: this.bytes };
  }

  /**
   * Takes a new connection into the table, to be released when it closes; false (and the caller
   * destroys it) when the table or the peer's share is full.
   */
  admit(socket: Socket): boolean {
    const peer = peerOf(socket.remoteAddress);
    const held = this.connectionsOf.get(peer) ?? 0;
    if (this.connections >= this.limits.maxConnections) return false;
    if (held >= this.limits.maxConnectionsPerPeer && !this.exempt(socket.remoteAddress)) return false;
    this.connections++;
    this.connectionsOf.set(peer, held + 1);
    socket.once("close", () => {
      this.connections--;
      const left = this.connectionsOf.get(peer)! - 1;
      if (left) this.connectionsOf.set(peer, left);
      else this.connectionsOf.delete(peer);
    });
    return true;
  }

  /**
   * A body from `address` starts: its slot, or undefined when its peer already has its share in
   * flight. When every slot is taken, the oldest body of the peer holding the most is cut (`cut`
   * of that body is called) to make room.
   */
  startBody(address: string | undefined, cut: (why: CutReason) => void): BodyInFlight | undefined {
    const peer = peerOf(address);
    if ((this.bodiesOf.get(peer) ?? 0) >= this.limits.maxBodiesInFlightPerPeer && !this.exempt(address)) return undefined;
    if (this.bodies.size >= this.limits.maxBodiesInFlight) this.evictOldestOfBusiestPeer();
    const body: Body = {
      peer,
      bytes: 0,
      ended: false,
      cut,
      add: (bytes: number): boolean => {
        if (body.ended) return false;
        body.bytes += bytes;
        this.bytes += bytes;
        while (this.bytes > this.limits.maxBodyBytesInFlight) {
          const largest = this.largest();
          this.release(largest);
          largest.cut("bytes in flight over the limit");
          if (largest === body) return false;
        }
        return true;
      },
      end: (): void => this.release(body),
    };
    this.bodies.add(body);
    this.bodiesOf.set(peer, (this.bodiesOf.get(peer) ?? 0) + 1);
    return body;
  }

  private exempt(address: string | undefined): boolean {
    return Boolean(address && this.limits.exempt?.(address));
  }

  private release(body: Body): void {
    if (body.ended) return;
    body.ended = true;
    this.bodies.delete(body);
    this.bytes -= body.bytes;
    const left = this.bodiesOf.get(body.peer)! - 1;
    if (left) this.bodiesOf.set(body.peer, left);
    else this.bodiesOf.delete(body.peer);
  }

  private largest(): Body {
    let largest: Body | undefined;
    for (const b of this.bodies) if (!largest || b.bytes > largest.bytes) largest = b;
    return largest!;
  }

  private evictOldestOfBusiestPeer(): void {
    let busiest = "";
    let most = 0;
    for (const [peer, n] of this.bodiesOf) if (n > most) [busiest, most] = [peer, n];
    // Bodies are held in the order they started: the first of the peer is its oldest.
    for (const b of this.bodies) {
      if (b.peer !== busiest) continue;
      this.release(b);
      b.cut("slot taken by a newer body");
      return;
    }
  }
}

/**
 * A rate for bytes that are read only to be thrown away (bodies drained unread): a token bucket
 * of `bytesPerSecond`, holding at most one second's worth. A body that asks more than is left
 * waits, so that all such bodies together cost serve at most that rate, however many send.
 */
export class DrainRate {
  private readonly bucket: Bucket;
  private readonly rate: Refill;

  constructor(
    private readonly bytesPerSecond: number,
    private readonly now: () => number = Date.now,
  ) {
    if (!(bytesPerSecond > 0)) throw new RangeError(`DrainRate: bytesPerSecond must be above 0, got ${bytesPerSecond}`);
    this.bucket = { tokens: bytesPerSecond, at: now() };
    this.rate = { amount: bytesPerSecond, periodMs: 1000 };
  }

  /** Takes `bytes` (the bucket may go into debt); returns how long to wait (ms) before reading more, 0 when none. */
  take(bytes: number): number {
    refill(this.bucket, this.bytesPerSecond, this.rate, this.now());
    this.bucket.tokens -= bytes;
    return msUntil(this.bucket, 0, this.rate);
  }
}
