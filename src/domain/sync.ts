// The pure core of PocketBase <-> Convex sync: the change shape of the wire contract (issue 5), strict
// parsing of everything that crosses the wire, last-writer-wins, echo prevention, and the outbox's
// delivery policy (backoff, dead letters, batches within Convex's limits).
//
// One source for both ends: PocketBase's hooks (goja VM: no Intl, TextEncoder, named groups or \p{..}
// here), the `hvac` CLI, and the Convex functions in convex/ import this file, so both sides pick
// the same winner for the same pair of versions.
//
// Wire contract (keep it exactly; it is how deployments interoperate):
//   POST /pocketbase/push  {"changes":[{collection,id,op,updated,record}]}
//                          -> 200 {"results":[{id,status:"applied"|"skipped"|"conflict"}]} (one per change, in order)
//   GET  /pocketbase/pull?since=CURSOR&limit=N -> 200 {"changes":[...same shape...],"cursor":"..."}
// A change may also carry `origin` (who wrote it; default "pocketbase" on a push). Unknown fields
// are ignored, so a newer deployment can add fields without breaking an older one.
import { parseTimestamp, toPbDate } from "./time";
import { hasLoneSurrogate, isAscii, utf8Length } from "./utf8";

// ---------------------------------------------------------------- what syncs

/**
 * The collections that sync. Business records only: `users` stays per server (an auth collection
 * with password hashes and token keys; identities are managed where people log in), and
 * `realtime_events` stays local (short-lived notifications for the people logged in to this
 * server, location pings pruned after 30 days, far more writes than data). Relation fields keep
 * PocketBase ids, so `jobs.technicianId` names a user of the office server.
 */
export const SYNC_COLLECTIONS = ["contacts", "jobs", "invoices", "equipment_photos", "equipment"] as const;
export type SyncCollection = (typeof SYNC_COLLECTIONS)[number];

export function isSyncCollection(name: unknown): name is SyncCollection {
  return typeof name === "string" && (SYNC_COLLECTIONS as readonly string[]).indexOf(name) >= 0;
}

/** Record keys that never travel: the id and `updated` travel beside the record; the rest is local. */
const NOT_SYNCED_ALWAYS = ["id", "updated", "collectionId", "collectionName", "expand"];
const NOT_SYNCED: Record<SyncCollection, string[]> = {
  contacts: [],
  // The short-lived optimistic write lock of the jobs hook (pb_migrations/1795560000_jobs_write_lock.js).
  jobs: ["writeLock"],
  invoices: [],
  equipment_photos: [],
  equipment: [],
};

/** The part of an exported PocketBase record that syncs (a new object; the input is not changed). */
export function syncRecord(collection: SyncCollection, exported: Record<string, unknown>): Record<string, unknown> {
  const skip = NOT_SYNCED_ALWAYS.concat(NOT_SYNCED[collection] || []);
  const out: Record<string, unknown> = {};
  const keys = Object.keys(exported);
  for (let i = 0; i < keys.length; i++) {
    if (skip.indexOf(keys[i]) < 0 && exported[keys[i]] !== undefined) out[keys[i]] = exported[keys[i]];
  }
  return out;
}

// ---------------------------------------------------------------- the change shape

export type SyncOp = "upsert" | "delete";

/** Who wrote a version. Pushes default to the office server; writes made on Convex are "convex". */
export const ORIGIN_POCKETBASE = "pocketbase";
export const ORIGIN_CONVEX = "convex";

export interface SyncChange {
  collection: SyncCollection;
  /** The PocketBase record id. */
  id: string;
  op: SyncOp;
  /** When this version was written, PocketBase's format ("2026-11-24 10:00:00.000Z"): the LWW clock. */
  updated: string;
  /** The synced fields (see syncRecord); null for a delete. */
  record: Record<string, unknown> | null;
  /** Who wrote this version; absent on the wire means the sender (a push: "pocketbase"). */
  origin?: string;
}

export type PushStatus = "applied" | "skipped" | "conflict";
export const PUSH_STATUSES: readonly PushStatus[] = ["applied", "skipped", "conflict"];

