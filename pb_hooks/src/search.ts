// GET /api/hvac/search?q=...&types=jobs,contacts,invoices,photos&limit=20 for signed-in users:
// the FTS5 index (pb_migrations/1795580000_search.js) finds and ranks, then every hit is checked
// against its collection's view rule for the caller, so nobody sees a record the API would not
// show them. The parameters, the MATCH expression and the snippets come from src/domain/search.ts.
import { ftsMatch, parseSearchRequest, SEARCH_COLLECTIONS, snippet, type SearchType } from "../../src/domain/search";
import { failFields, readJson, requestCtx, type Rec } from "./pb";

/** How many of the newest matches are ranked (see getSearch). */
const RANK_WINDOW = 500;
const RANK_WINDOW_OWN = 60;

interface Hit {
  kind: SearchType;
  rid: string;
  rank: number;
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

export function getSearch(c: echo.Context): void {
  const started = Date.now();
  const parsed = parseSearchRequest({ q: c.queryParam("q"), types: c.queryParam("types"), limit: c.queryParam("limit") });
  if (!parsed.value) failFields(parsed.errors, "Check the search parameters.");
  const req = parsed.value;
  const { actor, info } = requestCtx(c);
  const dao = $app.dao();

  // Ranking every match of a common word ("serwis" in 30,000 jobs) costs tens of ms, so the
  // newest matches are ranked: the RANK_WINDOW newest for staff (who may see everything); for
  // others the newest matches among their own records (the same relations as the view rules, as
  // a pre-filter: each hit is still checked against the rule below).
  const kinds = req.types.map((t) => `'${t}'`).join(",");
  const mine = actor.staff ? "" : `AND (
        (d.kind = 'jobs' AND EXISTS (SELECT 1 FROM jobs j WHERE j.id = d.rid AND j.technicianId = {:me}))
     OR (d.kind = 'contacts' AND EXISTS (SELECT 1 FROM jobs j WHERE j.contactId = d.rid AND j.technicianId = {:me}))
     OR (d.kind = 'invoices' AND EXISTS (SELECT 1 FROM invoices x JOIN jobs j ON j.id = x.jobId WHERE x.id = d.rid AND j.technicianId = {:me}))
     OR (d.kind = 'photos' AND EXISTS (SELECT 1 FROM equipment_photos x JOIN jobs j ON j.id = x.jobId WHERE x.id = d.rid AND j.technicianId = {:me})))`;
  const rows = arrayOf(new DynamicModel({ kind: "", rid: "", rank: -0.5 }));
  dao.db()
    .newQuery(
      `SELECT kind, rid, rank FROM (
         SELECT d.kind AS kind, d.rid AS rid, bm25(hvac_search, 4.0, 1.0) AS rank FROM hvac_search
         JOIN hvac_search_docs d ON d.id = hvac_search.rowid
         WHERE hvac_search MATCH {:match} AND d.kind IN (${kinds}) ${mine}
         ORDER BY hvac_search.rowid DESC LIMIT {:window})
       ORDER BY rank LIMIT {:n}`,
    )
    .bind({ match: ftsMatch(req.words), window: actor.staff ? RANK_WINDOW : RANK_WINDOW_OWN, n: req.limit * 2, me: actor.id })
    .all(rows);
  const hits = rows as unknown as Hit[];
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

  const loaded = Date.now();
  const items: Array<Record<string, unknown>> = [];
  for (let i = 0; i < hits.length && items.length < req.limit; i++) {
    const h = hits[i];
    const record = byKind[h.kind]?.[h.rid];
    if (!record) continue; // deleted between the two queries
    if (!actor.staff) {
      const rule = record.collection().viewRule;
      if (rule === null || rule === undefined || !dao.canAccessRecord(record, info, rule)) continue;
    }
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
  // Where the time went (make bench prints it): the FTS query, loading the records, rules + snippets.
  c.json(200, { query: req.words, items, source: "fts5", tookMs: done - started, timings: { matchMs: matched - started, loadMs: loaded - matched, buildMs: done - loaded } });
}
