// GET /api/hvac/search?q=...&types=jobs,contacts,invoices,photos&limit=20 for signed-in users:
// the FTS5 index (pb_migrations/1795580000_search.js) finds and ranks, then every hit is checked
// against its collection's view rule for the caller, so nobody sees a record the API would not
// show them. The parameters, the MATCH expression and the snippets come from src/domain/search.ts.
import { ftsMatch, ftsMatchOwned, parseSearchRequest, plainOwnerId, SEARCH_COLLECTIONS, SHIPPED_VIEW_RULES, snippet, type SearchType } from "../../src/domain/search";
import { failFields, queryRow, readJson, requestCtx, type Rec } from "./pb";
import { searchEngine } from "./search-weaviate";

/** How many of the newest matches are ranked (see getSearch). */
const RANK_WINDOW = 500;

interface Hit {
  kind: SearchType;
  rid: string;
  rank: number;
  /** Weaviate's object id (Weaviate hits only). */
  uuid?: string;
  /** Found by FTS5 next to Weaviate's hits (a record Weaviate does not have yet). */
  fts?: boolean;
}

interface Stored {
  text?: string;
  fields?: Record<string, { value?: unknown } | null>;
}

/** What the snippet is cut from: the record's own text, as the index has it (before folding). */
function snippetSource(kind: SearchType, r: Rec): string {
  const s = (f: string) => r.getString(f);
  switch (kind) {
    case "jobs":
      return [s("description"), s("notes")].join(" ");
    case "contacts":
      return [s("address"), s("district"), s("phone"), s("email"), s("nip"), s("notes")].join(" ");
    case "invoices": {
      const text = readJson<Stored>(r, "ocrData")?.text ?? "";
      return [s("sellerName"), s("sellerNip"), s("filename"), s("description"), typeof text === "string" ? text.slice(0, 4000) : ""].join(" ");
    }
    case "photos": {
      const fields = readJson<Stored>(r, "aiAnalysis")?.fields ?? {};
      const v = (k: string) => {
        const f = fields[k];
        return f && (typeof f.value === "string" || typeof f.value === "number") ? String(f.value) : "";
      };
      return [s("description"), v("manufacturer"), v("model"), v("serialNumber"), v("refrigerant")].join(" ");
    }
  }
}

function titleOf(kind: SearchType, r: Rec): string {
  switch (kind) {
    case "jobs":
      return r.getString("title");
    case "contacts":
      return r.getString("name");
    case "invoices":
      return [r.getString("invoiceNumber"), r.getString("sellerName")].filter((x) => x).join(" · ") || r.getString("filename");
    case "photos":
      return r.getString("filename");
  }
}

/** A few fields the dashboard shows next to a hit (what the record's own API would show). */
function detailsOf(kind: SearchType, r: Rec): Record<string, unknown> {
  switch (kind) {
    case "jobs":
      return { status: r.getString("status"), priority: r.getString("priority"), scheduledDate: r.getString("scheduledDate"), contactId: r.getString("contactId") };
    case "contacts":
      return { district: r.getString("district"), phone: r.getString("phone"), address: r.getString("address") };
    case "invoices":
      return { status: r.getString("status"), totalAmount: r.getFloat("totalAmount"), currency: r.getString("currency"), issueDate: r.getString("issueDate"), jobId: r.getString("jobId") };
    case "photos":
      return { jobId: r.getString("jobId"), equipmentId: r.getString("equipmentId") };
  }
}

/**
 * Brings the FTS5 index up to date for the records the triggers queued in hvac_search_queue: their
 * text is rebuilt and indexed in one transaction (one FTS5 segment for the lot), by the SQL the
 * migration keeps in hvac_search_flush (pb_migrations/1795580000_search.js). Returns how many
 * records were brought up to date.
 */
export function flushSearchIndex(): number {
  const dao = $app.dao();
  // EXISTS always answers a row: an error here is thrown, never taken for an empty queue.
  const waiting = new DynamicModel({ n: 0 });
  dao.db().newQuery("SELECT EXISTS (SELECT 1 FROM hvac_search_queue) AS n").one(waiting);
  if (!(waiting as unknown as { n: number }).n) return 0;
  const steps = arrayOf(new DynamicModel({ sql: "" }));
  dao.db().newQuery("SELECT sql FROM hvac_search_flush ORDER BY step").all(steps);
  let flushed = 0;
  // The first statement writes (no read first: a read would open the transaction on a snapshot that
  // a concurrent write can make stale before it upgrades). The last empties the queue: its count.
  dao.runInTransaction((tx) => {
    for (let i = 0; i < steps.length; i++) flushed = tx.db().newQuery((steps[i] as unknown as { sql: string }).sql).execute().rowsAffected();
  });
  return flushed;
}

