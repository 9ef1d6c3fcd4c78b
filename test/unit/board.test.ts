import { describe, it, expect } from "vitest";
import {
  applyLiveChange, byHour, mergeLiveChanges,
  buildLanes, compareJobs, dropChange, matchesFilters, NO_FILTERS, onBoardOfDay, shiftDay, statusCounts, timeWindow,
  warsawClock, warsawDayKey, warsawDayRange, warsawTime,
  type BoardFilters, type BoardJob, type BoardTechnician, type LiveChange,
} from "../../src/domain/board";
import { JOB_STATUSES } from "../../src/domain/types";

// Every expected value below is worked out by hand from the Polish rules, never by calling board.ts:
// CET = UTC+1; CEST = UTC+2 from the last Sunday of March 01:00 UTC to the last Sunday of October
// 01:00 UTC. In 2026 those Sundays are 29 March and 25 October; in 2027, 28 March and 31 October.

const HOUR = 60 * 60 * 1000;

/** An instant written as an explicit UTC ISO string. */
function utc(iso: string): number {
  const t = Date.parse(iso);
  if (!Number.isFinite(t) || !iso.endsWith("Z")) throw new Error(`bad fixture ${iso}`);
  return t;
}

function job(over: Partial<BoardJob> = {}): BoardJob {
  return {
    id: "j",
    title: "Job",
    type: "repair",
    status: "scheduled",
    priority: "medium",
    technicianId: "",
    scheduledDate: "",
    estimatedDuration: 60,
    contactName: "Jan Kowalski",
    district: "Mokotów",
    address: "ul. Puławska 1",
    ...over,
  };
}

function filters(over: Partial<BoardFilters> = {}): BoardFilters {
  return { ...NO_FILTERS, ...over };
}

// ---------------------------------------------------------------- warsawTime

describe("warsawTime", () => {
  it.each([
    // winter (CET, UTC+1)
    ["2026-01-15", 0, 0, "2026-01-14T23:00:00Z"],
    ["2026-01-15", 8, 30, "2026-01-15T07:30:00Z"],
    ["2026-11-24", 8, 30, "2026-11-24T07:30:00Z"],
    ["2026-02-28", 0, 0, "2026-02-27T23:00:00Z"],
    ["2026-12-31", 23, 59, "2026-12-31T22:59:00Z"],
    ["2027-01-01", 0, 0, "2026-12-31T23:00:00Z"],
    ["2028-02-29", 12, 0, "2028-02-29T11:00:00Z"],
    ["2026-03-28", 23, 30, "2026-03-28T22:30:00Z"], // the evening before spring-forward is still CET
    ["2026-10-26", 0, 0, "2026-10-25T23:00:00Z"], // the day after fall-back is CET
    // summer (CEST, UTC+2)
    ["2026-07-01", 0, 0, "2026-06-30T22:00:00Z"],
    ["2026-07-01", 12, 15, "2026-07-01T10:15:00Z"],
    ["2026-03-30", 0, 0, "2026-03-29T22:00:00Z"], // the day after spring-forward is CEST from midnight
    ["2026-10-24", 23, 0, "2026-10-24T21:00:00Z"], // the evening before fall-back is still CEST
  ])("%s %i:%i -> %s", (day, hour, minute, expected) => {
    expect(warsawTime(day, hour, minute)).toBe(utc(expected));
  });

  it("hour and minute default to local midnight", () => {
    expect(warsawTime("2026-01-15")).toBe(utc("2026-01-14T23:00:00Z"));
    expect(warsawTime("2026-07-15")).toBe(utc("2026-07-14T22:00:00Z"));
    expect(warsawTime("2026-01-15", 9)).toBe(utc("2026-01-15T08:00:00Z"));
  });

  // 2026-03-29: at 01:00 UTC the clocks jump from 02:00 CET to 03:00 CEST (local 02:xx does not exist).
  it.each([
    [0, 0, "2026-03-28T23:00:00Z"], // CET
    [1, 0, "2026-03-29T00:00:00Z"], // CET
    [1, 59, "2026-03-29T00:59:00Z"], // CET, last minute before the jump
    [3, 0, "2026-03-29T01:00:00Z"], // CEST, first minute after the jump
    [3, 1, "2026-03-29T01:01:00Z"],
    [4, 0, "2026-03-29T02:00:00Z"],
    [8, 0, "2026-03-29T06:00:00Z"],
    [12, 0, "2026-03-29T10:00:00Z"],
    [23, 59, "2026-03-29T21:59:00Z"],
  ])("spring-forward day 2026-03-29 %i:%i -> %s", (hour, minute, expected) => {
    expect(warsawTime("2026-03-29", hour, minute)).toBe(utc(expected));
  });

  it("a wall time inside the spring gap (02:xx on 2026-03-29) lands one hour later, on 03:xx CEST", () => {
    // 02:00 CET would be 01:00 UTC, which is already 03:00 CEST: the usual ("compatible") resolution.
    expect(warsawTime("2026-03-29", 2, 0)).toBe(utc("2026-03-29T01:00:00Z"));
    expect(warsawTime("2026-03-29", 2, 30)).toBe(utc("2026-03-29T01:30:00Z"));
  });

  // 2026-10-25: at 01:00 UTC the clocks go back from 03:00 CEST to 02:00 CET (local 02:xx happens twice).
  it.each([
    [0, 0, "2026-10-24T22:00:00Z"], // CEST
    [1, 0, "2026-10-24T23:00:00Z"], // CEST
    [1, 59, "2026-10-24T23:59:00Z"], // CEST
    [3, 0, "2026-10-25T02:00:00Z"], // CET
    [3, 30, "2026-10-25T02:30:00Z"], // CET
    [8, 0, "2026-10-25T07:00:00Z"],
    [12, 0, "2026-10-25T11:00:00Z"],
    [23, 59, "2026-10-25T22:59:00Z"],
  ])("fall-back day 2026-10-25 %i:%i -> %s", (hour, minute, expected) => {
    expect(warsawTime("2026-10-25", hour, minute)).toBe(utc(expected));
  });

  it("an ambiguous wall time (02:30 on 2026-10-25) resolves to one of its two real instants", () => {
    const t = warsawTime("2026-10-25", 2, 30);
    // 02:30 CEST = 00:30 UTC, 02:30 CET = 01:30 UTC; either is a legitimate reading.
    expect([utc("2026-10-25T00:30:00Z"), utc("2026-10-25T01:30:00Z")]).toContain(t);
    expect(warsawClock(t)).toBe("02:30");
    expect(warsawDayKey(t)).toBe("2026-10-25");
  });

  it.each([
    "", "2026-3-29", "2026-03-9", "26-03-29", "2026/03/29", "29-03-2026", "20260329", "2026-03-29T00:00",
    " 2026-03-29", "2026-03-29 ", "abcd-ef-gh", "2026-03-29Z", "NaN-NaN-NaN",
  ])("malformed day %j -> NaN", (day) => {
    expect(warsawTime(day)).toBeNaN();
    expect(warsawTime(day, 8, 30)).toBeNaN();
  });

  // Well-formed shape but impossible calendar dates. parseTimestamp (time.ts) rejects such dates;
  // warsawTime only checks the shape, so Date.UTC silently rolls them over into the next month.
  it.each(["2026-02-30", "2026-02-29", "2026-04-31", "2026-13-01", "2026-00-10", "2026-01-00", "2026-01-32"])(
    "impossible calendar day %j -> NaN (not rolled over into another day)",
    (day) => {
      expect(warsawTime(day)).toBeNaN();
    },
  );
});

