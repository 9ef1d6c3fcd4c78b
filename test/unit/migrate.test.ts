// What the migration commands share (src/cli/migrate.ts): Convex's errors as one line with the secret
// redacted, the kind of a Convex failure, the /api/files reader with its token cache, and the check
// that a state file can be written.
import { mkdtempSync, rmSync, writeFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConvexError } from "convex/values";
import type PocketBase from "pocketbase";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkWritable, convexErrorCode, convexErrorText, FileReader, redactSecret } from "../../src/cli/migrate";
import { serveWith, type LocalServer } from "../helpers/local-server";
import { freePort } from "../helpers/pocketbase";

const SECRET = 'sekret-"0123456789abcdef';
const CONFIG = { convexUrl: "https://happy-otter-123.convex.cloud", secret: SECRET };

describe("redactSecret / convexErrorText", () => {
  it("replaces every occurrence of the secret, as it is and as JSON escapes it", () => {
    expect(redactSecret(`a ${SECRET} b ${SECRET}`, SECRET)).toBe("a *** b ***");
    expect(redactSecret(JSON.stringify({ secret: SECRET }), SECRET)).toBe('{"secret":"***"}');
    expect(redactSecret("nothing here", SECRET)).toBe("nothing here");
    expect(redactSecret("empty secret", "")).toBe("empty secret");
  });

  it("an argument validation error (Convex echoes the whole argument object) never shows the secret", () => {
    // What ConvexHttpClient throws for {"status":"error","errorMessage":...} without errorData.
    const validation = new Error(
      `[Request ID: 3f2a] Server Error\nArgumentValidationError: Object contains extra field \`extra\` that is not in the validator.\n\nObject: {changes: [], collection: "contacts", extra: 1, secret: ${JSON.stringify(SECRET)}}\nValidator: v.object({changes: v.array(v.any()), collection: v.string(), secret: v.string()})`,
    );
    const text = convexErrorText(validation, CONFIG);
    expect(text).not.toContain("0123456789abcdef");
    expect(text).toContain('secret: "***"}');
    expect(text).toContain("Server Error ArgumentValidationError: Object contains extra field `extra` that is not in the validator. Object: {");
    expect(text).not.toContain("\n");
    // ConvexError data, a request error's JSON body: redacted as well.
    expect(convexErrorText(new ConvexError({ code: "bad_request", message: `secret ${SECRET} refused` }), CONFIG)).toBe("secret *** refused [bad_request]");
    expect(convexErrorText(new Error(JSON.stringify({ code: "BadJsonBody", message: `args: ${SECRET}` })), CONFIG)).toBe("args: *** [BadJsonBody]");
  });

  it("names the deployment when there is no answer or the answer is not JSON", () => {
    const refused = Object.assign(new TypeError("fetch failed"), { cause: { code: "ECONNREFUSED" } });
    expect(convexErrorText(refused, CONFIG)).toBe("no answer from https://happy-otter-123.convex.cloud (ECONNREFUSED): check CONVEX_URL");
    expect(convexErrorText(new SyntaxError("Unexpected token <"), CONFIG)).toMatch(/^malformed answer from https:\/\/happy-otter-123\.convex\.cloud \(not JSON: Unexpected token </);
    expect(convexErrorText(new DOMException("timed out", "TimeoutError"), CONFIG)).toBe("no answer from https://happy-otter-123.convex.cloud in 120 s");
  });

  it("convexErrorCode: a ConvexError's code, a request error's code, network for no answer", () => {
    expect(convexErrorCode(new ConvexError({ code: "unauthorized", message: "secret: wrong CONVEX_SYNC_SECRET" }))).toBe("unauthorized");
    expect(convexErrorCode(new ConvexError("plain text"))).toBe("");
    expect(convexErrorCode(new Error('{"code":"Overloaded","message":"try again"}'))).toBe("Overloaded");
    expect(convexErrorCode(new TypeError("fetch failed"))).toBe("network");
    expect(convexErrorCode(new DOMException("timed out", "TimeoutError"))).toBe("network");
    expect(convexErrorCode(new Error("Server Error"))).toBe("");
  });
});

describe("FileReader", () => {
  let server: LocalServer;
  let url = "";
  const seen: string[] = [];
  beforeAll(async () => {
    server = serveWith((req, res) => {
      seen.push(req.url ?? "");
      const u = new URL(req.url ?? "/", "http://x");
      if (u.searchParams.get("token") !== "T1") return void res.writeHead(403).end();
      if (u.pathname === "/api/files/invoices/r1/faktura%201.pdf") return void res.writeHead(200, { "Content-Type": "application/pdf" }).end("%PDF-1.4");
      if (u.pathname === "/api/files/invoices/r1/broken.pdf") return void res.writeHead(500).end("boom");
      res.writeHead(404).end('{"code":404}');
    });
    url = (await server.start()).url;
  });
  afterAll(() => server.close());

  it("reads with one file token for every file; null for a file PocketBase does not have; another status names the file", async () => {
    let tokens = 0;
    const pb = { baseUrl: url, files: { getToken: async () => `T${++tokens}` } } as unknown as PocketBase;
    const reader = new FileReader(pb);
    const [a, b] = await Promise.all([reader.read("invoices", "r1", "faktura 1.pdf"), reader.read("invoices", "r1", "faktura 1.pdf")]);
    expect(Buffer.from(a!.bytes).toString()).toBe("%PDF-1.4");
    expect(a!.contentType).toBe("application/pdf");
    expect(b!.bytes.length).toBe(8);
    expect(await reader.read("invoices", "r1", "gone.pdf")).toBeNull();
    await expect(reader.read("invoices", "r1", "broken.pdf")).rejects.toThrow("GET /api/files/invoices/r1/broken.pdf: PocketBase answered HTTP 500");
    expect(tokens).toBe(1);
    expect(seen.every((u) => u.endsWith("?token=T1"))).toBe(true);
  });

  it("a failed token request is not kept; a stopped download keeps the reason it was stopped for", async () => {
    let calls = 0;
    const pb = { baseUrl: url, files: { getToken: async () => (++calls === 1 ? Promise.reject(new Error("token refused")) : "T1") } } as unknown as PocketBase;
    const reader = new FileReader(pb);
    await expect(reader.read("invoices", "r1", "faktura 1.pdf")).rejects.toThrow("token refused");
    expect((await reader.read("invoices", "r1", "faktura 1.pdf"))!.bytes.length).toBe(8);
    const stop = new AbortController();
    stop.abort(new Error("another download failed"));
    await expect(reader.open("invoices", "r1", "faktura 1.pdf", stop.signal)).rejects.toThrow("another download failed");
  });

  it("no answer names the file", async () => {
    // A port nothing listens on any more.
    const port = await freePort(); // nothing listens there
    const pb = { baseUrl: `http://127.0.0.1:${port}`, files: { getToken: async () => "T1" } } as unknown as PocketBase;
    await expect(new FileReader(pb).read("invoices", "r1", "a.pdf")).rejects.toThrow("GET /api/files/invoices/r1/a.pdf: PocketBase did not answer (ECONNREFUSED)");
  });
});

describe("checkWritable", () => {
  const dir = mkdtempSync(join(tmpdir(), "hvac-writable-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("passes where a file can be written and leaves nothing behind; the system's error where not", async () => {
    await checkWritable(join(dir, "state.json"));
    expect(readdirSync(dir)).toEqual([]);
    writeFileSync(join(dir, "a-file"), "x");
    await expect(checkWritable(join(dir, "a-file", "state.json"))).rejects.toMatchObject({ code: "ENOTDIR" });
    await expect(checkWritable(join(dir, "no-such-dir", "state.json"))).rejects.toMatchObject({ code: "ENOENT" });
  });
});
