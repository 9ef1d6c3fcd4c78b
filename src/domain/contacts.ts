import { findDistrict } from "./districts";
import type { PropertyType } from "./types";

const PROPERTY_ADJUST: Record<PropertyType, number> = { apartment: 0, house: 12, commercial: 6 };

/**
 * Default affluence score 0-100 when none was given: the district's baseline adjusted for the
 * property type (a house in Wilanów scores higher than a flat in Praga-Północ).
 */
export function defaultAffluence(district: string, propertyType: string): number {
  const base = findDistrict(district)?.affluence ?? 50;
  const adjust = Object.prototype.hasOwnProperty.call(PROPERTY_ADJUST, propertyType)
    ? PROPERTY_ADJUST[propertyType as PropertyType]
    : 0;
  return Math.max(0, Math.min(100, base + adjust));
}
