// A pass-through HTTP proxy in front of PocketBase that fails, holds or rewrites chosen requests:
// `intercept` may answer a request itself (return true), `rewrite` may change an answer's body, and
// `answer` may send PocketBase's answer itself (return true), e.g. half of it and then nothing.
// Every request is listed in `seen` ("GET /api/..."), so a test can tell what the client asked for.
import type { IncomingMessage, ServerResponse } from "node:http";
import { LocalServer } from "./local-server";

/** PocketBase's answer to a proxied request. */
export interface Upstream {
  status: number;
  type: string;
  body: Buffer;
}

export class FaultProxy extends LocalServer {
  readonly seen: string[] = [];
  /** Answers a request itself when it returns true; else the request goes to PocketBase. */
  intercept: ((req: IncomingMessage, res: ServerResponse) => boolean | Promise<boolean>) | null = null;
  /** Changes the body of PocketBase's answer to `path` (with its query). */
  rewrite: ((path: string, body: Buffer) => Buffer) | null = null;
  /** Sends PocketBase's answer itself when it returns true. */
  answer: ((req: IncomingMessage, res: ServerResponse, up: Upstream) => boolean) | null = null;

  constructor(private readonly target: string) {
    super();
  }

  /** Answers requests matching `method` and `path` (a RegExp on the path and query) with `status`. */
  failing(method: string, path: RegExp, status = 500): this {
    this.intercept = (req, res) => {
      if (req.method !== method || !path.test(req.url ?? "")) return false;
      res.writeHead(status, { "Content-Type": "application/json" }).end(JSON.stringify({ code: status, message: `proxy fault ${status}`, data: {} }));
      return true;
    };
    return this;
  }

  protected async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.seen.push(`${req.method} ${req.url}`);
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    if (this.intercept && (await this.intercept(req, res))) return;
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string" && !["host", "connection", "content-length"].includes(k)) headers[k] = v;
    let up: Response;
    try {
      up = await fetch(`${this.target}${req.url}`, { method: req.method, headers, body: ["GET", "HEAD"].includes(req.method ?? "") ? undefined : Buffer.concat(chunks) });
    } catch {
      return void res.destroy();
    }
    let body: Buffer = Buffer.from(await up.arrayBuffer());
    if (this.rewrite) body = this.rewrite(req.url ?? "", body);
    const type = up.headers.get("content-type") ?? "application/octet-stream";
    if (this.answer && this.answer(req, res, { status: up.status, type, body })) return;
    res.writeHead(up.status, { "Content-Type": type, "Content-Length": String(body.length) }).end(body);
  }
}
