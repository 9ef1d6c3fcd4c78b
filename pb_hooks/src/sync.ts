// Delivering the sync outbox (issue 5). The rows are written by SQL triggers atomically with every
// change (pb_migrations/1795590000_outbox.js); this file sends them, never inside a user's write:
//
// - at start (onAfterBootstrap) and before every drain the targets are switched on or off from the
//   environment (SYNC_MODE, CONVEX_SITE_URL + CONVEX_SYNC_SECRET, WEAVIATE_URL; src/domain/sync-config.ts).
//   A bad setting is logged with the variable's name and sync stays off.
// - the drain (cron every minute, POST /api/hvac/sync/drain) takes due rows per target in seq order,
//   coalesces them per record, reads each record's CURRENT state and sends it: Convex
//   POST /pocketbase/push, Weaviate POST /v1/batch/objects and DELETE /v1/objects/{Class}/{uuid}.
//   Only confirmed rows are deleted; a failure counts an attempt and sets the next one (backoff with
//   jitter), after SYNC_MAX_ATTEMPTS the row is parked as dead (visible, retryable). A kill -9 in the
//   middle re-sends what was not confirmed: idempotent upserts, nothing lost.
// - production and hybrid modes then pull: GET /pocketbase/pull?since=CURSOR pages through Convex's
//   changes; each is applied with last-writer-wins (decidePull) in its own transaction under the
//   hvac_sync_apply marker (so the triggers queue it for Weaviate, never back to Convex); conflicts go
//   to sync_conflicts; the cursor is kept in hvac_sync_state 'pull_cursor' after every page.
// - one drain at a time: a lock row with an expiry (hvac_sync_state 'drain_lock'), renewed per batch.
// - GET /api/hvac/sync/status (staff), POST /api/hvac/sync/retry (managers, admins),
//   POST /api/hvac/sync/backfill (admins: queue every existing record for a target).
import {
  changeForEntry, coalesceRows, deadGroup, deliveredKeys, errorBodyMessage, errorText, failureGroups, pushOutcome, answerText,
  SYNC_TARGETS, isSyncTarget, type FailureGroup, type OutboxEntry, type OutboxRow, type SyncTarget,
} from "../../src/domain/outbox";
import { decidePull, fieldsToWrite, localVersionOf, type PullDecision } from "../../src/domain/pull";
import {
  CONVEX_MAX_DOC_BYTES, CONVEX_MAX_REQUEST_BYTES, failureKind, MAX_PULL_LIMIT, parsePullResponse, parsePushResponse, planBatches,
  SYNC_COLLECTIONS, type SyncChange,
} from "../../src/domain/sync";
import { parseSyncConfig, SYNC_ENV_KEYS, syncDirections, type SyncConfig } from "../../src/domain/sync-config";
import { parseTimestamp } from "../../src/domain/time";
import { utf8Length } from "../../src/domain/utf8";
import { parseWeaviateBatchResponse, weaviateClassOf, weaviateDeleteDone, weaviateObject, weaviateObjectPath, type WeaviateObject } from "../../src/domain/weaviate";
import { failFields, queryRow, requestCtx, type Rec } from "./pb";

// ---------------------------------------------------------------- configuration

interface ConfigState {
  config: SyncConfig | null;
  /** "VARIABLE: why" when the configuration is bad (sync is then off). */
  problem: string;
}

function loadSyncConfig(): ConfigState {
  const env: Record<string, string> = {};
  for (let i = 0; i < SYNC_ENV_KEYS.length; i++) env[SYNC_ENV_KEYS[i]] = $os.getenv(SYNC_ENV_KEYS[i]);
  try {
    return { config: parseSyncConfig(env), problem: "" };
  } catch (e) {
    return { config: null, problem: errorText(e) };
  }
}

function wanted(state: ConfigState): Record<SyncTarget, boolean> {
  const c = state.config;
  return { convex: !!c && syncDirections(c.mode).push, weaviate: !!c && c.weaviateUrl !== "" };
}

/** Switches the targets on or off as configured (the triggers queue rows only for enabled ones). */
function applyTargets(state: ConfigState, dao: daos.Dao = $app.dao()): void {
  const want = wanted(state);
  for (let i = 0; i < SYNC_TARGETS.length; i++) {
    const t = SYNC_TARGETS[i];
    dao.db()
      .newQuery("UPDATE hvac_sync_targets SET enabled = {:on} WHERE name = {:t} AND enabled != {:on}")
      .bind({ t, on: want[t] ? 1 : 0 })
      .execute();
  }
}

/**
 * onAfterBootstrap (PocketBase 0.22 has no onBeforeServe in JS): before the server listens, set the
 * targets and clear a drain lock left by a killed process. On the first start after an upgrade the
 * tables are not there yet (migrations run after bootstrap): the migration then switches targets on
 * from the variables being set, and the first drain applies the full configuration.
 */
export function syncBootstrap(): void {
  const state = loadSyncConfig();
  const serving = ($os.args as string[]).indexOf("serve") >= 0;
  if (serving) {
    if (state.problem) console.error(`Sync configuration error, sync stays off: ${state.problem}`);
    else if (state.config) console.log(describeConfig(state.config));
  }
  try {
    applyTargets(state);
    // A process that is just starting holds no lock: one left behind is from a killed process.
    if (serving) $app.dao().db().newQuery("DELETE FROM hvac_sync_state WHERE key = 'drain_lock'").execute();
  } catch (e) {
    if (!/no such table/.test(String(e))) console.error(`sync: could not apply the configuration at start: ${errorText(e)}`);
  }
}