export interface PushResult {
  id: string;
  status: PushStatus;
}

export interface PullAnswer {
  changes: SyncChange[];
  cursor: string;
}

/**
 * Anything that crossed the wire and does not have the agreed shape: a bad request body, a malformed
 * answer. `path` names the offending value the way a reader finds it, e.g. `changes[3].updated`.
 */
export class SyncFormatError extends Error {
  readonly path: string;
  readonly detail: string;
  constructor(path: string, detail: string) {
    super(`${path}: ${detail}`);
    this.name = "SyncFormatError";
    this.path = path;
    this.detail = detail;
  }
}

// ---------------------------------------------------------------- limits

/**
 * Convex stores at most 1 MiB per document. A change is measured as the UTF-8 length of its JSON;
 * the margin below 1,048,576 covers the stored document's own fields and encoding.
 */
export const CONVEX_MAX_DOC_BYTES = 1_000_000;
/** Convex accepts at most 8 MiB of arguments per call (and per HTTP action body we stay below it). */
export const CONVEX_MAX_REQUEST_BYTES = 8_000_000;
/** Changes per push request: a few hundred per Convex mutation (8,192 writes per transaction at most). */
export const DEFAULT_BATCH_DOCS = 200;
/** The most changes the push endpoint takes in one request. */
export const MAX_PUSH_CHANGES = 1000;
/** Changes per internal mutation inside the push endpoint (each stays far below 1 s and the write limits). */
export const CONVEX_MUTATION_DOCS = 100;
export const CONVEX_MUTATION_BYTES = 4_000_000;
/** Pull page sizes. */
export const DEFAULT_PULL_LIMIT = 100;
export const MAX_PULL_LIMIT = 1000;
/** A pull answer stops adding changes after this many bytes (always at least one change). */
export const PULL_MAX_BYTES = 4_000_000;

const ID = /^[A-Za-z0-9_-]{1,64}$/;
const ORIGIN = /^[a-z0-9][a-z0-9_.:-]{0,63}$/;
/** Full date and time with an explicit zone: the LWW clock must not depend on a server's zone. */
const DATETIME = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:?\d{2})$/;
const CURSOR = /^(0|[1-9][0-9]{0,14})$/;

/** Convex's limits on values (docs.convex.dev, "Data types"); nesting kept conservative. */
const CONVEX_MAX_ARRAY = 8192;
const CONVEX_MAX_FIELDS = 1024;
const CONVEX_MAX_FIELD_NAME = 1024;
const MAX_NESTING = 16;
/** Printable ASCII, not starting with "$" or "_" (a regular expression: loops are slow in the hooks' VM). */
const FIELD_NAME = /^[\x20-\x23\x25-\x5e\x60-\x7e][\x20-\x7e]*$/;

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "string") return value.length > 40 ? `"${value.slice(0, 40)}..."` : `"${value}"`;
  if (typeof value === "object") return "an object";
  return `${typeof value} ${String(value)}`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function quoteKey(key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}

interface ValueProblem {
  path: string;
  detail: string;
}