// ---------------------------------------------------------------- warsawDayRange

describe("warsawDayRange", () => {
  it.each([
    ["2026-01-15", "2026-01-14T23:00:00Z", "2026-01-15T23:00:00Z", 24],
    ["2026-07-01", "2026-06-30T22:00:00Z", "2026-07-01T22:00:00Z", 24],
    ["2026-12-31", "2026-12-30T23:00:00Z", "2026-12-31T23:00:00Z", 24],
    ["2028-02-29", "2028-02-28T23:00:00Z", "2028-02-29T23:00:00Z", 24],
    ["2026-03-28", "2026-03-27T23:00:00Z", "2026-03-28T23:00:00Z", 24],
    ["2026-03-29", "2026-03-28T23:00:00Z", "2026-03-29T22:00:00Z", 23],
    ["2026-03-30", "2026-03-29T22:00:00Z", "2026-03-30T22:00:00Z", 24],
    ["2026-10-24", "2026-10-23T22:00:00Z", "2026-10-24T22:00:00Z", 24],
    ["2026-10-25", "2026-10-24T22:00:00Z", "2026-10-25T23:00:00Z", 25],
    ["2026-10-26", "2026-10-25T23:00:00Z", "2026-10-26T23:00:00Z", 24],
    ["2027-03-28", "2027-03-27T23:00:00Z", "2027-03-28T22:00:00Z", 23],
    ["2027-10-31", "2027-10-30T22:00:00Z", "2027-10-31T23:00:00Z", 25],
  ])("%s is [%s, %s), %i h", (day, start, end, hours) => {
    const r = warsawDayRange(day);
    expect(r).toEqual({ start: utc(start), end: utc(end) });
    expect(r.end - r.start).toBe(hours * HOUR);
    // start is local midnight of the day, end is local midnight of the next day
    expect(warsawClock(r.start)).toBe("00:00");
    expect(warsawDayKey(r.start)).toBe(day);
    expect(warsawDayKey(r.end - 1)).toBe(day);
    expect(warsawClock(r.end)).toBe("00:00");
    expect(warsawDayKey(r.end)).not.toBe(day);
  });

  it("consecutive days tile the timeline without gaps or overlaps, through the clock changes", () => {
    const days = ["2026-03-27", "2026-03-28", "2026-03-29", "2026-03-30", "2026-10-24", "2026-10-25", "2026-10-26"];
    const pairs = [[0, 1], [1, 2], [2, 3], [4, 5], [5, 6]];
    for (const [a, b] of pairs) expect(warsawDayRange(days[a]).end).toBe(warsawDayRange(days[b]).start);
  });

  it("malformed day -> NaN bounds", () => {
    const r = warsawDayRange("2026/01/15");
    expect(r.start).toBeNaN();
    expect(r.end).toBeNaN();
  });
});

// ---------------------------------------------------------------- warsawDayKey / warsawClock

describe("warsawDayKey and warsawClock", () => {
  it.each([
    ["1970-01-01T00:00:00Z", "1970-01-01", "01:00"],
    ["2026-01-15T07:30:59.999Z", "2026-01-15", "08:30"], // seconds are cut, not rounded
    ["2026-01-15T22:59:59Z", "2026-01-15", "23:59"],
    ["2026-01-15T23:00:00Z", "2026-01-16", "00:00"], // still the 15th in UTC, already the 16th in Warsaw
    ["2026-01-16T00:30:00Z", "2026-01-16", "01:30"],
    ["2026-07-15T21:59:00Z", "2026-07-15", "23:59"],
    ["2026-07-15T22:00:00Z", "2026-07-16", "00:00"],
    ["2026-07-15T23:30:00Z", "2026-07-16", "01:30"],
    ["2026-07-16T00:00:00Z", "2026-07-16", "02:00"],
    ["2026-12-31T22:59:00Z", "2026-12-31", "23:59"],
    ["2026-12-31T23:00:00Z", "2027-01-01", "00:00"], // new year arrives an hour before UTC's
    ["2026-02-28T23:00:00Z", "2026-03-01", "00:00"],
    ["2028-02-28T23:00:00Z", "2028-02-29", "00:00"],
    ["2026-05-31T22:05:00Z", "2026-06-01", "00:05"],
    // spring forward
    ["2026-03-29T00:59:00Z", "2026-03-29", "01:59"],
    ["2026-03-29T01:00:00Z", "2026-03-29", "03:00"],
    ["2026-03-29T21:59:00Z", "2026-03-29", "23:59"],
    ["2026-03-29T22:00:00Z", "2026-03-30", "00:00"],
    // fall back
    ["2026-10-24T21:59:00Z", "2026-10-24", "23:59"],
    ["2026-10-24T22:00:00Z", "2026-10-25", "00:00"],
    ["2026-10-25T00:59:00Z", "2026-10-25", "02:59"], // CEST
    ["2026-10-25T01:00:00Z", "2026-10-25", "02:00"], // CET: the same hour again
    ["2026-10-25T22:59:00Z", "2026-10-25", "23:59"],
    ["2026-10-25T23:00:00Z", "2026-10-26", "00:00"],
  ])("%s -> %s %s", (iso, key, clock) => {
    expect(warsawDayKey(utc(iso))).toBe(key);
    expect(warsawClock(utc(iso))).toBe(clock);
  });
});

