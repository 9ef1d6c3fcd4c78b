// The writes and reads behind /pocketbase/push and /pocketbase/pull (convex/http.ts), plus the helper
// Convex-side code uses to write a synced record so the office server pulls it.
//
// Last-writer-wins is decided by resolveIncoming from src/domain/sync.ts: the same function the office
// server applies to pulled changes, so both ends pick the same winner.
//
// Change feed: every write to a synced table takes the next number of one counter (sync_state "seq")
// and stores it in the document's `seq`. Convex mutations are serialisable, so numbers follow commit
// order and a pull "after N" never misses a write that commits later. Pulls walk the four tables'
// `by_seq` indexes merged in order. Only the latest version of a record is kept: a pull returns the
// current state of every record changed since the cursor.
//
// No echo: every stored version keeps its `origin`; a pull leaves out versions from the pulling
// origin ("pocketbase" unless the query says otherwise). When a pushed change loses, the stored
// version (written elsewhere) keeps its origin and so is pulled by the office server.
import { v } from "convex/values";
import type { GenericId } from "convex/values";
import type { GenericDatabaseReader, GenericDatabaseWriter } from "convex/server";
import type { DataModel } from "./_generated/dataModel";
import { internalMutation, internalQuery } from "./_generated/server";
import {
  canonicalJson, changeBytes, changeOf, formatCursor, isSyncCollection, localVersion, newPbId, normalizeUpdated, ORIGIN_CONVEX, ORIGIN_POCKETBASE,
  PULL_MAX_BYTES, resolveIncoming, SYNC_COLLECTIONS, versionOf,
  type PushResult, type SyncChange, type SyncCollection, type SyncVersion,
} from "../src/domain/sync";
import { parseTimestamp } from "../src/domain/time";

type Db = GenericDatabaseWriter<DataModel>;
type Reader = GenericDatabaseReader<DataModel>;

interface StoredDoc {
  _id: GenericId<SyncCollection>;
  pbId: string;
  updated: string;
  deleted: boolean;
  record: Record<string, unknown> | null;
  origin: string;
  seq: number;
}

/** The change shape as the internal mutation receives it (already checked by parsePushRequest). */
export const changeValidator = v.object({
  collection: v.union(...SYNC_COLLECTIONS.map((c) => v.literal(c))),
  id: v.string(),
  op: v.union(v.literal("upsert"), v.literal("delete")),
  updated: v.string(),
  record: v.any(),
  origin: v.optional(v.string()),
});

/** Reads the change counter (creating it) and returns a function handing out the next numbers. */
async function seqAllocator(db: Db): Promise<{ next: () => number; save: () => Promise<void> }> {
  const row = await db.query("sync_state").withIndex("by_key", (q) => q.eq("key", "seq")).unique();
  let value = row ? row.value : 0;
  const start = value;
  return {
    next: () => (value += 1),
    save: async () => {
      if (value === start) return;
      if (row) await db.patch(row._id, { value });
      else await db.insert("sync_state", { key: "seq", value });
    },
  };
}

async function findDoc(db: Reader, collection: SyncCollection, pbId: string): Promise<StoredDoc | null> {
  const doc = await db.query(collection).withIndex("by_pbId", (q) => q.eq("pbId", pbId)).unique();
  return doc as StoredDoc | null;
}

function stored(doc: StoredDoc): SyncVersion {
  return { updated: doc.updated, deleted: doc.deleted, record: doc.deleted ? null : doc.record, origin: doc.origin };
}

/** Together both versions may exceed Convex's 1 MiB per document; then the winner's record is left out. */
const CONFLICT_BYTES_BUDGET = 900_000;

async function writeVersion(db: Db, collection: SyncCollection, pbId: string, existing: StoredDoc | null, version: SyncVersion, seq: number) {
  const fields = { pbId, updated: version.updated, deleted: version.deleted, record: version.deleted ? null : version.record, origin: version.origin, seq };
  if (existing) await db.replace(existing._id, fields);
  else await db.insert(collection, fields);
}

async function alreadyFiled(db: Reader, collection: SyncCollection, pbId: string, incoming: SyncVersion, current: SyncVersion): Promise<boolean> {
  const filed = await db.query("sync_conflicts").withIndex("by_record", (q) => q.eq("collection", collection).eq("pbId", pbId)).collect();
  const key = canonicalJson([incoming.updated, incoming.deleted, incoming.origin, incoming.record]);
  for (const c of filed) {
    if (c.stored.updated !== current.updated || c.stored.origin !== current.origin) continue;
    if (canonicalJson([c.incoming.updated, c.incoming.deleted, c.incoming.origin, c.incoming.record]) === key) return true;
  }
  return false;
}

/**
 * Applies pushed changes in order and answers one status per change. Idempotent: the same batch again
 * answers "skipped" and writes nothing. The one write path of pushed versions: the push endpoint
 * (applyChanges) and the bulk import (convex/migration.ts importBatch) both go through it.
 */
