/// <reference types="vite/client" />
// A local stand-in for a Convex deployment's function API and upload URLs, for
// `hvac migrate-files --to convex`. Behind the wire format it runs the real convex/files.ts on
// convex-test's in-memory backend, so the CLI is tested against our actual functions:
//   POST /api/mutation|query {"path":"files:attach","format":"convex_encoded_json","args":[{...}]}
//     -> 200 {"status":"success","value":...,"logLines":[]}
//     -> 560 {"status":"error","errorMessage":"...","errorData":{...}?,"logLines":[]} (a function error;
//        ConvexHttpClient 1.48 reads 560 like 200 and branches on status)
//     -> 4xx/5xx {"code","message"} for a bad request
//   POST /api/storage/upload?token=T (body = the bytes, Content-Type) -> 200 {"storageId":"..."}
// generateUploadUrl runs the real mutation (secret check) and hands out this server's own upload URL.
// Faults on demand: the next calls/uploads answer an error status, an upload is stored truncated.
import type { IncomingMessage, ServerResponse } from "node:http";
import { convexTest } from "convex-test";
import { makeFunctionReference } from "convex/server";
import type { GenericId } from "convex/values";
import schema from "../../convex/schema";
import type { AttachArgs } from "../../src/cli/migrate";
import { LocalServer } from "./local-server";

const modules = import.meta.glob("../../convex/**/*.*s");

type Fault = { on: "function" | "upload"; status: number; times: number } | { on: "upload"; truncate: true; times: number };

/** A row of sync_files: what files:attach was given (src/cli/migrate.ts AttachArgs). */
export type SyncFileRow = AttachArgs;

export class ConvexFilesStub extends LocalServer {
  readonly t = convexTest(schema, modules);
  /** Every function call received: path and args (secret left out). */
  readonly calls: { path: string; args: Record<string, unknown> }[] = [];
  readonly uploads: { token: string; contentType: string; bytes: number; status: number }[] = [];
  private tokens = new Set<string>();
  private nextToken = 0;
  private faults: Fault[] = [];
  private savedSecret: string | undefined;

  constructor(readonly secret: string) {
    super();
  }

  override async start(port = 0): Promise<this> {
    // convex/secret.ts reads the deployment's variable from process.env when a function runs.
    this.savedSecret = process.env.CONVEX_SYNC_SECRET;
    process.env.CONVEX_SYNC_SECRET = this.secret;
    return super.start(port);
  }

  override async close(): Promise<void> {
    await super.close();
    if (this.savedSecret === undefined) delete process.env.CONVEX_SYNC_SECRET;
    else process.env.CONVEX_SYNC_SECRET = this.savedSecret;
  }

  /** The next `times` function calls (or uploads) answer `status`. */
  failNext(on: "function" | "upload", status: number, times = 1): void {
    this.faults.push({ on, status, times });
  }

  /** The next upload keeps all but its last byte and still answers with a storage id. */
  truncateNextUpload(): void {
    this.faults.push({ on: "upload", truncate: true, times: 1 });
  }

  private takeFault(on: "function" | "upload"): Fault | null {
    const i = this.faults.findIndex((f) => f.on === on && f.times > 0);
    if (i < 0) return null;
    const f = this.faults[i];
    if (--f.times <= 0) this.faults.splice(i, 1);
    return f;
  }

  /** The sync_files rows. */
  mappings(): Promise<SyncFileRow[]> {
    return this.t.run(async (ctx) => (await ctx.db.query("sync_files").collect()) as unknown as SyncFileRow[]);
  }

  /** The bytes of a stored blob, or null. */
  async blob(storageId: string): Promise<Buffer | null> {
    const b64 = await this.t.run(async (ctx) => {
      const blob = await ctx.storage.get(storageId as GenericId<"_storage">);
      return blob ? Buffer.from(await blob.arrayBuffer()).toString("base64") : null;
    });
    return b64 === null ? null : Buffer.from(b64, "base64");
  }

  /** How many blobs are stored (attached or not). */
  blobCount(): Promise<number> {
    return this.t.run(async (ctx) => (await ctx.db.system.query("_storage").collect()).length);
  }

