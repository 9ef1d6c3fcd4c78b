import { describe, expect, it } from "vitest";
import {
  dismissToast, emptyQueue, expireToasts, holdToast, MAX_TOASTS, nextExpiry, pushToast, releaseToast, RESUME_MIN_MS,
  splitFieldErrors, TOAST_TIMEOUT_MS, type ToastInput, type ToastQueue,
} from "../../src/domain/toasts";

const T0 = 1_800_000_000_000;

/** Pushes in order, each a second after the previous one, from T0. */
function pushAll(inputs: ToastInput[], start: ToastQueue = emptyQueue()): ToastQueue {
  return inputs.reduce((q, input, i) => pushToast(q, input, T0 + i * 1_000).queue, start);
}

const messages = (q: ToastQueue) => q.toasts.map((t) => t.message);

describe("pushToast", () => {
  it("puts the newest first, with the kind's lifetime", () => {
    const q = pushAll([{ message: "a", kind: "error" }, { message: "b", kind: "success" }, { message: "c" }]);
    expect(messages(q)).toEqual(["c", "b", "a"]);
    expect(q.toasts.map((t) => [t.kind, t.timeoutMs, t.expiresAt])).toEqual([
      ["info", TOAST_TIMEOUT_MS.info, T0 + 2_000 + 5_000],
      ["success", TOAST_TIMEOUT_MS.success, T0 + 1_000 + 5_000],
      ["error", TOAST_TIMEOUT_MS.error, T0 + 10_000],
    ]);
    expect(TOAST_TIMEOUT_MS).toEqual({ error: 10_000, info: 5_000, success: 5_000 });
    expect(new Set(q.toasts.map((t) => t.id)).size).toBe(3);
  });

  it("merges the same message twice in a row into one toast with a counter, its time started over", () => {
    let q = pushToast(emptyQueue(), { message: "Błąd serwera.", kind: "error" }, T0).queue;
    const first = q.toasts[0].id;
    const again = pushToast(q, { message: "Błąd serwera.", kind: "error" }, T0 + 4_000);
    q = again.queue;
    expect(again.id).toBe(first);
    expect(q.toasts).toHaveLength(1);
    expect(q.toasts[0]).toMatchObject({ id: first, count: 2, expiresAt: T0 + 4_000 + 10_000 });
    q = pushToast(q, { message: "  Błąd serwera. ", kind: "error" }, T0 + 5_000).queue;
    expect(q.toasts[0].count).toBe(3);
  });

  it("stacks the same message when something else came in between, or when the kind differs", () => {
    expect(messages(pushAll([{ message: "a" }, { message: "b" }, { message: "a" }]))).toEqual(["a", "b", "a"]);
    const q = pushAll([{ message: "Zapisano", kind: "success" }, { message: "Zapisano", kind: "error" }]);
    expect(q.toasts.map((t) => [t.kind, t.count])).toEqual([["error", 1], ["success", 1]]);
  });

  it("does not merge into a toast that is already gone", () => {
    let q = pushToast(emptyQueue(), { message: "a", kind: "error" }, T0).queue;
    q = expireToasts(q, T0 + 10_000);
    q = pushToast(q, { message: "a", kind: "error" }, T0 + 10_001).queue;
    expect(q.toasts.map((t) => t.count)).toEqual([1]);
    const d = pushToast(emptyQueue(), { message: "b" }, T0);
    q = dismissToast(d.queue, d.id!);
    expect(pushToast(q, { message: "b" }, T0 + 1).queue.toasts[0].count).toBe(1);
  });

  it(`keeps at most ${MAX_TOASTS}: the oldest goes`, () => {
    const q = pushAll(["1", "2", "3", "4", "5", "6"].map((message) => ({ message })));
    expect(messages(q)).toEqual(["6", "5", "4", "3"]);
    expect(MAX_TOASTS).toBe(4);
  });

  it("does not push out the toast the user is holding; the next oldest goes instead", () => {
    let q = pushAll(["1", "2", "3", "4"].map((message) => ({ message })));
    const oldest = q.toasts[3];
    q = holdToast(q, oldest.id, T0 + 5_000);
    q = pushToast(q, { message: "5" }, T0 + 6_000).queue;
    expect(messages(q)).toEqual(["5", "4", "3", "1"]);
  });

  it("ignores an empty message", () => {
    const q = emptyQueue();
    expect(pushToast(q, { message: "  " }, T0)).toEqual({ queue: q, id: null });
  });

  it("takes its own lifetime; 0 keeps it until dismissed; a nonsense one falls back to the kind's", () => {
    const q = pushAll([{ message: "a", timeoutMs: 1_500 }, { message: "b", kind: "error", timeoutMs: 0 }, { message: "c", timeoutMs: -5 }]);
    expect(q.toasts.map((t) => [t.message, t.expiresAt])).toEqual([
      ["c", T0 + 2_000 + TOAST_TIMEOUT_MS.info],
      ["b", null],
      ["a", T0 + 1_500],
    ]);
    expect(expireToasts(q, T0 + 1_000_000).toasts.map((t) => t.message)).toEqual(["b"]);
  });
});

