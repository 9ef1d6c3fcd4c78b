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
//
// Every query word is a prefix ("montaz" finds montażu, montażem). Prefixes of 2 to 8 letters are
// indexed: a longer prefix than the indexed lengths makes FTS5 merge the whole posting list of
// every word starting with it before it can return the newest matches ("montaz split" over
// 100,000 jobs: 17 ms in PocketBase's SQLite with 2 and 3 indexed, about 5 with 2 to 8). The index
// is about twice as large (some 90 MB per 100,000 jobs); make bench prints the write cost.
// A technician's search adds `owners : "<id>"` to the MATCH, so FTS5 intersects two posting lists
// instead of the query testing each match against the jobs table.
//
// The triggers name only columns of our own schema. Removing one of those fields in the Admin
// panel fails while a trigger uses it: a migration that drops the field must first recreate the
// trigger without it.
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
  q(`CREATE TRIGGER hvac_search_docs_ai AFTER INSERT ON hvac_search_docs BEGIN
    INSERT INTO hvac_search(rowid, title, body, owners) VALUES (new.id, new.title, new.body, new.owners); END`);
  q(`CREATE TRIGGER hvac_search_docs_ad AFTER DELETE ON hvac_search_docs BEGIN
    INSERT INTO hvac_search(hvac_search, rowid, title, body, owners) VALUES ('delete', old.id, old.title, old.body, old.owners); END`);
  q(`CREATE TRIGGER hvac_search_docs_au AFTER UPDATE ON hvac_search_docs BEGIN
    INSERT INTO hvac_search(hvac_search, rowid, title, body, owners) VALUES ('delete', old.id, old.title, old.body, old.owners);
    INSERT INTO hvac_search(rowid, title, body, owners) VALUES (new.id, new.title, new.body, new.owners); END`);

  // Who may see a record besides staff (the view rules of pb_migrations/1795550000_hvac_schema.js and
  // 1795570000_documents.js for role technician), as ids separated by commas (the tokenizer splits them).
  const viaJob = (jobId) => `coalesce((SELECT j.technicianId FROM jobs j WHERE j.id = ${jobId}), '')`;
  const ofContact = (contactId) =>
    `coalesce((SELECT group_concat(DISTINCT j.technicianId) FROM jobs j WHERE j.contactId = ${contactId} AND j.technicianId != ''), '')`;
  // A contact's technicians are read from its jobs on every job write that changes them: an index that
  // answers without reading the job rows.
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

  for (const kind of Object.keys(SOURCES)) {
    const [table, columns, title, body, owners] = SOURCES[kind];
    const upsert = `INSERT INTO hvac_search_docs (kind, rid, title, body, owners) VALUES ('${kind}', new.id, ${title("new")}, ${body("new")}, ${owners("new")})
      ON CONFLICT (kind, rid) DO UPDATE SET title = excluded.title, body = excluded.body, owners = excluded.owners
      WHERE hvac_search_docs.title IS NOT excluded.title OR hvac_search_docs.body IS NOT excluded.body OR hvac_search_docs.owners IS NOT excluded.owners;`;
    q(`CREATE TRIGGER hvac_search_${kind}_ai AFTER INSERT ON ${table} BEGIN ${upsert} END`);
    q(`CREATE TRIGGER hvac_search_${kind}_au AFTER UPDATE OF ${columns} ON ${table} BEGIN ${upsert} END`);
    q(`CREATE TRIGGER hvac_search_${kind}_ad AFTER DELETE ON ${table} BEGIN
      DELETE FROM hvac_search_docs WHERE kind = '${kind}' AND rid = old.id; END`);
    q(`INSERT INTO hvac_search_docs (kind, rid, title, body, owners) SELECT '${kind}', r.id, ${title("r")}, ${body("r")}, ${owners("r")} FROM ${table} r`);
  }
  // A job's technician is an owner of its contact, invoices and photos: keep theirs when a job comes,
  // goes, or changes technician or contact.
  const contactOwners = (contactId) => `UPDATE hvac_search_docs SET owners = ${ofContact("hvac_search_docs.rid")}
    WHERE kind = 'contacts' AND rid = ${contactId} AND owners IS NOT ${ofContact("hvac_search_docs.rid")};`;
  const jobOwners = (jobId, owner) => `
    UPDATE hvac_search_docs SET owners = ${owner} WHERE kind = 'invoices' AND rid IN (SELECT id FROM invoices WHERE jobId = ${jobId});
    UPDATE hvac_search_docs SET owners = ${owner} WHERE kind = 'photos' AND rid IN (SELECT id FROM equipment_photos WHERE jobId = ${jobId});`;
  q(`CREATE TRIGGER hvac_search_job_owners_ai AFTER INSERT ON jobs WHEN new.technicianId != '' BEGIN
    ${contactOwners("new.contactId")} END`);
  q(`CREATE TRIGGER hvac_search_job_owners_au AFTER UPDATE OF technicianId, contactId ON jobs
    WHEN old.technicianId IS NOT new.technicianId OR old.contactId IS NOT new.contactId BEGIN
    ${contactOwners("old.contactId")} ${contactOwners("new.contactId")} ${jobOwners("new.id", "coalesce(new.technicianId, '')")} END`);
  q(`CREATE TRIGGER hvac_search_job_owners_ad AFTER DELETE ON jobs BEGIN
    ${contactOwners("old.contactId")} ${jobOwners("old.id", "''")} END`);
  // A contact's name, address and phone are part of its jobs' text.
  q(`CREATE TRIGGER hvac_search_contact_jobs AFTER UPDATE OF name, address, district, phone ON contacts BEGIN
    UPDATE hvac_search_docs SET body = (SELECT ${SOURCES.jobs[3]("j")} FROM jobs j WHERE j.id = hvac_search_docs.rid)
    WHERE kind = 'jobs' AND rid IN (SELECT id FROM jobs WHERE contactId = new.id); END`);
}, (db) => {
  const q = (sql) => db.newQuery(sql).execute();
  for (const kind of ["jobs", "contacts", "invoices", "photos"]) {
    for (const t of ["ai", "au", "ad"]) q(`DROP TRIGGER IF EXISTS hvac_search_${kind}_${t}`);
  }
  q("DROP TRIGGER IF EXISTS hvac_search_contact_jobs");
  for (const t of ["ai", "au", "ad"]) q(`DROP TRIGGER IF EXISTS hvac_search_job_owners_${t}`);
  q("DROP INDEX IF EXISTS idx_jobs_contact_technician");
  q("DROP TABLE IF EXISTS hvac_search");
  q("DROP TABLE IF EXISTS hvac_search_docs");
});
