// `hvac ocr FILE [--kind invoice|nameplate|auto] [--text] [--full]`: reads one document and prints
// its fields as JSON. Exit 0 when read, 1 with one line on stderr when the file cannot be read,
// 2 for a wrong command line.
import type { DocumentField } from "../domain/document";
import { closeSharedOcrEngine, isDocumentError, readDocument, type DocumentReading, type RequestedKind } from "../ocr";

export const OCR_USAGE = "Usage: npx hvac ocr FILE [--kind invoice|nameplate|auto] [--text] [--full]";

interface Args {
  file: string;
  kind: RequestedKind;
  text: boolean;
  full: boolean;
}

function parseArgs(argv: string[]): Args | string {
  let file: string | null = null;
  let kind: RequestedKind = "auto";
  let text = false;
  let full = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--kind" || a.startsWith("--kind=")) {
      const v = a === "--kind" ? argv[++i] : a.slice(7);
      if (v !== "invoice" && v !== "nameplate" && v !== "auto") return `--kind must be invoice, nameplate or auto, not "${v ?? ""}"`;
      kind = v;
    } else if (a === "--text") text = true;
    else if (a === "--full") full = true;
    else if (a.startsWith("--") && a !== "--") return `Unknown option ${a}`;
    else if (file === null) file = a === "--" ? argv[++i] ?? null : a;
    else return `One file at a time (got "${file}" and "${a}")`;
  }
  if (!file) return "Which file?";
  return { file, kind, text, full };
}

/** The printed shape: each field's value and confidence, where it was read, and what needs review. */
export function ocrOutput(r: DocumentReading, options: { text?: boolean; full?: boolean } = {}): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const [name, f] of Object.entries(r.fields)) fields[name] = f === null ? null : options.full ? f : brief(f);
  const out: Record<string, unknown> = {
    file: r.path,
    format: r.format,
    source: r.source,
    kind: r.kind,
    ...(r.ksefVariant ? { ksefVariant: r.ksefVariant } : {}),
    pages: r.pages.length,
    totalPages: r.totalPages,
    ocrConfidence: r.ocrConfidence,
    fields,
    review: r.review,
    warnings: r.warnings,
    timings: r.timings,
  };
  if (options.full) out.pageDetails = r.pages;
  if (options.text) out.text = r.text;
  return out;
}

function brief(f: DocumentField): Record<string, unknown> {
  const out: Record<string, unknown> = { value: f.value };
  if (f.display !== undefined) out.display = f.display;
  out.confidence = f.confidence;
  if (f.source.line !== undefined) out.line = f.source.line;
  if (f.source.path !== undefined) out.path = f.source.path;
  return out;
}

export async function ocrCommand(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  if (typeof args === "string") {
    console.error(`hvac ocr: ${args}\n${OCR_USAGE}`);
    return 2;
  }
  try {
    const reading = await readDocument(args.file, { kind: args.kind });
    console.log(JSON.stringify(ocrOutput(reading, args), null, 2));
    return 0;
  } catch (err) {
    if (isDocumentError(err)) {
      console.error(`hvac ocr: ${args.file}: ${err.message.replace(/\s*\n\s*/g, " ")} (${err.code})`);
      return 1;
    }
    throw err;
  } finally {
    await closeSharedOcrEngine();
  }
}
