// Europe/Warsaw wall-clock time without Intl (PocketBase's JS VM has no Intl).
// Poland follows EU summer time: CEST (UTC+2) from the last Sunday of March 01:00 UTC to the last
// Sunday of October 01:00 UTC, CET (UTC+1) otherwise.

function lastSundayUtc(year: number, month0: number): number {
  const lastDay = new Date(Date.UTC(year, month0 + 1, 0));
  const back = lastDay.getUTCDay(); // 0 = Sunday
  return Date.UTC(year, month0, lastDay.getUTCDate() - back, 1, 0, 0);
}

/** Offset of Warsaw local time from UTC at the given instant, in minutes (60 or 120). */
export function warsawOffsetMinutes(at: Date): number {
  const t = at.getTime();
  const y = at.getUTCFullYear();
  return t >= lastSundayUtc(y, 2) && t < lastSundayUtc(y, 9) ? 120 : 60;
}

export interface WarsawParts {
  year: number;
  /** 1-12 */
  month: number;
  day: number;
  hour: number;
  minute: number;
  /** 0 = Sunday */
  weekday: number;
}

export function warsawParts(at: Date): WarsawParts {
  const local = new Date(at.getTime() + warsawOffsetMinutes(at) * 60_000);
  return {
    year: local.getUTCFullYear(),
    month: local.getUTCMonth() + 1,
    day: local.getUTCDate(),
    hour: local.getUTCHours(),
    minute: local.getUTCMinutes(),
    weekday: local.getUTCDay(),
  };
}

/** Heating season in Poland for service purposes: 1 October - 30 April, Warsaw local date. */
export function isHeatingSeason(at: Date): boolean {
  const m = warsawParts(at).month;
  return m >= 10 || m <= 4;
}

/**
 * Parses an ISO 8601 or PocketBase datetime ("2025-01-02 10:00:00.000Z") into epoch milliseconds.
 * Returns NaN for empty or malformed input. Needed because the JS VM's Date cannot parse
 * PocketBase's space-separated format.
 */
export function parseTimestamp(value: unknown): number {
  if (typeof value !== "string") return NaN;
  const s = value.trim();
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/.exec(s);
  if (!m) return NaN;
  const [, y, mo, d, h = "0", mi = "0", sec = "0", frac = "0", tz] = m;
  const ms = Number((frac + "00").slice(0, 3));
  // setUTCFullYear, not Date.UTC: Date.UTC maps years 0-99 to 1900-1999.
  const check = new Date(0);
  check.setUTCFullYear(+y, +mo - 1, +d);
  check.setUTCHours(+h, +mi, +sec, ms);
  let t = check.getTime();
  if (check.getUTCMonth() !== +mo - 1 || check.getUTCDate() !== +d || +h > 23 || +mi > 59 || +sec > 59) return NaN;
  if (tz && tz !== "Z") {
    const sign = tz[0] === "-" ? -1 : 1;
    const digits = tz.slice(1).replace(":", "");
    t -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
  }
  return t;
}

/** Formats epoch milliseconds the way PocketBase stores datetimes: "2025-01-02 10:00:00.000Z". */
export function toPbDate(ms: number): string {
  return new Date(ms).toISOString().replace("T", " ");
}
