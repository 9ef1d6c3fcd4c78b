// `hvac reindex-weaviate` against the real PocketBase binary and the Weaviate stub: classes created,
// every record re-sent through the server's outbox, objects without a local record (left by an old
// deployment, or a delete made while sync was off) removed through the cursor listing. A stub that
// fails mid-way stops the run with Weaviate's answer; running again finishes the job.
import { rmSync } from "node:fs";
import type { ServerResponse } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reindexWeaviateCommand } from "../../src/cli/reindex-weaviate";
import { weaviateId } from "../../src/domain/uuid";
import { createWorld, makeContact, makeJob, type World } from "../helpers/fixtures";
import { ADMIN_EMAIL, ADMIN_PASSWORD, startPocketBase, type RunningPocketBase } from "../helpers/pocketbase";
import { hooksWithSqlRoute, runSql } from "../helpers/sql-route";
import { WeaviateStub } from "../helpers/sync-stubs";

const KEY = "reindex-weaviate-key";

/** The stub, with chosen answers to chosen listing requests (counted from 1 over the whole test). */
class ListFaultWeaviate extends WeaviateStub {
  lists = 0;
  readonly listAnswers = new Map<number, { status: number; body: string }>();

  protected async handle(method: string, url: URL, auth: string, body: string, res: ServerResponse): Promise<void> {
    if (method === "GET" && url.pathname === "/v1/objects") {
      const answer = this.listAnswers.get(++this.lists);
      if (answer) return void res.writeHead(answer.status, { "Content-Type": "application/json" }).end(answer.body);
    }
    return super.handle(method, url, auth, body, res);
  }
}

function capture(): { lines: string[]; print: (l: string) => void; text: () => string } {
  const lines: string[] = [];
  return { lines, print: (l: string) => lines.push(l), text: () => lines.join("\n") };
}

