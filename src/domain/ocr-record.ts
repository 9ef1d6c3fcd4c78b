// How a reading of a document is kept on its record, the same whoever read it (the Node worker
// or the dashboard in the browser): invoices.ocrData and equipment_photos.aiAnalysis hold a
// StoredReading; an invoice's reviewed columns (invoiceNumber, sellerNip, amounts, ...) are filled
// from it, but only where a person has not filled them already and only with values that pass
// their checksums and formats (the rest stays in the reading, flagged for review).
//
// Runs in PocketBase's JS VM too (the files hook checks readings sent by the dashboard).

import type { DocumentField, DocumentKind, DocumentReview } from "./document";
import type { FieldError } from "./lifecycle";
import { toMajorUnits } from "./money";
import { isValidNip, normalizeNip } from "./nip";
import { isValidNrb, normalizeNrb } from "./nrb";

export const OCR_STATUSES = ["waiting", "reading", "done", "failed"] as const;
export type OcrStatus = (typeof OCR_STATUSES)[number];

export const TEXT_SOURCES = ["ksef", "pdf-text", "pdf-ocr", "pdf-mixed", "image-ocr"] as const;
export type StoredTextSource = (typeof TEXT_SOURCES)[number];

export type Reader = "worker" | "browser";

/** The reading as kept in ocrData / aiAnalysis. */
export interface StoredReading {
  v: 1;
  kind: DocumentKind;
  source: StoredTextSource;
  reader: Reader;
  /** ISO timestamp. */
  readAt: string;
  pages: number;
  fields: Record<string, DocumentField | null>;
  review: DocumentReview[];
  /** Mean OCR word confidence 0..1; null without OCR (PDF text layer, KSeF). */
  ocrConfidence: number | null;
  /** The text the fields came from, cut to TEXT_LIMIT characters. */
  text: string;
  textTruncated?: boolean;
  ksefVariant?: string;
  warnings?: string[];
}

/** Fits both json fields (ocrData 200 kB, aiAnalysis 100 kB) with room for the fields. */
export const TEXT_LIMIT = 40000;

/** What readDocument (Node) or the browser reader produce; only these parts are kept. */
export interface ReadingLike {
  kind: DocumentKind;
  source: StoredTextSource;
  totalPages?: number;
  pages?: unknown[] | number;
  fields: Record<string, DocumentField | null>;
  review: DocumentReview[];
  ocrConfidence: number | null;
  text: string;
  ksefVariant?: string;
  warnings?: string[];
}