function describeConfig(c: SyncConfig): string {
  const convex = syncDirections(c.mode).push ? `Convex at ${c.convexSiteUrl} (${c.mode})` : "Convex off";
  const weaviate = c.weaviateUrl ? `Weaviate at ${c.weaviateUrl}` : "Weaviate off";
  return `Sync: ${convex}; ${weaviate}.`;
}

// ---------------------------------------------------------------- the drain

export interface TargetReport {
  target: SyncTarget;
  /** Changes sent (each record once per request). */
  sent: number;
  /** Records confirmed by the target (their rows deleted). */
  delivered: number;
  conflicts: number;
  /** Records whose delivery failed in this drain (rows kept with a later nextAttemptAt). */
  failed: number;
  /** Records parked as dead letters in this drain. */
  parked: number;
  requests: number;
  /** The last failure of this drain, "" when none. */
  error: string;
}

export interface PullReport {
  pages: number;
  received: number;
  applied: number;
  skipped: number;
  conflicts: number;
  /** Changes that could not be applied (kept in sync_conflicts with the error). */
  failed: number;
  cursor: string;
  /** Why the pull stopped early ("" when it got everything). */
  error: string;
}

export interface DrainReport {
  ran: boolean;
  /** Another drain holds the lock. */
  busy: boolean;
  /** The configuration problem that keeps sync off. */
  problem: string;
  mode: string;
  targets: TargetReport[];
  /** Production and hybrid modes: what the pull after the push did; null when not pulling. */
  pull: PullReport | null;
  ms: number;
}

export interface DrainOptions {
  /** Rows are due when nextAttemptAt <= now (default Date.now()); failures are scheduled from it. */
  now?: number;
  /** Stop starting new batches after this long (default 50 s: the cron runs every minute). */
  budgetMs?: number;
  random?: () => number;
}

interface Run {
  target: SyncTarget;
  config: SyncConfig;
  now: number;
  random: () => number;
  report: TargetReport;
  /** A transient failure (target down): nothing more for this target in this drain. */
  stopped: boolean;
}

const LOCK_KEY = "drain_lock";

function lockTtlMs(config: SyncConfig): number {
  // One HTTP call may take the whole timeout; the lock is renewed after every batch.
  return config.httpTimeoutSec * 1000 + 60_000;
}

function acquireLock(owner: string, ttl: number): boolean {
  const now = Date.now();
  const result = $app.dao().db()
    .newQuery(`INSERT INTO hvac_sync_state (key, value, until) VALUES ({:key}, {:owner}, {:until})
      ON CONFLICT (key) DO UPDATE SET value = excluded.value, until = excluded.until
      WHERE hvac_sync_state.until < {:now} OR hvac_sync_state.value = ''`)
    .bind({ key: LOCK_KEY, owner, until: now + ttl, now })
    .execute();
  return result.rowsAffected() === 1;
}

function renewLock(owner: string, ttl: number): boolean {
  const result = $app.dao().db()
    .newQuery("UPDATE hvac_sync_state SET until = {:until} WHERE key = {:key} AND value = {:owner}")
    .bind({ key: LOCK_KEY, owner, until: Date.now() + ttl })
    .execute();
  return result.rowsAffected() === 1;
}

function releaseLock(owner: string): void {
  $app.dao().db().newQuery("UPDATE hvac_sync_state SET value = '', until = 0 WHERE key = {:key} AND value = {:owner}").bind({ key: LOCK_KEY, owner }).execute();
}

function emptyReport(target: SyncTarget): TargetReport {
  return { target, sent: 0, delivered: 0, conflicts: 0, failed: 0, parked: 0, requests: 0, error: "" };
}

/** Drains the outbox: every enabled target until nothing is due, a target fails, or the budget is spent. */
export function drainOutbox(opts: DrainOptions = {}): DrainReport {
  const started = Date.now();
  const state = loadSyncConfig();
  applyTargets(state);
  const report: DrainReport = { ran: false, busy: false, problem: state.problem, mode: state.config ? state.config.mode : "off", targets: [], pull: null, ms: 0 };
  const config = state.config;
  const want = wanted(state);
  if (!config || (!want.convex && !want.weaviate)) {
    report.ms = Date.now() - started;
    return report;
  }
  const owner = `${started}-${Math.random().toString(36).slice(2, 12)}`;
  const ttl = lockTtlMs(config);
  if (!acquireLock(owner, ttl)) {
    report.busy = true;
    report.ms = Date.now() - started;
    return report;
  }
  report.ran = true;
  const now = opts.now ?? Date.now();
  const budget = opts.budgetMs ?? 50_000;
  const runs: Run[] = [];
  for (let i = 0; i < SYNC_TARGETS.length; i++) {
    const t = SYNC_TARGETS[i];
    if (!want[t]) continue;
    const r: Run = { target: t, config, now, random: opts.random || Math.random, report: emptyReport(t), stopped: false };
    runs.push(r);
    report.targets.push(r.report);
  }
  try {
    // Round robin, one window of rows per target per round, so one target cannot starve the other.
    let busy = true;
    while (busy && Date.now() - started < budget) {
      busy = false;
      for (let i = 0; i < runs.length; i++) {
        const run = runs[i];
        if (run.stopped) continue;
        const rows = dueRows(run.target, now, config.batchSize);
        if (rows.length === 0) {
          run.stopped = true;
          continue;
        }
        busy = true;
        if (run.target === "convex") deliverConvex(run, rows);
        else deliverWeaviate(run, rows);
        if (!renewLock(owner, ttl)) {
          console.error("sync: the drain lock was taken over (this drain ran past its expiry); stopping");
          report.ms = Date.now() - started;
          return report;
        }
      }
    }
    // Pull after the push, under the same lock: a push never sends a state read before a pull replaced it.
    if (syncDirections(config.mode).pull) report.pull = pullFromConvex(config, started + budget, () => renewLock(owner, ttl));
  } finally {
    releaseLock(owner);
  }
  report.ms = Date.now() - started;
  return report;
}

