// Registrations only. PocketBase serialises each handler and runs it in an isolated VM, so a
// handler cannot see anything outside its own body: each one requires the bundle itself.
// (Compiled without bundling into pb_hooks/hvac.pb.js.)

type Hooks = typeof import("./index");

// Every collection: non-staff may not filter or sort through relations.
onRecordsListRequest((e) => {
  (require(`${__hooks}/lib/hvac.js`) as Hooks).guardListQuery(e);
});

onRealtimeBeforeSubscribeRequest((e) => {
  (require(`${__hooks}/lib/hvac.js`) as Hooks).guardSubscriptions(e);
});

onRecordBeforeCreateRequest((e) => {
  (require(`${__hooks}/lib/hvac.js`) as Hooks).filesBeforeCreate(e);
}, "equipment_photos", "invoices");
onRecordBeforeUpdateRequest((e) => {
  (require(`${__hooks}/lib/hvac.js`) as Hooks).filesBeforeUpdate(e);
}, "equipment_photos", "invoices");

onRecordBeforeCreateRequest((e) => {
  (require(`${__hooks}/lib/hvac.js`) as Hooks).contactsBeforeCreate(e);
}, "contacts");
onRecordBeforeUpdateRequest((e) => {
  (require(`${__hooks}/lib/hvac.js`) as Hooks).contactsBeforeUpdate(e);
}, "contacts");
onModelAfterUpdate((e) => {
  (require(`${__hooks}/lib/hvac.js`) as Hooks).contactsAfterWrite(e);
}, "contacts");
onModelAfterDelete((e) => {
  (require(`${__hooks}/lib/hvac.js`) as Hooks).contactsAfterWrite(e);
}, "contacts");

onRecordBeforeCreateRequest((e) => {
  (require(`${__hooks}/lib/hvac.js`) as Hooks).usersBeforeCreate(e);
}, "users");
onRecordBeforeUpdateRequest((e) => {
  (require(`${__hooks}/lib/hvac.js`) as Hooks).usersBeforeUpdate(e);
}, "users");
onRecordBeforeDeleteRequest((e) => {
  (require(`${__hooks}/lib/hvac.js`) as Hooks).usersBeforeDelete(e);
}, "users");

onRecordBeforeCreateRequest((e) => {
  (require(`${__hooks}/lib/hvac.js`) as Hooks).jobsBeforeCreate(e);
}, "jobs");
onRecordBeforeUpdateRequest((e) => {
  (require(`${__hooks}/lib/hvac.js`) as Hooks).jobsBeforeUpdate(e);
}, "jobs");
onModelAfterCreate((e) => {
  // Runs for every new job; only an urgent one needs the bundle (it raises the alert).
  if ((e.model as models.Record).getString("priority") !== "urgent") return;
  (require(`${__hooks}/lib/hvac.js`) as Hooks).jobsModelAfterCreate(e);
}, "jobs");
onModelBeforeUpdate((e) => {
  (require(`${__hooks}/lib/hvac.js`) as Hooks).jobsModelBeforeUpdate(e);
}, "jobs");

// The F-gas register: entries checked per request, computed columns on every save (model hooks).
onRecordBeforeCreateRequest((e) => {
  (require(`${__hooks}/lib/hvac.js`) as Hooks).equipmentBeforeCreate(e);
}, "equipment");
onRecordBeforeUpdateRequest((e) => {
  (require(`${__hooks}/lib/hvac.js`) as Hooks).equipmentBeforeUpdate(e);
}, "equipment");
onModelBeforeCreate((e) => {
  (require(`${__hooks}/lib/hvac.js`) as Hooks).equipmentModelBeforeSave(e);
}, "equipment");
onModelBeforeUpdate((e) => {
  (require(`${__hooks}/lib/hvac.js`) as Hooks).equipmentModelBeforeSave(e);
}, "equipment");
// A completed inspection job for a unit records its leak check (only those need the bundle).
onModelAfterCreate((e) => {
  const job = e.model as models.Record;
  if (job.getString("equipmentId") === "" || job.getString("status") !== "completed" || job.getString("type") !== "inspection") return;
  (require(`${__hooks}/lib/hvac.js`) as Hooks).recordInspection(e, true);
}, "jobs");
onModelAfterUpdate((e) => {
  const job = e.model as models.Record;
  if (job.getString("equipmentId") === "" || job.getString("status") !== "completed" || job.getString("type") !== "inspection") return;
  (require(`${__hooks}/lib/hvac.js`) as Hooks).recordInspection(e, false);
}, "jobs");
onModelAfterUpdate((e) => {
  // Only the property type changes a unit's figures (the residential exemption).
  const contact = e.model as models.Record;
  if (contact.originalCopy().getString("propertyType") === contact.getString("propertyType")) return;
  (require(`${__hooks}/lib/hvac.js`) as Hooks).equipmentAfterContactUpdate(e);
}, "contacts");

