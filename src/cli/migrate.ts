// What the migration commands share (export, backup / restore, import-convex, verify): the admin
// client, reading records page by page, reading an export folder, atomic writes, the Convex client
// and one readable text for every kind of failure.
import { createHash, randomBytes } from "node:crypto";
import { createReadStream } from "node:fs";
import { open, rename, unlink } from "node:fs/promises";
import { join } from "node:path";
import { createInterface } from "node:readline";
import PocketBase, { ClientResponseError } from "pocketbase";
import { ConvexHttpClient } from "convex/browser";
import { anyApi } from "convex/server";
import { ConvexError } from "convex/values";
import { ConfigError, DEMO_ADMIN_EMAIL, DEMO_PASSWORD } from "../config";
import { parseManifest, parseMigrationConfig, type ExportManifest, type MigrationConfig } from "../domain/migration";
import { SyncConfigError, type Env } from "../domain/sync-config";
import { SyncFormatError } from "../domain/sync";

export type Print = (line: string) => void;

export const sha256: (text: string) => string = (text) => createHash("sha256").update(text).digest("hex");

/** A PocketBase client signed in as the admin of HVAC_ADMIN_EMAIL / HVAC_ADMIN_PASSWORD. */
export async function adminClient(url: string, env: Env): Promise<PocketBase> {
  const pb = new PocketBase(url);
  pb.autoCancellation(false);
  await pb.admins.authWithPassword(env.HVAC_ADMIN_EMAIL || DEMO_ADMIN_EMAIL, env.HVAC_ADMIN_PASSWORD || DEMO_PASSWORD);
  return pb;
}

/** CONVEX_URL and CONVEX_SYNC_SECRET, as a ConfigError naming the variable when wrong. */
export function migrationConfig(env: Env): MigrationConfig {
  try {
    return parseMigrationConfig(env);
  } catch (e) {
    if (e instanceof SyncConfigError) throw new ConfigError(e.key, e.detail);
    throw e;
  }
}

/** Why a fetch failed: the system error code (ECONNREFUSED, ENOTFOUND...) or undici's reason. */
function causeCode(e: unknown): string {
  const cause = (e as { cause?: { code?: string; message?: string; errors?: { code?: string }[] } })?.cause;
  return cause?.code ?? cause?.errors?.[0]?.code ?? cause?.message ?? "";
}

/** One line for any failure: PocketBase's answer with its field errors, a network error, Convex's error. */
export function errorText(e: unknown): string {
  if (e instanceof ClientResponseError) {
    if (e.status === 0) {
      const code = causeCode(e.originalError);
      return `no answer from ${e.url || "the server"}${code ? ` (${code})` : ""}: ${e.originalError?.message ?? e.message}`;
    }
    const fields = Object.entries((e.response?.data ?? {}) as Record<string, { message?: string }>)
      .map(([k, v]) => `${k}: ${v?.message ?? ""}`).join("; ");
    return `HTTP ${e.status}: ${e.response?.message || e.message}${fields ? ` (${fields})` : ""}`;
  }
  if (e instanceof ConvexError) {
    const data = e.data as { code?: string; message?: string } | string;
    if (typeof data === "string") return data;
    return `${data?.message ?? e.message}${data?.code ? ` [${data.code}]` : ""}`;
  }
  if (e instanceof Error) {
    const code = causeCode(e);
    if (e.name === "TimeoutError") return "no answer in time (timed out)";
    if (code) return `${e.message} (${code})`;
    return e.message;
  }
  return String(e);
}

// ---------------------------------------------------------------- files

/** Writes a file so that it is either absent or complete: a temp file beside it, synced, renamed. */
export async function writeAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}-${randomBytes(4).toString("hex")}`;
  const fh = await open(tmp, "w");
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
  try {
    await rename(tmp, path);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw e;
  }
}

/**
 * Throws the system's error (ENOENT, ENOTDIR, EACCES, EROFS...) when no file can be written at `path`:
 * creates and removes a temporary file beside it, the way writeAtomic will write it.
 */
export async function checkWritable(path: string): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}-${randomBytes(4).toString("hex")}`;
  const fh = await open(tmp, "w");
  await fh.close();
  await unlink(tmp);
}

/** The lines of a JSON Lines file, parsed one by one (errors name the file and line). */
export async function* readJsonLines(path: string): AsyncGenerator<Record<string, unknown>> {
  const lines = createInterface({ input: createReadStream(path, { encoding: "utf8" }), crlfDelay: Infinity });
  let n = 0;
  for await (const line of lines) {
    n++;
    if (!line.trim()) continue;
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch {
      throw new SyncFormatError(`${path}:${n}`, "not valid JSON");
    }
    if (v === null || typeof v !== "object" || Array.isArray(v)) throw new SyncFormatError(`${path}:${n}`, "expected a record object");
    yield v as Record<string, unknown>;
  }
}

