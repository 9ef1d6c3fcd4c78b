// The migration tooling's pure core (src/domain/migration.ts): CONVEX_URL, checksums, the verify diff,
// import batches and their resume state, and strict parsing of what is read back.
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  batchesDone, collectionChecksum, diffCollection, differingFields, emptyImportState, exportChecksum, exportFilePath, formatDiff,
  IMPORT_LIMITS, importChange, isSafeFileName, parseFileLog, parseImportState, parseManifest, parseMigrationConfig, parsePageAnswer,
  planImport, recordDigest, recordFiles, withBatchDone, withoutCollection, type SideRecord,
} from "../../src/domain/migration";
import { CONVEX_MAX_DOC_BYTES, CONVEX_MUTATION_BYTES, CONVEX_MUTATION_DOCS, SyncFormatError } from "../../src/domain/sync";
import { SyncConfigError, type Env } from "../../src/domain/sync-config";

const sha256 = (t: string) => createHash("sha256").update(t).digest("hex");
const SECRET = "0123456789abcdef0123";

function configError(env: Env): { key: string; message: string } {
  try {
    parseMigrationConfig(env);
  } catch (e) {
    expect(e).toBeInstanceOf(SyncConfigError);
    return { key: (e as SyncConfigError).key, message: (e as Error).message };
  }
  throw new Error("expected a SyncConfigError");
}

