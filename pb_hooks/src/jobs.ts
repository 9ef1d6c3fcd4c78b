// jobs: defaults, priority rules, lifecycle, technician field limits (request hooks), and the
// atomic side effects of a write - emergency alerts and timeline events (model hooks, inside the
// write's transaction so "exactly one alert per escalation" holds).
import { checkRawTypes } from "./guards";
import { alertData, alertTargets, becameUrgent } from "../../src/domain/alerts";
import { districtCentre, parseLatLng } from "../../src/domain/geo";
import {
  checkTransition, DEFAULT_DURATION_MIN, statusEffects, type FieldError,
} from "../../src/domain/lifecycle";
import { decidePriority, overdueEscalation, rank } from "../../src/domain/priority";
import { toPbDate } from "../../src/domain/time";
import type { JobStatus, JobType, Priority } from "../../src/domain/types";
import {
  changedKeys, contactPlace, dateMs, failFields, findById, forbidFields, given, nowMs, readJson, requestCtx, type ContactPlace, type Rec, type RequestCtx,
} from "./pb";

const TECHNICIAN_FIELDS = ["status", "actualDuration", "notes"];
const TECHNICIAN_MOVES: JobStatus[] = ["in_progress", "completed"];
const TEXT_FIELDS = ["title", "description", "type", "contactId"];

function checkTechnician(dao: daos.Dao, record: Rec, errors: FieldError[]): void {
  const id = record.getString("technicianId");
  if (!id) return;
  const user = findById(dao, "users", id);
  if (!user || user.getString("role") !== "technician") {
    errors.push({ field: "technicianId", code: "not_a_technician", message: "technicianId must be a user with the technician role." });
  }
}

function applyCoordinates(record: Rec, ctx: RequestCtx, contact: ContactPlace | null, contactChanged: boolean, errors: FieldError[]): void {
  if (given(ctx.data, "coordinates")) {
    const parsed = parseLatLng(ctx.data["coordinates"], "coordinates");
    if (parsed.errors.length) errors.push(...parsed.errors);
    else record.set("coordinates", parsed.value);
    return;
  }
  if ((contactChanged || !readJson(record, "coordinates")) && contact) {
    const centre = districtCentre(contact.district);
    if (centre) record.set("coordinates", centre);
  }
}

function applyLifecycle(record: Rec, from: JobStatus | null, ctx: RequestCtx, errors: FieldError[]): void {
  const to = record.getString("status") as JobStatus;
  errors.push(...checkTransition(from, {
    status: to,
    technicianId: record.getString("technicianId"),
    scheduledDate: record.getString("scheduledDate"),
  }));
  if (errors.length) return;
  // Only staff may back-date timestamps (e.g. entering yesterday's paper job card).
  const staff = ctx.actor.staff;
  const effects = statusEffects(
    from,
    to,
    {
      startedAt: dateMs(record, "startedAt"),
      completedDate: dateMs(record, "completedDate"),
      actualDuration: record.getInt("actualDuration"),
      estimatedDuration: record.getInt("estimatedDuration"),
    },
    {
      startedAt: staff && given(ctx.data, "startedAt"),
      completedDate: staff && given(ctx.data, "completedDate"),
      actualDuration: given(ctx.data, "actualDuration"),
    },
    nowMs(),
  );
  if (effects.startedAt) record.set("startedAt", effects.startedAt);
  if (effects.completedDate) record.set("completedDate", effects.completedDate);
  if (effects.actualDuration !== undefined) record.set("actualDuration", effects.actualDuration);
}

function applyPriority(record: Rec, contact: ContactPlace | null, requested: Priority, chosen: boolean): void {
  const decision = decidePriority(
    {
      title: record.getString("title"),
      description: record.getString("description"),
      type: record.getString("type"),
      propertyType: contact ? contact.propertyType : "",
      now: new Date(nowMs()),
    },
    requested,
    chosen,
  );
  record.set("priority", decision.priority);
  record.set("priorityReason", decision.reason);
}

export function jobsBeforeCreate(e: core.RecordCreateEvent): void {
  checkRawTypes(e);
  const ctx = requestCtx(e.httpContext);
  const record = e.record as Rec;
  const dao = $app.dao();
  const errors: FieldError[] = [];
  // A new job is pending or scheduled: work times are recorded when it starts and completes.
  for (const f of ["startedAt", "completedDate", "actualDuration"]) {
    if (given(ctx.data, f)) errors.push({ field: f, code: "set_by_lifecycle", message: `${f} is recorded when the job starts or completes, not on creation.` });
  }

  if (!record.getString("status")) record.set("status", "pending");
  const chosen = given(ctx.data, "priority");
  const requested = (chosen ? record.getString("priority") : "medium") as Priority;
  if (!(record.getInt("estimatedDuration") > 0)) {
    record.set("estimatedDuration", DEFAULT_DURATION_MIN[record.getString("type") as JobType] ?? 120);
  }
  record.set("overdueEscalatedAt", "");

  const contact = contactPlace(record.getString("contactId"));
  checkTechnician(dao, record, errors);
  applyCoordinates(record, ctx, contact, true, errors);
  applyLifecycle(record, null, ctx, errors);
  if (errors.length) failFields(errors);
  applyPriority(record, contact, requested, chosen);
}

