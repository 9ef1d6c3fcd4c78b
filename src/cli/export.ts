// `hvac export [--out DIR] [URL]`: every collection and every uploaded file of a running office
// server, through the admin API, into a folder:
//
//   DIR/manifest.json               written last: its presence means the export is complete
//   DIR/collections.json            the collections' definitions (fields, rules, indexes)
//   DIR/records/<collection>.jsonl  one record per line, in id order, as the admin API returns it
//   DIR/files/<collection>/<recordId>/<filename>
//   DIR/files.jsonl                 path, size and sha256 of every file
//
// Resumable: every file is written to a temporary name and renamed when complete, so a kill never
// leaves a half file under a final name. Progress is kept in DIR/.export-state.json (collections
// done) and DIR/.export-files.jsonl (files done, appended after each rename); a second run skips
// collections done and files whose size on disk matches the log. Re-running a finished export
// changes nothing and says so.
//
// A file a record names that the server does not have (404) is not an error that stops the others,
// but the export is not complete: manifest.json is written (the records are all there, import-convex
// --from can use them) with the paths in `filesMissing`, the resume state is kept, the command exits 1,
// and running it again asks for just those files.
import { createHash } from "node:crypto";
import { createWriteStream, existsSync } from "node:fs";
import { appendFile, mkdir, open, readdir, readFile, rename, rm, stat, unlink } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { Readable, Transform, type TransformCallback } from "node:stream";
import { pipeline } from "node:stream/promises";
import { serverUrl } from "../config";
import {
  collectionChecksum, exportedRecord, exportFilePath, isSafeFileName, parseFileLog, recordDigest, recordFiles,
  type DigestEntry, type ExportedFile, type ExportManifest, type ManifestCollection,
} from "../domain/migration";
import type { Env } from "../domain/sync-config";
import { adminClient, countRecords, errorText, FileReader, listRecords, readJsonLines, readManifest, sha256, writeAtomic, type Print } from "./migrate";
import { pool } from "./pool";
import { Progress, type ProgressStream } from "./progress";

/**
 * What an export cannot contain, because the admin API does not hand it out or it is not data.
 * Printed at the end and kept in the manifest.
 */
export const NOT_INCLUDED = [
  "_admins (PocketBase admins and their password hashes)",
  "_params (settings: SMTP, S3, backups, token secrets)",
  "_externalAuths (OAuth2 links of users)",
  "_migrations (which migrations ran; pb_migrations/ in the repository holds them)",
  "password hashes and token keys of auth records (users): the API never returns them",
  "logs.db (request logs)",
  "hvac_outbox, hvac_sync_targets, hvac_sync_state (the sync queue and its state: not collections)",
  "the FTS5 search index (rebuilt from the records by the migrations and hooks)",
  "view collections (computed from other collections; their definitions are in collections.json)",
  "thumbnails (PocketBase makes them again from the originals)",
];

const STATE = ".export-state.json";
const FILE_LOG = ".export-files.jsonl";
/** Files fetched at the same time. */
const PARALLEL = 4;

interface ExportState {
  version: 1;
  source: string;
  startedAt: string;
  collections: Record<string, { type: string; count: number; checksum: string; file: string; fileFields: string[] }>;
}

export interface ExportOptions {
  url: string;
  outDir: string;
  env: Env;
  print: Print;
  /** Where progress bars go (default stderr). */
  progress?: ProgressStream;
  /** Stops the export between items (tests; Ctrl+C behaves like a kill). */
  signal?: AbortSignal;
}

export interface ExportResult {
  alreadyComplete: boolean;
  manifest: ExportManifest;
  /** Files skipped because an earlier run fetched them. */
  filesReused: number;
  filesFetched: number;
  /** Files the records name that the server did not have (404): the export is not complete. */
  filesMissing: string[];
}

class Sha256Count extends Transform {
  readonly hash = createHash("sha256");
  bytes = 0;
  _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    done(null, chunk);
  }
}

