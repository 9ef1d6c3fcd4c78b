// The 18 districts (dzielnice) of Warsaw, spelled exactly as the city spells them.
// Centres are approximate geographic centres; `radiusKm` is a conservative radius around the centre
// that stays inside the district (used for demo data and for "nearest district" hints, not as borders).
// Every point within `radiusKm` of a centre has that district as its nearestDistrict(), i.e. each
// radius is less than half the distance to any other centre.

import type { LatLng } from "./types";

export interface District {
  name: string;
  centre: LatLng;
  radiusKm: number;
  /** Baseline affluence 0-100 used when a contact has no explicit score. */
  affluence: number;
}

export const DISTRICTS: readonly District[] = [
  { name: "Bemowo", centre: { lat: 52.2545, lng: 20.9110 }, radiusKm: 1.6, affluence: 58 },
  { name: "Białołęka", centre: { lat: 52.3200, lng: 20.9850 }, radiusKm: 2.2, affluence: 52 },
  { name: "Bielany", centre: { lat: 52.2900, lng: 20.9400 }, radiusKm: 1.8, affluence: 62 },
  { name: "Mokotów", centre: { lat: 52.1930, lng: 21.0250 }, radiusKm: 2.0, affluence: 74 },
  { name: "Ochota", centre: { lat: 52.2130, lng: 20.9750 }, radiusKm: 1.2, affluence: 63 },
  { name: "Praga-Południe", centre: { lat: 52.2390, lng: 21.0800 }, radiusKm: 1.7, affluence: 52 },
  { name: "Praga-Północ", centre: { lat: 52.2580, lng: 21.0330 }, radiusKm: 0.9, affluence: 42 },
  { name: "Rembertów", centre: { lat: 52.2600, lng: 21.1550 }, radiusKm: 1.3, affluence: 48 },
  { name: "Śródmieście", centre: { lat: 52.2310, lng: 21.0120 }, radiusKm: 1.3, affluence: 76 },
  { name: "Targówek", centre: { lat: 52.2880, lng: 21.0500 }, radiusKm: 1.5, affluence: 47 },
  { name: "Ursus", centre: { lat: 52.1950, lng: 20.8840 }, radiusKm: 1.1, affluence: 50 },
  { name: "Ursynów", centre: { lat: 52.1440, lng: 21.0400 }, radiusKm: 1.9, affluence: 70 },
  { name: "Wawer", centre: { lat: 52.2000, lng: 21.1700 }, radiusKm: 2.8, affluence: 62 },
  { name: "Wesoła", centre: { lat: 52.2450, lng: 21.2250 }, radiusKm: 1.6, affluence: 60 },
  { name: "Wilanów", centre: { lat: 52.1620, lng: 21.0900 }, radiusKm: 1.6, affluence: 86 },
  { name: "Włochy", centre: { lat: 52.1900, lng: 20.9400 }, radiusKm: 1.5, affluence: 56 },
  { name: "Wola", centre: { lat: 52.2370, lng: 20.9650 }, radiusKm: 1.3, affluence: 62 },
  { name: "Żoliborz", centre: { lat: 52.2680, lng: 20.9850 }, radiusKm: 0.9, affluence: 75 },
];

export const DISTRICT_NAMES: readonly string[] = DISTRICTS.map((d) => d.name);

const byName: Record<string, District> = {};
for (const d of DISTRICTS) byName[d.name] = d;

export function findDistrict(name: string): District | undefined {
  return Object.prototype.hasOwnProperty.call(byName, name) ? byName[name] : undefined;
}

export function isDistrict(name: unknown): name is string {
  return typeof name === "string" && findDistrict(name) !== undefined;
}

/**
 * A generous box around Warsaw and its commuter belt (Piaseczno, Marki, Ząbki, Pruszków...).
 * Locations outside it are almost certainly a GPS or typing error, not a service call.
 */
export const WARSAW_AREA = { minLat: 51.95, maxLat: 52.55, minLng: 20.6, maxLng: 21.5 } as const;

/** Great-circle distance in kilometres. */
export function distanceKm(a: LatLng, b: LatLng): number {
  const R = 6371;
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLng = (b.lng - a.lng) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * R * Math.asin(Math.min(1, Math.sqrt(h)));
}

export function nearestDistrict(p: LatLng): District {
  let best = DISTRICTS[0];
  let bestKm = Infinity;
  for (const d of DISTRICTS) {
    const km = distanceKm(p, d.centre);
    if (km < bestKm) {
      best = d;
      bestKm = km;
    }
  }
  return best;
}
