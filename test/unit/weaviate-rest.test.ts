// The one Weaviate REST call of the command line (src/cli/weaviate-rest.ts), used by weaviate-schema
// and reindex-weaviate: against a local server answering as Weaviate does, and failing on demand.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { weaviateRequest, WeaviateError } from "../../src/cli/weaviate-rest";
import { freePort } from "../helpers/pocketbase";
import { serveWith, type LocalServer } from "../helpers/local-server";

describe("weaviateRequest", () => {
  let server: LocalServer;
  let base = "";
  const got: { method: string; url: string; auth: string; type: string; body: string }[] = [];
  beforeAll(async () => {
    server = serveWith(async (req, res) => {
      let body = "";
      for await (const c of req) body += c;
      got.push({ method: req.method ?? "", url: req.url ?? "", auth: String(req.headers.authorization ?? ""), type: String(req.headers["content-type"] ?? ""), body });
      if (req.url === "/v1/schema" && req.method === "GET") return void res.writeHead(200, { "Content-Type": "application/json" }).end('{"classes":[]}');
      if (req.url === "/v1/schema" && req.method === "POST") return void res.writeHead(422, { "Content-Type": "application/json" }).end('{"error":[{"message":"class name HvacJob already exists"}]}');
      if (req.url === "/v1/objects/HvacJob/gone") return void res.writeHead(404).end();
      if (req.url === "/v1/html") return void res.writeHead(200, { "Content-Type": "text/html" }).end("<html>proxy login</html>");
      if (req.url === "/v1/slow") return; // never answers
      res.writeHead(204).end();
    });
    base = (await server.start()).url;
  });
  afterAll(() => server.close());
  const config = () => ({ weaviateUrl: base, weaviateApiKey: "key-1", httpTimeoutSec: 1 });

  it("sends the API key and a JSON body; answers the parsed JSON, null when empty", async () => {
    expect(await weaviateRequest(config(), "GET", "/v1/schema")).toEqual({ status: 200, body: { classes: [] } });
    expect(got.at(-1)).toMatchObject({ method: "GET", auth: "Bearer key-1", type: "", body: "" });
    expect(await weaviateRequest(config(), "DELETE", "/v1/objects/HvacJob/x")).toEqual({ status: 204, body: null });
    await weaviateRequest(config(), "PUT", "/v1/other", { body: { a: 1 } });
    expect(got.at(-1)).toMatchObject({ method: "PUT", type: "application/json", body: '{"a":1}' });
    await weaviateRequest({ ...config(), weaviateApiKey: "" }, "GET", "/v1/schema");
    expect(got.at(-1)!.auth).toBe("");
  });

  it("a refused status is an error with Weaviate's message, unless `ok` accepts it", async () => {
    await expect(weaviateRequest(config(), "POST", "/v1/schema", { body: {} })).rejects.toThrow(new WeaviateError("POST /v1/schema: HTTP 422: class name HvacJob already exists"));
    await expect(weaviateRequest(config(), "DELETE", "/v1/objects/HvacJob/gone")).rejects.toThrow("DELETE /v1/objects/HvacJob/gone: HTTP 404");
    expect((await weaviateRequest(config(), "DELETE", "/v1/objects/HvacJob/gone", { ok: (s) => s === 404 || s === 204 })).status).toBe(404);
  });

  it("an answer that is not JSON, no answer in time, and no server are errors naming the call", async () => {
    await expect(weaviateRequest(config(), "GET", "/v1/html")).rejects.toThrow("GET /v1/html: the answer is not JSON: <html>proxy login</html>");
    await expect(weaviateRequest(config(), "GET", "/v1/slow")).rejects.toThrow(`GET /v1/slow: no answer from ${base} within 1 s (SYNC_HTTP_TIMEOUT)`);
    const port = await freePort(); // nothing listens there
    await expect(weaviateRequest({ ...config(), weaviateUrl: `http://127.0.0.1:${port}` }, "GET", "/v1/schema")).rejects.toThrow(`GET /v1/schema: no answer from http://127.0.0.1:${port} (ECONNREFUSED)`);
  });
});
