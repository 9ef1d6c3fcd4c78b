/// <reference types="vite/client" />
// The Convex side of the wire contract (convex/http.ts, convex/sync.ts) on convex-test's in-memory
// backend: push (applied / skipped / conflict, idempotency, ties, deletes, chunking), pull (paging,
// cursor, limit, no echo), and the 401 / 400 answers. Every answer is also read back with the office
// server's own parsers (parsePushResponse / parsePullResponse), so both ends agree on the format.
import { convexTest } from "convex-test";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import schema from "../../convex/schema";
import { internal } from "../../convex/_generated/api";
import {
  compareVersions, parsePullResponse, parsePushResponse, type PushStatus, type SyncChange, type SyncVersion,
} from "../../src/domain/sync";

const modules = import.meta.glob("../../convex/**/*.*s");
const SECRET = "test-secret-0123456789abcdef";
const AUTH = { Authorization: `Bearer ${SECRET}` };

type T = ReturnType<typeof convexTest>;

const T1 = "2026-11-24 10:00:00.000Z";
const T2 = "2026-11-24 10:05:00.000Z";
const T3 = "2026-11-24 10:10:00.000Z";

const job = (id: string, updated: string, record: Record<string, unknown> | null = { title: `Job ${id}`, status: "pending" }): SyncChange => ({
  collection: "jobs", id, op: record === null ? "delete" : "upsert", updated, record,
});

async function push(t: T, changes: unknown, headers: Record<string, string> = AUTH): Promise<Response> {
  return t.fetch("/pocketbase/push", { method: "POST", headers: { "Content-Type": "application/json", ...headers }, body: JSON.stringify({ changes }) });
}

/** Pushes and returns the statuses, checking the answer with the office server's parser. */
async function pushOk(t: T, changes: SyncChange[]): Promise<PushStatus[]> {
  const res = await push(t, changes);
  expect(res.status).toBe(200);
  return parsePushResponse(await res.json(), changes).map((r) => r.status);
}

async function pull(t: T, query = "", headers: Record<string, string> = AUTH): Promise<Response> {
  return t.fetch(`/pocketbase/pull${query ? `?${query}` : ""}`, { method: "GET", headers });
}

async function pullOk(t: T, query = "") {
  const res = await pull(t, query);
  expect(res.status).toBe(200);
  return parsePullResponse(await res.json());
}

/** Pulls every page from `since` on; returns the changes and the final cursor. */
async function pullAll(t: T, since = "", limit = 2) {
  const changes: SyncChange[] = [];
  let cursor = since;
  for (let i = 0; i < 100; i++) {
    const page = await pullOk(t, `since=${cursor}&limit=${limit}`);
    expect(page.changes.length).toBeLessThanOrEqual(limit);
    changes.push(...page.changes);
    if (page.cursor === (cursor || "0")) return { changes, cursor: page.cursor };
    expect(Number(page.cursor)).toBeGreaterThan(Number(cursor || "0"));
    cursor = page.cursor;
  }
  throw new Error("pull did not finish");
}

const stored = (t: T, collection: string, pbId: string) => t.query(internal.sync.getRecord, { collection, pbId });
const conflicts = (t: T) => t.run(async (ctx) => ctx.db.query("sync_conflicts").collect());
const seq = (t: T) => t.run(async (ctx) => (await ctx.db.query("sync_state").collect()).find((r) => r.key === "seq")?.value ?? 0);

let t: T;
beforeEach(() => {
  vi.stubEnv("CONVEX_SYNC_SECRET", SECRET);
  t = convexTest(schema, modules);
});
afterEach(() => {
  vi.unstubAllEnvs();
});

describe("POST /pocketbase/push: authentication", () => {
  it.each([
    ["no Authorization header", {}],
    ["a wrong secret", { Authorization: "Bearer wrong-secret-0123456789abc" }],
    ["the secret without Bearer", { Authorization: SECRET }],
    ["a lower-case scheme", { Authorization: `bearer ${SECRET}` }],
  ])("answers 401 for %s and writes nothing", async (_, headers) => {
    const res = await push(t, [job("a", T1)], headers as Record<string, string>);
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ code: "unauthorized" });
    expect(await stored(t, "jobs", "a")).toBeNull();
  });

  it("answers 401 on pull too", async () => {
    expect((await pull(t, "", {})).status).toBe(401);
    expect((await pull(t, "", { Authorization: "Bearer nope" })).status).toBe(401);
  });

  it("answers 500 naming the variable when the deployment has no secret (never accepts everyone)", async () => {
    vi.stubEnv("CONVEX_SYNC_SECRET", "");
    const res = await push(t, [job("a", T1)], { Authorization: "Bearer " });
    expect(res.status).toBe(500);
    expect((await res.json()).message).toContain("CONVEX_SYNC_SECRET is not set");
    expect(await stored(t, "jobs", "a")).toBeNull();
  });
});

