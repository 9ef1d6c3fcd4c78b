// The ACCESS MATRIX over HTTP against the real binary: every role x every collection x every
// operation, plus the field-level limits the hooks add (technician fields, roles, lastLocation,
// event acknowledging) and POST /api/hvac/location.
//
// Roles:
//   anon        not signed in
//   dispatcher  staff: all contacts and jobs
//   manager     staff, and the only role that deletes or changes roles
//   tech-own    tech1, the technician ASSIGNED to the job the target record belongs to
//               (for `users` the target IS tech1's own user record)
//   tech-other  tech2, a technician NOT assigned to that job
//
// "deny" per operation (PocketBase 0.22 filters lists and hides records a rule does not match):
//   list   -> 200 without the target record, or 4xx
//   view / update / delete -> 404 or 403, and the record is unchanged / still there
//   create -> 400 or 403, and no record was written
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import PocketBase, { ClientResponseError } from "pocketbase";
import { PNG_1X1, createWorld, failure, makeContact, makeJob, PASSWORD, type World } from "../helpers/fixtures";
import { startPocketBase, type RunningPocketBase } from "../helpers/pocketbase";

// ---------------------------------------------------------------------------------------------
// The table. One line per (collection, operation); columns are the five roles.
// ---------------------------------------------------------------------------------------------
type Role = "anon" | "dispatcher" | "manager" | "tech-own" | "tech-other";
type Collection = "users" | "contacts" | "jobs" | "equipment_photos" | "invoices" | "realtime_events";
type Op = "list" | "view" | "create" | "update" | "delete";
type Expect = "allow" | "deny";

const ROLE_COLUMNS: readonly Role[] = ["anon", "dispatcher", "manager", "tech-own", "tech-other"];
const A = "allow" as const;
const D = "deny" as const;

// prettier-ignore
const TABLE: ReadonlyArray<readonly [Collection, Op, Expect, Expect, Expect, Expect, Expect]> = [
  //  collection           op         anon dispatcher manager tech-own tech-other
  ["users",            "list",   D, A, A, A, D], // a technician sees only their own user record
  ["users",            "view",   D, A, A, A, D],
  ["users",            "create", D, D, A, D, D], // only managers create accounts
  ["users",            "update", D, D, A, A, D], // self (name) or a manager
  ["users",            "delete", D, D, A, D, D], // target: a throwaway technician

  ["contacts",         "list",   D, A, A, A, D], // target: the contact of tech1's job
  ["contacts",         "view",   D, A, A, A, D],
  ["contacts",         "create", D, A, A, D, D],
  ["contacts",         "update", D, A, A, D, D],
  ["contacts",         "delete", D, D, A, D, D], // target: a contact without jobs (a required relation blocks deletes)

  ["jobs",             "list",   D, A, A, A, D], // target: a job assigned to tech1
  ["jobs",             "view",   D, A, A, A, D],
  ["jobs",             "create", D, A, A, D, D],
  ["jobs",             "update", D, A, A, A, D], // body {notes}: a field technicians may change
  ["jobs",             "delete", D, D, A, D, D],

  ["equipment_photos", "list",   D, A, A, A, D], // target: a photo of tech1's job
  ["equipment_photos", "view",   D, A, A, A, D],
  ["equipment_photos", "create", D, A, A, A, D], // multipart with a real 1x1 PNG for tech1's job
  ["equipment_photos", "update", D, A, A, D, D],
  ["equipment_photos", "delete", D, D, A, D, D],

  ["invoices",         "list",   D, A, A, A, D], // target: an invoice of tech1's job
  ["invoices",         "view",   D, A, A, A, D],
  ["invoices",         "create", D, A, A, A, D], // same create rule as photos (schema: ownJobOnCreate)
  ["invoices",         "update", D, A, A, D, D],
  ["invoices",         "delete", D, D, A, D, D],

  ["realtime_events",  "list",   D, A, A, A, D], // target: a message with targetUsers [tech1]
  ["realtime_events",  "view",   D, A, A, A, D],
  ["realtime_events",  "create", D, A, A, D, D],
  ["realtime_events",  "update", D, A, A, A, D], // body {processed: true} = acknowledging
  ["realtime_events",  "delete", D, D, A, D, D],
];

interface Row {
  role: Role;
  collection: Collection;
  op: Op;
  expect: Expect;
}

const MATRIX: Row[] = TABLE.flatMap(([collection, op, ...cells]) =>
  cells.map((expect, i) => ({ role: ROLE_COLUMNS[i], collection, op, expect })),
);

// ---------------------------------------------------------------------------------------------
// World
// ---------------------------------------------------------------------------------------------
let pb: RunningPocketBase;
let w: World;
let contactA: string; // Mokotów, has jobA (tech1)
let contactB: string; // Wola, has jobB (tech2)
let jobA: string;
let jobB: string;
let photoA: string;
let invoiceA: string;
let eventA: string;
let seq = 0;

