// A local stand-in for a Convex deployment's functions API (https://<name>.convex.cloud), for the
// `convex` client's ConvexHttpClient: `POST /api/mutation` and `POST /api/query` with
// {"path":"module:fn","format":"convex_encoded_json","args":[{...}]} (what convex 1.48's client sends;
// "format":"json" with an args object is accepted too), answered {"status":"success","value":...} or
// {"status":"error","errorMessage":...,"errorData"?:...} (HTTP 200, or 560 as Convex does for a failed
// function). Request errors (bad body) are 400 {"code","message"}.
//
// It serves migration:importBatch and migration:page of convex/migration.ts with the same checks
// (secret, parsePushRequest, collection) and the same last-writer-wins rule (resolveIncoming), on an
// in-memory store, records what it received, and fails on demand: down (connection refused), a
// function error, an HTTP status, malformed JSON, "apply then fail" (committed, answer lost).
import type { IncomingMessage, ServerResponse } from "node:http";
import {
  compareCodeUnits, isSyncCollection, ORIGIN_POCKETBASE, parsePushRequest, resolveIncoming, SyncFormatError, versionOf,
  type PushResult, type SyncChange, type SyncVersion,
} from "../../src/domain/sync";
import { LocalServer } from "./local-server";

export type FnFault =
  | { kind: "function-error"; message?: string; data?: unknown; status?: number } // the function threw
  | { kind: "status"; status: number; body?: string } // a request error (e.g. 500, 503)
  | { kind: "malformed" } // 200 with a body that is not JSON
  | { kind: "apply-then-error" }; // importBatch applied, then the answer says it failed

export interface FnCall {
  endpoint: "mutation" | "query" | string;
  path: string;
  format: string;
  args: Record<string, unknown>;
  headers: Record<string, string | string[] | undefined>;
}

const MAX_PAGE_ITEMS = 1000;

class FunctionError extends Error {
  constructor(message: string, readonly data?: unknown) {
    super(message);
  }
}

export class ConvexFunctionStub extends LocalServer {
  private faults: { fault: FnFault; times: number; path?: string; after: number }[] = [];
  /** Records per page at most, whatever numItems asks (Convex ends a page early past its read limit). */
  maxPage = MAX_PAGE_ITEMS;
  /** Every function call received, in order. */
  readonly calls: FnCall[] = [];
  /** "collection/id" -> the stored version (deleted ones are tombstones). */
  readonly docs = new Map<string, SyncVersion>();
  /** Every change importBatch applied or skipped, in order (a replay shows up twice). */
  readonly imported: SyncChange[] = [];

  constructor(readonly secret: string) {
    super();
  }

  /** The next `times` calls (of function `path`, or any) get `fault`, after `after` calls that pass. */
  fail(fault: FnFault, times = 1, path?: string, after = 0): void {
    this.faults.push({ fault, times, path, after });
  }

  healthy(): void {
    this.faults = [];
  }

  callsOf(path: string): FnCall[] {
    return this.calls.filter((c) => c.path === path);
  }

  /** A version written on the Convex side (verify tests). `record` null = a tombstone. */
  put(collection: string, id: string, record: Record<string, unknown> | null, updated: string, origin = "convex"): void {
    this.docs.set(`${collection}/${id}`, { updated, deleted: record === null, record, origin });
  }

  live(collection: string): Map<string, SyncVersion> {
    const out = new Map<string, SyncVersion>();
    for (const [k, d] of this.docs) if (!d.deleted && k.startsWith(`${collection}/`)) out.set(k.slice(collection.length + 1), d);
    return out;
  }

  private nextFault(path: string): FnFault | null {
    let chosen: FnFault | null = null;
    for (const f of this.faults) {
      if (f.times <= 0 || (f.path && f.path !== path)) continue;
      if (f.after > 0) f.after--;
      else if (!chosen) {
        f.times--;
        chosen = f.fault;
      }
    }
    return chosen;
  }