export async function applyChangeList(db: Db, changes: readonly SyncChange[], now?: number): Promise<PushResult[]> {
  const seq = await seqAllocator(db);
  const results: PushResult[] = [];
  for (const change of changes) {
    const incoming = versionOf(change, ORIGIN_POCKETBASE);
    const doc = await findDoc(db, change.collection, change.id);
    const current = doc ? stored(doc) : null;
    const outcome = resolveIncoming(current, incoming);
    // A replayed batch (the office server retries after a timeout) must not file the same conflict twice.
    if (outcome.conflict && current && !(await alreadyFiled(db, change.collection, change.id, incoming, current))) {
      const incomingWins = outcome.write;
      const both = changeBytes(change) + (current.record ? changeBytes(changeOf(change.collection, change.id, current)) : 0);
      const keep = (ver: SyncVersion, winner: boolean) => ({
        updated: ver.updated,
        deleted: ver.deleted,
        record: winner && both > CONFLICT_BYTES_BUDGET ? null : ver.record,
        origin: ver.origin,
      });
      await db.insert("sync_conflicts", {
        collection: change.collection,
        pbId: change.id,
        incoming: keep(incoming, incomingWins),
        stored: keep(current, !incomingWins),
        winner: incomingWins ? "incoming" : "stored",
        detectedAt: now ?? Date.now(),
        resolved: false,
      });
    }
    if (outcome.write) await writeVersion(db, change.collection, change.id, doc, incoming, seq.next());
    results.push({ id: change.id, status: outcome.status });
  }
  await seq.save();
  return results;
}

/** applyChangeList for the push endpoint, called with at most a hundred changes. */
export const applyChanges = internalMutation({
  args: { changes: v.array(changeValidator), now: v.optional(v.number()) },
  handler: async (ctx, { changes, now }): Promise<PushResult[]> => applyChangeList(ctx.db as unknown as Db, changes as SyncChange[], now),
});

/**
 * The changes after `since` in feed order, leaving out versions written by `origin`. Scans at most
 * `scan` documents and stops adding changes past PULL_MAX_BYTES (always at least one), so a page
 * stays within Convex's read limits. The cursor is the last document looked at, skipped ones
 * included: the next pull continues after it. An unchanged cursor means there is nothing more.
 */
export const pullChanges = internalQuery({
  args: { since: v.number(), limit: v.number(), origin: v.string() },
  handler: async (ctx, { since, limit, origin }): Promise<{ changes: SyncChange[]; cursor: string }> => {
    const db = ctx.db as unknown as Reader;
    const scan = Math.max(limit, Math.min(limit * 4, 4000));
    // One lazy iterator per table, merged by seq: only what is consumed is read.
    const heads: { table: SyncCollection; it: AsyncIterator<StoredDoc>; doc: StoredDoc | null }[] = [];
    for (const table of SYNC_COLLECTIONS) {
      const query = db.query(table).withIndex("by_seq", (q) => q.gt("seq", since));
      const it = (query as unknown as AsyncIterable<StoredDoc>)[Symbol.asyncIterator]();
      const first = await it.next();
      heads.push({ table, it, doc: first.done ? null : first.value });
    }
    const changes: SyncChange[] = [];
    let cursor = since;
    let bytes = 0;
    for (let scanned = 0; scanned < scan && changes.length < limit; scanned++) {
      let best = -1;
      for (let i = 0; i < heads.length; i++) {
        const d = heads[i].doc;
        if (d && (best < 0 || d.seq < (heads[best].doc as StoredDoc).seq)) best = i;
      }
      if (best < 0) break;
      const head = heads[best];
      const doc = head.doc as StoredDoc;
      if (doc.origin !== origin) {
        const change = changeOf(head.table, doc.pbId, stored(doc));
        const size = changeBytes(change);
        if (changes.length > 0 && bytes + size > PULL_MAX_BYTES) break;
        bytes += size;
        changes.push(change);
      }
      cursor = doc.seq;
      const next = await head.it.next();
      head.doc = next.done ? null : next.value;
    }
    return { changes, cursor: formatCursor(cursor) };
  },
});

/**
 * Writes a synced record from Convex-side code (production mode: Convex is primary), with origin
 * "convex" and the next feed number, so the office server pulls it. `record` null deletes it.
 * `updated` defaults to now. Returns the PocketBase id (a new one when `pbId` is not given).
 */
export async function writeFromConvex(
  db: Db, collection: SyncCollection, pbId: string | null, record: Record<string, unknown> | null, updatedMs: number = Date.now(),
): Promise<string> {
  const id = pbId || newPbId();
  const doc = await findDoc(db, collection, id);
  const seq = await seqAllocator(db);
  // Never older than the stored version (localVersion): it would lose on the office server.
  const version = localVersion(doc ? stored(doc) : null, record, updatedMs, ORIGIN_CONVEX);
  await writeVersion(db, collection, id, doc, version, seq.next());
  await seq.save();
  return id;
}

/** writeFromConvex as an internal mutation (for other Convex functions, scripts and tests). */
export const writeRecord = internalMutation({
  args: { collection: v.string(), pbId: v.optional(v.string()), record: v.any(), updated: v.optional(v.string()) },
  handler: async (ctx, args): Promise<string> => {
    if (!isSyncCollection(args.collection)) throw new Error(`collection: not a synced collection: ${args.collection}`);
    const updatedMs = args.updated ? parseTimestamp(normalizeUpdated(args.updated, "updated")) : Date.now();
    return writeFromConvex(ctx.db as unknown as Db, args.collection, args.pbId ?? null, args.record ?? null, updatedMs);
  },
});

/** One stored record (tests, support). */
export const getRecord = internalQuery({
  args: { collection: v.string(), pbId: v.string() },
  handler: async (ctx, { collection, pbId }) => {
    if (!isSyncCollection(collection)) return null;
    return findDoc(ctx.db as unknown as Reader, collection, pbId);
  },
});

/** Open conflicts, newest first (the sync status page). */
export const listConflicts = internalQuery({
  args: { limit: v.optional(v.number()) },
  handler: async (ctx, { limit }) => {
    return ctx.db.query("sync_conflicts").withIndex("by_resolved", (q) => q.eq("resolved", false)).order("desc").take(Math.min(limit ?? 100, 1000));
  },
});
