import { describe, expect, it } from "vitest";
import {
  DEFAULT_TILE_ATTRIBUTION, DEFAULT_TILE_URL, isStale, jobPoint, locationAge, placeJobs, planMarkers, priorityColour,
  spreadAround, SPREAD_STEP_M, tileConfig, tilesUnusable, validPoint, type MarkerState,
} from "../../src/domain/map";
import { distanceKm, findDistrict } from "../../src/domain/districts";

const OSM = "https://tile.openstreetmap.org/{z}/{x}/{y}.png";

describe("tileConfig (HVAC_TILE_URL, HVAC_TILE_ATTRIBUTION)", () => {
  const cases: Array<[string, string | undefined, string | undefined, { tileUrl: string; tileAttribution: string; problem?: RegExp }]> = [
    ["unset: OpenStreetMap", undefined, undefined, { tileUrl: OSM, tileAttribution: "© OpenStreetMap contributors" }],
    ["empty = unset (getenv cannot tell them apart)", "", "", { tileUrl: OSM, tileAttribution: "© OpenStreetMap contributors" }],
    ["blank = unset", "   ", undefined, { tileUrl: OSM, tileAttribution: "© OpenStreetMap contributors" }],
    ["default URL, own attribution", "", "Mapa: OSM", { tileUrl: OSM, tileAttribution: "Mapa: OSM" }],
    ["none turns tiles off", "none", "ignored", { tileUrl: "", tileAttribution: "" }],
    ["NONE, any case, trimmed", "  NONE ", undefined, { tileUrl: "", tileAttribution: "" }],
    ["off too", "off", undefined, { tileUrl: "", tileAttribution: "" }],
    ["own server with subdomains", "https://{s}.tiles.example.pl/{z}/{x}/{y}.png", "© Firma", { tileUrl: "https://{s}.tiles.example.pl/{z}/{x}/{y}.png", tileAttribution: "© Firma" }],
    ["plain http on the LAN", "http://10.0.0.5:8080/osm/{z}/{x}/{y}.png", undefined, { tileUrl: "http://10.0.0.5:8080/osm/{z}/{x}/{y}.png", tileAttribution: "" }],
    ["a path on this server", "/tiles/{z}/{x}/{y}.png", "OSM", { tileUrl: "/tiles/{z}/{x}/{y}.png", tileAttribution: "OSM" }],
    ["surrounding spaces trimmed", "  https://t.example/{z}/{x}/{y}.png  ", "  A  ", { tileUrl: "https://t.example/{z}/{x}/{y}.png", tileAttribution: "A" }],
    ["no {y}: refused", "https://t.example/{z}/{x}.png", undefined, { tileUrl: "", tileAttribution: "", problem: /\{y\}/ }],
    ["no scheme: refused", "tile.openstreetmap.org/{z}/{x}/{y}.png", undefined, { tileUrl: "", tileAttribution: "", problem: /http/ }],
    ["javascript: refused", "javascript:alert(1)//{z}{x}{y}", undefined, { tileUrl: "", tileAttribution: "", problem: /http/ }],
    ["protocol-relative URL (same scheme as the page)", "//evil.example/{z}/{x}/{y}.png", undefined, { tileUrl: "//evil.example/{z}/{x}/{y}.png", tileAttribution: "" }],
    ["spaces inside: refused", "https://t.example/{z} /{x}/{y}.png", undefined, { tileUrl: "", tileAttribution: "", problem: /spaces/ }],
  ];
  it.each(cases)("%s", (_name, url, attribution, want) => {
    const got = tileConfig(url, attribution);
    expect(got.tileUrl).toBe(want.tileUrl);
    expect(got.tileAttribution).toBe(want.tileAttribution);
    if (want.problem) expect(got.problem).toMatch(want.problem);
    else expect(got.problem).toBeUndefined();
  });

  it("names the variable in the problem", () => {
    expect(tileConfig("ftp://x/{z}/{x}/{y}", undefined).problem).toMatch(/^HVAC_TILE_URL: /);
  });

  it("attribution: control characters become spaces, long text is cut at 300", () => {
    expect(tileConfig("", "a\nb\t\tc").tileAttribution).toBe("a b c");
    expect(tileConfig("", "x".repeat(500)).tileAttribution).toHaveLength(300);
  });

  it("the defaults are OpenStreetMap's", () => {
    expect(DEFAULT_TILE_URL).toBe(OSM);
    expect(DEFAULT_TILE_ATTRIBUTION).toContain("OpenStreetMap");
  });
});

