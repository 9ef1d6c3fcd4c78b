// The reading steps shared by Node's readDocument and the dashboard's in-browser reader.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { invoiceDocumentFields } from "../../src/domain/document";
import { extractInvoice } from "../../src/domain/invoice";
import { fieldsFromText, hasDocumentText, meanOcrConfidence, ocrPageText, type TesseractPageLike } from "../../src/domain/reading";

const stacked = readFileSync(new URL("../fixtures/invoices/a-stacked-23.txt", import.meta.url), "utf8");

const line = (text: string, confidence: number, words?: Array<[string, number]>) => ({
  text: `${text}\n`,
  confidence,
  words: (words ?? text.split(" ").map((w) => [w, confidence] as [string, number])).map(([t, c]) => ({ text: t, confidence: c })),
});

describe("ocrPageText", () => {
  const page: TesseractPageLike = {
    blocks: [
      { paragraphs: [{ lines: [line("FAKTURA VAT nr 12/2026", 96)] }, { lines: [line("Sprzedawca:", 91), line("   ", 0, [[" ", 10]])] }] },
      { paragraphs: [{ lines: [line("Do zapłaty: 123,00 zł", 88, [["Do", 95], ["zapłaty:", 90], ["123,00", 61], ["zł", 95]])] }] },
    ],
    rotateRadians: Math.PI / 180,
  };
  const out = ocrPageText(page, 42);

  it("joins lines, a blank line between blocks only (not between paragraphs), no trailing blank", () => {
    expect(out.text).toBe("FAKTURA VAT nr 12/2026\nSprzedawca:\n\nDo zapłaty: 123,00 zł");
  });

  it("keeps one entry per text line: the OCR line with word confidences 0..1, null for blank lines", () => {
    expect(out.lines).toHaveLength(4);
    expect(out.lines[2]).toBeNull();
    expect(out.lines[3]).toEqual({ text: "Do zapłaty: 123,00 zł", confidence: 0.88, words: [
      { text: "Do", confidence: 0.95 }, { text: "zapłaty:", confidence: 0.9 }, { text: "123,00", confidence: 0.61 }, { text: "zł", confidence: 0.95 },
    ] });
  });

  it("counts words without the empty ones, their mean confidence, the skew in degrees and the time", () => {
    expect(out.words).toBe(9);
    expect(out.confidence).toBeCloseTo((0.96 * 4 + 0.91 + 0.95 + 0.9 + 0.61 + 0.95) / 9, 2);
    expect(out.skewDegrees).toBe(1);
    expect(out.ms).toBe(42);
  });

  it("an empty page gives no text, no words, confidence 0", () => {
    expect(ocrPageText({ blocks: null }, 1)).toEqual({ text: "", lines: [], confidence: 0, words: 0, skewDegrees: 0, ms: 1 });
  });
});

describe("hasDocumentText / meanOcrConfidence", () => {
  it("needs two letters or digits in a row (Polish letters count)", () => {
    expect(hasDocumentText("")).toBe(false);
    expect(hasDocumentText(" . , - \n ~")).toBe(false);
    expect(hasDocumentText("a b c")).toBe(false);
    expect(hasDocumentText("źł")).toBe(true);
    expect(hasDocumentText("12")).toBe(true);
  });

  it("weighs pages by their words; null without OCR; 0 when no words", () => {
    expect(meanOcrConfidence([])).toBeNull();
    expect(meanOcrConfidence([[0.9, 100], [0.5, 0]])).toBe(0.9);
    expect(meanOcrConfidence([[0.9, 30], [0.6, 10]])).toBe(0.83);
    expect(meanOcrConfidence([[0.7, 0]])).toBe(0);
  });
});

describe("fieldsFromText", () => {
  it("an invoice text gives what extractInvoice + invoiceDocumentFields give", () => {
    const out = fieldsFromText(stacked, null, "auto");
    const invoice = extractInvoice(stacked);
    expect(out.kind).toBe("invoice");
    expect(out.fields).toEqual(invoiceDocumentFields(invoice, null));
    expect(out.review).toEqual(invoice.review);
    expect(out.invoice).toEqual(invoice);
  });

  it("decides a nameplate by its text unless told, and is told invoice by the invoice upload", () => {
    const plate = "MITSUBISHI ELECTRIC\nMODEL: MUZ-LN35VG\nSERIAL No.: 1A00123\nREFRIGERANT: R32   0.80 kg\nGWP 675   0.54 t CO2 eq";
    const auto = fieldsFromText(plate, null, "auto");
    expect(auto.kind).toBe("nameplate");
    expect(auto.fields.refrigerant?.value).toBe("R32");
    expect(auto.nameplate).toBeDefined();
    expect(fieldsFromText(plate, null, "invoice").kind).toBe("invoice");
  });
});