/** The FTS5 hits: the RANK_WINDOW newest matches of `match` among `kinds`, best `n` first. */
function ftsHits(match: string, kinds: string, n: number, extra = ""): Hit[] {
  const rows = arrayOf(new DynamicModel({ kind: "", rid: "", rank: -0.5 }));
  $app.dao().db()
    .newQuery(
      `SELECT kind, rid, rank FROM (
         SELECT d.kind AS kind, d.rid AS rid, bm25(hvac_search, 4.0, 1.0, 0.0) AS rank FROM hvac_search
         JOIN hvac_search_docs d ON d.id = hvac_search.rowid
         WHERE hvac_search MATCH {:match} AND d.kind IN (${kinds}) ${extra}
         ORDER BY hvac_search.rowid DESC LIMIT {:window})
       ORDER BY rank LIMIT {:n}`,
    )
    .bind({ match, window: RANK_WINDOW, n })
    .all(rows);
  return rows as unknown as Hit[];
}

/** The ids among `ids` (bound, not spliced) that `sql` selects as `id` for technician `me`. */
function idsFor(sql: string, ids: string[], me: string): Record<string, true> {
  const out: Record<string, true> = {};
  if (!ids.length) return out;
  const params: Record<string, unknown> = { me };
  const names: string[] = [];
  for (let i = 0; i < ids.length; i++) {
    params[`p${i}`] = ids[i];
    names.push(`{:p${i}}`);
  }
  const rows = arrayOf(new DynamicModel({ id: "" }));
  $app.dao().db().newQuery(sql.replace("(:ids)", `(${names.join(",")})`)).bind(params).all(rows);
  for (let i = 0; i < rows.length; i++) out[(rows[i] as unknown as { id: string }).id] = true;
  return out;
}

/**
 * Which of the loaded records technician `me` may see by the shipped rules, read from the records
 * and the jobs table as they are now: the index's owners may be a moment old (a job reassigned
 * after the flush), so they only narrow the search, they never decide what is shown.
 */
function ownedNow(byKind: Record<string, Record<string, Rec>>, me: string): Record<string, Record<string, true>> {
  const jobIdsOf = (kind: string) => {
    const out: string[] = [];
    const recs = byKind[kind] ?? {};
    for (const id of Object.keys(recs)) if (recs[id].getString("jobId")) out.push(recs[id].getString("jobId"));
    return out;
  };
  const ownJobs = idsFor("SELECT id FROM jobs WHERE id IN (:ids) AND technicianId = {:me}", jobIdsOf("invoices").concat(jobIdsOf("photos")), me);
  const out: Record<string, Record<string, true>> = { jobs: {}, contacts: {}, invoices: {}, photos: {} };
  for (const kind of ["invoices", "photos"]) {
    const recs = byKind[kind] ?? {};
    for (const id of Object.keys(recs)) if (ownJobs[recs[id].getString("jobId")]) out[kind][id] = true;
  }
  const jobs = byKind["jobs"] ?? {};
  for (const id of Object.keys(jobs)) if (jobs[id].getString("technicianId") === me) out.jobs[id] = true;
  out.contacts = idsFor("SELECT DISTINCT contactId AS id FROM jobs WHERE contactId IN (:ids) AND technicianId = {:me}", Object.keys(byKind["contacts"] ?? {}), me);
  return out;
}

