// The Convex side of the PocketBase sync (issue 5): one table per synced collection
// (src/domain/sync.ts SYNC_COLLECTIONS), the conflicts kept for review, and the change counter.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

/**
 * One synced PocketBase record. `record` holds the record's synced fields as PocketBase exports them
 * (v.any(): a field added in PocketBase must not stop the sync until Convex is redeployed; the push
 * endpoint checks every value with the same rules as the office server). Deletes are kept as
 * tombstones (`deleted`, `record` null) so a late, older upsert cannot bring a record back.
 */
const syncedRecord = defineTable({
  /** The PocketBase record id: the key of every upsert. */
  pbId: v.string(),
  /** The LWW clock, PocketBase's format "2026-11-24 10:00:00.000Z". */
  updated: v.string(),
  deleted: v.boolean(),
  record: v.any(),
  /** Who wrote this version: "pocketbase" (pushed) or "convex" (written here). Pull skips the puller's own. */
  origin: v.string(),
  /** Position in the change feed (sync_state "seq"): the pull cursor. */
  seq: v.number(),
})
  .index("by_pbId", ["pbId"])
  .index("by_seq", ["seq"]);

const version = v.object({
  updated: v.string(),
  deleted: v.boolean(),
  record: v.any(),
  origin: v.string(),
});

/** Which blob holds which record's file: what files:attach takes (besides the secret) and keeps. */
export const syncFileFields = {
  collection: v.string(),
  pbId: v.string(),
  field: v.string(),
  filename: v.string(),
  storageId: v.id("_storage"),
  sha256: v.string(),
  size: v.number(),
};

export default defineSchema({
  contacts: syncedRecord,
  jobs: syncedRecord,
  invoices: syncedRecord,
  equipment_photos: syncedRecord,
  /** The units at customers' sites (F-gas register). */
  equipment: syncedRecord,

  /** Every conflict, with both versions, for review (the sync status page lists the open ones). */
  sync_conflicts: defineTable({
    collection: v.string(),
    pbId: v.string(),
    /** The version that arrived and the one that was stored when it arrived. */
    incoming: version,
    stored: version,
    /** Which one is now stored. */
    winner: v.union(v.literal("incoming"), v.literal("stored")),
    /** Epoch ms. */
    detectedAt: v.number(),
    resolved: v.boolean(),
  })
    .index("by_record", ["collection", "pbId"])
    .index("by_resolved", ["resolved"]),

  /**
   * Which Convex storage blob holds which PocketBase record's file (`hvac migrate-files --to convex`,
   * convex/files.ts). `sha256` (hex) and `size` were checked against the stored blob when attached.
   */
  sync_files: defineTable({
    ...syncFileFields,
    /** Epoch ms. */
    attachedAt: v.number(),
  })
    .index("by_file", ["collection", "pbId", "filename"])
    .index("by_storageId", ["storageId"]),

  /** Counters; "seq" numbers every write to a synced table (one serialised counter: no skipped changes). */
  sync_state: defineTable({
    key: v.string(),
    value: v.number(),
  }).index("by_key", ["key"]),
});