function dueRows(target: SyncTarget, now: number, limit: number): OutboxRow[] {
  const rows = arrayOf(new DynamicModel({ seq: 0, collection: "", rid: "", op: "", updated: "", attempts: 0 }));
  $app.dao().db()
    .newQuery(`SELECT seq, collection, rid, op, updated, attempts FROM hvac_outbox
      WHERE target = {:target} AND dead = 0 AND nextAttemptAt <= {:now} ORDER BY seq LIMIT {:limit}`)
    .bind({ target, now, limit })
    .all(rows);
  const out: OutboxRow[] = [];
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i] as unknown as OutboxRow;
    out.push({ seq: r.seq, collection: r.collection, rid: r.rid, op: r.op, updated: r.updated, attempts: r.attempts });
  }
  return out;
}

/** The current exported state of each entry's record ("collection/id" -> record), absent = gone. */
function currentStates(entries: readonly OutboxEntry[]): Record<string, Record<string, unknown>> {
  const byCollection: Record<string, string[]> = {};
  for (let i = 0; i < entries.length; i++) {
    (byCollection[entries[i].collection] = byCollection[entries[i].collection] || []).push(entries[i].rid);
  }
  const out: Record<string, Record<string, unknown>> = {};
  const dao = $app.dao();
  const names = Object.keys(byCollection);
  for (let i = 0; i < names.length; i++) {
    try {
      dao.findCollectionByNameOrId(names[i]);
    } catch {
      continue; // the collection itself was deleted: its records are gone
    }
    const found = dao.findRecordsByIds(names[i], byCollection[names[i]]);
    const plain = JSON.parse(JSON.stringify(found)) as Record<string, unknown>[];
    for (let j = 0; j < plain.length; j++) {
      if (plain[j] && typeof plain[j].id === "string") out[`${names[i]}/${plain[j].id}`] = plain[j];
    }
  }
  return out;
}

// ---------------------------------------------------------------- outcomes

// CROSS JOIN keeps json_each as the outer loop, so each record is one lookup in hvac_outbox_record
// (a plain JOIN let the planner scan the whole outbox per key: O(queue) per batch).
const DELETE_DELIVERED = `DELETE FROM hvac_outbox WHERE seq IN (
  SELECT o.seq FROM json_each({:keys}) k
  CROSS JOIN hvac_outbox o ON o.target = {:target} AND o.collection = json_extract(k.value, '$[0]')
    AND o.rid = json_extract(k.value, '$[1]') AND o.seq <= json_extract(k.value, '$[2]'))`;

interface Conflict {
  change: SyncChange;
}

/** The target confirmed these records: their rows up to the delivered seq go (older dead ones too). */
function succeed(run: Run, entries: readonly OutboxEntry[], conflicts: readonly Conflict[] = []): void {
  if (entries.length === 0) return;
  $app.dao().runInTransaction((tx) => {
    tx.db().newQuery(DELETE_DELIVERED).bind({ keys: deliveredKeys(entries), target: run.target }).execute();
    for (let i = 0; i < conflicts.length; i++) {
      const c = conflicts[i].change;
      saveConflictNote(tx, {
        collection: c.collection, id: c.id, direction: "push", winner: "remote", localUpdated: c.updated, remoteUpdated: "",
        local: c.record, remote: null,
        note: `This server's ${c.op === "delete" ? "delete" : "version"} lost on Convex against a different version written elsewhere; Convex keeps both in its sync_conflicts.`,
      });
    }
    tx.db()
      .newQuery("UPDATE hvac_sync_targets SET lastSuccessAt = {:at}, delivered = delivered + {:n} WHERE name = {:target}")
      .bind({ at: Date.now(), n: entries.length, target: run.target })
      .execute();
  });
  run.report.delivered += entries.length;
  run.report.conflicts += conflicts.length;
}

function applyFailures(run: Run, groups: readonly FailureGroup[]): void {
  if (groups.length === 0) return;
  let message = "";
  $app.dao().runInTransaction((tx) => {
    for (let i = 0; i < groups.length; i++) {
      const g = groups[i];
      const seqs: number[] = [];
      for (let j = 0; j < g.entries.length; j++) for (let k = 0; k < g.entries[j].seqs.length; k++) seqs.push(g.entries[j].seqs[k]);
      // Never due again within this drain (a zero jitter would otherwise retry at once).
      const next = g.dead ? 0 : Math.max(g.nextAttemptAt, run.now + 1);
      tx.db()
        .newQuery(`UPDATE hvac_outbox SET attempts = {:attempts}, dead = {:dead}, nextAttemptAt = {:next}, lastError = {:error}
          WHERE seq IN (SELECT value FROM json_each({:seqs}))`)
        .bind({ attempts: g.attempts, dead: g.dead ? 1 : 0, next, error: g.lastError, seqs: JSON.stringify(seqs) })
        .execute();
      message = g.lastError;
      if (g.dead) run.report.parked += g.entries.length;
      else run.report.failed += g.entries.length;
    }
    tx.db()
      .newQuery("UPDATE hvac_sync_targets SET lastFailureAt = {:at}, lastError = {:error} WHERE name = {:target}")
      .bind({ at: Date.now(), error: message, target: run.target })
      .execute();
  });
  run.report.error = message;
}

