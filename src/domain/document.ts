// A read document's fields as the CLI, the OCR worker and the dashboard show them: one flat map
// of field name -> value with a confidence, for invoices (from OCR, a PDF text layer or KSeF XML)
// and for equipment nameplates. The confidence combines two independent judgements:
// - the parser's (invoice.ts, fgas.ts): how the value was found (next to its label, guessed by
//   position, letters repaired into digits) and whether it passed its checks (sums, checksums);
// - the OCR engine's: how sure it was of the very words the value was read from.
// Also decides whether a text is an invoice or a nameplate when nobody said which.
//
// Pure: used by the Node reader (src/ocr) and by the dashboard's in-browser OCR alike.
// Runs in PocketBase's JS VM too: no named groups, no lookbehind, no \p{..}, no Intl.

import type { FieldReading, FieldSource, InvoiceReading } from "./invoice";
import type { NameplateReading } from "./fgas";
import { formatAmount } from "./money";

/** One word as the OCR engine read it; confidence 0..1. */
export interface OcrWordInfo {
  text: string;
  confidence: number;
}

/** One line of OCR text with its words; confidence 0..1. */
export interface OcrLineInfo {
  text: string;
  confidence: number;
  words: OcrWordInfo[];
}

export type DocumentKind = "invoice" | "nameplate";

export interface DocumentField<T = unknown> {
  value: T;
  /** 0..1: the parser's confidence lowered by the OCR engine's doubt about the words read. */
  confidence: number;
  /** 0..1: how sure the parser is, given the text is right. */
  parserConfidence: number;
  /** 0..1: the OCR engine's confidence in the words the value came from; null when there was no OCR. */
  ocrConfidence: number | null;
  source: FieldSource;
  /** Amounts in grosze also as printed ("1 057,80 zł"). */
  display?: string;
}

export interface DocumentReview {
  field: string;
  code: string;
  message: string;
}

// ---------------------------------------------------------------------------------------------
// Invoice or nameplate?

const INVOICE_MARKS: RegExp[] = [
  /faktur|invoice|rachunek nr/,
  /(^|[^a-z])nip([^a-z]|$)/,
  /sprzedawc|wystawc|dostawc/,
  /nabywc|odbiorc/,
  /do zaplaty|razem/,
  /netto|brutto/,
  /stawka|kwota vat/,
  /termin (platnosci|zaplaty)/,
  /rachun|konto|przelew/,
  /data (wystawienia|sprzedazy)/,
];

const NAMEPLATE_MARKS: RegExp[] = [
  /refrigerant|czynnik chlodniczy|kaltemittel|fluide|chlodziwo/,
  /serial|s\/n|nr seryjny|numer seryjny|seriennummer/,
  /(^|[^a-z])(model|type|typ)([^a-z]|$)/,
  /(^|[^a-z])gwp([^a-z]|$)/,
  /co2/,
  /(^|[^a-z0-9])r ?-?(32|410a|407c|134a|404a|290|744|600a|1234yf|1234ze|454b|513a|452a|22)([^a-z0-9]|$)/,
  /(^|[^a-z])ip ?[x0-9][0-9]([^0-9]|$)/,
  /[0-9] ?hz([^a-z]|$)/,
  /mpa|(^|[^a-z])bar([^a-z]|$)|psi/,
  /hermeti/,
  /outdoor|indoor|jednostka (zewn|wewn)|heat pump|pompa ciepla|air conditioner/,
];

const FOLD: Record<string, string> = { ą: "a", ć: "c", ę: "e", ł: "l", ń: "n", ó: "o", ś: "s", ź: "z", ż: "z", ä: "a", ö: "o", ü: "u" };

function fold(text: string): string {
  return String(text ?? "").toLowerCase().replace(/[ąćęłńóśźżäöü]/g, (c) => FOLD[c] ?? c);
}

/** Invoice unless the text looks more like a rating plate (markers of each counted, ties go to invoice). */
export function guessDocumentKind(text: string): DocumentKind {
  const f = fold(text);
  let invoice = 0;
  let plate = 0;
  for (let i = 0; i < INVOICE_MARKS.length; i++) if (INVOICE_MARKS[i].test(f)) invoice++;
  for (let i = 0; i < NAMEPLATE_MARKS.length; i++) if (NAMEPLATE_MARKS[i].test(f)) plate++;
  return plate > invoice ? "nameplate" : "invoice";
}

