// The invoice pages' pure logic (src/domain/invoiceview.ts).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { DocumentField } from "../../src/domain/document";
import { checkProcessable } from "../../src/domain/invoice-status";
import {
  amountInput, applyInvoiceEvent, columnsFormData, flagCount, formatInvoiceDay, formatStoredAmount, formPatch, formState, formValueOf,
  invoiceDay, invoiceMoves, invoiceTab, invoiceToForm, invoiceTotal, isLowConfidence, isOverdue, isReading, ocrState, parseAmountInput,
  readField, readingOf, readPlan, readValueText, rebaseInvoiceForm, reviewField, reviewRate, uploadColumns, type InvoiceRow,
} from "../../src/domain/invoiceview";
import { invoiceColumnsFromReading, READING_FIELD_OF_COLUMN, storedReading, type StoredReading } from "../../src/domain/ocr-record";
import { fieldsFromText } from "../../src/domain/reading";

const stacked = readFileSync(new URL("../fixtures/invoices/a-stacked-23.txt", import.meta.url), "utf8");

function reading(text = stacked): StoredReading {
  const parsed = fieldsFromText(text, null, "invoice");
  return storedReading({ kind: "invoice", source: "pdf-text", pages: 1, fields: parsed.fields, review: parsed.review, ocrConfidence: null, text }, "worker", "2026-11-24T10:00:00.000Z");
}

const field = (value: unknown, confidence = 0.95, display?: string): DocumentField => ({
  value, confidence, parserConfidence: confidence, ocrConfidence: null, source: { kind: "ocr", line: 1 }, ...(display ? { display } : {}),
});

const row = (over: Partial<InvoiceRow> = {}): InvoiceRow => ({
  id: "inv1", created: "2026-11-24 10:00:00.000Z", updated: "2026-11-24 10:00:00.000Z", jobId: "", contactId: "", file: "f.png", filename: "f.png",
  filesize: 1, mimetype: "image/png", ocrData: null, totalAmount: 0, status: "pending", ...over,
});

describe("the reading and its state", () => {
  it("readingOf takes ocrData parsed or as JSON text, and nothing that is not a reading", () => {
    const r = reading();
    expect(readingOf(r)?.reader).toBe("worker");
    expect(readingOf(JSON.stringify(r))?.fields.number?.value).toBe(r.fields.number?.value);
    expect(readingOf(null)).toBeNull();
    expect(readingOf("")).toBeNull();
    expect(readingOf("{not json")).toBeNull();
    expect(readingOf({ v: 2 })).toBeNull();
  });

  it("ocrState: the stored status, else done with a reading, waiting with a file, none without", () => {
    expect(ocrState(row({ ocrStatus: "failed" }))).toBe("failed");
    expect(ocrState(row({ ocrStatus: "reading", ocrData: reading() }))).toBe("reading");
    expect(ocrState(row({ ocrStatus: "", ocrData: reading() }))).toBe("done");
    expect(ocrState(row({ ocrStatus: "" }))).toBe("waiting");
    expect(ocrState(row({ ocrStatus: "", file: "" }))).toBe("none");
    expect(isReading("waiting")).toBe(true);
    expect(isReading("reading")).toBe(true);
    expect(isReading("failed")).toBe(false);
  });

  it("flagCount counts the reading's review items", () => {
    const r = reading();
    expect(flagCount(row({ ocrData: r }))).toBe(r.review.length);
    expect(flagCount(row({ ocrData: { ...r, review: [{ field: "sellerNip", code: "nip_checksum", message: "x" }] } }))).toBe(1);
    expect(flagCount(row())).toBe(0);
  });
});

