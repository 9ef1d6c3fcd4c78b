// The pure sync rules (src/domain/sync.ts): wire parsing, last-writer-wins, no echo, outbox delivery.
import { describe, expect, it } from "vitest";
import {
  afterFailure, backoffCeilingMs, bearerMatches, canonicalJson, changeBytes, compareCodeUnits, compareVersions, CONVEX_MAX_DOC_BYTES,
  convexValueProblem, DEFAULT_RETRY_POLICY, failureKind, latestPerRecord, localVersion, newPbId, nextAttemptAt,
  normalizeUpdated, parseChange, parseCursor, parsePullQuery, parsePullResponse, parsePushRequest, parsePushResponse,
  planBatches, resolveIncoming, shouldSendTo, SYNC_COLLECTIONS, SyncFormatError, syncRecord, versionOf,
  type BatchLimits, type RetryPolicy, type SyncChange, type SyncVersion,
} from "../../src/domain/sync";
import { parseTimestamp, toPbDate } from "../../src/domain/time";
import { createRng } from "../../src/demo/generate";

/** Deterministic numbers in [0, 1) (the demo data's mulberry32), so a failure can be replayed from the seed. */
const rng = (seed: number): (() => number) => createRng(seed).next;

const T = "2026-11-24 10:00:00.000Z";
const up = (over: Partial<SyncChange> = {}): SyncChange => ({
  collection: "jobs", id: "job000000000001", op: "upsert", updated: T, record: { title: "Kocioł", status: "pending" }, ...over,
});

/** The error a parser throws, as "path: detail". */
function formatError(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(SyncFormatError);
    return (e as Error).message;
  }
  throw new Error("expected a SyncFormatError");
}

// ---------------------------------------------------------------- parsing

describe("parseChange", () => {
  it.each([
    ["PocketBase's format", { updated: "2026-11-24 10:00:00.000Z" }, "2026-11-24 10:00:00.000Z"],
    ["ISO with T", { updated: "2026-11-24T10:00:00.123Z" }, "2026-11-24 10:00:00.123Z"],
    ["an offset", { updated: "2026-11-24T11:00:00+01:00" }, "2026-11-24 10:00:00.000Z"],
    ["microseconds (cut to ms)", { updated: "2026-11-24 10:00:00.123456Z" }, "2026-11-24 10:00:00.123Z"],
  ])("normalises `updated` given %s", (_, over, expected) => {
    expect(parseChange(up(over as Partial<SyncChange>), "c").updated).toBe(expected);
  });

  it("keeps a valid upsert as it is, and a delete with a null record", () => {
    expect(parseChange(up(), "c")).toEqual(up());
    expect(parseChange({ ...up(), op: "delete", record: null }, "c")).toEqual({ ...up(), op: "delete", record: null });
    // A delete may omit the record or carry the last fields: dropped either way.
    const { record: _r, ...noRecord } = up({ op: "delete" });
    expect(parseChange(noRecord, "c").record).toBeNull();
    expect(parseChange(up({ op: "delete" }), "c").record).toBeNull();
  });

  it("keeps a valid origin and ignores unknown fields (a newer deployment may add some)", () => {
    expect(parseChange({ ...up(), origin: "convex" }, "c").origin).toBe("convex");
    expect(parseChange({ ...up(), future: 1 }, "c")).toEqual(up());
  });

  it.each([
    ["not an object", "x", 'changes[3]: expected an object, got "x"'],
    ["an array", [], "changes[3]: expected an object, got an array"],
    ["unknown collection", { collection: "users" }, 'changes[3].collection: expected one of contacts, jobs, invoices, equipment_photos, equipment, got "users"'],
    ["missing collection", { collection: undefined }, "changes[3].collection: expected one of contacts, jobs, invoices, equipment_photos, equipment, got undefined undefined"],
    ["empty id", { id: "" }, 'changes[3].id: expected a record id (1-64 letters, digits, "_" or "-"), got ""'],
    ["id with a slash", { id: "a/b" }, 'changes[3].id: expected a record id (1-64 letters, digits, "_" or "-"), got "a/b"'],
    ["numeric id", { id: 12 }, 'changes[3].id: expected a record id (1-64 letters, digits, "_" or "-"), got number 12'],
    ["bad op", { op: "insert" }, 'changes[3].op: expected "upsert" or "delete", got "insert"'],
    ["updated missing", { updated: undefined }, "changes[3].updated: expected a date-time text"],
    ["updated a number", { updated: 1764000000000 }, "changes[3].updated: expected a date-time text"],
    ["updated without zone", { updated: "2026-11-24 10:00:00" }, "changes[3].updated: expected a date-time with a time zone"],
    ["updated a date only", { updated: "2026-11-24" }, "changes[3].updated: expected a date-time with a time zone"],
    ["updated impossible", { updated: "2026-02-30 10:00:00.000Z" }, "changes[3].updated: expected a date-time with a time zone"],
    ["upsert without record", { record: null }, "changes[3].record: expected the record's fields as an object, got null"],
    ["upsert with an array", { record: [1] }, "changes[3].record: expected the record's fields as an object, got an array"],
    ["delete with a string record", { op: "delete", record: "x" }, 'changes[3].record: expected null for a delete, got "x"'],
    ["record with a $ field", { record: { $x: 1 } }, 'changes[3].record["$x"]: field names starting with "$" are reserved in Convex'],
    ["nested bad key", { record: { ocrData: { lines: [{ "kocioł": 1 }] } } }, 'changes[3].record.ocrData.lines[0]["kocioł"]: Convex field names may only hold printable ASCII'],
    ["bad origin", { origin: "Convex Cloud" }, 'changes[3].origin: expected a short lower-case name such as "pocketbase", got "Convex Cloud"'],
  ])("refuses %s, naming the field", (_, over, message) => {
    const raw = typeof over === "object" && !Array.isArray(over) ? { ...up(), ...over } : over;
    expect(formatError(() => parseChange(raw, "changes[3]"))).toContain(message);
  });
});

