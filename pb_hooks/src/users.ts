// users: only admins and managers change roles, districts and skills; lastLocation is written by
// the location endpoint only.
import { checkRawTypes } from "./guards";
import { changedKeys, failFields, forbidFields, queryRow, requestCtx } from "./pb";

const MANAGER_ONLY = ["role", "districts", "skills"];
const SERVER_ONLY = ["lastLocation"];
const LOCATION_BY_ENDPOINT = "lastLocation is set by POST /api/hvac/location, not edited directly.";

export function usersBeforeUpdate(e: core.RecordUpdateEvent): void {
  const ctx = requestCtx(e.httpContext);
  checkRawTypes(e.record!, ctx);
  const { actor, data } = ctx;
  if (actor.admin) return;
  const keys = changedKeys(data);
  // Nobody changes their own role: a manager could otherwise lock the firm out of management.
  if (keys.includes("role") && e.record!.getId() === actor.id && e.record!.getString("role") !== e.record!.originalCopy().getString("role")) {
    forbidFields(["role"], "You cannot change your own role; ask another manager or an admin.");
  }
  const serverOnly = keys.filter((k) => SERVER_ONLY.includes(k));
  if (serverOnly.length) forbidFields(serverOnly, LOCATION_BY_ENDPOINT);
  if (!actor.manager) {
    const forbidden = keys.filter((k) => MANAGER_ONLY.includes(k));
    if (forbidden.length) forbidFields(forbidden, "Only a manager can change roles, districts and skills.");
  }
}

export function usersBeforeCreate(e: core.RecordCreateEvent): void {
  const ctx = requestCtx(e.httpContext);
  checkRawTypes(e.record!, ctx);
  const { actor, data } = ctx;
  if (actor.admin) return;
  if (changedKeys(data).includes("lastLocation")) {
    forbidFields(["lastLocation"], LOCATION_BY_ENDPOINT);
  }
}

/** A technician with open work cannot be deleted: the jobs would lose their technician mid-way. */
export function usersBeforeDelete(e: core.RecordDeleteEvent): void {
  const id = e.record!.getId();
  const open = queryRow(
    "SELECT COUNT(*) AS n FROM jobs WHERE technicianId = {:id} AND status IN ('scheduled', 'in_progress')", { id }, { n: 0 },
  )?.n ?? 0;
  if (open > 0) {
    failFields([{ field: "id", code: "has_open_jobs", message: `Reassign this technician's ${open} scheduled or in-progress job(s) first.` }]);
  }
}
