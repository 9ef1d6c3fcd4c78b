// What the dashboard's sync page (/sync) shows: the answer of GET /api/hvac/sync/status read
// defensively (a field missing or of the wrong type becomes "nothing", never a crash), the page's
// overall state (off / misconfigured / on), each target's health, ages ("5 min temu") and waits
// ("za 3 min") as units the page words in the user's language, links to a record's page, and a
// sync_conflicts note turned into a side-by-side comparison with the differing fields marked.
// Pure: no PocketBase, no DOM, no texts (those are in web/src/lib/messages/sync.ts).

export const SYNC_VIEW_MODES = ["off", "development", "production", "hybrid"] as const;
export type SyncViewMode = (typeof SYNC_VIEW_MODES)[number];

/** What to set to switch sync on (README "Configuration"), in the order the page lists them. */
export const SYNC_SETUP_VARIABLES = ["SYNC_MODE", "CONVEX_SITE_URL", "CONVEX_SYNC_SECRET", "WEAVIATE_URL"] as const;

export interface SyncTargetStatus {
  name: string;
  enabled: boolean;
  /** Where it sends (no secrets); "" when not configured. */
  url: string;
  /** Rows waiting (not dead), of which `due` may go at the next drain. */
  pending: number;
  due: number;
  dead: number;
  /** Epoch ms the oldest waiting change was queued; null when none waits. */
  oldestPendingAt: number | null;
  /** Epoch ms the earliest waiting row after a failure becomes due; null when none. */
  nextAttemptAt: number | null;
  lastSuccessAt: number | null;
  lastFailureAt: number | null;
  lastError: string;
  delivered: number;
}

export interface DeadLetter {
  seq: number;
  target: string;
  collection: string;
  rid: string;
  op: string;
  attempts: number;
  lastError: string;
  createdAt: number | null;
}

export interface PullStatus {
  enabled: boolean;
  cursor: string;
  lastSuccessAt: number | null;
  lastFailureAt: number | null;
  lastError: string;
  applied: number;
  conflicts: number;
  failed: number;
}

export interface SyncStatus {
  mode: SyncViewMode;
  /** "VARIABLE: why" when the configuration is bad (sync is then off); "" otherwise. */
  problem: string;
  directions: { push: boolean; pull: boolean };
  targets: SyncTargetStatus[];
  /** The first 100 dead letters (the targets' `dead` counts them all). */
  deadLetters: DeadLetter[];
  openConflicts: number;
  pull: PullStatus;
  /** A drain holds the lock right now. */
  draining: boolean;
  /** The server's clock when it answered (epoch ms): ages are measured from it, not the browser's. */
  now: number;
}

type Obj = Record<string, unknown>;

const obj = (v: unknown): Obj => (v && typeof v === "object" && !Array.isArray(v) ? (v as Obj) : {});
const str = (v: unknown): string => (typeof v === "string" ? v : "");
const count = (v: unknown): number => (typeof v === "number" && Number.isFinite(v) && v > 0 ? Math.floor(v) : 0);
/** An epoch-ms instant; 0, negatives and anything else mean "never". */
const instant = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) && v > 0 ? v : null);

function readTarget(v: unknown): SyncTargetStatus | null {
  const t = obj(v);
  const name = str(t.name);
  if (!name) return null;
  return {
    name,
    enabled: t.enabled === true,
    url: str(t.url),
    pending: count(t.pending),
    due: count(t.due),
    dead: count(t.dead),
    oldestPendingAt: instant(t.oldestPendingAt),
    nextAttemptAt: instant(t.nextAttemptAt),
    lastSuccessAt: instant(t.lastSuccessAt),
    lastFailureAt: instant(t.lastFailureAt),
    lastError: str(t.lastError),
    delivered: count(t.delivered),
  };
}

function readDeadLetter(v: unknown): DeadLetter | null {
  const d = obj(v);
  const seq = count(d.seq);
  if (!seq) return null;
  return {
    seq,
    target: str(d.target),
    collection: str(d.collection),
    rid: str(d.rid),
    op: str(d.op),
    attempts: count(d.attempts),
    lastError: str(d.lastError),
    createdAt: instant(d.createdAt),
  };
}