describe("parsePushRequest", () => {
  it("parses a body of changes and names the bad one by index", () => {
    const changes = [up(), up({ id: "job000000000002" }), up({ collection: "contacts", id: "c1", record: { name: "Jan" } }), up({ updated: "yesterday" })];
    expect(formatError(() => parsePushRequest({ changes }))).toBe('changes[3].updated: expected a date-time with a time zone such as "2026-11-24 10:00:00.000Z", got "yesterday"');
    expect(parsePushRequest({ changes: changes.slice(0, 3) })).toHaveLength(3);
    expect(parsePushRequest({ changes: [] })).toEqual([]);
  });

  it.each([
    [null, 'body: expected {"changes":[...]}, got null'],
    [[], 'body: expected {"changes":[...]}, got an array'],
    [{}, "changes: expected an array of changes, got undefined undefined"],
    [{ changes: {} }, "changes: expected an array of changes, got an object"],
    [{ changes: Array.from({ length: 1001 }, () => up()) }, "changes: 1001 changes, at most 1000 per request"],
  ])("refuses the body %#", (body, message) => {
    expect(formatError(() => parsePushRequest(body))).toBe(message);
  });

  it("refuses a change over Convex's per-document limit, naming it", () => {
    const big = up({ record: { notes: "x".repeat(CONVEX_MAX_DOC_BYTES) } });
    expect(formatError(() => parsePushRequest({ changes: [up(), big] }))).toMatch(/^changes\[1\]\.record: too large: \d+ bytes as JSON, at most 1000000/);
  });
});

describe("parsePushResponse", () => {
  const sent = [up({ id: "a" }), up({ id: "b" })];
  it("accepts one known status per change, in order", () => {
    expect(parsePushResponse({ results: [{ id: "a", status: "applied" }, { id: "b", status: "conflict" }] }, sent)).toEqual([
      { id: "a", status: "applied" }, { id: "b", status: "conflict" },
    ]);
    expect(parsePushResponse({ results: [], extra: true }, [])).toEqual([]);
  });

  it.each([
    [null, 'answer: expected {"results":[...]}, got null'],
    ["<html>502</html>", 'answer: expected {"results":[...]}, got "<html>502</html>"'],
    [{}, "results: expected an array, got undefined undefined"],
    [{ results: [{ id: "a", status: "applied" }] }, "results: expected 2 results (one per change sent), got 1"],
    [{ results: [{ id: "b", status: "applied" }, { id: "a", status: "applied" }] }, 'results[0].id: expected "a" (the change sent at this place), got "b"'],
    [{ results: [{ id: "a", status: "applied" }, { id: "b", status: "ok" }] }, 'results[1].status: expected "applied", "skipped" or "conflict", got "ok"'],
    [{ results: [{ id: "a", status: "applied" }, 7] }, "results[1]: expected an object, got number 7"],
  ])("refuses a malformed answer %#", (body, message) => {
    expect(formatError(() => parsePushResponse(body, sent))).toBe(message);
  });
});

