// The dispatcher map's pure logic: the tile server configuration (HVAC_TILE_URL / HVAC_TILE_ATTRIBUTION,
// read by the GET /api/hvac/config hook), when to give up on tiles, how old a technician's position is,
// where a job is drawn (approximate ones spread around their district's centre) and which job markers
// to add, change or remove. Runs in PocketBase's JS VM too (tileConfig): no Intl, no named groups.
import { distanceKm, WARSAW_AREA } from "./districts";
import { districtCentre } from "./geo";
import { parseTimestamp } from "./time";
import type { LatLng } from "./types";

export const DEFAULT_TILE_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png";
export const DEFAULT_TILE_ATTRIBUTION = "© OpenStreetMap contributors";
const MAX_ATTRIBUTION = 300;

/** What GET /api/hvac/config tells the dashboard. tileUrl "" = draw no tiles (plain background). */
export interface TileConfig {
  tileUrl: string;
  tileAttribution: string;
}

/**
 * The tile settings from the raw environment values. PocketBase's `$os.getenv` cannot tell an unset
 * variable from an empty one, so both mean "the default" (OpenStreetMap); "none" (or "off") turns the
 * tiles off. A URL that is not http(s):// or a server path ("/tiles/{z}/{x}/{y}.png"), or lacks
 * {z}, {x} or {y}, is refused: no tiles, and `problem` says why (the hook logs it).
 */
export function tileConfig(rawUrl: string | undefined, rawAttribution: string | undefined): TileConfig & { problem?: string } {
  const url = (rawUrl ?? "").trim();
  const attribution = plainText(rawAttribution ?? "");
  if (url === "") return { tileUrl: DEFAULT_TILE_URL, tileAttribution: attribution || DEFAULT_TILE_ATTRIBUTION };
  const lower = url.toLowerCase();
  if (lower === "none" || lower === "off") return { tileUrl: "", tileAttribution: "" };
  const problem = tileUrlProblem(url);
  if (problem) return { tileUrl: "", tileAttribution: "", problem: `HVAC_TILE_URL: ${problem}` };
  return { tileUrl: url, tileAttribution: attribution };
}

function tileUrlProblem(url: string): string {
  if (/\s/.test(url)) return `must not contain spaces: "${url}"`;
  if (!/^(https?:\/\/[^/]+|\/)/i.test(url)) return `must start with http://, https:// or / (a path on this server): "${url}"`;
  for (const p of ["{z}", "{x}", "{y}"]) {
    if (!url.includes(p)) return `must contain ${p} (like ${DEFAULT_TILE_URL}): "${url}"`;
  }
  return "";
}

/** One line of plain text (the dashboard shows it as text, never as HTML). */
function plainText(s: string): string {
  // eslint-disable-next-line no-control-regex
  const flat = s.replace(/[\u0000-\u001f\u007f]+/g, " ").replace(/ {2,}/g, " ").trim();
  return flat.length > MAX_ATTRIBUTION ? flat.slice(0, MAX_ATTRIBUTION) : flat;
}

/** Tile errors before the map gives up on tiles and shows the plain background. */
export const TILE_ERROR_LIMIT = 4;

/**
 * Whether to drop the tile layer: enough tiles failed and they are not outweighed by tiles that
 * loaded (a few missing tiles at the edge of a working server are no reason to give up).
 */
export function tilesUnusable(errors: number, loaded: number): boolean {
  return errors >= TILE_ERROR_LIMIT && errors > loaded * 2;
}

/** How long ago a position was taken, for "5 min temu" / "5 min ago". */
export type Age = { unit: "now" } | { unit: "min" | "h" | "d"; n: number } | { unit: "unknown" };

export function locationAge(at: string | undefined | null, now: number): Age {
  const t = parseTimestamp(at ?? "");
  if (!Number.isFinite(t)) return { unit: "unknown" };
  const minutes = Math.floor(Math.max(0, now - t) / 60_000);
  if (minutes < 1) return { unit: "now" };
  if (minutes < 60) return { unit: "min", n: minutes };
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return { unit: "h", n: hours };
  return { unit: "d", n: Math.floor(hours / 24) };
}

/** A position older than this is drawn greyed out: the technician may be elsewhere by now. */
export const STALE_AFTER_MINUTES = 120;

export function isStale(at: string | undefined | null, now: number): boolean {
  const t = parseTimestamp(at ?? "");
  return !Number.isFinite(t) || now - t > STALE_AFTER_MINUTES * 60_000;
}

/** A finite point inside the Warsaw area, or null (missing, malformed or a GPS error). */
export function validPoint(p: unknown): LatLng | null {
  if (!p || typeof p !== "object") return null;
  const { lat, lng } = p as Record<string, unknown>;
  if (typeof lat !== "number" || typeof lng !== "number" || !Number.isFinite(lat) || !Number.isFinite(lng)) return null;
  if (lat < WARSAW_AREA.minLat || lat > WARSAW_AREA.maxLat || lng < WARSAW_AREA.minLng || lng > WARSAW_AREA.maxLng) return null;
  return { lat, lng };
}

/**
 * Coordinates this close to their district's centre are the job hooks' stand-in for a job without
 * a position of its own (the schema cannot say so), not an address that happens to sit there.
 */
export const CENTRE_TOLERANCE_M = 1;

