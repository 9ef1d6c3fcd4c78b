// The sync outbox over the real PocketBase (pb_migrations/1795590000_outbox.js, pb_hooks/src/sync.ts)
// against local stubs of Convex's sync endpoints and Weaviate (test/helpers/sync-stubs.ts): nothing is
// queued with sync off or misconfigured; every create/update/delete of a synced collection is queued
// in the same statement as the change and delivered; coalescing; outages, timeouts, 5xx, 401 and
// malformed answers are retried with backoff, parked as dead after SYNC_MAX_ATTEMPTS and retryable;
// per-object Weaviate errors; one drain at a time; a kill -9 in the middle of a drain loses and
// duplicates nothing; the hvac_sync_apply marker keeps a change from echoing back to Convex.
//
// Time: drains take `now` (admins only), a virtual clock that only moves forward, so backoff is
// checked without waiting. The cron drain is off (SYNC_DRAIN_CRON=off) so only the test drains.
import { rmSync } from "node:fs";
import type PocketBase from "pocketbase";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { backoffCeilingMs, syncRecord, type SyncCollection } from "../../src/domain/sync";
import { weaviateClassOf, weaviateObject } from "../../src/domain/weaviate";
import { weaviateId } from "../../src/domain/uuid";
import { createWorld, failure, makeContact, makeJob, type World } from "../helpers/fixtures";
import { startPocketBase, type RunningPocketBase } from "../helpers/pocketbase";
import { hooksWithSqlRoute, queryJson, runSql } from "../helpers/sql-route";
import { ConvexStub, WeaviateStub } from "../helpers/sync-stubs";

const SECRET = "outbox-test-secret-0123456789";
const WEAVIATE_KEY = "weaviate-test-key";
const MAX_ATTEMPTS = 4;

interface Row {
  seq: number; target: string; collection: string; rid: string; op: string; updated: string;
  attempts: number; nextAttemptAt: number; dead: number; lastError: string;
}

const sql = runSql;

function outbox(pb: RunningPocketBase): Promise<Row[]> {
  return queryJson<Row[]>(pb, `SELECT json_group_array(json_object('seq', seq, 'target', target, 'collection', collection, 'rid', rid, 'op', op,
    'updated', updated, 'attempts', attempts, 'nextAttemptAt', nextAttemptAt, 'dead', dead, 'lastError', lastError)) AS j
    FROM (SELECT * FROM hvac_outbox ORDER BY seq)`);
}

const summary = (rows: Row[]) => rows.map((r) => `${r.target} ${r.collection} ${r.op}`);

interface TargetReport { target: string; sent: number; delivered: number; conflicts: number; failed: number; parked: number; requests: number; error: string }
interface DrainReport { ran: boolean; busy: boolean; problem: string; mode: string; targets: TargetReport[] }

/** The virtual clock of drains: only moves forward. */
let clock = Date.now();
/** Past every backoff (the longest is 1 h). */
const later = () => (clock += 2 * 3_600_000);

function drain(pb: RunningPocketBase, now = clock, client: PocketBase = pb.admin): Promise<DrainReport> {
  return client.send<DrainReport>("/api/hvac/sync/drain", { method: "POST", body: { now } });
}

const report = (r: DrainReport, target: string) => r.targets.find((t) => t.target === target)!;

interface Status {
  mode: string; problem: string; directions: { push: boolean; pull: boolean };
  targets: { name: string; enabled: boolean; pending: number; due: number; dead: number; oldestPendingAgeMs: number | null; nextAttemptAt: number | null; lastSuccessAt: number | null; lastFailureAt: number | null; lastError: string; delivered: number }[];
  deadLetters: { seq: number; target: string; collection: string; rid: string; op: string; attempts: number; lastError: string }[];
  conflicts: { open: number };
  draining: boolean;
}

const status = (client: PocketBase) => client.send<Status>("/api/hvac/sync/status", {});

// ---------------------------------------------------------------- sync off / misconfigured