  private send(res: ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { "Content-Type": "application/json" }).end(JSON.stringify(body));
  }

  protected async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const m = /^\/api\/(mutation|query|action)$/.exec(req.url ?? "");
    if (req.method !== "POST" || !m) return this.send(res, 404, { code: "NotFound", message: `no route ${req.method} ${req.url}` });
    let body: { path?: unknown; format?: unknown; args?: unknown };
    try {
      body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    } catch {
      return this.send(res, 400, { code: "BadJsonBody", message: "body is not valid JSON" });
    }
    const path = body?.path;
    if (typeof path !== "string" || !/^[A-Za-z0-9_/]+:[A-Za-z0-9_]+$/.test(path)) return this.send(res, 400, { code: "BadJsonBody", message: "path: expected module:function" });
    // convex_encoded_json (the official client): args is a one-element array; json: an object.
    const args = Array.isArray(body.args) ? body.args[0] : body.args;
    if (args === null || typeof args !== "object" || Array.isArray(args)) return this.send(res, 400, { code: "BadJsonBody", message: "args: expected an object" });
    if (body.format !== "json" && body.format !== "convex_encoded_json") return this.send(res, 400, { code: "BadJsonBody", message: `format: unsupported ${String(body.format)}` });
    this.calls.push({ endpoint: m[1], path, format: String(body.format), args: args as Record<string, unknown>, headers: req.headers });

    const fault = this.nextFault(path);
    if (fault?.kind === "status") return void res.writeHead(fault.status, { "Content-Type": "application/json" }).end(fault.body ?? JSON.stringify({ code: "StubFault", message: `stub answered ${fault.status}` }));
    if (fault?.kind === "malformed") return void res.writeHead(200, { "Content-Type": "application/json" }).end('{"status":"succ');
    if (fault?.kind === "function-error") {
      return this.send(res, fault.status ?? 560, { status: "error", errorMessage: fault.message ?? "Server Error", ...(fault.data !== undefined ? { errorData: fault.data } : {}), logLines: [] });
    }
    try {
      const value = this.run(m[1], path, args as Record<string, unknown>);
      if (fault?.kind === "apply-then-error") return this.send(res, 560, { status: "error", errorMessage: "Server Error (the answer was lost)", logLines: [] });
      this.send(res, 200, { status: "success", value, logLines: [] });
    } catch (e) {
      if (!(e instanceof FunctionError)) throw e;
      this.send(res, 200, { status: "error", errorMessage: e.message, ...(e.data !== undefined ? { errorData: e.data } : {}), logLines: [] });
    }
  }

  private checkSecret(args: Record<string, unknown>): void {
    if (typeof args.secret !== "string") throw new FunctionError("ArgumentValidationError: Object is missing the required field `secret`.");
    if (args.secret !== this.secret) throw new FunctionError("secret: wrong CONVEX_SYNC_SECRET", { code: "unauthorized", message: "secret: wrong CONVEX_SYNC_SECRET" });
  }

  private run(endpoint: string, path: string, args: Record<string, unknown>): unknown {
    if (path === "migration:importBatch" && endpoint === "mutation") return this.importBatch(args);
    if (path === "migration:page" && endpoint === "query") return this.page(args);
    throw new FunctionError(`Could not find public function for '${path}'. Did you forget to run \`npx convex dev\` or \`npx convex deploy\`?`);
  }

  private bad(message: string, field: string): FunctionError {
    return new FunctionError(`${field}: ${message}`, { code: "bad_request", message: `${field}: ${message}`, field });
  }

  private importBatch(args: Record<string, unknown>): { results: PushResult[] } {
    this.checkSecret(args);
    const collection = args.collection;
    if (!isSyncCollection(collection)) throw this.bad(`not a synced collection: ${JSON.stringify(collection)}`, "collection");
    let changes: SyncChange[];
    try {
      changes = parsePushRequest({ changes: args.changes });
    } catch (e) {
      if (e instanceof SyncFormatError) throw this.bad(e.detail, e.path);
      throw e;
    }
    changes.forEach((c, i) => {
      if (c.collection !== collection) throw this.bad(`expected "${collection}", got "${c.collection}"`, `changes[${i}].collection`);
    });
    const results: PushResult[] = [];
    for (const change of changes) {
      const k = `${change.collection}/${change.id}`;
      const incoming = versionOf(change, ORIGIN_POCKETBASE);
      const outcome = resolveIncoming(this.docs.get(k) ?? null, incoming);
      if (outcome.write) this.docs.set(k, incoming);
      this.imported.push(change);
      results.push({ id: change.id, status: outcome.status });
    }
    return { results };
  }

  private page(args: Record<string, unknown>): unknown {
    this.checkSecret(args);
    const { collection, cursor, numItems } = args;
    if (!isSyncCollection(collection)) throw this.bad(`not a synced collection: ${JSON.stringify(collection)}`, "collection");
    if (typeof numItems !== "number" || !Number.isInteger(numItems) || numItems < 1 || numItems > MAX_PAGE_ITEMS) throw this.bad("expected 1-1000", "numItems");
    if (cursor !== null && typeof cursor !== "string") throw this.bad("expected a cursor or null", "cursor");
    // Like paginate over by_pbId: the cursor is the last pbId read (tombstones are read too).
    const ids = [...this.docs.keys()].filter((k) => k.startsWith(`${collection}/`)).map((k) => k.slice(collection.length + 1)).sort(compareCodeUnits);
    const from = cursor ? ids.filter((id) => compareCodeUnits(id, cursor) > 0) : ids;
    const slice = from.slice(0, Math.min(numItems, this.maxPage));
    const records = slice.map((id) => ({ id, d: this.docs.get(`${collection}/${id}`)! })).filter((x) => !x.d.deleted)
      .map((x) => ({ id: x.id, updated: x.d.updated, record: x.d.record }));
    const isDone = slice.length === from.length;
    return { records, isDone, continueCursor: slice.length ? slice[slice.length - 1] : (cursor ?? "") };
  }
}