/**
 * Where a job is drawn: its coordinates, or else the centre of its contact's district
 * (`approximate`), or nowhere (null). Coordinates equal to that centre are approximate too.
 */
export function jobPoint(coordinates: unknown, district: string): { point: LatLng; approximate: boolean } | null {
  const exact = validPoint(coordinates);
  const centre = districtCentre(district) ?? null;
  if (exact && !(centre && distanceKm(exact, centre) * 1000 <= CENTRE_TOLERANCE_M)) return { point: exact, approximate: false };
  return centre ? { point: centre, approximate: true } : null;
}

/** Distance between neighbours of the approximate jobs spread around a district centre. */
export const SPREAD_STEP_M = 30;
const METRES_PER_DEGREE_LAT = 111_320;
/** 137.5°: successive points never line up, and the spiral fills its disc evenly. */
const GOLDEN_ANGLE = Math.PI * (3 - Math.sqrt(5));

/**
 * The `index`-th point of a sunflower spiral around `centre`: the n-th point lies step·√(n+1) metres
 * out, so neighbours stay about `stepM` apart however many there are, and none sits on the centre
 * itself (where the plain map writes the district's name). Rounded to ~1 cm, so it is stable.
 */
export function spreadAround(centre: LatLng, index: number, stepM = SPREAD_STEP_M): LatLng {
  const r = stepM * Math.sqrt(index + 1);
  const angle = index * GOLDEN_ANGLE;
  const dLat = (r * Math.cos(angle)) / METRES_PER_DEGREE_LAT;
  const dLng = (r * Math.sin(angle)) / (METRES_PER_DEGREE_LAT * Math.cos((centre.lat * Math.PI) / 180));
  const round = (x: number) => Math.round(x * 1e7) / 1e7;
  return { lat: round(centre.lat + dLat), lng: round(centre.lng + dLng) };
}

/** What placeJobs needs of a job: its id, its coordinates field and its contact's district. */
export interface JobPlace {
  id: string;
  coordinates: unknown;
  district: string;
}

export interface PlacedJob {
  id: string;
  point: LatLng;
  /** Not the job's own position: somewhere near its district's centre. */
  approximate: boolean;
}

/**
 * Where each job is drawn (in the given order; jobs with no place at all and repeated ids left
 * out). Jobs with a position of their own stay there. Approximate ones would all sit on their
 * district's centre, one dot hiding the others: they are spread around it (spreadAround), in the
 * order of their ids, so the same set of jobs always gets the same places.
 */
export function placeJobs(jobs: readonly JobPlace[]): PlacedJob[] {
  const placed: PlacedJob[] = [];
  const seen = new Set<string>();
  const around = new Map<string, PlacedJob[]>();
  for (const job of jobs) {
    if (seen.has(job.id)) continue;
    const at = jobPoint(job.coordinates, job.district);
    if (!at) continue;
    seen.add(job.id);
    const entry: PlacedJob = { id: job.id, point: at.point, approximate: at.approximate };
    placed.push(entry);
    if (!at.approximate) continue;
    const key = `${at.point.lat},${at.point.lng}`;
    const group = around.get(key);
    if (group) group.push(entry);
    else around.set(key, [entry]);
  }
  for (const group of around.values()) {
    const centre = group[0].point;
    group.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    group.forEach((entry, i) => (entry.point = spreadAround(centre, i)));
  }
  return placed;
}

/** A marker as drawn: where, and a key of everything else it shows (colour, size, texts). */
export interface MarkerState {
  lat: number;
  lng: number;
  look: string;
}

export interface MarkerPlan<T> {
  /** Wanted, not drawn yet. */
  add: T[];
  /** Drawn and still wanted, but moved or looking different: changed in place. */
  update: Array<{ next: T; moved: boolean; restyled: boolean }>;
  /** Drawn, no longer wanted. */
  remove: string[];
}

/**
 * What to do to the drawn markers to show the wanted ones, by id: add the new, change the changed,
 * remove the gone, leave every other marker (and its element, an open popup, a hover) alone. A
 * repeated id in `wanted` counts once (the first).
 */
export function planMarkers<T extends MarkerState & { id: string }>(drawn: ReadonlyMap<string, MarkerState>, wanted: readonly T[]): MarkerPlan<T> {
  const plan: MarkerPlan<T> = { add: [], update: [], remove: [] };
  const keep = new Set<string>();
  for (const next of wanted) {
    if (keep.has(next.id)) continue;
    keep.add(next.id);
    const now = drawn.get(next.id);
    if (!now) {
      plan.add.push(next);
      continue;
    }
    const moved = now.lat !== next.lat || now.lng !== next.lng;
    const restyled = now.look !== next.look;
    if (moved || restyled) plan.update.push({ next, moved, restyled });
  }
  for (const id of drawn.keys()) if (!keep.has(id)) plan.remove.push(id);
  return plan;
}

/** Circle colours by priority (Tailwind slate-500, sky-500, amber-500, red-600). */
export const PRIORITY_COLOURS: Record<string, string> = {
  low: "#64748b",
  medium: "#0ea5e9",
  high: "#f59e0b",
  urgent: "#dc2626",
};

export function priorityColour(priority: string): string {
  return Object.prototype.hasOwnProperty.call(PRIORITY_COLOURS, priority) ? PRIORITY_COLOURS[priority] : PRIORITY_COLOURS.medium;
}