describe("parsePullResponse / parsePullQuery / cursors", () => {
  it("accepts changes and a cursor", () => {
    expect(parsePullResponse({ changes: [up({ origin: "convex" })], cursor: "42" })).toEqual({ changes: [up({ origin: "convex" })], cursor: "42" });
    expect(parsePullResponse({ changes: [], cursor: "0" })).toEqual({ changes: [], cursor: "0" });
  });

  it.each([
    [{ cursor: "1" }, "changes: expected an array of changes, got undefined undefined"],
    [{ changes: [], cursor: 1 }, "cursor: expected a cursor text of digits, got number 1"],
    [{ changes: [], cursor: "-1" }, 'cursor: expected a cursor text of digits, got "-1"'],
    [{ changes: [{ ...up(), op: "merge" }], cursor: "1" }, 'changes[0].op: expected "upsert" or "delete", got "merge"'],
    [[], 'answer: expected {"changes":[...],"cursor":"..."}, got an array'],
  ])("refuses a malformed pull answer %#", (body, message) => {
    expect(formatError(() => parsePullResponse(body))).toBe(message);
  });

  const q = (s: string) => parsePullQuery(new URLSearchParams(s));
  it.each([
    ["", { since: 0, limit: 100, origin: "pocketbase" }],
    ["since=&limit=", { since: 0, limit: 100, origin: "pocketbase" }],
    ["since=17&limit=5", { since: 17, limit: 5, origin: "pocketbase" }],
    ["since=0&limit=1000&origin=pocketbase:office2", { since: 0, limit: 1000, origin: "pocketbase:office2" }],
  ])("reads the query %j", (s, expected) => expect(q(s)).toEqual(expected));

  it.each([
    ["since=abc", 'since: expected a cursor from an earlier pull (digits), got "abc"'],
    ["since=-5", 'since: expected a cursor from an earlier pull (digits), got "-5"'],
    ["since=007", 'since: expected a cursor from an earlier pull (digits), got "007"'],
    ["limit=0", 'limit: expected a whole number from 1 to 1000, got "0"'],
    ["limit=1001", 'limit: expected a whole number from 1 to 1000, got "1001"'],
    ["limit=ten", 'limit: expected a whole number from 1 to 1000, got "ten"'],
    ["origin=A B", 'origin: expected a short lower-case name such as "pocketbase", got "A B"'],
  ])("refuses the query %j", (s, message) => expect(formatError(() => q(s))).toBe(message));

  it("cursors", () => {
    expect(parseCursor(undefined)).toBe(0);
    expect(parseCursor("123456789012345")).toBe(123456789012345);
    expect(formatError(() => parseCursor("1234567890123456"))).toMatch(/^since:/);
  });

  it("no answer shape crashes the parsers: anything malformed is a SyncFormatError", () => {
    const r = rng(9);
    const atoms: unknown[] = [null, 0, -1, 1.5, "", "x", "2026-11-24 10:00:00.000Z", true, [], {}, "applied", "jobs", "upsert"];
    const randomValue = (depth: number): unknown => {
      const x = r();
      if (depth > 3 || x < 0.4) return atoms[Math.floor(r() * atoms.length)];
      if (x < 0.6) return Array.from({ length: Math.floor(r() * 4) }, () => randomValue(depth + 1));
      const keys = ["results", "changes", "cursor", "id", "status", "collection", "op", "updated", "record", "origin"];
      const o: Record<string, unknown> = {};
      for (let i = 0; i < 4; i++) if (r() < 0.6) o[keys[Math.floor(r() * keys.length)]] = randomValue(depth + 1);
      return o;
    };
    for (let i = 0; i < 3000; i++) {
      const body = randomValue(0);
      for (const parse of [() => parsePullResponse(body), () => parsePushResponse(body, [up({ id: "a" })]), () => parsePushRequest(body)]) {
        try {
          parse();
        } catch (e) {
          expect(e).toBeInstanceOf(SyncFormatError);
        }
      }
    }
  });
});