function valueProblem(value: unknown, path: string, depth: number): ValueProblem | null {
  if (value === null || typeof value === "boolean") return null;
  if (typeof value === "number") return Number.isFinite(value) ? null : { path, detail: `${value} is not a finite number` };
  if (typeof value === "string") return hasLoneSurrogate(value) ? { path, detail: "the text holds an unpaired surrogate (not valid Unicode)" } : null;
  if (depth >= MAX_NESTING) return { path, detail: `nested deeper than ${MAX_NESTING} levels` };
  if (Array.isArray(value)) {
    if (value.length > CONVEX_MAX_ARRAY) return { path, detail: `${value.length} values, Convex stores at most ${CONVEX_MAX_ARRAY} in an array` };
    for (let i = 0; i < value.length; i++) {
      const p = valueProblem(value[i], `${path}[${i}]`, depth + 1);
      if (p) return p;
    }
    return null;
  }
  if (!isPlainObject(value)) return { path, detail: `${typeof value} is not a JSON value` };
  const keys = Object.keys(value);
  if (keys.length > CONVEX_MAX_FIELDS) return { path, detail: `${keys.length} fields, Convex stores at most ${CONVEX_MAX_FIELDS} in an object` };
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    if (k === "") return { path, detail: "a field name is empty (Convex needs non-empty field names)" };
    if (k.length > CONVEX_MAX_FIELD_NAME) return { path, detail: `a field name is longer than ${CONVEX_MAX_FIELD_NAME} characters` };
    if (!FIELD_NAME.test(k)) {
      const at = `${path}${quoteKey(k)}`;
      if (k[0] === "$" || k[0] === "_") return { path: at, detail: `field names starting with "${k[0]}" are reserved in Convex` };
      return { path: at, detail: "Convex field names may only hold printable ASCII characters" };
    }
    const v = value[k];
    if (v === undefined || v === null || typeof v === "boolean") continue;
    if (typeof v === "string" && isAscii(v)) continue; // the common case, without a call
    const p = valueProblem(v, `${path}${quoteKey(k)}`, depth + 1);
    if (p) return p;
  }
  return null;
}

/**
 * Why Convex would refuse to store this value, as "<path>: <why>", or null when it is fine: field
 * names must be non-empty printable ASCII not starting with "$" or "_", arrays hold at most 8,192
 * values, objects 1,024 fields, strings must be valid Unicode, nesting stays within 16 levels.
 * Checked on both ends, so a bad record is a dead letter on the office server instead of a batch
 * that Convex refuses forever.
 */
export function convexValueProblem(value: unknown, path: string): string | null {
  const p = valueProblem(value, path, 0);
  return p ? `${p.path}: ${p.detail}` : null;
}

/** Normalises a wire timestamp to PocketBase's format, or throws naming `path`. */
export function normalizeUpdated(value: unknown, path: string): string {
  if (typeof value !== "string") throw new SyncFormatError(path, `expected a date-time text such as "2026-11-24 10:00:00.000Z", got ${describe(value)}`);
  const ms = DATETIME.test(value.trim()) ? parseTimestamp(value) : NaN;
  if (!Number.isFinite(ms)) {
    throw new SyncFormatError(path, `expected a date-time with a time zone such as "2026-11-24 10:00:00.000Z", got ${describe(value)}`);
  }
  return toPbDate(ms);
}

/** Parses one change from untrusted JSON. `path` prefixes every error (e.g. "changes[3]"). */
export function parseChange(raw: unknown, path: string): SyncChange {
  if (!isPlainObject(raw)) throw new SyncFormatError(path, `expected an object, got ${describe(raw)}`);
  const { collection, id, op, updated, record, origin } = raw;
  if (!isSyncCollection(collection)) {
    throw new SyncFormatError(`${path}.collection`, `expected one of ${SYNC_COLLECTIONS.join(", ")}, got ${describe(collection)}`);
  }
  if (typeof id !== "string" || !ID.test(id)) {
    throw new SyncFormatError(`${path}.id`, `expected a record id (1-64 letters, digits, "_" or "-"), got ${describe(id)}`);
  }
  if (op !== "upsert" && op !== "delete") throw new SyncFormatError(`${path}.op`, `expected "upsert" or "delete", got ${describe(op)}`);
  const when = normalizeUpdated(updated, `${path}.updated`);
  let rec: Record<string, unknown> | null = null;
  if (op === "upsert") {
    if (!isPlainObject(record)) throw new SyncFormatError(`${path}.record`, `expected the record's fields as an object, got ${describe(record)}`);
    const problem = valueProblem(record, `${path}.record`, 0);
    if (problem) throw new SyncFormatError(problem.path, problem.detail);
    rec = record;
  } else if (record !== undefined && record !== null && !isPlainObject(record)) {
    // A delete's record is dropped; null, absent or the last fields are all accepted.
    throw new SyncFormatError(`${path}.record`, `expected null for a delete, got ${describe(record)}`);
  }
  const change: SyncChange = { collection, id, op, updated: when, record: rec };
  if (origin !== undefined && origin !== null) {
    if (typeof origin !== "string" || !ORIGIN.test(origin)) {
      throw new SyncFormatError(`${path}.origin`, `expected a short lower-case name such as "pocketbase", got ${describe(origin)}`);
    }
    change.origin = origin;
  }
  return change;
}

