// The dispatch board's pure logic: Warsaw calendar days, lanes per technician, filters and counts.
// Shared by the dashboard and its tests; no browser or PocketBase globals.
import { parseTimestamp, warsawOffsetMinutes, warsawParts } from "./time";
import { JOB_STATUSES, PRIORITIES, type JobStatus, type JobType, type Priority } from "./types";

const DAY_MS = 24 * 60 * 60 * 1000;

function pad(n: number): string {
  return String(n).padStart(2, "0");
}

/** "YYYY-MM-DD" of the Warsaw calendar day containing the instant. */
export function warsawDayKey(ms: number): string {
  const p = warsawParts(new Date(ms));
  return `${p.year}-${pad(p.month)}-${pad(p.day)}`;
}

/** "HH:MM" Warsaw wall-clock time of the instant. */
export function warsawClock(ms: number): string {
  const p = warsawParts(new Date(ms));
  return `${pad(p.hour)}:${pad(p.minute)}`;
}

/**
 * The instant of a Warsaw wall-clock time on a day ("2026-11-24", 8, 30). Days of the summer-time
 * change are handled: the offset is the one in force at that local time.
 */
export function warsawTime(day: string, hour = 0, minute = 0): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return NaN;
  const asUtc = Date.UTC(+m[1], +m[2] - 1, +m[3], hour, minute);
  // Date.UTC rolls "2026-02-30" over into March: refuse days the calendar does not have.
  const check = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  if (check.getUTCFullYear() !== +m[1] || check.getUTCMonth() !== +m[2] - 1 || check.getUTCDate() !== +m[3]) return NaN;
  // The offset at (local time - 1 h) and (local time - 2 h) differ only around the change itself.
  let t = asUtc - warsawOffsetMinutes(new Date(asUtc - 60 * 60_000)) * 60_000;
  t = asUtc - warsawOffsetMinutes(new Date(t)) * 60_000;
  return t;
}

/** [start, end) of a Warsaw calendar day as epoch ms (23, 24 or 25 hours long). */
export function warsawDayRange(day: string): { start: number; end: number } {
  const start = warsawTime(day);
  const next = warsawDayKey(start + DAY_MS + 3 * 60 * 60 * 1000);
  return { start, end: warsawTime(next) };
}

/** The day after / before a "YYYY-MM-DD" key. */
export function shiftDay(day: string, days: number): string {
  return warsawDayKey(warsawTime(day, 12) + days * DAY_MS);
}

/** What the board needs of a job (a JobRecord with its contact expanded). */
export interface BoardJob {
  id: string;
  title: string;
  type: JobType | string;
  status: JobStatus | string;
  priority: Priority | string;
  technicianId: string;
  scheduledDate: string;
  estimatedDuration: number;
  contactName: string;
  district: string;
  address: string;
  /** PocketBase's `updated` of the record this was made from: tells an older copy from a newer one. */
  updated?: string;
}

export interface BoardFilters {
  districts: string[];
  statuses: string[];
  priorities: string[];
  types: string[];
}

export const NO_FILTERS: BoardFilters = { districts: [], statuses: [], priorities: [], types: [] };

export function matchesFilters(job: BoardJob, f: BoardFilters): boolean {
  return (f.districts.length === 0 || f.districts.includes(job.district))
    && (f.statuses.length === 0 || f.statuses.includes(job.status))
    && (f.priorities.length === 0 || f.priorities.includes(job.priority))
    && (f.types.length === 0 || f.types.includes(job.type));
}

export interface Lane {
  /** Technician id, or "" for the unassigned lane. */
  id: string;
  name: string;
  jobs: BoardJob[];
}

export interface BoardTechnician {
  id: string;
  name: string;
}

/** Order within a lane: by scheduled time (unscheduled last), then most urgent, then title. */
export function compareJobs(a: BoardJob, b: BoardJob): number {
  const ta = parseTimestamp(a.scheduledDate);
  const tb = parseTimestamp(b.scheduledDate);
  const sa = Number.isFinite(ta) ? ta : Infinity;
  const sb = Number.isFinite(tb) ? tb : Infinity;
  if (sa !== sb) return sa < sb ? -1 : 1;
  const pa = PRIORITIES.indexOf(a.priority as Priority);
  const pb = PRIORITIES.indexOf(b.priority as Priority);
  if (pa !== pb) return pb - pa;
  return a.title.localeCompare(b.title, "pl");
}

/**
 * Lanes for the board: "unassigned" first, then one per technician (in the given order, even when
 * empty), each ordered by time. Jobs of a technician not in the list get a lane of their own.
 */
export function buildLanes(jobs: readonly BoardJob[], technicians: readonly BoardTechnician[], filters: BoardFilters, unassignedName: string): Lane[] {
  const lanes = new Map<string, Lane>();
  lanes.set("", { id: "", name: unassignedName, jobs: [] });
  for (const t of technicians) lanes.set(t.id, { id: t.id, name: t.name, jobs: [] });
  for (const job of jobs) {
    if (!matchesFilters(job, filters)) continue;
    let lane = lanes.get(job.technicianId);
    if (!lane) {
      lane = { id: job.technicianId, name: job.technicianId, jobs: [] };
      lanes.set(job.technicianId, lane);
    }
    lane.jobs.push(job);
  }
  for (const lane of lanes.values()) lane.jobs.sort(compareJobs);
  return [...lanes.values()];
}

