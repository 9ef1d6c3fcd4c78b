// A local S3-compatible object store (path-style, one bucket) for `hvac migrate-files --to s3` and for
// PocketBase's own S3 storage setting. It checks every request's AWS Signature Version 4 with its own
// computation (not src/cli/s3.ts: both our client and PocketBase's aws-sdk-go-v2 must satisfy it),
// refuses a wrong key, secret, region or payload hash the way S3 does (403/400 with an XML <Error>),
// and answers what PocketBase 0.22 uses: PutObject, multipart uploads, HeadObject, GetObject (with
// Range), ListObjectsV2 and DeleteObject. Faults on demand: an error status for the next requests, a PUT
// stored truncated while answering 200, down (connection refused).
import { createHash, createHmac } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { LocalServer } from "./local-server";

export interface S3StubOptions {
  bucket: string;
  region: string;
  accessKey: string;
  secret: string;
}

export interface StoredObject {
  body: Buffer;
  contentType: string;
  metadata: Record<string, string>;
  etag: string;
  lastModified: Date;
}

export interface S3StubRequest {
  method: string;
  /** The raw path and query as received. */
  url: string;
  /** The object key, "" for bucket requests. */
  key: string;
  /** 0: not answered (a "hang" fault). */
  status: number;
  /** Who sent it, from User-Agent: "aws-sdk-go-v2" is PocketBase, "node" our CLI. */
  agent: string;
}

export interface S3Fault {
  /** Only requests with this method (any when unset). */
  method?: string;
  status: number;
  code: string;
  /** How many requests get it (1). */
  times?: number;
  /** Let this many matching requests through first (0). */
  skip?: number;
  /**
   * "truncate": a PUT is stored without its last byte but answered 200 (a store that lost data);
   * "hang": no answer at all (the client is stuck until it gives up or is killed).
   */
  kind?: "error" | "truncate" | "hang";
}

const enc = (s: string, slash: boolean) =>
  Array.from(Buffer.from(s, "utf8"), (b) => {
    const c = String.fromCharCode(b);
    return /[A-Za-z0-9\-_.~]/.test(c) || (slash && c === "/") ? c : `%${b.toString(16).toUpperCase().padStart(2, "0")}`;
  }).join("");

const xmlEscape = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

export class S3Stub extends LocalServer {
  readonly objects = new Map<string, StoredObject>();
  readonly requests: S3StubRequest[] = [];
  private faults: S3Fault[] = [];
  private uploads = new Map<string, { key: string; contentType: string; metadata: Record<string, string>; parts: Map<number, { body: Buffer; etag: string }> }>();
  private uploadSeq = 0;

  constructor(readonly opts: S3StubOptions) {
    super();
  }

  fail(fault: S3Fault): void {
    this.faults.push({ times: 1, kind: "error", ...fault });
  }

