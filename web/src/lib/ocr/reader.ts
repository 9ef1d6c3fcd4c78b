// The in-browser reader proper (loaded by ./index.ts on demand): the same domain steps as Node's
// readDocument (src/ocr/read.ts): OCR page -> text lines with confidences -> extractInvoice +
// invoiceDocumentFields; KSeF XML -> readKsef, exactly. The result is stored as the worker's is
// (storedReading, reader "browser").
import { invoiceDocumentFields } from "$domain/document";
import { uploadColumns } from "$domain/invoiceview";
import { readKsef } from "$domain/ksef";
import { storedReading, type ReadingLike } from "$domain/ocr-record";
import { fieldsFromText, hasDocumentText, meanOcrConfidence } from "$domain/reading";
import { recognizeImage } from "./engine";
import { BrowserReadError } from "./errors";
import type { BrowserReading, OcrProgress } from "./index";

export async function readFile(file: Blob, plan: "ocr" | "ksef", onProgress: (p: OcrProgress) => void): Promise<BrowserReading> {
  const t0 = performance.now();
  const reading = plan === "ksef" ? await readKsefFile(file) : await readImage(file, onProgress);
  const stored = storedReading(reading, "browser", new Date());
  return { reading: stored, columns: uploadColumns(stored.fields), ms: Math.round(performance.now() - t0) };
}

async function readImage(file: Blob, onProgress: (p: OcrProgress) => void): Promise<ReadingLike> {
  const page = await recognizeImage(file, onProgress);
  if (!hasDocumentText(page.text)) throw new BrowserReadError("no_text", "No text found in the image: blank, too dark or too blurred to read");
  onProgress({ phase: "parsing", progress: null });
  // An upload on the invoices page is an invoice, whatever the text looks like.
  const parsed = fieldsFromText(page.text, page.lines, "invoice");
  return {
    kind: parsed.kind,
    source: "image-ocr",
    pages: 1,
    fields: parsed.fields,
    review: parsed.review,
    ocrConfidence: meanOcrConfidence([[page.confidence, page.words]]),
    text: page.text,
  };
}

async function readKsefFile(file: Blob): Promise<ReadingLike> {
  let xml: string;
  try {
    xml = new TextDecoder("utf-8", { fatal: true }).decode(await file.arrayBuffer());
  } catch {
    throw new BrowserReadError("invalid_ksef", "The XML is not valid UTF-8 text (KSeF invoices are UTF-8)");
  }
  const result = readKsef(xml);
  if (!result.ok) {
    const code = result.error.code === "not_ksef" || result.error.code === "unsupported_variant" ? "not_ksef" : "invalid_ksef";
    throw new BrowserReadError(code, result.error.message);
  }
  return {
    kind: "invoice",
    source: "ksef",
    pages: 1,
    fields: invoiceDocumentFields(result.invoice, null),
    review: result.invoice.review,
    ocrConfidence: null,
    text: xml,
    ksefVariant: result.invoice.variant,
  };
}
