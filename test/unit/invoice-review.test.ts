// The shared reading format (ocr-record.ts) and the invoice review rules (invoice-status.ts).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { invoiceDocumentFields, type DocumentField } from "../../src/domain/document";
import { extractInvoice } from "../../src/domain/invoice";
import { allowedInvoiceMoves, checkInvoiceFields, checkProcessable, decideInvoiceChange, type InvoiceState } from "../../src/domain/invoice-status";
import { completeNip } from "../../src/domain/nip";
import { completeNrb } from "../../src/domain/nrb";
import {
  fillEmptyColumns, invoiceColumnsFromReading, parseStoredReading, storedReading, TEXT_LIMIT, type StoredReading,
} from "../../src/domain/ocr-record";

const fixture = (name: string) => readFileSync(new URL(`../fixtures/invoices/${name}`, import.meta.url), "utf8");
const NIP = completeNip("526104082")!; // 5261040828
const BAD_NIP = NIP.slice(0, 9) + String((Number(NIP[9]) + 1) % 10);
const NRB = completeNrb("109010140000071219812874")!;

function field(value: string | number | boolean, confidence = 0.9): DocumentField {
  return { value, confidence, parserConfidence: confidence, ocrConfidence: null, source: { kind: "ocr", line: 1 } };
}

function reading(fields: Record<string, DocumentField | null>): StoredReading {
  return storedReading({ kind: "invoice", source: "image-ocr", totalPages: 1, fields, review: [], ocrConfidence: 0.9, text: "Faktura" }, "browser", "2026-11-20T10:00:00.000Z");
}

describe("storedReading / parseStoredReading", () => {
  it("keeps what the record needs and round-trips through the check", () => {
    const inv = extractInvoice(fixture("a-stacked-23.txt"));
    const fields = invoiceDocumentFields(inv);
    const stored = storedReading({ kind: "invoice", source: "pdf-text", totalPages: 2, fields, review: inv.review, ocrConfidence: null, text: "x".repeat(TEXT_LIMIT + 5) }, "worker", new Date("2026-11-20T10:00:00Z"));
    expect(stored).toMatchObject({ v: 1, kind: "invoice", source: "pdf-text", reader: "worker", readAt: "2026-11-20T10:00:00.000Z", pages: 2, textTruncated: true });
    expect(stored.text).toHaveLength(TEXT_LIMIT);
    const parsed = parseStoredReading(JSON.parse(JSON.stringify(stored)), "ocrData", "invoice");
    expect(parsed.errors).toEqual([]);
    expect(parsed.value?.fields.number?.value).toBe(fields.number?.value);
  });

  it.each([
    [null, "must be a reading object"],
    [[], "must be a reading object"],
    [{ v: 2 }, "v must be 1"],
    [{ ...reading({}), kind: "nameplate" }, 'kind must be "invoice" here'],
    [{ ...reading({}), kind: "receipt" }, "kind must be"],
    [{ ...reading({}), source: "camera" }, "source must be one of"],
    [{ ...reading({}), reader: "me" }, "reader must be"],
    [{ ...reading({}), readAt: "yesterday" }, "readAt must be an ISO timestamp"],
    [{ ...reading({}), pages: -1 }, "pages must be a whole number"],
    [{ ...reading({}), fields: [] }, "fields must be an object"],
    [{ ...reading({ number: { ...field("FV/1"), confidence: 2 } }) }, "fields.number confidence must be a number from 0 to 1"],
    [{ ...reading({ number: { ...field("FV/1"), value: { a: 1 } as unknown as string } }) }, "fields.number value must be"],
    [{ ...reading({ number: { ...field("FV/1"), source: null as unknown as DocumentField["source"] } }) }, "fields.number source must be"],
    [{ ...reading({}), review: [{ field: "x" }] }, "review[0] must have field, code and message"],
    [{ ...reading({}), ocrConfidence: "high" }, "ocrConfidence must be null or"],
    [{ ...reading({}), text: "x".repeat(TEXT_LIMIT + 1) }, "text must be at most"],
  ])("rejects %j with a message naming the part", (value, message) => {
    const r = parseStoredReading(value, "ocrData", "invoice");
    expect(r.value).toBeNull();
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatchObject({ field: "ocrData", code: "invalid_reading" });
    expect(r.errors[0].message).toContain(message);
  });
});