describe("tilesUnusable", () => {
  const cases: Array<[number, number, boolean]> = [
    [0, 0, false],
    [3, 0, false],
    [4, 0, true],
    [10, 0, true],
    [4, 2, false],
    [5, 2, true],
    [12, 6, false],
    [13, 6, true],
    [4, 40, false],
  ];
  it.each(cases)("%i errors, %i loaded -> %s", (errors, loaded, want) => {
    expect(tilesUnusable(errors, loaded)).toBe(want);
  });
});

describe("locationAge", () => {
  const now = Date.parse("2026-11-24T12:00:00.000Z");
  const cases: Array<[string, string | null | undefined, ReturnType<typeof locationAge>]> = [
    ["just now", "2026-11-24T11:59:31.000Z", { unit: "now" }],
    ["a fix from the future (clock skew) is now", "2026-11-24T12:03:00.000Z", { unit: "now" }],
    ["1 min", "2026-11-24T11:59:00.000Z", { unit: "min", n: 1 }],
    ["59 min", "2026-11-24T11:00:30.000Z", { unit: "min", n: 59 }],
    ["60 min = 1 h", "2026-11-24T11:00:00.000Z", { unit: "h", n: 1 }],
    ["PocketBase date format", "2026-11-24 09:30:00.000Z", { unit: "h", n: 2 }],
    ["23 h", "2026-11-23T12:00:01.000Z", { unit: "h", n: 23 }],
    ["24 h = 1 day", "2026-11-23T12:00:00.000Z", { unit: "d", n: 1 }],
    ["9 days", "2026-11-15T11:00:00.000Z", { unit: "d", n: 9 }],
    ["missing", undefined, { unit: "unknown" }],
    ["null", null, { unit: "unknown" }],
    ["garbage", "yesterday", { unit: "unknown" }],
  ];
  it.each(cases)("%s", (_name, at, want) => {
    expect(locationAge(at, now)).toEqual(want);
  });
});

describe("isStale", () => {
  const now = Date.parse("2026-11-24T12:00:00.000Z");
  const cases: Array<[string | null, boolean]> = [
    ["2026-11-24T11:59:00.000Z", false],
    ["2026-11-24T10:00:00.000Z", false],
    ["2026-11-24T09:59:59.000Z", true],
    [null, true],
    ["", true],
  ];
  it.each(cases)("%s -> %s", (at, want) => expect(isStale(at, now)).toBe(want));
});

describe("validPoint / jobPoint", () => {
  const pointCases: Array<[string, unknown, { lat: number; lng: number } | null]> = [
    ["Śródmieście", { lat: 52.23, lng: 21.01 }, { lat: 52.23, lng: 21.01 }],
    ["extra fields dropped", { lat: 52.23, lng: 21.01, accuracy: 5 }, { lat: 52.23, lng: 21.01 }],
    ["edge of the area", { lat: 51.95, lng: 21.5 }, { lat: 51.95, lng: 21.5 }],
    ["Kraków", { lat: 50.06, lng: 19.94 }, null],
    ["0,0 (GPS not ready)", { lat: 0, lng: 0 }, null],
    ["strings", { lat: "52.2", lng: "21.0" }, null],
    ["NaN", { lat: NaN, lng: 21 }, null],
    ["null", null, null],
    ["a number", 5, null],
  ];
  it.each(pointCases)("validPoint: %s", (_n, p, want) => expect(validPoint(p)).toEqual(want));

  it("jobPoint: own coordinates first", () => {
    expect(jobPoint({ lat: 52.2, lng: 21.0 }, "Wola")).toEqual({ point: { lat: 52.2, lng: 21.0 }, approximate: false });
  });
  it("jobPoint: else the district centre, marked approximate", () => {
    expect(jobPoint(null, "Wola")).toEqual({ point: { lat: 52.2370, lng: 20.9650 }, approximate: true });
    expect(jobPoint({ lat: 0, lng: 0 }, "Żoliborz")).toEqual({ point: { lat: 52.2680, lng: 20.9850 }, approximate: true });
  });
  it("jobPoint: nowhere without either", () => {
    expect(jobPoint(null, "")).toBeNull();
    expect(jobPoint(undefined, "Gdańsk")).toBeNull();
  });
  // Wola's centre is 52.2370, 20.9650; 0.00001° of latitude is ~1.1 m, of longitude here ~0.68 m.
  it.each([
    ["exactly the centre (what the hooks store for a job without a position)", { lat: 52.237, lng: 20.965 }, true],
    ["within a metre of it (float noise)", { lat: 52.237000001, lng: 20.9650001 }, true],
    ["0.68 m east", { lat: 52.237, lng: 20.96501 }, true],
    ["1.1 m north: a real position", { lat: 52.23701, lng: 20.965 }, false],
    ["50 m away", { lat: 52.23745, lng: 20.965 }, false],
  ])("jobPoint: coordinates %s -> approximate %s", (_n, coordinates, approximate) => {
    const at = jobPoint(coordinates, "Wola");
    expect(at?.approximate).toBe(approximate);
    expect(at?.point).toEqual(approximate ? { lat: 52.237, lng: 20.965 } : coordinates);
  });
  it("jobPoint: another district's centre is a real position for this one", () => {
    expect(jobPoint({ lat: 52.237, lng: 20.965 }, "Mokotów")).toEqual({ point: { lat: 52.237, lng: 20.965 }, approximate: false });
    expect(jobPoint({ lat: 52.237, lng: 20.965 }, "")).toEqual({ point: { lat: 52.237, lng: 20.965 }, approximate: false });
  });
});