export function storedReading(reading: ReadingLike, reader: Reader, readAt: Date | string): StoredReading {
  const text = String(reading.text ?? "");
  const pages = typeof reading.totalPages === "number" ? reading.totalPages : Array.isArray(reading.pages) ? reading.pages.length : typeof reading.pages === "number" ? reading.pages : 1;
  const out: StoredReading = {
    v: 1,
    kind: reading.kind,
    source: reading.source,
    reader,
    readAt: typeof readAt === "string" ? readAt : readAt.toISOString(),
    pages,
    fields: reading.fields,
    review: reading.review,
    ocrConfidence: reading.ocrConfidence,
    text: text.length > TEXT_LIMIT ? text.slice(0, TEXT_LIMIT) : text,
  };
  if (text.length > TEXT_LIMIT) out.textTruncated = true;
  if (reading.ksefVariant) out.ksefVariant = reading.ksefVariant;
  if (reading.warnings && reading.warnings.length) out.warnings = reading.warnings.slice(0, 20);
  return out;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function isConfidence(v: unknown): boolean {
  return typeof v === "number" && v >= 0 && v <= 1;
}

function checkDocumentField(v: unknown): string | null {
  if (v === null) return null;
  if (!isObject(v)) return "must be an object or null";
  if (!("value" in v)) return "has no value";
  const value = v.value;
  if (!(typeof value === "string" || typeof value === "number" || typeof value === "boolean")) return "value must be a string, number or boolean";
  if (typeof value === "number" && !Number.isFinite(value)) return "value must be a finite number";
  if (!isConfidence(v.confidence)) return "confidence must be a number from 0 to 1";
  if (!isConfidence(v.parserConfidence)) return "parserConfidence must be a number from 0 to 1";
  if (!(v.ocrConfidence === null || isConfidence(v.ocrConfidence))) return "ocrConfidence must be null or a number from 0 to 1";
  if (!isObject(v.source) || typeof v.source.kind !== "string") return "source must be an object with a kind";
  if ("display" in v && v.display !== undefined && typeof v.display !== "string") return "display must be a string";
  return null;
}

/**
 * Checks a reading sent by a client (the dashboard reads images in the browser and sends the
 * result with the upload). Errors name `field` and the part that is wrong.
 */
export function parseStoredReading(value: unknown, field: string, expectedKind?: DocumentKind): { value: StoredReading | null; errors: FieldError[] } {
  const fail = (message: string) => ({ value: null, errors: [{ field, code: "invalid_reading", message: `${field}: ${message}` }] });
  if (!isObject(value)) return fail("must be a reading object");
  if (value.v !== 1) return fail("v must be 1 (the reading format version)");
  if (value.kind !== "invoice" && value.kind !== "nameplate") return fail('kind must be "invoice" or "nameplate"');
  if (expectedKind && value.kind !== expectedKind) return fail(`kind must be "${expectedKind}" here`);
  if (typeof value.source !== "string" || TEXT_SOURCES.indexOf(value.source as StoredTextSource) < 0) return fail(`source must be one of ${TEXT_SOURCES.join(", ")}`);
  if (value.reader !== "worker" && value.reader !== "browser") return fail('reader must be "worker" or "browser"');
  if (typeof value.readAt !== "string" || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value.readAt)) return fail("readAt must be an ISO timestamp");
  if (typeof value.pages !== "number" || !Number.isInteger(value.pages) || value.pages < 0 || value.pages > 10000) return fail("pages must be a whole number");
  if (!isObject(value.fields)) return fail("fields must be an object");
  const names = Object.keys(value.fields);
  if (names.length > 200) return fail("fields has too many entries");
  for (let i = 0; i < names.length; i++) {
    const problem = checkDocumentField(value.fields[names[i]]);
    if (problem) return fail(`fields.${names[i]} ${problem}`);
  }
  if (!Array.isArray(value.review)) return fail("review must be a list");
  for (let i = 0; i < value.review.length; i++) {
    const r = value.review[i];
    if (!isObject(r) || typeof r.field !== "string" || typeof r.code !== "string" || typeof r.message !== "string") return fail(`review[${i}] must have field, code and message`);
  }
  if (!(value.ocrConfidence === null || isConfidence(value.ocrConfidence))) return fail("ocrConfidence must be null or a number from 0 to 1");
  if (typeof value.text !== "string") return fail("text must be a string");
  if (value.text.length > TEXT_LIMIT) return fail(`text must be at most ${TEXT_LIMIT} characters`);
  return { value: value as unknown as StoredReading, errors: [] };
}

// ---------------------------------------------------------------------------------------------
// Invoice columns

/** The reviewed invoice fields kept as columns of `invoices`. Amounts in major units (123.45). */
export interface InvoiceColumns {
  invoiceNumber: string;
  issueDate: string;
  saleDate: string;
  dueDate: string;
  sellerName: string;
  sellerNip: string;
  buyerNip: string;
  currency: string;
  netAmount: number;
  vatAmount: number;
  grossAmount: number;
  totalAmount: number;
  vatBreakdown: VatBreakdownRow[];
  bankAccount: string;
  splitPayment: boolean;
}

export interface VatBreakdownRow {
  rate: string;
  net: number | null;
  vat: number | null;
  gross: number | null;
}

export const INVOICE_COLUMNS: ReadonlyArray<keyof InvoiceColumns> = [
  "invoiceNumber", "issueDate", "saleDate", "dueDate", "sellerName", "sellerNip", "buyerNip", "currency",
  "netAmount", "vatAmount", "grossAmount", "totalAmount", "vatBreakdown", "bankAccount", "splitPayment",
];

/** Reading field -> column, for the plain ones. */
const COLUMN_OF_FIELD: ReadonlyArray<readonly [string, keyof InvoiceColumns]> = [
  ["number", "invoiceNumber"],
  ["issueDate", "issueDate"],
  ["saleDate", "saleDate"],
  ["dueDate", "dueDate"],
  ["sellerName", "sellerName"],
  ["sellerNip", "sellerNip"],
  ["buyerNip", "buyerNip"],
  ["currency", "currency"],
  ["netTotal", "netAmount"],
  ["vatTotal", "vatAmount"],
  ["grossTotal", "grossAmount"],
  ["totalAmount", "totalAmount"],
  ["bankAccount", "bankAccount"],
  ["splitPayment", "splitPayment"],
];

/** Column -> the reading's field name it is filled from (the review page shows that reading beside it). */
export const READING_FIELD_OF_COLUMN: Readonly<Partial<Record<keyof InvoiceColumns, string>>> = (() => {
  const out: Partial<Record<keyof InvoiceColumns, string>> = {};
  for (let i = 0; i < COLUMN_OF_FIELD.length; i++) out[COLUMN_OF_FIELD[i][1]] = COLUMN_OF_FIELD[i][0];
  return out;
})();