// ---------------------------------------------------------------- shiftDay

/** Calendar arithmetic on date keys with no time zone at all: the independent reference. */
function nextCalendarDay(day: string): string {
  const [y, m, d] = day.split("-").map(Number);
  const dim = [31, (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  let [ny, nm, nd] = [y, m, d + 1];
  if (nd > dim[m - 1]) [nm, nd] = [m + 1, 1];
  if (nm > 12) [ny, nm] = [y + 1, 1];
  return `${ny}-${String(nm).padStart(2, "0")}-${String(nd).padStart(2, "0")}`;
}

/** Last Sunday of a month, found by walking back from the month's last day (Zeller-free: uses a known Sunday). */
function lastSunday(year: number, month: number): string {
  // 2023-01-01 was a Sunday; count days from it through the calendar reference above.
  let day = "2023-01-01";
  let weekday = 0;
  let found = "";
  const prefix = `${year}-${String(month).padStart(2, "0")}-`;
  while (day < `${year + 1}`) {
    if (weekday === 0 && day.startsWith(prefix)) found = day;
    day = nextCalendarDay(day);
    weekday = (weekday + 1) % 7;
  }
  return found;
}

describe("shiftDay", () => {
  it.each([
    ["2026-03-15", 0, "2026-03-15"],
    ["2026-01-31", 1, "2026-02-01"],
    ["2026-02-01", -1, "2026-01-31"],
    ["2026-02-28", 1, "2026-03-01"],
    ["2026-03-01", -1, "2026-02-28"],
    ["2028-02-28", 1, "2028-02-29"],
    ["2028-02-29", 1, "2028-03-01"],
    ["2028-03-01", -1, "2028-02-29"],
    ["2026-04-30", 1, "2026-05-01"],
    ["2026-12-31", 1, "2027-01-01"],
    ["2027-01-01", -1, "2026-12-31"],
    ["2026-01-01", -1, "2025-12-31"],
    // across the clock changes
    ["2026-03-28", 1, "2026-03-29"],
    ["2026-03-29", 1, "2026-03-30"],
    ["2026-03-30", -1, "2026-03-29"],
    ["2026-03-29", -1, "2026-03-28"],
    ["2026-10-24", 1, "2026-10-25"],
    ["2026-10-25", 1, "2026-10-26"],
    ["2026-10-26", -1, "2026-10-25"],
    ["2026-10-25", -1, "2026-10-24"],
    // several days at once
    ["2026-03-25", 7, "2026-04-01"],
    ["2026-10-20", 14, "2026-11-03"],
    ["2026-11-03", -14, "2026-10-20"],
    ["2026-03-01", 30, "2026-03-31"],
    ["2026-03-01", 31, "2026-04-01"],
    ["2026-01-01", 365, "2027-01-01"],
    ["2028-01-01", 366, "2029-01-01"],
  ])("shiftDay(%s, %i) = %s", (day, n, expected) => {
    expect(shiftDay(day, n)).toBe(expected);
  });

  it("the reference finds the 2026-2028 clock-change Sundays the tests rely on", () => {
    expect([lastSunday(2026, 3), lastSunday(2026, 10)]).toEqual(["2026-03-29", "2026-10-25"]);
    expect([lastSunday(2027, 3), lastSunday(2027, 10)]).toEqual(["2027-03-28", "2027-10-31"]);
    expect([lastSunday(2028, 3), lastSunday(2028, 10)]).toEqual(["2028-03-26", "2028-10-29"]);
  });

  it.each([2026, 2027, 2028])("walking every day of %i one by one matches plain calendar arithmetic; day lengths 23/25 h only on the change Sundays", (year) => {
    const spring = lastSunday(year, 3);
    const autumn = lastSunday(year, 10);
    let day = `${year}-01-01`;
    let steps = 0;
    while (day.startsWith(String(year))) {
      const next = nextCalendarDay(day);
      expect(shiftDay(day, 1)).toBe(next);
      expect(shiftDay(next, -1)).toBe(day);
      const { start, end } = warsawDayRange(day);
      const hours = day === spring ? 23 : day === autumn ? 25 : 24;
      expect((end - start) / HOUR, day).toBe(hours);
      expect(end, day).toBe(warsawDayRange(next).start);
      day = next;
      steps++;
    }
    expect(steps).toBe(year === 2028 ? 366 : 365);
  });
});

// ---------------------------------------------------------------- compareJobs

describe("compareJobs", () => {
  const at8 = "2026-01-15 07:00:00.000Z"; // 08:00 Warsaw
  const at9 = "2026-01-15 08:00:00.000Z"; // 09:00 Warsaw
  it.each([
    ["earlier time first, whatever the priority", job({ scheduledDate: at8, priority: "low" }), job({ scheduledDate: at9, priority: "urgent" })],
    ["ISO and PocketBase formats compare as instants", job({ scheduledDate: "2026-01-15T07:59:00Z" }), job({ scheduledDate: at9 })],
    ["offset timestamps compare as instants", job({ scheduledDate: "2026-01-15T08:30:00+02:00", title: "Z" }), job({ scheduledDate: at8, title: "A" })],
    ["scheduled before unscheduled", job({ scheduledDate: at9, priority: "low" }), job({ scheduledDate: "", priority: "urgent" })],
    ["scheduled before malformed date", job({ scheduledDate: at9 }), job({ scheduledDate: "tomorrow" })],
    ["same time: urgent before high", job({ scheduledDate: at8, priority: "urgent", title: "Z" }), job({ scheduledDate: at8, priority: "high", title: "A" })],
    ["same time: high before medium", job({ scheduledDate: at8, priority: "high", title: "Z" }), job({ scheduledDate: at8, priority: "medium", title: "A" })],
    ["same time: medium before low", job({ scheduledDate: at8, priority: "medium", title: "Z" }), job({ scheduledDate: at8, priority: "low", title: "A" })],
    ["same time: low before an unknown priority", job({ scheduledDate: at8, priority: "low", title: "Z" }), job({ scheduledDate: at8, priority: "whatever", title: "A" })],
    ["same instant in different formats ties on time, priority decides", job({ scheduledDate: "2026-01-15T08:00:00+01:00", priority: "urgent", title: "Z" }), job({ scheduledDate: at8, priority: "low", title: "A" })],
    ["both unscheduled: urgent first", job({ priority: "urgent", title: "Z" }), job({ priority: "medium", title: "A" })],
    ["unscheduled and malformed tie on time, priority decides", job({ scheduledDate: "garbage", priority: "high" }), job({ scheduledDate: "", priority: "low" })],
    ["same time and priority: title", job({ scheduledDate: at8, title: "Alfa" }), job({ scheduledDate: at8, title: "Beta" })],
    ["Polish collation: Ł between L and M", job({ title: "Łódź" }), job({ title: "Mława" })],
    ["Polish collation: L before Ł", job({ title: "Lublin" }), job({ title: "Łódź" })],
    ["Polish collation: Z before Ż", job({ title: "Zamość" }), job({ title: "Żoliborz" })],
    ["Polish collation: Ś before T", job({ title: "Śródmieście" }), job({ title: "Targówek" })],
  ])("%s", (_name, first, second) => {
    expect(compareJobs(first, second)).toBeLessThan(0);
    expect(compareJobs(second, first)).toBeGreaterThan(0);
  });

  it("identical keys compare equal", () => {
    const a = job({ id: "a", scheduledDate: at8, priority: "high", title: "Serwis" });
    const b = job({ id: "b", scheduledDate: "2026-01-15T08:00:00+01:00", priority: "high", title: "Serwis" });
    expect(compareJobs(a, b)).toBe(0);
    expect(compareJobs(job(), job())).toBe(0);
  });

  it("sorts a mixed list into time, priority, title order", () => {
    const expected = [
      job({ id: "1", scheduledDate: "2026-01-15T06:00:00Z", priority: "low", title: "Q" }),
      job({ id: "2", scheduledDate: at8, priority: "urgent", title: "Z" }),
      job({ id: "3", scheduledDate: at8, priority: "high", title: "A" }),
      job({ id: "4", scheduledDate: at8, priority: "high", title: "B" }),
      job({ id: "5", scheduledDate: at8, priority: "low", title: "A" }),
      job({ id: "6", scheduledDate: at9, priority: "low", title: "A" }),
      job({ id: "7", scheduledDate: "", priority: "urgent", title: "C" }),
      job({ id: "8", scheduledDate: "", priority: "medium", title: "A" }),
      job({ id: "9", scheduledDate: "", priority: "medium", title: "B" }),
    ];
    const shuffled = [expected[5], expected[8], expected[0], expected[3], expected[6], expected[1], expected[7], expected[4], expected[2]];
    expect([...shuffled].sort(compareJobs).map((j) => j.id)).toEqual(["1", "2", "3", "4", "5", "6", "7", "8", "9"]);
  });
});

// ---------------------------------------------------------------- matchesFilters / buildLanes

describe("matchesFilters", () => {
  const j = job({ district: "Wola", status: "pending", priority: "high", type: "installation" });
  it.each([
    ["no filters", NO_FILTERS, true],
    ["district in list", filters({ districts: ["Mokotów", "Wola"] }), true],
    ["district not in list", filters({ districts: ["Mokotów"] }), false],
    ["status in list", filters({ statuses: ["pending"] }), true],
    ["status not in list", filters({ statuses: ["scheduled", "completed"] }), false],
    ["priority in list", filters({ priorities: ["high", "urgent"] }), true],
    ["priority not in list", filters({ priorities: ["urgent"] }), false],
    ["type in list", filters({ types: ["installation"] }), true],
    ["type not in list", filters({ types: ["repair"] }), false],
    ["all four match", filters({ districts: ["Wola"], statuses: ["pending"], priorities: ["high"], types: ["installation"] }), true],
    ["three match, one does not", filters({ districts: ["Wola"], statuses: ["pending"], priorities: ["high"], types: ["repair"] }), false],
  ])("%s -> %s", (_name, f, expected) => {
    expect(matchesFilters(j, f)).toBe(expected);
  });
});

describe("buildLanes", () => {
  const techs: BoardTechnician[] = [
    { id: "t1", name: "Anna Nowak" },
    { id: "t2", name: "Piotr Wiśniewski" },
    { id: "t3", name: "Ewa Zielińska" },
  ];

  it("with no jobs: the unassigned lane first, then every technician in the given order, all empty", () => {
    expect(buildLanes([], techs, NO_FILTERS, "Nieprzypisane")).toEqual([
      { id: "", name: "Nieprzypisane", jobs: [] },
      { id: "t1", name: "Anna Nowak", jobs: [] },
      { id: "t2", name: "Piotr Wiśniewski", jobs: [] },
      { id: "t3", name: "Ewa Zielińska", jobs: [] },
    ]);
  });

  it("keeps the technicians' order as given, not sorted", () => {
    const reversed = [...techs].reverse();
    expect(buildLanes([], reversed, NO_FILTERS, "Unassigned").map((l) => l.id)).toEqual(["", "t3", "t2", "t1"]);
  });

  it("with no technicians there is still the unassigned lane", () => {
    expect(buildLanes([], [], NO_FILTERS, "U")).toEqual([{ id: "", name: "U", jobs: [] }]);
  });

  it("puts jobs in their technician's lane, unassigned ones first, each lane ordered by time/priority/title", () => {
    const jobs = [
      job({ id: "a", technicianId: "t2", scheduledDate: "2026-01-15T10:00:00Z" }),
      job({ id: "b", technicianId: "", scheduledDate: "", priority: "low" }),
      job({ id: "c", technicianId: "t2", scheduledDate: "2026-01-15T08:00:00Z" }),
      job({ id: "d", technicianId: "t1", scheduledDate: "2026-01-15T08:00:00Z", priority: "low" }),
      job({ id: "e", technicianId: "", scheduledDate: "", priority: "urgent" }),
      job({ id: "f", technicianId: "t1", scheduledDate: "2026-01-15T08:00:00Z", priority: "urgent" }),
      job({ id: "g", technicianId: "t2", scheduledDate: "", title: "B" }),
      job({ id: "h", technicianId: "t2", scheduledDate: "", title: "A" }),
    ];
    const before = jobs.map((j) => j.id);
    const lanes = buildLanes(jobs, techs, NO_FILTERS, "Unassigned");
    expect(lanes.map((l) => [l.id, l.jobs.map((j) => j.id)])).toEqual([
      ["", ["e", "b"]],
      ["t1", ["f", "d"]],
      ["t2", ["c", "a", "h", "g"]],
      ["t3", []],
    ]);
    // the input is not reordered, and the lanes hold the very same job objects
    expect(jobs.map((j) => j.id)).toEqual(before);
    expect(lanes[1].jobs[0]).toBe(jobs[5]);
  });

  it("a technician missing from the list gets a lane of their own (named by id), after the known ones", () => {
    const jobs = [
      job({ id: "a", technicianId: "ghost2" }),
      job({ id: "b", technicianId: "t1" }),
      job({ id: "c", technicianId: "ghost1" }),
      job({ id: "d", technicianId: "ghost2", title: "A" }),
    ];
    const lanes = buildLanes(jobs, techs, NO_FILTERS, "Unassigned");
    expect(lanes.map((l) => ({ id: l.id, name: l.name, ids: l.jobs.map((j) => j.id) }))).toEqual([
      { id: "", name: "Unassigned", ids: [] },
      { id: "t1", name: "Anna Nowak", ids: ["b"] },
      { id: "t2", name: "Piotr Wiśniewski", ids: [] },
      { id: "t3", name: "Ewa Zielińska", ids: [] },
      { id: "ghost2", name: "ghost2", ids: ["d", "a"] },
      { id: "ghost1", name: "ghost1", ids: ["c"] },
    ]);
  });

  const pool = [
    job({ id: "1", technicianId: "t1", district: "Wola", status: "scheduled", priority: "high", type: "repair" }),
    job({ id: "2", technicianId: "t1", district: "Mokotów", status: "in_progress", priority: "urgent", type: "installation" }),
    job({ id: "3", technicianId: "", district: "Wola", status: "pending", priority: "low", type: "maintenance" }),
    job({ id: "4", technicianId: "t2", district: "Ursynów", status: "completed", priority: "medium", type: "inspection" }),
    job({ id: "5", technicianId: "ghost", district: "Bemowo", status: "scheduled", priority: "urgent", type: "repair" }),
    job({ id: "6", technicianId: "", district: "Mokotów", status: "pending", priority: "urgent", type: "repair" }),
  ];

  it.each([
    ["no filter (all lists empty)", NO_FILTERS, ["1", "2", "3", "4", "5", "6"]],
    ["district Wola", filters({ districts: ["Wola"] }), ["1", "3"]],
    ["districts Wola or Ursynów", filters({ districts: ["Wola", "Ursynów"] }), ["1", "3", "4"]],
    ["status pending", filters({ statuses: ["pending"] }), ["3", "6"]],
    ["status scheduled or in_progress", filters({ statuses: ["scheduled", "in_progress"] }), ["1", "2", "5"]],
    ["priority urgent", filters({ priorities: ["urgent"] }), ["2", "5", "6"]],
    ["type repair", filters({ types: ["repair"] }), ["1", "5", "6"]],
    ["repair in Mokotów (filters combine with AND)", filters({ types: ["repair"], districts: ["Mokotów"] }), ["6"]],
    ["urgent and pending", filters({ priorities: ["urgent"], statuses: ["pending"] }), ["6"]],
    ["a district nobody is in", filters({ districts: ["Wawer"] }), []],
  ])("filter: %s", (_name, f, expectedIds) => {
    const lanes = buildLanes(pool, techs, f, "U");
    const shown = lanes.flatMap((l) => l.jobs.map((j) => j.id)).sort();
    expect(shown).toEqual(expectedIds);
    // the fixed lanes are there even when the filters empty them
    expect(lanes.slice(0, 4).map((l) => l.id)).toEqual(["", "t1", "t2", "t3"]);
    // the unknown technician's lane exists only when one of their jobs passes the filters
    expect(lanes.some((l) => l.id === "ghost")).toBe(expectedIds.includes("5"));
  });
});

// ---------------------------------------------------------------- statusCounts

describe("statusCounts", () => {
  const zero = { pending: 0, scheduled: 0, in_progress: 0, completed: 0, cancelled: 0 };
  const pool = [
    job({ district: "Wola", status: "pending", priority: "low", type: "repair" }),
    job({ district: "Wola", status: "pending", priority: "urgent", type: "installation" }),
    job({ district: "Wola", status: "scheduled", priority: "urgent", type: "repair" }),
    job({ district: "Mokotów", status: "in_progress", priority: "high", type: "repair" }),
    job({ district: "Mokotów", status: "completed", priority: "urgent", type: "maintenance" }),
    job({ district: "Ursynów", status: "cancelled", priority: "medium", type: "inspection" }),
    job({ district: "Ursynów", status: "scheduled", priority: "medium", type: "repair" }),
  ];

  it("every status is present, zero without jobs", () => {
    expect(statusCounts([], NO_FILTERS)).toStrictEqual(zero);
    expect(Object.keys(statusCounts([], NO_FILTERS)).sort()).toEqual([...JOB_STATUSES].sort());
  });

  it.each([
    ["no filters", NO_FILTERS, { pending: 2, scheduled: 2, in_progress: 1, completed: 1, cancelled: 1 }],
    ["the status filter is ignored", filters({ statuses: ["completed"] }), { pending: 2, scheduled: 2, in_progress: 1, completed: 1, cancelled: 1 }],
    ["district Wola", filters({ districts: ["Wola"] }), { ...zero, pending: 2, scheduled: 1 }],
    ["district Wola, status filter ignored", filters({ districts: ["Wola"], statuses: ["cancelled"] }), { ...zero, pending: 2, scheduled: 1 }],
    ["priority urgent", filters({ priorities: ["urgent"] }), { ...zero, pending: 1, scheduled: 1, completed: 1 }],
    ["type repair", filters({ types: ["repair"] }), { ...zero, pending: 1, scheduled: 2, in_progress: 1 }],
    ["type repair in Wola or Ursynów", filters({ types: ["repair"], districts: ["Wola", "Ursynów"] }), { ...zero, pending: 1, scheduled: 2 }],
    ["everything filtered away", filters({ districts: ["Wawer"], statuses: ["pending"] }), zero],
  ])("%s", (_name, f, expected) => {
    const copy = structuredClone(f);
    expect(statusCounts(pool, f)).toStrictEqual(expected);
    expect(f).toStrictEqual(copy); // the caller's filters are not changed
  });

  it("jobs with a status outside the list are not counted", () => {
    const jobs = [job({ status: "archived" }), job({ status: "" }), job({ status: "pending" })];
    expect(statusCounts(jobs, NO_FILTERS)).toStrictEqual({ ...zero, pending: 1 });
  });

  it("a status named like an Object.prototype member is not counted either (no stray keys)", () => {
    const jobs = [job({ status: "constructor" }), job({ status: "toString" }), job({ status: "scheduled" })];
    expect(statusCounts(jobs, NO_FILTERS)).toStrictEqual({ ...zero, scheduled: 1 });
  });
});

// ---------------------------------------------------------------- timeWindow

describe("timeWindow", () => {
  it.each([
    ["2026-01-15 07:30:00.000Z", 90, "08:30–10:00"],
    ["2026-01-15T07:30:00Z", 30, "08:30–09:00"],
    ["2026-01-15T07:00:00Z", 1, "08:00–08:01"],
    ["2026-07-15T06:00:00Z", 45, "08:00–08:45"], // summer
    ["2026-07-15 12:15:00.000Z", 120, "14:15–16:15"],
    ["2026-01-15T10:00:00+02:00", 60, "09:00–10:00"], // offset input: 08:00 UTC
    ["2026-01-15T22:30:00Z", 60, "23:30–00:30"], // across Warsaw midnight
    ["2026-01-15T07:30:00Z", 0, "08:30–09:30"], // default 60 min
    ["2026-01-15T07:30:00Z", -15, "08:30–09:30"], // default 60 min
    ["2026-01-15T07:30:00Z", Number.NaN, "08:30–09:30"], // default 60 min
    ["2026-03-29T00:30:00Z", 60, "01:30–03:30"], // an hour across spring-forward
    ["2026-10-25T00:30:00Z", 60, "02:30–02:30"], // an hour across fall-back: 02:30 CEST to 02:30 CET
    ["2026-10-25T02:00:00Z", 60, "03:00–04:00"],
  ])("%s for %d min -> %s", (scheduledDate, estimatedDuration, expected) => {
    expect(timeWindow({ scheduledDate, estimatedDuration })).toBe(expected);
  });

  it("separates with an en dash (U+2013)", () => {
    const w = timeWindow({ scheduledDate: "2026-01-15T07:30:00Z", estimatedDuration: 60 });
    expect(w).toMatch(/^\d{2}:\d{2}\u2013\d{2}:\d{2}$/);
    expect(w).not.toContain("-");
  });

  it.each(["", "   ", "tomorrow", "2026-02-30 10:00:00.000Z", "2026-01-15T25:00:00Z"])("unscheduled %j -> empty string", (scheduledDate) => {
    expect(timeWindow({ scheduledDate, estimatedDuration: 60 })).toBe("");
    expect(timeWindow({ scheduledDate, estimatedDuration: 0 })).toBe("");
  });
});

// ---------------------------------------------------------------- onBoardOfDay

describe("onBoardOfDay", () => {
  it.each([
    // winter day 2026-01-15 = [2026-01-14T23:00Z, 2026-01-15T23:00Z)
    ["2026-01-15T07:00:00Z", "scheduled", "2026-01-15", true],
    ["2026-01-15 07:00:00.000Z", "scheduled", "2026-01-15", true],
    ["2026-01-14T23:00:00Z", "scheduled", "2026-01-15", true], // local midnight belongs to the day
    ["2026-01-14T23:00:00Z", "scheduled", "2026-01-14", false],
    ["2026-01-14T22:59:59.999Z", "scheduled", "2026-01-15", false],
    ["2026-01-14T22:59:59.999Z", "scheduled", "2026-01-14", true],
    ["2026-01-15T22:59:59.999Z", "scheduled", "2026-01-15", true],
    ["2026-01-15T23:00:00Z", "scheduled", "2026-01-15", false], // 00:00 on the 16th although still the 15th in UTC
    ["2026-01-15T23:00:00Z", "scheduled", "2026-01-16", true],
    // summer day 2026-07-15 = [2026-07-14T22:00Z, 2026-07-15T22:00Z)
    ["2026-07-14T22:00:00Z", "scheduled", "2026-07-15", true],
    ["2026-07-14T21:59:59Z", "scheduled", "2026-07-15", false],
    ["2026-07-15T21:59:59Z", "scheduled", "2026-07-15", true],
    ["2026-07-15T22:00:00Z", "scheduled", "2026-07-15", false],
    // 23-hour day 2026-03-29 = [2026-03-28T23:00Z, 2026-03-29T22:00Z)
    ["2026-03-28T23:00:00Z", "scheduled", "2026-03-29", true],
    ["2026-03-28T22:59:00Z", "scheduled", "2026-03-29", false],
    ["2026-03-29T21:59:00Z", "scheduled", "2026-03-29", true],
    ["2026-03-29T22:00:00Z", "scheduled", "2026-03-29", false],
    ["2026-03-29T22:00:00Z", "scheduled", "2026-03-30", true],
    // 25-hour day 2026-10-25 = [2026-10-24T22:00Z, 2026-10-25T23:00Z)
    ["2026-10-24T21:59:00Z", "scheduled", "2026-10-25", false],
    ["2026-10-24T22:00:00Z", "scheduled", "2026-10-25", true],
    ["2026-10-25T22:59:00Z", "scheduled", "2026-10-25", true],
    ["2026-10-25T23:00:00Z", "scheduled", "2026-10-25", false],
    ["2026-10-25T23:00:00Z", "scheduled", "2026-10-26", true],
    // a scheduled time decides regardless of status
    ["2026-01-15T07:00:00Z", "completed", "2026-01-15", true],
    ["2026-01-15T07:00:00Z", "pending", "2026-01-15", true],
    ["2026-01-16T07:00:00Z", "pending", "2026-01-15", false],
    // unscheduled: only open (pending) jobs show, on every day
    ["", "pending", "2026-01-15", true],
    ["", "pending", "2026-07-15", true],
    ["not a date", "pending", "2026-01-15", true],
    ["", "scheduled", "2026-01-15", false],
    ["", "in_progress", "2026-01-15", false],
    ["", "completed", "2026-01-15", false],
    ["", "cancelled", "2026-01-15", false],
  ])("%j (%s) on %s -> %s", (scheduledDate, status, day, expected) => {
    expect(onBoardOfDay({ scheduledDate, status }, day)).toBe(expected);
  });
});

// ---------------------------------------------------------------- dropChange

describe("dropChange", () => {
  it.each([
    ["scheduled", "2026-01-15T07:00:00Z", { technicianId: "", status: "pending" }],
    ["pending", "", { technicianId: "", status: "pending" }],
    ["in_progress", "2026-01-15T07:00:00Z", { technicianId: "", status: "in_progress" }],
    ["completed", "2026-01-15T07:00:00Z", { technicianId: "", status: "completed" }],
  ])("onto unassigned: %s job -> %j", (status, scheduledDate, expected) => {
    expect(dropChange({ status, scheduledDate }, "", "2026-01-15", 10)).toStrictEqual(expected);
    expect(dropChange({ status, scheduledDate }, "", "2026-01-15", null)).toStrictEqual(expected);
  });

  it.each([
    // [status, existing scheduledDate, day, hour, expected scheduledDate, expected status or undefined]
    ["pending", "", "2026-01-15", 10, "2026-01-15T09:00:00.000Z", "scheduled"],
    ["scheduled", "2026-01-14T09:00:00Z", "2026-01-15", 10, "2026-01-15T09:00:00.000Z", undefined],
    ["scheduled", "2026-01-15T13:00:00Z", "2026-01-15", 10, "2026-01-15T09:00:00.000Z", undefined], // the hour wins over the existing time
    ["in_progress", "2026-01-15T07:00:00Z", "2026-01-15", 12, "2026-01-15T11:00:00.000Z", undefined],
    ["scheduled", "", "2026-07-15", 10, "2026-07-15T08:00:00.000Z", undefined], // summer
    ["pending", "", "2026-01-15", 0, "2026-01-14T23:00:00.000Z", "scheduled"], // hour 0 is an hour, not "none"
    ["pending", "", "2026-03-29", 8, "2026-03-29T06:00:00.000Z", "scheduled"], // CEST already
    ["pending", "", "2026-03-29", 1, "2026-03-29T00:00:00.000Z", "scheduled"], // still CET
    ["pending", "", "2026-03-29", 3, "2026-03-29T01:00:00.000Z", "scheduled"], // first CEST hour
    ["pending", "", "2026-10-25", 8, "2026-10-25T07:00:00.000Z", "scheduled"], // CET again
    ["pending", "", "2026-10-25", 1, "2026-10-24T23:00:00.000Z", "scheduled"], // still CEST
  ])("%s job (at %j) onto t1, %s %i:00 -> %s", (status, scheduledDate, day, hour, expectedDate, expectedStatus) => {
    const expected: Record<string, unknown> = { technicianId: "t1", scheduledDate: expectedDate };
    if (expectedStatus) expected.status = expectedStatus;
    expect(dropChange({ status, scheduledDate }, "t1", day, hour)).toStrictEqual(expected);
  });

  it.each([
    // without an hour: keep the existing time when it is on the target Warsaw day, else 08:00 Warsaw
    ["scheduled", "2026-01-15 13:45:00.000Z", "2026-01-15", "2026-01-15T13:45:00.000Z", undefined],
    ["scheduled", "2026-01-14T23:30:00Z", "2026-01-15", "2026-01-14T23:30:00.000Z", undefined], // 00:30 on the 15th in Warsaw
    ["scheduled", "2026-01-15T23:30:00Z", "2026-01-15", "2026-01-15T07:00:00.000Z", undefined], // 00:30 on the 16th in Warsaw
    ["scheduled", "2026-01-14T10:00:00Z", "2026-01-15", "2026-01-15T07:00:00.000Z", undefined],
    ["in_progress", "2026-01-15T09:10:00Z", "2026-01-15", "2026-01-15T09:10:00.000Z", undefined],
    ["in_progress", "2026-01-20T09:10:00Z", "2026-01-15", "2026-01-15T07:00:00.000Z", undefined],
    ["pending", "", "2026-01-15", "2026-01-15T07:00:00.000Z", "scheduled"],
    ["pending", "nonsense", "2026-01-15", "2026-01-15T07:00:00.000Z", "scheduled"],
    ["pending", "2026-07-15T05:00:00Z", "2026-07-15", "2026-07-15T05:00:00.000Z", "scheduled"],
    ["pending", "", "2026-07-15", "2026-07-15T06:00:00.000Z", "scheduled"], // 08:00 CEST
    ["scheduled", "", "2026-03-29", "2026-03-29T06:00:00.000Z", undefined], // 08:00 CEST
    ["scheduled", "", "2026-10-25", "2026-10-25T07:00:00.000Z", undefined], // 08:00 CET
    ["scheduled", "2026-10-25T22:30:00Z", "2026-10-25", "2026-10-25T22:30:00.000Z", undefined], // 23:30 CET, the 25-hour day's last hour
    ["scheduled", "2026-10-24T21:30:00Z", "2026-10-25", "2026-10-25T07:00:00.000Z", undefined], // 23:30 CEST on the 24th
  ])("%s job at %j onto t1 on %s without an hour -> %s", (status, scheduledDate, day, expectedDate, expectedStatus) => {
    const expected: Record<string, unknown> = { technicianId: "t1", scheduledDate: expectedDate };
    if (expectedStatus) expected.status = expectedStatus;
    expect(dropChange({ status, scheduledDate }, "t1", day, null)).toStrictEqual(expected);
  });
});

describe("byHour", () => {
  const job = (id: string, scheduledDate: string) => ({
    id, title: id, type: "repair", status: "scheduled", priority: "medium", technicianId: "t1",
    scheduledDate, estimatedDuration: 60, contactName: "", district: "", address: "",
  });
  it("puts jobs in Warsaw-hour rows, clamps early/late ones, keeps unscheduled apart", () => {
    const rows = byHour([
      job("a", "2026-11-24 07:30:00.000Z"), // 08:30 CET
      job("b", "2026-11-24 04:00:00.000Z"), // 05:00 -> first row (7)
      job("c", "2026-11-24 21:00:00.000Z"), // 22:00 -> last row (19)
      job("d", ""),
      job("e", "2026-07-01 06:15:00.000Z"), // 08:15 CEST
    ], 7, 19);
    expect(rows.get(null)!.map((j) => j.id)).toEqual(["d"]);
    expect(rows.get(8)!.map((j) => j.id)).toEqual(["a", "e"]);
    expect(rows.get(7)!.map((j) => j.id)).toEqual(["b"]);
    expect(rows.get(19)!.map((j) => j.id)).toEqual(["c"]);
    expect([...rows.keys()]).toEqual([null, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
  });
});

// ---------------------------------------------------------------- live changes while a day loads

describe("applyLiveChange / mergeLiveChanges", () => {
  const T1 = "2026-11-24 09:00:00.000Z";
  const T2 = "2026-11-24 09:00:00.001Z";
  const T3 = "2026-11-24 09:05:00.000Z";
  const a1 = job({ id: "a", title: "A v1", updated: T1 });
  const a2 = job({ id: "a", title: "A v2", updated: T2 });
  const a3 = job({ id: "a", title: "A v3", updated: T3 });
  const b1 = job({ id: "b", title: "B v1", updated: T1 });
  const c2 = job({ id: "c", title: "C new", updated: T2 });
  const on = (j: BoardJob): LiveChange => ({ id: j.id, job: j, updated: j.updated ?? "" });
  const off = (j: BoardJob): LiveChange => ({ id: j.id, job: null, updated: j.updated ?? "" });
  const titles = (jobs: BoardJob[]) => jobs.map((j) => j.title).sort();

  it("applyLiveChange: adds, replaces, drops", () => {
    expect(titles(applyLiveChange([b1], on(c2)))).toEqual(["B v1", "C new"]);
    expect(titles(applyLiveChange([a1, b1], on(a2)))).toEqual(["A v2", "B v1"]);
    expect(titles(applyLiveChange([a1, b1], off(a2)))).toEqual(["B v1"]);
    expect(titles(applyLiveChange([b1], off(a2)))).toEqual(["B v1"]);
  });

  it("applyLiveChange: an older copy never replaces a newer one on the board (a save's late answer)", () => {
    const jobs = [a3, b1];
    expect(applyLiveChange(jobs, on(a2))).toBe(jobs);
    expect(applyLiveChange(jobs, off(a1))).toBe(jobs);
  });

  it("applyLiveChange: the same version again, or one without a readable time, is applied", () => {
    expect(titles(applyLiveChange([a2], on(job({ id: "a", title: "A v2 again", updated: T2 }))))).toEqual(["A v2 again"]);
    expect(titles(applyLiveChange([a3], on(job({ id: "a", title: "A ?", updated: "" }))))).toEqual(["A ?"]);
    expect(titles(applyLiveChange([job({ id: "a", title: "A ?" })], on(a1)))).toEqual(["A v1"]);
  });

  it("nothing happened while loading: the loaded list as it is", () => {
    expect(mergeLiveChanges([a1, b1], [])).toEqual([a1, b1]);
  });

  it("a job created while loading stays (the loaded list predates it)", () => {
    expect(titles(mergeLiveChanges([a1, b1], [on(c2)]))).toEqual(["A v1", "B v1", "C new"]);
  });

  it("an update made while loading is not undone by the older loaded copy", () => {
    expect(titles(mergeLiveChanges([a1, b1], [on(a2)]))).toEqual(["A v2", "B v1"]);
  });

  it("a job deleted, or moved to another day, while loading leaves", () => {
    expect(titles(mergeLiveChanges([a1, b1], [off(a1)]))).toEqual(["B v1"]);
    expect(titles(mergeLiveChanges([a1, b1], [off(a2)]))).toEqual(["B v1"]);
  });

  it("a loaded copy newer than the change wins (the list was read after a later change)", () => {
    expect(titles(mergeLiveChanges([a3, b1], [on(a2)]))).toEqual(["A v3", "B v1"]);
    expect(titles(mergeLiveChanges([a3, b1], [off(a2)]))).toEqual(["A v3", "B v1"]);
  });

  it("several changes to one job: the newest counts, whatever order they arrived in", () => {
    expect(titles(mergeLiveChanges([a1], [on(a3), on(a2)]))).toEqual(["A v3"]);
    expect(titles(mergeLiveChanges([a1], [on(a2), off(a3)]))).toEqual([]);
    expect(titles(mergeLiveChanges([a1], [off(a3), on(a2)]))).toEqual([]);
    // equal times: the one that arrived last
    const a3b = job({ id: "a", title: "A v3 (save answer)", updated: T3 });
    expect(titles(mergeLiveChanges([a1], [on(a3), on(a3b)]))).toEqual(["A v3 (save answer)"]);
  });

  it("created and deleted while loading: not there", () => {
    expect(titles(mergeLiveChanges([b1], [on(c2), off(c2)]))).toEqual(["B v1"]);
  });

  it("leaves its inputs alone", () => {
    const loaded = [a1, b1];
    const changes = [on(a2), on(c2)];
    mergeLiveChanges(loaded, changes);
    expect(loaded).toEqual([a1, b1]);
    expect(changes).toEqual([on(a2), on(c2)]);
  });
});
