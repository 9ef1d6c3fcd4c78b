/// <reference path="../pb_data/types.d.ts" />
// jobs.writeLock: a short-lived optimistic write lock (see claimVersion in pb_hooks/src/jobs.ts).
// PocketBase 0.22 saves records without a transaction; the lock lets exactly one of several racing
// writes of a job proceed. Cleared by the write's own save; a lock older than 30 s is stale.
migrate((db) => {
  const dao = new Dao(db);
  const jobs = dao.findCollectionByNameOrId("hvacjobs0000000");
  jobs.schema.addField(new SchemaField({
    system: false, id: "hvac_writelock", name: "writeLock", type: "text", required: false,
    presentable: false, unique: false, options: { min: null, max: 100, pattern: "" },
  }));
  dao.saveCollection(jobs);
}, (db) => {
  const dao = new Dao(db);
  const jobs = dao.findCollectionByNameOrId("hvacjobs0000000");
  jobs.schema.removeField("hvac_writelock");
  dao.saveCollection(jobs);
});