describe("convexValueProblem", () => {
  it.each([
    [{ a: 1, b: "ł", c: [true, null, { d: 2.5 }] }, null],
    [{ "": 1 }, "r: a field name is empty (Convex needs non-empty field names)"],
    [{ _id: 1 }, 'r._id: field names starting with "_" are reserved in Convex'],
    [{ a: { "x\ny": 1 } }, 'r.a["x\\ny"]: Convex field names may only hold printable ASCII characters'],
    [{ a: "\ud800" }, "r.a: the text holds an unpaired surrogate (not valid Unicode)"],
    [{ a: new Array(8193).fill(0) }, "r.a: 8193 values, Convex stores at most 8192 in an array"],
    [Object.fromEntries(Array.from({ length: 1025 }, (_, i) => [`f${i}`, i])), "r: 1025 fields, Convex stores at most 1024 in an object"],
    [{ a: new Date(0) }, "r.a: object is not a JSON value"],
    [{ a: Number.NaN }, "r.a: NaN is not a finite number"],
  ])("%# -> %s", (value, problem) => expect(convexValueProblem(value, "r")).toBe(problem));

  it("limits nesting to 16 levels", () => {
    let deep: unknown = 1;
    for (let i = 0; i < 16; i++) deep = { a: deep };
    expect(convexValueProblem(deep, "r")).toBeNull();
    expect(convexValueProblem({ a: deep }, "r")).toMatch(/nested deeper than 16 levels/);
  });
});

describe("syncRecord", () => {
  it("drops the id, updated, PocketBase's metadata and the jobs write lock; keeps created and the fields", () => {
    const exported = {
      id: "j1", created: "2026-01-01 00:00:00.000Z", updated: T, collectionId: "hvacjobs0000000", collectionName: "jobs",
      expand: {}, title: "Serwis", writeLock: "abc", coordinates: { lat: 52.2, lng: 21 },
    };
    expect(syncRecord("jobs", exported)).toEqual({ created: "2026-01-01 00:00:00.000Z", title: "Serwis", coordinates: { lat: 52.2, lng: 21 } });
    expect(syncRecord("contacts", { id: "c", writeLock: "x" })).toEqual({ writeLock: "x" }); // only jobs have a write lock
    expect(exported.id).toBe("j1"); // the input is untouched
  });

  it("syncs exactly contacts, jobs, invoices, equipment_photos and equipment", () => {
    expect([...SYNC_COLLECTIONS]).toEqual(["contacts", "jobs", "invoices", "equipment_photos", "equipment"]);
  });
});

// ---------------------------------------------------------------- last writer wins

describe("compareCodeUnits", () => {
  it.each([
    ["", "", 0], ["a", "", 1], ["", "a", -1], ["abc", "abd", -1], ["abd", "abc", 1], ["ab", "abc", -1],
    ["\uffff", "😀", 1], // U+FFFF is above the high surrogate of U+1F600 in code units
    ["ł", "l", 1],
  ])("%j vs %j = %i", (a, b, order) => expect(compareCodeUnits(a, b)).toBe(order));

  it("agrees with V8's own string order (code units) on random strings", () => {
    const r = rng(17);
    const chars = ["a", "b", "ł", "\uffff", "😀", "\ue000", "\"", "{"];
    const text = () => Array.from({ length: Math.floor(r() * 12) }, () => chars[Math.floor(r() * chars.length)]).join("");
    for (let i = 0; i < 5000; i++) {
      const a = text();
      const b = r() < 0.3 ? a + text() : text();
      expect(compareCodeUnits(a, b)).toBe(a === b ? 0 : a < b ? -1 : 1);
    }
  });
});

describe("canonicalJson", () => {
  it.each([
    [{ b: 1, a: [3, { d: null, c: "x" }] }, '{"a":[3,{"c":"x","d":null}],"b":1}'],
    [{ a: undefined, b: -0, c: 1e21 }, '{"b":0,"c":1e+21}'],
    [[undefined, Number.NaN], "[null,null]"],
    ["ł", '"ł"'],
    [null, "null"],
  ])("%j -> %s", (value, text) => expect(canonicalJson(value)).toBe(text));

  it("sorts non-ASCII keys by UTF-16 code units", () => {
    expect(canonicalJson({ "\uffff": 2, "😀": 1, b: 0 })).toBe('{"b":0,"😀":1,"\uffff":2}');
  });

  it("does not depend on key order", () => {
    expect(canonicalJson({ x: 1, y: { p: 1, q: 2 } })).toBe(canonicalJson({ y: { q: 2, p: 1 }, x: 1 }));
  });
});

