// contacts: NIP checksum, phone sanity, affluence default derived from district and property type.
import { defaultAffluence } from "../../src/domain/contacts";
import type { FieldError } from "../../src/domain/lifecycle";
import { checkNip, normalizeNip } from "../../src/domain/nip";
import { checkRawTypes } from "./guards";
import { failFields, forgetContact, given, requestCtx, type Rec } from "./pb";

const PHONE = /^\+?[0-9][0-9 ()-]{5,24}$/;

function validate(record: Rec): FieldError[] {
  const errors: FieldError[] = [];
  const nip = record.getString("nip").trim();
  if (nip) {
    const problem = checkNip(nip);
    if (problem === "format") {
      errors.push({ field: "nip", code: "invalid_nip_format", message: "NIP must have 10 digits (e.g. 526-104-08-28)." });
    } else if (problem === "checksum") {
      errors.push({ field: "nip", code: "invalid_nip_checksum", message: "NIP checksum does not match: check the digits." });
    } else {
      record.set("nip", normalizeNip(nip));
    }
  }
  const phone = record.getString("phone").trim();
  if (phone && !PHONE.test(phone)) {
    errors.push({ field: "phone", code: "invalid_phone", message: "Phone may contain digits, spaces, dashes, brackets and a leading +." });
  }
  return errors;
}

export function contactsBeforeCreate(e: core.RecordCreateEvent): void {
  const ctx = requestCtx(e.httpContext);
  checkRawTypes(e.record!, ctx);
  const { data } = ctx;
  const record = e.record as Rec;
  const errors = validate(record);
  if (errors.length) failFields(errors);
  if (!given(data, "affluenceScore")) {
    record.set("affluenceScore", defaultAffluence(record.getString("district"), record.getString("propertyType")));
  }
}

export function contactsBeforeUpdate(e: core.RecordUpdateEvent): void {
  const ctx = requestCtx(e.httpContext);
  checkRawTypes(e.record!, ctx);
  const { data } = ctx;
  const record = e.record as Rec;
  const before = record.originalCopy();
  const errors = validate(record);
  if (errors.length) failFields(errors);
  const placeChanged =
    before.getString("district") !== record.getString("district") ||
    before.getString("propertyType") !== record.getString("propertyType");
  // Re-derive the score only if it was the derived default, never overwrite a score someone chose.
  if (placeChanged && !given(data, "affluenceScore")) {
    const oldDefault = defaultAffluence(before.getString("district"), before.getString("propertyType"));
    if (before.getInt("affluenceScore") === oldDefault) {
      record.set("affluenceScore", defaultAffluence(record.getString("district"), record.getString("propertyType")));
    }
  }
}

/** After any save or delete of a contact (API, Admin panel or code): the job rules' cache forgets it. */
export function contactsAfterWrite(e: core.ModelEvent): void {
  forgetContact(e.model!.getId());
}
