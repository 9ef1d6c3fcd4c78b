// `hvac sync-backfill` (POST /api/hvac/sync/backfill on the real PocketBase, then drains with progress)
// and `hvac weaviate-schema` against the Weaviate stub's schema endpoints.
import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { syncBackfillCommand, weaviateSchemaCommand } from "../../src/cli/sync";
import { ConfigError } from "../../src/config";
import { weaviateId } from "../../src/domain/uuid";
import { createWorld, failure, makeContact, makeJob, type World } from "../helpers/fixtures";
import { ADMIN_EMAIL, ADMIN_PASSWORD, startPocketBase, type RunningPocketBase } from "../helpers/pocketbase";
import { hooksWithSqlRoute, queryJson, runSql } from "../helpers/sql-route";
import { ConvexStub, WeaviateStub } from "../helpers/sync-stubs";

const SECRET = "cli-test-secret-0123456789";
const KEY = "cli-weaviate-key";

function capture(): { lines: string[]; print: (l: string) => void } {
  const lines: string[] = [];
  return { lines, print: (l: string) => lines.push(l) };
}

describe("hvac weaviate-schema", () => {
  let weaviate: WeaviateStub;
  beforeAll(async () => {
    weaviate = await new WeaviateStub(KEY).start();
  });
  afterAll(async () => weaviate?.close());

  const env = () => ({ WEAVIATE_URL: weaviate.url, WEAVIATE_API_KEY: KEY });

  it("creates the four classes, then finds them up to date, then adds a missing property", async () => {
    const first = capture();
    expect(await weaviateSchemaCommand([], env(), first.print)).toBe(0);
    expect(first.lines).toEqual([
      expect.stringMatching(/^HvacJob: created \(\d+ properties\)\.$/), expect.stringMatching(/^HvacContact: created/),
      expect.stringMatching(/^HvacInvoice: created/), expect.stringMatching(/^HvacEquipmentPhoto: created/),
    ]);
    expect(weaviate.schema.get("HvacJob")).toMatchObject({ vectorizer: "text2vec-transformers" });
    const again = capture();
    expect(await weaviateSchemaCommand([], env(), again.print)).toBe(0);
    expect(again.lines.every((l) => l.endsWith("exists, up to date."))).toBe(true);
    const photo = weaviate.schema.get("HvacEquipmentPhoto")!;
    photo.properties = photo.properties.filter((p) => p.name !== "refrigerant");
    const third = capture();
    expect(await weaviateSchemaCommand([], env(), third.print)).toBe(0);
    expect(third.lines[3]).toBe("HvacEquipmentPhoto: exists, added refrigerant.");
    expect(weaviate.schema.get("HvacEquipmentPhoto")!.properties.map((p) => p.name)).toContain("refrigerant");
  });

  it("--dry-run prints the classes with the configured vectorizer and sends nothing", async () => {
    const out = capture();
    const requests = weaviate.requests.length;
    expect(await weaviateSchemaCommand(["--dry-run"], { ...env(), WEAVIATE_VECTORIZER: "none" }, out.print)).toBe(0);
    const classes = JSON.parse(out.lines.join("\n")) as { class: string; vectorizer: string }[];
    expect(classes.map((c) => [c.class, c.vectorizer])).toEqual([["HvacJob", "none"], ["HvacContact", "none"], ["HvacInvoice", "none"], ["HvacEquipmentPhoto", "none"]]);
    expect(weaviate.requests.length).toBe(requests);
  });

  it("a wrong key fails with Weaviate's message; no WEAVIATE_URL is a configuration error naming it", async () => {
    const out = capture();
    expect(await weaviateSchemaCommand([], { WEAVIATE_URL: weaviate.url, WEAVIATE_API_KEY: "wrong" }, out.print)).toBe(1);
    expect(out.lines[0]).toMatch(/^weaviate-schema on http:\/\/127\.0\.0\.1:\d+ failed: GET \/v1\/schema: HTTP 401: unauthorized$/);
    await expect(weaviateSchemaCommand([], {}, out.print)).rejects.toMatchObject({ key: "WEAVIATE_URL" });
    await expect(weaviateSchemaCommand([], { WEAVIATE_URL: "weaviate:8080" }, out.print)).rejects.toBeInstanceOf(ConfigError);
  });
});

