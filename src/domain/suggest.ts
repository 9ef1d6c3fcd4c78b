// Technician suggestions for a new job: who serves the contact's district, has the skill the job
// needs, has time that Warsaw day and is close by. Pure: the dashboard feeds it the technicians and
// their jobs of the day and shows the score with the reasons (i18n keys + params, PL/EN in the UI).
import { warsawClock, warsawDayKey, warsawDayRange, warsawTime } from "./board";
import { distanceKm } from "./districts";
import { districtCentre } from "./geo";
import { PhraseSet, words } from "./text";
import { parseTimestamp } from "./time";
import type { JobType, LatLng } from "./types";

/** A technician's working day: 8 hours, jobs between 08:00 and 18:00 Warsaw time. */
export const WORKDAY_MINUTES = 480;
export const DAY_START_HOUR = 8;
export const DAY_END_HOUR = 18;
/** Start times are offered on quarter-hours. */
export const SLOT_STEP_MIN = 15;
/** Planned length of a booked job that has no estimatedDuration. */
export const FALLBACK_DURATION_MIN = 60;
/** Beyond this distance the distance score is 0. */
export const FAR_KM = 20;

/** Weights of the score (they add up to 100). */
export const WEIGHTS = { district: 30, skill: 25, gas: 10, capacity: 15, slot: 10, distance: 10 } as const;

const MINUTE = 60_000;
const STEP_MS = SLOT_STEP_MIN * MINUTE;

export interface Reason {
  /** i18n key, e.g. "suggest.freeFrom". */
  key: string;
  params?: Record<string, string>;
  /** good = speaks for the technician, bad = against, info = neutral. */
  tone: "good" | "bad" | "info";
}

export interface SuggestTechnician {
  id: string;
  name: string;
  districts: readonly string[];
  skills: readonly string[];
  lastLocation?: LatLng | null;
}

/** A job already on someone's calendar (any day: only the asked day's are used). */
export interface BookedJob {
  technicianId: string;
  scheduledDate: string;
  estimatedDuration: number;
  status: string;
  coordinates?: LatLng | null;
}

export interface JobToPlace {
  district: string;
  type: JobType | string;
  title?: string;
  description?: string;
  /** Where the work is (the contact's last known job coordinates); default: the district centre. */
  location?: LatLng | null;
  /** Planned minutes; default FALLBACK_DURATION_MIN. */
  durationMin?: number;
}

export interface Suggestion {
  technicianId: string;
  name: string;
  /** 0-100, higher is better. */
  score: number;
  servesDistrict: boolean;
  hasSkill: boolean;
  /** null when the job does not need the gas skill. */
  hasGas: boolean | null;
  bookedMinutes: number;
  freeMinutes: number;
  /** Epoch ms of the first free start time that day, null when the job fits nowhere. */
  slotStart: number | null;
  /** "HH:MM" Warsaw time of slotStart. */
  slotTime: string | null;
  distanceKm: number | null;
  reasons: Reason[];
}

// Gas appliances and gas smells want a technician with gas qualifications. F-gas (refrigerants in
// air conditioning and heat pumps) is a different qualification: those words are blanked first.
const GAS = new PhraseSet([
  "gaz", "gazu", "gazem", "gazie", "gazow*", "gazy", "gas", "lpg", "propan*", "gazomierz*", "kuchenk* gazow*",
]);
const NOT_GAS = new PhraseSet(["f gaz*", "f gas*", "fgas", "gaz* chlodnicz*", "refrigerant gas*"]);

/** Whether a job description is about gas (so the technician should hold the "gas" skill). */
export function needsGasSkill(text: string): boolean {
  return GAS.find(NOT_GAS.blank(words(text), "_")) !== undefined;
}

function minutesOf(job: BookedJob): number {
  const n = Number(job.estimatedDuration);
  return Number.isFinite(n) && n > 0 ? n : FALLBACK_DURATION_MIN;
}

export interface BusyInterval {
  start: number;
  end: number;
  coordinates: LatLng | null;
}