const metres = (a: { lat: number; lng: number }, b: { lat: number; lng: number }) => distanceKm(a, b) * 1000;

describe("spreadAround", () => {
  const centre = { lat: 52.237, lng: 20.965 };
  it("the n-th point lies step·√(n+1) metres out, none on the centre", () => {
    for (const [i, want] of [[0, 30], [1, 42.43], [3, 60], [8, 90], [99, 300]] as const) {
      expect(metres(centre, spreadAround(centre, i))).toBeCloseTo(want, 0);
    }
  });
  it("is deterministic and rounded to 7 decimals", () => {
    expect(spreadAround(centre, 5)).toEqual(spreadAround(centre, 5));
    const p = spreadAround(centre, 5);
    expect(p.lat).toBe(Math.round(p.lat * 1e7) / 1e7);
    expect(p.lng).toBe(Math.round(p.lng * 1e7) / 1e7);
  });
  it("200 points: none closer than 60% of the step to another, all within step·√200 of the centre", () => {
    const points = Array.from({ length: 200 }, (_, i) => spreadAround(centre, i));
    let nearest = Infinity;
    for (let i = 0; i < points.length; i++) {
      for (let j = i + 1; j < points.length; j++) nearest = Math.min(nearest, metres(points[i], points[j]));
    }
    expect(nearest).toBeGreaterThan(0.6 * SPREAD_STEP_M);
    for (const p of points) expect(metres(centre, p)).toBeLessThanOrEqual(SPREAD_STEP_M * Math.sqrt(200) + 0.1);
  });
});

describe("placeJobs", () => {
  const wola = findDistrict("Wola")!.centre;
  const mokotow = findDistrict("Mokotów")!.centre;
  const own = { lat: 52.2401, lng: 20.9702 };

  it("a job with its own position stays there; one at (or without) its district's centre is spread and marked", () => {
    const placed = placeJobs([
      { id: "own", coordinates: own, district: "Wola" },
      { id: "centre", coordinates: { ...wola }, district: "Wola" },
      { id: "none", coordinates: null, district: "Wola" },
    ]);
    expect(placed.map((p) => [p.id, p.approximate])).toEqual([["own", false], ["centre", true], ["none", true]]);
    expect(placed[0].point).toEqual(own);
    // by id: "centre" < "none"
    expect(placed[1].point).toEqual(spreadAround(wola, 0));
    expect(placed[2].point).toEqual(spreadAround(wola, 1));
  });

  it("the places depend on the ids, not on the order the jobs come in", () => {
    const jobs = ["k", "b", "x", "a"].map((id) => ({ id, coordinates: { ...wola }, district: "Wola" }));
    const byId = (list: ReturnType<typeof placeJobs>) => Object.fromEntries(list.map((p) => [p.id, p.point]));
    const forward = byId(placeJobs(jobs));
    expect(byId(placeJobs([...jobs].reverse()))).toEqual(forward);
    expect(forward).toEqual({ a: spreadAround(wola, 0), b: spreadAround(wola, 1), k: spreadAround(wola, 2), x: spreadAround(wola, 3) });
  });

  it("every district has its own spiral; no two approximate jobs share a point", () => {
    const jobs = [
      ...Array.from({ length: 30 }, (_, i) => ({ id: `w${String(i).padStart(2, "0")}`, coordinates: { ...wola }, district: "Wola" })),
      ...Array.from({ length: 5 }, (_, i) => ({ id: `m${i}`, coordinates: null, district: "Mokotów" })),
    ];
    const placed = placeJobs(jobs);
    expect(placed).toHaveLength(35);
    expect(new Set(placed.map((p) => `${p.point.lat},${p.point.lng}`)).size).toBe(35);
    for (const p of placed) {
      const centre = p.id.startsWith("w") ? wola : mokotow;
      expect(metres(centre, p.point)).toBeGreaterThanOrEqual(SPREAD_STEP_M - 0.1);
      expect(metres(centre, p.point)).toBeLessThan(SPREAD_STEP_M * Math.sqrt(30) + 0.1);
    }
    expect(placed.find((p) => p.id === "m0")!.point).toEqual(spreadAround(mokotow, 0));
  });

  it("leaves out jobs with no place at all and repeated ids", () => {
    const placed = placeJobs([
      { id: "a", coordinates: own, district: "" },
      { id: "nowhere", coordinates: null, district: "Gdańsk" },
      { id: "a", coordinates: { ...wola }, district: "Wola" },
    ]);
    expect(placed).toEqual([{ id: "a", point: own, approximate: false }]);
  });

  it("does not change its input", () => {
    const coordinates = { ...wola };
    placeJobs([{ id: "a", coordinates, district: "Wola" }]);
    expect(coordinates).toEqual(wola);
  });
});

