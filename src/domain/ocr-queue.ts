// The OCR queue: how uploads waiting to be read are handed to workers, one at a time, and what a
// worker's answer writes. The records themselves are the queue (invoices and equipment_photos,
// fields ocrStatus / ocrAttempts / ocrLeaseUntil / ocrError / ocrReadAt):
//
//   waiting --claim--> reading (lease) --done--> done
//                         |  \--failed (permanent, or the last attempt)--> failed
//                         |  \--retry (a passing trouble)--> waiting, not before ocrLeaseUntil
//                         \--lease expires (the worker died)--> claimed again, or failed after the last attempt
//
// A claim and a worker's answer are each one transaction in PocketBase (pb_hooks/src/ocr.ts), and
// an answer applies only while the record still has the file and the lease it was claimed with:
// a replaced file or a lease taken over by another worker drops the late answer.
//
// Pure: the hooks (PocketBase's JS VM) and the Node worker share it.

import type { DocumentKind } from "./document";
import { checkInvoiceFields, type InvoiceState, type InvoiceStatus } from "./invoice-status";
import type { FieldError } from "./lifecycle";
import { fillEmptyColumns, invoiceColumnsFromReading, parseStoredReading, TEXT_LIMIT, type InvoiceColumns, type StoredReading } from "./ocr-record";
import { parseTimestamp, toPbDate } from "./time";
import { utf8Length } from "./utf8";

export const OCR_COLLECTIONS = ["invoices", "equipment_photos"] as const;
export type OcrCollection = (typeof OCR_COLLECTIONS)[number];

/** The json field that keeps the reading. */
export const READING_FIELD: Record<OcrCollection, "ocrData" | "aiAnalysis"> = { invoices: "ocrData", equipment_photos: "aiAnalysis" };
/** What the file of a record is read as. */
export const DOCUMENT_KIND_OF: Record<OcrCollection, DocumentKind> = { invoices: "invoice", equipment_photos: "nameplate" };
/** The json fields' maxSize in the schema (ocrData 200 kB, aiAnalysis 100 kB). */
export const READING_MAX_BYTES: Record<OcrCollection, number> = { invoices: 200000, equipment_photos: 100000 };
/** ocrError's max length in the schema. */
export const OCR_ERROR_MAX = 2000;

export const CLAIM_MAX_LIMIT = 50;
export const LEASE_MIN_SECONDS = 1;
export const LEASE_MAX_SECONDS = 86400;
export const MAX_ATTEMPTS_LIMIT = 100;

export function isOcrCollection(v: unknown): v is OcrCollection {
  return v === "invoices" || v === "equipment_photos";
}

export interface ClaimRequest {
  collection: OcrCollection;
  /** Records claimed at most (oldest first). */
  limit: number;
  /** How long the claim holds before another worker may take the record over. */
  leaseSeconds: number;
  /** A record whose lease ran out this many times is failed instead of claimed again. */
  maxAttempts: number;
}

/** One claimed record, as the claim route answers. */
export interface ClaimedDocument {
  collection: OcrCollection;
  id: string;
  /** The stored file name at the claim: the answer applies only while the record still has it. */
  file: string;
  /** Attempts including this one. */
  attempts: number;
  /** ocrLeaseUntil as stored ("2026-11-25 10:00:00.000Z"): the claim's identity. */
  lease: string;
}

type Parsed<T> = { value: T | null; errors: FieldError[] };

function wholeNumber(data: Record<string, unknown>, field: string, fallback: number, min: number, max: number, errors: FieldError[]): number {
  const raw = data[field];
  if (raw === undefined || raw === null || raw === "") return fallback;
  const n = typeof raw === "number" ? raw : typeof raw === "string" && /^\s*\d+\s*$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(n) || n < min || n > max) {
    errors.push({ field, code: "invalid_number", message: `${field} must be a whole number from ${min} to ${max}.` });
    return fallback;
  }
  return n;
}

