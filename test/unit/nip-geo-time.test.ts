import { describe, it, expect } from "vitest";
import { checkNip, completeNip, isValidNip, nipChecksum, normalizeNip } from "../../src/domain/nip";
import { districtCentre, parseLatLng, parsePoint, strictNumber } from "../../src/domain/geo";
import {
  DISTRICT_NAMES, DISTRICTS, distanceKm, findDistrict, isDistrict, nearestDistrict, WARSAW_AREA,
} from "../../src/domain/districts";
import { isHeatingSeason, parseTimestamp, toPbDate, warsawOffsetMinutes, warsawParts } from "../../src/domain/time";
import { defaultAffluence } from "../../src/domain/contacts";
import { alertTargets, becameUrgent } from "../../src/domain/alerts";
import type { LatLng, Priority } from "../../src/domain/types";

// ---------------------------------------------------------------- NIP

/** Independent reference implementation: weights 6,5,7,2,3,4,5,6,7, sum mod 11, 10 never valid. */
function referenceNipValid(digits: string): boolean {
  if (!/^\d{10}$/.test(digits)) return false;
  const w = [6, 5, 7, 2, 3, 4, 5, 6, 7];
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(digits[i]) * w[i];
  return sum % 11 !== 10 && sum % 11 === Number(digits[9]);
}

describe("NIP", () => {
  it("the well-known examples really are valid (checked by hand and by the reference algorithm)", () => {
    // 5261040828: 5*6+2*5+6*7+1*2+0*3+4*4+0*5+8*6+2*7 = 162; 162 mod 11 = 8 = last digit
    // 7251801126: 7*6+2*5+5*7+1*2+8*3+0*4+1*5+1*6+2*7 = 138; 138 mod 11 = 6 = last digit
    expect(referenceNipValid("5261040828")).toBe(true);
    expect(referenceNipValid("7251801126")).toBe(true);
    expect(nipChecksum("526104082")).toBe(8);
    expect(nipChecksum("725180112")).toBe(6);
  });

  it.each([
    ["526104082", "5261040828"],
    ["725180112", "7251801126"],
    ["123456788", "1234567883"],
    ["987654321", "9876543210"],
    ["111111111", "1111111111"],
    ["106000000", "1060000004"],
    ["123456789", null], // sum 230, 230 mod 11 = 10: no valid NIP starts with these digits
    ["12345678", null],
    ["1234567890", null],
    ["12345678a", null],
    ["", null],
  ])("completeNip(%j) = %j", (first9, expected) => {
    expect(completeNip(first9)).toBe(expected);
    if (expected) {
      expect(isValidNip(expected)).toBe(true);
      expect(referenceNipValid(expected)).toBe(true);
    }
  });

  it("every completed NIP of a sample of prefixes agrees with the reference algorithm", () => {
    let made = 0;
    for (let n = 100000000; n < 999999999; n += 7654321) {
      const first9 = String(n);
      const nip = completeNip(first9);
      if (nip === null) {
        expect(nipChecksum(first9)).toBe(10);
        continue;
      }
      made++;
      expect(isValidNip(nip)).toBe(true);
      expect(referenceNipValid(nip)).toBe(true);
      // every other last digit is a checksum error
      for (let d = 0; d <= 9; d++) {
        if (String(d) === nip[9]) continue;
        expect(checkNip(first9 + d)).toBe("checksum");
      }
    }
    expect(made).toBeGreaterThan(90);
  });

  it.each([
    // [input, problem (null = valid)]
    ["5261040828", null],
    ["7251801126", null],
    ["526-104-08-28", null],
    ["526 104 08 28", null],
    ["526-10-40-828", null],
    ["PL5261040828", null],
    ["pl5261040828", null],
    ["PL 526-104-08-28", null],
    ["  5261040828  ", null],
    ["725-180-11-26", null],
    // wrong checksum
    ["5261040829", "checksum"],
    ["5261040820", "checksum"],
    ["7251801127", "checksum"],
    ["1234567890", "checksum"], // first 9 digits give remainder 10
    ["5261040882", "checksum"], // two digits swapped
    // wrong length
    ["526104082", "format"],
    ["52610408281", "format"],
    ["", "format"],
    ["PL", "format"],
    // letters and other characters
    ["526104082A", "format"],
    ["ABCDEFGHIJ", "format"],
    ["526.104.08.28", "format"],
    ["526_104_08_28", "format"],
    ["DE5261040828", "format"],
    ["5261040828PL", "format"],
  ])("checkNip(%j) = %j", (input, problem) => {
    expect(checkNip(input)).toBe(problem);
    expect(isValidNip(input)).toBe(problem === null);
  });

  it.each([
    ["526-104-08-28", "5261040828"],
    ["PL 526 104 08 28", "5261040828"],
    ["pl-5261040828", "5261040828"],
    ["abc", "abc"],
    ["", ""],
  ])("normalizeNip(%j) = %j", (input, expected) => {
    expect(normalizeNip(input)).toBe(expected);
  });
});

