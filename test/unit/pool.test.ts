// pool() of src/cli/pool.ts: bounded concurrency for seeding, export downloads and file migration.
import { describe, expect, it } from "vitest";
import { pool } from "../../src/cli/pool";

/** A promise with its resolve/reject outside. */
function deferred(): { promise: Promise<void>; resolve: () => void; reject: (e: unknown) => void } {
  let resolve!: () => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

describe("pool", () => {
  it("runs every item, at most `limit` at a time, in order of start", async () => {
    let running = 0;
    let most = 0;
    const started: number[] = [];
    await pool([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
      started.push(n);
      running++;
      most = Math.max(most, running);
      await new Promise((r) => setImmediate(r));
      running--;
    });
    expect(started).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(most).toBe(3);
    await pool([], 4, async () => {
      throw new Error("never called");
    });
  });

  it("the first failure: no further item starts, the calls running are aborted, and it is thrown once they ended", async () => {
    const started: number[] = [];
    const ended: string[] = [];
    const first = deferred();
    const run = pool([1, 2, 3, 4, 5, 6], 3, async (n, signal) => {
      started.push(n);
      if (n === 1) {
        await first.promise;
        throw new Error("item 1 failed");
      }
      // Items 2 and 3 wait until they are aborted (a download in flight).
      await new Promise<void>((_, reject) => signal.addEventListener("abort", () => {
        ended.push(`${n} aborted: ${(signal.reason as Error).message}`);
        reject(new Error(`${n} aborted`));
      }));
    });
    await new Promise((r) => setImmediate(r));
    expect(started).toEqual([1, 2, 3]);
    first.resolve();
    await expect(run).rejects.toThrow("item 1 failed");
    // Both were aborted before pool() threw, and nothing else started.
    expect(ended.sort()).toEqual(["2 aborted: item 1 failed", "3 aborted: item 1 failed"]);
    expect(started).toEqual([1, 2, 3]);
  });

  it("an outer signal stops it the same way, with the signal's reason", async () => {
    const outer = new AbortController();
    const started: number[] = [];
    const run = pool([1, 2, 3, 4], 1, async (n) => {
      started.push(n);
      if (n === 2) outer.abort(new Error("stopped by the user"));
    }, outer.signal);
    await expect(run).rejects.toThrow("stopped by the user");
    expect(started).toEqual([1, 2]);
  });
});