/** The server's version, read from its Admin UI bundle (the API does not tell); "" when unknown. */
export async function serverVersion(url: string): Promise<string> {
  try {
    const html = await (await fetch(`${url}/_/`, { signal: AbortSignal.timeout(10_000) })).text();
    const m = /src="\.?\/?(assets\/index-[^"]+\.js)"/.exec(html);
    if (!m) return "";
    const js = await (await fetch(`${url}/_/${m[1]}`, { signal: AbortSignal.timeout(30_000) })).text();
    return /PocketBase v(\d+\.\d+\.\d+)/.exec(js)?.[1] ?? "";
  } catch {
    return "";
  }
}

async function readState(dir: string, url: string): Promise<ExportState | null> {
  let text: string;
  try {
    text = await readFile(join(dir, STATE), "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw e;
  }
  const state = JSON.parse(text) as ExportState;
  if (state.version !== 1 || typeof state.collections !== "object") throw new Error(`${join(dir, STATE)} is not an export state file`);
  if (state.source !== url) throw new Error(`${dir} holds an unfinished export of ${state.source}, not ${url}: finish it with that URL, or use another --out`);
  return state;
}

/** Runs (or resumes) an export. Throws on failures; the folder then resumes on the next run. */
export async function exportData(opts: ExportOptions): Promise<ExportResult> {
  const { url, env, print, signal } = opts;
  const dir = resolve(opts.outDir);
  const done = await readManifest(dir).catch(() => null);
  if (done && !done.filesMissing?.length) {
    const records = done.collections.reduce((a, c) => a + c.count, 0);
    print(`The export in ${dir} is already complete (${records} records in ${done.collections.length} collections, ${done.files.count} files, finished ${done.finishedAt}); nothing to do. Use another --out for a new export.`);
    return { alreadyComplete: true, manifest: done, filesReused: 0, filesFetched: 0, filesMissing: [] };
  }
  await mkdir(dir, { recursive: true });
  let state = await readState(dir, url);
  if (done) {
    if (!state) throw new Error(`${dir} lacks ${done.filesMissing!.length} file(s) and its resume state (${STATE}) is gone: start a new export with another --out`);
    print(`The export in ${dir} lacks ${done.filesMissing!.length} file(s) the server did not have last time; asking for them again.`);
  }
  if (!state) {
    const present = (await readdir(dir)).filter((f) => !f.startsWith("."));
    if (present.length) throw new Error(`${dir} is not empty and holds no export: choose an empty or new folder with --out`);
    state = { version: 1, source: url, startedAt: new Date().toISOString(), collections: {} };
    await writeAtomic(join(dir, STATE), JSON.stringify(state, null, 1));
  } else {
    print(`Resuming the export in ${dir} (started ${state.startedAt}).`);
  }

  const pb = await adminClient(url, env);
  const collections = await pb.collections.getFullList({ sort: "name" });
  await writeAtomic(join(dir, "collections.json"), JSON.stringify(collections, null, 1));
  const data = collections.filter((c) => c.type !== "view");
  // Names become paths in DIR: what PocketBase itself allows, nothing that could leave the folder.
  for (const c of data) if (!/^[A-Za-z0-9_]+$/.test(c.name)) throw new Error(`the server lists a collection named ${JSON.stringify(c.name)}: not a PocketBase collection name, refused`);
  await mkdir(join(dir, "records"), { recursive: true });

  // ---- records
  const todo = data.filter((c) => !(state!.collections[c.name] && existsSync(join(dir, state!.collections[c.name].file))));
  const counts = new Map<string, number>();
  for (const c of todo) counts.set(c.name, await countRecords(pb, c.name));
  const recordsTotal = [...counts.values()].reduce((a, b) => a + b, 0);
  if (todo.length < data.length) print(`${data.length - todo.length} collection(s) exported by an earlier run are kept.`);
  const bar = new Progress({ label: "records", total: recordsTotal, unit: "records", stream: opts.progress });
  bar.update(0);
  try {
    for (const c of todo) {
      signal?.throwIfAborted();
      const file = `records/${c.name}.jsonl`;
      const tmp = join(dir, `${file}.part`);
      const out = await open(tmp, "w");
      const digests: DigestEntry[] = [];
      try {
        for await (const page of listRecords(pb, c.name)) {
          signal?.throwIfAborted();
          let text = "";
          for (const raw of page) {
            const rec = exportedRecord(raw);
            digests.push({ id: String(rec.id), digest: recordDigest(rec, sha256) });
            text += `${JSON.stringify(rec)}\n`;
          }
          await out.write(text);
          bar.tick(page.length);
        }
        await out.sync();
      } finally {
        await out.close();
      }
      await rename(tmp, join(dir, file));
      const fileFields = c.schema.filter((f) => f.type === "file").map((f) => f.name);
      state.collections[c.name] = { type: c.type, count: digests.length, checksum: `sha256:${collectionChecksum(digests, sha256)}`, file, fileFields };
      await writeAtomic(join(dir, STATE), JSON.stringify(state, null, 1));
    }
    bar.finish();
  } catch (e) {
    bar.interrupt();
    throw e;
  }

  // ---- files
  const wanted: { collection: string; id: string; name: string; path: string }[] = [];
  for (const c of data) {
    const entry = state.collections[c.name];
    if (!entry.fileFields.length) continue;
    for await (const rec of readJsonLines(join(dir, entry.file))) {
      for (const f of recordFiles(rec, entry.fileFields)) {
        const id = String(rec.id);
        if (!isSafeFileName(id) || !isSafeFileName(f.name)) {
          throw new Error(`${c.name}/${JSON.stringify(id)}: unsafe record id or file name ${JSON.stringify(f.name)} (it could write outside ${dir}): refused`);
        }
        wanted.push({ collection: c.name, id, name: f.name, path: exportFilePath(c.name, id, f.name) });
      }
    }
  }
  let log = new Map<string, ExportedFile>();
  try {
    log = parseFileLog(await readFile(join(dir, FILE_LOG), "utf8"));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
  }
  const have = async (path: string): Promise<boolean> => {
    const known = log.get(path);
    if (!known) return false;
    try {
      return (await stat(join(dir, path))).size === known.size;
    } catch {
      return false;
    }
  };
  const fetchList: typeof wanted = [];
  let reused = 0;
  for (const w of wanted) {
    if (await have(w.path)) reused++;
    else fetchList.push(w);
  }
  if (reused) print(`${reused} file(s) fetched by an earlier run are kept (size checked).`);
  const files = new Progress({ label: "files", total: wanted.length, unit: "files", stream: opts.progress });
  files.update(reused);
  const missing: string[] = [];
  const reader = new FileReader(pb);
  let fetched = 0;
  try {
    // The first failure stops every download (pool aborts them) and the export with it.
    await pool(fetchList, PARALLEL, async (w, stop) => {
      const ok = await download(reader, w, dir, stop);
      if (ok) {
        log.set(w.path, ok);
        await appendFile(join(dir, FILE_LOG), `${JSON.stringify(ok)}\n`);
        fetched++;
      } else {
        missing.push(w.path);
      }
      files.tick();
    }, signal);
    if (missing.length) files.interrupt();
    else files.finish();
  } catch (e) {
    files.interrupt();
    throw e;
  }

  // ---- manifest (last)
  const index = wanted.filter((w) => log.has(w.path)).map((w) => ({ ...log.get(w.path)!, collection: w.collection, record: w.id, name: w.name }));
  await writeAtomic(join(dir, "files.jsonl"), index.map((f) => JSON.stringify(f)).join("\n") + (index.length ? "\n" : ""));
  const perCollection = (name: string) => {
    const mine = index.filter((f) => f.collection === name);
    return { count: mine.length, bytes: mine.reduce((a, f) => a + f.size, 0) };
  };
  const version = await serverVersion(url);
  const manifest: ExportManifest = {
    format: "hvac-export",
    version: 1,
    source: url,
    pocketbase: { version: version || "unknown", source: version ? "the server's Admin UI" : "not found" },
    startedAt: state.startedAt,
    finishedAt: new Date().toISOString(),
    collections: data.map((c): ManifestCollection => {
      const s = state!.collections[c.name];
      return { name: c.name, type: s.type, count: s.count, checksum: s.checksum, file: s.file, files: perCollection(c.name) };
    }),
    files: { count: index.length, bytes: index.reduce((a, f) => a + f.size, 0), index: "files.jsonl" },
    notIncluded: NOT_INCLUDED,
  };
  if (missing.length) manifest.filesMissing = missing.sort();
  await writeAtomic(join(dir, "manifest.json"), JSON.stringify(manifest, null, 1));
  if (!missing.length) {
    await unlink(join(dir, STATE)).catch(() => undefined);
    await unlink(join(dir, FILE_LOG)).catch(() => undefined);
  }
  await removeParts(join(dir, "files"));
  return { alreadyComplete: false, manifest, filesReused: reused, filesFetched: fetched, filesMissing: missing };
}

/** Fetches one file to a temporary name and renames it when complete; null when the server has none. */
async function download(
  reader: FileReader, w: { collection: string; id: string; name: string; path: string }, dir: string, signal: AbortSignal,
): Promise<ExportedFile | null> {
  const target = join(dir, w.path);
  await mkdir(dirname(target), { recursive: true });
  const res = await reader.open(w.collection, w.id, w.name, signal);
  if (!res) return null;
  const expected = Number(res.headers.get("content-length") ?? NaN);
  const part = `${target}.part`;
  const count = new Sha256Count();
  await pipeline(Readable.fromWeb(res.body as import("node:stream/web").ReadableStream), count, createWriteStream(part), { signal });
  if (Number.isFinite(expected) && count.bytes !== expected) {
    await unlink(part).catch(() => undefined);
    throw new Error(`${w.path}: received ${count.bytes} of ${expected} bytes`);
  }
  const fh = await open(part, "r+");
  await fh.sync();
  await fh.close();
  await rename(part, target);
  return { path: w.path, size: count.bytes, sha256: count.hash.digest("hex") };
}

/** Removes half-fetched files a killed run left (nothing else has a .part name there). */
async function removeParts(dir: string): Promise<void> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true, recursive: true });
  } catch {
    return;
  }
  for (const e of entries) {
    if (e.isFile() && e.name.endsWith(".part")) await rm(join(e.parentPath ?? (e as unknown as { path: string }).path, e.name), { force: true });
  }
}

