import { EventEmitter } from "node:events";
import type { Socket } from "node:net";
import { ConnectionTable, DrainRate, peerOf, type CutReason } from "../../lib/serve/connection-table";
import { rangeList } from "../../lib/serve/hook-ranges";

const limits = {
  maxConnections: 4,
  maxConnectionsPerPeer: 2,
  maxBodiesInFlight: 3,
  maxBodiesInFlightPerPeer: 2,
  maxBodyBytesInFlight: 1000,
};

/** A socket as far as the table reads it: its address, and `close`. */
const socket = (remoteAddress: string) => Object.assign(new EventEmitter(), { remoteAddress }) as unknown as Socket;

describe("peerOf", () => {
  test.each([
    ["192.0.2.7", "192.0.2.7"],
    ["::ffff:192.0.2.7", "192.0.2.7"],
    ["2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"],
    ["2001:db8:1:2::9", "2001:db8:1:2::/64"],
    ["2001:db8::1", "2001:db8:0:0::/64"],
    ["::1", "0:0:0:0::/64"],
  ])("%s counts as %s", (address, peer) => {
    expect(peerOf(address)).toBe(peer);
  });
});

describe("ConnectionTable", () => {
  test("connections are bounded per peer and in all, and released on close", () => {
    // GIVEN a table of 4 connections, 2 a peer
    const table = new ConnectionTable(limits);
    const a = [socket("192.0.2.1"), socket("192.0.2.1"), socket("192.0.2.1")];
    // WHEN one peer opens three
    const admitted = a.map((s) => table.admit(s));
    // THEN the third is refused, and another peer still gets in up to the total
    expect(admitted).toEqual([true, true, false]);
    expect([socket("192.0.2.2"), socket("192.0.2.2"), socket("192.0.2.3")].map((s) => table.admit(s))).toEqual([true, true, false]);
    // AND a closed connection frees its place
    a[0].emit("close");
    expect(table.admit(socket("192.0.2.3"))).toBe(true);
    expect(table.connectionCount).toBe(4);
  });

  test("a full table cuts the oldest body of the busiest peer for a new one; a peer over its share is refused", () => {
    const table = new ConnectionTable(limits);
    const cuts: string[] = [];
    const start = (address: string, name: string) => table.startBody(address, () => cuts.push(name));
    start("192.0.2.1", "slow-1");
    start("192.0.2.1", "slow-2");
    // a peer at its share gets no third body
    expect(start("192.0.2.1", "slow-3")).toBeUndefined();
    start("192.0.2.2", "other-1");
    // WHEN a fourth body arrives with every slot taken
    const real = start("192.30.252.1", "real");
    // THEN it gets in, and the slow peer's oldest body was cut for it
    expect(real).toBeDefined();
    expect(cuts).toEqual(["slow-1"]);
    expect(table.inFlight.bodies).toBe(3);
  });

  test("bytes in flight stay under the limit: the body holding the most is cut, perhaps the one growing", () => {
    const table = new ConnectionTable(limits);
    const cuts: [string, CutReason][] = [];
    const big = table.startBody("192.0.2.1", (why) => cuts.push(["big", why]))!;
    const small = table.startBody("192.0.2.2", (why) => cuts.push(["small", why]))!;
    expect(big.add(900)).toBe(true);
    // WHEN a small body's chunk would take the sum over 1000
    expect(small.add(200)).toBe(true);
    // THEN the big one is cut and its bytes released
    expect(cuts).toEqual([["big", "bytes in flight over the limit"]]);
    expect(table.inFlight).toEqual({ bodies: 1, bytes: 200 });
    // AND a body that alone passes the limit is cut itself
    expect(small.add(900)).toBe(false);
    expect(table.inFlight).toEqual({ bodies: 0, bytes: 0 });
    // ending twice releases once
    small.end();
    big.end();
    expect(table.inFlight).toEqual({ bodies: 0, bytes: 0 });
  });

  test("exempt addresses (GitHub's) are held to the global limits only", () => {
    const table = new ConnectionTable({ ...limits, exempt: (a) => a.startsWith("192.30.252.") });
    expect([1, 2, 3].map(() => table.admit(socket("192.30.252.9")))).toEqual([true, true, true]);
    expect([1, 2, 3].map(() => table.startBody("192.30.252.9", () => undefined) !== undefined)).toEqual([true, true, true]);
    expect(table.admit(socket("192.0.2.1"))).toBe(true);
    expect(table.admit(socket("192.30.252.9"))).toBe(false);
  });

  test("fails when a limit is not a whole number of at least 1", () => {
    expect(() => new ConnectionTable({ ...limits, maxConnectionsPerPeer: 0 })).toThrow(
      "ConnectionTable: maxConnectionsPerPeer must be a whole number of at least 1, got 0",
    );
  });
});

describe("rangeList", () => {
  test("holds GitHub's IPv4 and IPv6 hook ranges", () => {
    const list = rangeList(["192.30.252.0/22", "2606:50c0::/32"]);
    expect(list.check("192.30.253.9", "ipv4")).toBe(true);
    expect(list.check("192.30.248.1", "ipv4")).toBe(false);
    expect(list.check("2606:50c0:1::1", "ipv6")).toBe(true);
    expect(list.check("2606:50c1::1", "ipv6")).toBe(false);
  });

  test.each(["192.30.252.0", "192.30.252.0/33", "github.com/22", "2606:50c0::/129"])(
    "fails when a range is not a CIDR block: %s",
    (range) => {
      expect(() => rangeList([range])).toThrow(`GitHub's meta lists a hook range that is not a CIDR block: ${JSON.stringify(range)}`);
    },
  );
});

describe("DrainRate", () => {
  test("lets a second's worth through at once, then makes readers wait in proportion", () => {
    let now = 0;
    const rate = new DrainRate(1000, () => now);
    expect(rate.take(1000)).toBe(0);
    // nothing left: 500 more bytes wait half a second
    expect(rate.take(500)).toBe(500);
    now += 1500;
    // refilled to one second's worth at most, minus the 500 owed
    expect(rate.take(400)).toBe(0);
  });
});
