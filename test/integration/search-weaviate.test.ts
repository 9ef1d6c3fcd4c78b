// GET /api/hvac/search with WEAVIATE_URL set, over the real PocketBase and the Weaviate stub with its
// GraphQL endpoint (test/helpers/weaviate-search-stub.ts): records reach the stub through the outbox
// (drained by the test), Weaviate ranks (one POST /v1/graphql per search, its order kept), our view
// rules decide what is shown, records deleted here or objects that are not ours are dropped, the query
// text cannot break out of its GraphQL string, and every failure (down, timeout, 5xx, 401, errors[],
// malformed answers, bad configuration) answers from FTS5 with the reason, never with a 500.
import type PocketBase from "pocketbase";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { weaviateId } from "../../src/domain/uuid";
import { createWorld, makeContact, makeJob, type World } from "../helpers/fixtures";
import { startPocketBase, type RunningPocketBase } from "../helpers/pocketbase";
import { WeaviateSearchStub } from "../helpers/weaviate-search-stub";

const KEY = "weaviate-search-key";
const NO_SYNC = { SYNC_MODE: "", CONVEX_SITE_URL: "", CONVEX_SYNC_SECRET: "", SYNC_DRAIN_CRON: "off" };

interface Item { type: string; id: string; title: string; snippet: { text: string; marks: [number, number][] }; rank: number }
interface Answer { items: Item[]; query: string[]; source: string; fallback?: string }

const search = (client: PocketBase, q: string, extra: Record<string, string> = {}) =>
  client.send<Answer>("/api/hvac/search", { query: { q, ...extra } });
const ids = (a: Answer) => a.items.map((i) => i.id);
const marked = (i: Item) => i.snippet.marks.map(([s, e]) => i.snippet.text.slice(s, e));

let pb: RunningPocketBase;
let misconfigured: RunningPocketBase;
let stub: WeaviateSearchStub;
let w: World;
let contactA: string;
let contactB: string;
let jobA: string;
let jobB: string;
let jobC: string;

const drain = () => pb.admin.send("/api/hvac/sync/drain", { method: "POST" });

beforeAll(async () => {
  stub = await new WeaviateSearchStub(KEY).start();
  [pb, misconfigured] = await Promise.all([
    // SYNC_HTTP_TIMEOUT=1: the search waits 1 s for Weaviate (2 s unless the drain's timeout is shorter).
    startPocketBase({ env: { ...NO_SYNC, WEAVIATE_URL: stub.url, WEAVIATE_API_KEY: KEY, SYNC_HTTP_TIMEOUT: "1" } }),
    startPocketBase({ env: { ...NO_SYNC, WEAVIATE_URL: "weaviate.local:8080", WEAVIATE_API_KEY: "" } }),
  ]);
  w = await createWorld(pb);
  contactA = (await makeContact(w.dispatcher, { name: "Wspólnota Mokotów Dolna", district: "Mokotów" })).id;
  contactB = (await makeContact(w.dispatcher, { name: "Wspólnota Wola Górczewska", district: "Wola" })).id;
  const soon = new Date(Date.now() + 3_600_000).toISOString();
  jobA = (await makeJob(w.dispatcher, contactA, { title: "Przegląd klimatyzacji Daikin", description: "Coroczny", status: "scheduled", technicianId: w.ids.tech1, scheduledDate: soon })).id;
  jobB = (await makeJob(w.dispatcher, contactB, { title: "Serwis agregatu", description: "Urządzenie klimatyzacji nie chłodzi", status: "scheduled", technicianId: w.ids.tech2, scheduledDate: soon })).id;
  jobC = (await makeJob(w.dispatcher, contactA, { title: "Wymiana kotła", description: "Kocioł gazowy Vaillant" })).id;
  await drain();
  expect(stub.get("HvacJob", weaviateId("jobs", jobA))?.properties.pbId).toBe(jobA);
});
afterAll(async () => {
  stub?.release();
  await Promise.all([pb?.stop(), misconfigured?.stop()]);
  await stub?.close();
});

