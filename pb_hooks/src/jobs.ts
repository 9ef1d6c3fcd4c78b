// jobs: defaults, priority rules, lifecycle, technician field limits (request hooks); an
// optimistic write lock that lets exactly one of racing writes through, emergency alerts and
// timeline events (model hooks); the overdue cron.
import { checkRawTypes } from "./guards";
import { alertTargets, becameUrgent } from "../../src/domain/alerts";
import { districtCentre, parseLatLng } from "../../src/domain/geo";
import {
  checkTransition, DEFAULT_DURATION_MIN, statusEffects, type FieldError,
} from "../../src/domain/lifecycle";
import { decidePriority, overdueEscalation, rank } from "../../src/domain/priority";
import { parseTimestamp, toPbDate } from "../../src/domain/time";
import { PRIORITIES, type EmergencyAlertData, type JobStatus, type JobType, type Priority } from "../../src/domain/types";
import {
  changedKeys, contactPlace, dateMs, Fields, queryRow, failFields, findById, forbidFields, given, nowMs, readJson, requestCtx, lazy, type ContactPlace, type Rec, type RequestCtx,
} from "./pb";

const TECHNICIAN_FIELDS = ["status", "actualDuration", "notes"];
const TECHNICIAN_MOVES: JobStatus[] = ["in_progress", "completed"];
/** What the priority rules read: a change to any of these re-runs them. */
const RULE_INPUT_FIELDS = ["title", "description", "type", "contactId"];

function checkTechnician(dao: daos.Dao, job: Fields, errors: FieldError[]): void {
  const id = job.str("technicianId");
  if (!id) return;
  const user = findById(dao, "users", id);
  if (!user || user.getString("role") !== "technician") {
    errors.push({ field: "technicianId", code: "not_a_technician", message: "technicianId must be a user with the technician role." });
  }
}

/** A job for a unit (the F-gas register) is at the unit's site: the unit's contact must be the job's. */
function checkJobEquipment(job: Fields, errors: FieldError[]): void {
  const unitId = job.str("equipmentId");
  if (!unitId) return;
  const unit = queryRow("SELECT contactId FROM equipment WHERE id = {:id} LIMIT 1", { id: unitId }, { contactId: "" });
  if (unit && unit.contactId !== job.str("contactId")) {
    errors.push({ field: "equipmentId", code: "contact_mismatch", message: "equipmentId must be a unit of the job's contact (the unit's contactId differs from contactId)." });
  }
}

function applyCoordinates(job: Fields, ctx: RequestCtx, contact: () => ContactPlace | null, contactChanged: boolean, errors: FieldError[]): void {
  if (given(ctx.data, "coordinates")) {
    const parsed = parseLatLng(ctx.data["coordinates"], "coordinates");
    if (parsed.errors.length) errors.push(...parsed.errors);
    else job.set("coordinates", parsed.value);
    return;
  }
  if (contactChanged || !readJson(job, "coordinates")) {
    const place = contact();
    const centre = place ? districtCentre(place.district) : undefined;
    if (centre) job.set("coordinates", centre);
  }
}

function applyLifecycle(job: Fields, from: JobStatus | null, ctx: RequestCtx, errors: FieldError[]): void {
  const to = job.str("status") as JobStatus;
  const problems = checkTransition(from, {
    status: to,
    technicianId: job.str("technicianId"),
    scheduledDate: job.str("scheduledDate"),
  });
  for (let i = 0; i < problems.length; i++) errors.push(problems[i]);
  if (errors.length || from === to || (to !== "in_progress" && to !== "completed")) return;
  // Only staff may back-date timestamps (e.g. entering yesterday's paper job card).
  const staff = ctx.actor.staff;
  const effects = statusEffects(
    from,
    to,
    {
      startedAt: dateMs(job, "startedAt"),
      completedDate: dateMs(job, "completedDate"),
      actualDuration: job.int("actualDuration"),
      estimatedDuration: job.int("estimatedDuration"),
    },
    {
      startedAt: staff && given(ctx.data, "startedAt"),
      completedDate: staff && given(ctx.data, "completedDate"),
      actualDuration: given(ctx.data, "actualDuration"),
    },
    nowMs(),
  );
  if (effects.startedAt) job.set("startedAt", effects.startedAt);
  if (effects.completedDate) job.set("completedDate", effects.completedDate);
  if (effects.actualDuration !== undefined) job.set("actualDuration", effects.actualDuration);
}