// ---------------------------------------------------------------- coordinates

describe("parseLatLng", () => {
  it.each([
    ["object", { lat: 52.23, lng: 21.01 }, { lat: 52.23, lng: 21.01 }],
    ["object with extra keys", { lat: 52.23, lng: 21.01, accuracy: 5 }, { lat: 52.23, lng: 21.01 }],
    ["JSON string", '{"lat":52.23,"lng":21.01}', { lat: 52.23, lng: 21.01 }],
    ["JSON string with number strings", '{"lat":"52.23","lng":"21.01"}', { lat: 52.23, lng: 21.01 }],
    ["strings of numbers", { lat: "52.23", lng: " 21.01 " }, { lat: 52.23, lng: 21.01 }],
    ["box corner min", { lat: WARSAW_AREA.minLat, lng: WARSAW_AREA.minLng }, { lat: 51.95, lng: 20.6 }],
    ["box corner max", { lat: WARSAW_AREA.maxLat, lng: WARSAW_AREA.maxLng }, { lat: 52.55, lng: 21.5 }],
  ])("%s -> ok", (_case, input, expected) => {
    expect(parseLatLng(input, "coordinates")).toEqual({ value: expected, errors: [] });
  });

  it.each([
    // [case, input, error code]
    ["NaN lat", { lat: NaN, lng: 21 }, "invalid_coordinates"],
    ["Infinity lng", { lat: 52.2, lng: Infinity }, "invalid_coordinates"],
    ["missing lng", { lat: 52.2 }, "invalid_coordinates"],
    ["missing both", {}, "invalid_coordinates"],
    ["empty string lat", { lat: "", lng: 21 }, "invalid_coordinates"],
    ["blank string lat", { lat: "  ", lng: 21 }, "invalid_coordinates"],
    ["word lat", { lat: "north", lng: 21 }, "invalid_coordinates"],
    ["boolean lat", { lat: true, lng: 21 }, "invalid_coordinates"],
    ["null lat", { lat: null, lng: 21 }, "invalid_coordinates"],
    ["nested lat", { lat: { v: 52 }, lng: 21 }, "invalid_coordinates"],
    ["hex strings", { lat: "0x34", lng: "0x15" }, "invalid_coordinates"],
    ["exponent string", { lat: "5.22e1", lng: 21 }, "invalid_coordinates"],
    ["array", [52.2, 21.0], "invalid_coordinates"],
    ["JSON array", "[52.2, 21.0]", "invalid_coordinates"],
    ["null", null, "invalid_coordinates"],
    ["JSON null", "null", "invalid_coordinates"],
    ["undefined", undefined, "invalid_coordinates"],
    ["number", 52.2, "invalid_coordinates"],
    ["JSON number", "52.2", "invalid_coordinates"],
    ["malformed JSON", '{"lat": 52.2, "lng": }', "invalid_json"],
    ["comma text", "52.2, 21.0", "invalid_json"],
    ["empty string", "", "invalid_json"],
    ["Kraków", { lat: 50.06, lng: 19.94 }, "outside_service_area"],
    ["swapped lat/lng", { lat: 21.01, lng: 52.23 }, "outside_service_area"],
    ["zero island", { lat: 0, lng: 0 }, "outside_service_area"],
    ["just north of the box", { lat: 52.5501, lng: 21.0 }, "outside_service_area"],
    ["just east of the box", { lat: 52.2, lng: 21.5001 }, "outside_service_area"],
  ])("%s -> %s", (_case, input, code) => {
    const r = parseLatLng(input, "coordinates");
    expect(r.value).toBeUndefined();
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0].field).toBe("coordinates");
    expect(r.errors[0].code).toBe(code);
    expect(r.errors[0].message.startsWith("coordinates")).toBe(true);
  });

  it("names the given field in errors", () => {
    expect(parseLatLng({ lat: 50.06, lng: 19.94 }, "lastLocation").errors).toEqual([{
      field: "lastLocation",
      code: "outside_service_area",
      message: "lastLocation (50.06, 19.94) is outside the Warsaw service area (lat 51.95-52.55, lng 20.6-21.5).",
    }]);
    expect(parseLatLng("{", "lastLocation").errors[0]).toEqual({
      field: "lastLocation",
      code: "invalid_json",
      message: 'lastLocation must be a JSON object {"lat": number, "lng": number}.',
    });
    expect(parseLatLng({ lat: "x", lng: 1 }, "pos").errors[0].message).toBe("pos.lat and pos.lng must be numbers.");
  });
});