describe("hvac sync-backfill", () => {
  let pb: RunningPocketBase;
  let w: World;
  let convex: ConvexStub;
  let weaviate: WeaviateStub;
  let hooksDir: string;
  const admin = { HVAC_ADMIN_EMAIL: ADMIN_EMAIL, HVAC_ADMIN_PASSWORD: ADMIN_PASSWORD };

  beforeAll(async () => {
    hooksDir = hooksWithSqlRoute();
    convex = await new ConvexStub(SECRET).start();
    weaviate = await new WeaviateStub().start();
    pb = await startPocketBase({
      hooksDir,
      env: { SYNC_MODE: "development", CONVEX_SITE_URL: convex.url, CONVEX_SYNC_SECRET: SECRET, WEAVIATE_URL: weaviate.url, WEAVIATE_API_KEY: "", SYNC_DRAIN_CRON: "off", SYNC_BATCH_SIZE: "4", SYNC_HTTP_TIMEOUT: "2" },
    });
    w = await createWorld(pb);
  });
  afterAll(async () => {
    await pb?.stop();
    await convex?.close();
    await weaviate?.close();
    rmSync(hooksDir, { recursive: true, force: true });
  });

  it("sends records that existed before sync was on, with progress", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) {
      const c = await makeContact(w.dispatcher, { name: `Stary ${i}` });
      ids.push(c.id, (await makeJob(w.dispatcher, c.id)).id);
    }
    // As if they had been written while sync was off: nothing queued.
    await runSql(pb, "DELETE FROM hvac_outbox");
    const out = capture();
    expect(await syncBackfillCommand(["weaviate", pb.url], admin, out.print)).toBe(0);
    expect(out.lines[0]).toBe("Queued for weaviate: 6 contacts, 6 jobs, 0 invoices, 0 equipment_photos.");
    expect(out.lines.slice(1, -1).every((l) => /^weaviate \[[# ]{30}\] \d+\/12 sent$/.test(l))).toBe(true);
    expect(out.lines.at(-2)).toMatch(/\[#{30}\] 12\/12 sent$/);
    expect(out.lines.at(-1)).toBe("Done: 12 record(s) sent to weaviate.");
    expect(weaviate.objects.size).toBe(12);
    expect(weaviate.get("HvacJob", weaviateId("jobs", ids[1]))).toBeDefined();
    // Convex was not asked for anything.
    expect(convex.pushed).toEqual([]);
    expect(await queryJson<number>(pb, "SELECT count(*) AS j FROM hvac_outbox")).toBe(0);
  });

  it("a failing target stops with its error and leaves the rows queued", async () => {
    await runSql(pb, "DELETE FROM hvac_outbox");
    await convex.down();
    try {
      const out = capture();
      expect(await syncBackfillCommand(["convex", pb.url], admin, out.print)).toBe(1);
      expect(out.lines[0]).toMatch(/^Queued for convex: \d+ contacts, \d+ jobs, 0 invoices, 0 equipment_photos, 0 equipment\.$/);
      expect(out.lines.at(-1)).toMatch(/^convex is failing: no answer from .*\. The \d+ queued change\(s\) stay in the outbox; the drain every minute retries them\.$/);
      expect(await queryJson<number>(pb, "SELECT count(*) AS j FROM hvac_outbox WHERE target = 'convex' AND dead = 0")).toBeGreaterThan(0);
    } finally {
      await convex.up();
    }
    await pb.admin.send("/api/hvac/sync/drain", { method: "POST", body: { now: Date.now() + 7_200_000 } });
    expect(Object.keys(convex.live())).toHaveLength(12);
  });

  it("usage, admins only, a known and configured target", async () => {
    const out = capture();
    expect(await syncBackfillCommand([pb.url], admin, out.print)).toBe(2);
    expect(out.lines).toEqual(["Usage: npx hvac sync-backfill convex|weaviate [URL]"]);
    const wrong = capture();
    expect(await syncBackfillCommand(["convex", pb.url], { HVAC_ADMIN_EMAIL: ADMIN_EMAIL, HVAC_ADMIN_PASSWORD: "not-the-password" }, wrong.print)).toBe(1);
    expect(wrong.lines[0]).toMatch(/^sync-backfill on http:\/\/127\.0\.0\.1:\d+ failed: /);
    expect((await failure(w.manager.send("/api/hvac/sync/backfill", { method: "POST", body: { target: "convex" } }))).status).toBe(401);
    expect((await failure(pb.admin.send("/api/hvac/sync/backfill", { method: "POST", body: { target: "solr" } }))).data.target.code).toBe("invalid");
  });
});