function collectionOf(data: Record<string, unknown>, errors: FieldError[]): OcrCollection {
  const c = data["collection"];
  if (!isOcrCollection(c)) {
    errors.push({ field: "collection", code: "invalid_collection", message: `collection must be one of ${OCR_COLLECTIONS.join(", ")}.` });
    return "invoices";
  }
  return c;
}

/** The body of POST /api/hvac/ocr/claim. */
export function parseClaimRequest(data: Record<string, unknown>): Parsed<ClaimRequest> {
  const errors: FieldError[] = [];
  const collection = collectionOf(data, errors);
  const limit = wholeNumber(data, "limit", 1, 1, CLAIM_MAX_LIMIT, errors);
  const leaseSeconds = wholeNumber(data, "leaseSeconds", 120, LEASE_MIN_SECONDS, LEASE_MAX_SECONDS, errors);
  const maxAttempts = wholeNumber(data, "maxAttempts", 3, 1, MAX_ATTEMPTS_LIMIT, errors);
  return errors.length ? { value: null, errors } : { value: { collection, limit, leaseSeconds, maxAttempts }, errors };
}

export const FINISH_OUTCOMES = ["done", "retry", "failed", "release", "renew"] as const;
/**
 * done: the reading is stored; retry: back to waiting until `retryAt`; failed: for good (a person
 * may retry); release: back to waiting at once, the attempt not counted (a worker stopping);
 * renew: the lease is extended (a long document still being read).
 */
export type FinishOutcome = (typeof FINISH_OUTCOMES)[number];

export interface FinishRequest {
  collection: OcrCollection;
  id: string;
  file: string;
  lease: string;
  outcome: FinishOutcome;
  /** done */
  reading?: StoredReading;
  /** retry, failed */
  error?: string;
  /** retry: epoch ms */
  retryAt?: number;
  /** renew */
  leaseSeconds?: number;
}

/** Why a worker's answer was not applied. */
export type FinishRefusal = "gone" | "file_changed" | "lease_lost";

function nonEmptyString(data: Record<string, unknown>, field: string, max: number, errors: FieldError[]): string {
  const v = data[field];
  if (typeof v !== "string" || !v.trim() || v.length > max) {
    errors.push({ field, code: "required", message: `${field} must be a non-empty text of at most ${max} characters.` });
    return "";
  }
  return v;
}

/** The body of POST /api/hvac/ocr/finish. `reading` may arrive as an object or as JSON text. */
export function parseFinishRequest(data: Record<string, unknown>): Parsed<FinishRequest> {
  const errors: FieldError[] = [];
  const collection = collectionOf(data, errors);
  const id = nonEmptyString(data, "id", 15, errors);
  if (id && !/^[a-z0-9]{15}$/.test(id)) errors.push({ field: "id", code: "invalid_id", message: "id must be a record id (15 lowercase letters and digits)." });
  const file = nonEmptyString(data, "file", 300, errors);
  const lease = nonEmptyString(data, "lease", 40, errors);
  const outcome = data["outcome"];
  if (typeof outcome !== "string" || FINISH_OUTCOMES.indexOf(outcome as FinishOutcome) < 0) {
    errors.push({ field: "outcome", code: "invalid_outcome", message: `outcome must be one of ${FINISH_OUTCOMES.join(", ")}.` });
    return { value: null, errors };
  }
  const out: FinishRequest = { collection, id, file, lease, outcome: outcome as FinishOutcome };
  if (outcome === "done") {
    let raw = data["reading"];
    if (typeof raw === "string") {
      try {
        raw = JSON.parse(raw);
      } catch {
        raw = null;
      }
    }
    const parsed = parseStoredReading(raw, "reading", DOCUMENT_KIND_OF[collection]);
    for (let i = 0; i < parsed.errors.length; i++) errors.push(parsed.errors[i]);
    if (parsed.value) {
      const bytes = utf8Length(JSON.stringify(parsed.value));
      if (bytes > READING_MAX_BYTES[collection]) {
        errors.push({ field: "reading", code: "reading_too_large", message: `reading is ${bytes} bytes; ${READING_FIELD[collection]} holds at most ${READING_MAX_BYTES[collection]}.` });
      }
      out.reading = parsed.value;
    }
  }
  if (outcome === "retry" || outcome === "failed") out.error = nonEmptyString(data, "error", OCR_ERROR_MAX, errors);
  if (outcome === "retry") {
    const at = parseTimestamp(data["retryAt"]);
    if (!Number.isFinite(at)) errors.push({ field: "retryAt", code: "invalid_date", message: "retryAt must be an ISO 8601 timestamp." });
    out.retryAt = at;
  }
  if (outcome === "renew") out.leaseSeconds = wholeNumber(data, "leaseSeconds", 120, LEASE_MIN_SECONDS, LEASE_MAX_SECONDS, errors);
  return errors.length ? { value: null, errors } : { value: out, errors };
}