describe("POST /pocketbase/push: bad bodies answer 400 naming the field", () => {
  const send = (body: string) => t.fetch("/pocketbase/push", { method: "POST", headers: AUTH, body });
  it.each([
    ["not JSON", "{changes:", "body", "body: not valid JSON"],
    ["an array", "[]", "body", 'body: expected {"changes":[...]}, got an array'],
    ["no changes", "{}", "changes", "changes: expected an array of changes, got undefined undefined"],
    ["a bad date in the 4th change", JSON.stringify({ changes: [job("a", T1), job("b", T1), job("c", T1), { ...job("d", T1), updated: "soon" }] }),
      "changes[3].updated", 'changes[3].updated: expected a date-time with a time zone such as "2026-11-24 10:00:00.000Z", got "soon"'],
    ["an unknown collection", JSON.stringify({ changes: [{ ...job("a", T1), collection: "users" }] }), "changes[0].collection", "changes[0].collection: expected one of"],
    ["a field Convex cannot store", JSON.stringify({ changes: [job("a", T1, { ocrData: { $x: 1 } })] }), 'changes[0].record.ocrData["$x"]', "reserved in Convex"],
    ["too many changes", JSON.stringify({ changes: Array.from({ length: 1001 }, (_, i) => job(`j${i}`, T1)) }), "changes", "changes: 1001 changes, at most 1000 per request"],
  ])("%s", async (_, body, field, message) => {
    const res = await send(body);
    expect(res.status).toBe(400);
    const answer = await res.json();
    expect(answer.code).toBe("bad_request");
    expect(answer.field).toBe(field);
    expect(answer.message).toContain(message);
    expect(await t.run(async (ctx) => ctx.db.query("jobs").collect())).toEqual([]); // nothing half-applied
  });

  it("a record over 1 MB answers 400 naming it", async () => {
    const res = await send(JSON.stringify({ changes: [job("a", T1), job("b", T1, { notes: "x".repeat(1_000_001) })] }));
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ field: "changes[1].record" });
  });

  it("a body over 8 MB answers 413", async () => {
    const changes = Array.from({ length: 9 }, (_, i) => job(`big${i}`, T1, { notes: "x".repeat(950_000) }));
    const res = await push(t, changes);
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ code: "too_large", field: "body" });
  });
});

