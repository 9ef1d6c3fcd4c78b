// A pass-through HTTP proxy in front of PocketBase that fails, holds or rewrites chosen requests:
// `intercept` may answer a request itself (return true), and `rewrite` may change an answer's body.
// Every request is listed in `seen` ("GET /api/..."), so a test can tell what the client asked for.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

export class FaultProxy {
  private server: Server;
  private sockets = new Set<Socket>();
  url = "";
  readonly seen: string[] = [];
  /** Answers a request itself when it returns true; else the request goes to PocketBase. */
  intercept: ((req: IncomingMessage, res: ServerResponse) => boolean | Promise<boolean>) | null = null;
  /** Changes the body of PocketBase's answer to `path` (with its query). */
  rewrite: ((path: string, body: Buffer) => Buffer) | null = null;

  constructor(private readonly target: string) {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.on("connection", (s) => {
      this.sockets.add(s);
      s.on("close", () => this.sockets.delete(s));
    });
  }

  async start(): Promise<this> {
    await new Promise<void>((r) => this.server.listen(0, "127.0.0.1", () => r()));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((r) => this.server.close(() => r()));
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

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
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
    res.writeHead(up.status, { "Content-Type": up.headers.get("content-type") ?? "application/octet-stream", "Content-Length": String(body.length) }).end(body);
  }
}
