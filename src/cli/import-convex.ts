// `hvac import-convex [--from DIR | URL]`: bulk import of the synced collections (SYNC_COLLECTIONS)
// into Convex through the official `convex` client (ConvexHttpClient, CONVEX_URL) and the public
// mutation migration:importBatch (convex/migration.ts), which writes through the same last-writer-
// wins path as /pocketbase/push. From a running office server (admin API) or a finished export.
//
// Batches stay within one Convex transaction's limits (IMPORT_LIMITS: 100 records, 4 MB); a record
// Convex cannot store (over 1 MB, bad field names) is reported by id and not sent. Resumable: the
// keys of the batches Convex confirmed go to a state file (the export folder's, or DATA_DIR's), so
// a second run skips them; replaying a batch is harmless anyway (Convex answers "skipped"). Nothing
// is marked done before Convex confirmed it, and the state file's place is checked writable before the
// first batch. The state is per deployment URL, and a reset deployment keeps its URL: a collection
// whose Convex side holds fewer live records than the state says were imported is imported again.
// A backup of the office server is made first (--no-backup skips it).
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import type PocketBase from "pocketbase";
import { dataDirOf, serverUrl } from "../config";
import {
  batchesDone, emptyImportState, parseImportState, planImport, withBatchDone, withoutCollection, type ImportState,
} from "../domain/migration";
import { parsePushResponse, SYNC_COLLECTIONS, SyncFormatError, type PushStatus } from "../domain/sync";
import type { Env } from "../domain/sync-config";
import { ensureBackupBeforeMigration } from "./backup";
import {
  adminClient, checkWritable, convexErrorText, errorText, exportSource, MigrationFunctions, migrationConfig, serverSource, sha256, writeAtomic,
  type Print, type RecordSource,
} from "./migrate";
import { Progress, type ProgressStream } from "./progress";
import { convexRecords } from "./verify";

export const STATE_FILE = ".hvac-import-convex-state.json";

interface Options {
  from?: string;
  url?: string;
  noBackup: boolean;
  statePath?: string;
}

function parseArgs(args: string[]): Options | null {
  const o: Options = { noBackup: false };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === "--from") o.from = args[++i];
    else if (a.startsWith("--from=")) o.from = a.slice(7);
    else if (a === "--state") o.statePath = args[++i];
    else if (a.startsWith("--state=")) o.statePath = a.slice(8);
    else if (a === "--no-backup") o.noBackup = true;
    else if (/^https?:/.test(a) && !o.url) o.url = a;
    else return null;
  }
  if (o.from === "" || o.statePath === "") return null;
  return o;
}

async function loadState(path: string): Promise<ImportState> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return emptyImportState();
    throw e;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new SyncFormatError(path, "not valid JSON (delete it to import everything again; records already in Convex answer \"skipped\")");
  }
  return parseImportState(raw, path);
}

export interface ImportSummary {
  /** Per collection: records by status; `rejected` never sent. */
  collections: { name: string; applied: number; skipped: number; conflict: number; reused: number; rejected: { id: string; reason: string }[] }[];
  batchesSent: number;
  batchesReused: number;
}