describe("POST /pocketbase/push: last writer wins", () => {
  it("applies new records, one result per change in order, and stores the PocketBase id", async () => {
    const changes = [job("a", T1), { ...job("c1", T1, { name: "Jan Kowalski" }), collection: "contacts" as const }, job("b", T1)];
    expect(await pushOk(t, changes)).toEqual(["applied", "applied", "applied"]);
    expect(await stored(t, "jobs", "a")).toMatchObject({ pbId: "a", updated: T1, deleted: false, record: { title: "Job a" }, origin: "pocketbase" });
    expect(await stored(t, "contacts", "c1")).toMatchObject({ pbId: "c1", record: { name: "Jan Kowalski" } });
  });

  it("is idempotent: the same batch again answers skipped and writes nothing", async () => {
    const batch = [job("a", T1), job("b", T2), job("c", T1, null)];
    expect(await pushOk(t, batch)).toEqual(["applied", "applied", "applied"]);
    const before = await t.run(async (ctx) => ctx.db.query("jobs").collect());
    const seqBefore = await seq(t);
    expect(await pushOk(t, batch)).toEqual(["skipped", "skipped", "skipped"]);
    expect(await t.run(async (ctx) => ctx.db.query("jobs").collect())).toEqual(before);
    expect(await seq(t)).toBe(seqBefore);
  });

  it("a newer version replaces, an older one from the same origin is skipped (superseded on its way)", async () => {
    await pushOk(t, [job("a", T2, { title: "v2" })]);
    expect(await pushOk(t, [job("a", T1, { title: "v1" })])).toEqual(["skipped"]);
    expect(await pushOk(t, [job("a", T3, { title: "v3" })])).toEqual(["applied"]);
    expect((await stored(t, "jobs", "a"))?.record).toEqual({ title: "v3" });
    expect(await conflicts(t)).toEqual([]);
  });

  it("the same record twice in one batch: the later version wins whatever the order", async () => {
    expect(await pushOk(t, [job("a", T2, { title: "new" }), job("a", T1, { title: "old" })])).toEqual(["applied", "skipped"]);
    expect((await stored(t, "jobs", "a"))?.record).toEqual({ title: "new" });
  });

  it("an older push against a newer Convex edit is a conflict: Convex's version stays, both are kept for review", async () => {
    await t.mutation(internal.sync.writeRecord, { collection: "jobs", pbId: "a", record: { title: "edited on Convex" }, updated: T2 });
    expect(await pushOk(t, [job("a", T1, { title: "edited in the office" })])).toEqual(["conflict"]);
    expect((await stored(t, "jobs", "a"))?.record).toEqual({ title: "edited on Convex" });
    const filed = await conflicts(t);
    expect(filed).toHaveLength(1);
    expect(filed[0]).toMatchObject({
      collection: "jobs", pbId: "a", winner: "stored", resolved: false,
      incoming: { updated: T1, record: { title: "edited in the office" }, origin: "pocketbase" },
      stored: { updated: T2, record: { title: "edited on Convex" }, origin: "convex" },
    });
    // The office server retries the same batch (e.g. after a timeout): same answer, no second entry.
    expect(await pushOk(t, [job("a", T1, { title: "edited in the office" })])).toEqual(["conflict"]);
    expect(await conflicts(t)).toHaveLength(1);
    expect(await t.query(internal.sync.listConflicts, {})).toHaveLength(1);
  });

  it("a same-millisecond tie is broken the same way as on the office server, and recorded", async () => {
    for (const [office, remote] of [["A office", "B convex"], ["B office", "A convex"]]) {
      const id = office.replace(" ", "");
      await t.mutation(internal.sync.writeRecord, { collection: "jobs", pbId: id, record: { title: remote }, updated: T1 });
      const [status] = await pushOk(t, [job(id, T1, { title: office })]);
      const mine: SyncVersion = { updated: T1, deleted: false, record: { title: office }, origin: "pocketbase" };
      const theirs: SyncVersion = { updated: T1, deleted: false, record: { title: remote }, origin: "convex" };
      const officeWins = compareVersions(mine, theirs) > 0;
      expect(status).toBe(officeWins ? "applied" : "conflict");
      expect((await stored(t, "jobs", id))?.record).toEqual({ title: officeWins ? office : remote });
    }
    // "B office" > "A convex" wins; "A office" < "B convex" loses: both ties are on file.
    expect((await conflicts(t)).map((c) => [c.pbId, c.winner]).sort()).toEqual([["Aoffice", "stored"], ["Boffice", "incoming"]]);
  });

  it("a delete leaves a tombstone: a late older upsert cannot bring the record back", async () => {
    await pushOk(t, [job("a", T1)]);
    expect(await pushOk(t, [job("a", T2, null)])).toEqual(["applied"]);
    expect(await stored(t, "jobs", "a")).toMatchObject({ deleted: true, record: null, updated: T2 });
    expect(await pushOk(t, [job("a", T1, { title: "late" })])).toEqual(["skipped"]);
    expect(await stored(t, "jobs", "a")).toMatchObject({ deleted: true });
    expect(await pushOk(t, [job("a", T3, { title: "re-created" })])).toEqual(["applied"]);
    expect(await stored(t, "jobs", "a")).toMatchObject({ deleted: false, record: { title: "re-created" } });
  });

  it("a delete of a record Convex never saw is stored as a tombstone", async () => {
    expect(await pushOk(t, [job("ghost", T1, null)])).toEqual(["applied"]);
    expect(await stored(t, "jobs", "ghost")).toMatchObject({ deleted: true });
  });

  it("a big batch is applied in several mutations, results in order", async () => {
    const changes = Array.from({ length: 250 }, (_, i) => job(`j${String(i).padStart(3, "0")}`, T1));
    const statuses = await pushOk(t, changes);
    expect(statuses).toEqual(changes.map(() => "applied"));
    expect(await t.run(async (ctx) => (await ctx.db.query("jobs").collect()).length)).toBe(250);
    expect(await seq(t)).toBe(250);
    expect(await pushOk(t, changes)).toEqual(changes.map(() => "skipped"));
  });
});

