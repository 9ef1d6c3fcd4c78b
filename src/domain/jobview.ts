// The job page's pure logic: Warsaw date-time display and form values, the edit form's changes,
// the status moves offered as buttons, the timeline of a job's events and the contact's job history.
// Shared by the dashboard and its tests; no browser or PocketBase globals.
import { warsawTime } from "./board";
import { allowedMoves } from "./lifecycle";
import { parseTimestamp, warsawParts } from "./time";
import type { JobRecord, JobStatus } from "./types";

function pad(n: number): string {
  return String(n).padStart(2, "0");
}

function toMs(value: unknown): number {
  if (typeof value === "number") return value;
  return parseTimestamp(value);
}

/** "24.11.2026, 14:30" in Warsaw time for an ISO / PocketBase timestamp or epoch ms; "" when empty or invalid. */
export function formatWarsawDateTime(value: string | number | null | undefined): string {
  const ms = toMs(value);
  if (!Number.isFinite(ms)) return "";
  const p = warsawParts(new Date(ms));
  return `${pad(p.day)}.${pad(p.month)}.${p.year}, ${pad(p.hour)}:${pad(p.minute)}`;
}

/** "24.11.2026" in Warsaw time; "" when empty or invalid. */
export function formatWarsawDate(value: string | number | null | undefined): string {
  return formatWarsawDateTime(value).slice(0, 10);
}

/** The value of an <input type="datetime-local"> showing the instant in Warsaw time: "2026-11-24T14:30". */
export function toWarsawInput(value: string | number | null | undefined): string {
  const ms = toMs(value);
  if (!Number.isFinite(ms)) return "";
  const p = warsawParts(new Date(ms));
  return `${p.year}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}`;
}

/**
 * An <input type="datetime-local"> value read as Warsaw wall-clock time, as an ISO UTC string;
 * "" for an empty input, null when it is not a date and time.
 */
export function fromWarsawInput(value: string): string | null {
  const s = String(value ?? "").trim();
  if (s === "") return "";
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?$/.exec(s);
  if (!m) return null;
  const h = Number(m[2]);
  const min = Number(m[3]);
  if (h > 23 || min > 59) return null;
  const ms = warsawTime(m[1], h, min);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : null;
}

// ---------------------------------------------------------------- status moves

/** The moves a technician may make on their own job (the server refuses the others). */
export const TECHNICIAN_MOVES: readonly JobStatus[] = ["in_progress", "completed"];

export type MoveRequirement = "technicianId" | "scheduledDate";

export interface MoveButton {
  to: JobStatus;
  /** What the job still lacks for this move (the server would refuse it); empty = ready. */
  missing: MoveRequirement[];
}

/**
 * The status moves allowed now, as buttons, in the lifecycle's order. Scheduled and in-progress jobs
 * need a technician and a date (the values the form holds, saved or about to be sent with the move).
 */
export function moveButtons(
  status: JobStatus | string,
  values: { technicianId: string; scheduledDate: string },
  staff: boolean,
): MoveButton[] {
  const moves = allowedMoves(status as JobStatus) ?? [];
  const out: MoveButton[] = [];
  for (const to of moves) {
    if (!staff && !TECHNICIAN_MOVES.includes(to)) continue;
    const missing: MoveRequirement[] = [];
    if (to === "scheduled" || to === "in_progress") {
      if (!values.technicianId) missing.push("technicianId");
      if (!values.scheduledDate) missing.push("scheduledDate");
    }
    out.push({ to, missing });
  }
  return out;
}

// ---------------------------------------------------------------- timeline

/** What the timeline needs of a realtime_events record. */
export interface TimelineEvent {
  id: string;
  type: string;
  created: string;
  /** The SDK delivers JSON fields parsed; JSON text is read too. */
  data: unknown;
  processed?: boolean;
  acknowledgedBy?: string;
  acknowledgedAt?: string;
}