export async function exportCommand(args: string[], env: Env = process.env, print: Print = console.log): Promise<number> {
  let out = "hvac-export";
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--out") out = args[++i] ?? "";
    else if (args[i].startsWith("--out=")) out = args[i].slice(6);
    else rest.push(args[i]);
  }
  if (!out || rest.some((a) => a.startsWith("-"))) {
    print("Usage: npx hvac export [--out DIR] [URL]");
    return 2;
  }
  const url = serverUrl(rest.find((a) => /^https?:/.test(a)), env);
  try {
    const r = await exportData({ url, outDir: out, env, print });
    if (r.alreadyComplete) return 0;
    const m = r.manifest;
    print(`Exported ${url} into ${resolve(out)}:`);
    for (const c of m.collections) {
      print(`  ${c.name.padEnd(18)} ${String(c.count).padStart(7)} records${c.files.count ? `, ${c.files.count} files (${(c.files.bytes / 1e6).toFixed(1)} MB)` : ""}  ${c.checksum.slice(0, 19)}`);
    }
    print(`PocketBase ${m.pocketbase.version}. Files: ${r.filesFetched} fetched, ${r.filesReused} kept from an earlier run.`);
    print("Not included (not available through the API, or not data):");
    for (const n of m.notIncluded) print(`  - ${n}`);
    print("A complete copy of the data dir, with those, is a backup: npx hvac backup.");
    if (r.filesMissing.length) {
      print(`INCOMPLETE: ${r.filesMissing.length} file(s) named by records are not on the server (HTTP 404):`);
      for (const p of r.filesMissing.slice(0, 50)) print(`  ${p}`);
      if (r.filesMissing.length > 50) print(`  ... and ${r.filesMissing.length - 50} more (manifest.json, "filesMissing")`);
      print("Every record and every other file is exported. Run the same command again to ask for the missing files again.");
      return 1;
    }
    return 0;
  } catch (e) {
    print(`export of ${url} into ${resolve(out)} stopped: ${errorText(e)}. Run the same command again to continue.`);
    return 1;
  }
}
