// Invoice fields from text: what an OCR engine or a PDF text layer gives for a Polish invoice.
// The same field shape is filled exactly from KSeF XML by ksef.ts, so the dashboard, the worker
// and the CLI handle both alike.
//
// Principles:
// - Every field says how sure it is (0..1) and where it came from (line and text, or XML path).
// - Nothing is silently fixed: sums that do not add up, NIPs and account numbers that fail their
//   checksums are kept as read and listed in `review` for the dispatcher.
// - Garbage in gives empty fields out, never an exception.
// - OCR is tolerant here: "O" for 0 inside numbers, stray spaces, dates and labels broken across
//   lines, seller and buyer printed side by side in two columns.
//
// Runs in PocketBase's JS VM too: no named groups, no lookbehind, no \p{..}, no Intl.

import { findAmounts, normalizeSpaces, percentOf, repairOcrDigits, type AmountMatch } from "./money";
import { checkNip } from "./nip";
import { checkNrb, findNrbs } from "./nrb";

/**
 * VAT rates as KSeF groups them: 23/8/5 % (P_13_1..3), 4 % (taxi flat rate, P_13_4), OSS
 * (P_13_5), 0 % (P_13_6_x), exempt "zw" (P_13_7), not subject "np" (P_13_8/9), reverse charge
 * "oo" (P_13_10) and the margin scheme (P_13_11).
 */
export const VAT_RATES = ["23", "8", "5", "4", "oss", "0", "zw", "np", "oo", "marza"] as const;
export type VatRate = (typeof VAT_RATES)[number];

/** The percentage for rates that have one; the others carry no VAT of their own. */
export const VAT_PERCENT: Partial<Record<VatRate, number>> = { "23": 23, "8": 8, "5": 5, "4": 4, "0": 0 };

export type InvoiceKind = "VAT" | "KOR" | "ZAL" | "ROZ" | "UPR" | "KOR_ZAL" | "KOR_ROZ" | "PROFORMA";

export interface FieldSource {
  /** ocr: read from the text; ksef: an element of the XML; computed: derived from other values. */
  kind: "ocr" | "ksef" | "computed";
  /** OCR: 1-based line number of the text the value was read from. */
  line?: number;
  /** OCR: that line as read; computed: how the value was derived. */
  text?: string;
  /** KSeF: path of the element below the root, e.g. "Fa/P_15". */
  path?: string;
}

export interface FieldReading<T> {
  value: T;
  /** 0..1: 1 for exact structured data, lower the more the reading had to guess. */
  confidence: number;
  source: FieldSource;
}

/** Amounts for one VAT rate, in grosze (hundredths of the invoice currency). */
export interface RateAmounts {
  rate: VatRate;
  net: FieldReading<number> | null;
  vat: FieldReading<number> | null;
  gross: FieldReading<number> | null;
}

export interface InvoiceFields {
  kind: FieldReading<InvoiceKind> | null;
  number: FieldReading<string> | null;
  /** Dates as "YYYY-MM-DD". */
  issueDate: FieldReading<string> | null;
  saleDate: FieldReading<string> | null;
  dueDate: FieldReading<string> | null;
  sellerName: FieldReading<string> | null;
  /** 10 digits, no separators. */
  sellerNip: FieldReading<string> | null;
  buyerName: FieldReading<string> | null;
  buyerNip: FieldReading<string> | null;
  /** ISO 4217 code. */
  currency: FieldReading<string> | null;
  /** One entry per rate that appears, in VAT_RATES order. */
  rates: RateAmounts[];
  netTotal: FieldReading<number> | null;
  vatTotal: FieldReading<number> | null;
  grossTotal: FieldReading<number> | null;
  /** Already paid (e.g. a deposit or cash at the till), when the invoice states it. */
  paidAmount: FieldReading<number> | null;
  /** Total to pay, in grosze: what goes into invoices.totalAmount (as toMajorUnits). */
  totalAmount: FieldReading<number> | null;
  /** 26-digit NRB. */
  bankAccount: FieldReading<string> | null;
  /** "Mechanizm podzielonej płatności" stated on the invoice. */
  splitPayment: FieldReading<boolean> | null;
}

export type ReviewCode =
  | "missing"
  | "rate_sum_mismatch"
  | "rate_vat_mismatch"
  | "rate_conflict"
  | "totals_mismatch"
  | "total_mismatch"
  | "total_words_mismatch"
  | "nip_checksum"
  | "same_nip"
  | "nrb_checksum"
  | "due_before_issue"
  | "party_guess";

/** Something a person must look at; `field` names a key of InvoiceFields ("rates.23" for a rate). */
export interface ReviewItem {
  field: string;
  code: ReviewCode;
  message: string;
}

export interface InvoiceReading {
  source: "ocr" | "ksef";
  fields: InvoiceFields;
  review: ReviewItem[];
}

export function emptyInvoiceFields(): InvoiceFields {
  return {
    kind: null,
    number: null,
    issueDate: null,
    saleDate: null,
    dueDate: null,
    sellerName: null,
    sellerNip: null,
    buyerName: null,
    buyerNip: null,
    currency: null,
    rates: [],
    netTotal: null,
    vatTotal: null,
    grossTotal: null,
    paidAmount: null,
    totalAmount: null,
    bankAccount: null,
    splitPayment: null,
  };
}

// ---------------------------------------------------------------------------------------------
// Text preparation

interface Line {
  /** 1-based. */
  no: number;
  /** Spaces normalised, right-trimmed. */
  text: string;
  /** Lower case with Polish letters folded to ASCII, same length as `text` (offsets agree). */
  folded: string;
}

const FOLD1: Record<string, string> = { ą: "a", ć: "c", ę: "e", ł: "l", ń: "n", ó: "o", ś: "s", ź: "z", ż: "z" };

/** Lower case, Polish letters to ASCII, keeping the length so offsets stay valid. */
export function foldKeepLength(text: string): string {
  const lower = text.toLowerCase();
  const safe = lower.length === text.length ? lower : text.replace(/[\s\S]/g, (c) => (c.toLowerCase().length === 1 ? c.toLowerCase() : c));
  return safe.replace(/[ąćęłńóśźż]/g, (ch) => FOLD1[ch]);
}

// OCR slips in the label words, repaired in the folded line only (same length, so offsets into
// the text stay valid; values are read from the text as it is):
// - big bold headings split inside the word ("FAKTU RA VAT"): the word made whole, its spaces
//   moved in front of it;
// - "ł" of small print read as "t" ("Do zaptaty", "ptatnosci", "Pozostato"), as "zł" is read "zt".
const SPLIT_HEADING = /(^|[^a-z])(f ?a ?k ?t ?u ?r ?[aey])(?![a-z])/g;
const L_READ_AS_T: Array<[RegExp, string]> = [
  [/zapta([ct])/g, "zapla$1"],
  [/(^|[^a-z])pta([ct])/g, "$1pla$2"],
  [/wpta([ct])/g, "wpla$1"],
  [/pozostat([oa])/g, "pozostal$1"],
  [/ztot/g, "zlot"],
];

function repairLabelWords(folded: string): string {
  let out = folded.replace(SPLIT_HEADING, (all, before: string, word: string) => {
    const letters = word.replace(/ /g, "");
    return before + " ".repeat(word.length - letters.length) + letters;
  });
  for (let i = 0; i < L_READ_AS_T.length; i++) out = out.replace(L_READ_AS_T[i][0], L_READ_AS_T[i][1]);
  return out;
}

function toLines(text: string): Line[] {
  const raw = normalizeSpaces(String(text ?? "")).replace(/\r\n?/g, "\n").split("\n");
  const lines: Line[] = [];
  for (let i = 0; i < raw.length; i++) {
    const t = raw[i].replace(/\s+$/, "");
    lines.push({ no: i + 1, text: t, folded: repairLabelWords(foldKeepLength(t)) });
  }
  return lines;
}

function ocrSource(line: Line): FieldSource {
  return { kind: "ocr", line: line.no, text: line.text.trim() };
}

function reading<T>(value: T, confidence: number, source: FieldSource): FieldReading<T> {
  return { value, confidence: Math.round(Math.max(0, Math.min(1, confidence)) * 100) / 100, source };
}

// Confidence levels, so the numbers mean the same across fields.
const C_LABEL = 0.95; // value on the same line as its label
const C_NEXT_LINE = 0.8; // value on the line after its label
const C_COLUMNS = 0.7; // value matched to a label by column order
const C_GUESS = 0.5; // value found without a label, by position or elimination
const REPAIR_FACTOR = 0.85; // OCR letters read as digits

// ---------------------------------------------------------------------------------------------
// Dates

