// The OCR queue's pure parts (src/domain/ocr-queue.ts): the routes' input checks, what a worker's
// answer writes, when an answer is dropped, the retry decision, fitting a reading into its field;
// and the worker's sorting of failures into permanent and passing (src/ocr/worker.ts).
import { ClientResponseError } from "pocketbase";
import { describe, expect, it } from "vitest";
import type { DocumentField } from "../../src/domain/document";
import {
  decideFailure, failureText, finishRefusal, finishWrites, fitReading, interruptedText, parseClaimRequest, parseFinishRequest,
  readingColumns, retryDelayMs, type FinishRequest, type RecordOcrState,
} from "../../src/domain/ocr-queue";
import { completeNip } from "../../src/domain/nip";
import { storedReading, type StoredReading } from "../../src/domain/ocr-record";
import { utf8Length } from "../../src/domain/utf8";
import { DocumentError } from "../../src/ocr/errors";
import { classifyFailure } from "../../src/ocr/worker";

const NIP = completeNip("526104082")!;
const NOW = Date.parse("2026-11-25T10:00:00.000Z");

function field(value: string | number | boolean): DocumentField {
  return { value, confidence: 0.9, parserConfidence: 0.9, ocrConfidence: 0.95, source: { kind: "ocr", line: 1 } };
}

function reading(fields: Record<string, DocumentField | null>, kind: "invoice" | "nameplate" = "invoice", text = "Faktura"): StoredReading {
  return storedReading({ kind, source: "image-ocr", totalPages: 1, fields, review: [], ocrConfidence: 0.9, text }, "worker", "2026-11-25T10:00:00.000Z");
}

const INVOICE = reading({
  number: field("FV/1/2026"), issueDate: field("2026-11-24"), dueDate: field("2026-12-08"), sellerName: field("Klimat-Serwis Sp. z o.o."),
  sellerNip: field(NIP), currency: field("PLN"), totalAmount: field(123000), "rates.23.net": field(100000), "rates.23.vat": field(23000),
  "rates.23.gross": field(123000), splitPayment: field(false),
});

const LEASE = "2026-11-25 10:02:00.000Z";

function state(over: Partial<RecordOcrState> = {}, invoice?: RecordOcrState["invoice"]): RecordOcrState {
  return { file: "fv_abc.png", ocrStatus: "reading", ocrLeaseUntil: LEASE, ocrAttempts: 1, ...(invoice ? { invoice } : {}), ...over };
}

function finish(over: Partial<FinishRequest>): FinishRequest {
  return { collection: "invoices", id: "abcdefghijklmno", file: "fv_abc.png", lease: LEASE, outcome: "done", ...over };
}

describe("parseClaimRequest", () => {
  it("takes defaults and whole numbers (also as text)", () => {
    expect(parseClaimRequest({ collection: "invoices" }).value).toEqual({ collection: "invoices", limit: 1, leaseSeconds: 120, maxAttempts: 3 });
    expect(parseClaimRequest({ collection: "equipment_photos", limit: "5", leaseSeconds: 30, maxAttempts: 10 }).value)
      .toEqual({ collection: "equipment_photos", limit: 5, leaseSeconds: 30, maxAttempts: 10 });
  });

  it("names every wrong field", () => {
    const { value, errors } = parseClaimRequest({ collection: "jobs", limit: 0, leaseSeconds: 1.5, maxAttempts: "many" });
    expect(value).toBeNull();
    expect(errors.map((e) => [e.field, e.code])).toEqual([
      ["collection", "invalid_collection"], ["limit", "invalid_number"], ["leaseSeconds", "invalid_number"], ["maxAttempts", "invalid_number"],
    ]);
  });
});