/** Parses an array of changes (`path` names the array). */
export function parseChanges(raw: unknown, path: string, max = MAX_PUSH_CHANGES): SyncChange[] {
  if (!Array.isArray(raw)) throw new SyncFormatError(path, `expected an array of changes, got ${describe(raw)}`);
  if (raw.length > max) throw new SyncFormatError(path, `${raw.length} changes, at most ${max} per request`);
  const out: SyncChange[] = [];
  for (let i = 0; i < raw.length; i++) out.push(parseChange(raw[i], `${path}[${i}]`));
  return out;
}

/**
 * The body of POST /pocketbase/push: `{"changes":[...]}`, each change storable in Convex (values and
 * at most CONVEX_MAX_DOC_BYTES).
 */
export function parsePushRequest(body: unknown): SyncChange[] {
  if (!isPlainObject(body)) throw new SyncFormatError("body", `expected {"changes":[...]}, got ${describe(body)}`);
  const changes = parseChanges(body.changes, "changes");
  for (let i = 0; i < changes.length; i++) {
    const bytes = changeBytes(changes[i]);
    if (bytes > CONVEX_MAX_DOC_BYTES) {
      throw new SyncFormatError(`changes[${i}].record`, `too large: ${bytes} bytes as JSON, at most ${CONVEX_MAX_DOC_BYTES} (Convex stores at most 1 MiB per document)`);
    }
  }
  return changes;
}

/**
 * Checks Convex's answer to a push of `sent`: exactly one result per change, in order, with the same
 * id and a known status. Anything else is a SyncFormatError (the batch is then retried as a failure).
 */
export function parsePushResponse(body: unknown, sent: readonly SyncChange[]): PushResult[] {
  if (!isPlainObject(body)) throw new SyncFormatError("answer", `expected {"results":[...]}, got ${describe(body)}`);
  const results = body.results;
  if (!Array.isArray(results)) throw new SyncFormatError("results", `expected an array, got ${describe(results)}`);
  if (results.length !== sent.length) {
    throw new SyncFormatError("results", `expected ${sent.length} results (one per change sent), got ${results.length}`);
  }
  const out: PushResult[] = [];
  for (let i = 0; i < results.length; i++) {
    const r = results[i];
    const path = `results[${i}]`;
    if (!isPlainObject(r)) throw new SyncFormatError(path, `expected an object, got ${describe(r)}`);
    if (r.id !== sent[i].id) throw new SyncFormatError(`${path}.id`, `expected "${sent[i].id}" (the change sent at this place), got ${describe(r.id)}`);
    if (typeof r.status !== "string" || PUSH_STATUSES.indexOf(r.status as PushStatus) < 0) {
      throw new SyncFormatError(`${path}.status`, `expected "applied", "skipped" or "conflict", got ${describe(r.status)}`);
    }
    out.push({ id: r.id, status: r.status as PushStatus });
  }
  return out;
}

/** Checks Convex's answer to a pull: `{"changes":[...],"cursor":"..."}`. */
export function parsePullResponse(body: unknown, limit = MAX_PULL_LIMIT): PullAnswer {
  if (!isPlainObject(body)) throw new SyncFormatError("answer", `expected {"changes":[...],"cursor":"..."}, got ${describe(body)}`);
  const changes = parseChanges(body.changes, "changes", limit);
  if (typeof body.cursor !== "string" || !CURSOR.test(body.cursor)) {
    throw new SyncFormatError("cursor", `expected a cursor text of digits, got ${describe(body.cursor)}`);
  }
  return { changes, cursor: body.cursor };
}

// ---------------------------------------------------------------- pull cursors and query

/**
 * Pull cursors are the decimal text of a change sequence number: every write on Convex takes the next
 * number in one serialised counter, so "everything after N" never skips a write committed later.
 * Clients treat them as opaque; "" or absent means from the beginning.
 */
