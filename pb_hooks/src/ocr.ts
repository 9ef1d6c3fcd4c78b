// Reading uploads (invoices, equipment_photos): where each file's reading stands (ocrStatus and
// friends) and the two routes the OCR worker (src/ocr/worker.ts) works through. The queue's rules
// are src/domain/ocr-queue.ts; this file reads records and applies.
//
// - A new or replaced file is waiting to be read, unless staff send a reading with it (the
//   dashboard reads images in the browser): then it is done.
// - Staff may only ask for a (re)read: ocrStatus "waiting". The other ocr* fields are the worker's
//   (admins); technicians touch none of them (files.ts allows them upload fields only).
// - POST /api/hvac/ocr/claim hands out waiting records under a lease, in one transaction, so two
//   workers never read the same record; POST /api/hvac/ocr/finish applies a worker's answer only
//   while the record still has the file and the lease it was claimed with.
import type { FieldError } from "../../src/domain/lifecycle";
import {
  DOCUMENT_KIND_OF, finishRefusal, finishWrites, interruptedText, parseClaimRequest, parseFinishRequest, READING_FIELD,
  type ClaimedDocument, type FinishRefusal, type OcrCollection, type RecordOcrState,
} from "../../src/domain/ocr-queue";
import { INVOICE_COLUMNS, parseStoredReading, type InvoiceColumns, type StoredReading } from "../../src/domain/ocr-record";
import { toPbDate } from "../../src/domain/time";
import { changedKeys, failFields, forbidFields, nowMs, readJson, requestCtx, type Rec, type RequestCtx } from "./pb";

/** Written only by the worker (admins). */
const WORKER_FIELDS = ["ocrError", "ocrAttempts", "ocrLeaseUntil", "ocrReadAt"];

function uploadedFile(e: core.RecordCreateEvent | core.RecordUpdateEvent): boolean {
  const files = (e.uploadedFiles as unknown as Record<string, filesystem.File[] | undefined>)["file"];
  return !!(files && files.length);
}

/** A JSON value from a request as plain JS (a JSON body arrives as Go maps, a multipart one as text). */
function plainJson(value: unknown): { ok: boolean; value: unknown } {
  if (typeof value === "string") {
    if (!value.trim()) return { ok: true, value: null };
    try {
      return { ok: true, value: JSON.parse(value) };
    } catch {
      return { ok: false, value: null };
    }
  }
  if (value === null || value === undefined) return { ok: true, value: null };
  try {
    return { ok: true, value: JSON.parse(JSON.stringify(value)) };
  } catch {
    return { ok: false, value: null };
  }
}

function queue(record: Rec, fields: Record<string, unknown>): void {
  const keys = Object.keys(fields);
  for (let i = 0; i < keys.length; i++) record.set(keys[i], fields[keys[i]]);
}

const WAITING = { ocrStatus: "waiting", ocrAttempts: 0, ocrError: "", ocrLeaseUntil: "" };

/**
 * The OCR fields of an upload on every create and update request (called by the files hook after
 * the technician and job checks).
 */
export function ocrBeforeWrite(e: core.RecordCreateEvent | core.RecordUpdateEvent, record: Rec, ctx: RequestCtx, created: boolean): void {
  const { actor, data } = ctx;
  const collection = record.collection().name as OcrCollection;
  const readingField = READING_FIELD[collection];
  const keys = changedKeys(data);
  const original = created ? null : record.originalCopy();

  if (!actor.admin) {
    const forbidden = WORKER_FIELDS.filter((f) => keys.indexOf(f) >= 0);
    if (forbidden.length) forbidFields(forbidden, "Only the OCR worker sets this; to read the file again set ocrStatus to waiting.");
  }

  const errors: FieldError[] = [];
  // A reading sent by the dashboard (read in the browser), checked like the worker's. One whose
  // readAt is the stored reading's is not new (a form sending the record back as it was).
  let newReading: StoredReading | null = null;
  if (keys.indexOf(readingField) >= 0) {
    const sent = plainJson(data[readingField]);
    const parsed = parseStoredReading(sent.ok ? sent.value : undefined, readingField, DOCUMENT_KIND_OF[collection]);
    const stored = original ? readJson<{ readAt?: unknown }>(original, readingField) : null;
    if (parsed.value) {
      if (!stored || stored.readAt !== parsed.value.readAt) newReading = parsed.value;
      record.set(readingField, parsed.value);
    } else if (!actor.admin) {
      // (Admins may store anything, e.g. the Admin panel sending a record back.)
      for (let i = 0; i < parsed.errors.length; i++) errors.push(parsed.errors[i]);
    }
  }

  const hasFile = record.getString("file") !== "";
  if (keys.indexOf("ocrStatus") >= 0 && !actor.admin) {
    const wanted = String(data["ocrStatus"] ?? "");
    const unchanged = original !== null && wanted === original.getString("ocrStatus");
    if (wanted === "waiting") {
      if (!hasFile) errors.push({ field: "ocrStatus", code: "no_file", message: "There is no file to read." });
      else queue(record, WAITING);
    } else if (!unchanged && !(wanted === "done" && newReading)) {
      errors.push({ field: "ocrStatus", code: "ocr_status_forbidden", message: 'ocrStatus can only be set to "waiting" (read the file again); the OCR worker sets the rest.' });
    }
  }
  if (errors.length) failFields(errors);

  const fileRemoved = original !== null && !hasFile && original.getString("file") !== "";
  if (uploadedFile(e) || (created && hasFile)) {
    // A new file: its reading came with it, or it waits for the worker (the stored reading, of
    // the file before, stays until the new one is read).
    if (newReading) queue(record, { ocrStatus: "done", ocrReadAt: toPbDate(nowMs()), ocrAttempts: 0, ocrError: "", ocrLeaseUntil: "" });
    else queue(record, WAITING);
  } else if (fileRemoved) {
    queue(record, { ocrStatus: "", ocrAttempts: 0, ocrError: "", ocrLeaseUntil: "" });
  } else if (newReading && hasFile) {
    queue(record, { ocrStatus: "done", ocrReadAt: toPbDate(nowMs()), ocrError: "", ocrLeaseUntil: "" });
  }
}