/** A failed delivery of entries sent together: one more attempt each, backoff, dead after N. */
function fail(run: Run, entries: readonly OutboxEntry[], error: string): void {
  applyFailures(run, failureGroups(entries, error, run.now, run.random, run.config.retry));
}

/** Entries the target can never take: parked at once. */
function park(run: Run, entries: readonly OutboxEntry[], reason: string): void {
  if (entries.length) applyFailures(run, [deadGroup(entries, reason)]);
}

function parkInvalid(run: Run, rows: readonly OutboxRow[]): void {
  if (rows.length === 0) return;
  const entries: OutboxEntry[] = rows.map((r) => ({
    collection: "contacts", rid: r.rid, op: "upsert", updated: r.updated, seqs: [r.seq], maxSeq: r.seq, attempts: r.attempts,
  }));
  park(run, entries, `not a synced collection or operation: ${rows[0].collection} ${rows[0].op}`);
}

interface HttpAnswer {
  status: number;
  raw: string;
}

/** One HTTP call; null and the error text when there was no answer (refused, timeout, DNS...). */
function send(run: Run, method: string, url: string, body: string | undefined, headers: Record<string, string>): HttpAnswer | string {
  run.report.requests++;
  try {
    const res = $http.send({ url, method, body: body ?? "", headers, timeout: run.config.httpTimeoutSec });
    return { status: res.statusCode, raw: typeof res.raw === "string" ? res.raw : String(res.raw ?? "") };
  } catch (e) {
    return `no answer from ${url.replace(/\?.*$/, "")}: ${errorText(e)}`;
  }
}

// ---------------------------------------------------------------- Convex

interface PushItem {
  entry: OutboxEntry;
  change: SyncChange;
}

function deliverConvex(run: Run, rows: OutboxRow[]): void {
  const { entries, invalid } = coalesceRows(rows);
  parkInvalid(run, invalid);
  const states = currentStates(entries);
  const items: PushItem[] = [];
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i];
    items.push({ entry: e, change: changeForEntry(e, states[`${e.collection}/${e.rid}`] || null, run.now) });
  }
  const { batches, rejected } = planBatches(items, {
    maxDocs: run.config.batchSize, maxRequestBytes: CONVEX_MAX_REQUEST_BYTES, maxDocBytes: CONVEX_MAX_DOC_BYTES,
  });
  for (let i = 0; i < rejected.length; i++) park(run, [rejected[i].item.entry], rejected[i].reason);
  for (let i = 0; i < batches.length; i++) {
    if (!pushBatch(run, batches[i], true)) {
      run.stopped = true;
      return;
    }
  }
}

/** Pushes one batch. False when the target is unreachable or failing (stop for this drain). */
function pushBatch(run: Run, batch: PushItem[], split: boolean): boolean {
  const changes = batch.map((b) => b.change);
  const entries = batch.map((b) => b.entry);
  run.report.sent += changes.length;
  const answer = send(run, "POST", `${run.config.convexSiteUrl}/pocketbase/push`, JSON.stringify({ changes }), {
    "Content-Type": "application/json",
    Authorization: `Bearer ${run.config.convexSyncSecret}`,
  });
  if (typeof answer === "string") {
    fail(run, entries, answer);
    return false;
  }
  if (answer.status === 200) {
    let parsed;
    try {
      parsed = pushOutcome(batch, parsePushResponse(JSON.parse(answer.raw), changes));
    } catch (e) {
      fail(run, entries, `malformed answer from Convex: ${errorText(e)}`);
      return false;
    }
    succeed(run, parsed.delivered.map((b) => b.entry), parsed.conflicts.map((b) => ({ change: b.change })));
    return true;
  }
  const message = `Convex answered ${answerText(answer.status, answer.raw, errorBodyMessage(answer.raw))}`;
  if (failureKind(answer.status) === "rejected") {
    // Convex refused the content: one by one, so only the refused change is parked.
    if (split && batch.length > 1) {
      run.report.sent -= changes.length;
      for (let i = 0; i < batch.length; i++) if (!pushBatch(run, [batch[i]], false)) return false;
      return true;
    }
    park(run, entries, message);
    return true;
  }
  fail(run, entries, message);
  return false;
}

// ---------------------------------------------------------------- Weaviate

/** Objects per batch request stay below this many bytes of JSON. */
const WEAVIATE_MAX_REQUEST_BYTES = 8_000_000;

interface WeaviateItem {
  entry: OutboxEntry;
  object: WeaviateObject;
  bytes: number;
}

function weaviateHeaders(config: SyncConfig): Record<string, string> {
  const h: Record<string, string> = { "Content-Type": "application/json" };
  if (config.weaviateApiKey) h.Authorization = `Bearer ${config.weaviateApiKey}`;
  return h;
}