// ---------------------------------------------------------------- districts

const CENTRES: [string, number, number][] = [
  ["Bemowo", 52.2545, 20.911],
  ["Białołęka", 52.32, 20.985],
  ["Bielany", 52.29, 20.94],
  ["Mokotów", 52.193, 21.025],
  ["Ochota", 52.213, 20.975],
  ["Praga-Południe", 52.239, 21.08],
  ["Praga-Północ", 52.258, 21.033],
  ["Rembertów", 52.26, 21.155],
  ["Śródmieście", 52.231, 21.012],
  ["Targówek", 52.288, 21.05],
  ["Ursus", 52.195, 20.884],
  ["Ursynów", 52.144, 21.04],
  ["Wawer", 52.2, 21.17],
  ["Wesoła", 52.245, 21.225],
  ["Wilanów", 52.162, 21.09],
  ["Włochy", 52.19, 20.94],
  ["Wola", 52.237, 20.965],
  ["Żoliborz", 52.268, 20.985],
];

/** The point `km` from `p` on the initial bearing `deg` (spherical Earth, R = 6371 km). */
function destination(p: LatLng, km: number, deg: number): LatLng {
  const rad = Math.PI / 180;
  const d = km / 6371;
  const b = deg * rad;
  const lat1 = p.lat * rad;
  const lng1 = p.lng * rad;
  const lat2 = Math.asin(Math.sin(lat1) * Math.cos(d) + Math.cos(lat1) * Math.sin(d) * Math.cos(b));
  const lng2 = lng1 + Math.atan2(Math.sin(b) * Math.sin(d) * Math.cos(lat1), Math.cos(d) - Math.sin(lat1) * Math.sin(lat2));
  return { lat: lat2 / rad, lng: lng2 / rad };
}

describe("districts", () => {
  it("there are exactly the 18 districts of Warsaw", () => {
    expect(DISTRICT_NAMES).toEqual(CENTRES.map((c) => c[0]));
    expect(new Set(DISTRICT_NAMES).size).toBe(18);
  });

  it.each(CENTRES)("districtCentre(%s) = (%f, %f), nearest district of it is itself", (name, lat, lng) => {
    expect(districtCentre(name)).toEqual({ lat, lng });
    expect(nearestDistrict({ lat, lng }).name).toBe(name);
    expect(isDistrict(name)).toBe(true);
    expect(findDistrict(name)?.name).toBe(name);
    // the centre lies inside the service area
    expect(parseLatLng({ lat, lng }, "c").errors).toEqual([]);
  });

  it.each(DISTRICTS.map((d) => [d.name, d.radiusKm] as [string, number]))(
    "every point within the radius of %s (%f km) has it as the nearest district",
    (name, radiusKm) => {
      const centre = findDistrict(name)!.centre;
      for (let deg = 0; deg < 360; deg += 5) {
        const p = destination(centre, radiusKm, deg);
        expect(distanceKm(centre, p)).toBeCloseTo(radiusKm, 6);
        expect(nearestDistrict(p).name).toBe(name);
      }
    },
  );

  it("districtCentre returns a copy", () => {
    const c = districtCentre("Wola")!;
    c.lat = 0;
    expect(districtCentre("Wola")).toEqual({ lat: 52.237, lng: 20.965 });
  });

  it.each(["", "Warszawa", "wola", "Srodmiescie", "WILANÓW", "toString", "__proto__", "constructor"])(
    "unknown district %j",
    (name) => {
      expect(districtCentre(name)).toBeUndefined();
      expect(findDistrict(name)).toBeUndefined();
      expect(isDistrict(name)).toBe(false);
    },
  );

  it.each([
    [{ lat: 52.231, lng: 21.012 }, { lat: 52.231, lng: 21.012 }, 0, 0],
    // Śródmieście -> Wilanów centres: about 9.3 km
    [{ lat: 52.231, lng: 21.012 }, { lat: 52.162, lng: 21.09 }, 8, 10],
    [{ lat: 52.162, lng: 21.09 }, { lat: 52.231, lng: 21.012 }, 8, 10],
    // one degree of latitude: 111.2 km
    [{ lat: 52, lng: 21 }, { lat: 53, lng: 21 }, 111.1, 111.3],
    // one degree of longitude at 52°N: 111.2 * cos(52°) = 68.5 km
    [{ lat: 52, lng: 21 }, { lat: 52, lng: 22 }, 68.3, 68.6],
    // Warsaw -> Kraków about 252 km
    [{ lat: 52.2297, lng: 21.0122 }, { lat: 50.0647, lng: 19.945 }, 250, 254],
  ])("distanceKm(%o, %o) in [%f, %f]", (a, b, min, max) => {
    const d = distanceKm(a, b);
    expect(d).toBeGreaterThanOrEqual(min);
    expect(d).toBeLessThanOrEqual(max);
  });

  it("Śródmieście to Wilanów is 9.33 km", () => {
    expect(distanceKm(districtCentre("Śródmieście")!, districtCentre("Wilanów")!)).toBeCloseTo(9.334, 2);
  });

  it.each([
    [{ lat: 52.2297, lng: 21.0122 }, "Śródmieście"], // Palace of Culture
    [{ lat: 52.1650, lng: 21.0900 }, "Wilanów"], // Wilanów Palace area
    [{ lat: 52.1400, lng: 21.0450 }, "Ursynów"],
    [{ lat: 52.40, lng: 21.40 }, "Wesoła"], // far north-east: still a nearest centre
  ])("nearestDistrict(%o) = %s", (p, name) => {
    expect(nearestDistrict(p).name).toBe(name);
  });
});