// ---------------------------------------------------------------------------------------------
// OCR confidence of a field

type ValueKind = "text" | "digits" | "date" | "amount" | "decimal" | "flag";

const MONTH_GENITIVE = ["stycznia", "lutego", "marca", "kwietnia", "maja", "czerwca", "lipca", "sierpnia", "wrzesnia", "pazdziernika", "listopada", "grudnia"];
const ROMAN = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii"];

/** Letters and digits only, lower case, Polish letters folded: how words and values are compared. */
function key(text: string): string {
  return fold(text).replace(/[^a-z0-9]/g, "");
}

/** The ways a value may have been printed, as keys. */
function renderings(value: unknown, kind: ValueKind): string[] {
  if (kind === "flag") return [];
  if (kind === "date" && typeof value === "string") {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
    if (!m) return [key(value)];
    const [y, mm, dd] = [m[1], m[2], m[3]];
    const d = String(Number(dd));
    const mo = Number(mm);
    return [y + mm + dd, dd + mm + y, d + mm + y, dd + MONTH_GENITIVE[mo - 1] + y, d + MONTH_GENITIVE[mo - 1] + y, d + ROMAN[mo - 1] + y];
  }
  if (kind === "amount" && typeof value === "number") {
    const digits = String(Math.abs(value));
    return [digits.length < 3 ? ("000" + digits).slice(-3) : digits];
  }
  if (kind === "decimal" && typeof value === "number") {
    const plain = String(value).replace(".", "");
    const out = [plain];
    for (let decimals = 1; decimals <= 3; decimals++) {
      const fixed = value.toFixed(decimals).replace(".", "");
      if (out.indexOf(fixed) < 0) out.push(fixed);
    }
    return out;
  }
  const k = key(String(value));
  return k ? [k] : [];
}

/**
 * The OCR engine's confidence (0..1) in the words a value was read from: the weakest word of the
 * shortest run of words on the value's line that spells the value (their mean for names and
 * other free text); the whole line's confidence
 * when the value is not spelled there as such (repaired digits, a name continued on the next
 * line, a yes/no note). Null when the value did not come from an OCR line.
 */
export function ocrConfidenceOf(field: FieldReading<unknown>, kind: ValueKind, lines: ReadonlyArray<OcrLineInfo | null> | null): number | null {
  if (!lines || field.source.kind !== "ocr" || !field.source.line) return null;
  const line = lines[field.source.line - 1];
  if (!line) return null;
  const wanted = renderings(field.value, kind);
  const keys = line.words.map((w) => key(w.text));
  let best: { length: number; confidence: number } | null = null;
  for (let r = 0; r < wanted.length; r++) {
    const target = wanted[r];
    if (!target) continue;
    for (let i = 0; i < keys.length; i++) {
      let joined = "";
      let weakest = 1;
      let sum = 0;
      for (let j = i; j < keys.length; j++) {
        joined += keys[j];
        weakest = Math.min(weakest, line.words[j].confidence);
        sum += line.words[j].confidence;
        if (joined.indexOf(target) >= 0) {
          const length = j - i + 1;
          // One doubtful digit spoils a number; a name with one doubtful word ("o.o.") is still mostly right.
          const confidence = kind === "text" ? Math.round((sum / length) * 100) / 100 : weakest;
          if (!best || length < best.length || (length === best.length && confidence > best.confidence)) best = { length, confidence };
          break;
        }
        if (joined.length > target.length + 40) break;
      }
    }
  }
  return Math.round((best ? best.confidence : line.confidence) * 100) / 100;
}

/**
 * Parser confidence x a factor from the OCR confidence: words the engine was at least 90 % sure
 * of cost nothing; below that the factor falls linearly to 0 at 30 %. A value the cross-checks
 * confirmed (parser confidence >= 0.97: the amounts add up, the checksum holds) keeps at least
 * 0.9 of it, since arithmetic that agrees is stronger evidence than the engine's doubt.
 */
