import { describe, expect, it } from "vitest";
import {
  buildTimeline, combineTimelines, formatWarsawDate, formatWarsawDateTime, formChanges, fromWarsawInput, historyTime,
  jobHistory, jobToForm, localizedFieldErrors, mergeTimeline, moveButtons, rebaseForm, recordField, telHref,
  timelineEntry, timelineText, toWarsawInput, type JobForm, type TimelineEvent,
} from "../../src/domain/jobview";

// Expected values are worked out by hand: Warsaw is UTC+1 in winter (CET) and UTC+2 in summer
// (CEST, from the last Sunday of March 01:00 UTC to the last Sunday of October 01:00 UTC; in 2026
// those are 29 March and 25 October).

describe("formatWarsawDateTime", () => {
  it.each<[string | number | null | undefined, string]>([
    ["2026-11-24 13:30:00.000Z", "24.11.2026, 14:30"], // PocketBase's format, CET
    ["2026-11-24T13:30:00Z", "24.11.2026, 14:30"], // ISO
    ["2026-07-01T22:15:00.000Z", "02.07.2026, 00:15"], // CEST moves the day on
    ["2026-12-31T23:00:00Z", "01.01.2027, 00:00"], // the new year starts an hour early
    ["2026-03-29T00:59:00Z", "29.03.2026, 01:59"], // last minute of CET
    ["2026-03-29T01:00:00Z", "29.03.2026, 03:00"], // first minute of CEST
    ["2026-10-25T00:30:00Z", "25.10.2026, 02:30"], // still CEST
    ["2026-10-25T01:30:00Z", "25.10.2026, 02:30"], // CET again: 02:30 happens twice
    [Date.UTC(2026, 0, 5, 7, 5), "05.01.2026, 08:05"], // epoch ms
    ["", ""],
    [null, ""],
    [undefined, ""],
    ["not a date", ""],
    [NaN, ""],
  ])("%s -> %j", (input, expected) => {
    expect(formatWarsawDateTime(input)).toBe(expected);
  });

  it("formatWarsawDate keeps the day only", () => {
    expect(formatWarsawDate("2026-07-01T22:15:00Z")).toBe("02.07.2026");
    expect(formatWarsawDate("")).toBe("");
  });
});

