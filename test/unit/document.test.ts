import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  combineConfidence,
  guessDocumentKind,
  invoiceDocumentFields,
  nameplateDocumentFields,
  ocrConfidenceOf,
  type OcrLineInfo,
} from "../../src/domain/document";
import { parseNameplate } from "../../src/domain/fgas";
import { extractInvoice, type FieldReading } from "../../src/domain/invoice";
import { readKsef } from "../../src/domain/ksef";

const fixtures = new URL("../fixtures/", import.meta.url);
const invoiceTexts = readdirSync(new URL("invoices/", fixtures)).map((f) => [f, readFileSync(new URL(`invoices/${f}`, fixtures), "utf8")] as const);

/** OCR lines for a text: every word at `confidence`, except words listed in `doubtful`. */
function linesOf(text: string, confidence = 0.95, doubtful: Record<string, number> = {}): Array<OcrLineInfo | null> {
  return text.split("\n").map((line) => {
    const words = line.split(/\s+/).filter(Boolean).map((w) => ({ text: w, confidence: doubtful[w] ?? confidence }));
    if (!words.length) return null;
    return { text: line, confidence: words.reduce((s, w) => s + w.confidence, 0) / words.length, words };
  });
}

const at = <T,>(value: T, line: number, confidence = 0.95): FieldReading<T> => ({ value, confidence, source: { kind: "ocr", line } });

describe("guessDocumentKind", () => {
  it.each(invoiceTexts)("invoice fixture %s is an invoice", (_name, text) => {
    expect(guessDocumentKind(text)).toBe("invoice");
  });

  it.each([
    "DAIKIN\nMODEL RXM35R9V1B\nSERIAL NO. J012345\nPOWER SUPPLY 1~ 220-240V 50Hz\nREFRIGERANT R32 0.76 kg\nGWP 675 t CO2 eq 0.51",
    "Gree GWH12AGB\nR32 / 1,05 kg   t CO2 eq 0,71",
    "Czynnik chłodniczy: R999 1,0 kg",
    "Urządzenie zawiera fluorowane gazy cieplarniane\nCzynnik chłodniczy R-32 0,85 kg\nProducent: Mitsubishi Electric\nModel: MUZ-LN25VG2\nNr seryjny: 9001234",
  ])("nameplate text %#", (text) => {
    expect(guessDocumentKind(text)).toBe("nameplate");
  });

  it("an invoice for refrigerant is still an invoice", () => {
    expect(guessDocumentKind("Faktura VAT nr 1/2026\nNIP 526-104-08-28\nCzynnik chłodniczy R32, butla 9 kg 23% 540,00\nDo zapłaty: 664,20 zł")).toBe("invoice");
  });

  it("empty text counts as an invoice", () => {
    expect(guessDocumentKind("")).toBe("invoice");
  });
});

describe("combineConfidence", () => {
  it.each<[number, number | null, number]>([
    [0.95, null, 0.95], // no OCR: the parser alone
    [0.95, 0.96, 0.95], // sure words cost nothing
    [0.95, 0.9, 0.95],
    [0.95, 0.6, 0.48], // (0.6 - 0.3) / 0.6 = half
    [0.95, 0.3, 0],
    [0.95, 0.1, 0],
    [0.97, 0.6, 0.87], // confirmed by the sums: at least 0.9 of it
    [1, 0.2, 0.9],
  ])("parser %s, OCR %s -> %s", (parser, ocr, expected) => {
    expect(combineConfidence(parser, ocr)).toBe(expected);
  });
});

