/// <reference path="../pb_data/types.d.ts" />
// Embedded search (issue 5): an SQLite FTS5 index over jobs, contacts, invoices and photos, kept
// in step by SQL triggers, so every write path (API, Admin panel, hooks, imports) updates it in
// the same statement as the change itself and no JS runs per write.
//
//   hvac_search_docs  one row per record: kind, record id, the text to index (ł/Ł folded to l/L;
//                     FTS5's unicode61 tokenizer with remove_diacritics 2 folds the other accents),
//                     and `owners`: the ids of the technicians whose view rule shows the record
//                     (a job's technician; the technicians of a contact's jobs; an invoice's or
//                     photo's job's technician)
//   hvac_search       FTS5 external-content index over hvac_search_docs (title weighs more)
//   hvac_search_queue the records changed since the index was last brought up to date
//   hvac_search_flush the SQL that brings it up to date, in order (written here, run by the hooks)
//
// The triggers only queue the record a write touches (and the records whose text or owners depend
// on it: a contact's jobs, a job's contact, invoices and photos), in the same statement as the
// change. The text is built and indexed in one transaction for the whole queue by every search
// before it queries (so a search never misses a committed write), by a cron every minute and by
// POST /api/hvac/maintenance/search-index (pb_hooks/src/search.ts flushSearchIndex). Building and
// indexing the text in each write's own statement cost about 0.6 ms of CPU per job write through
// the API (PocketBase prepares every statement anew, so SQLite compiled those large triggers each
// time, and FTS5 wrote a segment per transaction); queueing costs a fraction of that.
// hvac_search_docs and the index change only in a flush, so between flushes the index holds exactly
// what hvac_search_docs holds (what FTS5's 'delete' needs).
//
// Every query word is a prefix ("montaz" finds montażu, montażem). Prefixes of 2 to 8 letters are
// indexed: a longer prefix than the indexed lengths makes FTS5 merge the whole posting list of
// every word starting with it before it can return the newest matches ("montaz split" over
// 100,000 jobs: 17 ms in PocketBase's SQLite with 2 and 3 indexed, about 5 with 2 to 8). The index
// is about twice as large (some 90 MB per 100,000 jobs).
// A technician's search adds `owners : "<id>"` to the MATCH, so FTS5 intersects two posting lists
// instead of the query testing each match against the jobs table.
//
// The triggers and the flush SQL name only columns of our own schema. Removing one of those fields
// in the Admin panel fails while a trigger uses it: a migration that drops the field must first
// recreate the trigger (and the flush SQL) without it.
migrate((db) => {
  const q = (sql) => db.newQuery(sql).execute();
  // Folds ł/Ł (NFD has no decomposition for them, so the tokenizer keeps them).
  const F = (expr) => `replace(replace(coalesce(${expr}, ''), 'ł', 'l'), 'Ł', 'L')`;
  const join = (...parts) => parts.map((p) => `coalesce(${p}, '')`).join(" || ' ' || ");
  // A phone also as bare digits, and without the +48 country code: "601222333" finds "+48 601 222 333".
  const digits = (expr) => {
    let d = `coalesce(${expr}, '')`;
    for (const ch of [" ", "-", "+", ".", "(", ")"]) d = `replace(${d}, '${ch}', '')`;
    return `(${d} || ' ' || CASE WHEN length(${d}) = 11 AND substr(${d}, 1, 2) = '48' THEN substr(${d}, 3) ELSE '' END)`;
  };

  q(`CREATE TABLE hvac_search_docs (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    rid TEXT NOT NULL,
    title TEXT NOT NULL DEFAULT '',
    body TEXT NOT NULL DEFAULT '',
    owners TEXT NOT NULL DEFAULT '',
    UNIQUE (kind, rid)
  )`);
  q(`CREATE VIRTUAL TABLE hvac_search USING fts5(title, body, owners, content='hvac_search_docs', content_rowid='id', prefix='2 3 4 5 6 7 8', tokenize="unicode61 remove_diacritics 2")`);
  q("CREATE TABLE hvac_search_queue (kind TEXT NOT NULL, rid TEXT NOT NULL, PRIMARY KEY (kind, rid)) WITHOUT ROWID");
  q("CREATE TABLE hvac_search_flush (step INTEGER PRIMARY KEY, sql TEXT NOT NULL)");

  // Who may see a record besides staff (the view rules of pb_migrations/1795550000_hvac_schema.js and
  // 1795570000_documents.js for role technician), as ids separated by commas (the tokenizer splits them).
  const viaJob = (jobId) => `coalesce((SELECT j.technicianId FROM jobs j WHERE j.id = ${jobId}), '')`;
  const ofContact = (contactId) =>
    `coalesce((SELECT group_concat(DISTINCT j.technicianId) FROM jobs j WHERE j.contactId = ${contactId} AND j.technicianId != ''), '')`;
  // A contact's technicians are read from its jobs on every job write that changes them: an index that
  // answers without reading the job rows.
  // The flush reads a contact's technicians from its jobs: an index that answers without the job rows.
  q("CREATE INDEX idx_jobs_contact_technician ON jobs (contactId, technicianId)");

  // kind -> [table, the columns indexed, title expression, body expression, owners expression] over
  // the row `r`. Updates of other columns (status, writeLock, ...) do not touch the index.
  const SOURCES = {
    jobs: ["jobs", "title, description, notes, contactId, technicianId",
      (r) => F(`${r}.title`),
      (r) => F(join(`${r}.description`, `${r}.notes`,
        `(SELECT ${join("c.name", "c.address", "c.district", "c.phone", digits("c.phone"))} FROM contacts c WHERE c.id = ${r}.contactId)`)),
      (r) => `coalesce(${r}.technicianId, '')`],
    contacts: ["contacts", "name, address, district, phone, email, nip, notes",
      (r) => F(`${r}.name`),
      (r) => F(join(`${r}.address`, `${r}.district`, `${r}.phone`, digits(`${r}.phone`), `${r}.email`, `${r}.nip`, `${r}.notes`)),
      (r) => ofContact(`${r}.id`)],
    invoices: ["invoices", "invoiceNumber, sellerName, sellerNip, buyerNip, filename, description, ocrData, jobId",
      (r) => F(join(`${r}.invoiceNumber`, `${r}.sellerName`)),
      (r) => F(join(`${r}.sellerNip`, `${r}.buyerNip`, `${r}.filename`, `${r}.description`,
        `substr(json_extract(CASE WHEN json_valid(${r}.ocrData) THEN ${r}.ocrData ELSE 'null' END, '$.text'), 1, 4000)`)),
      (r) => viaJob(`${r}.jobId`)],
    photos: ["equipment_photos", "filename, description, aiAnalysis, jobId",
      (r) => F(`${r}.filename`),
      (r) => {
        const ai = `CASE WHEN json_valid(${r}.aiAnalysis) THEN ${r}.aiAnalysis ELSE 'null' END`;
        return F(join(`${r}.description`, `json_extract(${ai}, '$.fields.manufacturer.value')`, `json_extract(${ai}, '$.fields.model.value')`,
          `json_extract(${ai}, '$.fields.serialNumber.value')`, `json_extract(${ai}, '$.fields.refrigerant.value')`));
      },
      (r) => viaJob(`${r}.jobId`)],
  };

  // Queue a record: NOT EXISTS rather than INSERT OR IGNORE, because in a trigger fired by a statement
  // with a conflict clause (an upsert's DO UPDATE), SQLite applies the outer clause, OR IGNORE included.
  const enqueue = (kind, rid) => `INSERT INTO hvac_search_queue (kind, rid) SELECT '${kind}', ${rid}
    WHERE ${rid} IS NOT NULL AND ${rid} != '' AND NOT EXISTS (SELECT 1 FROM hvac_search_queue WHERE kind = '${kind}' AND rid = ${rid});`;
  const enqueueAll = (kind, select) => `INSERT INTO hvac_search_queue (kind, rid) SELECT '${kind}', x.id FROM (${select}) x
    WHERE NOT EXISTS (SELECT 1 FROM hvac_search_queue WHERE kind = '${kind}' AND rid = x.id);`;
  for (const kind of Object.keys(SOURCES)) {
    const [table, columns] = SOURCES[kind];
    q(`CREATE TRIGGER hvac_search_${kind}_ai AFTER INSERT ON ${table} BEGIN ${enqueue(kind, "new.id")} END`);
    q(`CREATE TRIGGER hvac_search_${kind}_au AFTER UPDATE OF ${columns} ON ${table} BEGIN ${enqueue(kind, "new.id")} END`);
    q(`CREATE TRIGGER hvac_search_${kind}_ad AFTER DELETE ON ${table} BEGIN ${enqueue(kind, "old.id")} END`);
  }
  // A contact's name, address and phone are part of its jobs' text (also when the contact arrives
  // after its jobs: a pull or an import saves without checking relations).
  q(`CREATE TRIGGER hvac_search_contact_jobs AFTER UPDATE OF name, address, district, phone ON contacts BEGIN
    ${enqueueAll("jobs", "SELECT id FROM jobs WHERE contactId = new.id")} END`);
  q(`CREATE TRIGGER hvac_search_contact_jobs_ai AFTER INSERT ON contacts BEGIN
    ${enqueueAll("jobs", "SELECT id FROM jobs WHERE contactId = new.id")} END`);
  // A job's technician is an owner of its contact, invoices and photos.
  const jobOwners = (job) => `${enqueue("contacts", `${job}.contactId`)}
    ${enqueueAll("invoices", `SELECT id FROM invoices WHERE jobId = ${job}.id`)}
    ${enqueueAll("photos", `SELECT id FROM equipment_photos WHERE jobId = ${job}.id`)}`;
  // (A job may arrive after its invoices and photos, in a pull or an import.)
  q(`CREATE TRIGGER hvac_search_job_owners_ai AFTER INSERT ON jobs WHEN new.technicianId != '' BEGIN
    ${jobOwners("new")} END`);
  q(`CREATE TRIGGER hvac_search_job_owners_au AFTER UPDATE OF technicianId, contactId ON jobs
    WHEN old.technicianId IS NOT new.technicianId OR old.contactId IS NOT new.contactId BEGIN
    ${jobOwners("old")} ${enqueue("contacts", "new.contactId")} END`);
  q(`CREATE TRIGGER hvac_search_job_owners_ad AFTER DELETE ON jobs BEGIN ${jobOwners("old")} END`);

  // The flush, in one transaction: take the queued records' current docs out of the index, rebuild
  // their docs from the records (a record gone has none), put them in, empty the queue.
  const flush = [
    `INSERT INTO hvac_search(hvac_search, rowid, title, body, owners)
      SELECT 'delete', d.id, d.title, d.body, d.owners FROM hvac_search_docs d
      JOIN hvac_search_queue q ON q.kind = d.kind AND q.rid = d.rid`,
    "DELETE FROM hvac_search_docs WHERE (kind, rid) IN (SELECT kind, rid FROM hvac_search_queue)",
  ];
  for (const kind of Object.keys(SOURCES)) {
    const [table, , title, body, owners] = SOURCES[kind];
    flush.push(`INSERT INTO hvac_search_docs (kind, rid, title, body, owners)
      SELECT '${kind}', r.id, ${title("r")}, ${body("r")}, ${owners("r")} FROM ${table} r
      WHERE r.id IN (SELECT rid FROM hvac_search_queue WHERE kind = '${kind}')`);
  }
  flush.push(`INSERT INTO hvac_search(rowid, title, body, owners)
      SELECT d.id, d.title, d.body, d.owners FROM hvac_search_docs d
      JOIN hvac_search_queue q ON q.kind = d.kind AND q.rid = d.rid`);
  flush.push("DELETE FROM hvac_search_queue");
  flush.forEach((sql, i) => db.newQuery("INSERT INTO hvac_search_flush (step, sql) VALUES ({:step}, {:sql})").bind({ step: i + 1, sql }).execute());

  // The records there already: queued and indexed now.
  for (const kind of Object.keys(SOURCES)) q(enqueueAll(kind, `SELECT id FROM ${SOURCES[kind][0]}`).replace(/;\s*$/, ""));
  flush.forEach(q);
}, (db) => {
  const q = (sql) => db.newQuery(sql).execute();
  for (const kind of ["jobs", "contacts", "invoices", "photos"]) {
    for (const t of ["ai", "au", "ad"]) q(`DROP TRIGGER IF EXISTS hvac_search_${kind}_${t}`);
  }
  q("DROP TRIGGER IF EXISTS hvac_search_contact_jobs");
  q("DROP TRIGGER IF EXISTS hvac_search_contact_jobs_ai");
  for (const t of ["ai", "au", "ad"]) q(`DROP TRIGGER IF EXISTS hvac_search_job_owners_${t}`);
  q("DROP INDEX IF EXISTS idx_jobs_contact_technician");
  q("DROP TABLE IF EXISTS hvac_search");
  q("DROP TABLE IF EXISTS hvac_search_queue");
  q("DROP TABLE IF EXISTS hvac_search_flush");
  q("DROP TABLE IF EXISTS hvac_search_docs");
});
