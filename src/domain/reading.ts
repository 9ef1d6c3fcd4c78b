// The pure steps of reading a document, shared by Node's readDocument (src/ocr) and the dashboard's
// in-browser reader (web/src/lib/ocr): the OCR engine's page -> text lines with their confidences,
// "is there any text at all", text -> fields for an invoice or a nameplate, and a KSeF invoice ->
// fields. Whoever runs tesseract.js (a Node worker thread or a browser Web Worker) gets the same
// text, the same line confidences and so the same fields.
//
// Pure: no Node, no DOM. Runs in PocketBase's JS VM too: no named groups, no lookbehind, no \p{..}.

import { guessDocumentKind, invoiceDocumentFields, nameplateDocumentFields, type DocumentField, type DocumentKind, type DocumentReview, type OcrLineInfo } from "./document";
import { parseNameplate, type NameplateReading } from "./fgas";
import { extractInvoice, type InvoiceReading } from "./invoice";

/** One recognised page: its text and, per line of the text, the OCR line it came from. */
export interface OcrPageText {
  /** Lines joined by "\n", a blank line between blocks. */
  text: string;
  /** One entry per line of `text` (index 0 = line 1); null for the blank lines. */
  lines: Array<OcrLineInfo | null>;
  /** Mean word confidence 0..1 (0 without words). */
  confidence: number;
  words: number;
  /** Skew the engine found and corrected, in degrees. */
  skewDegrees: number;
  ms: number;
}

/** The parts of tesseract.js's result (`data` of recognize with `{ blocks: true }`) used here. */
export interface TesseractPageLike {
  blocks?: Array<{
    paragraphs: Array<{
      lines: Array<{ text: string; confidence: number; words: Array<{ text: string; confidence: number }> }>;
    }>;
  }> | null;
  rotateRadians?: number | null;
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

/** tesseract.js's blocks -> text lines with word confidences (0..1). */
export function ocrPageText(data: TesseractPageLike, ms: number): OcrPageText {
  const textLines: string[] = [];
  const lines: Array<OcrLineInfo | null> = [];
  let confSum = 0;
  let words = 0;
  const blocks = data.blocks ?? [];
  for (let b = 0; b < blocks.length; b++) {
    const block = blocks[b];
    for (let p = 0; p < block.paragraphs.length; p++) {
      const paragraph = block.paragraphs[p];
      for (let l = 0; l < paragraph.lines.length; l++) {
        const line = paragraph.lines[l];
        const ws = line.words.filter((w) => w.text.trim() !== "").map((w) => ({ text: w.text, confidence: round2(w.confidence / 100) }));
        if (ws.length === 0) continue;
        for (let i = 0; i < ws.length; i++) confSum += ws[i].confidence;
        words += ws.length;
        textLines.push(line.text.replace(/\s+$/, ""));
        lines.push({ text: textLines[textLines.length - 1], confidence: round2(line.confidence / 100), words: ws });
      }
    }
    // A blank line between blocks (regions of the page), not between paragraphs: tesseract makes
    // every widely spaced line a paragraph of its own, and blank lines between them would push a
    // seller's NIP too far below its "Sprzedawca" heading for the invoice parser.
    if (textLines.length && textLines[textLines.length - 1] !== "") {
      textLines.push("");
      lines.push(null);
    }
  }
  while (textLines.length && textLines[textLines.length - 1] === "") {
    textLines.pop();
    lines.pop();
  }
  const skew = data.rotateRadians ? (data.rotateRadians * 180) / Math.PI : 0;
  return {
    text: textLines.join("\n"),
    lines,
    confidence: words ? round2(confSum / words) : 0,
    words,
    skewDegrees: Math.round(skew * 100) / 100,
    ms,
  };
}

/** Whether a page gave any text worth parsing (blank, too dark or too blurred scans give none). */
export function hasDocumentText(text: string): boolean {
  return /[0-9A-Za-zĄĆĘŁŃÓŚŹŻąćęłńóśźż]{2}/.test(text);
}

/** Mean OCR word confidence over pages ([confidence, words] each), weighted by words; null without OCR. */
export function meanOcrConfidence(pages: ReadonlyArray<readonly [number, number]>): number | null {
  if (!pages.length) return null;
  let words = 0;
  let sum = 0;
  for (let i = 0; i < pages.length; i++) {
    sum += pages[i][0] * pages[i][1];
    words += pages[i][1];
  }
  return words ? round2(sum / words) : 0;
}

export interface TextFields {
  kind: DocumentKind;
  fields: Record<string, DocumentField | null>;
  review: DocumentReview[];
  invoice?: InvoiceReading;
  nameplate?: NameplateReading;
}

/**
 * Text -> fields. `requested` "auto" decides invoice or nameplate from the text; `lines` are the
 * OCR lines behind the text's lines (null for a PDF text layer), used to lower the confidence of
 * values the engine was unsure of.
 */
export function fieldsFromText(text: string, lines: ReadonlyArray<OcrLineInfo | null> | null, requested: DocumentKind | "auto"): TextFields {
  const kind: DocumentKind = requested === "auto" ? guessDocumentKind(text) : requested;
  if (kind === "invoice") {
    const invoice = extractInvoice(text);
    return { kind, fields: invoiceDocumentFields(invoice, lines), review: invoice.review, invoice };
  }
  const nameplate = parseNameplate(text);
  return { kind, fields: nameplateDocumentFields(nameplate, lines), review: nameplate.review, nameplate };
}
