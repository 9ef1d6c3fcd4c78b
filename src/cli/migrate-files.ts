// `hvac migrate-files --to s3|convex [URL] [--switch] [--dry-run] [--no-backup] [--state PATH]` (issue 5):
// copies every file of every collection with file fields from a running office server to
// production storage.
//
// - s3: PocketBase's own S3-compatible storage setting. Each file goes to the key PocketBase uses,
//   `<collectionId>/<recordId>/<filename>` (thumbnails are not copied: PocketBase makes them again from
//   the original on first request). Bucket, region, endpoint, access key and path style come from
//   PocketBase's settings (Settings > Files storage), else from S3_* variables; the secret always
//   from S3_SECRET (the admin API never shows it). `--switch` turns PocketBase's `s3.enabled` on
//   only after every file was checked in the bucket (HEAD, same size), then has PocketBase test
//   the bucket itself and reads one migrated file back through /api/files; if either fails the
//   setting is turned off again.
// - convex: Convex file storage through convex/files.ts (upload URL, POST, files:attach), with
//   CONVEX_URL (https://NAME.convex.cloud) and CONVEX_SYNC_SECRET.
//
// Files are read through PocketBase's file API as the admin (HVAC_ADMIN_EMAIL / HVAC_ADMIN_PASSWORD),
// so the command works from any machine that reaches the server. Before copying, a backup is made
// on the server (PocketBase's backups API) unless --no-backup. Resumable: every finished file is
// appended to a state journal (DATA_DIR/migrate-files.jsonl, or --state) with its size and SHA-256;
// a stopped or killed run goes on where it was, a repeated one copies nothing. Exit 1 lists every
// file that failed; re-running retries just those.
import { appendFileSync, mkdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type PocketBase from "pocketbase";
import { ConfigError, dataDirOf, serverUrl } from "../config";
import { recordFiles } from "../domain/migration";
import type { Env } from "../domain/sync-config";
import { ensureBackupBeforeMigration } from "./backup";
import {
  adminClient, convexErrorCode, convexErrorText, errorText, FileReader, MigrationFunctions, migrationConfig, type Print,
} from "./migrate";
import { pool } from "./pool";
import { Progress, type ProgressStream } from "./progress";
import { S3Client, S3Error, sha256Hex, type S3Config } from "./s3";

const USAGE = "Usage: npx hvac migrate-files --to s3|convex [URL] [--switch] [--dry-run] [--no-backup] [--state PATH] [--concurrency N]";

// ---------------------------------------------------------------- arguments and configuration

export interface MigrateFilesOptions {
  to: "s3" | "convex";
  url: string;
  switchOn: boolean;
  dryRun: boolean;
  backup: boolean;
  statePath: string;
  concurrency: number;
}

class UsageError extends Error {}

export function parseMigrateFilesArgs(args: string[], env: Env): MigrateFilesOptions {
  let to = "";
  let url: string | undefined;
  let statePath = "";
  let concurrency = 4;
  const flags = new Set<string>();
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const [name, inline] = a.startsWith("--") && a.includes("=") ? [a.slice(0, a.indexOf("=")), a.slice(a.indexOf("=") + 1)] : [a, undefined];
    const value = () => {
      const v = inline ?? args[++i];
      if (v === undefined || v === "") throw new UsageError(`${name} needs a value`);
      return v;
    };
    if (name === "--to") to = value();
    else if (name === "--state") statePath = value();
    else if (name === "--concurrency") {
      const v = value();
      if (!/^[1-9][0-9]?$/.test(v) || Number(v) > 32) throw new UsageError(`--concurrency: expected 1 to 32, got "${v}"`);
      concurrency = Number(v);
    } else if (["--switch", "--dry-run", "--no-backup"].includes(name) && inline === undefined) flags.add(name);
    else if (/^https?:\/\//.test(a) && url === undefined) url = a;
    else throw new UsageError(`unknown argument "${a}"`);
  }
  if (to !== "s3" && to !== "convex") throw new UsageError(to ? `--to: expected s3 or convex, got "${to}"` : "--to s3|convex is required");
  if (flags.has("--switch") && to !== "s3") throw new UsageError("--switch applies to --to s3 only (PocketBase cannot serve files from Convex)");
  return {
    to,
    url: serverUrl(url, env),
    switchOn: flags.has("--switch"),
    dryRun: flags.has("--dry-run"),
    backup: !flags.has("--no-backup"),
    statePath: statePath || join(dataDirOf(env), "migrate-files.jsonl"),
    concurrency,
  };
}

/** PocketBase 0.22's `s3` settings block as the admin API returns it (the secret masked). */
export interface PocketBaseS3Settings {
  enabled?: boolean;
  bucket?: string;
  region?: string;
  endpoint?: string;
  accessKey?: string;
  secret?: string;
  forcePathStyle?: boolean;
}

const ENV_OF = { bucket: "S3_BUCKET", region: "S3_REGION", endpoint: "S3_ENDPOINT", accessKey: "S3_ACCESS_KEY" } as const;

/**
 * The bucket to copy to. PocketBase's own settings win when they name a bucket (then the files land
 * where PocketBase will look for them); S3_* variables fill in when they are empty, and a variable
 * that contradicts a setting is an error rather than a silent choice. `fromSettings` = PocketBase
 * already holds this configuration (the switch then only turns it on).
 */
export function resolveS3Config(settings: PocketBaseS3Settings, env: Env): { config: S3Config; fromSettings: boolean } {
  const fromSettings = !!settings.bucket?.trim();
  const read = (k: string) => env[k]?.trim() ?? "";
  const out: Record<keyof typeof ENV_OF, string> = { bucket: "", region: "", endpoint: "", accessKey: "" };
  for (const field of Object.keys(ENV_OF) as (keyof typeof ENV_OF)[]) {
    const variable = ENV_OF[field];
    // An endpoint with or without a trailing slash is the same endpoint.
    const norm = (v: string) => (field === "endpoint" ? v.replace(/\/+$/, "") : v);
    const fromEnv = norm(read(variable));
    const fromPb = norm(fromSettings ? (settings[field] ?? "").trim() : "");
    if (fromPb && fromEnv && fromEnv !== fromPb) {
      throw new ConfigError(variable, `"${fromEnv}" differs from PocketBase's s3.${field} "${fromPb}"; unset ${variable} or make them agree`);
    }
    out[field] = fromPb || fromEnv;
    if (!out[field]) throw new ConfigError(variable, `required: PocketBase's s3.${field} is empty, so give it here`);
  }
  if (!/^https?:\/\/[^\s/]+(\/\S*)?$/.test(out.endpoint)) throw new ConfigError("S3_ENDPOINT", `expected an http(s) URL such as https://s3.eu-central-1.amazonaws.com, got "${out.endpoint}"`);
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(out.bucket)) throw new ConfigError("S3_BUCKET", `not a valid bucket name: "${out.bucket}"`);
  const secret = env.S3_SECRET ?? "";
  if (!secret) throw new ConfigError("S3_SECRET", "required: the bucket's secret key (PocketBase's admin API never shows s3.secret)");
  let forcePathStyle = fromSettings ? !!settings.forcePathStyle : false;
  const rawStyle = read("S3_FORCE_PATH_STYLE").toLowerCase();
  if (rawStyle) {
    const v = ({ "1": true, true: true, yes: true, on: true, "0": false, false: false, no: false, off: false } as Record<string, boolean>)[rawStyle];
    if (v === undefined) throw new ConfigError("S3_FORCE_PATH_STYLE", `expected on or off, got "${read("S3_FORCE_PATH_STYLE")}"`);
    if (fromSettings && v !== forcePathStyle) throw new ConfigError("S3_FORCE_PATH_STYLE", `differs from PocketBase's s3.forcePathStyle (${forcePathStyle}); unset it or make them agree`);
    forcePathStyle = v;
  }
  return { config: { ...out, secret, forcePathStyle }, fromSettings };
}

