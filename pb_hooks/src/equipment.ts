// equipment (the F-gas register): the office's entries are checked at the request (known
// refrigerant, plausible charge, no future dates, no check before installation: 400 naming the
// field), and the computed columns - co2eTonnes, checkIntervalMonths, nextCheckDate, checkReason -
// are set at the MODEL level, on every save: API, Admin panel and our own hooks (a completed
// inspection job records the check and the unit's next date follows). Whatever a client sends for
// those four is overwritten. The rules are in src/domain/fgas.ts and fgas-register.ts.
import { warsawDayKey } from "../../src/domain/board";
import { refrigerantInfo } from "../../src/domain/fgas";
import { calendarDate, checkEquipment, computeEquipment, type EquipmentComputed, type EquipmentInput } from "../../src/domain/fgas-register";
import { checkRawTypes } from "./guards";
import { contactPlace, dateMs, failFields, forgetContact, nowMs, queryRow, requestCtx, type Rec } from "./pb";

const DATE_FIELDS = ["installDate", "lastLeakCheck", "lastLeakRepair"] as const;

function inputOf(record: Rec): EquipmentInput {
  const kg = Number(record.getString("chargeKg"));
  return {
    type: record.getString("type"),
    refrigerant: record.getString("refrigerant"),
    chargeKg: Number.isFinite(kg) ? kg : null,
    hermeticallySealed: record.getBool("hermeticallySealed"),
    leakDetector: record.getBool("leakDetector"),
    installDate: record.getString("installDate"),
    lastLeakCheck: record.getString("lastLeakCheck"),
    lastLeakRepair: record.getString("lastLeakRepair"),
  };
}

/** Apartments and houses are residential buildings (Art. 5(1) third subparagraph). */
function residentialType(propertyType: string): boolean {
  return propertyType === "apartment" || propertyType === "house";
}

function apply(record: Rec, c: EquipmentComputed): void {
  record.set("co2eTonnes", c.co2eTonnes);
  record.set("checkIntervalMonths", c.checkIntervalMonths);
  record.set("nextCheckDate", c.nextCheckDate ? `${c.nextCheckDate} 00:00:00.000Z` : "");
  record.set("checkReason", c.checkReason);
}

function beforeRequest(e: core.RecordCreateEvent | core.RecordUpdateEvent): void {
  const ctx = requestCtx(e.httpContext);
  const record = e.record as Rec;
  checkRawTypes(record, ctx);
  const errors = checkEquipment(inputOf(record), warsawDayKey(nowMs()));
  if (errors.length) failFields(errors);
}

export function equipmentBeforeCreate(e: core.RecordCreateEvent): void {
  beforeRequest(e);
}

export function equipmentBeforeUpdate(e: core.RecordUpdateEvent): void {
  beforeRequest(e);
}

/**
 * Every save of a unit (onModelBeforeCreate/Update): dates become calendar dates (the register
 * compares days), a known refrigerant is written as its designation ("r-410a" -> "R410A", so the
 * register lists and filters one spelling), and the four computed columns are recomputed.
 */
export function equipmentModelBeforeSave(e: core.ModelEvent): void {
  const record = e.model as Rec;
  const known = refrigerantInfo(record.getString("refrigerant"));
  if (known) record.set("refrigerant", known.code);
  for (const field of DATE_FIELDS) {
    const day = calendarDate(record.getString(field));
    record.set(field, day ? `${day} 00:00:00.000Z` : "");
  }
  const place = contactPlace(record.getString("contactId"));
  apply(record, computeEquipment({ ...inputOf(record), residential: residentialType(place?.propertyType ?? "") }));
}

/**
 * A completed inspection job linked to a unit is its leak check: the unit's lastLeakCheck becomes
 * the Warsaw calendar date of completedDate (never moved backwards), and the save above computes
 * the next check. Only on the move to completed (a later edit of the finished job leaves a date
 * the office corrected alone). Runs after the job is saved (onModelAfterCreate/Update of jobs), so
 * it cannot undo the job: a failure is logged.
 */
export function recordInspection(e: core.ModelEvent, created: boolean): void {
  const job = e.model as Rec;
  try {
    const unitId = job.getString("equipmentId");
    if (!unitId || job.getString("type") !== "inspection" || job.getString("status") !== "completed") return;
    // originalCopy() is the row as the request loaded it (PocketBase keeps it after the save).
    if (!created && job.originalCopy().getString("status") === "completed") return;
    const completed = dateMs(job, "completedDate");
    if (!Number.isFinite(completed)) return;
    const day = warsawDayKey(completed);
    const current = queryRow("SELECT lastLeakCheck FROM equipment WHERE id = {:id} LIMIT 1", { id: unitId }, { lastLeakCheck: "" });
    if (!current || calendarDate(current.lastLeakCheck) >= day) return;
    const dao = $app.dao();
    const unit = dao.findRecordById("equipment", unitId);
    unit.set("lastLeakCheck", `${day} 00:00:00.000Z`);
    dao.saveRecord(unit);
  } catch (err) {
    console.error(`recording the leak check of job ${job.getId()} on unit ${job.getString("equipmentId")} failed: ${err}`);
  }
}

/**
 * A customer's property type decides the residential exemption of their sealed units: after a
 * contact is saved, its units are recomputed and the changed ones saved. (After-hook: logged, never
 * thrown.)
 */
export function equipmentAfterContactUpdate(e: core.ModelEvent): void {
  const contact = e.model as Rec;
  try {
    const id = contact.getId();
    if (!queryRow("SELECT id FROM equipment WHERE contactId = {:id} LIMIT 1", { id }, { id: "" })) return;
    forgetContact(id);
    const residential = residentialType(contact.getString("propertyType"));
    const dao = $app.dao();
    for (const found of dao.findRecordsByFilter("equipment", "contactId = {:id}", "", 0, 0, { id })) {
      const unit = found!;
      const c = computeEquipment({ ...inputOf(unit), residential });
      const same = unit.getInt("checkIntervalMonths") === c.checkIntervalMonths
        && calendarDate(unit.getString("nextCheckDate")) === c.nextCheckDate
        && unit.getString("checkReason") === c.checkReason;
      if (!same) dao.saveRecord(unit);
    }
  } catch (err) {
    console.error(`recomputing the units of contact ${contact.getId()} failed: ${err}`);
  }
}
