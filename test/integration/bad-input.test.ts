// Bad input over raw HTTP against the real binary: a battery of known-bad requests (each must be
// a 400 naming the offending field, or the 401/403/404 of an access matter), a seeded fuzz loop
// (no request body may produce a 5xx), and a final check that the valid records created before
// all this are intact.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type PocketBase from "pocketbase";
import { createWorld, makeContact, makeJob, PASSWORD, type World } from "../helpers/fixtures";
import { startPocketBase, type RunningPocketBase } from "../helpers/pocketbase";
import { createRng } from "../../src/demo/generate";

type Who = "anon" | "admin" | "dispatcher" | "manager" | "tech1";
type Method = "GET" | "POST" | "PATCH";

interface Reply {
  status: number;
  body: { code?: number; message?: string; data?: Record<string, { code: string; message: string }> } & Record<string, unknown>;
  text: string;
}

let pb: RunningPocketBase;
let w: World;
const ids = {
  contact: "", // valid Mokotów contact used by job bodies
  job: "", // PATCH target of the battery
  event: "", // PATCH target of the battery
  throwaway: "", // a technician the manager PATCHes with bad values
  fuzzContact: "",
  fuzzJob: "",
  fuzzEvent: "",
};

function clientOf(who: Who): PocketBase | null {
  return who === "anon" ? null : who === "admin" ? pb.admin : w[who];
}