export interface TimelineEntry {
  id: string;
  /** epoch ms of the event (NaN when unknown) */
  at: number;
  kind: "change" | "alert";
  fromStatus: string;
  toStatus: string;
  fromTech: string;
  toTech: string;
  /** Alerts: why the job became urgent. */
  reason: string;
  acknowledged: boolean;
  acknowledgedBy: string;
  acknowledgedAt: string;
}

function dataOf(raw: unknown): Record<string, unknown> | null {
  let v = raw;
  if (typeof v === "string") {
    try {
      v = JSON.parse(v);
    } catch {
      return null;
    }
  }
  return v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
}

function str(v: unknown): string {
  return typeof v === "string" ? v : "";
}

/** A job_update or emergency_alert event as a timeline entry; null for other events or unreadable data. */
export function timelineEntry(event: TimelineEvent): TimelineEntry | null {
  const data = dataOf(event.data);
  if (!data) return null;
  const base = {
    id: event.id,
    at: parseTimestamp(event.created),
    fromStatus: "", toStatus: "", fromTech: "", toTech: "", reason: "",
    acknowledged: false, acknowledgedBy: "", acknowledgedAt: "",
  };
  if (event.type === "job_update") {
    const from = dataOf(data.from) ?? {};
    const to = dataOf(data.to) ?? {};
    return {
      ...base,
      kind: "change",
      fromStatus: str(from.status),
      toStatus: str(to.status),
      fromTech: str(from.technicianId),
      toTech: str(to.technicianId),
    };
  }
  if (event.type === "emergency_alert") {
    return {
      ...base,
      kind: "alert",
      reason: str(data.reason),
      acknowledged: !!event.processed,
      acknowledgedBy: str(event.acknowledgedBy),
      acknowledgedAt: str(event.acknowledgedAt),
    };
  }
  return null;
}

