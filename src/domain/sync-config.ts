// Sync configuration (issue 5) from environment variables, validated with errors that name the
// variable. Pure: `hvac run` (src/config.ts) passes process.env, the hooks pass what `$os.getenv`
// reads, so the office server refuses a bad setting at start and the status page shows the same mode.
import { DEFAULT_BATCH_DOCS, DEFAULT_RETRY_POLICY, MAX_PUSH_CHANGES, type RetryPolicy } from "./sync";

/**
 * - off: nothing configured, the product runs fully locally (the status page says sync is off);
 * - development: PocketBase is primary, its changes are pushed to Convex in the background;
 * - production: Convex is primary, PocketBase is a cache pulled from Convex; local writes are pushed
 *   and Convex's answer wins;
 * - hybrid: both directions.
 */
export const SYNC_MODES = ["off", "development", "production", "hybrid"] as const;
export type SyncMode = (typeof SYNC_MODES)[number];

export interface SyncConfig {
  mode: SyncMode;
  /** `https://<name>.convex.site` without a trailing slash; "" when sync is off. */
  convexSiteUrl: string;
  /** Shared with the Convex deployment (`npx convex env set CONVEX_SYNC_SECRET ...`); "" when off. */
  convexSyncSecret: string;
  /** Weaviate's base URL without a trailing slash; "" = the embedded SQLite search only. */
  weaviateUrl: string;
  weaviateApiKey: string;
  /** Vectorizer module of the Weaviate classes (`hvac weaviate-schema`); "none" = vectors supplied. */
  weaviateVectorizer: string;
  /** Outbox retries; `maxAttempts` from SYNC_MAX_ATTEMPTS. */
  retry: RetryPolicy;
  /** Changes per push request (SYNC_BATCH_SIZE). */
  batchSize: number;
  /** Seconds one HTTP call to Convex or Weaviate may take before it counts as failed (SYNC_HTTP_TIMEOUT). */
  httpTimeoutSec: number;
  /** Drain the outbox every minute (SYNC_DRAIN_CRON; off = only POST /api/hvac/sync/drain drains). */
  drainCron: boolean;
}

export interface SyncDirections {
  push: boolean;
  pull: boolean;
}

/** Which ways changes flow between PocketBase and Convex in a mode. */
export function syncDirections(mode: SyncMode): SyncDirections {
  if (mode === "off") return { push: false, pull: false };
  if (mode === "development") return { push: true, pull: false };
  return { push: true, pull: true }; // production and hybrid: local writes are pushed too
}

export class SyncConfigError extends Error {
  readonly key: string;
  readonly detail: string;
  constructor(key: string, detail: string) {
    super(`${key}: ${detail}`);
    this.name = "SyncConfigError";
    this.key = key;
    this.detail = detail;
  }
}

export type Env = Record<string, string | undefined>;

/** Every variable parseSyncConfig reads (the hooks read each with $os.getenv). */
export const SYNC_ENV_KEYS = [
  "SYNC_MODE", "CONVEX_SITE_URL", "CONVEX_SYNC_SECRET", "WEAVIATE_URL", "WEAVIATE_API_KEY", "WEAVIATE_VECTORIZER",
  "SYNC_MAX_ATTEMPTS", "SYNC_BATCH_SIZE", "SYNC_HTTP_TIMEOUT", "SYNC_DRAIN_CRON",
] as const;

/** Seconds an HTTP call of the drain may take (Convex's HTTP actions answer within seconds). */
export const DEFAULT_HTTP_TIMEOUT_SEC = 30;

