// The OCR worker: reads every invoice and equipment photo waiting to be read, whoever uploaded it
// (the dashboard, a phone, the API), and writes the reading back. Runs beside PocketBase as a
// PocketBase admin (`hvac ocr-worker`, started by `hvac run`).
//
// - Work comes from the records themselves (ocrStatus "waiting"): at start (files uploaded while it
//   was down, leases of a killed worker once they expire), on realtime create/update events, and
//   on a slow poll as a safety net. A (re)connection of the realtime stream triggers a look too.
// - Each file is claimed under a lease (POST /api/hvac/ocr/claim, one transaction), renewed while
//   it is read; the answer (POST /api/hvac/ocr/finish) applies only while the record still has the
//   claimed file and lease, so a file replaced meanwhile is read again and the old result dropped,
//   and two workers never write over each other.
// - A file that cannot be read (DocumentError: not a document, no text, too large, ...) fails at
//   once with the reason; a passing trouble (engine crash, timeout, PocketBase unreachable) is
//   tried again later, up to HVAC_OCR_MAX_ATTEMPTS. One file's failure never stops the others.
// - Nothing uploaded is changed: the worker downloads a copy and writes only the ocr* fields, the
//   reading and (pending invoices) the empty reviewed columns.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import EventSource from "eventsource";
import PocketBase, { ClientResponseError } from "pocketbase";
import { ConfigError } from "../config";
import {
  decideFailure, DOCUMENT_KIND_OF, failureText, fitReading, OCR_COLLECTIONS, READING_MAX_BYTES,
  type ClaimedDocument, type FailureReason, type FinishRefusal, type OcrCollection, type RetryPolicy,
} from "../domain/ocr-queue";
import type { DocumentKind } from "../domain/document";
import { storedReading, type StoredReading } from "../domain/ocr-record";
import { loadOcrConfig } from "./config";
import { OcrEngine } from "./engine";
import { DocumentError, type DocumentErrorCode } from "./errors";
import { readDocument, type DocumentReading } from "./read";
import { OCR_WORKER_DEFAULTS, type OcrWorkerConfig } from "./worker-config";

// Node 20 has no EventSource; the SDK's realtime needs one.
(globalThis as unknown as { EventSource: unknown }).EventSource ??= EventSource;

/** A claimed record with its file downloaded, as handed to the reader. */
export interface DocumentToRead extends ClaimedDocument {
  kind: DocumentKind;
  /** The downloaded copy (removed after reading). */
  path: string;
}

export type ReadFunction = (doc: DocumentToRead) => Promise<DocumentReading>;

export interface OcrWorkerOptions {
  url: string;
  adminEmail: string;
  adminPassword: string;
  config?: Partial<Omit<OcrWorkerConfig, "enabled">>;
  /** The OCR engine (default: one of its own, stopped with the worker). */
  engine?: OcrEngine;
  /** How a downloaded file is read (default: readDocument with the record's kind). */
  read?: ReadFunction;
  /** One line per document and per connection change (default console.log). */
  log?: (line: string) => void;
  collections?: readonly OcrCollection[];
}

/** What the worker tells its log for one document. */
export interface DocumentOutcome {
  collection: OcrCollection;
  id: string;
  result: "done" | "retry" | "failed" | "dropped" | "unanswered";
}

/** DocumentError codes that are about this machine or this moment, not the file: tried again. */
const PASSING_DOCUMENT_ERRORS: ReadonlyArray<DocumentErrorCode> = ["ocr_failed", "timeout", "missing_tool"];

/** The file is not on the server (404): replaced or deleted since the claim, or lost from storage. */
class FileGone extends Error {}

/** A download that failed for a reason worth trying again. */
class DownloadError extends Error {}

function messageOf(err: unknown): string {
  if (err instanceof ClientResponseError) {
    const status = err.status ? `PocketBase answered ${err.status}` : "PocketBase unreachable";
    const cause = (err.cause as Error | undefined)?.message;
    return err.status ? `${status}: ${err.message}` : `${status}${cause ? ` (${cause})` : ""}`;
  }
  return err instanceof Error ? err.message : String(err);
}

