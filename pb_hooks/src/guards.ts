// Cross-cutting request guards used by every collection's hooks.
//  - Raw type checks: PocketBase 0.22 casts "abc" to 0 for numbers, stores an unparsable date as
//    "" and skips min/max for 0. We check the submitted values against the schema first, so a
//    wrong value answers 400 naming the field instead of being saved as something else.
//  - Relation filters: 0.22 does not apply the related collection's rules inside list filters, so
//    a technician could probe hidden records one yes/no question at a time. Non-staff may not
//    filter or sort through relations.
import { strictNumber } from "../../src/domain/geo";
import type { FieldError } from "../../src/domain/lifecycle";
import { parseTimestamp } from "../../src/domain/time";
import { failFields, requestCtx } from "./pb";

interface FieldSpec {
  name: string;
  type: string;
  options: { min?: number | null; max?: number | null; noDecimal?: boolean };
}

// Parsed schemas per collection id + last change, cached for the life of the VM.
const schemas = new Map<string, Map<string, FieldSpec>>();

function schemaOf(collection: models.Collection): Map<string, FieldSpec> {
  const key = `${collection.id}@${collection.updated.string()}`;
  let fields = schemas.get(key);
  if (!fields) {
    fields = new Map();
    const list = JSON.parse(JSON.stringify(collection.schema)) as FieldSpec[];
    for (const f of list) fields.set(f.name, f);
    schemas.set(key, fields);
  }
  return fields;
}

const TRUE_FALSE = ["true", "false", "1", "0", "on", "off", ""];

/** Field errors for submitted values whose type or range does not fit the schema. */
export function rawTypeErrors(fields: Map<string, FieldSpec>, data: Record<string, unknown>): FieldError[] {
  const errors: FieldError[] = [];
  for (const key of Object.keys(data)) {
    const spec = fields.get(key);
    if (!spec) continue;
    const v = data[key];
    if (spec.type === "number") {
      if (v === "" || v === null) continue; // clears the field
      const n = strictNumber(v);
      if (n === undefined) {
        errors.push({ field: key, code: "invalid_number", message: `${key} must be a number.` });
        continue;
      }
      const { min, max, noDecimal } = spec.options;
      if (typeof min === "number" && n < min) errors.push({ field: key, code: "number_too_small", message: `${key} must be at least ${min}.` });
      else if (typeof max === "number" && n > max) errors.push({ field: key, code: "number_too_large", message: `${key} must be at most ${max}.` });
      else if (noDecimal && Math.floor(n) !== n) errors.push({ field: key, code: "not_integer", message: `${key} must be a whole number.` });
    } else if (spec.type === "date") {
      if (v === "" || v === null) continue;
      if (typeof v !== "string" || !Number.isFinite(parseTimestamp(v))) {
        errors.push({ field: key, code: "invalid_date", message: `${key} must be a date and time such as 2026-11-24 14:30:00Z (ISO 8601).` });
      }
    } else if (spec.type === "bool") {
      const ok = typeof v === "boolean" || v === 0 || v === 1 || (typeof v === "string" && TRUE_FALSE.includes(v.toLowerCase()));
      if (!ok) errors.push({ field: key, code: "invalid_bool", message: `${key} must be true or false.` });
    }
  }
  return errors;
}

/** Throws 400 when any submitted value has the wrong type for the record's collection. */
export function checkRawTypes(e: { httpContext: echo.Context; record?: models.Record }): void {
  const { data } = requestCtx(e.httpContext);
  const errors = rawTypeErrors(schemaOf(e.record!.collection()), data);
  if (errors.length) failFields(errors);
}

const LITERAL = /'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"/g;
const REQUEST_MACRO = /@request\.[A-Za-z0-9_.:]+/g;
const RELATION_PATH = /[A-Za-z_][A-Za-z0-9_]*(?::[A-Za-z]+)?\.[A-Za-z_@]|@collection|_via_/;

/** True when a filter or sort expression reaches into related records. */
export function usesRelations(expr: string): boolean {
  const bare = String(expr ?? "").replace(LITERAL, "''").replace(REQUEST_MACRO, "");
  return RELATION_PATH.test(bare);
}

export function guardListQuery(e: core.RecordsListEvent): void {
  const { actor } = requestCtx(e.httpContext);
  if (actor.staff) return;
  const bad: FieldError[] = [];
  for (const param of ["filter", "sort"]) {
    if (usesRelations(e.httpContext.queryParam(param))) {
      bad.push({ field: param, code: "relation_filter_forbidden", message: `${param} may only use this collection's own fields.` });
    }
  }
  if (bad.length) failFields(bad, "Filtering or sorting by fields of related records is not allowed for your role.");
}
