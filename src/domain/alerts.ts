import type { Priority } from "./types";

/** True when this write makes the job urgent (it was not urgent before, or it is new and urgent). */
export function becameUrgent(previous: Priority | null, next: Priority): boolean {
  return next === "urgent" && previous !== "urgent";
}

/**
 * Who receives an emergency alert: every dispatcher and manager (by role) and each technician
 * serving the district (by id). Ids are de-duplicated and sorted so the list is stable.
 */
export function alertTargets(technicianIdsServingDistrict: readonly string[]): string[] {
  const ids = Array.from(new Set(technicianIdsServingDistrict.filter(Boolean))).sort();
  return ["dispatcher", "manager", ...ids];
}
