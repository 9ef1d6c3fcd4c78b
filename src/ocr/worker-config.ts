// Settings of the OCR worker (`hvac ocr-worker`, started by `hvac run`), from the environment with
// defaults, validated when read: an error names the variable. The reader's own settings
// (HVAC_OCR_MAX_MB, page timeout, ...) are in config.ts.
import { ConfigError } from "../config";

export interface OcrWorkerConfig {
  /** HVAC_OCR_WORKER: whether `hvac run` starts the worker. */
  enabled: boolean;
  /** HVAC_OCR_MAX_ATTEMPTS: tries of a file that fails for a passing reason before it is failed. */
  maxAttempts: number;
  /** HVAC_OCR_LEASE_S: a claimed file is the worker's for this long, renewed while it reads; a dead worker's file is taken over after it. */
  leaseSeconds: number;
  /** HVAC_OCR_POLL_S: looks for waiting files this often besides realtime events (the safety net). */
  pollSeconds: number;
  /** HVAC_OCR_RETRY_S: wait before the second attempt, doubled for each further one (at most an hour). */
  retrySeconds: number;
}

export const OCR_WORKER_DEFAULTS: Omit<OcrWorkerConfig, "enabled"> = { maxAttempts: 3, leaseSeconds: 120, pollSeconds: 30, retrySeconds: 60 };

const SWITCH: Record<string, boolean> = { on: true, off: false, "1": true, "0": false, true: true, false: false, yes: true, no: false };

function number(env: NodeJS.ProcessEnv, key: string, fallback: number, min: number, max: number, whole: boolean): number {
  const raw = env[key]?.trim();
  if (!raw) return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min || n > max || (whole && !Number.isInteger(n))) {
    throw new ConfigError(key, `expected ${whole ? "a whole number" : "a number"} from ${min} to ${max}, got "${raw}"`);
  }
  return n;
}

export function loadOcrWorkerConfig(env: NodeJS.ProcessEnv = process.env): OcrWorkerConfig {
  const raw = env.HVAC_OCR_WORKER?.trim().toLowerCase() ?? "";
  const enabled = raw === "" ? true : SWITCH[raw];
  if (enabled === undefined) throw new ConfigError("HVAC_OCR_WORKER", `expected on or off, got "${env.HVAC_OCR_WORKER}"`);
  return {
    enabled,
    maxAttempts: number(env, "HVAC_OCR_MAX_ATTEMPTS", OCR_WORKER_DEFAULTS.maxAttempts, 1, 100, true),
    // At least a few seconds: the lease is renewed every third of it while a file is read.
    leaseSeconds: number(env, "HVAC_OCR_LEASE_S", OCR_WORKER_DEFAULTS.leaseSeconds, 3, 86400, true),
    pollSeconds: number(env, "HVAC_OCR_POLL_S", OCR_WORKER_DEFAULTS.pollSeconds, 0.1, 86400, false),
    retrySeconds: number(env, "HVAC_OCR_RETRY_S", OCR_WORKER_DEFAULTS.retrySeconds, 0.1, 86400, false),
  };
}

/** The admin the worker signs in as; missing values name their variable. */
export function loadWorkerAdmin(env: NodeJS.ProcessEnv = process.env): { email: string; password: string } {
  const email = env.HVAC_ADMIN_EMAIL?.trim() ?? "";
  const password = env.HVAC_ADMIN_PASSWORD ?? "";
  const hint = "the OCR worker signs in as a PocketBase admin (demo data: admin@hvac.demo / hvac-demo-2026)";
  if (!email) throw new ConfigError("HVAC_ADMIN_EMAIL", `not set: ${hint}`);
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) throw new ConfigError("HVAC_ADMIN_EMAIL", `not an email address: "${email}"`);
  if (!password) throw new ConfigError("HVAC_ADMIN_PASSWORD", `not set: ${hint}`);
  return { email, password };
}