  private json(res: ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { "Content-Type": "application/json" }).end(JSON.stringify(body));
  }

  protected async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const url = new URL(req.url ?? "/", "http://stub");
    try {
      if (req.method === "POST" && url.pathname === "/api/storage/upload") return await this.upload(url, String(req.headers["content-type"] ?? ""), body, res);
      const kind = req.method === "POST" ? /^\/api\/(query|mutation)$/.exec(url.pathname)?.[1] : undefined;
      if (!kind) return this.json(res, 404, { code: "NotFound", message: `no route ${req.method} ${url.pathname}` });
      await this.call(kind as "query" | "mutation", body, res);
    } catch (e) {
      if (!res.headersSent) this.json(res, 500, { code: "InternalServerError", message: String(e) });
    }
  }

  private async call(kind: "query" | "mutation", body: Buffer, res: ServerResponse): Promise<void> {
    let parsed: { path?: unknown; format?: unknown; args?: unknown };
    try {
      parsed = JSON.parse(body.toString("utf8"));
    } catch {
      return this.json(res, 400, { code: "BadJsonBody", message: "body: not valid JSON" });
    }
    if (typeof parsed.path !== "string" || !/^[A-Za-z0-9_/]+:[A-Za-z0-9_]+$/.test(parsed.path)) return this.json(res, 400, { code: "BadRequest", message: "path: expected module:function" });
    if (parsed.format !== "convex_encoded_json" && parsed.format !== "json") return this.json(res, 400, { code: "BadRequest", message: `format: unsupported "${String(parsed.format)}"` });
    const args = Array.isArray(parsed.args) ? parsed.args[0] : parsed.args;
    if (!args || typeof args !== "object" || Array.isArray(args)) return this.json(res, 400, { code: "BadRequest", message: "args: expected an object" });
    const { secret: _secret, ...shown } = args as Record<string, unknown>;
    this.calls.push({ path: parsed.path, args: shown });
    const fault = this.takeFault("function");
    if (fault && "status" in fault) return this.json(res, fault.status, { code: "StubFault", message: `stub answered ${fault.status}` });
    if (parsed.path !== "files:generateUploadUrl" && parsed.path !== "files:attach") {
      return this.json(res, 560, { status: "error", errorMessage: `Could not find public function for '${parsed.path}'`, logLines: [] });
    }
    try {
      const ref = makeFunctionReference<"mutation">(parsed.path);
      let value = kind === "mutation" ? await this.t.mutation(ref, args as Record<string, unknown>) : await this.t.query(makeFunctionReference<"query">(parsed.path), args as Record<string, unknown>);
      if (parsed.path === "files:generateUploadUrl") {
        const token = `t${++this.nextToken}`;
        this.tokens.add(token);
        value = `${this.url}/api/storage/upload?token=${token}`;
      }
      this.json(res, 200, { status: "success", value, logLines: [] });
    } catch (e) {
      const data = (e as { data?: unknown }).data;
      this.json(res, 560, { status: "error", errorMessage: (e as Error).message, ...(data === undefined ? {} : { errorData: data }), logLines: [] });
    }
  }

  private async upload(url: URL, contentType: string, body: Buffer, res: ServerResponse): Promise<void> {
    const token = url.searchParams.get("token") ?? "";
    const record = (status: number) => this.uploads.push({ token, contentType, bytes: body.length, status });
    // Upload URLs are single-use.
    if (!this.tokens.delete(token)) {
      record(400);
      return this.json(res, 400, { code: "InvalidUploadToken", message: "the upload URL is invalid or was used already" });
    }
    const fault = this.takeFault("upload");
    if (fault && "status" in fault) {
      record(fault.status);
      return this.json(res, fault.status, { code: "StubFault", message: `stub answered ${fault.status}` });
    }
    const bytes = fault ? body.subarray(0, Math.max(0, body.length - 1)) : body;
    const storageId = await this.t.run(async (ctx) => ctx.storage.store(new Blob([new Uint8Array(bytes)], { type: contentType })));
    record(200);
    this.json(res, 200, { storageId });
  }
}
