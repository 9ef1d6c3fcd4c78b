// PDFs through poppler-utils (see tools.ts for why): page count, the text layer of each page, and
// scanned pages rendered to grey images for OCR. Paths are passed absolute, so a file named
// "-x.pdf" is never taken for an option.
import { resolve } from "node:path";
import { DocumentError } from "./errors";
import { firstLine, runTool, ToolFailure } from "./tools";

export interface PdfInfo {
  pages: number;
  encrypted: boolean;
}

function pdfFailure(err: unknown, path: string, action: string): never {
  if (err instanceof ToolFailure) {
    const why = firstLine(err.stderr);
    if (/password/i.test(err.stderr)) throw new DocumentError("encrypted_pdf", "The PDF is password-protected: save it without a password and upload it again", path);
    throw new DocumentError("corrupt_pdf", `The PDF cannot be ${action}: ${why.replace(/^Syntax Error:\s*/i, "") || "damaged or not a PDF"}`, path);
  }
  throw err;
}

export async function pdfInfo(path: string): Promise<PdfInfo> {
  let out: string;
  try {
    out = (await runTool("pdfinfo", [resolve(path)], { path, timeoutMs: 30_000 })).stdout.toString("utf8");
  } catch (err) {
    pdfFailure(err, path, "opened");
  }
  const pages = /^Pages:\s+(\d+)/m.exec(out);
  const encrypted = /^Encrypted:\s+yes/m.test(out);
  if (!pages || Number(pages[1]) < 1) throw new DocumentError("corrupt_pdf", "The PDF has no pages", path);
  return { pages: Number(pages[1]), encrypted };
}

/**
 * The text layer of pages 1..lastPage, one string per page. `-layout` keeps the printed
 * arrangement: side-by-side seller and buyer columns stay apart (runs of spaces), which the
 * invoice parser relies on.
 */
export async function pdfPageTexts(path: string, lastPage: number): Promise<string[]> {
  let out: string;
  try {
    out = (await runTool("pdftotext", ["-layout", "-enc", "UTF-8", "-f", "1", "-l", String(lastPage), resolve(path), "-"], { path, timeoutMs: 60_000 })).stdout.toString("utf8");
  } catch (err) {
    pdfFailure(err, path, "read");
  }
  // Pages end with a form feed.
  const pages = out.split("\f").map((p) => p.replace(/\s+$/, ""));
  while (pages.length > lastPage) pages.pop();
  while (pages.length < lastPage) pages.push("");
  return pages;
}

/**
 * One page rendered as an 8-bit grey image (binary PGM) at `dpi`. PGM, not PNG: pdftoppm's PNG
 * encoder takes seconds on a noisy scan (5.4 s for an A4 page at 200 dpi, PGM 0.07 s), and the
 * OCR engine reads PGM as well.
 */
export async function renderPdfPage(path: string, page: number, dpi: number): Promise<Uint8Array> {
  try {
    const { stdout } = await runTool("pdftoppm", ["-f", String(page), "-l", String(page), "-r", String(dpi), "-gray", "-singlefile", resolve(path)], { path, timeoutMs: 120_000 });
    if (stdout.length === 0) throw new DocumentError("corrupt_pdf", `Page ${page} of the PDF cannot be rendered`, path);
    return new Uint8Array(stdout.buffer, stdout.byteOffset, stdout.byteLength);
  } catch (err) {
    pdfFailure(err, path, "rendered");
  }
}

/**
 * The resolution to render a scanned page at: the resolution of the largest image on it (the
 * scan itself), kept within 200..300 dpi. Rendering far above a scan's own resolution adds
 * pixels but no detail, and OCR time grows with pixels; below 200 dpi tesseract starts reading
 * the "ł" of small print as "t" (measured on 150 dpi scans), so those are scaled up to 200.
 * `fallback` when the page has no image.
 */
export async function scanDpi(path: string, page: number, fallback: number): Promise<number> {
  let out: string;
  try {
    out = (await runTool("pdfimages", ["-f", String(page), "-l", String(page), "-list", resolve(path)], { path, timeoutMs: 30_000 })).stdout.toString("utf8");
  } catch (err) {
    if (err instanceof DocumentError && err.code === "missing_tool") throw err;
    return fallback;
  }
  let best: { area: number; ppi: number } | null = null;
  for (const line of out.split("\n")) {
    // page num type width height color comp bpc enc interp object ID x-ppi y-ppi size ratio
    const cols = line.trim().split(/\s+/);
    if (cols.length < 14 || !/^\d+$/.test(cols[0]) || cols[2] !== "image") continue;
    const area = Number(cols[3]) * Number(cols[4]);
    const ppi = Math.max(Number(cols[12]), Number(cols[13]));
    if (Number.isFinite(area) && Number.isFinite(ppi) && ppi > 0 && (!best || area > best.area)) best = { area, ppi };
  }
  if (!best) return fallback;
  return Math.max(200, Math.min(300, Math.round(best.ppi)));
}

/** Whether a page's text layer holds real text (not just a scanner's stamp or page number). */
export function hasTextLayer(text: string): boolean {
  const letters = text.replace(/[^0-9A-Za-zĄĆĘŁŃÓŚŹŻąćęłńóśźż]/g, "");
  return letters.length >= 40;
}