const ver = (updated: string, record: Record<string, unknown> | null, origin = "pocketbase"): SyncVersion => ({
  updated, deleted: record === null, record, origin,
});
const T1 = "2026-11-24 10:00:00.000Z";
const T2 = "2026-11-24 10:00:00.001Z";

describe("resolveIncoming (last writer wins)", () => {
  it.each([
    ["nothing stored", null, ver(T1, { a: 1 }), "applied", true, false],
    ["nothing stored, a delete (kept as a tombstone)", null, ver(T1, null), "applied", true, false],
    ["a replay of the same version", ver(T1, { a: 1 }), ver(T1, { a: 1 }), "skipped", false, false],
    ["a replay from the other origin", ver(T1, { a: 1 }, "convex"), ver(T1, { a: 1 }), "skipped", false, false],
    ["same fields in another key order", ver(T1, { a: 1, b: 2 }), ver(T1, { b: 2, a: 1 }), "skipped", false, false],
    ["same content, later clock (clock moves on)", ver(T1, { a: 1 }), ver(T2, { a: 1 }), "applied", true, false],
    ["same content, earlier clock", ver(T2, { a: 1 }), ver(T1, { a: 1 }), "skipped", false, false],
    ["newer edit", ver(T1, { a: 1 }), ver(T2, { a: 2 }), "applied", true, false],
    ["newer edit over a Convex edit", ver(T1, { a: 1 }, "convex"), ver(T2, { a: 2 }), "applied", true, false],
    ["older edit, same origin (superseded on its way)", ver(T2, { a: 2 }), ver(T1, { a: 1 }), "skipped", false, false],
    ["older edit against a Convex edit", ver(T2, { a: 2 }, "convex"), ver(T1, { a: 1 }), "conflict", false, true],
    ["newer delete", ver(T1, { a: 1 }), ver(T2, null), "applied", true, false],
    ["late older upsert after a delete (stays deleted)", ver(T2, null), ver(T1, { a: 1 }), "skipped", false, false],
    ["late older upsert after a Convex delete", ver(T2, null, "convex"), ver(T1, { a: 1 }), "conflict", false, true],
    ["delete replayed", ver(T1, null), ver(T1, null), "skipped", false, false],
    ["tie, other origin, incoming sorts later (wins)", ver(T1, { a: 1 }, "convex"), ver(T1, { a: 2 }), "applied", true, true],
    ["tie, other origin, incoming sorts earlier (loses)", ver(T1, { a: 2 }, "convex"), ver(T1, { a: 1 }), "conflict", false, true],
    ["tie, delete against an edit: delete wins", ver(T1, { a: 1 }, "convex"), ver(T1, null), "applied", true, true],
    ["tie, edit against a delete: delete stays", ver(T1, null, "convex"), ver(T1, { a: 1 }), "conflict", false, true],
    ["tie, same origin, sorts earlier", ver(T1, { a: 2 }), ver(T1, { a: 1 }), "skipped", false, false],
  ])("%s", (_, stored, incoming, status, write, conflict) => {
    expect(resolveIncoming(stored, incoming)).toEqual({ status, write, conflict });
  });

  it("compareVersions is antisymmetric and a total order on random versions", () => {
    const r = rng(21);
    const vs: SyncVersion[] = Array.from({ length: 60 }, () => ver(toPbDate(1764000000000 + Math.floor(r() * 3)), r() < 0.2 ? null : { v: Math.floor(r() * 4) }));
    for (const a of vs) {
      for (const b of vs) {
        expect(Math.sign(compareVersions(a, b))).toBe(-Math.sign(compareVersions(b, a)) || 0);
        for (const c of vs.slice(0, 10)) {
          if (compareVersions(a, b) > 0 && compareVersions(b, c) > 0) expect(compareVersions(a, c)).toBeGreaterThan(0);
        }
      }
    }
  });

  it("a tie is broken the same way whichever side holds which version", () => {
    const a = ver(T1, { title: "Serwis kotła" }, "pocketbase");
    const b = ver(T1, { title: "Serwis kotła, pilne" }, "convex");
    const onConvex = resolveIncoming(b, a); // PocketBase's version arrives at Convex
    const onPocketBase = resolveIncoming(a, b); // Convex's version arrives at PocketBase
    const winnerOnConvex = onConvex.write ? a : b;
    const winnerOnPocketBase = onPocketBase.write ? b : a;
    expect(winnerOnConvex).toBe(winnerOnPocketBase);
  });
});