describe("expiry", () => {
  it("drops exactly the toasts whose time is up; nextExpiry is the earliest deadline", () => {
    const q = pushAll([{ message: "err", kind: "error" }, { message: "ok", kind: "success" }]);
    expect(nextExpiry(q)).toBe(T0 + 1_000 + 5_000);
    expect(messages(expireToasts(q, T0 + 5_999))).toEqual(["ok", "err"]);
    const later = expireToasts(q, T0 + 6_000);
    expect(messages(later)).toEqual(["err"]);
    expect(nextExpiry(later)).toBe(T0 + 10_000);
    expect(messages(expireToasts(later, T0 + 10_000))).toEqual([]);
    expect(nextExpiry(emptyQueue())).toBeNull();
  });

  it("returns the same queue when nothing changes (no needless re-render)", () => {
    const q = pushAll([{ message: "a" }]);
    expect(expireToasts(q, T0)).toBe(q);
    expect(dismissToast(q, 999)).toBe(q);
    expect(releaseToast(q, q.toasts[0].id, T0)).toBe(q);
  });
});

describe("holding", () => {
  it("stops the clock while held and resumes with the time that was left", () => {
    let q = pushToast(emptyQueue(), { message: "err", kind: "error" }, T0).queue;
    const id = q.toasts[0].id;
    q = holdToast(q, id, T0 + 4_000);
    expect(q.toasts[0]).toMatchObject({ held: true, expiresAt: null, remainingMs: 6_000 });
    expect(nextExpiry(q)).toBeNull();
    expect(expireToasts(q, T0 + 60_000)).toBe(q);
    expect(holdToast(q, id, T0 + 50_000)).toBe(q); // held twice: the time left is not lost
    q = releaseToast(q, id, T0 + 60_000);
    expect(q.toasts[0]).toMatchObject({ held: false, expiresAt: T0 + 66_000 });
  });

  it(`gives a toast let go of at least ${RESUME_MIN_MS} ms more`, () => {
    let q = pushToast(emptyQueue(), { message: "ok", kind: "success" }, T0).queue;
    const id = q.toasts[0].id;
    q = releaseToast(holdToast(q, id, T0 + 4_900), id, T0 + 8_000);
    expect(q.toasts[0].expiresAt).toBe(T0 + 8_000 + RESUME_MIN_MS);
  });

  it("keeps a toast meant to stay until dismissed when let go of", () => {
    let q = pushToast(emptyQueue(), { message: "x", timeoutMs: 0 }, T0).queue;
    const id = q.toasts[0].id;
    q = releaseToast(holdToast(q, id, T0 + 1), id, T0 + 2);
    expect(q.toasts[0].expiresAt).toBeNull();
  });

  it("counts a repeat into a held toast without starting its clock; the full time on release", () => {
    let q = pushToast(emptyQueue(), { message: "err", kind: "error" }, T0).queue;
    const id = q.toasts[0].id;
    q = holdToast(q, id, T0 + 9_000);
    q = pushToast(q, { message: "err", kind: "error" }, T0 + 20_000).queue;
    expect(q.toasts[0]).toMatchObject({ count: 2, held: true, expiresAt: null, remainingMs: 10_000 });
    expect(releaseToast(q, id, T0 + 30_000).toasts[0].expiresAt).toBe(T0 + 40_000);
  });

  it("dismisses by id", () => {
    const q = pushAll([{ message: "a" }, { message: "b" }]);
    expect(messages(dismissToast(q, q.toasts[1].id))).toEqual(["b"]);
  });
});

describe("splitFieldErrors", () => {
  it("keeps the fields a form shows and returns the others apart; empty texts are dropped", () => {
    expect(splitFieldErrors({ title: "Wymagane", contactId: "Nie znaleziono", status: "" }, ["title", "notes"])).toEqual({
      shown: { title: "Wymagane" },
      other: { contactId: "Nie znaleziono" },
    });
    expect(splitFieldErrors({}, ["title"])).toEqual({ shown: {}, other: {} });
  });
});
