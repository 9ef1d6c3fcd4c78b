// The pure drain helpers (src/domain/outbox.ts): coalescing outbox rows, the change a record's current
// state makes, failure bookkeeping (attempts, backoff, dead letters), and reading answers.
import { describe, expect, it } from "vitest";
import {
  answerText, changeForEntry, coalesceRows, deadGroup, deliveredKeys, errorBodyMessage, errorText, failureGroups, isSyncTarget,
  pushOutcome, seqList, type OutboxEntry, type OutboxRow,
} from "../../src/domain/outbox";
import { backoffCeilingMs, type RetryPolicy } from "../../src/domain/sync";

const T1 = "2026-11-24 10:00:00.000Z";
const T2 = "2026-11-24 10:05:00.000Z";
let seq = 0;
const row = (collection: string, rid: string, op = "upsert", over: Partial<OutboxRow> = {}): OutboxRow => ({
  seq: ++seq, collection, rid, op, updated: T1, attempts: 0, ...over,
});

const entry = (over: Partial<OutboxEntry> = {}): OutboxEntry => ({
  collection: "jobs", rid: "j1", op: "upsert", updated: T1, seqs: [1], maxSeq: 1, attempts: 0, ...over,
});

const POLICY: RetryPolicy = { baseDelayMs: 10_000, maxDelayMs: 3_600_000, maxAttempts: 3 };

describe("coalesceRows", () => {
  it("one entry per record, at the place of its latest row, with the latest op and clock", () => {
    seq = 0;
    const rows = [
      row("jobs", "a"), // 1
      row("contacts", "c"), // 2
      row("jobs", "a", "upsert", { updated: T2 }), // 3
      row("jobs", "b"), // 4
      row("jobs", "a", "delete", { updated: "2026-11-24 10:09:00.000Z" }), // 5
      row("contacts", "a"), // 6: same id, another collection: another record
    ];
    const { entries, invalid } = coalesceRows(rows);
    expect(invalid).toEqual([]);
    expect(entries.map((e) => [e.collection, e.rid, e.op, e.seqs, e.maxSeq])).toEqual([
      ["contacts", "c", "upsert", [2], 2],
      ["jobs", "b", "upsert", [4], 4],
      ["jobs", "a", "delete", [1, 3, 5], 5],
      ["contacts", "a", "upsert", [6], 6],
    ]);
    expect(entries[2].updated).toBe("2026-11-24 10:09:00.000Z");
  });

  it("an upsert after a delete wins (the record was created again)", () => {
    seq = 0;
    const { entries } = coalesceRows([row("jobs", "a", "delete"), row("jobs", "a", "upsert", { updated: T2 })]);
    expect(entries).toEqual([{ collection: "jobs", rid: "a", op: "upsert", updated: T2, seqs: [1, 2], maxSeq: 2, attempts: 0 }]);
  });

  it("counts the most failures of any of the record's rows", () => {
    seq = 0;
    const { entries } = coalesceRows([row("jobs", "a", "upsert", { attempts: 3 }), row("jobs", "a", "upsert", { attempts: 0 }), row("jobs", "b", "upsert", { attempts: 1 })]);
    expect(entries.map((e) => e.attempts)).toEqual([3, 1]);
  });

  it("rows of collections that do not sync, unknown ops and empty ids are set aside", () => {
    seq = 0;
    const bad = [row("users", "u"), row("jobs", "a", "merge"), row("jobs", "")];
    const { entries, invalid } = coalesceRows([...bad, row("equipment", "e")]);
    expect(invalid).toEqual(bad);
    expect(entries.map((e) => e.collection)).toEqual(["equipment"]);
  });

  it("no rows, no entries", () => {
    expect(coalesceRows([])).toEqual({ entries: [], invalid: [] });
  });
});

describe("changeForEntry: the record's current state wins", () => {
  const current = {
    id: "j1", collectionId: "hvacjobs0000000", collectionName: "jobs", created: T1, updated: T2,
    title: "Przegląd", writeLock: "2026-11-24 10:00:00.000Z#abc", coordinates: { lat: 52.2, lng: 21 },
  };

  it("an existing record is an upsert of its synced fields at its own `updated`", () => {
    expect(changeForEntry(entry({ op: "delete" }), current, Date.UTC(2030, 0, 1))).toEqual({
      collection: "jobs", id: "j1", op: "upsert", updated: T2, record: { created: T1, title: "Przegląd", coordinates: { lat: 52.2, lng: 21 } },
    });
  });

  it("normalizes an ISO `updated`", () => {
    expect(changeForEntry(entry(), { ...current, updated: "2026-11-24T11:05:00+01:00" }, 0).updated).toBe(T2);
  });

  it("a gone record is a delete at the delete row's clock", () => {
    expect(changeForEntry(entry({ op: "delete", updated: T2 }), null, Date.UTC(2030, 0, 1))).toEqual({
      collection: "jobs", id: "j1", op: "delete", updated: T2, record: null,
    });
  });

  it("a record deleted after its upsert row was taken is a delete at `now`", () => {
    const now = Date.UTC(2026, 10, 24, 12, 0, 0, 5);
    expect(changeForEntry(entry({ op: "upsert" }), null, now)).toMatchObject({ op: "delete", updated: "2026-11-24 12:00:00.005Z", record: null });
  });

  it("an unreadable clock falls back to `now` instead of failing the drain", () => {
    const now = Date.UTC(2026, 10, 24, 12, 0, 0);
    expect(changeForEntry(entry(), { ...current, updated: "" }, now).updated).toBe("2026-11-24 12:00:00.000Z");
    expect(changeForEntry(entry({ op: "delete", updated: "yesterday" }), null, now).updated).toBe("2026-11-24 12:00:00.000Z");
  });
});

