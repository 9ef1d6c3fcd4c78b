// When a technician's phone posts its position while "share my location" is on: after moving more
// than 50 m, or every 60 s even when standing still (so the office sees the phone is alive).
import { distanceKm } from "./districts";
import type { LatLng } from "./types";

export const MIN_MOVE_M = 50;
export const MAX_SILENCE_MS = 60_000;

export interface SentFix extends LatLng {
  /** epoch ms when it was posted */
  at: number;
}

export type PostReason = "first" | "moved" | "interval";

/** Why a new fix should be posted now, or null to skip it. */
export function shouldPost(last: SentFix | null, fix: LatLng, now: number): PostReason | null {
  if (!Number.isFinite(fix.lat) || !Number.isFinite(fix.lng)) return null;
  if (!last) return "first";
  if (distanceKm(last, fix) * 1000 > MIN_MOVE_M) return "moved";
  if (now - last.at >= MAX_SILENCE_MS) return "interval";
  return null;
}