/** A technician's jobs that Warsaw day (cancelled ones do not count), ordered by start. */
export function busyIntervals(jobs: readonly BookedJob[], technicianId: string, day: string): BusyInterval[] {
  const { start, end } = warsawDayRange(day);
  const out: BusyInterval[] = [];
  for (const job of jobs) {
    if (job.technicianId !== technicianId || job.status === "cancelled") continue;
    const at = parseTimestamp(job.scheduledDate);
    if (!Number.isFinite(at) || at < start || at >= end) continue;
    out.push({ start: at, end: at + minutesOf(job) * MINUTE, coordinates: validPoint(job.coordinates) });
  }
  return out.sort((a, b) => a.start - b.start);
}

function ceilToStep(ms: number): number {
  // Warsaw's offsets from UTC are whole hours, so UTC quarter-hours are Warsaw quarter-hours.
  return Math.ceil(ms / STEP_MS) * STEP_MS;
}

/**
 * The earliest quarter-hour start that day, not before `now`, at which a job of `durationMin`
 * fits between the busy intervals and ends by DAY_END_HOUR; null when there is none.
 */
export function firstFreeSlot(busy: readonly BusyInterval[], day: string, durationMin: number, now: number): number | null {
  const open = warsawTime(day, DAY_START_HOUR);
  const close = warsawTime(day, DAY_END_HOUR);
  if (!Number.isFinite(open) || !Number.isFinite(close)) return null;
  const length = Math.max(1, durationMin) * MINUTE;
  let t = Math.max(open, ceilToStep(now));
  const sorted = [...busy].sort((a, b) => a.start - b.start);
  for (const b of sorted) {
    if (b.end <= t) continue;
    if (t + length <= b.start) break;
    t = Math.max(t, ceilToStep(b.end));
  }
  return t + length <= close ? t : null;
}

/**
 * The day a new job is planned for by default: today, unless a job of that length can no longer
 * start and end by DAY_END_HOUR today; then tomorrow.
 */
export function defaultPlanDay(now: number, durationMin: number = FALLBACK_DURATION_MIN): string {
  const today = warsawDayKey(now);
  if (firstFreeSlot([], today, durationMin, now) !== null) return today;
  return warsawDayKey(warsawTime(today, 12) + 24 * 60 * MINUTE);
}

function validPoint(p: LatLng | null | undefined): LatLng | null {
  if (!p || typeof p !== "object") return null;
  const lat = Number(p.lat);
  const lng = Number(p.lng);
  return Number.isFinite(lat) && Number.isFinite(lng) && (lat !== 0 || lng !== 0) ? { lat, lng } : null;
}

/** "3.2" (one decimal), "12" (whole km from 10 km on). */
function formatKm(km: number): string {
  return km >= 10 ? String(Math.round(km)) : km.toFixed(1);
}

/** Hours with at most one decimal: "8", "5.5", "0.8". */
function formatHours(minutes: number): string {
  const h = Math.round((minutes / 60) * 10) / 10;
  return Number.isInteger(h) ? String(h) : h.toFixed(1);
}