describe("row lists for SQL", () => {
  it("deliveredKeys: each record with the seq its rows are deleted up to", () => {
    expect(JSON.parse(deliveredKeys([entry({ seqs: [1, 5], maxSeq: 5 }), entry({ collection: "contacts", rid: "c'1", maxSeq: 7 })]))).toEqual([
      ["jobs", "j1", 5], ["contacts", "c'1", 7],
    ]);
  });

  it("seqList: every row of every entry", () => {
    expect(seqList([entry({ seqs: [1, 5] }), entry({ seqs: [9] })])).toBe("[1,5,9]");
    expect(seqList([])).toBe("[]");
  });
});

describe("failureGroups", () => {
  it("one more attempt each, with backoff from the attempt count; the same retry time for the whole request", () => {
    const now = 1_000_000;
    const groups = failureGroups([entry({ rid: "a" }), entry({ rid: "b" }), entry({ rid: "c", attempts: 1 })], "HTTP 503", now, () => 0.5, POLICY);
    expect(groups.map((g) => [g.attempts, g.dead, g.entries.map((e) => e.rid), g.lastError])).toEqual([
      [1, false, ["a", "b"], "HTTP 503"], [2, false, ["c"], "HTTP 503"],
    ]);
    expect(groups[0].nextAttemptAt).toBe(now + 0.5 * backoffCeilingMs(1, POLICY));
    expect(groups[1].nextAttemptAt).toBe(now + 0.5 * backoffCeilingMs(2, POLICY));
  });

  it("draws one random number per request", () => {
    let draws = 0;
    failureGroups([entry(), entry({ attempts: 1 }), entry({ attempts: 2 })], "x", 0, () => (draws++, 0.3), POLICY);
    expect(draws).toBe(1);
  });

  it("parks an entry as dead at maxAttempts; the others keep retrying", () => {
    const groups = failureGroups([entry({ rid: "old", attempts: 2 }), entry({ rid: "new" })], "HTTP 500", 0, () => 0.9, POLICY);
    expect(groups.map((g) => [g.entries[0].rid, g.attempts, g.dead, g.nextAttemptAt > 0])).toEqual([["old", 3, true, false], ["new", 1, false, true]]);
  });

  it("keeps lastError short", () => {
    expect(failureGroups([entry()], "x".repeat(5000), 0, () => 0, POLICY)[0].lastError).toHaveLength(1000);
  });

  it("deadGroup parks at once with the reason", () => {
    expect(deadGroup([entry({ attempts: 4 }), entry({ attempts: 1 })], "too large")).toMatchObject({ attempts: 5, dead: true, nextAttemptAt: 0, lastError: "too large" });
  });
});

describe("pushOutcome", () => {
  it("every answered change is delivered; conflicts are also noted", () => {
    const out = pushOutcome(["a", "b", "c"], [{ id: "a", status: "applied" }, { id: "b", status: "conflict" }, { id: "c", status: "skipped" }]);
    expect(out).toEqual({ delivered: ["a", "b", "c"], conflicts: ["b"], applied: 1, skipped: 1 });
  });

  it("refuses a results list of another length", () => {
    expect(() => pushOutcome(["a"], [])).toThrow(RangeError);
  });
});

describe("answers and errors as text", () => {
  it.each([
    ['{"code":"bad_request","message":"changes[0].updated: expected a date-time","field":"changes[0].updated"}', "changes[0].updated: expected a date-time"],
    ['{"error":[{"message":"class HvacJob not found"},{"message":"second"}]}', "class HvacJob not found; second"],
    ['{"error":[{"nomessage":1}]}', ""],
    ["Internal Server Error", ""],
    ["[1,2]", ""],
    ["null", ""],
  ])("errorBodyMessage(%s)", (raw, message) => {
    expect(errorBodyMessage(raw)).toBe(message);
  });

  it("answerText: status and the start of the body", () => {
    expect(answerText(503, "  Service\n Unavailable ")).toBe("HTTP 503: Service Unavailable");
    expect(answerText(401, "{...}", "wrong secret")).toBe("HTTP 401: wrong secret");
    expect(answerText(500, "")).toBe("HTTP 500");
    expect(answerText(500, "x".repeat(1000))).toHaveLength("HTTP 500: ".length + 300);
  });

  it("errorText: one line from an error or anything else", () => {
    expect(errorText(new Error('Post "http://x/push":\n  dial tcp: connection refused'))).toBe('Post "http://x/push": dial tcp: connection refused');
    expect(errorText("plain")).toBe("plain");
    expect(errorText({ message: 42 })).toBe("42");
  });

  it("isSyncTarget", () => {
    expect(["convex", "weaviate", "Convex", "", null].map(isSyncTarget)).toEqual([true, true, false, false, false]);
  });
});
