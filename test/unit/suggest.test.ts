import { describe, expect, it } from "vitest";
import {
  busyIntervals, compareSuggestions, defaultPlanDay, firstFreeSlot, needsGasSkill, rankTechnicians, suggestionFor,
  type BookedJob, type BusyInterval, type JobToPlace, type Reason, type Suggestion, type SuggestTechnician,
} from "../../src/domain/suggest";

// Expected values are worked out by hand. 2026-11-24 is a Tuesday in CET (UTC+1): 08:00 Warsaw =
// 07:00Z, 18:00 = 17:00Z, the Warsaw day is [2026-11-23T23:00Z, 2026-11-24T23:00Z). 2026-06-15 is
// in CEST (UTC+2). District centres (districts.ts): Mokotów 52.1930/21.0250, Wola 52.2370/20.9650.

const DAY = "2026-11-24";
const BEFORE = utc("2026-11-23T12:00:00Z"); // the evening before: the whole day is ahead
const MOKOTOW = { lat: 52.193, lng: 21.025 };
const WOLA = { lat: 52.237, lng: 20.965 };

function utc(iso: string): number {
  const t = Date.parse(iso);
  if (!Number.isFinite(t) || !iso.endsWith("Z")) throw new Error(`bad fixture ${iso}`);
  return t;
}

function busy(startIso: string, endIso: string, coordinates: BusyInterval["coordinates"] = null): BusyInterval {
  return { start: utc(startIso), end: utc(endIso), coordinates };
}

function booked(over: Partial<BookedJob> = {}): BookedJob {
  return { technicianId: "t1", scheduledDate: "2026-11-24 07:00:00.000Z", estimatedDuration: 60, status: "scheduled", ...over };
}

function tech(over: Partial<SuggestTechnician> = {}): SuggestTechnician {
  return { id: "t1", name: "Adam Nowak", districts: ["Mokotów"], skills: ["repair"], lastLocation: null, ...over };
}

const keys = (reasons: Reason[]) => reasons.map((r) => r.key);

describe("needsGasSkill", () => {
  it.each([
    ["Zapach gazu w kuchni", true],
    ["Kocioł gazowy nie działa", true],
    ["Przegląd kuchenki gazowej", true],
    ["Gas smell in the hallway", true],
    ["LPG boiler service", true],
    ["Wymiana gazomierza", true],
    ["Wyciek F-gazu z klimatyzatora", false], // refrigerant: the fgas qualification, not gas
    ["F-gas leak check", false],
    ["Serwis klimatyzacji", false],
    ["Brak ogrzewania", false],
    ["Gazeta leży na kotle", false],
    ["", false],
  ])("%j -> %s", (text, expected) => {
    expect(needsGasSkill(text)).toBe(expected);
  });
});

describe("busyIntervals", () => {
  it.each<[string, BookedJob[], Array<[string, string]>]>([
    ["one job, its estimated length", [booked({ estimatedDuration: 90 })], [["2026-11-24T07:00:00Z", "2026-11-24T08:30:00Z"]]],
    ["no length counts as 60 min", [booked({ estimatedDuration: 0 })], [["2026-11-24T07:00:00Z", "2026-11-24T08:00:00Z"]]],
    ["another technician's job is ignored", [booked({ technicianId: "t2" })], []],
    ["a cancelled job is ignored", [booked({ status: "cancelled" })], []],
    ["a job of the next day is ignored", [booked({ scheduledDate: "2026-11-24 23:00:00.000Z" })], []],
    ["00:30 Warsaw belongs to the day", [booked({ scheduledDate: "2026-11-23T23:30:00Z" })], [["2026-11-23T23:30:00Z", "2026-11-24T00:30:00Z"]]],
    ["23:30 Warsaw the day before does not", [booked({ scheduledDate: "2026-11-23T22:30:00Z" })], []],
    ["unscheduled is ignored", [booked({ scheduledDate: "" })], []],
    [
      "ordered by start",
      [booked({ scheduledDate: "2026-11-24 12:00:00.000Z" }), booked({ scheduledDate: "2026-11-24 08:00:00.000Z", status: "completed" })],
      [["2026-11-24T08:00:00Z", "2026-11-24T09:00:00Z"], ["2026-11-24T12:00:00Z", "2026-11-24T13:00:00Z"]],
    ],
  ])("%s", (_, jobs, expected) => {
    expect(busyIntervals(jobs, "t1", DAY).map((b) => [new Date(b.start).toISOString(), new Date(b.end).toISOString()]))
      .toEqual(expected.map(([s, e]) => [new Date(s).toISOString(), new Date(e).toISOString()]));
  });

  it("keeps the job's coordinates", () => {
    expect(busyIntervals([booked({ coordinates: WOLA })], "t1", DAY)[0].coordinates).toEqual(WOLA);
  });
});

