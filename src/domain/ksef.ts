// KSeF e-invoices (the Polish national e-invoicing system), structures FA(2) and FA(3), read
// exactly into the same field shape as OCR results (invoice.ts). Structured data needs no
// guessing: values are taken as written (confidence 1), amounts are parsed from their decimal
// text into grosze, and the same cross-checks as for OCR flag an inconsistent document.
//
// Element meanings (Ministry of Finance FA(2)/FA(3) schemas, "Fa" section):
//   P_1 issue date, P_2 invoice number, P_6 sale date (omitted when equal to P_1),
//   P_13_1/P_14_1 net/VAT at the basic rate (23%), P_13_2/P_14_2 first reduced (8%),
//   P_13_3/P_14_3 second reduced (5%), P_13_4/P_14_4 taxi flat rate (4%), P_13_5/P_14_5 OSS,
//   P_13_6_1..3 0% (domestic, intra-EU supply, export), P_13_7 exempt, P_13_8/P_13_9 not
//   subject to VAT in Poland, P_13_10 reverse charge, P_13_11 margin scheme, P_15 total,
//   KodWaluty currency, Adnotacje/P_18A split payment (1 yes, 2 no), RodzajFaktury kind,
//   Platnosc/TerminPlatnosci/Termin due date, Platnosc/RachunekBankowy/NrRB account.
// Podmiot1 is the seller, Podmiot2 the buyer (DaneIdentyfikacyjne/NIP and Nazwa).

import {
  crossCheck,
  emptyInvoiceFields,
  type FieldReading,
  type InvoiceFields,
  type InvoiceKind,
  type InvoiceReading,
  type RateAmounts,
  type VatRate,
} from "./invoice";
import { normalizeNrb } from "./nrb";
import { childElements, elementAt, namespaceOf, parseXml, textAt, XmlError, type XmlElement } from "./xml";

export type KsefVariant = "FA(2)" | "FA(3)";

export const KSEF_NAMESPACES: Record<KsefVariant, string> = {
  "FA(2)": "http://crd.gov.pl/wzor/2023/06/29/12648/",
  "FA(3)": "http://crd.gov.pl/wzor/2025/06/25/13775/",
};

export interface KsefReading extends InvoiceReading {
  source: "ksef";
  variant: KsefVariant;
  /** Net amounts per rate and lines are in the invoice currency; VAT in PLN when it differs (P_14_xW). */
  vatInPln: Partial<Record<VatRate, number>>;
}

export type KsefErrorCode = "malformed_xml" | "not_ksef" | "unsupported_variant" | "missing_element" | "invalid_value";

export interface KsefError {
  code: KsefErrorCode;
  /** What is wrong, for a person: names the element or the XML position. */
  message: string;
  /** Element path below the root, when the error is about one element. */
  path?: string;
  line?: number;
  column?: number;
}

export type KsefResult = { ok: true; invoice: KsefReading } | { ok: false; error: KsefError };

/** Whether a text looks like a KSeF invoice (cheap check before parsing, e.g. to route an upload). */
export function looksLikeKsef(text: string): boolean {
  const head = String(text ?? "").slice(0, 4000);
  return /<([A-Za-z_][\w.-]*:)?Faktura[\s>]/.test(head) && /crd\.gov\.pl\/wzor\//.test(head);
}

class KsefValueError extends Error {
  constructor(
    readonly code: KsefErrorCode,
    message: string,
    readonly path: string,
  ) {
    super(message);
  }
}