// ---------------------------------------------------------------- the files

export interface FileRef {
  collectionId: string;
  collection: string;
  recordId: string;
  field: string;
  filename: string;
  /** PocketBase's storage key, also the state key. */
  key: string;
}

interface SchemaField {
  name: string;
  type: string;
}

/** Every file referenced by a record of a base or auth collection with file fields, in a stable order. */
export async function listFiles(pb: PocketBase): Promise<FileRef[]> {
  const collections = await pb.collections.getFullList({ batch: 200, sort: "name" });
  const files: FileRef[] = [];
  for (const c of collections) {
    // A view's file fields show files stored under the collection they come from.
    if (c.type === "view") continue;
    const fields = ((c.schema ?? []) as SchemaField[]).filter((f) => f.type === "file").map((f) => f.name);
    if (!fields.length) continue;
    const records = await pb.collection(c.name).getFullList({ batch: 500, sort: "id", fields: ["id", ...fields].join(",") });
    for (const r of records) {
      for (const { field, name } of recordFiles(r as Record<string, unknown>, fields)) {
        files.push({ collectionId: c.id, collection: c.name, recordId: r.id, field, filename: name, key: `${c.id}/${r.id}/${name}` });
      }
    }
  }
  return files;
}

interface Download {
  bytes: Uint8Array<ArrayBuffer>;
  contentType: string;
}

