// `hvac verify [URL | --from DIR]`: compares the synced collections on both sides - the office server
// (admin API) or an export, and Convex (the public query migration:page, page by page: a Convex
// query has 1 s) - by counts and content checksums over the canonical JSON of the synced fields
// (syncRecord), and prints a readable diff: "ok" per collection, or the counts, the ids on one side
// only and the ids whose content differs with the differing fields. Deleted records (tombstones) in
// Convex do not count. Exit code 0 only when every collection matches.
import { resolve } from "node:path";
import { serverUrl } from "../config";
import { diffCollection, formatDiff, parsePageAnswer, type CollectionDiff, type SideRecord } from "../domain/migration";
import { normalizeUpdated, SYNC_COLLECTIONS, syncRecord, SyncFormatError, type SyncCollection } from "../domain/sync";
import type { Env } from "../domain/sync-config";
import {
  adminClient, convexErrorText, errorText, exportSource, MigrationFunctions, migrationConfig, serverSource, sha256,
  type Print, type RecordSource,
} from "./migrate";
import { Progress, type ProgressStream } from "./progress";

/** Records per migration:page call (the query also stops at ~4 MB read). */
export const VERIFY_PAGE = 200;

function side(collection: SyncCollection, r: Record<string, unknown>): SideRecord {
  let updated = String(r.updated ?? "");
  try {
    updated = normalizeUpdated(r.updated, "updated");
  } catch {
    /* shown as it is */
  }
  return { id: String(r.id), updated, record: syncRecord(collection, r) };
}

/** Every live record of a collection in Convex. */
export async function convexRecords(fns: MigrationFunctions, collection: SyncCollection, onPage?: (n: number) => void): Promise<SideRecord[]> {
  const out: SideRecord[] = [];
  let cursor: string | null = null;
  for (let pages = 0; ; pages++) {
    let answer;
    try {
      answer = parsePageAnswer(await fns.page(collection, cursor, VERIFY_PAGE), `migration:page(${collection})`);
    } catch (e) {
      throw new Error(e instanceof SyncFormatError ? `malformed answer from Convex: ${e.message}` : convexErrorText(e, fns.config));
    }
    for (const r of answer.records) out.push({ id: r.id, updated: r.updated, record: r.record });
    onPage?.(answer.records.length);
    if (answer.isDone) return out;
    if (answer.continueCursor === cursor) throw new Error(`Convex returned the same cursor twice for ${collection}`);
    cursor = answer.continueCursor;
  }
}

export async function verifyData(source: RecordSource, fns: MigrationFunctions, progress?: ProgressStream): Promise<CollectionDiff[]> {
  let total = 0;
  for (const c of SYNC_COLLECTIONS) total += await source.count(c);
  const bar = new Progress({ label: "reading", total, unit: "records (PocketBase side)", stream: progress });
  bar.update(0);
  const diffs: CollectionDiff[] = [];
  try {
    for (const c of SYNC_COLLECTIONS) {
      const left: SideRecord[] = [];
      for await (const page of source.records(c)) {
        for (const r of page) left.push(side(c, r));
        bar.tick(page.length);
      }
      const right = await convexRecords(fns, c);
      diffs.push(diffCollection(c, left, right, sha256));
    }
    bar.finish();
  } catch (e) {
    bar.interrupt();
    throw e;
  }
  return diffs;
}

export async function verifyCommand(args: string[], env: Env = process.env, print: Print = console.log, progress?: ProgressStream): Promise<number> {
  let from: string | undefined;
  let urlArg: string | undefined;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--from") from = args[++i];
    else if (args[i].startsWith("--from=")) from = args[i].slice(7);
    else if (/^https?:/.test(args[i]) && !urlArg) urlArg = args[i];
    else {
      print("Usage: npx hvac verify [URL | --from DIR]");
      return 2;
    }
  }
  const config = migrationConfig(env);
  const url = serverUrl(urlArg, env);
  let source: RecordSource;
  try {
    source = from ? await exportSource(resolve(from)) : serverSource(await adminClient(url, env), url);
  } catch (e) {
    print(`verify: cannot read ${from ? `the export in ${from}` : `PocketBase at ${url}`}: ${errorText(e)}`);
    return 1;
  }
  let diffs: CollectionDiff[];
  try {
    diffs = await verifyData(source, new MigrationFunctions(config), progress);
  } catch (e) {
    print(`verify failed: ${errorText(e)}`);
    return 1;
  }
  const left = from ? "export" : "PocketBase";
  print(`Comparing ${source.describe} with Convex at ${config.convexUrl} (content checksums, sha256 over the synced fields):`);
  for (const line of formatDiff(diffs, { left, right: "Convex" })) print(line);
  const bad = diffs.filter((d) => !d.ok);
  print(bad.length ? `${bad.length} of ${diffs.length} collection(s) differ.` : `All ${diffs.length} collections match.`);
  return bad.length ? 1 : 0;
}
