// realtime_events: validation of staff-posted events, acknowledging alerts, technician locations
// (POST /api/hvac/location) and the daily prune of old location events.
import { nearestDistrict } from "../../src/domain/districts";
import { parsePoint, strictNumber } from "../../src/domain/geo";
import type { FieldError } from "../../src/domain/lifecycle";
import { ROLES } from "../../src/domain/types";
import { toPbDate } from "../../src/domain/time";
import { checkRawTypes } from "./guards";
import { changedKeys, failFields, forbidFields, given, nowMs, queryRow, readJson, requestCtx, type Rec } from "./pb";

const ID = /^[a-z0-9]{15}$/;
const STAFF_TYPES = ["message", "emergency_alert", "job_update"];

export function eventsBeforeCreate(e: core.RecordCreateEvent): void {
  const ctx = requestCtx(e.httpContext);
  checkRawTypes(e.record!, ctx);
  const { actor, data } = ctx;
  const record = e.record as Rec;
  const errors: FieldError[] = [];
  if (!actor.admin && !STAFF_TYPES.includes(record.getString("type"))) {
    errors.push({ field: "type", code: "use_location_endpoint", message: "Technician locations are posted to POST /api/hvac/location." });
  }
  if (given(data, "data")) {
    const value = readJson<unknown>(record, "data");
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
      errors.push({ field: "data", code: "invalid_data", message: "data must be a JSON object." });
    }
  } else {
    record.set("data", {});
  }
  if (given(data, "targetUsers")) {
    const targets = readJson<unknown>(record, "targetUsers");
    const ok = Array.isArray(targets) && targets.length > 0 &&
      targets.every((t) => typeof t === "string" && (t === "all" || (ROLES as readonly string[]).includes(t) || ID.test(t)));
    if (!ok) {
      errors.push({ field: "targetUsers", code: "invalid_targets", message: 'targetUsers must be a non-empty list of user ids, role names or "all".' });
    }
  } else {
    record.set("targetUsers", ["all"]);
  }
  if (errors.length) failFields(errors);
  if (!actor.admin) {
    record.set("processed", false);
    record.set("acknowledgedBy", "");
    record.set("acknowledgedAt", "");
  }
}

/** Non-admins may only acknowledge: {"processed": true}. Who and when are recorded here. */
export function eventsBeforeUpdate(e: core.RecordUpdateEvent): void {
  const ctx = requestCtx(e.httpContext);
  checkRawTypes(e.record!, ctx);
  const { actor, data } = ctx;
  const record = e.record as Rec;
  const before = record.originalCopy();
  if (!actor.admin) {
    const forbidden = changedKeys(data).filter((k) => k !== "processed");
    if (forbidden.length) forbidFields(forbidden, 'Events can only be acknowledged: send {"processed": true}.');
    if (!record.getBool("processed")) {
      const message = before.getBool("processed")
        ? "An acknowledged event stays acknowledged."
        : 'To acknowledge, send {"processed": true}.';
      failFields([{ field: "processed", code: "acknowledge_only", message }]);
    }
    // An emergency alert disappears from every dispatcher's list once acknowledged, so among
    // technicians only the one assigned to the job may acknowledge it.
    if (!actor.staff && record.getString("type") === "emergency_alert" && !before.getBool("processed")) {
      const job = queryRow("SELECT technicianId FROM jobs WHERE id = {:id} LIMIT 1", { id: record.getString("jobId") }, { technicianId: "" });
      if (!job || job.technicianId !== actor.id) {
        throw new ForbiddenError("Only a dispatcher or the technician assigned to the job can acknowledge this alert.", {});
      }
    }
  }
  if (record.getBool("processed") && !before.getBool("processed")) {
    record.set("acknowledgedBy", actor.id);
    record.set("acknowledgedAt", new Date(nowMs()).toISOString());
  } else if (!actor.admin) {
    record.set("processed", before.getBool("processed"));
    record.set("acknowledgedBy", before.getString("acknowledgedBy"));
    record.set("acknowledgedAt", before.getString("acknowledgedAt"));
  }
}

/** POST /api/hvac/location {lat, lng, accuracy?, userId?} for the logged-in technician. */
export function postLocation(c: echo.Context): void {
  const { actor, data } = requestCtx(c);
  if (actor.admin || actor.role !== "technician" || !actor.record) {
    throw new ForbiddenError("Only technicians post their location.", {});
  }
  if (given(data, "userId") && data["userId"] !== actor.id) {
    forbidFields(["userId"], "A technician can only post their own location.");
  }
  const parsed = parsePoint(data["lat"], data["lng"]);
  const errors: FieldError[] = parsed.errors.slice();
  let accuracy: number | undefined;
  if (given(data, "accuracy")) {
    accuracy = strictNumber(data["accuracy"]);
    if (accuracy === undefined || accuracy < 0 || accuracy > 100000) {
      errors.push({ field: "accuracy", code: "invalid_accuracy", message: "accuracy must be metres between 0 and 100000." });
    }
  }
  if (errors.length || !parsed.value) failFields(errors);
  const point = parsed.value!;
  const at = new Date(nowMs()).toISOString();
  const location: Record<string, unknown> = { lat: point.lat, lng: point.lng, at };
  if (accuracy !== undefined) location.accuracy = accuracy;
  let eventId = "";
  $app.dao().runInTransaction((tx) => {
    const user = tx.findRecordById("users", actor.id);
    user.set("lastLocation", location);
    tx.saveRecord(user);
    const event = new Record(tx.findCollectionByNameOrId("realtime_events"));
    event.set("type", "technician_location");
    event.set("userId", actor.id);
    event.set("processed", true);
    event.set("targetUsers", ["dispatcher", "manager"]);
    event.set("data", { ...location, userId: actor.id, name: user.getString("name"), nearestDistrict: nearestDistrict(point).name });
    tx.saveRecord(event);
    eventId = event.getId();
  });
  c.json(200, { eventId, lastLocation: location });
}

export const LOCATION_RETENTION_DAYS = 30;

/** Deletes technician_location events older than the retention; returns how many went. */
export function pruneLocationEvents(now = nowMs()): number {
  const cutoff = toPbDate(now - LOCATION_RETENTION_DAYS * 24 * 60 * 60 * 1000);
  const result = $app.dao().db()
    .newQuery("DELETE FROM realtime_events WHERE type = 'technician_location' AND created < {:cutoff}")
    .bind({ cutoff })
    .execute();
  return result.rowsAffected();
}
