// `hvac backup [NAME] [URL]` and `hvac restore NAME [URL] [--offline]`: the rollback of a migration.
//
// backup: PocketBase's own backups API (POST /api/backups) zips the data directory (data.db with
// every record, admin and setting, logs.db, storage/ with every uploaded file) consistently while the
// server runs, into DATA_DIR/backups/NAME (or the S3 bucket set in Admin → Settings → Backups).
//
// restore (default): POST /api/backups/NAME/restore. PocketBase 0.22 answers 204 at once, and one
// second later replaces the data directory's content with the archive's (backups/ is kept) and
// re-executes its own binary in place (execve: same process id, same arguments, same port). Under
// `hvac run`, systemd and the test harness the parent keeps the same child, so nothing else has to
// restart; realtime clients and keep-alive connections are dropped and reconnect. The replaced data
// is deleted when the new process starts, so a backup of the current state is taken first
// (`--no-backup` skips it). The command waits for the restart by holding a realtime (SSE)
// connection: the old process's connection closes when it execs; then it waits for /api/health.
//
// restore --offline: for a server that is stopped (or does not start): refuses while anything
// answers on HTTP_ADDR or has DATA_DIR/data.db open (and when it cannot tell: /proc of another
// user's process is unreadable; --force skips that check), extracts the archive beside the data, moves
// the current content of DATA_DIR to DATA_DIR.before-restore-<time> (kept, not deleted), and moves
// the archive's content in.
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readdir, readlink, realpath, rename, rm, rmdir, stat } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import type PocketBase from "pocketbase";
import { ConfigError, dataDirOf, serverUrl } from "../config";
import type { Env } from "../domain/sync-config";
import { adminClient, errorText, type Print } from "./migrate";
import { extractZip, zipHas } from "./zip";

/** PocketBase's rule for backup names (checked here first for a clearer message). */
const NAME = /^[a-z0-9_-]{1,96}\.zip$/;

function stamp(now: Date): string {
  return now.toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15).toLowerCase();
}

/** "hvac-<label>-20261125-015400.zip" (lower case, digits, "-" and "_": what PocketBase accepts). */
export function backupName(label: string, now = new Date()): string {
  const clean = label.toLowerCase().replace(/[^a-z0-9_-]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 40);
  return `hvac-${clean ? `${clean}-` : ""}${stamp(now)}.zip`;
}

/** A NAME given on the command line: ".zip" added when missing; PocketBase's rule checked. */
export function checkBackupName(raw: string): string {
  const name = raw.endsWith(".zip") ? raw : `${raw}.zip`;
  if (!NAME.test(name)) throw new ConfigError("NAME", `a backup name is lower-case letters, digits, "-" and "_" (at most 96) plus ".zip", got "${raw}"`);
  return name;
}

async function backupLocation(pb: PocketBase): Promise<string> {
  try {
    const s = (await pb.settings.getAll()) as { backups?: { s3?: { enabled?: boolean; bucket?: string } } };
    if (s.backups?.s3?.enabled) return `in the S3 bucket "${s.backups.s3.bucket}" (Admin → Settings → Backups); download it there for an offline restore`;
  } catch {
    /* settings unreadable: the default place */
  }
  return "in DATA_DIR/backups/ of that server (also listed in Admin → Settings → Backups)";
}

function restoreHelp(name: string, url: string): string[] {
  return [
    `To roll back to it:      npx hvac restore ${name} ${url}`,
    "                         (PocketBase replaces its data with the backup's and restarts itself in place)",
    `With the server stopped: DATA_DIR=<its data dir> npx hvac restore ${name} --offline`,
  ];
}

/** Creates a backup named `name`; a clear error when PocketBase refuses (e.g. one already running). */
async function createBackup(pb: PocketBase, name: string): Promise<number> {
  try {
    await pb.backups.create(name);
  } catch (e) {
    throw new Error(`backup ${name} could not be created: ${errorText(e)}`);
  }
  const found = (await pb.backups.getFullList()).find((b) => b.key === name);
  return found?.size ?? 0;
}

/**
 * The backup every migration command makes before it changes anything (`--no-backup` skips the
 * call). `pb` is signed in as an admin. Returns the backup's name; throws when it cannot be made, so
 * the migration does not start without its rollback point.
 */