describe("dates and amounts as shown", () => {
  it("invoice dates are calendar days, never shifted by a time zone", () => {
    expect(invoiceDay("2026-11-24 00:00:00.000Z")).toBe("2026-11-24");
    expect(invoiceDay("")).toBe("");
    expect(invoiceDay(null)).toBe("");
    expect(formatInvoiceDay("2026-12-08 00:00:00.000Z")).toBe("08.12.2026");
    expect(formatInvoiceDay("")).toBe("");
  });

  it("overdue: not paid and due before today", () => {
    expect(isOverdue({ status: "pending", dueDate: "2026-11-23 00:00:00.000Z" }, "2026-11-24")).toBe(true);
    expect(isOverdue({ status: "processed", dueDate: "2026-11-23 00:00:00.000Z" }, "2026-11-24")).toBe(true);
    expect(isOverdue({ status: "pending", dueDate: "2026-11-24 00:00:00.000Z" }, "2026-11-24")).toBe(false);
    expect(isOverdue({ status: "paid", dueDate: "2026-11-01 00:00:00.000Z" }, "2026-11-24")).toBe(false);
    expect(isOverdue({ status: "pending", dueDate: "" }, "2026-11-24")).toBe(false);
  });

  it("amounts in Polish notation; the total to pay, else the gross total", () => {
    expect(formatStoredAmount(1057.8)).toBe("1\u00a0057,80\u00a0zł");
    expect(formatStoredAmount(0.1 + 0.2, "EUR")).toBe("0,30\u00a0EUR");
    expect(formatStoredAmount(12, "bad")).toBe("12,00\u00a0zł");
    expect(formatStoredAmount(null)).toBe("");
    expect(invoiceTotal({ totalAmount: 100, grossAmount: 120 })).toBe(100);
    expect(invoiceTotal({ totalAmount: 0, grossAmount: 120 })).toBe(120);
    expect(invoiceTotal({ totalAmount: 0, grossAmount: 0 })).toBe(0);
  });
});

describe("the list", () => {
  it("invoiceTab reads the address, pending by default", () => {
    expect(invoiceTab("paid")).toBe("paid");
    expect(invoiceTab("nonsense")).toBe("pending");
    expect(invoiceTab(null)).toBe("pending");
  });

  it("applyInvoiceEvent adds newest first, replaces, drops what left the tab, ignores older copies", () => {
    const a = row({ id: "a", created: "2026-11-20 10:00:00.000Z" });
    const b = row({ id: "b", created: "2026-11-22 10:00:00.000Z" });
    let list = applyInvoiceEvent([a], b, "create", "pending");
    expect(list.map((r) => r.id)).toEqual(["b", "a"]);
    list = applyInvoiceEvent(list, { ...a, invoiceNumber: "X", updated: "2026-11-24 11:00:00.000Z" }, "update", "pending");
    expect(list.find((r) => r.id === "a")?.invoiceNumber).toBe("X");
    expect(applyInvoiceEvent(list, { ...a, invoiceNumber: "old", updated: "2026-11-23 00:00:00.000Z" }, "update", "pending").find((r) => r.id === "a")?.invoiceNumber).toBe("X");
    expect(applyInvoiceEvent(list, { ...a, status: "processed" }, "update", "pending").map((r) => r.id)).toEqual(["b"]);
    expect(applyInvoiceEvent(list, b, "delete", "pending").map((r) => r.id)).toEqual(["a"]);
    // An invoice of another tab changing does not touch this one.
    const other = row({ id: "c", status: "paid" });
    expect(applyInvoiceEvent(list, other, "update", "pending")).toBe(list);
    expect(applyInvoiceEvent([], other, "update", "paid").map((r) => r.id)).toEqual(["c"]);
  });
});

describe("upload", () => {
  it("readPlan: common images by OCR in the browser, KSeF XML exactly, PDF and converted formats on the server", () => {
    expect(["jpeg", "png", "webp", "bmp"].map(readPlan)).toEqual(["ocr", "ocr", "ocr", "ocr"]);
    expect(readPlan("xml")).toBe("ksef");
    expect(["pdf", "heic", "tiff", "avif", "gif"].map(readPlan)).toEqual(["server", "server", "server", "server", "server"]);
    expect(readPlan(null)).toBe("unsupported");
  });

  it("uploadColumns: the reading's checked columns, less a due date the hook would refuse with them", () => {
    const r = reading();
    expect(uploadColumns(r.fields)).toEqual(invoiceColumnsFromReading(r.fields));
    const fields = { ...r.fields, issueDate: field("2026-11-24"), dueDate: field("2026-11-01") };
    const columns = uploadColumns(fields);
    expect(columns.dueDate).toBeUndefined();
    expect(columns.issueDate).toBe("2026-11-24");
    expect(invoiceColumnsFromReading(fields).dueDate).toBe("2026-11-01");
    // A correction's negative total to pay does not fit the column (min 0); the net amounts do.
    const correction = uploadColumns({ ...r.fields, totalAmount: field(-12300), netTotal: field(-10000) });
    expect(correction.totalAmount).toBeUndefined();
    expect(correction.netAmount).toBe(-100);
  });

  it("columnsFormData writes numbers and flags as text and the rate table as JSON", () => {
    expect(columnsFormData({ invoiceNumber: "FV/1", totalAmount: 12.5, splitPayment: false, vatBreakdown: [{ rate: "23", net: 10, vat: 2.3, gross: 12.3 }] })).toEqual([
      ["invoiceNumber", "FV/1"], ["totalAmount", "12.5"], ["vatBreakdown", '[{"rate":"23","net":10,"vat":2.3,"gross":12.3}]'], ["splitPayment", "false"],
    ]);
  });
});

