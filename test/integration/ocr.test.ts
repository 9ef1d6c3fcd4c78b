// Reading documents end to end: invoices drawn by ImageMagick in four layouts (clean, and as noisy
// rotated scans), a PDF with a text layer, a scanned PDF, TIFF/WebP/HEIC, a nameplate photo and
// the KSeF fixtures, through readDocument (one OCR worker for the whole file) and the CLI. Then
// every way a file can be unreadable: a typed error with a clear message, never a crash.
import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DocumentError, OcrEngine, readDocument, type DocumentErrorCode, type DocumentReading } from "../../src/ocr";
import {
  CLEAN, SCANNED, checkInvoice, checkNameplate, convertImage, invoiceDocuments, invoiceScannedPdf, invoiceScanPage, invoiceTextPage, invoiceTextPdf,
  pdf, renderImage, renderNameplate, requireImageMagick, writeBytes, type InvoiceDocument,
} from "../helpers/documents";

const ROOT = resolve(import.meta.dirname, "../..");
const KSEF = join(ROOT, "test/fixtures/ksef");
const docs = new Map(invoiceDocuments().map((d) => [d.id, d]));
const doc = (id: string): InvoiceDocument => docs.get(id)!;

let dir: string;
let engine: OcrEngine;
const file = (name: string) => join(dir, name);

beforeAll(async () => {
  requireImageMagick();
  dir = mkdtempSync(join(tmpdir(), "hvac-ocr-test-"));
  engine = new OcrEngine();
  // Drawn two at a time (2 cores); the engine starts meanwhile.
  const jobs: Array<() => Promise<unknown>> = [
    () => engine.start(),
    () => renderImage(doc("a1").draws, file("a1.png"), CLEAN),
    () => renderImage(doc("b1").draws, file("b1-scan.jpg"), SCANNED),
    () => renderImage(doc("d1").draws, file("d1-scan.jpg"), { ...SCANNED, family: "serif" }),
    () => renderImage(doc("c1").draws, file("c1.webp"), CLEAN),
    () => renderImage(doc("d2").draws, file("d2.tif"), { ...CLEAN, family: "serif" }),
    () => renderNameplate(file("nameplate.jpg")),
    async () => writeBytes(file("c2-scan.pdf"), await invoiceScannedPdf(doc("c2"), dir)),
    async () => writeBytes(file("a2-text.pdf"), invoiceTextPdf(doc("a2"))),
  ];
  await Promise.all([0, 1].map(async () => {
    while (jobs.length) await jobs.shift()!();
  }));
  await convertImage(file("nameplate.jpg"), file("nameplate.heic"));
  // Bad files, for readDocument and the CLI.
  await renderImage([], file("blank.png"));
  await renderImage([], file("blank.jpg"));
  writeBytes(file("blank.pdf"), pdf([{ jpeg: readFileSync(file("blank.jpg")), width: 1240, height: 1754 }]));
  writeBytes(file("empty.jpg"), new Uint8Array(0));
  writeBytes(file("notes.pdf"), Buffer.from("Faktura VAT nr 1/2026, do zapłaty 100 zł\n"));
  writeBytes(file("corrupt.pdf"), Buffer.from("%PDF-1.4\n1 0 obj << /Type /Catalog >>\ngarbage\n"));
  writeBytes(file("cut.png"), Buffer.from("\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x04\0", "latin1"));
}, 180_000);

