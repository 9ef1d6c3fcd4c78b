// Why reading a file in the browser failed, as a code the page words in the user's language
// (invoices.ocr.error.<code>). Apart from the reader so the page can check errors without loading it.

export type BrowserReadErrorCode =
  /** The OCR engine (worker, wasm core, language data) did not start. */
  | "engine"
  /** The engine ran but failed on this image (corrupt, an unusual variant of its format). */
  | "ocr_failed"
  /** No text in the image: blank, too dark or too blurred. */
  | "no_text"
  /** Reading took too long and was stopped. */
  | "timeout"
  /** XML, but not a KSeF FA(2)/FA(3) invoice. */
  | "not_ksef"
  /** A KSeF invoice with a broken or missing element. */
  | "invalid_ksef";

export class BrowserReadError extends Error {
  constructor(readonly code: BrowserReadErrorCode, message: string) {
    super(message);
    this.name = "BrowserReadError";
  }
}

export function isBrowserReadError(err: unknown): err is BrowserReadError {
  return err instanceof BrowserReadError;
}
