// The technician's phone view (/tech): which Warsaw day it shows. Pure: the page passes the clock.
import { warsawDayKey } from "./board";

/** How often the page checks whether the Warsaw day changed (and when it becomes visible again). */
export const DAY_CHECK_MS = 60_000;

/**
 * The Warsaw day the page should show at `now` when it shows `shown`: the new day key after
 * midnight in Warsaw (whatever the phone's own time zone), null while it is still the same day.
 */
export function dayRollover(shown: string, now: number): string | null {
  const today = warsawDayKey(now);
  return today === shown ? null : today;
}
