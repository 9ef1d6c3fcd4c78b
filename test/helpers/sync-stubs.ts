// Local stand-ins for a Convex deployment's sync endpoints and for Weaviate's REST API (neither server
// runs on these machines). They speak the documented formats (../shared/notes/integrations.md,
// convex/http.ts), validate every request the way the real ones do (Authorization header, body shape:
// the same parsePushRequest Convex runs), store what they accept with the same last-writer-wins rule
// (resolveIncoming), record everything they received, and fail on demand: down (connection refused),
// hang (no answer; optionally after applying, the "committed but the answer was lost" case), slow,
// 5xx, 401, malformed JSON, a wrong answer shape, per-object errors (Weaviate).
import type { IncomingMessage, ServerResponse } from "node:http";
import {
  changeOf, parsePullQuery, parsePushRequest, resolveIncoming, SyncFormatError, versionOf,
  ORIGIN_POCKETBASE, type PushResult, type SyncChange, type SyncCollection, type SyncVersion,
} from "../../src/domain/sync";
import { isUuid } from "../../src/domain/uuid";
import { WEAVIATE_CLASSES } from "../../src/domain/weaviate";
import { LocalServer } from "./local-server";

/** What a stub does with the next request(s). */
export type StubFault =
  | { kind: "hang" } // accept, never answer (until release() answers 503, or close())
  | { kind: "hold" } // accept, wait until release(), then answer normally
  | { kind: "apply-then-hang" } // apply the changes, never answer: the sender cannot know they were stored
  | { kind: "status"; status: number; body?: string } // e.g. 500, 503, 401, 413
  | { kind: "malformed" } // 200 with text that is not JSON
  | { kind: "wrong-shape" } // 200 with JSON of the wrong shape (a result missing)
  | { kind: "slow"; ms: number }; // answer correctly after a delay

interface Pending {
  res: ServerResponse;
}

/** Shared plumbing: faults, hung requests, a log of what came in (listening: LocalServer). */
abstract class StubServer extends LocalServer {
  private hung: Pending[] = [];
  private holds: (() => void)[] = [];
  private faults: { fault: StubFault; times: number }[] = [];
  private waiters: { n: number; resolve: () => void }[] = [];
  /** Requests received (any path), in order. */
  requests: { method: string; path: string; auth: string; body: string }[] = [];

  /** Also forgets the hung requests (their connections are gone). */
  override async down(): Promise<void> {
    this.hung = [];
    await super.down();
  }

  /** The next `times` requests to the main endpoints get `fault` (queued after earlier ones). */
  fail(fault: StubFault, times = 1): void {
    this.faults.push({ fault, times });
  }

  /** Every following request gets `fault` until healthy(). */
  failAlways(fault: StubFault): void {
    this.faults = [{ fault, times: Number.POSITIVE_INFINITY }];
  }

  healthy(): void {
    this.faults = [];
  }

  /** Forgets what was received (the stored state stays). */
  clearLog(): void {
    this.requests = [];
    this.waiters = [];
    this.onClearLog();
  }

  protected onClearLog(): void {}

  /** Lets held requests go on normally and answers the hung ones with 503 (the sender may have given up). */
  release(): void {
    for (const go of this.holds) go();
    this.holds = [];
    for (const h of this.hung) {
      try {
        h.res.writeHead(503, { "Content-Type": "application/json" }).end('{"code":"released","message":"released"}');
      } catch {
        /* gone */
      }
    }
    this.hung = [];
  }