export async function ensureBackupBeforeMigration(pb: PocketBase, print: Print, label = "before-migration"): Promise<string> {
  const name = backupName(label);
  const size = await createBackup(pb, name);
  print(`Backup before migrating: ${name} (${(size / 1e6).toFixed(1)} MB, ${await backupLocation(pb)}).`);
  print(`  Roll back with: npx hvac restore ${name} ${pb.baseUrl}`);
  return name;
}

function urlArg(args: string[]): string | undefined {
  return args.find((a) => /^https?:/.test(a));
}

function positional(args: string[]): string[] {
  return args.filter((a) => !a.startsWith("--") && !/^https?:/.test(a));
}

export async function backupCommand(args: string[], env: Env = process.env, print: Print = console.log): Promise<number> {
  const [raw] = positional(args);
  const name = raw ? checkBackupName(raw) : backupName("");
  const url = serverUrl(urlArg(args), env);
  try {
    const pb = await adminClient(url, env);
    const size = await createBackup(pb, name);
    print(`Backup ${name} created on ${url}: ${(size / 1e6).toFixed(1)} MB, ${await backupLocation(pb)}.`);
    for (const line of restoreHelp(name, url)) print(line);
    return 0;
  } catch (e) {
    print(`backup on ${url} failed: ${e instanceof Error && e.message.startsWith("backup ") ? e.message : errorText(e)}`);
    return 1;
  }
}

// ---------------------------------------------------------------- restore through the API

/** Seconds to wait for PocketBase to restart after a restore (PocketBase itself allows 15 min). */
const RESTORE_TIMEOUT_MS = 15 * 60_000;

/**
 * Opens a realtime connection to `url`; `closed` resolves when it closes (the process that served
 * it is gone: PocketBase execs itself after a restore) and rejects after `timeoutMs`.
 */
async function watchProcess(url: string, timeoutMs: number): Promise<{ closed: Promise<void>; cancel: () => void }> {
  const ac = new AbortController();
  // PocketBase sends PB_CONNECT at once; a proxy that buffers event streams would hold it back.
  const opening = setTimeout(() => ac.abort(new Error("the realtime connection (/api/realtime) did not open within 15 s; a proxy that buffers event streams? Restore from the Admin UI instead")), 15_000);
  let reader: ReadableStreamDefaultReader<Uint8Array>;
  try {
    const res = await fetch(`${url}/api/realtime`, { signal: ac.signal, headers: { Accept: "text/event-stream" } });
    if (!res.ok || !res.body) throw new Error(`realtime connection refused: HTTP ${res.status}`);
    reader = res.body.getReader();
    await reader.read(); // PB_CONNECT: the stream is open
  } catch (e) {
    throw ac.signal.aborted && ac.signal.reason instanceof Error ? ac.signal.reason : e;
  } finally {
    clearTimeout(opening);
  }
  let timer: NodeJS.Timeout | undefined;
  const closed = new Promise<void>((resolveClosed, reject) => {
    timer = setTimeout(() => reject(new Error(`PocketBase did not restart within ${timeoutMs / 60_000} min`)), timeoutMs);
    void (async () => {
      try {
        for (;;) if ((await reader.read()).done) break;
      } catch {
        /* reset by the exec: gone as well */
      }
      clearTimeout(timer);
      resolveClosed();
    })();
  });
  return { closed, cancel: () => (clearTimeout(timer), ac.abort()) };
}