describe("localVersion", () => {
  it("uses now, or 1 ms after the stored clock when the local clock is behind", () => {
    const now = parseTimestamp(T1);
    expect(localVersion(null, { a: 1 }, now, "pocketbase")).toEqual(ver(T1, { a: 1 }));
    expect(localVersion(ver("2026-11-24 09:00:00.000Z", { a: 0 }), { a: 1 }, now, "pocketbase").updated).toBe(T1);
    expect(localVersion(ver("2026-11-24 11:00:00.000Z", { a: 0 }, "convex"), null, now, "pocketbase")).toEqual(ver("2026-11-24 11:00:00.001Z", null));
    expect(localVersion(ver(T1, { a: 0 }), { a: 1 }, now, "convex").updated).toBe(T2);
  });
});

/**
 * Property: two ends, each writing locally (with clocks that may run behind each other and collide
 * to the millisecond) and exchanging changes out of order, duplicated and late, never echoing a change
 * back to where it came from, end with the same state for every record.
 */
describe("convergence under last writer wins (random histories)", () => {
  type Key = string;
  type Store = Map<Key, SyncVersion>;
  const state = (s: Store) => [...s.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => [k, v.updated, v.deleted, canonicalJson(v.record)]);

  const seen = { applied: 0, skipped: 0, conflict: 0, ties: 0 };
  function apply(store: Store, key: Key, incoming: SyncVersion): void {
    const current = store.get(key) ?? null;
    const outcome = resolveIncoming(current, incoming);
    seen[outcome.status]++;
    if (current && current.updated === incoming.updated && canonicalJson(current) !== canonicalJson(incoming)) seen.ties++;
    if (outcome.write) store.set(key, incoming);
  }

  for (let seed = 1; seed <= 300; seed++) {
    it(`history #${seed}`, () => {
      const r = rng(seed);
      const ends = { pocketbase: new Map() as Store, convex: new Map() as Store };
      const names = ["pocketbase", "convex"] as const;
      // In flight towards each end: [key, version].
      const inFlight: Record<string, [Key, SyncVersion][]> = { pocketbase: [], convex: [] };
      const keys = ["jobs/a", "jobs/b", "contacts/a"];
      const base = 1764000000000;
      const skew = { pocketbase: Math.floor(r() * 3), convex: Math.floor(r() * 3) };
      let tick = 0;
      const steps = 20 + Math.floor(r() * 60);
      for (let i = 0; i < steps; i++) {
        const x = r();
        if (x < 0.45) {
          // A local write at this end's (skewed, coarse) clock: ties across ends are common.
          const end = names[Math.floor(r() * 2)];
          const key = keys[Math.floor(r() * keys.length)];
          if (r() < 0.5) tick++;
          const record = r() < 0.15 ? null : { v: Math.floor(r() * 5), note: r() < 0.5 ? "kocioł" : "piec" };
          const version = localVersion(ends[end].get(key) ?? null, record, base + tick + skew[end], end);
          ends[end].set(key, version);
          const peer = end === "pocketbase" ? "convex" : "pocketbase";
          inFlight[peer].push([key, version]);
        } else {
          // Deliver something in flight to one end, in any order, sometimes twice.
          const end = names[Math.floor(r() * 2)];
          const queue = inFlight[end];
          if (queue.length === 0) continue;
          const at = Math.floor(r() * queue.length);
          const [key, version] = queue[at];
          if (r() < 0.8) queue.splice(at, 1);
          apply(ends[end], key, version);
          // What an end applied from its peer is stored with the peer's origin and never sent back.
          expect(shouldSendTo(version.origin, version)).toBe(false);
        }
      }
      // Everything still in flight arrives eventually (in reverse, for good measure).
      for (const end of names) for (const [key, version] of inFlight[end].reverse()) apply(ends[end], key, version);
      expect(state(ends.pocketbase)).toEqual(state(ends.convex));
    });
  }

  it("the histories did exercise conflicts, stale replays and same-millisecond ties", () => {
    expect(seen.applied).toBeGreaterThan(1000);
    expect(seen.skipped).toBeGreaterThan(500);
    expect(seen.conflict).toBeGreaterThan(500);
    expect(seen.ties).toBeGreaterThan(100);
  });
});

// ---------------------------------------------------------------- outbox delivery

