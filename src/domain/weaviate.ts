// What the office server sends to Weaviate (REST v1, issue 5): one class per searchable collection,
// objects keyed by weaviateId (UUIDv5 of "pb:<collection>:<recordId>"), the properties taken from a
// record, the class definitions (`hvac weaviate-schema`), and strict reading of the batch answer.
// Pure; runs in the hooks' JS VM too (no Intl, TextEncoder, named groups or \p{..}).
//
//   POST   /v1/batch/objects {"objects":[{class,id,properties}]} -> 200 [{id, result:{errors?:{error:[{message}]}}}, ...]
//   DELETE /v1/objects/{Class}/{uuid} -> 204 (404: already gone, also done)
//   errors: {"error":[{"message":"..."}]}
import type { SyncCollection } from "./sync";
import { SyncFormatError } from "./sync";
import { isUuid, weaviateId } from "./uuid";

export const WEAVIATE_CLASSES = {
  jobs: "HvacJob",
  contacts: "HvacContact",
  invoices: "HvacInvoice",
  equipment_photos: "HvacEquipmentPhoto",
} as const;
export type WeaviateCollection = keyof typeof WEAVIATE_CLASSES;

/** The Weaviate class of a collection, or null when the collection is not searched there. */
export function weaviateClassOf(collection: string): string | null {
  return Object.prototype.hasOwnProperty.call(WEAVIATE_CLASSES, collection) ? WEAVIATE_CLASSES[collection as WeaviateCollection] : null;
}

type DataType = "text" | "number" | "date";

interface PropertySpec {
  name: string;
  dataType: DataType;
  /** Ids and codes: matched whole, never vectorized. */
  keyword?: boolean;
  /** Where the value comes from (default: the record field of the same name). */
  from?: (r: Record<string, unknown>) => unknown;
}

/** Text of OCR readings kept in Weaviate (the index is for finding, not for the whole document). */
export const WEAVIATE_TEXT_CHARS = 20_000;

function nested(r: Record<string, unknown>, field: string, path: string[]): unknown {
  let v: unknown = r[field];
  if (typeof v === "string") {
    try {
      v = JSON.parse(v);
    } catch {
      return undefined;
    }
  }
  for (let i = 0; i < path.length; i++) {
    if (!v || typeof v !== "object" || Array.isArray(v)) return undefined;
    v = (v as Record<string, unknown>)[path[i]];
  }
  return v;
}

const aiField = (name: string) => (r: Record<string, unknown>) => nested(r, "aiAnalysis", ["fields", name, "value"]);

const ID = (name: string): PropertySpec => ({ name, dataType: "text", keyword: true });
const TEXT = (name: string): PropertySpec => ({ name, dataType: "text" });
const DATE = (name: string): PropertySpec => ({ name, dataType: "date" });

/** Every class: the PocketBase id (`pbId`) and when the record last changed. */
const COMMON: PropertySpec[] = [{ name: "pbId", dataType: "text", keyword: true, from: (r) => r.id }, DATE("updated")];

export const WEAVIATE_PROPERTIES: Record<WeaviateCollection, PropertySpec[]> = {
  jobs: [
    TEXT("title"), TEXT("description"), TEXT("notes"), ID("status"), ID("priority"), ID("type"),
    ID("contactId"), ID("technicianId"), ID("equipmentId"), DATE("scheduledDate"), DATE("completedDate"),
  ],
  contacts: [
    TEXT("name"), TEXT("address"), ID("district"), ID("phone"), ID("email"), ID("nip"), TEXT("notes"), ID("propertyType"),
  ],
  invoices: [
    TEXT("invoiceNumber"), TEXT("sellerName"), ID("sellerNip"), ID("buyerNip"), TEXT("description"), TEXT("filename"),
    { name: "text", dataType: "text", from: (r) => nested(r, "ocrData", ["text"]) },
    ID("status"), ID("jobId"), ID("contactId"), DATE("issueDate"), DATE("dueDate"), ID("currency"),
    { name: "grossAmount", dataType: "number" }, { name: "totalAmount", dataType: "number" },
  ],
  equipment_photos: [
    TEXT("filename"), TEXT("description"),
    { name: "manufacturer", dataType: "text", from: aiField("manufacturer") },
    { name: "model", dataType: "text", from: aiField("model") },
    { name: "serialNumber", dataType: "text", keyword: true, from: aiField("serialNumber") },
    { name: "refrigerant", dataType: "text", keyword: true, from: aiField("refrigerant") },
    ID("jobId"), ID("contactId"), ID("equipmentId"),
  ],
};

/** PocketBase's "2026-11-24 10:00:00.000Z" as RFC 3339 (what Weaviate's date type takes), or null. */
export function rfc3339(value: unknown): string | null {
  if (typeof value !== "string") return null;
  const s = value.trim();
  if (!/^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/.test(s)) return null;
  return s.replace(" ", "T");
}

function propertyValue(spec: PropertySpec, record: Record<string, unknown>): unknown {
  const raw = spec.from ? spec.from(record) : record[spec.name];
  if (raw === undefined || raw === null) return null;
  if (spec.dataType === "date") return rfc3339(raw);
  if (spec.dataType === "number") {
    const n = typeof raw === "number" ? raw : Number(raw);
    return typeof raw !== "boolean" && raw !== "" && Number.isFinite(n) ? n : null;
  }
  if (typeof raw === "object") return null;
  const s = String(raw);
  return spec.name === "text" ? s.slice(0, WEAVIATE_TEXT_CHARS) : s;
}