export function jobsBeforeUpdate(e: core.RecordUpdateEvent): void {
  checkRawTypes(e);
  const ctx = requestCtx(e.httpContext);
  const record = e.record as Rec;
  const before = record.originalCopy();
  const dao = $app.dao();
  const errors: FieldError[] = [];
  const from = before.getString("status") as JobStatus;
  const to = record.getString("status") as JobStatus;

  if (!ctx.actor.staff) {
    const forbidden = changedKeys(ctx.data).filter((k) => !TECHNICIAN_FIELDS.includes(k));
    if (forbidden.length) {
      forbidFields(forbidden, `A technician may change only ${TECHNICIAN_FIELDS.join(", ")} of their own jobs.`);
    }
    if (to !== from && !TECHNICIAN_MOVES.includes(to)) {
      failFields([{ field: "status", code: "technician_move", message: `A technician can only start (in_progress) or complete (completed) a job; ask the dispatcher to move it to „${to}”.` }]);
    }
  }
  // Clients cannot write the cron's bookkeeping field.
  if (given(ctx.data, "overdueEscalatedAt", true)) record.set("overdueEscalatedAt", before.getString("overdueEscalatedAt"));

  const contactChanged = before.getString("contactId") !== record.getString("contactId");
  const contact = contactPlace(record.getString("contactId"));
  if (before.getString("technicianId") !== record.getString("technicianId")) checkTechnician(dao, record, errors);
  applyCoordinates(record, ctx, contact, contactChanged, errors);
  applyLifecycle(record, from, ctx, errors);
  if (errors.length) failFields(errors);

  const textChanged = TEXT_FIELDS.some((f) => before.getString(f) !== record.getString(f));
  const chosen = given(ctx.data, "priority");
  if (textChanged) {
    applyPriority(record, contact, record.getString("priority") as Priority, chosen);
  } else if (chosen && record.getString("priority") !== before.getString("priority")) {
    // A dispatcher's explicit change without new information stands, even a downgrade.
    const lowered = rank(record.getString("priority")) < rank(before.getString("priority"));
    record.set("priorityReason", lowered ? "Obniżony przez dyspozytora" : "Priorytet ustawiony przez dyspozytora");
  } else if (given(ctx.data, "priorityReason", true)) {
    record.set("priorityReason", before.getString("priorityReason"));
  }
}

// ---- model hooks: side effects inside the write's transaction ----

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
    data: alertData({
      jobId: job.getId(),
      title: job.getString("title"),
      address: contact ? contact.getString("address") : "",
      district,
      reason: job.getString("priorityReason"),
      contactName: contact ? contact.getString("name") : "",
      contactPhone: contact ? contact.getString("phone") : "",
    }),
  });
}

// On create the alert is written just before the job row: if the insert then failed, an alert
// would point at a missing job - preferred over the opposite risk of an urgent job without alert.
export function jobsModelBeforeCreate(e: core.ModelEvent): void {
  const job = e.model as Rec;
  if (becameUrgent(null, job.getString("priority") as Priority)) createEmergencyAlert(e.dao!, job);
}

/**
 * Claims a change of one column with a compare-and-set UPDATE: true for exactly one of several
 * racing writes. PocketBase 0.22 saves a record without a transaction, so the state a request
 * validated against (originalCopy) may be stale by the time it is written.
 */
function claim(tx: daos.Dao, id: string, sql: string, params: Record<string, string>): boolean {
  const result = tx.db().newQuery(sql).bind({ ...params, id }).execute();
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
  const moved = from !== to;
  if (!moved && !escalates && before.getString("technicianId") === tech) return;

  // The claims, the alert and the timeline entry commit together, before the record itself is saved.
  e.dao!.runInTransaction((tx) => {
    if (moved && !claim(tx, id, "UPDATE jobs SET status = {:to} WHERE id = {:id} AND status = {:from}", { from, to })) {
      throw new BadRequestError(`The job changed meanwhile (it is no longer „${from}”). Reload it and try again.`);
    }
    if (escalates && claim(tx, id, "UPDATE jobs SET priority = 'urgent' WHERE id = {:id} AND priority != 'urgent'", {})) {
      createEmergencyAlert(tx, job);
    }
    if (!moved && before.getString("technicianId") === tech) return;
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
          fresh.set("priority", step.priority);
          fresh.set("priorityReason", step.reason);
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