/** Jobs per status among those the filters let through (the status filter itself excluded). */
export function statusCounts(jobs: readonly BoardJob[], filters: BoardFilters): Record<JobStatus, number> {
  const counts = Object.fromEntries(JOB_STATUSES.map((s) => [s, 0])) as Record<JobStatus, number>;
  const f = { ...filters, statuses: [] };
  for (const job of jobs) {
    if (matchesFilters(job, f) && (JOB_STATUSES as readonly string[]).includes(job.status)) counts[job.status as JobStatus]++;
  }
  return counts;
}

/** "08:30–10:00" for a scheduled job, "" when it has no time. */
export function timeWindow(job: Pick<BoardJob, "scheduledDate" | "estimatedDuration">): string {
  const start = parseTimestamp(job.scheduledDate);
  if (!Number.isFinite(start)) return "";
  const minutes = job.estimatedDuration > 0 ? job.estimatedDuration : 60;
  return `${warsawClock(start)}–${warsawClock(start + minutes * 60_000)}`;
}

/** Whether a job belongs on the board of a day: scheduled that day, or open and not yet scheduled. */
export function onBoardOfDay(job: Pick<BoardJob, "scheduledDate" | "status">, day: string): boolean {
  const t = parseTimestamp(job.scheduledDate);
  if (!Number.isFinite(t)) return job.status === "pending";
  const { start, end } = warsawDayRange(day);
  return t >= start && t < end;
}

/**
 * The change a drop makes: onto a technician's lane at an hour -> assigned and scheduled (a pending
 * job becomes scheduled); onto "unassigned" -> back to pending without a technician. The server
 * checks the move; its errors are shown on the card.
 */
export function dropChange(job: Pick<BoardJob, "status" | "scheduledDate">, laneId: string, day: string, hour: number | null): Record<string, unknown> {
  if (!laneId) return { technicianId: "", status: job.status === "scheduled" ? "pending" : job.status };
  const existing = parseTimestamp(job.scheduledDate);
  let at: number;
  if (hour !== null) at = warsawTime(day, hour);
  else if (Number.isFinite(existing) && warsawDayKey(existing) === day) at = existing;
  else at = warsawTime(day, 8);
  const change: Record<string, unknown> = { technicianId: laneId, scheduledDate: new Date(at).toISOString() };
  if (job.status === "pending") change.status = "scheduled";
  return change;
}

/**
 * A lane's jobs by the board's hour rows: `null` holds jobs without a time; jobs before the first
 * or after the last row go to that row. Computed once per lane, not once per row.
 */
export function byHour(jobs: readonly BoardJob[], firstHour: number, lastHour: number): Map<number | null, BoardJob[]> {
  const rows = new Map<number | null, BoardJob[]>();
  rows.set(null, []);
  for (let h = firstHour; h <= lastHour; h++) rows.set(h, []);
  for (const job of jobs) {
    const t = parseTimestamp(job.scheduledDate);
    const h = Number.isFinite(t) ? Math.min(lastHour, Math.max(firstHour, warsawParts(new Date(t)).hour)) : null;
    rows.get(h)!.push(job);
  }
  return rows;
}

/**
 * A change that reached the board live (an event, or the answer to its own save): the job as the
 * change left it, or `job: null` when it is no longer on this board (deleted, or moved to another
 * day). `updated` is the record's modification time as PocketBase sent it (a delete event carries
 * the record's last one).
 */
export interface LiveChange {
  id: string;
  job: BoardJob | null;
  updated: string;
}

/** Whether timestamp `a` is strictly later than `b`; unreadable ones are never later. */
function laterThan(a: string | undefined, b: string | undefined): boolean {
  const ta = parseTimestamp(a ?? "");
  const tb = parseTimestamp(b ?? "");
  return Number.isFinite(ta) && Number.isFinite(tb) && ta > tb;
}

/**
 * A live change applied to the board's jobs: the job is replaced, added or dropped - unless the
 * board already shows a newer version of it (a save's answer arriving after the event of a later
 * change, for instance).
 */
export function applyLiveChange(jobs: readonly BoardJob[], change: LiveChange): BoardJob[] {
  const shown = jobs.find((j) => j.id === change.id);
  if (shown && laterThan(shown.updated, change.updated)) return jobs as BoardJob[];
  const rest = jobs.filter((j) => j.id !== change.id);
  return change.job ? [...rest, change.job] : rest;
}

/**
 * The day's jobs as loaded, with the live changes that arrived while the request was under way put
 * back on top: without them a job created meanwhile would vanish and an update would be undone
 * until the next event about that job. Per job the newest change counts (equal times: the one that
 * arrived last), and it wins over the loaded copy unless that copy is strictly newer (the list was
 * read after a change whose event is still on its way - that event will come and agree).
 */
export function mergeLiveChanges(loaded: readonly BoardJob[], changes: readonly LiveChange[]): BoardJob[] {
  const newest = new Map<string, LiveChange>();
  for (const change of changes) {
    const seen = newest.get(change.id);
    if (!seen || !laterThan(seen.updated, change.updated)) newest.set(change.id, change);
  }
  let jobs = [...loaded];
  for (const change of newest.values()) jobs = applyLiveChange(jobs, change);
  return jobs;
}