export interface WeaviateObject {
  class: string;
  id: string;
  properties: Record<string, unknown>;
}

/**
 * The Weaviate object of a record (`record` as PocketBase exports it, with `id`), or null when the
 * collection has no class. Empty dates and numbers are left out (Weaviate has no empty date).
 */
export function weaviateObject(collection: SyncCollection | string, id: string, record: Record<string, unknown>): WeaviateObject | null {
  const cls = weaviateClassOf(collection);
  if (!cls) return null;
  const specs = COMMON.concat(WEAVIATE_PROPERTIES[collection as WeaviateCollection]);
  const source = record.id === id ? record : { ...record, id };
  const properties: Record<string, unknown> = {};
  for (let i = 0; i < specs.length; i++) {
    const v = propertyValue(specs[i], source);
    if (v !== null) properties[specs[i].name] = v;
  }
  return { class: cls, id: weaviateId(collection, id), properties };
}

/** `DELETE /v1/objects/{Class}/{uuid}` for a record. */
export function weaviateObjectPath(collection: string, id: string): string | null {
  const cls = weaviateClassOf(collection);
  return cls ? `/v1/objects/${cls}/${weaviateId(collection, id)}` : null;
}

/**
 * The class definitions for `POST /v1/schema` (one per class). `vectorizer` "none" = vectors are
 * supplied by the client; ids and codes are never vectorized and are matched whole.
 */
export function weaviateClassSchema(vectorizer: string): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  const keys = Object.keys(WEAVIATE_CLASSES) as WeaviateCollection[];
  for (let i = 0; i < keys.length; i++) {
    const specs = COMMON.concat(WEAVIATE_PROPERTIES[keys[i]]);
    const properties = specs.map((p) => {
      const prop: Record<string, unknown> = { name: p.name, dataType: [p.dataType] };
      if (p.dataType === "text") prop.tokenization = p.keyword ? "field" : "word";
      if (vectorizer !== "none" && (p.keyword || p.dataType !== "text")) prop.moduleConfig = { [vectorizer]: { skip: true } };
      return prop;
    });
    const cls: Record<string, unknown> = { class: WEAVIATE_CLASSES[keys[i]], vectorizer, properties };
    out.push(cls);
  }
  return out;
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  if (typeof value === "string") return value.length > 40 ? `"${value.slice(0, 40)}..."` : `"${value}"`;
  return `${typeof value} ${String(value)}`;
}

/**
 * Reads the answer to `POST /v1/batch/objects`: one entry per object sent, in order (an entry's `id`,
 * when present, must be the sent one). Returns per object null (stored) or the error messages of its
 * `result.errors`. Anything else is a SyncFormatError (the whole batch then counts as failed).
 */
export function parseWeaviateBatchResponse(body: unknown, sent: readonly { id: string }[]): (string | null)[] {
  if (!Array.isArray(body)) throw new SyncFormatError("answer", `expected an array with one entry per object, got ${describe(body)}`);
  if (body.length !== sent.length) throw new SyncFormatError("answer", `expected ${sent.length} entries (one per object sent), got ${body.length}`);
  const out: (string | null)[] = [];
  for (let i = 0; i < body.length; i++) {
    const e = body[i];
    const path = `answer[${i}]`;
    if (!e || typeof e !== "object" || Array.isArray(e)) throw new SyncFormatError(path, `expected an object, got ${describe(e)}`);
    const entry = e as Record<string, unknown>;
    if (entry.id !== undefined && entry.id !== null && String(entry.id).toLowerCase() !== sent[i].id.toLowerCase()) {
      throw new SyncFormatError(`${path}.id`, `expected "${sent[i].id}" (the object sent at this place), got ${describe(entry.id)}`);
    }
    if (entry.id !== undefined && entry.id !== null && !isUuid(entry.id)) throw new SyncFormatError(`${path}.id`, `expected a UUID, got ${describe(entry.id)}`);
    const result = entry.result;
    if (result === undefined || result === null) {
      out.push(null);
      continue;
    }
    if (typeof result !== "object" || Array.isArray(result)) throw new SyncFormatError(`${path}.result`, `expected an object, got ${describe(result)}`);
    const errors = (result as Record<string, unknown>).errors;
    if (errors === undefined || errors === null) {
      out.push(null);
      continue;
    }
    if (typeof errors !== "object" || Array.isArray(errors)) throw new SyncFormatError(`${path}.result.errors`, `expected an object, got ${describe(errors)}`);
    const list = (errors as Record<string, unknown>).error;
    if (list === undefined || list === null || (Array.isArray(list) && list.length === 0)) {
      out.push(null);
      continue;
    }
    if (!Array.isArray(list)) throw new SyncFormatError(`${path}.result.errors.error`, `expected an array, got ${describe(list)}`);
    const messages: string[] = [];
    for (let j = 0; j < list.length; j++) {
      const m = list[j] as { message?: unknown } | null;
      messages.push(m && typeof m === "object" && typeof m.message === "string" ? m.message : JSON.stringify(m));
    }
    out.push(messages.join("; ").slice(0, 1000) || "error without a message");
  }
  return out;
}

/** Whether the answer to `DELETE /v1/objects/...` means the object is gone (204/200, or 404: already gone). */
export function weaviateDeleteDone(status: number): boolean {
  return status === 204 || status === 200 || status === 404;
}