describe("invoiceColumnsFromReading / fillEmptyColumns", () => {
  it("maps reading fields to columns, amounts to major units, rates to the breakdown", () => {
    const cols = invoiceColumnsFromReading({
      number: field("FV/2026/11/7"), issueDate: field("2026-11-20"), saleDate: field("2026-11-19"), dueDate: field("2026-12-04"),
      sellerName: field("  Chłodpol Sp. z o.o. "), sellerNip: field(NIP), buyerNip: field(`PL ${NIP}`), currency: field("PLN"),
      netTotal: field(100000), vatTotal: field(23000), grossTotal: field(123000), totalAmount: field(123000),
      bankAccount: field(NRB), splitPayment: field(true),
      "rates.23.net": field(100000), "rates.23.vat": field(23000), "rates.23.gross": field(123000), "rates.zw.net": field(5),
      buyerName: field("ignored"), kind: field("VAT"),
    });
    expect(cols).toEqual({
      invoiceNumber: "FV/2026/11/7", issueDate: "2026-11-20", saleDate: "2026-11-19", dueDate: "2026-12-04",
      sellerName: "Chłodpol Sp. z o.o.", sellerNip: NIP, buyerNip: NIP, currency: "PLN",
      netAmount: 1000, vatAmount: 230, grossAmount: 1230, totalAmount: 1230, bankAccount: NRB, splitPayment: true,
      vatBreakdown: [{ rate: "23", net: 1000, vat: 230, gross: 1230 }, { rate: "zw", net: 0.05, vat: null, gross: null }],
    });
  });

  it("takes missing totals from the rates when every rate has the part", () => {
    const cols = invoiceColumnsFromReading({
      "rates.23.net": field(100000), "rates.23.vat": field(23000), "rates.23.gross": field(123000),
      "rates.8.net": field(10000), "rates.8.vat": field(800),
      grossTotal: field(999),
    });
    expect(cols).toMatchObject({ netAmount: 1100, vatAmount: 238, grossAmount: 9.99 });
    expect(Object.keys(invoiceColumnsFromReading({ "rates.23.net": field(5), "rates.8.vat": field(1) }))).toEqual(["vatBreakdown"]);
  });

  it("leaves out values that fail their checks (they stay in the reading, flagged)", () => {
    const cols = invoiceColumnsFromReading({
      sellerNip: field(BAD_NIP), bankAccount: field(NRB.slice(0, 25) + ((Number(NRB[25]) + 1) % 10)), issueDate: field("20.11.2026"),
      currency: field("zł"), totalAmount: field(12.5), number: field("   "),
    });
    expect(cols).toEqual({});
  });

  it("fills only empty columns: a person's correction stays, the same reading twice changes nothing", () => {
    const proposed = { invoiceNumber: "FV/1", sellerNip: NIP, totalAmount: 1230, splitPayment: true };
    const current = { invoiceNumber: "FV/1-corrected", sellerNip: "", totalAmount: 0, splitPayment: false };
    const first = fillEmptyColumns(current, proposed);
    expect(first).toEqual({ sellerNip: NIP, totalAmount: 1230, splitPayment: true });
    expect(fillEmptyColumns({ ...current, ...first }, proposed)).toEqual({});
  });
});

const complete: InvoiceState = {
  status: "pending", invoiceNumber: "FV/1", issueDate: "2026-11-20 00:00:00.000Z", dueDate: "2026-12-04 00:00:00.000Z",
  sellerName: "Chłodpol", sellerNip: NIP, netAmount: 1000, vatAmount: 230, grossAmount: 1230, totalAmount: 1230,
  vatBreakdown: [{ rate: "23", net: 1000, vat: 230, gross: 1230 }],
};
const manager = { role: "manager" as const, id: "m1" };
const dispatcher = { role: "dispatcher" as const, id: "d1" };
const NOW = "2026-11-25 10:00:00.000Z";
const codesOf = (errors: { field: string; code: string }[]) => errors.map((e) => `${e.field}:${e.code}`);