describe("backoff with full jitter", () => {
  const policy: RetryPolicy = { baseDelayMs: 1000, maxDelayMs: 60_000, maxAttempts: 5 };
  it.each([
    [1, 1000], [2, 2000], [3, 4000], [6, 32_000], [7, 60_000], [50, 60_000], [5000, 60_000], [0, 1000],
  ])("ceiling after %i failures = %i ms", (attempts, ceiling) => expect(backoffCeilingMs(attempts, policy)).toBe(ceiling));

  it.each([
    [3, 0, 1000],
    [3, 0.5, 3000],
    [3, 0.999999, 4999],
    [10, 0.5, 31_000],
    [3, -1, 1000], // clamped
    [3, 2, 5000], // clamped
    [3, Number.NaN, 1000],
  ])("nextAttemptAt(%i failures, random %f) = now + the jittered delay", (attempts, random, at) => {
    expect(nextAttemptAt(attempts, 1000, () => random, policy)).toBe(at);
  });

  it("spreads retries uniformly below the ceiling", () => {
    const r = rng(5);
    const delays = Array.from({ length: 4000 }, () => nextAttemptAt(4, 0, r, policy));
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...delays)).toBeLessThan(8000);
    const mean = delays.reduce((a, b) => a + b, 0) / delays.length;
    expect(mean).toBeGreaterThan(3700);
    expect(mean).toBeLessThan(4300);
  });

  it("parks an entry as a dead letter after maxAttempts failures", () => {
    let attempts = 0;
    const states: string[] = [];
    for (let i = 0; i < 5; i++) {
      const next = afterFailure(attempts, "HTTP 503", 0, () => 0.5, policy);
      states.push(next.state);
      attempts = next.attempts;
    }
    expect(states).toEqual(["retry", "retry", "retry", "retry", "dead"]);
    expect(afterFailure(0, "timeout", 100, () => 0.5, policy)).toEqual({ state: "retry", attempts: 1, nextAttemptAt: 600, lastError: "timeout" });
    expect(afterFailure(4, "x".repeat(5000), 0, () => 0, policy)).toEqual({ state: "dead", attempts: 5, lastError: "x".repeat(1000) });
  });

  it("the default policy retries for hours before parking", () => {
    let total = 0;
    for (let n = 1; n < DEFAULT_RETRY_POLICY.maxAttempts; n++) total += backoffCeilingMs(n) / 2;
    expect(total / 3_600_000).toBeGreaterThan(4);
  });

  it.each([
    [0, "transient"], [500, "transient"], [502, "transient"], [503, "transient"], [429, "transient"], [408, "transient"],
    [401, "transient"], [403, "transient"], [404, "transient"], [400, "rejected"], [413, "rejected"], [422, "rejected"],
  ])("HTTP %i is %s", (status, kind) => expect(failureKind(status)).toBe(kind));
});

