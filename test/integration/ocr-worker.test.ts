// The OCR worker end to end: files uploaded through the API (a technician's phone, the office) are
// read by the worker against the real PocketBase with our hooks, with the real OCR engine (one,
// shared by every worker of this file) on documents the test draws. Then failures and retries, a
// killed worker's lease taken over, two workers on one queue, a file replaced while it is read,
// and the hook rules for the ocr* fields.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import type PocketBase from "pocketbase";
import type { RecordModel } from "pocketbase";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { superviseOcrWorker } from "../../src/cli/worker-process";
import { storedReading } from "../../src/domain/ocr-record";
import { OcrEngine, readDocument, type DocumentReading } from "../../src/ocr";
import { OcrWorker, type DocumentToRead, type OcrWorkerOptions } from "../../src/ocr/worker";
import {
  CLEAN, NAMEPLATE_TRUTH, checkNameplate, invoiceDocuments, invoiceScannedPdf, invoiceTextPdf, renderImage, renderNameplate,
  requireImageMagick, writeBytes, type InvoiceDocument,
} from "../helpers/documents";
import { createWorld, failure, makeContact, makeJob, type World } from "../helpers/fixtures";
import { ADMIN_EMAIL, ADMIN_PASSWORD, ROOT, startPocketBase, type RunningPocketBase } from "../helpers/pocketbase";

const KSEF = join(ROOT, "test/fixtures/ksef");
const docs = new Map(invoiceDocuments().map((d) => [d.id, d]));
const doc = (id: string): InvoiceDocument => docs.get(id)!;

let pb: RunningPocketBase;
let w: World;
let jobId: string;
let dir: string;
let engine: OcrEngine;
const file = (name: string) => join(dir, name);

/** Reads per record id, by every worker of this file. */
const reads = new Map<string, number>();
/** Per-file behaviour of the reader, by a tag in the uploaded file's name (PocketBase keeps the name's start). */
const behaviours: Array<[tag: string, read: (d: DocumentToRead) => Promise<DocumentReading>]> = [];
const workers: OcrWorker[] = [];
let worker: OcrWorker;

async function countingRead(d: DocumentToRead): Promise<DocumentReading> {
  reads.set(d.id, (reads.get(d.id) ?? 0) + 1);
  const special = behaviours.find(([tag]) => d.file.startsWith(tag));
  return special ? special[1](d) : readDocument(d.path, { kind: d.kind, engine });
}

async function startWorker(config: OcrWorkerOptions["config"] = {}, log: string[] = []): Promise<OcrWorker> {
  const wk = new OcrWorker({
    url: pb.url, adminEmail: ADMIN_EMAIL, adminPassword: ADMIN_PASSWORD, engine, read: countingRead, log: (l) => log.push(l),
    config: { leaseSeconds: 3, pollSeconds: 30, retrySeconds: 0.2, maxAttempts: 3, ...config },
  });
  workers.push(wk);
  await wk.start();
  return wk;
}

/** Polls the record (as the admin) until `done` says so; fails with the last state after `ms`. */
async function until(collection: string, id: string, done: (r: RecordModel) => boolean, ms = 60_000): Promise<RecordModel> {
  const deadline = Date.now() + ms;
  for (;;) {
    const r = await pb.admin.collection(collection).getOne(id);
    if (done(r)) return r;
    if (Date.now() > deadline) throw new Error(`${collection}/${id} did not get there in ${ms} ms; last: ${JSON.stringify({ ocrStatus: r.ocrStatus, ocrError: r.ocrError, ocrAttempts: r.ocrAttempts })}`);
    await new Promise((res) => setTimeout(res, 50));
  }
}

const isDone = (r: RecordModel) => r.ocrStatus === "done";
const isFailed = (r: RecordModel) => r.ocrStatus === "failed";

function upload(path: string, fields: Record<string, string> = {}, name = basename(path)): FormData {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.append(k, v);
  f.append("file", new Blob([readFileSync(path)]), name);
  return f;
}

