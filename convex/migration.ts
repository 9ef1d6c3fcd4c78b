// Public functions the office's CLI calls with the `convex` client (ConvexHttpClient, CONVEX_URL =
// https://<deployment>.convex.cloud): `hvac import-convex` and `hvac verify`. Public because a deploy
// key must never live on the office server; each call carries CONVEX_SYNC_SECRET and is refused
// without it (convex/secret.ts), exactly like the HTTP actions.
//
//   migration:importBatch({secret, collection, changes}) -> {results:[{id,status}]}
//     the same change shape, checks and last-writer-wins write path as POST /pocketbase/push
//     (applyChangeList in convex/sync.ts): idempotent, a replayed batch answers "skipped".
//   migration:page({secret, collection, cursor, numItems}) -> {records:[{id,updated,record}], isDone, continueCursor}
//     the live (not deleted) records of one synced table, a page at a time (a query has 1 s).
//
// Errors are ConvexError {code, message, field?}: "unauthorized", "misconfigured", "bad_request".
import { ConvexError, v } from "convex/values";
import { mutation, query } from "./_generated/server";
import { assertSyncSecret } from "./secret";
import { applyChangeList } from "./sync";
import {
  changeBytes, CONVEX_MUTATION_BYTES, CONVEX_MUTATION_DOCS, isSyncCollection, parsePushRequest, SyncFormatError, SYNC_COLLECTIONS,
  type PushResult, type SyncChange, type SyncCollection,
} from "../src/domain/sync";

/** Records per page at most, and bytes read per page (Convex reads at most 16 MiB per query). */
export const MAX_PAGE_ITEMS = 1000;
const PAGE_MAX_BYTES = 4_000_000;

function badRequest(message: string, field: string): ConvexError<{ code: string; message: string; field: string }> {
  return new ConvexError({ code: "bad_request", message: `${field}: ${message}`, field });
}

function collectionArg(collection: string): SyncCollection {
  if (!isSyncCollection(collection)) throw badRequest(`expected one of ${SYNC_COLLECTIONS.join(", ")}, got ${JSON.stringify(collection)}`, "collection");
  return collection;
}

export const importBatch = mutation({
  args: { secret: v.string(), collection: v.string(), changes: v.any() },
  handler: async (ctx, { secret, collection, changes }): Promise<{ results: PushResult[] }> => {
    assertSyncSecret(secret);
    const name = collectionArg(collection);
    let parsed: SyncChange[];
    try {
      parsed = parsePushRequest({ changes });
    } catch (e) {
      if (e instanceof SyncFormatError) throw badRequest(e.detail, e.path);
      throw e;
    }
    if (parsed.length > CONVEX_MUTATION_DOCS) throw badRequest(`${parsed.length} changes, at most ${CONVEX_MUTATION_DOCS} per batch`, "changes");
    let bytes = 0;
    for (let i = 0; i < parsed.length; i++) {
      if (parsed[i].collection !== name) throw badRequest(`expected "${name}" (the batch's collection), got "${parsed[i].collection}"`, `changes[${i}].collection`);
      bytes += changeBytes(parsed[i]);
    }
    if (bytes > CONVEX_MUTATION_BYTES) throw badRequest(`${bytes} bytes, at most ${CONVEX_MUTATION_BYTES} per batch`, "changes");
    const results = await applyChangeList(ctx.db as unknown as Parameters<typeof applyChangeList>[0], parsed);
    return { results };
  },
});

interface Stored {
  pbId: string;
  updated: string;
  deleted: boolean;
  record: Record<string, unknown> | null;
}

export const page = query({
  args: { secret: v.string(), collection: v.string(), cursor: v.union(v.string(), v.null()), numItems: v.number() },
  handler: async (ctx, { secret, collection, cursor, numItems }) => {
    assertSyncSecret(secret);
    const name = collectionArg(collection);
    if (!Number.isInteger(numItems) || numItems < 1 || numItems > MAX_PAGE_ITEMS) {
      throw badRequest(`expected a whole number from 1 to ${MAX_PAGE_ITEMS}, got ${numItems}`, "numItems");
    }
    const result = await ctx.db.query(name).withIndex("by_pbId").paginate({ cursor, numItems, maximumBytesRead: PAGE_MAX_BYTES });
    const records: { id: string; updated: string; record: Record<string, unknown> }[] = [];
    for (const d of result.page as unknown as Stored[]) {
      // Tombstones keep a deleted record from coming back; they are not records.
      if (!d.deleted && d.record) records.push({ id: d.pbId, updated: d.updated, record: d.record });
    }
    return { records, isDone: result.isDone, continueCursor: result.continueCursor };
  },
});