describe("the review form", () => {
  const stored = row({
    invoiceNumber: "FV/2026/11/0147", issueDate: "2026-11-24 00:00:00.000Z", dueDate: "2026-12-08 00:00:00.000Z", sellerName: "Klimat-Serwis Sp. z o.o.",
    sellerNip: "5261040828", currency: "PLN", netAmount: 860, vatAmount: 197.8, grossAmount: 1057.8, totalAmount: 1057.8,
    vatBreakdown: [{ rate: "23", net: 860, vat: 197.8, gross: 1057.8 }], bankAccount: "61109010140000071219812874", splitPayment: true,
  });

  it("parseAmountInput reads Polish and plain amounts, refuses letters and foreign currencies", () => {
    expect(parseAmountInput("1 234,56")).toBe(1234.56);
    expect(parseAmountInput("1.234,56 zł")).toBe(1234.56);
    expect(parseAmountInput("1234.5")).toBe(1234.5);
    expect(parseAmountInput("  ")).toBeNull();
    expect(parseAmountInput("1O0")).toBeUndefined();
    expect(parseAmountInput("12,345")).toBeUndefined();
    expect(parseAmountInput("1.234")).toBeUndefined();
    expect(parseAmountInput("12 34,56")).toBeUndefined();
    expect(parseAmountInput("-12,50")).toBe(-12.5);
    expect(parseAmountInput("12,3456")).toBeUndefined();
    expect(parseAmountInput("10 EUR")).toBeUndefined();
    expect(amountInput(1057.8)).toBe("1057,80");
    expect(amountInput(0, true)).toBe("");
    expect(amountInput(0)).toBe("0,00");
  });

  it("invoiceToForm shows days, amounts for editing, the account in groups; an untouched form changes nothing", () => {
    const form = invoiceToForm(stored);
    expect(form.issueDate).toBe("2026-11-24");
    expect(form.totalAmount).toBe("1057,80");
    expect(form.bankAccount).toBe("61 1090 1014 0000 0712 1981 2874");
    expect(form.rates).toEqual([{ rate: "23", net: "860,00", vat: "197,80", gross: "1057,80" }]);
    expect(invoiceToForm(row()).totalAmount).toBe("");
    expect(formPatch(stored, form)).toEqual({ patch: {}, errors: {} });
    expect(formPatch(row(), invoiceToForm(row()))).toEqual({ patch: {}, errors: {} });
  });

  it("formPatch sends only what changed, as the columns store it", () => {
    const form = { ...invoiceToForm(stored), sellerNip: "526-104-08-28", bankAccount: "PL61 1090 1014 0000 0712 1981 2874", sellerName: "Klimat-Serwis Spółka z o.o.", totalAmount: "1 100,00", currency: "eur" };
    expect(formPatch(stored, form)).toEqual({ patch: { sellerName: "Klimat-Serwis Spółka z o.o.", currency: "EUR", totalAmount: 1100 }, errors: {} });
    const rates = { ...invoiceToForm(stored), rates: [{ rate: "23", net: "860,00", vat: "197,80", gross: "1057,80" }, { rate: "zw", net: "600", vat: "0", gross: "600" }] };
    expect(formPatch(stored, rates).patch).toEqual({ vatBreakdown: [{ rate: "23", net: 860, vat: 197.8, gross: 1057.8 }, { rate: "zw", net: 600, vat: 0, gross: 600 }] });
    expect(formPatch(stored, { ...invoiceToForm(stored), dueDate: "", netAmount: "" }).patch).toEqual({ dueDate: "", netAmount: null });
  });

  it("formPatch keeps a NIP that is not 10 digits as typed (the server names the problem) and refuses amounts that are not amounts", () => {
    expect(formPatch(stored, { ...invoiceToForm(stored), sellerNip: "526-104-08" }).patch).toEqual({ sellerNip: "526-104-08" });
    const bad = formPatch(stored, { ...invoiceToForm(stored), vatAmount: "abc", rates: [{ rate: "23", net: "x", vat: "", gross: "" }] });
    expect(bad.errors).toEqual({ vatAmount: "amount_format", vatBreakdown: "amount_format" });
    expect(bad.patch).toEqual({});
  });

  it("formState feeds checkProcessable: what the person typed counts before saving", () => {
    const empty = row();
    expect(checkProcessable(formState(empty, invoiceToForm(empty))).map((e) => e.field)).toEqual(["invoiceNumber", "issueDate", "sellerName", "totalAmount"]);
    expect(checkProcessable(formState(stored, invoiceToForm(stored)))).toEqual([]);
    const mismatch = { ...invoiceToForm(stored), grossAmount: "1057,90" };
    expect(checkProcessable(formState(stored, mismatch)).map((e) => e.code)).toContain("totals_mismatch");
  });

  it("rebaseInvoiceForm: untouched fields follow a newer record, edited ones stay", () => {
    const before = invoiceToForm(row());
    const edited = { ...before, invoiceNumber: "FV/typed" };
    const after = invoiceToForm(stored);
    const merged = rebaseInvoiceForm(before, after, edited);
    expect(merged.invoiceNumber).toBe("FV/typed");
    expect(merged.sellerNip).toBe("5261040828");
    expect(merged.rates).toEqual(after.rates);
  });

  it("invoiceMoves: the shared rules' moves in button order; paid -> processed only for a manager", () => {
    expect(invoiceMoves("pending", "dispatcher")).toEqual(["processed"]);
    expect(invoiceMoves("processed", "dispatcher")).toEqual(["paid", "pending"]);
    expect(invoiceMoves("paid", "dispatcher")).toEqual([]);
    expect(invoiceMoves("paid", "manager")).toEqual(["processed"]);
    expect(invoiceMoves("pending", "technician")).toEqual([]);
  });
});