describe("GET /pocketbase/pull", () => {
  it("an empty deployment answers no changes and cursor 0", async () => {
    expect(await pullOk(t)).toEqual({ changes: [], cursor: "0" });
  });

  it("pages through Convex's writes in order with since and limit, each exactly once", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const collection = ["jobs", "contacts", "invoices", "equipment_photos", "equipment"][i];
      ids.push(await t.mutation(internal.sync.writeRecord, { collection, record: { n: i }, updated: T1 }));
    }
    const first = await pullOk(t, "limit=2");
    expect(first.changes.map((c) => c.id)).toEqual(ids.slice(0, 2));
    expect(first.changes[0]).toMatchObject({ collection: "jobs", op: "upsert", record: { n: 0 }, updated: T1, origin: "convex" });
    const { changes, cursor } = await pullAll(t);
    expect(changes.map((c) => c.id)).toEqual(ids);
    expect(changes.map((c) => c.collection)).toEqual(["jobs", "contacts", "invoices", "equipment_photos", "equipment"]);
    expect(ids.every((id) => /^[a-z0-9]{15}$/.test(id))).toBe(true);
    // Nothing new: the same cursor comes back.
    expect(await pullOk(t, `since=${cursor}`)).toEqual({ changes: [], cursor });
    // A later write shows after the cursor, once, as the record's current state.
    await t.mutation(internal.sync.writeRecord, { collection: "jobs", pbId: ids[0], record: { n: 99 } });
    const next = await pullOk(t, `since=${cursor}`);
    expect(next.changes).toHaveLength(1);
    expect(next.changes[0]).toMatchObject({ id: ids[0], record: { n: 99 } });
  });

  it("returns deletes as tombstones", async () => {
    const id = await t.mutation(internal.sync.writeRecord, { collection: "contacts", record: { name: "x" }, updated: T1 });
    await t.mutation(internal.sync.writeRecord, { collection: "contacts", pbId: id, record: null, updated: T2 });
    expect((await pullOk(t)).changes).toEqual([{ collection: "contacts", id, op: "delete", updated: T2, record: null, origin: "convex" }]);
  });

  it("never echoes the office server's own pushes back, but moves the cursor past them", async () => {
    await pushOk(t, [job("p1", T1), job("p2", T1)]);
    const convexId = await t.mutation(internal.sync.writeRecord, { collection: "jobs", record: { title: "from Convex" }, updated: T1 });
    await pushOk(t, [job("p3", T1)]);
    const { changes, cursor } = await pullAll(t, "", 1);
    expect(changes.map((c) => c.id)).toEqual([convexId]);
    expect(cursor).toBe("4");
    // Another origin (a second office server) does see them.
    const other = await pullOk(t, "origin=pocketbase-office2&limit=10");
    expect(other.changes.map((c) => c.id)).toEqual(["p1", "p2", convexId, "p3"]);
  });

  it("a record whose latest write came from the office server is not pulled; one Convex changed after is", async () => {
    await t.mutation(internal.sync.writeRecord, { collection: "jobs", pbId: "a", record: { title: "convex" }, updated: T1 });
    await pushOk(t, [job("a", T2, { title: "office" })]);
    expect((await pullOk(t)).changes).toEqual([]);
    await t.mutation(internal.sync.writeRecord, { collection: "jobs", pbId: "a", record: { title: "convex again" }, updated: T3 });
    expect((await pullOk(t)).changes).toMatchObject([{ id: "a", record: { title: "convex again" }, origin: "convex" }]);
  });

  it("a lost conflict comes back to the office server (Convex's answer wins)", async () => {
    await t.mutation(internal.sync.writeRecord, { collection: "jobs", pbId: "a", record: { title: "convex" }, updated: T2 });
    const { cursor } = await pullAll(t);
    expect(await pushOk(t, [job("a", T1, { title: "office" })])).toEqual(["conflict"]);
    // Nothing changed on Convex, so nothing new after the cursor; the office server already pulled it.
    expect((await pullOk(t, `since=${cursor}`)).changes).toEqual([]);
    expect((await pullOk(t)).changes).toMatchObject([{ id: "a", record: { title: "convex" }, updated: T2 }]);
  });

  it("a Convex write never moves a record's clock backwards", async () => {
    await pushOk(t, [job("a", T2, { title: "office" })]);
    await t.mutation(internal.sync.writeRecord, { collection: "jobs", pbId: "a", record: { title: "convex" }, updated: T1 });
    expect(await stored(t, "jobs", "a")).toMatchObject({ updated: "2026-11-24 10:05:00.001Z", record: { title: "convex" } });
  });

  it.each([
    ["since=abc", "since"],
    ["since=-1", "since"],
    ["limit=0", "limit"],
    ["limit=5000", "limit"],
    ["origin=Office%20One", "origin"],
  ])("answers 400 for %s naming the parameter", async (query, field) => {
    const res = await pull(t, query);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: "bad_request", field });
  });

  it("large records: a page stops after about 4 MB, the rest comes on the next page", async () => {
    for (let i = 0; i < 6; i++) {
      await t.mutation(internal.sync.writeRecord, { collection: "jobs", pbId: `big${i}`, record: { notes: "x".repeat(900_000) }, updated: T1 });
    }
    const first = await pullOk(t, "limit=100");
    expect(first.changes.length).toBeGreaterThanOrEqual(4);
    expect(first.changes.length).toBeLessThan(6);
    const { changes } = await pullAll(t, first.cursor, 100);
    expect([...first.changes, ...changes].map((c) => c.id)).toEqual(["big0", "big1", "big2", "big3", "big4", "big5"]);
  });
});
