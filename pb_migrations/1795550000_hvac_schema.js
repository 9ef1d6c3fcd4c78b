/// <reference path="../pb_data/types.d.ts" />
// The HVAC data model: users (extended), contacts, jobs, equipment_photos, invoices, realtime_events.
// Collection ids are fixed 15-character strings so relations are identical in every deployment.
// Field names follow the original design exactly (camelCase).

migrate((db) => {
  const dao = new Dao(db);

  const DISTRICTS = [
    "Bemowo", "Białołęka", "Bielany", "Mokotów", "Ochota", "Praga-Południe", "Praga-Północ", "Rembertów",
    "Śródmieście", "Targówek", "Ursus", "Ursynów", "Wawer", "Wesoła", "Wilanów", "Włochy", "Wola", "Żoliborz",
  ];
  const PRIORITIES = ["low", "medium", "high", "urgent"];

  // Role checks used in API rules. `@request.auth.role` is empty for anonymous and admin requests
  // (admins bypass rules entirely).
  const STAFF = '(@request.auth.role = "dispatcher" || @request.auth.role = "manager")';
  const MANAGER = '@request.auth.role = "manager"';
  const TECH = '@request.auth.role = "technician"';

  function f(name, type, options, extra) {
    return Object.assign(
      { system: false, id: "hvac_" + name.toLowerCase().slice(0, 20), name: name, type: type, required: false,
        presentable: false, unique: false, options: options || {} },
      extra || {},
    );
  }
  const text = (name, max, extra) => f(name, "text", { min: null, max: max, pattern: "" }, extra);
  const select = (name, values, maxSelect, extra) => f(name, "select", { maxSelect: maxSelect || 1, values: values }, extra);
  const number = (name, min, max, noDecimal, extra) => f(name, "number", { min: min, max: max, noDecimal: !!noDecimal }, extra);
  const date = (name) => f(name, "date", { min: "", max: "" });
  const json = (name, maxSize) => f(name, "json", { maxSize: maxSize || 20000 });
  const bool = (name) => f(name, "bool", {});
  const relation = (name, collectionId, extra) =>
    f(name, "relation", { collectionId: collectionId, cascadeDelete: false, minSelect: null, maxSelect: 1, displayFields: null }, extra);
  const file = (name, mimeTypes, maxSize) =>
    f(name, "file", { mimeTypes: mimeTypes, thumbs: ["100x100", "480x0"], maxSelect: 1, maxSize: maxSize, protected: true });

  // ---- users (the built-in auth collection, extended) ----
  const users = dao.findCollectionByNameOrId("_pb_users_auth_");
  users.schema.addField(new SchemaField(select("role", ["dispatcher", "technician", "manager"], 1, { required: true })));
  users.schema.addField(new SchemaField(text("phone", 30)));
  users.schema.addField(new SchemaField(select("districts", DISTRICTS, DISTRICTS.length)));
  users.schema.addField(new SchemaField(select("skills", ["installation", "maintenance", "repair", "inspection", "gas", "fgas"], 6)));
  users.schema.addField(new SchemaField(json("lastLocation", 2000)));
  users.listRule = `@request.auth.id != "" && (id = @request.auth.id || ${STAFF})`;
  users.viewRule = users.listRule;
  users.createRule = MANAGER;
  // Field-level limits (who may change role, districts, skills, lastLocation) live in the users hook.
  users.updateRule = `@request.auth.id != "" && (id = @request.auth.id || ${MANAGER})`;
  users.deleteRule = MANAGER;
  users.indexes = ["CREATE INDEX `idx_users_role` ON `users` (`role`)"];
  dao.saveCollection(users);

  // ---- contacts ----
  dao.saveCollection(new Collection({
    id: "hvaccontacts000",
    name: "contacts",
    type: "base",
    schema: [
      text("name", 200, { required: true, presentable: true }),
      f("email", "email", { exceptDomains: null, onlyDomains: null }),
      text("phone", 30),
      text("address", 300, { required: true }),
      select("district", DISTRICTS, 1, { required: true }),
      number("affluenceScore", 0, 100, true),
      select("propertyType", ["apartment", "house", "commercial"], 1, { required: true }),
      text("nip", 20),
      text("notes", 5000),
    ],
    indexes: [
      "CREATE INDEX `idx_contacts_name` ON `contacts` (`name`)",
      "CREATE INDEX `idx_contacts_phone` ON `contacts` (`phone`)",
      "CREATE INDEX `idx_contacts_district` ON `contacts` (`district`)",
      "CREATE INDEX `idx_contacts_property` ON `contacts` (`propertyType`)",
      "CREATE INDEX `idx_contacts_nip` ON `contacts` (`nip`)",
      "CREATE INDEX `idx_contacts_created` ON `contacts` (`created`)",
    ],
    listRule: `${STAFF} || (${TECH} && jobs_via_contactId.technicianId ?= @request.auth.id)`,
    viewRule: `${STAFF} || (${TECH} && jobs_via_contactId.technicianId ?= @request.auth.id)`,
    createRule: STAFF,
    updateRule: STAFF,
    deleteRule: MANAGER,
  }));

  // ---- jobs ----
  // status and priority are not `required` in the schema: the jobs hook fills their defaults, and
  // schema validation runs before hooks.
  dao.saveCollection(new Collection({
    id: "hvacjobs0000000",
    name: "jobs",
    type: "base",
    schema: [
      relation("contactId", "hvaccontacts000", { required: true }),
      text("title", 200, { required: true, presentable: true }),
      text("description", 5000),
      select("type", ["installation", "maintenance", "repair", "inspection"], 1, { required: true }),
      select("status", ["pending", "scheduled", "in_progress", "completed", "cancelled"], 1),
      select("priority", PRIORITIES, 1),
      text("priorityReason", 1000),
      date("scheduledDate"),
      date("startedAt"),
      date("completedDate"),
      relation("technicianId", "_pb_users_auth_"),
      json("coordinates", 500),
      number("estimatedDuration", 1, 10080, true),
      number("actualDuration", 0, 10080, true),
      text("notes", 5000),
      date("overdueEscalatedAt"),
    ],
    indexes: [
      "CREATE INDEX `idx_jobs_contact` ON `jobs` (`contactId`)",
      "CREATE INDEX `idx_jobs_technician_date` ON `jobs` (`technicianId`, `scheduledDate`)",
      "CREATE INDEX `idx_jobs_status_date` ON `jobs` (`status`, `scheduledDate`)",
      "CREATE INDEX `idx_jobs_scheduled` ON `jobs` (`scheduledDate`)",
      "CREATE INDEX `idx_jobs_priority` ON `jobs` (`priority`)",
      "CREATE INDEX `idx_jobs_type` ON `jobs` (`type`)",
      "CREATE INDEX `idx_jobs_created` ON `jobs` (`created`)",
      "CREATE INDEX `idx_jobs_completed` ON `jobs` (`completedDate`)",
    ],
    listRule: `${STAFF} || (${TECH} && technicianId = @request.auth.id)`,
    viewRule: `${STAFF} || (${TECH} && technicianId = @request.auth.id)`,
    createRule: STAFF,
    // Technicians may only touch status/actualDuration/notes of their own jobs: enforced in the jobs hook.
    updateRule: `${STAFF} || (${TECH} && technicianId = @request.auth.id)`,
    deleteRule: MANAGER,
  }));

  // ---- equipment_photos and invoices ----
  const ownJob = `${STAFF} || (${TECH} && jobId.technicianId = @request.auth.id)`;
  const ownJobOnCreate = `${STAFF} || (${TECH} && @request.data.jobId.technicianId = @request.auth.id)`;
  const IMAGES = ["image/jpeg", "image/png", "image/webp", "image/heic", "image/heif", "image/tiff"];

  dao.saveCollection(new Collection({
    id: "hvacphotos00000",
    name: "equipment_photos",
    type: "base",
    schema: [
      relation("jobId", "hvacjobs0000000"),
      relation("contactId", "hvaccontacts000"),
      file("file", IMAGES, 20 * 1024 * 1024),
      text("filename", 255),
      number("filesize", 0, null, true),
      text("mimetype", 100),
      text("description", 2000),
      json("aiAnalysis", 100000),
    ],
    indexes: [
      "CREATE INDEX `idx_photos_job` ON `equipment_photos` (`jobId`)",
      "CREATE INDEX `idx_photos_contact` ON `equipment_photos` (`contactId`)",
      "CREATE INDEX `idx_photos_created` ON `equipment_photos` (`created`)",
    ],
    listRule: ownJob,
    viewRule: ownJob,
    createRule: ownJobOnCreate,
    updateRule: STAFF,
    deleteRule: MANAGER,
  }));

  dao.saveCollection(new Collection({
    id: "hvacinvoices000",
    name: "invoices",
    type: "base",
    schema: [
      relation("jobId", "hvacjobs0000000"),
      relation("contactId", "hvaccontacts000"),
      file("file", IMAGES.concat(["application/pdf", "application/xml", "text/xml"]), 20 * 1024 * 1024),
      text("filename", 255),
      number("filesize", 0, null, true),
      text("mimetype", 100),
      text("description", 2000),
      json("ocrData", 200000),
      number("totalAmount", 0, null, false),
      select("status", ["pending", "processed", "paid"], 1),
    ],
    indexes: [
      "CREATE INDEX `idx_invoices_job` ON `invoices` (`jobId`)",
      "CREATE INDEX `idx_invoices_contact` ON `invoices` (`contactId`)",
      "CREATE INDEX `idx_invoices_status` ON `invoices` (`status`)",
      "CREATE INDEX `idx_invoices_created` ON `invoices` (`created`)",
    ],
    listRule: ownJob,
    viewRule: ownJob,
    createRule: ownJobOnCreate,
    updateRule: STAFF,
    deleteRule: MANAGER,
  }));

  // ---- realtime_events ----
  // Technicians see events targeted at everyone, at technicians, at them by id, or in a district
  // they serve. targetUsers is a JSON array of strings; the quotes make "all" match whole entries.
  const targeted =
    `${TECH} && (targetUsers ~ '"all"' || targetUsers ~ '"technician"' || targetUsers ~ @request.auth.id` +
    ` || (district != "" && @request.auth.districts:each ?= district))`;
  dao.saveCollection(new Collection({
    id: "hvacevents00000",
    name: "realtime_events",
    type: "base",
    schema: [
      select("type", ["job_update", "technician_location", "emergency_alert", "message"], 1, { required: true }),
      json("data", 20000),
      json("targetUsers", 20000),
      select("district", DISTRICTS, 1),
      select("priority", PRIORITIES, 1),
      bool("processed"),
      relation("acknowledgedBy", "_pb_users_auth_"),
      date("acknowledgedAt"),
      relation("jobId", "hvacjobs0000000"),
      relation("userId", "_pb_users_auth_"),
    ],
    indexes: [
      "CREATE INDEX `idx_events_type_created` ON `realtime_events` (`type`, `created`)",
      "CREATE INDEX `idx_events_district` ON `realtime_events` (`district`)",
      "CREATE INDEX `idx_events_processed` ON `realtime_events` (`processed`)",
      "CREATE INDEX `idx_events_job` ON `realtime_events` (`jobId`)",
      "CREATE INDEX `idx_events_user` ON `realtime_events` (`userId`)",
      "CREATE INDEX `idx_events_created` ON `realtime_events` (`created`)",
    ],
    listRule: `${STAFF} || (${targeted})`,
    viewRule: `${STAFF} || (${targeted})`,
    createRule: STAFF,
    // Acknowledging is the only change a non-admin may make; the events hook enforces it.
    updateRule: `${STAFF} || (${targeted})`,
    deleteRule: MANAGER,
  }));
}, (db) => {
  const dao = new Dao(db);
  for (const id of ["hvacevents00000", "hvacinvoices000", "hvacphotos00000", "hvacjobs0000000", "hvaccontacts000"]) {
    dao.deleteCollection(dao.findCollectionByNameOrId(id));
  }
  const users = dao.findCollectionByNameOrId("_pb_users_auth_");
  for (const name of ["role", "phone", "districts", "skills", "lastLocation"]) users.schema.removeField("hvac_" + name.toLowerCase());
  users.listRule = "id = @request.auth.id";
  users.viewRule = "id = @request.auth.id";
  users.createRule = "";
  users.updateRule = "id = @request.auth.id";
  users.deleteRule = "id = @request.auth.id";
  users.indexes = [];
  dao.saveCollection(users);
});