const tag = (what: string) => `acc-${what}-${++seq}-${Date.now().toString(36)}`;
const isoIn = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString();

// A real 1x1 PNG: PocketBase sniffs the bytes, so the MIME type check is genuine.
// prettier-ignore

function fileForm(fields: Record<string, string>): FormData {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  form.append("file", new Blob([PNG_1X1], { type: "image/png" }), "boiler.png");
  return form;
}

function clientOf(role: Role): PocketBase {
  return { anon: w.anon, dispatcher: w.dispatcher, manager: w.manager, "tech-own": w.tech1, "tech-other": w.tech2 }[role];
}

async function scheduledJob(contactId: string, technicianId: string, over: Record<string, unknown> = {}) {
  return makeJob(w.dispatcher, contactId, {
    status: "scheduled", technicianId, scheduledDate: isoIn(24 * 60), ...over,
  });
}

async function throwawayUser(role = "technician", districts: string[] = []) {
  const email = `${tag("user")}@hvac.test`;
  const rec = await pb.admin.collection("users").create({
    email, password: PASSWORD, passwordConfirm: PASSWORD, name: "Tymczasowy", role, districts,
  });
  return { id: rec.id, email };
}

async function signIn(email: string): Promise<PocketBase> {
  const c = pb.client();
  await c.collection("users").authWithPassword(email, PASSWORD);
  return c;
}

/** Status of an SDK call: 200/204 on success, the HTTP status on failure. */
async function attempt<T>(call: () => Promise<T>): Promise<{ status: number; value?: T; error?: ClientResponseError }> {
  try {
    const value = await call();
    return { status: value === true ? 204 : 200, value };
  } catch (err) {
    if (err instanceof ClientResponseError) return { status: err.status, error: err };
    throw err;
  }
}

/** Reads a record as admin; null when it does not exist. */
async function adminGet(collection: Collection, id: string) {
  try {
    return await pb.admin.collection(collection).getOne(id);
  } catch (err) {
    if (err instanceof ClientResponseError && err.status === 404) return null;
    throw err;
  }
}

// ---------------------------------------------------------------------------------------------
// How each collection is exercised
// ---------------------------------------------------------------------------------------------
interface Subject {
  /** The record list/view rows look for. */
  existing(): string;
  /** The record an update row changes (may be created fresh). */
  forUpdate(): Promise<string>;
  /** A fresh record a delete row removes. */
  forDelete(): Promise<string>;
  createBody(marker: string): Record<string, unknown> | FormData;
  /** How many records carry the marker (admin view): proves a denied create wrote nothing. */
  countMarked(marker: string): Promise<number>;
  updateBody(marker: string): Record<string, unknown>;
  /** Whether the record shows the update (admin view). */
  updated(record: Record<string, unknown>, marker: string): boolean;
}

async function countWhere(collection: Collection, filter: string, params: Record<string, unknown>) {
  const res = await pb.admin.collection(collection).getList(1, 1, { filter: pb.admin.filter(filter, params) });
  return res.totalItems;
}

const SUBJECTS: Record<Collection, Subject> = {
  users: {
    existing: () => w.ids.tech1,
    forUpdate: async () => w.ids.tech1,
    forDelete: async () => (await throwawayUser()).id,
    createBody: (m) => ({ email: `${m}@hvac.test`, password: PASSWORD, passwordConfirm: PASSWORD, name: m, role: "technician" }),
    countMarked: (m) => countWhere("users", "name = {:m}", { m }),
    updateBody: (m) => ({ name: m }),
    updated: (r, m) => r.name === m,
  },
  contacts: {
    existing: () => contactA,
    forUpdate: async () => contactA,
    forDelete: async () => (await makeContact(w.dispatcher, { name: tag("contact-del") })).id,
    createBody: (m) => ({ name: m, address: "ul. Testowa 1", district: "Mokotów", propertyType: "apartment" }),
    countMarked: (m) => countWhere("contacts", "name = {:m}", { m }),
    updateBody: (m) => ({ notes: m }),
    updated: (r, m) => r.notes === m,
  },
  jobs: {
    existing: () => jobA,
    forUpdate: async () => jobA,
    forDelete: async () => (await scheduledJob(contactA, w.ids.tech1)).id,
    createBody: (m) => ({ contactId: contactA, title: m, type: "maintenance" }),
    countMarked: (m) => countWhere("jobs", "title = {:m}", { m }),
    updateBody: (m) => ({ notes: m }),
    updated: (r, m) => r.notes === m,
  },
  equipment_photos: {
    existing: () => photoA,
    forUpdate: async () => photoA,
    forDelete: async () => (await w.dispatcher.collection("equipment_photos").create(fileForm({ jobId: jobA, contactId: contactA }))).id,
    createBody: (m) => fileForm({ jobId: jobA, contactId: contactA, description: m }),
    countMarked: (m) => countWhere("equipment_photos", "description = {:m}", { m }),
    updateBody: (m) => ({ description: m }),
    updated: (r, m) => r.description === m,
  },
  invoices: {
    existing: () => invoiceA,
    forUpdate: async () => invoiceA,
    forDelete: async () => (await w.dispatcher.collection("invoices").create(fileForm({ jobId: jobA, contactId: contactA }))).id,
    createBody: (m) => fileForm({ jobId: jobA, contactId: contactA, description: m }),
    countMarked: (m) => countWhere("invoices", "description = {:m}", { m }),
    updateBody: (m) => ({ description: m }),
    updated: (r, m) => r.description === m,
  },
  realtime_events: {
    existing: () => eventA,
    // Acknowledging is one-way, so every update row gets its own unacknowledged event.
    forUpdate: async () => (await messageFor([w.ids.tech1])).id,
    forDelete: async () => (await messageFor([w.ids.tech1])).id,
    createBody: (m) => ({ type: "message", targetUsers: [w.ids.tech1], data: { text: m } }),
    countMarked: (m) => countWhere("realtime_events", "data ~ {:m}", { m }),
    updateBody: () => ({ processed: true }),
    updated: (r) => r.processed === true,
  },
};

