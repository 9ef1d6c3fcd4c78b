// readDocument: a file on disk -> text -> fields. Node only (files, poppler, ImageMagick, the
// tesseract.js worker); the text -> fields part is the shared domain code (invoice.ts, ksef.ts,
// fgas.ts, document.ts), the same the dashboard runs in the browser.
//
//   KSeF XML               -> readKsef, exact, no OCR
//   PDF with a text layer  -> pdftotext -layout (page by page; a page without one is OCRed)
//   scanned PDF            -> pdftoppm (grey PGM) -> OCR
//   JPEG / PNG / WebP / BMP -> OCR
//   TIFF / HEIC / AVIF / GIF -> ImageMagick -> grey PGM -> OCR
import { open, stat } from "node:fs/promises";
import { invoiceDocumentFields, type DocumentField, type DocumentKind, type DocumentReview, type OcrLineInfo } from "../domain/document";
import type { NameplateReading } from "../domain/fgas";
import type { InvoiceReading } from "../domain/invoice";
import { readKsef, type KsefVariant } from "../domain/ksef";
import { fieldsFromText, hasDocumentText, meanOcrConfidence } from "../domain/reading";
import { loadOcrConfig, type OcrConfig } from "./config";
import { detectFormat, NATIVE_IMAGE_FORMATS, type DocumentFormat } from "./detect";
import { sharedOcrEngine, type OcrEngine, type OcrPage } from "./engine";
import { DocumentError } from "./errors";
import { convertToPages } from "./images";
import { hasTextLayer, pdfInfo, pdfPageTexts, renderPdfPage, scanDpi } from "./pdf";

export type RequestedKind = DocumentKind | "auto";

/** Where the text came from. */
export type TextSource = "ksef" | "pdf-text" | "pdf-ocr" | "pdf-mixed" | "image-ocr";

export interface ReadOptions {
  /** What the document is; "auto" (the default) decides from the text. KSeF XML is always an invoice. */
  kind?: RequestedKind;
  /** The OCR engine to use; default: the process-wide one (sharedOcrEngine). */
  engine?: OcrEngine;
  /** Overrides of the environment's settings (loadOcrConfig). */
  config?: Partial<OcrConfig>;
}

export interface PageReading {
  page: number;
  source: "text-layer" | "ocr";
  ms: number;
  /** Scanned PDF pages: the resolution the page was rendered at for OCR. */
  dpi?: number;
  /** OCR only: mean word confidence 0..1, words read, skew corrected (degrees). */
  confidence?: number;
  words?: number;
  skewDegrees?: number;
}

export interface DocumentTimings {
  totalMs: number;
  /** Starting the OCR engine, when this call had to (the "cold" part). */
  engineStartMs: number;
  /** pdftotext, or parsing the XML. */
  textMs: number;
  /** pdftoppm or ImageMagick. */
  convertMs: number;
  /** Recognition proper, all pages. */
  ocrMs: number;
  /** Text -> fields. */
  parseMs: number;
}

export interface DocumentReading {
  path: string;
  format: DocumentFormat;
  kind: DocumentKind;
  source: TextSource;
  /** Pages read; a PDF's total is in `totalPages`. */
  pages: PageReading[];
  totalPages: number;
  /** The text the fields were read from (pages separated by a blank line). */
  text: string;
  /** Field name -> reading, null when not found. Invoices: InvoiceFields keys plus "rates.<rate>.<net|vat|gross>". */
  fields: Record<string, DocumentField | null>;
  /** What a person should check: sums that do not add up, failed checksums, missing fields. */
  review: DocumentReview[];
  /** The parser's full result. */
  invoice?: InvoiceReading;
  nameplate?: NameplateReading;
  ksefVariant?: KsefVariant;
  /** Mean OCR word confidence 0..1 over all OCRed pages; null without OCR. */
  ocrConfidence: number | null;
  /** Things worth knowing that are not errors ("only the first 10 of 14 pages were read"). */
  warnings: string[];
  timings: DocumentTimings;
}

const FORMAT_NAMES: Record<DocumentFormat, string> = {
  pdf: "PDF", xml: "XML", jpeg: "JPEG", png: "PNG", webp: "WebP", tiff: "TIFF", heic: "HEIC", avif: "AVIF", gif: "GIF", bmp: "BMP",
};