/** Scores one technician for the job on a Warsaw day. */
export function suggestionFor(
  tech: SuggestTechnician,
  booked: readonly BookedJob[],
  job: JobToPlace,
  day: string,
  now: number,
): Suggestion {
  const reasons: Reason[] = [];
  const duration = job.durationMin && job.durationMin > 0 ? job.durationMin : FALLBACK_DURATION_MIN;
  let score = 0;

  const servesDistrict = tech.districts.includes(job.district);
  if (servesDistrict) {
    score += WEIGHTS.district;
    reasons.push({ key: "suggest.servesDistrict", params: { district: job.district }, tone: "good" });
  } else {
    reasons.push({ key: "suggest.otherDistrict", params: { district: job.district }, tone: "bad" });
  }

  const hasSkill = tech.skills.includes(String(job.type));
  if (hasSkill) {
    score += WEIGHTS.skill;
    reasons.push({ key: "suggest.hasSkill", params: { skill: String(job.type) }, tone: "good" });
  } else {
    reasons.push({ key: "suggest.lacksSkill", params: { skill: String(job.type) }, tone: "bad" });
  }

  let hasGas: boolean | null = null;
  if (needsGasSkill(`${job.title ?? ""} ${job.description ?? ""}`)) {
    hasGas = tech.skills.includes("gas");
    if (hasGas) score += WEIGHTS.gas;
    reasons.push({ key: hasGas ? "suggest.hasGas" : "suggest.lacksGas", tone: hasGas ? "good" : "bad" });
  } else {
    score += WEIGHTS.gas; // not needed: nobody is set back
  }

  const busy = busyIntervals(booked, tech.id, day);
  let bookedMinutes = 0;
  for (const b of busy) bookedMinutes += (b.end - b.start) / MINUTE;
  const freeMinutes = Math.max(0, WORKDAY_MINUTES - bookedMinutes);
  score += (WEIGHTS.capacity * freeMinutes) / WORKDAY_MINUTES;
  if (bookedMinutes + duration > WORKDAY_MINUTES) {
    reasons.push({ key: "suggest.overbooked", params: { hours: formatHours(bookedMinutes) }, tone: "bad" });
  } else {
    reasons.push({ key: "suggest.freeHours", params: { hours: formatHours(freeMinutes) }, tone: freeMinutes >= WORKDAY_MINUTES / 2 ? "good" : "info" });
  }

  const slotStart = firstFreeSlot(busy, day, duration, now);
  const slotTime = slotStart === null ? null : warsawClock(slotStart);
  if (slotStart !== null) {
    const open = warsawTime(day, DAY_START_HOUR);
    const close = warsawTime(day, DAY_END_HOUR);
    // Half the weight for having a slot at all, half for how early it is.
    score += WEIGHTS.slot / 2 + ((WEIGHTS.slot / 2) * (close - slotStart)) / (close - open);
    reasons.push({ key: "suggest.freeFrom", params: { time: slotTime! }, tone: "good" });
  } else {
    reasons.push({ key: "suggest.noSlot", tone: "bad" });
  }

  // Where the technician is: their last reported position, else where their previous job that day is.
  const target = validPoint(job.location) ?? districtCentre(job.district) ?? null;
  let origin = validPoint(tech.lastLocation);
  let fromJob = false;
  if (!origin) {
    const before = busy.filter((b) => b.coordinates && (slotStart === null || b.start <= slotStart));
    if (before.length) {
      origin = before[before.length - 1].coordinates;
      fromJob = true;
    }
  }
  let km: number | null = null;
  if (origin && target) {
    km = Math.round(distanceKm(origin, target) * 10) / 10;
    score += WEIGHTS.distance * Math.max(0, 1 - km / FAR_KM);
    reasons.push({
      key: fromJob ? "suggest.distanceFromJob" : "suggest.distance",
      params: { km: formatKm(km) },
      tone: km <= 5 ? "good" : km <= 12 ? "info" : "bad",
    });
  } else {
    score += WEIGHTS.distance / 2; // unknown: neither for nor against
    reasons.push({ key: "suggest.noLocation", tone: "info" });
  }

  return {
    technicianId: tech.id,
    name: tech.name,
    score: Math.round(score),
    servesDistrict,
    hasSkill,
    hasGas,
    bookedMinutes,
    freeMinutes,
    slotStart,
    slotTime,
    distanceKm: km,
    reasons,
  };
}

/** Best first: by score, then the earlier slot, the shorter distance, the name. */
export function compareSuggestions(a: Suggestion, b: Suggestion): number {
  if (a.score !== b.score) return b.score - a.score;
  const sa = a.slotStart ?? Infinity;
  const sb = b.slotStart ?? Infinity;
  if (sa !== sb) return sa < sb ? -1 : 1;
  const da = a.distanceKm ?? Infinity;
  const db = b.distanceKm ?? Infinity;
  if (da !== db) return da < db ? -1 : 1;
  return a.name.localeCompare(b.name, "pl");
}

/** Every technician ranked for the job on a Warsaw day, best first. */
export function rankTechnicians(
  technicians: readonly SuggestTechnician[],
  booked: readonly BookedJob[],
  job: JobToPlace,
  day: string,
  now: number,
): Suggestion[] {
  return technicians.map((t) => suggestionFor(t, booked, job, day, now)).sort(compareSuggestions);
}