const MONTH_STEMS: Array<[string, number]> = [
  ["stycz", 1], ["lut", 2], ["mar", 3], ["kwie", 4], ["maj", 5], ["czerw", 6],
  ["lip", 7], ["sierp", 8], ["wrze", 9], ["pazdz", 10], ["listop", 11], ["grud", 12],
];
const ROMAN: Record<string, number> = { i: 1, ii: 2, iii: 3, iv: 4, v: 5, vi: 6, vii: 7, viii: 8, ix: 9, x: 10, xi: 11, xii: 12 };

export interface DateMatch {
  /** "YYYY-MM-DD" */
  iso: string;
  start: number;
  end: number;
}

const DATE_PATTERNS: Array<{ re: RegExp; order: "ymd" | "dmy" | "dMy" | "dRy" }> = [
  { re: /(^|[^0-9])(\d{4}) ?([-./]) ?(\d{1,2}) ?\3 ?(\d{1,2})(?![0-9])/g, order: "ymd" },
  { re: /(^|[^0-9])(\d{1,2}) ?([-./]) ?(\d{1,2}) ?\3 ?(\d{4})(?![0-9])/g, order: "dmy" },
  { re: /(^|[^0-9a-z])(\d{1,2})\.? ?([a-z]{3,12})\.? ?(\d{4})(?![0-9])/g, order: "dMy" },
  { re: /(^|[^0-9])(\d{1,2}) ?[ .] ?(x{0,1}i{1,3}|iv|v|vi{1,3}|ix|x|xi{1,2}) ?[ .] ?(\d{4})(?![0-9])/g, order: "dRy" },
];

