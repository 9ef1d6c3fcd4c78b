/// <reference types="vite/client" />
// convex/migration.ts on convex-test's in-memory backend: importBatch (the secret, last-writer-wins
// through the push endpoint's write path, idempotency, conflicts kept, the checks naming the field)
// and the page query (paging, tombstones left out). The answers are read back with the CLI's own
// parsers (parsePushResponse, parsePageAnswer), so both ends agree on the format.
import { convexTest } from "convex-test";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { api, internal } from "../../convex/_generated/api";
import schema from "../../convex/schema";
import { parsePageAnswer, planImport } from "../../src/domain/migration";
import { CONVEX_MUTATION_DOCS, parsePushResponse, type PushStatus, type SyncChange } from "../../src/domain/sync";

const modules = import.meta.glob("../../convex/**/*.*s");
const SECRET = "migration-secret-0123456789ab";

type T = ReturnType<typeof convexTest>;

const T1 = "2026-11-24 10:00:00.000Z";
const T2 = "2026-11-24 10:05:00.000Z";

/** {a:{a:...}} `depth` levels deep. */
const nested = (depth: number): Record<string, unknown> => (depth <= 1 ? { a: 1 } : { a: nested(depth - 1) });

const job = (id: string, updated: string, record: Record<string, unknown> = { title: `Job ${id}`, status: "pending" }): SyncChange => ({
  collection: "jobs", id, op: "upsert", updated, record,
});

let t: T;
beforeEach(() => {
  vi.stubEnv("CONVEX_SYNC_SECRET", SECRET);
  t = convexTest(schema, modules);
});
afterEach(() => {
  vi.unstubAllEnvs();
});

async function refusal(p: Promise<unknown>): Promise<{ code: string; message: string; field?: string }> {
  try {
    await p;
  } catch (e) {
    return (e as { data: { code: string; message: string; field?: string } }).data;
  }
  throw new Error("expected the call to fail");
}

const importBatch = (changes: unknown[], over: Record<string, unknown> = {}) =>
  t.mutation(api.migration.importBatch, { secret: SECRET, collection: "jobs", changes, ...over });

async function importOk(changes: SyncChange[]): Promise<PushStatus[]> {
  const answer = (await importBatch(changes)) as { results: unknown };
  return parsePushResponse(answer, changes).map((r) => r.status);
}

const stored = (collection: string, pbId: string) => t.query(internal.sync.getRecord, { collection, pbId });
const pull = (since = 0) => t.query(internal.sync.pullChanges, { since, limit: 100, origin: "convex" });

