// The pure part of pulling changes from Convex into PocketBase (production and hybrid modes): the
// version the office server holds for a record, what to do with a pulled one (the same
// resolveIncoming Convex runs, so both ends pick the same winner), and which fields to write.
// Runs in PocketBase's JS VM (goja).
import {
  ORIGIN_CONVEX, ORIGIN_POCKETBASE, resolveIncoming, syncRecord, versionOf,
  type LwwOutcome, type SyncChange, type SyncCollection, type SyncVersion,
} from "./sync";

/**
 * The office server's version of a record: the record as it is now (`current`, exported), or, when it
 * is gone, the delete still waiting in the outbox (`pendingDeleteUpdated`: its clock), so an older
 * upsert pulled meanwhile cannot bring the record back. null when the server knows nothing of it.
 * Local versions count as written here ("pocketbase"), whatever wrote them.
 */
export function localVersionOf(
  collection: SyncCollection, current: Record<string, unknown> | null, pendingDeleteUpdated: string | null,
): SyncVersion | null {
  if (current) {
    return { updated: String(current.updated ?? ""), deleted: false, record: syncRecord(collection, current), origin: ORIGIN_POCKETBASE };
  }
  if (pendingDeleteUpdated) return { updated: pendingDeleteUpdated, deleted: true, record: null, origin: ORIGIN_POCKETBASE };
  return null;
}

export interface PullDecision extends LwwOutcome {
  local: SyncVersion | null;
  incoming: SyncVersion;
}

/** What to do with a pulled change given the local version (its origin defaults to "convex"). */
export function decidePull(change: SyncChange, local: SyncVersion | null): PullDecision {
  const incoming = versionOf(change, ORIGIN_CONVEX);
  return { ...resolveIncoming(local, incoming), local, incoming };
}

/**
 * The fields to write from a pulled record: those the collection has (`fieldNames`), plus `created`
 * for a new record. Fields the collection does not have (added on a newer deployment) are listed in
 * `unknown` and left out.
 */
export function fieldsToWrite(record: Record<string, unknown>, fieldNames: readonly string[], isNew: boolean): { set: Record<string, unknown>; unknown: string[] } {
  const set: Record<string, unknown> = {};
  const unknown: string[] = [];
  const known: Record<string, boolean> = {};
  for (let i = 0; i < fieldNames.length; i++) known[fieldNames[i]] = true;
  const keys = Object.keys(record);
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    if (k === "created") {
      if (isNew && typeof record[k] === "string" && record[k]) set.created = record[k];
      continue;
    }
    if (k === "id" || k === "updated" || k === "collectionId" || k === "collectionName" || k === "expand") continue;
    if (known[k]) set[k] = record[k];
    else unknown.push(k);
  }
  return { set, unknown };
}
