// The pure part of draining the sync outbox (pb_migrations/1795590000_outbox.js, pb_hooks/src/sync.ts):
// coalescing the rows of one record, the change a record's current state makes, what a failed
// delivery does to the rows, and what the answers mean. Runs in PocketBase's JS VM (goja): no Intl,
// TextEncoder, named groups or \p{..} here.
//
// Delivery is at-least-once and idempotent: an upsert always sends the record's state read at drain
// time, and rows are deleted only after the target confirmed them, so a drain killed half-way simply
// sends the same states again (Convex answers "skipped", Weaviate overwrites the object).
import {
  afterFailure, isSyncCollection, normalizeUpdated, syncRecord, SyncFormatError,
  type PushResult, type RetryPolicy, type SyncChange, type SyncCollection, type SyncOp,
} from "./sync";
import { toPbDate } from "./time";

export const SYNC_TARGETS = ["convex", "weaviate"] as const;
export type SyncTarget = (typeof SYNC_TARGETS)[number];

export function isSyncTarget(value: unknown): value is SyncTarget {
  return value === "convex" || value === "weaviate";
}

/** One row of hvac_outbox as the drain reads it. */
export interface OutboxRow {
  seq: number;
  collection: string;
  rid: string;
  op: string;
  /** The change's clock (the record's `updated`; for a delete, when it was deleted). */
  updated: string;
  attempts: number;
}

/** The rows of one record, coalesced: only the latest matters, the record's current state is sent. */
export interface OutboxEntry {
  collection: SyncCollection;
  rid: string;
  /** The op of the latest row. */
  op: SyncOp;
  /** The latest row's clock. */
  updated: string;
  /** Every row taken for this record, ascending. */
  seqs: number[];
  /** The latest of them: delivery deletes the record's rows up to here. */
  maxSeq: number;
  /** The most failures any of the rows has had. */
  attempts: number;
}

/**
 * Groups rows (in seq order) by record. Entries come in the order of their latest row. Rows of a
 * collection that does not sync (anymore) or with an unknown op come back in `invalid`, to be parked.
 */
export function coalesceRows(rows: readonly OutboxRow[]): { entries: OutboxEntry[]; invalid: OutboxRow[] } {
  const byKey: Record<string, OutboxEntry> = {};
  const invalid: OutboxRow[] = [];
  const order: OutboxEntry[] = [];
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    if (!isSyncCollection(row.collection) || (row.op !== "upsert" && row.op !== "delete") || !row.rid) {
      invalid.push(row);
      continue;
    }
    const key = `${row.collection}/${row.rid}`;
    let entry = byKey[key];
    if (!entry) {
      entry = { collection: row.collection, rid: row.rid, op: row.op, updated: row.updated, seqs: [], maxSeq: row.seq, attempts: 0 };
      byKey[key] = entry;
    }
    entry.seqs.push(row.seq);
    if (row.seq >= entry.maxSeq) {
      entry.maxSeq = row.seq;
      entry.op = row.op;
      entry.updated = row.updated;
    }
    const attempts = Math.max(0, Math.floor(Number(row.attempts) || 0));
    if (attempts > entry.attempts) entry.attempts = attempts;
    order.push(entry);
  }
  // Each entry once, placed at its latest row (a record changed again later goes later).
  const seen: Record<string, boolean> = {};
  const entries: OutboxEntry[] = [];
  for (let i = order.length - 1; i >= 0; i--) {
    const key = `${order[i].collection}/${order[i].rid}`;
    if (seen[key]) continue;
    seen[key] = true;
    entries.push(order[i]);
  }
  entries.reverse();
  for (let i = 0; i < entries.length; i++) entries[i].seqs.sort((a, b) => a - b);
  return { entries, invalid };
}

/**
 * The change to send for a record, from its state now (`current`: the exported record, null when it
 * no longer exists): the current state wins over the op that queued it. A record that exists is an
 * upsert at its own `updated`; one that is gone is a delete, at the clock of the delete row, or
 * `nowMs` when its latest row was an upsert (it was deleted after the rows were taken).
 */
export function changeForEntry(entry: OutboxEntry, current: Record<string, unknown> | null, nowMs: number): SyncChange {
  if (current) {
    let updated: string;
    try {
      updated = normalizeUpdated(current.updated, "updated");
    } catch (e) {
      if (!(e instanceof SyncFormatError)) throw e;
      updated = toPbDate(nowMs);
    }
    return { collection: entry.collection, id: entry.rid, op: "upsert", updated, record: syncRecord(entry.collection, current) };
  }
  let updated = toPbDate(nowMs);
  if (entry.op === "delete") {
    try {
      updated = normalizeUpdated(entry.updated, "updated");
    } catch (e) {
      if (!(e instanceof SyncFormatError)) throw e;
    }
  }
  return { collection: entry.collection, id: entry.rid, op: "delete", updated, record: null };
}