/** GET /api/hvac/sync/status as the page uses it; `fallbackNow` when the answer has no clock. */
export function readSyncStatus(raw: unknown, fallbackNow: number): SyncStatus {
  const s = obj(raw);
  const mode = (SYNC_VIEW_MODES as readonly string[]).includes(str(s.mode)) ? (s.mode as SyncViewMode) : "off";
  const dir = obj(s.directions);
  const pull = obj(s.pull);
  const list = <T>(v: unknown, read: (x: unknown) => T | null): T[] =>
    (Array.isArray(v) ? v : []).map(read).filter((x): x is T => x !== null);
  return {
    mode,
    problem: str(s.problem),
    directions: { push: dir.push === true, pull: dir.pull === true },
    targets: list(s.targets, readTarget),
    deadLetters: list(s.deadLetters, readDeadLetter),
    openConflicts: count(obj(s.conflicts).open),
    pull: {
      enabled: pull.enabled === true,
      cursor: str(pull.cursor),
      lastSuccessAt: instant(pull.lastSuccessAt),
      lastFailureAt: instant(pull.lastFailureAt),
      lastError: str(pull.lastError),
      applied: count(pull.applied),
      conflicts: count(pull.conflicts),
      failed: count(pull.failed),
    },
    draining: s.draining === true,
    now: instant(s.now) ?? fallbackNow,
  };
}

/**
 * The page's headline: misconfigured (a bad variable keeps sync off), off (nothing configured: no
 * target on; Weaviate alone counts as on, it does not need SYNC_MODE), or on.
 */
export function syncOverview(s: SyncStatus): "misconfigured" | "off" | "on" {
  if (s.problem) return "misconfigured";
  return s.targets.some((t) => t.enabled) ? "on" : "off";
}

/** "SYNC_MODE: expected …" -> the variable and the reason (the server names the variable first). */
export function configProblem(problem: string): { variable: string; detail: string } | null {
  const text = problem.trim();
  if (!text) return null;
  const m = /^([A-Z][A-Z0-9_]*): ([\s\S]*)$/.exec(text);
  return m ? { variable: m[1], detail: m[2] } : { variable: "", detail: text };
}

export type TargetHealth = "off" | "ok" | "waiting" | "failing" | "dead";

/**
 * One word for a target: off; dead letters need a person; failing = its latest delivery failed and
 * changes still wait; waiting = changes queued, nothing wrong known; ok = nothing waits.
 */
export function targetHealth(t: SyncTargetStatus): TargetHealth {
  if (!t.enabled) return "off";
  if (t.dead > 0) return "dead";
  const failedLast = t.lastFailureAt !== null && (t.lastSuccessAt === null || t.lastFailureAt > t.lastSuccessAt);
  if (t.pending > 0) return failedLast ? "failing" : "waiting";
  return "ok";
}

/** The last error is history: a delivery succeeded after it (shown, but not as the current state). */
export function errorOvercome(t: Pick<SyncTargetStatus, "lastFailureAt" | "lastSuccessAt">): boolean {
  return t.lastFailureAt !== null && t.lastSuccessAt !== null && t.lastSuccessAt > t.lastFailureAt;
}

/** How long ago, for "5 min temu" / "5 min ago". */
export type Ago = { unit: "now" } | { unit: "min" | "h" | "d"; n: number } | { unit: "never" };

export function ago(at: number | null, now: number): Ago {
  if (at === null) return { unit: "never" };
  const minutes = Math.floor(Math.max(0, now - at) / 60_000);
  if (minutes < 1) return { unit: "now" };
  if (minutes < 60) return { unit: "min", n: minutes };
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return { unit: "h", n: hours };
  return { unit: "d", n: Math.floor(hours / 24) };
}

/**
 * When the next attempt is: "due" (at the next drain: rows are due now), "in" so many minutes or
 * hours (rounded up: "za 1 min" rather than "za 0 min"), or "none" (nothing waits).
 */
export type NextAttempt = { unit: "due" } | { unit: "min" | "h"; n: number } | { unit: "none" };

export function nextAttempt(t: Pick<SyncTargetStatus, "due" | "pending" | "nextAttemptAt">, now: number): NextAttempt {
  if (t.due > 0) return { unit: "due" };
  if (t.pending === 0 || t.nextAttemptAt === null) return { unit: "none" };
  const ms = t.nextAttemptAt - now;
  if (ms <= 0) return { unit: "due" };
  const minutes = Math.ceil(ms / 60_000);
  if (minutes < 60) return { unit: "min", n: minutes };
  return { unit: "h", n: Math.ceil(minutes / 60) };
}

/**
 * The dashboard page of a synced record, where it has one: jobs, contacts, invoices, units (the
 * F-gas register). Photos have no page of their own; a deleted record has none any more.
 */
export function recordHref(collection: string, id: string, op = "upsert"): string | null {
  if (!id || op === "delete" || !/^[A-Za-z0-9_-]+$/.test(id)) return null;
  switch (collection) {
    case "jobs":
      return `/jobs/${id}`;
    case "contacts":
      return `/contacts/${id}`;
    case "invoices":
      return `/invoices/${id}`;
    case "equipment":
      return `/fgas/${id}`;
  }
  return null;
}

/** Dead letters in the order the page lists them: by target, then oldest first. */
export function sortDeadLetters(list: readonly DeadLetter[]): DeadLetter[] {
  return [...list].sort((a, b) => (a.target === b.target ? a.seq - b.seq : a.target < b.target ? -1 : 1));
}

