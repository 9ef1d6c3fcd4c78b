// Small typed helpers around PocketBase's JS VM globals, shared by every hook file.
// Everything PocketBase-specific that more than one feature needs lives here; the decisions
// themselves live in src/domain.

import type { FieldError } from "../../src/domain/lifecycle";
import { parseTimestamp } from "../../src/domain/time";

declare global {
  // The VM has a console, but pocketbase-jsvm does not declare it.
  // eslint-disable-next-line no-var
  var console: { log(...a: unknown[]): void; warn(...a: unknown[]): void; error(...a: unknown[]): void };
}

export type Rec = models.Record;

export interface Actor {
  admin: boolean;
  id: string;
  role: string;
  record: Rec | null;
  /** True for admins, dispatchers and managers: full access to contacts and jobs. */
  staff: boolean;
  manager: boolean;
}

export interface RequestCtx {
  actor: Actor;
  /** The submitted body, as PocketBase parsed it (JSON or multipart). */
  data: Record<string, unknown>;
  /** PocketBase's own request info (for rule checks such as dao.canAccessRecord). */
  info: models.RequestInfo;
}

export function requestCtx(c: echo.Context): RequestCtx {
  const info = $apis.requestInfo(c);
  const record = (info.authRecord as Rec | undefined) || null;
  const admin = !!info.admin;
  const role = record ? record.getString("role") : "";
  return {
    actor: {
      admin,
      id: record ? record.getId() : "",
      role,
      record,
      staff: admin || role === "dispatcher" || role === "manager",
      manager: admin || role === "manager",
    },
    data: plain(info.data as Record<string, unknown> | undefined),
    info,
  };
}

/** A plain JS copy of the submitted body: reads of a wrapped Go map cost a reflection call each. */
function plain(goMap: Record<string, unknown> | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!goMap) return out;
  // Indexed loops on hot paths: for...of allocates an iterator result per element in goja.
  const keys = Object.keys(goMap);
  for (let i = 0; i < keys.length; i++) out[keys[i]] = goMap[keys[i]];
  return out;
}

/** A value computed on first use only (e.g. a query a rule may not need). */
export function lazy<T>(compute: () => T): () => T {
  let done = false;
  let value: T;
  return () => {
    if (!done) {
      value = compute();
      done = true;
    }
    return value;
  };
}

/**
 * Whether the request body set a field. Multi-value modifiers ("skills+", "skills-") count.
 * An empty string or null counts as "not given" for optional fields the server fills.
 */
export function given(data: Record<string, unknown>, field: string, emptyCounts = false): boolean {
  return has(data, field, emptyCounts) || has(data, field + "+", emptyCounts)
    || has(data, field + "-", emptyCounts) || has(data, "+" + field, emptyCounts);
}

function has(data: Record<string, unknown>, key: string, emptyCounts: boolean): boolean {
  if (!Object.prototype.hasOwnProperty.call(data, key)) return false;
  const v = data[key];
  return emptyCounts || (v !== null && v !== undefined && v !== "");
}

export function changedKeys(data: Record<string, unknown>): string[] {
  return Object.keys(data).map((k) => k.replace(/^\+|[+-]$/g, ""));
}

/** Throws PocketBase's 400 with one entry per field, the shape the SDK exposes as `error.data.data`. */
export function failFields(errors: FieldError[], message = "Please correct the highlighted fields."): never {
  const data: Record<string, ValidationError> = {};
  for (const e of errors) if (!data[e.field]) data[e.field] = new ValidationError(e.code, e.message);
  throw new BadRequestError(message, data);
}

export function forbidFields(fields: string[], message: string): never {
  const data: Record<string, ValidationError> = {};
  for (const f of fields) data[f] = new ValidationError("forbidden_field", message);
  throw new ForbiddenError(message, data);
}

/**
 * A record's fields as strings, each read from Go once however often a hook asks (every
 * `record.getString` is a reflection call that builds a new function object in goja). Writes go
 * through `set`, which keeps the cache true.
 */
export class Fields {
  private readonly seen: Record<string, string | undefined> = {};

  constructor(readonly record: Rec) {}

  str(field: string): string {
    let v = this.seen[field];
    if (v === undefined) this.seen[field] = v = this.record.getString(field);
    return v;
  }

  /** The field as PocketBase's getInt reads it: 0 when empty or not a number. */
  int(field: string): number {
    const n = Math.trunc(Number(this.str(field)));
    return Number.isFinite(n) ? n : 0;
  }

  set(field: string, value: unknown): void {
    this.record.set(field, value);
    this.seen[field] = undefined;
  }
}

type FieldSource = Rec | Fields;

function strOf(source: FieldSource, field: string): string {
  return source instanceof Fields ? source.str(field) : source.getString(field);
}

/** Epoch ms of a date field, NaN when empty. (The VM's Date cannot parse PocketBase's format.) */
export function dateMs(source: FieldSource, field: string): number {
  return parseTimestamp(strOf(source, field));
}

export function readJson<T>(source: FieldSource, field: string): T | null {
  const raw = strOf(source, field);
  if (!raw || raw === "null") return null;
  try {
    return JSON.parse(raw) as T;
  } catch {
    return null;
  }
}

export function findById(dao: daos.Dao, collection: string, id: string): Rec | null {
  if (!id) return null;
  try {
    return dao.findRecordById(collection, id);
  } catch {
    return null;
  }
}

/**
 * One row of a narrow SELECT, with the columns named in `shape` (whose values give the types), or
 * null when there is none. Cheaper than findRecordById, which in PocketBase 0.22 re-reads the
 * collection definition on every call; several hot paths need one or two columns only.
 */
export function queryRow<T extends Record<string, string | number>>(
  sql: string, params: Record<string, unknown>, shape: T, dao: daos.Dao = $app.dao(),
): T | null {
  const row = new DynamicModel(shape) as unknown as T;
  try {
    dao.db().newQuery(sql).bind(params).one(row);
  } catch {
    return null;
  }
  return row;
}

export interface ContactPlace {
  district: string;
  propertyType: string;
}

const CONTACT_CACHE_MS = 10 * 60 * 1000;
const contactKey = (id: string) => `hvac:contact:${id}`;

/**
 * The two contact fields the job rules need. Cached in the app store (shared by all JS VMs) for
 * a few minutes and dropped whenever the contact changes (contactsAfterWrite); a miss costs one
 * narrow query. This runs on many job writes.
 */
export function contactPlace(id: string): ContactPlace | null {
  if (!id) return null;
  const cached = $app.store().get(contactKey(id)) as string | undefined;
  if (cached) {
    const [district, propertyType, until] = cached.split("\u0001");
    if (Number(until) > Date.now()) return { district, propertyType };
  }
  const row = queryRow("SELECT district, propertyType FROM contacts WHERE id = {:id} LIMIT 1", { id }, { district: "", propertyType: "" });
  if (!row) return null;
  $app.store().set(contactKey(id), [row.district, row.propertyType, Date.now() + CONTACT_CACHE_MS].join("\u0001"));
  return { district: row.district, propertyType: row.propertyType };
}

/** Drops a contact from the cache above; called after every contact save or delete. */
export function forgetContact(id: string): void {
  $app.store().remove(contactKey(id));
}

export function nowMs(): number {
  return Date.now();
}
