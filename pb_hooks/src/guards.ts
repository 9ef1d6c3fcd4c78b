// Cross-cutting request guards used by every collection's hooks.
//  - Raw type checks: PocketBase 0.22 casts "abc" to 0 for numbers, stores an unparsable date as
//    "" and skips min/max for 0. We check the submitted values against the schema first, so a
//    wrong value answers 400 naming the field instead of being saved as something else.
//  - Relation filters: 0.22 does not apply the related collection's rules inside list filters, so
//    a technician could probe hidden records one yes/no question at a time. Non-staff may not
//    filter or sort through relations.
import type { FieldError } from "../../src/domain/lifecycle";
import { rawTypeErrors, usesRelations, type FieldSpec } from "../../src/domain/validation";
import { failFields, requestCtx } from "./pb";

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

/** Throws 400 when any submitted value has the wrong type for the record's collection. */
export function checkRawTypes(e: { httpContext: echo.Context; record?: models.Record }): void {
  const { data } = requestCtx(e.httpContext);
  const errors = rawTypeErrors(schemaOf(e.record!.collection()), data);
  if (errors.length) failFields(errors);
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
