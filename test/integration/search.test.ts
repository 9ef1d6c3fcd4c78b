// GET /api/hvac/search over the real PocketBase: the FTS5 index kept by triggers, diacritics,
// ranking, view rules per caller, and errors by parameter.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SHIPPED_VIEW_RULES, SEARCH_COLLECTIONS, SEARCH_TYPES } from "../../src/domain/search";
import { createWorld, failure, makeContact, makeJob, PNG_1X1, type World } from "../helpers/fixtures";
import { startPocketBase, type RunningPocketBase } from "../helpers/pocketbase";
import { hooksWithSqlRoute, queryJson, runSql } from "../helpers/sql-route";
import type PocketBase from "pocketbase";

let pb: RunningPocketBase;
let w: World;

interface Item { type: string; id: string; title: string; snippet: { text: string; marks: [number, number][] }; details: Record<string, unknown> }
interface Answer { items: Item[]; query: string[]; source: string; timings: { ruleChecks: number } }

const search = (client: PocketBase, q: string, extra: Record<string, string> = {}) =>
  client.send<Answer>("/api/hvac/search", { query: { q, ...extra } });
const ids = (a: Answer) => a.items.map((i) => i.id);

let kociol: string;
let ownJob: string;
let otherJob: string;
let contactZ: string;

beforeAll(async () => {
  pb = await startPocketBase({ hooksDir: hooksWithSqlRoute() });
  w = await createWorld(pb);
  const c1 = await makeContact(w.dispatcher, { name: "Wspólnota Żoliborz Łąkowa", address: "ul. Żołnierska 12, 01-234 Warszawa", district: "Żoliborz", phone: "+48 601 222 333" });
  contactZ = c1.id;
  const c2 = await makeContact(w.dispatcher, { name: "Biuro Wola", district: "Wola" });
  kociol = (await makeJob(w.dispatcher, c1.id, { title: "Wymiana kotła", description: "Kocioł gazowy Vaillant cieknie" })).id;
  ownJob = (await makeJob(w.dispatcher, c1.id, { title: "Przegląd klimatyzacji Daikin", status: "scheduled", technicianId: w.ids.tech1, scheduledDate: new Date(Date.now() + 3_600_000).toISOString() })).id;
  otherJob = (await makeJob(w.dispatcher, c2.id, { title: "Przegląd klimatyzacji Mitsubishi", status: "scheduled", technicianId: w.ids.tech2, scheduledDate: new Date(Date.now() + 3_600_000).toISOString() })).id;
});
afterAll(async () => {
  await pb?.stop();
});