onRecordBeforeCreateRequest((e) => {
  (require(`${__hooks}/lib/hvac.js`) as Hooks).eventsBeforeCreate(e);
}, "realtime_events");
onRecordBeforeUpdateRequest((e) => {
  (require(`${__hooks}/lib/hvac.js`) as Hooks).eventsBeforeUpdate(e);
}, "realtime_events");

routerAdd("POST", "/api/hvac/location", (c) => {
  (require(`${__hooks}/lib/hvac.js`) as Hooks).postLocation(c);
}, $apis.requireRecordAuth("users"));

routerAdd("GET", "/api/hvac/config", (c) => {
  (require(`${__hooks}/lib/hvac.js`) as Hooks).getConfig(c);
}, $apis.requireRecordAuth("users"));

cronAdd("hvac_overdue_jobs", "*/5 * * * *", () => {
  (require(`${__hooks}/lib/hvac.js`) as Hooks).escalateOverdueJobs(Date.now());
});
cronAdd("hvac_prune_locations", "17 3 * * *", () => {
  (require(`${__hooks}/lib/hvac.js`) as Hooks).pruneLocationEvents(Date.now());
});

routerAdd("POST", "/api/hvac/maintenance/:task", (c) => {
  (require(`${__hooks}/lib/hvac.js`) as Hooks).runMaintenance(c);
}, $apis.requireAdminAuth());

// The OCR worker (src/ocr/worker.ts): claim waiting uploads under a lease, answer for them.
routerAdd("POST", "/api/hvac/ocr/claim", (c) => {
  (require(`${__hooks}/lib/hvac.js`) as Hooks).ocrClaim(c);
}, $apis.requireAdminAuth());
routerAdd("POST", "/api/hvac/ocr/finish", (c) => {
  (require(`${__hooks}/lib/hvac.js`) as Hooks).ocrFinish(c);
}, $apis.requireAdminAuth());

routerAdd("GET", "/api/hvac/search", (c) => {
  (require(`${__hooks}/lib/hvac.js`) as Hooks).getSearch(c);
}, $apis.requireAdminOrRecordAuth());
// Searches bring the index up to date themselves; this keeps the backlog small between them.
cronAdd("hvac_search_index", "* * * * *", () => {
  (require(`${__hooks}/lib/hvac.js`) as Hooks).flushSearchIndex();
});

// Sync outbox (issue 5): targets from the environment before serving, a drain every minute, admin routes.
onAfterBootstrap(() => {
  (require(`${__hooks}/lib/hvac.js`) as Hooks).syncBootstrap();
});
cronAdd("hvac_sync_drain", "* * * * *", () => {
  (require(`${__hooks}/lib/hvac.js`) as Hooks).drainFromCron();
});
routerAdd("POST", "/api/hvac/sync/drain", (c) => {
  (require(`${__hooks}/lib/hvac.js`) as Hooks).postSyncDrain(c);
}, $apis.requireAdminOrRecordAuth());
routerAdd("GET", "/api/hvac/sync/status", (c) => {
  (require(`${__hooks}/lib/hvac.js`) as Hooks).getSyncStatus(c);
}, $apis.requireAdminOrRecordAuth());
routerAdd("POST", "/api/hvac/sync/retry", (c) => {
  (require(`${__hooks}/lib/hvac.js`) as Hooks).postSyncRetry(c);
}, $apis.requireAdminOrRecordAuth());
routerAdd("POST", "/api/hvac/sync/backfill", (c) => {
  (require(`${__hooks}/lib/hvac.js`) as Hooks).postSyncBackfill(c);
}, $apis.requireAdminAuth());
