// The dashboard's invoice pages, the pure part: where reading an invoice stands, the list's tabs and
// live updates, what an upload sends along with a reading made in the browser, and the review
// form (text inputs <-> the reviewed columns, what changed, what the reading said of each field).
// The review rules themselves are invoice-status.ts and ocr-record.ts; this only prepares for them.
// No browser or PocketBase globals.

import type { DocumentField, DocumentReview } from "./document";
import { allowedInvoiceMoves, checkInvoiceFields, type InvoiceRole, type InvoiceState, type InvoiceStatus } from "./invoice-status";
import { fromMajorUnits, formatAmount, parseAmount, toMajorUnits } from "./money";
import { normalizeNip } from "./nip";
import { formatNrb, normalizeNrb } from "./nrb";
import { INVOICE_COLUMNS, invoiceColumnsFromReading, parseStoredReading, READING_FIELD_OF_COLUMN, type InvoiceColumns, type OcrStatus, type StoredReading, type VatBreakdownRow } from "./ocr-record";
import type { InvoiceRecord } from "./types";

/** An invoice record with the reading and review columns (pb_migrations/1795570000_documents.js). */
export interface InvoiceRow extends InvoiceRecord {
  description?: string;
  ocrStatus?: OcrStatus | "";
  ocrError?: string;
  ocrAttempts?: number;
  ocrReadAt?: string;
  invoiceNumber?: string;
  issueDate?: string;
  saleDate?: string;
  dueDate?: string;
  sellerName?: string;
  sellerNip?: string;
  buyerNip?: string;
  currency?: string;
  netAmount?: number;
  vatAmount?: number;
  grossAmount?: number;
  vatBreakdown?: VatBreakdownRow[] | null;
  bankAccount?: string;
  splitPayment?: boolean;
  processedAt?: string;
  processedBy?: string;
  paidAt?: string;
}

// ---------------------------------------------------------------------------------------------
// The reading

/** ocrData as a reading (the SDK gives json fields parsed; text is accepted too), or null. */
export function readingOf(ocrData: unknown): StoredReading | null {
  let value = ocrData;
  if (typeof value === "string") {
    if (!value) return null;
    try {
      value = JSON.parse(value);
    } catch {
      return null;
    }
  }
  return parseStoredReading(value, "ocrData").value;
}

/** "none": nothing to read (no file). */
export type OcrState = OcrStatus | "none";

/**
 * Where reading the invoice's file stands. A record from before the reading columns (no ocrStatus)
 * counts as read when it holds a reading, else as waiting when it has a file.
 */
export function ocrState(row: Pick<InvoiceRow, "ocrStatus" | "ocrData" | "file">): OcrState {
  const s = row.ocrStatus;
  if (s === "waiting" || s === "reading" || s === "done" || s === "failed") return s;
  if (readingOf(row.ocrData)) return "done";
  return row.file ? "waiting" : "none";
}

/** The server is still working on the file: the page says so and waits for the live update. */
export function isReading(state: OcrState): boolean {
  return state === "waiting" || state === "reading";
}

/** How many things the reading asks a person to check. */
export function flagCount(row: Pick<InvoiceRow, "ocrData">): number {
  return readingOf(row.ocrData)?.review.length ?? 0;
}

// ---------------------------------------------------------------------------------------------
// Dates and amounts as shown

/** The calendar day of a PocketBase date ("2026-11-24 00:00:00.000Z" -> "2026-11-24"), "" if none. */
export function invoiceDay(value: unknown): string {
  const m = /^(\d{4}-\d{2}-\d{2})/.exec(typeof value === "string" ? value : "");
  return m ? m[1] : "";
}

/** "24.11.2026" for an invoice date (a calendar day, no time zone), "" if none. */
export function formatInvoiceDay(value: unknown): string {
  const d = invoiceDay(value);
  return d ? `${d.slice(8, 10)}.${d.slice(5, 7)}.${d.slice(0, 4)}` : "";
}