describe("what the reading said of each field", () => {
  it("READING_FIELD_OF_COLUMN names the reading field that fills each column", () => {
    for (const [column, name] of Object.entries(READING_FIELD_OF_COLUMN) as Array<[string, string]>) {
      const value = column === "splitPayment" ? true : /Amount$/.test(column) ? 12345 : /Date$/.test(column) ? "2026-11-24"
        : column === "sellerNip" || column === "buyerNip" ? "5261040828" : column === "bankAccount" ? "61109010140000071219812874" : column === "currency" ? "EUR" : "X";
      expect(Object.keys(invoiceColumnsFromReading({ [name]: field(value) }))).toEqual([column]);
    }
  });

  it("readField finds a form field's or a rate part's reading; low confidence below 0.8", () => {
    const r = reading();
    expect(readField(r, "invoiceNumber")?.value).toBe(r.fields.number?.value);
    expect(readField(r, "rates.23.net")).toBe(r.fields["rates.23.net"]);
    expect(readField(null, "invoiceNumber")).toBeNull();
    expect(isLowConfidence(field("x", 0.79))).toBe(true);
    expect(isLowConfidence(field("x", 0.8))).toBe(false);
    expect(isLowConfidence(null)).toBe(false);
  });

  it("readValueText and formValueOf show and insert the value as the field holds it", () => {
    expect(readValueText(field(105780, 0.9, "1 057,80 zł"))).toBe("1 057,80 zł");
    expect(readValueText(field("2026-12-08"))).toBe("08.12.2026");
    expect(readValueText(field("61109010140000071219812874"))).toBe("61 1090 1014 0000 0712 1981 2874");
    expect(readValueText(field(true), "tak", "nie")).toBe("tak");
    expect(formValueOf("totalAmount", field(105780))).toBe("1057,80");
    expect(formValueOf("rates.23.vat", field(19780))).toBe("197,80");
    expect(formValueOf("dueDate", field("2026-12-08"))).toBe("2026-12-08");
    expect(formValueOf("bankAccount", field("61109010140000071219812874"))).toBe("61 1090 1014 0000 0712 1981 2874");
    expect(formValueOf("splitPayment", field(false))).toBe(false);
    expect(formValueOf("sellerNip", field("5261040829"))).toBe("5261040829");
    expect(formValueOf("totalAmount", field("abc"))).toBeNull();
    expect(formValueOf("sellerNip", null)).toBeNull();
  });

  it("review items point at their form field and rate", () => {
    expect(reviewField({ field: "number" })).toBe("invoiceNumber");
    expect(reviewField({ field: "netTotal" })).toBe("netAmount");
    expect(reviewField({ field: "rates.23" })).toBe("vatBreakdown");
    expect(reviewField({ field: "sellerNip" })).toBe("sellerNip");
    expect(reviewField({ field: "buyerName" })).toBe("buyerName");
    expect(reviewRate({ field: "rates.zw" })).toBe("zw");
    expect(reviewRate({ field: "sellerNip" })).toBe("");
  });
});