// ---------------------------------------------------------------- Warsaw time

describe("warsawOffsetMinutes / warsawParts", () => {
  it.each([
    // [instant, offset, year, month, day, hour, minute, weekday]
    ["2026-01-15T12:00:00.000Z", 60, 2026, 1, 15, 13, 0, 4],
    ["2026-07-15T12:00:00.000Z", 120, 2026, 7, 15, 14, 0, 3],
    // spring forward: 29 Mar 2026 01:00Z, local 02:00 CET -> 03:00 CEST
    ["2026-03-29T00:59:59.999Z", 60, 2026, 3, 29, 1, 59, 0],
    ["2026-03-29T01:00:00.000Z", 120, 2026, 3, 29, 3, 0, 0],
    ["2026-03-28T23:30:00.000Z", 60, 2026, 3, 29, 0, 30, 0],
    // fall back: 25 Oct 2026 01:00Z, local 03:00 CEST -> 02:00 CET
    ["2026-10-25T00:59:59.999Z", 120, 2026, 10, 25, 2, 59, 0],
    ["2026-10-25T01:00:00.000Z", 60, 2026, 10, 25, 2, 0, 0],
    ["2026-10-24T22:30:00.000Z", 120, 2026, 10, 25, 0, 30, 0],
    // 2025 switches: 30 Mar and 26 Oct
    ["2025-03-30T00:59:00.000Z", 60, 2025, 3, 30, 1, 59, 0],
    ["2025-03-30T01:00:00.000Z", 120, 2025, 3, 30, 3, 0, 0],
    ["2025-10-26T00:59:00.000Z", 120, 2025, 10, 26, 2, 59, 0],
    ["2025-10-26T01:00:00.000Z", 60, 2025, 10, 26, 2, 0, 0],
    // New Year in Warsaw comes an hour before UTC
    ["2025-12-31T23:30:00.000Z", 60, 2026, 1, 1, 0, 30, 4],
    // day boundaries in summer
    ["2026-06-30T22:00:00.000Z", 120, 2026, 7, 1, 0, 0, 3],
    ["2026-06-30T21:59:00.000Z", 120, 2026, 6, 30, 23, 59, 2],
  ])("%s: offset %i, local %i-%i-%i %i:%i weekday %i", (iso, offset, year, month, day, hour, minute, weekday) => {
    const at = new Date(iso);
    expect(warsawOffsetMinutes(at)).toBe(offset);
    expect(warsawParts(at)).toEqual({ year, month, day, hour, minute, weekday });
  });

  it.each([
    ["2026-04-30T21:30:00Z", true], // 30 Apr 23:30 Warsaw
    ["2026-04-30T22:30:00Z", false], // 1 May 00:30 Warsaw
    ["2026-09-30T21:30:00Z", false], // 30 Sep 23:30 Warsaw
    ["2026-09-30T22:30:00Z", true], // 1 Oct 00:30 Warsaw
    ["2026-01-15T12:00:00Z", true],
    ["2026-03-15T12:00:00Z", true],
    ["2026-05-15T12:00:00Z", false],
    ["2026-08-15T12:00:00Z", false],
    ["2026-11-15T12:00:00Z", true],
  ])("isHeatingSeason(%s) = %s", (iso, season) => {
    expect(isHeatingSeason(new Date(iso))).toBe(season);
  });
});

