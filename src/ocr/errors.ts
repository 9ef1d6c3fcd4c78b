// One error type for every way a document cannot be read. The code is for programs (the OCR
// worker records it on the upload, the CLI picks its exit code); the message is one sentence for
// a person and names the file and what to do.

export type DocumentErrorCode =
  /** The path does not exist or is not a file. */
  | "not_found"
  /** The file exists but cannot be read (permissions, I/O). */
  | "unreadable"
  /** Zero bytes. */
  | "empty_file"
  /** Bigger than the configured limit. */
  | "too_large"
  /** Not a PDF, an image or KSeF XML (a text file, an archive, ...). */
  | "not_a_document"
  /** A document format this reader does not handle (or not without a missing tool). */
  | "unsupported"
  /** XML that is not a valid KSeF invoice (the KSeF reader's message says why). */
  | "invalid_ksef"
  /** A PDF that poppler cannot open. */
  | "corrupt_pdf"
  /** A PDF that needs a password. */
  | "encrypted_pdf"
  /** An image that cannot be decoded. */
  | "corrupt_image"
  /** Decoded, but there is no text on it (a blank page, a photo without a label). */
  | "no_text"
  /** A program this reader calls is not installed (pdftotext, pdftoppm, ImageMagick). */
  | "missing_tool"
  /** The OCR engine failed to start or to finish. */
  | "ocr_failed"
  /** OCR took longer than the configured limit; the engine was restarted. */
  | "timeout";

export class DocumentError extends Error {
  constructor(
    readonly code: DocumentErrorCode,
    message: string,
    /** The file the error is about, when there is one. */
    readonly path?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "DocumentError";
  }
}

export function isDocumentError(err: unknown): err is DocumentError {
  return err instanceof DocumentError;
}
