import { describe, expect, it } from "vitest";
import {
  DEFAULT_TILE_ATTRIBUTION, DEFAULT_TILE_URL, isStale, jobPoint, locationAge, priorityColour, tileConfig, tilesUnusable,
  validPoint,
} from "../../src/domain/map";

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