export async function readManifest(dir: string): Promise<ExportManifest | null> {
  let text: string;
  try {
    const fh = await open(join(dir, "manifest.json"), "r");
    try {
      text = await fh.readFile("utf8");
    } finally {
      await fh.close();
    }
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw e;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new SyncFormatError(join(dir, "manifest.json"), "not valid JSON");
  }
  return parseManifest(raw, join(dir, "manifest.json"));
}

// ---------------------------------------------------------------- reading records

const PAGE = 500;

/** How many records a collection holds. */
export async function countRecords(pb: PocketBase, collection: string): Promise<number> {
  return (await pb.collection(collection).getList(1, 1, { fields: "id" })).totalItems;
}

/**
 * Every record of a collection in id order, a page at a time. Pages continue after the last id
 * seen (not by page number), so records created meanwhile cannot shift a page and cause one to be
 * skipped or read twice.
 */
export async function* listRecords(pb: PocketBase, collection: string): AsyncGenerator<Record<string, unknown>[]> {
  let last = "";
  for (;;) {
    const page = await pb.collection(collection).getList(1, PAGE, {
      sort: "id", skipTotal: true, filter: last ? pb.filter("id > {:last}", { last }) : "",
    });
    if (!page.items.length) return;
    yield page.items as unknown as Record<string, unknown>[];
    last = page.items[page.items.length - 1].id;
    if (page.items.length < PAGE) return;
  }
}

/** Where records come from: a running PocketBase or an export folder (`--from DIR`). */
export interface RecordSource {
  describe: string;
  count(collection: string): Promise<number>;
  records(collection: string): AsyncGenerator<Record<string, unknown>[]>;
}

export function serverSource(pb: PocketBase, url: string): RecordSource {
  return { describe: `PocketBase at ${url}`, count: (c) => countRecords(pb, c), records: (c) => listRecords(pb, c) };
}

export async function exportSource(dir: string): Promise<RecordSource> {
  const manifest = await readManifest(dir);
  if (!manifest) throw new SyncFormatError(join(dir, "manifest.json"), "missing: not a finished export (run npx hvac export --out DIR until it completes)");
  const find = (c: string) => {
    const entry = manifest.collections.find((x) => x.name === c);
    if (!entry) throw new SyncFormatError(join(dir, "manifest.json"), `collection ${c} is not in this export`);
    return entry;
  };
  return {
    describe: `the export in ${dir} (${manifest.finishedAt})`,
    count: async (c) => find(c).count,
    records: async function* (c) {
      let batch: Record<string, unknown>[] = [];
      for await (const r of readJsonLines(join(dir, find(c).file))) {
        batch.push(r);
        if (batch.length >= PAGE) {
          yield batch;
          batch = [];
        }
      }
      if (batch.length) yield batch;
    },
  };
}

// ---------------------------------------------------------------- Convex

/** Milliseconds one call to Convex may take before it counts as failed. */
export const CONVEX_CALL_TIMEOUT_MS = 120_000;

/** The arguments of files:attach besides the secret (convex/files.ts). */
export interface AttachArgs {
  collection: string;
  pbId: string;
  field: string;
  filename: string;
  storageId: string;
  sha256: string;
  size: number;
}

/**
 * The public functions the migration commands call through the official client: migration:importBatch
 * and migration:page (convex/migration.ts), files:generateUploadUrl and files:attach (convex/files.ts).
 * Each carries CONVEX_SYNC_SECRET and may take CONVEX_CALL_TIMEOUT_MS.
 */
export class MigrationFunctions {
  private readonly client: ConvexHttpClient;
  constructor(readonly config: MigrationConfig, timeoutMs = CONVEX_CALL_TIMEOUT_MS) {
    this.client = new ConvexHttpClient(config.convexUrl, {
      // Already checked by parseMigrationConfig (self-hosted deployments have other host names).
      skipConvexDeploymentUrlCheck: true,
      logger: false,
      fetch: (input, init) => fetch(input, { ...init, signal: AbortSignal.timeout(timeoutMs) }),
    });
  }

  importBatch(collection: string, changes: unknown[]): Promise<unknown> {
    return this.client.mutation(anyApi.migration.importBatch, { secret: this.config.secret, collection, changes: changes as never });
  }

  page(collection: string, cursor: string | null, numItems: number): Promise<unknown> {
    return this.client.query(anyApi.migration.page, { secret: this.config.secret, collection, cursor, numItems });
  }

  // Files are copied several at a time: these skip the client's queue, which runs mutations one by one.
  generateUploadUrl(): Promise<unknown> {
    return this.client.mutation(anyApi.files.generateUploadUrl, { secret: this.config.secret }, { skipQueue: true });
  }

  attach(args: AttachArgs): Promise<unknown> {
    return this.client.mutation(anyApi.files.attach, { secret: this.config.secret, ...args }, { skipQueue: true });
  }
}

/**
 * `text` with every occurrence of `secret` replaced by "***", also as it appears inside JSON. Convex
 * echoes a call's arguments in some errors (an argument validation error shows the whole object), and
 * every function takes CONVEX_SYNC_SECRET as an argument.
 */
export function redactSecret(text: string, secret: string): string {
  if (!secret) return text;
  let out = text;
  for (const form of new Set([secret, JSON.stringify(secret).slice(1, -1)])) out = out.split(form).join("***");
  return out;
}

