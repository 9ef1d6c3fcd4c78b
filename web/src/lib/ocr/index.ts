// Reading an invoice in the browser, before it is uploaded, so the review opens with its fields
// filled: images by OCR (tesseract.js, Polish + English, from our own server under /ocr/), KSeF XML
// exactly. PDFs and formats the browser's engine cannot decode (HEIC, TIFF, ...) are read by the
// server's worker after the upload. Everything heavy (the parser, tesseract.js, ~9.6 MB of engine
// and language data) is loaded only when a file is read, never with the page.
import { readPlan, type ReadPlan } from "$domain/invoiceview";
import type { StoredReading, InvoiceColumns } from "$domain/ocr-record";
import { detectFormat, type DocumentFormat } from "../../../../src/ocr/detect";

export { BrowserReadError, isBrowserReadError, type BrowserReadErrorCode } from "./errors";

export type OcrPhase = "loading" | "recognizing" | "parsing";

/** Where reading stands: loading the engine, recognising the text, turning text into fields. */
export interface OcrProgress {
  phase: OcrPhase;
  /** 0..1 within the phase, null when unknown. */
  progress: number | null;
}

export interface BrowserReading {
  /** What goes into invoices.ocrData. */
  reading: StoredReading;
  /** The reviewed columns the reading proposes (sent with the upload). */
  columns: Partial<InvoiceColumns>;
  ms: number;
}

/** The file's format by its first bytes (never by its name), and how it will be read. */
export async function planFor(file: Blob): Promise<{ format: DocumentFormat | null; plan: ReadPlan }> {
  const head = new Uint8Array(await file.slice(0, 4096).arrayBuffer());
  const format = detectFormat(head);
  return { format, plan: readPlan(format) };
}

/** Reads an image (OCR) or a KSeF XML file; throws BrowserReadError with a code when it cannot. */
export async function readInBrowser(file: Blob, plan: "ocr" | "ksef", onProgress: (p: OcrProgress) => void = () => {}): Promise<BrowserReading> {
  const { readFile } = await import("./reader");
  return readFile(file, plan, onProgress);
}