/** A file through PocketBase's file API; a file it does not have fails alone. */
async function readSource(reader: FileReader, f: FileRef): Promise<Download> {
  const d = await reader.read(f.collectionId, f.recordId, f.filename);
  if (!d) throw new SourceError("PocketBase has no such file (HTTP 404: missing from its storage)");
  return d;
}

/** A file PocketBase could not give us: this file fails, the others go on. */
class SourceError extends Error {}

/** The destination cannot be reached or refuses us: no other file can succeed either. */
class FatalError extends Error {}

// ---------------------------------------------------------------- state journal

export interface DoneFile {
  size: number;
  sha256: string;
  storageId?: string;
}

interface JournalLine extends Partial<DoneFile> {
  dest: string;
  key?: string;
  undone?: boolean;
  /** The backup made before the first copy to this destination. */
  backup?: string;
  at?: string;
}

/**
 * An append-only JSON Lines journal: one line per finished file, per destination. Appending keeps
 * each write small however many files there are; a line cut by a kill is skipped when read back.
 */
export class StateJournal {
  readonly done = new Map<string, DoneFile>();
  /** The backup an earlier run made before copying to this destination, "" when none. */
  backup = "";
  /** A killed run may have left half a line: the next line must not be glued to it. */
  private cut = false;

  constructor(readonly path: string, readonly dest: string) {
    let text: string;
    try {
      text = readFileSync(path, "utf8");
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return;
      throw new Error(`cannot read the state journal ${path} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); fix it, or choose another with --state PATH (a new journal copies every file again)`);
    }
    this.cut = text.length > 0 && !text.endsWith("\n");
    for (const line of text.split("\n")) {
      if (!line.trim()) continue;
      let e: JournalLine;
      try {
        e = JSON.parse(line) as JournalLine;
      } catch {
        continue;
      }
      if (e.dest !== dest) continue;
      if (typeof e.backup === "string") this.backup = e.backup;
      if (typeof e.key !== "string") continue;
      if (e.undone) this.done.delete(e.key);
      else if (typeof e.size === "number" && typeof e.sha256 === "string") this.done.set(e.key, { size: e.size, sha256: e.sha256, ...(e.storageId ? { storageId: e.storageId } : {}) });
    }
  }

  private append(line: JournalLine): void {
    mkdirSync(dirname(this.path), { recursive: true });
    appendFileSync(this.path, `${this.cut ? "\n" : ""}${JSON.stringify(line)}\n`);
    this.cut = false;
  }

  markDone(key: string, file: DoneFile): void {
    this.done.set(key, file);
    this.append({ dest: this.dest, key, ...file, at: new Date().toISOString() });
  }

  markBackup(name: string): void {
    this.backup = name;
    this.append({ dest: this.dest, backup: name, at: new Date().toISOString() });
  }

  markUndone(key: string): void {
    this.done.delete(key);
    this.append({ dest: this.dest, key, undone: true, at: new Date().toISOString() });
  }
}

// ---------------------------------------------------------------- destinations

interface Destination {
  /** Identifies the destination in the state journal. */
  id: string;
  describe: string;
  /** Copies one file; returns what the state records. */
  copy(f: FileRef, d: Download): Promise<DoneFile>;
}

function s3Destination(client: S3Client): Destination & { verify(f: FileRef, done: DoneFile): Promise<string> } {
  const c = client.config;
  const where = `${c.endpoint} bucket ${c.bucket}`;
  const fatal = (e: unknown): never => {
    if (e instanceof S3Error && (e.status === 0 || e.status === 401 || e.status === 403 || e.code === "NoSuchBucket" || e.code === "AuthorizationHeaderMalformed")) {
      throw new FatalError(e.message);
    }
    throw e;
  };
  return {
    id: `s3:${c.endpoint}/${c.bucket}`,
    describe: `S3 ${where}`,
    async copy(f, d) {
      const size = d.bytes.length;
      try {
        await client.put(f.key, d.bytes, d.contentType);
        const head = await client.head(f.key);
        if (!head) throw new Error(`the bucket has no ${f.key} right after storing it`);
        if (head.size !== size) throw new Error(`the bucket holds ${head.size} bytes at ${f.key}, ${size} were sent`);
      } catch (e) {
        fatal(e);
      }
      return { size, sha256: sha256Hex(d.bytes) };
    },
    /** "" when the bucket holds the file with the recorded size, else why not. */
    async verify(f, done) {
      let head;
      try {
        head = await client.head(f.key);
      } catch (e) {
        fatal(e);
      }
      if (!head) return "not in the bucket";
      return head.size === done.size ? "" : `the bucket holds ${head.size} bytes, ${done.size} were copied`;
    },
  };
}

