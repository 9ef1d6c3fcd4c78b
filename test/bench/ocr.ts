// `make bench`, part 3: reading invoices offline. Generates the test invoices (4 layouts x 2, see
// test/helpers/documents.ts) as clean page images, as scans (noise, blur, 0.7° rotation, JPEG),
// as poor scans (more noise and blur, 2°), as text-layer PDFs and as scanned PDFs, reads each with readDocument and prints:
//   - OCR time per page: cold (engine start + first page) and warm (median, p90, max)
//   - field-level accuracy: the share of fields exactly right, per set
// Goals (issue 4): >= 95 % of fields exactly right on clean scans, <= 2 s per page warm on 2 cores.
// Figures are printed, never asserted. BENCH_OCR_VERBOSE=1 lists every wrong field.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { OcrEngine, readDocument, type DocumentReading } from "../../src/ocr";
import {
  CLEAN, ROUGH, SCANNED, checkInvoice, checkNameplate, invoiceDocuments, invoiceScannedPdf, invoiceTextPdf, renderImage, renderNameplate, requireImageMagick,
  writeBytes, type FieldCheck, type InvoiceDocument,
} from "../helpers/documents";

const VERBOSE = process.env.BENCH_OCR_VERBOSE === "1";

interface SetResult {
  name: string;
  checks: FieldCheck[];
  docs: number;
  docsAllRight: number;
  pageMs: number[];
}

function pct(n: number, d: number): string {
  return d ? `${((100 * n) / d).toFixed(1)} %` : "-";
}

function quantile(values: number[], q: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
}

async function main(): Promise<void> {
  requireImageMagick();
  const dir = mkdtempSync(join(tmpdir(), "hvac-bench-ocr-"));
  const docs = invoiceDocuments();
  try {
    const t = performance.now();
    const files = new Map<string, string>();
    // Two renders at a time: the machine has two cores.
    const jobs: Array<() => Promise<void>> = [];
    for (const d of docs) {
      jobs.push(async () => {
        await renderImage(d.draws, join(dir, `${d.id}-clean.png`), { ...CLEAN, family: d.font });
        files.set(`clean:${d.id}`, join(dir, `${d.id}-clean.png`));
      });
      jobs.push(async () => {
        await renderImage(d.draws, join(dir, `${d.id}-scan.jpg`), { ...SCANNED, family: d.font });
        files.set(`scan:${d.id}`, join(dir, `${d.id}-scan.jpg`));
      });
      jobs.push(async () => {
        await renderImage(d.draws, join(dir, `${d.id}-rough.jpg`), { ...ROUGH, family: d.font });
        files.set(`rough:${d.id}`, join(dir, `${d.id}-rough.jpg`));
      });
      jobs.push(async () => {
        files.set(`pdf-text:${d.id}`, writeBytes(join(dir, `${d.id}-text.pdf`), invoiceTextPdf(d)));
        files.set(`pdf-scan:${d.id}`, writeBytes(join(dir, `${d.id}-scan.pdf`), await invoiceScannedPdf(d, dir)));
      });
    }
    jobs.push(async () => {
      await renderNameplate(join(dir, "nameplate.jpg"));
    });
    await Promise.all([0, 1].map(async () => {
      while (jobs.length) await jobs.shift()!();
    }));
    console.log(`OCR bench: ${docs.length} invoices (layouts: ${[...new Set(docs.map((d) => d.layout))].join(", ")}) drawn in ${Math.round(performance.now() - t)} ms`);

    // Cold: a fresh engine, its start and the first page.
    const engine = new OcrEngine();
    const cold = await readDocument(files.get(`clean:${docs[0].id}`)!, { engine, kind: "invoice" });
    console.log(`cold: engine start ${cold.timings.engineStartMs} ms + first page ${cold.timings.ocrMs} ms = ${cold.timings.totalMs} ms`);

    // The CLI from a fresh process: Node + tsx start, engine start, one page.
    const t0 = performance.now();
    await new Promise<void>((done, fail) =>
      execFile(process.execPath, [join(import.meta.dirname, "../../bin/hvac.mjs"), "ocr", files.get(`scan:${docs[1].id}`)!], (err) => (err ? fail(err) : done())),
    );
    console.log(`cold CLI: npx hvac ocr on one scanned page, process start to exit: ${Math.round(performance.now() - t0)} ms`);

    const sets: SetResult[] = [];
    const runSet = async (name: string, prefix: string) => {
      const result: SetResult = { name, checks: [], docs: 0, docsAllRight: 0, pageMs: [] };
      for (const d of docs) {
        const reading: DocumentReading = await readDocument(files.get(`${prefix}:${d.id}`)!, { engine, kind: "invoice" });
        for (const p of reading.pages) if (p.source === "ocr") result.pageMs.push(p.ms);
        const checks = checkInvoice(reading.fields, d.truth);
        result.checks.push(...checks);
        result.docs++;
        if (checks.every((c) => c.ok)) result.docsAllRight++;
        if (VERBOSE) for (const c of checks.filter((x) => !x.ok)) console.log(`  ${name} ${d.id} ${c.field}: expected ${JSON.stringify(c.expected)}, got ${JSON.stringify(c.actual)}`);
      }
      sets.push(result);
    };
    await runSet("clean page images (PNG)", "clean");
    await runSet("scans (noise, blur, 0.7°, JPEG)", "scan");
    await runSet("poor scans (noise x2, blur, 2° skew)", "rough");
    await runSet("PDF with a text layer", "pdf-text");
    await runSet("scanned PDF (150 dpi scan, OCR at 200 dpi)", "pdf-scan");

    const plate = await readDocument(join(dir, "nameplate.jpg"), { engine, kind: "auto" });
    const plateChecks = checkNameplate(plate.fields);
    if (VERBOSE) for (const c of plateChecks.filter((x) => !x.ok)) console.log(`  nameplate ${c.field}: expected ${JSON.stringify(c.expected)}, got ${JSON.stringify(c.actual)}`);
    await engine.terminate();

    console.log("");
    console.log("| set | fields exactly right | invoices fully right | OCR ms/page warm: median / p90 / max |");
    console.log("|---|---|---|---|");
    for (const s of sets) {
      const ok = s.checks.filter((c) => c.ok).length;
      const times = s.pageMs.length ? `${quantile(s.pageMs, 0.5)} / ${quantile(s.pageMs, 0.9)} / ${Math.max(...s.pageMs)}` : "no OCR";
      console.log(`| ${s.name} | ${ok}/${s.checks.length} = ${pct(ok, s.checks.length)} | ${s.docsAllRight}/${s.docs} | ${times} |`);
    }
    const plateOk = plateChecks.filter((c) => c.ok).length;
    console.log(`| nameplate photo (${plate.kind}) | ${plateOk}/${plateChecks.length} = ${pct(plateOk, plateChecks.length)} | - | ${plate.pages[0]?.ms ?? "-"} |`);
    const byField = new Map<string, [number, number]>();
    for (const s of sets.slice(0, 2)) for (const c of s.checks) {
      const k = c.field.replace(/^rates\.[^.]+\./, "rates.*.");
      const v = byField.get(k) ?? [0, 0];
      byField.set(k, [v[0] + (c.ok ? 1 : 0), v[1] + 1]);
    }
    const weak = [...byField].filter(([, [ok, n]]) => ok < n).map(([k, [ok, n]]) => `${k} ${ok}/${n}`);
    console.log(`\nfields not always right on images (clean + scans): ${weak.length ? weak.join(", ") : "none"}`);
    console.log("goals: >= 95 % of fields exactly right on clean scans; <= 2000 ms per page warm");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