export function getSearch(c: echo.Context): void {
  const started = Date.now();
  const parsed = parseSearchRequest({ q: c.queryParam("q"), types: c.queryParam("types"), limit: c.queryParam("limit") });
  if (!parsed.value) failFields(parsed.errors, "Check the search parameters.");
  const req = parsed.value;
  const { actor, info } = requestCtx(c);
  const dao = $app.dao();

  // Ranking every match of a common word ("serwis" in 30,000 jobs) costs tens of ms, so the
  // RANK_WINDOW newest matches are ranked. Staff search everything; everyone else only the records
  // whose index `owners` name them (the relations of the technicians' view rules, kept by triggers).
  const kinds = req.types.map((t) => `'${t}'`).join(",");
  // Technicians with a generated (one-token) id search among their own records only; anyone else
  // who is not staff searches everything and every hit is checked against the rule.
  const ownerFilter = !actor.staff && actor.role === "technician" && plainOwnerId(actor.id);
  const match = ownerFilter ? ftsMatchOwned(req.words, actor.id) : ftsMatch(req.words);
  // With WEAVIATE_URL set Weaviate finds and ranks, FTS5 when it fails (pb_hooks/src/search-weaviate.ts);
  // loading, rules and snippets below are the same for both.
  const engine = searchEngine(c.queryParam("q"), req, actor.staff);
  flushSearchIndex(); // every committed write is found
  let hits: Hit[];
  if (!engine.hits) hits = ftsHits(match, kinds, req.limit * 2);
  else {
    // Records Weaviate does not have yet (waiting in its outbox) are found here, ahead of its hits.
    const waiting = ftsHits(match, kinds, req.limit, `AND EXISTS (SELECT 1 FROM hvac_outbox o WHERE o.target = 'weaviate' AND o.dead = 0
      AND o.collection = CASE d.kind WHEN 'photos' THEN 'equipment_photos' ELSE d.kind END AND o.rid = d.rid)`);
    const seen: Record<string, true> = {};
    hits = [];
    for (let i = 0; i < waiting.length; i++) {
      seen[`${waiting[i].kind}/${waiting[i].rid}`] = true;
      hits.push({ kind: waiting[i].kind, rid: waiting[i].rid, rank: waiting[i].rank, fts: true });
    }
    for (const h of engine.hits) if (!seen[`${h.kind}/${h.rid}`]) hits.push(h);
  }
  const matched = Date.now();

  // Records per collection in one query each, then the view rule per record.
  const byKind: Record<string, Record<string, Rec>> = {};
  for (let t = 0; t < req.types.length; t++) {
    const kind = req.types[t];
    const ids: string[] = [];
    for (let i = 0; i < hits.length; i++) if (hits[i].kind === kind) ids.push(hits[i].rid);
    const found: Record<string, Rec> = {};
    if (ids.length) {
      const records = dao.findRecordsByIds(SEARCH_COLLECTIONS[kind], ids);
      for (let i = 0; i < records.length; i++) {
        const r = records[i] as Rec;
        found[r.getId()] = r;
      }
    }
    byKind[kind] = found;
  }

  // Under the shipped rules a technician's hits are checked against the records as they are now.
  const owned = ownerFilter ? ownedNow(byKind, actor.id) : null;
  const loaded = Date.now();
  const items: Array<Record<string, unknown>> = [];
  let ruleChecks = 0;
  for (let i = 0; i < hits.length && items.length < req.limit; i++) {
    const h = hits[i];
    const record = byKind[h.kind]?.[h.rid];
    if (!record) continue; // deleted between the two queries
    // Under the shipped rules: staff see everything, a technician what ownedNow found. Anyone else,
    // or any collection whose rule was changed, per record against the rule as it is.
    // (viewRule is a Go *string: a wrapper object in goja, compared by its text.)
    const rule = record.collection().viewRule;
    const ruleText = rule === null || rule === undefined ? null : String(rule);
    const shipped = ruleText === SHIPPED_VIEW_RULES[h.kind];
    if (actor.admin || (shipped && actor.staff)) {
      // visible
    } else if (shipped && owned) {
      if (!owned[h.kind][h.rid]) continue;
    } else {
      ruleChecks++;
      if (ruleText === null || !dao.canAccessRecord(record, info, ruleText)) continue;
    }
    if (engine.hits && !h.fts && !engine.keep(h)) continue; // a Weaviate object this server did not write
    const title = titleOf(h.kind, record);
    items.push({
      type: h.kind,
      id: h.rid,
      title,
      titleMarks: snippet(title, req.words, title.length + 1).marks,
      snippet: snippet(snippetSource(h.kind, record).slice(0, 6000), req.words),
      details: detailsOf(h.kind, record),
      rank: h.rank,
    });
  }
  const done = Date.now();
  // Where the time went (make bench prints it): the FTS query, loading the records, rules + snippets,
  // and how many hits needed their view rule checked one by one.
  c.json(200, { query: req.words, items, source: engine.source, ...(engine.fallback ? { fallback: engine.fallback } : {}), tookMs: done - started, timings: { matchMs: matched - started, loadMs: loaded - matched, buildMs: done - loaded, ruleChecks } });
}