// ---------------------------------------------------------------------------------------------
// Failures and retries (the worker's decision)

export interface FailureReason {
  /** True when reading the same file again cannot help (not a document, no text, too large...). */
  permanent: boolean;
  /** One line starting with a code ("no_text: No text found in the PNG image: ..."). */
  reason: string;
}

export interface RetryPolicy {
  maxAttempts: number;
  /** Wait before the second attempt; doubled for each further one. */
  retryBaseMs: number;
  retryMaxMs: number;
}

export type FailureDecision =
  | { outcome: "failed"; error: string }
  | { outcome: "retry"; error: string; retryAt: number };

/** "code: message" on one line, cut to what ocrError holds. */
export function failureText(code: string, message: string): string {
  const line = `${code}: ${String(message).replace(/\s+/g, " ").trim()}`;
  return line.length > OCR_ERROR_MAX ? line.slice(0, OCR_ERROR_MAX - 1) + "…" : line;
}

/** The wait after the `attempts`-th failed attempt: base, 2 x base, 4 x base, ... up to the cap. */
export function retryDelayMs(attempts: number, policy: Pick<RetryPolicy, "retryBaseMs" | "retryMaxMs">): number {
  const n = Math.max(1, Math.floor(attempts));
  const delay = policy.retryBaseMs * Math.pow(2, Math.min(n - 1, 30));
  return Math.min(delay, policy.retryMaxMs);
}

/**
 * What a failed attempt leads to: a permanent failure fails at once; a passing one is tried again
 * after a growing wait, until the attempts run out (then it fails with the last reason).
 * `attempts` counts this one.
 */
export function decideFailure(failure: FailureReason, attempts: number, policy: RetryPolicy, now: number): FailureDecision {
  if (failure.permanent) return { outcome: "failed", error: failure.reason };
  if (attempts >= policy.maxAttempts) {
    const suffix = ` (gave up after ${attempts} ${attempts === 1 ? "attempt" : "attempts"})`;
    const base = failure.reason.length + suffix.length > OCR_ERROR_MAX ? failure.reason.slice(0, OCR_ERROR_MAX - suffix.length - 1) + "…" : failure.reason;
    return { outcome: "failed", error: base + suffix };
  }
  return { outcome: "retry", error: failure.reason, retryAt: now + retryDelayMs(attempts, policy) };
}

/** ocrError of a record whose lease ran out on its last attempt (the reader crashed or was killed each time). */
export function interruptedText(attempts: number): string {
  return failureText("interrupted", `the reader stopped without an answer ${attempts} ${attempts === 1 ? "time" : "times"} (crashed, killed or out of memory)`);
}

/**
 * The reading cut to fit its json field: the text goes first (the fields stay whole). Returns the
 * reading unchanged when it fits.
 */