/** Not paid and the due day is before `today` (YYYY-MM-DD, Warsaw). */
export function isOverdue(row: Pick<InvoiceRow, "status" | "dueDate">, today: string): boolean {
  const due = invoiceDay(row.dueDate);
  return row.status !== "paid" && due !== "" && due < today;
}

/** A stored amount (major units) in Polish notation: "1 234,56 zł"; "" when empty. */
export function formatStoredAmount(amount: unknown, currency: unknown = "PLN"): string {
  const g = typeof amount === "number" ? fromMajorUnits(amount) : null;
  if (g === null) return "";
  return formatAmount(g, typeof currency === "string" && /^[A-Z]{3}$/.test(currency) ? currency : "PLN");
}

/** The amount an invoice list shows: the total to pay, else the gross total. */
export function invoiceTotal(row: Pick<InvoiceRow, "totalAmount" | "grossAmount">): number | null {
  if (typeof row.totalAmount === "number" && row.totalAmount !== 0) return row.totalAmount;
  if (typeof row.grossAmount === "number" && row.grossAmount !== 0) return row.grossAmount;
  return typeof row.totalAmount === "number" ? row.totalAmount : null;
}

// ---------------------------------------------------------------------------------------------
// The list

export const INVOICE_TABS: readonly InvoiceStatus[] = ["pending", "processed", "paid"];

/** A list tab from the address (?tab=processed), pending when missing or unknown. */
export function invoiceTab(value: string | null | undefined): InvoiceStatus {
  return INVOICE_TABS.indexOf(value as InvoiceStatus) >= 0 ? (value as InvoiceStatus) : "pending";
}

/**
 * A tab's rows after a live event: a record of this tab is added (newest first) or replaced, one
 * that left the tab (moved on, deleted) is removed. An older copy never replaces a newer one.
 */
export function applyInvoiceEvent<T extends Pick<InvoiceRow, "id" | "status" | "created" | "updated">>(
  rows: readonly T[],
  record: T,
  action: "create" | "update" | "delete",
  tab: InvoiceStatus,
): T[] {
  const i = rows.findIndex((r) => r.id === record.id);
  const belongs = action !== "delete" && (record.status || "pending") === tab;
  if (!belongs) return i < 0 ? (rows as T[]) : rows.filter((r) => r.id !== record.id);
  if (i >= 0) {
    if (rows[i].updated && record.updated && record.updated < rows[i].updated) return rows as T[];
    const out = rows.slice();
    out[i] = record;
    return out;
  }
  const out = [record, ...rows];
  out.sort((a, b) => (a.created < b.created ? 1 : a.created > b.created ? -1 : 0));
  return out;
}

// ---------------------------------------------------------------------------------------------
// Upload

/** How a picked file is read: in the browser (OCR or KSeF XML), by the server's worker, or not at all. */
export type ReadPlan = "ocr" | "ksef" | "server" | "unsupported";

/**
 * By the file's content (src/ocr/detect.ts): JPEG, PNG, WebP and BMP are OCRed in the browser;
 * KSeF XML is read exactly; PDFs (text layer or scan) and HEIC/TIFF/AVIF/GIF (which need poppler
 * or ImageMagick) are read by the server's worker after the upload.
 */
export function readPlan(format: string | null): ReadPlan {
  switch (format) {
    case "jpeg":
    case "png":
    case "webp":
    case "bmp":
      return "ocr";
    case "xml":
      return "ksef";
    case "pdf":
    case "heic":
    case "tiff":
    case "avif":
    case "gif":
      return "server";
    default:
      return "unsupported";
  }
}

/**
 * The columns an upload proposes from a reading: invoiceColumnsFromReading, less any value the
 * server would refuse together with the others (a due date before the issue date, a negative total
 * to pay): that one stays in the reading for the person to decide, and the upload itself goes through.
 */
