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
});