export function formatCursor(seq: number): string {
  return String(seq);
}

export function parseCursor(raw: unknown, path = "since"): number {
  if (raw === undefined || raw === null || raw === "") return 0;
  if (typeof raw !== "string" || !CURSOR.test(raw)) throw new SyncFormatError(path, `expected a cursor from an earlier pull (digits), got ${describe(raw)}`);
  return Number(raw);
}

export interface PullQuery {
  since: number;
  limit: number;
  /** Changes whose latest version came from this origin are left out (no echo). */
  origin: string;
}

/** The query of GET /pocketbase/pull (`since`, `limit`, optional `origin`). */
export function parsePullQuery(params: { get(name: string): string | null }): PullQuery {
  const since = parseCursor(params.get("since") ?? "", "since");
  const rawLimit = params.get("limit");
  let limit = DEFAULT_PULL_LIMIT;
  if (rawLimit !== null && rawLimit !== "") {
    if (!/^[0-9]{1,5}$/.test(rawLimit) || Number(rawLimit) < 1 || Number(rawLimit) > MAX_PULL_LIMIT) {
      throw new SyncFormatError("limit", `expected a whole number from 1 to ${MAX_PULL_LIMIT}, got ${describe(rawLimit)}`);
    }
    limit = Number(rawLimit);
  }
  const origin = params.get("origin") || ORIGIN_POCKETBASE;
  if (!ORIGIN.test(origin)) throw new SyncFormatError("origin", `expected a short lower-case name such as "pocketbase", got ${describe(origin)}`);
  return { since, limit, origin };
}

// ---------------------------------------------------------------- canonical JSON

/**
 * JSON with object keys sorted by UTF-16 code units (compareCodeUnits) and no spaces:
 * equal data gives equal text on both ends, whatever order the fields were written in.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "number") return Number.isFinite(value) ? JSON.stringify(value === 0 ? 0 : value) : "null";
  if (typeof value === "string" || typeof value === "boolean") return JSON.stringify(value);
  if (Array.isArray(value)) {
    const parts: string[] = [];
    for (let i = 0; i < value.length; i++) parts.push(value[i] === undefined || typeof value[i] === "function" ? "null" : canonicalJson(value[i]));
    return `[${parts.join(",")}]`;
  }
  if (typeof value === "object") {
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj);
    // Native sort orders ASCII the same everywhere; beyond ASCII goja and V8 disagree (measured).
    if (isAscii(keys.join(""))) keys.sort();
    else keys.sort(compareCodeUnits);
    const parts: string[] = [];
    for (let i = 0; i < keys.length; i++) {
      const v = obj[keys[i]];
      if (v === undefined || typeof v === "function") continue;
      parts.push(`${JSON.stringify(keys[i])}:${canonicalJson(v)}`);
    }
    return `{${parts.join(",")}}`;
  }
  return "null";
}

// ---------------------------------------------------------------- last writer wins

/** One version of a record as either end holds it. */
export interface SyncVersion {
  /** PocketBase's format (normalizeUpdated). */
  updated: string;
  deleted: boolean;
  record: Record<string, unknown> | null;
  origin: string;
}

export function versionOf(change: SyncChange, defaultOrigin = ORIGIN_POCKETBASE): SyncVersion {
  return {
    updated: change.updated,
    deleted: change.op === "delete",
    record: change.op === "delete" ? null : change.record,
    origin: change.origin || defaultOrigin,
  };
}

export function changeOf(collection: SyncCollection, id: string, v: SyncVersion): SyncChange {
  return { collection, id, op: v.deleted ? "delete" : "upsert", updated: v.updated, record: v.deleted ? null : v.record, origin: v.origin };
}

/** The LWW clock of a version in ms; an unreadable one (never from parseChange) sorts first. */
function clock(v: SyncVersion): number {
  const t = parseTimestamp(v.updated);
  return Number.isFinite(t) ? t : -Infinity;
}