describe("search through Weaviate", () => {
  afterEach(() => stub.boost.clear());

  it("asks Weaviate once per search, with the key, and shows its order, its semantic hits too", async () => {
    // The stub puts jobB before jobA (FTS5 ranks jobA's title hit first) and finds jobC, which has
    // no word of the query (the vector half of a hybrid search does that).
    stub.boost.set(weaviateId("jobs", jobB), 1);
    stub.boost.set(weaviateId("jobs", jobC), 0.1);
    stub.clearLog();
    const a = await search(w.dispatcher, "klimatyzacji", { types: "jobs" });
    expect(a.source).toBe("weaviate");
    expect(a.fallback).toBeUndefined();
    expect(ids(a)).toEqual([jobB, jobA, jobC]);
    expect(stub.graphqlRequests()).toEqual([{ auth: `Bearer ${KEY}`, body: expect.any(String) }]);
    expect(stub.searches).toEqual([{ class: "HvacJob", query: "klimatyzacji", alpha: 0.5, limit: 40, answered: [jobB, jobA, jobC].map((id) => weaviateId("jobs", id)) }]);
    // Items are built as for FTS5 hits: title, marked snippet, details; rank = minus Weaviate's score.
    const [b, , c] = a.items;
    expect(b).toMatchObject({ type: "jobs", title: "Serwis agregatu" });
    expect(marked(b)).toEqual(["klimatyzacji"]);
    expect(c.title).toBe("Wymiana kotła");
    expect(marked(c)).toEqual([]);
    expect(a.items.map((i) => i.rank)).toEqual([-2, -1, -0.1]);

    // The same search when Weaviate fails: FTS5's own ranking and hits.
    stub.fail({ kind: "status", status: 503 });
    const f = await search(w.dispatcher, "klimatyzacji", { types: "jobs" });
    expect(f.source).toBe("fts5");
    expect(ids(f)).toEqual([jobA, jobB]);
  });

  it("every type in one GraphQL document, one hybrid query per class, limit per class", async () => {
    stub.clearLog();
    const a = await search(w.dispatcher, "wspólnota", { limit: "5" });
    expect(a.source).toBe("weaviate");
    expect(ids(a).sort()).toEqual([contactA, contactB].sort());
    expect(stub.graphqlRequests()).toHaveLength(1);
    expect(stub.searches.map((s) => [s.class, s.query, s.limit])).toEqual([
      ["HvacJob", "wspólnota", 10], ["HvacContact", "wspólnota", 10], ["HvacInvoice", "wspólnota", 10], ["HvacEquipmentPhoto", "wspólnota", 10],
    ]);
  });

  it("our rules decide: a technician does not see others' records even when Weaviate returns them", async () => {
    stub.clearLog();
    const a = await search(w.tech1, "klimatyzacji", { types: "jobs" });
    expect(stub.searches[0].answered).toEqual(expect.arrayContaining([weaviateId("jobs", jobA), weaviateId("jobs", jobB)]));
    expect(stub.searches[0].limit).toBe(100); // a wider window: most candidates are filtered out
    expect(a.source).toBe("weaviate");
    expect(ids(a)).toEqual([jobA]);

    stub.boost.set(weaviateId("jobs", jobC), 5); // a job without technician, ranked first by Weaviate
    expect(ids(await search(w.tech1, "klimatyzacji", { types: "jobs" }))).toEqual([jobA]);
    expect(ids(await search(w.tech2, "klimatyzacji", { types: "jobs" }))).toEqual([jobB]);
    stub.boost.clear();

    stub.clearLog();
    const c = await search(w.tech1, "wspólnota", { types: "contacts" });
    expect(stub.searches[0].answered).toHaveLength(2);
    expect(ids(c)).toEqual([contactA]);
  });

  it("drops records deleted here and objects that are not ours", async () => {
    const gone = (await makeJob(w.dispatcher, contactA, { title: "Montaż Fujitsu" })).id;
    const kept = (await makeJob(w.dispatcher, contactA, { title: "Serwis Fujitsu" })).id;
    await drain();
    await w.manager.collection("jobs").delete(gone); // Weaviate still has it until the next drain
    // An object with a valid id for a record this server never had; objects naming jobC that this
    // server did not write (a random id; the id of another record): none is shown.
    stub.put("HvacJob", weaviateId("jobs", "zzzzzzzzzzzzzzz"), { pbId: "zzzzzzzzzzzzzzz", title: "Fujitsu" });
    stub.put("HvacJob", "0b3c8f6e-2a41-4d7e-9f1a-6c5d4e3b2a19", { pbId: jobC, title: "Fujitsu" });
    stub.put("HvacJob", weaviateId("jobs", "yyyyyyyyyyyyyyy"), { pbId: jobC, title: "Fujitsu" });
    stub.clearLog();
    const a = await search(w.dispatcher, "fujitsu", { types: "jobs" });
    expect(stub.searches[0].answered).toHaveLength(5);
    expect(a.source).toBe("weaviate");
    expect(ids(a)).toEqual([kept]);
  });

  it("the query text cannot break out of its GraphQL string", async () => {
    const q = 'klimatyzacji "}) {pbId}} # \\ \n{Get{HvacUser{pbId}}} \\"';
    stub.clearLog();
    const a = await search(w.dispatcher, q, { types: "jobs" });
    expect(a.source).toBe("weaviate"); // the stub's parser (the spec's lexing) read the document
    expect(stub.searches.map((s) => s.class)).toEqual(["HvacJob"]);
    expect(stub.searches[0].query).toBe('klimatyzacji "}) {pbId}} # \\ {Get{HvacUser{pbId}}} \\"');
    expect(ids(a)).toContain(jobA);
  });
});

