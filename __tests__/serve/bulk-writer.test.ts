import { BulkWriter } from "../../lib/serve/bulk-writer";
import type { RequestDecision } from "../../lib/review/decide";

const decision = (requestId: number): RequestDecision => ({
  requestId,
  owner: "o",
  tokenName: "t",
  action: "approve",
  decidedBy: { kind: "rule", name: "r" },
  reason: "ok",
});

/** A write that records its decisions and, the first time, waits until released. */
function heldWrite(failOnCall?: number) {
  const writes: number[][] = [];
  let release!: () => void;
  let started!: () => void;
  const firstStarted = new Promise<void>((r) => (started = r));
  const write = async (ds: RequestDecision[]) => {
    writes.push(ds.map((d) => d.requestId));
    if (writes.length === 1) {
      started();
      await new Promise<void>((r) => (release = r));
    }
    if (writes.length === failOnCall) throw new Error("GitHub refused it");
  };
  return { writes, write, firstStarted, release: () => release() };
}

describe("BulkWriter", () => {
  test("batches handed in together are one write", async () => {
    const writes: number[][] = [];
    const writer = new BulkWriter(async (ds) => void writes.push(ds.map((d) => d.requestId)));
    await Promise.all([writer.add([decision(1)]), writer.add([decision(2), decision(3)])]);
    expect(writes).toEqual([[1, 2, 3]]);
  });

  test("decisions handed in while a write is under way go out together in the next write", async () => {
    // GIVEN a write under way
    const w = heldWrite();
    const writer = new BulkWriter(w.write);
    const first = writer.add([decision(1)]);
    await w.firstStarted;
    // WHEN three batches arrive meanwhile
    const later = [writer.add([decision(2)]), writer.add([decision(3), decision(4)]), writer.add([decision(5)])];
    w.release();
    await Promise.all([first, ...later]);
    // THEN the three are one write
    expect(w.writes).toEqual([[1], [2, 3, 4, 5]]);
  });

  test("one call's worth a write, oldest first: a batch is settled when its own call is answered", async () => {
    // GIVEN a write under way, and 250 decisions of three batches handed in meanwhile
    const w = heldWrite();
    const writer = new BulkWriter(w.write);
    const first = writer.add([decision(0)]);
    await w.firstStarted;
    const settled: number[] = [];
    const batches = [100, 100, 50].map((n, b) =>
      writer.add(Array.from({ length: n }, (_, i) => decision(1000 * (b + 1) + i))).then(() => void settled.push(b)),
    );
    w.release();
    await Promise.all([first, ...batches]);
    // THEN each write carried 100 ids at most, in the order handed in, each batch settled after its own
    expect(w.writes.map((ids) => ids.length)).toEqual([1, 100, 100, 50]);
    expect(w.writes[1][0]).toBe(1000);
    expect(settled).toEqual([0, 1, 2]);
  });

  test("a failed write rejects every batch it carried, and the next write still runs", async () => {
    const w = heldWrite(2);
    const writer = new BulkWriter(w.write);
    const first = writer.add([decision(1)]);
    await w.firstStarted;
    const failing = [writer.add([decision(2)]), writer.add([decision(3)])];
    w.release();
    await first;
    await expect(Promise.all(failing)).rejects.toThrow("GitHub refused it");
    await expect(writer.add([decision(4)])).resolves.toBeUndefined();
    expect(w.writes).toEqual([[1], [2, 3], [4]]);
  });

  test("a write of fewer than 100 waits for the batches being read, and carries their decisions", async () => {
    // GIVEN two batches being read
    const writes: number[][] = [];
    const reads = [1, 2].map(() => {
      let done!: () => void;
      return { promise: new Promise<void>((r) => (done = r)), done: () => done() };
    });
    const reading = new Set<Promise<void>>(reads.map((r) => r.promise));
    const writer = new BulkWriter(async (ds) => void writes.push(ds.map((d) => d.requestId)), { reading: () => [...reading] });
    // WHEN a third batch hands in its decisions, and then the two are read and hand in theirs
    const first = writer.add([decision(1)]);
    await new Promise((r) => setImmediate(r));
    const later = reads.map((r, i) =>
      r.promise.then(() => {
        reading.delete(r.promise);
        return writer.add([decision(i + 2)]);
      }),
    );
    reads[1].done();
    reads[0].done();
    await Promise.all([first, ...later]);
    // THEN the three went in one write
    expect(writes).toEqual([[1, 3, 2]]);
  });

  test("a write of 100 does not wait for the batches being read", async () => {
    // GIVEN a batch being read that never ends
    const writes: number[][] = [];
    const writer = new BulkWriter(async (ds) => void writes.push(ds.map((d) => d.requestId)), { reading: () => [new Promise(() => {})] });
    // WHEN 100 decisions are handed in THEN they are written at once
    await writer.add(Array.from({ length: 100 }, (_, i) => decision(i)));
    expect(writes).toHaveLength(1);
  });

  test("while a batch is still being read, ids past the last whole hundred wait for the next write", async () => {
    // GIVEN a batch being read
    const writes: number[][] = [];
    let readDone!: () => void;
    const read = new Promise<void>((r) => (readDone = r));
    const reading = new Set([read]);
    const writer = new BulkWriter(async (ds) => void writes.push(ds.map((d) => d.requestId)), {
      reading: () => [...reading],
      holdMs: 60_000,
    });
    // WHEN 150 decisions are handed in
    let firstDone = false;
    const first = writer.add(Array.from({ length: 150 }, (_, i) => decision(i))).then(() => (firstDone = true));
    await new Promise((r) => setTimeout(r, 10));
    // THEN 100 are written, and the other 50 wait: their batch is not done
    expect(writes.map((w) => w.length)).toEqual([100]);
    expect(firstDone).toBe(false);
    // WHEN the batch being read hands in 50 more
    reading.delete(read);
    readDone();
    await writer.add(Array.from({ length: 50 }, (_, i) => decision(1000 + i)));
    await first;
    // THEN the 50 went with them: 200 ids in two calls, not three
    expect(writes.map((w) => w.length)).toEqual([100, 100]);
  });

  test("with deliveries queued, decisions under a whole hundred are held for more, at most the hold", async () => {
    // GIVEN deliveries waiting for their batch, and a hold of 50 ms
    const writes: { ids: number; at: number }[] = [];
    const writer = new BulkWriter(async (ds) => void writes.push({ ids: ds.length, at: Date.now() }), { queued: () => true, holdMs: 50 });
    // WHEN 30 decisions are handed in, and then 80 more
    const started = Date.now();
    const first = writer.add(Array.from({ length: 30 }, (_, i) => decision(i)));
    await new Promise((r) => setTimeout(r, 5));
    expect(writes).toEqual([]);
    const second = writer.add(Array.from({ length: 80 }, (_, i) => decision(100 + i)));
    // THEN the first whole hundred goes at once, and the 10 past it when the hold of the first of them ends
    await Promise.all([first, second]);
    expect(writes.map((w) => w.ids)).toEqual([100, 10]);
    expect(writes[1].at - started).toBeGreaterThanOrEqual(49);
  });
});
