// Pulling from Convex (SYNC_MODE=hybrid; production works the same on the office server) over the real
// PocketBase against the Convex stub: records written on Convex are applied with their clock and never
// echoed back, but go on to Weaviate; newer versions and deletes from Convex win; an older one is a
// conflict kept for review, and a pending local delete is not undone; the cursor survives a restart;
// a failed pull moves nothing.
import { rmSync } from "node:fs";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { syncRecord } from "../../src/domain/sync";
import { weaviateId } from "../../src/domain/uuid";
import { makeContact, makeJob } from "../helpers/fixtures";
import { startPocketBase, type RunningPocketBase } from "../helpers/pocketbase";
import { hooksWithSqlRoute, queryJson, runSql } from "../helpers/sql-route";
import { ConvexStub, WeaviateStub } from "../helpers/sync-stubs";

const SECRET = "pull-test-secret-0123456789";

interface PullReport { pages: number; received: number; applied: number; skipped: number; conflicts: number; failed: number; cursor: string; error: string }
interface DrainReport { ran: boolean; targets: { target: string; delivered: number; failed: number; error: string }[]; pull: PullReport | null }
interface Row { target: string; collection: string; rid: string; op: string }

let convex: ConvexStub;
let weaviate: WeaviateStub;
let hooksDir: string;
let pb: RunningPocketBase;
let env: Record<string, string>;

const drain = () => pb.admin.send<DrainReport>("/api/hvac/sync/drain", { method: "POST", body: {} });
const outbox = () => queryJson<Row[]>(pb, "SELECT json_group_array(json_object('target', target, 'collection', collection, 'rid', rid, 'op', op)) AS j FROM (SELECT * FROM hvac_outbox ORDER BY seq)");
const pullRequests = () => convex.requests.filter((r) => r.path.startsWith("/pocketbase/pull")).map((r) => new URL(r.path, "http://x").searchParams.get("since"));
const pbDate = (ms: number) => new Date(ms).toISOString().replace("T", " ");
const later = (minutes: number) => pbDate(Date.now() + minutes * 60_000);
const msOf = (pb: string) => Date.parse(pb.replace(" ", "T"));

beforeAll(async () => {
  hooksDir = hooksWithSqlRoute();
  convex = await new ConvexStub(SECRET).start();
  weaviate = await new WeaviateStub().start();
  env = {
    SYNC_MODE: "hybrid", CONVEX_SITE_URL: convex.url, CONVEX_SYNC_SECRET: SECRET, WEAVIATE_URL: weaviate.url, WEAVIATE_API_KEY: "",
    SYNC_DRAIN_CRON: "off", SYNC_BATCH_SIZE: "3",
  };
  pb = await startPocketBase({ hooksDir, env });
});
afterAll(async () => {
  await pb?.stop();
  await convex?.close();
  await weaviate?.close();
  rmSync(hooksDir, { recursive: true, force: true });
});
beforeEach(async () => {
  convex.healthy();
  await drain();
  await drain();
  expect(await outbox()).toEqual([]);
  convex.clearLog();
  weaviate.clearLog();
});