// ---------------------------------------------------------------- conflicts

/** A sync_conflicts record (pb_migrations/1795590000_outbox.js). */
export interface ConflictNote {
  id: string;
  created: string;
  recordCollection: string;
  recordId: string;
  target: string;
  direction: string;
  winner: string;
  localUpdated: string;
  remoteUpdated: string;
  local: unknown;
  remote: unknown;
  note: string;
  resolved: boolean;
}

/**
 * Why the conflict was noted (pb_hooks/src/sync.ts saveConflictNote), for a sentence in the user's
 * language instead of the server's English note:
 * - push: this server's version lost on Convex (Convex keeps both);
 * - pull_older: Convex sent an older version, this server's is kept;
 * - pull_tie: the same millisecond, Convex's won the tie-break;
 * - pull_failed: Convex's change could not be applied here (the note holds the error).
 */
export type ConflictKind = "push" | "pull_older" | "pull_tie" | "pull_failed";

export function conflictKind(c: Pick<ConflictNote, "direction" | "winner" | "localUpdated">): ConflictKind {
  if (c.direction === "push") return "push";
  if (c.winner === "remote") return "pull_tie";
  // A failed apply is noted with no local version compared (its local clock is empty).
  return c.localUpdated ? "pull_older" : "pull_failed";
}

/** Keys that are not record content (PocketBase's own, and the clock shown beside each version). */
const NOT_CONTENT = new Set(["id", "updated", "collectionId", "collectionName", "expand"]);

export interface ConflictRow {
  field: string;
  /** The value as text; null when that version has no such field (or no version is known). */
  local: string | null;
  remote: string | null;
  differs: boolean;
}

/**
 * Why a side shows no version: "deleted" (that side's version is a delete), "elsewhere" (a push
 * conflict: Convex's winning version is kept on Convex, this server was not sent it) or
 * "not_recorded" (a change that could not be applied is noted without the local version); null = shown.
 */
export type MissingSide = "deleted" | "elsewhere" | "not_recorded" | null;

export interface ConflictComparison {
  rows: ConflictRow[];
  localMissing: MissingSide;
  remoteMissing: MissingSide;
  /** How many fields differ (0 when a side is missing: nothing to compare with). */
  differing: number;
}

/** A field's value as one line of text: strings as they are, the rest as JSON. */
export function fieldText(v: unknown): string {
  if (typeof v === "string") return v;
  if (v === undefined) return "";
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

/**
 * Both versions field by field: the fields that differ first (in the record's order), then the
 * rest. A field only one version has differs too.
 */
export function compareVersions(c: Pick<ConflictNote, "direction" | "winner" | "localUpdated" | "local" | "remote">): ConflictComparison {
  const local = c.local && typeof c.local === "object" && !Array.isArray(c.local) ? (c.local as Obj) : null;
  const remote = c.remote && typeof c.remote === "object" && !Array.isArray(c.remote) ? (c.remote as Obj) : null;
  const fields: string[] = [];
  for (const side of [local, remote]) {
    for (const k of Object.keys(side ?? {})) if (!NOT_CONTENT.has(k) && !fields.includes(k)) fields.push(k);
  }
  const both = local !== null && remote !== null;
  const rows = fields.map((field): ConflictRow => {
    const l = local && field in local ? fieldText(local[field]) : null;
    const r = remote && field in remote ? fieldText(remote[field]) : null;
    return { field, local: l, remote: r, differs: both && l !== r };
  });
  const differing = rows.filter((r) => r.differs);
  return {
    rows: [...differing, ...rows.filter((r) => !r.differs)],
    localMissing: local ? null : conflictKind(c) === "pull_failed" ? "not_recorded" : "deleted",
    remoteMissing: remote ? null : c.direction === "push" ? "elsewhere" : "deleted",
    differing: differing.length,
  };
}

// ---------------------------------------------------------------- the drain's answer

export interface DrainSummary {
  /** False when sync is off (nothing to send to). */
  ran: boolean;
  delivered: number;
  /** Records whose delivery failed in this drain, parked ones included. */
  failed: number;
  conflicts: number;
}

/** POST /api/hvac/sync/drain's report, summed over the targets for one sentence. */
export function drainSummary(raw: unknown): DrainSummary {
  const r = obj(raw);
  const out: DrainSummary = { ran: r.ran === true, delivered: 0, failed: 0, conflicts: 0 };
  for (const t of Array.isArray(r.targets) ? r.targets : []) {
    const x = obj(t);
    out.delivered += count(x.delivered);
    out.failed += count(x.failed) + count(x.parked);
    out.conflicts += count(x.conflicts);
  }
  return out;
}