/** Raw HTTP: exact status and body, and the chance to send bytes that are not JSON. */
async function send(who: Who, method: Method, path: string, body?: unknown, raw?: string): Promise<Reply> {
  const headers: Record<string, string> = { "Content-Type": "application/json" };
  const token = clientOf(who)?.authStore.token;
  if (token) headers.Authorization = token;
  const res = await fetch(`${pb.url}${path}`, {
    method,
    headers,
    body: method === "GET" ? undefined : raw !== undefined ? raw : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: Reply["body"] = {};
  try {
    parsed = text ? JSON.parse(text) : {};
  } catch {
    parsed = {};
  }
  return { status: res.status, body: parsed, text };
}

const records = (collection: string, id?: string) => `/api/collections/${collection}/records${id ? `/${id}` : ""}`;
const isPlainObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === "object" && !Array.isArray(v);

async function snapshot(collection: string, id: string) {
  return pb.admin.collection(collection).getOne(id);
}

// ---------------------------------------------------------------------------------------------
// The battery
// ---------------------------------------------------------------------------------------------
const CONTACT = { name: "Jan Kowalski", address: "ul. Puławska 1", district: "Mokotów", propertyType: "apartment" };
const JOB = () => ({ contactId: ids.contact, title: "Przegląd kotła", type: "maintenance" });
const EVENT = { type: "message", targetUsers: ["all"], data: { text: "hej" } };
const LONG = "x".repeat(10_000);

interface BadCase {
  name: string;
  who: Who;
  method: Method;
  path: () => string;
  /** JSON body (a function when it needs ids known only at run time). */
  body?: unknown | (() => unknown);
  /** Bytes sent as-is instead of JSON. */
  raw?: string;
  status: number;
  /** The field the error map must name (400s from validation or hooks). */
  field?: string;
  code?: string;
}

const without = (o: Record<string, unknown>, key: string) => Object.fromEntries(Object.entries(o).filter(([k]) => k !== key));
const contact = (over: Record<string, unknown>): Partial<BadCase> => ({ who: "dispatcher", method: "POST", path: () => records("contacts"), body: { ...CONTACT, ...over } });
const job = (over: Record<string, unknown> | (() => Record<string, unknown>)): Partial<BadCase> => ({
  who: "dispatcher", method: "POST", path: () => records("jobs"),
  body: () => ({ ...JOB(), ...(typeof over === "function" ? over() : over) }),
});
const jobPatch = (body: Record<string, unknown>): Partial<BadCase> => ({ who: "dispatcher", method: "PATCH", path: () => records("jobs", ids.job), body });
const event = (over: Record<string, unknown>): Partial<BadCase> => ({ who: "dispatcher", method: "POST", path: () => records("realtime_events"), body: { ...EVENT, ...over } });
const location = (body: unknown, raw?: string): Partial<BadCase> => ({ who: "tech1", method: "POST", path: () => "/api/hvac/location", body, raw });
const user = (over: Record<string, unknown>): Partial<BadCase> => ({
  who: "manager", method: "POST", path: () => records("users"),
  body: () => ({ email: `bad-${Math.random().toString(36).slice(2)}@hvac.test`, password: PASSWORD, passwordConfirm: PASSWORD, role: "technician", ...over }),
});
const userPatch = (body: Record<string, unknown>): Partial<BadCase> => ({ who: "manager", method: "PATCH", path: () => records("users", ids.throwaway), body });
const bad = (name: string, req: Partial<BadCase>, field?: string, code?: string, status = 400): BadCase =>
  ({ name, ...req, field, code, status }) as BadCase;

const BATTERY: BadCase[] = [
  // ---- wrong enums ----
  bad("jobs.type 'plumbing'", job({ type: "plumbing" }), "type"),
  bad("jobs.status 'done'", job({ status: "done" }), "status"),
  bad("jobs.status 'in_progress' on create (valid enum, invalid start)", job(() => ({ status: "in_progress", technicianId: w.ids.tech1, scheduledDate: "2030-01-01 10:00:00.000Z" })), "status", "invalid_initial_status"),
  bad("jobs.priority 'critical'", job({ priority: "critical" }), "priority"),
  bad("PATCH jobs.status 'done'", jobPatch({ status: "done" }), "status"),
  bad("PATCH jobs.priority 'ASAP'", jobPatch({ priority: "ASAP" }), "priority"),
  bad("contacts.district 'Warszawa'", contact({ district: "Warszawa" }), "district"),
  bad("contacts.district 'mokotów' (wrong case)", contact({ district: "mokotów" }), "district"),
  bad("contacts.propertyType 'villa'", contact({ propertyType: "villa" }), "propertyType"),
  bad("users.role 'boss' (create)", user({ role: "boss" }), "role"),
  bad("users.role 'admin' (update)", userPatch({ role: "admin" }), "role"),
  bad("users.districts ['Warszawa']", userPatch({ districts: ["Warszawa"] }), "districts"),
  bad("users.skills ['plumbing']", userPatch({ skills: ["plumbing"] }), "skills"),
  bad("realtime_events.type 'alarm'", event({ type: "alarm" }), "type"),
  bad("realtime_events.type 'technician_location' (endpoint only)", event({ type: "technician_location" }), "type", "use_location_endpoint"),
  bad("realtime_events.district 'Warszawa'", event({ district: "Warszawa" }), "district"),
  bad("realtime_events.priority 'critical'", event({ priority: "critical" }), "priority"),

  // ---- missing or wrong relations ----
  bad("jobs.contactId 'doesnotexist1234'", job({ contactId: "doesnotexist1234" }), "contactId"),
  bad("jobs.technicianId of a dispatcher", job(() => ({ technicianId: w.ids.dispatcher })), "technicianId", "not_a_technician"),
  bad("jobs.technicianId of a manager (PATCH)", { ...jobPatch({}), body: () => ({ technicianId: w.ids.manager }) }, "technicianId", "not_a_technician"),
  bad("jobs.technicianId 'doesnotexist1234'", job({ technicianId: "doesnotexist1234" }), "technicianId"),
  bad("realtime_events.jobId 'doesnotexist1234'", event({ jobId: "doesnotexist1234" }), "jobId"),

  // ---- missing required fields ----
  bad("jobs without title", { ...job({}), body: () => without(JOB(), "title") }, "title", "validation_required"),
  bad("jobs without contactId", { ...job({}), body: () => without(JOB(), "contactId") }, "contactId", "validation_required"),
  bad("jobs without type", { ...job({}), body: () => without(JOB(), "type") }, "type", "validation_required"),
  bad("contacts without name", { ...contact({}), body: without(CONTACT, "name") }, "name", "validation_required"),
  bad("contacts without address", { ...contact({}), body: without(CONTACT, "address") }, "address", "validation_required"),
  bad("contacts without district", { ...contact({}), body: without(CONTACT, "district") }, "district", "validation_required"),
  bad("contacts without propertyType", { ...contact({}), body: without(CONTACT, "propertyType") }, "propertyType", "validation_required"),
  bad("users without role", { ...user({}), body: () => ({ email: "norole@hvac.test", password: PASSWORD, passwordConfirm: PASSWORD }) }, "role", "validation_required"),
  bad("realtime_events without type", { ...event({}), body: without(EVENT, "type") }, "type", "validation_required"),
  bad("jobs: scheduled without technician and date", job({ status: "scheduled" }), "technicianId", "required_for_status"),

  // ---- malformed bodies ----
  bad("jobs: malformed JSON '{\"title\": '", { ...job({}), raw: '{"title": ' }),
  bad("jobs: JSON array body", { ...job({}), raw: "[1, 2]" }),
  bad("jobs: JSON string body", { ...job({}), raw: '"zlecenie"' }),
  bad("jobs: JSON null body (= no fields)", { ...job({}), raw: "null" }, "title", "validation_required"),
  bad("PATCH jobs: malformed JSON", { ...jobPatch({}), raw: '{"notes": "a' }),
  bad("contacts: empty body", { ...contact({}), raw: "" }),
  bad("realtime_events: malformed JSON", { ...event({}), raw: "{type: message}" }),

  // ---- coordinates ----
  bad("coordinates 'abc'", job({ coordinates: "abc" }), "coordinates", "invalid_json"),
  bad("coordinates {lat: 'x'}", job({ coordinates: { lat: "x" } }), "coordinates", "invalid_coordinates"),
  bad("coordinates {lat: 'x', lng: 21}", job({ coordinates: { lat: "x", lng: 21 } }), "coordinates", "invalid_coordinates"),
  bad("coordinates [1, 2]", job({ coordinates: [1, 2] }), "coordinates", "invalid_coordinates"),
  bad("coordinates 42", job({ coordinates: 42 }), "coordinates", "invalid_coordinates"),
  bad("coordinates {lat: 52.2} (no lng)", job({ coordinates: { lat: 52.2 } }), "coordinates", "invalid_coordinates"),
  bad("coordinates outside Warsaw {lat: 50, lng: 19}", job({ coordinates: { lat: 50, lng: 19 } }), "coordinates", "outside_service_area"),
  bad("coordinates swapped {lat: 21, lng: 52.2}", job({ coordinates: { lat: 21, lng: 52.2 } }), "coordinates", "outside_service_area"),
  bad("PATCH coordinates 'abc'", jobPatch({ coordinates: "abc" }), "coordinates", "invalid_json"),

  // ---- out-of-range and wrongly typed numbers ----
  bad("affluenceScore -1", contact({ affluenceScore: -1 }), "affluenceScore"),
  bad("affluenceScore 101", contact({ affluenceScore: 101 }), "affluenceScore"),
  bad("affluenceScore 55.5 (integers only)", contact({ affluenceScore: 55.5 }), "affluenceScore"),
  // Regression (found by this suite, fixed): PocketBase casts a non-numeric string to 0 and the contact is saved with score 0.
  bad("affluenceScore 'abc'", contact({ affluenceScore: "abc" }), "affluenceScore"),
  // Regression (found by this suite, fixed): 0 is below the schema min (1) but PocketBase skips validating zero
  // numbers and the jobs hook silently replaces it with the type's default (90 min).
  bad("estimatedDuration 0", job({ estimatedDuration: 0 }), "estimatedDuration"),
  bad("estimatedDuration 'abc'", job({ estimatedDuration: "abc" }), "estimatedDuration"),
  bad("estimatedDuration 100000", job({ estimatedDuration: 100_000 }), "estimatedDuration"),
  bad("estimatedDuration -30", job({ estimatedDuration: -30 }), "estimatedDuration"),
  bad("estimatedDuration 1.5", job({ estimatedDuration: 1.5 }), "estimatedDuration"),
  bad("actualDuration -5", job({ actualDuration: -5 }), "actualDuration"),
  bad("PATCH actualDuration 20000", jobPatch({ actualDuration: 20_000 }), "actualDuration"),
  // Regression (found by this suite, fixed): an unparsable date is silently stored as "" and the job is created.
  bad("scheduledDate 'jutro rano'", job({ scheduledDate: "jutro rano" }), "scheduledDate"),

  // ---- Polish identifiers and phones ----
  bad("NIP with a bad checksum", contact({ nip: "5261040829" }), "nip", "invalid_nip_checksum"),
  bad("NIP too short (8 digits)", contact({ nip: "52610408" }), "nip", "invalid_nip_format"),
  bad("NIP too long (11 digits)", contact({ nip: "52610408281" }), "nip", "invalid_nip_format"),
  bad("NIP with letters", contact({ nip: "526-1O4-08-28" }), "nip", "invalid_nip_format"),
  bad("phone with letters", contact({ phone: "+48 600 ABC 200" }), "phone", "invalid_phone"),
  bad("phone as words", contact({ phone: "dzwonić po 18" }), "phone", "invalid_phone"),
  bad("email that is not one", contact({ email: "jan.kowalski(at)wp.pl" }), "email"),

  // ---- huge strings ----
  bad("jobs.title of 10,000 chars", job({ title: LONG }), "title"),
  bad("jobs.description of 10,000 chars", job({ description: LONG }), "description"),
  bad("contacts.name of 10,000 chars", contact({ name: LONG }), "name"),
  bad("contacts.notes of 10,000 chars", contact({ notes: LONG }), "notes"),
  bad("realtime_events.data of 25 KB", event({ data: { text: "y".repeat(25_000) } }), "data"),

  // ---- realtime_events payloads ----
  bad("targetUsers 'all' (not a list)", event({ targetUsers: "all" }), "targetUsers", "invalid_targets"),
  bad("targetUsers []", event({ targetUsers: [] }), "targetUsers", "invalid_targets"),
  bad("targetUsers ['everyone']", event({ targetUsers: ["everyone"] }), "targetUsers", "invalid_targets"),
  bad("targetUsers [42]", event({ targetUsers: [42] }), "targetUsers", "invalid_targets"),
  bad("data [1, 2] (not an object)", event({ data: [1, 2] }), "data", "invalid_data"),
  bad("data 'tekst' (not an object)", event({ data: "tekst" }), "data", "invalid_data"),
  bad("PATCH event data (forbidden, not invalid)", { who: "dispatcher", method: "PATCH", path: () => records("realtime_events", ids.event), body: { data: { x: 1 } } }, "data", "forbidden_field", 403),

  // ---- POST /api/hvac/location ----
  bad("location lat 'abc'", location({ lat: "abc", lng: 21.0 }), "lat", "invalid_number"),
  // Regression (found by this suite, fixed): every lat/lng problem is reported under "lat", even when lat is fine.
  bad("location without lng", location({ lat: 52.2 }), "lng"),
  bad("location lng 'abc'", location({ lat: 52.2, lng: "abc" }), "lng"),
  bad("location lat 'NaN'", location({ lat: "NaN", lng: 21.0 }), "lat"),
  bad("location lat Infinity (as a string)", location({ lat: "Infinity", lng: 21.0 }), "lat"),
  bad("location raw NaN (not JSON)", location(undefined, '{"lat": NaN, "lng": 21}'), "lat"),
  bad("location lat null", location({ lat: null, lng: 21.0 }), "lat"),
  bad("location outside Warsaw", location({ lat: 50, lng: 19 }), "lat", "outside_service_area"),
  bad("location accuracy -1", location({ lat: 52.2, lng: 21.0, accuracy: -1 }), "accuracy", "invalid_accuracy"),
  bad("location accuracy 'x'", location({ lat: 52.2, lng: 21.0, accuracy: "x" }), "accuracy", "invalid_accuracy"),
  // Regression (found by this suite, fixed): Number() coercion lets wrongly typed values through: true -> 1, "0x34" -> 52.
  bad("location accuracy true", location({ lat: 52.2, lng: 21.0, accuracy: true }), "accuracy"),
  bad("location lat/lng as hex strings '0x34'/'0x15'", location({ lat: "0x34", lng: "0x15" }), "lat"),
  bad("location accuracy 1e6", location({ lat: 52.2, lng: 21.0, accuracy: 1e6 }), "accuracy", "invalid_accuracy"),
  bad("location body is an array", location([52.2, 21.0])),
  bad("location body is a string", location("52.2,21.0")),
  bad("location body is null", location(null)),
  bad("location body is malformed", location(undefined, '{"lat": 52.')),

  // ---- maintenance endpoint ----
  bad("maintenance 'nope' as admin", { who: "admin", method: "POST", path: () => "/api/hvac/maintenance/nope", body: {} }, undefined, undefined, 404),
  bad("maintenance 'nope' as dispatcher", { who: "dispatcher", method: "POST", path: () => "/api/hvac/maintenance/nope", body: {} }, undefined, undefined, 401),
  bad("maintenance 'nope' as technician", { who: "tech1", method: "POST", path: () => "/api/hvac/maintenance/nope", body: {} }, undefined, undefined, 401),
  bad("maintenance 'nope' anonymous", { who: "anon", method: "POST", path: () => "/api/hvac/maintenance/nope", body: {} }, undefined, undefined, 401),
  bad("maintenance real task as manager", { who: "manager", method: "POST", path: () => "/api/hvac/maintenance/overdue-jobs", body: {} }, undefined, undefined, 401),
  bad("maintenance now 'wczoraj'", { who: "admin", method: "POST", path: () => "/api/hvac/maintenance/prune-locations", body: { now: "wczoraj" } }, "now", "invalid_date"),
];

// ---------------------------------------------------------------------------------------------
// Sentinels: valid records made before the battery; they must come out untouched.
// ---------------------------------------------------------------------------------------------
const sentinels: { collection: string; id: string; before: Record<string, unknown> }[] = [];
const countsBefore: Record<string, number> = {};
/** Records that POSTs below did create (fuzz hits, or battery rows the product wrongly accepts). */
const created: Record<string, string[]> = { contacts: [], jobs: [], realtime_events: [] };
function noteCreated(method: Method, path: string, reply: Reply) {
  const m = /^\/api\/collections\/(\w+)\/records$/.exec(path);
  if (method === "POST" && m && reply.status === 200 && created[m[1]]) created[m[1]].push(String(reply.body.id));
}

async function count(collection: string) {
  return (await pb.admin.collection(collection).getList(1, 1)).totalItems;
}

beforeAll(async () => {
  pb = await startPocketBase();
  w = await createWorld(pb);
  ids.contact = (await makeContact(w.dispatcher, { district: "Mokotów" })).id;
  ids.job = (await makeJob(w.dispatcher, ids.contact)).id;
  ids.event = (await w.dispatcher.collection("realtime_events").create(EVENT)).id;
  ids.throwaway = (await pb.admin.collection("users").create({
    email: "throwaway@hvac.test", password: PASSWORD, passwordConfirm: PASSWORD, role: "technician", districts: ["Wola"],
  })).id;
  ids.fuzzContact = (await makeContact(w.dispatcher, { name: "Cel fuzzingu" })).id;
  ids.fuzzJob = (await makeJob(w.dispatcher, ids.fuzzContact, { status: "scheduled", technicianId: w.ids.tech1, scheduledDate: "2030-01-01 10:00:00.000Z" })).id;
  ids.fuzzEvent = (await w.dispatcher.collection("realtime_events").create(EVENT)).id;

  // Sentinels: never a target of any request below.
  const s1 = await makeContact(w.dispatcher, { name: "Sentinel Sp. z o.o.", district: "Wola", propertyType: "commercial", nip: "526-104-08-28", notes: "nie ruszać" });
  const s2 = await makeContact(w.dispatcher, { name: "Zofia Źdźbło-Łęcka", district: "Żoliborz", propertyType: "house", affluenceScore: 0 });
  const j1 = await makeJob(w.dispatcher, s1.id, { title: "Sentinel: montaż klimatyzacji", type: "installation", status: "scheduled", technicianId: w.ids.tech2, scheduledDate: "2030-02-03 08:00:00.000Z", coordinates: { lat: 52.24, lng: 20.96 } });
  const j2 = await makeJob(w.dispatcher, s2.id, { title: "Sentinel: przegląd", priority: "low", notes: "klucz u sąsiada" });
  const e1 = await w.dispatcher.collection("realtime_events").create({ type: "message", targetUsers: [w.ids.tech2], data: { text: "Sentinel" } });
  for (const [collection, rec] of [["contacts", s1], ["contacts", s2], ["jobs", j1], ["jobs", j2], ["realtime_events", e1], ["users", { id: w.ids.tech2 }]] as const) {
    sentinels.push({ collection, id: rec.id, before: await snapshot(collection, rec.id) });
  }
  for (const c of ["contacts", "jobs", "realtime_events", "users"]) countsBefore[c] = await count(c);
});

afterAll(async () => {
  await pb?.stop();
});

describe("battery of bad inputs", () => {
  it.each(BATTERY)("$name -> $status $field", async (c) => {
    const path = c.path();
    const body = typeof c.body === "function" ? (c.body as () => unknown)() : c.body;
    const patchedId = c.method === "PATCH" ? path.split("/").pop()! : "";
    const collection = path.split("/")[3];
    const before = patchedId ? await snapshot(collection, patchedId) : null;

    const reply = await send(c.who, c.method, path, body, c.raw);
    noteCreated(c.method, path, reply);

    expect(reply.status, reply.text).toBe(c.status);
    expect(isPlainObject(reply.body.data), `data must be an object: ${reply.text}`).toBe(true);
    if (c.field) {
      expect(Object.keys(reply.body.data!), reply.text).toContain(c.field);
      expect(typeof reply.body.data![c.field].code).toBe("string");
      expect(reply.body.data![c.field].message).not.toBe("");
    }
    if (c.code) expect(reply.body.data![c.field!].code).toBe(c.code);
    if (before) expect(await snapshot(collection, patchedId)).toEqual(before);
  });
});

// ---------------------------------------------------------------------------------------------
// Fuzz: seeded, so a failure replays exactly.
// ---------------------------------------------------------------------------------------------
/** The demo data's mulberry32: the same seed gives the same sequence. */
const mulberry32 = (seed: number): (() => number) => createRng(seed).next;

const NASTY_STRINGS = [
  "'; DROP TABLE jobs; --",
  "\" || id != \"",
  "') OR 1=1 --",
  "1' OR '1'='1",
  "@request.auth.id",
  "id != '' || @request.auth.role = 'manager'",
  "technicianId ?= @request.auth.id || true",
  "{{ .Secret }}",
  "${process.env.HOME}",
  "%", "_", "\\", "\\\"", "\u0000", "\u202e", "\ufeff", "\ud83d", // lone surrogate
  "Zażółć gęślą jaźń", "ŁÓDŹ", "Ünïcödé", "שלום", "日本語", "🔥🧯💨", "👩🏽‍🔧", "a\u0301\u0301\u0301",
  "", " ", "null", "undefined", "NaN", "Infinity", "-0", "0x34", "1e309", "true",
  "Mokotów", "urgent", "completed", "technician_location", "all",
  "Czuć zapach gazu", "pożar", "<script>alert(1)</script>", "../../etc/passwd",
];
const FIELDS: Record<string, string[]> = {
  contacts: ["name", "email", "phone", "address", "district", "affluenceScore", "propertyType", "nip", "notes"],
  jobs: ["contactId", "title", "description", "type", "status", "priority", "priorityReason", "scheduledDate", "startedAt",
    "completedDate", "technicianId", "coordinates", "estimatedDuration", "actualDuration", "notes", "overdueEscalatedAt"],
  realtime_events: ["type", "data", "targetUsers", "district", "priority", "processed", "acknowledgedBy", "acknowledgedAt", "jobId", "userId"],
  location: ["lat", "lng", "accuracy", "userId"],
};
const EXTRA_KEYS = ["id", "created", "updated", "collectionId", "expand", "__proto__", "constructor", "+status", "status+", "targetUsers-", "", "a.b", "💥"];

function fuzzer(seed: number) {
  const rnd = mulberry32(seed);
  const int = (n: number) => Math.floor(rnd() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)];
  const value = (depth = 0): unknown => {
    switch (int(depth > 2 ? 9 : 12)) {
      case 0: return pick([0, -1, 1, 52.2, 21.01, 1e308, -1e308, 2 ** 53 + 1, 0.1 + 0.2, -0, 100_000, 10080]);
      case 1: return rnd() < 0.5;
      case 2: return null;
      case 3: return pick(NASTY_STRINGS);
      case 4: return pick(NASTY_STRINGS).repeat(1 + int(3000));
      case 5: return String.fromCodePoint(...Array.from({ length: 1 + int(40) }, () => int(0x1f9ff)));
      case 6: return pick([w.ids.tech1, w.ids.tech2, w.ids.dispatcher, ids.contact, ids.fuzzJob, "doesnotexist1234", "aaaaaaaaaaaaaaa"]);
      case 7: return pick(["2030-01-01 10:00:00.000Z", "2026-13-45", "yesterday", new Date().toISOString(), "0000-00-00"]);
      case 8: return pick(["Mokotów", "Wola", "apartment", "repair", "urgent", "scheduled", "in_progress", "completed", "message", "emergency_alert"]);
      case 9: return Array.from({ length: int(5) }, () => value(depth + 1));
      case 10: return Object.fromEntries(Array.from({ length: 1 + int(4) }, () => [pick([...FIELDS.location, ...EXTRA_KEYS, "x"]), value(depth + 1)]));
      default: return { lat: value(depth + 1), lng: value(depth + 1) };
    }
  };
  const body = (fields: string[]): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    const n = 1 + int(4);
    for (let i = 0; i < n; i++) out[rnd() < 0.85 ? pick(fields) : pick(EXTRA_KEYS)] = value();
    return out;
  };
  return { rnd, int, pick, value, body };
}