const URL_RE = /^(https?):\/\/(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(:[0-9]{1,5})?(\/[^\s?#]*)?$/;
const LOOPBACK = /^(localhost|127\.\d{1,3}\.\d{1,3}\.\d{1,3}|\[::1\])$/i;

function read(env: Env, key: string): string {
  const v = env[key];
  return typeof v === "string" ? v.trim() : "";
}

interface ParsedUrl {
  scheme: string;
  host: string;
  /** "" or "/..." */
  path: string;
  base: string;
}

function parseUrl(key: string, raw: string, example: string): ParsedUrl {
  const m = URL_RE.exec(raw);
  if (!m) throw new SyncConfigError(key, `expected an http(s) URL such as ${example}, got "${raw}"`);
  const port = m[3] ? Number(m[3].slice(1)) : 0;
  if (m[3] && (port < 1 || port > 65535)) throw new SyncConfigError(key, `port ${m[3].slice(1)} is out of range in "${raw}"`);
  return { scheme: m[1], host: m[2], path: m[4] || "", base: raw.replace(/\/+$/, "") };
}

function wholeNumber(env: Env, key: string, fallback: number, min: number, max: number): number {
  const raw = read(env, key);
  if (raw === "") return fallback;
  if (!/^[0-9]+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new SyncConfigError(key, `expected a whole number from ${min} to ${max}, got "${raw}"`);
  }
  return Number(raw);
}

const ON_OFF: Record<string, boolean> = { "1": true, true: true, yes: true, on: true, "0": false, false: false, no: false, off: false };

function onOff(env: Env, key: string, fallback: boolean): boolean {
  const raw = read(env, key).toLowerCase();
  if (raw === "") return fallback;
  const v = ON_OFF[raw];
  if (v === undefined) throw new SyncConfigError(key, `expected on or off (1/0, true/false, yes/no), got "${read(env, key)}"`);
  return v;
}

/**
 * Reads SYNC_MODE, CONVEX_SITE_URL, CONVEX_SYNC_SECRET, WEAVIATE_URL, WEAVIATE_API_KEY,
 * WEAVIATE_VECTORIZER, SYNC_MAX_ATTEMPTS, SYNC_BATCH_SIZE, SYNC_HTTP_TIMEOUT and SYNC_DRAIN_CRON.
 * Empty counts as unset. Throws a SyncConfigError naming the variable on the first bad value.
 */
export function parseSyncConfig(env: Env): SyncConfig {
  const rawMode = read(env, "SYNC_MODE").toLowerCase();
  const mode = (rawMode === "" ? "off" : rawMode) as SyncMode;
  if ((SYNC_MODES as readonly string[]).indexOf(mode) < 0) {
    throw new SyncConfigError("SYNC_MODE", `expected development, production or hybrid (or unset / off for no sync), got "${read(env, "SYNC_MODE")}"`);
  }

  let convexSiteUrl = "";
  let convexSyncSecret = "";
  const site = read(env, "CONVEX_SITE_URL");
  const secret = read(env, "CONVEX_SYNC_SECRET");
  if (mode === "off") {
    if (site || secret) {
      throw new SyncConfigError("SYNC_MODE", `${site ? "CONVEX_SITE_URL" : "CONVEX_SYNC_SECRET"} is set but SYNC_MODE is not: set SYNC_MODE to development, production or hybrid, or remove it`);
    }
  } else {
    if (!site) throw new SyncConfigError("CONVEX_SITE_URL", `required when SYNC_MODE=${mode}: the deployment's HTTP actions URL, https://<name>.convex.site`);
    const url = parseUrl("CONVEX_SITE_URL", site, "https://happy-otter-123.convex.site");
    if (/\.convex\.cloud$/i.test(url.host)) {
      throw new SyncConfigError("CONVEX_SITE_URL", `HTTP actions are served from https://<name>.convex.site, not .convex.cloud (got "${site}")`);
    }
    if (url.scheme === "http" && !LOOPBACK.test(url.host)) {
      throw new SyncConfigError("CONVEX_SITE_URL", `use https:// (the sync secret would travel unencrypted); http:// is accepted only for localhost / 127.0.0.1 (got "${site}")`);
    }
    if (url.path.replace(/\/+$/, "") !== "") {
      throw new SyncConfigError("CONVEX_SITE_URL", `expected the site URL without a path (the endpoints are /pocketbase/push and /pocketbase/pull), got "${site}"`);
    }
    convexSiteUrl = url.base;
    if (!secret) throw new SyncConfigError("CONVEX_SYNC_SECRET", `required when SYNC_MODE=${mode}: the same value as on the Convex deployment (npx convex env set CONVEX_SYNC_SECRET ...)`);
    if (secret.length < 16 || /\s/.test(secret)) {
      throw new SyncConfigError("CONVEX_SYNC_SECRET", "must be at least 16 characters without spaces (e.g. openssl rand -hex 32)");
    }
    convexSyncSecret = secret;
  }

  let weaviateUrl = "";
  const wUrl = read(env, "WEAVIATE_URL");
  const wKey = read(env, "WEAVIATE_API_KEY");
  if (wUrl) {
    const url = parseUrl("WEAVIATE_URL", wUrl, "http://127.0.0.1:8080 or https://my-cluster.weaviate.cloud");
    weaviateUrl = url.base.replace(/\/v1$/, "");
  } else if (wKey) {
    throw new SyncConfigError("WEAVIATE_URL", "WEAVIATE_API_KEY is set but WEAVIATE_URL is not");
  }
  const vectorizer = read(env, "WEAVIATE_VECTORIZER") || "text2vec-transformers";
  if (!/^(none|[a-z0-9]+(-[a-z0-9]+)*)$/.test(vectorizer)) {
    throw new SyncConfigError("WEAVIATE_VECTORIZER", `expected a Weaviate vectorizer module name such as text2vec-transformers, or none, got "${vectorizer}"`);
  }

  const maxAttempts = wholeNumber(env, "SYNC_MAX_ATTEMPTS", DEFAULT_RETRY_POLICY.maxAttempts, 1, 1000);
  const batchSize = wholeNumber(env, "SYNC_BATCH_SIZE", DEFAULT_BATCH_DOCS, 1, MAX_PUSH_CHANGES);
  const httpTimeoutSec = wholeNumber(env, "SYNC_HTTP_TIMEOUT", DEFAULT_HTTP_TIMEOUT_SEC, 1, 600);
  const drainCron = onOff(env, "SYNC_DRAIN_CRON", true);
  return {
    mode,
    convexSiteUrl,
    convexSyncSecret,
    weaviateUrl,
    weaviateApiKey: wKey,
    weaviateVectorizer: vectorizer,
    retry: { baseDelayMs: DEFAULT_RETRY_POLICY.baseDelayMs, maxDelayMs: DEFAULT_RETRY_POLICY.maxDelayMs, maxAttempts },
    batchSize,
    httpTimeoutSec,
    drainCron,
  };
}