export function fitReading(reading: StoredReading, maxBytes: number): StoredReading {
  let bytes = utf8Length(JSON.stringify(reading));
  if (bytes <= maxBytes) return reading;
  let text = reading.text.length > TEXT_LIMIT ? reading.text.slice(0, TEXT_LIMIT) : reading.text;
  const fixed = bytes - utf8Length(JSON.stringify(reading.text));
  // Cut by the text's own bytes per character, a few times at most (escapes make it inexact).
  for (let i = 0; i < 8 && text.length; i++) {
    const room = maxBytes - fixed - 64;
    const textBytes = utf8Length(JSON.stringify(text));
    if (textBytes <= room) break;
    text = room <= 0 ? "" : text.slice(0, Math.max(0, Math.floor((text.length * room) / textBytes) - 1));
  }
  const out: StoredReading = { ...reading, text, textTruncated: true };
  bytes = utf8Length(JSON.stringify(out));
  return bytes <= maxBytes ? out : { ...out, text: "" };
}

// ---------------------------------------------------------------------------------------------
// Applying a worker's answer (the finish route, inside its transaction)

/** What the finish route reads of the record before applying an answer. */
export interface RecordOcrState {
  file: string;
  ocrStatus: string;
  ocrLeaseUntil: string;
  ocrAttempts: number;
  /** Invoices: the review status and the reviewed columns as stored. */
  invoice?: { status: string; columns: Partial<Record<keyof InvoiceColumns, unknown>> };
}

/** Why the answer must be dropped, or null when it still belongs to the record. */
export function finishRefusal(req: Pick<FinishRequest, "file" | "lease">, current: RecordOcrState | null): FinishRefusal | null {
  if (!current) return "gone";
  if (current.file !== req.file) return "file_changed";
  const held = parseTimestamp(current.ocrLeaseUntil);
  if (current.ocrStatus !== "reading" || !Number.isFinite(held) || held !== parseTimestamp(req.lease)) return "lease_lost";
  return null;
}

/**
 * The fields an answer writes. A done invoice that is still pending also gets the reading's
 * columns where they are empty (a person's entries are never overwritten; values that fail the
 * invoice checks, e.g. a due date before the issue date, stay in the reading only); a processed or
 * paid invoice keeps its columns.
 */
export function finishWrites(req: FinishRequest, current: RecordOcrState, now: number): Record<string, unknown> {
  switch (req.outcome) {
    case "renew":
      return { ocrLeaseUntil: toPbDate(now + (req.leaseSeconds ?? 120) * 1000) };
    case "release":
      return { ocrStatus: "waiting", ocrLeaseUntil: "", ocrAttempts: Math.max(0, current.ocrAttempts - 1) };
    case "retry":
      return { ocrStatus: "waiting", ocrError: req.error ?? "", ocrLeaseUntil: toPbDate(req.retryAt ?? now) };
    case "failed":
      return { ocrStatus: "failed", ocrError: req.error ?? "", ocrLeaseUntil: "" };
    case "done": {
      const writes: Record<string, unknown> = {
        ocrStatus: "done", [READING_FIELD[req.collection]]: req.reading, ocrReadAt: toPbDate(now), ocrError: "", ocrLeaseUntil: "",
      };
      if (req.collection === "invoices" && current.invoice && current.invoice.status === "pending" && req.reading) {
        const columns = readingColumns(req.reading, current.invoice.columns);
        const names = Object.keys(columns);
        for (let i = 0; i < names.length; i++) writes[names[i]] = (columns as Record<string, unknown>)[names[i]];
      }
      return writes;
    }
  }
}

/** The columns a reading fills on a pending invoice: only empty ones, only values that pass the invoice checks. */
export function readingColumns(reading: StoredReading, current: Partial<Record<keyof InvoiceColumns, unknown>>): Partial<InvoiceColumns> {
  const fill = fillEmptyColumns(current, invoiceColumnsFromReading(reading.fields));
  const state = { ...current, ...fill, status: "pending" as InvoiceStatus } as InvoiceState;
  const problems = checkInvoiceFields(state, Object.keys(fill));
  const out = fill as Record<string, unknown>;
  for (let i = 0; i < problems.length; i++) {
    const field = problems[i].field;
    // A due date a person entered and an issue date read after it: the read one gives way.
    if (field in out) delete out[field];
    else if (problems[i].code === "due_before_issue") delete out.issueDate;
  }
  return fill;
}