/** Work times must fit the status: none before work starts, completion after start. */
function checkWorkTimes(job: Fields, errors: FieldError[]): void {
  const status = job.str("status");
  const started = dateMs(job, "startedAt");
  const completed = dateMs(job, "completedDate");
  const notStarted = status === "pending" || status === "scheduled";
  if (notStarted && Number.isFinite(started)) {
    errors.push({ field: "startedAt", code: "set_by_lifecycle", message: "startedAt is recorded when the job starts (in_progress)." });
  }
  if ((notStarted || status === "in_progress") && Number.isFinite(completed)) {
    errors.push({ field: "completedDate", code: "set_by_lifecycle", message: "completedDate is recorded when the job is completed." });
  }
  if (notStarted && job.int("actualDuration") > 0) {
    errors.push({ field: "actualDuration", code: "set_by_lifecycle", message: "actualDuration is recorded once the job has started." });
  }
  if (Number.isFinite(started) && Number.isFinite(completed) && completed < started) {
    errors.push({ field: "completedDate", code: "before_start", message: "completedDate must not be earlier than startedAt." });
  }
}

function ruleInput(job: Fields, contact: () => ContactPlace | null) {
  const type = job.str("type");
  return {
    title: job.str("title"),
    description: job.str("description"),
    type,
    // The property type matters only to the commercial-repair rule.
    propertyType: type === "repair" ? contact()?.propertyType ?? "" : "",
    now: new Date(nowMs()),
  };
}

export function jobsBeforeCreate(e: core.RecordCreateEvent): void {
  const ctx = requestCtx(e.httpContext);
  const record = e.record as Rec;
  checkRawTypes(record, ctx);
  const job = new Fields(record);
  const dao = $app.dao();
  const errors: FieldError[] = [];

  if (!job.str("status")) job.set("status", "pending");
  const chosen = given(ctx.data, "priority");
  const requested = (chosen ? job.str("priority") : "medium") as Priority;
  if (!(job.int("estimatedDuration") > 0)) {
    job.set("estimatedDuration", DEFAULT_DURATION_MIN[job.str("type") as JobType] ?? 120);
  }
  // Bookkeeping fields are the server's: a new job starts with them empty.
  if (given(ctx.data, "overdueEscalatedAt", true)) job.set("overdueEscalatedAt", "");
  if (given(ctx.data, "writeLock", true)) job.set("writeLock", "");

  // Only default coordinates and the commercial-repair rule need the contact: read it on demand.
  const contact = lazy(() => contactPlace(job.str("contactId")));
  checkTechnician(dao, job, errors);
  checkJobEquipment(job, errors);
  applyCoordinates(job, ctx, contact, true, errors);
  applyLifecycle(job, null, ctx, errors);
  checkWorkTimes(job, errors);
  if (errors.length) failFields(errors);
  const decision = decidePriority(ruleInput(job, contact), requested, chosen);
  job.set("priority", decision.priority);
  job.set("priorityReason", decision.reason);
}

