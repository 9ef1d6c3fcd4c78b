/// <reference path="../pb_data/types.d.ts" />
// Reading documents and the F-gas register (issue 4):
// - invoices: where reading the file stands (ocr*), the reviewed invoice fields as columns (the
//   raw reading with per-field confidence stays in ocrData), and when it was processed / paid;
// - equipment_photos: where reading the nameplate stands, and the unit it shows;
// - equipment: one row per unit at a customer's site, with the F-gas figures the hook computes
//   (CO2e, leak-check interval, next check) so the register sorts in SQL;
// - jobs.equipmentId: the unit a job is for (leak checks created from the register).
migrate((db) => {
  const dao = new Dao(db);
  const STAFF = '(@request.auth.role = "dispatcher" || @request.auth.role = "manager")';
  const MANAGER = '@request.auth.role = "manager"';
  const TECH = '@request.auth.role = "technician"';

  function f(name, type, options, extra) {
    return new SchemaField(Object.assign(
      { system: false, id: "hvac_" + name.toLowerCase().slice(0, 20), name: name, type: type, required: false,
        presentable: false, unique: false, options: options || {} },
      extra || {},
    ));
  }
  const text = (name, max, extra) => f(name, "text", { min: null, max: max, pattern: "" }, extra);
  const select = (name, values, extra) => f(name, "select", { maxSelect: 1, values: values }, extra);
  const number = (name, min, max, noDecimal) => f(name, "number", { min: min, max: max, noDecimal: !!noDecimal });
  const date = (name) => f(name, "date", { min: "", max: "" });
  const json = (name, maxSize) => f(name, "json", { maxSize: maxSize });
  const bool = (name) => f(name, "bool", {});
  const relation = (name, collectionId, extra) =>
    f(name, "relation", { collectionId: collectionId, cascadeDelete: false, minSelect: null, maxSelect: 1, displayFields: null }, extra);

  // waiting: to be read (new file, or retry asked); reading: a worker holds it until ocrLeaseUntil;
  // done: ocrData/aiAnalysis hold the reading; failed: ocrError says why (retry sets waiting again).
  const OCR_STATUSES = ["waiting", "reading", "done", "failed"];
  const ocrFields = () => [
    select("ocrStatus", OCR_STATUSES),
    text("ocrError", 2000),
    number("ocrAttempts", 0, 1000, true),
    date("ocrLeaseUntil"),
    date("ocrReadAt"),
  ];

  // ---- equipment ----
  dao.saveCollection(new Collection({
    id: "hvacequipment00",
    name: "equipment",
    type: "base",
    schema: [
      relation("contactId", "hvaccontacts000", { required: true }),
      text("location", 300),
      select("type", ["split", "multi_split", "vrf", "heat_pump", "chiller", "rooftop", "refrigeration", "ventilation", "other"], { required: true }),
      text("manufacturer", 100),
      text("model", 100, { presentable: true }),
      text("serialNumber", 100),
      text("refrigerant", 30),
      number("chargeKg", 0, 100000, false),
      date("installDate"),
      bool("hermeticallySealed"),
      bool("leakDetector"),
      date("lastLeakCheck"),
      date("lastLeakRepair"),
      text("notes", 5000),
      // Computed by the equipment hook from the fields above (never taken from a request).
      number("co2eTonnes", 0, null, false),
      number("checkIntervalMonths", 0, 120, true),
      date("nextCheckDate"),
      text("checkReason", 40),
    ],
    indexes: [
      "CREATE INDEX `idx_equipment_contact` ON `equipment` (`contactId`)",
      "CREATE INDEX `idx_equipment_next_check` ON `equipment` (`nextCheckDate`)",
      "CREATE INDEX `idx_equipment_serial` ON `equipment` (`serialNumber`)",
      "CREATE INDEX `idx_equipment_created` ON `equipment` (`created`)",
    ],
    // Technicians see the units at the sites of their jobs.
    listRule: `${STAFF} || (${TECH} && contactId.jobs_via_contactId.technicianId ?= @request.auth.id)`,
    viewRule: `${STAFF} || (${TECH} && contactId.jobs_via_contactId.technicianId ?= @request.auth.id)`,
    createRule: STAFF,
    updateRule: STAFF,
    deleteRule: MANAGER,
  }));

  // ---- jobs: the unit a job is for ----
  const jobs = dao.findCollectionByNameOrId("hvacjobs0000000");
  jobs.schema.addField(relation("equipmentId", "hvacequipment00"));
  jobs.indexes = jobs.indexes.concat(["CREATE INDEX `idx_jobs_equipment` ON `jobs` (`equipmentId`)"]);
  dao.saveCollection(jobs);

  // ---- equipment_photos ----
  const photos = dao.findCollectionByNameOrId("hvacphotos00000");
  for (const field of ocrFields()) photos.schema.addField(field);
  photos.schema.addField(relation("equipmentId", "hvacequipment00"));
  photos.indexes = photos.indexes.concat([
    "CREATE INDEX `idx_photos_ocr` ON `equipment_photos` (`ocrStatus`)",
    "CREATE INDEX `idx_photos_equipment` ON `equipment_photos` (`equipmentId`)",
  ]);
  dao.saveCollection(photos);

  // ---- invoices ----
  const invoices = dao.findCollectionByNameOrId("hvacinvoices000");
  for (const field of ocrFields()) invoices.schema.addField(field);
  // A correction invoice (faktura korygująca) can have a negative total to pay.
  invoices.schema.getFieldByName("totalAmount").options.min = null;
  const columns = [
    text("invoiceNumber", 100),
    date("issueDate"),
    date("saleDate"),
    date("dueDate"),
    text("sellerName", 300),
    text("sellerNip", 10),
    text("buyerNip", 10),
    text("currency", 3),
    // Amounts in the invoice currency (major units, 2 decimals), like totalAmount.
    number("netAmount", null, null, false),
    number("vatAmount", null, null, false),
    number("grossAmount", null, null, false),
    // [{ rate: "23", net, vat, gross }] in the same units.
    json("vatBreakdown", 5000),
    text("bankAccount", 26),
    bool("splitPayment"),
    date("processedAt"),
    relation("processedBy", "_pb_users_auth_"),
    date("paidAt"),
  ];
  for (const field of columns) invoices.schema.addField(field);
  invoices.indexes = invoices.indexes.concat([
    "CREATE INDEX `idx_invoices_ocr` ON `invoices` (`ocrStatus`)",
    "CREATE INDEX `idx_invoices_due` ON `invoices` (`dueDate`)",
    "CREATE INDEX `idx_invoices_seller_nip` ON `invoices` (`sellerNip`)",
    "CREATE INDEX `idx_invoices_number` ON `invoices` (`invoiceNumber`)",
  ]);
  dao.saveCollection(invoices);

  // Files already uploaded before this migration are read too.
  db.newQuery("UPDATE invoices SET ocrStatus = 'waiting' WHERE file != '' AND (ocrData IS NULL OR ocrData = '' OR ocrData = 'null')").execute();
  db.newQuery("UPDATE equipment_photos SET ocrStatus = 'waiting' WHERE file != '' AND (aiAnalysis IS NULL OR aiAnalysis = '' OR aiAnalysis = 'null')").execute();
}, (db) => {
  const dao = new Dao(db);
  const drop = (collectionId, names, indexPrefix) => {
    const c = dao.findCollectionByNameOrId(collectionId);
    for (const name of names) c.schema.removeField("hvac_" + name.toLowerCase().slice(0, 20));
    c.indexes = c.indexes.filter((i) => !indexPrefix.some((p) => i.indexOf(p) >= 0));
    dao.saveCollection(c);
  };
  const OCR = ["ocrStatus", "ocrError", "ocrAttempts", "ocrLeaseUntil", "ocrReadAt"];
  drop("hvacinvoices000", OCR.concat(["invoiceNumber", "issueDate", "saleDate", "dueDate", "sellerName", "sellerNip", "buyerNip",
    "currency", "netAmount", "vatAmount", "grossAmount", "vatBreakdown", "bankAccount", "splitPayment", "processedAt", "processedBy", "paidAt"]),
    ["idx_invoices_ocr", "idx_invoices_due", "idx_invoices_seller_nip", "idx_invoices_number"]);
  drop("hvacphotos00000", OCR.concat(["equipmentId"]), ["idx_photos_ocr", "idx_photos_equipment"]);
  drop("hvacjobs0000000", ["equipmentId"], ["idx_jobs_equipment"]);
  dao.deleteCollection(dao.findCollectionByNameOrId("hvacequipment00"));
});
