// equipment_photos and invoices: a record's contact must be its job's contact (filled in when
// only the job is given), and technicians only upload: reading and approving invoices
// (status, amounts, OCR results) is office work. Where reading the file stands: ocr.ts.
import type { FieldError } from "../../src/domain/lifecycle";
import { checkRawTypes } from "./guards";
import { reviewInvoice } from "./invoices";
import { ocrBeforeWrite } from "./ocr";
import { changedKeys, failFields, forbidFields, queryRow, requestCtx, type Rec } from "./pb";

const TECHNICIAN_UPLOAD_FIELDS = ["jobId", "contactId", "file", "description"];

const MIME_BY_EXTENSION: Record<string, string> = {
  jpg: "image/jpeg", jpeg: "image/jpeg", png: "image/png", webp: "image/webp", heic: "image/heic",
  heif: "image/heif", tif: "image/tiff", tiff: "image/tiff", pdf: "application/pdf", xml: "application/xml",
};

/**
 * filename, filesize and mimetype describe the uploaded file, so they come from it, not from the
 * client. (PocketBase has already checked the content against the field's allowed types.)
 */
function describeUpload(e: core.RecordCreateEvent | core.RecordUpdateEvent, record: Rec): void {
  const files = (e.uploadedFiles as unknown as Record<string, filesystem.File[] | undefined>)["file"];
  const file = files && files.length ? files[0] : undefined;
  if (!file) return;
  const name = file.originalName || file.name;
  const ext = (/\.([A-Za-z0-9]+)$/.exec(name)?.[1] ?? "").toLowerCase();
  record.set("filename", name);
  record.set("filesize", file.size);
  record.set("mimetype", MIME_BY_EXTENSION[ext] ?? "application/octet-stream");
}

function jobContactId(jobId: string): string | null {
  return queryRow("SELECT contactId FROM jobs WHERE id = {:id} LIMIT 1", { id: jobId }, { contactId: "" })?.contactId ?? null;
}

function checkJobContact(record: Rec, errors: FieldError[]): void {
  const jobId = record.getString("jobId");
  if (!jobId) return;
  const expected = jobContactId(jobId);
  if (expected === null) return; // PocketBase's relation validation already reported a missing job
  const contactId = record.getString("contactId");
  if (!contactId) record.set("contactId", expected);
  else if (contactId !== expected) {
    errors.push({ field: "contactId", code: "contact_mismatch", message: "contactId must be the contact of the job given in jobId." });
  }
}

/** A photo shows a unit of its own customer (the unit's customer fills an empty contactId). */
function checkUnitContact(record: Rec, errors: FieldError[]): void {
  if (record.collection().name !== "equipment_photos") return;
  const unitId = record.getString("equipmentId");
  if (!unitId) return;
  const unitContact = queryRow("SELECT contactId FROM equipment WHERE id = {:id} LIMIT 1", { id: unitId }, { contactId: "" })?.contactId ?? null;
  if (unitContact === null) return; // PocketBase's relation validation already reported a missing unit
  const contactId = record.getString("contactId");
  if (!contactId) record.set("contactId", unitContact);
  else if (contactId !== unitContact) {
    errors.push({ field: "equipmentId", code: "contact_mismatch", message: "equipmentId must be a unit of the photo's customer (contactId)." });
  }
}

function beforeWrite(e: core.RecordCreateEvent | core.RecordUpdateEvent, created: boolean): void {
  const ctx = requestCtx(e.httpContext);
  checkRawTypes(e.record!, ctx);
  const { actor, data } = ctx;
  const record = e.record as Rec;
  if (!actor.staff) {
    const forbidden = changedKeys(data).filter((k) => !TECHNICIAN_UPLOAD_FIELDS.includes(k));
    if (forbidden.length) forbidFields(forbidden, `A technician uploads files with ${TECHNICIAN_UPLOAD_FIELDS.join(", ")} only; the office reviews the rest.`);
  }
  describeUpload(e, record);
  const errors: FieldError[] = [];
  checkJobContact(record, errors);
  checkUnitContact(record, errors);
  if (errors.length) failFields(errors);
  ocrBeforeWrite(e, record, ctx, created);
  if (record.collection().name === "invoices") {
    if (!record.getString("status")) record.set("status", "pending");
    reviewInvoice(record, ctx, created);
  }
}

export function filesBeforeCreate(e: core.RecordCreateEvent): void {
  beforeWrite(e, true);
}

export function filesBeforeUpdate(e: core.RecordUpdateEvent): void {
  beforeWrite(e, false);
}