/** Rate groups: which P_13 (net) and P_14 (VAT) elements make up each rate. */
const RATE_ELEMENTS: Array<{ rate: VatRate; net: string[]; vat: string[]; vatPln: string[] }> = [
  { rate: "23", net: ["P_13_1"], vat: ["P_14_1"], vatPln: ["P_14_1W"] },
  { rate: "8", net: ["P_13_2"], vat: ["P_14_2"], vatPln: ["P_14_2W"] },
  { rate: "5", net: ["P_13_3"], vat: ["P_14_3"], vatPln: ["P_14_3W"] },
  { rate: "4", net: ["P_13_4"], vat: ["P_14_4"], vatPln: ["P_14_4W"] },
  { rate: "oss", net: ["P_13_5"], vat: ["P_14_5"], vatPln: [] },
  { rate: "0", net: ["P_13_6_1", "P_13_6_2", "P_13_6_3"], vat: [], vatPln: [] },
  { rate: "zw", net: ["P_13_7"], vat: [], vatPln: [] },
  { rate: "np", net: ["P_13_8", "P_13_9"], vat: [], vatPln: [] },
  { rate: "oo", net: ["P_13_10"], vat: [], vatPln: [] },
  { rate: "marza", net: ["P_13_11"], vat: [], vatPln: [] },
];

const KINDS: InvoiceKind[] = ["VAT", "KOR", "ZAL", "ROZ", "UPR", "KOR_ZAL", "KOR_ROZ"];

/** KSeF amount (TKwotowy): optional minus, digits, up to two decimals after a dot. */
function amount(text: string, path: string): number {
  const m = /^(-?)(\d{1,16})(?:\.(\d{1,2}))?$/.exec(text);
  if (!m) throw new KsefValueError("invalid_value", `${path} is not an amount: "${text}" (expected e.g. 1230.00)`, path);
  const grosze = Number(m[2]) * 100 + Number(((m[3] ?? "") + "00").slice(0, 2));
  return m[1] === "-" && grosze !== 0 ? -grosze : grosze;
}

function date(text: string, path: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const ok = m && +m[2] >= 1 && +m[2] <= 12 && +m[3] >= 1 && +m[3] <= new Date(Date.UTC(+m[1], +m[2], 0)).getUTCDate();
  if (!ok) throw new KsefValueError("invalid_value", `${path} is not a date: "${text}" (expected YYYY-MM-DD)`, path);
  return text;
}

function exact<T>(value: T, path: string): FieldReading<T> {
  return { value, confidence: 1, source: { kind: "ksef", path } };
}

function derived<T>(value: T, how: string): FieldReading<T> {
  return { value, confidence: 1, source: { kind: "computed", text: how } };
}

function required(root: XmlElement, path: string): string {
  const t = textAt(root, path);
  if (t === undefined || t === "") throw new KsefValueError("missing_element", `Required element ${path} is missing`, path);
  return t;
}

function variantOf(root: XmlElement): KsefVariant | KsefError {
  if (root.name !== "Faktura") {
    return { code: "not_ksef", message: `The root element is <${root.prefix ? root.prefix + ":" : ""}${root.name}>, not a KSeF <Faktura>.` };
  }
  const ns = namespaceOf(root);
  let variant: KsefVariant | null = null;
  for (const v of Object.keys(KSEF_NAMESPACES) as KsefVariant[]) if (KSEF_NAMESPACES[v] === ns) variant = v;
  if (!variant) {
    return {
      code: "unsupported_variant",
      message: `Unsupported KSeF structure: namespace "${ns ?? "(none)"}". Supported: FA(2) ${KSEF_NAMESPACES["FA(2)"]} and FA(3) ${KSEF_NAMESPACES["FA(3)"]}.`,
    };
  }
  // The header must agree with the namespace.
  const code = elementAt(root, "Naglowek/KodFormularza");
  const system = (code?.attributes.kodSystemowy ?? "").replace(/\s+/g, "");
  const wariant = textAt(root, "Naglowek/WariantFormularza");
  const expected = variant === "FA(2)" ? "2" : "3";
  if (!code || system !== variant || (wariant !== undefined && wariant !== expected)) {
    return {
      code: "unsupported_variant",
      path: "Naglowek/KodFormularza",
      message: `The header (kodSystemowy "${code?.attributes.kodSystemowy ?? ""}", WariantFormularza "${wariant ?? ""}") does not match the ${variant} namespace.`,
    };
  }
  return variant;
}

/**
 * Reads a KSeF FA(2) or FA(3) invoice. Never throws: malformed XML, another document type or an
 * invalid value give `{ ok: false, error }` with a message that names the line or the element.
 */
