/// <reference path="../pb_data/types.d.ts" />
// The sync outbox (issue 5): every create, update and delete of a synced collection is recorded by
// SQL triggers in the same statement as the change itself, so it is atomic on every write path (API,
// Admin panel, hooks, imports: if the outbox insert fails, the change fails) and costs no JS per write.
// The drain (pb_hooks/src/sync.ts) delivers the rows and deletes them only once delivered.
//
//   hvac_sync_targets  one row per destination ('convex', 'weaviate'); `enabled` is set from the
//                      environment at every start and every drain (pb_hooks/src/sync.ts). With both
//                      disabled (sync off) the triggers write nothing. Also the last success/failure.
//   hvac_outbox        one row per change and enabled target, in `seq` order: op 'upsert' | 'delete',
//                      `updated` (the change's clock: the record's `updated`, for a delete the time of
//                      the delete, never before the record's last `updated`), attempts / nextAttemptAt
//                      (epoch ms) / lastError, `dead` = parked after too many failures (retryable).
//   hvac_sync_apply    (collection, rid) of a change being applied FROM Convex: while a row is here the
//                      triggers queue that record for Weaviate but not back to Convex (no echo).
//   hvac_sync_state    small key/value rows: the drain lock (owner + expiry), the pull cursor.
//   sync_conflicts     (a collection) conflicts kept for review: a push Convex answered "conflict",
//                      a pulled change that lost or tied.
//
// The triggers name only `id`, `updated` (and `writeLock` of jobs): fields can be added or removed
// in the Admin panel freely. hvac_clock_<table> keeps a record's `updated` from going back.
migrate((db) => {
  const q = (sql) => db.newQuery(sql).execute();
  // Collection -> the targets it goes to (Weaviate holds only what search shows).
  const SOURCES = {
    contacts: ["convex", "weaviate"],
    jobs: ["convex", "weaviate"],
    invoices: ["convex", "weaviate"],
    equipment_photos: ["convex", "weaviate"],
    equipment: ["convex"],
  };
  const NOW_MS = "CAST(ROUND((julianday('now') - 2440587.5) * 86400000) AS INTEGER)";
  const NOW_PB = "strftime('%Y-%m-%d %H:%M:%fZ', 'now')";

  q(`CREATE TABLE hvac_sync_targets (
    name TEXT PRIMARY KEY NOT NULL,
    enabled INTEGER NOT NULL DEFAULT 0,
    lastSuccessAt INTEGER NOT NULL DEFAULT 0,
    lastFailureAt INTEGER NOT NULL DEFAULT 0,
    lastError TEXT NOT NULL DEFAULT '',
    delivered INTEGER NOT NULL DEFAULT 0
  )`);
  q(`CREATE TABLE hvac_outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    target TEXT NOT NULL,
    collection TEXT NOT NULL,
    rid TEXT NOT NULL,
    op TEXT NOT NULL CHECK (op IN ('upsert', 'delete')),
    updated TEXT NOT NULL DEFAULT '',
    createdAt INTEGER NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    nextAttemptAt INTEGER NOT NULL DEFAULT 0,
    lastError TEXT NOT NULL DEFAULT '',
    dead INTEGER NOT NULL DEFAULT 0
  )`);
  // The drain: due rows of a target in seq order. Delivery: the rows of one record up to a seq.
  q("CREATE INDEX hvac_outbox_due ON hvac_outbox (target, dead, seq, nextAttemptAt)");
  q("CREATE INDEX hvac_outbox_record ON hvac_outbox (target, collection, rid, seq)");
  q(`CREATE TABLE hvac_sync_apply (
    collection TEXT NOT NULL,
    rid TEXT NOT NULL,
    PRIMARY KEY (collection, rid)
  ) WITHOUT ROWID`);
  q(`CREATE TABLE hvac_sync_state (
    key TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL DEFAULT '',
    until INTEGER NOT NULL DEFAULT 0
  )`);

  // Until the hooks apply the full configuration (at start, before serving, and at every drain), a
  // target is on when its variable is set at all: recording a change that is never sent is
  // harmless, not recording one would lose it.
  const mode = String($os.getenv("SYNC_MODE") || "").trim().toLowerCase();
  const convexOn = mode !== "" && mode !== "off" ? 1 : 0;
  const weaviateOn = String($os.getenv("WEAVIATE_URL") || "").trim() !== "" ? 1 : 0;
  q(`INSERT INTO hvac_sync_targets (name, enabled) VALUES ('convex', ${convexOn}), ('weaviate', ${weaviateOn})`);

  for (const table of Object.keys(SOURCES)) {
    const targets = SOURCES[table].map((t) => `'${t}'`).join(", ");
    const insert = (op, row, updated) => `INSERT INTO hvac_outbox (target, collection, rid, op, updated, createdAt)
      SELECT t.name, '${table}', ${row}.id, '${op}', ${updated}, ${NOW_MS}
      FROM hvac_sync_targets t
      WHERE t.enabled = 1 AND t.name IN (${targets})
        AND NOT (t.name = 'convex' AND EXISTS (SELECT 1 FROM hvac_sync_apply a WHERE a.collection = '${table}' AND a.rid = ${row}.id));`;
    // jobs: the write lock's claim and release (pb_hooks/src/jobs.ts) change only writeLock and keep
    // `updated`; they are not changes. Every real save stamps a new `updated`.
    const when = table === "jobs" ? "WHEN new.updated IS NOT old.updated OR new.writeLock IS old.writeLock" : "";
    q(`CREATE TRIGGER hvac_outbox_${table}_ai AFTER INSERT ON ${table} BEGIN ${insert("upsert", "new", "new.updated")} END`);
    q(`CREATE TRIGGER hvac_outbox_${table}_au AFTER UPDATE ON ${table} ${when} BEGIN ${insert("upsert", "new", "new.updated")} END`);
    // A delete's clock: now, or the record's own `updated` when that is later (a version pulled from
    // a server whose clock runs ahead); on a tie a delete wins (compareVersions).
    q(`CREATE TRIGGER hvac_outbox_${table}_ad AFTER DELETE ON ${table} BEGIN ${insert("delete", "old", `max(${NOW_PB}, coalesce(old.updated, ''))`)} END`);
    // A record's clock never goes back: a save stamped before the stored `updated` (a version pulled
    // from a server whose clock runs ahead) gets the stored one + 1 ms, or last-writer-wins would let
    // this later edit lose on Convex.
    q(`CREATE TRIGGER hvac_clock_${table} AFTER UPDATE OF updated ON ${table} WHEN new.updated < old.updated BEGIN
      UPDATE ${table} SET updated = strftime('%Y-%m-%d %H:%M:%fZ', old.updated, '+0.001 seconds') WHERE id = new.id; END`);
  }

  // Conflicts for review: pushes Convex answered "conflict" and pulled changes that lost or tied.
  const dao = new Dao(db);
  const STAFF = '(@request.auth.role = "dispatcher" || @request.auth.role = "manager")';
  const f = (name, type, options, extra) => new SchemaField(Object.assign(
    { system: false, id: "hvac_" + name.toLowerCase().slice(0, 20), name: name, type: type, required: false, presentable: false, unique: false, options: options || {} },
    extra || {},
  ));
  const text = (name, max) => f(name, "text", { min: null, max: max, pattern: "" });
  const select = (name, values) => f(name, "select", { maxSelect: 1, values: values });
  dao.saveCollection(new Collection({
    id: "hvacsyncconfl00",
    name: "sync_conflicts",
    type: "base",
    schema: [
      text("recordCollection", 50),
      text("recordId", 64),
      select("target", ["convex"]),
      // push: our version lost on Convex (Convex keeps both in its own sync_conflicts);
      // pull: a change from Convex met a different local version.
      select("direction", ["push", "pull"]),
      select("winner", ["local", "remote"]),
      text("localUpdated", 40),
      text("remoteUpdated", 40),
      f("local", "json", { maxSize: 2000000 }),
      f("remote", "json", { maxSize: 2000000 }),
      text("note", 2000),
      f("resolved", "bool", {}),
    ],
    indexes: [
      "CREATE INDEX `idx_sync_conflicts_open` ON `sync_conflicts` (`resolved`, `created`)",
      "CREATE INDEX `idx_sync_conflicts_record` ON `sync_conflicts` (`recordCollection`, `recordId`)",
    ],
    listRule: STAFF,
    viewRule: STAFF,
    createRule: null,
    // Managers mark a conflict as reviewed; nothing else of it changes.
    updateRule: '@request.auth.role = "manager" && ' + ["recordCollection", "recordId", "target", "direction", "winner",
      "localUpdated", "remoteUpdated", "local", "remote", "note"].map((n) => `@request.data.${n}:isset = false`).join(" && "),
    deleteRule: null,
  }));
}, (db) => {
  const q = (sql) => db.newQuery(sql).execute();
  for (const table of ["contacts", "jobs", "invoices", "equipment_photos", "equipment"]) {
    for (const t of ["ai", "au", "ad"]) q(`DROP TRIGGER IF EXISTS hvac_outbox_${table}_${t}`);
    q(`DROP TRIGGER IF EXISTS hvac_clock_${table}`);
  }
  for (const t of ["hvac_outbox", "hvac_sync_targets", "hvac_sync_apply", "hvac_sync_state"]) q(`DROP TABLE IF EXISTS ${t}`);
  const dao = new Dao(db);
  try {
    dao.deleteCollection(dao.findCollectionByNameOrId("hvacsyncconfl00"));
  } catch (e) {
    // already gone
  }
});