interface AttachResult {
  status: "attached" | "unchanged" | "replaced" | "rejected";
  message?: string;
}

function convexDestination(fns: MigrationFunctions): Destination {
  const url = fns.config.convexUrl;
  /** One function call; a failure no other file can get past (no answer, the secret, no such function) stops the run. */
  const call = async <T>(what: string, fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (e) {
      const code = convexErrorCode(e);
      const message = convexErrorText(e, fns.config);
      const text = `${what} on ${url}: ${message}`;
      const missing = /Could not find public function/.test(message);
      if (code === "unauthorized" || code === "misconfigured" || code === "network" || missing) {
        throw new FatalError(missing ? `${text} (deploy convex/ first: npx convex deploy)` : text);
      }
      throw new Error(text);
    }
  };
  return {
    id: `convex:${url}`,
    describe: `Convex file storage at ${url}`,
    async copy(f, d) {
      const sha256 = sha256Hex(d.bytes);
      const size = d.bytes.length;
      const uploadUrl = await call("files:generateUploadUrl", () => fns.generateUploadUrl());
      if (typeof uploadUrl !== "string" || !/^https?:\/\//.test(uploadUrl)) throw new Error(`files:generateUploadUrl answered ${JSON.stringify(uploadUrl)?.slice(0, 100)}, not a URL`);
      let res: Response;
      try {
        res = await fetch(uploadUrl, { method: "POST", headers: { "Content-Type": d.contentType || "application/octet-stream" }, body: d.bytes, signal: AbortSignal.timeout(300_000) });
      } catch (e) {
        throw new FatalError(`upload to ${new URL(uploadUrl).origin}: no answer (${(e as { cause?: { code?: string } }).cause?.code || (e as Error).message})`);
      }
      const text = await res.text();
      if (!res.ok) throw new Error(`upload: HTTP ${res.status}: ${text.slice(0, 200)}`);
      let storageId: unknown;
      try {
        storageId = (JSON.parse(text) as { storageId?: unknown }).storageId;
      } catch {
        /* checked below */
      }
      if (typeof storageId !== "string" || !storageId) throw new Error(`upload: the answer has no storageId: ${text.slice(0, 200)}`);
      const result = (await call("files:attach", () => fns.attach({
        collection: f.collection, pbId: f.recordId, field: f.field, filename: f.filename, storageId: storageId as string, sha256, size,
      }))) as AttachResult | null;
      if (!result || !["attached", "unchanged", "replaced", "rejected"].includes(result.status)) throw new Error(`files:attach answered ${JSON.stringify(result)?.slice(0, 200)}`);
      if (result.status === "rejected") throw new Error(`files:attach: ${result.message ?? "rejected"}`);
      return { size, sha256, storageId };
    },
  };
}

// ---------------------------------------------------------------- backup

/**
 * The backup on the server before the first file goes to a destination (src/cli/backup.ts); re-runs
 * for the same destination reuse it: it holds every local file already.
 */
async function backupFirst(pb: PocketBase, journal: StateJournal, print: Print): Promise<void> {
  if (journal.backup) {
    print(`Backup ${journal.backup} was made on the server before the first run to this destination.`);
    return;
  }
  journal.markBackup(await ensureBackupBeforeMigration(pb, print, "before-migrate-files"));
}

// ---------------------------------------------------------------- the command

/** PocketBase's raw errors (e.g. of its own S3 test) run over several lines: one line here. */
function oneLine(e: unknown): string {
  return errorText(e).replace(/\s+/g, " ").trim();
}

interface Failure {
  file: FileRef;
  error: string;
}

export async function migrateFilesCommand(args: string[], env: Env = process.env, print: Print = console.log, progress?: ProgressStream): Promise<number> {
  let opts: MigrateFilesOptions;
  try {
    opts = parseMigrateFilesArgs(args, env);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    print(`migrate-files: ${e.message}`);
    print(USAGE);
    return 2;
  }
  let pb: PocketBase;
  try {
    pb = await adminClient(opts.url, env);
  } catch (e) {
    print(`migrate-files: cannot sign in to ${opts.url} as the admin (HVAC_ADMIN_EMAIL / HVAC_ADMIN_PASSWORD): ${oneLine(e)}`);
    return 1;
  }

  let dest: Destination;
  let s3: ReturnType<typeof s3Destination> | null = null;
  let s3Settings: { config: S3Config; fromSettings: boolean } | null = null;
  if (opts.to === "s3") {
    let settings: Record<string, unknown>;
    try {
      settings = await pb.settings.getAll();
    } catch (e) {
      print(`migrate-files: reading PocketBase's settings (Settings > Files storage) on ${opts.url} failed: ${oneLine(e)}`);
      return 1;
    }
    const current = (settings.s3 ?? {}) as PocketBaseS3Settings;
    if (current.enabled) {
      print("PocketBase already keeps its files in S3 (Settings > Files storage is on): nothing to migrate.");
      return 0;
    }
    s3Settings = resolveS3Config(current, env);
    s3 = s3Destination(new S3Client(s3Settings.config));
    dest = s3;
  } else {
    dest = convexDestination(new MigrationFunctions(migrationConfig(env)));
  }

  let journal: StateJournal;
  try {
    journal = new StateJournal(opts.statePath, dest.id);
  } catch (e) {
    print(`migrate-files: ${(e as Error).message}`);
    return 1;
  }
  /** Every file on the server now; null (said why) when PocketBase cannot list them. */
  const listing = async (): Promise<FileRef[] | null> => {
    try {
      return await listFiles(pb);
    } catch (e) {
      print(`migrate-files: listing the files of the records on ${opts.url} failed: ${oneLine(e)}`);
      return null;
    }
  };
  let files = await listing();
  if (!files) return 1;
  const perCollection = new Map<string, number>();
  for (const f of files) perCollection.set(f.collection, (perCollection.get(f.collection) ?? 0) + 1);
  const summary = [...perCollection].map(([c, n]) => `${c} ${n}`).join(", ");
  print(`${files.length} file(s) on ${opts.url}${summary ? ` (${summary})` : ""} -> ${dest.describe}.`);
  const already = files.filter((f) => journal.done.has(f.key)).length;
  if (already) print(`${already} of them were copied by an earlier run (state: ${opts.statePath}).`);

  if (opts.dryRun) {
    print(`Dry run: would copy ${files.length - already} file(s)${opts.backup ? " after a backup on the server" : ""}${opts.switchOn ? ", check every file in the bucket, then turn on PocketBase's S3 storage" : ""}. Nothing was changed.`);
    return 0;
  }

  if (opts.backup && files.length - already > 0) {
    try {
      await backupFirst(pb, journal, print);
    } catch (e) {
      print(`migrate-files: the backup before migrating failed, nothing was copied: ${oneLine(e)} (--no-backup skips it)`);
      return 1;
    }
  }

  const reader = new FileReader(pb);
  const failures = new Map<string, Failure>();
  let fatal = "";
  let copied = 0;
  let copiedBytes = 0;

  /** Copies the files not done yet; stops early when the destination cannot take any. */
  const copyAll = async (todo: FileRef[]): Promise<void> => {
    if (!todo.length) return;
    const bar = new Progress({ label: opts.to, total: todo.length, unit: "files", stream: progress });
    try {
      // A file that fails alone is noted and the others go on; a FatalError stops the pool.
      await pool(todo, opts.concurrency, async (f) => {
        try {
          const d = await readSource(reader, f);
          const result = await dest.copy(f, d);
          journal.markDone(f.key, result);
          failures.delete(f.key);
          copied++;
          copiedBytes += result.size;
        } catch (e) {
          failures.set(f.key, { file: f, error: e instanceof Error ? e.message : String(e) });
          if (e instanceof FatalError) throw e;
        }
        bar.tick();
      });
    } catch (e) {
      fatal ||= e instanceof Error ? e.message : String(e);
    }
    if (fatal || failures.size) bar.interrupt();
    else bar.finish();
  };

  await copyAll(files.filter((f) => !journal.done.has(f.key)));

  let verified = false;
  if (opts.switchOn && s3 && !fatal && failures.size === 0) {
    // Every file is checked in the bucket, not only the ones this run copied (an earlier run's object
    // may be gone since). Files uploaded meanwhile are found by listing again, for a few rounds.
    for (let round = 0; round < 3 && !fatal && failures.size === 0; round++) {
      const missing: FileRef[] = [];
      const bar = new Progress({ label: "verify", total: files.length, unit: "files", stream: progress });
      for (const f of files) {
        const done = journal.done.get(f.key);
        let why = "not copied";
        if (done) {
          try {
            why = await s3.verify(f, done);
          } catch (e) {
            fatal = (e as Error).message;
            break;
          }
          if (why) {
            print(`${f.key}: ${why}; copying it again.`);
            journal.markUndone(f.key);
          }
        }
        if (why) missing.push(f);
        bar.tick();
      }
      if (fatal) {
        bar.interrupt();
        break;
      }
      bar.finish();
      if (!missing.length) {
        verified = true;
        break;
      }
      await copyAll(missing);
      const again = await listing();
      if (!again) return 1;
      files = again;
    }
  }

  const skipped = already;
  if (fatal) print(`Stopped: ${fatal}`);
  if (failures.size) {
    const list = [...failures.values()];
    print(`${list.length} file(s) failed:`);
    for (const { file, error } of list.slice(0, 50)) print(`  ${file.collection}/${file.recordId} ${file.field} ${file.filename}: ${error}`);
    if (list.length > 50) print(`  ... and ${list.length - 50} more`);
    print(`Copied ${copied}, ${skipped} done before. Run the same command again to go on: finished files are skipped (state: ${opts.statePath}).`);
    if (opts.switchOn) print("PocketBase's S3 storage was NOT turned on.");
    return 1;
  }
  if (fatal) return 1;
  print(`Done: ${copied} file(s) copied (${(copiedBytes / 1_048_576).toFixed(1)} MB), ${skipped} done before, ${files.length} in all.`);

  if (opts.switchOn && s3Settings) {
    if (!verified) {
      print("Files keep being added while checking; PocketBase's S3 storage was NOT turned on. Run again when uploads pause.");
      return 1;
    }
    return await switchToS3(pb, s3Settings, files, journal, print);
  }
  if (opts.to === "s3") print("PocketBase still serves the local files; add --switch to turn on its S3 storage once everything is copied.");
  return 0;
}

/**
 * Turns PocketBase's S3 storage on, then checks it from PocketBase's side: its own bucket test and
 * one migrated file read back through /api/files with the same SHA-256. Either failing turns it off
 * again (the local files are still there).
 */
async function switchToS3(pb: PocketBase, s3: { config: S3Config; fromSettings: boolean }, files: FileRef[], journal: StateJournal, print: Print): Promise<number> {
  const c = s3.config;
  // Settings PocketBase already holds stay as they are (its stored secret included); otherwise the
  // configuration the files were copied with is written.
  const patch = s3.fromSettings
    ? { enabled: true }
    : { enabled: true, bucket: c.bucket, region: c.region, endpoint: c.endpoint, accessKey: c.accessKey, secret: c.secret, forcePathStyle: c.forcePathStyle };
  try {
    await pb.settings.update({ s3: patch });
  } catch (e) {
    print(`Could not turn on PocketBase's S3 storage: ${oneLine(e)}`);
    return 1;
  }
  let problem = "";
  try {
    await pb.settings.testS3("storage");
  } catch (e) {
    problem = `PocketBase's own test of the bucket failed: ${oneLine(e)}`;
  }
  const sample = files.find((f) => journal.done.has(f.key));
  if (!problem && sample) {
    try {
      const d = await readSource(new FileReader(pb), sample);
      if (sha256Hex(d.bytes) !== journal.done.get(sample.key)!.sha256) problem = `PocketBase serves other bytes for ${sample.key} from the bucket than were copied`;
    } catch (e) {
      problem = `PocketBase cannot serve ${sample.key} from the bucket: ${(e as Error).message}`;
    }
  }
  if (problem) {
    problem = problem.replace(/[.\s]+$/, "");
    try {
      await pb.settings.update({ s3: { enabled: false } });
      print(`${problem}. PocketBase's S3 storage was turned off again; it serves the local files as before.`);
    } catch (e) {
      print(`${problem}. Turning PocketBase's S3 storage off again ALSO failed (${oneLine(e)}): turn it off in the admin UI (Settings > Files storage).`);
    }
    return 1;
  }
  print(`PocketBase now keeps its files in S3 (${c.endpoint}, bucket ${c.bucket}); checked ${files.length} file(s) there${sample ? ` and read ${sample.key} back through PocketBase` : ""}. The local copies in pb_data/storage stay until you delete them.`);
  return 0;
}
