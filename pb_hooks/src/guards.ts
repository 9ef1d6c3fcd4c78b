// Cross-cutting request guards used by every collection's hooks.
//  - Raw type checks: PocketBase 0.22 casts "abc" to 0 for numbers, stores an unparsable date as
//    "" and skips min/max for 0. We check the submitted values against the schema first, so a
//    wrong value answers 400 naming the field instead of being saved as something else.
//  - Relation filters: 0.22 does not apply the related collection's rules inside list filters, so
//    a technician could probe hidden records one yes/no question at a time. Non-staff may not
//    filter or sort through relations.
import type { FieldError } from "../../src/domain/lifecycle";
import { checkRawValues, restrictedFilterProblem, type FieldSpec } from "../../src/domain/validation";
import { failFields, requestCtx, type RequestCtx } from "./pb";

// Parsed field specs per collection, cached for the life of the VM and re-read once a minute
// (a schema edited in the Admin panel while running is picked up; keying the cache on the
// collection's own fields would cost Go calls on every request).
const schemas = new Map<string, { fields: Map<string, FieldSpec>; until: number }>();
const SCHEMA_TTL_MS = 60_000;

function schemaOf(record: models.Record): Map<string, FieldSpec> {
  const key = record.tableName();
  const now = Date.now();
  let entry = schemas.get(key);
  if (!entry || entry.until < now) {
    const fields = new Map<string, FieldSpec>();
    const list = JSON.parse(JSON.stringify(record.collection().schema)) as FieldSpec[];
    for (const f of list) fields.set(f.name, f);
    entry = { fields, until: now + SCHEMA_TTL_MS };
    schemas.set(key, entry);
  }
  return entry.fields;
}

/**
 * Throws 400 when any submitted value has the wrong type for the record's collection, and hands
 * PocketBase dates in the one format it always parses.
 */
export function checkRawTypes(record: models.Record, ctx: RequestCtx): void {
  const { errors, dates } = checkRawValues(schemaOf(record), ctx.data);
  if (errors.length) failFields(errors);
  const keys = Object.keys(dates);
  for (let i = 0; i < keys.length; i++) record.set(keys[i], dates[keys[i]]);
}

export function guardListQuery(e: core.RecordsListEvent): void {
  const { actor } = requestCtx(e.httpContext);
  if (actor.staff) return;
  const bad: FieldError[] = [];
  for (const param of ["filter", "sort"]) {
    const problem = restrictedFilterProblem(e.httpContext.queryParam(param));
    if (problem) bad.push({ field: param, code: "restricted_filter", message: `${param} ${problem}.` });
  }
  if (bad.length) failFields(bad, "This filter is not allowed for your role.");
}

/** The `options` query of a realtime topic ("jobs/*?options=%7B...%7D"), or null. */
function topicOptions(topic: string): { query?: Record<string, unknown> } | null {
  const q = topic.indexOf("?");
  if (q < 0) return null;
  for (const pair of topic.slice(q + 1).split("&")) {
    const eq = pair.indexOf("=");
    if (eq < 0 || pair.slice(0, eq) !== "options") continue;
    try {
      return JSON.parse(decodeURIComponent(pair.slice(eq + 1).replace(/\+/g, " ")));
    } catch {
      return {};
    }
  }
  return null;
}

/** Realtime subscriptions can carry a filter too: the same limits apply. */
export function guardSubscriptions(e: core.RealtimeSubscribeEvent): void {
  const { actor } = requestCtx(e.httpContext);
  if (actor.staff) return;
  for (const topic of e.subscriptions) {
    const query = topicOptions(String(topic))?.query ?? {};
    for (const param of ["filter", "sort"]) {
      const value = query[param];
      const problem = value === undefined ? null : restrictedFilterProblem(String(value));
      if (problem) failFields([{ field: "subscriptions", code: "restricted_filter", message: `${param} of „${String(topic).split("?")[0]}” ${problem}.` }]);
    }
  }
}