  /** Resolves once `n` requests with this method came in (answered or not). */
  async received(method: string, n: number): Promise<void> {
    while (this.requests.filter((r) => r.method === method).length < n) {
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  healthy(): void {
    this.faults = [];
  }

  /** Requests PocketBase's S3 client (aws-sdk-go-v2) sent. */
  fromPocketBase(): S3StubRequest[] {
    return this.requests.filter((r) => r.agent === "aws-sdk-go-v2");
  }

  private takeFault(method: string): S3Fault | null {
    const i = this.faults.findIndex((f) => (f.times ?? 1) > 0 && (!f.method || f.method === method));
    if (i < 0) return null;
    const f = this.faults[i];
    if (f.skip) {
      f.skip--;
      return null;
    }
    f.times = (f.times ?? 1) - 1;
    if (f.times <= 0) this.faults.splice(i, 1);
    return f;
  }

  private error(res: ServerResponse, method: string, status: number, code: string, message: string): number {
    res.writeHead(status, { "Content-Type": "application/xml" });
    res.end(method === "HEAD" ? undefined : `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${xmlEscape(message)}</Message><RequestId>stub</RequestId></Error>`);
    return status;
  }

  /**
   * The SigV4 check, computed here from the request as received: "" when it holds, else S3's error
   * code and message.
   */
  private verify(req: IncomingMessage, body: Buffer): [string, string] | null {
    const auth = String(req.headers.authorization ?? "");
    const m = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/s3\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/.exec(auth);
    if (!m) return ["AccessDenied", `missing or malformed Authorization header: "${auth.slice(0, 80)}"`];
    const [, accessKey, day, region, signedHeaders, signature] = m;
    if (accessKey !== this.opts.accessKey) return ["InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records."];
    if (region !== this.opts.region) return ["AuthorizationHeaderMalformed", `the region '${region}' is wrong; expecting '${this.opts.region}'`];
    const date = String(req.headers["x-amz-date"] ?? "");
    if (!/^\d{8}T\d{6}Z$/.test(date) || date.slice(0, 8) !== day) return ["AccessDenied", "x-amz-date missing or not the credential's day"];
    const when = Date.UTC(+date.slice(0, 4), +date.slice(4, 6) - 1, +date.slice(6, 8), +date.slice(9, 11), +date.slice(11, 13), +date.slice(13, 15));
    if (Math.abs(Date.now() - when) > 15 * 60_000) return ["RequestTimeTooSkewed", "The difference between the request time and the current time is too large."];
    const payload = String(req.headers["x-amz-content-sha256"] ?? "");
    if (!payload) return ["InvalidRequest", "Missing required header for this request: x-amz-content-sha256"];
    if (payload !== "UNSIGNED-PAYLOAD" && payload !== createHash("sha256").update(body).digest("hex")) {
      return ["XAmzContentSHA256Mismatch", "The provided 'x-amz-content-sha256' header does not match what was computed."];
    }
    const names = signedHeaders.split(";");
    if (!names.includes("host") || !names.includes("x-amz-date")) return ["AccessDenied", "host and x-amz-date must be signed"];
    const raw = req.url ?? "/";
    const q = raw.indexOf("?");
    const path = (q < 0 ? raw : raw.slice(0, q)).split("/").map((seg) => enc(decodeURIComponent(seg), false)).join("/");
    const query = q < 0 ? "" : raw.slice(q + 1).split("&").filter(Boolean)
      .map((p) => {
        const [k, v = ""] = p.split(/=(.*)/s);
        return [enc(decodeURIComponent(k), false), enc(decodeURIComponent(v), false)];
      })
      .sort((a, b) => (a[0] === b[0] ? (a[1] < b[1] ? -1 : 1) : a[0] < b[0] ? -1 : 1))
      .map(([k, v]) => `${k}=${v}`)
      .join("&");
    const headerLines = names.map((n) => {
      const v = req.headers[n];
      return `${n}:${(Array.isArray(v) ? v.join(",") : String(v ?? "")).trim().replace(/\s+/g, " ")}\n`;
    });
    const canonical = `${req.method}\n${path}\n${query}\n${headerLines.join("")}\n${signedHeaders}\n${payload}`;
    const toSign = `AWS4-HMAC-SHA256\n${date}\n${day}/${region}/s3/aws4_request\n${createHash("sha256").update(canonical).digest("hex")}`;
    let key: Buffer = createHmac("sha256", `AWS4${this.opts.secret}`).update(day).digest();
    for (const part of [region, "s3", "aws4_request"]) key = createHmac("sha256", key).update(part).digest();
    const expected = createHmac("sha256", key).update(toSign).digest("hex");
    if (expected !== signature) return ["SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided. Check your key and signing method."];
    return null;
  }

  protected async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const method = req.method ?? "";
    const url = new URL(req.url ?? "/", "http://stub");
    const [, bucket = "", ...rest] = url.pathname.split("/");
    const key = rest.map((s) => decodeURIComponent(s)).join("/");
    const agent = /aws-sdk-go-v2/.test(String(req.headers["user-agent"])) ? "aws-sdk-go-v2" : String(req.headers["user-agent"] ?? "").split("/")[0] || "unknown";
    let status: number;
    try {
      status = this.handle(req, res, method, url, decodeURIComponent(bucket), key, body);
    } catch (e) {
      status = this.error(res, method, 500, "InternalError", String(e));
    }
    this.requests.push({ method, url: req.url ?? "", key, status, agent });
  }

  private handle(req: IncomingMessage, res: ServerResponse, method: string, url: URL, bucket: string, key: string, body: Buffer): number {
    const refused = this.verify(req, body);
    if (refused) return this.error(res, method, refused[0] === "XAmzContentSHA256Mismatch" || refused[0] === "InvalidRequest" || refused[0] === "AuthorizationHeaderMalformed" ? 400 : 403, refused[0], refused[1]);
    if (bucket !== this.opts.bucket) return this.error(res, method, 404, "NoSuchBucket", `The specified bucket does not exist: "${bucket}"`);
    const fault = this.takeFault(method);
    if (fault?.kind === "hang") return 0;
    if (fault && fault.kind !== "truncate") return this.error(res, method, fault.status, fault.code, `stub fault ${fault.status}`);

    if (!key) {
      if (method === "GET" && url.searchParams.get("list-type") === "2") return this.list(res, url);
      return this.error(res, method, 501, "NotImplemented", `the stub has no ${method} on the bucket (${url.search})`);
    }
    const metadata: Record<string, string> = {};
    for (const [h, v] of Object.entries(req.headers)) if (h.startsWith("x-amz-meta-")) metadata[h.slice(11)] = String(v);
    const contentType = String(req.headers["content-type"] ?? "binary/octet-stream");
    if (url.searchParams.has("uploads") || url.searchParams.has("uploadId")) return this.multipart(res, method, url, key, body, contentType, metadata);
    if (method === "PUT") {
      if (req.headers["x-amz-copy-source"]) return this.error(res, method, 501, "NotImplemented", "copies are not stubbed");
      const stored = fault?.kind === "truncate" ? body.subarray(0, Math.max(0, body.length - 1)) : body;
      const etag = `"${createHash("md5").update(stored).digest("hex")}"`;
      this.objects.set(key, { body: Buffer.from(stored), contentType, metadata, etag, lastModified: new Date() });
      res.writeHead(200, { ETag: etag }).end();
      return 200;
    }
    if (method === "DELETE") {
      this.objects.delete(key);
      res.writeHead(204).end();
      return 204;
    }
    if (method !== "GET" && method !== "HEAD") return this.error(res, method, 405, "MethodNotAllowed", `${method} is not allowed on an object`);
    const obj = this.objects.get(key);
    if (!obj) return this.error(res, method, 404, "NoSuchKey", "The specified key does not exist.");
    const headers: Record<string, string> = {
      "Content-Type": obj.contentType, ETag: obj.etag, "Last-Modified": obj.lastModified.toUTCString(), "Accept-Ranges": "bytes",
    };
    for (const [k, v] of Object.entries(obj.metadata)) headers[`x-amz-meta-${k}`] = v;
    const range = /^bytes=(\d*)-(\d*)$/.exec(String(req.headers.range ?? ""));
    if (range && method === "GET" && obj.body.length > 0) {
      const size = obj.body.length;
      const start = range[1] === "" ? Math.max(0, size - Number(range[2])) : Number(range[1]);
      const end = range[1] === "" || range[2] === "" ? size - 1 : Math.min(size - 1, Number(range[2]));
      if (start > end || start >= size) return this.error(res, method, 416, "InvalidRange", "The requested range is not satisfiable");
      res.writeHead(206, { ...headers, "Content-Length": String(end - start + 1), "Content-Range": `bytes ${start}-${end}/${size}` });
      res.end(obj.body.subarray(start, end + 1));
      return 206;
    }
    res.writeHead(200, { ...headers, "Content-Length": String(obj.body.length) });
    res.end(method === "HEAD" ? undefined : obj.body);
    return 200;
  }

  /**
   * Multipart uploads (PocketBase's client uses them for files over 5 MB): CreateMultipartUpload
   * (POST ?uploads), UploadPart (PUT ?partNumber&uploadId), CompleteMultipartUpload (POST ?uploadId,
   * the parts listed with their ETags), AbortMultipartUpload (DELETE ?uploadId).
   */
  private multipart(res: ServerResponse, method: string, url: URL, key: string, body: Buffer, contentType: string, metadata: Record<string, string>): number {
    const xml = (status: number, inner: string) => {
      res.writeHead(status, { "Content-Type": "application/xml" }).end(`<?xml version="1.0" encoding="UTF-8"?>\n${inner}`);
      return status;
    };
    if (method === "POST" && url.searchParams.has("uploads")) {
      const id = `upload-${++this.uploadSeq}`;
      this.uploads.set(id, { key, contentType, metadata, parts: new Map() });
      return xml(200, `<InitiateMultipartUploadResult><Bucket>${xmlEscape(this.opts.bucket)}</Bucket><Key>${xmlEscape(key)}</Key><UploadId>${id}</UploadId></InitiateMultipartUploadResult>`);
    }
    const id = url.searchParams.get("uploadId") ?? "";
    const upload = this.uploads.get(id);
    if (!upload || upload.key !== key) return this.error(res, method, 404, "NoSuchUpload", "The specified multipart upload does not exist.");
    if (method === "PUT") {
      const n = Number(url.searchParams.get("partNumber"));
      if (!Number.isInteger(n) || n < 1 || n > 10_000) return this.error(res, method, 400, "InvalidArgument", "partNumber must be 1-10000");
      const etag = `"${createHash("md5").update(body).digest("hex")}"`;
      upload.parts.set(n, { body: Buffer.from(body), etag });
      res.writeHead(200, { ETag: etag }).end();
      return 200;
    }
    if (method === "DELETE") {
      this.uploads.delete(id);
      res.writeHead(204).end();
      return 204;
    }
    if (method !== "POST") return this.error(res, method, 405, "MethodNotAllowed", `${method} on an upload`);
    const unescape = (v: string) => v.replace(/&#34;|&quot;/g, '"').replace(/&amp;/g, "&");
    const listed = [...body.toString("utf8").matchAll(/<Part>([\s\S]*?)<\/Part>/g)].map((m) => ({
      n: Number(/<PartNumber>(\d+)<\/PartNumber>/.exec(m[1])?.[1]),
      etag: unescape(/<ETag>([^<]*)<\/ETag>/.exec(m[1])?.[1] ?? ""),
    }));
    if (!listed.length) return this.error(res, method, 400, "MalformedXML", "no parts listed");
    const chunks: Buffer[] = [];
    for (let i = 0; i < listed.length; i++) {
      const part = upload.parts.get(listed[i].n);
      if (!part || part.etag !== listed[i].etag) return this.error(res, method, 400, "InvalidPart", `part ${listed[i].n} was not uploaded with ETag ${listed[i].etag}`);
      if (i > 0 && listed[i].n <= listed[i - 1].n) return this.error(res, method, 400, "InvalidPartOrder", "parts must be listed in ascending order");
      chunks.push(part.body);
    }
    const whole = Buffer.concat(chunks);
    const etag = `"${createHash("md5").update(whole).digest("hex")}-${listed.length}"`;
    this.objects.set(key, { body: whole, contentType: upload.contentType, metadata: upload.metadata, etag, lastModified: new Date() });
    this.uploads.delete(id);
    return xml(200, `<CompleteMultipartUploadResult><Bucket>${xmlEscape(this.opts.bucket)}</Bucket><Key>${xmlEscape(key)}</Key><ETag>${xmlEscape(etag)}</ETag></CompleteMultipartUploadResult>`);
  }

  /** ListObjectsV2 (prefix, max-keys, continuation-token / start-after), keys in UTF-8 order. */
  private list(res: ServerResponse, url: URL): number {
    const prefix = url.searchParams.get("prefix") ?? "";
    const max = Math.min(1000, Number(url.searchParams.get("max-keys") ?? 1000) || 1000);
    const after = url.searchParams.get("continuation-token") ?? url.searchParams.get("start-after") ?? "";
    const keys = [...this.objects.keys()].filter((k) => k.startsWith(prefix) && k > after).sort();
    const page = keys.slice(0, max);
    const truncated = keys.length > max;
    const contents = page.map((k) => {
      const o = this.objects.get(k)!;
      return `<Contents><Key>${xmlEscape(k)}</Key><LastModified>${o.lastModified.toISOString()}</LastModified><ETag>${xmlEscape(o.etag)}</ETag><Size>${o.body.length}</Size><StorageClass>STANDARD</StorageClass></Contents>`;
    }).join("");
    const next = truncated ? `<NextContinuationToken>${xmlEscape(page[page.length - 1])}</NextContinuationToken>` : "";
    res.writeHead(200, { "Content-Type": "application/xml" });
    res.end(`<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>${xmlEscape(this.opts.bucket)}</Name><Prefix>${xmlEscape(prefix)}</Prefix><KeyCount>${page.length}</KeyCount><MaxKeys>${max}</MaxKeys><IsTruncated>${truncated}</IsTruncated>${contents}${next}</ListBucketResult>`);
    return 200;
  }
}
