// The pure core of the migration tooling (issue 5): `hvac export`, `hvac import-convex` and
// `hvac verify`. Content checksums, the diff between PocketBase and Convex, the import's batches and
// resume state, and strict parsing of everything read back (export files, state files, Convex's
// answers). No Node or PocketBase globals: the CLI passes its hash function (node:crypto sha256),
// and the unit tests run it as is.
import {
  canonicalJson, compareCodeUnits, CONVEX_MAX_DOC_BYTES, CONVEX_MUTATION_BYTES, CONVEX_MUTATION_DOCS, normalizeUpdated,
  planBatches, syncRecord, SyncFormatError, type BatchLimits, type SyncChange, type SyncCollection,
} from "./sync";
import { SyncConfigError, type Env } from "./sync-config";
import { sha1Hex } from "./sha1";

/** A hash of a text as lower-case hex (the CLI uses sha256; sha1Hex works everywhere). */
export type Hasher = (text: string) => string;

// ---------------------------------------------------------------- configuration

export interface MigrationConfig {
  /** The deployment's `https://<name>.convex.cloud` (functions API), without a trailing slash. */
  convexUrl: string;
  /** CONVEX_SYNC_SECRET: the public migration functions refuse calls without it. */
  secret: string;
}

const URL_RE = /^(https?):\/\/(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(:[0-9]{1,5})?(\/[^\s?#]*)?$/;
const LOOPBACK = /^(localhost|127\.\d{1,3}\.\d{1,3}\.\d{1,3}|\[::1\])$/i;

/**
 * Reads CONVEX_URL (the functions URL the `convex` client talks to: https://<name>.convex.cloud, not
 * the .convex.site of the HTTP actions) and CONVEX_SYNC_SECRET. Independent of SYNC_MODE: a firm
 * migrates before it switches sync on. Throws a SyncConfigError naming the variable.
 */
export function parseMigrationConfig(env: Env): MigrationConfig {
  const raw = (env.CONVEX_URL ?? "").trim();
  if (!raw) throw new SyncConfigError("CONVEX_URL", "required: the deployment's functions URL, https://<name>.convex.cloud (npx convex dashboard → Settings → URL)");
  const m = URL_RE.exec(raw);
  if (!m) throw new SyncConfigError("CONVEX_URL", `expected an http(s) URL such as https://happy-otter-123.convex.cloud, got "${raw}"`);
  const host = m[2];
  if (m[3] && (Number(m[3].slice(1)) < 1 || Number(m[3].slice(1)) > 65535)) {
    throw new SyncConfigError("CONVEX_URL", `port ${m[3].slice(1)} is out of range in "${raw}"`);
  }
  if (/\.convex\.site$/i.test(host)) {
    throw new SyncConfigError("CONVEX_URL", `.convex.site serves the HTTP actions (CONVEX_SITE_URL); the functions URL is https://<name>.convex.cloud (got "${raw}")`);
  }
  if (m[1] === "http" && !LOOPBACK.test(host)) {
    throw new SyncConfigError("CONVEX_URL", `use https:// (the secret would travel unencrypted); http:// is accepted only for localhost / 127.0.0.1 (got "${raw}")`);
  }
  if ((m[4] || "").replace(/\/+$/, "") !== "") {
    throw new SyncConfigError("CONVEX_URL", `expected the deployment URL without a path, got "${raw}"`);
  }
  const secret = (env.CONVEX_SYNC_SECRET ?? "").trim();
  if (!secret) throw new SyncConfigError("CONVEX_SYNC_SECRET", "required: the same value as on the Convex deployment (npx convex env set CONVEX_SYNC_SECRET ...)");
  if (secret.length < 16 || /\s/.test(secret)) {
    throw new SyncConfigError("CONVEX_SYNC_SECRET", "must be at least 16 characters without spaces (e.g. openssl rand -hex 32)");
  }
  return { convexUrl: raw.replace(/\/+$/, ""), secret };
}

// ---------------------------------------------------------------- checksums

/** A record's content digest: the hash of its canonical JSON (keys sorted, so field order is irrelevant). */
export function recordDigest(record: unknown, hash: Hasher = sha1Hex): string {
  return hash(canonicalJson(record));
}

export interface DigestEntry {
  id: string;
  digest: string;
}

/**
 * A collection's checksum: the hash of "id digest" lines in id order (UTF-16 code units, the same on
 * every engine), so it depends on the set of records and their content, not on the order either
 * side returned them in. An empty collection has the hash of "".
 */
export function collectionChecksum(entries: readonly DigestEntry[], hash: Hasher = sha1Hex): string {
  const sorted = entries.slice().sort((a, b) => compareCodeUnits(a.id, b.id));
  let text = "";
  for (let i = 0; i < sorted.length; i++) text += `${sorted[i].id} ${sorted[i].digest}\n`;
  return hash(text);
}

/** A record as the export stores it: what the admin API returned, without `expand`. */
export function exportedRecord(record: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(record)) if (k !== "expand" && record[k] !== undefined) out[k] = record[k];
  return out;
}

/** The export's checksum of a collection: over every exported field of every record. */
export function exportChecksum(records: readonly Record<string, unknown>[], hash: Hasher = sha1Hex): string {
  return collectionChecksum(records.map((r) => ({ id: String(r.id), digest: recordDigest(exportedRecord(r), hash) })), hash);
}

// ---------------------------------------------------------------- diff (verify)

/** One record on one side of a comparison: its synced fields (syncRecord) and its clock. */
export interface SideRecord {
  id: string;
  updated: string;
  record: Record<string, unknown>;
}

export interface SideSummary {
  count: number;
  checksum: string;
}

export interface DifferingRecord {
  id: string;
  /** Top-level fields whose values differ (present on one side only counts). */
  fields: string[];
  leftUpdated: string;
  rightUpdated: string;
}

export interface CollectionDiff {
  collection: string;
  left: SideSummary;
  right: SideSummary;
  onlyLeft: string[];
  onlyRight: string[];
  differing: DifferingRecord[];
  /** Ids listed more than once by a side (never by PocketBase or a healthy Convex deployment). */
  duplicates: string[];
  ok: boolean;
}

/** The top-level fields whose values differ between two records, sorted. */
export function differingFields(a: Record<string, unknown>, b: Record<string, unknown>): string[] {
  const keys: Record<string, true> = {};
  for (const k of Object.keys(a)) keys[k] = true;
  for (const k of Object.keys(b)) keys[k] = true;
  const out: string[] = [];
  for (const k of Object.keys(keys)) {
    const inA = a[k] !== undefined;
    const inB = b[k] !== undefined;
    if (inA !== inB || (inA && canonicalJson(a[k]) !== canonicalJson(b[k]))) out.push(k);
  }
  return out.sort(compareCodeUnits);
}

function byId(side: readonly SideRecord[], duplicates: Record<string, true>): Map<string, SideRecord> {
  const map = new Map<string, SideRecord>();
  for (const r of side) {
    if (map.has(r.id)) duplicates[r.id] = true;
    map.set(r.id, r);
  }
  return map;
}

/**
 * Compares one collection on both sides: counts and checksums over the canonical JSON of the synced
 * fields, ids on one side only, and per record in both the fields that differ. The clocks (`updated`)
 * are reported with a difference but are not content: a record re-saved unchanged is equal.
 */
export function diffCollection(collection: string, left: readonly SideRecord[], right: readonly SideRecord[], hash: Hasher = sha1Hex): CollectionDiff {
  const dup: Record<string, true> = {};
  const l = byId(left, dup);
  const r = byId(right, dup);
  const digestsL: DigestEntry[] = [];
  const digestsR: DigestEntry[] = [];
  const onlyLeft: string[] = [];
  const onlyRight: string[] = [];
  const differing: DifferingRecord[] = [];
  for (const [id, rec] of l) {
    const dl = recordDigest(rec.record, hash);
    digestsL.push({ id, digest: dl });
    const other = r.get(id);
    if (!other) {
      onlyLeft.push(id);
      continue;
    }
    if (recordDigest(other.record, hash) !== dl) {
      differing.push({ id, fields: differingFields(rec.record, other.record), leftUpdated: rec.updated, rightUpdated: other.updated });
    }
  }
  for (const [id, rec] of r) {
    digestsR.push({ id, digest: recordDigest(rec.record, hash) });
    if (!l.has(id)) onlyRight.push(id);
  }
  onlyLeft.sort(compareCodeUnits);
  onlyRight.sort(compareCodeUnits);
  differing.sort((a, b) => compareCodeUnits(a.id, b.id));
  const duplicates = Object.keys(dup).sort(compareCodeUnits);
  const leftSum = { count: left.length, checksum: collectionChecksum(digestsL, hash) };
  const rightSum = { count: right.length, checksum: collectionChecksum(digestsR, hash) };
  const ok = !onlyLeft.length && !onlyRight.length && !differing.length && !duplicates.length && leftSum.checksum === rightSum.checksum && leftSum.count === rightSum.count;
  return { collection, left: leftSum, right: rightSum, onlyLeft, onlyRight, differing, duplicates, ok };
}

function listIds(ids: readonly string[], max: number): string {
  const shown = ids.slice(0, max).join(", ");
  return ids.length > max ? `${shown} ... and ${ids.length - max} more` : shown;
}

/** The readable report of `hvac verify`: one block per collection, "ok" or what differs. */
export function formatDiff(diffs: readonly CollectionDiff[], names = { left: "PocketBase", right: "Convex" }, maxIds = 20): string[] {
  const lines: string[] = [];
  const width = Math.max(0, ...diffs.map((d) => d.collection.length));
  for (const d of diffs) {
    const name = d.collection.padEnd(width);
    if (d.ok) {
      lines.push(`${name}  ok       ${d.left.count} record(s), checksum ${d.left.checksum.slice(0, 12)}`);
      continue;
    }
    lines.push(`${name}  DIFFERS  ${names.left} ${d.left.count} (checksum ${d.left.checksum.slice(0, 12)}), ${names.right} ${d.right.count} (checksum ${d.right.checksum.slice(0, 12)})`);
    const pad = " ".repeat(width + 2);
    if (d.onlyLeft.length) lines.push(`${pad}only in ${names.left} (${d.onlyLeft.length}): ${listIds(d.onlyLeft, maxIds)}`);
    if (d.onlyRight.length) lines.push(`${pad}only in ${names.right} (${d.onlyRight.length}): ${listIds(d.onlyRight, maxIds)}`);
    if (d.differing.length) {
      lines.push(`${pad}content differs (${d.differing.length}):`);
      for (const x of d.differing.slice(0, maxIds)) {
        const clocks = x.leftUpdated === x.rightUpdated ? `updated ${x.leftUpdated} on both` : `updated ${x.leftUpdated} in ${names.left}, ${x.rightUpdated} in ${names.right}`;
        lines.push(`${pad}  ${x.id}: ${x.fields.join(", ")} (${clocks})`);
      }
      if (d.differing.length > maxIds) lines.push(`${pad}  ... and ${d.differing.length - maxIds} more`);
    }
    if (d.duplicates.length) lines.push(`${pad}listed more than once: ${listIds(d.duplicates, maxIds)}`);
  }
  return lines;
}

// ---------------------------------------------------------------- import batches

/**
 * One importBatch call is one Convex mutation (one transaction): at most CONVEX_MUTATION_DOCS
 * changes and CONVEX_MUTATION_BYTES of arguments, each change at most CONVEX_MAX_DOC_BYTES - the
 * same limits the push endpoint uses for its internal mutations, far inside Convex's 8 MiB of
 * arguments, 8,192 writes and 1 s per transaction.
 */
export const IMPORT_LIMITS: BatchLimits = { maxDocs: CONVEX_MUTATION_DOCS, maxRequestBytes: CONVEX_MUTATION_BYTES, maxDocBytes: CONVEX_MAX_DOC_BYTES };

/** The change that imports an exported PocketBase record (an upsert at the record's own clock). */
export function importChange(collection: SyncCollection, exported: Record<string, unknown>): SyncChange {
  const id = exported.id;
  if (typeof id !== "string" || !/^[A-Za-z0-9_-]{1,64}$/.test(id)) throw new SyncFormatError(`${collection}.id`, `expected a record id, got ${JSON.stringify(id)}`);
  const updated = normalizeUpdated(exported.updated, `${collection}/${id}.updated`);
  return { collection, id, op: "upsert", updated, record: syncRecord(collection, exported) };
}

export interface ImportBatch {
  /** Identifies the batch's exact content: a batch whose key is in the state file was applied. */
  key: string;
  changes: SyncChange[];
}

export interface ImportPlan {
  batches: ImportBatch[];
  /** Records that can never be imported (too large, not storable in Convex), by id. */
  rejected: { id: string; reason: string }[];
}

/**
 * Splits a collection's records, in id order, into importBatch calls within `limits`. The order and
 * the keys are deterministic, so a second run over the same data finds the batches it already sent.
 * A record that cannot be turned into a change (bad id or `updated`) is rejected with the reason.
 */
export function planImport(
  collection: SyncCollection, records: readonly Record<string, unknown>[], hash: Hasher = sha1Hex, limits: BatchLimits = IMPORT_LIMITS,
): ImportPlan {
  const rejected: { id: string; reason: string }[] = [];
  const items: { change: SyncChange }[] = [];
  for (const r of records) {
    try {
      items.push({ change: importChange(collection, r) });
    } catch (e) {
      if (!(e instanceof SyncFormatError)) throw e;
      rejected.push({ id: String(r.id), reason: e.message });
    }
  }
  items.sort((a, b) => compareCodeUnits(a.change.id, b.change.id));
  const plan = planBatches(items, limits);
  for (const r of plan.rejected) rejected.push({ id: r.item.change.id, reason: r.reason });
  const batches = plan.batches.map((b) => {
    const changes = b.map((x) => x.change);
    return { key: hash(canonicalJson([collection, changes])), changes };
  });
  return { batches, rejected };
}

// ---------------------------------------------------------------- resume state of the import

export interface ImportState {
  version: 1;
  /** Per Convex deployment URL, per collection: keys of the batches Convex confirmed. */
  deployments: Record<string, Record<string, string[]>>;
}

export function emptyImportState(): ImportState {
  return { version: 1, deployments: {} };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** Reads a state file's JSON; a file that is not ours is an error naming the path, never ignored. */
export function parseImportState(raw: unknown, path = "state"): ImportState {
  if (!isObject(raw) || raw.version !== 1 || !isObject(raw.deployments)) {
    throw new SyncFormatError(path, 'expected {"version":1,"deployments":{...}} (an hvac import-convex state file)');
  }
  const out = emptyImportState();
  for (const [url, cols] of Object.entries(raw.deployments)) {
    if (!isObject(cols)) throw new SyncFormatError(`${path}.deployments[${JSON.stringify(url)}]`, "expected an object of collections");
    const d: Record<string, string[]> = {};
    for (const [c, keys] of Object.entries(cols)) {
      if (!Array.isArray(keys) || keys.some((k) => typeof k !== "string")) {
        throw new SyncFormatError(`${path}.deployments[${JSON.stringify(url)}].${c}`, "expected an array of batch keys");
      }
      d[c] = keys as string[];
    }
    out.deployments[url] = d;
  }
  return out;
}

/** A new state with `key` recorded as applied (the input is not changed). */
export function withBatchDone(state: ImportState, convexUrl: string, collection: string, key: string): ImportState {
  const deployments = { ...state.deployments };
  const cols = { ...(deployments[convexUrl] ?? {}) };
  const keys = cols[collection] ?? [];
  cols[collection] = keys.indexOf(key) >= 0 ? keys : keys.concat([key]);
  deployments[convexUrl] = cols;
  return { version: 1, deployments };
}

/** A new state without what it says about `collection` on `convexUrl` (its batches are sent again). */
export function withoutCollection(state: ImportState, convexUrl: string, collection: string): ImportState {
  const deployments = { ...state.deployments };
  if (!deployments[convexUrl]) return { version: 1, deployments };
  const cols = { ...deployments[convexUrl] };
  delete cols[collection];
  deployments[convexUrl] = cols;
  return { version: 1, deployments };
}

export function batchesDone(state: ImportState, convexUrl: string, collection: string): Set<string> {
  return new Set(state.deployments[convexUrl]?.[collection] ?? []);
}

// ---------------------------------------------------------------- Convex answers

export interface PageRecord {
  id: string;
  updated: string;
  record: Record<string, unknown>;
}

export interface PageAnswer {
  records: PageRecord[];
  isDone: boolean;
  continueCursor: string;
}

/** Checks an answer of migration:page: `{records:[{id,updated,record}], isDone, continueCursor}`. */
export function parsePageAnswer(raw: unknown, path = "answer"): PageAnswer {
  if (!isObject(raw)) throw new SyncFormatError(path, "expected {records, isDone, continueCursor}");
  if (!Array.isArray(raw.records)) throw new SyncFormatError(`${path}.records`, "expected an array");
  if (typeof raw.isDone !== "boolean") throw new SyncFormatError(`${path}.isDone`, "expected true or false");
  if (typeof raw.continueCursor !== "string") throw new SyncFormatError(`${path}.continueCursor`, "expected a cursor text");
  const records: PageRecord[] = [];
  raw.records.forEach((r, i) => {
    const p = `${path}.records[${i}]`;
    if (!isObject(r)) throw new SyncFormatError(p, "expected an object");
    if (typeof r.id !== "string" || !r.id) throw new SyncFormatError(`${p}.id`, "expected a record id");
    if (typeof r.updated !== "string") throw new SyncFormatError(`${p}.updated`, "expected a date-time text");
    if (!isObject(r.record)) throw new SyncFormatError(`${p}.record`, "expected the record's fields as an object");
    records.push({ id: r.id, updated: r.updated, record: r.record });
  });
  return { records, isDone: raw.isDone, continueCursor: raw.continueCursor };
}

// ---------------------------------------------------------------- the export folder

/** Files of a record: `files/<collection>/<recordId>/<filename>` in the export. */
export function exportFilePath(collection: string, recordId: string, name: string): string {
  return `files/${collection}/${recordId}/${name}`;
}

/** PocketBase's stored file names are sanitised; anything that could leave the folder is refused. */
export function isSafeFileName(name: string): boolean {
  return name.length > 0 && name.length <= 255 && name !== "." && name !== ".." && !/[/\\\x00]/.test(name);
}

/** The file names a record holds in its file fields (single or multiple). */
export function recordFiles(record: Record<string, unknown>, fileFields: readonly string[]): { field: string; name: string }[] {
  const out: { field: string; name: string }[] = [];
  for (const field of fileFields) {
    const v = record[field];
    const names = Array.isArray(v) ? v : typeof v === "string" && v ? [v] : [];
    for (const n of names) if (typeof n === "string" && n) out.push({ field, name: n });
  }
  return out;
}

export interface ExportedFile {
  /** Relative to the export folder. */
  path: string;
  size: number;
  sha256: string;
}

/**
 * Reads the export's file log (one JSON object per line, appended after each file is complete).
 * A kill can cut the last line short: lines that do not parse are ignored (those files are fetched
 * again). Later lines for the same path win.
 */
export function parseFileLog(text: string): Map<string, ExportedFile> {
  const out = new Map<string, ExportedFile>();
  for (const line of text.split("\n")) {
    if (!line.trim()) continue;
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch {
      continue;
    }
    if (isObject(v) && typeof v.path === "string" && typeof v.size === "number" && v.size >= 0 && typeof v.sha256 === "string") {
      out.set(v.path, { path: v.path, size: v.size, sha256: v.sha256 });
    }
  }
  return out;
}

export interface ManifestCollection {
  name: string;
  type: string;
  count: number;
  /** exportChecksum of the records, "sha256:<hex>". */
  checksum: string;
  /** Relative path of the records file (JSON Lines, one record per line, in id order). */
  file: string;
  files: { count: number; bytes: number };
}

export interface ExportManifest {
  format: "hvac-export";
  version: 1;
  source: string;
  pocketbase: { version: string; source: string };
  startedAt: string;
  finishedAt: string;
  collections: ManifestCollection[];
  files: { count: number; bytes: number; index: string };
  notIncluded: string[];
  /** Files the records name that the server did not have (404): the export is not complete yet. */
  filesMissing?: string[];
}

/** Checks a manifest.json read from an export folder (import-convex --from, or a finished export). */
export function parseManifest(raw: unknown, path = "manifest.json"): ExportManifest {
  if (!isObject(raw) || raw.format !== "hvac-export" || raw.version !== 1) {
    throw new SyncFormatError(path, 'not an hvac export manifest (expected "format": "hvac-export", "version": 1)');
  }
  if (!Array.isArray(raw.collections)) throw new SyncFormatError(`${path}.collections`, "expected an array");
  raw.collections.forEach((c, i) => {
    const p = `${path}.collections[${i}]`;
    if (!isObject(c)) throw new SyncFormatError(p, "expected an object");
    if (typeof c.name !== "string" || !/^[A-Za-z0-9_]+$/.test(c.name)) throw new SyncFormatError(`${p}.name`, "expected a collection name");
    if (typeof c.count !== "number" || c.count < 0) throw new SyncFormatError(`${p}.count`, "expected a record count");
    if (typeof c.checksum !== "string") throw new SyncFormatError(`${p}.checksum`, "expected a checksum");
    if (typeof c.file !== "string" || c.file.includes("..")) throw new SyncFormatError(`${p}.file`, "expected a path inside the export");
  });
  if (raw.filesMissing !== undefined && (!Array.isArray(raw.filesMissing) || raw.filesMissing.some((f) => typeof f !== "string"))) {
    throw new SyncFormatError(`${path}.filesMissing`, "expected an array of file paths");
  }
  return raw as unknown as ExportManifest;
}