describe("planBatches", () => {
  const item = (i: number, size = 10) => ({ n: i, change: up({ id: `r${i}`, record: { notes: "x".repeat(size) } }) });
  const bodyBytes = (batch: { change: SyncChange }[]) => Buffer.byteLength(JSON.stringify({ changes: batch.map((b) => b.change) }), "utf8");

  it("splits by document count, in order", () => {
    const items = Array.from({ length: 450 }, (_, i) => item(i));
    const { batches, rejected } = planBatches(items);
    expect(batches.map((b) => b.length)).toEqual([200, 200, 50]);
    expect(batches.flat().map((b) => b.n)).toEqual(items.map((b) => b.n));
    expect(rejected).toEqual([]);
  });

  it("keeps every request body under the byte limit, measured exactly (UTF-8)", () => {
    const limits: BatchLimits = { maxDocs: 1000, maxRequestBytes: 5000, maxDocBytes: 2000 };
    const r = rng(8);
    const items = Array.from({ length: 300 }, (_, i) => ({ n: i, change: up({ id: `r${i}`, record: { notes: "ł".repeat(Math.floor(r() * 800)) } }) }));
    const { batches } = planBatches(items, limits);
    for (const b of batches) expect(bodyBytes(b)).toBeLessThanOrEqual(5000);
    // Greedy: a batch closes only when the next change would not fit.
    for (let i = 0; i + 1 < batches.length; i++) {
      expect(bodyBytes([...batches[i], batches[i + 1][0]])).toBeGreaterThan(5000);
    }
    expect(batches.flat()).toHaveLength(300);
  });

  it("a body exactly at the limit fits", () => {
    const one = item(0);
    const exact = bodyBytes([one, item(1)]);
    expect(planBatches([one, item(1)], { maxDocs: 10, maxRequestBytes: exact, maxDocBytes: 200 }).batches).toHaveLength(1);
    expect(planBatches([one, item(1)], { maxDocs: 10, maxRequestBytes: exact - 1, maxDocBytes: 200 }).batches).toHaveLength(2);
  });

  it("a document over 1 MB is a dead letter with a reason, and the queue behind it moves on", () => {
    const items = [item(0), item(1, 1_100_000), item(2)];
    const { batches, rejected } = planBatches(items);
    expect(batches).toEqual([[items[0], items[2]]]);
    expect(rejected).toHaveLength(1);
    expect(rejected[0].item).toBe(items[1]);
    expect(rejected[0].reason).toMatch(/^record too large for Convex: 110\d{4} bytes as JSON, the limit is 1000000/);
  });

  it("a record Convex cannot store is a dead letter with a reason", () => {
    const bad = { n: 9, change: up({ record: { ocrData: { $raw: 1 } } }) };
    expect(planBatches([bad]).rejected[0].reason).toBe('Convex cannot store this record: record.ocrData["$raw"]: field names starting with "$" are reserved in Convex');
  });

  it("with the default limits many mid-size documents go in several requests under 8 MB", () => {
    const items = Array.from({ length: 30 }, (_, i) => item(i, 600_000));
    const { batches } = planBatches(items);
    expect(batches.length).toBeGreaterThan(2);
    for (const b of batches) expect(bodyBytes(b)).toBeLessThanOrEqual(8_000_000);
  });

  it("refuses limits where one document cannot fit a request", () => {
    expect(() => planBatches([], { maxDocs: 0, maxRequestBytes: 10, maxDocBytes: 1 })).toThrow(RangeError);
    expect(() => planBatches([], { maxDocs: 5, maxRequestBytes: 10, maxDocBytes: 100 })).toThrow(RangeError);
  });

  it("changeBytes is the UTF-8 size of the JSON", () => {
    const c = up({ record: { t: "żółw 🐢" } });
    expect(changeBytes(c)).toBe(Buffer.byteLength(JSON.stringify(c)));
  });
});

describe("latestPerRecord", () => {
  it("keeps the last entry per record, in outbox order", () => {
    const e = (n: number, collection: SyncChange["collection"], id: string) => ({ n, change: up({ collection, id }) });
    const items = [e(1, "jobs", "a"), e(2, "jobs", "b"), e(3, "jobs", "a"), e(4, "contacts", "a"), e(5, "jobs", "a")];
    const { latest, superseded } = latestPerRecord(items);
    expect(latest.map((x) => x.n)).toEqual([2, 4, 5]);
    expect(superseded.map((x) => x.n)).toEqual([1, 3]);
  });
});

describe("versions, echo, ids, secrets", () => {
  it("versionOf / origin defaults", () => {
    expect(versionOf(up())).toEqual({ updated: T, deleted: false, record: up().record, origin: "pocketbase" });
    expect(versionOf(up({ op: "delete", origin: "convex" }))).toEqual({ updated: T, deleted: true, record: null, origin: "convex" });
  });

  it("a change is not sent back to its origin", () => {
    expect(shouldSendTo("pocketbase", { origin: "pocketbase" })).toBe(false);
    expect(shouldSendTo("pocketbase", { origin: "convex" })).toBe(true);
  });

  it("normalizeUpdated", () => {
    expect(normalizeUpdated("2026-11-24T10:00:00Z", "u")).toBe(T);
    expect(formatError(() => normalizeUpdated("", "u"))).toMatch(/^u: expected a date-time with a time zone/);
  });

  it("newPbId gives PocketBase-style ids", () => {
    const r = rng(3);
    for (let i = 0; i < 100; i++) expect(newPbId(r)).toMatch(/^[a-z0-9]{15}$/);
    expect(newPbId(() => 0.9999999999)).toBe("999999999999999");
  });

  it.each([
    ["Bearer s3cret-s3cret-s3cret", true],
    ["Bearer s3cret-s3cret-s3cres", false],
    ["bearer s3cret-s3cret-s3cret", false],
    ["Bearer s3cret-s3cret-s3cret ", false],
    ["s3cret-s3cret-s3cret", false],
    ["", false],
    [null, false],
  ])("bearerMatches(%j)", (header, ok) => expect(bearerMatches(header, "s3cret-s3cret-s3cret")).toBe(ok));

  it("an empty secret never matches", () => expect(bearerMatches("Bearer ", "")).toBe(false));
});
