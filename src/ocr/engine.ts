// The OCR engine: one tesseract.js 7 worker (Polish + English, LSTM only), started on first use
// and reused for every page after that, until terminate(). Everything it loads comes from
// node_modules: the wasm core from tesseract.js-core, the language data from
// @tesseract.js-data/pol and /eng. Nothing is fetched from the network.
import { copyFileSync, mkdirSync, renameSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type Tesseract from "tesseract.js";
import { ocrPageText } from "../domain/reading";
import { DocumentError } from "./errors";

const require = createRequire(import.meta.url);

export const OCR_LANGUAGES = ["pol", "eng"] as const;

/** One recognised word; confidence 0..1 as the engine reports it. */
export interface OcrWord {
  text: string;
  confidence: number;
}

/** One line of the recognised text with its words. */
export interface OcrLine {
  text: string;
  confidence: number;
  words: OcrWord[];
}

export interface OcrPage {
  /** Lines joined by "\n", a blank line between blocks. */
  text: string;
  /** One entry per line of `text` (index 0 = line 1); null for the blank lines. */
  lines: Array<OcrLine | null>;
  /** Mean word confidence 0..1 (0 without words). */
  confidence: number;
  words: number;
  /** Skew the engine found and corrected, in degrees. */
  skewDegrees: number;
  ms: number;
}

export interface OcrEngineOptions {
  /** See OcrConfig.langDir. */
  langDir?: string | null;
  /** One page's limit; the worker is restarted when it is exceeded. */
  pageTimeoutMs?: number;
}

/**
 * tesseract.js's `langPath` is one folder for all languages, while npm ships each language in its
 * own package: the two .traineddata.gz files are copied into one folder once (and again only when
 * a package update changes their size). Copies go through a temp name and a rename, so readers
 * running at the same time never see half a file.
 */
export function prepareLanguageFolder(preferred: string | null = null): string {
  const sources = OCR_LANGUAGES.map((lang) => {
    const pkg = dirname(require.resolve(`@tesseract.js-data/${lang}/package.json`));
    return { lang, file: join(pkg, "4.0.0_best_int", `${lang}.traineddata.gz`) };
  });
  const nodeModules = join(dirname(require.resolve("@tesseract.js-data/pol/package.json")), "..", "..");
  const candidates = preferred ? [preferred] : [join(nodeModules, ".cache", "hvac-ocr-lang"), join(tmpdir(), `hvac-ocr-lang-${process.getuid?.() ?? "user"}`)];
  let lastError: unknown = null;
  for (const dir of candidates) {
    try {
      mkdirSync(dir, { recursive: true });
      for (const { lang, file } of sources) {
        const target = join(dir, `${lang}.traineddata.gz`);
        const size = statSync(file).size;
        let present = -1;
        try {
          present = statSync(target).size;
        } catch {
          // not there yet
        }
        if (present === size) continue;
        const temp = `${target}.${process.pid}.${Date.now()}.tmp`;
        copyFileSync(file, temp);
        renameSync(temp, target);
      }
      return dir;
    } catch (err) {
      lastError = err;
    }
  }
  throw new DocumentError(
    "ocr_failed",
    `Cannot prepare the OCR language folder (${candidates.join(" or ")}): ${(lastError as Error)?.message ?? lastError}. Set HVAC_OCR_LANG_DIR to a writable folder.`,
  );
}

type Worker = Tesseract.Worker;

/**
 * A single tesseract.js worker, started lazily. Pages are recognised one at a time in call order
 * (the worker runs one job at a time anyway; queueing here keeps each page's timing its own).
 */
export class OcrEngine {
  private worker: Promise<Worker> | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly pageTimeoutMs: number;
  /** Milliseconds the last start took (worker, wasm core and both languages). */
  lastStartMs = 0;
  /** Workers started so far (1 unless a timeout or a crash forced a restart). */
  starts = 0;

  constructor(private readonly options: OcrEngineOptions = {}) {
    this.pageTimeoutMs = options.pageTimeoutMs ?? 60_000;
  }

  get running(): boolean {
    return this.worker !== null;
  }

  /** Starts the worker now (otherwise the first page does). Returns the milliseconds it took, 0 if it was running. */
  async start(): Promise<number> {
    if (this.worker) {
      await this.worker;
      return 0;
    }
    const t0 = performance.now();
    const starting = this.spawn();
    this.worker = starting;
    try {
      await starting;
    } catch (err) {
      if (this.worker === starting) this.worker = null;
      throw err;
    }
    this.lastStartMs = Math.round(performance.now() - t0);
    this.starts++;
    return this.lastStartMs;
  }

  private async spawn(): Promise<Worker> {
    const langPath = prepareLanguageFolder(this.options.langDir ?? null);
    const { default: tesseract } = await import("tesseract.js");
    try {
      return await tesseract.createWorker(OCR_LANGUAGES.join("+"), tesseract.OEM.LSTM_ONLY, {
        langPath,
        cacheMethod: "none",
        gzip: true,
        workerPath: fileURLToPath(new URL("./tesseract-worker.cjs", import.meta.url)),
        // Without a handler tesseract.js throws a failed job's error from its message listener,
        // which would take the whole process down; the job's promise still rejects.
        errorHandler: () => {},
      });
    } catch (err) {
      throw new DocumentError("ocr_failed", `The OCR engine did not start: ${messageOf(err)}`, undefined, { cause: err });
    }
  }

  /** Recognises one page image (PNG, JPEG, WebP, BMP, PNM or a simple TIFF). */
  recognize(image: Uint8Array, path?: string): Promise<OcrPage> {
    const run = this.queue.then(() => this.recognizeNow(image, path));
    this.queue = run.catch(() => {});
    return run;
  }

  private async recognizeNow(image: Uint8Array, path?: string): Promise<OcrPage> {
    await this.start();
    const worker = await this.worker!;
    const t0 = performance.now();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      const limit = this.pageTimeoutMs >= 1000 ? `${Math.round(this.pageTimeoutMs / 1000)} s` : `${this.pageTimeoutMs} ms`;
      timer = setTimeout(() => reject(new DocumentError("timeout", `OCR of a page took longer than ${limit} and was stopped (HVAC_OCR_PAGE_TIMEOUT_S)`, path)), this.pageTimeoutMs);
    });
    try {
      // rotateAuto: tesseract measures the skew of a scan and straightens it before reading.
      // Measured on the generated invoices: at 4° skew 121 of 124 fields right instead of 113,
      // at 2° 121 instead of 118, for about 0.1-0.15 s a page.
      const job = worker.recognize(Buffer.from(image.buffer, image.byteOffset, image.byteLength), { rotateAuto: true }, { text: true, blocks: true });
      job.catch(() => {}); // settled after a timeout, nobody awaits it any more
      const result = await Promise.race([job, timeout]);
      return ocrPageText(result.data, Math.round(performance.now() - t0));
    } catch (err) {
      if (err instanceof DocumentError) {
        await this.reset();
        throw err;
      }
      const message = messageOf(err);
      if (/read image|pix not read|no pix/i.test(message)) {
        throw new DocumentError("corrupt_image", "The image cannot be decoded (damaged, cut short, or an unusual variant of its format)", path, { cause: err });
      }
      // Anything else may have left the wasm engine in a bad state: start a fresh one next time.
      await this.reset();
      throw new DocumentError("ocr_failed", `OCR failed: ${message}`, path, { cause: err });
    } finally {
      clearTimeout(timer);
    }
  }

  private async reset(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    if (!worker) return;
    try {
      await (await worker).terminate();
    } catch {
      // already gone
    }
  }

  /** Stops the worker thread; the engine can be started again later. */
  async terminate(): Promise<void> {
    await this.queue;
    await this.reset();
  }
}

function messageOf(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}

let shared: OcrEngine | null = null;

/** The process-wide engine (one worker for the CLI, the OCR worker and anything else in the process). */
export function sharedOcrEngine(options?: OcrEngineOptions): OcrEngine {
  if (!shared) shared = new OcrEngine(options);
  return shared;
}

/** Stops the process-wide engine if it was started. */
export async function closeSharedOcrEngine(): Promise<void> {
  const engine = shared;
  shared = null;
  if (engine) await engine.terminate();
}
