import { describe, expect, it } from "vitest";
import {
  alertChange, announceText, compareAlerts, filterAlerts, formatAlertTime, mergeLoaded, notificationBody, passesFilter,
  removeAlert, sortAlerts, toAlertView, upsertAlert, type AlertView,
} from "../../src/domain/alerts-view";

// Expected times are worked out by hand: CET = UTC+1; CEST = UTC+2 from the last Sunday of March
// 01:00 UTC to the last Sunday of October 01:00 UTC (2026: 29 March and 25 October).

function utc(iso: string): number {
  const t = Date.parse(iso);
  if (!Number.isFinite(t) || !iso.endsWith("Z")) throw new Error(`bad fixture ${iso}`);
  return t;
}

function alert(over: Partial<AlertView> = {}): AlertView {
  return {
    id: "a",
    jobId: "j",
    title: "Awaria kotła",
    address: "ul. Puławska 1",
    district: "Mokotów",
    reason: "zapach gazu",
    createdMs: utc("2026-11-24T10:00:00Z"),
    ...over,
  };
}

const ids = (list: readonly AlertView[]) => list.map((a) => a.id);

describe("toAlertView", () => {
  const event = { id: "ev1", created: "2026-11-24 10:00:00.000Z", district: "Mokotów" };
  const data = { jobId: "job1", title: " Awaria kotła ", address: "ul. Puławska 1", district: "Wola", reason: "zapach gazu" };

  it.each([
    ["full data, the event's district wins", event, data,
      { id: "ev1", jobId: "job1", title: "Awaria kotła", address: "ul. Puławska 1", district: "Mokotów", reason: "zapach gazu", createdMs: utc("2026-11-24T10:00:00Z") }],
    ["no district on the event: the data's", { ...event, district: "" }, data,
      { id: "ev1", jobId: "job1", title: "Awaria kotła", address: "ul. Puławska 1", district: "Wola", reason: "zapach gazu", createdMs: utc("2026-11-24T10:00:00Z") }],
    ["no data at all", event, null,
      { id: "ev1", jobId: "", title: "", address: "", district: "Mokotów", reason: "", createdMs: utc("2026-11-24T10:00:00Z") }],
    ["non-string fields are dropped", event, { jobId: 5, title: null } as unknown as typeof data,
      { id: "ev1", jobId: "", title: "", address: "", district: "Mokotów", reason: "", createdMs: utc("2026-11-24T10:00:00Z") }],
    ["ISO created with T", { ...event, created: "2026-07-01T08:15:00Z" }, data,
      { id: "ev1", jobId: "job1", title: "Awaria kotła", address: "ul. Puławska 1", district: "Mokotów", reason: "zapach gazu", createdMs: utc("2026-07-01T08:15:00Z") }],
  ])("%s", (_name, ev, d, expected) => {
    expect(toAlertView(ev, d)).toEqual(expected);
  });

  it("an unreadable created gives NaN", () => {
    expect(toAlertView({ ...event, created: "" }, data).createdMs).toBeNaN();
  });
});

describe("order: newest first", () => {
  const older = alert({ id: "b", createdMs: utc("2026-11-24T09:00:00Z") });
  const newer = alert({ id: "c", createdMs: utc("2026-11-24T11:00:00Z") });
  const sameA = alert({ id: "a" });
  const sameZ = alert({ id: "z" });
  const unknown = alert({ id: "u", createdMs: NaN });

  it.each([
    ["newer before older", [older, newer], ["c", "b"]],
    ["equal times by id", [sameZ, sameA], ["a", "z"]],
    ["unknown time last", [unknown, older, newer], ["c", "b", "u"]],
    ["empty", [], []],
  ])("%s", (_name, input, expected) => {
    expect(ids(sortAlerts(input as AlertView[]))).toEqual(expected);
  });

  it("compareAlerts is antisymmetric", () => {
    expect(compareAlerts(older, newer)).toBe(1);
    expect(compareAlerts(newer, older)).toBe(-1);
    expect(compareAlerts(sameA, sameA)).toBe(0);
  });

  it("sortAlerts does not change its input", () => {
    const input = [older, newer];
    sortAlerts(input);
    expect(ids(input)).toEqual(["b", "c"]);
  });
});

describe("upsertAlert / removeAlert", () => {
  const a = alert({ id: "a", createdMs: utc("2026-11-24T09:00:00Z") });
  const b = alert({ id: "b", createdMs: utc("2026-11-24T10:00:00Z") });
  const c = alert({ id: "c", createdMs: utc("2026-11-24T11:00:00Z") });

  it.each([
    ["a new arrival goes on top", [b, a], c, ["c", "b", "a"]],
    ["into an empty list", [], a, ["a"]],
    ["an older one into its place", [c, a], b, ["c", "b", "a"]],
    ["the same id twice stays once", [b, a], b, ["b", "a"]],
  ])("%s", (_name, list, added, expected) => {
    expect(ids(upsertAlert(list as AlertView[], added))).toEqual(expected);
  });

  it("the same id replaces the older copy", () => {
    const changed = upsertAlert([a], { ...a, reason: "czad" });
    expect(changed).toHaveLength(1);
    expect(changed[0].reason).toBe("czad");
  });

  it.each([
    ["removes the id", [c, b, a], "b", ["c", "a"]],
    ["unknown id: unchanged", [c, a], "x", ["c", "a"]],
    ["empty list", [], "a", []],
  ])("remove: %s", (_name, list, id, expected) => {
    expect(ids(removeAlert(list as AlertView[], id))).toEqual(expected);
  });
});