describe("parseFinishRequest", () => {
  const base = { collection: "invoices", id: "abcdefghijklmno", file: "fv_abc.png", lease: LEASE };

  it("done needs a reading of the collection's kind, as an object or JSON text", () => {
    expect(parseFinishRequest({ ...base, outcome: "done", reading: INVOICE }).value?.reading).toEqual(INVOICE);
    expect(parseFinishRequest({ ...base, outcome: "done", reading: JSON.stringify(INVOICE) }).value?.reading).toEqual(INVOICE);
    const photo = parseFinishRequest({ ...base, collection: "equipment_photos", outcome: "done", reading: INVOICE });
    expect(photo.errors).toMatchObject([{ field: "reading", code: "invalid_reading", message: 'reading: kind must be "nameplate" here' }]);
    expect(parseFinishRequest({ ...base, outcome: "done" }).errors[0]).toMatchObject({ field: "reading" });
  });

  it("refuses a reading bigger than its json field", () => {
    const big = { ...reading({}, "nameplate"), text: "€".repeat(39000) }; // 3 bytes each: 117 kB
    const { errors } = parseFinishRequest({ ...base, collection: "equipment_photos", outcome: "done", reading: big });
    expect(errors).toMatchObject([{ field: "reading", code: "reading_too_large" }]);
  });

  it("retry needs an error and a time; failed an error; renew a lease length", () => {
    expect(parseFinishRequest({ ...base, outcome: "retry", error: "timeout: slow", retryAt: "2026-11-25T10:01:00Z" }).value)
      .toMatchObject({ outcome: "retry", error: "timeout: slow", retryAt: Date.parse("2026-11-25T10:01:00Z") });
    expect(parseFinishRequest({ ...base, outcome: "retry", error: "" }).errors.map((e) => e.field)).toEqual(["error", "retryAt"]);
    expect(parseFinishRequest({ ...base, outcome: "failed" }).errors.map((e) => e.field)).toEqual(["error"]);
    expect(parseFinishRequest({ ...base, outcome: "renew", leaseSeconds: 60 }).value?.leaseSeconds).toBe(60);
    expect(parseFinishRequest({ ...base, outcome: "release" }).value?.outcome).toBe("release");
  });

  it("names the record fields and the outcome", () => {
    expect(parseFinishRequest({ collection: "x", id: "ABC", outcome: "maybe" }).errors.map((e) => e.field))
      .toEqual(["collection", "id", "file", "lease", "outcome"]);
  });
});

describe("finishRefusal: an answer applies only to the file and lease it was claimed with", () => {
  it.each<[string, RecordOcrState | null, string | null]>([
    ["still held", state(), null],
    ["the lease in another format", state({ ocrLeaseUntil: "2026-11-25T10:02:00Z" }), null],
    ["deleted", null, "gone"],
    ["file replaced (now waiting)", state({ file: "new_xyz.png", ocrStatus: "waiting", ocrLeaseUntil: "" }), "file_changed"],
    ["a retry was asked", state({ ocrStatus: "waiting", ocrLeaseUntil: "" }), "lease_lost"],
    ["taken over by another worker", state({ ocrLeaseUntil: "2026-11-25 10:05:00.000Z" }), "lease_lost"],
    ["read by the browser meanwhile", state({ ocrStatus: "done", ocrLeaseUntil: "" }), "lease_lost"],
  ])("%s", (_name, current, refused) => {
    expect(finishRefusal({ file: "fv_abc.png", lease: LEASE }, current)).toBe(refused);
  });
});