describe("toWarsawInput / fromWarsawInput", () => {
  it.each<[string, string]>([
    ["2026-11-24 13:30:00.000Z", "2026-11-24T14:30"],
    ["2026-07-01T22:15:00Z", "2026-07-02T00:15"],
    ["", ""],
    ["garbage", ""],
  ])("toWarsawInput(%j) = %j", (input, expected) => {
    expect(toWarsawInput(input)).toBe(expected);
  });

  it.each<[string, string | null]>([
    ["2026-11-24T14:30", "2026-11-24T13:30:00.000Z"],
    ["2026-07-02T00:15", "2026-07-01T22:15:00.000Z"],
    ["2026-11-24 14:30", "2026-11-24T13:30:00.000Z"],
    ["2026-11-24T14:30:00", "2026-11-24T13:30:00.000Z"],
    ["2031-03-04T09:30", "2031-03-04T08:30:00.000Z"],
    ["  ", ""],
    ["", ""],
    ["2026-02-30T10:00", null], // no such day
    ["2026-11-24T24:00", null],
    ["2026-11-24T10:60", null],
    ["2026-11-24", null], // a date without a time
    ["24.11.2026 14:30", null],
  ])("fromWarsawInput(%j) = %j", (input, expected) => {
    expect(fromWarsawInput(input)).toBe(expected);
  });

  it("round-trips every quarter hour of a winter and a summer day", () => {
    for (const day of ["2026-01-15", "2026-07-15"]) {
      for (let m = 0; m < 24 * 60; m += 15) {
        const local = `${day}T${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;
        expect(toWarsawInput(fromWarsawInput(local)!)).toBe(local);
      }
    }
  });
});

describe("moveButtons", () => {
  const both = { technicianId: "tech1", scheduledDate: "2026-11-24T14:30" };
  const none = { technicianId: "", scheduledDate: "" };
  it.each<[string, string, { technicianId: string; scheduledDate: string }, boolean, [string, string[]][]]>([
    ["pending, staff, nothing chosen", "pending", none, true, [["scheduled", ["technicianId", "scheduledDate"]], ["cancelled", []]]],
    ["pending, staff, only a technician", "pending", { technicianId: "t", scheduledDate: "" }, true, [["scheduled", ["scheduledDate"]], ["cancelled", []]]],
    ["pending, staff, both chosen", "pending", both, true, [["scheduled", []], ["cancelled", []]]],
    ["scheduled, staff", "scheduled", both, true, [["in_progress", []], ["pending", []], ["cancelled", []]]],
    ["scheduled, staff, technician removed in the form", "scheduled", { ...both, technicianId: "" }, true,
      [["in_progress", ["technicianId"]], ["pending", []], ["cancelled", []]]],
    ["in_progress, staff", "in_progress", both, true, [["completed", []], ["cancelled", []]]],
    ["completed: final", "completed", both, true, []],
    ["cancelled: final", "cancelled", both, true, []],
    ["pending, technician: nothing they may do", "pending", both, false, []],
    ["scheduled, technician: only start", "scheduled", both, false, [["in_progress", []]]],
    ["in_progress, technician: only complete", "in_progress", both, false, [["completed", []]]],
    ["unknown status", "archived", both, true, []],
  ])("%s", (_, status, values, staff, expected) => {
    expect(moveButtons(status, values, staff).map((b) => [b.to, b.missing])).toEqual(expected);
  });
});

// ---------------------------------------------------------------- timeline

const DICT: Record<string, string> = {
  "status.pending": "oczekujące",
  "status.scheduled": "zaplanowane",
  "status.in_progress": "w trakcie",
  "status.completed": "zakończone",
  "status.cancelled": "anulowane",
  "jobpage.timeline.status": "Status: {from} → {to}",
  "jobpage.timeline.technician": "Technik: {from} → {to}",
  "jobpage.timeline.alert": "Alarm: {reason}",
  "jobpage.timeline.acknowledged": "potwierdzony ({who}, {when})",
  "jobpage.timeline.someone": "inna osoba",
};
const t = (k: string) => DICT[k] ?? k;
const NAMES: Record<string, string> = { tech1: "Michał Dąbrowski", tech2: "Anna Nowak", disp: "Katarzyna Wiśniewska" };
const techName = (id: string) => NAMES[id] ?? "";

function update(id: string, created: string, from: [string, string], to: [string, string], asText = false): TimelineEvent {
  const data = { jobId: "j1", from: { status: from[0], technicianId: from[1] }, to: { status: to[0], technicianId: to[1] } };
  return { id, type: "job_update", created, data: asText ? JSON.stringify(data) : data };
}

function alert(id: string, created: string, reason: string, ack?: { by: string; at: string }): TimelineEvent {
  return {
    id, type: "emergency_alert", created,
    data: { jobId: "j1", title: "x", address: "y", district: "Wola", reason },
    processed: !!ack, acknowledgedBy: ack?.by ?? "", acknowledgedAt: ack?.at ?? "",
  };
}

describe("timeline", () => {
  it.each<[string, TimelineEvent, string]>([
    ["scheduling with a technician", update("e1", "2026-11-24 08:00:00.000Z", ["pending", ""], ["scheduled", "tech1"]),
      "Status: oczekujące → zaplanowane · Technik: — → Michał Dąbrowski"],
    ["a start (data as JSON text)", update("e2", "2026-11-24 09:00:00.000Z", ["scheduled", "tech1"], ["in_progress", "tech1"], true),
      "Status: zaplanowane → w trakcie"],
    ["a reassignment only", update("e3", "2026-11-24 09:00:00.000Z", ["scheduled", "tech1"], ["scheduled", "tech2"]),
      "Technik: Michał Dąbrowski → Anna Nowak"],
    ["an unassignment back to pending", update("e4", "2026-11-24 09:00:00.000Z", ["scheduled", "tech2"], ["pending", ""]),
      "Status: zaplanowane → oczekujące · Technik: Anna Nowak → —"],
    ["a technician the viewer cannot see", update("e5", "2026-11-24 09:00:00.000Z", ["pending", ""], ["scheduled", "hidden"]),
      "Status: oczekujące → zaplanowane · Technik: — → inna osoba"],
    ["an open alert", alert("a1", "2026-11-24 10:00:00.000Z", "Zapach gazu (zasada bezpieczeństwa)"),
      "Alarm: Zapach gazu (zasada bezpieczeństwa)"],
    ["an acknowledged alert", alert("a2", "2026-11-24 10:00:00.000Z", "Czad", { by: "disp", at: "2026-11-24 10:05:00.000Z" }),
      "Alarm: Czad · potwierdzony (Katarzyna Wiśniewska, 24.11.2026, 11:05)"],
  ])("%s", (_, event, expected) => {
    const entry = timelineEntry(event);
    expect(entry).not.toBeNull();
    expect(timelineText(entry!, t, techName)).toBe(expected);
  });

  it.each<[string, TimelineEvent]>([
    ["a location event", { id: "x", type: "technician_location", created: "2026-11-24 10:00:00.000Z", data: { lat: 52.2, lng: 21 } }],
    ["unreadable data", { id: "y", type: "job_update", created: "2026-11-24 10:00:00.000Z", data: "{not json" }],
    ["no data", { id: "z", type: "emergency_alert", created: "2026-11-24 10:00:00.000Z", data: null }],
  ])("%s is left out", (_, event) => {
    expect(timelineEntry(event)).toBeNull();
    expect(buildTimeline([event])).toEqual([]);
  });

  it("orders oldest first and merges live events by id", () => {
    const a = update("b", "2026-11-24 09:00:00.000Z", ["scheduled", "tech1"], ["in_progress", "tech1"]);
    const b = update("a", "2026-11-24 08:00:00.000Z", ["pending", ""], ["scheduled", "tech1"]);
    const c = alert("c", "2026-11-24 08:30:00.000Z", "Wyciek");
    const list = buildTimeline([a, b, c]);
    expect(list.map((e) => e.id)).toEqual(["a", "c", "b"]);

    // an acknowledgement arrives live: same id, replaced in place
    const acked = mergeTimeline(list, alert("c", "2026-11-24 08:30:00.000Z", "Wyciek", { by: "disp", at: "2026-11-24 08:40:00.000Z" }));
    expect(acked.map((e) => e.id)).toEqual(["a", "c", "b"]);
    expect(acked[1].acknowledged).toBe(true);

    const later = mergeTimeline(acked, update("d", "2026-11-24 12:00:00.000Z", ["in_progress", "tech1"], ["completed", "tech1"]));
    expect(later.map((e) => e.id)).toEqual(["a", "c", "b", "d"]);
    expect(mergeTimeline(later, later[0] as unknown as TimelineEvent, true).map((e) => e.id)).toEqual(["c", "b", "d"]);
    // same instant: ordered by id, so the order is stable
    const same = buildTimeline([update("y", "2026-11-24 08:00:00.000Z", ["a", ""], ["b", ""]), update("x", "2026-11-24 08:00:00.000Z", ["a", ""], ["b", ""])]);
    expect(same.map((e) => e.id)).toEqual(["x", "y"]);
  });

  it("combineTimelines prefers the first list's copy and keeps every id once", () => {
    const live = buildTimeline([alert("c", "2026-11-24 08:30:00.000Z", "Wyciek", { by: "disp", at: "2026-11-24 08:40:00.000Z" })]);
    const loaded = buildTimeline([
      update("a", "2026-11-24 08:00:00.000Z", ["pending", ""], ["scheduled", "tech1"]),
      alert("c", "2026-11-24 08:30:00.000Z", "Wyciek"),
    ]);
    const both = combineTimelines(live, loaded);
    expect(both.map((e) => [e.id, e.acknowledged])).toEqual([["a", false], ["c", true]]);
  });
});

// ---------------------------------------------------------------- form

const JOB = {
  title: "Kocioł nie grzeje",
  description: "Brak ogrzewania",
  type: "repair" as const,
  priority: "high" as const,
  technicianId: "tech1",
  scheduledDate: "2026-11-24 13:30:00.000Z",
  startedAt: "",
  completedDate: "",
  estimatedDuration: 120,
  actualDuration: 0,
  notes: "",
  coordinates: { lat: 52.2297, lng: 21.0122 },
};

describe("jobToForm", () => {
  it("shows a stored job as input texts (Warsaw time, 0 minutes worked as empty)", () => {
    expect(jobToForm(JOB)).toEqual({
      title: "Kocioł nie grzeje", description: "Brak ogrzewania", type: "repair", priority: "high", technicianId: "tech1",
      scheduledDate: "2026-11-24T14:30", startedAt: "", completedDate: "", estimatedDuration: "120", actualDuration: "",
      notes: "", lat: "52.2297", lng: "21.0122",
    } satisfies JobForm);
  });

  it("reads coordinates given as JSON text and tolerates missing fields", () => {
    expect(jobToForm({ coordinates: '{"lat":52.1,"lng":21.2}', actualDuration: 45 })).toMatchObject({ lat: "52.1", lng: "21.2", actualDuration: "45", title: "" });
    expect(jobToForm({ coordinates: null })).toMatchObject({ lat: "", lng: "" });
  });
});

describe("formChanges", () => {
  const stored = jobToForm(JOB);
  it.each<[string, Partial<JobForm>, Record<string, unknown>, Record<string, string>]>([
    ["nothing changed", {}, {}, {}],
    ["notes", { notes: "Klient prosi o telefon" }, { notes: "Klient prosi o telefon" }, {}],
    ["a new time in Warsaw time", { scheduledDate: "2026-11-25T08:00" }, { scheduledDate: "2026-11-25T07:00:00.000Z" }, {}],
    ["an unscheduled job (date cleared)", { scheduledDate: "" }, { scheduledDate: "" }, {}],
    ["a broken date", { startedAt: "2026-13-01T08:00" }, {}, { startedAt: "invalid_date" }],
    ["time worked, with a comma", { actualDuration: "90,5" }, { actualDuration: 90.5 }, {}],
    ["estimate cleared", { estimatedDuration: "" }, { estimatedDuration: null }, {}],
    ["estimate as words", { estimatedDuration: "dwie godziny" }, {}, { estimatedDuration: "invalid_number" }],
    ["coordinates", { lat: "52.25", lng: "21,05" }, { coordinates: { lat: 52.25, lng: 21.05 } }, {}],
    ["half the coordinates", { lat: "" }, {}, { coordinates: "incomplete_coordinates" }],
    ["coordinates as words", { lng: "east" }, {}, { coordinates: "invalid_number" }],
    ["technician removed and priority lowered", { technicianId: "", priority: "low" }, { technicianId: "", priority: "low" }, {}],
    ["whitespace around a number only", { estimatedDuration: " 120 " }, {}, {}],
  ])("%s", (_, edit, patch, errors) => {
    expect(formChanges(stored, { ...stored, ...edit })).toEqual({ patch, errors });
  });

  it("clearing the time worked sends null (PocketBase stores 0)", () => {
    const worked = jobToForm({ ...JOB, actualDuration: 45 });
    expect(formChanges(worked, { ...worked, actualDuration: "" })).toEqual({ patch: { actualDuration: null }, errors: {} });
  });

  it("maps lat/lng to the coordinates field and others to themselves", () => {
    expect(recordField("lat")).toBe("coordinates");
    expect(recordField("lng")).toBe("coordinates");
    expect(recordField("notes")).toBe("notes");
  });
});

describe("rebaseForm", () => {
  it("takes the new stored values where the user made no edit and keeps the edits", () => {
    const oldStored = jobToForm(JOB);
    const newStored = jobToForm({ ...JOB, title: "Kocioł nie grzeje (pilne)", priority: "urgent", notes: "od technika" });
    const form = { ...oldStored, notes: "moja notatka", description: "Brak ogrzewania, piętro 3" };
    expect(rebaseForm(oldStored, newStored, form)).toEqual({
      ...newStored,
      notes: "moja notatka",
      description: "Brak ogrzewania, piętro 3",
    });
  });

  it("an edit that equals the new stored value stays (nothing lost)", () => {
    const oldStored = jobToForm(JOB);
    const newStored = jobToForm({ ...JOB, notes: "to samo" });
    expect(rebaseForm(oldStored, newStored, { ...oldStored, notes: "to samo" }).notes).toBe("to samo");
  });
});

// ---------------------------------------------------------------- history, phone, errors

describe("jobHistory", () => {
  it("lists newest first by scheduled date, else creation; leaves out the current job", () => {
    const jobs = [
      { id: "old", scheduledDate: "2025-12-01 08:00:00.000Z", created: "2025-11-20 08:00:00.000Z" },
      { id: "new", scheduledDate: "2026-12-07 08:00:00.000Z", created: "2026-11-20 08:00:00.000Z" },
      { id: "unscheduled", scheduledDate: "", created: "2026-11-23 10:00:00.000Z" },
      { id: "current", scheduledDate: "2026-11-24 08:00:00.000Z", created: "2026-11-01 08:00:00.000Z" },
      { id: "undated", scheduledDate: "", created: "" },
      { id: "mid", scheduledDate: "2026-06-01 08:00:00.000Z", created: "2026-05-20 08:00:00.000Z" },
    ];
    expect(jobHistory(jobs, "current").map((j) => j.id)).toEqual(["new", "unscheduled", "mid", "old", "undated"]);
    expect(jobHistory(jobs).map((j) => j.id)).toEqual(["new", "current", "unscheduled", "mid", "old", "undated"]);
    expect(historyTime({ id: "x", scheduledDate: "", created: "2026-11-23 10:00:00.000Z" })).toBe(Date.UTC(2026, 10, 23, 10));
  });
});

describe("telHref", () => {
  it.each([
    ["+48 601 234 567", "tel:+48601234567"],
    ["+48 22 612 34 56", "tel:+48226123456"],
    ["(22) 612-34-56", "tel:226123456"],
    ["601234567", "tel:601234567"],
    ["", ""],
    ["brak", ""],
  ])("%j -> %j", (phone, expected) => {
    expect(telHref(phone)).toBe(expected);
  });
});

describe("localizedFieldErrors", () => {
  const texts: Record<string, string> = {
    "jobpage.err.actualDuration.set_by_lifecycle": "Czas pracy można podać dopiero po rozpoczęciu zlecenia.",
    "jobpage.err.before_start": "Zakończenie nie może być wcześniejsze niż rozpoczęcie.",
  };
  const tr = (k: string) => texts[k] ?? k;
  it.each<[string, unknown, Record<string, string>]>([
    ["a field-specific text", { actualDuration: { code: "set_by_lifecycle", message: "actualDuration is recorded once the job has started." } },
      { actualDuration: "Czas pracy można podać dopiero po rozpoczęciu zlecenia." }],
    ["a code-wide text", { completedDate: { code: "before_start", message: "completedDate must not be earlier than startedAt." } },
      { completedDate: "Zakończenie nie może być wcześniejsze niż rozpoczęcie." }],
    ["an unknown code keeps the server's message", { status: { code: "invalid_transition", message: "Cannot move a job from „completed”." } },
      { status: "Cannot move a job from „completed”." }],
    ["a code without a message", { title: { code: "validation_required" } }, { title: "validation_required" }],
    ["junk entries are skipped", { a: "Invalid value.", b: null, c: { message: "Only a message" } }, { c: "Only a message" }],
    ["no data", undefined, {}],
    ["not an object", "boom", {}],
  ])("%s", (_, data, expected) => {
    expect(localizedFieldErrors(data, "jobpage.err", tr)).toEqual(expected);
  });
});
