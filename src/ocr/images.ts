// Page images for the OCR engine. JPEG, PNG, WebP and BMP go in as they are (tesseract.js's
// Leptonica reads them, and applies a JPEG's EXIF orientation). TIFF, HEIC/AVIF and GIF are
// converted to 8-bit grey pages (binary PGM: no compression to wait for) with ImageMagick first:
// Leptonica's TIFF reader refuses common variants (16-bit, grey with alpha) and it has no HEIC
// decoder at all. Without ImageMagick those formats give a clear "unsupported" error.
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { OcrConfig } from "./config";
import type { DocumentFormat } from "./detect";
import { DocumentError } from "./errors";
import { firstLine, runTool, ToolFailure } from "./tools";

const NAMES: Partial<Record<DocumentFormat, string>> = { tiff: "TIFF", heic: "HEIC", avif: "AVIF", gif: "GIF" };

/** Grey PGM pages of an image file ImageMagick reads (at most `maxPages`), in page order. */
export async function convertToPages(path: string, format: DocumentFormat, config: OcrConfig, maxPages: number): Promise<Uint8Array[]> {
  const dir = await mkdtemp(join(tmpdir(), "hvac-ocr-"));
  try {
    // Absolute: "x:y.tif" would name a coder. [0-N]: only the pages we will read; -auto-orient:
    // phone photos; grey 8-bit: what OCR wants.
    const args = [`${resolve(path)}[0-${maxPages - 1}]`, "-auto-orient", "-background", "white", "-alpha", "remove", "-alpha", "off", "-colorspace", "Gray", "-depth", "8", "+adjoin", `pgm:${join(dir, "page-%03d.pgm")}`];
    try {
      await runTool(config.convert, args, { path, timeoutMs: 120_000 });
    } catch (err) {
      if (err instanceof DocumentError && err.code === "missing_tool") {
        throw new DocumentError("unsupported", `${NAMES[format] ?? format} images need ImageMagick to be read (apt-get install imagemagick), which is not installed`, path);
      }
      if (err instanceof ToolFailure) {
        const why = firstLine(err.stderr);
        if (/no decode delegate|NoDecodeDelegate|not authorized|security policy/i.test(why)) {
          throw new DocumentError("unsupported", `This ImageMagick cannot read ${NAMES[format] ?? format} images (${why.replace(/^convert(-im6\.q16)?:\s*/, "")})`, path);
        }
        throw new DocumentError("corrupt_image", `The ${NAMES[format] ?? format} image cannot be decoded: ${why.replace(/^convert(-im6\.q16)?:\s*/, "") || "ImageMagick failed"}`, path);
      }
      throw err;
    }
    const files = (await readdir(dir)).filter((f) => f.endsWith(".pgm")).sort();
    if (files.length === 0) throw new DocumentError("corrupt_image", `The ${NAMES[format] ?? format} image holds no picture`, path);
    return Promise.all(files.map(async (f) => new Uint8Array(await readFile(join(dir, f)))));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
