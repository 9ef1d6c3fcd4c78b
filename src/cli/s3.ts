// S3-compatible object storage for `hvac migrate-files --to s3` (issue 5): AWS Signature Version 4
// (header-based, signed payload) and the three object calls the migration needs, PUT, HEAD and
// DELETE, at the keys PocketBase 0.22 itself uses when its "S3 storage" setting is on.
//
// Signing follows Amazon S3's "Signature Calculations for the Authorization Header" and is tested
// against its published examples and the SigV4 test suite (test/unit/s3.test.ts), and end to end
// against a stub that checks every signature independently, the same stub PocketBase's own S3 client
// (aws-sdk-go-v2) talks to in test/integration/migrate-files.test.ts.
import { createHash, createHmac } from "node:crypto";

export const EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

export function sha256Hex(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

/**
 * URI-encodes as SigV4 requires: every byte except A-Z a-z 0-9 - _ . ~ as %XX (upper case), and `/`
 * too unless `keepSlash` (object keys in paths keep theirs).
 */
export function uriEncode(value: string, keepSlash = false): string {
  let out = "";
  for (const byte of Buffer.from(value, "utf8")) {
    const c = String.fromCharCode(byte);
    if (/[A-Za-z0-9\-_.~]/.test(c) || (keepSlash && c === "/")) out += c;
    else out += `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

export interface SigV4Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
  /** "s3" for S3; the SigV4 test suite uses "service". */
  service: string;
}

export interface SigV4Request {
  method: string;
  /** Path already URI-encoded as it is sent (S3 keys: `uriEncode(key, true)`); the query in it is canonicalised. */
  url: string;
  /** Headers to sign besides host and x-amz-date (S3 also wants x-amz-content-sha256 here). */
  headers?: Record<string, string>;
  /** Hex SHA-256 of the body (EMPTY_SHA256 for none), or "UNSIGNED-PAYLOAD". */
  payloadHash: string;
}

export interface SigV4Result {
  /** Every signed header plus authorization, to send (host is sent by fetch from the URL). */
  headers: Record<string, string>;
  canonicalRequest: string;
  stringToSign: string;
  signature: string;
}

/** 20130524T000000Z */
export function amzDate(now: Date): string {
  return now.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
}

function canonicalQuery(search: string): string {
  if (!search || search === "?") return "";
  const pairs = search.replace(/^\?/, "").split("&").filter(Boolean).map((part) => {
    const eq = part.indexOf("=");
    const [k, v] = eq < 0 ? [part, ""] : [part.slice(0, eq), part.slice(eq + 1)];
    const decode = (s: string) => decodeURIComponent(s.replace(/\+/g, "%20"));
    return [uriEncode(decode(k)), uriEncode(decode(v))] as const;
  });
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  return pairs.map(([k, v]) => `${k}=${v}`).join("&");
}

/** Signs a request with AWS Signature Version 4 (Authorization header). */
export function signV4(req: SigV4Request, creds: SigV4Credentials, now: Date): SigV4Result {
  const url = new URL(req.url);
  const date = amzDate(now);
  const day = date.slice(0, 8);
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers ?? {})) headers[k.toLowerCase()] = v;
  headers.host = url.host;
  headers["x-amz-date"] = date;
  const names = Object.keys(headers).sort();
  const canonicalHeaders = names.map((n) => `${n}:${headers[n].trim().replace(/\s+/g, " ")}\n`).join("");
  const signedHeaders = names.join(";");
  // The path as sent (S3 does not encode it a second time); an empty path is "/".
  const path = url.pathname || "/";
  const canonicalRequest = [req.method.toUpperCase(), path, canonicalQuery(url.search), canonicalHeaders, signedHeaders, req.payloadHash].join("\n");
  const scope = `${day}/${creds.region}/${creds.service}/aws4_request`;
  const stringToSign = ["AWS4-HMAC-SHA256", date, scope, sha256Hex(canonicalRequest)].join("\n");
  const hmac = (key: string | Buffer, data: string) => createHmac("sha256", key).update(data).digest();
  const signingKey = hmac(hmac(hmac(hmac(`AWS4${creds.secretAccessKey}`, day), creds.region), creds.service), "aws4_request");
  const signature = createHmac("sha256", signingKey).update(stringToSign).digest("hex");
  const out: Record<string, string> = {};
  for (const n of names) if (n !== "host") out[n] = headers[n];
  out.authorization = `AWS4-HMAC-SHA256 Credential=${creds.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
  return { headers: out, canonicalRequest, stringToSign, signature };
}

// ---------------------------------------------------------------- the client

/** PocketBase's `s3` settings block (Settings > Files storage), the secret in clear. */
export interface S3Config {
  endpoint: string;
  bucket: string;
  region: string;
  accessKey: string;
  secret: string;
  forcePathStyle: boolean;
}

export class S3Error extends Error {
  constructor(
    readonly status: number,
    /** S3's error code (SignatureDoesNotMatch, NoSuchBucket, ...), "" when none came back. */
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "S3Error";
  }
}

/** The object's URL: path style `endpoint/bucket/key`, else virtual-hosted `bucket.host/key`. */
export function objectUrl(config: S3Config, key: string): string {
  const base = new URL(config.endpoint);
  const prefix = base.pathname.replace(/\/+$/, "");
  const path = `/${uriEncode(key, true)}`;
  if (config.forcePathStyle) return `${base.origin}${prefix}/${uriEncode(config.bucket)}${path}`;
  return `${base.protocol}//${config.bucket}.${base.host}${prefix}${path}`;
}

function xmlText(xml: string, tag: string): string {
  const m = new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`).exec(xml);
  return m ? m[1].trim() : "";
}

export interface HeadResult {
  size: number;
  contentType: string;
}

/** The object calls of the migration, each signed; failures are S3Errors naming S3's code. */
export class S3Client {
  constructor(
    readonly config: S3Config,
    private readonly timeoutMs = 120_000,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  private async send(method: string, key: string, body?: Uint8Array<ArrayBuffer>, extra: Record<string, string> = {}): Promise<Response> {
    const url = objectUrl(this.config, key);
    const payloadHash = body ? sha256Hex(body) : EMPTY_SHA256;
    const signed = signV4(
      { method, url, headers: { ...extra, "x-amz-content-sha256": payloadHash }, payloadHash },
      { accessKeyId: this.config.accessKey, secretAccessKey: this.config.secret, region: this.config.region, service: "s3" },
      this.clock(),
    );
    let res: Response;
    try {
      res = await fetch(url, { method, headers: signed.headers, body, signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (e) {
      const cause = (e as { cause?: { code?: string; message?: string } }).cause;
      throw new S3Error(0, "", `${method} ${url}: no answer (${cause?.code || cause?.message || (e as Error).message})`);
    }
    return res;
  }

  private async fail(method: string, key: string, res: Response): Promise<never> {
    const text = method === "HEAD" ? "" : await res.text().catch(() => "");
    const code = xmlText(text, "Code");
    const message = xmlText(text, "Message") || text.slice(0, 200);
    throw new S3Error(res.status, code, `${method} ${this.config.bucket}/${key}: HTTP ${res.status}${code ? ` ${code}` : ""}${message ? `: ${message}` : ""}`);
  }

  /** Stores the bytes at `key` (overwriting), with the Content-Type PocketBase serves the file with. */
  async put(key: string, body: Uint8Array<ArrayBuffer>, contentType: string): Promise<void> {
    const res = await this.send("PUT", key, body, { "content-type": contentType || "application/octet-stream" });
    if (!res.ok) await this.fail("PUT", key, res);
    await res.arrayBuffer();
  }

  /** Size and type of the object, or null when there is none. */
  async head(key: string): Promise<HeadResult | null> {
    const res = await this.send("HEAD", key);
    if (res.status === 404) return null;
    if (!res.ok) await this.fail("HEAD", key, res);
    const size = Number(res.headers.get("content-length"));
    if (!Number.isInteger(size) || size < 0) throw new S3Error(res.status, "", `HEAD ${this.config.bucket}/${key}: the answer has no valid Content-Length`);
    return { size, contentType: res.headers.get("content-type") ?? "" };
  }

  async delete(key: string): Promise<void> {
    const res = await this.send("DELETE", key);
    if (!res.ok && res.status !== 404) await this.fail("DELETE", key, res);
    await res.arrayBuffer();
  }
}
