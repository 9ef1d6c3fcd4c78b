/// <reference types="vite/client" />
// convex/files.ts on convex-test's in-memory backend: the secret, the upload URL, attach (new,
// the same blob again, another blob replacing and deleting the old one, a blob that does not match
// what the office sent, a blob that belongs to another file) and the field checks.
import { createHash } from "node:crypto";
import { convexTest } from "convex-test";
import type { GenericId } from "convex/values";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { api } from "../../convex/_generated/api";
import schema from "../../convex/schema";

const modules = import.meta.glob("../../convex/**/*.*s");
const SECRET = "files-secret-0123456789abcdef";

type T = ReturnType<typeof convexTest>;
type StorageId = GenericId<"_storage">;

let t: T;
beforeEach(() => {
  vi.stubEnv("CONVEX_SYNC_SECRET", SECRET);
  t = convexTest(schema, modules);
});
afterEach(() => {
  vi.unstubAllEnvs();
});

const bytes = (text: string) => new TextEncoder().encode(text);
const sha256 = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

/** Stores bytes the way an upload URL does; returns the storage id. */
const upload = (b: Uint8Array<ArrayBuffer>, type = "image/png") => t.run(async (ctx) => ctx.storage.store(new Blob([b], { type })));
const blobExists = (id: StorageId) => t.run(async (ctx) => (await ctx.db.system.get(id)) !== null);
const mappings = () => t.run(async (ctx) => ctx.db.query("sync_files").collect());

function args(storageId: StorageId, b: Uint8Array, over: Record<string, unknown> = {}) {
  return { secret: SECRET, collection: "invoices", pbId: "abc123def456ghi", field: "file", filename: "faktura_x1y2z3.pdf", storageId, sha256: sha256(b), size: b.length, ...over };
}

/** The ConvexError data of a failed call. */
async function refusal(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await p;
  } catch (e) {
    return (e as { data: { code: string; message: string } }).data;
  }
  throw new Error("expected the call to fail");
}

describe("files:generateUploadUrl", () => {
  it("hands out an upload URL for the right secret only", async () => {
    expect(await t.mutation(api.files.generateUploadUrl, { secret: SECRET })).toMatch(/^https:\/\/.+\/api\/storage\/upload\?token=/);
    expect(await refusal(t.mutation(api.files.generateUploadUrl, { secret: "wrong" }))).toEqual({ code: "unauthorized", message: "secret: wrong CONVEX_SYNC_SECRET" });
    vi.stubEnv("CONVEX_SYNC_SECRET", "");
    expect((await refusal(t.mutation(api.files.generateUploadUrl, { secret: "" }))).message).toContain("CONVEX_SYNC_SECRET is not set");
  });
});

describe("files:attach", () => {
  it("records the file once; the same blob again changes nothing", async () => {
    const b = bytes("%PDF-1.4 faktura");
    const id = await upload(b, "application/pdf");
    expect(await t.mutation(api.files.attach, args(id, b))).toEqual({ status: "attached" });
    expect(await t.mutation(api.files.attach, args(id, b))).toEqual({ status: "unchanged" });
    const rows = await mappings();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ collection: "invoices", pbId: "abc123def456ghi", field: "file", filename: "faktura_x1y2z3.pdf", storageId: id, sha256: sha256(b), size: b.length });
    expect(await blobExists(id)).toBe(true);
  });

  it("another blob for the same file replaces the mapping and deletes the old blob", async () => {
    const b = bytes("photo bytes");
    const first = await upload(b);
    const second = await upload(b);
    await t.mutation(api.files.attach, args(first, b));
    expect(await t.mutation(api.files.attach, args(second, b))).toEqual({ status: "replaced" });
    const rows = await mappings();
    expect(rows.map((r) => r.storageId)).toEqual([second]);
    expect(await blobExists(first)).toBe(false);
    expect(await blobExists(second)).toBe(true);
  });

  it("files of other records or other names are separate mappings", async () => {
    const b = bytes("x");
    await t.mutation(api.files.attach, args(await upload(b), b));
    await t.mutation(api.files.attach, args(await upload(b), b, { pbId: "other0000000000" }));
    await t.mutation(api.files.attach, args(await upload(b), b, { filename: "faktura_2.pdf" }));
    expect(await mappings()).toHaveLength(3);
  });

  it("a blob that is not what the office sent is deleted and not recorded", async () => {
    const sent = bytes("the whole file");
    const truncated = await upload(bytes("the whole"));
    const answer = await t.mutation(api.files.attach, args(truncated, sent, { sha256: sha256(sent), size: sent.length }));
    expect(answer).toEqual({ status: "rejected", message: "the upload was not stored intact (9 bytes arrived, 14 were sent); it was deleted, upload it again" });
    expect(await blobExists(truncated)).toBe(false);
    const other = await upload(bytes("same size, other bytes!"));
    const wrong = bytes("same size, different!!!");
    expect((await t.mutation(api.files.attach, args(other, wrong))).message).toMatch(/^the upload was not stored intact \(the SHA-256 of what arrived is [0-9a-f]{64}, not [0-9a-f]{64}\)/);
    expect(await mappings()).toEqual([]);
  });

  it("a blob that holds another file is refused and kept", async () => {
    const b = bytes("shared");
    const id = await upload(b);
    await t.mutation(api.files.attach, args(id, b));
    const e = await refusal(t.mutation(api.files.attach, args(id, b, { pbId: "someoneelse0000" })));
    expect(e).toEqual({ code: "invalid", message: "storageId: this blob already holds invoices/abc123def456ghi/faktura_x1y2z3.pdf" });
    expect(await blobExists(id)).toBe(true);
    expect(await mappings()).toHaveLength(1);
  });

  it("a wrong secret, a deleted blob and bad fields are refused naming the field; nothing is written", async () => {
    const b = bytes("y");
    const id = await upload(b);
    expect((await refusal(t.mutation(api.files.attach, args(id, b, { secret: "nope" })))).code).toBe("unauthorized");
    const cases: [Record<string, unknown>, string][] = [
      [{ collection: "../etc" }, "collection: "],
      [{ pbId: "" }, "pbId: "],
      [{ field: "a b" }, "field: "],
      [{ filename: "a/b.png" }, "filename: "],
      [{ filename: "x".repeat(256) }, "filename: "],
      [{ sha256: "ABC" }, "sha256: expected 64 lower-case hex digits"],
      [{ size: -1 }, "size: expected a whole number of bytes, got -1"],
      [{ size: 1.5 }, "size: "],
    ];
    for (const [over, message] of cases) {
      const e = await refusal(t.mutation(api.files.attach, args(id, b, over)));
      expect(e.code).toBe("invalid");
      expect(e.message.startsWith(message)).toBe(true);
    }
    await t.run(async (ctx) => ctx.storage.delete(id));
    expect((await refusal(t.mutation(api.files.attach, args(id, b)))).message).toMatch(/^storageId: no uploaded file has this id/);
    expect(await mappings()).toEqual([]);
  });
});
