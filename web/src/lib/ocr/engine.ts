// One tesseract.js worker for the tab (Polish + English, LSTM only), started on the first image
// and reused while the dispatcher keeps uploading; stopped after a while without work (it holds
// ~100 MB). Everything it loads comes from our own server (build/build.mjs copies it to /ocr/):
// the Web Worker script, the wasm core, the language data. Nothing is fetched from elsewhere and
// nothing is cached in IndexedDB (the browser's HTTP cache serves the files the next time).
import type Tesseract from "tesseract.js";
import { ocrPageText, type OcrPageText } from "$domain/reading";
import { BrowserReadError } from "./errors";
import type { OcrProgress } from "./index";

const START_TIMEOUT_MS = 90_000;
const PAGE_TIMEOUT_MS = 90_000;
const IDLE_MS = 5 * 60_000;

/** tesseract.js's start-up steps, in order, for one progress bar over all of them. */
const LOADING_STEPS = ["loading tesseract core", "initializing tesseract", "loading language traineddata", "initializing api"];

let worker: Promise<Tesseract.Worker> | null = null;
let listener: ((p: OcrProgress) => void) | null = null;
let idle: ReturnType<typeof setTimeout> | undefined;
let queue: Promise<unknown> = Promise.resolve();

function onLog(m: Tesseract.LoggerMessage): void {
  if (!listener) return;
  if (m.status === "recognizing text") {
    listener({ phase: "recognizing", progress: m.progress });
    return;
  }
  const step = LOADING_STEPS.findIndex((s) => m.status.startsWith(s));
  if (step >= 0) listener({ phase: "loading", progress: (step + Math.min(1, Math.max(0, m.progress))) / LOADING_STEPS.length });
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new BrowserReadError("timeout", `${what} took longer than ${Math.round(ms / 1000)} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function spawn(): Promise<Tesseract.Worker> {
  const mod = (await import("tesseract.js")) as unknown as { default?: typeof Tesseract } & typeof Tesseract;
  const tesseract = mod.default ?? mod;
  const base = new URL("/ocr/", location.href).href;
  return tesseract.createWorker(["pol", "eng"], tesseract.OEM.LSTM_ONLY, {
    workerPath: `${base}worker.min.js`,
    // A folder: tesseract.js picks the relaxed-SIMD, SIMD or plain LSTM core the browser can run.
    corePath: base,
    langPath: `${base}lang`,
    cacheMethod: "none",
    gzip: true,
    logger: onLog,
    // Without it a failed job's error is thrown from the worker's message handler as well.
    errorHandler: () => {},
  });
}

async function stop(): Promise<void> {
  const w = worker;
  worker = null;
  clearTimeout(idle);
  if (!w) return;
  try {
    await (await w).terminate();
  } catch {
    /* it never started or is gone already */
  }
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

async function recognizeNow(image: Blob, onProgress: (p: OcrProgress) => void): Promise<OcrPageText> {
  clearTimeout(idle);
  listener = onProgress;
  try {
    if (!worker) {
      onProgress({ phase: "loading", progress: 0 });
      worker = spawn();
    }
    let w: Tesseract.Worker;
    try {
      w = await withTimeout(worker, START_TIMEOUT_MS, "Starting the OCR engine");
    } catch (err) {
      await stop();
      if (err instanceof BrowserReadError) throw err;
      throw new BrowserReadError("engine", `The OCR engine did not start: ${messageOf(err)}`);
    }
    onProgress({ phase: "recognizing", progress: 0 });
    const t0 = performance.now();
    try {
      // rotateAuto: the engine straightens a slightly skewed scan or photo first (as in Node).
      const result = await withTimeout(w.recognize(image, { rotateAuto: true }, { text: true, blocks: true }), PAGE_TIMEOUT_MS, "Reading the image");
      return ocrPageText(result.data, Math.round(performance.now() - t0));
    } catch (err) {
      // A stuck or failed engine may be in a bad state: the next file gets a fresh one.
      await stop();
      if (err instanceof BrowserReadError) throw err;
      throw new BrowserReadError("ocr_failed", `OCR failed: ${messageOf(err)}`);
    }
  } finally {
    listener = null;
    clearTimeout(idle);
    if (worker) idle = setTimeout(() => void stop(), IDLE_MS);
  }
}

/** Recognises one image (JPEG, PNG, WebP, BMP); files are read one at a time. */
export function recognizeImage(image: Blob, onProgress: (p: OcrProgress) => void = () => {}): Promise<OcrPageText> {
  const run = queue.then(() => recognizeNow(image, onProgress));
  queue = run.catch(() => {});
  return run;
}
