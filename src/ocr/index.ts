// Reading documents in Node: invoices (PDF, scans, photos, KSeF XML) and equipment nameplates.
export { readDocument, type DocumentReading, type DocumentTimings, type PageReading, type ReadOptions, type RequestedKind, type TextSource } from "./read";
export { OcrEngine, sharedOcrEngine, closeSharedOcrEngine, prepareLanguageFolder, type OcrPage, type OcrLine, type OcrWord } from "./engine";
export { DocumentError, isDocumentError, type DocumentErrorCode } from "./errors";
export { detectFormat, type DocumentFormat } from "./detect";
export { loadOcrConfig, type OcrConfig } from "./config";
