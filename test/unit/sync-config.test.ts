// SYNC_MODE and friends (src/domain/sync-config.ts), and their place in `hvac run`'s config (src/config.ts).
import { describe, expect, it } from "vitest";
import { parseSyncConfig, syncDirections, SyncConfigError, type Env } from "../../src/domain/sync-config";
import { ConfigError, loadConfig } from "../../src/config";
import { DEFAULT_RETRY_POLICY } from "../../src/domain/sync";

const SECRET = "0123456789abcdef0123";
const convex = (over: Env = {}): Env => ({ SYNC_MODE: "development", CONVEX_SITE_URL: "https://happy-otter-123.convex.site", CONVEX_SYNC_SECRET: SECRET, ...over });

function configError(env: Env): string {
  try {
    parseSyncConfig(env);
  } catch (e) {
    expect(e).toBeInstanceOf(SyncConfigError);
    return (e as Error).message;
  }
  throw new Error("expected a SyncConfigError");
}

describe("parseSyncConfig", () => {
  it("is off with nothing set (the product runs fully locally)", () => {
    expect(parseSyncConfig({})).toEqual({
      mode: "off", convexSiteUrl: "", convexSyncSecret: "", weaviateUrl: "", weaviateApiKey: "",
      weaviateVectorizer: "text2vec-transformers", retry: DEFAULT_RETRY_POLICY, batchSize: 200, httpTimeoutSec: 30, drainCron: true,
    });
    expect(parseSyncConfig({ SYNC_MODE: "" }).mode).toBe("off");
    expect(parseSyncConfig({ SYNC_MODE: " off " }).mode).toBe("off");
  });

  it.each([
    ["development", { push: true, pull: false }],
    ["production", { push: true, pull: true }],
    ["hybrid", { push: true, pull: true }],
    [" Hybrid ", { push: true, pull: true }],
  ])("SYNC_MODE=%j", (mode, directions) => {
    const c = parseSyncConfig(convex({ SYNC_MODE: mode }));
    expect(c.mode).toBe(mode.trim().toLowerCase());
    expect(syncDirections(c.mode)).toEqual(directions);
    expect(c.convexSiteUrl).toBe("https://happy-otter-123.convex.site");
    expect(c.convexSyncSecret).toBe(SECRET);
  });

  it("off moves nothing", () => expect(syncDirections("off")).toEqual({ push: false, pull: false }));

  it.each([
    ["https://happy-otter-123.convex.site/", "https://happy-otter-123.convex.site"],
    ["http://127.0.0.1:3211", "http://127.0.0.1:3211"],
    ["http://localhost:3211/", "http://localhost:3211"],
    ["https://convex.example.pl:8443", "https://convex.example.pl:8443"],
  ])("accepts CONVEX_SITE_URL=%j", (url, base) => {
    expect(parseSyncConfig(convex({ CONVEX_SITE_URL: url })).convexSiteUrl).toBe(base);
  });

  it.each([
    [convex({ SYNC_MODE: "prod" }), 'SYNC_MODE: expected development, production or hybrid (or unset / off for no sync), got "prod"'],
    [{ SYNC_MODE: "off", CONVEX_SITE_URL: "https://x.convex.site" }, "SYNC_MODE: CONVEX_SITE_URL is set but SYNC_MODE is not"],
    [{ CONVEX_SYNC_SECRET: SECRET }, "SYNC_MODE: CONVEX_SYNC_SECRET is set but SYNC_MODE is not"],
    [convex({ CONVEX_SITE_URL: "" }), "CONVEX_SITE_URL: required when SYNC_MODE=development"],
    [convex({ CONVEX_SITE_URL: "happy-otter-123.convex.site" }), "CONVEX_SITE_URL: expected an http(s) URL"],
    [convex({ CONVEX_SITE_URL: "https://happy-otter-123.convex.cloud" }), "CONVEX_SITE_URL: HTTP actions are served from https://<name>.convex.site, not .convex.cloud"],
    [convex({ CONVEX_SITE_URL: "http://convex.lan:3211" }), "CONVEX_SITE_URL: use https:// (the sync secret would travel unencrypted)"],
    [convex({ CONVEX_SITE_URL: "https://x.convex.site/pocketbase/push" }), "CONVEX_SITE_URL: expected the site URL without a path"],
    [convex({ CONVEX_SITE_URL: "https://x.convex.site:99999" }), "CONVEX_SITE_URL: port 99999 is out of range"],
    [convex({ CONVEX_SYNC_SECRET: "" }), "CONVEX_SYNC_SECRET: required when SYNC_MODE=development"],
    [convex({ CONVEX_SYNC_SECRET: "short" }), "CONVEX_SYNC_SECRET: must be at least 16 characters without spaces"],
    [convex({ CONVEX_SYNC_SECRET: "0123456789 abcdef0123" }), "CONVEX_SYNC_SECRET: must be at least 16 characters without spaces"],
    [{ WEAVIATE_URL: "weaviate:8080" }, "WEAVIATE_URL: expected an http(s) URL"],
    [{ WEAVIATE_API_KEY: "k" }, "WEAVIATE_URL: WEAVIATE_API_KEY is set but WEAVIATE_URL is not"],
    [{ WEAVIATE_URL: "http://127.0.0.1:8080", WEAVIATE_VECTORIZER: "Text2Vec OpenAI" }, "WEAVIATE_VECTORIZER: expected a Weaviate vectorizer module name"],
    [convex({ SYNC_MAX_ATTEMPTS: "0" }), 'SYNC_MAX_ATTEMPTS: expected a whole number from 1 to 1000, got "0"'],
    [{ SYNC_MAX_ATTEMPTS: "ten" }, 'SYNC_MAX_ATTEMPTS: expected a whole number from 1 to 1000, got "ten"'],
    [convex({ SYNC_BATCH_SIZE: "1001" }), 'SYNC_BATCH_SIZE: expected a whole number from 1 to 1000, got "1001"'],
    [convex({ SYNC_HTTP_TIMEOUT: "0" }), 'SYNC_HTTP_TIMEOUT: expected a whole number from 1 to 600, got "0"'],
    [convex({ SYNC_HTTP_TIMEOUT: "2.5" }), 'SYNC_HTTP_TIMEOUT: expected a whole number from 1 to 600, got "2.5"'],
    [convex({ SYNC_DRAIN_CRON: "sometimes" }), 'SYNC_DRAIN_CRON: expected on or off (1/0, true/false, yes/no), got "sometimes"'],
  ])("refuses %j naming the variable", (env, message) => {
    expect(configError(env)).toContain(message);
  });

  it("Weaviate is independent of SYNC_MODE (search only)", () => {
    const c = parseSyncConfig({ WEAVIATE_URL: "http://weaviate.lan:8080/v1/", WEAVIATE_API_KEY: "key", WEAVIATE_VECTORIZER: "none" });
    expect(c).toMatchObject({ mode: "off", weaviateUrl: "http://weaviate.lan:8080", weaviateApiKey: "key", weaviateVectorizer: "none" });
  });

  it("outbox knobs", () => {
    const c = parseSyncConfig(convex({ SYNC_MAX_ATTEMPTS: "5", SYNC_BATCH_SIZE: "50" }));
    expect(c.retry).toEqual({ ...DEFAULT_RETRY_POLICY, maxAttempts: 5 });
    expect(c.batchSize).toBe(50);
    const d = parseSyncConfig(convex({ SYNC_HTTP_TIMEOUT: "5", SYNC_DRAIN_CRON: " OFF " }));
    expect([d.httpTimeoutSec, d.drainCron]).toEqual([5, false]);
    expect(parseSyncConfig(convex({ SYNC_DRAIN_CRON: "1" })).drainCron).toBe(true);
  });
});

describe("loadConfig includes the sync settings", () => {
  it("defaults to sync off", () => {
    expect(loadConfig({}, true).sync.mode).toBe("off");
  });

  it("reports a bad sync setting as a ConfigError naming the variable", () => {
    try {
      loadConfig({ SYNC_MODE: "hybrid" }, true);
      throw new Error("expected a ConfigError");
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      expect((e as ConfigError).key).toBe("CONVEX_SITE_URL");
      expect((e as Error).message).toMatch(/^CONVEX_SITE_URL: required when SYNC_MODE=hybrid/);
    }
  });
});