describe("ocrConfidenceOf", () => {
  const text = [
    "NIP: 526-104-08-28", // 1
    "Do zapłaty: 1 057,80 zł", // 2
    "Data wystawienia: 24.11.2026", // 3
    "Warszawa, dnia 24 listopada 2026 r.", // 4
    "Klimat-Serwis Sp. z o.o.", // 5
    "", // 6
    "Charge R32 0.80 kg", // 7
  ].join("\n");

  it.each<[string, FieldReading<unknown>, Parameters<typeof ocrConfidenceOf>[1], Record<string, number>, number | null]>([
    ["the NIP word", at("5261040828", 1), "digits", { "526-104-08-28": 0.55 }, 0.55],
    ["an amount split over two words: the weaker", at(105780, 2), "amount", { "1": 0.7, "057,80": 0.9 }, 0.7],
    ["the label's doubt does not count", at(105780, 2), "amount", { "zapłaty:": 0.2 }, 0.95],
    ["a dotted date", at("2026-11-24", 3), "date", { "24.11.2026": 0.8 }, 0.8],
    ["a date in words", at("2026-11-24", 4), "date", { listopada: 0.5 }, 0.5],
    ["a name: the mean of its words", at("Klimat-Serwis Sp. z o.o.", 5), "text", { "o.o.": 0.55 }, 0.85],
    ["a charge in kg", at(0.8, 7), "decimal", { "0.80": 0.6 }, 0.6],
    ["value not spelled on the line: the line's confidence", at("5261040829", 1), "digits", {}, 0.95],
    ["a yes/no note: the line's confidence", at(true, 3), "flag", { "24.11.2026": 0.5 }, 0.8],
    ["a blank line", at("x", 6), "text", {}, null],
    ["a line past the end", at("x", 40), "text", {}, null],
  ])("%s", (_name, field, kind, doubtful, expected) => {
    expect(ocrConfidenceOf(field, kind, linesOf(text, 0.95, doubtful))).toBe(expected);
  });

  it("is null for computed values and without OCR lines", () => {
    expect(ocrConfidenceOf({ value: 1, confidence: 0.8, source: { kind: "computed", text: "gross - net" } }, "amount", linesOf(text))).toBeNull();
    expect(ocrConfidenceOf(at("5261040828", 1), "digits", null)).toBeNull();
  });
});

describe("invoiceDocumentFields", () => {
  const text = invoiceTexts.find(([n]) => n === "a-stacked-23.txt")![1];

  it("lists every field, rates flattened, amounts with their printed form", () => {
    const fields = invoiceDocumentFields(extractInvoice(text));
    expect(Object.keys(fields)).toEqual([
      "kind", "number", "issueDate", "saleDate", "dueDate", "sellerName", "sellerNip", "buyerName", "buyerNip", "currency",
      "rates.23.net", "rates.23.vat", "rates.23.gross",
      "netTotal", "vatTotal", "grossTotal", "paidAmount", "totalAmount", "bankAccount", "splitPayment",
    ]);
    expect(fields.totalAmount).toMatchObject({ value: 105780, display: "1 057,80 zł", ocrConfidence: null });
    expect(fields.totalAmount!.confidence).toBe(fields.totalAmount!.parserConfidence);
    expect(fields.paidAmount).toBeNull();
  });

  it("lowers a field the OCR engine doubted, and only that one", () => {
    const reading = extractInvoice(text);
    const sure = invoiceDocumentFields(reading, linesOf(text, 0.96));
    const doubted = invoiceDocumentFields(reading, linesOf(text, 0.96, { "526-104-08-28": 0.45 }));
    expect(sure.sellerNip!.confidence).toBe(sure.sellerNip!.parserConfidence);
    expect(doubted.sellerNip!.ocrConfidence).toBe(0.45);
    expect(doubted.sellerNip!.confidence).toBeLessThan(0.3);
    expect(doubted.buyerNip!.confidence).toBe(sure.buyerNip!.confidence);
  });

  it("KSeF fields stay exact", () => {
    const result = readKsef(readFileSync(new URL("ksef/fa2-klimat-serwis.xml", fixtures), "utf8"));
    if (!result.ok) throw new Error(result.error.message);
    const fields = invoiceDocumentFields(result.invoice);
    expect(fields.number).toMatchObject({ confidence: 1, ocrConfidence: null, source: { kind: "ksef", path: "Fa/P_2" } });
  });
});

describe("nameplateDocumentFields", () => {
  it("lists the plate's fields, null when not found", () => {
    const text = "DAIKIN\nMODEL RXM35R9V1B\nREFRIGERANT R32 0.76 kg";
    const fields = nameplateDocumentFields(parseNameplate(text), linesOf(text, 0.95, { "0.76": 0.5 }));
    expect(Object.keys(fields)).toEqual(["manufacturer", "model", "serialNumber", "refrigerant", "chargeKg", "gwp", "co2eTonnes", "hermeticallySealed"]);
    expect(fields.model?.value).toBe("RXM35R9V1B");
    expect(fields.serialNumber).toBeNull();
    expect(fields.chargeKg).toMatchObject({ value: 0.76, ocrConfidence: 0.5 });
    expect(fields.chargeKg!.confidence).toBeLessThan(fields.chargeKg!.parserConfidence);
  });
});