describe("finishWrites", () => {
  const empty = { invoiceNumber: "", issueDate: "", dueDate: "", sellerName: "", sellerNip: "", currency: "", netAmount: 0, vatAmount: 0, grossAmount: 0, totalAmount: 0, vatBreakdown: null, splitPayment: false };

  it("done: the reading, done, the time; the empty columns of a pending invoice", () => {
    const writes = finishWrites(finish({ reading: INVOICE }), state({}, { status: "pending", columns: empty }), NOW);
    expect(writes).toEqual({
      ocrStatus: "done", ocrData: INVOICE, ocrReadAt: "2026-11-25 10:00:00.000Z", ocrError: "", ocrLeaseUntil: "",
      invoiceNumber: "FV/1/2026", issueDate: "2026-11-24", dueDate: "2026-12-08", sellerName: "Klimat-Serwis Sp. z o.o.", sellerNip: NIP,
      currency: "PLN", totalAmount: 1230, vatBreakdown: [{ rate: "23", net: 1000, vat: 230, gross: 1230 }],
      // Not printed apart on this invoice: the totals of its one rate.
      netAmount: 1000, vatAmount: 230, grossAmount: 1230,
    });
  });

  it("never overwrites what a person filled, and writing it twice changes nothing more", () => {
    const person = { ...empty, sellerName: "Klimat Serwis (poprawione)", totalAmount: 1200 };
    const writes = finishWrites(finish({ reading: INVOICE }), state({}, { status: "pending", columns: person }), NOW);
    expect(writes.sellerName).toBeUndefined();
    expect(writes.totalAmount).toBeUndefined();
    const after = { ...person, ...Object.fromEntries(Object.entries(writes).filter(([k]) => k in empty)) };
    const again = finishWrites(finish({ reading: INVOICE }), state({}, { status: "pending", columns: after }), NOW);
    expect(Object.keys(again).sort()).toEqual(["ocrData", "ocrError", "ocrLeaseUntil", "ocrReadAt", "ocrStatus"]);
  });

  it.each(["processed", "paid"])("a %s invoice keeps its columns", (status) => {
    const writes = finishWrites(finish({ reading: INVOICE }), state({}, { status, columns: empty }), NOW);
    expect(Object.keys(writes).sort()).toEqual(["ocrData", "ocrError", "ocrLeaseUntil", "ocrReadAt", "ocrStatus"]);
  });

  it("a photo gets aiAnalysis", () => {
    const plate = reading({ refrigerant: field("R32") }, "nameplate");
    expect(finishWrites(finish({ collection: "equipment_photos", reading: plate }), state(), NOW)).toMatchObject({ aiAnalysis: plate, ocrStatus: "done" });
  });

  it("retry, failed, release and renew", () => {
    expect(finishWrites(finish({ outcome: "retry", error: "timeout: slow", retryAt: NOW + 60_000 }), state(), NOW))
      .toEqual({ ocrStatus: "waiting", ocrError: "timeout: slow", ocrLeaseUntil: "2026-11-25 10:01:00.000Z" });
    expect(finishWrites(finish({ outcome: "failed", error: "no_text: blank" }), state(), NOW)).toEqual({ ocrStatus: "failed", ocrError: "no_text: blank", ocrLeaseUntil: "" });
    expect(finishWrites(finish({ outcome: "release" }), state({ ocrAttempts: 2 }), NOW)).toEqual({ ocrStatus: "waiting", ocrLeaseUntil: "", ocrAttempts: 1 });
    expect(finishWrites(finish({ outcome: "renew", leaseSeconds: 30 }), state(), NOW)).toEqual({ ocrLeaseUntil: "2026-11-25 10:00:30.000Z" });
  });
});

describe("readingColumns", () => {
  it("leaves out values that fail the invoice checks", () => {
    const early = reading({ issueDate: field("2026-11-24"), dueDate: field("2026-11-01"), sellerNip: field(NIP.slice(0, 9) + "0") });
    expect(readingColumns(early, {})).toEqual({ issueDate: "2026-11-24" });
  });

  it("a read issue date after the due date a person entered gives way", () => {
    const r = reading({ issueDate: field("2026-11-24"), number: field("FV/9") });
    expect(readingColumns(r, { dueDate: "2026-11-10 00:00:00.000Z" })).toEqual({ invoiceNumber: "FV/9" });
  });
});