const AMOUNT_COLUMNS: ReadonlyArray<keyof InvoiceColumns> = ["netAmount", "vatAmount", "grossAmount", "totalAmount"];

function isIsoDate(v: unknown): v is string {
  return typeof v === "string" && /^\d{4}-\d{2}-\d{2}$/.test(v);
}

/** A reading's value as a column value, or undefined when it does not fit the column. */
function columnValue(column: keyof InvoiceColumns, value: unknown): unknown {
  if (AMOUNT_COLUMNS.indexOf(column) >= 0) return typeof value === "number" && Number.isSafeInteger(value) ? toMajorUnits(value) : undefined;
  switch (column) {
    case "issueDate":
    case "saleDate":
    case "dueDate":
      return isIsoDate(value) ? value : undefined;
    case "sellerNip":
    case "buyerNip":
      return typeof value === "string" && isValidNip(value) ? normalizeNip(value) : undefined;
    case "bankAccount":
      return typeof value === "string" && isValidNrb(value) ? normalizeNrb(value) : undefined;
    case "currency":
      return typeof value === "string" && /^[A-Z]{3}$/.test(value) ? value : undefined;
    case "splitPayment":
      return typeof value === "boolean" ? value : undefined;
    default:
      return typeof value === "string" && value.trim() ? value.trim().slice(0, column === "sellerName" ? 300 : 100) : undefined;
  }
}

/**
 * The columns a reading proposes: only values that pass their checks (a NIP with a wrong
 * checksum stays in the reading, flagged, and the column stays empty for a person to fill).
 */
export function invoiceColumnsFromReading(fields: Record<string, DocumentField | null>): Partial<InvoiceColumns> {
  const out: Partial<InvoiceColumns> = {};
  for (let i = 0; i < COLUMN_OF_FIELD.length; i++) {
    const [name, column] = COLUMN_OF_FIELD[i];
    const f = fields[name];
    if (!f) continue;
    const v = columnValue(column, f.value);
    if (v !== undefined) (out as Record<string, unknown>)[column] = v;
  }
  const rows: VatBreakdownRow[] = [];
  const seen: Record<string, VatBreakdownRow> = {};
  const names = Object.keys(fields);
  for (let i = 0; i < names.length; i++) {
    const m = /^rates\.([^.]+)\.(net|vat|gross)$/.exec(names[i]);
    const f = fields[names[i]];
    if (!m || !f || typeof f.value !== "number" || !Number.isSafeInteger(f.value)) continue;
    let row = seen[m[1]];
    if (!row) {
      row = { rate: m[1], net: null, vat: null, gross: null };
      seen[m[1]] = row;
      rows.push(row);
    }
    row[m[2] as "net" | "vat" | "gross"] = toMajorUnits(f.value);
  }
  if (rows.length) {
    out.vatBreakdown = rows;
    // Totals not printed apart (a single-rate invoice often shows only its rate line): the sum of
    // the rates, when every rate has that part.
    const totals = [["net", "netAmount"], ["vat", "vatAmount"], ["gross", "grossAmount"]] as const;
    for (let t = 0; t < totals.length; t++) {
      const [part, column] = totals[t];
      if (out[column] !== undefined) continue;
      let sum = 0;
      let complete = true;
      for (let i = 0; i < rows.length; i++) {
        const v = rows[i][part];
        if (v === null) complete = false;
        else sum += Math.round(v * 100);
      }
      if (complete) out[column] = toMajorUnits(sum);
    }
  }
  return out;
}

/** Empty as PocketBase stores an unset field: "", 0, false, null, []. */
export function isEmptyColumn(value: unknown): boolean {
  return value === undefined || value === null || value === "" || value === 0 || value === false || (Array.isArray(value) && value.length === 0);
}

/**
 * What to write so the record gets the reading's values where its columns are still empty:
 * a person's corrections are never overwritten, and writing the same reading twice changes nothing.
 */
export function fillEmptyColumns(current: Partial<Record<keyof InvoiceColumns, unknown>>, proposed: Partial<InvoiceColumns>): Partial<InvoiceColumns> {
  const out: Partial<InvoiceColumns> = {};
  for (let i = 0; i < INVOICE_COLUMNS.length; i++) {
    const column = INVOICE_COLUMNS[i];
    const v = proposed[column];
    if (v === undefined || isEmptyColumn(v)) continue;
    if (!isEmptyColumn(current[column])) continue;
    (out as Record<string, unknown>)[column] = v;
  }
  return out;
}