describe("parseTimestamp / toPbDate", () => {
  it.each([
    ["2025-01-02 10:00:00.000Z", Date.UTC(2025, 0, 2, 10, 0, 0, 0)],
    ["2025-01-02 10:00:00Z", Date.UTC(2025, 0, 2, 10, 0, 0, 0)],
    ["2025-01-02 10:00:00.123Z", Date.UTC(2025, 0, 2, 10, 0, 0, 123)],
    ["2025-01-02 10:00:00.5Z", Date.UTC(2025, 0, 2, 10, 0, 0, 500)],
    ["2025-01-02 10:00:00.123456789Z", Date.UTC(2025, 0, 2, 10, 0, 0, 123)],
    ["2025-01-02T10:00:00.000Z", Date.UTC(2025, 0, 2, 10, 0, 0, 0)],
    ["2025-01-02T10:00:00Z", Date.UTC(2025, 0, 2, 10, 0, 0, 0)],
    ["2025-01-02T10:00Z", Date.UTC(2025, 0, 2, 10, 0, 0, 0)],
    ["2025-01-02T10:00:00", Date.UTC(2025, 0, 2, 10, 0, 0, 0)], // no zone: UTC, like PocketBase
    ["2025-06-02T10:00:00+02:00", Date.UTC(2025, 5, 2, 8, 0, 0, 0)],
    ["2025-06-02T10:00:00+0200", Date.UTC(2025, 5, 2, 8, 0, 0, 0)],
    ["2025-06-02T01:00:00+02:00", Date.UTC(2025, 5, 1, 23, 0, 0, 0)],
    ["2025-06-02T10:00:00-05:30", Date.UTC(2025, 5, 2, 15, 30, 0, 0)],
    ["2025-06-02 10:00:00 +01:00", Date.UTC(2025, 5, 2, 9, 0, 0, 0)],
    ["2025-01-02", Date.UTC(2025, 0, 2)],
    ["  2025-01-02 10:00:00.000Z  ", Date.UTC(2025, 0, 2, 10, 0, 0, 0)],
    ["2024-02-29", Date.UTC(2024, 1, 29)],
    ["2025-12-31 23:59:59.999Z", Date.UTC(2025, 11, 31, 23, 59, 59, 999)],
    ["1970-01-01 00:00:00.000Z", 0],
    ["0050-06-01", new Date("0050-06-01T00:00:00Z").getTime()], // not 1950
  ])("parseTimestamp(%j) = %i", (input, expected) => {
    expect(parseTimestamp(input)).toBe(expected);
  });

  it("agrees with Date.parse on ISO strings", () => {
    for (const iso of ["2025-06-02T10:00:00+02:00", "2025-01-02T10:00:00.000Z", "2026-10-25T01:00:00.000Z"]) {
      expect(parseTimestamp(iso)).toBe(Date.parse(iso));
    }
  });

  it.each([
    "", "garbage", "2025-02-30", "2025-02-29", "2025-13-01", "2025-00-10", "2025-04-31", "2025-01-00",
    "2025-01-02 24:00:00Z", "2025-01-02 10:60:00Z", "2025-01-02 10:00:60Z", "2025-1-2", "25-01-02",
    "2025/01/02", "2025-01-02T10", "2025-01-02 10:00:00.000ZZ", "2025-01-02 10:00:00 CET", "02.01.2025",
    "2025-01-02T10:00:00+2", "not 2025-01-02",
  ])("parseTimestamp(%j) is NaN", (input) => {
    expect(parseTimestamp(input)).toBeNaN();
  });

  it.each([null, undefined, 1735812000000, {}, [], new Date(0)])("parseTimestamp(non-string %j) is NaN", (input) => {
    expect(parseTimestamp(input)).toBeNaN();
  });

  it.each([
    [Date.UTC(2025, 0, 2, 10, 0, 0, 0), "2025-01-02 10:00:00.000Z"],
    [Date.UTC(2026, 9, 25, 1, 2, 3, 45), "2026-10-25 01:02:03.045Z"],
    [0, "1970-01-01 00:00:00.000Z"],
  ])("toPbDate(%i) = %j and parses back", (ms, text) => {
    expect(toPbDate(ms)).toBe(text);
    expect(parseTimestamp(toPbDate(ms))).toBe(ms);
  });

  it("round-trips arbitrary instants", () => {
    for (let ms = Date.UTC(2024, 0, 1); ms < Date.UTC(2027, 0, 1); ms += 86_400_000 * 13 + 3_600_000 * 7 + 61_001) {
      expect(parseTimestamp(toPbDate(ms))).toBe(ms);
    }
  });
});