describe("retries", () => {
  const policy = { maxAttempts: 3, retryBaseMs: 60_000, retryMaxMs: 3600_000 };

  it("waits longer after each attempt, up to the cap", () => {
    expect([1, 2, 3, 4, 10, 100].map((n) => retryDelayMs(n, policy))).toEqual([60_000, 120_000, 240_000, 480_000, 3600_000, 3600_000]);
  });

  it("a permanent failure fails at once, whatever the attempts left", () => {
    expect(decideFailure({ permanent: true, reason: "no_text: blank" }, 1, policy, NOW)).toEqual({ outcome: "failed", error: "no_text: blank" });
  });

  it("a passing one is tried again until the last attempt, then fails with the last reason", () => {
    expect(decideFailure({ permanent: false, reason: "timeout: slow" }, 1, policy, NOW)).toEqual({ outcome: "retry", error: "timeout: slow", retryAt: NOW + 60_000 });
    expect(decideFailure({ permanent: false, reason: "timeout: slow" }, 2, policy, NOW)).toEqual({ outcome: "retry", error: "timeout: slow", retryAt: NOW + 120_000 });
    expect(decideFailure({ permanent: false, reason: "timeout: slow" }, 3, policy, NOW)).toEqual({ outcome: "failed", error: "timeout: slow (gave up after 3 attempts)" });
    expect(decideFailure({ permanent: false, reason: "x: y" }, 1, { ...policy, maxAttempts: 1 }, NOW)).toEqual({ outcome: "failed", error: "x: y (gave up after 1 attempt)" });
  });

  it("the recorded reason is one line, starts with its code and fits ocrError", () => {
    expect(failureText("no_text", "No text\nfound  here ")).toBe("no_text: No text found here");
    const long = decideFailure({ permanent: false, reason: failureText("worker_error", "x".repeat(5000)) }, 3, policy, NOW);
    expect(long.error.length).toBeLessThanOrEqual(2000);
    expect(long.error).toMatch(/^worker_error: x+… \(gave up after 3 attempts\)$/);
    expect(interruptedText(3)).toBe("interrupted: the reader stopped without an answer 3 times (crashed, killed or out of memory)");
  });
});

describe("classifyFailure", () => {
  it.each<[string, unknown, boolean, RegExp]>([
    ["not a document", new DocumentError("not_a_document", "Not a document this reader knows"), true, /^not_a_document: Not a document/],
    ["no text", new DocumentError("no_text", "No text found in the PNG image"), true, /^no_text: /],
    ["too large", new DocumentError("too_large", "The file is 50 MB; the limit is 40 MB"), true, /^too_large: /],
    ["unreadable", new DocumentError("unreadable", "The file cannot be read"), true, /^unreadable: /],
    ["an engine crash", new DocumentError("ocr_failed", "OCR failed: memory access out of bounds"), false, /^ocr_failed: /],
    ["a page timeout", new DocumentError("timeout", "OCR of a page took longer than 60 s"), false, /^timeout: /],
    ["a missing tool", new DocumentError("missing_tool", "pdftotext is not installed"), false, /^missing_tool: /],
    ["PocketBase down", new ClientResponseError({ status: 0, url: "http://x" }), false, /^pocketbase: PocketBase unreachable/],
    ["PocketBase failing", new ClientResponseError({ status: 502, url: "http://x", response: { message: "Bad gateway" } }), false, /^pocketbase: PocketBase answered 502/],
    ["anything else", new RangeError("out of memory"), false, /^worker_error: out of memory$/],
  ])("%s", (_name, err, permanent, reason) => {
    const f = classifyFailure(err);
    expect(f.permanent).toBe(permanent);
    expect(f.reason).toMatch(reason);
  });
});

describe("fitReading", () => {
  it("keeps a reading that fits, and cuts the text (never the fields) of one that does not", () => {
    const r = reading({ refrigerant: field("R32") }, "nameplate", "ą".repeat(39000));
    expect(fitReading(r, 200_000)).toBe(r);
    const cut = fitReading(r, 20_000);
    expect(utf8Length(JSON.stringify(cut))).toBeLessThanOrEqual(20_000);
    expect(cut).toMatchObject({ fields: r.fields, textTruncated: true });
    expect(cut.text.length).toBeGreaterThan(5000);
    expect(r.text.startsWith(cut.text)).toBe(true);
  });
});