function humanSize(bytes: number): string {
  if (bytes >= 1048576) return `${Math.round((bytes / 1048576) * 10) / 10} MB`;
  return `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

async function readFileChecked(path: string, config: OcrConfig): Promise<Uint8Array> {
  let size: number;
  try {
    const s = await stat(path);
    if (!s.isFile()) throw new DocumentError("not_found", s.isDirectory() ? "This is a folder, not a file" : "This is not a regular file", path);
    size = s.size;
  } catch (err) {
    if (err instanceof DocumentError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") throw new DocumentError("not_found", "No such file", path);
    throw new DocumentError("unreadable", `The file cannot be read: ${(err as Error).message}`, path);
  }
  if (size === 0) throw new DocumentError("empty_file", "The file is empty (0 bytes)", path);
  if (size > config.maxFileBytes) {
    throw new DocumentError("too_large", `The file is ${humanSize(size)}; the limit is ${humanSize(config.maxFileBytes)} (HVAC_OCR_MAX_MB)`, path);
  }
  try {
    const handle = await open(path, "r");
    try {
      const buffer = Buffer.alloc(size);
      let read = 0;
      while (read < size) {
        const { bytesRead } = await handle.read(buffer, read, size - read, read);
        if (bytesRead === 0) break;
        read += bytesRead;
      }
      return new Uint8Array(buffer.buffer, buffer.byteOffset, read);
    } finally {
      await handle.close();
    }
  } catch (err) {
    throw new DocumentError("unreadable", `The file cannot be read: ${(err as Error).message}`, path);
  }
}

/** Text of several pages as one, and the OCR line behind each line of it (null: blank or text layer). */
class TextBuilder {
  private parts: string[] = [];
  readonly lines: Array<OcrLineInfo | null> = [];

  add(text: string, ocrLines: ReadonlyArray<OcrLineInfo | null> | null): void {
    if (this.parts.length) {
      // a blank line between pages
      this.parts.push("");
      this.lines.push(null);
    }
    const split = text.split("\n");
    for (let i = 0; i < split.length; i++) {
      this.parts.push(split[i]);
      this.lines.push(ocrLines ? (ocrLines[i] ?? null) : null);
    }
  }

  get text(): string {
    return this.parts.join("\n");
  }
}

/**
 * Reads a document file into fields. Throws DocumentError (never anything else for a bad file)
 * with a code and a one-sentence message when the file cannot be read.
 */
export async function readDocument(path: string, options: ReadOptions = {}): Promise<DocumentReading> {
  const t0 = performance.now();
  const config: OcrConfig = { ...loadOcrConfig(), ...options.config };
  const requested: RequestedKind = options.kind ?? "auto";
  const timings: DocumentTimings = { totalMs: 0, engineStartMs: 0, textMs: 0, convertMs: 0, ocrMs: 0, parseMs: 0 };
  const warnings: string[] = [];
  const bytes = await readFileChecked(path, config);
  const format = detectFormat(bytes);
  if (!format) throw new DocumentError("not_a_document", "Not a document this reader knows: expected a PDF, an image (JPEG, PNG, WebP, TIFF, HEIC) or a KSeF XML invoice", path);

  if (format === "xml") return readKsefFile(path, bytes, requested, timings, t0);

  const builder = new TextBuilder();
  const pages: PageReading[] = [];
  let totalPages = 1;
  const ocrConfidences: Array<[number, number]> = []; // [confidence, words]
  let engine: OcrEngine | null = null;
  const ocr = async (image: Uint8Array, page: number): Promise<OcrPage> => {
    engine ??= options.engine ?? sharedOcrEngine({ langDir: config.langDir, pageTimeoutMs: config.pageTimeoutMs });
    if (!engine.running) timings.engineStartMs += await engine.start();
    try {
      const result = await engine.recognize(image, path);
      timings.ocrMs += result.ms;
      return result;
    } catch (err) {
      if (err instanceof DocumentError && totalPages > 1) err.message = `Page ${page}: ${err.message}`;
      throw err;
    }
  };

  const addOcrPage = (page: number, result: OcrPage, dpi?: number) => {
    builder.add(result.text, result.lines);
    pages.push({ page, source: "ocr", ms: result.ms, ...(dpi ? { dpi } : {}), confidence: result.confidence, words: result.words, skewDegrees: result.skewDegrees });
    ocrConfidences.push([result.confidence, result.words]);
  };

  if (format === "pdf") {
    let t = performance.now();
    const info = await pdfInfo(path);
    totalPages = info.pages;
    const last = Math.min(info.pages, config.maxPages);
    if (info.pages > last) warnings.push(`Only the first ${last} of ${info.pages} pages were read (HVAC_OCR_MAX_PAGES).`);
    const texts = await pdfPageTexts(path, last);
    timings.textMs += Math.round(performance.now() - t);
    for (let page = 1; page <= last; page++) {
      const text = texts[page - 1];
      if (hasTextLayer(text)) {
        builder.add(text, null);
        pages.push({ page, source: "text-layer", ms: 0 });
        continue;
      }
      t = performance.now();
      const dpi = await scanDpi(path, page, config.pdfDpi);
      const image = await renderPdfPage(path, page, dpi);
      timings.convertMs += Math.round(performance.now() - t);
      addOcrPage(page, await ocr(image, page), dpi);
    }
  } else if (NATIVE_IMAGE_FORMATS.includes(format)) {
    addOcrPage(1, await ocr(bytes, 1));
  } else {
    const t = performance.now();
    const images = await convertToPages(path, format, config, config.maxPages);
    timings.convertMs += Math.round(performance.now() - t);
    totalPages = images.length;
    if (images.length >= config.maxPages) warnings.push(`At most ${config.maxPages} pages are read (HVAC_OCR_MAX_PAGES).`);
    for (let i = 0; i < images.length; i++) addOcrPage(i + 1, await ocr(images[i], i + 1));
  }

  const text = builder.text;
  if (!hasDocumentText(text)) {
    const what = format === "pdf" ? "PDF" : `${FORMAT_NAMES[format]} image`;
    throw new DocumentError("no_text", `No text found in the ${what}: blank, too dark or too blurred to read`, path);
  }

  const tp = performance.now();
  const ocrLines = ocrConfidences.length ? builder.lines : null;
  // Text -> fields is the shared domain step (the dashboard's in-browser reader runs the same).
  const parsed = fieldsFromText(text, ocrLines, requested);
  const kind: DocumentKind = parsed.kind;
  const reading: DocumentReading = {
    path,
    format,
    kind,
    source: sourceOf(format, pages),
    pages,
    totalPages,
    text,
    fields: parsed.fields,
    review: parsed.review,
    ocrConfidence: meanOcrConfidence(ocrConfidences),
    warnings,
    timings,
  };
  if (parsed.invoice) reading.invoice = parsed.invoice;
  if (parsed.nameplate) reading.nameplate = parsed.nameplate;
  timings.parseMs = Math.round(performance.now() - tp);
  timings.totalMs = Math.round(performance.now() - t0);
  return reading;
}

function sourceOf(format: DocumentFormat, pages: PageReading[]): TextSource {
  if (format !== "pdf") return "image-ocr";
  const ocr = pages.filter((p) => p.source === "ocr").length;
  if (ocr === 0) return "pdf-text";
  return ocr === pages.length ? "pdf-ocr" : "pdf-mixed";
}

function readKsefFile(path: string, bytes: Uint8Array, requested: RequestedKind, timings: DocumentTimings, t0: number): DocumentReading {
  if (requested === "nameplate") throw new DocumentError("unsupported", "This is XML, which can only be a KSeF invoice, not a nameplate", path);
  const t = performance.now();
  let xml: string;
  try {
    xml = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new DocumentError("invalid_ksef", "The XML is not valid UTF-8 text (KSeF invoices are UTF-8)", path);
  }
  const result = readKsef(xml);
  timings.textMs = Math.round(performance.now() - t);
  if (!result.ok) {
    const { error } = result;
    if (error.code === "not_ksef" || error.code === "unsupported_variant") {
      throw new DocumentError(error.code === "not_ksef" ? "not_a_document" : "unsupported", `XML, but not a KSeF FA(2)/FA(3) invoice: ${error.message}`, path);
    }
    throw new DocumentError("invalid_ksef", `Invalid KSeF invoice: ${error.message}`, path);
  }
  timings.totalMs = Math.round(performance.now() - t0);
  return {
    path,
    format: "xml",
    kind: "invoice",
    source: "ksef",
    pages: [],
    totalPages: 1,
    text: xml,
    fields: invoiceDocumentFields(result.invoice, null),
    review: result.invoice.review,
    invoice: result.invoice,
    ksefVariant: result.invoice.variant,
    ocrConfidence: null,
    warnings: [],
    timings,
  };
}
