// The plumbing every local stand-in server of the tests shares (the Convex, Weaviate and S3 stubs,
// the fault proxy): listen on 127.0.0.1 (a free port unless given), `down()` = connection refused
// with open connections dropped, `up()` = listening again on the same port, `close()`.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

export abstract class LocalServer {
  private server: Server;
  private sockets = new Set<Socket>();
  port = 0;

  constructor() {
    this.server = this.makeServer();
  }

  /** Answers one request (errors are the subclass's to turn into answers). */
  protected abstract onRequest(req: IncomingMessage, res: ServerResponse): void | Promise<void>;

  private makeServer(): Server {
    const server = createServer((req, res) => void this.onRequest(req, res));
    server.on("connection", (s) => {
      this.sockets.add(s);
      s.on("close", () => this.sockets.delete(s));
    });
    return server;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(port = 0): Promise<this> {
    await new Promise<void>((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(port, "127.0.0.1", () => resolve());
    });
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  /** Stops listening (connection refused) and drops open connections; `up()` listens again on the same port. */
  async down(): Promise<void> {
    const closed = new Promise<void>((r) => this.server.close(() => r()));
    for (const s of this.sockets) s.destroy();
    await closed;
  }

  async up(): Promise<void> {
    this.server = this.makeServer();
    await this.start(this.port);
  }

  async close(): Promise<void> {
    await this.down();
  }
}

/** A LocalServer that answers with `handler` (a one-off server in a test). */
export function serveWith(handler: (req: IncomingMessage, res: ServerResponse) => void | Promise<void>): LocalServer {
  return new (class extends LocalServer {
    protected onRequest(req: IncomingMessage, res: ServerResponse) {
      return handler(req, res);
    }
  })();
}