export function combineConfidence(parser: number, ocr: number | null): number {
  if (ocr === null) return parser;
  let factor = ocr >= 0.9 ? 1 : Math.max(0, (ocr - 0.3) / 0.6);
  if (parser >= 0.97) factor = Math.max(factor, 0.9);
  return Math.round(parser * factor * 100) / 100;
}

function documentField<T>(reading: FieldReading<T>, kind: ValueKind, lines: ReadonlyArray<OcrLineInfo | null> | null, display?: string): DocumentField<T> {
  const ocr = ocrConfidenceOf(reading, kind, lines);
  const out: DocumentField<T> = {
    value: reading.value,
    confidence: combineConfidence(reading.confidence, ocr),
    parserConfidence: reading.confidence,
    ocrConfidence: ocr,
    source: reading.source,
  };
  if (display !== undefined) out.display = display;
  return out;
}

// ---------------------------------------------------------------------------------------------
// Flat field maps

const INVOICE_KINDS: Array<[string, ValueKind]> = [
  ["kind", "flag"],
  ["number", "text"],
  ["issueDate", "date"],
  ["saleDate", "date"],
  ["dueDate", "date"],
  ["sellerName", "text"],
  ["sellerNip", "digits"],
  ["buyerName", "text"],
  ["buyerNip", "digits"],
  ["currency", "text"],
  ["netTotal", "amount"],
  ["vatTotal", "amount"],
  ["grossTotal", "amount"],
  ["paidAmount", "amount"],
  ["totalAmount", "amount"],
  ["bankAccount", "digits"],
  ["splitPayment", "flag"],
];

/**
 * An invoice reading as a flat map: every InvoiceFields key (null when not found), and per VAT
 * rate "rates.<rate>.net" / ".vat" / ".gross". `lines`: the OCR lines the text was made of (index
 * 0 = line 1), or null for a PDF text layer or KSeF XML.
 */
export function invoiceDocumentFields(reading: InvoiceReading, lines: ReadonlyArray<OcrLineInfo | null> | null = null): Record<string, DocumentField | null> {
  const f = reading.fields;
  const currency = f.currency ? f.currency.value : "PLN";
  const money = (grosze: number) => formatAmount(grosze, currency, { space: " " });
  const out: Record<string, DocumentField | null> = {};
  for (let i = 0; i < INVOICE_KINDS.length; i++) {
    const [name, kind] = INVOICE_KINDS[i];
    const reading = (f as unknown as Record<string, FieldReading<unknown> | null>)[name];
    out[name] = reading ? documentField(reading, kind, lines, kind === "amount" ? money(reading.value as number) : undefined) : null;
    if (name === "currency") {
      for (let r = 0; r < f.rates.length; r++) {
        const rate = f.rates[r];
        for (const part of ["net", "vat", "gross"] as const) {
          const value = rate[part];
          out[`rates.${rate.rate}.${part}`] = value ? documentField(value, "amount", lines, money(value.value)) : null;
        }
      }
    }
  }
  return out;
}

const NAMEPLATE_KINDS: Array<[keyof Omit<NameplateReading, "review">, ValueKind]> = [
  ["manufacturer", "text"],
  ["model", "text"],
  ["serialNumber", "text"],
  ["refrigerant", "text"],
  ["chargeKg", "decimal"],
  ["gwp", "decimal"],
  ["co2eTonnes", "decimal"],
  ["hermeticallySealed", "flag"],
];

/** A nameplate reading as a flat map (null for what was not found); `lines` as for invoices. */
export function nameplateDocumentFields(reading: NameplateReading, lines: ReadonlyArray<OcrLineInfo | null> | null = null): Record<string, DocumentField | null> {
  const out: Record<string, DocumentField | null> = {};
  for (let i = 0; i < NAMEPLATE_KINDS.length; i++) {
    const [name, kind] = NAMEPLATE_KINDS[i];
    const value = reading[name] as FieldReading<unknown> | null;
    out[name] = value ? documentField(value, kind, lines) : null;
  }
  return out;
}