describe("invoice review rules", () => {
  it("moves: pending -> processed -> paid; back to pending from processed; only a manager undoes a payment", () => {
    expect(allowedInvoiceMoves("pending", "dispatcher")).toEqual(["processed"]);
    expect(allowedInvoiceMoves("processed", "dispatcher")).toEqual(["pending", "paid"]);
    expect(allowedInvoiceMoves("paid", "dispatcher")).toEqual([]);
    expect(allowedInvoiceMoves("paid", "manager")).toEqual(["processed"]);
    expect(allowedInvoiceMoves("pending", "technician")).toEqual([]);
  });

  it("marking processed stamps who and when; paid stamps paidAt; going back clears them", () => {
    const p = decideInvoiceChange(complete, { ...complete, status: "processed" }, ["status"], dispatcher, NOW);
    expect(p).toEqual({ errors: [], effects: { processedAt: NOW, processedBy: "d1" } });
    const paid = decideInvoiceChange({ ...complete, status: "processed" }, { ...complete, status: "paid" }, ["status"], dispatcher, NOW);
    expect(paid).toEqual({ errors: [], effects: { paidAt: NOW } });
    const own = decideInvoiceChange({ ...complete, status: "processed" }, { ...complete, status: "paid", paidAt: "2026-11-21 00:00:00.000Z" }, ["status", "paidAt"], dispatcher, NOW);
    expect(own.effects).toEqual({});
    expect(decideInvoiceChange({ ...complete, status: "processed" }, complete, ["status"], dispatcher, NOW).effects).toEqual({ processedAt: null, processedBy: null });
    expect(decideInvoiceChange({ ...complete, status: "paid" }, { ...complete, status: "processed" }, ["status"], manager, NOW)).toEqual({ errors: [], effects: { paidAt: null } });
  });

  it("refuses skipped and backward moves with a message that says what to do", () => {
    const skip = decideInvoiceChange(complete, { ...complete, status: "paid" }, ["status"], manager, NOW);
    expect(codesOf(skip.errors)).toEqual(["status:invalid_transition"]);
    expect(skip.errors[0].message).toContain("processed");
    const undo = decideInvoiceChange({ ...complete, status: "paid" }, { ...complete, status: "processed" }, ["status"], dispatcher, NOW);
    expect(undo.errors[0].message).toContain("manager");
    expect(codesOf(decideInvoiceChange({ ...complete, status: "paid" }, { ...complete, status: "pending" }, ["status"], manager, NOW).errors)).toEqual(["status:invalid_transition"]);
    expect(codesOf(decideInvoiceChange(null, { ...complete, status: "paid" }, ["status"], manager, NOW).errors)).toEqual(["status:invalid_transition"]);
  });

  it("a paid invoice is locked; a processed one stays complete when edited", () => {
    const paid = { ...complete, status: "paid" as const };
    expect(codesOf(decideInvoiceChange(paid, { ...paid, totalAmount: 1 }, ["totalAmount"], manager, NOW).errors)).toEqual(["status:invoice_locked"]);
    expect(decideInvoiceChange(paid, paid, ["description"], manager, NOW).errors).toEqual([]);
    const processed = { ...complete, status: "processed" as const };
    expect(codesOf(decideInvoiceChange(processed, { ...processed, invoiceNumber: "" }, ["invoiceNumber"], dispatcher, NOW).errors)).toEqual(["invoiceNumber:required"]);
    // While pending anything incomplete may be saved.
    expect(decideInvoiceChange(complete, { ...complete, invoiceNumber: "" }, ["invoiceNumber"], dispatcher, NOW).errors).toEqual([]);
  });

  it("processing needs number, issue date, seller, total, and sums that add up", () => {
    expect(checkProcessable(complete)).toEqual([]);
    expect(codesOf(checkProcessable({ status: "pending" }))).toEqual(["invoiceNumber:required", "issueDate:required", "sellerName:required", "totalAmount:required"]);
    expect(checkProcessable({ ...complete, sellerName: "", sellerNip: NIP })).toEqual([]);
    expect(codesOf(checkProcessable({ ...complete, grossAmount: 1230.01 }))).toEqual(["grossAmount:totals_mismatch", "grossAmount:breakdown_mismatch"]);
    expect(codesOf(checkProcessable({ ...complete, vatBreakdown: [{ rate: "23", net: 1000, vat: 230, gross: 1231 }] }))).toEqual(["vatBreakdown:rate_sum_mismatch", "grossAmount:breakdown_mismatch"]);
    expect(codesOf(checkProcessable({ ...complete, vatBreakdown: [{ rate: "23", net: 900, vat: 207, gross: 1107 }, { rate: "8", net: 100, vat: 8, gross: 108 }] }))).toEqual(["vatAmount:breakdown_mismatch", "grossAmount:breakdown_mismatch"]);
    // A rate row with a missing part does not count against the totals.
    expect(checkProcessable({ ...complete, vatBreakdown: [{ rate: "23", net: 1000, vat: null, gross: null }] })).toEqual([]);
    expect(codesOf(checkProcessable({ ...complete, dueDate: "2026-11-19" }))).toEqual(["dueDate:due_before_issue"]);
    // 0.1 + 0.2 in floats: the check runs in grosze.
    expect(checkProcessable({ ...complete, netAmount: 0.1, vatAmount: 0.2, grossAmount: 0.3, totalAmount: 0.3, vatBreakdown: null })).toEqual([]);
  });

  it("checks the fields a write changes: NIP and NRB checksums, currency, amounts, dates", () => {
    const s: InvoiceState = { status: "pending", sellerNip: BAD_NIP, buyerNip: "123", bankAccount: NRB.slice(1), currency: "zł", netAmount: 1.005, vatAmount: 2e10, dueDate: "2026-01-01", issueDate: "2026-02-01", vatBreakdown: [{ rate: "", net: 1, vat: 1, gross: 2 }] };
    expect(codesOf(checkInvoiceFields(s, Object.keys(s)))).toEqual([
      "sellerNip:nip_checksum", "buyerNip:nip_format", "bankAccount:nrb_format", "currency:currency_format",
      "netAmount:amount_precision", "vatAmount:amount_range", "vatBreakdown:breakdown_format", "dueDate:due_before_issue",
    ]);
    // Untouched fields are not re-checked (old data does not block an unrelated edit).
    expect(checkInvoiceFields(s, ["description"])).toEqual([]);
    expect(checkInvoiceFields({ status: "pending", sellerNip: `PL ${NIP.slice(0, 3)}-${NIP.slice(3, 6)}-${NIP.slice(6, 8)}-${NIP.slice(8)}` }, ["sellerNip"])).toEqual([]);
  });
});