interface Target {
  name: string;
  who: Who;
  method: Method;
  path: () => string;
  fields: string;
  /** A valid body: half of the random bodies are this with a few fields replaced, to get past
   * the required-field checks and into the hooks. */
  base?: () => Record<string, unknown>;
}
const TARGETS: Target[] = [
  { name: "POST contacts", who: "dispatcher", method: "POST", path: () => records("contacts"), fields: "contacts", base: () => CONTACT },
  { name: "PATCH contacts", who: "dispatcher", method: "PATCH", path: () => records("contacts", ids.fuzzContact), fields: "contacts" },
  { name: "POST jobs", who: "dispatcher", method: "POST", path: () => records("jobs"), fields: "jobs", base: JOB },
  { name: "PATCH jobs", who: "dispatcher", method: "PATCH", path: () => records("jobs", ids.fuzzJob), fields: "jobs" },
  { name: "PATCH jobs as technician", who: "tech1", method: "PATCH", path: () => records("jobs", ids.fuzzJob), fields: "jobs" },
  { name: "POST realtime_events", who: "dispatcher", method: "POST", path: () => records("realtime_events"), fields: "realtime_events", base: () => EVENT },
  { name: "PATCH realtime_events", who: "dispatcher", method: "PATCH", path: () => records("realtime_events", ids.fuzzEvent), fields: "realtime_events" },
  { name: "POST /api/hvac/location", who: "tech1", method: "POST", path: () => "/api/hvac/location", fields: "location", base: () => ({ lat: 52.2, lng: 21.0 }) },
];