export function jobsBeforeUpdate(e: core.RecordUpdateEvent): void {
  const ctx = requestCtx(e.httpContext);
  const record = e.record as Rec;
  checkRawTypes(record, ctx);
  const job = new Fields(record);
  const before = new Fields(record.originalCopy());
  const dao = $app.dao();
  const errors: FieldError[] = [];
  const from = before.str("status") as JobStatus;
  const to = job.str("status") as JobStatus;

  if (!ctx.actor.staff) {
    const forbidden = changedKeys(ctx.data).filter((k) => !TECHNICIAN_FIELDS.includes(k));
    if (forbidden.length) {
      forbidFields(forbidden, `A technician may change only ${TECHNICIAN_FIELDS.join(", ")} of their own jobs.`);
    }
    if (to !== from && !TECHNICIAN_MOVES.includes(to)) {
      failFields([{ field: "status", code: "technician_move", message: `A technician can only start (in_progress) or complete (completed) a job; ask the dispatcher to move it to „${to}”.` }]);
    }
  }
  // Clients cannot write the cron's bookkeeping fields.
  if (given(ctx.data, "overdueEscalatedAt", true)) job.set("overdueEscalatedAt", before.str("overdueEscalatedAt"));
  job.set("writeLock", "");

  const contactChanged = before.str("contactId") !== job.str("contactId");
  const contact = lazy(() => contactPlace(job.str("contactId")));
  if (before.str("technicianId") !== job.str("technicianId")) checkTechnician(dao, job, errors);
  if (contactChanged || before.str("equipmentId") !== job.str("equipmentId")) checkJobEquipment(job, errors);
  if (!(PRIORITIES as readonly string[]).includes(job.str("priority"))) {
    errors.push({ field: "priority", code: "invalid_priority", message: `priority must be one of ${PRIORITIES.join(", ")}.` });
  }
  applyCoordinates(job, ctx, contact, contactChanged, errors);
  applyLifecycle(job, from, ctx, errors);
  checkWorkTimes(job, errors);
  if (errors.length) failFields(errors);

  // Rules re-run when their inputs change or a dispatcher picks a priority: a choice below what
  // the rules demand (a gas smell set to "low") is raised back, with the rule as the reason.
  const inputsChanged = RULE_INPUT_FIELDS.some((f) => before.str(f) !== job.str(f));
  const chosen = given(ctx.data, "priority") && job.str("priority") !== before.str("priority");
  if (inputsChanged || chosen) {
    const requested = job.str("priority") as Priority;
    const decision = decidePriority(ruleInput(job, contact), requested, chosen);
    job.set("priority", decision.priority);
    if (decision.rules.length) job.set("priorityReason", decision.reason);
    else if (chosen) job.set("priorityReason", rank(requested) < rank(before.str("priority")) ? "Obniżony przez dyspozytora" : "Priorytet ustawiony przez dyspozytora");
    else job.set("priorityReason", before.str("priorityReason"));
  } else {
    job.set("priorityReason", before.str("priorityReason"));
  }
  // A rescheduled job may become overdue again.
  if (before.str("scheduledDate") !== job.str("scheduledDate")) job.set("overdueEscalatedAt", "");

  // Fail early, with a clear answer, when someone saved the job since it was loaded.
  if (storedUpdated(record.getId()) !== before.str("updated")) throw conflict();
}

function conflict(): ApiError {
  return new ApiError(409, "This job was changed by someone else meanwhile. Reload it and try again.", {});
}

/** The committed `updated` of a job: the version a write must be based on. */
function storedUpdated(id: string): string {
  return queryRow("SELECT updated FROM jobs WHERE id = {:id} LIMIT 1", { id }, { updated: "" })?.updated ?? "";
}

// ---- model hooks: write lock, alerts, timeline ----

function saveEvent(dao: daos.Dao, fields: Record<string, unknown>): void {
  const events = dao.findCollectionByNameOrId("realtime_events");
  const event = new Record(events);
  for (const k of Object.keys(fields)) event.set(k, fields[k]);
  dao.saveRecord(event);
}

function createEmergencyAlert(dao: daos.Dao, job: Rec): void {
  const contact = findById(dao, "contacts", job.getString("contactId"));
  const district = contact ? contact.getString("district") : "";
  const techs = district
    ? dao.findRecordsByFilter("users", "role = 'technician' && districts:each ?= {:d}", "", 0, 0, { d: district })
    : [];
  const ids = techs.map((t) => t!.getId());
  if (job.getString("technicianId")) ids.push(job.getString("technicianId"));
  saveEvent(dao, {
    type: "emergency_alert",
    district,
    priority: "urgent",
    processed: false,
    jobId: job.getId(),
    targetUsers: alertTargets(ids),
    data: {
      jobId: job.getId(),
      title: job.getString("title"),
      address: contact ? contact.getString("address") : "",
      district,
      reason: job.getString("priorityReason"),
    } satisfies EmergencyAlertData,
  });
}

// On create the alert follows the insert, so a dashboard that opens the job on the alert finds it.
// (An after-hook cannot fail the request: a failure is logged, never thrown.)
export function jobsModelAfterCreate(e: core.ModelEvent): void {
  const job = e.model as Rec;
  if (!becameUrgent(null, job.getString("priority") as Priority)) return;
  try {
    createEmergencyAlert($app.dao(), job);
  } catch (err) {
    console.error(`emergency alert for new job ${job.getId()} failed: ${err}`);
  }
}