describe("mergeLoaded", () => {
  const a = alert({ id: "a", createdMs: utc("2026-11-24T09:00:00Z") });
  const b = alert({ id: "b", createdMs: utc("2026-11-24T10:00:00Z") });
  const c = alert({ id: "c", createdMs: utc("2026-11-24T11:00:00Z") });

  it.each([
    ["only loaded", [a, b], [], [], ["b", "a"]],
    ["a live arrival during the load is kept", [a], [c], [], ["c", "a"]],
    ["an arrival both loaded and live appears once", [a, c], [c], [], ["c", "a"]],
    ["acknowledged live during the load is dropped", [a, b], [], ["b"], ["a"]],
    ["acknowledged live arrival is dropped too", [a], [c], ["c"], ["a"]],
    ["nothing", [], [], [], []],
  ])("%s", (_name, loaded, live, acked, expected) => {
    expect(ids(mergeLoaded(loaded as AlertView[], live as AlertView[], acked as string[]))).toEqual(expected);
  });

  it("accepts a Set of acknowledged ids", () => {
    expect(ids(mergeLoaded([a, b], [], new Set(["a"])))).toEqual(["b"]);
  });
});

describe("alertChange", () => {
  const rec = (type: string, processed: boolean) => ({ id: "e1", type, processed }) as Parameters<typeof alertChange>[1];

  it.each([
    ["create", rec("emergency_alert", false), { kind: "add", id: "e1" }],
    ["update", rec("emergency_alert", true), { kind: "remove", id: "e1" }],
    ["delete", rec("emergency_alert", false), { kind: "remove", id: "e1" }],
    ["update", rec("emergency_alert", false), { kind: "none" }],
    ["create", rec("emergency_alert", true), { kind: "remove", id: "e1" }],
    ["create", rec("technician_location", true), { kind: "none" }],
    ["update", rec("job_update", true), { kind: "none" }],
    ["create", rec("message", false), { kind: "none" }],
  ])("%s of %j", (action, record, expected) => {
    expect(alertChange(action, record)).toEqual(expected);
  });
});

describe("district filter", () => {
  const list = [
    alert({ id: "1", district: "Mokotów" }),
    alert({ id: "2", district: "Wola" }),
    alert({ id: "3", district: "Mokotów" }),
    alert({ id: "4", district: "" }),
  ];

  it.each([
    ["all", "", ["1", "2", "3", "4"], 0],
    ["Mokotów", "Mokotów", ["1", "3"], 2],
    ["Wola", "Wola", ["2"], 3],
    ["a district without alerts", "Żoliborz", [], 4],
  ])("%s", (_name, district, shown, hidden) => {
    const r = filterAlerts(list, district);
    expect(ids(r.shown)).toEqual(shown);
    expect(r.hidden).toBe(hidden);
  });

  it.each([
    ["Mokotów", "", true],
    ["Mokotów", "Mokotów", true],
    ["Mokotów", "Wola", false],
    ["", "Wola", false],
  ])("passesFilter(%s, %s)", (district, filter, expected) => {
    expect(passesFilter({ district }, filter)).toBe(expected);
  });
});

describe("formatAlertTime (Warsaw)", () => {
  it.each([
    ["today, winter (UTC+1)", "2026-11-24T10:05:00Z", "2026-11-24T15:00:00Z", "11:05"],
    ["today, summer (UTC+2)", "2026-07-01T06:30:00Z", "2026-07-01T20:00:00Z", "08:30"],
    ["yesterday", "2026-11-23T10:05:00Z", "2026-11-24T08:00:00Z", "23.11.2026 11:05"],
    // 23:30 UTC on 23 Nov is 00:30 on 24 Nov in Warsaw: today there.
    ["same Warsaw day, different UTC day", "2026-11-23T23:30:00Z", "2026-11-24T09:00:00Z", "00:30"],
    // 22:30 UTC on 30 Jun is 00:30 on 1 Jul (CEST).
    ["after midnight in summer", "2026-06-30T22:30:00Z", "2026-07-01T09:00:00Z", "00:30"],
    ["last year", "2025-12-31T22:59:00Z", "2026-01-02T09:00:00Z", "31.12.2025 23:59"],
    ["day of the autumn change, after it", "2026-10-25T01:30:00Z", "2026-10-25T12:00:00Z", "02:30"],
    ["day of the spring change, after it", "2026-03-29T01:30:00Z", "2026-03-29T12:00:00Z", "03:30"],
  ])("%s", (_name, created, now, expected) => {
    expect(formatAlertTime(utc(created), utc(now))).toBe(expected);
  });

  it("unknown time: empty", () => {
    expect(formatAlertTime(NaN, utc("2026-11-24T10:00:00Z"))).toBe("");
  });

  it("unknown now: with the date", () => {
    expect(formatAlertTime(utc("2026-11-24T10:05:00Z"), NaN)).toBe("24.11.2026 11:05");
  });
});

describe("texts", () => {
  it.each([
    ["everything", alert(), "Mokotów · Awaria kotła\nul. Puławska 1\nzapach gazu", "Mokotów: Awaria kotła, ul. Puławska 1 — zapach gazu"],
    ["no address", alert({ address: "" }), "Mokotów · Awaria kotła\nzapach gazu", "Mokotów: Awaria kotła — zapach gazu"],
    ["no reason", alert({ reason: "" }), "Mokotów · Awaria kotła\nul. Puławska 1", "Mokotów: Awaria kotła, ul. Puławska 1"],
    ["no district", alert({ district: "" }), "Awaria kotła\nul. Puławska 1\nzapach gazu", "Awaria kotła, ul. Puławska 1 — zapach gazu"],
  ])("%s", (_name, a, body, spoken) => {
    expect(notificationBody(a)).toBe(body);
    expect(announceText(a)).toBe(spoken);
  });
});