/**
 * Convex's answer to a call, as one line (a wrong secret, a missing function, no answer...), with the
 * secret redacted: print or throw this, never the error itself.
 */
export function convexErrorText(e: unknown, config: Pick<MigrationConfig, "convexUrl" | "secret">): string {
  // Convex's messages run over several lines ("...\n\nObject: {...}\nValidator: ...").
  return redactSecret(rawConvexErrorText(e, config.convexUrl), config.secret).replace(/\s*\n\s*/g, " ").trim();
}

function rawConvexErrorText(e: unknown, url: string): string {
  const text = errorText(e);
  if (e instanceof ConvexError) return text;
  if (e instanceof TypeError && /fetch failed/.test(e.message)) return `no answer from ${url} (${causeCode(e) || e.message}): check CONVEX_URL`;
  if (e instanceof SyntaxError) return `malformed answer from ${url} (not JSON: ${e.message}): is CONVEX_URL the deployment's .convex.cloud address?`;
  if (e instanceof Error && e.name === "TimeoutError") return `no answer from ${url} in ${CONVEX_CALL_TIMEOUT_MS / 1000} s`;
  // A request error arrives as the body text, e.g. {"code":"...","message":"..."}.
  try {
    const body = JSON.parse(text) as { code?: string; message?: string };
    if (body && typeof body.message === "string") return `${body.message}${body.code ? ` [${body.code}]` : ""}`;
  } catch {
    /* not JSON */
  }
  return text;
}

/**
 * The kind of a failed Convex call: the code of a ConvexError (convex/secret.ts answers
 * "unauthorized" or "misconfigured"), a request error's code, "network" when no answer came, else "".
 */
export function convexErrorCode(e: unknown): string {
  if (e instanceof ConvexError) {
    const data = e.data as { code?: unknown } | string;
    return typeof data === "object" && data && typeof data.code === "string" ? data.code : "";
  }
  if (e instanceof TypeError && /fetch failed/.test(e.message)) return "network";
  if (e instanceof Error && e.name === "TimeoutError") return "network";
  try {
    const body = JSON.parse(e instanceof Error ? e.message : String(e)) as { code?: unknown };
    if (body && typeof body.code === "string") return body.code;
  } catch {
    /* not JSON */
  }
  return "";
}

// ---------------------------------------------------------------- uploaded files

/** Milliseconds one file download may take. */
const FILE_TIMEOUT_MS = 300_000;
/** An admin file token lives two minutes (PocketBase's default): renewed after one. */
const FILE_TOKEN_MS = 60_000;

/**
 * Reads uploaded files through PocketBase's /api/files as the admin: protected files need a file
 * token, and one token serves every download (however many run at once) until it is a minute old.
 */
export class FileReader {
  private token: Promise<string> | null = null;
  private tokenAt = 0;

  constructor(private readonly pb: PocketBase) {}

  private fileToken(): Promise<string> {
    if (!this.token || Date.now() - this.tokenAt > FILE_TOKEN_MS) {
      this.tokenAt = Date.now();
      const token = this.pb.files.getToken();
      this.token = token;
      // A failed request is not kept: the next file asks again.
      token.catch(() => {
        if (this.token === token) this.token = null;
      });
    }
    return this.token;
  }

  /**
   * GET /api/files/<collection id or name>/<record id>/<file name>: the answer to read the bytes from,
   * or null when PocketBase has no such file (404). Another status, or no answer, throws naming the
   * file; `signal` stops the download (its reason is thrown as it is).
   */
  async open(collection: string, recordId: string, filename: string, signal?: AbortSignal): Promise<Response | null> {
    const path = `/api/files/${encodeURIComponent(collection)}/${encodeURIComponent(recordId)}/${encodeURIComponent(filename)}`;
    const token = await this.fileToken();
    const timeout = AbortSignal.timeout(FILE_TIMEOUT_MS);
    let res: Response;
    try {
      res = await fetch(`${this.pb.baseUrl}${path}?token=${encodeURIComponent(token)}`, { signal: signal ? AbortSignal.any([signal, timeout]) : timeout });
    } catch (e) {
      if (signal?.aborted) throw e;
      throw new Error(`GET ${path}: PocketBase did not answer (${causeCode(e) || errorText(e)})`);
    }
    if (res.status === 404) {
      await res.body?.cancel();
      return null;
    }
    if (!res.ok || !res.body) {
      await res.body?.cancel();
      throw new Error(`GET ${path}: PocketBase answered HTTP ${res.status}`);
    }
    return res;
  }

  /** A whole file in memory with its content type; null when PocketBase has no such file. */
  async read(collection: string, recordId: string, filename: string, signal?: AbortSignal): Promise<{ bytes: Uint8Array<ArrayBuffer>; contentType: string } | null> {
    const res = await this.open(collection, recordId, filename, signal);
    if (!res) return null;
    return { bytes: new Uint8Array(await res.arrayBuffer()), contentType: res.headers.get("content-type") ?? "" };
  }
}