// ---------------------------------------------------------------- contacts and alerts

describe("defaultAffluence", () => {
  it.each([
    ["Wilanów", "house", 98],
    ["Wilanów", "apartment", 86],
    ["Wilanów", "commercial", 92],
    ["Praga-Północ", "apartment", 42],
    ["Praga-Północ", "house", 54],
    ["Śródmieście", "commercial", 82],
    ["Rembertów", "apartment", 48],
    ["Mokotów", "unknown-type", 74],
    ["Mokotów", "", 74],
    ["Nowhere", "apartment", 50],
    ["", "house", 62],
    ["Nowhere", "commercial", 56],
    ["Wilanów", "constructor", 86],
    ["Wilanów", "toString", 86],
  ])("defaultAffluence(%j, %j) = %i", (district, type, expected) => {
    expect(defaultAffluence(district, type)).toBe(expected);
  });

  it("a house in Wilanów scores higher than a flat in Praga-Północ", () => {
    expect(defaultAffluence("Wilanów", "house")).toBeGreaterThan(defaultAffluence("Praga-Północ", "apartment"));
  });

  it("stays within 0-100 for every district and property type", () => {
    for (const d of [...DISTRICT_NAMES, "Nowhere"]) {
      for (const t of ["apartment", "house", "commercial", "other"]) {
        const v = defaultAffluence(d, t);
        expect(Number.isInteger(v)).toBe(true);
        expect(v).toBeGreaterThanOrEqual(0);
        expect(v).toBeLessThanOrEqual(100);
      }
    }
  });
});

describe("alerts", () => {
  it.each([
    [[], ["dispatcher", "manager"]],
    [["t1"], ["dispatcher", "manager", "t1"]],
    [["t2", "t1", "t2"], ["dispatcher", "manager", "t1", "t2"]],
    [["b", "", "a", "b", "a"], ["dispatcher", "manager", "a", "b"]],
    [["zz9", "AA1", "m5"], ["dispatcher", "manager", "AA1", "m5", "zz9"]],
  ])("alertTargets(%j) = %j", (ids, expected) => {
    expect(alertTargets(ids)).toEqual(expected);
  });

  it("does not modify its input", () => {
    const ids = ["t2", "t1"];
    alertTargets(ids);
    expect(ids).toEqual(["t2", "t1"]);
  });

  it.each([
    [null, "urgent", true],
    [null, "high", false],
    ["low", "urgent", true],
    ["medium", "urgent", true],
    ["high", "urgent", true],
    ["urgent", "urgent", false],
    ["urgent", "high", false],
    ["high", "high", false],
    ["low", "medium", false],
  ] as [Priority | null, Priority, boolean][])("becameUrgent(%s -> %s) = %s", (prev, next, expected) => {
    expect(becameUrgent(prev, next)).toBe(expected);
  });


});

describe("strictNumber and parsePoint", () => {
  it.each([
    [52.2, 52.2], ["52.2", 52.2], [" -3 ", -3], ["0x34", undefined], [true, undefined], ["", undefined],
    ["1e3", undefined], [NaN, undefined], [null, undefined], [[12], undefined],
  ])("strictNumber(%j) -> %j", (input, expected) => {
    expect(strictNumber(input)).toBe(expected);
  });

  it.each([
    // [lat, lng, fields with errors]
    [52.2, 21.0, []],
    [52.2, undefined, ["lng"]],
    [52.2, "abc", ["lng"]],
    ["abc", 21.0, ["lat"]],
    [undefined, undefined, ["lat", "lng"]],
    [50.0, 21.0, ["lat"]],
    [52.2, 19.9, ["lng"]],
    [0, 0, ["lat", "lng"]],
  ])("parsePoint(%j, %j) errors on %j", (lat, lng, fields) => {
    const r = parsePoint(lat, lng);
    expect(r.errors.map((e) => e.field)).toEqual(fields);
    expect(r.value === undefined).toBe(fields.length > 0);
  });
});
