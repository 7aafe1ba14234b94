import { BulkWriter } from "../../lib/serve/bulk-writer";
import type { DecisionRecord } from "../../lib/review/decide";

const decision = (requestId: number): DecisionRecord => ({ requestId, owner: "o", tokenName: "t", action: "approve", rule: "r", reason: "ok" });

describe("BulkWriter", () => {
  test("decisions handed in while a write is under way go out together in the next write", async () => {
    // GIVEN a write that waits until released
    const writes: number[][] = [];
    let release!: () => void;
    const writer = new BulkWriter(async (ds) => {
      writes.push(ds.map((d) => d.requestId));
      if (writes.length === 1) await new Promise<void>((r) => (release = r));
    });
    // WHEN one batch is written and three more arrive meanwhile
    const first = writer.add([decision(1)]);
    const later = [writer.add([decision(2)]), writer.add([decision(3), decision(4)]), writer.add([decision(5)])];
    release();
    await Promise.all([first, ...later]);
    // THEN the three are one write
    expect(writes).toEqual([[1], [2, 3, 4, 5]]);
  });

  test("a failed write rejects every batch it carried, and the next write still runs", async () => {
    let calls = 0;
    let release!: () => void;
    const writer = new BulkWriter(async () => {
      calls++;
      if (calls === 1) await new Promise<void>((r) => (release = r));
      if (calls === 2) throw new Error("GitHub refused it");
    });
    const first = writer.add([decision(1)]);
    const failing = [writer.add([decision(2)]), writer.add([decision(3)])];
    release();
    await first;
    await expect(Promise.all(failing)).rejects.toThrow("GitHub refused it");
    await expect(writer.add([decision(4)])).resolves.toBeUndefined();
    expect(calls).toBe(3);
  });
});