/** A URL cannot carry a lone surrogate: replace those (only) with U+FFFD. */
const wellFormed = (s: string) => s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "\ufffd");

interface Problem {
  target: string;
  status: number;
  body: string;
  reply: string;
}

function problemOf(reply: Reply, target: string, body: string): Problem | null {
  const broken = reply.status >= 500 || (reply.status === 400 && !isPlainObject(reply.body.data));
  return broken ? { target, status: reply.status, body: body.slice(0, 300), reply: reply.text.slice(0, 300) } : null;
}

describe("fuzz: no body produces a 5xx", () => {
  const SEED = 20_260_301;
  const ROUNDS = 28; // x 8 targets = 224 requests

  it(`${ROUNDS * TARGETS.length} seeded random bodies (seed ${SEED})`, async () => {
    const f = fuzzer(SEED);
    const problems: Problem[] = [];
    const statuses: Record<number, number> = {};
    for (let round = 0; round < ROUNDS; round++) {
      for (const t of TARGETS) {
        const random = f.body(FIELDS[t.fields]);
        const json = JSON.stringify(t.base && f.rnd() < 0.5 ? { ...t.base(), ...random } : random);
        const reply = await send(t.who, t.method, t.path(), undefined, json);
        statuses[reply.status] = (statuses[reply.status] ?? 0) + 1;
        const p = problemOf(reply, t.name, json);
        if (p) problems.push(p);
        noteCreated(t.method, t.path(), reply);
      }
    }
    expect(problems).toEqual([]);
    // The loop must really have exercised the validators, not bounced off auth.
    expect(statuses[400] ?? 0).toBeGreaterThan(ROUNDS * 3);
    // Stricter type checks reject most mixed bodies; some must still get through to the success path.
    expect(statuses[200] ?? 0).toBeGreaterThan(ROUNDS / 2);
    expect(statuses[401] ?? 0).toBe(0);
  });

  it("bodies that are not objects never produce a 5xx either", async () => {
    const deep = "[".repeat(5000) + "]".repeat(5000);
    const RAW = [
      "", " ", "null", "true", "0", "-1", "\"x\"", "[]", "[{}]", "{}", "{\"a\":", "}{", "{'a': 1}", "{\"title\": \"\\ud800\"}",
      deep, "{\"a\":" + deep + "}", "\u0000", "🔥", "{\"data\": " + "9".repeat(400) + "}", JSON.stringify({ name: "x".repeat(1_000_000) }),
    ];
    const problems: Problem[] = [];
    for (const raw of RAW) {
      for (const t of TARGETS) {
        const reply = await send(t.who, t.method, t.path(), undefined, raw);
        const p = problemOf(reply, t.name, raw);
        if (p) problems.push(p);
        noteCreated(t.method, t.path(), reply);
      }
    }
    expect(problems).toEqual([]);
  });

  it("filter, sort and expand injection never errors with a 5xx and never widens a technician's view", async () => {
    const f = fuzzer(SEED + 1);
    const problems: Problem[] = [];
    const leaks: string[] = [];
    const ownJobs = (await pb.admin.collection("jobs").getFullList({ filter: pb.admin.filter("technicianId = {:t}", { t: w.ids.tech1 }) })).map((j) => j.id);
    expect(ownJobs.length).toBeGreaterThan(0);
    const queries = [
      ...NASTY_STRINGS,
      "id != ''", "1=1", "true", "technicianId != ''", "technicianId = '' || id != ''", ") || (id != ''",
      "@collection.jobs.id != ''", "@request.auth.role = 'technician' || 1=1", "contactId.name ~ '%'",
      ...Array.from({ length: 30 }, () => String(f.value())),
    ];
    for (const q of queries) {
      for (const param of ["filter", "sort", "expand", "fields"]) {
        const reply = await send("tech1", "GET", `${records("jobs")}?${param}=${encodeURIComponent(wellFormed(q))}&perPage=500`);
        const p = problemOf(reply, `GET jobs ?${param}`, q);
        if (p) problems.push(p);
        if (reply.status === 200) {
          // `fields` may strip ids: then the total still has to fit in tech1's own jobs.
          if (Number(reply.body.totalItems) > ownJobs.length) leaks.push(`${param}=${q}: ${reply.body.totalItems} items`);
          for (const item of (reply.body.items ?? []) as { id?: string }[]) {
            if (item.id && !ownJobs.includes(item.id)) leaks.push(`${param}=${q} -> ${item.id}`);
          }
        }
      }
    }
    expect(problems).toEqual([]);
    expect(leaks).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// Nothing lost
// ---------------------------------------------------------------------------------------------
describe("after the battery and the fuzz", () => {
  it("the sentinel records are exactly as they were", async () => {
    for (const s of sentinels) {
      expect(await snapshot(s.collection, s.id), `${s.collection}/${s.id}`).toEqual(s.before);
    }
  });

  it("contacts and jobs counts moved only by what the requests above created, users not at all", async () => {
    expect(await count("contacts")).toBe(countsBefore.contacts + created.contacts.length);
    expect(await count("jobs")).toBe(countsBefore.jobs + created.jobs.length);
    expect(await count("users")).toBe(countsBefore.users);
    // Hooks add events (alerts, timeline, locations), they never remove any.
    expect(await count("realtime_events")).toBeGreaterThanOrEqual(countsBefore.realtime_events + created.realtime_events.length);
  });

  it("the server is still healthy and still validates", async () => {
    expect((await send("anon", "GET", "/api/health")).status).toBe(200);
    const ok = await send("dispatcher", "POST", records("contacts"), CONTACT);
    expect(ok.status).toBe(200);
    expect(ok.body.affluenceScore).toBeGreaterThan(0);
    const refused = await send("dispatcher", "POST", records("contacts"), { ...CONTACT, district: "Warszawa" });
    expect(refused.status).toBe(400);
  });
});