describe("hvac reindex-weaviate", () => {
  let pb: RunningPocketBase;
  let w: World;
  let weaviate: ListFaultWeaviate;
  let hooksDir: string;
  let env: Record<string, string>;
  const contacts: string[] = [];
  const jobs: string[] = [];

  beforeAll(async () => {
    hooksDir = hooksWithSqlRoute();
    weaviate = await new ListFaultWeaviate(KEY).start();
    pb = await startPocketBase({
      hooksDir,
      env: { WEAVIATE_URL: weaviate.url, WEAVIATE_API_KEY: KEY, SYNC_DRAIN_CRON: "off", SYNC_BATCH_SIZE: "4", SYNC_HTTP_TIMEOUT: "2", CONVEX_SYNC_SECRET: "" },
    });
    w = await createWorld(pb);
    for (let i = 0; i < 3; i++) {
      const c = await makeContact(w.dispatcher, { name: `Klient reindeksu ${i}` });
      contacts.push(c.id);
      jobs.push((await makeJob(w.dispatcher, c.id)).id);
    }
    env = { HVAC_ADMIN_EMAIL: ADMIN_EMAIL, HVAC_ADMIN_PASSWORD: ADMIN_PASSWORD, WEAVIATE_URL: weaviate.url, WEAVIATE_API_KEY: KEY, SYNC_HTTP_TIMEOUT: "2" };
  });
  afterAll(async () => {
    await pb?.stop();
    await weaviate?.close();
    if (hooksDir) rmSync(hooksDir, { recursive: true, force: true });
  });

  /** An object as an earlier deployment may have left it. */
  const plant = (cls: string, collection: string, id: string) =>
    weaviate.objects.set(`${cls}/${weaviateId(collection, id)}`, { class: cls, properties: { pbId: id } });

  const ours = () => new Set([
    ...contacts.map((id) => `HvacContact/${weaviateId("contacts", id)}`),
    ...jobs.map((id) => `HvacJob/${weaviateId("jobs", id)}`),
  ]);

  it("needs WEAVIATE_URL, the one the server sends to", async () => {
    await expect(reindexWeaviateCommand([pb.url], { ...env, WEAVIATE_URL: "" }, () => {})).rejects.toMatchObject({ key: "WEAVIATE_URL" });
    await expect(reindexWeaviateCommand([pb.url], { ...env, WEAVIATE_URL: "http://127.0.0.1:9" }, () => {})).rejects.toMatchObject({
      key: "WEAVIATE_URL", message: `WEAVIATE_URL: http://127.0.0.1:9 is not the Weaviate the server at ${pb.url} sends to (${weaviate.url}); give the same one`,
    });
    const out = capture();
    expect(await reindexWeaviateCommand([pb.url, "--page-size", "0"], env, out.print)).toBe(2);
    expect(out.lines[0]).toBe('reindex-weaviate: --page-size: expected 1 to 10000, got "0"');
    expect(weaviate.requests).toEqual([]);
  });

  it("creates the classes, sends every record and removes the objects no record has, page by page", async () => {
    plant("HvacJob", "jobs", "gonerecord00001");
    plant("HvacContact", "contacts", "gonerecord00002");
    plant("HvacInvoice", "invoices", "gonerecord00003");
    const out = capture();
    expect(await reindexWeaviateCommand([pb.url, "--page-size", "2"], env, out.print), out.text()).toBe(0);
    expect(out.lines[0]).toBe(`1/3 Weaviate classes at ${weaviate.url}:`);
    expect(out.lines).toContain("HvacJob: created (13 properties).");
    expect(out.lines).toContain(`2/3 Every record of ${pb.url} to Weaviate:`);
    expect(out.lines).toContain("Done: 6 record(s) sent to weaviate.");
    expect(out.lines).toContain("HvacJob: 4 object(s), 3 record(s), 1 removed.");
    expect(out.lines).toContain("HvacContact: 4 object(s), 3 record(s), 1 removed.");
    expect(out.lines).toContain("HvacInvoice: 1 object(s), 0 record(s), 1 removed.");
    expect(out.lines.at(-1)).toBe(`Done: Weaviate at ${weaviate.url} holds the office's records; 3 object(s) without a record removed.`);
    expect(new Set(weaviate.objects.keys())).toEqual(ours());
    expect([...weaviate.schema.keys()]).toEqual(["HvacJob", "HvacContact", "HvacInvoice", "HvacEquipmentPhoto"]);
    // Paged with the cursor: the first page without `after`, then after the last id seen.
    const lists = weaviate.requests.filter((r) => r.method === "GET" && r.path.startsWith("/v1/objects?class=HvacJob"));
    expect(lists.map((r) => r.path)).toEqual([
      "/v1/objects?class=HvacJob&limit=2",
      expect.stringMatching(/^\/v1\/objects\?class=HvacJob&limit=2&after=[0-9a-f-]{36}$/),
      expect.stringMatching(/^\/v1\/objects\?class=HvacJob&limit=2&after=[0-9a-f-]{36}$/),
    ]);
    expect(weaviate.requests.every((r) => r.auth === `Bearer ${KEY}`)).toBe(true);
  });

  it("a record deleted while sync was off loses its object on the next rebuild", async () => {
    const gone = contacts.pop()!;
    await pb.admin.collection("jobs").delete(jobs.pop()!);
    await pb.admin.collection("contacts").delete(gone);
    await runSql(pb, "DELETE FROM hvac_outbox"); // as if the deletes had happened with sync off
    expect(weaviate.get("HvacContact", weaviateId("contacts", gone))).toBeDefined();
    const out = capture();
    expect(await reindexWeaviateCommand([pb.url], env, out.print), out.text()).toBe(0);
    expect(out.lines).toContain("HvacContact: 3 object(s), 2 record(s), 1 removed.");
    expect(new Set(weaviate.objects.keys())).toEqual(ours());
  });

  it("Weaviate failing while records are sent: stops with its answer, the records stay queued, a re-run finishes", async () => {
    weaviate.failAlways({ kind: "status", status: 503 });
    const out = capture();
    try {
      expect(await reindexWeaviateCommand([pb.url], env, out.print)).toBe(1);
    } finally {
      weaviate.healthy();
    }
    expect(out.text()).toMatch(/weaviate is failing: .*503.*\. The \d+ queued change\(s\) stay in the outbox/);
    expect(out.lines.at(-1)).toBe("reindex-weaviate stopped while sending the records (they stay queued on the server). Run the same command again: every step can be repeated.");
    const again = capture();
    expect(await reindexWeaviateCommand([pb.url], env, again.print), again.text()).toBe(0);
    expect(new Set(weaviate.objects.keys())).toEqual(ours());
  });

  it("a 5xx on a later page stops the clean-up with Weaviate's message; the next run removes the rest", async () => {
    plant("HvacJob", "jobs", "gonerecord00004");
    plant("HvacContact", "contacts", "gonerecord00005");
    // Listing order: HvacJob (pages 1-2 at size 2), then HvacContact: its 2nd page answers 503.
    weaviate.listAnswers.set(weaviate.lists + 4, { status: 503, body: JSON.stringify({ error: [{ message: "shard not ready" }] }) });
    const out = capture();
    expect(await reindexWeaviateCommand([pb.url, "--page-size", "2"], env, out.print)).toBe(1);
    expect(out.lines).toContain("HvacJob: 3 object(s), 2 record(s), 1 removed.");
    expect(out.lines.at(-1)).toMatch(/^reindex-weaviate stopped while removing objects without a record \(1 removed so far\): GET \/v1\/objects\?class=HvacContact&limit=2&after=[0-9a-f-]{36}: HTTP 503: shard not ready\. Run the same command again: every step can be repeated\.$/);
    expect(weaviate.get("HvacContact", weaviateId("contacts", "gonerecord00005"))).toBeDefined();

    const again = capture();
    expect(await reindexWeaviateCommand([pb.url, "--page-size", "2"], env, again.print), again.text()).toBe(0);
    expect(again.lines).toContain("HvacContact: 3 object(s), 2 record(s), 1 removed.");
    expect(new Set(weaviate.objects.keys())).toEqual(ours());
  });

  it("a listing that is not a cursor page is refused naming the value, and nothing is deleted", async () => {
    plant("HvacJob", "jobs", "gonerecord00006");
    weaviate.listAnswers.set(weaviate.lists + 1, { status: 200, body: JSON.stringify({ objects: [{ class: "HvacJob", id: "not-a-uuid" }] }) });
    const out = capture();
    expect(await reindexWeaviateCommand([pb.url], env, out.print)).toBe(1);
    expect(out.lines.at(-1)).toBe('reindex-weaviate stopped while removing objects without a record (0 removed so far): GET /v1/objects?class=HvacJob&limit=500: objects[0].id: expected a UUID, got "not-a-uuid". Run the same command again: every step can be repeated.');
    expect(weaviate.get("HvacJob", weaviateId("jobs", "gonerecord00006"))).toBeDefined();
  });
});