/** `[[collection, rid, maxSeq], ...]` as JSON: delivery deletes each record's rows up to its maxSeq. */
export function deliveredKeys(entries: readonly OutboxEntry[]): string {
  const keys: [string, string, number][] = [];
  for (let i = 0; i < entries.length; i++) keys.push([entries[i].collection, entries[i].rid, entries[i].maxSeq]);
  return JSON.stringify(keys);
}

/** Every seq of the entries as a JSON array (for `seq IN (SELECT value FROM json_each(...))`). */
export function seqList(entries: readonly OutboxEntry[]): string {
  const out: number[] = [];
  for (let i = 0; i < entries.length; i++) for (let j = 0; j < entries[i].seqs.length; j++) out.push(entries[i].seqs[j]);
  return JSON.stringify(out);
}

/** What a failed delivery does to the rows of some entries: one group per resulting attempt count. */
export interface FailureGroup {
  attempts: number;
  dead: boolean;
  /** Epoch ms; 0 for dead rows. */
  nextAttemptAt: number;
  lastError: string;
  entries: OutboxEntry[];
}

/**
 * The rows' next state after the entries failed together (one request): each entry counts one more
 * failure and is parked as dead after `policy.maxAttempts`. One random draw for the whole request,
 * so the entries stay together and come back as one request (the jitter spreads requests, not the
 * entries of one).
 */
export function failureGroups(
  entries: readonly OutboxEntry[], error: string, now: number, random: () => number, policy: RetryPolicy,
): FailureGroup[] {
  const r = random();
  const groups: Record<string, FailureGroup> = {};
  const out: FailureGroup[] = [];
  for (let i = 0; i < entries.length; i++) {
    const outcome = afterFailure(entries[i].attempts, error, now, () => r, policy);
    const key = `${outcome.attempts}`;
    let g = groups[key];
    if (!g) {
      g = {
        attempts: outcome.attempts,
        dead: outcome.state === "dead",
        nextAttemptAt: outcome.state === "retry" ? outcome.nextAttemptAt : 0,
        lastError: outcome.lastError,
        entries: [],
      };
      groups[key] = g;
      out.push(g);
    }
    g.entries.push(entries[i]);
  }
  return out;
}

/** Parks entries at once (a change the target can never take): dead, with the reason. */
export function deadGroup(entries: readonly OutboxEntry[], reason: string): FailureGroup {
  let attempts = 0;
  for (let i = 0; i < entries.length; i++) attempts = Math.max(attempts, entries[i].attempts);
  return { attempts: attempts + 1, dead: true, nextAttemptAt: 0, lastError: String(reason).slice(0, 1000), entries: entries.slice() };
}

/** Splits a push's entries by Convex's answer (results checked by parsePushResponse, same order). */
export function pushOutcome<T>(items: readonly T[], results: readonly PushResult[]): { delivered: T[]; conflicts: T[]; applied: number; skipped: number } {
  if (results.length !== items.length) throw new RangeError(`pushOutcome: ${results.length} results for ${items.length} changes`);
  const delivered: T[] = [];
  const conflicts: T[] = [];
  let applied = 0;
  let skipped = 0;
  for (let i = 0; i < items.length; i++) {
    delivered.push(items[i]);
    if (results[i].status === "conflict") conflicts.push(items[i]);
    else if (results[i].status === "applied") applied++;
    else skipped++;
  }
  return { delivered, conflicts, applied, skipped };
}

/** The first line of an error, for lastError (Go errors from $http.send carry the URL and cause). */
export function errorText(err: unknown): string {
  let s: string;
  if (err && typeof err === "object" && "message" in err) s = String((err as { message: unknown }).message);
  else s = String(err);
  return s.replace(/\s+/g, " ").trim().slice(0, 500);
}

/** A short description of an HTTP answer that is not a success: status and the start of the body. */
export function answerText(status: number, raw: string, parsedMessage?: string): string {
  const body = parsedMessage || String(raw || "").replace(/\s+/g, " ").trim();
  return `HTTP ${status}${body ? `: ${body.slice(0, 300)}` : ""}`;
}

/** The message of an error body: Convex `{"code","message"}`, Weaviate `{"error":[{"message"}]}`. */
export function errorBodyMessage(raw: string): string {
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    return "";
  }
  if (!body || typeof body !== "object") return "";
  const b = body as Record<string, unknown>;
  if (typeof b.message === "string") return b.message;
  if (Array.isArray(b.error)) {
    const parts: string[] = [];
    for (let i = 0; i < b.error.length; i++) {
      const e = b.error[i] as { message?: unknown } | null;
      if (e && typeof e.message === "string") parts.push(e.message);
    }
    return parts.join("; ");
  }
  return "";
}