describe("migration:importBatch", () => {
  it("refuses a wrong or missing deployment secret and writes nothing", async () => {
    expect(await refusal(importBatch([job("a", T1)], { secret: "wrong" }))).toEqual({ code: "unauthorized", message: "secret: wrong CONVEX_SYNC_SECRET" });
    vi.stubEnv("CONVEX_SYNC_SECRET", "");
    expect((await refusal(importBatch([job("a", T1)], { secret: "" }))).message).toContain("CONVEX_SYNC_SECRET is not set");
    vi.stubEnv("CONVEX_SYNC_SECRET", SECRET);
    expect(await stored("jobs", "a")).toBeNull();
  });

  it("stores records as pushed versions (origin pocketbase, in the change feed), idempotently", async () => {
    const batch = [job("a", T1), job("b", T1)];
    expect(await importOk(batch)).toEqual(["applied", "applied"]);
    expect(await stored("jobs", "a")).toMatchObject({ pbId: "a", updated: T1, deleted: false, origin: "pocketbase", record: { title: "Job a" } });
    // The same batch again (a resumed import) writes nothing.
    const before = await t.run(async (ctx) => (await ctx.db.query("jobs").collect()).map((d) => [d._id, d.seq]));
    expect(await importOk(batch)).toEqual(["skipped", "skipped"]);
    expect(await t.run(async (ctx) => (await ctx.db.query("jobs").collect()).map((d) => [d._id, d.seq]))).toEqual(before);
    // In the feed, but not echoed back to the office server (pulls by "pocketbase" leave them out).
    expect((await pull()).changes.map((c: SyncChange) => c.id)).toEqual(["a", "b"]);
    expect((await t.query(internal.sync.pullChanges, { since: 0, limit: 100, origin: "pocketbase" })).changes).toEqual([]);
  });

  it("last writer wins: a newer import updates, an older one loses to a Convex-side write and is kept as a conflict", async () => {
    expect(await importOk([job("a", T1)])).toEqual(["applied"]);
    expect(await importOk([job("a", T2, { title: "newer", status: "scheduled" })])).toEqual(["applied"]);
    expect((await stored("jobs", "a"))!.record).toEqual({ title: "newer", status: "scheduled" });
    await t.mutation(internal.sync.writeRecord, { collection: "jobs", pbId: "c", record: { title: "from Convex" }, updated: T2 });
    expect(await importOk([job("c", T1, { title: "older office copy" })])).toEqual(["conflict"]);
    expect((await stored("jobs", "c"))!.record).toEqual({ title: "from Convex" });
    const conflicts = await t.run(async (ctx) => ctx.db.query("sync_conflicts").collect());
    expect(conflicts).toHaveLength(1);
    expect(conflicts[0]).toMatchObject({ collection: "jobs", pbId: "c", winner: "stored" });
    // Replayed: no second conflict note.
    expect(await importOk([job("c", T1, { title: "older office copy" })])).toEqual(["conflict"]);
    expect(await t.run(async (ctx) => ctx.db.query("sync_conflicts").collect())).toHaveLength(1);
  });

  it.each([
    ["an unknown collection", { collection: "users" }, [job("a", T1)], "collection"],
    ["a change of another collection", {}, [{ ...job("a", T1), collection: "contacts" }], "changes[0].collection"],
    ["a bad clock", {}, [job("a", T1), { ...job("b", T1), updated: "soon" }], "changes[1].updated"],
    // (A "$" field name never gets here: the client's convexToJson refuses it before sending.)
    ["a value Convex cannot store", {}, [job("a", T1, { deep: nested(17) })], `changes[0].record${".deep".concat(".a".repeat(15))}`],
    ["too many changes", {}, Array.from({ length: CONVEX_MUTATION_DOCS + 1 }, (_, i) => job(`j${i}`, T1)), "changes"],
    ["not an array", {}, "x" as unknown as unknown[], "changes"],
  ])("refuses %s naming the field, and writes nothing", async (_, over, changes, field) => {
    const e = await refusal(importBatch(changes as unknown[], over));
    expect(e.code).toBe("bad_request");
    expect(e.field).toBe(field);
    expect(e.message.startsWith(`${field}: `)).toBe(true);
    expect(await t.run(async (ctx) => ctx.db.query("jobs").collect())).toEqual([]);
  });

  it("takes the CLI's planned batches as they are", async () => {
    const records = Array.from({ length: 130 }, (_, i) => ({ id: `r${String(i).padStart(3, "0")}`, updated: T1, title: `t${i}`, collectionName: "jobs" }));
    const plan = planImport("jobs", records);
    expect(plan.batches.length).toBe(2);
    for (const b of plan.batches) expect(new Set(await importOk(b.changes))).toEqual(new Set(["applied"]));
    expect(await t.run(async (ctx) => (await ctx.db.query("jobs").collect()).length)).toBe(130);
  });
});

describe("migration:page", () => {
  const page = (cursor: string | null, numItems: number, over: Record<string, unknown> = {}) =>
    t.query(api.migration.page, { secret: SECRET, collection: "jobs", cursor, numItems, ...over });

  it("pages through the live records; tombstones and other tables are left out", async () => {
    await importOk(Array.from({ length: 7 }, (_, i) => job(`j${i}`, T1, { n: i })));
    await t.mutation(internal.sync.writeRecord, { collection: "jobs", pbId: "j3", record: null, updated: T2 });
    await t.mutation(api.migration.importBatch, { secret: SECRET, collection: "contacts", changes: [{ ...job("c1", T1), collection: "contacts" }] });
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 10; i++) {
      const answer = parsePageAnswer(await page(cursor, 3));
      expect(answer.records.length).toBeLessThanOrEqual(3);
      for (const r of answer.records) {
        seen.push(r.id);
        expect(r).toEqual({ id: r.id, updated: T1, record: { n: Number(r.id.slice(1)) } });
      }
      if (answer.isDone) break;
      cursor = answer.continueCursor;
    }
    expect(seen.sort()).toEqual(["j0", "j1", "j2", "j4", "j5", "j6"]);
  });

  it("refuses a wrong secret, an unknown collection and a bad page size", async () => {
    expect((await refusal(page(null, 10, { secret: "nope" }))).code).toBe("unauthorized");
    expect((await refusal(page(null, 10, { collection: "sync_state" }))).field).toBe("collection");
    expect((await refusal(page(null, 0))).field).toBe("numItems");
    expect((await refusal(page(null, 1.5))).field).toBe("numItems");
    expect((await refusal(page(null, 5000))).field).toBe("numItems");
  });
});