function invoiceUpload(client: PocketBase, path: string, name?: string, fields: Record<string, string> = {}) {
  return client.collection("invoices").create(upload(path, { jobId, ...fields }, name));
}

beforeAll(async () => {
  requireImageMagick();
  dir = mkdtempSync(join(tmpdir(), "hvac-ocr-worker-test-"));
  engine = new OcrEngine();
  const jobs: Array<() => Promise<unknown>> = [
    () => engine.start(),
    async () => {
      pb = await startPocketBase();
      w = await createWorld(pb);
      const contact = await makeContact(w.dispatcher);
      const job = await makeJob(w.dispatcher, contact.id, { status: "scheduled", technicianId: w.ids.tech1, scheduledDate: new Date(Date.now() + 3600_000).toISOString() });
      jobId = job.id;
    },
    () => renderImage(doc("a1").draws, file("a1.png"), CLEAN),
    () => renderNameplate(file("nameplate.jpg")),
    async () => writeBytes(file("c2-scan.pdf"), await invoiceScannedPdf(doc("c2"), dir)),
    () => renderImage([], file("blank.png")),
  ];
  await Promise.all([0, 1].map(async () => {
    while (jobs.length) await jobs.shift()!();
  }));
  writeBytes(file("a2-text.pdf"), invoiceTextPdf(doc("a2")));
  worker = await startWorker();
}, 180_000);