describe("sync off", () => {
  let off: RunningPocketBase;
  let bad: RunningPocketBase;
  let hooksDir: string;

  beforeAll(async () => {
    hooksDir = hooksWithSqlRoute();
    const clean = { SYNC_MODE: "", CONVEX_SITE_URL: "", CONVEX_SYNC_SECRET: "", WEAVIATE_URL: "", WEAVIATE_API_KEY: "", SYNC_DRAIN_CRON: "off" };
    [off, bad] = await Promise.all([
      startPocketBase({ hooksDir, env: clean }),
      // A bad value: reported by name at start, sync stays off (the migration had switched Convex on
      // from SYNC_MODE being set; the start switches it off again).
      startPocketBase({ hooksDir, env: { ...clean, SYNC_MODE: "sometimes", WEAVIATE_URL: "http://127.0.0.1:9" } }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([off?.stop(), bad?.stop()]);
    rmSync(hooksDir, { recursive: true, force: true });
  });

  it.each([["nothing configured", () => off], ["a bad SYNC_MODE", () => bad]])("%s: writes queue nothing, the status says off", async (_, get) => {
    const pb = get();
    const c = await makeContact(pb.admin);
    const j = await makeJob(pb.admin, c.id);
    await pb.admin.collection("jobs").update(j.id, { title: "Zmieniony" });
    await pb.admin.collection("equipment").create({ contactId: c.id, type: "split", refrigerant: "R32", chargeKg: 1.2 });
    await pb.admin.collection("jobs").delete(j.id);
    expect(await outbox(pb)).toEqual([]);
    const s = await status(pb.admin);
    expect(s.mode).toBe("off");
    expect(s.targets.map((t) => [t.name, t.enabled, t.pending])).toEqual([["convex", false, 0], ["weaviate", false, 0]]);
    const d = await drain(pb);
    expect(d).toMatchObject({ ran: false, busy: false, targets: [] });
  });

  it("backfill refuses a target that is off", async () => {
    const f = await failure(off.admin.send("/api/hvac/sync/backfill", { method: "POST", body: { target: "weaviate" } }));
    expect(f.data.target.code).toBe("off");
    expect(await outbox(off)).toEqual([]);
  });

  it("a bad variable is reported by name at start and on the status page", async () => {
    expect(bad.output()).toMatch(/Sync configuration error, sync stays off: SYNC_MODE: expected development, production or hybrid/);
    expect((await status(bad.admin)).problem).toMatch(/^SYNC_MODE: /);
    expect((await status(off.admin)).problem).toBe("");
  });
});

// ---------------------------------------------------------------- the main server

describe("outbox and delivery", () => {
  let pb: RunningPocketBase;
  let w: World;
  let convex: ConvexStub;
  let weaviate: WeaviateStub;
  let hooksDir: string;

  beforeAll(async () => {
    hooksDir = hooksWithSqlRoute();
    convex = await new ConvexStub(SECRET).start();
    weaviate = await new WeaviateStub(WEAVIATE_KEY).start();
    pb = await startPocketBase({
      hooksDir,
      env: {
        SYNC_MODE: "development", CONVEX_SITE_URL: convex.url, CONVEX_SYNC_SECRET: SECRET,
        WEAVIATE_URL: weaviate.url, WEAVIATE_API_KEY: WEAVIATE_KEY,
        SYNC_DRAIN_CRON: "off", SYNC_MAX_ATTEMPTS: String(MAX_ATTEMPTS), SYNC_HTTP_TIMEOUT: "2", SYNC_BATCH_SIZE: "50",
      },
    });
    w = await createWorld(pb);
    // The world's users are not synced; start from an empty outbox.
    await drain(pb);
  });
  afterAll(async () => {
    await pb?.stop();
    await convex?.close();
    await weaviate?.close();
    rmSync(hooksDir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    convex.healthy();
    weaviate.healthy();
    convex.release();
    weaviate.release();
    // Whatever an earlier test left is delivered first (and must be: nothing stays stuck).
    await drain(pb, later());
    expect((await outbox(pb)).filter((r) => !r.dead)).toEqual([]);
    await sql(pb, "DELETE FROM hvac_outbox");
    convex.clearLog();
    weaviate.clearLog();
  });

  /** Convex and Weaviate hold exactly what PocketBase holds for this record (or nothing when it is gone). */
  async function expectSynced(collection: SyncCollection, id: string) {
    let rec: Record<string, unknown> | null = null;
    try {
      rec = await pb.admin.collection(collection).getOne(id);
    } catch {
      rec = null;
    }
    const doc = convex.doc(collection, id);
    const cls = weaviateClassOf(collection);
    if (rec) {
      expect(doc).toMatchObject({ deleted: false, updated: rec.updated, origin: "pocketbase" });
      expect(doc!.record).toEqual(syncRecord(collection, rec));
      if (cls) expect(weaviate.get(cls, weaviateId(collection, id))?.properties).toEqual(weaviateObject(collection, id, rec)!.properties);
    } else {
      expect(doc).toMatchObject({ deleted: true, record: null });
      if (cls) expect(weaviate.get(cls, weaviateId(collection, id))).toBeUndefined();
    }
  }

  it("every create, update and delete of each synced collection is queued with the change and delivered", async () => {
    const c = await makeContact(w.dispatcher, { name: "Wspólnota Mokotów" });
    const j = await makeJob(w.dispatcher, c.id, { title: "Przegląd Daikin" });
    const inv = await pb.admin.collection("invoices").create({ jobId: j.id, description: "FV 12/2026", totalAmount: 1230, status: "pending", ocrData: { text: "Faktura VAT kocioł" } });
    const ph = await pb.admin.collection("equipment_photos").create({ jobId: j.id, description: "Tabliczka", aiAnalysis: { fields: { model: { value: "FTXM35R" } } } });
    const eq = await pb.admin.collection("equipment").create({ contactId: c.id, type: "split", refrigerant: "R32", chargeKg: 1.2 });
    const created = await outbox(pb);
    // One row per enabled target; equipment goes to Convex only (no Weaviate class).
    expect(summary(created)).toEqual([
      "convex contacts upsert", "weaviate contacts upsert", "convex jobs upsert", "weaviate jobs upsert",
      "convex invoices upsert", "weaviate invoices upsert", "convex equipment_photos upsert", "weaviate equipment_photos upsert",
      "convex equipment upsert",
    ]);
    expect(created.every((r) => r.attempts === 0 && r.nextAttemptAt === 0 && r.dead === 0)).toBe(true);
    expect(created.find((r) => r.collection === "jobs")!.updated).toBe(j.updated);

    const first = await drain(pb);
    expect(report(first, "convex")).toMatchObject({ delivered: 5, failed: 0, requests: 1 });
    expect(report(first, "weaviate")).toMatchObject({ delivered: 4, failed: 0, requests: 1 });
    expect(await outbox(pb)).toEqual([]);
    for (const [col, id] of [["contacts", c.id], ["jobs", j.id], ["invoices", inv.id], ["equipment_photos", ph.id], ["equipment", eq.id]] as const) {
      await expectSynced(col, id);
    }
    expect(weaviate.requests.every((r) => r.auth === `Bearer ${WEAVIATE_KEY}`)).toBe(true);
    expect(convex.requests.every((r) => r.auth === `Bearer ${SECRET}`)).toBe(true);

    // Updates: one row per save and target (the jobs write lock's claim is not a change).
    await w.dispatcher.collection("contacts").update(c.id, { notes: "Domofon 12" });
    await w.dispatcher.collection("jobs").update(j.id, { title: "Przegląd Daikin FTXM" });
    await pb.admin.collection("invoices").update(inv.id, { description: "FV 12/2026 korekta" });
    await pb.admin.collection("equipment_photos").update(ph.id, { description: "Tabliczka znamionowa" });
    await pb.admin.collection("equipment").update(eq.id, { location: "Salon" });
    const updated = await outbox(pb);
    expect(updated.filter((r) => r.collection === "jobs").map((r) => r.target)).toEqual(["convex", "weaviate"]);
    expect(updated.every((r) => r.op === "upsert")).toBe(true);
    await drain(pb);
    for (const [col, id] of [["contacts", c.id], ["jobs", j.id], ["invoices", inv.id], ["equipment_photos", ph.id], ["equipment", eq.id]] as const) {
      await expectSynced(col, id);
    }

    // Deletes.
    await pb.admin.collection("equipment").delete(eq.id);
    await pb.admin.collection("equipment_photos").delete(ph.id);
    await pb.admin.collection("invoices").delete(inv.id);
    await w.manager.collection("jobs").delete(j.id);
    const deleted = await outbox(pb);
    expect(deleted.every((r) => r.op === "delete")).toBe(true);
    expect(deleted.filter((r) => r.collection === "jobs")[0].updated >= j.updated).toBe(true);
    await drain(pb);
    expect(await outbox(pb)).toEqual([]);
    for (const [col, id] of [["jobs", j.id], ["invoices", inv.id], ["equipment_photos", ph.id], ["equipment", eq.id]] as const) {
      await expectSynced(col, id);
    }
    expect(weaviate.deleted.map((d) => d.found)).toEqual([true, true, true]);
    await expectSynced("contacts", c.id);
  });

  it("the outbox row is part of the change: when it cannot be written, the change fails and nothing is saved", async () => {
    const c = await makeContact(w.dispatcher, { name: "Przed awarią" });
    await sql(pb, "CREATE TRIGGER test_outbox_broken BEFORE INSERT ON hvac_outbox BEGIN SELECT RAISE(ABORT, 'outbox unavailable'); END");
    try {
      const created = await failure(makeContact(w.dispatcher, { name: "Nie zapisany" }));
      expect(created.status).toBeGreaterThanOrEqual(400);
      const updated = await failure(w.dispatcher.collection("contacts").update(c.id, { name: "Nie zmieniony" }));
      expect(updated.status).toBeGreaterThanOrEqual(400);
      const deleted = await failure(w.manager.collection("contacts").delete(c.id));
      expect(deleted.status).toBeGreaterThanOrEqual(400);
    } finally {
      await sql(pb, "DROP TRIGGER test_outbox_broken");
    }
    expect((await pb.admin.collection("contacts").getList(1, 1, { filter: 'name = "Nie zapisany"' })).totalItems).toBe(0);
    expect((await pb.admin.collection("contacts").getOne(c.id)).name).toBe("Przed awarią");
    // The create before the breakage is queued; nothing of the failed writes is.
    expect(summary(await outbox(pb))).toEqual(["convex contacts upsert", "weaviate contacts upsert"]);
  });

  it("coalesces the rows of a record: its current state is sent once", async () => {
    const c = await makeContact(w.dispatcher);
    const j = await makeJob(w.dispatcher, c.id, { title: "Wersja 0" });
    for (let i = 1; i <= 5; i++) await w.dispatcher.collection("jobs").update(j.id, { title: `Wersja ${i}` });
    const other = await makeJob(w.dispatcher, c.id, { title: "Skasowany" });
    await w.dispatcher.collection("jobs").update(other.id, { title: "Skasowany 2" });
    await w.manager.collection("jobs").delete(other.id);
    expect((await outbox(pb)).filter((r) => r.target === "convex" && r.rid === j.id)).toHaveLength(6);

    const r = await drain(pb);
    expect(report(r, "convex")).toMatchObject({ sent: 3, delivered: 3, requests: 1 });
    expect(convex.pushed.map((p) => `${p.id} ${p.op}`)).toEqual([`${c.id} upsert`, `${j.id} upsert`, `${other.id} delete`]);
    expect(convex.doc("jobs", j.id)!.record).toMatchObject({ title: "Wersja 5" });
    // Weaviate: the deleted job's object was never created; its delete is a 404, which is done.
    expect(weaviate.upserted.map((u) => u.id)).toEqual([weaviateId("contacts", c.id), weaviateId("jobs", j.id)]);
    expect(weaviate.deleted).toEqual([{ class: "HvacJob", id: weaviateId("jobs", other.id), found: false }]);
    expect(await outbox(pb)).toEqual([]);
    await expectSynced("jobs", j.id);
    await expectSynced("jobs", other.id);
  });

  it("Convex down for a long time, then back: everything delivered once; Weaviate unaffected meanwhile", async () => {
    await convex.down();
    const contacts = [];
    for (let i = 0; i < 12; i++) contacts.push(await makeContact(w.dispatcher, { name: `Awaria ${i}` }));
    for (let round = 1; round < MAX_ATTEMPTS; round++) {
      const r = await drain(pb, later());
      expect(report(r, "convex")).toMatchObject({ delivered: 0, failed: 12, requests: 1 });
      expect(report(r, "convex").error).toMatch(/^no answer from http:\/\/127\.0\.0\.1:\d+\/pocketbase\/push/);
      if (round === 1) expect(report(r, "weaviate")).toMatchObject({ delivered: 12 });
      const rows = await outbox(pb);
      expect(rows.map((x) => [x.target, x.attempts, x.dead])).toEqual(contacts.map(() => ["convex", round, 0]));
      const s = await status(w.dispatcher);
      const t = s.targets.find((x) => x.name === "convex")!;
      expect(t).toMatchObject({ pending: 12, dead: 0 });
      expect(t.lastError).toMatch(/no answer/);
    }
    await convex.up();
    const r = await drain(pb, later());
    expect(report(r, "convex")).toMatchObject({ delivered: 12, failed: 0 });
    expect(await outbox(pb)).toEqual([]);
    for (const c of contacts) {
      expect(convex.receivedCount("contacts", c.id)).toBe(1);
      await expectSynced("contacts", c.id);
    }
    expect(new Set(convex.statuses)).toEqual(new Set(["applied"]));
  });

  it("a timeout counts as a failure with backoff; the row is not retried before it is due", async () => {
    const c = await makeContact(w.dispatcher, { name: "Timeout" });
    convex.fail({ kind: "hang" });
    const at = later();
    const r = await drain(pb, at);
    expect(report(r, "convex")).toMatchObject({ failed: 1, delivered: 0 });
    expect(report(r, "convex").error).toMatch(/no answer from .*\/pocketbase\/push.*(timeout|deadline|Timeout)/i);
    const [row] = (await outbox(pb)).filter((x) => x.target === "convex");
    expect(row.attempts).toBe(1);
    expect(row.nextAttemptAt).toBeGreaterThan(at);
    expect(row.nextAttemptAt).toBeLessThanOrEqual(at + backoffCeilingMs(1));
    // The status page shows when it is tried next.
    expect((await status(w.dispatcher)).targets.find((t) => t.name === "convex")!.nextAttemptAt).toBe(row.nextAttemptAt);
    // Not due yet at the same instant: nothing is sent.
    const requests = convex.requests.length;
    const again = await drain(pb, at);
    expect(report(again, "convex")).toMatchObject({ sent: 0, requests: 0 });
    expect(convex.requests.length).toBe(requests);
    // Due: delivered.
    const due = await drain(pb, row.nextAttemptAt);
    expect(report(due, "convex")).toMatchObject({ delivered: 1 });
    await expectSynced("contacts", c.id);
  });

  it.each([
    ["a 503", { kind: "status", status: 503 } as const, /Convex answered HTTP 503: stub answered 503/],
    ["a 500 with a text body", { kind: "status", status: 500, body: "Internal Server Error" } as const, /Convex answered HTTP 500: Internal Server Error/],
    ["a 401 (wrong secret)", { kind: "status", status: 401, body: '{"code":"unauthorized","message":"missing or wrong Authorization header"}' } as const, /HTTP 401: missing or wrong Authorization header/],
    ["malformed JSON", { kind: "malformed" } as const, /malformed answer from Convex/],
    ["an answer with a result missing", { kind: "wrong-shape" } as const, /malformed answer from Convex: results: expected 2 results/],
  ])("%s is retried with backoff, then delivered once", async (_, fault, message) => {
    const c = await makeContact(w.dispatcher);
    const j = await makeJob(w.dispatcher, c.id);
    convex.fail(fault);
    const at = later();
    const r = await drain(pb, at);
    expect(report(r, "convex")).toMatchObject({ failed: 2, delivered: 0 });
    expect(report(r, "convex").error).toMatch(message);
    const rows = (await outbox(pb)).filter((x) => x.target === "convex");
    expect(rows.map((x) => x.attempts)).toEqual([1, 1]);
    for (const x of rows) {
      expect(x.lastError).toMatch(message);
      expect(x.nextAttemptAt).toBeGreaterThan(at);
      expect(x.nextAttemptAt).toBeLessThanOrEqual(at + backoffCeilingMs(1));
    }
    // One random draw per request: the two stay together.
    expect(rows[0].nextAttemptAt).toBe(rows[1].nextAttemptAt);
    await drain(pb, later());
    expect(await outbox(pb)).toEqual([]);
    await expectSynced("contacts", c.id);
    await expectSynced("jobs", j.id);
    // The answer that had a result missing came after the changes were stored: the replay is "skipped".
    if (fault.kind === "wrong-shape") expect(convex.statuses).toEqual(["applied", "applied", "skipped", "skipped"]);
    else expect(convex.statuses).toEqual(["applied", "applied"]);
  });

  it("after SYNC_MAX_ATTEMPTS failures a row is dead: listed, not sent, and retryable by seq", async () => {
    const a = await makeContact(w.dispatcher, { name: "Martwy A" });
    const b = await makeContact(w.dispatcher, { name: "Martwy B" });
    convex.failAlways({ kind: "status", status: 500 });
    for (let i = 0; i < MAX_ATTEMPTS; i++) await drain(pb, later());
    const rows = (await outbox(pb)).filter((x) => x.target === "convex");
    expect(rows.map((x) => [x.attempts, x.dead])).toEqual([[MAX_ATTEMPTS, 1], [MAX_ATTEMPTS, 1]]);
    const s = await status(w.dispatcher);
    expect(s.targets.find((t) => t.name === "convex")).toMatchObject({ pending: 0, dead: 2 });
    expect(s.deadLetters.map((d) => [d.target, d.collection, d.rid, d.op, d.attempts])).toEqual([
      ["convex", "contacts", a.id, "upsert", MAX_ATTEMPTS], ["convex", "contacts", b.id, "upsert", MAX_ATTEMPTS],
    ]);
    expect(s.deadLetters[0].lastError).toMatch(/HTTP 500/);
    // Dead rows are not sent.
    const before = convex.requests.length;
    expect(report(await drain(pb, later()), "convex")).toMatchObject({ sent: 0 });
    expect(convex.requests.length).toBe(before);

    convex.healthy();
    // Dispatchers may look but not retry; managers may.
    expect((await failure(w.dispatcher.send("/api/hvac/sync/retry", { method: "POST", body: {} }))).status).toBe(403);
    expect((await failure(w.manager.send("/api/hvac/sync/retry", { method: "POST", body: { target: "nowhere" } }))).data.target.code).toBe("invalid");
    const retried = await w.manager.send<{ retried: number }>("/api/hvac/sync/retry", { method: "POST", body: { seqs: [s.deadLetters[0].seq] } });
    expect(retried.retried).toBe(1);
    expect(report(await drain(pb), "convex")).toMatchObject({ delivered: 1 });
    await expectSynced("contacts", a.id);
    expect(convex.doc("contacts", b.id)).toBeUndefined();
    expect((await w.manager.send<{ retried: number }>("/api/hvac/sync/retry", { method: "POST", body: { target: "convex" } })).retried).toBe(1);
    await drain(pb);
    await expectSynced("contacts", b.id);
    expect(await outbox(pb)).toEqual([]);
  });

  it("a later change of a record, once delivered, clears the record's older dead rows", async () => {
    const c = await makeContact(w.dispatcher, { name: "Zastąpiony" });
    convex.failAlways({ kind: "status", status: 503 });
    for (let i = 0; i < MAX_ATTEMPTS; i++) await drain(pb, later());
    expect((await outbox(pb)).map((x) => [x.target, x.dead])).toEqual([["convex", 1]]);
    convex.healthy();
    await w.dispatcher.collection("contacts").update(c.id, { notes: "nowsza wersja" });
    expect(report(await drain(pb), "convex")).toMatchObject({ delivered: 1 });
    expect(await outbox(pb)).toEqual([]);
    await expectSynced("contacts", c.id);
  });

  it("a change Convex refuses (400) is parked alone; the rest of its batch is delivered", async () => {
    const cs = [await makeContact(w.dispatcher), await makeContact(w.dispatcher), await makeContact(w.dispatcher)];
    // The whole batch, then the first change alone, are refused; the other two go one by one.
    convex.fail({ kind: "status", status: 400, body: '{"code":"bad_request","message":"changes[0].record: refused by the stub","field":"changes[0].record"}' }, 2);
    const r = await drain(pb);
    expect(report(r, "convex")).toMatchObject({ delivered: 2, parked: 1, requests: 4 });
    const rows = (await outbox(pb)).filter((x) => x.target === "convex");
    expect(rows.map((x) => [x.rid, x.dead])).toEqual([[cs[0].id, 1]]);
    expect(rows[0].lastError).toMatch(/Convex answered HTTP 400: changes\[0\]\.record: refused by the stub/);
    await expectSynced("contacts", cs[1].id);
    await expectSynced("contacts", cs[2].id);
    await sql(pb, "DELETE FROM hvac_outbox");
  });

  it("a record Convex cannot store is parked before it is sent", async () => {
    const c = await makeContact(w.dispatcher);
    const j = await makeJob(w.dispatcher, c.id);
    const bad = await pb.admin.collection("equipment_photos").create({ jobId: j.id, aiAnalysis: { $model: "FTXM35R" } });
    const r = await drain(pb);
    expect(report(r, "convex")).toMatchObject({ delivered: 2, parked: 1 });
    const [row] = (await outbox(pb)).filter((x) => x.target === "convex");
    expect(row).toMatchObject({ rid: bad.id, dead: 1 });
    expect(row.lastError).toMatch(/Convex cannot store this record: record\.aiAnalysis\["\$model"\]: field names starting with "\$" are reserved/);
    expect(convex.pushed.map((p) => p.id)).toEqual([c.id, j.id]);
    // Weaviate takes it (its own properties only).
    expect(weaviate.get("HvacEquipmentPhoto", weaviateId("equipment_photos", bad.id))).toBeDefined();
    await sql(pb, "DELETE FROM hvac_outbox");
  });

  it("a conflict on Convex removes the rows and keeps a note for review", async () => {
    const c = await makeContact(w.dispatcher, { name: "Konflikt" });
    await drain(pb);
    // Someone changed it on Convex with a later clock.
    convex.writeFromConvex("contacts", c.id, { ...convex.doc("contacts", c.id)!.record, name: "Zmiana w Convex" }, "2099-01-01 00:00:00.000Z");
    await w.dispatcher.collection("contacts").update(c.id, { name: "Zmiana w biurze" });
    const r = await drain(pb);
    expect(report(r, "convex")).toMatchObject({ delivered: 1, conflicts: 1 });
    expect(convex.statuses).toEqual(["applied", "conflict"]);
    expect((await outbox(pb)).filter((x) => x.target === "convex")).toEqual([]);
    const notes = await w.dispatcher.collection("sync_conflicts").getFullList({ filter: `recordId = "${c.id}"` });
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ recordCollection: "contacts", target: "convex", direction: "push", winner: "remote", resolved: false });
    expect(notes[0].local).toMatchObject({ name: "Zmiana w biurze" });
    expect((await status(w.dispatcher)).conflicts.open).toBe(1);
    // Staff read them; nobody but admins creates or deletes them.
    expect((await failure(w.manager.collection("sync_conflicts").delete(notes[0].id))).status).toBe(403);
    // Managers mark it reviewed, and change nothing else of it.
    expect((await failure(w.dispatcher.collection("sync_conflicts").update(notes[0].id, { resolved: true }))).status).toBe(404);
    expect((await failure(w.manager.collection("sync_conflicts").update(notes[0].id, { resolved: true, note: "inna" }))).status).toBe(404);
    expect(await w.manager.collection("sync_conflicts").update(notes[0].id, { resolved: true })).toMatchObject({ resolved: true, note: notes[0].note });
    expect((await status(w.dispatcher)).conflicts.open).toBe(0);
    expect((await w.tech1.collection("sync_conflicts").getList()).totalItems).toBe(0);
  });

  it("Weaviate: an object refused in the batch is retried alone; the others are stored", async () => {
    const a = await makeContact(w.dispatcher, { name: "Weaviate A" });
    const b = await makeContact(w.dispatcher, { name: "Weaviate B" });
    weaviate.failObject(weaviateId("contacts", a.id));
    const r = await drain(pb);
    expect(report(r, "weaviate")).toMatchObject({ delivered: 1, failed: 1 });
    const rows = (await outbox(pb)).filter((x) => x.target === "weaviate");
    expect(rows.map((x) => [x.rid, x.attempts])).toEqual([[a.id, 1]]);
    expect(rows[0].lastError).toMatch(/Weaviate refused the object: stub: refused object/);
    expect(weaviate.get("HvacContact", weaviateId("contacts", b.id))).toBeDefined();
    await drain(pb, later());
    await expectSynced("contacts", a.id);
    await expectSynced("contacts", b.id);
  });

  it.each([
    ["down", async () => weaviate.down(), async () => weaviate.up(), /no answer from/],
    ["a 503", async () => weaviate.fail({ kind: "status", status: 503 }), async () => {}, /Weaviate answered HTTP 503: stub answered 503/],
    ["a wrong API key (401)", async () => weaviate.fail({ kind: "status", status: 401, body: '{"error":[{"message":"unauthorized"}]}' }), async () => {}, /HTTP 401: unauthorized/],
    ["malformed JSON", async () => weaviate.fail({ kind: "malformed" }), async () => {}, /malformed answer from Weaviate/],
    ["an entry missing", async () => weaviate.fail({ kind: "wrong-shape" }), async () => {}, /malformed answer from Weaviate: answer: expected 2 entries/],
  ])("Weaviate %s: retried, Convex unaffected", async (_, breakIt, fixIt, message) => {
    await breakIt();
    const c = await makeContact(w.dispatcher);
    const j = await makeJob(w.dispatcher, c.id);
    const r = await drain(pb, later());
    expect(report(r, "weaviate")).toMatchObject({ delivered: 0, failed: 2 });
    expect(report(r, "weaviate").error).toMatch(message);
    expect(report(r, "convex")).toMatchObject({ delivered: 2 });
    await fixIt();
    await drain(pb, later());
    expect(await outbox(pb)).toEqual([]);
    await expectSynced("contacts", c.id);
    await expectSynced("jobs", j.id);
  });

  it("a change applied with the hvac_sync_apply marker is queued for Weaviate, not back to Convex", async () => {
    const c = await makeContact(w.dispatcher, { name: "Z Convex" });
    await drain(pb);
    await sql(pb, `INSERT INTO hvac_sync_apply (collection, rid) VALUES ('contacts', '${c.id}')`);
    try {
      await pb.admin.collection("contacts").update(c.id, { notes: "zmiana z Convex" });
    } finally {
      await sql(pb, `DELETE FROM hvac_sync_apply WHERE rid = '${c.id}'`);
    }
    expect(summary(await outbox(pb))).toEqual(["weaviate contacts upsert"]);
    // Another record at the same time is not affected, nor a later local change of this one.
    await w.dispatcher.collection("contacts").update(c.id, { notes: "zmiana w biurze" });
    expect(summary(await outbox(pb))).toEqual(["weaviate contacts upsert", "convex contacts upsert", "weaviate contacts upsert"]);
  });

  it("status for staff, drain and retry for managers and admins; `now` for admins only", async () => {
    expect((await failure(status(w.anon))).status).toBe(401);
    expect((await failure(status(w.tech1))).status).toBe(403);
    const s = await status(w.dispatcher);
    expect(s).toMatchObject({ mode: "development", problem: "", directions: { push: true, pull: false } });
    expect(s.targets.map((t) => [t.name, t.enabled])).toEqual([["convex", true], ["weaviate", true]]);
    expect(JSON.stringify(s)).not.toContain(SECRET);
    expect(JSON.stringify(s)).not.toContain(WEAVIATE_KEY);
    expect((await failure(drain(pb, clock, w.dispatcher))).status).toBe(403);
    expect((await failure(w.manager.send("/api/hvac/sync/drain", { method: "POST", body: { now: clock } }))).data.now.code).toBe("forbidden");
    expect((await w.manager.send<DrainReport>("/api/hvac/sync/drain", { method: "POST", body: {} })).ran).toBe(true);
    expect((await failure(w.tech1.send("/api/hvac/sync/retry", { method: "POST", body: {} }))).status).toBe(403);
  });
});

// ---------------------------------------------------------------- kill -9 in the middle of a drain

describe("one drain at a time; kill -9 during a drain", () => {
  let convex: ConvexStub;
  let weaviate: WeaviateStub;
  let hooksDir: string;
  let pb: RunningPocketBase;
  const running: RunningPocketBase[] = [];
  let env: Record<string, string>;

  beforeAll(async () => {
    hooksDir = hooksWithSqlRoute();
    convex = await new ConvexStub(SECRET).start();
    weaviate = await new WeaviateStub().start();
    env = {
      SYNC_MODE: "hybrid", CONVEX_SITE_URL: convex.url, CONVEX_SYNC_SECRET: SECRET, WEAVIATE_URL: weaviate.url, WEAVIATE_API_KEY: "",
      SYNC_DRAIN_CRON: "off", SYNC_HTTP_TIMEOUT: "120", SYNC_BATCH_SIZE: "20",
    };
    pb = await startPocketBase({ hooksDir, env });
    running.push(pb);
  });
  afterAll(async () => {
    for (const pb of running.reverse()) await pb.stop();
    await convex?.close();
    await weaviate?.close();
    rmSync(hooksDir, { recursive: true, force: true });
  });

  it("a second drain while one runs is refused", async () => {
    await makeContact(pb.admin, { name: "Jedna naraz" });
    convex.fail({ kind: "hold" });
    const first = drain(pb);
    await convex.received(1);
    expect((await status(pb.admin)).draining).toBe(true);
    const second = await failure(drain(pb));
    expect(second.status).toBe(409);
    expect(second.message).toMatch(/already running/);
    convex.release();
    expect(report(await first, "convex")).toMatchObject({ delivered: 1 });
    expect((await status(pb.admin)).draining).toBe(false);
    expect(await outbox(pb)).toEqual([]);
    convex.clearLog();
    weaviate.clearLog();
  });

  it("kill -9 in the middle of a drain: nothing is lost and nothing duplicated in the final state", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 30; i++) ids.push((await makeContact(pb.admin, { name: `Kill ${i}` })).id);
    await pb.admin.collection("contacts").update(ids[0], { notes: "zmieniony przed awarią" });

    // The first push is stored by Convex, but its answer never comes (as if the connection died).
    convex.fail({ kind: "apply-then-hang" });
    const drainRequest = pb.admin.send("/api/hvac/sync/drain", { method: "POST", body: {} }).catch(() => "killed");
    await convex.received(1);
    while (convex.pushed.length < 20) await new Promise((r) => setTimeout(r, 5)); // the stub is applying them
    expect(convex.pushed).toHaveLength(20);
    // Writes go on while the drain waits.
    ids.push((await makeContact(pb.admin, { name: "W trakcie" })).id);
    await pb.admin.collection("contacts").update(ids[1], { notes: "zmieniony w trakcie" });
    await pb.admin.collection("contacts").delete(ids[2]);

    const exited = new Promise((r) => pb.proc.once("exit", r));
    pb.proc.kill("SIGKILL");
    await exited;
    running.pop(); // its data dir is the restarted server's
    expect(await drainRequest).toBe("killed");
    convex.release();

    const again = await startPocketBase({ hooksDir, env, dataDir: pb.dataDir });
    running.push(again);
    // The killed drain's lock does not block the new server.
    const r = await again.admin.send<DrainReport>("/api/hvac/sync/drain", { method: "POST", body: {} });
    expect(r.ran).toBe(true);
    expect(await outbox(again)).toEqual([]);

    // 29 of the 30 (one deleted), the one written during the drain, and the earlier test's.
    const local = await again.admin.collection("contacts").getFullList();
    expect(local).toHaveLength(31);
    const live = convex.live();
    expect(Object.keys(live).sort()).toEqual(local.map((c) => `contacts/${c.id}`).sort());
    for (const c of local) {
      expect(live[`contacts/${c.id}`]).toEqual(syncRecord("contacts", c));
      expect(convex.doc("contacts", c.id)!.updated).toBe(c.updated);
      expect(weaviate.get("HvacContact", weaviateId("contacts", c.id))?.properties).toEqual(weaviateObject("contacts", c.id, c)!.properties);
    }
    expect(convex.doc("contacts", ids[2])).toMatchObject({ deleted: true });
    expect(weaviate.get("HvacContact", weaviateId("contacts", ids[2]))).toBeUndefined();
    // Stored once per record (31 live, 1 tombstone) although the first 20 were received again after
    // the restart: the replay of an unchanged record is answered "skipped".
    expect(convex.docs.size).toBe(32);
    for (const id of ids.slice(3, 20)) expect(convex.receivedCount("contacts", id)).toBe(2);
    expect(convex.statuses.slice(20, 40).filter((s) => s === "skipped")).toHaveLength(18);
    expect(convex.statuses.filter((s) => s === "conflict")).toEqual([]);
  });
});
