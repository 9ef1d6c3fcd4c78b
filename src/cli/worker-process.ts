// The OCR worker as a child process of `hvac run`: its own process, so a crash (or the OCR engine
// eating memory) never takes PocketBase down. It is started again after a crash, with a growing
// delay; a configuration error (exit 2: a bad variable, a refused sign-in) is not retried.
import { spawn, type ChildProcess } from "node:child_process";
import { resolve } from "node:path";

const BIN = resolve(import.meta.dirname, "../../bin/hvac.mjs");

export interface SupervisedWorker {
  /** SIGTERM to the worker (it finishes or releases its file) and waits for it to exit. */
  stop(): Promise<void>;
  /** The running child, if any. */
  readonly child: ChildProcess | null;
}

export interface SuperviseOptions {
  env?: NodeJS.ProcessEnv;
  /** First restart delay (doubled after each quick crash, at most maxDelayMs). */
  delayMs?: number;
  maxDelayMs?: number;
  log?: (line: string) => void;
  /** The worker's output: into ours (default) or nowhere (tests). */
  output?: "inherit" | "ignore";
}

export function superviseOcrWorker(url: string, options: SuperviseOptions = {}): SupervisedWorker {
  const { env = process.env, delayMs = 5000, maxDelayMs = 60_000, log = (l: string) => console.error(l), output = "inherit" } = options;
  let child: ChildProcess | null = null;
  let stopping = false;
  let delay = delayMs;
  let timer: NodeJS.Timeout | null = null;

  const start = () => {
    timer = null;
    const startedAt = Date.now();
    const proc = spawn(process.execPath, [BIN, "ocr-worker", url], { env, stdio: ["ignore", output, output] });
    child = proc;
    proc.on("exit", (code, signal) => {
      if (child === proc) child = null;
      if (stopping) return;
      if (code === 0) {
        log("OCR worker stopped; PocketBase keeps running (restart `hvac run` to read uploads again).");
        return;
      }
      if (code === 2) {
        log("OCR worker: configuration error (above); not restarted. PocketBase keeps running.");
        return;
      }
      // A worker that ran a good while before crashing starts again soon; a crash loop slows down.
      if (Date.now() - startedAt > 60_000) delay = delayMs;
      log(`OCR worker exited (${signal ?? `code ${code}`}); starting it again in ${Math.round(delay / 100) / 10} s. PocketBase keeps running.`);
      timer = setTimeout(start, delay);
      delay = Math.min(delay * 2, maxDelayMs);
    });
  };
  start();

  let stopped: Promise<void> | null = null;
  const stopNow = async () => {
    stopping = true;
    if (timer) clearTimeout(timer);
    const proc = child;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise<void>((r) => proc.once("exit", () => r()));
    proc.kill("SIGTERM");
    // The worker finishes its file (up to 10 s) or releases it.
    const killer = setTimeout(() => proc.kill("SIGKILL"), 15_000);
    await exited;
    clearTimeout(killer);
  };

  return {
    get child() {
      return child;
    },
    // Once: a second SIGTERM would cut the worker's own clean stop short.
    stop: () => (stopped ??= stopNow()),
  };
}