describe("records Weaviate does not have", () => {
  it("a record still waiting in the Weaviate outbox is found by FTS5, ahead of Weaviate's hits", async () => {
    const fresh = await makeJob(w.dispatcher, contactA, { title: "Przegląd klimatyzacji serwerowni", description: "Nowe zlecenie, jeszcze niewysłane" });
    expect(stub.get("HvacJob", weaviateId("jobs", fresh.id))).toBeUndefined();
    const a = await search(w.dispatcher, "klimatyzacji", { types: "jobs" });
    expect(a.source).toBe("weaviate");
    expect(ids(a)).toEqual(expect.arrayContaining([fresh.id, jobA, jobB]));
    expect(ids(a).indexOf(fresh.id)).toBeLessThan(Math.min(ids(a).indexOf(jobA), ids(a).indexOf(jobB)));
    await drain();
    expect(stub.get("HvacJob", weaviateId("jobs", fresh.id))?.properties.pbId).toBe(fresh.id);
    await w.manager.collection("jobs").delete(fresh.id); // the tests below expect the first three jobs only
    await drain();
  });

  it("nothing found in Weaviate: FTS5 answers, with the reason", async () => {
    const a = await search(w.dispatcher, "Vaillant", { types: "invoices" });
    expect(a.source).toBe("fts5");
    expect(a.fallback).toMatch(/^no hits/);
  });
});

describe("falls back to FTS5", () => {
  const errorsBody = JSON.stringify({ data: { Get: { HvacJob: null } }, errors: [{ message: "explorer: get class: could not vectorize input", locations: [{ line: 1, column: 7 }] }] });
  // Objects without pbId (a class created before the property existed, or by someone else).
  const noPbId = JSON.stringify({ data: { Get: { HvacJob: [{ _additional: { id: weaviateId("jobs", "xyz"), score: "0.9" } }] } } });
  const garbageScore = () => JSON.stringify({ data: { Get: { HvacJob: [{ pbId: jobA, _additional: { id: weaviateId("jobs", jobA), score: "high" } }] } } });

  it.each<[string, () => void | Promise<void>, RegExp, (() => Promise<void>)?]>([
    ["HTTP 500", () => stub.fail({ kind: "status", status: 500 }), /^http 500: stub answered 500$/],
    ["HTTP 503 (not JSON)", () => stub.fail({ kind: "status", status: 503, body: "upstream unavailable" }), /^http 503: upstream unavailable$/],
    ["HTTP 401 (a wrong API key)", () => stub.fail({ kind: "status", status: 401, body: '{"error":[{"message":"unauthorized: invalid api key"}]}' }), /^http 401: unauthorized: invalid api key$/],
    ["errors[] with HTTP 200", () => stub.fail({ kind: "status", status: 200, body: errorsBody }), /^errors: explorer: get class: could not vectorize input$/],
    ["an answer that is not JSON", () => stub.fail({ kind: "malformed" }), /^malformed: not JSON/],
    ["an answer of the wrong shape", () => stub.fail({ kind: "wrong-shape" }), /^malformed: data\.Get\.HvacJob: expected a list, got an object$/],
    ["objects without the record id", () => stub.fail({ kind: "status", status: 200, body: noPbId }), /^malformed: none of the 1 objects is usable .*pbId: expected a record id, got nothing/],
    ["a score that is no number", () => stub.fail({ kind: "status", status: 200, body: garbageScore() }), /^malformed: none of the 1 objects .*score: expected a number, got "high"/],
    // Refused, or (the race of a kept-alive connection the stub closed) closed without an answer.
    ["Weaviate down", () => stub.down(), /^unreachable: connection (refused|closed without an answer)$/, () => stub.up()],
  ])("%s", async (_, breakIt, reason, repair) => {
    await breakIt();
    try {
      const a = await search(w.dispatcher, "klimatyzacji", { types: "jobs" });
      expect(a.source).toBe("fts5");
      expect(a.fallback).toMatch(reason);
      expect(ids(a)).toEqual([jobA, jobB]);
    } finally {
      await repair?.();
    }
    // The next search uses Weaviate again.
    expect((await search(w.dispatcher, "klimatyzacji", { types: "jobs" })).source).toBe("weaviate");
  });

  it("a bad configuration: the variable named, FTS5 answers", async () => {
    const c = await makeContact(misconfigured.admin, { name: "Biuro Ochota" });
    const a = await search(misconfigured.admin, "ochota", { types: "contacts" });
    expect(a).toMatchObject({ source: "fts5", fallback: expect.stringMatching(/^configuration: WEAVIATE_URL: expected an http\(s\) URL/) });
    expect(ids(a)).toEqual([c.id]);
  });

  // Last: after a timeout Weaviate is left alone for 30 s.
  it("a timeout; then searches skip Weaviate for a while instead of waiting for it again", async () => {
    stub.fail({ kind: "hang" });
    const a = await search(w.tech1, "klimatyzacji", { types: "jobs" });
    expect(a).toMatchObject({ source: "fts5", fallback: "timeout: no answer within 1 s" });
    expect(ids(a)).toEqual([jobA]);
    const asked = stub.graphqlRequests().length;
    const b = await search(w.dispatcher, "klimatyzacji", { types: "jobs" });
    expect(b.source).toBe("fts5");
    expect(b.fallback).toMatch(/^paused: timeout: no answer within 1 s; Weaviate is tried again \d+ s from now$/);
    expect(ids(b)).toEqual([jobA, jobB]);
    expect(stub.graphqlRequests()).toHaveLength(asked);
  });
});
