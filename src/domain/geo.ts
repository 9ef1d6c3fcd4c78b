import { findDistrict, WARSAW_AREA } from "./districts";
import type { FieldError } from "./lifecycle";
import type { LatLng } from "./types";

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
  const lat = typeof o.lat === "string" && o.lat.trim() !== "" ? Number(o.lat) : o.lat;
  const lng = typeof o.lng === "string" && o.lng.trim() !== "" ? Number(o.lng) : o.lng;
  if (typeof lat !== "number" || typeof lng !== "number" || !Number.isFinite(lat) || !Number.isFinite(lng)) {
    return { errors: [{ field, code: "invalid_coordinates", message: `${field}.lat and ${field}.lng must be numbers.` }] };
  }
  const a = WARSAW_AREA;
  if (lat < a.minLat || lat > a.maxLat || lng < a.minLng || lng > a.maxLng) {
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