export async function importConvexCommand(
  args: string[], env: Env = process.env, print: Print = console.log, progress?: ProgressStream,
): Promise<number> {
  const o = parseArgs(args);
  if (!o) {
    print("Usage: npx hvac import-convex [--from DIR | URL] [--no-backup] [--state FILE]");
    return 2;
  }
  const config = migrationConfig(env);
  const url = serverUrl(o.url, env);
  let source: RecordSource;
  let statePath: string;
  let pb: PocketBase | null = null;
  try {
    if (o.from) {
      source = await exportSource(resolve(o.from));
      statePath = resolve(o.statePath ?? join(o.from, STATE_FILE));
    } else {
      pb = await adminClient(url, env);
      source = serverSource(pb, url);
      const dataDir = resolve(dataDirOf(env));
      statePath = resolve(o.statePath ?? join(existsSync(dataDir) ? dataDir : ".", STATE_FILE));
    }
  } catch (e) {
    print(`import-convex: cannot read ${o.from ? `the export in ${o.from}` : `PocketBase at ${url}`}: ${errorText(e)}`);
    return 1;
  }
  // Checked before anything is sent: a batch Convex confirmed must be recordable.
  try {
    await checkWritable(statePath);
  } catch (e) {
    print(`import-convex: cannot write the state file ${statePath} (${(e as NodeJS.ErrnoException).code ?? errorText(e)}); choose a writable place with --state FILE. Nothing was imported.`);
    return 1;
  }
  if (!o.noBackup) {
    try {
      await ensureBackupBeforeMigration(pb ?? (await adminClient(url, env)), print, "before-import-convex");
    } catch (e) {
      print(`import-convex: no backup could be made on ${url} before migrating: ${errorText(e)}`);
      print(`Nothing was imported. Make one by other means and pass --no-backup${o.from ? " (the export folder is a snapshot too)" : ""}.`);
      return 1;
    }
  }
  let state: ImportState;
  try {
    state = await loadState(statePath);
  } catch (e) {
    print(`import-convex: ${errorText(e)}`);
    return 1;
  }
  const fns = new MigrationFunctions(config);
  print(`Importing ${SYNC_COLLECTIONS.join(", ")} from ${source.describe} into ${config.convexUrl} (progress in ${statePath}).`);

  const summary: ImportSummary = { collections: [], batchesSent: 0, batchesReused: 0 };
  let total = 0;
  try {
    for (const c of SYNC_COLLECTIONS) total += await source.count(c);
  } catch (e) {
    print(`import-convex: cannot count the records of ${source.describe}: ${errorText(e)}`);
    return 1;
  }
  const bar = new Progress({ label: "import", total, unit: "records", stream: progress });
  bar.update(0);
  for (const collection of SYNC_COLLECTIONS) {
    const records: Record<string, unknown>[] = [];
    try {
      for await (const page of source.records(collection)) for (const r of page) records.push(r);
    } catch (e) {
      bar.interrupt();
      print(`import-convex: reading ${collection} from ${source.describe} failed: ${errorText(e)}`);
      return 1;
    }
    const plan = planImport(collection, records, sha256);
    let done = batchesDone(state, config.convexUrl, collection);
    // The state is kept per deployment URL; a deployment that was reset (or emptied) since has the
    // same URL. The batches the state counts as applied must still be there, else they go again.
    const claimed = plan.batches.filter((b) => done.has(b.key)).reduce((n, b) => n + b.changes.length, 0);
    if (claimed > 0) {
      let live: number;
      try {
        live = (await convexRecords(fns, collection)).length;
      } catch (e) {
        bar.interrupt();
        print(`import-convex: cannot check the saved progress of ${collection} against ${config.convexUrl}: ${(e as Error).message}`);
        return 1;
      }
      if (live < claimed) {
        bar.say(print, `Note: ${statePath} says ${claimed} ${collection} record(s) were imported into ${config.convexUrl}, but it holds ${live} now (reset or emptied?): importing ${collection} again.`);
        state = withoutCollection(state, config.convexUrl, collection);
        done = new Set();
      }
    }
    const mine = { name: collection, applied: 0, skipped: 0, conflict: 0, reused: 0, rejected: plan.rejected };
    summary.collections.push(mine);
    bar.tick(plan.rejected.length);
    for (let i = 0; i < plan.batches.length; i++) {
      const batch = plan.batches[i];
      if (done.has(batch.key)) {
        mine.reused += batch.changes.length;
        summary.batchesReused++;
        bar.tick(batch.changes.length);
        continue;
      }
      let statuses: PushStatus[];
      try {
        const answer = await fns.importBatch(collection, batch.changes);
        const results = (answer as { results?: unknown } | null)?.results;
        statuses = parsePushResponse({ results }, batch.changes).map((r) => r.status);
      } catch (e) {
        bar.interrupt();
        const ids = `${batch.changes[0].id} .. ${batch.changes[batch.changes.length - 1].id}`;
        print(`import-convex stopped at ${collection} batch ${i + 1}/${plan.batches.length} (records ${ids}): ${e instanceof SyncFormatError ? `malformed answer from Convex: ${e.message}` : convexErrorText(e, config)}`);
        print("This batch is not marked done. Run the same command again to continue: batches done are skipped, records already in Convex answer \"skipped\".");
        return 1;
      }
      for (const s of statuses) mine[s]++;
      state = withBatchDone(state, config.convexUrl, collection, batch.key);
      try {
        await writeAtomic(statePath, JSON.stringify(state));
      } catch (e) {
        bar.interrupt();
        print(`import-convex: Convex applied ${collection} batch ${i + 1}/${plan.batches.length}, but the state file ${statePath} cannot be written (${(e as NodeJS.ErrnoException).code ?? errorText(e)}). Free space or choose another place with --state FILE and run again (sent batches answer "skipped").`);
        return 1;
      }
      summary.batchesSent++;
      bar.tick(batch.changes.length);
    }
  }
  bar.finish();
  let rejected = 0;
  for (const c of summary.collections) {
    print(`  ${c.name.padEnd(18)} ${c.applied} applied, ${c.skipped} already there, ${c.conflict} newer in Convex (kept there, noted in its sync_conflicts)${c.reused ? `, ${c.reused} done by an earlier run` : ""}`);
    for (const r of c.rejected) print(`    not imported: ${c.name}/${r.id}: ${r.reason}`);
    rejected += c.rejected.length;
  }
  if (rejected) {
    print(`${rejected} record(s) cannot be stored in Convex and were not sent (see above); everything else is imported.`);
    return 1;
  }
  print(`Import complete: ${summary.batchesSent} batch(es) sent, ${summary.batchesReused} done earlier. Check it with: npx hvac verify`);
  return 0;
}