afterAll(async () => {
  await engine?.terminate();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function expectAllRight(reading: DocumentReading, d: InvoiceDocument): void {
  const wrong = checkInvoice(reading.fields, d.truth).filter((c) => !c.ok);
  expect(wrong, `wrong fields in ${d.id}:\n${reading.text}`).toEqual([]);
}

describe("readDocument: invoices", () => {
  it.each<[string, string, DocumentReading["source"], DocumentReading["format"]]>([
    ["a1", "a1.png", "image-ocr", "png"],
    ["b1", "b1-scan.jpg", "image-ocr", "jpeg"],
    ["d1", "d1-scan.jpg", "image-ocr", "jpeg"],
    ["c1", "c1.webp", "image-ocr", "webp"],
    ["d2", "d2.tif", "image-ocr", "tiff"],
    ["c2", "c2-scan.pdf", "pdf-ocr", "pdf"],
    ["a2", "a2-text.pdf", "pdf-text", "pdf"],
  ])("%s from %s: every field exactly right", async (id, name, source, format) => {
    const reading = await readDocument(file(name), { engine });
    expect(reading).toMatchObject({ kind: "invoice", source, format, totalPages: 1 });
    expectAllRight(reading, doc(id));
    expect(reading.review.filter((r) => r.code !== "party_guess")).toEqual([]);
  }, 60_000);

  it("gives OCR fields a combined confidence and the words' own", async () => {
    const reading = await readDocument(file("a1.png"), { engine, kind: "invoice" });
    for (const check of checkInvoice(reading.fields, doc("a1").truth)) {
      const f = reading.fields[check.field]!;
      expect(f.confidence, check.field).toBeGreaterThan(0.4);
      expect(f.confidence, check.field).toBeLessThanOrEqual(f.parserConfidence);
      if (f.source.kind === "ocr") expect(f.ocrConfidence, check.field).toBeGreaterThan(0.5);
    }
    expect(reading.fields.totalAmount).toMatchObject({ value: 105780, display: "1 057,80 zł" });
    expect(reading.ocrConfidence).toBeGreaterThan(0.85);
    expect(reading.pages).toMatchObject([{ page: 1, source: "ocr" }]);
    expect(reading.timings.ocrMs).toBeGreaterThan(0);
    expect(reading.timings.engineStartMs).toBe(0); // the engine was already running
  }, 60_000);

  it("a text layer is exact: no OCR, no OCR confidence", async () => {
    const reading = await readDocument(file("a2-text.pdf"), { engine });
    expect(reading.ocrConfidence).toBeNull();
    expect(reading.timings.ocrMs).toBe(0);
    expect(reading.text).toContain("Termo-Instal Sp. z o.o.");
    for (const f of Object.values(reading.fields)) if (f) expect(f.ocrConfidence).toBeNull();
  });

  it("a scanned PDF is rendered (at 200 dpi, its 150 dpi scan scaled up) and OCRed", async () => {
    const reading = await readDocument(file("c2-scan.pdf"), { engine });
    expect(reading.pages).toMatchObject([{ page: 1, source: "ocr", dpi: 200 }]);
    expect(reading.pages[0].words).toBeGreaterThan(80);
    expect(Math.abs(reading.pages[0].skewDegrees! + 0.7)).toBeLessThan(0.3); // the scan's 0.7° tilt, found and undone
    expect(reading.timings.convertMs).toBeGreaterThan(0);
  }, 60_000);

  it("a PDF mixing a text page and a scanned page reads both, up to the page limit", async () => {
    const path = writeBytes(file("mixed.pdf"), pdf([invoiceTextPage(doc("a2")), await invoiceScanPage(doc("c2"), dir)]));
    const reading = await readDocument(path, { engine });
    expect(reading.source).toBe("pdf-mixed");
    expect(reading.pages.map((p) => p.source)).toEqual(["text-layer", "ocr"]);
    expect(reading.totalPages).toBe(2);
    expect(reading.text).toContain(doc("a2").truth.number);
    expect(reading.text).toContain(doc("c2").truth.number);
    expect(reading.fields.number?.value).toBe(doc("a2").truth.number); // the first page's

    const first = await readDocument(path, { engine, config: { maxPages: 1 } });
    expect(first.pages.map((p) => p.source)).toEqual(["text-layer"]);
    expect(first.warnings).toEqual(["Only the first 1 of 2 pages were read (HVAC_OCR_MAX_PAGES)."]);
  }, 60_000);
});

describe("readDocument: nameplates and KSeF", () => {
  it.each(["nameplate.jpg", "nameplate.heic"])("%s: manufacturer, model, serial, refrigerant and charge", async (name) => {
    const reading = await readDocument(file(name), { engine }); // kind found from the text
    expect(reading.kind).toBe("nameplate");
    expect(checkNameplate(reading.fields).filter((c) => !c.ok)).toEqual([]);
    expect(reading.fields.chargeKg!.confidence).toBeGreaterThan(0.5);
    expect(reading.nameplate?.hermeticallySealed?.value).toBe(true);
  }, 60_000);

  it.each(readdirSync(KSEF).filter((f) => f.endsWith(".xml")))("KSeF %s is read exactly, without OCR", async (name) => {
    const reading = await readDocument(join(KSEF, name), { engine, kind: "auto" });
    expect(reading).toMatchObject({ format: "xml", source: "ksef", kind: "invoice", ocrConfidence: null });
    expect(reading.ksefVariant).toMatch(/^FA\([23]\)$/);
    expect(reading.fields.number).toMatchObject({ confidence: 1, source: { kind: "ksef", path: "Fa/P_2" } });
    expect(reading.fields.totalAmount?.value).toEqual(expect.any(Number));
    if (name === "fa2-inconsistent.xml") expect(reading.review.length).toBeGreaterThan(0);
    else expect(reading.review).toEqual([]);
  });

  it("the KSeF invoice and the drawn invoice with the same data agree", async () => {
    const ksef = await readDocument(join(KSEF, "fa2-klimat-serwis.xml"));
    const ocr = await readDocument(file("a1.png"), { engine });
    for (const key of ["number", "issueDate", "sellerNip", "totalAmount", "bankAccount"]) expect(ocr.fields[key]?.value, key).toBe(ksef.fields[key]?.value);
  }, 60_000);
});

describe("readDocument: unreadable files give a typed error", () => {
  const cases: Array<[string, () => string, DocumentErrorCode, RegExp, Parameters<typeof readDocument>[1]?]> = [
    ["a missing file", () => file("nope.pdf"), "not_found", /No such file/],
    ["a folder", () => dir, "not_found", /folder/],
    ["an empty file", () => file("empty.jpg"), "empty_file", /empty/],
    ["a text file", () => file("notes.pdf"), "not_a_document", /PDF, an image .* KSeF/],
    ["a ZIP archive", () => writeBytes(file("a.zip"), Buffer.from("PK\x03\x04\x14\0\0\0\0\0", "latin1")), "not_a_document", /Not a document/],
    ["a corrupt PDF", () => file("corrupt.pdf"), "corrupt_pdf", /PDF cannot be opened/],
    ["a PDF cut short", () => writeBytes(file("cut.pdf"), invoiceTextPdf(doc("a1")).slice(0, 600)), "corrupt_pdf", /PDF/],
    ["a PNG cut short", () => file("cut.png"), "corrupt_image", /cannot be decoded/],
    ["a blank image", () => file("blank.png"), "no_text", /No text found in the PNG image/],
    ["a blank scanned PDF", () => file("blank.pdf"), "no_text", /No text found in the PDF/],
    ["XML that is not KSeF", () => writeBytes(file("other.xml"), Buffer.from('<?xml version="1.0"?><Zamowienie><Nr>1</Nr></Zamowienie>')), "not_a_document", /not a KSeF/],
    ["broken KSeF", () => writeBytes(file("broken.xml"), Buffer.from(ksefText("fa2-klimat-serwis.xml").replace("</P_2>", "</P_3>"))), "invalid_ksef", /Invalid KSeF invoice: Malformed XML/],
    ["KSeF asked to be a nameplate", () => join(KSEF, "fa2-klimat-serwis.xml"), "unsupported", /KSeF invoice, not a nameplate/, { kind: "nameplate" }],
    ["a file over the size limit", () => file("a1.png"), "too_large", /The file is \d+ KB; the limit is 1 KB \(HVAC_OCR_MAX_MB\)/, { config: { maxFileBytes: 1024 } }],
    ["TIFF without ImageMagick", () => file("d2.tif"), "unsupported", /TIFF images need ImageMagick/, { config: { convert: "/nonexistent/convert" } }],
  ];

  it.each(cases)("%s", async (_name, path, code, message, options) => {
    const p = path();
    const err = await readDocument(p, { engine, ...options }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(DocumentError);
    expect((err as DocumentError).code).toBe(code);
    expect((err as DocumentError).message).toMatch(message);
    expect((err as DocumentError).message).not.toContain("\n");
    expect((err as DocumentError).path).toBe(p);
  }, 60_000);

  it("a page over the time limit stops its engine, which starts again for the next page", async () => {
    const hasty = new OcrEngine({ pageTimeoutMs: 30 });
    try {
      const err = await readDocument(file("a1.png"), { engine: hasty }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DocumentError);
      expect(err).toMatchObject({ code: "timeout", message: "OCR of a page took longer than 30 ms and was stopped (HVAC_OCR_PAGE_TIMEOUT_S)" });
      expect(hasty.running).toBe(false);
      await expect(readDocument(file("a1.png"), { engine: hasty })).rejects.toMatchObject({ code: "timeout" });
      expect(hasty.starts).toBe(2);
    } finally {
      await hasty.terminate();
    }
  }, 60_000);

  it("the engine survived every bad file and was started once", async () => {
    const reading = await readDocument(file("a1.png"), { engine });
    expect(reading.fields.number?.value).toBe("FV/2026/11/0147");
    expect(engine.starts).toBe(1);
  }, 60_000);
});

function ksefText(name: string): string {
  return readFileSync(join(KSEF, name), "utf8");
}

// ---------------------------------------------------------------------------------------------

function cli(...args: Array<string | Record<string, string>>): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { ...process.env, ...(args.find((a) => typeof a !== "string") as Record<string, string> | undefined) };
  const argv = args.filter((a): a is string => typeof a === "string");
  return new Promise((done) => {
    execFile(process.execPath, [join(ROOT, "bin/hvac.mjs"), "ocr", ...argv], { cwd: ROOT, env, timeout: 90_000 }, (err, stdout, stderr) => {
      done({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe("npx hvac ocr", () => {
  it("prints an invoice's fields with per-field confidence as JSON", async () => {
    const { code, stdout, stderr } = await cli(file("b1-scan.jpg"), "--kind", "invoice");
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(out).toMatchObject({ format: "jpeg", source: "image-ocr", kind: "invoice", pages: 1 });
    expect(out.fields.number).toMatchObject({ value: "0412/11/2026" });
    expect(out.fields.sellerNip.value).toBe(doc("b1").truth.sellerNip);
    expect(out.fields.totalAmount).toMatchObject({ value: doc("b1").truth.totalAmount, display: "14 164,20 zł" });
    expect(out.fields.totalAmount.confidence).toBeGreaterThan(0.5);
    expect(out.fields.dueDate.value).toBe("2026-12-08");
    expect(out.timings.engineStartMs).toBeGreaterThan(0);
    expect(out.text).toBeUndefined();
  }, 90_000);

  it("reads KSeF XML and adds the text with --text", async () => {
    const { code, stdout } = await cli(join(KSEF, "fa3-frigo-pol.xml"), "--text");
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(out).toMatchObject({ source: "ksef", ksefVariant: "FA(3)", fields: { number: { value: "FS-2026/11/00981", confidence: 1, path: "Fa/P_2" } } });
    expect(out.text).toContain("<Faktura");
  }, 60_000);

  it("--full gives the parser's and the OCR engine's confidences apart", async () => {
    const { code, stdout } = await cli(file("a2-text.pdf"), "--full");
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(out.source).toBe("pdf-text");
    expect(out.fields.sellerNip).toMatchObject({ value: doc("a2").truth.sellerNip, ocrConfidence: null, source: { kind: "ocr", line: expect.any(Number) } });
    expect(out.fields.sellerNip.parserConfidence).toBe(out.fields.sellerNip.confidence);
    expect(out.pageDetails).toEqual([{ page: 1, source: "text-layer", ms: 0 }]);
  }, 60_000);

  it("says which Debian package is missing when poppler is not installed", async () => {
    const { code, stderr } = await cli(file("a2-text.pdf"), { PATH: "/nonexistent" });
    expect(code).toBe(1);
    expect(stderr.trim()).toMatch(/a2-text\.pdf: pdfinfo is not installed: install poppler-utils \(apt-get install poppler-utils\) \(missing_tool\)$/);
  }, 60_000);

  it.each<[string, () => string[], number, RegExp]>([
    ["a missing file", () => [file("missing.jpg")], 1, /missing\.jpg: No such file \(not_found\)$/],
    ["not a document", () => [file("notes.pdf")], 1, /Not a document this reader knows.*\(not_a_document\)$/],
    ["a corrupt PDF", () => [file("corrupt.pdf")], 1, /The PDF cannot be opened.*\(corrupt_pdf\)$/],
    ["an empty image", () => [file("blank.png")], 1, /No text found in the PNG image.*\(no_text\)$/],
    ["a zero-byte file", () => [file("empty.jpg")], 1, /The file is empty \(0 bytes\) \(empty_file\)$/],
    ["a damaged image (the OCR engine's own complaints stay out of the output)", () => [file("cut.png")], 1, /The image cannot be decoded.*\(corrupt_image\)$/],
    ["no file", () => [], 2, /Which file\?/],
    ["a wrong --kind", () => [file("a1.png"), "--kind", "receipt"], 2, /--kind must be invoice, nameplate or auto/],
  ])("%s: a clear message and a non-zero exit", async (_name, args, exitCode, message) => {
    const { code, stdout, stderr } = await cli(...args());
    expect(code).toBe(exitCode);
    expect(stdout).toBe("");
    expect(stderr.trim().split("\n")[0]).toMatch(message);
    if (exitCode === 1) expect(stderr.trim().split("\n")).toHaveLength(1);
  }, 60_000);
});