describe("parseMigrationConfig", () => {
  it("reads CONVEX_URL (.convex.cloud, trailing slash dropped) and CONVEX_SYNC_SECRET", () => {
    expect(parseMigrationConfig({ CONVEX_URL: " https://happy-otter-123.convex.cloud/ ", CONVEX_SYNC_SECRET: SECRET })).toEqual({
      convexUrl: "https://happy-otter-123.convex.cloud", secret: SECRET,
    });
    // A local stub or a self-hosted backend over loopback.
    expect(parseMigrationConfig({ CONVEX_URL: "http://127.0.0.1:3210", CONVEX_SYNC_SECRET: SECRET }).convexUrl).toBe("http://127.0.0.1:3210");
    expect(parseMigrationConfig({ CONVEX_URL: "https://convex.firma.pl", CONVEX_SYNC_SECRET: SECRET }).convexUrl).toBe("https://convex.firma.pl");
  });

  it.each([
    [{ CONVEX_SYNC_SECRET: SECRET }, "CONVEX_URL", /required/],
    [{ CONVEX_URL: "happy-otter-123.convex.cloud", CONVEX_SYNC_SECRET: SECRET }, "CONVEX_URL", /expected an http\(s\) URL/],
    [{ CONVEX_URL: "https://happy-otter-123.convex.site", CONVEX_SYNC_SECRET: SECRET }, "CONVEX_URL", /\.convex\.site serves the HTTP actions/],
    [{ CONVEX_URL: "http://convex.firma.pl", CONVEX_SYNC_SECRET: SECRET }, "CONVEX_URL", /use https:\/\//],
    [{ CONVEX_URL: "https://x.convex.cloud/api", CONVEX_SYNC_SECRET: SECRET }, "CONVEX_URL", /without a path/],
    [{ CONVEX_URL: "https://x.convex.cloud:70000", CONVEX_SYNC_SECRET: SECRET }, "CONVEX_URL", /out of range/],
    [{ CONVEX_URL: "https://x.convex.cloud" }, "CONVEX_SYNC_SECRET", /required/],
    [{ CONVEX_URL: "https://x.convex.cloud", CONVEX_SYNC_SECRET: "short" }, "CONVEX_SYNC_SECRET", /at least 16/],
  ])("%j -> error naming %s", (env, key, message) => {
    const e = configError(env as Env);
    expect(e.key).toBe(key);
    expect(e.message.startsWith(`${key}: `)).toBe(true);
    expect(e.message).toMatch(message);
  });
});

describe("checksums", () => {
  it("a record's digest does not depend on field order, and does on every value", () => {
    expect(recordDigest({ a: 1, b: "x" }, sha256)).toBe(recordDigest({ b: "x", a: 1 }, sha256));
    expect(recordDigest({ a: 1, b: "x" }, sha256)).not.toBe(recordDigest({ a: 1, b: "y" }, sha256));
    expect(recordDigest({ a: [1, 2] }, sha256)).not.toBe(recordDigest({ a: [2, 1] }, sha256));
  });

  it("a collection's checksum is over ids and digests, in any order", () => {
    const a = [{ id: "b", digest: "2" }, { id: "a", digest: "1" }];
    expect(collectionChecksum(a, sha256)).toBe(collectionChecksum(a.slice().reverse(), sha256));
    expect(collectionChecksum(a, sha256)).toBe(sha256("a 1\nb 2\n"));
    expect(collectionChecksum([], sha256)).toBe(sha256(""));
    expect(collectionChecksum([{ id: "a", digest: "1" }], sha256)).not.toBe(collectionChecksum(a, sha256));
  });

  it("the export checksum covers every field but expand", () => {
    const r = { id: "a", name: "X", collectionName: "contacts" };
    expect(exportChecksum([{ ...r, expand: { x: 1 } }], sha256)).toBe(exportChecksum([r], sha256));
    expect(exportChecksum([{ ...r, collectionName: "jobs" }], sha256)).not.toBe(exportChecksum([r], sha256));
  });
});

const rec = (id: string, record: Record<string, unknown>, updated = "2026-11-24 10:00:00.000Z"): SideRecord => ({ id, updated, record });

describe("diffCollection / formatDiff", () => {
  it("equal content in another order and other clocks is ok", () => {
    const d = diffCollection("jobs", [rec("a", { t: 1, s: "x" }), rec("b", { t: 2 })], [rec("b", { t: 2 }, "2026-11-25 10:00:00.000Z"), rec("a", { s: "x", t: 1 })], sha256);
    expect(d.ok).toBe(true);
    expect(d.left).toEqual(d.right);
    expect(formatDiff([d])).toEqual([`jobs  ok       2 record(s), checksum ${d.left.checksum.slice(0, 12)}`]);
  });

  it("reports counts, ids on one side only, and the differing fields with both clocks", () => {
    const left = [rec("a", { title: "A", status: "pending", n: 1 }), rec("b", { t: 1 }), rec("c", { t: 1 })];
    const right = [rec("a", { title: "A!", status: "pending", extra: true }, "2026-11-24 11:00:00.000Z"), rec("c", { t: 1 }), rec("d", { t: 4 })];
    const d = diffCollection("jobs", left, right, sha256);
    expect(d.ok).toBe(false);
    expect(d.onlyLeft).toEqual(["b"]);
    expect(d.onlyRight).toEqual(["d"]);
    expect(d.differing).toEqual([{ id: "a", fields: ["extra", "n", "title"], leftUpdated: "2026-11-24 10:00:00.000Z", rightUpdated: "2026-11-24 11:00:00.000Z" }]);
    const text = formatDiff([d, diffCollection("contacts", [], [], sha256)]);
    expect(text[0]).toMatch(/^jobs      DIFFERS  PocketBase 3 \(checksum [0-9a-f]{12}\), Convex 3 \(checksum [0-9a-f]{12}\)$/);
    expect(text.slice(1, 5)).toEqual([
      "          only in PocketBase (1): b",
      "          only in Convex (1): d",
      "          content differs (1):",
      "            a: extra, n, title (updated 2026-11-24 10:00:00.000Z in PocketBase, 2026-11-24 11:00:00.000Z in Convex)",
    ]);
    expect(text[5]).toMatch(/^contacts  ok       0 record\(s\)/);
  });

  it("equal counts with different content still differ; long id lists are cut", () => {
    const left = Array.from({ length: 25 }, (_, i) => rec(`id${String(i).padStart(2, "0")}`, { v: i }));
    const d = diffCollection("contacts", left, [], sha256);
    expect(formatDiff([d], undefined, 3)[1]).toBe("          only in PocketBase (25): id00, id01, id02 ... and 22 more");
    const same = diffCollection("contacts", [rec("a", { v: 1 })], [rec("a", { v: 2 })], sha256);
    expect(same.left.count).toBe(same.right.count);
    expect(same.ok).toBe(false);
  });

  it("an id listed twice by one side is reported", () => {
    const d = diffCollection("jobs", [rec("a", { v: 1 })], [rec("a", { v: 1 }), rec("a", { v: 1 })], sha256);
    expect(d.ok).toBe(false);
    expect(d.duplicates).toEqual(["a"]);
  });

  it("differingFields treats absent and undefined alike and compares nested values by content", () => {
    expect(differingFields({ a: { x: 1, y: 2 }, b: undefined }, { a: { y: 2, x: 1 } })).toEqual([]);
    expect(differingFields({ a: [1] }, { a: [1, 2], c: null })).toEqual(["a", "c"]);
  });
});

const exported = (id: string, over: Record<string, unknown> = {}) => ({
  id, collectionId: "hvacjobs0000000", collectionName: "jobs", created: "2026-11-24 09:00:00.000Z", updated: "2026-11-24 10:00:00.123Z",
  title: `Job ${id}`, writeLock: "x", expand: {}, ...over,
});

describe("importChange / planImport", () => {
  it("an exported record becomes an upsert of its synced fields at its own clock", () => {
    expect(importChange("jobs", exported("a1"))).toEqual({
      collection: "jobs", id: "a1", op: "upsert", updated: "2026-11-24 10:00:00.123Z",
      record: { created: "2026-11-24 09:00:00.000Z", title: "Job a1" },
    });
    expect(() => importChange("jobs", exported("a1", { updated: "" }))).toThrow(SyncFormatError);
    expect(() => importChange("jobs", exported("a/1"))).toThrow(/jobs\.id/);
  });

  it("batches in id order within the limits, with stable keys", () => {
    const records = Array.from({ length: 250 }, (_, i) => exported(`r${String(249 - i).padStart(3, "0")}`));
    const plan = planImport("jobs", records, sha256);
    expect(plan.rejected).toEqual([]);
    expect(plan.batches.map((b) => b.changes.length)).toEqual([CONVEX_MUTATION_DOCS, CONVEX_MUTATION_DOCS, 50]);
    expect(plan.batches[0].changes[0].id).toBe("r000");
    expect(plan.batches[2].changes[49].id).toBe("r249");
    // Same data in another order: same batches and keys (a second run finds them done).
    const again = planImport("jobs", records.slice().reverse(), sha256);
    expect(again.batches.map((b) => b.key)).toEqual(plan.batches.map((b) => b.key));
    // One record edited: only its batch gets a new key.
    const edited = records.map((r) => (r.id === "r150" ? { ...r, title: "changed" } : r));
    const keys = planImport("jobs", edited, sha256).batches.map((b) => b.key);
    expect(keys[0]).toBe(plan.batches[0].key);
    expect(keys[1]).not.toBe(plan.batches[1].key);
    expect(keys[2]).toBe(plan.batches[2].key);
  });

  it("splits by bytes, and reports records Convex cannot store by id instead of sending them", () => {
    const big = "x".repeat(900_000);
    const records = [
      exported("a", { notes: big }), exported("b", { notes: big }), exported("c", { notes: big }), exported("d", { notes: big }),
      exported("e", { notes: big }), exported("huge", { notes: "y".repeat(CONVEX_MAX_DOC_BYTES) }), exported("bad", { $weird: 1 }),
      exported("noclock", { updated: "yesterday" }),
    ];
    const plan = planImport("jobs", records, sha256);
    for (const b of plan.batches) expect(b.changes.reduce((a, c) => a + JSON.stringify(c).length + 1, 14)).toBeLessThanOrEqual(CONVEX_MUTATION_BYTES);
    expect(plan.batches.flatMap((b) => b.changes.map((c) => c.id))).toEqual(["a", "b", "c", "d", "e"]);
    expect(plan.batches.length).toBe(2);
    expect(plan.rejected.map((r) => r.id).sort()).toEqual(["bad", "huge", "noclock"]);
    expect(plan.rejected.find((r) => r.id === "huge")!.reason).toMatch(/too large for Convex/);
    expect(plan.rejected.find((r) => r.id === "bad")!.reason).toMatch(/reserved in Convex/);
    expect(plan.rejected.find((r) => r.id === "noclock")!.reason).toMatch(/jobs\/noclock\.updated/);
    expect(IMPORT_LIMITS).toEqual({ maxDocs: CONVEX_MUTATION_DOCS, maxRequestBytes: CONVEX_MUTATION_BYTES, maxDocBytes: CONVEX_MAX_DOC_BYTES });
  });
});

describe("import state", () => {
  it("records batches per deployment and collection, immutably, without duplicates", () => {
    const s0 = emptyImportState();
    const s1 = withBatchDone(s0, "https://a.convex.cloud", "jobs", "k1");
    const s2 = withBatchDone(withBatchDone(s1, "https://a.convex.cloud", "jobs", "k1"), "https://b.convex.cloud", "jobs", "k2");
    expect(s0.deployments).toEqual({});
    expect([...batchesDone(s2, "https://a.convex.cloud", "jobs")]).toEqual(["k1"]);
    expect([...batchesDone(s2, "https://b.convex.cloud", "jobs")]).toEqual(["k2"]);
    expect(batchesDone(s2, "https://a.convex.cloud", "contacts").size).toBe(0);
    expect(parseImportState(JSON.parse(JSON.stringify(s2)))).toEqual(s2);
  });

  it("withoutCollection forgets one collection of one deployment, immutably", () => {
    const s = withBatchDone(withBatchDone(withBatchDone(emptyImportState(), "https://a.convex.cloud", "jobs", "k1"), "https://a.convex.cloud", "contacts", "k2"), "https://b.convex.cloud", "jobs", "k3");
    const t = withoutCollection(s, "https://a.convex.cloud", "jobs");
    expect(t.deployments).toEqual({ "https://a.convex.cloud": { contacts: ["k2"] }, "https://b.convex.cloud": { jobs: ["k3"] } });
    expect([...batchesDone(s, "https://a.convex.cloud", "jobs")]).toEqual(["k1"]);
    expect(withoutCollection(s, "https://c.convex.cloud", "jobs")).toEqual(s);
  });

  it.each([[null], [{}], [{ version: 2, deployments: {} }], [{ version: 1, deployments: { u: { jobs: [1] } } }], [{ version: 1, deployments: { u: [] } }]])(
    "refuses %j naming the file", (raw) => {
      expect(() => parseImportState(raw, "/x/state.json")).toThrow(/^\/x\/state\.json/);
    },
  );
});

describe("Convex answers and export files", () => {
  it("parsePageAnswer checks every field", () => {
    const ok = { records: [{ id: "a", updated: "2026-11-24 10:00:00.000Z", record: { t: 1 } }], isDone: false, continueCursor: "c1" };
    expect(parsePageAnswer(ok)).toEqual(ok);
    expect(() => parsePageAnswer({ ...ok, isDone: "no" })).toThrow(/answer\.isDone/);
    expect(() => parsePageAnswer({ ...ok, records: [{ id: "a", updated: "x", record: null }] })).toThrow(/answer\.records\[0\]\.record/);
    expect(() => parsePageAnswer({ records: {}, isDone: true, continueCursor: "" })).toThrow(/answer\.records/);
    expect(() => parsePageAnswer("x")).toThrow(SyncFormatError);
  });

  it("file paths, safe names and the names a record holds", () => {
    expect(exportFilePath("invoices", "abc", "f_1.pdf")).toBe("files/invoices/abc/f_1.pdf");
    expect(["f.pdf", "a b.png"].every(isSafeFileName)).toBe(true);
    expect(["", ".", "..", "a/b", "a\\b", "x\x00"].some(isSafeFileName)).toBe(false);
    expect(recordFiles({ photo: "a.png", docs: ["b.pdf", "c.pdf"], none: "", other: "x" }, ["photo", "docs", "none"])).toEqual([
      { field: "photo", name: "a.png" }, { field: "docs", name: "b.pdf" }, { field: "docs", name: "c.pdf" },
    ]);
  });

  it("parseFileLog ignores a line cut short by a kill; the last entry for a path wins", () => {
    const text = `${JSON.stringify({ path: "files/a", size: 3, sha256: "x" })}\n${JSON.stringify({ path: "files/a", size: 4, sha256: "y" })}\n{"path":"files/b","si`;
    expect([...parseFileLog(text).values()]).toEqual([{ path: "files/a", size: 4, sha256: "y" }]);
  });

  it("parseManifest refuses what is not an export", () => {
    const m = { format: "hvac-export", version: 1, collections: [{ name: "jobs", count: 1, checksum: "sha256:x", file: "records/jobs.jsonl" }] };
    expect(parseManifest(m).collections[0].name).toBe("jobs");
    expect(() => parseManifest({ ...m, format: "x" })).toThrow(/not an hvac export/);
    expect(() => parseManifest({ ...m, collections: [{ ...m.collections[0], file: "../etc/passwd" }] })).toThrow(/collections\[0\]\.file/);
    expect(() => parseManifest({ ...m, collections: [{ ...m.collections[0], count: -1 }] })).toThrow(/collections\[0\]\.count/);
    // An export that lacks files says which.
    expect(parseManifest({ ...m, filesMissing: ["files/invoices/a/f.pdf"] }).filesMissing).toEqual(["files/invoices/a/f.pdf"]);
    expect(() => parseManifest({ ...m, filesMissing: "files/x" })).toThrow(/manifest\.json\.filesMissing: expected an array of file paths/);
  });
});
