import { findDistrict, WARSAW_AREA } from "./districts";
import type { FieldError } from "./lifecycle";
import type { LatLng } from "./types";

const DECIMAL = /^\s*-?\d+(\.\d+)?\s*$/;

/**
 * A finite number, or a plain decimal string ("52.23", as form posts send numbers); anything
 * else (booleans, "0x34", "1e3", "", null) is undefined. Number() alone would accept too much.
 */
export function strictNumber(value: unknown): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
  if (typeof value === "string" && DECIMAL.test(value)) return Number(value);
  return undefined;
}

function inBox(lat: number, lng: number): { lat: boolean; lng: boolean } {
  const a = WARSAW_AREA;
  return { lat: lat >= a.minLat && lat <= a.maxLat, lng: lng >= a.minLng && lng <= a.maxLng };
}

/**
 * Validates separate lat and lng values (a phone's GPS fix posted as {lat, lng}); each error
 * names the field that is wrong.
 */
export function parsePoint(latValue: unknown, lngValue: unknown): { value?: LatLng; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const lat = strictNumber(latValue);
  const lng = strictNumber(lngValue);
  if (lat === undefined) errors.push({ field: "lat", code: "invalid_number", message: "lat must be a number of degrees, e.g. 52.2297." });
  if (lng === undefined) errors.push({ field: "lng", code: "invalid_number", message: "lng must be a number of degrees, e.g. 21.0122." });
  if (lat === undefined || lng === undefined) return { errors };
  const a = WARSAW_AREA;
  const ok = inBox(lat, lng);
  if (!ok.lat) errors.push({ field: "lat", code: "outside_service_area", message: `lat ${lat} is outside the Warsaw service area (${a.minLat}-${a.maxLat}).` });
  if (!ok.lng) errors.push({ field: "lng", code: "outside_service_area", message: `lng ${lng} is outside the Warsaw service area (${a.minLng}-${a.maxLng}).` });
  return errors.length ? { errors } : { value: { lat, lng }, errors };
}

/**
 * Validates a {lat,lng} value from outside (API body, JSON field, phone GPS).
 * Returns the clean value or field errors naming `field`.
 */
export function parseLatLng(value: unknown, field: string): { value?: LatLng; errors: FieldError[] } {
  let v = value;
  if (typeof v === "string") {
    try {
      v = JSON.parse(v);
    } catch {
      return { errors: [{ field, code: "invalid_json", message: `${field} must be a JSON object {"lat": number, "lng": number}.` }] };
    }
  }
  if (v === null || typeof v !== "object" || Array.isArray(v)) {
    return { errors: [{ field, code: "invalid_coordinates", message: `${field} must be an object {"lat": number, "lng": number}.` }] };
  }
  const o = v as Record<string, unknown>;
  const lat = strictNumber(o.lat);
  const lng = strictNumber(o.lng);
  if (lat === undefined || lng === undefined) {
    return { errors: [{ field, code: "invalid_coordinates", message: `${field}.lat and ${field}.lng must be numbers.` }] };
  }
  const a = WARSAW_AREA;
  const ok = inBox(lat, lng);
  if (!ok.lat || !ok.lng) {
    return {
      errors: [{
        field,
        code: "outside_service_area",
        message: `${field} (${lat}, ${lng}) is outside the Warsaw service area (lat ${a.minLat}-${a.maxLat}, lng ${a.minLng}-${a.maxLng}).`,
      }],
    };
  }
  return { value: { lat, lng }, errors: [] };
}

/** Coordinates for a job with none: the centre of its contact's district. */
export function districtCentre(district: string): LatLng | undefined {
  const d = findDistrict(district);
  return d ? { lat: d.centre.lat, lng: d.centre.lng } : undefined;
}