function byTime(a: TimelineEntry, b: TimelineEntry): number {
  const ta = Number.isFinite(a.at) ? a.at : Infinity;
  const tb = Number.isFinite(b.at) ? b.at : Infinity;
  if (ta !== tb) return ta < tb ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** The timeline of events, oldest first; unknown events are left out. */
export function buildTimeline(events: readonly TimelineEvent[]): TimelineEntry[] {
  const out: TimelineEntry[] = [];
  for (const e of events) {
    const entry = timelineEntry(e);
    if (entry) out.push(entry);
  }
  return out.sort(byTime);
}

/** Adds or replaces (same id) one event in a timeline, keeping it oldest first; a delete removes it. */
export function mergeTimeline(list: readonly TimelineEntry[], event: TimelineEvent, deleted = false): TimelineEntry[] {
  const rest = list.filter((e) => e.id !== event.id);
  const entry = deleted ? null : timelineEntry(event);
  return entry ? [...rest, entry].sort(byTime) : rest;
}

/** Two timelines as one (an entry of `preferred` wins over one with the same id), oldest first. */
export function combineTimelines(preferred: readonly TimelineEntry[], other: readonly TimelineEntry[]): TimelineEntry[] {
  const ids = new Set(preferred.map((e) => e.id));
  return [...preferred, ...other.filter((e) => !ids.has(e.id))].sort(byTime);
}

/**
 * The sentence of a timeline entry. `t` gives the UI texts (keys jobpage.timeline.* with {from},
 * {to}, {reason}, {who}, {when} placeholders, and status.*), `techName` a technician's name by id.
 */
export function timelineText(entry: TimelineEntry, t: (key: string) => string, techName: (id: string) => string): string {
  const fill = (key: string, values: Record<string, string>) =>
    t(key).replace(/\{(\w+)\}/g, (_, k: string) => values[k] ?? "");
  const status = (s: string) => (s ? t(`status.${s}`) : "—");
  const tech = (id: string) => (id ? techName(id) || t("jobpage.timeline.someone") : "—");
  if (entry.kind === "alert") {
    const parts = [fill("jobpage.timeline.alert", { reason: entry.reason || "—" })];
    if (entry.acknowledged) {
      parts.push(fill("jobpage.timeline.acknowledged", {
        who: entry.acknowledgedBy ? techName(entry.acknowledgedBy) || t("jobpage.timeline.someone") : t("jobpage.timeline.someone"),
        when: formatWarsawDateTime(entry.acknowledgedAt),
      }).trim());
    }
    return parts.join(" · ");
  }
  const parts: string[] = [];
  if (entry.fromStatus !== entry.toStatus) {
    parts.push(fill("jobpage.timeline.status", { from: status(entry.fromStatus), to: status(entry.toStatus) }));
  }
  if (entry.fromTech !== entry.toTech) {
    parts.push(fill("jobpage.timeline.technician", { from: tech(entry.fromTech), to: tech(entry.toTech) }));
  }
  if (parts.length === 0) parts.push(fill("jobpage.timeline.status", { from: status(entry.fromStatus), to: status(entry.toStatus) }));
  return parts.join(" · ");
}

// ---------------------------------------------------------------- edit form

/** The job page's form: every editable field as the text its input holds. */
export interface JobForm {
  title: string;
  description: string;
  type: string;
  priority: string;
  technicianId: string;
  /** datetime-local values in Warsaw time */
  scheduledDate: string;
  startedAt: string;
  completedDate: string;
  estimatedDuration: string;
  actualDuration: string;
  notes: string;
  lat: string;
  lng: string;
}

export const JOB_FORM_FIELDS = [
  "title", "description", "type", "priority", "technicianId", "scheduledDate", "startedAt", "completedDate",
  "estimatedDuration", "actualDuration", "notes", "lat", "lng",
] as const satisfies readonly (keyof JobForm)[];

/** The record field a form field writes (lat/lng both write `coordinates`). */
export function recordField(field: keyof JobForm): string {
  return field === "lat" || field === "lng" ? "coordinates" : field;
}

type JobLike = Partial<Pick<JobRecord,
  "title" | "description" | "type" | "priority" | "technicianId" | "scheduledDate" | "startedAt" | "completedDate" | "notes"
>> & { estimatedDuration?: number | string | null; actualDuration?: number | string | null; coordinates?: unknown };

function numberText(v: unknown): string {
  const n = typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" ? Number(v) : NaN;
  return Number.isFinite(n) ? String(n) : "";
}

/** The form showing a job as stored. */
export function jobToForm(job: JobLike): JobForm {
  const c = dataOf(job.coordinates);
  return {
    title: job.title ?? "",
    description: job.description ?? "",
    type: job.type ?? "",
    priority: job.priority ?? "",
    technicianId: job.technicianId ?? "",
    scheduledDate: toWarsawInput(job.scheduledDate),
    startedAt: toWarsawInput(job.startedAt),
    completedDate: toWarsawInput(job.completedDate),
    estimatedDuration: numberText(job.estimatedDuration),
    // 0 is what PocketBase stores for "not recorded yet"
    actualDuration: numberText(job.actualDuration) === "0" ? "" : numberText(job.actualDuration),
    notes: job.notes ?? "",
    lat: c ? numberText(c.lat) : "",
    lng: c ? numberText(c.lng) : "",
  };
}

export interface FormChanges {
  /** The fields to send: only what differs from the stored job. */
  patch: Record<string, unknown>;
  /** Values that cannot be sent as they are, by record field (shown next to the field). */
  errors: Record<string, "invalid_date" | "invalid_number" | "incomplete_coordinates">;
}

const DATE_FIELDS = ["scheduledDate", "startedAt", "completedDate"] as const;
const NUMBER_FIELDS = ["estimatedDuration", "actualDuration"] as const;
const TEXT_FIELDS = ["title", "description", "type", "priority", "technicianId", "notes"] as const;

/** What a save sends: the changed fields in the API's form (ISO dates, numbers, {lat, lng}). */
export function formChanges(stored: JobForm, form: JobForm): FormChanges {
  const patch: Record<string, unknown> = {};
  const errors: FormChanges["errors"] = {};
  for (const f of TEXT_FIELDS) if (form[f] !== stored[f]) patch[f] = form[f];
  for (const f of DATE_FIELDS) {
    if (form[f] === stored[f]) continue;
    const iso = fromWarsawInput(form[f]);
    if (iso === null) errors[f] = "invalid_date";
    else patch[f] = iso;
  }
  for (const f of NUMBER_FIELDS) {
    if (form[f].trim() === stored[f]) continue;
    const s = form[f].trim();
    if (s === "") patch[f] = null;
    else if (/^-?\d+(?:[.,]\d+)?$/.test(s)) patch[f] = Number(s.replace(",", "."));
    else errors[f] = "invalid_number";
  }
  if (form.lat.trim() !== stored.lat || form.lng.trim() !== stored.lng) {
    const lat = form.lat.trim().replace(",", ".");
    const lng = form.lng.trim().replace(",", ".");
    if (lat === "" || lng === "") errors.coordinates = "incomplete_coordinates";
    else if (!Number.isFinite(Number(lat)) || !Number.isFinite(Number(lng))) errors.coordinates = "invalid_number";
    else patch.coordinates = { lat: Number(lat), lng: Number(lng) };
  }
  return { patch, errors };
}

/**
 * The form after the stored job changed (a live update or a save): fields the user has not
 * touched take the new stored value, fields with unsaved edits keep them.
 */
export function rebaseForm(oldStored: JobForm, newStored: JobForm, form: JobForm): JobForm {
  const out = { ...form };
  for (const f of JOB_FORM_FIELDS) if (form[f] === oldStored[f]) out[f] = newStored[f];
  return out;
}

// ---------------------------------------------------------------- job history

/** What the job history needs of a job. */
export interface HistoryJob {
  id: string;
  scheduledDate?: string;
  created?: string;
}

/** The instant a job is listed at: its scheduled date, else when it was created. */
export function historyTime(job: HistoryJob): number {
  const s = parseTimestamp(job.scheduledDate ?? "");
  return Number.isFinite(s) ? s : parseTimestamp(job.created ?? "");
}

/** A contact's jobs, newest first (by scheduled date, else creation); `exceptId` left out. */
export function jobHistory<T extends HistoryJob>(jobs: readonly T[], exceptId = ""): T[] {
  return jobs
    .filter((j) => j.id !== exceptId)
    .sort((a, b) => {
      const ta = historyTime(a);
      const tb = historyTime(b);
      const sa = Number.isFinite(ta) ? ta : -Infinity;
      const sb = Number.isFinite(tb) ? tb : -Infinity;
      if (sa !== sb) return sb > sa ? 1 : -1;
      return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
    });
}

/** A phone number as a tel: link ("+48 601 234 567" -> "tel:+48601234567"); "" without digits. */
export function telHref(phone: string): string {
  const s = String(phone ?? "").trim();
  const digits = s.replace(/\D/g, "");
  if (!digits) return "";
  return `tel:${s.startsWith("+") ? "+" : ""}${digits}`;
}

// ---------------------------------------------------------------- server field errors

/**
 * A 400 answer's field errors ({field: {code, message}}) in the UI's words: the first of
 * `<prefix>.<field>.<code>` and `<prefix>.<code>` that `t` knows (t returns the key itself when it
 * does not), else `otherwise` when given (a generic sentence in the UI's language), else the
 * server's own (English) message.
 */
export function localizedFieldErrors(data: unknown, prefix: string, t: (key: string) => string, otherwise?: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!data || typeof data !== "object") return out;
  for (const [field, raw] of Object.entries(data as Record<string, unknown>)) {
    if (!raw || typeof raw !== "object") continue;
    const { code, message } = raw as { code?: unknown; message?: unknown };
    const c = typeof code === "string" ? code : "";
    let text = "";
    for (const key of c ? [`${prefix}.${field}.${c}`, `${prefix}.${c}`] : []) {
      const found = t(key);
      if (found && found !== key) {
        text = found;
        break;
      }
    }
    if (!text) text = otherwise || (typeof message === "string" && message ? message : c);
    if (text) out[field] = text;
  }
  return out;
}