describe("planMarkers", () => {
  type Wanted = MarkerState & { id: string };
  const m = (id: string, lat: number, lng: number, look = "medium"): Wanted => ({ id, lat, lng, look });
  const drawn = (...list: Wanted[]) => new Map<string, MarkerState>(list.map(({ id, ...state }) => [id, state]));

  it("nothing drawn: every wanted marker is added", () => {
    expect(planMarkers(new Map(), [m("a", 52.2, 21), m("b", 52.3, 21)])).toEqual({ add: [m("a", 52.2, 21), m("b", 52.3, 21)], update: [], remove: [] });
  });

  it("the same markers again: nothing to do", () => {
    expect(planMarkers(drawn(m("a", 52.2, 21), m("b", 52.3, 21)), [m("b", 52.3, 21), m("a", 52.2, 21)])).toEqual({ add: [], update: [], remove: [] });
  });

  it("one job changed: only its marker is touched (moved, restyled or both); the others are left alone", () => {
    const now = drawn(m("a", 52.2, 21), m("b", 52.3, 21), m("c", 52.25, 21.1));
    expect(planMarkers(now, [m("a", 52.2, 21), m("b", 52.31, 21), m("c", 52.25, 21.1)])).toEqual({
      add: [], update: [{ next: m("b", 52.31, 21), moved: true, restyled: false }], remove: [],
    });
    expect(planMarkers(now, [m("a", 52.2, 21), m("b", 52.3, 21, "urgent"), m("c", 52.25, 21.1)])).toEqual({
      add: [], update: [{ next: m("b", 52.3, 21, "urgent"), moved: false, restyled: true }], remove: [],
    });
    expect(planMarkers(now, [m("a", 52.2, 21), m("b", 52.3, 21.2, "urgent"), m("c", 52.25, 21.1)]).update).toEqual([
      { next: m("b", 52.3, 21.2, "urgent"), moved: true, restyled: true },
    ]);
  });

  it("new jobs added, gone ones removed, in one plan", () => {
    const plan = planMarkers(drawn(m("a", 52.2, 21), m("gone", 52.3, 21)), [m("a", 52.2, 21), m("new", 52.1, 21)]);
    expect(plan).toEqual({ add: [m("new", 52.1, 21)], update: [], remove: ["gone"] });
  });

  it("nothing wanted: every drawn marker is removed", () => {
    expect(planMarkers(drawn(m("a", 52.2, 21), m("b", 52.3, 21)), []).remove.sort()).toEqual(["a", "b"]);
  });

  it("a repeated id is one marker (the first)", () => {
    expect(planMarkers(new Map(), [m("a", 52.2, 21), m("a", 52.3, 21)]).add).toEqual([m("a", 52.2, 21)]);
  });
});

describe("priorityColour", () => {
  const cases: Array<[string, string]> = [
    ["low", "#64748b"],
    ["medium", "#0ea5e9"],
    ["high", "#f59e0b"],
    ["urgent", "#dc2626"],
    ["", "#0ea5e9"],
    ["constructor", "#0ea5e9"],
  ];
  it.each(cases)("%s -> %s", (p, want) => expect(priorityColour(p)).toBe(want));
});
