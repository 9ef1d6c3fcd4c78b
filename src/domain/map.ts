// The dispatcher map's pure logic: the tile server configuration (HVAC_TILE_URL / HVAC_TILE_ATTRIBUTION,
// read by the GET /api/hvac/config hook), when to give up on tiles, how old a technician's position is,
// and where a job is drawn. Runs in PocketBase's JS VM too (tileConfig): no Intl, no named groups.
import { findDistrict, WARSAW_AREA } from "./districts";
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
 * Where a job is drawn: its coordinates, or else the centre of its contact's district
 * (`approximate`), or nowhere (null).
 */
export function jobPoint(coordinates: unknown, district: string): { point: LatLng; approximate: boolean } | null {
  const exact = validPoint(coordinates);
  if (exact) return { point: exact, approximate: false };
  const d = findDistrict(district);
  return d ? { point: d.centre, approximate: true } : null;
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
