/// <reference path="../pb_data/types.d.ts" />
// Embedded search (issue 5): an SQLite FTS5 index over jobs, contacts, invoices and photos, kept
// in step by SQL triggers, so every write path (API, Admin panel, hooks, imports) updates it in
// the same statement as the change itself and no JS runs per write.
//
//   hvac_search_docs  one row per record: kind, record id, the text to index (ł/Ł folded to l/L;
//                     FTS5's unicode61 tokenizer with remove_diacritics 2 folds the other accents)
//   hvac_search       FTS5 external-content index over hvac_search_docs (title weighs more), with
//                     prefix indexes for 2 and 3 letters: every query word is a prefix query
//
// The triggers name only columns of our own schema. Removing one of those fields in the Admin
// panel fails while a trigger uses it: `npx hvac search-index --rebuild` recreates the triggers
// (see README, Search).
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
    UNIQUE (kind, rid)
  )`);
  q(`CREATE VIRTUAL TABLE hvac_search USING fts5(title, body, content='hvac_search_docs', content_rowid='id', prefix='2 3', tokenize="unicode61 remove_diacritics 2")`);
  q(`CREATE TRIGGER hvac_search_docs_ai AFTER INSERT ON hvac_search_docs BEGIN
    INSERT INTO hvac_search(rowid, title, body) VALUES (new.id, new.title, new.body); END`);
  q(`CREATE TRIGGER hvac_search_docs_ad AFTER DELETE ON hvac_search_docs BEGIN
    INSERT INTO hvac_search(hvac_search, rowid, title, body) VALUES ('delete', old.id, old.title, old.body); END`);
  q(`CREATE TRIGGER hvac_search_docs_au AFTER UPDATE ON hvac_search_docs BEGIN
    INSERT INTO hvac_search(hvac_search, rowid, title, body) VALUES ('delete', old.id, old.title, old.body);
    INSERT INTO hvac_search(rowid, title, body) VALUES (new.id, new.title, new.body); END`);

  // kind -> [table, the columns indexed, title expression, body expression] over the row `r`.
  // Updates of other columns (status, writeLock, ...) do not touch the index.
  const SOURCES = {
    jobs: ["jobs", "title, description, notes, contactId",
      (r) => F(`${r}.title`),
      (r) => F(join(`${r}.description`, `${r}.notes`,
        `(SELECT ${join("c.name", "c.address", "c.district", "c.phone", digits("c.phone"))} FROM contacts c WHERE c.id = ${r}.contactId)`))],
    contacts: ["contacts", "name, address, district, phone, email, nip, notes",
      (r) => F(`${r}.name`),
      (r) => F(join(`${r}.address`, `${r}.district`, `${r}.phone`, digits(`${r}.phone`), `${r}.email`, `${r}.nip`, `${r}.notes`))],
    invoices: ["invoices", "invoiceNumber, sellerName, sellerNip, buyerNip, filename, description, ocrData",
      (r) => F(join(`${r}.invoiceNumber`, `${r}.sellerName`)),
      (r) => F(join(`${r}.sellerNip`, `${r}.buyerNip`, `${r}.filename`, `${r}.description`,
        `substr(json_extract(CASE WHEN json_valid(${r}.ocrData) THEN ${r}.ocrData ELSE 'null' END, '$.text'), 1, 4000)`))],
    photos: ["equipment_photos", "filename, description, aiAnalysis",
      (r) => F(`${r}.filename`),
      (r) => {
        const ai = `CASE WHEN json_valid(${r}.aiAnalysis) THEN ${r}.aiAnalysis ELSE 'null' END`;
        return F(join(`${r}.description`, `json_extract(${ai}, '$.fields.manufacturer.value')`, `json_extract(${ai}, '$.fields.model.value')`,
          `json_extract(${ai}, '$.fields.serialNumber.value')`, `json_extract(${ai}, '$.fields.refrigerant.value')`));
      }],
  };

  for (const kind of Object.keys(SOURCES)) {
    const [table, columns, title, body] = SOURCES[kind];
    const upsert = `INSERT INTO hvac_search_docs (kind, rid, title, body) VALUES ('${kind}', new.id, ${title("new")}, ${body("new")})
      ON CONFLICT (kind, rid) DO UPDATE SET title = excluded.title, body = excluded.body
      WHERE hvac_search_docs.title IS NOT excluded.title OR hvac_search_docs.body IS NOT excluded.body;`;
    q(`CREATE TRIGGER hvac_search_${kind}_ai AFTER INSERT ON ${table} BEGIN ${upsert} END`);
    q(`CREATE TRIGGER hvac_search_${kind}_au AFTER UPDATE OF ${columns} ON ${table} BEGIN ${upsert} END`);
    q(`CREATE TRIGGER hvac_search_${kind}_ad AFTER DELETE ON ${table} BEGIN
      DELETE FROM hvac_search_docs WHERE kind = '${kind}' AND rid = old.id; END`);
    q(`INSERT INTO hvac_search_docs (kind, rid, title, body) SELECT '${kind}', r.id, ${title("r")}, ${body("r")} FROM ${table} r`);
  }
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
  q("DROP TABLE IF EXISTS hvac_search");
  q("DROP TABLE IF EXISTS hvac_search_docs");
});