describe("firstFreeSlot", () => {
  it.each<[string, string, BusyInterval[], number, number, string | null]>([
    ["empty day: 08:00", DAY, [], 60, BEFORE, "2026-11-24T07:00:00.000Z"],
    ["after a job 08:00-10:00", DAY, [busy("2026-11-24T07:00:00Z", "2026-11-24T09:00:00Z")], 60, BEFORE, "2026-11-24T09:00:00.000Z"],
    ["a 60 min gap is not enough between 09:30 and 10:00", DAY,
      [busy("2026-11-24T07:00:00Z", "2026-11-24T08:30:00Z"), busy("2026-11-24T09:00:00Z", "2026-11-24T10:00:00Z")], 60, BEFORE,
      "2026-11-24T10:00:00.000Z"],
    ["a 30 min job fits that gap", DAY,
      [busy("2026-11-24T07:00:00Z", "2026-11-24T08:30:00Z"), busy("2026-11-24T09:00:00Z", "2026-11-24T10:00:00Z")], 30, BEFORE,
      "2026-11-24T08:30:00.000Z"],
    ["unordered input", DAY,
      [busy("2026-11-24T09:00:00Z", "2026-11-24T10:00:00Z"), busy("2026-11-24T07:00:00Z", "2026-11-24T08:30:00Z")], 60, BEFORE,
      "2026-11-24T10:00:00.000Z"],
    ["a job ending 09:10 frees 09:15", DAY, [busy("2026-11-24T07:00:00Z", "2026-11-24T08:10:00Z")], 60, BEFORE, "2026-11-24T08:15:00.000Z"],
    ["ending exactly at the next job is fine (4 h before 12:00)", DAY, [busy("2026-11-24T11:00:00Z", "2026-11-24T12:00:00Z")], 240, BEFORE,
      "2026-11-24T07:00:00.000Z"],
    ["not before now (10:07 -> 10:15)", DAY, [], 60, utc("2026-11-24T09:07:00Z"), "2026-11-24T09:15:00.000Z"],
    ["now on a quarter-hour stays", DAY, [], 60, utc("2026-11-24T09:15:00Z"), "2026-11-24T09:15:00.000Z"],
    ["17:30 + 60 min ends after 18:00", DAY, [], 60, utc("2026-11-24T16:30:00Z"), null],
    ["17:30 + 30 min ends at 18:00", DAY, [], 30, utc("2026-11-24T16:30:00Z"), "2026-11-24T16:30:00.000Z"],
    ["a day that has passed", DAY, [], 60, utc("2026-11-25T08:00:00Z"), null],
    ["a full day", DAY, [busy("2026-11-24T07:00:00Z", "2026-11-24T17:00:00Z")], 15, BEFORE, null],
    ["a job before 08:00 that runs into the day", DAY, [busy("2026-11-24T06:00:00Z", "2026-11-24T07:45:00Z")], 60, BEFORE,
      "2026-11-24T07:45:00.000Z"],
    ["summer time: 08:00 is 06:00Z", "2026-06-15", [], 60, utc("2026-06-14T12:00:00Z"), "2026-06-15T06:00:00.000Z"],
    ["a day the calendar lacks", "2026-02-30", [], 60, BEFORE, null],
  ])("%s", (_, day, intervals, minutes, now, expected) => {
    const slot = firstFreeSlot(intervals, day, minutes, now);
    expect(slot === null ? null : new Date(slot).toISOString()).toBe(expected);
  });
});

describe("defaultPlanDay", () => {
  it.each<[string, number, number | undefined, string]>([
    ["09:00: today", utc("2026-11-24T08:00:00Z"), undefined, "2026-11-24"],
    ["17:30, 60 min no longer fits: tomorrow", utc("2026-11-24T16:30:00Z"), 60, "2026-11-25"],
    ["17:30, 30 min still fits: today", utc("2026-11-24T16:30:00Z"), 30, "2026-11-24"],
    ["23:30: tomorrow", utc("2026-11-24T22:30:00Z"), undefined, "2026-11-25"],
    ["00:30 Warsaw is already the next day", utc("2026-11-24T23:30:00Z"), undefined, "2026-11-25"],
    ["evening before the clocks go back (CEST -> CET)", utc("2026-10-24T15:30:00Z"), 60, "2026-10-25"],
    ["a 4 h installation at 14:30: tomorrow", utc("2026-11-24T13:30:00Z"), 240, "2026-11-25"],
  ])("%s", (_, now, minutes, expected) => {
    expect(defaultPlanDay(now, minutes)).toBe(expected);
  });
});

