// Files of PocketBase records in Convex file storage (`npx hvac migrate-files --to convex`, issue 5).
//
// The office CLI calls these public functions with the `convex` client (a deploy key never lives on
// the office server, so each takes CONVEX_SYNC_SECRET as an argument, see secret.ts):
//   1. files:generateUploadUrl({secret}) -> an upload URL;
//   2. POST the bytes to it (Content-Type of the file) -> {"storageId"};
//   3. files:attach({secret, collection, pbId, field, filename, storageId, sha256, size}) records which
//      blob holds which record's file in `sync_files`.
// attach is idempotent: the same blob again changes nothing; another blob for the same file replaces
// the mapping and deletes the old blob (a re-run after a crash leaves no second copy behind). It
// checks the blob Convex stored against the size and SHA-256 the office computed before it records
// anything, so a truncated upload is never attached.
import { ConvexError, v } from "convex/values";
import { mutation } from "./_generated/server";
import { syncFileFields } from "./schema";
import { assertSyncSecret } from "./secret";

/** PocketBase collection and field names, record ids: letters, digits, `_` (ids may be custom: `-` too). */
const NAME = /^[A-Za-z0-9_-]{1,100}$/;
/** PocketBase's stored file names: one path segment, no control characters. */
const FILENAME = /^[^/\\\u0000-\u001f]{1,255}$/;
const SHA256_HEX = /^[0-9a-f]{64}$/;

function invalid(field: string, message: string): never {
  throw new ConvexError({ code: "invalid", message: `${field}: ${message}` });
}

/** Convex keeps a blob's SHA-256 base64-encoded; the office sends hex. */
function base64ToHex(b64: string): string {
  const raw = atob(b64);
  let out = "";
  for (let i = 0; i < raw.length; i++) out += raw.charCodeAt(i).toString(16).padStart(2, "0");
  return out;
}

export const generateUploadUrl = mutation({
  args: { secret: v.string() },
  handler: async (ctx, { secret }) => {
    assertSyncSecret(secret);
    return await ctx.storage.generateUploadUrl();
  },
});

export type AttachStatus = "attached" | "unchanged" | "replaced" | "rejected";

export const attach = mutation({
  args: { secret: v.string(), ...syncFileFields },
  handler: async (ctx, args): Promise<{ status: AttachStatus; message?: string }> => {
    assertSyncSecret(args.secret);
    if (!NAME.test(args.collection)) invalid("collection", `expected a PocketBase collection name, got "${args.collection.slice(0, 100)}"`);
    if (!NAME.test(args.pbId)) invalid("pbId", `expected a PocketBase record id, got "${args.pbId.slice(0, 100)}"`);
    if (!NAME.test(args.field)) invalid("field", `expected a PocketBase field name, got "${args.field.slice(0, 100)}"`);
    if (!FILENAME.test(args.filename)) invalid("filename", "expected a file name of 1-255 characters without slashes or control characters");
    if (!SHA256_HEX.test(args.sha256)) invalid("sha256", "expected 64 lower-case hex digits");
    if (!Number.isInteger(args.size) || args.size < 0) invalid("size", `expected a whole number of bytes, got ${args.size}`);

    const blob = await ctx.db.system.get(args.storageId);
    if (!blob) invalid("storageId", "no uploaded file has this id (the upload did not finish, or it was deleted)");

    const existing = await ctx.db
      .query("sync_files")
      .withIndex("by_file", (q) => q.eq("collection", args.collection).eq("pbId", args.pbId).eq("filename", args.filename))
      .unique();
    if (existing && existing.storageId === args.storageId) return { status: "unchanged" };

    // A blob recorded for another file must never be deleted or moved by this call.
    const owner = await ctx.db.query("sync_files").withIndex("by_storageId", (q) => q.eq("storageId", args.storageId)).first();
    if (owner) invalid("storageId", `this blob already holds ${owner.collection}/${owner.pbId}/${owner.filename}`);

    const sha256 = base64ToHex(blob.sha256);
    if (blob.size !== args.size || sha256 !== args.sha256) {
      // Returned, not thrown: a throw would roll the delete back and leave the bad blob behind.
      await ctx.storage.delete(args.storageId);
      const what = blob.size !== args.size ? `${blob.size} bytes arrived, ${args.size} were sent` : `the SHA-256 of what arrived is ${sha256}, not ${args.sha256}`;
      return { status: "rejected", message: `the upload was not stored intact (${what}); it was deleted, upload it again` };
    }

    const fields = {
      collection: args.collection, pbId: args.pbId, field: args.field, filename: args.filename,
      storageId: args.storageId, sha256: args.sha256, size: args.size, attachedAt: Date.now(),
    };
    if (!existing) {
      await ctx.db.insert("sync_files", fields);
      return { status: "attached" };
    }
    await ctx.db.replace(existing._id, fields);
    await ctx.storage.delete(existing.storageId);
    return { status: "replaced" };
  },
});