async function waitHealthy(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const r = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(2000) });
      if (r.ok) {
        const body = (await r.json()) as { data?: { canBackup?: boolean } };
        // canBackup is false while a backup or restore still runs in the old process.
        if (body.data?.canBackup !== false) return;
      }
    } catch {
      /* restarting */
    }
    if (Date.now() > deadline) throw new Error(`PocketBase at ${url} did not answer within ${timeoutMs / 1000} s after the restore; see its log`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function restoreOnline(name: string, url: string, env: Env, noBackup: boolean, print: Print): Promise<number> {
  let pb: PocketBase;
  try {
    pb = await adminClient(url, env);
  } catch (e) {
    print(`restore: cannot reach PocketBase at ${url} as admin: ${errorText(e)}`);
    print(`With the server stopped, restore offline: DATA_DIR=<its data dir> npx hvac restore ${name} --offline`);
    return 1;
  }
  let list: { key: string }[];
  try {
    list = await pb.backups.getFullList();
  } catch (e) {
    print(`restore: cannot list the backups on ${url}: ${errorText(e)}`);
    return 1;
  }
  if (!list.some((b) => b.key === name)) {
    print(`restore: ${url} has no backup "${name}". Backups there: ${list.map((b) => b.key).sort().join(", ") || "none"}.`);
    return 1;
  }
  if (!noBackup) {
    const before = backupName("before-restore");
    try {
      await createBackup(pb, before);
    } catch (e) {
      print(`restore: the current data could not be saved first, nothing was restored: ${e instanceof Error && e.message.startsWith("backup ") ? e.message : errorText(e)} (--no-backup skips saving it)`);
      return 1;
    }
    print(`The current data is saved first as ${before} (PocketBase deletes the replaced data when it restarts).`);
  }
  let watch: Awaited<ReturnType<typeof watchProcess>>;
  try {
    watch = await watchProcess(url, RESTORE_TIMEOUT_MS);
  } catch (e) {
    print(`restore of ${name} on ${url} not started: ${errorText(e)}`);
    return 1;
  }
  try {
    await pb.backups.restore(name);
  } catch (e) {
    watch.cancel();
    print(`restore of ${name} on ${url} failed: ${errorText(e)}`);
    return 1;
  }
  print(`Restoring ${name}: PocketBase replaces its data and restarts itself ...`);
  try {
    await watch.closed;
    await waitHealthy(url, 60_000);
  } catch (e) {
    watch.cancel();
    print(`restore of ${name}: ${errorText(e)}`);
    return 1;
  }
  print(`Restored ${name} on ${url}: the server runs again with the backup's data.`);
  return 0;
}

// ---------------------------------------------------------------- offline restore

/** Whether something answers HTTP at `url` (any status). */
async function answers(url: string): Promise<boolean> {
  try {
    await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(2000) });
    return true;
  } catch {
    return false;
  }
}

/** What holders() reads; tests stand in for /proc. */
export interface ProcFs {
  realpath(path: string): Promise<string>;
  readdir(path: string): Promise<string[]>;
  readlink(path: string): Promise<string>;
}

const procFs: ProcFs = { realpath, readdir: (p) => readdir(p), readlink };

/**
 * Which processes (Linux /proc) hold `file` open. `hidden`: the processes whose open files could
 * not be read (another user's, when not root): one of them may hold it. Nothing is known
 * where there is no /proc.
 */
export async function holders(file: string, fs: ProcFs = procFs): Promise<{ pids: number[]; hidden: number[] }> {
  const none = { pids: [], hidden: [] };
  let target: string;
  try {
    target = await fs.realpath(file);
  } catch {
    return none;
  }
  let pids: string[];
  try {
    pids = (await fs.readdir("/proc")).filter((p) => /^\d+$/.test(p));
  } catch {
    return none;
  }
  const out: number[] = [];
  const hidden: number[] = [];
  for (const pid of pids) {
    let fds: string[];
    try {
      fds = await fs.readdir(`/proc/${pid}/fd`);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === "EACCES" || code === "EPERM") hidden.push(Number(pid));
      continue; // otherwise: ended meanwhile
    }
    for (const fd of fds) {
      try {
        if ((await fs.readlink(`/proc/${pid}/fd/${fd}`)) === target) {
          out.push(Number(pid));
          break;
        }
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === "EACCES" || code === "EPERM") {
          hidden.push(Number(pid));
          break;
        }
        /* closed meanwhile */
      }
    }
  }
  return { pids: out, hidden };
}

/** Content of PocketBase's data dir that is not data (kept in place by restores, as PocketBase does). */
const KEEP = new Set(["backups", ".pb_temp_to_delete"]);

export interface OfflineRestoreOptions {
  /** Restore even when it cannot be checked that no process has data.db open. */
  force?: boolean;
  /** Stands in for /proc (tests). */
  proc?: ProcFs;
}

