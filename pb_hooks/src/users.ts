// users: only admins and managers change roles, districts and skills; lastLocation is written by
// the location endpoint only.
import { checkRawTypes } from "./guards";
import { changedKeys, failFields, forbidFields, requestCtx } from "./pb";

const MANAGER_ONLY = ["role", "districts", "skills"];
const SERVER_ONLY = ["lastLocation"];

export function usersBeforeUpdate(e: core.RecordUpdateEvent): void {
  const ctx = requestCtx(e.httpContext);
  checkRawTypes(e, ctx);
  const { actor, data } = ctx;
  if (actor.admin) return;
  const keys = changedKeys(data);
  // Nobody changes their own role: a manager could otherwise lock the firm out of management.
  if (keys.includes("role") && e.record!.getId() === actor.id && e.record!.getString("role") !== e.record!.originalCopy().getString("role")) {
    forbidFields(["role"], "You cannot change your own role; ask another manager or an admin.");
  }
  const serverOnly = keys.filter((k) => SERVER_ONLY.includes(k));
  if (serverOnly.length) forbidFields(serverOnly, "lastLocation is set by POST /api/hvac/location, not edited directly.");
  if (!actor.manager) {
    const forbidden = keys.filter((k) => MANAGER_ONLY.includes(k));
    if (forbidden.length) forbidFields(forbidden, "Only a manager can change roles, districts and skills.");
  }
}

export function usersBeforeCreate(e: core.RecordCreateEvent): void {
  const ctx = requestCtx(e.httpContext);
  checkRawTypes(e, ctx);
  const { actor, data } = ctx;
  if (actor.admin) return;
  if (changedKeys(data).includes("lastLocation")) {
    forbidFields(["lastLocation"], "lastLocation is set by POST /api/hvac/location, not edited directly.");
  }
}

/** A technician with open work cannot be deleted: the jobs would lose their technician mid-way. */
export function usersBeforeDelete(e: core.RecordDeleteEvent): void {
  const id = e.record!.getId();
  const open = $app.dao().findRecordsByFilter(
    "jobs", "technicianId = {:id} && (status = 'scheduled' || status = 'in_progress')", "", 0, 0, { id },
  ).length;
  if (open > 0) {
    failFields([{ field: "id", code: "has_open_jobs", message: `Reassign this technician's ${open} scheduled or in-progress job(s) first.` }]);
  }
}
