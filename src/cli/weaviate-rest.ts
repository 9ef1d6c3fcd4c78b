// One REST call to Weaviate for the command line (weaviate-schema, reindex-weaviate): the API key,
// the sync timeout (SYNC_HTTP_TIMEOUT), and Weaviate's own error text in every failure.
import type { SyncConfig } from "../domain/sync-config";

export class WeaviateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "WeaviateError";
  }
}

export type WeaviateTarget = Pick<SyncConfig, "weaviateUrl" | "weaviateApiKey" | "httpTimeoutSec">;

export interface WeaviateRequest {
  /** Sent as JSON. */
  body?: unknown;
  /** Which statuses count as success (default 2xx). */
  ok?: (status: number) => boolean;
}

/**
 * `method path` on WEAVIATE_URL; the parsed JSON answer (null when empty). A status `ok` refuses,
 * no answer in time, or an answer that is not JSON is a WeaviateError naming the call.
 */
export async function weaviateRequest(config: WeaviateTarget, method: string, path: string, req: WeaviateRequest = {}): Promise<{ status: number; body: unknown }> {
  const ok = req.ok ?? ((s: number) => s >= 200 && s < 300);
  const headers: Record<string, string> = {};
  if (config.weaviateApiKey) headers.Authorization = `Bearer ${config.weaviateApiKey}`;
  if (req.body !== undefined) headers["Content-Type"] = "application/json";
  let res: Response;
  let text: string;
  try {
    res = await fetch(`${config.weaviateUrl}${path}`, {
      method, headers, body: req.body === undefined ? undefined : JSON.stringify(req.body), signal: AbortSignal.timeout(config.httpTimeoutSec * 1000),
    });
    text = await res.text();
  } catch (e) {
    if ((e as Error).name === "TimeoutError") throw new WeaviateError(`${method} ${path}: no answer from ${config.weaviateUrl} within ${config.httpTimeoutSec} s (SYNC_HTTP_TIMEOUT)`);
    throw new WeaviateError(`${method} ${path}: no answer from ${config.weaviateUrl} (${(e as { cause?: { code?: string } }).cause?.code || (e as Error).message})`);
  }
  if (!ok(res.status)) {
    let message = text.slice(0, 300);
    try {
      const parsed = JSON.parse(text) as { error?: { message?: string }[] };
      if (Array.isArray(parsed.error) && parsed.error.length) message = parsed.error.map((x) => x?.message).join("; ");
    } catch {
      /* not JSON */
    }
    throw new WeaviateError(`${method} ${path}: HTTP ${res.status}${message ? `: ${message}` : ""}`);
  }
  if (!text) return { status: res.status, body: null };
  try {
    return { status: res.status, body: JSON.parse(text) };
  } catch {
    throw new WeaviateError(`${method} ${path}: the answer is not JSON: ${text.slice(0, 100)}`);
  }
}