  /** Resolves once `n` requests in total have come in (no timing involved). */
  received(n: number): Promise<void> {
    if (this.requests.length >= n) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ n, resolve }));
  }

  protected nextFault(): StubFault | null {
    while (this.faults.length && this.faults[0].times <= 0) this.faults.shift();
    if (!this.faults.length) return null;
    this.faults[0].times--;
    return this.faults[0].fault;
  }

  /**
   * Takes the next fault and does its part before the answer: hangs, answers its error status (with
   * `errorBody(status)` unless the fault gives a body), waits (slow, hold). Returns "answered" when
   * nothing is left to do, else the fault for the handler to finish (malformed, wrong-shape, ...).
   */
  protected async beforeAnswer(res: ServerResponse, errorBody: (status: number) => unknown): Promise<StubFault | null | "answered"> {
    const fault = this.nextFault();
    if (fault?.kind === "hang") {
      this.hang(res);
      return "answered";
    }
    if (fault?.kind === "status") {
      res.writeHead(fault.status, { "Content-Type": "application/json" }).end(fault.body ?? JSON.stringify(errorBody(fault.status)));
      return "answered";
    }
    if (fault?.kind === "slow") await sleep(fault.ms);
    if (fault?.kind === "hold") await this.held();
    return fault;
  }

  protected hang(res: ServerResponse): void {
    this.hung.push({ res });
  }

  protected held(): Promise<void> {
    return new Promise((resolve) => this.holds.push(resolve));
  }

  protected json(res: ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { "Content-Type": "application/json; charset=utf-8" }).end(JSON.stringify(body));
  }

  protected async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    const url = new URL(req.url ?? "/", "http://stub");
    this.requests.push({ method: req.method ?? "", path: url.pathname + url.search, auth: String(req.headers.authorization ?? ""), body });
    for (const w of this.waiters.filter((x) => this.requests.length >= x.n)) w.resolve();
    this.waiters = this.waiters.filter((x) => this.requests.length < x.n);
    try {
      await this.handle(req.method ?? "", url, String(req.headers.authorization ?? ""), body, res);
    } catch (e) {
      if (!res.headersSent) this.json(res, 500, { code: "stub_error", message: String(e) });
    }
  }

  protected abstract handle(method: string, url: URL, auth: string, body: string, res: ServerResponse): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Weaviate's error body for a stub fault's status. */
export const WEAVIATE_ERROR = (status: number) => ({ error: [{ message: `stub answered ${status}` }] });

// ---------------------------------------------------------------- Convex

export interface ConvexDoc extends SyncVersion {
  seq: number;
}

/**
 * POST /pocketbase/push and GET /pocketbase/pull as convex/http.ts answers them, on an in-memory
 * store keyed by collection and PocketBase id (like the by_pbId index: a record is stored once).
 */
export class ConvexStub extends StubServer {
  readonly docs = new Map<string, ConvexDoc>();
  /** Every change received in a valid push, in order (duplicates show up here). */
  readonly pushed: SyncChange[] = [];
  /** The status answered for each pushed change, in order. */
  readonly statuses: PushResult["status"][] = [];
  private seq = 0;

  constructor(readonly secret: string) {
    super();
  }

  key(collection: string, id: string): string {
    return `${collection}/${id}`;
  }

  doc(collection: string, id: string): ConvexDoc | undefined {
    return this.docs.get(this.key(collection, id));
  }

  protected onClearLog(): void {
    this.pushed.length = 0;
    this.statuses.length = 0;
  }

  /** Live records (tombstones left out): "collection/id" -> record. */
  live(): Record<string, Record<string, unknown>> {
    const out: Record<string, Record<string, unknown>> = {};
    for (const [k, d] of this.docs) if (!d.deleted) out[k] = d.record as Record<string, unknown>;
    return out;
  }

  /** How many times a record was received in pushes. */
  receivedCount(collection: string, id: string): number {
    return this.pushed.filter((c) => c.collection === collection && c.id === id).length;
  }

  /** A write made on the Convex side (origin "convex"), like writeFromConvex. */
  writeFromConvex(collection: SyncCollection, id: string, record: Record<string, unknown> | null, updated: string): void {
    this.docs.set(this.key(collection, id), { updated, deleted: record === null, record, origin: "convex", seq: ++this.seq });
  }

  private apply(changes: SyncChange[]): PushResult[] {
    const results: PushResult[] = [];
    for (const change of changes) {
      const incoming = versionOf(change, ORIGIN_POCKETBASE);
      const k = this.key(change.collection, change.id);
      const stored = this.docs.get(k) ?? null;
      const outcome = resolveIncoming(stored, incoming);
      if (outcome.write) this.docs.set(k, { ...incoming, seq: ++this.seq });
      this.pushed.push(change);
      this.statuses.push(outcome.status);
      results.push({ id: change.id, status: outcome.status });
    }
    return results;
  }

