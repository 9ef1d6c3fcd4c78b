// The OCR worker's settings (src/ocr/worker-config.ts) and address (src/cli/ocr-worker.ts):
// defaults, and errors that name the variable.
import { describe, expect, it } from "vitest";
import { serverUrl } from "../../src/config";
import { ConfigError } from "../../src/config";
import { loadOcrWorkerConfig, loadWorkerAdmin, OCR_WORKER_DEFAULTS } from "../../src/ocr/worker-config";

function error(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error("expected a ConfigError");
}

describe("loadOcrWorkerConfig", () => {
  it("is on with the defaults when nothing is set", () => {
    expect(loadOcrWorkerConfig({})).toEqual({ enabled: true, ...OCR_WORKER_DEFAULTS });
    expect(OCR_WORKER_DEFAULTS).toEqual({ maxAttempts: 3, leaseSeconds: 120, pollSeconds: 30, retrySeconds: 60 });
  });

  it.each([["on", true], ["OFF", false], [" off ", false], ["1", true], ["0", false], ["", true]])("HVAC_OCR_WORKER=%j", (raw, enabled) => {
    expect(loadOcrWorkerConfig({ HVAC_OCR_WORKER: raw }).enabled).toBe(enabled);
  });

  it("reads the numbers", () => {
    expect(loadOcrWorkerConfig({ HVAC_OCR_MAX_ATTEMPTS: "5", HVAC_OCR_LEASE_S: "300", HVAC_OCR_POLL_S: "2.5", HVAC_OCR_RETRY_S: "10" }))
      .toEqual({ enabled: true, maxAttempts: 5, leaseSeconds: 300, pollSeconds: 2.5, retrySeconds: 10 });
  });

  it.each([
    ["HVAC_OCR_WORKER", "maybe", 'HVAC_OCR_WORKER: expected on or off, got "maybe"'],
    ["HVAC_OCR_MAX_ATTEMPTS", "0", 'HVAC_OCR_MAX_ATTEMPTS: expected a whole number from 1 to 100, got "0"'],
    ["HVAC_OCR_MAX_ATTEMPTS", "2.5", 'HVAC_OCR_MAX_ATTEMPTS: expected a whole number from 1 to 100, got "2.5"'],
    ["HVAC_OCR_LEASE_S", "1", 'HVAC_OCR_LEASE_S: expected a whole number from 3 to 86400, got "1"'],
    ["HVAC_OCR_POLL_S", "soon", 'HVAC_OCR_POLL_S: expected a number from 0.1 to 86400, got "soon"'],
    ["HVAC_OCR_RETRY_S", "-1", 'HVAC_OCR_RETRY_S: expected a number from 0.1 to 86400, got "-1"'],
  ])("%s=%s is refused by name", (key, raw, message) => {
    const e = error(() => loadOcrWorkerConfig({ [key]: raw }));
    expect(e.key).toBe(key);
    expect(e.message).toBe(message);
  });
});

describe("loadWorkerAdmin", () => {
  it("takes both variables", () => {
    expect(loadWorkerAdmin({ HVAC_ADMIN_EMAIL: " szef@firma.pl ", HVAC_ADMIN_PASSWORD: "long-secret" })).toEqual({ email: "szef@firma.pl", password: "long-secret" });
  });

  it.each([
    [{ HVAC_ADMIN_PASSWORD: "long-secret" }, "HVAC_ADMIN_EMAIL", /^HVAC_ADMIN_EMAIL: not set/],
    [{ HVAC_ADMIN_EMAIL: "szef", HVAC_ADMIN_PASSWORD: "long-secret" }, "HVAC_ADMIN_EMAIL", /not an email address/],
    [{ HVAC_ADMIN_EMAIL: "szef@firma.pl" }, "HVAC_ADMIN_PASSWORD", /^HVAC_ADMIN_PASSWORD: not set/],
  ])("%j: names %s", (env, key, message) => {
    const e = error(() => loadWorkerAdmin(env));
    expect(e.key).toBe(key);
    expect(e.message).toMatch(message);
  });
});

describe("serverUrl", () => {
  it("defaults to HTTP_ADDR, reached locally when it listens everywhere", () => {
    expect(serverUrl(undefined, {})).toBe("http://127.0.0.1:8090");
    expect(serverUrl(undefined, { HTTP_ADDR: "0.0.0.0:8091" })).toBe("http://127.0.0.1:8091");
    expect(serverUrl("https://crm.firma.pl/", {})).toBe("https://crm.firma.pl");
  });

  it("refuses what is not an address", () => {
    expect(error(() => serverUrl("crm.firma.pl", {})).key).toBe("URL");
    expect(error(() => serverUrl(undefined, { HTTP_ADDR: "bad host:1" })).key).toBe("HTTP_ADDR");
  });
});