describe("suggestionFor: score and reasons", () => {
  const gasRepair: JobToPlace = { district: "Mokotów", type: "repair", description: "Zapach gazu przy kotle", durationMin: 60 };
  const noHeat: JobToPlace = { district: "Mokotów", type: "repair", description: "Kocioł nie grzeje", durationMin: 60 };

  it("everything fits: 100", () => {
    const s = suggestionFor(tech({ skills: ["repair", "gas"], lastLocation: { ...MOKOTOW, at: "2026-11-23T10:00:00Z" } as never }), [], gasRepair, DAY, BEFORE);
    // district 30 + skill 25 + gas 10 + capacity 15 * 480/480 + slot 5 + 5 (08:00) + distance 10 * (1 - 0/20)
    expect(s.score).toBe(100);
    expect(s.reasons).toEqual([
      { key: "suggest.servesDistrict", params: { district: "Mokotów" }, tone: "good" },
      { key: "suggest.hasSkill", params: { skill: "repair" }, tone: "good" },
      { key: "suggest.hasGas", tone: "good" },
      { key: "suggest.freeHours", params: { hours: "8" }, tone: "good" },
      { key: "suggest.freeFrom", params: { time: "08:00" }, tone: "good" },
      { key: "suggest.distance", params: { km: "0.0" }, tone: "good" },
    ]);
    expect(s).toMatchObject({ servesDistrict: true, hasSkill: true, hasGas: true, bookedMinutes: 0, freeMinutes: 480, slotTime: "08:00", distanceKm: 0 });
  });

  it("another district, no skill, no gas; distance from the previous job: 27", () => {
    const t = tech({ id: "t2", districts: ["Wola"], skills: ["maintenance"] });
    const jobs = [booked({ technicianId: "t2", estimatedDuration: 120, coordinates: WOLA })]; // 08:00-10:00
    const s = suggestionFor(t, jobs, gasRepair, DAY, BEFORE);
    // capacity 15 * 360/480 = 11.25; slot 10:00: 5 + 5 * 8h/10h = 9;
    // Wola -> Mokotów centres: 4.89 km N-S, 4.09 km E-W -> 6.4 km -> 10 * (1 - 6.4/20) = 6.8. Sum 27.05.
    expect(s.score).toBe(27);
    expect(s.distanceKm).toBe(6.4);
    expect(s.hasGas).toBe(false);
    expect(s.reasons).toEqual([
      { key: "suggest.otherDistrict", params: { district: "Mokotów" }, tone: "bad" },
      { key: "suggest.lacksSkill", params: { skill: "repair" }, tone: "bad" },
      { key: "suggest.lacksGas", tone: "bad" },
      { key: "suggest.freeHours", params: { hours: "6" }, tone: "good" },
      { key: "suggest.freeFrom", params: { time: "10:00" }, tone: "good" },
      { key: "suggest.distanceFromJob", params: { km: "6.4" }, tone: "info" },
    ]);
  });

  it("no gas needed, location unknown: 95", () => {
    const s = suggestionFor(tech(), [], noHeat, DAY, BEFORE);
    // 30 + 25 + 10 (gas not needed) + 15 + 10 + 5 (unknown distance: half)
    expect(s.score).toBe(95);
    expect(s.hasGas).toBeNull();
    expect(keys(s.reasons)).toEqual(["suggest.servesDistrict", "suggest.hasSkill", "suggest.freeHours", "suggest.freeFrom", "suggest.noLocation"]);
  });

  it("7.5 h booked: overbooked, free from 15:30: 77", () => {
    const jobs = [
      booked({ scheduledDate: "2026-11-24T07:00:00Z", estimatedDuration: 240 }), // 08:00-12:00
      booked({ scheduledDate: "2026-11-24T11:00:00Z", estimatedDuration: 210 }), // 12:00-15:30
    ];
    const s = suggestionFor(tech(), jobs, noHeat, DAY, BEFORE);
    // 30 + 25 + 10 + 15 * 30/480 = 0.9375 + slot 5 + 5 * 2.5h/10h = 6.25 + 5 = 77.19
    expect(s.score).toBe(77);
    expect(s.bookedMinutes).toBe(450);
    expect(s.freeMinutes).toBe(30);
    expect(s.reasons).toContainEqual({ key: "suggest.overbooked", params: { hours: "7.5" }, tone: "bad" });
    expect(s.reasons).toContainEqual({ key: "suggest.freeFrom", params: { time: "15:30" }, tone: "good" });
  });

  it("a full day: no slot, the distance from the last job of the day", () => {
    const jobs = [
      booked({ scheduledDate: "2026-11-24T07:00:00Z", estimatedDuration: 300, coordinates: MOKOTOW }),
      booked({ scheduledDate: "2026-11-24T12:00:00Z", estimatedDuration: 300, coordinates: WOLA }),
    ];
    const s = suggestionFor(tech(), jobs, noHeat, DAY, BEFORE);
    expect(s.slotStart).toBeNull();
    expect(s.slotTime).toBeNull();
    expect(s.reasons).toContainEqual({ key: "suggest.noSlot", tone: "bad" });
    expect(s.reasons).toContainEqual({ key: "suggest.overbooked", params: { hours: "10" }, tone: "bad" });
    expect(s.reasons).toContainEqual({ key: "suggest.distanceFromJob", params: { km: "6.4" }, tone: "info" });
    // 30 + 25 + 10 + 0 + 0 + 10 * (1 - 6.4/20) = 71.8
    expect(s.score).toBe(72);
  });

  it.each<[string, Partial<SuggestTechnician>, BookedJob[], JobToPlace, string, string]>([
    ["lastLocation wins over the previous job", { lastLocation: { ...WOLA, at: "x" } as never }, [booked({ coordinates: MOKOTOW })], noHeat, "suggest.distance", "6.4"],
    ["an unusable lastLocation is ignored", { lastLocation: { lat: Number.NaN, lng: 21 } as never }, [booked({ coordinates: WOLA })], noHeat, "suggest.distanceFromJob", "6.4"],
    ["a job after the slot does not count", {}, [booked({ scheduledDate: "2026-11-24T15:00:00Z", coordinates: WOLA })], noHeat, "suggest.noLocation", ""],
    ["the job's own location beats the district centre", { lastLocation: { ...WOLA, at: "x" } as never }, [], { ...noHeat, location: WOLA }, "suggest.distance", "0.0"],
    ["far away: whole kilometres", { lastLocation: { lat: 52.32, lng: 20.985, at: "x" } as never }, [], { ...noHeat, district: "Wilanów" }, "suggest.distance", "19"],
  ])("%s", (_, over, jobs, job, key, km) => {
    const s = suggestionFor(tech(over), jobs, job, DAY, BEFORE);
    const reason = s.reasons.find((r) => r.key.startsWith("suggest.distance") || r.key === "suggest.noLocation");
    expect(reason?.key).toBe(key);
    expect(reason?.params?.km ?? "").toBe(km);
  });
});

