// Pulling from Convex (src/domain/pull.ts): the local version of a record, the decision for a pulled
// change (the same last-writer-wins as Convex), and which fields are written.
import { describe, expect, it } from "vitest";
import { decidePull, fieldsToWrite, localVersionOf } from "../../src/domain/pull";
import type { SyncChange } from "../../src/domain/sync";

const T1 = "2026-11-24 10:00:00.000Z";
const T2 = "2026-11-24 10:05:00.000Z";
const local = { id: "c1", collectionId: "x", collectionName: "contacts", created: T1, updated: T1, name: "Jan" };
const change = (over: Partial<SyncChange> = {}): SyncChange => ({ collection: "contacts", id: "c1", op: "upsert", updated: T2, record: { created: T1, name: "Jan Nowak" }, origin: "convex", ...over });

describe("localVersionOf", () => {
  it("the record as it is, written here", () => {
    expect(localVersionOf("contacts", local, null)).toEqual({ updated: T1, deleted: false, record: { created: T1, name: "Jan" }, origin: "pocketbase" });
  });
  it("a delete still waiting in the outbox is a tombstone", () => {
    expect(localVersionOf("contacts", null, T2)).toEqual({ updated: T2, deleted: true, record: null, origin: "pocketbase" });
  });
  it("nothing known", () => {
    expect(localVersionOf("contacts", null, null)).toBeNull();
  });
});

describe("decidePull", () => {
  it("a record unknown here is created", () => {
    expect(decidePull(change(), null)).toMatchObject({ status: "applied", write: true, conflict: false, incoming: { origin: "convex", updated: T2 } });
  });
  it("a newer version from Convex wins", () => {
    expect(decidePull(change(), localVersionOf("contacts", local, null))).toMatchObject({ write: true, conflict: false });
  });
  it("the same content again is skipped (a replayed page)", () => {
    const same = localVersionOf("contacts", { ...local, updated: T2, name: "Jan Nowak" }, null);
    expect(decidePull(change(), same)).toMatchObject({ status: "skipped", write: false, conflict: false });
  });
  it("an older version than this server's is a conflict and is not written", () => {
    const newer = localVersionOf("contacts", { ...local, updated: "2026-11-24 10:09:00.000Z", name: "Jan K." }, null);
    expect(decidePull(change(), newer)).toMatchObject({ status: "conflict", write: false, conflict: true });
  });
  it("a pending local delete keeps an older upsert from bringing the record back", () => {
    expect(decidePull(change(), localVersionOf("contacts", null, "2026-11-24 10:09:00.000Z"))).toMatchObject({ write: false, conflict: true });
  });
  it("a delete from Convex wins over an older local version", () => {
    expect(decidePull(change({ op: "delete", record: null }), localVersionOf("contacts", local, null))).toMatchObject({ write: true, incoming: { deleted: true } });
  });
  it("a same-millisecond tie with other content is written or kept by the tie-break, and noted either way", () => {
    const tied = localVersionOf("contacts", { ...local, updated: T2, name: "Zzz" }, null);
    const d = decidePull(change(), tied);
    expect(d.conflict).toBe(true);
    expect(d.write).toBe(false); // "Zzz" sorts after "Jan Nowak": the local one wins on both ends
  });
  it("an origin-less change counts as Convex's", () => {
    expect(decidePull(change({ origin: undefined }), null).incoming.origin).toBe("convex");
  });
});

describe("fieldsToWrite", () => {
  const names = ["name", "notes", "coordinates"];
  it("only the collection's fields, plus created for a new record; unknown fields listed", () => {
    expect(fieldsToWrite({ created: T1, name: "Jan", coordinates: { lat: 1 }, loyalty: 3, id: "x", updated: T2 }, names, true)).toEqual({
      set: { created: T1, name: "Jan", coordinates: { lat: 1 } }, unknown: ["loyalty"],
    });
  });
  it("created is not rewritten on an existing record", () => {
    expect(fieldsToWrite({ created: T1, notes: "" }, names, false)).toEqual({ set: { notes: "" }, unknown: [] });
  });
});