  protected async handle(method: string, url: URL, auth: string, body: string, res: ServerResponse): Promise<void> {
    const isPush = method === "POST" && url.pathname === "/pocketbase/push";
    const isPull = method === "GET" && url.pathname === "/pocketbase/pull";
    if (!isPush && !isPull) return this.json(res, 404, { code: "not_found", message: `no route ${method} ${url.pathname}` });
    const fault = await this.beforeAnswer(res, (status) => ({ code: "stub_fault", message: `stub answered ${status}` }));
    if (fault === "answered") return;
    if (auth !== `Bearer ${this.secret}`) {
      return this.json(res, 401, { code: "unauthorized", message: "missing or wrong Authorization header: expected Bearer <CONVEX_SYNC_SECRET>" });
    }
    if (isPull) {
      let q;
      try {
        q = parsePullQuery(url.searchParams);
      } catch (e) {
        if (e instanceof SyncFormatError) return this.json(res, 400, { code: "bad_request", message: e.message, field: e.path });
        throw e;
      }
      if (fault?.kind === "malformed") return void res.writeHead(200).end("{not json");
      const docs = [...this.docs.entries()].filter(([, d]) => d.seq > q.since).sort((a, b) => a[1].seq - b[1].seq).slice(0, q.limit);
      const changes = docs.filter(([, d]) => d.origin !== q.origin).map(([k, d]) => {
        const [collection, id] = k.split("/");
        return changeOf(collection as SyncCollection, id, d);
      });
      const cursor = docs.length ? docs[docs.length - 1][1].seq : q.since;
      if (fault?.kind === "wrong-shape") return this.json(res, 200, { changes, cursor: Number(cursor) });
      return this.json(res, 200, { changes, cursor: String(cursor) });
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      return this.json(res, 400, { code: "bad_request", message: "body: not valid JSON", field: "body" });
    }
    let changes: SyncChange[];
    try {
      changes = parsePushRequest(parsed);
    } catch (e) {
      if (e instanceof SyncFormatError) return this.json(res, 400, { code: "bad_request", message: e.message, field: e.path });
      throw e;
    }
    if (fault?.kind === "malformed") return void res.writeHead(200, { "Content-Type": "application/json" }).end('{"results": [');
    const results = this.apply(changes);
    if (fault?.kind === "apply-then-hang") return this.hang(res);
    if (fault?.kind === "wrong-shape") return this.json(res, 200, { results: results.slice(1) });
    return this.json(res, 200, { results });
  }
}

// ---------------------------------------------------------------- Weaviate

const CLASSES = new Set<string>(Object.values(WEAVIATE_CLASSES));

export interface WeaviateStored {
  class: string;
  properties: Record<string, unknown>;
}

export interface WeaviateClassDef {
  class: string;
  vectorizer?: string;
  properties: { name: string; dataType: string[]; [k: string]: unknown }[];
}

/**
 * POST /v1/batch/objects and DELETE /v1/objects/{Class}/{uuid} on an in-memory store keyed by class and
 * id; GET /v1/objects (cursor listing); GET/POST /v1/schema and POST /v1/schema/{Class}/properties for
 * the class definitions.
 */
export class WeaviateStub extends StubServer {
  readonly objects = new Map<string, WeaviateStored>();
  readonly schema = new Map<string, WeaviateClassDef>();
  /** Every object received in a valid batch, in order. */
  readonly upserted: { class: string; id: string }[] = [];
  readonly deleted: { class: string; id: string; found: boolean }[] = [];
  /** Objects (by id) whose next upsert gets a per-object error, with how many times left. */
  private objectErrors = new Map<string, number>();

  constructor(readonly apiKey = "") {
    super();
  }

  protected onClearLog(): void {
    this.upserted.length = 0;
    this.deleted.length = 0;
  }

  /** The object with this id gets `result.errors` on its next `times` upserts. */
  failObject(id: string, times = 1): void {
    this.objectErrors.set(id, times);
  }

