// Settings of the document reader, from the environment with defaults, validated when read: an
// error names the variable.
import { existsSync } from "node:fs";
import { ConfigError } from "../config";

export interface OcrConfig {
  /**
   * Folder where pol + eng traineddata are put together for tesseract.js (its `langPath` is one
   * folder for all languages; npm ships each language in its own package). Null: the default,
   * node_modules/.cache/hvac-ocr-lang, or a temp folder when that is not writable.
   */
  langDir: string | null;
  /** ImageMagick's convert, used for TIFF, HEIC/AVIF and GIF (the OCR engine reads those badly or not at all). */
  convert: string;
  /** Larger files are refused before anything is decoded. */
  maxFileBytes: number;
  /** PDF pages read (text layer or OCR); later pages are ignored and said so. */
  maxPages: number;
  /** One page's OCR longer than this stops the engine (it is restarted for the next page). */
  pageTimeoutMs: number;
  /** Resolution a scanned PDF page is rendered at when its scan's own resolution is unknown. */
  pdfDpi: number;
}

function positiveNumber(env: NodeJS.ProcessEnv, key: string, fallback: number, max: number): number {
  const raw = env[key]?.trim();
  if (!raw) return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0 || n > max) throw new ConfigError(key, `expected a number above 0 and at most ${max}, got "${raw}"`);
  return n;
}

export function loadOcrConfig(env: NodeJS.ProcessEnv = process.env): OcrConfig {
  // Debian's ImageMagick 6; on a machine with only ImageMagick 7 set HVAC_CONVERT=magick.
  const convert = env.HVAC_CONVERT?.trim() || (existsSync("/usr/bin/convert") ? "/usr/bin/convert" : "convert");
  return {
    langDir: env.HVAC_OCR_LANG_DIR?.trim() || null,
    convert,
    maxFileBytes: Math.round(positiveNumber(env, "HVAC_OCR_MAX_MB", 40, 1024) * 1024 * 1024),
    maxPages: Math.floor(positiveNumber(env, "HVAC_OCR_MAX_PAGES", 10, 500)),
    pageTimeoutMs: Math.round(positiveNumber(env, "HVAC_OCR_PAGE_TIMEOUT_S", 60, 3600) * 1000),
    pdfDpi: Math.round(positiveNumber(env, "HVAC_OCR_PDF_DPI", 200, 600)),
  };
}