function isoDate(y: number, m: number | undefined, d: number): string | null {
  if (m === undefined || !Number.isInteger(m) || !Number.isInteger(y) || !Number.isInteger(d)) return null;
  if (y < 1990 || y > 2100 || m < 1 || m > 12 || d < 1) return null;
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  if (d > days) return null;
  return `${y}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}

function monthFromWord(word: string): number | null {
  for (let i = 0; i < MONTH_STEMS.length; i++) if (word.indexOf(MONTH_STEMS[i][0]) === 0) return MONTH_STEMS[i][1];
  return null;
}

/**
 * Every date in a piece of text, left to right: 2026-11-24, 24.11.2026, 24-11-2026, 24/11/2026,
 * 24 listopada 2026, 24 XI 2026, with OCR letters for digits repaired ("2O26").
 */
export function findDates(text: string): DateMatch[] {
  const folded = repairOcrDigits(foldKeepLength(normalizeSpaces(String(text ?? ""))));
  const found: DateMatch[] = [];
  for (let p = 0; p < DATE_PATTERNS.length; p++) {
    const { re, order } = DATE_PATTERNS[p];
    re.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = re.exec(folded)) !== null) {
      const start = m.index + m[1].length;
      const end = m.index + m[0].length;
      let iso: string | null = null;
      if (order === "ymd") iso = isoDate(+m[2], +m[4], +m[5]);
      else if (order === "dmy") iso = isoDate(+m[5], +m[4], +m[2]);
      else if (order === "dMy") {
        const month = monthFromWord(m[3]);
        iso = month ? isoDate(+m[4], month, +m[2]) : null;
      } else iso = isoDate(+m[4], ROMAN[m[3]], +m[2]);
      if (iso && !found.some((f) => start < f.end && end > f.start)) found.push({ iso, start, end });
    }
  }
  return found.sort((a, b) => a.start - b.start);
}

/** The first date in the text as "YYYY-MM-DD", or null. */
export function parsePolishDate(text: string): string | null {
  const all = findDates(text);
  return all.length ? all[0].iso : null;
}

/** "YYYY-MM-DD" plus whole days. */
export function addDays(iso: string, days: number): string {
  const [y, m, d] = iso.split("-").map(Number);
  const t = new Date(Date.UTC(y, m - 1, d + days));
  return `${t.getUTCFullYear()}-${String(t.getUTCMonth() + 1).padStart(2, "0")}-${String(t.getUTCDate()).padStart(2, "0")}`;
}

// ---------------------------------------------------------------------------------------------
// Amount in words ("Słownie: jeden tysiąc dwieście trzydzieści złotych 00/100")

const WORD_VALUES: Record<string, number> = {
  zero: 0, jeden: 1, jedna: 1, jedno: 1, dwa: 2, dwie: 2, trzy: 3, cztery: 4, piec: 5, szesc: 6, siedem: 7,
  osiem: 8, dziewiec: 9, dziesiec: 10, jedenascie: 11, dwanascie: 12, trzynascie: 13, czternascie: 14,
  pietnascie: 15, szesnascie: 16, siedemnascie: 17, osiemnascie: 18, dziewietnascie: 19, dwadziescia: 20,
  trzydziesci: 30, czterdziesci: 40, piecdziesiat: 50, szescdziesiat: 60, siedemdziesiat: 70,
  osiemdziesiat: 80, dziewiecdziesiat: 90, sto: 100, dwiescie: 200, trzysta: 300, czterysta: 400,
  piecset: 500, szescset: 600, siedemset: 700, osiemset: 800, dziewiecset: 900,
};
const SCALES: Array<[string, number]> = [["tysi", 1000], ["milion", 1000000]];

/** A whole number written in Polish words (folded, no diacritics needed), or null. */
export function parsePolishNumberWords(text: string): number | null {
  const words = foldKeepLength(String(text ?? "")).split(/[^a-z]+/).filter(Boolean);
  if (words.length === 0) return null;
  let total = 0;
  let group = 0;
  let any = false;
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (Object.prototype.hasOwnProperty.call(WORD_VALUES, w)) {
      group += WORD_VALUES[w];
      any = true;
      continue;
    }
    let scale = 0;
    for (let s = 0; s < SCALES.length; s++) if (w.indexOf(SCALES[s][0]) === 0) scale = SCALES[s][1];
    if (!scale) return null;
    total += (group || 1) * scale; // "tysiąc" alone is one thousand
    group = 0;
    any = true;
  }
  return any ? total + group : null;
}

/**
 * The amount of a "słownie" line in grosze: words for the whole units, then "45/100" or words
 * followed by "gr"/"groszy" for the fraction. Null when it cannot be read.
 */
export function parseAmountInWords(text: string): number | null {
  const f = repairOcrDigits(foldKeepLength(String(text ?? "")))
    .replace(/^.*?slownie\s*:?/, "")
    .replace(/^\s*(?:zlotych|zl|pln)\s*:/, ""); // "Słownie złotych: ..."
  const slash = /(\d{1,2})\s*\/\s*100/.exec(f);
  const noFraction = slash ? f.slice(0, slash.index) + " " + f.slice(slash.index + slash[0].length) : f;
  const unit = /\b(zlot\w*|zl|pln|eur\w*|usd|gbp|chf)\b/.exec(noFraction);
  const wholePart = unit ? noFraction.slice(0, unit.index) : noFraction;
  const whole = parsePolishNumberWords(wholePart);
  if (whole === null) return null;
  const rest = unit ? noFraction.slice(unit.index + unit[0].length) : "";
  let fraction = 0;
  if (slash) fraction = Number(slash[1]);
  else {
    const gr = /^[\s,i]*([a-z ]+?)\s*(?:gr\b|grosz)/.exec(rest);
    if (gr) {
      const n = parsePolishNumberWords(gr[1]);
      if (n === null || n > 99) return null;
      fraction = n;
    }
  }
  return whole * 100 + fraction;
}

// ---------------------------------------------------------------------------------------------
// NIP candidates

interface NipCandidate {
  nip: string;
  start: number;
  valid: boolean;
  repaired: boolean;
  /** "seller" / "buyer" when the label itself said whose NIP it is. */
  labelRole: Role | null;
}

type Role = "seller" | "buyer" | "other";

const NIP_LABELLED =
  /(^|[^a-z])(?:nip|n\.i\.p\.?|nip\/vat|nip ue|vat ?id|vat-id)\s*(sprzedawcy|wystawcy|dostawcy|nabywcy|kupujacego|odbiorcy|platnika)?\s*[:.]?\s*((?:pl)? ?[0-9oil|](?:[ \-]?[0-9oil|]){9})(?![0-9])/g;
const NIP_FORMATTED = /(^|[^0-9])(\d{3}-\d{3}-\d{2}-\d{2}|\d{3}-\d{2}-\d{2}-\d{3}|pl ?\d{10})(?![0-9])/g;

function roleOfLabel(word: string | undefined): Role | null {
  if (!word) return null;
  if (/^(sprzedawcy|wystawcy|dostawcy)$/.test(word)) return "seller";
  if (/^(nabywcy|kupujacego)$/.test(word)) return "buyer";
  return "other";
}

function nipCandidates(line: Line): NipCandidate[] {
  const out: NipCandidate[] = [];
  const push = (rawDigits: string, start: number, labelRole: Role | null) => {
    const cleaned = rawDigits.replace(/^pl ?/, "").replace(/[ \-]/g, "");
    const nip = cleaned.replace(/o/g, "0").replace(/[il|]/g, "1");
    if (!/^\d{10}$/.test(nip) || out.some((c) => c.nip === nip)) return;
    out.push({ nip, start, valid: checkNip(nip) === null, repaired: nip !== cleaned, labelRole });
  };
  NIP_LABELLED.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = NIP_LABELLED.exec(line.folded)) !== null) push(m[3], m.index + m[1].length, roleOfLabel(m[2]));
  NIP_FORMATTED.lastIndex = 0;
  while ((m = NIP_FORMATTED.exec(line.folded)) !== null) push(m[2], m.index + m[1].length, null);
  return out.sort((a, b) => a.start - b.start);
}

// ---------------------------------------------------------------------------------------------
// Seller and buyer

const PARTY_HEADING =
  /(^|[^a-z])(sprzedawca|sprzedajacy|wystawca|dostawca|uslugodawca|dane sprzedawcy|nabywca|kupujacy|zamawiajacy|uslugobiorca|dane nabywcy|odbiorca|platnik|podmiot trzeci)(?![a-z])\s*:?/g;
const HEADING_ROLE: Record<string, Role> = {
  sprzedawca: "seller", sprzedajacy: "seller", wystawca: "seller", dostawca: "seller", uslugodawca: "seller",
  "dane sprzedawcy": "seller",
  nabywca: "buyer", kupujacy: "buyer", zamawiajacy: "buyer", uslugobiorca: "buyer", "dane nabywcy": "buyer",
  odbiorca: "other", platnik: "other", "podmiot trzeci": "other",
};
// Lines after which a party block is over: the items table, payment terms, totals, signatures.
const BLOCK_END = /^\s*(lp\b|l\.p\.|nazwa towaru|nazwa uslugi|towar|pozycj|sposob platnosci|forma platnosci|termin|razem|stawka|do zaplaty|uwagi|podpis|data |nr konta|numer konta|rachunek)/;
const NOT_A_NAME = /^\s*(ul\.?|al\.?|aleja|os\.|pl\.|plac|nip|n\.i\.p|regon|krs|bdo|tel|tel\.|telefon|fax|e-?mail|www|http|konto|rachunek|bank|nr |numer|pesel|adres|\d{2}-\d{3}|[0-9])/;
const LEGAL_FORM = /(sp\. ?z ?[o0]\. ?[o0]\.?|sp\. z o\.o\.|spolka z ograniczona odpowiedzialnoscia|s\. ?a\.|sp\. ?j\.|sp\. ?k\.|sp\. ?p\.|s\. ?c\.|spolka jawna|spolka komandytowa|spolka akcyjna|sp\. ?k\. ?a\.)/;

interface Heading {
  role: Role;
  start: number;
  /** End of the heading word and its colon: inline content starts here. */
  end: number;
}

function headingsIn(line: Line): Heading[] {
  if (/podpis|upowaz|nip (sprzedawcy|nabywcy)|dane (do|dla)/.test(line.folded)) return [];
  const out: Heading[] = [];
  PARTY_HEADING.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = PARTY_HEADING.exec(line.folded)) !== null) {
    out.push({ role: HEADING_ROLE[m[2]], start: m.index + m[1].length, end: m.index + m[0].length });
  }
  return out;
}

interface PartyFinding {
  name: FieldReading<string> | null;
  nip: FieldReading<string> | null;
  nipValid: boolean;
}

interface PartiesResult {
  seller: PartyFinding;
  buyer: PartyFinding;
  review: ReviewItem[];
}

function cleanName(text: string): string | null {
  // "Klimat-Serwis Sp. z o.o., ul. Puławska 145, 02-715 Warszawa": the name ends at the address.
  const address = /,\s*(?:ul\.|al\.|os\.|pl\.|aleja|\d{2}-\d{3})/i.exec(text);
  if (address) text = text.slice(0, address.index);
  const t = text
    .replace(/^[\s:;,.\-|]+/, "")
    .replace(/[\s:;,|]+$/, "")
    .replace(/\s{2,}/g, " ")
    // "Sp. z 0.0.", "Sp. Z o.o.": OCR reads the o's of the company form as zeros, the z as capital.
    // An all-capitals "SP. Z O.O." stays as printed.
    .replace(/(sp\. ?)z( ?)([o0]\. ?[o0])\./gi, (all: string, sp: string, gap: string, oo: string) =>
      /O/.test(oo) ? all : `${sp}z${gap}${oo.replace(/0/g, "o")}.`);
  if (t.length < 3 || !/[A-Za-ząćęłńóśźżĄĆĘŁŃÓŚŹŻ]{2}/.test(t)) return null;
  if (NOT_A_NAME.test(foldKeepLength(t))) return null;
  return t;
}

/** Splits "Klimat-Serwis Sp. z o.o. Biuro Rachunkowe Nowak" after the first company form. */
function splitAtLegalForm(text: string): [string, string] | null {
  const folded = foldKeepLength(text);
  const m = LEGAL_FORM.exec(folded);
  if (!m) return null;
  const cut = m.index + m[0].length;
  const left = text.slice(0, cut).trim();
  const right = text.slice(cut).trim();
  return right ? [left, right] : null;
}

function nipReading(c: NipCandidate, confidence: number, line: Line): FieldReading<string> {
  let conf = confidence;
  if (c.repaired) conf *= REPAIR_FACTOR;
  if (!c.valid) conf = Math.min(conf, 0.3);
  return reading(c.nip, conf, ocrSource(line));
}

function findParties(lines: Line[]): PartiesResult {
  const result: PartiesResult = {
    seller: { name: null, nip: null, nipValid: false },
    buyer: { name: null, nip: null, nipValid: false },
    review: [],
  };
  const setNip = (role: Role, c: NipCandidate, conf: number, line: Line) => {
    if (role === "other") return;
    const party = result[role];
    // A checksum-valid NIP beats an invalid one; otherwise the first (or the surer) one stays.
    if (party.nip && (party.nipValid || !c.valid) && party.nip.confidence >= conf) return;
    party.nip = nipReading(c, conf, line);
    party.nipValid = c.valid;
  };
  const setName = (role: Role, name: string | null, conf: number, line: Line) => {
    if (role === "other" || !name) return;
    const party = result[role];
    if (party.name && party.name.confidence >= conf) return;
    party.name = reading(name, conf, ocrSource(line));
  };
  const allCandidates: Array<{ c: NipCandidate; line: Line }> = [];
  const claimed = new Set<string>();

  let roles: Role[] = []; // one role, or the roles of side-by-side columns, left to right
  let headingLine: Line | null = null;
  // Layout-preserving text (pdftotext -layout) keeps columns at their offsets: then the right
  // column starts where its heading starts.
  let rightColumnAt = -1;
  let linesSince = 0;
  const nameDone = new Set<Role>();

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const candidates = nipCandidates(line);
    for (const c of candidates) allCandidates.push({ c, line });
    // Labels that say whose NIP it is win outright.
    for (const c of candidates) {
      if (c.labelRole) {
        setNip(c.labelRole, c, C_LABEL, line);
        claimed.add(c.nip);
      }
    }
    const heads = headingsIn(line);
    if (heads.length > 0) {
      roles = heads.map((h) => h.role);
      headingLine = line;
      const between = heads.length > 1 ? line.text.slice(heads[0].end, heads[heads.length - 1].start) : "";
      rightColumnAt = heads.length > 1 && / {2,}$/.test(between) ? heads[heads.length - 1].start : -1;
      linesSince = 0;
      nameDone.clear();
      // Content printed on the heading line itself, after each heading.
      for (let h = 0; h < heads.length; h++) {
        const from = heads[h].end;
        const to = h + 1 < heads.length ? heads[h + 1].start : line.text.length;
        const segment = line.text.slice(from, to);
        const segFolded = line.folded.slice(from, to);
        const inNips = candidates.filter((c) => c.start >= from && c.start < to && !c.labelRole);
        for (const c of inNips) {
          setNip(heads[h].role, c, C_LABEL, line);
          claimed.add(c.nip);
        }
        const beforeNip = /\bnip\b/.exec(segFolded);
        const name = cleanName(beforeNip ? segment.slice(0, beforeNip.index) : segment);
        if (name) {
          setName(heads[h].role, name, heads.length > 1 ? C_LABEL - 0.05 : C_LABEL, line);
          nameDone.add(heads[h].role);
        }
      }
      continue;
    }
    if (roles.length === 0) continue;
    linesSince++;
    if (linesSince > 8 || BLOCK_END.test(line.folded)) {
      roles = [];
      continue;
    }
    const free = candidates.filter((c) => !c.labelRole);
    if (roles.length === 1) {
      const role = roles[0];
      for (const c of free) {
        setNip(role, c, C_LABEL - 0.05, line);
        claimed.add(c.nip);
      }
      if (!nameDone.has(role) && line.text.trim()) {
        const name = cleanName(line.text);
        if (name) {
          setName(role, joinNameContinuation(name, lines[i + 1]), C_NEXT_LINE + 0.1, line);
          nameDone.add(role);
        }
      }
      continue;
    }
    // Side-by-side columns. With a layout-preserving text layer, columns are runs of 2+ spaces.
    const left = roles[0];
    const right = roles[roles.length - 1];
    const columns = line.text.trim() ? line.text.split(/ {2,}|\t/).filter((s) => s.trim() !== "") : [];
    const leadingGap = /^ {2,}/.test(line.text);
    if (free.length >= 2) {
      setNip(left, free[0], C_COLUMNS + 0.15, line);
      setNip(right, free[free.length - 1], C_COLUMNS + 0.15, line);
      claimed.add(free[0].nip);
      claimed.add(free[free.length - 1].nip);
    } else if (free.length === 1) {
      const c = free[0];
      const leftHas = left !== "other" && result[left].nip !== null;
      const rightHas = right !== "other" && result[right].nip !== null;
      let role: Role;
      let conf = C_COLUMNS;
      if (columns.length >= 2) role = c.start >= line.text.indexOf(columns[1]) ? right : left;
      else if (rightColumnAt > 0) {
        role = c.start >= rightColumnAt - 2 ? right : left;
        conf = C_COLUMNS + 0.15;
      } else if (leadingGap) role = right;
      else if (leftHas && !rightHas) role = right;
      else if (rightHas && !leftHas) role = left;
      else {
        role = left;
        conf = C_GUESS;
        if (left !== "other" && right !== "other") {
          result.review.push({
            field: left === "seller" ? "sellerNip" : "buyerNip",
            code: "party_guess",
            message: `Only one NIP under the side-by-side "${headingLine?.text.trim()}" headings; assumed it belongs to the left column.`,
          });
        }
      }
      setNip(role, c, conf, line);
      claimed.add(c.nip);
    }
    if (line.text.trim() && !(nameDone.has(left) && nameDone.has(right))) {
      let parts: [string, string] | null = null;
      let conf = C_COLUMNS;
      if (columns.length >= 2) {
        parts = [columns[0], columns[columns.length - 1]];
        conf = C_NEXT_LINE + 0.05;
      } else if (rightColumnAt > 0) {
        parts = splitAtColumn(line.text, rightColumnAt);
        conf = C_COLUMNS + 0.1;
      }
      if (!parts) parts = splitAtLegalForm(line.text.trim());
      if (parts) {
        const [l, r] = [cleanName(parts[0]), cleanName(parts[1])];
        if (l && !nameDone.has(left)) {
          setName(left, l, conf, line);
          nameDone.add(left);
        }
        if (r && !nameDone.has(right)) {
          setName(right, r, conf, line);
          nameDone.add(right);
        }
      } else if (cleanName(line.text)) {
        // One name we cannot split: neither side is known, stop trying on later (address) lines.
        nameDone.add(left);
        nameDone.add(right);
      }
    }
  }

  // No headings: NIPs in reading order, the seller's usually first. A guess, and said so.
  if (!result.seller.nip && !result.buyer.nip) {
    const unclaimed = allCandidates.filter((x) => !claimed.has(x.c.nip));
    const distinct: Array<{ c: NipCandidate; line: Line }> = [];
    for (const x of unclaimed) if (!distinct.some((d) => d.c.nip === x.c.nip)) distinct.push(x);
    if (distinct.length >= 1) {
      setNip("seller", distinct[0].c, C_GUESS - 0.1, distinct[0].line);
      result.review.push({ field: "sellerNip", code: "party_guess", message: "No Sprzedawca/Nabywca headings found; the first NIP was taken as the seller's." });
    }
    if (distinct.length >= 2) setNip("buyer", distinct[1].c, C_GUESS - 0.1, distinct[1].line);
  }
  return result;
}

/** Splits a layout line at the word boundary closest to where the right column starts. */
function splitAtColumn(text: string, at: number): [string, string] | null {
  for (let d = 0; d <= 3; d++) {
    for (const cut of [at - d, at + d]) {
      if (cut > 0 && cut < text.length && text[cut - 1] === " " && text[cut] !== " ") {
        return [text.slice(0, cut).trim(), text.slice(cut).trim()];
      }
    }
  }
  return null;
}

function joinNameContinuation(name: string, next: Line | undefined): string {
  // "Klimat-Serwis Spółka z ograniczoną" + "odpowiedzialnością" printed on two lines.
  if (next && /^\s*[a-ząćęłńóśźż]/.test(next.text) && !NOT_A_NAME.test(next.folded)) return `${name} ${next.text.trim()}`;
  return name;
}

// ---------------------------------------------------------------------------------------------
// Labelled single values: number, dates, totals

const NUMBER_LABELS: RegExp[] = [
  /(^|[^a-z])(?:nr|numer) faktury\s*(?:vat)?\s*[:.]?\s*/,
  /(^|[^a-z])faktur[ay]?(?: vat)?(?: (?:korygujac[ay]|korekta|zaliczkow[ay]|koncow[ay]|rozliczeniow[ay]|pro ?forma|uproszczon[ay]))?(?: (?:oryginal|kopia|duplikat))?\s*(?:nr\.?|numer|no\.?)?\s*[:.]?\s*/,
  /(^|[^a-z])(?:nr|numer|no)\.?\s*[:.]?\s*/,
];
const NUMBER_TOKEN = /^((?:[a-z]{1,6} )?[a-z0-9][a-z0-9/._-]*(?: ?[/-] ?[a-z0-9][a-z0-9/._-]*)*)/i;

function cleanInvoiceNumber(raw: string): { value: string; repaired: boolean } | null {
  let token = raw.replace(/[.,:;]+$/, "");
  if (!/[0-9]/.test(token)) return null;
  // A date, not a number ("15/11/2026" is a common invoice number, "15.11.2026" is not).
  if (/^\d{1,2}([.-])\d{1,2}\1\d{4}$|^\d{4}([.-])\d{2}\2\d{2}$/.test(token)) return null;
  if (/^(z|dnia|data)$/i.test(token)) return null;
  // "FV 2026/11/147": a short letter prefix glued with a space is part of the number.
  let repaired = false;
  // Segments made of digits and O/l lookalikes are digits ("2O26" -> "2026"); letter codes stay.
  token = token
    .split(/([/-])/)
    .map((seg) => {
      if (/^[0-9OoIl|]+$/.test(seg) && /[0-9]/.test(seg) && /[OoIl|]/.test(seg)) {
        repaired = true;
        return seg.replace(/[Oo]/g, "0").replace(/[Il|]/g, "1");
      }
      return seg;
    })
    .join("");
  return { value: token, repaired };
}

function findNumber(lines: Line[]): FieldReading<string> | null {
  for (let pass = 0; pass < NUMBER_LABELS.length; pass++) {
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i];
      if (pass === 2 && !/faktur/.test(line.folded) && !/faktur/.test(lines[i - 1]?.folded ?? "")) continue;
      // The number of the corrected invoice, not of this one.
      if (/koryg|korekt|dotyczy|do faktury|zaliczk\w* nr/.test(line.folded) && pass !== 1) continue;
      if (/konta|rachunk|zamowieni|zlecenia|umowy|klienta|krs|regon|tel|dokumentu (wz|pz)|wz\b|bdo/.test(line.folded) && pass === 2) continue;
      const m = NUMBER_LABELS[pass].exec(line.folded);
      if (!m) continue;
      const after = m.index + m[0].length;
      const rest = line.text.slice(after).replace(/^\s+/, "");
      const tok = NUMBER_TOKEN.exec(rest.split(/ {2,}| z dnia | z dn\. | dnia | oryginał| kopia| duplikat/i)[0]);
      let number = tok ? cleanInvoiceNumber(tok[1].trim()) : null;
      // Prefix words that are labels, not part of the number ("Faktura VAT nr FV/1").
      if (number && /^(nr|vat|numer|no)\s/i.test(number.value)) number = cleanInvoiceNumber(number.value.replace(/^\S+\s+/, ""));
      if (number && number.value.includes(" ") && !/^[A-Za-z]{1,6} \S*[0-9]/.test(number.value)) number = cleanInvoiceNumber(number.value.split(" ")[0]);
      if (number) {
        const conf = (pass === 2 ? C_NEXT_LINE : C_LABEL) * (number.repaired ? REPAIR_FACTOR : 1);
        return reading(number.value, conf, ocrSource(line));
      }
      // "FAKTURA VAT" alone, the number on the next line.
      const next = lines[i + 1];
      if (pass === 1 && next && /^\s*(?:nr\.?|numer)?\s*[:.]?\s*[A-Za-z0-9/_.-]*[0-9][A-Za-z0-9/_.-]*\s*$/.test(next.text) && /[/-]/.test(next.text)) {
        const n = cleanInvoiceNumber(next.text.trim().replace(/^(nr\.?|numer)\s*[:.]?\s*/i, ""));
        if (n) return reading(n.value, C_NEXT_LINE * (n.repaired ? REPAIR_FACTOR : 1), ocrSource(next));
      }
    }
  }
  return null;
}

type DateField = "issueDate" | "saleDate" | "dueDate";

const DATE_LABELS: Array<{ re: RegExp; fields: DateField[] }> = [
  { re: /data wystawienia (?:i|oraz|\/) ?(?:data )?(?:sprzedazy|dostawy|wykonania uslugi)/g, fields: ["issueDate", "saleDate"] },
  { re: /data (?:wystawienia|faktury)|wystawion[ao]? (?:w [a-z]+ )?(?:dnia|dn\.)|dzien wystawienia/g, fields: ["issueDate"] },
  { re: /data (?:sprzedazy|dostawy|wykonania(?: uslugi)?|zakonczenia (?:dostawy|uslugi)|dokonania)|data dostawy\/wykonania uslugi/g, fields: ["saleDate"] },
  { re: /termin (?:platnosci|zaplaty)|(?:platne|platny|zaplata|zaplacic|platnosc) do|do zaplaty do dnia/g, fields: ["dueDate"] },
];

interface LabelHit {
  fields: DateField[];
  start: number;
  end: number;
}

function dateLabelsIn(line: Line): LabelHit[] {
  const hits: LabelHit[] = [];
  for (const { re, fields } of DATE_LABELS) {
    re.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = re.exec(line.folded)) !== null) {
      if (!hits.some((h) => m!.index < h.end && m!.index + m![0].length > h.start)) hits.push({ fields, start: m.index, end: m.index + m[0].length });
    }
  }
  return hits.sort((a, b) => a.start - b.start);
}

interface DatesResult {
  issueDate: FieldReading<string> | null;
  saleDate: FieldReading<string> | null;
  dueDate: FieldReading<string> | null;
  /** "Termin płatności: 14 dni": days after the issue date. */
  dueDays: { days: number; line: Line } | null;
}

function findDatesFields(lines: Line[]): DatesResult {
  const out: DatesResult = { issueDate: null, saleDate: null, dueDate: null, dueDays: null };
  const set = (field: DateField, iso: string, conf: number, line: Line) => {
    const current = out[field];
    if (!current || current.confidence < conf) out[field] = reading(iso, conf, ocrSource(line));
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const labels = dateLabelsIn(line);
    if (labels.length === 0) continue;
    const dates = findDates(line.text);
    const unresolved: LabelHit[] = [];
    for (let k = 0; k < labels.length; k++) {
      const from = labels[k].end;
      const to = k + 1 < labels.length ? labels[k + 1].start : line.text.length;
      const own = dates.filter((d) => d.start >= from && d.start < to);
      if (own.length) {
        for (const f of labels[k].fields) set(f, own[0].iso, C_LABEL, line);
        continue;
      }
      if (labels[k].fields[0] === "dueDate") {
        const days = /(\d{1,3}) ?(?:dni|dnia)/.exec(repairOcrDigits(line.folded.slice(from, to)));
        if (days && !out.dueDays) out.dueDays = { days: Number(days[1]), line };
      }
      unresolved.push(labels[k]);
    }
    if (unresolved.length === 0) continue;
    // Label row without values: the dates are on the next line(s), in the same column order.
    for (let j = i + 1; j <= i + 2 && j < lines.length; j++) {
      const next = lines[j];
      if (dateLabelsIn(next).length) break;
      const nextDates = findDates(next.text);
      if (nextDates.length === 0) continue;
      if (nextDates.length === labels.length) {
        for (let k = 0; k < labels.length; k++) {
          if (unresolved.indexOf(labels[k]) < 0) continue;
          for (const f of labels[k].fields) set(f, nextDates[k].iso, labels.length > 1 ? C_COLUMNS : C_NEXT_LINE, next);
        }
      } else if (unresolved.length === 1) {
        for (const f of unresolved[0].fields) set(f, nextDates[0].iso, C_NEXT_LINE - 0.1, next);
      }
      break;
    }
  }
  // "Faktura VAT nr FV/1/2026 z dnia 24.11.2026" and "Warszawa, 24.11.2026" (place and date of issue).
  if (!out.issueDate) {
    for (let i = 0; i < lines.length && !out.issueDate; i++) {
      const line = lines[i];
      const zDnia = /faktur.*\bz (?:dnia|dn\.)/.exec(line.folded);
      if (zDnia) {
        const d = findDates(line.text.slice(zDnia.index + zDnia[0].length));
        if (d.length) set("issueDate", d[0].iso, C_LABEL - 0.05, line);
        continue;
      }
      // At the start of a line, or after the title when OCR joined a right-aligned place and date
      // to it ("FAKTURA VAT Warszawa, dnia 24 listopada 2026 r.").
      const title = /^\s*faktur[a-z]*(?: vat)? /.exec(line.folded);
      const from = title ? title[0].length : 0;
      const placeDate = /^\s*[A-ZĄĆĘŁŃÓŚŹŻ][a-ząćęłńóśźż]+(?:[ -][A-ZĄĆĘŁŃÓŚŹŻ][a-ząćęłńóśźż]+)?,\s*(?:dnia\s*|dn\.\s*)?/.exec(line.text.slice(from));
      if (placeDate && i < 15) {
        const d = findDates(line.text.slice(from + placeDate[0].length));
        if (d.length && d[0].start === 0) set("issueDate", d[0].iso, C_GUESS + 0.1, line);
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Amounts: VAT summary rows, totals, total to pay

const RATE_TOKEN = /(^|[^0-9a-z,.])(?:(23|22|8|7|5|4|3|0) ?(?:%|°\/o|o\/o)|(zw|zwol\w*|np|oo)\.?(?![a-z.]))/g;
const HAS_RATE = new RegExp(RATE_TOKEN.source);
// Words that may stand before the rate in a summary row (not item descriptions).
const SUMMARY_WORDS = /\b(razem|w tym|wg stawki|wedlug stawki|stawka|stawki|stawek|stawce|vat|podatek|podsumowanie|suma|ogolem|lacznie|tabela|sprzedaz|opodatkowana|zwolniona|w|tym|wg|pln|zl|eur|kwota|netto|brutto)\b/g;

function rateFromToken(percent: string | undefined, word: string | undefined): VatRate | null {
  if (percent !== undefined) {
    if (percent === "23" || percent === "22") return "23";
    if (percent === "8" || percent === "7") return "8";
    if (percent === "5" || percent === "3") return "5";
    if (percent === "4") return "4";
    return "0";
  }
  if (!word) return null;
  if (word.indexOf("zw") === 0) return "zw";
  if (word === "np" || word === "n.p") return "np";
  return "oo";
}

interface RateRow {
  rate: VatRate;
  amounts: AmountMatch[];
  line: Line;
  summary: boolean;
}

function rateRows(lines: Line[]): RateRow[] {
  const rows: RateRow[] = [];
  for (const line of lines) {
    RATE_TOKEN.lastIndex = 0;
    const tokens: Array<{ rate: VatRate; start: number; end: number }> = [];
    let m: RegExpExecArray | null;
    while ((m = RATE_TOKEN.exec(line.folded)) !== null) {
      const rate = rateFromToken(m[2], m[3]);
      if (rate) tokens.push({ rate, start: m.index + m[1].length, end: m.index + m[0].length });
    }
    if (tokens.length !== 1) continue;
    const amounts = findAmounts(line.text).filter((a) => a.start >= tokens[0].end || a.end <= tokens[0].start);
    if (amounts.length === 0) continue;
    // What is left once the amounts, the rate and summary words are removed: an item description?
    let rest = line.folded.slice(0, tokens[0].start) + " " + line.folded.slice(tokens[0].end);
    for (const a of amounts) rest = rest.split(foldKeepLength(line.text.slice(a.start, a.end))).join(" ");
    rest = rest.replace(SUMMARY_WORDS, " ").replace(/[^a-z]+/g, " ").trim();
    const summary = rest.replace(/\b[a-z]\b/g, "").trim() === "" && amounts.length <= 3;
    rows.push({ rate: tokens[0].rate, amounts, line, summary });
  }
  return rows;
}

function amountReading(a: AmountMatch, conf: number, line: Line): FieldReading<number> {
  return reading(a.grosze, conf * (a.repaired ? REPAIR_FACTOR : 1), ocrSource(line));
}

function computed(value: number, how: string, conf: number): FieldReading<number> {
  return reading(value, conf, { kind: "computed", text: how });
}

function withinVatTolerance(net: number, vat: number, percent: number): boolean {
  const expected = percentOf(net, percent);
  const tolerance = 2 + Math.floor(Math.abs(expected) / 1000);
  return Math.abs(vat - expected) <= tolerance;
}

/** Net, VAT and gross from a summary row's amounts, recognised by how they add up. */
function rateAmountsFromRow(row: RateRow): RateAmounts {
  const a = row.amounts;
  const pct = VAT_PERCENT[row.rate];
  const line = row.line;
  const conf = row.summary ? C_LABEL : C_NEXT_LINE;
  const out: RateAmounts = { rate: row.rate, net: null, vat: null, gross: null };
  const taxed = pct !== undefined && pct > 0;
  if (a.length >= 3) {
    const [x, y, z] = a.slice(a.length - 3);
    // Orders seen on Polish invoices: net VAT gross (most), net gross VAT, gross net VAT.
    const orders: Array<[AmountMatch, AmountMatch, AmountMatch]> = [[x, y, z], [x, z, y], [y, z, x]];
    const fit = orders.find(([n, v, g]) => n.grosze + v.grosze === g.grosze && (!taxed || withinVatTolerance(n.grosze, v.grosze, pct!)));
    const [n, v, g] = fit ?? orders[0];
    out.net = amountReading(n, fit ? conf : conf - 0.2, line);
    out.vat = amountReading(v, fit ? conf : conf - 0.2, line);
    out.gross = amountReading(g, fit ? conf : conf - 0.2, line);
    return out;
  }
  if (a.length === 2) {
    const [x, y] = a;
    if (!taxed) {
      // zw / np / 0 %: net and gross (equal), or net and a zero VAT.
      out.net = amountReading(x, conf, line);
      if (y.grosze === 0 && x.grosze !== 0) {
        out.vat = amountReading(y, conf, line);
        out.gross = computed(x.grosze, "net + 0 VAT", conf);
      } else {
        out.gross = amountReading(y, conf, line);
        out.vat = computed(0, "no VAT at this rate", conf);
      }
      return out;
    }
    if (withinVatTolerance(x.grosze, y.grosze, pct!)) {
      out.net = amountReading(x, conf, line);
      out.vat = amountReading(y, conf, line);
      out.gross = computed(x.grosze + y.grosze, "net + VAT", conf - 0.05);
    } else if (withinVatTolerance(x.grosze, y.grosze - x.grosze, pct!)) {
      out.net = amountReading(x, conf, line);
      out.gross = amountReading(y, conf, line);
      out.vat = computed(y.grosze - x.grosze, "gross - net", conf - 0.05);
    } else {
      out.net = amountReading(x, conf - 0.3, line);
      out.vat = amountReading(y, conf - 0.3, line);
    }
    return out;
  }
  if (!taxed) {
    out.net = amountReading(a[0], conf - 0.1, line);
    out.vat = computed(0, "no VAT at this rate", conf - 0.1);
    out.gross = computed(a[0].grosze, "net, no VAT", conf - 0.1);
  } else {
    out.vat = amountReading(a[0], C_GUESS, line);
  }
  return out;
}

interface AmountsResult extends Pick<InvoiceFields, "rates" | "netTotal" | "vatTotal" | "grossTotal" | "paidAmount" | "totalAmount"> {
  /** The total came from "pozostało do zapłaty": what remains after the paid amount. */
  totalIsRemainder: boolean;
  totalCurrency: string | null;
  wordsTotal: { grosze: number; line: Line } | null;
  review: ReviewItem[];
}

const TO_PAY_LABELS: RegExp[] = [
  /pozostalo do zaplaty|pozostaje do zaplaty|do zaplaty pozostalo/,
  /(?:razem |kwota |suma |ogolem |lacznie )?do zaplaty|do zaplacenia|naleznosc ogolem|kwota nalezna|razem naleznosc/,
];
const PAID_LABEL = /(^|[^a-z])(zaplacono|wplacono|otrzymano|zaliczka zaplacona)(?![a-z])/;
const TOTAL_ROW = /^\s*(razem|suma|ogolem|lacznie|podsumowanie)\b(?!.*zaplat)/;
const NET_LABEL = /(?:razem|suma|wartosc|lacznie|ogolem|kwota)\s+netto|netto\s+razem|(?:^|[^a-z])netto\b/;
const VAT_LABEL = /(?:razem|suma|kwota|lacznie|ogolem|wartosc)\s+(?:podatku\s+)?vat|(?:^|[^a-z])(?:podatek\s+)?vat\b(?!\s*(?:nr|id|-?ue))/;
const GROSS_LABEL = /(?:razem|suma|wartosc|lacznie|ogolem|kwota)\s+brutto|brutto\s+razem|(?:^|[^a-z])brutto\b/;

/**
 * The first amount after a label on its line; or, when the label ends its line, the amount of the
 * next line if that line holds exactly one (a label broken from its value, not a table header).
 */
function firstAmountAfter(lines: Line[], i: number, from: number): { amount: AmountMatch; line: Line; sameLine: boolean } | null {
  const here = findAmounts(lines[i].text).filter((a) => a.start >= from);
  if (here.length) return { amount: here[0], line: lines[i], sameLine: true };
  const next = lines[i + 1];
  if (next && /^[\s:.(a-z)]*$/.test(lines[i].folded.slice(from).replace(/zl|pln|eur/g, ""))) {
    const there = findAmounts(next.text);
    if (there.length === 1) return { amount: there[0], line: next, sameLine: false };
  }
  return null;
}

function findAmountsFields(lines: Line[]): AmountsResult {
  const out: AmountsResult = {
    rates: [],
    netTotal: null,
    vatTotal: null,
    grossTotal: null,
    paidAmount: null,
    totalAmount: null,
    totalIsRemainder: false,
    totalCurrency: null,
    wordsTotal: null,
    review: [],
  };

  // Per-rate amounts: summary rows first; item rows only when there is no summary at all.
  const rows = rateRows(lines);
  const summaries = rows.filter((r) => r.summary);
  const byRate = new Map<VatRate, RateAmounts>();
  for (const row of summaries) {
    const amounts = rateAmountsFromRow(row);
    const prev = byRate.get(row.rate);
    // The VAT summary comes after the items: a later row for the same rate wins.
    byRate.set(row.rate, amounts);
    if (!prev) continue;
    const same = (x: FieldReading<number> | null, y: FieldReading<number> | null) => !x || !y || x.value === y.value;
    if (!same(prev.net, amounts.net) || !same(prev.vat, amounts.vat) || !same(prev.gross, amounts.gross)) {
      out.review.push({
        field: `rates.${row.rate}`,
        code: "rate_conflict",
        message: `The ${rateLabel(row.rate)} amounts differ between line ${prev.net?.source.line ?? prev.vat?.source.line ?? "?"} and line ${row.line.no}; line ${row.line.no} was taken.`,
      });
    }
  }
  if (byRate.size === 0) {
    // Sum item rows per rate (net value, VAT, gross are their last three amounts).
    const sums = new Map<VatRate, { net: number; vat: number; gross: number; ok: boolean; n: number }>();
    for (const row of rows) {
      if (row.amounts.length < 3) continue;
      const [n, v, g] = row.amounts.slice(row.amounts.length - 3).map((a) => a.grosze);
      const s = sums.get(row.rate) ?? { net: 0, vat: 0, gross: 0, ok: true, n: 0 };
      s.net += n;
      s.vat += v;
      s.gross += g;
      s.ok = s.ok && n + v === g;
      s.n++;
      sums.set(row.rate, s);
    }
    sums.forEach((s, rate) => {
      const conf = s.ok ? C_GUESS + 0.1 : C_GUESS - 0.2;
      const how = `sum of ${s.n} item line${s.n === 1 ? "" : "s"}`;
      byRate.set(rate, { rate, net: computed(s.net, how, conf), vat: computed(s.vat, how, conf), gross: computed(s.gross, how, conf) });
    });
  }

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const f = line.folded;
    if (!f.trim()) continue;
    // "Razem 1 600,00 270,00 1 870,00": the totals row of the VAT table.
    if (TOTAL_ROW.test(f) && !HAS_RATE.test(f)) {
      const a = findAmounts(line.text);
      if (a.length === 3 && !out.netTotal) {
        out.netTotal = amountReading(a[0], C_LABEL - 0.05, line);
        out.vatTotal = amountReading(a[1], C_LABEL - 0.05, line);
        out.grossTotal = amountReading(a[2], C_LABEL - 0.05, line);
        continue;
      }
    }
    if (!/zaplat/.test(f)) {
      const labelled: Array<[RegExp, "netTotal" | "vatTotal" | "grossTotal"]> = [
        [NET_LABEL, "netTotal"],
        [VAT_LABEL, "vatTotal"],
        [GROSS_LABEL, "grossTotal"],
      ];
      const hits = labelled.map(([re, key]) => ({ m: re.exec(f), key })).filter((h) => h.m).sort((a, b) => a.m!.index - b.m!.index);
      if (hits.length === 1) {
        const found = firstAmountAfter(lines, i, hits[0].m!.index + hits[0].m![0].length);
        if (found && !out[hits[0].key]) out[hits[0].key] = amountReading(found.amount, found.sameLine ? C_LABEL : C_NEXT_LINE, found.line);
      } else if (hits.length > 1) {
        // "Razem netto 1 000,00 VAT 230,00 brutto 1 230,00", or a header row (no amounts).
        const all = findAmounts(line.text);
        for (let h = 0; h < hits.length; h++) {
          const from = hits[h].m!.index + hits[h].m![0].length;
          const to = h + 1 < hits.length ? hits[h + 1].m!.index : line.text.length;
          const a = all.find((x) => x.start >= from && x.start < to);
          if (a && !out[hits[h].key]) out[hits[h].key] = amountReading(a, C_LABEL - 0.05, line);
        }
      }
    }
    for (let p = 0; p < TO_PAY_LABELS.length; p++) {
      const m = TO_PAY_LABELS[p].exec(f);
      if (!m) continue;
      const found = firstAmountAfter(lines, i, m.index + m[0].length);
      if (!found) break;
      const conf = (found.sameLine ? C_LABEL : C_NEXT_LINE) - (p === 0 ? 0 : 0.02);
      if (!out.totalAmount || out.totalAmount.confidence < conf) {
        out.totalAmount = amountReading(found.amount, conf, found.line);
        out.totalCurrency = found.amount.currency;
        out.totalIsRemainder = p === 0;
      }
      break;
    }
    const paid = PAID_LABEL.exec(f);
    if (paid && !out.paidAmount) {
      const found = firstAmountAfter(lines, i, paid.index + paid[0].length);
      if (found && found.sameLine) out.paidAmount = amountReading(found.amount, C_LABEL, line);
    }
    if (/slownie/.test(f) && !out.wordsTotal) {
      let text = line.text;
      if (!/\/ ?100|gr\b|grosz/.test(f) && lines[i + 1]) text += " " + lines[i + 1].text;
      const g = parseAmountInWords(text);
      if (g !== null) out.wordsTotal = { grosze: g, line };
    }
  }

  // A single-rate invoice without a per-rate table ("Wartość netto / VAT 23% / Wartość brutto"):
  // the totals are that rate's amounts.
  if (byRate.size === 0 && (out.netTotal || out.grossTotal)) {
    const mentioned = new Set<VatRate>();
    for (const row of rows) mentioned.add(row.rate);
    for (const line of lines) {
      RATE_TOKEN.lastIndex = 0;
      let m: RegExpExecArray | null;
      while ((m = RATE_TOKEN.exec(line.folded)) !== null) {
        const r = rateFromToken(m[2], m[3]);
        if (r && r !== "np" && r !== "oo") mentioned.add(r); // "np." also means "for example"
      }
    }
    if (mentioned.size === 1) {
      const rate = Array.from(mentioned)[0];
      byRate.set(rate, { rate, net: null, vat: null, gross: null });
    }
  }
  if (byRate.size === 1) {
    const only = Array.from(byRate.values())[0];
    if (!only.net && out.netTotal) only.net = out.netTotal;
    if (!only.vat && out.vatTotal) only.vat = out.vatTotal;
    if (!only.gross && out.grossTotal) only.gross = out.grossTotal;
    if (!only.vat && only.net && only.gross) only.vat = computed(only.gross.value - only.net.value, "gross - net", Math.min(only.net.confidence, only.gross.confidence) - 0.05);
  }
  for (const rate of VAT_RATES) {
    const r = byRate.get(rate);
    if (r) out.rates.push(r);
  }
  return out;
}

function rateLabel(rate: VatRate): string {
  return VAT_PERCENT[rate] !== undefined ? `${rate}%` : `"${rate}"`;
}

// ---------------------------------------------------------------------------------------------
// Everything else

const KIND_PATTERNS: Array<[RegExp, InvoiceKind]> = [
  [/faktur\w* koryguj\w* (do )?(faktury )?zaliczk/, "KOR_ZAL"],
  [/faktur\w* koryguj|korekta faktury|faktura korekta|korekta nr/, "KOR"],
  [/pro ?forma/, "PROFORMA"],
  [/faktur\w* zaliczkow/, "ZAL"],
  [/faktur\w* (koncow|rozliczeniow)/, "ROZ"],
  [/faktur\w* uproszczon/, "UPR"],
  [/faktur/, "VAT"],
];

function findKind(lines: Line[]): FieldReading<InvoiceKind> | null {
  for (const [re, kind] of KIND_PATTERNS) {
    for (const line of lines) if (re.test(line.folded)) return reading(kind, kind === "VAT" ? 0.8 : C_LABEL, ocrSource(line));
  }
  return null;
}

function findCurrency(lines: Line[], totalCurrency: string | null, totalLine: number | undefined): FieldReading<string> | null {
  for (const line of lines) {
    const m = /(^|[^a-z])waluta\s*(?:faktury)?\s*[:.]?\s*([a-z]{3})\b/.exec(line.folded);
    if (m) return reading(m[2].toUpperCase(), C_LABEL, ocrSource(line));
  }
  if (totalCurrency) {
    const line = lines.find((l) => l.no === totalLine);
    return reading(totalCurrency, C_LABEL - 0.05, line ? ocrSource(line) : { kind: "ocr" });
  }
  const counts = new Map<string, { n: number; line: Line }>();
  for (const line of lines) {
    for (const a of findAmounts(line.text)) {
      if (!a.currency) continue;
      const c = counts.get(a.currency) ?? { n: 0, line };
      c.n++;
      counts.set(a.currency, c);
    }
  }
  let best: [string, { n: number; line: Line }] | null = null;
  counts.forEach((v, k) => {
    if (!best || v.n > best[1].n) best = [k, v];
  });
  if (best) return reading(best[0], C_NEXT_LINE, ocrSource((best as [string, { n: number; line: Line }])[1].line));
  return null;
}

function findBankAccount(lines: Line[], text: string): { field: FieldReading<string> | null; valid: boolean } {
  const matches = findNrbs(text);
  if (matches.length === 0) return { field: null, valid: false };
  const best = matches[0];
  // Which line: count newlines before the match.
  const before = text.slice(0, best.start);
  const lineIndex = before.split("\n").length - 1;
  const line = lines[Math.min(lineIndex, lines.length - 1)];
  const context = (lines[lineIndex - 1]?.folded ?? "") + " " + line.folded;
  const labelled = /konto|konta|rachun|iban|przelew|nr rach|bank/.test(context);
  let conf = labelled ? C_LABEL : C_NEXT_LINE;
  if (best.repaired) conf *= REPAIR_FACTOR;
  if (!best.valid) conf = Math.min(conf, 0.3);
  return { field: reading(best.nrb, conf, ocrSource(line)), valid: best.valid };
}

function findSplitPayment(lines: Line[]): FieldReading<boolean> {
  for (const line of lines) {
    if (/mechanizm\w* podzielonej platnosci|split ?payment|(^|[^a-z])mpp([^a-z]|$)/.test(line.folded)) {
      return reading(true, C_LABEL, ocrSource(line));
    }
  }
  return reading(false, 0.7, { kind: "computed", text: "no split payment note in the text" });
}

// ---------------------------------------------------------------------------------------------
// Cross-checks, shared with KSeF

const FIELD_LABEL: Record<string, string> = {
  number: "invoice number",
  issueDate: "issue date",
  sellerNip: "seller NIP",
  totalAmount: "total to pay",
};

function money(grosze: number): string {
  const abs = Math.abs(grosze);
  return `${grosze < 0 ? "-" : ""}${Math.floor(abs / 100)},${String(abs % 100).padStart(2, "0")}`;
}

/**
 * Sums and checksums of a set of invoice fields. Adjusts confidences: amounts that add up are
 * trusted more, amounts that do not are trusted less, and every mismatch is listed. Values are
 * never changed.
 */
export function crossCheck(fields: InvoiceFields, options: { requireFields?: boolean; totalIsRemainder?: boolean } = {}): ReviewItem[] {
  const review: ReviewItem[] = [];
  const trust = (f: FieldReading<unknown> | null, up: boolean) => {
    if (!f) return;
    f.confidence = up ? Math.max(f.confidence, 0.97) : Math.min(f.confidence, 0.5);
  };

  for (const r of fields.rates) {
    const pct = VAT_PERCENT[r.rate];
    const label = rateLabel(r.rate);
    let ok = true;
    if (r.net && r.vat && r.gross && r.net.value + r.vat.value !== r.gross.value) {
      ok = false;
      review.push({
        field: `rates.${r.rate}`,
        code: "rate_sum_mismatch",
        message: `At ${label}: net ${money(r.net.value)} + VAT ${money(r.vat.value)} = ${money(r.net.value + r.vat.value)}, but gross reads ${money(r.gross.value)}.`,
      });
    }
    if (r.net && r.vat) {
      const expected = pct === undefined || pct === 0 ? 0 : percentOf(r.net.value, pct);
      const fits = pct === undefined || pct === 0 ? r.vat.value === 0 || r.rate === "oss" || r.rate === "marza" : withinVatTolerance(r.net.value, r.vat.value, pct);
      if (!fits) {
        ok = false;
        review.push({
          field: `rates.${r.rate}`,
          code: "rate_vat_mismatch",
          message: `At ${label}: VAT reads ${money(r.vat.value)}, expected about ${money(expected)} for net ${money(r.net.value)}.`,
        });
      }
    }
    if (r.net && r.vat && r.gross) {
      trust(r.net, ok);
      trust(r.vat, ok);
      trust(r.gross, ok);
    }
  }

  const sumOf = (key: "net" | "vat" | "gross"): number | null => {
    if (fields.rates.length === 0) return null;
    let s = 0;
    for (const r of fields.rates) {
      const f = r[key];
      if (!f) return null;
      s += f.value;
    }
    return s;
  };
  const totals: Array<["netTotal" | "vatTotal" | "grossTotal", "net" | "vat" | "gross", string]> = [
    ["netTotal", "net", "net"],
    ["vatTotal", "vat", "VAT"],
    ["grossTotal", "gross", "gross"],
  ];
  for (const [field, key, label] of totals) {
    const total = fields[field];
    const sum = sumOf(key);
    if (!total || sum === null || fields.rates.length < 2 && fields.rates[0]?.[key] === total) continue;
    if (sum !== total.value) {
      review.push({
        field,
        code: "totals_mismatch",
        message: `The ${label} amounts per rate add up to ${money(sum)}, but the ${label} total reads ${money(total.value)}.`,
      });
      trust(total, false);
    } else trust(total, true);
  }

  const gross = sumOf("gross") ?? fields.grossTotal?.value ?? null;
  if (fields.totalAmount && gross !== null) {
    const paid = fields.paidAmount?.value ?? 0;
    const expected = gross - paid;
    // "Do zapłaty" is printed either as the gross total next to "Zapłacono", or as what remains.
    const fits = fields.totalAmount.value === expected || (!options.totalIsRemainder && fields.totalAmount.value === gross);
    if (!fits) {
      review.push({
        field: "totalAmount",
        code: "total_mismatch",
        message: paid
          ? `Total to pay reads ${money(fields.totalAmount.value)}, but gross ${money(gross)} minus paid ${money(paid)} is ${money(expected)}.`
          : `Total to pay reads ${money(fields.totalAmount.value)}, but the gross amounts add up to ${money(gross)}.`,
      });
      trust(fields.totalAmount, false);
    } else trust(fields.totalAmount, true);
  }

  for (const [key, label] of [["sellerNip", "Seller"], ["buyerNip", "Buyer"]] as const) {
    const f = fields[key];
    if (f && checkNip(f.value) !== null) {
      review.push({ field: key, code: "nip_checksum", message: `${label} NIP ${f.value} fails the NIP checksum: probably misread.` });
      trust(f, false);
    }
  }
  if (fields.sellerNip && fields.buyerNip && fields.sellerNip.value === fields.buyerNip.value) {
    review.push({ field: "buyerNip", code: "same_nip", message: `Seller and buyer have the same NIP ${fields.sellerNip.value}.` });
  }
  if (fields.bankAccount && checkNrb(fields.bankAccount.value) !== null) {
    review.push({ field: "bankAccount", code: "nrb_checksum", message: `Account ${fields.bankAccount.value} fails the IBAN checksum: probably misread.` });
    trust(fields.bankAccount, false);
  }
  if (fields.dueDate && fields.issueDate && fields.dueDate.value < fields.issueDate.value) {
    review.push({ field: "dueDate", code: "due_before_issue", message: `Due date ${fields.dueDate.value} is before the issue date ${fields.issueDate.value}.` });
  }
  if (options.requireFields) {
    for (const key of ["number", "issueDate", "sellerNip", "totalAmount"] as const) {
      if (!fields[key]) review.push({ field: key, code: "missing", message: `No ${FIELD_LABEL[key]} found.` });
    }
  }
  return review;
}

// ---------------------------------------------------------------------------------------------

/**
 * Invoice fields from OCR or PDF text. Never throws: unreadable text gives null fields and
 * "missing" review items.
 */
export function extractInvoice(text: string): InvoiceReading {
  try {
    return extract(typeof text === "string" ? text : "");
  } catch (err) {
    // A bug here must not lose the upload: report it as a review item on empty fields.
    const fields = emptyInvoiceFields();
    const review = crossCheck(fields, { requireFields: true });
    review.unshift({ field: "number", code: "missing", message: `Text could not be read: ${String((err as Error)?.message ?? err)}` });
    return { source: "ocr", fields, review };
  }
}

function extract(text: string): InvoiceReading {
  const lines = toLines(text);
  const fields = emptyInvoiceFields();
  const review: ReviewItem[] = [];

  fields.kind = findKind(lines);
  fields.number = findNumber(lines);
  const dates = findDatesFields(lines);
  fields.issueDate = dates.issueDate;
  fields.saleDate = dates.saleDate;
  fields.dueDate = dates.dueDate;
  if (!fields.dueDate && dates.dueDays && fields.issueDate) {
    fields.dueDate = reading(addDays(fields.issueDate.value, dates.dueDays.days), Math.min(fields.issueDate.confidence, C_NEXT_LINE), {
      kind: "computed",
      text: `issue date + ${dates.dueDays.days} days (line ${dates.dueDays.line.no}: ${dates.dueDays.line.text.trim()})`,
    });
  }

  const parties = findParties(lines);
  fields.sellerName = parties.seller.name;
  fields.sellerNip = parties.seller.nip;
  fields.buyerName = parties.buyer.name;
  fields.buyerNip = parties.buyer.nip;
  review.push(...parties.review);

  const amounts = findAmountsFields(lines);
  fields.rates = amounts.rates;
  fields.netTotal = amounts.netTotal;
  fields.vatTotal = amounts.vatTotal;
  fields.grossTotal = amounts.grossTotal;
  fields.paidAmount = amounts.paidAmount;
  fields.totalAmount = amounts.totalAmount;
  review.push(...amounts.review);
  if (amounts.wordsTotal) {
    const w = amounts.wordsTotal;
    if (!fields.totalAmount) {
      fields.totalAmount = reading(w.grosze, C_COLUMNS, ocrSource(w.line));
    } else if (fields.totalAmount.value !== w.grosze) {
      review.push({
        field: "totalAmount",
        code: "total_words_mismatch",
        message: `Total to pay reads ${money(fields.totalAmount.value)} in digits but ${money(w.grosze)} in words (line ${w.line.no}).`,
      });
    }
  }
  fields.currency = findCurrency(lines, amounts.totalCurrency, fields.totalAmount?.source.line);
  if (!fields.currency && (fields.totalAmount || fields.rates.length)) {
    fields.currency = reading("PLN", C_GUESS, { kind: "computed", text: "no currency stated: a Polish invoice defaults to PLN" });
  }
  const account = findBankAccount(lines, lines.map((l) => l.text).join("\n"));
  fields.bankAccount = account.field;
  fields.splitPayment = findSplitPayment(lines);

  const checks = crossCheck(fields, { requireFields: true, totalIsRemainder: amounts.totalIsRemainder });
  // A words/digits disagreement makes the total uncertain even when the sums agree with it.
  if (review.some((r) => r.code === "total_words_mismatch") && fields.totalAmount) fields.totalAmount.confidence = Math.min(fields.totalAmount.confidence, 0.5);
  return { source: "ocr", fields, review: review.concat(checks) };
}