function messageFor(targetUsers: string[], over: Record<string, unknown> = {}) {
  return w.dispatcher.collection("realtime_events").create({
    type: "message", targetUsers, data: { text: tag("msg") }, ...over,
  });
}

beforeAll(async () => {
  pb = await startPocketBase();
  w = await createWorld(pb);
  contactA = (await makeContact(w.dispatcher, { name: "Klient techa 1", district: "Mokotów" })).id;
  contactB = (await makeContact(w.dispatcher, { name: "Klient techa 2", district: "Wola" })).id;
  jobA = (await scheduledJob(contactA, w.ids.tech1)).id;
  jobB = (await scheduledJob(contactB, w.ids.tech2)).id;
  photoA = (await w.dispatcher.collection("equipment_photos").create(fileForm({ jobId: jobA, contactId: contactA, description: "kocioł" }))).id;
  invoiceA = (await w.dispatcher.collection("invoices").create(fileForm({ jobId: jobA, contactId: contactA, description: "FV 1/2026" }))).id;
  eventA = (await messageFor([w.ids.tech1])).id;
});

afterAll(async () => {
  await pb?.stop();
});

// ---------------------------------------------------------------------------------------------
// The matrix
// ---------------------------------------------------------------------------------------------
describe("access matrix", () => {
  it.each(MATRIX)("$role $op $collection -> $expect", async ({ role, collection, op, expect: expected }) => {
    const client = clientOf(role);
    const subject = SUBJECTS[collection];
    const records = client.collection(collection);

    switch (op) {
      case "list": {
        const res = await attempt(() => records.getFullList({ batch: 500 }));
        const ids = (res.value ?? []).map((r) => r.id);
        if (expected === "allow") {
          expect(res.status).toBe(200);
          expect(ids).toContain(subject.existing());
        } else if (res.status === 200) {
          expect(ids).not.toContain(subject.existing());
        } else {
          expect([400, 401, 403, 404]).toContain(res.status);
        }
        break;
      }
      case "view": {
        const res = await attempt(() => records.getOne(subject.existing()));
        if (expected === "allow") {
          expect(res.status).toBe(200);
          expect(res.value!.id).toBe(subject.existing());
        } else {
          expect([403, 404]).toContain(res.status);
        }
        break;
      }
      case "create": {
        const marker = tag(`create-${collection}`);
        const res = await attempt(() => records.create(subject.createBody(marker)));
        if (expected === "allow") {
          expect(res.status, res.error?.message).toBe(200);
          expect(await subject.countMarked(marker)).toBe(1);
        } else {
          expect([400, 403]).toContain(res.status);
          expect(await subject.countMarked(marker)).toBe(0);
        }
        break;
      }
      case "update": {
        const id = await subject.forUpdate();
        const marker = tag(`update-${collection}`);
        const res = await attempt(() => records.update(id, subject.updateBody(marker)));
        const after = await adminGet(collection, id);
        if (expected === "allow") {
          expect(res.status, res.error?.message).toBe(200);
          expect(subject.updated(after!, marker)).toBe(true);
        } else {
          expect([403, 404]).toContain(res.status);
          expect(subject.updated(after!, marker)).toBe(false);
        }
        break;
      }
      case "delete": {
        const id = await subject.forDelete();
        const res = await attempt(() => records.delete(id));
        if (expected === "allow") {
          expect(res.status, res.error?.message).toBe(204);
          expect(await adminGet(collection, id)).toBeNull();
        } else {
          expect([403, 404]).toContain(res.status);
          expect(await adminGet(collection, id)).not.toBeNull();
        }
        break;
      }
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Field- and record-level rules the matrix cannot express
// ---------------------------------------------------------------------------------------------
describe("technicians and contacts", () => {
  it("a technician lists exactly the contacts of their own jobs", async () => {
    const tech1Contacts = (await w.tech1.collection("contacts").getFullList()).map((c) => c.id);
    expect(tech1Contacts).toContain(contactA);
    expect(tech1Contacts).not.toContain(contactB);
    const tech2Contacts = (await w.tech2.collection("contacts").getFullList()).map((c) => c.id);
    expect(tech2Contacts).toContain(contactB);
    expect(tech2Contacts).not.toContain(contactA);
  });

  it("a technician cannot open another technician's contact", async () => {
    expect((await failure(w.tech1.collection("contacts").getOne(contactB))).status).toBe(404);
    expect((await w.tech2.collection("contacts").getOne(contactB)).id).toBe(contactB);
  });

  it("a technician's job list holds only jobs assigned to them", async () => {
    const jobs = await w.tech1.collection("jobs").getFullList();
    expect(jobs.length).toBeGreaterThan(0);
    expect(jobs.every((j) => j.technicianId === w.ids.tech1)).toBe(true);
    expect(jobs.map((j) => j.id)).not.toContain(jobB);
  });

  it("expanding a contact's jobs shows a technician only their own jobs", async () => {
    const shared = await makeContact(w.dispatcher, { name: "Wspólnota Mieszkaniowa" });
    const mine = await scheduledJob(shared.id, w.ids.tech1);
    const theirs = await scheduledJob(shared.id, w.ids.tech2);
    const seen = await w.tech1.collection("contacts").getOne(shared.id, { expand: "jobs_via_contactId" });
    const expanded = (seen.expand?.jobs_via_contactId ?? []) as { id: string }[];
    expect(expanded.map((j) => j.id)).toEqual([mine.id]);
    expect(expanded.map((j) => j.id)).not.toContain(theirs.id);
  });

  // Regression (found by this suite, fixed): list filters may walk relations into records the rules hide, so a
  // technician can test any field of a hidden job or contact, one yes/no question at a time
  // (PocketBase 0.22 does not apply the related collection's rules inside a filter).
  const ORACLES = [
    {
      name: "jobs -> contactId.jobs_via_contactId.notes (another technician's job at a shared contact)",
      who: "tech1", collection: "jobs", scope: "contactId = {:c}", filter: "contactId.jobs_via_contactId.notes ?~ {:g}", secret: "kod do domofonu 4711",
    },
    {
      name: "realtime_events -> jobId.notes (the job behind a district alert, not assigned to tech2)",
      who: "tech2", collection: "realtime_events", scope: "jobId = {:j}", filter: "jobId.notes ~ {:g}", secret: "klucz pod wycieraczką",
    },
    {
      name: "realtime_events -> jobId.contactId.nip (a hidden contact's tax id)",
      who: "tech2", collection: "realtime_events", scope: "jobId = {:j}", filter: "jobId.contactId.nip = {:g}", secret: "5261040828",
    },
  ] as const;

  it.each(ORACLES)("a filter through $name reveals nothing", async (o) => {
    // The hidden data: a shared contact with a job for each technician, and an urgent Wola job,
    // assigned to nobody, at a contact tech2 cannot see (tech2 gets its alert: they serve Wola).
    const shared = await makeContact(w.dispatcher, { name: tag("oracle-shared"), district: "Mokotów" });
    await scheduledJob(shared.id, w.ids.tech1);
    await scheduledJob(shared.id, w.ids.tech2, { notes: "kod do domofonu 4711" });
    const secret = await makeContact(w.dispatcher, { name: tag("oracle-secret"), district: "Wola", nip: "526-104-08-28" });
    const hidden = await makeJob(w.dispatcher, secret.id, { description: "Pożar w kotłowni", notes: "klucz pod wycieraczką" });
    expect((await failure(w.tech2.collection("jobs").getOne(hidden.id))).status).toBe(404);
    expect((await failure(w.tech2.collection("contacts").getOne(secret.id))).status).toBe(404);

    const client = o.who === "tech1" ? w.tech1 : w.tech2;
    const params = { c: shared.id, j: hidden.id };
    // Precondition: the technician legitimately sees the record the filter starts from.
    const scoped = await client.collection(o.collection).getList(1, 200, { filter: client.filter(o.scope, params) });
    expect(scoped.totalItems).toBe(1);
    const ask = async (guess: string) => {
      const res = await attempt(() => client.collection(o.collection).getList(1, 200, {
        filter: client.filter(`${o.scope} && ${o.filter}`, { ...params, g: guess }),
      }));
      return res.status === 200 ? res.value!.totalItems : -res.status;
    };
    // Whatever the server does (refuse the filter, or ignore hidden records), the answer must not
    // depend on the hidden value.
    expect(await ask(o.secret)).toBe(await ask("nic-takiego-0000"));
  });

  it("technicians cannot create contacts or jobs", async () => {
    for (const tech of [w.tech1, w.tech2]) {
      const c = await failure(tech.collection("contacts").create({ name: "X", address: "Y", district: "Wola", propertyType: "house" }));
      expect(c.status).toBe(400);
      const j = await failure(tech.collection("jobs").create({ contactId: contactA, title: "X", type: "repair" }));
      expect(j.status).toBe(400);
    }
  });
});

describe("technician field limits on their own job", () => {
  it.each([
    ["notes", { notes: "Wymieniono uszczelkę" }, false],
    // A duration belongs to work that started (the lifecycle refuses one on a job not started).
    ["actualDuration", { actualDuration: 45 }, true],
    ["status in_progress", { status: "in_progress" }, false],
  ])("may change %s", async (_name, body, started) => {
    const job = await scheduledJob(contactA, w.ids.tech1);
    if (started) await w.tech1.collection("jobs").update(job.id, { status: "in_progress" });
    const updated = await w.tech1.collection("jobs").update(job.id, body);
    expect(updated).toMatchObject(body);
  });

  it("may start and then complete with notes and actualDuration", async () => {
    const job = await scheduledJob(contactA, w.ids.tech1);
    await w.tech1.collection("jobs").update(job.id, { status: "in_progress" });
    const done = await w.tech1.collection("jobs").update(job.id, { status: "completed", actualDuration: 80, notes: "OK" });
    expect(done).toMatchObject({ status: "completed", actualDuration: 80, notes: "OK" });
  });

  it.each([
    ["title", () => ({ title: "Nowy tytuł" })],
    ["priority", () => ({ priority: "urgent" })],
    ["technicianId", () => ({ technicianId: "" })],
    ["scheduledDate", () => ({ scheduledDate: "2030-01-01 10:00:00.000Z" })],
    ["contactId", () => ({ contactId: contactB })],
    ["description", () => ({ description: "inny opis" })],
  ])("may not change %s: 403 naming the field, job unchanged", async (field, body) => {
    const job = await scheduledJob(contactA, w.ids.tech1);
    const change = body();
    const err = await failure(w.tech1.collection("jobs").update(job.id, { notes: "razem z dozwolonym", ...change }));
    expect(err.status).toBe(403);
    expect(Object.keys(err.data)).toEqual([field]);
    expect(err.data[field].code).toBe("forbidden_field");
    const after = await pb.admin.collection("jobs").getOne(job.id);
    expect(after.notes).toBe("");
    expect(after[field]).toBe(job[field]);
  });

  it.each(["cancelled", "pending"])("may not move own job to %s (400 on status)", async (status) => {
    const job = await scheduledJob(contactA, w.ids.tech1);
    const err = await failure(w.tech1.collection("jobs").update(job.id, { status }));
    expect(err.status).toBe(400);
    expect(Object.keys(err.data)).toEqual(["status"]);
    expect(err.data.status.code).toBe("technician_move");
    expect((await pb.admin.collection("jobs").getOne(job.id)).status).toBe("scheduled");
  });

  it("may not touch another technician's job at all (404)", async () => {
    const err = await failure(w.tech1.collection("jobs").update(jobB, { notes: "nie moje" }));
    expect(err.status).toBe(404);
    expect((await pb.admin.collection("jobs").getOne(jobB)).notes).toBe("");
  });
});

describe("deleting is for managers only", () => {
  it.each(["contacts", "jobs", "equipment_photos", "invoices", "realtime_events", "users"] as const)(
    "dispatcher cannot delete from %s, manager can", async (collection) => {
      const subject = SUBJECTS[collection];
      const id = await subject.forDelete();
      expect([403, 404]).toContain((await failure(w.dispatcher.collection(collection).delete(id))).status);
      expect(await adminGet(collection, id)).not.toBeNull();
      expect(await w.manager.collection(collection).delete(id)).toBe(true);
      expect(await adminGet(collection, id)).toBeNull();
    },
  );

  it("a manager cannot delete a contact that still has jobs (required relation)", async () => {
    const err = await failure(w.manager.collection("contacts").delete(contactA));
    expect(err.status).toBe(400);
    expect(await adminGet("contacts", contactA)).not.toBeNull();
  });
});

describe("roles, districts and skills", () => {
  it("a dispatcher cannot change another user's role (record hidden from updates)", async () => {
    const user = await throwawayUser();
    const err = await failure(w.dispatcher.collection("users").update(user.id, { role: "manager" }));
    expect([403, 404]).toContain(err.status);
    expect((await adminGet("users", user.id))!.role).toBe("technician");
  });

  it("a manager can change a user's role, districts and skills", async () => {
    const user = await throwawayUser();
    const updated = await w.manager.collection("users").update(user.id, {
      role: "dispatcher", districts: ["Wola"], skills: ["gas"],
    });
    expect(updated).toMatchObject({ role: "dispatcher", districts: ["Wola"], skills: ["gas"] });
  });

  // Throwaway accounts (hashing a password costs ~0.25 s, so they are made once per role).
  const selves: Record<string, { id: string; client: PocketBase }> = {};
  beforeAll(async () => {
    for (const role of ["technician", "dispatcher", "manager"]) {
      const user = await throwawayUser(role, role === "technician" ? ["Wola"] : []);
      selves[role] = { id: user.id, client: await signIn(user.email) };
    }
  });

  it.each([
    ["technician", "role", { role: "manager" }],
    ["technician", "districts", { districts: ["Wola", "Mokotów", "Bemowo"] }],
    ["technician", "skills", { skills: ["gas", "fgas"] }],
    ["technician", "districts", { "districts+": "Mokotów" }],
    ["dispatcher", "role", { role: "manager" }],
    ["dispatcher", "districts", { districts: ["Wola"] }],
  ])("a %s cannot change their own %s (403 naming the field)", async (role, field, body) => {
    const self = selves[role];
    const before = await adminGet("users", self.id);
    const err = await failure(self.client.collection("users").update(self.id, body));
    expect(err.status).toBe(403);
    expect(Object.keys(err.data)).toEqual([field]);
    expect(err.data[field].code).toBe("forbidden_field");
    const after = await adminGet("users", self.id);
    expect({ role: after!.role, districts: after!.districts, skills: after!.skills })
      .toEqual({ role: before!.role, districts: before!.districts, skills: before!.skills });
  });

  // Regression (found by this suite, fixed): nobody changes their own role, managers included.
  it("a manager cannot change their own role either", async () => {
    const self = selves.manager;
    const res = await attempt(() => self.client.collection("users").update(self.id, { role: "technician" }));
    expect(res.status).toBe(403);
    expect((await adminGet("users", self.id))!.role).toBe("manager");
  });

  it.each(["technician", "dispatcher"])("a %s cannot delete their own account", async (role) => {
    const self = selves[role];
    expect((await failure(self.client.collection("users").delete(self.id))).status).toBe(404);
    expect(await adminGet("users", self.id)).not.toBeNull();
  });

  it("a technician can still edit harmless fields of their own profile", async () => {
    const me = await w.tech1.collection("users").update(w.ids.tech1, { phone: "+48 601 000 111" });
    expect(me.phone).toBe("+48 601 000 111");
  });
});

describe("lastLocation is written only by POST /api/hvac/location", () => {
  const fake = { lat: 52.23, lng: 21.01, at: "2026-01-01T00:00:00.000Z" };

  it("a technician cannot set their own lastLocation", async () => {
    const err = await failure(w.tech1.collection("users").update(w.ids.tech1, { lastLocation: fake }));
    expect(err.status).toBe(403);
    expect(err.data.lastLocation.code).toBe("forbidden_field");
  });

  it("a manager cannot set a technician's lastLocation", async () => {
    const err = await failure(w.manager.collection("users").update(w.ids.tech2, { lastLocation: fake }));
    expect(err.status).toBe(403);
    expect(err.data.lastLocation.code).toBe("forbidden_field");
  });

  it("a manager cannot create a user with a lastLocation", async () => {
    const email = `${tag("loc")}@hvac.test`;
    const err = await failure(w.manager.collection("users").create({
      email, password: PASSWORD, passwordConfirm: PASSWORD, role: "technician", lastLocation: fake,
    }));
    expect(err.status).toBe(403);
    expect(err.data.lastLocation.code).toBe("forbidden_field");
    expect(await countWhere("users", "email = {:email}", { email })).toBe(0);
  });

  it("the stored lastLocation is never the fake one", async () => {
    for (const id of [w.ids.tech1, w.ids.tech2]) {
      const u = await adminGet("users", id);
      expect(u!.lastLocation?.at).not.toBe(fake.at);
    }
  });
});

describe("equipment photos", () => {
  it("a technician uploads a photo for their own job, and it is a real stored PNG", async () => {
    const photo = await w.tech1.collection("equipment_photos").create(fileForm({ jobId: jobA, contactId: contactA, description: "tabliczka" }));
    expect(photo.jobId).toBe(jobA);
    expect(photo.file).toMatch(/\.png$/);
    expect((await w.tech1.collection("equipment_photos").getOne(photo.id)).id).toBe(photo.id);
  });

  it("a technician cannot upload a photo for another technician's job", async () => {
    const marker = tag("photo-other");
    const err = await failure(w.tech1.collection("equipment_photos").create(fileForm({ jobId: jobB, contactId: contactB, description: marker })));
    expect(err.status).toBe(400);
    expect(await countWhere("equipment_photos", "description = {:m}", { m: marker })).toBe(0);
  });

  it("the protected file itself is served to the job's technician only", async () => {
    const photo = await adminGet("equipment_photos", photoA);
    const fetchFile = async (c: PocketBase) => {
      const token = await c.files.getToken();
      return (await fetch(c.files.getUrl(photo!, photo!.file, { token }))).status;
    };
    expect(await fetchFile(w.tech1)).toBe(200);
    expect(await fetchFile(w.dispatcher)).toBe(200);
    expect([403, 404]).toContain(await fetchFile(w.tech2));
    expect([403, 404]).toContain((await fetch(w.anon.files.getUrl(photo!, photo!.file))).status);
  });

  it("photos and invoices of a job are visible to its technician only", async () => {
    const photoB = await w.dispatcher.collection("equipment_photos").create(fileForm({ jobId: jobB, contactId: contactB }));
    const invoiceB = await w.dispatcher.collection("invoices").create(fileForm({ jobId: jobB, contactId: contactB }));
    const ids = async (c: PocketBase, col: Collection) => (await c.collection(col).getFullList()).map((r) => r.id);
    expect(await ids(w.tech1, "equipment_photos")).toContain(photoA);
    expect(await ids(w.tech1, "equipment_photos")).not.toContain(photoB.id);
    expect(await ids(w.tech2, "equipment_photos")).toContain(photoB.id);
    expect(await ids(w.tech2, "equipment_photos")).not.toContain(photoA);
    expect(await ids(w.tech1, "invoices")).toContain(invoiceA);
    expect(await ids(w.tech1, "invoices")).not.toContain(invoiceB.id);
    expect(await ids(w.tech2, "invoices")).toContain(invoiceB.id);
    expect(await ids(w.tech2, "invoices")).not.toContain(invoiceA);
  });
});

describe("realtime_events visibility", () => {
  // targetUsers "$tech1" stands for tech1's id. Staff see everything; a manager is checked too.
  const VISIBILITY = [
    { name: 'targetUsers ["all"]', targetUsers: ["all"], district: "", tech1: true, tech2: true, dispatcher: true },
    { name: 'targetUsers ["technician"]', targetUsers: ["technician"], district: "", tech1: true, tech2: true, dispatcher: true },
    { name: "targetUsers [tech1 id]", targetUsers: ["$tech1"], district: "", tech1: true, tech2: false, dispatcher: true },
    { name: 'district Wola + ["manager"]', targetUsers: ["manager"], district: "Wola", tech1: false, tech2: true, dispatcher: true },
    { name: 'district Mokotów + ["manager"]', targetUsers: ["manager"], district: "Mokotów", tech1: true, tech2: false, dispatcher: true },
    { name: 'targetUsers ["dispatcher"]', targetUsers: ["dispatcher"], district: "", tech1: false, tech2: false, dispatcher: true },
    { name: 'targetUsers ["dispatcher","manager"]', targetUsers: ["dispatcher", "manager"], district: "", tech1: false, tech2: false, dispatcher: true },
  ];

  it.each(VISIBILITY)("$name -> tech1 $tech1, tech2 $tech2, dispatcher $dispatcher", async (row) => {
    const targetUsers = row.targetUsers.map((t) => (t === "$tech1" ? w.ids.tech1 : t));
    const ev = await messageFor(targetUsers, row.district ? { district: row.district } : {});
    const viewers = [["tech1", w.tech1, row.tech1], ["tech2", w.tech2, row.tech2], ["dispatcher", w.dispatcher, row.dispatcher], ["manager", w.manager, true]] as const;
    for (const [who, client, visible] of viewers) {
      const listed = (await client.collection("realtime_events").getFullList()).map((r) => r.id);
      expect(listed.includes(ev.id), `${who} list`).toBe(visible);
      const view = await attempt(() => client.collection("realtime_events").getOne(ev.id));
      expect(view.status, `${who} view`).toBe(visible ? 200 : 404);
    }
  });

  it("technicians cannot create realtime_events", async () => {
    const marker = tag("tech-event");
    const err = await failure(w.tech1.collection("realtime_events").create({ type: "message", targetUsers: ["all"], data: { text: marker } }));
    expect(err.status).toBe(400);
    expect(await countWhere("realtime_events", "data ~ {:m}", { m: marker })).toBe(0);
  });

  it("a targeted technician acknowledges; who and when are recorded by the server", async () => {
    const ev = await messageFor([w.ids.tech1]);
    const acked = await w.tech1.collection("realtime_events").update(ev.id, { processed: true });
    expect(acked.processed).toBe(true);
    expect(acked.acknowledgedBy).toBe(w.ids.tech1);
    expect(acked.acknowledgedAt).not.toBe("");
  });

  it("a technician not targeted cannot acknowledge (404)", async () => {
    const ev = await messageFor([w.ids.tech1]);
    expect((await failure(w.tech2.collection("realtime_events").update(ev.id, { processed: true }))).status).toBe(404);
    expect((await adminGet("realtime_events", ev.id))!.processed).toBe(false);
  });

  it.each([
    ["data", { data: { text: "podmienione" } }],
    ["targetUsers", { targetUsers: ["all"] }],
    ["acknowledgedBy", { acknowledgedBy: "" }],
    ["type", { type: "emergency_alert" }],
  ])("a targeted technician cannot change %s (403 naming it)", async (field, body) => {
    const ev = await messageFor([w.ids.tech1]);
    const err = await failure(w.tech1.collection("realtime_events").update(ev.id, { processed: true, ...body }));
    expect(err.status).toBe(403);
    expect(Object.keys(err.data)).toEqual([field]);
    expect(err.data[field].code).toBe("forbidden_field");
    const after = await adminGet("realtime_events", ev.id);
    expect(after!.processed).toBe(false);
    expect(after!.data).toEqual(ev.data);
  });

  it("staff cannot rewrite an event's data either", async () => {
    const ev = await messageFor([w.ids.tech1]);
    const err = await failure(w.dispatcher2.collection("realtime_events").update(ev.id, { data: { text: "x" } }));
    expect(err.status).toBe(403);
    expect(err.data.data.code).toBe("forbidden_field");
  });
});

describe("POST /api/hvac/location", () => {
  const post = (c: PocketBase, body: unknown) => c.send("/api/hvac/location", { method: "POST", body });

  it("a technician posts their own location: 200, lastLocation updated", async () => {
    const res = await post(w.tech1, { lat: 52.19, lng: 21.02, accuracy: 8 });
    expect(res.lastLocation).toMatchObject({ lat: 52.19, lng: 21.02, accuracy: 8 });
    expect(res.eventId).toMatch(/^[a-z0-9]{15}$/);
    const me = await adminGet("users", w.ids.tech1);
    expect(me!.lastLocation).toMatchObject({ lat: 52.19, lng: 21.02, accuracy: 8 });
    const ev = await adminGet("realtime_events", res.eventId);
    expect(ev).toMatchObject({ type: "technician_location", userId: w.ids.tech1 });
  });

  it("with their own userId it is fine too", async () => {
    const res = await post(w.tech1, { lat: 52.2, lng: 21.03, userId: w.ids.tech1 });
    expect(res.lastLocation).toMatchObject({ lat: 52.2, lng: 21.03 });
  });

  it("a dispatcher gets 403", async () => {
    const err = await failure(post(w.dispatcher, { lat: 52.2, lng: 21.0 }));
    expect(err.status).toBe(403);
    expect((await adminGet("users", w.ids.dispatcher))!.lastLocation).toBeNull();
  });

  it("a manager gets 403", async () => {
    expect((await failure(post(w.manager, { lat: 52.2, lng: 21.0 }))).status).toBe(403);
  });

  it("anonymous gets 401", async () => {
    expect((await failure(post(w.anon, { lat: 52.2, lng: 21.0 }))).status).toBe(401);
  });

  it("an admin gets 401 (the route requires a users record)", async () => {
    expect((await failure(post(pb.admin, { lat: 52.2, lng: 21.0 }))).status).toBe(401);
  });

  it("posting another user's userId is 403 and changes nobody's location", async () => {
    const before = await adminGet("users", w.ids.tech2);
    const err = await failure(post(w.tech1, { lat: 52.24, lng: 20.97, userId: w.ids.tech2 }));
    expect(err.status).toBe(403);
    expect(err.data.userId.code).toBe("forbidden_field");
    expect((await adminGet("users", w.ids.tech2))!.lastLocation).toEqual(before!.lastLocation);
    expect((await adminGet("users", w.ids.tech1))!.lastLocation).not.toMatchObject({ lat: 52.24, lng: 20.97 });
  });

  it("technicians never see each other's location events", async () => {
    const res = await post(w.tech2, { lat: 52.237, lng: 20.965 });
    expect((await failure(w.tech1.collection("realtime_events").getOne(res.eventId))).status).toBe(404);
    expect((await w.dispatcher.collection("realtime_events").getOne(res.eventId)).data.userId).toBe(w.ids.tech2);
  });
});
