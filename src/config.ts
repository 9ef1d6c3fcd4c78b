// One typed configuration object, read from the environment with defaults and validated at start.
// Every error names the variable so an office admin can fix their systemd unit or .env file.
import { parseSyncConfig, SyncConfigError, type Env, type SyncConfig } from "./domain/sync-config";

export interface Config {
  /** host:port PocketBase listens on. */
  httpAddr: string;
  /** PocketBase data directory (SQLite files, uploaded files, logs). */
  dataDir: string;
  /** First admin, created by a migration when no admin exists yet. */
  adminEmail: string;
  adminPassword: string;
  /** Create the demo accounts and Warsaw demo data (idempotent). */
  demoData: boolean;
  /** Convex / Weaviate sync (SYNC_MODE and friends; mode "off" when unset). */
  sync: SyncConfig;
}

export class ConfigError extends Error {
  constructor(readonly key: string, message: string) {
    super(`${key}: ${message}`);
    this.name = "ConfigError";
  }
}

const BOOL: Record<string, boolean> = { "1": true, true: true, yes: true, on: true, "0": false, false: false, no: false, off: false };

function bool(env: NodeJS.ProcessEnv, key: string, fallback: boolean): boolean {
  const raw = env[key];
  if (raw === undefined || raw === "") return fallback;
  const v = BOOL[raw.trim().toLowerCase()];
  if (v === undefined) throw new ConfigError(key, `expected 1/0, true/false, yes/no or on/off, got "${raw}"`);
  return v;
}

export const DEMO_ADMIN_EMAIL = "admin@hvac.demo";
export const DEMO_PASSWORD = "hvac-demo-2026";

/** PocketBase's data directory: DATA_DIR, else ./pb_data (as given: relative to where the command runs). */
export function dataDirOf(env: NodeJS.ProcessEnv = process.env): string {
  return env.DATA_DIR?.trim() || "./pb_data";
}

/** Reads the configuration for `hvac run`. `demoDefault` is true for `make run`. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, demoDefault = true): Config {
  const httpAddr = env.HTTP_ADDR?.trim() || "127.0.0.1:8090";
  const m = /^([^\s:]*|\[[0-9a-fA-F:]+\]):(\d{1,5})$/.exec(httpAddr);
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 65535) {
    throw new ConfigError("HTTP_ADDR", `expected host:port such as 127.0.0.1:8090 or 0.0.0.0:80, got "${httpAddr}"`);
  }
  const dataDir = dataDirOf(env);
  const demoData = bool(env, "HVAC_DEMO_DATA", demoDefault);
  const adminEmail = env.HVAC_ADMIN_EMAIL?.trim() || (demoData ? DEMO_ADMIN_EMAIL : "");
  const adminPassword = env.HVAC_ADMIN_PASSWORD ?? (demoData ? DEMO_PASSWORD : "");
  if (adminEmail && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(adminEmail)) {
    throw new ConfigError("HVAC_ADMIN_EMAIL", `not an email address: "${adminEmail}"`);
  }
  if (adminEmail && adminPassword.length < 10) {
    throw new ConfigError("HVAC_ADMIN_PASSWORD", "must be at least 10 characters (PocketBase's minimum for admins)");
  }
  if (demoData && adminEmail && !env.HVAC_ADMIN_PASSWORD && adminEmail !== DEMO_ADMIN_EMAIL) {
    throw new ConfigError("HVAC_ADMIN_PASSWORD", "set it together with HVAC_ADMIN_EMAIL");
  }
  return { httpAddr, dataDir, adminEmail, adminPassword, demoData, sync: syncConfig(env) };
}

/** The sync settings (src/domain/sync-config.ts); a bad one is a ConfigError naming its variable. */
export function syncConfig(env: Env): SyncConfig {
  try {
    return parseSyncConfig(env);
  } catch (e) {
    if (e instanceof SyncConfigError) throw new ConfigError(e.key, e.detail);
    throw e;
  }
}

/** The running server's address: the URL given, else http://HTTP_ADDR (0.0.0.0 reached locally). */
export function serverUrl(arg: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const raw = (arg || `http://${env.HTTP_ADDR?.trim() || "127.0.0.1:8090"}`).replace(/\/+$/, "");
  // A server listening on all interfaces is reached locally.
  const url = raw.replace(/^(https?:\/\/)0\.0\.0\.0(?=:|$)/, "$1127.0.0.1");
  if (!/^https?:\/\/[^\s/]+(\/[^\s]*)?$/.test(url)) throw new ConfigError(arg ? "URL" : "HTTP_ADDR", `expected the server's address such as http://127.0.0.1:8090, got "${raw}"`);
  return url;
}