export function uploadColumns(fields: Record<string, DocumentField | null>): Partial<InvoiceColumns> {
  const columns = invoiceColumnsFromReading(fields);
  const state = { status: "pending", ...columns } as InvoiceState;
  const names = Object.keys(columns);
  const bad = checkInvoiceFields(state, names).map((e) => e.field);
  // invoices.totalAmount has min 0 in the schema: a correction invoice's negative total to pay stays in the reading.
  if (typeof columns.totalAmount === "number" && columns.totalAmount < 0) bad.push("totalAmount");
  const out: Partial<InvoiceColumns> = {};
  for (const name of names) if (bad.indexOf(name) < 0) (out as Record<string, unknown>)[name] = (columns as Record<string, unknown>)[name];
  return out;
}

/** Columns as multipart form values (json fields as JSON text, numbers and flags as text). */
export function columnsFormData(columns: Partial<InvoiceColumns>): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const name of INVOICE_COLUMNS) {
    const v = columns[name];
    if (v === undefined || v === null) continue;
    out.push([name, typeof v === "object" ? JSON.stringify(v) : String(v)]);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The review form

/** One VAT rate row as its inputs hold it. */
export interface RateForm {
  rate: string;
  net: string;
  vat: string;
  gross: string;
}

/** Every reviewed column as its input holds it: text, the split-payment box, the VAT rows as rows. */
export type InvoiceForm = { [K in Exclude<keyof InvoiceColumns, "vatBreakdown" | "splitPayment">]: string } & {
  splitPayment: boolean;
  rates: RateForm[];
};

export const TEXT_FIELDS = ["invoiceNumber", "sellerName", "sellerNip", "buyerNip", "currency", "bankAccount"] as const;
export const DATE_FIELDS = ["issueDate", "saleDate", "dueDate"] as const;
export const AMOUNT_FIELDS = ["netAmount", "vatAmount", "grossAmount", "totalAmount"] as const;
export type AmountField = (typeof AMOUNT_FIELDS)[number];

/** The rates a row can be added for (the common Polish ones; others come from readings). */
export const FORM_RATES = ["23", "8", "5", "0", "zw", "np", "oo"] as const;

/**
 * "1234,56" for an input (no grouping: easier to edit), "" when empty. `zeroIsEmpty`: PocketBase
 * keeps an unset number as 0, so a total of 0 is shown as not filled in (as isEmptyColumn reads it).
 */
export function amountInput(value: unknown, zeroIsEmpty = false): string {
  const g = typeof value === "number" ? fromMajorUnits(value) : null;
  return g === null || (zeroIsEmpty && g === 0) ? "" : formatAmount(g, null, { space: "" });
}

/** An amount input -> major units; null for empty; undefined when it is not an amount. */
export function parseAmountInput(text: string): number | null | undefined {
  const s = String(text ?? "").trim();
  if (!s) return null;
  // Only digits, separators, a sign and a złoty/PLN suffix: OCR's letter repairs ("1O0") are not for typed values,
  // nor are its guesses ("12,345" could be 12 345 or a mistyped 12,34): a typed amount must be unambiguous.
  const body = s.replace(/\s*(zł|zl|pln)\.?$/i, "");
  if (/[^0-9\s.,\u00a0\u202f'-]/.test(body)) return undefined;
  const parsed = parseAmount(s);
  if (!parsed || parsed.repaired || (parsed.currency !== null && parsed.currency !== "PLN")) return undefined;
  return toMajorUnits(parsed.grosze);
}

export function invoiceToForm(row: Partial<InvoiceRow>): InvoiceForm {
  const str = (v: unknown) => (typeof v === "string" ? v : "");
  const rates = Array.isArray(row.vatBreakdown) ? row.vatBreakdown : [];
  return {
    invoiceNumber: str(row.invoiceNumber),
    issueDate: invoiceDay(row.issueDate),
    saleDate: invoiceDay(row.saleDate),
    dueDate: invoiceDay(row.dueDate),
    sellerName: str(row.sellerName),
    sellerNip: str(row.sellerNip),
    buyerNip: str(row.buyerNip),
    currency: str(row.currency),
    netAmount: amountInput(row.netAmount, true),
    vatAmount: amountInput(row.vatAmount, true),
    grossAmount: amountInput(row.grossAmount, true),
    totalAmount: amountInput(row.totalAmount, true),
    bankAccount: str(row.bankAccount) ? formatNrb(str(row.bankAccount)) ?? str(row.bankAccount) : "",
    splitPayment: row.splitPayment === true,
    rates: rates
      .filter((r) => r && typeof r === "object" && typeof r.rate === "string")
      .map((r) => ({ rate: r.rate, net: amountInput(r.net), vat: amountInput(r.vat), gross: amountInput(r.gross) })),
  };
}

export interface FormColumns {
  /** Every column as it would be stored (empty text "", empty amount null, empty list []). */
  values: Omit<InvoiceColumns, AmountField> & Record<AmountField, number | null>;
  /** Field -> local error code ("amount_format"); rate rows as "vatBreakdown". */
  errors: Record<string, string>;
}

/** The form read into column values; amounts that are not amounts are errors, not guesses. */
export function formColumns(form: InvoiceForm): FormColumns {
  const errors: Record<string, string> = {};
  const amounts = {} as Record<AmountField, number | null>;
  for (const f of AMOUNT_FIELDS) {
    const v = parseAmountInput(form[f]);
    if (v === undefined) errors[f] = "amount_format";
    amounts[f] = v ?? null;
  }
  const rows: VatBreakdownRow[] = [];
  for (const r of form.rates) {
    const part = (text: string) => {
      const v = parseAmountInput(text);
      if (v === undefined) errors.vatBreakdown = "amount_format";
      return v ?? null;
    };
    rows.push({ rate: r.rate, net: part(r.net), vat: part(r.vat), gross: part(r.gross) });
  }
  const nip = (v: string) => (/^[\s\d-]*$/.test(v) && normalizeNip(v).length === 10 ? normalizeNip(v) : v.trim());
  const account = form.bankAccount.trim();
  return {
    values: {
      invoiceNumber: form.invoiceNumber.trim(),
      issueDate: form.issueDate,
      saleDate: form.saleDate,
      dueDate: form.dueDate,
      sellerName: form.sellerName.trim(),
      sellerNip: nip(form.sellerNip),
      buyerNip: nip(form.buyerNip),
      currency: form.currency.trim().toUpperCase(),
      ...amounts,
      vatBreakdown: rows,
      // Stored as the 26 digits; spaces and a "PL" prefix as printed are not part of the number.
      bankAccount: /^(PL)?[\d\s]*$/i.test(account) ? normalizeNrb(account) : account,
      splitPayment: form.splitPayment,
    },
    errors,
  };
}

/** The columns of a record as the form would store them, to compare with. */
function storedColumns(row: Partial<InvoiceRow>): FormColumns["values"] {
  return formColumns(invoiceToForm(row)).values;
}

/**
 * What a save sends: the columns whose values differ from the record's (so a save never rewrites
 * what the worker or another person filled meanwhile in fields this person left alone).
 */
export function formPatch(row: Partial<InvoiceRow>, form: InvoiceForm): { patch: Record<string, unknown>; errors: Record<string, string> } {
  const { values, errors } = formColumns(form);
  const before = storedColumns(row);
  const patch: Record<string, unknown> = {};
  for (const name of INVOICE_COLUMNS) {
    if (errors[name]) continue;
    const a = (values as Record<string, unknown>)[name];
    const b = (before as Record<string, unknown>)[name];
    if (JSON.stringify(a) !== JSON.stringify(b)) patch[name] = a;
  }
  return { patch, errors };
}

/** The invoice as the review rules see it after this form were saved (for checkProcessable). */
export function formState(row: Partial<InvoiceRow>, form: InvoiceForm): InvoiceState {
  const { values } = formColumns(form);
  return { status: (row.status || "pending") as InvoiceStatus, paidAt: row.paidAt ?? "", ...values };
}

/**
 * The form after the stored invoice changed (a live update: the worker's reading arrived, someone
 * else saved): fields the person has not touched take the new stored value, edited ones stay.
 */
export function rebaseInvoiceForm(oldStored: InvoiceForm, newStored: InvoiceForm, form: InvoiceForm): InvoiceForm {
  const out = { ...form } as InvoiceForm;
  const keys = Object.keys(newStored) as Array<keyof InvoiceForm>;
  for (const k of keys) {
    if (JSON.stringify(form[k]) === JSON.stringify(oldStored[k])) (out as unknown as Record<string, unknown>)[k] = newStored[k];
  }
  return out;
}

/** The status buttons a role gets for an invoice, in the order shown. */
export function invoiceMoves(status: InvoiceStatus, role: InvoiceRole): InvoiceStatus[] {
  const order: InvoiceStatus[] = ["processed", "paid", "pending"];
  const allowed = allowedInvoiceMoves(status, role);
  return order.filter((s) => allowed.indexOf(s) >= 0);
}

// ---------------------------------------------------------------------------------------------
// What the reading said of each field

/** Below this a value read is highlighted for checking (the parser's and the OCR engine's doubt combined). */
export const LOW_CONFIDENCE = 0.8;

/** The reading's value for a form field, or a rate part ("rates.23.net"); null when not read. */
export function readField(reading: StoredReading | null, field: string): DocumentField | null {
  if (!reading) return null;
  const name = field.startsWith("rates.") ? field : READING_FIELD_OF_COLUMN[field as keyof InvoiceColumns];
  return (name && reading.fields[name]) || null;
}

export function isLowConfidence(f: DocumentField | null): boolean {
  return !!f && f.confidence < LOW_CONFIDENCE;
}

/** A value read, as a person compares it with the document ("24.11.2026", "1 057,80 zł", NRB in groups). */
export function readValueText(f: DocumentField, yes = "tak", no = "nie"): string {
  const v = f.value;
  if (typeof v === "boolean") return v ? yes : no;
  if (typeof f.display === "string" && f.display) return f.display;
  if (typeof v === "string" && /^\d{4}-\d{2}-\d{2}$/.test(v)) return formatInvoiceDay(v);
  if (typeof v === "string" && /^\d{26}$/.test(v)) return formatNrb(v) ?? v;
  return String(v);
}

/** The form field a review item is about ("number" -> invoiceNumber, "rates.23" -> vatBreakdown). */
export function reviewField(item: Pick<DocumentReview, "field">): string {
  if (item.field.startsWith("rates")) return "vatBreakdown";
  for (const [form, reading] of Object.entries(READING_FIELD_OF_COLUMN)) if (reading === item.field) return form;
  return item.field;
}

/** The rate a review item names ("rates.23" -> "23"), or "". */
export function reviewRate(item: Pick<DocumentReview, "field">): string {
  const m = /^rates\.([^.]+)/.exec(item.field);
  return m ? m[1] : "";
}

/** A value read as its form input would hold it (for "use the value read"); null when it does not fit the field. */
export function formValueOf(field: string, f: DocumentField | null): string | boolean | null {
  if (!f) return null;
  const v = f.value;
  if (field === "splitPayment") return typeof v === "boolean" ? v : null;
  if ((AMOUNT_FIELDS as readonly string[]).indexOf(field) >= 0 || /^rates\./.test(field)) {
    return typeof v === "number" && Number.isSafeInteger(v) ? formatAmount(v, null, { space: "" }) : null;
  }
  if ((DATE_FIELDS as readonly string[]).indexOf(field) >= 0) return typeof v === "string" && /^\d{4}-\d{2}-\d{2}$/.test(v) ? v : null;
  if (typeof v !== "string") return null;
  if (field === "bankAccount") return formatNrb(v) ?? v;
  return v;
}

/**
 * The text keys tried, in order, for a field error of an invoice write (the first one the UI has
 * wins): a refused move worded by the move tried, then by field and code, by code, the shared
 * field texts; the caller falls back to "invalid value".
 */
export function invoiceErrorKeys(field: string, code: string, move?: { from: string; to: string }): string[] {
  if (!code) return [];
  const keys = [`invoices.err.${field}.${code}`, `invoices.err.${code}`, `error.field.${code}`];
  if (field === "status" && code === "invalid_transition" && move) keys.unshift(`invoices.err.move.${move.from}.${move.to}`);
  return keys;
}
