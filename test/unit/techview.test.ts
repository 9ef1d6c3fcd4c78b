import { describe, expect, it } from "vitest";
import { warsawTime } from "../../src/domain/board";
import { dayRollover } from "../../src/domain/techview";

// Warsaw is UTC+1 in winter and UTC+2 in summer: midnight in Warsaw is 23:00 / 22:00 UTC.
describe("dayRollover", () => {
  it.each<[string, string, string | null]>([
    ["winter, a minute before midnight", "2026-11-24T22:59:00Z", null],
    ["winter, midnight in Warsaw (23:00 UTC, still the 24th in UTC)", "2026-11-24T23:00:00Z", "2026-11-25"],
    ["summer, midnight in Warsaw (22:00 UTC)", "2026-06-15T22:00:00Z", "2026-06-16"],
    ["summer, a minute before", "2026-06-15T21:59:00Z", null],
    ["several days later (a phone asleep over a weekend)", "2026-11-27T08:00:00Z", "2026-11-27"],
  ])("%s", (_, now, expected) => {
    const shown = now.startsWith("2026-06") ? "2026-06-15" : "2026-11-24";
    expect(dayRollover(shown, Date.parse(now))).toBe(expected);
  });

  it("the last day of the year rolls into the next year", () => {
    expect(dayRollover("2026-12-31", warsawTime("2027-01-01", 0, 0))).toBe("2027-01-01");
  });

  it("the autumn clock change (25 hours) rolls over once, at midnight", () => {
    // 25 October 2026: clocks go back at 03:00 CEST; the day still ends at 00:00 CET = 23:00 UTC.
    expect(dayRollover("2026-10-25", Date.parse("2026-10-25T22:59:00Z"))).toBeNull();
    expect(dayRollover("2026-10-25", Date.parse("2026-10-25T23:00:00Z"))).toBe("2026-10-26");
  });
});