  get(cls: string, id: string): WeaviateStored | undefined {
    return this.objects.get(`${cls}/${id}`);
  }

  /**
   * GET /v1/objects?class=X&limit=N[&after=<uuid>] (hvac reindex-weaviate): one class's objects in
   * ascending id order, the page after `after`, as {"objects":[...],"totalResults":n}. Weaviate's
   * cursor API needs the class with `after` and takes no offset with it.
   */
  private list(url: URL, res: ServerResponse, fault: StubFault | null): void {
    const cls = url.searchParams.get("class") ?? "";
    const after = url.searchParams.get("after");
    const limit = Number(url.searchParams.get("limit") ?? "25");
    if (after !== null && !cls) return this.json(res, 422, { error: [{ message: "the cursor api (after) requires a class" }] });
    if (after !== null && url.searchParams.has("offset")) return this.json(res, 422, { error: [{ message: "cannot combine after with offset" }] });
    if (!Number.isInteger(limit) || limit < 1) return this.json(res, 422, { error: [{ message: `invalid limit ${url.searchParams.get("limit")}` }] });
    if (cls && !this.schema.has(cls) && !CLASSES.has(cls)) return this.json(res, 404, { error: [{ message: `class ${cls} not found` }] });
    const page = [...this.objects.entries()]
      .map(([k, o]) => ({ id: k.slice(k.indexOf("/") + 1), ...o }))
      .filter((o) => (!cls || o.class === cls) && (after === null || o.id > after.toLowerCase()))
      .sort((a, b) => (a.id < b.id ? -1 : 1))
      .slice(0, limit);
    if (fault?.kind === "malformed") return void res.writeHead(200, { "Content-Type": "application/json" }).end('{"objects": [');
    const objects = page.map((o) => ({ class: o.class, id: o.id, properties: o.properties, creationTimeUnix: 0, lastUpdateTimeUnix: 0 }));
    if (fault?.kind === "wrong-shape") return this.json(res, 200, { objects: objects.map(({ id: _id, ...rest }) => rest), totalResults: objects.length });
    return this.json(res, 200, { objects, totalResults: objects.length });
  }