// ---------------------------------------------------------------------------------------------
// The worker's routes (admins only)

/** POST /api/hvac/ocr/claim {collection, limit, leaseSeconds, maxAttempts}: oldest waiting records first. */
export function ocrClaim(c: echo.Context): void {
  const { data } = requestCtx(c);
  const parsed = parseClaimRequest(data);
  if (!parsed.value) failFields(parsed.errors);
  const req = parsed.value!;
  const now = nowMs();
  const nowPb = toPbDate(now);
  const lease = toPbDate(now + req.leaseSeconds * 1000);
  const claimed: ClaimedDocument[] = [];
  const failed: Array<{ id: string; error: string }> = [];
  // One transaction: PocketBase runs write transactions one at a time, so a record a concurrent
  // claim has just taken is no longer waiting (or its lease is fresh) when this one looks.
  $app.dao().runInTransaction((tx) => {
    const rows = arrayOf(new DynamicModel({ id: "" })) as unknown as Array<{ id: string }>;
    // The collection name is one of two known ones (checked above), never request text.
    tx.db()
      .newQuery(
        `SELECT id FROM ${req.collection} WHERE ocrStatus IN ('waiting', 'reading') AND file != '' ` +
          "AND (ocrLeaseUntil IS NULL OR ocrLeaseUntil = '' OR ocrLeaseUntil < {:now}) ORDER BY created, id LIMIT {:limit}",
      )
      .bind({ now: nowPb, limit: req.limit })
      .all(rows);
    for (let i = 0; i < rows.length; i++) {
      const record = tx.findRecordById(req.collection, rows[i].id);
      const attempts = record.getInt("ocrAttempts");
      if (record.getString("ocrStatus") === "reading" && attempts >= req.maxAttempts) {
        // Its reader died on it every time: do not hand it out again.
        const error = interruptedText(attempts);
        queue(record, { ocrStatus: "failed", ocrError: error, ocrLeaseUntil: "" });
        tx.saveRecord(record);
        failed.push({ id: record.getId(), error });
        continue;
      }
      queue(record, { ocrStatus: "reading", ocrLeaseUntil: lease, ocrAttempts: attempts + 1 });
      tx.saveRecord(record);
      claimed.push({ collection: req.collection, id: record.getId(), file: record.getString("file"), attempts: attempts + 1, lease: record.getString("ocrLeaseUntil") });
    }
  });
  c.json(200, { claimed, failed });
}

function ocrState(record: Rec, collection: OcrCollection): RecordOcrState {
  const state: RecordOcrState = {
    file: record.getString("file"),
    ocrStatus: record.getString("ocrStatus"),
    ocrLeaseUntil: record.getString("ocrLeaseUntil"),
    ocrAttempts: record.getInt("ocrAttempts"),
  };
  if (collection === "invoices") {
    const columns: Partial<Record<keyof InvoiceColumns, unknown>> = {};
    for (let i = 0; i < INVOICE_COLUMNS.length; i++) {
      const name = INVOICE_COLUMNS[i];
      if (name === "vatBreakdown") columns[name] = readJson(record, name);
      else if (name === "splitPayment") columns[name] = record.getBool(name);
      else if (name === "netAmount" || name === "vatAmount" || name === "grossAmount" || name === "totalAmount") columns[name] = record.getFloat(name);
      else columns[name] = record.getString(name);
    }
    state.invoice = { status: record.getString("status"), columns };
  }
  return state;
}

/**
 * POST /api/hvac/ocr/finish {collection, id, file, lease, outcome, ...}: a worker's answer, applied
 * only while the record still has that file and lease. Answers {applied, refused?, lease?}.
 */
export function ocrFinish(c: echo.Context): void {
  const { data } = requestCtx(c);
  if (data["reading"] !== undefined) {
    const plain = plainJson(data["reading"]);
    data["reading"] = plain.ok ? plain.value : null;
  }
  const parsed = parseFinishRequest(data);
  if (!parsed.value) failFields(parsed.errors);
  const req = parsed.value!;
  let refused = null as FinishRefusal | null;
  let lease = "";
  $app.dao().runInTransaction((tx) => {
    let record: Rec | null = null;
    try {
      record = tx.findRecordById(req.collection, req.id);
    } catch {
      record = null;
    }
    const state = record ? ocrState(record, req.collection) : null;
    refused = finishRefusal(req, state);
    if (refused || !record || !state) return;
    queue(record, finishWrites(req, state, nowMs()));
    tx.saveRecord(record);
    lease = record.getString("ocrLeaseUntil");
  });
  c.json(200, refused ? { applied: false, refused } : { applied: true, lease });
}