export async function restoreOffline(nameOrPath: string, env: Env, print: Print, now = new Date(), options: OfflineRestoreOptions = {}): Promise<number> {
  const dataDir = resolve(dataDirOf(env));
  const url = serverUrl(undefined, env);
  if (await answers(url)) {
    print(`restore --offline: a server answers at ${url} (HTTP_ADDR). Stop it first (systemctl stop hvac, or Ctrl+C on make run), or restore through it: npx hvac restore ${basename(nameOrPath)} ${url}`);
    return 1;
  }
  const busy = await holders(join(dataDir, "data.db"), options.proc);
  if (busy.pids.length) {
    print(`restore --offline: ${join(dataDir, "data.db")} is open in process ${busy.pids.join(", ")} (a PocketBase on another address?). Stop it first.`);
    return 1;
  }
  if (busy.hidden.length && !options.force) {
    const shown = `${busy.hidden.slice(0, 10).join(", ")}${busy.hidden.length > 10 ? ` and ${busy.hidden.length - 10} more` : ""}`;
    print(`restore --offline: cannot tell whether ${join(dataDir, "data.db")} is open: the open files of process(es) ${shown} (other users') are not readable. Run as root (it sees every process's open files), or pass --force once you are sure no server uses ${dataDir}.`);
    return 1;
  }
  const zip = nameOrPath.includes("/") ? resolve(nameOrPath) : join(dataDir, "backups", checkBackupName(nameOrPath));
  if (!existsSync(zip)) {
    print(`restore --offline: ${zip} does not exist (DATA_DIR=${dataDir}).`);
    return 1;
  }
  if (!(await zipHas(zip, "data.db"))) {
    print(`restore --offline: ${zip} holds no data.db: not a PocketBase backup.`);
    return 1;
  }
  if (!existsSync(dataDir)) await mkdir(dataDir, { recursive: true });
  const aside = `${dataDir}.before-restore-${stamp(now)}`;
  // A rename cannot cross file systems: the previous data goes beside DATA_DIR on the same one.
  if ((await stat(dataDir)).dev !== (await stat(dirname(dataDir))).dev) {
    print(`restore --offline: ${dataDir} is a mount point, so its content cannot be moved beside it. Restore through the running server (npx hvac restore NAME URL), or unzip ${zip} into an empty data dir by hand.`);
    return 1;
  }
  const tmp = join(dataDir, `.hvac_restore_${randomBytes(4).toString("hex")}`);
  await mkdir(tmp);
  const moved: string[] = [];
  const placed: string[] = [];
  let done = false;
  try {
    const { files, bytes } = await extractZip(zip, tmp);
    await mkdir(aside);
    for (const entry of await readdir(dataDir)) {
      if (KEEP.has(entry) || join(dataDir, entry) === tmp) continue;
      await rename(join(dataDir, entry), join(aside, entry));
      moved.push(entry);
    }
    for (const entry of await readdir(tmp)) {
      if (KEEP.has(entry)) continue; // an archive made by hand may hold them; ours stay
      await rename(join(tmp, entry), join(dataDir, entry));
      placed.push(entry);
    }
    done = true;
    await rm(tmp, { recursive: true, force: true });
    print(`Restored ${basename(zip)} into ${dataDir} (${files} files, ${(bytes / 1e6).toFixed(1)} MB).`);
    print(`The data before the restore is in ${aside}: delete it once the server runs fine.`);
    print("Start the server now (systemctl start hvac, or make run); pending migrations run at start.");
    return 0;
  } catch (e) {
    if (done) throw e;
    // Put back what was moved aside; the extracted copy goes.
    for (const entry of placed) await rm(join(dataDir, entry), { recursive: true, force: true }).catch(() => undefined);
    for (const entry of moved) await rename(join(aside, entry), join(dataDir, entry)).catch(() => undefined);
    await rmdir(aside).catch(() => undefined); // only when everything went back (it is empty then)
    await rm(tmp, { recursive: true, force: true }).catch(() => undefined);
    print(`restore --offline of ${zip} failed, the data dir is unchanged: ${errorText(e)}`);
    return 1;
  }
}

export async function restoreCommand(args: string[], env: Env = process.env, print: Print = console.log): Promise<number> {
  const [raw] = positional(args);
  if (!raw) {
    print("Usage: npx hvac restore NAME [URL] [--no-backup]   |   npx hvac restore NAME|FILE.zip --offline [--force]");
    return 2;
  }
  if (args.includes("--offline")) return restoreOffline(raw, env, print, new Date(), { force: args.includes("--force") });
  return restoreOnline(checkBackupName(raw), serverUrl(urlArg(args), env), env, args.includes("--no-backup"), print);
}