/**
 * Whether a failed attempt is the file's fault (permanent) or a passing trouble, and the reason
 * recorded in ocrError: one line starting with a code the dashboard can translate.
 */
export function classifyFailure(err: unknown): FailureReason {
  if (err instanceof DocumentError) {
    return { permanent: PASSING_DOCUMENT_ERRORS.indexOf(err.code) < 0, reason: failureText(err.code, err.message) };
  }
  if (err instanceof DownloadError) return { permanent: false, reason: failureText("download", err.message) };
  if (err instanceof ClientResponseError) return { permanent: false, reason: failureText("pocketbase", messageOf(err)) };
  return { permanent: false, reason: failureText("worker_error", messageOf(err)) };
}

interface Current {
  doc: ClaimedDocument;
  lease: string;
  /** Stopped without waiting for it: its answer is never sent. */
  abandoned: boolean;
  renewTimer: NodeJS.Timeout | null;
  /** A renewal in flight: the final answer waits for it, so it carries the lease as renewed. */
  renewing: Promise<void>;
}

type Answer = { applied: true; lease: string } | { applied: false; refused: FinishRefusal };

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export class OcrWorker {
  readonly pb: PocketBase;
  private readonly config: Omit<OcrWorkerConfig, "enabled">;
  private readonly engine: OcrEngine;
  private readonly ownsEngine: boolean;
  private readonly read: ReadFunction;
  private readonly log: (line: string) => void;
  private readonly collections: readonly OcrCollection[];
  private dir = "";
  private pending = false;
  private loop: Promise<void> | null = null;
  private current: Current | null = null;
  private stopping = false;
  private started = false;
  private pollTimer: NodeJS.Timeout | null = null;
  private readonly timers = new Set<NodeJS.Timeout>();
  /** Since when PocketBase could not be reached (0 = it can), and the next wait. */
  private troubleSince = 0;
  private troubleDelay = 1000;
  /** The last documents finished (any result), newest last. */
  readonly outcomes: DocumentOutcome[] = [];

  constructor(private readonly options: OcrWorkerOptions) {
    this.config = { ...OCR_WORKER_DEFAULTS, ...options.config };
    this.pb = new PocketBase(options.url);
    this.pb.autoCancellation(false);
    // A PocketBase that hangs must not hang the worker: every request gives up after a minute
    // (then it counts as a passing failure).
    this.pb.beforeSend = (url, options) => {
      options.signal ??= AbortSignal.timeout(60_000);
      return { url, options };
    };
    const readerConfig = loadOcrConfig();
    this.ownsEngine = !options.engine;
    this.engine = options.engine ?? new OcrEngine({ langDir: readerConfig.langDir, pageTimeoutMs: readerConfig.pageTimeoutMs });
    this.read = options.read ?? ((doc) => readDocument(doc.path, { kind: doc.kind, engine: this.engine }));
    this.log = options.log ?? ((line) => console.log(line));
    this.collections = options.collections ?? OCR_COLLECTIONS;
  }

  private get policy(): RetryPolicy {
    return { maxAttempts: this.config.maxAttempts, retryBaseMs: this.config.retrySeconds * 1000, retryMaxMs: 3600_000 };
  }

  /**
   * Signs in, reads what is waiting, then follows realtime events and the poll until stop().
   * A refused sign-in throws a ConfigError naming HVAC_ADMIN_EMAIL / HVAC_ADMIN_PASSWORD; while
   * PocketBase cannot be reached it keeps trying.
   */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    for (let wait = 1000; ; wait = Math.min(wait * 2, 30_000)) {
      try {
        await this.signIn();
        break;
      } catch (err) {
        if (!(err instanceof ClientResponseError) || err.status !== 0 || this.stopping) throw err;
        this.log(`ocr-worker: waiting for PocketBase at ${this.options.url} (${messageOf(err)}); trying again in ${wait / 1000} s`);
        await sleep(wait);
        if (this.stopping) return;
      }
    }
    this.dir = await mkdtemp(join(tmpdir(), "hvac-ocr-worker-"));
    if (this.stopping) return;
    // Subscribed before the first look: a file uploaded in between is seen by one or the other.
    await this.subscribe();
    if (this.stopping) return;
    this.pollTimer = setInterval(() => this.wake(), this.config.pollSeconds * 1000);
    this.wake();
  }

  private async signIn(): Promise<void> {
    try {
      await this.pb.admins.authWithPassword(this.options.adminEmail, this.options.adminPassword);
    } catch (err) {
      if (err instanceof ClientResponseError && (err.status === 400 || err.status === 401 || err.status === 403)) {
        throw new ConfigError("HVAC_ADMIN_EMAIL / HVAC_ADMIN_PASSWORD", `PocketBase at ${this.options.url} refused the admin sign-in of ${this.options.adminEmail} (wrong email or password?)`);
      }
      throw err;
    }
  }

  private async subscribe(): Promise<void> {
    try {
      // Every (re)connection: files may have arrived while the stream was down (PocketBase restarted).
      await this.pb.realtime.subscribe("PB_CONNECT", () => this.wake());
      for (const collection of this.collections) {
        await this.pb.collection(collection).subscribe("*", (e) => {
          if (e.action !== "delete" && (e.record as { ocrStatus?: string }).ocrStatus === "waiting") this.wake();
        });
      }
    } catch (err) {
      if (!this.stopping) this.log(`ocr-worker: no realtime events (${messageOf(err)}); looking every ${this.config.pollSeconds} s`);
    }
  }

  /** Look for work now (or right after the current pass). */
  wake(): void {
    if (this.stopping || !this.started) return;
    this.pending = true;
    if (!this.loop) {
      this.loop = this.drain().finally(() => {
        this.loop = null;
        if (this.pending && !this.stopping) this.wake();
      });
    }
  }

  private wakeAt(at: number): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.wake();
    }, Math.max(0, at - Date.now()) + 20);
    this.timers.add(timer);
  }

  private async drain(): Promise<void> {
    while (this.pending && !this.stopping) {
      this.pending = false;
      while (!this.stopping && (await this.pass()) > 0) {
        // more may be waiting
      }
    }
  }

  /** One claim per collection in turn (neither starves the other); returns how many were handled. */
  private async pass(): Promise<number> {
    let handled = 0;
    for (const collection of this.collections) {
      if (this.stopping) break;
      let answer: { claimed: ClaimedDocument[]; failed: Array<{ id: string; error: string }> };
      try {
        answer = await this.send("/api/hvac/ocr/claim", {
          collection, limit: 1, leaseSeconds: this.config.leaseSeconds, maxAttempts: this.config.maxAttempts,
        });
      } catch (err) {
        this.trouble(err);
        return 0;
      }
      this.recovered();
      for (const f of answer.failed) {
        this.outcomes.push({ collection, id: f.id, result: "failed" });
        this.log(`ocr ${collection}/${f.id} ${DOCUMENT_KIND_OF[collection]} - 0 ms failed: ${f.error}`);
      }
      handled += answer.failed.length;
      for (const doc of answer.claimed) {
        if (this.stopping) break;
        await this.process(doc);
        handled++;
      }
    }
    return handled;
  }

  /** PocketBase cannot be reached (or answers 5xx): say so once, look again after a growing wait. */
  private trouble(err: unknown): void {
    if (this.stopping) return;
    if (err instanceof ConfigError) {
      this.log(`ocr-worker: ${err.message}`);
    } else if (!this.troubleSince) {
      this.troubleSince = Date.now();
      this.log(`ocr-worker: cannot reach PocketBase at ${this.options.url} (${messageOf(err)}); trying again`);
    }
    this.wakeAt(Date.now() + this.troubleDelay);
    this.troubleDelay = Math.min(this.troubleDelay * 2, 30_000);
  }

  private recovered(): void {
    if (this.troubleSince) this.log(`ocr-worker: PocketBase at ${this.options.url} answers again`);
    this.troubleSince = 0;
    this.troubleDelay = 1000;
  }

  /** POST to one of our routes as the admin; an expired session signs in again once. */
  private async send<T>(path: string, body: Record<string, unknown>): Promise<T> {
    try {
      return await this.pb.send<T>(path, { method: "POST", body });
    } catch (err) {
      if (!(err instanceof ClientResponseError) || err.status !== 401) throw err;
      await this.signIn();
      return await this.pb.send<T>(path, { method: "POST", body });
    }
  }

  private async download(doc: ClaimedDocument): Promise<string> {
    let token: string;
    try {
      token = await this.pb.files.getToken();
    } catch (err) {
      if (err instanceof ClientResponseError && err.status === 401) {
        await this.signIn();
        token = await this.pb.files.getToken();
      } else throw err;
    }
    const url = this.pb.buildUrl(`/api/files/${doc.collection}/${doc.id}/${encodeURIComponent(doc.file)}`) + `?token=${encodeURIComponent(token)}`;
    let res: Response;
    try {
      res = await fetch(url, { signal: AbortSignal.timeout(120_000) });
    } catch (err) {
      throw new DownloadError(`the file could not be downloaded: ${messageOf(err)}`);
    }
    if (res.status === 404) throw new FileGone();
    if (!res.ok) throw new DownloadError(`the file could not be downloaded: PocketBase answered ${res.status}`);
    const bytes = new Uint8Array(await res.arrayBuffer());
    const path = join(this.dir, `${doc.collection}-${doc.id}-${doc.file.replace(/[^A-Za-z0-9._-]/g, "_")}`);
    await writeFile(path, bytes);
    return path;
  }

  /** Sends the answer for a claimed record; network trouble is tried a few times. */
  private async answer(job: Current, body: Record<string, unknown>, tries = 3): Promise<Answer> {
    for (let attempt = 1; ; attempt++) {
      try {
        const answer = await this.send<Answer>("/api/hvac/ocr/finish", {
          collection: job.doc.collection, id: job.doc.id, file: job.doc.file, lease: job.lease, ...body,
        });
        if (answer.applied) job.lease = answer.lease;
        return answer;
      } catch (err) {
        const passing = err instanceof ClientResponseError && (err.status === 0 || err.status >= 500);
        if (!passing || attempt >= tries || job.abandoned) throw err;
        await sleep(1000 * attempt);
      }
    }
  }

  private renew(job: Current): void {
    if (job.abandoned || !job.renewTimer) return;
    job.renewing = job.renewing.then(() => this.renewNow(job));
  }

  private async renewNow(job: Current): Promise<void> {
    if (job.abandoned || !job.renewTimer) return;
    try {
      const answer = await this.answer(job, { outcome: "renew", leaseSeconds: this.config.leaseSeconds }, 1);
      // Lost (file replaced, retry asked, taken over): reading goes on, its answer will be dropped.
      if (!answer.applied && job.renewTimer) {
        clearInterval(job.renewTimer);
        job.renewTimer = null;
      }
    } catch {
      // PocketBase away for a moment: the next renewal tries again, the lease has room for it.
    }
  }

  private async process(doc: ClaimedDocument): Promise<void> {
    const kind = DOCUMENT_KIND_OF[doc.collection];
    const t0 = performance.now();
    const job: Current = { doc, lease: doc.lease, abandoned: false, renewTimer: null, renewing: Promise.resolve() };
    this.current = job;
    job.renewTimer = setInterval(() => this.renew(job), Math.max(1000, (this.config.leaseSeconds * 1000) / 3));
    let source = "-";
    let result: DocumentOutcome["result"];
    let detail: string;
    try {
      let reading: DocumentReading | null = null;
      let failure: FailureReason | null = null;
      try {
        const path = await this.download(doc);
        try {
          reading = await this.read({ ...doc, kind, path });
        } finally {
          await rm(path, { force: true });
        }
      } catch (err) {
        // A replaced or removed file makes the answer below be refused; a file lost from the
        // server's storage fails for good.
        failure = err instanceof FileGone ? { permanent: true, reason: failureText("not_found", "the uploaded file is missing on the server") } : classifyFailure(err);
      }
      await this.endRenewals(job);
      if (job.abandoned) return;
      if (reading) {
        source = reading.source;
        const stored: StoredReading = fitReading(storedReading(reading, "worker", new Date()), READING_MAX_BYTES[doc.collection]);
        const answer = await this.answer(job, { outcome: "done", reading: stored });
        const found = Object.values(stored.fields).filter((f) => f !== null).length;
        result = answer.applied ? "done" : "dropped";
        detail = answer.applied ? `${found} fields, ${stored.review.length} to review` : refusalText(answer.refused);
      } else {
        const decision = decideFailure(failure!, doc.attempts, this.policy, Date.now());
        const answer = await this.answer(
          job,
          decision.outcome === "retry"
            ? { outcome: "retry", error: decision.error, retryAt: new Date(decision.retryAt).toISOString() }
            : { outcome: "failed", error: decision.error },
        );
        if (!answer.applied) {
          result = "dropped";
          detail = refusalText(answer.refused);
        } else if (decision.outcome === "retry") {
          this.wakeAt(decision.retryAt);
          result = "retry";
          detail = `attempt ${doc.attempts} of ${this.config.maxAttempts}, again in ${Math.round((decision.retryAt - Date.now()) / 100) / 10} s: ${decision.error}`;
        } else {
          result = "failed";
          detail = decision.error;
        }
      }
    } catch (err) {
      if (job.abandoned) return;
      // The answer could not be sent: the lease runs out and the file is read again.
      result = "unanswered";
      detail = `the result could not be recorded (${messageOf(err)}); read again after its lease`;
    } finally {
      if (job.renewTimer) clearInterval(job.renewTimer);
      job.renewTimer = null;
      if (this.current === job) this.current = null;
    }
    this.outcomes.push({ collection: doc.collection, id: doc.id, result });
    if (this.outcomes.length > 1000) this.outcomes.splice(0, this.outcomes.length - 1000);
    this.log(`ocr ${doc.collection}/${doc.id} ${kind} ${source} ${Math.round(performance.now() - t0)} ms ${result}: ${detail}`);
  }

  /** No more renewals; waits for one in flight, so the next answer carries the current lease. */
  private async endRenewals(job: Current): Promise<void> {
    if (job.renewTimer) clearInterval(job.renewTimer);
    job.renewTimer = null;
    await job.renewing;
  }

  /**
   * Stops taking work. The file being read is finished if that takes at most `graceMs`, otherwise
   * its lease is released (it waits for the next worker, the attempt not counted). `release: false`
   * leaves the lease to expire, as a killed worker would.
   */
  async stop(options: { graceMs?: number; release?: boolean } = {}): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    const { graceMs = 10_000, release = true } = options;
    if (this.pollTimer) clearInterval(this.pollTimer);
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    try {
      await this.pb.realtime.unsubscribe();
    } catch {
      // not connected
    }
    const loop = this.loop;
    let finished = true;
    if (loop) {
      let timer: NodeJS.Timeout | undefined;
      finished = await Promise.race([loop.then(() => true), new Promise<boolean>((r) => (timer = setTimeout(() => r(false), graceMs)))]);
      clearTimeout(timer);
    }
    const job = this.current;
    if (!finished && job) {
      await this.endRenewals(job);
      job.abandoned = true;
      if (release) {
        try {
          await this.answer(job, { outcome: "release" }, 1);
          this.log(`ocr ${job.doc.collection}/${job.doc.id} ${DOCUMENT_KIND_OF[job.doc.collection]} - - released: the worker is stopping; it waits for the next one`);
        } catch (err) {
          this.log(`ocr ${job.doc.collection}/${job.doc.id} released without an answer (${messageOf(err)}): read again after its lease`);
        }
      }
    }
    if (this.dir) await rm(this.dir, { recursive: true, force: true });
    // An abandoned read may still hold the engine; it is stopped when the process ends.
    if (this.ownsEngine && finished) await this.engine.terminate();
  }
}

function refusalText(refused: FinishRefusal): string {
  switch (refused) {
    case "gone":
      return "the record was deleted while it was read; result dropped";
    case "file_changed":
      return "the file was replaced while it was read; result dropped (the new file is read next)";
    case "lease_lost":
      return "the record was taken over meanwhile (a retry asked, or its lease ran out); result dropped";
  }
}