function sameContent(a: SyncVersion, b: SyncVersion): boolean {
  if (a.deleted || b.deleted) return a.deleted === b.deleted;
  return canonicalJson(a.record) === canonicalJson(b.record);
}

/**
 * Orders two versions: > 0 when `a` wins, < 0 when `b` wins, 0 when they are the same version.
 * Later `updated` wins. On equal `updated` (same millisecond) the tie is broken by content alone, so
 * both ends pick the same winner whichever of the two they hold: a delete wins over an upsert (a
 * deletion was meant; an equal-time edit may not have seen it), and between two upserts the one whose
 * canonical JSON sorts later wins. The writer's origin never decides.
 */
export function compareVersions(a: SyncVersion, b: SyncVersion): number {
  const ta = clock(a);
  const tb = clock(b);
  if (ta !== tb) return ta > tb ? 1 : -1;
  if (a.deleted !== b.deleted) return a.deleted ? 1 : -1;
  if (a.deleted) return 0;
  return compareCodeUnits(canonicalJson(a.record), canonicalJson(b.record));
}

/**
 * Orders two strings by UTF-16 code units (-1, 0, 1), spelled out rather than left to `<`, so the
 * order cannot depend on how a JS engine compares strings with characters outside the BMP. The first
 * difference is found by halving with native slice comparisons (loops are slow in the hooks' VM).
 */
export function compareCodeUnits(a: string, b: string): number {
  if (a === b) return 0;
  let lo = 0;
  let hi = Math.min(a.length, b.length);
  // a and b agree on [0, lo); the first difference is at or before hi.
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (a.slice(lo, mid) === b.slice(lo, mid)) lo = mid;
    else hi = mid - 1;
  }
  const d = lo < Math.min(a.length, b.length) ? a.charCodeAt(lo) - b.charCodeAt(lo) : a.length - b.length;
  return d > 0 ? 1 : d < 0 ? -1 : 0;
}

/**
 * The version a local write creates (`record` null = a delete). Its clock is `nowMs`, or 1 ms after
 * the stored version's when the local clock is behind (a version pulled from a server whose clock runs
 * ahead): the clock of a record never goes back, or the write would lose on the other end and the two
 * ends would stay different. Both ends write through this.
 */
export function localVersion(stored: SyncVersion | null, record: Record<string, unknown> | null, nowMs: number, origin: string): SyncVersion {
  const prev = stored ? clock(stored) : -Infinity;
  const at = prev >= nowMs ? prev + 1 : nowMs;
  return { updated: toPbDate(at), deleted: record === null, record, origin };
}

export interface LwwOutcome {
  /** The push answer for this change. */
  status: PushStatus;
  /** Store the incoming version. */
  write: boolean;
  /** Keep both versions in sync_conflicts for review. */
  conflict: boolean;
}

/**
 * What to do with an incoming version given the stored one (null when the record is unknown here):
 * - applied: the incoming version wins and is stored (a tombstone for a delete, so an older upsert
 *   that arrives late cannot bring the record back);
 * - skipped: nothing to do - the same content at the same or a later time is already here (a replay),
 *   or the incoming version is older than a later one from the same origin (superseded on its way);
 * - conflict: the incoming version loses against a different version written elsewhere; it is
 *   kept in sync_conflicts. A same-millisecond tie between different content from two origins is
 *   a conflict too, recorded whichever side the tie-break picks.
 */
export function resolveIncoming(stored: SyncVersion | null, incoming: SyncVersion): LwwOutcome {
  if (!stored) return { status: "applied", write: true, conflict: false };
  const order = compareVersions(incoming, stored);
  if (sameContent(stored, incoming)) {
    // Same data: move the clock forward (both ends end up with the latest `updated`), nothing else.
    return order > 0 ? { status: "applied", write: true, conflict: false } : { status: "skipped", write: false, conflict: false };
  }
  const tie = clock(incoming) === clock(stored);
  const otherOrigin = stored.origin !== incoming.origin;
  if (order > 0) return { status: "applied", write: true, conflict: tie && otherOrigin };
  return otherOrigin ? { status: "conflict", write: false, conflict: true } : { status: "skipped", write: false, conflict: false };
}

