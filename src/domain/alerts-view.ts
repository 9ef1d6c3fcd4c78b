// The emergency alerts panel's pure logic: what an alert shows, newest-first order, merging live
// creates and acknowledgements into the open list, the district filter and Warsaw times.
// Shared by the dashboard (AlertsPanel.svelte) and its tests; no browser or PocketBase globals.
import { warsawClock, warsawDayKey } from "./board";
import { parseTimestamp } from "./time";
import type { EmergencyAlertData, RealtimeEventRecord } from "./types";

/** One open alert as the panel shows it. */
export interface AlertView {
  /** The realtime_events record id (what acknowledging updates). */
  id: string;
  jobId: string;
  title: string;
  address: string;
  district: string;
  reason: string;
  /** Epoch ms of the event's `created` (NaN when unreadable; such alerts sort last). */
  createdMs: number;
}

type AlertEvent = Pick<RealtimeEventRecord, "id" | "created" | "district">;

/** The panel's view of an alert event and its parsed data (the event's district wins when set). */
export function toAlertView(event: AlertEvent, data: Partial<EmergencyAlertData> | null): AlertView {
  const d = data ?? {};
  const str = (v: unknown) => (typeof v === "string" ? v.trim() : "");
  return {
    id: event.id,
    jobId: str(d.jobId),
    title: str(d.title),
    address: str(d.address),
    district: str(event.district) || str(d.district),
    reason: str(d.reason),
    createdMs: parseTimestamp(event.created),
  };
}

/** Newest first; unreadable times last; equal times by id (PocketBase ids are random, but a fixed
 * order keeps the list from jumping). */
export function compareAlerts(a: AlertView, b: AlertView): number {
  const ta = Number.isFinite(a.createdMs) ? a.createdMs : -Infinity;
  const tb = Number.isFinite(b.createdMs) ? b.createdMs : -Infinity;
  if (ta !== tb) return ta > tb ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export function sortAlerts(alerts: readonly AlertView[]): AlertView[] {
  return [...alerts].sort(compareAlerts);
}

/** Adds an alert (or replaces the one with the same id) and keeps the list newest first. */
export function upsertAlert(alerts: readonly AlertView[], alert: AlertView): AlertView[] {
  return sortAlerts([...alerts.filter((a) => a.id !== alert.id), alert]);
}

export function removeAlert(alerts: readonly AlertView[], id: string): AlertView[] {
  return alerts.some((a) => a.id === id) ? alerts.filter((a) => a.id !== id) : (alerts as AlertView[]);
}

/**
 * The open list after the first load: what the server listed plus what arrived live meanwhile,
 * minus what was acknowledged live meanwhile (the load may have been answered before that).
 */
export function mergeLoaded(
  loaded: readonly AlertView[],
  live: readonly AlertView[],
  acknowledgedIds: Iterable<string>,
): AlertView[] {
  const gone = new Set(acknowledgedIds);
  const byId = new Map<string, AlertView>();
  for (const a of loaded) byId.set(a.id, a);
  for (const a of live) byId.set(a.id, a);
  return sortAlerts([...byId.values()].filter((a) => !gone.has(a.id)));
}

/** What a realtime_events change means for the open list. */
export type AlertChange =
  | { kind: "none" }
  | { kind: "remove"; id: string }
  | { kind: "add"; id: string };

/**
 * Classifies a realtime_events change: an emergency alert that is (or became) processed, or was
 * deleted, leaves the list; a new unprocessed one joins it. Other event types are ignored.
 */
export function alertChange(
  action: string,
  record: Pick<RealtimeEventRecord, "id" | "type" | "processed">,
): AlertChange {
  if (record.type !== "emergency_alert") return { kind: "none" };
  if (action === "delete" || record.processed) return { kind: "remove", id: record.id };
  if (action === "create") return { kind: "add", id: record.id };
  return { kind: "none" };
}

/** "" = every district. */
export const ALL_DISTRICTS = "";

/** The alerts the district filter lets through, and how many it hides. */
export function filterAlerts(alerts: readonly AlertView[], district: string): { shown: AlertView[]; hidden: number } {
  if (!district) return { shown: [...alerts], hidden: 0 };
  const shown = alerts.filter((a) => a.district === district);
  return { shown, hidden: alerts.length - shown.length };
}

export function passesFilter(alert: Pick<AlertView, "district">, district: string): boolean {
  return !district || alert.district === district;
}

function pad(n: number): string {
  return String(n).padStart(2, "0");
}

/** "14:05" for an alert of today (Warsaw), "24.11.2026 14:05" for an older one, "" when unknown. */
export function formatAlertTime(createdMs: number, nowMs: number): string {
  if (!Number.isFinite(createdMs)) return "";
  const clock = warsawClock(createdMs);
  const day = warsawDayKey(createdMs);
  if (Number.isFinite(nowMs) && day === warsawDayKey(nowMs)) return clock;
  const [y, m, d] = day.split("-");
  return `${d}.${m}.${y} ${clock}`;
}

/** The body of a browser notification: "Mokotów · Awaria kotła\nul. Puławska 1\nzapach gazu". */
export function notificationBody(alert: Pick<AlertView, "district" | "title" | "address" | "reason">): string {
  const head = [alert.district, alert.title].filter(Boolean).join(" · ");
  return [head, alert.address, alert.reason].filter(Boolean).join("\n");
}

/** A one-line sentence for screen readers: "Mokotów: Awaria kotła, ul. Puławska 1 — zapach gazu". */
export function announceText(alert: Pick<AlertView, "district" | "title" | "address" | "reason">): string {
  const where = [alert.title, alert.address].filter(Boolean).join(", ");
  const head = [alert.district, where].filter(Boolean).join(": ");
  return alert.reason ? `${head} — ${alert.reason}` : head;
}