export function readKsef(xml: string): KsefResult {
  let root: XmlElement;
  try {
    root = parseXml(xml);
  } catch (err) {
    if (err instanceof XmlError) {
      return { ok: false, error: { code: "malformed_xml", message: `Malformed XML: ${err.message}`, line: err.line, column: err.column } };
    }
    return { ok: false, error: { code: "malformed_xml", message: `Malformed XML: ${String((err as Error)?.message ?? err)}` } };
  }
  const variant = variantOf(root);
  if (typeof variant !== "string") return { ok: false, error: variant };
  try {
    return { ok: true, invoice: readFields(root, variant) };
  } catch (err) {
    if (err instanceof KsefValueError) return { ok: false, error: { code: err.code, message: err.message, path: err.path } };
    return { ok: false, error: { code: "invalid_value", message: String((err as Error)?.message ?? err) } };
  }
}

function readFields(root: XmlElement, variant: KsefVariant): KsefReading {
  const fields: InvoiceFields = emptyInvoiceFields();
  const fa = elementAt(root, "Fa");
  if (!fa) throw new KsefValueError("missing_element", "Required element Fa is missing", "Fa");

  fields.number = exact(required(root, "Fa/P_2"), "Fa/P_2");
  fields.issueDate = exact(date(required(root, "Fa/P_1"), "Fa/P_1"), "Fa/P_1");
  const p6 = textAt(root, "Fa/P_6");
  if (p6) fields.saleDate = exact(date(p6, "Fa/P_6"), "Fa/P_6");
  else {
    const periodEnd = textAt(root, "Fa/OkresFa/P_6_Do");
    // Without P_6 the sale date is the issue date (the schema's rule); a period ends on P_6_Do.
    fields.saleDate = periodEnd ? exact(date(periodEnd, "Fa/OkresFa/P_6_Do"), "Fa/OkresFa/P_6_Do") : derived(fields.issueDate.value, "no P_6: the sale date is the issue date (P_1)");
  }
  const kind = textAt(root, "Fa/RodzajFaktury");
  if (kind !== undefined) {
    if (KINDS.indexOf(kind as InvoiceKind) < 0) throw new KsefValueError("invalid_value", `Fa/RodzajFaktury has an unknown value "${kind}"`, "Fa/RodzajFaktury");
    fields.kind = exact(kind as InvoiceKind, "Fa/RodzajFaktury");
  }

  const sellerNip = required(root, "Podmiot1/DaneIdentyfikacyjne/NIP");
  if (!/^\d{10}$/.test(sellerNip)) throw new KsefValueError("invalid_value", `Podmiot1/DaneIdentyfikacyjne/NIP is not 10 digits: "${sellerNip}"`, "Podmiot1/DaneIdentyfikacyjne/NIP");
  fields.sellerNip = exact(sellerNip, "Podmiot1/DaneIdentyfikacyjne/NIP");
  const sellerName = textAt(root, "Podmiot1/DaneIdentyfikacyjne/Nazwa");
  if (sellerName) fields.sellerName = exact(sellerName, "Podmiot1/DaneIdentyfikacyjne/Nazwa");
  // The buyer may be identified by an EU VAT number, another id, or nothing (BrakID): no NIP then.
  const buyerNip = textAt(root, "Podmiot2/DaneIdentyfikacyjne/NIP");
  if (buyerNip !== undefined) {
    if (!/^\d{10}$/.test(buyerNip)) throw new KsefValueError("invalid_value", `Podmiot2/DaneIdentyfikacyjne/NIP is not 10 digits: "${buyerNip}"`, "Podmiot2/DaneIdentyfikacyjne/NIP");
    fields.buyerNip = exact(buyerNip, "Podmiot2/DaneIdentyfikacyjne/NIP");
  }
  const buyerName = textAt(root, "Podmiot2/DaneIdentyfikacyjne/Nazwa");
  if (buyerName) fields.buyerName = exact(buyerName, "Podmiot2/DaneIdentyfikacyjne/Nazwa");

  const currency = required(root, "Fa/KodWaluty");
  if (!/^[A-Z]{3}$/.test(currency)) throw new KsefValueError("invalid_value", `Fa/KodWaluty is not a currency code: "${currency}"`, "Fa/KodWaluty");
  fields.currency = exact(currency, "Fa/KodWaluty");

  const vatInPln: Partial<Record<VatRate, number>> = {};
  for (const group of RATE_ELEMENTS) {
    const nets = group.net.filter((n) => textAt(fa, n) !== undefined);
    const vats = group.vat.filter((n) => textAt(fa, n) !== undefined);
    if (nets.length === 0 && vats.length === 0) continue;
    const rate: RateAmounts = { rate: group.rate, net: null, vat: null, gross: null };
    let net = 0;
    for (const n of nets) net += amount(textAt(fa, n)!, `Fa/${n}`);
    if (nets.length) rate.net = nets.length === 1 ? exact(net, `Fa/${nets[0]}`) : derived(net, nets.map((n) => `Fa/${n}`).join(" + "));
    let vat = 0;
    for (const n of vats) vat += amount(textAt(fa, n)!, `Fa/${n}`);
    if (vats.length) rate.vat = exact(vat, `Fa/${vats[0]}`);
    else if (group.vat.length === 0) rate.vat = derived(0, `no VAT at rate "${group.rate}"`);
    if (rate.net && rate.vat) {
      const parts = nets.concat(vats).map((n) => `Fa/${n}`);
      rate.gross = derived(net + vat, parts.length === 1 ? `${parts[0]} (no VAT)` : parts.join(" + "));
    }
    for (const n of group.vatPln) {
      const t = textAt(fa, n);
      if (t !== undefined) vatInPln[group.rate] = amount(t, `Fa/${n}`);
    }
    fields.rates.push(rate);
  }

  fields.totalAmount = exact(amount(required(root, "Fa/P_15"), "Fa/P_15"), "Fa/P_15");

  const splitText = textAt(root, "Fa/Adnotacje/P_18A");
  if (splitText !== undefined) {
    if (splitText !== "1" && splitText !== "2") throw new KsefValueError("invalid_value", `Fa/Adnotacje/P_18A must be 1 or 2, not "${splitText}"`, "Fa/Adnotacje/P_18A");
    fields.splitPayment = exact(splitText === "1", "Fa/Adnotacje/P_18A");
  }

  const payment = elementAt(root, "Fa/Platnosc");
  if (payment) {
    // Several due dates are instalments: the first one is when money is first due.
    const terms = childElements(payment, "TerminPlatnosci");
    for (let i = 0; i < terms.length && !fields.dueDate; i++) {
      const t = textAt(terms[i], "Termin");
      if (t) fields.dueDate = exact(date(t, "Fa/Platnosc/TerminPlatnosci/Termin"), `Fa/Platnosc/TerminPlatnosci${terms.length > 1 ? `[${i + 1}]` : ""}/Termin`);
    }
    const accounts = childElements(payment, "RachunekBankowy");
    for (let i = 0; i < accounts.length && !fields.bankAccount; i++) {
      const nr = textAt(accounts[i], "NrRB");
      // NrRB holds an NRB or a foreign IBAN: only Polish 26-digit numbers fit the field.
      const nrb = nr === undefined ? "" : normalizeNrb(nr);
      if (/^\d{26}$/.test(nrb)) fields.bankAccount = exact(nrb, `Fa/Platnosc/RachunekBankowy${accounts.length > 1 ? `[${i + 1}]` : ""}/NrRB`);
    }
    if (textAt(payment, "Zaplacono") === "1") {
      fields.paidAmount = derived(fields.totalAmount.value, "Fa/Platnosc/Zaplacono = 1: paid in full");
    } else {
      const parts = childElements(payment, "ZaplataCzesciowa");
      if (parts.length) {
        let paid = 0;
        for (const p of parts) paid += amount(required(p, "KwotaZaplatyCzesciowej"), "Fa/Platnosc/ZaplataCzesciowa/KwotaZaplatyCzesciowej");
        fields.paidAmount = derived(paid, `sum of ${parts.length} Fa/Platnosc/ZaplataCzesciowa`);
      }
    }
  }

  const review = crossCheck(fields);
  return { source: "ksef", variant, fields, review, vatInPln };
}