// ---------------------------------------------------------------- no echo

/**
 * A change goes back to a peer only when its latest version was not written by that peer. Convex keeps
 * the origin of every stored version and its pull leaves out the ones from the pulling origin; the
 * office server stores changes it applies from a pull with origin "convex" and never puts them in its
 * outbox.
 */
export function shouldSendTo(peer: string, version: { origin: string }): boolean {
  return version.origin !== peer;
}

// ---------------------------------------------------------------- outbox delivery

export interface RetryPolicy {
  /** Ceiling of the first retry's delay. */
  baseDelayMs: number;
  /** The delay never exceeds this. */
  maxDelayMs: number;
  /** After this many failed attempts the entry becomes a dead letter (visible, retryable by hand). */
  maxAttempts: number;
}

/** ~6 hours of retries (10 s doubling up to 1 h, full jitter) before an entry is parked. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { baseDelayMs: 10_000, maxDelayMs: 3_600_000, maxAttempts: 20 };

/** The upper bound of the delay after `attempts` failures (1 = the first failure). */
export function backoffCeilingMs(attempts: number, policy: RetryPolicy = DEFAULT_RETRY_POLICY): number {
  const n = Math.max(1, Math.floor(attempts));
  // 2^(n-1) overflows to Infinity for huge n; min() keeps the cap.
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * Math.pow(2, Math.min(n - 1, 60)));
}

/**
 * When to try again after `attempts` failures: exponential backoff with full jitter (a uniformly
 * random delay between 0 and the ceiling), so many offices recovering from the same outage do not
 * retry in step. `random` returns [0, 1) (Math.random); out-of-range values are clamped.
 */
export function nextAttemptAt(attempts: number, now: number, random: () => number = Math.random, policy: RetryPolicy = DEFAULT_RETRY_POLICY): number {
  let r = Number(random());
  if (!(r >= 0)) r = 0;
  if (r > 1) r = 1;
  return now + Math.floor(r * backoffCeilingMs(attempts, policy));
}

export type FailureOutcome =
  | { state: "retry"; attempts: number; nextAttemptAt: number; lastError: string }
  | { state: "dead"; attempts: number; lastError: string };

/** The outbox entry's next state after a failed delivery (`attempts` counts the failures before it). */
export function afterFailure(
  attempts: number, error: string, now: number, random: () => number = Math.random, policy: RetryPolicy = DEFAULT_RETRY_POLICY,
): FailureOutcome {
  const n = Math.max(0, Math.floor(attempts)) + 1;
  const lastError = String(error).slice(0, 1000);
  if (n >= policy.maxAttempts) return { state: "dead", attempts: n, lastError };
  return { state: "retry", attempts: n, nextAttemptAt: nextAttemptAt(n, now, random, policy), lastError };
}

/**
 * How to treat a failed push by HTTP status (0 = no answer: refused, timeout):
 * - transient: retry the batch later (network, 5xx, 429, 408, and 401/403/404, which an administrator
 *   fixes by correcting the secret or deploying the functions - the entries must survive that);
 * - rejected: Convex refused the content (400, 413, 422): retry the entries one by one so only the
 *   refused one becomes a dead letter.
 */
export function failureKind(status: number): "transient" | "rejected" {
  return status === 400 || status === 413 || status === 422 ? "rejected" : "transient";
}

/** The size of a change on the wire: UTF-8 bytes of its JSON. */
export function changeBytes(change: SyncChange): number {
  return utf8Length(JSON.stringify(change));
}

export interface BatchLimits {
  maxDocs: number;
  /** Bytes of the whole `{"changes":[...]}` body. */
  maxRequestBytes: number;
  /** Bytes of one change. */
  maxDocBytes: number;
}

export const CONVEX_PUSH_LIMITS: BatchLimits = {
  maxDocs: DEFAULT_BATCH_DOCS,
  maxRequestBytes: CONVEX_MAX_REQUEST_BYTES,
  maxDocBytes: CONVEX_MAX_DOC_BYTES,
};