describe("rankTechnicians", () => {
  it("best first", () => {
    const techs = [
      tech({ id: "far", name: "Zofia Far", districts: ["Wola"], skills: ["maintenance"] }),
      tech({ id: "busy", name: "Bartek Busy" }),
      tech({ id: "gas", name: "Gustaw Gas", skills: ["repair", "gas"] }),
      tech({ id: "nogas", name: "Norbert Nogas" }),
    ];
    const jobs = [booked({ technicianId: "busy", estimatedDuration: 450 })];
    const job: JobToPlace = { district: "Mokotów", type: "repair", title: "Wyciek gazu", durationMin: 60 };
    const ranked = rankTechnicians(techs, jobs, job, DAY, BEFORE);
    // gas: 30+25+10+15+10+5 = 95; nogas: 85; busy: 30+25+0+0.94+(5+5*2.5/10)+5 = 67.19 -> 67; far: 0+0+0+15+10+5 = 30
    expect(ranked.map((s) => [s.technicianId, s.score])).toEqual([["gas", 95], ["nogas", 85], ["busy", 67], ["far", 30]]);
  });

  it("empty list", () => {
    expect(rankTechnicians([], [], { district: "Wola", type: "repair" }, DAY, BEFORE)).toEqual([]);
  });
});

describe("compareSuggestions: ties", () => {
  function s(over: Partial<Suggestion>): Suggestion {
    return {
      technicianId: "x", name: "X", score: 50, servesDistrict: true, hasSkill: true, hasGas: null, bookedMinutes: 0,
      freeMinutes: 480, slotStart: null, slotTime: null, distanceKm: null, reasons: [], ...over,
    };
  }
  it.each<[string, Partial<Suggestion>, Partial<Suggestion>]>([
    ["higher score first", { score: 60 }, { score: 59, slotStart: 1 }],
    ["same score: earlier slot first", { slotStart: 1000 }, { slotStart: 2000 }],
    ["same score: a slot before none", { slotStart: 1000 }, { slotStart: null }],
    ["same slot: nearer first", { slotStart: 1, distanceKm: 2 }, { slotStart: 1, distanceKm: 3 }],
    ["known distance before unknown", { distanceKm: 9 }, { distanceKm: null }],
    ["then by name, Polish order (Ł before M)", { name: "Łukasz" }, { name: "Marek" }],
  ])("%s", (_, first, second) => {
    expect(compareSuggestions(s(first), s(second))).toBeLessThan(0);
    expect(compareSuggestions(s(second), s(first))).toBeGreaterThan(0);
  });
});