describe("pull from Convex", () => {
  it("records written on Convex are applied with their clock, not echoed back, and go on to Weaviate", async () => {
    const c = await makeContact(pb.admin, { name: "Lokalny" });
    await drain();
    const pushedBefore = convex.pushed.length;
    const t = later(1);
    convex.writeFromConvex("contacts", "cvxcontact00001", { name: "Z Convex", address: "ul. Nowa 1", district: "Wola", propertyType: "house", phone: "", email: "", nip: "", notes: "", affluenceScore: 40, created: t }, t);
    convex.writeFromConvex("jobs", "cvxjob000000001", { contactId: "cvxcontact00001", title: "Awaria pompy", type: "repair", status: "pending", priority: "high", coordinates: { lat: 52.24, lng: 20.95 }, estimatedDuration: 60 }, t);
    convex.writeFromConvex("contacts", c.id, { ...convex.doc("contacts", c.id)!.record, notes: "dopisane w Convex" }, t);
    const r = await drain();
    // Two new records and one update, in Convex's order (pages of SYNC_BATCH_SIZE=3).
    expect(r.pull).toMatchObject({ received: 3, applied: 3, conflicts: 0, failed: 0, error: "" });
    const contact = await pb.admin.collection("contacts").getOne("cvxcontact00001");
    expect(contact).toMatchObject({ name: "Z Convex", district: "Wola", updated: t, created: t });
    const job = await pb.admin.collection("jobs").getOne("cvxjob000000001");
    expect(job).toMatchObject({ title: "Awaria pompy", contactId: "cvxcontact00001", priority: "high", updated: t, coordinates: { lat: 52.24, lng: 20.95 } });
    expect((await pb.admin.collection("contacts").getOne(c.id)).notes).toBe("dopisane w Convex");
    // Queued for Weaviate only: nothing goes back to Convex.
    expect((await outbox()).map((x) => x.target)).not.toContain("convex");
    await drain();
    expect(convex.pushed.length).toBe(pushedBefore);
    expect(weaviate.get("HvacJob", weaviateId("jobs", "cvxjob000000001"))?.properties).toMatchObject({ title: "Awaria pompy" });
    // The cursor moves on: the next pull asks after it and gets nothing.
    const before = convex.requests.length;
    const again = await drain();
    expect(again.pull).toMatchObject({ received: 0, applied: 0 });
    expect(pullRequests().at(-1)).toBe(r.pull!.cursor);
    expect(convex.requests.length).toBe(before + 1);
    // A local change of a pulled record goes to Convex as usual.
    // Its clock (Convex's, a minute ahead of this server's) never goes back: the edit is stamped 1 ms
    // after it, or it would lose on Convex.
    await pb.admin.collection("jobs").update("cvxjob000000001", { notes: "zmiana w biurze" });
    const edited = await pb.admin.collection("jobs").getOne("cvxjob000000001");
    expect(edited.updated).toBe(pbDate(msOf(t) + 1));
    await drain();
    expect(convex.doc("jobs", "cvxjob000000001")).toMatchObject({ origin: "pocketbase", updated: edited.updated, record: { notes: "zmiana w biurze" } });
    expect(convex.statuses.at(-1)).toBe("applied");
  });

  it("a delete on Convex deletes here", async () => {
    const c = await makeContact(pb.admin, { name: "Do usunięcia" });
    await drain();
    const pushedBefore = convex.pushed.length;
    convex.writeFromConvex("contacts", c.id, null, later(2));
    const r = await drain();
    expect(r.pull).toMatchObject({ applied: 1 });
    await expect(pb.admin.collection("contacts").getOne(c.id)).rejects.toMatchObject({ status: 404 });
    await drain();
    expect(weaviate.get("HvacContact", weaviateId("contacts", c.id))).toBeUndefined();
    expect(convex.pushed.length).toBe(pushedBefore);
  });

  it("an older Convex version than a local change waiting to be pushed is a conflict: the local one is kept and pushed", async () => {
    const c = await makeContact(pb.admin, { name: "Konflikt" });
    await drain();
    const old = convex.doc("contacts", c.id)!;
    const edited = await pb.admin.collection("contacts").update(c.id, { name: "Nowsza wersja z biura" });
    // Convex gets a write stamped 1 ms before the local edit, while the local edit cannot be pushed.
    convex.writeFromConvex("contacts", c.id, { ...old.record, name: "Starsza wersja z Convex" }, pbDate(msOf(edited.updated) - 1));
    convex.fail({ kind: "status", status: 503 });
    const r = await drain();
    expect(r.targets.find((t) => t.target === "convex")).toMatchObject({ failed: 1 });
    expect(r.pull).toMatchObject({ received: 1, applied: 0, conflicts: 1 });
    expect((await pb.admin.collection("contacts").getOne(c.id)).name).toBe("Nowsza wersja z biura");
    const notes = await pb.admin.collection("sync_conflicts").getFullList({ filter: `recordId = "${c.id}"` });
    expect(notes.map((n) => [n.direction, n.winner, n.localUpdated, n.remote.name])).toEqual([["pull", "local", edited.updated, "Starsza wersja z Convex"]]);
    // The local version is still queued and wins on Convex.
    const later2 = await pb.admin.send<DrainReport>("/api/hvac/sync/drain", { method: "POST", body: { now: Date.now() + 7_200_000 } });
    expect(later2.targets.find((t) => t.target === "convex")).toMatchObject({ delivered: 1 });
    expect(convex.doc("contacts", c.id)).toMatchObject({ updated: edited.updated, record: syncRecord("contacts", edited) });
  });

  it("a local delete waiting to be pushed is not undone by an older version from Convex", async () => {
    const c = await makeContact(pb.admin, { name: "Skasowany lokalnie" });
    await drain();
    const old = convex.doc("contacts", c.id)!;
    await pb.admin.collection("contacts").delete(c.id);
    // An edit on Convex stamped no later than the delete (which is never before the record's own clock).
    convex.writeFromConvex("contacts", c.id, { ...old.record, notes: "edycja w Convex" }, old.updated);
    convex.fail({ kind: "status", status: 503 });
    const r = await drain();
    expect(r.pull).toMatchObject({ applied: 0, conflicts: 1 });
    await expect(pb.admin.collection("contacts").getOne(c.id)).rejects.toMatchObject({ status: 404 });
    await pb.admin.send("/api/hvac/sync/drain", { method: "POST", body: { now: Date.now() + 7_200_000 } });
    expect(convex.doc("contacts", c.id)).toMatchObject({ deleted: true, origin: "pocketbase" });
  });

  it("a change that cannot be applied here is kept for review and the pull goes on", async () => {
    const c = await makeContact(pb.admin, { name: "Ma zlecenia" });
    const j = await makeJob(pb.admin, c.id);
    await drain();
    // Convex deletes the contact but this server's job still requires it.
    convex.writeFromConvex("contacts", c.id, null, later(3));
    convex.writeFromConvex("jobs", "cvxjob000000002", { contactId: c.id, title: "Po nim", type: "repair" }, later(3));
    const r = await drain();
    expect(r.pull).toMatchObject({ received: 2, failed: 1, applied: 1 });
    expect((await pb.admin.collection("contacts").getOne(c.id)).id).toBe(c.id);
    const notes = await pb.admin.collection("sync_conflicts").getFullList({ filter: `recordId = "${c.id}"` });
    expect(notes[0].note).toMatch(/^Could not apply Convex's delete here: /);
    expect((await pb.admin.collection("jobs").getOne("cvxjob000000002")).title).toBe("Po nim");
    expect((await pb.admin.collection("jobs").getOne(j.id)).contactId).toBe(c.id);
  });

  it.each([
    ["a 500", { kind: "status", status: 500 } as const, /Convex answered the pull with HTTP 500/],
    ["malformed JSON", { kind: "malformed" } as const, /malformed pull answer from Convex/],
    ["a cursor that is not text", { kind: "wrong-shape" } as const, /malformed pull answer from Convex: cursor: expected a cursor text/],
  ])("a failed pull (%s) moves nothing and is shown on the status", async (_, fault, message) => {
    const t = later(4);
    convex.writeFromConvex("contacts", "cvxcontact00009", { name: "Po awarii", address: "ul. X", district: "Wola", propertyType: "house" }, t);
    const cursorBefore = (await pb.admin.send<{ pull: { cursor: string } }>("/api/hvac/sync/status", {})).pull.cursor;
    convex.fail(fault);
    const r = await drain();
    expect(r.pull!.error).toMatch(message);
    expect(r.pull).toMatchObject({ applied: 0, cursor: cursorBefore });
    const s = await pb.admin.send<{ pull: { cursor: string; lastError: string; enabled: boolean } }>("/api/hvac/sync/status", {});
    expect(s.pull).toMatchObject({ enabled: true, cursor: cursorBefore });
    expect(s.pull.lastError).toMatch(message);
    expect((await drain()).pull).toMatchObject({ applied: 1, error: "" });
    expect((await pb.admin.collection("contacts").getOne("cvxcontact00009")).updated).toBe(t);
    await runSql(pb, "DELETE FROM contacts WHERE id = 'cvxcontact00009'");
  });

  it("the cursor survives a restart", async () => {
    await drain();
    const cursor = (await pb.admin.send<{ pull: { cursor: string } }>("/api/hvac/sync/status", {})).pull.cursor;
    expect(Number(cursor)).toBeGreaterThan(0);
    const exited = new Promise((r) => pb.proc.once("exit", r));
    pb.proc.kill("SIGTERM");
    await exited;
    pb = await startPocketBase({ hooksDir, env, dataDir: pb.dataDir });
    convex.clearLog();
    await drain();
    expect(pullRequests()).toEqual([cursor]);
  });
});