  private handleSchema(method: string, url: URL, body: string, res: ServerResponse): void {
    if (method === "GET" && url.pathname === "/v1/schema") return this.json(res, 200, { classes: [...this.schema.values()] });
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      return this.json(res, 422, { error: [{ message: "could not parse body: not valid JSON" }] });
    }
    const validProperty = (p: unknown): p is WeaviateClassDef["properties"][number] => {
      const q = p as { name?: unknown; dataType?: unknown };
      return !!q && typeof q.name === "string" && /^[_A-Za-z][_0-9A-Za-z]*$/.test(q.name) && Array.isArray(q.dataType) && q.dataType.length === 1
        && ["text", "number", "date", "int", "boolean"].includes(String(q.dataType[0]));
    };
    if (method === "POST" && url.pathname === "/v1/schema") {
      const cls = parsed as WeaviateClassDef;
      if (!cls || typeof cls.class !== "string" || !/^[A-Z][_0-9A-Za-z]*$/.test(cls.class)) return this.json(res, 422, { error: [{ message: "class name must start with a capital letter" }] });
      if (!Array.isArray(cls.properties) || !cls.properties.every(validProperty)) return this.json(res, 422, { error: [{ message: `invalid properties of ${cls.class}` }] });
      if (this.schema.has(cls.class)) return this.json(res, 422, { error: [{ message: `class name "${cls.class}" already exists` }] });
      this.schema.set(cls.class, cls);
      return this.json(res, 200, cls);
    }
    const m = method === "POST" ? /^\/v1\/schema\/([A-Za-z0-9_]+)\/properties$/.exec(url.pathname) : null;
    if (m) {
      const cls = this.schema.get(m[1]);
      if (!cls) return this.json(res, 404, { error: [{ message: `class ${m[1]} not found` }] });
      if (!validProperty(parsed)) return this.json(res, 422, { error: [{ message: "invalid property" }] });
      if (cls.properties.some((p) => p.name === parsed.name)) return this.json(res, 422, { error: [{ message: `property ${parsed.name} already exists` }] });
      cls.properties.push(parsed);
      return this.json(res, 200, parsed);
    }
    return this.json(res, 404, { error: [{ message: `no route ${method} ${url.pathname}` }] });
  }

  protected async handle(method: string, url: URL, auth: string, body: string, res: ServerResponse): Promise<void> {
    if (url.pathname.startsWith("/v1/schema")) {
      if (this.apiKey && auth !== `Bearer ${this.apiKey}`) return this.json(res, 401, { error: [{ message: "unauthorized" }] });
      return this.handleSchema(method, url, body, res);
    }
    const isBatch = method === "POST" && url.pathname === "/v1/batch/objects";
    const del = method === "DELETE" ? /^\/v1\/objects\/([A-Za-z0-9_]+)\/([0-9a-fA-F-]{36})$/.exec(url.pathname) : null;
    const isList = method === "GET" && url.pathname === "/v1/objects";
    if (!isBatch && !del && !isList) return this.json(res, 404, { error: [{ message: `no route ${method} ${url.pathname}` }] });
    const fault = await this.beforeAnswer(res, WEAVIATE_ERROR);
    if (fault === "answered") return;
    if (this.apiKey && auth !== `Bearer ${this.apiKey}`) {
      return this.json(res, 401, { error: [{ message: "anonymous access not enabled, please provide an auth scheme such as OIDC or API key" }] });
    }
    if (isList) return this.list(url, res, fault);
    if (del) {
      const [, cls, id] = del;
      if (!CLASSES.has(cls)) return this.json(res, 404, { error: [{ message: `class ${cls} not found` }] });
      const found = this.objects.delete(`${cls}/${id.toLowerCase()}`);
      this.deleted.push({ class: cls, id: id.toLowerCase(), found });
      if (fault?.kind === "malformed") return void res.writeHead(found ? 204 : 404).end("{oops");
      res.writeHead(found ? 204 : 404).end();
      return;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      return this.json(res, 422, { error: [{ message: "could not parse body: not valid JSON" }] });
    }
    const objects = (parsed as { objects?: unknown })?.objects;
    if (!Array.isArray(objects)) return this.json(res, 422, { error: [{ message: "body must be {\"objects\":[...]}" }] });
    for (let i = 0; i < objects.length; i++) {
      const o = objects[i] as { class?: unknown; id?: unknown; properties?: unknown };
      if (!o || typeof o !== "object") return this.json(res, 422, { error: [{ message: `objects[${i}]: not an object` }] });
      if (typeof o.class !== "string" || !CLASSES.has(o.class)) return this.json(res, 422, { error: [{ message: `objects[${i}].class: unknown class ${String(o.class)}` }] });
      if (!isUuid(o.id)) return this.json(res, 422, { error: [{ message: `objects[${i}].id: not a UUID` }] });
      if (!o.properties || typeof o.properties !== "object" || Array.isArray(o.properties)) return this.json(res, 422, { error: [{ message: `objects[${i}].properties: not an object` }] });
    }
    if (fault?.kind === "malformed") return void res.writeHead(200, { "Content-Type": "application/json" }).end("[{");
    const answer = [];
    const now = Date.now();
    for (const raw of objects) {
      const o = raw as { class: string; id: string; properties: Record<string, unknown> };
      const id = o.id.toLowerCase();
      const left = this.objectErrors.get(id) ?? 0;
      if (left > 0) {
        this.objectErrors.set(id, left - 1);
        answer.push({ class: o.class, id, properties: o.properties, result: { errors: { error: [{ message: `stub: refused object ${id}` }] } } });
        continue;
      }
      this.objects.set(`${o.class}/${id}`, { class: o.class, properties: o.properties });
      this.upserted.push({ class: o.class, id });
      answer.push({ class: o.class, id, properties: o.properties, creationTimeUnix: now, lastUpdateTimeUnix: now, result: {} });
    }
    if (fault?.kind === "wrong-shape") return this.json(res, 200, answer.slice(1));
    return this.json(res, 200, answer);
  }
}