function deliverWeaviate(run: Run, rows: OutboxRow[]): void {
  const { entries, invalid } = coalesceRows(rows);
  parkInvalid(run, invalid);
  const states = currentStates(entries);
  const upserts: WeaviateItem[] = [];
  const deletes: OutboxEntry[] = [];
  const noClass: OutboxEntry[] = [];
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i];
    if (!weaviateClassOf(e.collection)) {
      noClass.push(e);
      continue;
    }
    const current = states[`${e.collection}/${e.rid}`];
    if (current) {
      const object = weaviateObject(e.collection, e.rid, current) as WeaviateObject;
      upserts.push({ entry: e, object, bytes: utf8Length(JSON.stringify(object)) });
    } else {
      deletes.push(e);
    }
  }
  if (noClass.length) park(run, noClass, `no Weaviate class for ${noClass[0].collection}`);

  // Batches by count and size, in order.
  let batch: WeaviateItem[] = [];
  let bytes = 0;
  const batches: WeaviateItem[][] = [];
  for (let i = 0; i < upserts.length; i++) {
    if (batch.length > 0 && (batch.length >= run.config.batchSize || bytes + upserts[i].bytes > WEAVIATE_MAX_REQUEST_BYTES)) {
      batches.push(batch);
      batch = [];
      bytes = 0;
    }
    batch.push(upserts[i]);
    bytes += upserts[i].bytes + 1;
  }
  if (batch.length) batches.push(batch);

  for (let i = 0; i < batches.length; i++) {
    if (!weaviateBatch(run, batches[i])) {
      run.stopped = true;
      return;
    }
  }
  for (let i = 0; i < deletes.length; i++) {
    if (!weaviateDelete(run, deletes[i])) {
      run.stopped = true;
      return;
    }
  }
}

function weaviateBatch(run: Run, batch: WeaviateItem[]): boolean {
  const entries = batch.map((b) => b.entry);
  const objects = batch.map((b) => b.object);
  run.report.sent += objects.length;
  const answer = send(run, "POST", `${run.config.weaviateUrl}/v1/batch/objects`, JSON.stringify({ objects }), weaviateHeaders(run.config));
  if (typeof answer === "string") {
    fail(run, entries, answer);
    return false;
  }
  if (answer.status !== 200) {
    fail(run, entries, `Weaviate answered ${answerText(answer.status, answer.raw, errorBodyMessage(answer.raw))}`);
    return false;
  }
  let results: (string | null)[];
  try {
    results = parseWeaviateBatchResponse(JSON.parse(answer.raw), objects);
  } catch (e) {
    fail(run, entries, `malformed answer from Weaviate: ${errorText(e)}`);
    return false;
  }
  const ok: OutboxEntry[] = [];
  for (let i = 0; i < batch.length; i++) {
    if (results[i] === null) ok.push(entries[i]);
    else fail(run, [entries[i]], `Weaviate refused the object: ${results[i]}`);
  }
  succeed(run, ok);
  return true;
}

function weaviateDelete(run: Run, entry: OutboxEntry): boolean {
  const path = weaviateObjectPath(entry.collection, entry.rid) as string;
  run.report.sent++;
  const answer = send(run, "DELETE", `${run.config.weaviateUrl}${path}`, undefined, weaviateHeaders(run.config));
  if (typeof answer === "string") {
    fail(run, [entry], answer);
    return false;
  }
  if (weaviateDeleteDone(answer.status)) {
    succeed(run, [entry]);
    return true;
  }
  fail(run, [entry], `Weaviate answered ${answerText(answer.status, answer.raw, errorBodyMessage(answer.raw))}`);
  // A 4xx about this object does not mean Weaviate is down; 401/403/5xx do.
  return answer.status >= 400 && answer.status < 500 && answer.status !== 401 && answer.status !== 403;
}


// ---------------------------------------------------------------- pull (production, hybrid)

const CURSOR_KEY = "pull_cursor";
const PULL_STATUS_KEY = "pull_status";

interface PullStatus {
  lastSuccessAt: number;
  lastFailureAt: number;
  lastError: string;
  applied: number;
  conflicts: number;
  failed: number;
}

function readState(key: string): string | null {
  const row = queryRow("SELECT value FROM hvac_sync_state WHERE key = {:key}", { key }, { value: "" });
  return row ? row.value : null;
}