export const LOCK_STALE_MS = 30_000;

/**
 * Optimistic write lock. PocketBase 0.22 saves a record without a transaction, so the version a
 * request validated (originalCopy) can be stale by the time it is saved. The claim succeeds only
 * if the row is still at that version and nobody else holds the lock; the row's own save then
 * clears the lock (writeLock is "" in the saved model) and stamps a new `updated`. So exactly one
 * of several racing writes wins - one alert per escalation, no status moving backwards - and a
 * request that loads the row while a write is in flight cannot claim it either.
 */
function claimVersion(tx: daos.Dao, id: string, was: string): boolean {
  const now = nowMs();
  const token = `${toPbDate(now)}#${Math.random().toString(36).slice(2, 10)}`;
  const result = tx.db()
    .newQuery("UPDATE jobs SET writeLock = {:token} WHERE id = {:id} AND updated = {:was} AND (writeLock = '' OR writeLock < {:stale})")
    .bind({ id, was, token, stale: toPbDate(now - LOCK_STALE_MS) })
    .execute();
  return result.rowsAffected() === 1;
}

export function jobsModelBeforeUpdate(e: core.ModelEvent): void {
  const job = e.model as Rec;
  const before = job.originalCopy();
  const id = job.getId();
  const from = before.getString("status");
  const to = job.getString("status");
  const tech = job.getString("technicianId");
  const escalates = becameUrgent(before.getString("priority") as Priority, job.getString("priority") as Priority);
  const reassigned = before.getString("technicianId") !== tech;

  job.set("writeLock", ""); // the save releases the lock claimed below
  // The claim, the alert and the timeline entry commit together, just before the row is saved
  // (a subscriber may get the alert a moment before the job row shows the new priority).
  e.dao!.runInTransaction((tx) => {
    if (!claimVersion(tx, id, before.getString("updated"))) throw conflict();
    if (escalates) createEmergencyAlert(tx, job);
    if (from === to && !reassigned) return;
    // A timeline entry for the job page; targeted like the job itself.
    saveEvent(tx, {
      type: "job_update",
      priority: job.getString("priority"),
      processed: true,
      jobId: id,
      targetUsers: tech ? ["dispatcher", "manager", tech] : ["dispatcher", "manager"],
      data: {
        jobId: id,
        from: { status: from, technicianId: before.getString("technicianId") },
        to: { status: to, technicianId: tech },
      },
    });
  });
}

// ---- cron: overdue scheduled jobs go one level up, once ----

export function escalateOverdueJobs(now = nowMs()): number {
  const cutoff = toPbDate(now - 2 * 60 * 60 * 1000);
  const jobs = $app.dao().findRecordsByFilter(
    "jobs",
    "status = 'scheduled' && scheduledDate != '' && scheduledDate <= {:cutoff} && overdueEscalatedAt = ''",
    "scheduledDate",
    500,
    0,
    { cutoff },
  );
  let changed = 0;
  for (const found of jobs) {
    const job = found!;
    try {
      $app.dao().runInTransaction((tx) => {
        const fresh = tx.findRecordById("jobs", job.getId());
        const step = overdueEscalation(
          {
            status: fresh.getString("status"),
            priority: fresh.getString("priority") as Priority,
            scheduledAtMs: dateMs(fresh, "scheduledDate"),
            alreadyEscalated: !!fresh.getString("overdueEscalatedAt"),
          },
          now,
        );
        if (!step) return;
        // An urgent job cannot go higher: mark it handled and keep the reason that made it urgent.
        if (step.priority !== fresh.getString("priority")) {
          const earlier = fresh.getString("priorityReason");
          fresh.set("priority", step.priority);
          fresh.set("priorityReason", earlier ? `${earlier}; ${step.reason}` : step.reason);
        }
        fresh.set("overdueEscalatedAt", new Date(now).toISOString());
        tx.saveRecord(fresh);
        changed++;
      });
    } catch (err) {
      console.error(`overdue escalation failed for job ${job.getId()}: ${err}`);
    }
  }
  return changed;
}