afterAll(async () => {
  for (const wk of workers) await wk.stop({ graceMs: 0, release: false });
  await engine?.terminate();
  await pb?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("the worker reads what is uploaded", () => {
  let firstInvoice: RecordModel;

  it("an invoice photographed by a technician: the reading, the columns and done", async () => {
    const created = await invoiceUpload(w.tech1, file("a1.png"));
    expect(created).toMatchObject({ ocrStatus: "waiting", ocrAttempts: 0, status: "pending" });
    const r = await until("invoices", created.id, isDone);
    const truth = doc("a1").truth;
    expect(r.ocrData).toMatchObject({ v: 1, kind: "invoice", source: "image-ocr", reader: "worker", pages: 1 });
    expect(r.ocrData.fields.number.value).toBe(truth.number);
    expect(r).toMatchObject({
      ocrAttempts: 1, ocrError: "", ocrLeaseUntil: "", status: "pending",
      invoiceNumber: truth.number, sellerName: truth.sellerName, sellerNip: truth.sellerNip, currency: "PLN",
      totalAmount: truth.totalAmount / 100, bankAccount: truth.bankAccount, splitPayment: truth.splitPayment,
    });
    expect(r.issueDate.slice(0, 10)).toBe(truth.issueDate);
    expect(r.dueDate.slice(0, 10)).toBe(truth.dueDate);
    expect(r.vatBreakdown).toEqual(truth.rates.map((x) => ({ rate: x.rate, net: x.net / 100, vat: x.vat / 100, gross: x.gross / 100 })));
    expect(r.ocrReadAt).not.toBe("");
    // The upload itself is untouched.
    expect({ file: r.file, filesize: r.filesize }).toEqual({ file: created.file, filesize: created.filesize });
    expect(reads.get(r.id)).toBe(1);
    firstInvoice = r;
  }, 60_000);

  it.each([
    ["a PDF with a text layer", () => file("a2-text.pdf"), "pdf-text", doc("a2").truth.number],
    ["a KSeF FA(3) e-invoice", () => join(KSEF, "fa3-frigo-pol.xml"), "ksef", "FS-2026/11/00981"],
  ])("%s", async (_name, path, source, number) => {
    const created = await invoiceUpload(w.dispatcher, path());
    const r = await until("invoices", created.id, isDone);
    expect(r.ocrData).toMatchObject({ source, reader: "worker", ocrConfidence: null });
    expect(r.invoiceNumber).toBe(number);
    expect(r.totalAmount).toBeGreaterThan(0);
    if (source === "ksef") expect(r.ocrData.ksefVariant).toBe("FA(3)");
  }, 60_000);

  it("a nameplate photo: aiAnalysis", async () => {
    const created = await w.tech1.collection("equipment_photos").create(upload(file("nameplate.jpg"), { jobId, description: "Tabliczka" }));
    expect(created.ocrStatus).toBe("waiting");
    const r = await until("equipment_photos", created.id, isDone);
    expect(r.aiAnalysis).toMatchObject({ v: 1, kind: "nameplate", source: "image-ocr", reader: "worker" });
    expect(checkNameplate(r.aiAnalysis.fields).filter((c) => !c.ok)).toEqual([]);
    expect(r.aiAnalysis.fields.refrigerant.value).toBe(NAMEPLATE_TRUTH.refrigerant);
  }, 60_000);

  it("a re-read never overwrites a person's correction and gives the same reading; a processed invoice keeps its columns", async () => {
    const id = firstInvoice.id;
    const corrected = await w.dispatcher.collection("invoices").update(id, { sellerName: "Termo-Instal Spółka z o.o.", bankAccount: "" });
    expect(corrected.bankAccount).toBe("");
    const again = await w.dispatcher.collection("invoices").update(id, { ocrStatus: "waiting" });
    expect(again).toMatchObject({ ocrStatus: "waiting", ocrAttempts: 0, ocrError: "", ocrLeaseUntil: "" });
    const r = await until("invoices", id, isDone);
    expect(r.sellerName).toBe("Termo-Instal Spółka z o.o."); // the person's
    expect(r.bankAccount).toBe(firstInvoice.bankAccount); // empty again: filled from the reading
    expect(r.ocrData.fields).toEqual(firstInvoice.ocrData.fields);
    for (const k of ["invoiceNumber", "issueDate", "dueDate", "sellerNip", "totalAmount", "vatBreakdown"]) expect(r[k], k).toEqual(firstInvoice[k]);
    expect(r.ocrReadAt > firstInvoice.ocrReadAt).toBe(true);
    expect(reads.get(id)).toBe(2);

    // Processed: the fields were checked by a person; a re-read only refreshes the reading.
    const processed = await w.dispatcher.collection("invoices").update(id, { status: "processed", dueDate: "" });
    expect(processed.dueDate).toBe("");
    await w.dispatcher.collection("invoices").update(id, { ocrStatus: "waiting" });
    const kept = await until("invoices", id, isDone);
    expect(kept).toMatchObject({ status: "processed", dueDate: "", sellerName: "Termo-Instal Spółka z o.o." });
    expect(reads.get(id)).toBe(3);
  }, 90_000);
});

describe("failures", () => {
  it("an unreadable file fails with its reason; a staff retry reads it again; a replaced file is read", async () => {
    const created = await invoiceUpload(w.tech1, file("blank.png"));
    const failed = await until("invoices", created.id, isFailed);
    expect(failed.ocrError).toMatch(/^no_text: No text found in the PNG image/);
    expect(failed).toMatchObject({ ocrAttempts: 1, ocrLeaseUntil: "" });
    expect(reads.get(created.id)).toBe(1); // permanent: not tried again by itself

    const retried = await w.dispatcher.collection("invoices").update(created.id, { ocrStatus: "waiting" });
    expect(retried).toMatchObject({ ocrStatus: "waiting", ocrAttempts: 0, ocrError: "" });
    const again = await until("invoices", created.id, isFailed);
    expect(again.ocrError).toMatch(/^no_text: /);
    expect(reads.get(created.id)).toBe(2);

    const replaced = await w.dispatcher.collection("invoices").update(created.id, upload(join(KSEF, "fa2-klimat-serwis.xml")));
    expect(replaced).toMatchObject({ ocrStatus: "waiting", ocrError: "", ocrAttempts: 0 });
    const read = await until("invoices", created.id, isDone);
    expect(read).toMatchObject({ ocrError: "", invoiceNumber: "FV/2026/11/0147" });
    expect(reads.get(created.id)).toBe(3);
  }, 60_000);

  it("a passing failure is tried again after a wait, then fails with the last reason; others are read meanwhile", async () => {
    behaviours.push(["crash", async () => {
      throw new Error("the OCR engine crashed");
    }]);
    const crash = await invoiceUpload(w.dispatcher, file("a1.png"), "crash.png");
    const other = await invoiceUpload(w.dispatcher, join(KSEF, "fa2-prefixed-eur-mpp.xml"));
    const failed = await until("invoices", crash.id, isFailed);
    expect(failed).toMatchObject({ ocrAttempts: 3, ocrError: "worker_error: the OCR engine crashed (gave up after 3 attempts)" });
    expect(reads.get(crash.id)).toBe(3);
    expect(worker.outcomes.filter((o) => o.id === crash.id).map((o) => o.result)).toEqual(["retry", "retry", "failed"]);
    expect((await until("invoices", other.id, isDone)).ocrData.source).toBe("ksef");
  }, 60_000);

  it("a file missing from the server's storage fails as not found", async () => {
    await worker.stop();
    const created = await invoiceUpload(w.dispatcher, join(KSEF, "fa3-frigo-pol.xml"), "lost.xml");
    rmSync(join(pb.dataDir, "storage", "hvacinvoices000", created.id, created.file));
    worker = await startWorker();
    const failed = await until("invoices", created.id, isFailed);
    expect(failed).toMatchObject({ ocrError: "not_found: the uploaded file is missing on the server", ocrAttempts: 1, file: created.file });
    expect(reads.get(created.id)).toBeUndefined();
  }, 60_000);
});

describe("leases", () => {
  function child(env: Record<string, string>, args: string[] = [pb.url]): { proc: ChildProcess; output: () => string; exited: Promise<number | null> } {
    const proc = spawn(process.execPath, [join(ROOT, "bin/hvac.mjs"), "ocr-worker", ...args], {
      cwd: ROOT, env: { ...process.env, HVAC_ADMIN_EMAIL: ADMIN_EMAIL, HVAC_ADMIN_PASSWORD: ADMIN_PASSWORD, HVAC_OCR_LEASE_S: "3", HVAC_OCR_POLL_S: "1", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    proc.stdout!.on("data", (d) => (out += d));
    proc.stderr!.on("data", (d) => (out += d));
    return { proc, output: () => out, exited: new Promise((r) => proc.on("exit", (code) => r(code))) };
  }

  /** Waits until the child says it is at work (signed in, subscribed). */
  async function announced(c: ReturnType<typeof child>): Promise<void> {
    for (let i = 0; i < 600 && !/ocr-worker: reading uploaded invoices and equipment photos/.test(c.output()); i++) {
      if (c.proc.exitCode !== null) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(c.output()).toMatch(/ocr-worker: reading uploaded invoices and equipment photos/);
  }

  it("a worker killed while reading: its lease runs out and another worker reads the file", async () => {
    await worker.stop();
    const killed = child({});
    try {
      await announced(killed);
      const created = await invoiceUpload(w.dispatcher, file("c2-scan.pdf"));
      const reading = await until("invoices", created.id, (r) => r.ocrStatus !== "waiting", 30_000);
      expect(reading.ocrStatus).toBe("reading"); // the scanned page takes the child a few seconds
      killed.proc.kill("SIGKILL");
      await killed.exited;
      const left = await pb.admin.collection("invoices").getOne(created.id);
      expect(left).toMatchObject({ ocrStatus: "reading", ocrAttempts: 1 });

      // Found by the poll once the lease is over (no event tells of a lease running out).
      worker = await startWorker({ pollSeconds: 1 });
      const r = await until("invoices", created.id, isDone);
      expect(r).toMatchObject({ ocrAttempts: 2, invoiceNumber: doc("c2").truth.number });
      expect(r.ocrData.source).toBe("pdf-ocr");
      expect(reads.get(created.id)).toBe(1); // the child's read is not counted here
    } finally {
      killed.proc.kill("SIGKILL");
    }
  }, 90_000);

  it("a worker stopping in the middle of a file releases it, without counting the attempt", async () => {
    let started!: () => void;
    const begun = new Promise<void>((r) => (started = r));
    behaviours.push(["hang", () => {
      started();
      return new Promise<DocumentReading>(() => {});
    }]);
    const stopping = await startWorker();
    await worker.stop();
    const created = await invoiceUpload(w.dispatcher, join(KSEF, "fa2-klimat-serwis.xml"), "hang.xml");
    await begun;
    expect((await pb.admin.collection("invoices").getOne(created.id)).ocrStatus).toBe("reading");
    await stopping.stop({ graceMs: 50 });
    const released = await pb.admin.collection("invoices").getOne(created.id);
    expect(released).toMatchObject({ ocrStatus: "waiting", ocrAttempts: 0, ocrLeaseUntil: "" });
    behaviours.splice(behaviours.findIndex(([tag]) => tag === "hang"), 1);
    worker = await startWorker();
    await until("invoices", created.id, isDone);
  }, 60_000);

  it("two workers on one queue never read the same record twice", async () => {
    await worker.stop();
    const xml = ["fa2-klimat-serwis.xml", "fa3-frigo-pol.xml", "fa2-prefixed-eur-mpp.xml", "fa3-correction-consumer.xml"];
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) ids.push((await invoiceUpload(w.dispatcher, join(KSEF, xml[i % xml.length]), `pair-${i}.xml`)).id);
    // A slow reader, so the two are busy at the same time.
    behaviours.push(["pair", async (d) => {
      await new Promise((r) => setTimeout(r, 150));
      return readDocument(d.path, { kind: d.kind });
    }]);
    const [a, b] = await Promise.all([startWorker(), startWorker()]);
    for (const id of ids) await until("invoices", id, isDone);
    for (const id of ids) expect(reads.get(id), id).toBe(1);
    const byWorker = [a, b].map((wk) => wk.outcomes.filter((o) => ids.includes(o.id) && o.result === "done").length);
    expect(byWorker[0] + byWorker[1]).toBe(ids.length);
    await b.stop();
    worker = a;
  }, 60_000);

  it("claims made at the same moment never hand out a record twice", async () => {
    await worker.stop();
    const ids: string[] = [];
    for (let i = 0; i < 8; i++) ids.push((await invoiceUpload(w.dispatcher, join(KSEF, "fa3-frigo-pol.xml"), `race-${i}.xml`)).id);
    const answers = await Promise.all(Array.from({ length: 10 }, () =>
      pb.admin.send("/api/hvac/ocr/claim", { method: "POST", body: { collection: "invoices", limit: 3, leaseSeconds: 1 } })));
    const claimed = answers.flatMap((a: { claimed: Array<{ id: string }> }) => a.claimed.map((c) => c.id));
    expect(claimed.slice().sort()).toEqual(ids.slice().sort());
    // Their leases run out and a worker reads them.
    worker = await startWorker({ pollSeconds: 1 });
    for (const id of ids) expect((await until("invoices", id, isDone)).ocrAttempts).toBe(2);
  }, 60_000);

  it("a file replaced while it is read: the old result is dropped and the new file read", async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let started!: () => void;
    const begun = new Promise<void>((r) => (started = r));
    behaviours.push(["swap", async (d) => {
      started();
      await gate;
      return readDocument(d.path, { kind: d.kind });
    }]);
    const created = await invoiceUpload(w.dispatcher, join(KSEF, "fa2-klimat-serwis.xml"), "swap.xml");
    await begun;
    const replaced = await w.dispatcher.collection("invoices").update(created.id, upload(join(KSEF, "fa3-frigo-pol.xml"), {}, "new.xml"));
    expect(replaced.ocrStatus).toBe("waiting");
    release();
    const r = await until("invoices", created.id, isDone);
    expect(r.file).toBe(replaced.file);
    expect(r).toMatchObject({ invoiceNumber: "FS-2026/11/00981", ocrData: { ksefVariant: "FA(3)" } });
    expect(worker.outcomes.filter((o) => o.id === created.id).map((o) => o.result)).toEqual(["dropped", "done"]);
    expect(reads.get(created.id)).toBe(2);
  }, 60_000);

  it("hvac run's worker process is started again after a crash; PocketBase is not touched", async () => {
    const log: string[] = [];
    const env = { ...process.env, HVAC_ADMIN_EMAIL: ADMIN_EMAIL, HVAC_ADMIN_PASSWORD: ADMIN_PASSWORD };
    const supervised = superviseOcrWorker(pb.url, { env, delayMs: 100, log: (l) => log.push(l), output: "ignore" });
    try {
      const first = supervised.child!;
      first.kill("SIGKILL");
      await new Promise((r) => first.once("exit", r));
      for (let i = 0; i < 200 && (!supervised.child || supervised.child === first); i++) await new Promise((r) => setTimeout(r, 50));
      expect(supervised.child).not.toBeNull();
      expect(supervised.child).not.toBe(first);
      expect(log).toEqual(["OCR worker exited (SIGKILL); starting it again in 0.1 s. PocketBase keeps running."]);
      expect((await fetch(`${pb.url}/api/health`)).ok).toBe(true);
    } finally {
      const last = supervised.child;
      await supervised.stop();
      expect(last?.exitCode ?? last?.signalCode).not.toBeNull();
    }
  }, 60_000);

  it("the command names a missing or refused admin and stops cleanly on SIGTERM", async () => {
    const missing = child({ HVAC_ADMIN_EMAIL: "" });
    expect(await missing.exited).toBe(2);
    expect(missing.output()).toMatch(/Configuration error: HVAC_ADMIN_EMAIL: not set/);
    const wrong = child({ HVAC_ADMIN_PASSWORD: "not-the-password" });
    expect(await wrong.exited).toBe(2);
    expect(wrong.output()).toMatch(/Configuration error: HVAC_ADMIN_EMAIL \/ HVAC_ADMIN_PASSWORD: PocketBase at .* refused the admin sign-in/);
    const badAttempts = child({ HVAC_OCR_MAX_ATTEMPTS: "0" });
    expect(await badAttempts.exited).toBe(2);
    expect(badAttempts.output()).toMatch(/Configuration error: HVAC_OCR_MAX_ATTEMPTS: /);

    const running = child({});
    await announced(running);
    running.proc.kill("SIGTERM");
    expect(await running.exited).toBe(0);
    expect(running.output()).toMatch(/ocr-worker: stopped\s*$/);
  }, 60_000);
});

describe("the hook rules for the ocr* fields", () => {
  async function browserReading(kind: "invoice" | "nameplate" = "invoice") {
    const r = await readDocument(join(KSEF, "fa3-frigo-pol.xml"));
    return { ...storedReading(r, "browser", new Date()), kind };
  }

  it("a technician sets none of them", async () => {
    const err = await failure(invoiceUpload(w.tech1, join(KSEF, "fa3-frigo-pol.xml"), undefined, { ocrStatus: "done", ocrData: JSON.stringify(await browserReading()) }));
    expect(err.status).toBe(403);
    expect(Object.keys(err.data).sort()).toEqual(["ocrData", "ocrStatus"]);
  });

  it("staff may only ask for a (re)read; the other fields are the worker's", async () => {
    const inv = await invoiceUpload(w.dispatcher, file("blank.png"), "rules.png");
    const failed = await until("invoices", inv.id, isFailed);
    for (const status of ["done", "reading"]) {
      const err = await failure(w.dispatcher.collection("invoices").update(inv.id, { ocrStatus: status }));
      expect(err.status, status).toBe(400);
      expect(err.data.ocrStatus.code).toBe("ocr_status_forbidden");
    }
    // A form sending the record back as it was changes nothing.
    const same = await w.dispatcher.collection("invoices").update(inv.id, { ocrStatus: "failed", description: "pusta strona" });
    expect(same).toMatchObject({ ocrStatus: "failed", ocrError: failed.ocrError, ocrAttempts: 1 });
    for (const field of ["ocrError", "ocrAttempts", "ocrLeaseUntil", "ocrReadAt"]) {
      const value = field === "ocrAttempts" ? 0 : field === "ocrError" ? "" : "2026-11-25 10:00:00.000Z";
      const err = await failure(w.manager.collection("invoices").update(inv.id, { [field]: value }));
      expect(err.status, field).toBe(403);
      expect(Object.keys(err.data)).toEqual([field]);
    }
    const noFile = await w.dispatcher.collection("invoices").create({ jobId, description: "bez pliku" });
    expect(noFile.ocrStatus).toBe("");
    expect((await failure(w.dispatcher.collection("invoices").update(noFile.id, { ocrStatus: "waiting" }))).data.ocrStatus.code).toBe("no_file");
    // Admins (the worker, the Admin panel) set them all.
    const byAdmin = await pb.admin.collection("invoices").update(noFile.id, { ocrStatus: "failed", ocrError: "unreadable: set by hand", ocrAttempts: 7 });
    expect(byAdmin).toMatchObject({ ocrStatus: "failed", ocrError: "unreadable: set by hand", ocrAttempts: 7 });
  });

  it("a reading read in the browser comes with the upload: done at once; a malformed one is refused by field", async () => {
    const reading = await browserReading();
    const inv = await invoiceUpload(w.dispatcher, join(KSEF, "fa3-frigo-pol.xml"), "browser.xml", { ocrData: JSON.stringify(reading) });
    expect(inv).toMatchObject({ ocrStatus: "done", ocrAttempts: 0, ocrError: "", ocrData: { reader: "browser", readAt: reading.readAt } });
    expect(inv.ocrReadAt).not.toBe("");

    const bad = await failure(invoiceUpload(w.dispatcher, join(KSEF, "fa3-frigo-pol.xml"), "bad.xml", {
      ocrData: JSON.stringify({ ...reading, fields: { ...reading.fields, number: { ...reading.fields.number, confidence: 7 } } }),
    }));
    expect(bad.status).toBe(400);
    expect(bad.data.ocrData).toMatchObject({ code: "invalid_reading", message: expect.stringMatching(/ocrData: fields\.number confidence must be a number from 0 to 1/i) });

    const wrongKind = await failure(w.dispatcher.collection("equipment_photos").create(upload(file("nameplate.jpg"), { jobId, aiAnalysis: JSON.stringify(await browserReading("invoice")) })));
    expect(wrongKind.data.aiAnalysis).toMatchObject({ code: "invalid_reading", message: expect.stringMatching(/kind must be "nameplate"/) });

    // Sent later, for a file already there (JSON body).
    const later = await invoiceUpload(w.dispatcher, file("blank.png"), "later.png");
    const fresh = { ...reading, readAt: new Date(Date.now() + 1000).toISOString() };
    const updated = await w.dispatcher.collection("invoices").update(later.id, { ocrData: fresh });
    expect(updated).toMatchObject({ ocrStatus: "done", ocrError: "", ocrData: { readAt: fresh.readAt } });
  });

  it("the worker's routes are for admins, and their input is checked by field", async () => {
    expect((await failure(w.dispatcher.send("/api/hvac/ocr/claim", { method: "POST", body: { collection: "invoices" } }))).status).toBe(401);
    const bad = await failure(pb.admin.send("/api/hvac/ocr/claim", { method: "POST", body: { collection: "jobs", limit: 500, leaseSeconds: 0 } }));
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.data).sort()).toEqual(["collection", "leaseSeconds", "limit"]);
    const finish = await failure(pb.admin.send("/api/hvac/ocr/finish", { method: "POST", body: { collection: "invoices", id: "x", outcome: "done", reading: { v: 2 } } }));
    expect(Object.keys(finish.data).sort()).toEqual(["file", "id", "lease", "reading"]);
    const stale = await pb.admin.send("/api/hvac/ocr/finish", { method: "POST", body: { collection: "invoices", id: "abcdefghijklmno", file: "x.png", lease: "2026-01-01 00:00:00.000Z", outcome: "failed", error: "x: y" } });
    expect(stale).toEqual({ applied: false, refused: "gone" });
  });
});