describe("search", () => {
  it("finds without diacritics and in any case, with a marked snippet", async () => {
    const a = await search(w.dispatcher, "kociol", { types: "jobs" });
    expect(ids(a)).toEqual([kociol]);
    const hit = a.items[0];
    expect(hit).toMatchObject({ type: "jobs", title: "Wymiana kotła", titleMarks: [] });
    expect(hit.snippet.marks.map(([s, e]) => hit.snippet.text.slice(s, e))).toEqual(["Kocioł"]);
    const upper = (await search(w.dispatcher, "KOTŁA")).items.find((i) => i.id === kociol)!;
    expect(upper.title.slice(...(upper as unknown as { titleMarks: [number, number][] }).titleMarks[0])).toBe("kotła");
    expect(ids(await search(w.dispatcher, "zoliborz lakowa", { types: "contacts" }))).toEqual([contactZ]);
  });

  it("finds jobs by their contact's address and phone digits; ranks title hits first", async () => {
    expect(ids(await search(w.dispatcher, "zolnierska", { types: "jobs" })).sort()).toEqual([kociol, ownJob].sort());
    expect(ids(await search(w.dispatcher, "601222333", { types: "contacts" }))).toEqual([contactZ]);
    const ranked = await search(w.dispatcher, "klimatyzacji");
    expect(ranked.items.slice(0, 2).map((i) => i.id).sort()).toEqual([ownJob, otherJob].sort());
  });

  it("follows updates, contact renames and deletes", async () => {
    const job = await makeJob(w.dispatcher, contactZ, { title: "Pompa ciepła Panasonic" });
    expect(ids(await search(w.dispatcher, "panasonic"))).toEqual([job.id]);
    await w.dispatcher.collection("jobs").update(job.id, { title: "Pompa ciepła Viessmann" });
    expect(ids(await search(w.dispatcher, "panasonic"))).toEqual([]);
    expect(ids(await search(w.dispatcher, "viessmann"))).toEqual([job.id]);
    await w.dispatcher.collection("contacts").update(contactZ, { address: "ul. Marymoncka 5, 01-813 Warszawa" });
    expect(ids(await search(w.dispatcher, "marymoncka", { types: "jobs" }))).toContain(job.id);
    await w.manager.collection("jobs").delete(job.id);
    expect(ids(await search(w.dispatcher, "viessmann"))).toEqual([]);
  });

  it("shows a technician only what the API shows them", async () => {
    const a = await search(w.tech1, "klimatyzacji");
    expect(ids(a)).toEqual([ownJob]);
    expect(ids(await search(w.tech1, "kociol"))).toEqual([]);
    // The contact of their job is visible to them; another contact is not.
    expect(ids(await search(w.tech1, "zoliborz", { types: "contacts" }))).toEqual([contactZ]);
    expect(ids(await search(w.tech1, "biuro wola", { types: "contacts" }))).toEqual([]);
  });

  it("finds invoices by seller and by words of the read text", async () => {
    const form = new FormData();
    form.append("jobId", kociol);
    form.append("sellerName", "Chłodpol Hurtownia");
    form.append("file", new Blob([`<?xml version="1.0" encoding="UTF-8"?><Faktura/>`], { type: "application/xml" }), "fv-chlodpol.xml");
    const inv = await w.dispatcher.collection("invoices").create(form);
    expect(ids(await search(w.dispatcher, "chlodpol", { types: "invoices" }))).toEqual([inv.id]);
    await pb.admin.collection("invoices").update(inv.id, { ocrData: { text: "Sprężarka scroll Copeland ZR48" } });
    const hit = (await search(w.dispatcher, "sprezarka", { types: "invoices" })).items[0];
    expect(hit.id).toBe(inv.id);
    expect(hit.snippet.text).toContain("Sprężarka");
  });

  it("keeps a technician's records in step with assignments: reassigned, moved and deleted jobs", async () => {
    const soon = new Date(Date.now() + 7_200_000).toISOString();
    const cA = await makeContact(w.dispatcher, { name: "Serwisownia Tarchomin Pierwsza" });
    const cB = await makeContact(w.dispatcher, { name: "Serwisownia Tarchomin Druga" });
    const job = await makeJob(w.dispatcher, cA.id, { title: "Naprawa sprężarki Tarchomin", status: "scheduled", technicianId: w.ids.tech1, scheduledDate: soon });
    const form = new FormData();
    form.append("jobId", job.id);
    form.append("sellerName", "Tarchomin Chłód");
    form.append("file", new Blob([`<?xml version="1.0" encoding="UTF-8"?><Faktura/>`], { type: "application/xml" }), "fv-tarchomin.xml");
    const invoice = await w.dispatcher.collection("invoices").create(form);
    const photoForm = new FormData();
    photoForm.append("jobId", job.id);
    photoForm.append("contactId", cA.id);
    photoForm.append("description", "Tarchomin tabliczka");
    photoForm.append("file", new Blob([PNG_1X1], { type: "image/png" }), "tabliczka.png");
    const photo = await w.dispatcher.collection("equipment_photos").create(photoForm);
    const found = async (client: PocketBase) => ids(await search(client, "tarchomin")).sort();

    expect(await found(w.tech1)).toEqual([job.id, cA.id, invoice.id, photo.id].sort());
    expect(await found(w.tech2)).toEqual([]);
    await w.dispatcher.collection("jobs").update(job.id, { technicianId: w.ids.tech2 });
    expect(await found(w.tech1)).toEqual([]);
    expect(await found(w.tech2)).toEqual([job.id, cA.id, invoice.id, photo.id].sort());
    // The job moves to another customer: the first is no longer theirs, the second is.
    await w.dispatcher.collection("jobs").update(job.id, { contactId: cB.id });
    expect(await found(w.tech2)).toEqual([job.id, cB.id, invoice.id, photo.id].sort());
    await w.manager.collection("jobs").delete(job.id);
    expect(await found(w.tech2)).toEqual([]);
    expect((await found(w.dispatcher)).sort()).toEqual([cA.id, cB.id, invoice.id, photo.id].sort());
  });

  it("matches typed words in the text only, never in the technicians' ids the index keeps", async () => {
    expect(ids(await search(w.dispatcher, w.ids.tech1))).toEqual([]);
    expect(ids(await search(w.dispatcher, w.ids.tech1.slice(0, 4), { types: "jobs" }))).not.toContain(ownJob);
  });

  it("an invoice moved to another job goes with that job's technician", async () => {
    const soon = new Date(Date.now() + 7_200_000).toISOString();
    const c = await makeContact(w.dispatcher, { name: "Hurtownia Bielany" });
    const j1 = await makeJob(w.dispatcher, c.id, { title: "Wymiana filtra", status: "scheduled", technicianId: w.ids.tech1, scheduledDate: soon });
    const j2 = await makeJob(w.dispatcher, c.id, { title: "Wymiana filtra", status: "scheduled", technicianId: w.ids.tech2, scheduledDate: soon });
    const form = new FormData();
    form.append("jobId", j1.id);
    form.append("sellerName", "Filtrex Bielany");
    form.append("file", new Blob([`<?xml version="1.0" encoding="UTF-8"?><Faktura/>`], { type: "application/xml" }), "fv-filtrex.xml");
    const inv = await w.dispatcher.collection("invoices").create(form);
    expect(ids(await search(w.tech1, "filtrex"))).toEqual([inv.id]);
    await w.dispatcher.collection("invoices").update(inv.id, { jobId: j2.id });
    expect(ids(await search(w.tech1, "filtrex"))).toEqual([]);
    expect(ids(await search(w.tech2, "filtrex"))).toEqual([inv.id]);
  });

  it("a technician never sees a record by an index a moment old (reassigned after the flush)", async () => {
    const c = await makeContact(w.dispatcher, { name: "Kamienica Saska Kępa" });
    const job = await makeJob(w.dispatcher, c.id, { title: "Odpowietrzenie grzejników", status: "scheduled", technicianId: w.ids.tech1, scheduledDate: new Date(Date.now() + 7_200_000).toISOString() });
    expect(ids(await search(w.tech1, "odpowietrzenie"))).toEqual([job.id]);
    await w.dispatcher.collection("jobs").update(job.id, { technicianId: w.ids.tech2 });
    // The index still says tech1 (as if the reassignment committed between the flush and the query).
    const unqueued = await runSql(pb, "DELETE FROM hvac_search_queue");
    expect(unqueued).toBeGreaterThan(0);
    expect(ids(await search(w.tech1, "odpowietrzenie"))).toEqual([]);
    expect(ids(await search(w.tech1, "saska kepa"))).toEqual([]);
    // Back in step.
    await runSql(pb, `INSERT INTO hvac_search_queue (kind, rid) VALUES ('jobs', '${job.id}'), ('contacts', '${c.id}')`);
    expect(ids(await search(w.tech2, "odpowietrzenie"))).toEqual([job.id]);
  });

  it("brings the index up to date before every search, exactly: edits, owners, deletes", async () => {
    const queued = async () => (await queryJson<{ n: number }>(pb, "SELECT json_object('n', count(*)) AS j FROM hvac_search_queue")).n;
    const docs = async (rid: string) => (await queryJson<{ n: number }>(pb, `SELECT json_object('n', count(*)) AS j FROM hvac_search_docs WHERE rid = '${rid}'`)).n;
    // FTS5 compares the index with hvac_search_docs, term by term; fails on any difference.
    const intact = () => runSql(pb, "INSERT INTO hvac_search(hvac_search, rank) VALUES ('integrity-check', 1)");
    const c = await makeContact(w.dispatcher, { name: "Pracownia Anemometrów" });
    const a = await makeJob(w.dispatcher, c.id, { title: "Kalibracja anemometru" });
    expect(await queued()).toBeGreaterThan(0); // queued with the write, not yet indexed
    expect(ids(await search(w.dispatcher, "kalibracja"))).toEqual([a.id]);
    expect(await queued()).toBe(0);
    // Two edits between searches; the contact renamed (part of its jobs' text).
    await w.dispatcher.collection("jobs").update(a.id, { title: "Wzorcowanie anemometru" });
    await w.dispatcher.collection("jobs").update(a.id, { title: "Wzorcowanie wiatromierza" });
    await w.dispatcher.collection("contacts").update(c.id, { name: "Laboratorium Meteo" });
    expect(ids(await search(w.dispatcher, "kalibracja"))).toEqual([]);
    expect(ids(await search(w.dispatcher, "wiatromierza"))).toEqual([a.id]);
    expect(ids(await search(w.dispatcher, "laboratorium meteo")).sort()).toEqual([a.id, c.id].sort());
    expect(ids(await search(w.dispatcher, "anemometrow"))).toEqual([]);
    await intact();
    // Assigned between searches: the technician finds the job and its customer at once.
    await w.dispatcher.collection("jobs").update(a.id, { status: "scheduled", technicianId: w.ids.tech1, scheduledDate: new Date(Date.now() + 7_200_000).toISOString() });
    expect(ids(await search(w.tech1, "laboratorium")).sort()).toEqual([a.id, c.id].sort());
    // Deleted between searches: gone from the index and the docs.
    const b = await makeJob(w.dispatcher, c.id, { title: "Demontaż higrometru" });
    expect(ids(await search(w.dispatcher, "higrometru"))).toEqual([b.id]);
    await w.manager.collection("jobs").delete(b.id);
    const next = await makeJob(w.dispatcher, c.id, { title: "Montaż barometru" });
    expect(ids(await search(w.dispatcher, "higrometru"))).toEqual([]);
    expect(await docs(b.id)).toBe(0);
    expect(ids(await search(w.dispatcher, "barometru"))).toEqual([next.id]);
    await intact();
    // The cron's task (also run by hand after an import) indexes without a search.
    await w.dispatcher.collection("jobs").update(next.id, { title: "Montaż termometru" });
    const task = await pb.admin.send<{ changed: number }>("/api/hvac/maintenance/search-index", { method: "POST" });
    expect(task.changed).toBe(1);
    expect(await queued()).toBe(0);
    await intact();
    expect(ids(await search(w.dispatcher, "termometru"))).toEqual([next.id]);
  });

  it("answers bad parameters with 400 naming the parameter, and needs a login", async () => {
    expect((await failure(search(w.dispatcher, ""))).data.q.code).toBe("required");
    expect((await failure(search(w.dispatcher, "a", { types: "orders" }))).data.types.code).toBe("unknown_type");
    expect((await failure(search(w.dispatcher, "a", { limit: "500" }))).data.limit.code).toBe("out_of_range");
    expect((await failure(search(w.anon, "kociol"))).status).toBe(401);
    // Query syntax typed in is only words.
    expect((await search(w.dispatcher, '"kot* OR NEAR(')).query).toEqual(["kot", "or", "near"]);
  });

  // Last: these change the collections' rules.
  it("trusts the query's own filter only while the rules are the shipped ones; a changed rule is applied per hit", async () => {
    for (const t of SEARCH_TYPES) {
      expect((await pb.admin.collections.getOne(SEARCH_COLLECTIONS[t])).viewRule, t).toBe(SHIPPED_VIEW_RULES[t]);
    }
    const queries = ["klimatyzacji", "zoliborz", "przeglad", "tarchomin", "kociol"];
    const answers = async () => {
      const out: Answer[][] = [];
      for (const q of queries) out.push([await search(w.tech1, q), await search(w.dispatcher, q)]);
      return out;
    };
    const checks = (all: Answer[][]) => all.flat().reduce((n, a) => n + a.timings.ruleChecks, 0);
    const hitIds = (all: Answer[][]) => all.map((pair) => pair.map(ids));
    const shipped = await answers();
    expect(hitIds(shipped).flat(2).length).toBeGreaterThan(0);
    expect(checks(shipped)).toBe(0);
    // The same rules written differently: every hit is now checked by PocketBase, with the same answers.
    for (const t of SEARCH_TYPES) {
      await pb.admin.collections.update(SEARCH_COLLECTIONS[t], { viewRule: `(${SHIPPED_VIEW_RULES[t]})` });
    }
    const rewritten = await answers();
    expect(hitIds(rewritten)).toEqual(hitIds(shipped));
    expect(checks(rewritten)).toBe(hitIds(shipped).flat(2).length);
    // A rule an admin narrowed is obeyed: jobs for managers only.
    await pb.admin.collections.update("jobs", { viewRule: '@request.auth.role = "manager"' });
    expect(ids(await search(w.tech1, "klimatyzacji", { types: "jobs" }))).toEqual([]);
    expect(ids(await search(w.dispatcher, "klimatyzacji", { types: "jobs" }))).toEqual([]);
    expect(ids(await search(w.manager, "klimatyzacji", { types: "jobs" })).sort()).toEqual([ownJob, otherJob].sort());
    for (const t of SEARCH_TYPES) await pb.admin.collections.update(SEARCH_COLLECTIONS[t], { viewRule: SHIPPED_VIEW_RULES[t] });
  });
});