function writeState(key: string, value: string, dao: daos.Dao = $app.dao()): void {
  dao.db()
    .newQuery("INSERT INTO hvac_sync_state (key, value) VALUES ({:key}, {:value}) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
    .bind({ key, value })
    .execute();
}

function readPullStatus(): PullStatus {
  const empty: PullStatus = { lastSuccessAt: 0, lastFailureAt: 0, lastError: "", applied: 0, conflicts: 0, failed: 0 };
  const raw = readState(PULL_STATUS_KEY);
  if (!raw) return empty;
  try {
    return { ...empty, ...(JSON.parse(raw) as Partial<PullStatus>) };
  } catch {
    return empty;
  }
}

function savePullStatus(report: PullReport): void {
  const s = readPullStatus();
  const now = Date.now();
  if (report.error) {
    s.lastFailureAt = now;
    s.lastError = report.error;
  } else {
    s.lastSuccessAt = now;
  }
  s.applied += report.applied;
  s.conflicts += report.conflicts;
  s.failed += report.failed;
  writeState(PULL_STATUS_KEY, JSON.stringify(s));
}

interface ConflictNote {
  collection: string;
  id: string;
  direction: "push" | "pull";
  winner: "local" | "remote";
  localUpdated: string;
  remoteUpdated: string;
  local: unknown;
  remote: unknown;
  note: string;
}

function saveConflictNote(dao: daos.Dao, c: ConflictNote): void {
  const note = new Record(dao.findCollectionByNameOrId("sync_conflicts"));
  note.set("recordCollection", c.collection);
  note.set("recordId", c.id);
  note.set("target", "convex");
  note.set("direction", c.direction);
  note.set("winner", c.winner);
  note.set("localUpdated", c.localUpdated);
  note.set("remoteUpdated", c.remoteUpdated);
  note.set("local", c.local);
  note.set("remote", c.remote);
  note.set("note", c.note.slice(0, 2000));
  note.set("resolved", false);
  dao.saveRecord(note);
}

/**
 * Applies one pulled change in one transaction: last-writer-wins against the local version, the
 * write under the hvac_sync_apply marker (queued for Weaviate, not back to Convex), `updated` set to
 * the change's clock, local changes it supersedes dropped from the Convex queue, a conflict noted.
 */
function applyPulled(change: SyncChange): PullDecision {
  const table = change.collection; // one of SYNC_COLLECTIONS (parsePullResponse checked it)
  let decision: PullDecision | null = null;
  $app.dao().runInTransaction((tx) => {
    const collection = tx.findCollectionByNameOrId(table);
    let rec: Rec | null = null;
    try {
      rec = tx.findRecordById(table, change.id);
    } catch {
      rec = null;
    }
    const current = rec ? (JSON.parse(JSON.stringify(rec)) as Record<string, unknown>) : null;
    const pendingDelete = current ? null : queryRow(
      "SELECT updated FROM hvac_outbox WHERE target = 'convex' AND collection = {:c} AND rid = {:id} AND op = 'delete' ORDER BY seq DESC LIMIT 1",
      { c: table, id: change.id }, { updated: "" }, tx,
    );
    const d = decidePull(change, localVersionOf(table, current, pendingDelete ? pendingDelete.updated : null));
    decision = d;
    if (d.conflict) {
      saveConflictNote(tx, {
        collection: table, id: change.id, direction: "pull", winner: d.write ? "remote" : "local",
        localUpdated: d.local ? d.local.updated : "", remoteUpdated: d.incoming.updated,
        local: d.local ? d.local.record : null, remote: d.incoming.record,
        note: d.write
          ? "Convex's version was written at the same millisecond as this server's and won the tie-break."
          : "Convex sent an older version than this server's; this server's version is kept and pushed.",
      });
    }
    if (!d.write) return;
    const key = { c: table, id: change.id };
    tx.db().newQuery("INSERT INTO hvac_sync_apply (collection, rid) VALUES ({:c}, {:id}) ON CONFLICT DO NOTHING").bind(key).execute();
    if (d.incoming.deleted) {
      if (rec) tx.deleteRecord(rec);
    } else {
      const isNew = !rec;
      const target = rec || new Record(collection);
      if (isNew) target.set("id", change.id);
      const names = collection.schema.fields().map((f) => f!.name);
      const { set } = fieldsToWrite(d.incoming.record || {}, names, isNew);
      const keys = Object.keys(set);
      for (let i = 0; i < keys.length; i++) target.set(keys[i], set[keys[i]]);
      tx.saveRecord(target);
      // Saving stamps "now"; the record keeps the clock of the version it holds.
      tx.db().newQuery(`UPDATE ${table} SET updated = {:u} WHERE id = {:id}`).bind({ u: d.incoming.updated, id: change.id }).execute();
    }
    // The record is Convex's version now: local changes still waiting for Convex lost to it.
    tx.db().newQuery("DELETE FROM hvac_outbox WHERE target = 'convex' AND collection = {:c} AND rid = {:id}").bind(key).execute();
    tx.db().newQuery("DELETE FROM hvac_sync_apply WHERE collection = {:c} AND rid = {:id}").bind(key).execute();
  });
  return decision as unknown as PullDecision;
}

/** Pages through Convex's changes after the stored cursor until there are no more or the time is up. */
function pullFromConvex(config: SyncConfig, deadline: number, renew: () => boolean): PullReport {
  const report: PullReport = { pages: 0, received: 0, applied: 0, skipped: 0, conflicts: 0, failed: 0, cursor: readState(CURSOR_KEY) || "", error: "" };
  const limit = Math.min(config.batchSize, MAX_PULL_LIMIT);
  for (let page = 0; page < 10_000 && Date.now() < deadline; page++) {
    const since = report.cursor;
    const url = `${config.convexSiteUrl}/pocketbase/pull?since=${encodeURIComponent(since)}&limit=${limit}`;
    let status = 0;
    let raw = "";
    try {
      const res = $http.send({ url, method: "GET", headers: { Authorization: `Bearer ${config.convexSyncSecret}` }, timeout: config.httpTimeoutSec });
      status = res.statusCode;
      raw = typeof res.raw === "string" ? res.raw : String(res.raw ?? "");
    } catch (e) {
      report.error = `no answer from ${config.convexSiteUrl}/pocketbase/pull: ${errorText(e)}`;
      break;
    }
    if (status !== 200) {
      report.error = `Convex answered the pull with ${answerText(status, raw, errorBodyMessage(raw))}`;
      break;
    }
    let answer;
    try {
      answer = parsePullResponse(JSON.parse(raw), limit);
    } catch (e) {
      report.error = `malformed pull answer from Convex: ${errorText(e)}`;
      break;
    }
    report.pages++;
    report.received += answer.changes.length;
    for (let i = 0; i < answer.changes.length; i++) {
      const change = answer.changes[i];
      try {
        const d = applyPulled(change);
        if (d.write) report.applied++;
        else report.skipped++;
        if (d.conflict) report.conflicts++;
      } catch (e) {
        // Not applicable here (e.g. a delete of a record other records still need): kept for review.
        report.failed++;
        try {
          saveConflictNote($app.dao(), {
            collection: change.collection, id: change.id, direction: "pull", winner: "local", localUpdated: "", remoteUpdated: change.updated,
            local: null, remote: change.record, note: `Could not apply Convex's ${change.op} here: ${errorText(e)}`,
          });
        } catch (e2) {
          console.error(`sync: could not note a failed pull of ${change.collection}/${change.id}: ${errorText(e2)}`);
        }
      }
    }
    // Everything up to the new cursor is applied (or noted): a restart continues after it.
    writeState(CURSOR_KEY, answer.cursor);
    report.cursor = answer.cursor;
    if (answer.cursor === (since || "0") || !renew()) break;
  }
  savePullStatus(report);
  return report;
}

// ---------------------------------------------------------------- cron and routes

/** The cron job (every minute). Quiet: the status page shows failures. */
export function drainFromCron(): void {
  const state = loadSyncConfig();
  if (state.config && !state.config.drainCron) return;
  try {
    drainOutbox({});
  } catch (e) {
    console.error(`sync: drain failed: ${errorText(e)}`);
  }
}

function actorOrFail(c: echo.Context, need: "staff" | "manager") {
  const { actor, data } = requestCtx(c);
  const ok = need === "staff" ? actor.staff : actor.manager;
  if (!ok) throw new ForbiddenError(need === "staff" ? "Only staff may see the sync status." : "Only managers and admins may do this.", {});
  return { actor, data };
}

/** POST /api/hvac/sync/drain (admins, managers): drains now. `now` (admins: tests) and `budgetMs`. */
export function postSyncDrain(c: echo.Context): void {
  const { actor, data } = actorOrFail(c, "manager");
  const opts: DrainOptions = {};
  if (data.now !== undefined && data.now !== null && data.now !== "") {
    if (!actor.admin) failFields([{ field: "now", code: "forbidden", message: "Only admins may drain as of another time." }]);
    const now = typeof data.now === "number" ? data.now : parseTimestamp(data.now);
    if (!Number.isFinite(now)) failFields([{ field: "now", code: "invalid_date", message: "now must be epoch milliseconds or an ISO 8601 timestamp." }]);
    opts.now = now;
  }
  if (data.budgetMs !== undefined && data.budgetMs !== null && data.budgetMs !== "") {
    const b = Number(data.budgetMs);
    if (!(b >= 1 && b <= 600_000)) failFields([{ field: "budgetMs", code: "out_of_range", message: "budgetMs must be from 1 to 600000." }]);
    opts.budgetMs = b;
  }
  const report = drainOutbox(opts);
  if (report.busy) throw new ApiError(409, "A drain is already running; try again when it has finished.", {});
  c.json(200, report);
}

interface TargetRow {
  name: string;
  enabled: number;
  lastSuccessAt: number;
  lastFailureAt: number;
  lastError: string;
  delivered: number;
}

function count(sql: string, params: Record<string, unknown>): number {
  const row = new DynamicModel({ n: 0 }) as unknown as { n: number };
  $app.dao().db().newQuery(sql).bind(params).one(row);
  return row.n;
}

/** GET /api/hvac/sync/status (admins and staff): what the status page shows. */
export function getSyncStatus(c: echo.Context): void {
  actorOrFail(c, "staff");
  const state = loadSyncConfig();
  const now = Date.now();
  const dao = $app.dao();
  const rows = arrayOf(new DynamicModel({ name: "", enabled: 0, lastSuccessAt: 0, lastFailureAt: 0, lastError: "", delivered: 0 }));
  dao.db().newQuery("SELECT name, enabled, lastSuccessAt, lastFailureAt, lastError, delivered FROM hvac_sync_targets ORDER BY name").all(rows);
  const targets: Record<string, unknown>[] = [];
  for (let i = 0; i < rows.length; i++) {
    const t = rows[i] as unknown as TargetRow;
    const oldest = new DynamicModel({ createdAt: 0 }) as unknown as { createdAt: number };
    let oldestAt: number | null = null;
    try {
      dao.db().newQuery("SELECT createdAt FROM hvac_outbox WHERE target = {:t} AND dead = 0 ORDER BY seq LIMIT 1").bind({ t: t.name }).one(oldest);
      oldestAt = oldest.createdAt;
    } catch {
      oldestAt = null;
    }
    const c2 = state.config;
    targets.push({
      name: t.name,
      enabled: t.enabled === 1,
      url: !c2 ? "" : t.name === "convex" ? c2.convexSiteUrl : c2.weaviateUrl,
      pending: count("SELECT count(*) AS n FROM hvac_outbox WHERE target = {:t} AND dead = 0", { t: t.name }),
      due: count("SELECT count(*) AS n FROM hvac_outbox WHERE target = {:t} AND dead = 0 AND nextAttemptAt <= {:now}", { t: t.name, now }),
      dead: count("SELECT count(*) AS n FROM hvac_outbox WHERE target = {:t} AND dead = 1", { t: t.name }),
      oldestPendingAt: oldestAt,
      oldestPendingAgeMs: oldestAt === null ? null : Math.max(0, now - oldestAt),
      // When the earliest waiting row that is not due yet becomes due (after a failure's backoff);
      // null when none waits. Rows already due go at the next drain (`due`).
      nextAttemptAt: count(
        "SELECT coalesce(min(nextAttemptAt), 0) AS n FROM hvac_outbox WHERE target = {:t} AND dead = 0 AND nextAttemptAt > {:now}", { t: t.name, now },
      ) || null,
      lastSuccessAt: t.lastSuccessAt || null,
      lastFailureAt: t.lastFailureAt || null,
      lastError: t.lastError,
      delivered: t.delivered,
    });
  }
  const dead = arrayOf(new DynamicModel({ seq: 0, target: "", collection: "", rid: "", op: "", attempts: 0, lastError: "", createdAt: 0 }));
  dao.db().newQuery("SELECT seq, target, collection, rid, op, attempts, lastError, createdAt FROM hvac_outbox WHERE dead = 1 ORDER BY seq LIMIT 100").all(dead);
  const lock = new DynamicModel({ value: "", until: 0 }) as unknown as { value: string; until: number };
  let draining = false;
  try {
    dao.db().newQuery("SELECT value, until FROM hvac_sync_state WHERE key = {:k}").bind({ k: LOCK_KEY }).one(lock);
    draining = lock.value !== "" && lock.until > now;
  } catch {
    draining = false;
  }
  const pull = readPullStatus();
  c.json(200, {
    mode: state.config ? state.config.mode : "off",
    problem: state.problem,
    directions: state.config ? syncDirections(state.config.mode) : { push: false, pull: false },
    targets,
    deadLetters: JSON.parse(JSON.stringify(dead)),
    conflicts: { open: count("SELECT count(*) AS n FROM sync_conflicts WHERE resolved = FALSE", {}) },
    pull: {
      enabled: !!state.config && syncDirections(state.config.mode).pull,
      cursor: readState(CURSOR_KEY) || "",
      lastSuccessAt: pull.lastSuccessAt || null,
      lastFailureAt: pull.lastFailureAt || null,
      lastError: pull.lastError,
      applied: pull.applied,
      conflicts: pull.conflicts,
      failed: pull.failed,
    },
    draining,
    now,
  });
}

/** Which collections go to which target (the triggers' routing, pb_migrations/1795590000_outbox.js). */
function collectionsOf(target: SyncTarget): string[] {
  return target === "convex" ? SYNC_COLLECTIONS.slice() : SYNC_COLLECTIONS.filter((c) => weaviateClassOf(c) !== null);
}

/**
 * POST /api/hvac/sync/backfill (admins): queues every existing record of the synced collections for a
 * target, e.g. after switching sync on for an office with data, or to rebuild Weaviate. The drain
 * then sends them like any change (idempotent: Convex answers "skipped" for what it has).
 */
export function postSyncBackfill(c: echo.Context): void {
  const { actor, data } = requestCtx(c);
  if (!actor.admin) throw new ForbiddenError("Only admins may queue every record.", {});
  const target = String(data.target ?? "");
  if (!isSyncTarget(target)) failFields([{ field: "target", code: "invalid", message: `target must be one of ${SYNC_TARGETS.join(", ")}.` }]);
  const state = loadSyncConfig();
  applyTargets(state);
  if (!wanted(state)[target as SyncTarget]) {
    failFields([{ field: "target", code: "off", message: `${target} is not configured on this server (${state.problem || "see SYNC_MODE / WEAVIATE_URL"}).` }]);
  }
  const queued: { collection: string; count: number }[] = [];
  $app.dao().runInTransaction((tx) => {
    const names = collectionsOf(target as SyncTarget);
    for (let i = 0; i < names.length; i++) {
      // names come from SYNC_COLLECTIONS: safe to put in the statement.
      const r = tx.db()
        .newQuery(`INSERT INTO hvac_outbox (target, collection, rid, op, updated, createdAt)
          SELECT {:target}, {:collection}, id, 'upsert', updated, {:now} FROM ${names[i]} ORDER BY created, id`)
        .bind({ target, collection: names[i], now: Date.now() })
        .execute();
      queued.push({ collection: names[i], count: r.rowsAffected() });
    }
  });
  c.json(200, { target, queued });
}

/** POST /api/hvac/sync/retry (managers, admins): dead letters back to pending, by target and/or seqs. */
export function postSyncRetry(c: echo.Context): void {
  const { data } = actorOrFail(c, "manager");
  const target = data.target === undefined || data.target === null ? "" : String(data.target);
  if (target !== "" && !isSyncTarget(target)) {
    failFields([{ field: "target", code: "invalid", message: `target must be one of ${SYNC_TARGETS.join(", ")}.` }]);
  }
  let seqs: number[] | null = null;
  if (data.seqs !== undefined && data.seqs !== null) {
    const raw = JSON.parse(JSON.stringify(data.seqs)) as unknown;
    if (!Array.isArray(raw) || raw.length > 10_000 || raw.some((s) => typeof s !== "number" || !Number.isInteger(s) || s < 1)) {
      failFields([{ field: "seqs", code: "invalid", message: "seqs must be a list of outbox sequence numbers (at most 10,000)." }]);
    }
    seqs = raw as number[];
  }
  const result = $app.dao().db()
    .newQuery(`UPDATE hvac_outbox SET dead = 0, attempts = 0, nextAttemptAt = 0
      WHERE dead = 1 AND ({:target} = '' OR target = {:target})
        AND ({:all} = 1 OR seq IN (SELECT value FROM json_each({:seqs})))`)
    .bind({ target, all: seqs === null ? 1 : 0, seqs: JSON.stringify(seqs || []) })
    .execute();
  c.json(200, { retried: result.rowsAffected() });
}