/** The change's size, and why it can never be delivered (null when it can). */
function measure(change: SyncChange, limits: BatchLimits): { bytes: number; reason: string | null } {
  if (change.record) {
    const problem = convexValueProblem(change.record, "record");
    if (problem) return { bytes: 0, reason: `Convex cannot store this record: ${problem}` };
  }
  const bytes = changeBytes(change);
  if (bytes > limits.maxDocBytes) {
    return { bytes, reason: `record too large for Convex: ${bytes} bytes as JSON, the limit is ${limits.maxDocBytes} (Convex stores at most 1 MiB per document)` };
  }
  return { bytes, reason: null };
}

/** Why this change can never be delivered (a dead letter at once), or null. */
export function undeliverableReason(change: SyncChange, limits: BatchLimits = CONVEX_PUSH_LIMITS): string | null {
  return measure(change, limits).reason;
}

const ENVELOPE_BYTES = '{"changes":[]}'.length;

/**
 * Splits outbox entries, in order, into push requests within the limits. Entries that can never be
 * delivered (too large, not storable in Convex) come back in `rejected` with a reason, to be parked
 * as dead letters at once instead of blocking the queue.
 */
export function planBatches<T extends { change: SyncChange }>(
  items: readonly T[], limits: BatchLimits = CONVEX_PUSH_LIMITS,
): { batches: T[][]; rejected: { item: T; reason: string }[] } {
  if (!(limits.maxDocs >= 1) || !(limits.maxDocBytes + ENVELOPE_BYTES <= limits.maxRequestBytes)) {
    throw new RangeError("planBatches: maxDocs must be >= 1 and one document must fit in a request");
  }
  const batches: T[][] = [];
  const rejected: { item: T; reason: string }[] = [];
  let current: T[] = [];
  let bytes = ENVELOPE_BYTES;
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    const { bytes: size, reason } = measure(item.change, limits);
    if (reason) {
      rejected.push({ item, reason });
      continue;
    }
    // + 1: the comma before every change but the first.
    if (current.length > 0 && (current.length >= limits.maxDocs || bytes + 1 + size > limits.maxRequestBytes)) {
      batches.push(current);
      current = [];
      bytes = ENVELOPE_BYTES;
    }
    bytes += size + (current.length > 0 ? 1 : 0);
    current.push(item);
  }
  if (current.length > 0) batches.push(current);
  return { batches, rejected };
}

/**
 * Keeps only the last outbox entry per record (entries in outbox order). The superseded ones carry
 * nothing the latest does not: mark them delivered together with the entry that replaced them.
 */
export function latestPerRecord<T extends { change: SyncChange }>(items: readonly T[]): { latest: T[]; superseded: T[] } {
  const last: Record<string, number> = {};
  for (let i = 0; i < items.length; i++) last[`${items[i].change.collection}/${items[i].change.id}`] = i;
  const latest: T[] = [];
  const superseded: T[] = [];
  for (let i = 0; i < items.length; i++) {
    if (last[`${items[i].change.collection}/${items[i].change.id}`] === i) latest.push(items[i]);
    else superseded.push(items[i]);
  }
  return { latest, superseded };
}

// ---------------------------------------------------------------- ids and secrets

/**
 * A new PocketBase-style record id (15 lower-case letters and digits), for records created on Convex
 * in production mode so they can be stored in PocketBase under the same id.
 */
export function newPbId(random: () => number = Math.random): string {
  const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
  let s = "";
  for (let i = 0; i < 15; i++) s += alphabet[Math.min(35, Math.floor(random() * 36))];
  return s;
}

/**
 * Whether an Authorization header carries `Bearer <secret>`. Compares every character whatever the
 * first difference (no early exit), so the answer time does not reveal how much of a guess was right.
 */
export function bearerMatches(header: string | null | undefined, secret: string): boolean {
  if (!secret) return false;
  const expected = `Bearer ${secret}`;
  const got = String(header ?? "");
  let diff = got.length ^ expected.length;
  for (let i = 0; i < expected.length; i++) diff |= (got.charCodeAt(i) | 0) ^ expected.charCodeAt(i);
  return diff === 0;
}
