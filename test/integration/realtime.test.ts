// Realtime delivery over real SSE (the `eventsource` package, installed as a global by the
// helper): emergency alerts reach exactly the people they target, once per escalation; job
// updates and technician locations honour the same rules as the REST API.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RecordSubscription } from "pocketbase";
import {
  subscribeToEmergencyAlerts, subscribeToJobUpdates, updateLocation, type EmergencyAlert, type HvacClient,
} from "../../src/client";
import type { JobRecord, RealtimeEventRecord, UserRecord } from "../../src/domain/types";
import { createWorld, makeContact, makeJob, type World } from "../helpers/fixtures";
import { startPocketBase, type RunningPocketBase } from "../helpers/pocketbase";

const PEOPLE = ["dispatcher", "dispatcher2", "manager", "tech1", "tech2"] as const;
type Person = (typeof PEOPLE)[number];

/** How long to wait for expected deliveries. */
const DELIVERY_MS = 3000;

let pb: RunningPocketBase;
let w: World;
let mokotow: { id: string; address: string };
let wola: { id: string; address: string };

const alerts = {} as Record<Person, EmergencyAlert[]>;
const woliaOnly: EmergencyAlert[] = [];
const jobEvents: Record<"tech1" | "tech2", RecordSubscription<JobRecord>[]> = { tech1: [], tech2: [] };
const rawEvents = {} as Record<Person, RecordSubscription<RealtimeEventRecord>[]>;
const userEvents: Record<"dispatcher" | "tech1", RecordSubscription<UserRecord>[]> = { dispatcher: [], tech1: [] };
const anonEvents: RecordSubscription[] = [];

const client = (who: Person) => w[who] as unknown as HvacClient;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(done: () => boolean): Promise<boolean> {
  const deadline = Date.now() + DELIVERY_MS;
  while (!done() && Date.now() < deadline) await sleep(25);
  return done();
}

/**
 * A barrier instead of a fixed "settle" sleep: a message to everyone, created after the writes
 * under test. Each client has one ordered SSE stream, so once every client has the barrier, every
 * event the writes caused has arrived too, and anything not there yet was never sent.
 */
async function barrier(): Promise<void> {
  const ev = await w.manager.collection("realtime_events").create({ type: "message", targetUsers: ["all"], data: { text: "barrier" } });
  const arrived = await until(() => PEOPLE.every((p) => rawEvents[p].some((e) => e.record.id === ev.id)));
  expect(arrived, "barrier message reached every subscriber").toBe(true);
}

/** Polls until the expected deliveries arrived (up to DELIVERY_MS), then waits for the barrier. */
async function deliveries(done: () => boolean): Promise<void> {
  await until(done);
  await barrier();
}

const alertsFor = (who: Person, jobId: string) => alerts[who].filter((a) => a.data.jobId === jobId);
const countsFor = (jobId: string) => Object.fromEntries(PEOPLE.map((p) => [p, alertsFor(p, jobId).length]));

beforeAll(async () => {
  pb = await startPocketBase();
  w = await createWorld(pb);
  const m = await makeContact(w.dispatcher, { name: "Restauracja Pod Kotłem", district: "Mokotów", address: "ul. Puławska 120, 02-620 Warszawa", phone: "+48 22 600 10 20" });
  const o = await makeContact(w.dispatcher, { name: "Biuro Wola Park", district: "Wola", address: "ul. Górczewska 124, 01-460 Warszawa" });
  mokotow = { id: m.id, address: m.address };
  wola = { id: o.id, address: o.address };

  for (const p of PEOPLE) {
    alerts[p] = [];
    await subscribeToEmergencyAlerts(client(p), null, (a) => alerts[p].push(a));
  }
  await subscribeToEmergencyAlerts(client("dispatcher"), "Wola", (a) => woliaOnly.push(a));
  for (const t of ["tech1", "tech2"] as const) {
    await subscribeToJobUpdates(client(t), (e) => jobEvents[t].push(e));
  }
  for (const p of PEOPLE) {
    rawEvents[p] = [];
    await client(p).collection("realtime_events").subscribe<RealtimeEventRecord>("*", (e) => rawEvents[p].push(e));
  }
  for (const p of ["dispatcher", "tech1"] as const) {
    await client(p).collection("users").subscribe<UserRecord>("*", (e) => userEvents[p].push(e));
  }
  for (const collection of ["jobs", "realtime_events", "contacts", "users"]) {
    await w.anon.collection(collection).subscribe("*", (e) => anonEvents.push(e));
  }
});

afterAll(async () => {
  for (const p of PEOPLE) await w?.[p].realtime.unsubscribe().catch(() => undefined);
  await w?.anon.realtime.unsubscribe().catch(() => undefined);
  await pb?.stop();
});

describe("emergency alerts", () => {
  let gasJobId = "";

  it("a gas smell in Mokotów alerts dispatchers, the manager and tech1 once each, not tech2", async () => {
    const job = await makeJob(w.dispatcher, mokotow.id, {
      title: "Awaria kotła", description: "Czuć zapach gazu w kotłowni", type: "repair",
    });
    gasJobId = job.id;
    expect(job.priority).toBe("urgent");

    await deliveries(() => ["dispatcher", "dispatcher2", "manager", "tech1"].every((p) => alertsFor(p as Person, job.id).length > 0));

    expect(countsFor(job.id)).toEqual({ dispatcher: 1, dispatcher2: 1, manager: 1, tech1: 1, tech2: 0 });
    for (const p of ["dispatcher", "dispatcher2", "manager", "tech1"] as const) {
      const [a] = alertsFor(p, job.id);
      expect(a.event.type).toBe("emergency_alert");
      expect(a.event.district).toBe("Mokotów");
      expect(a.event.priority).toBe("urgent");
      expect(a.data).toMatchObject({
        jobId: job.id, district: "Mokotów", title: "Awaria kotła", address: mokotow.address,
      });
      // No customer name or phone: district technicians receive alerts for jobs that are not theirs.
      expect(Object.keys(a.data).sort()).toEqual(["address", "district", "jobId", "reason", "title"]);
      expect(a.data.reason).toContain("zapach gaz");
    }
    expect(alerts.tech2).toEqual([]);
  });

  it("updating the still-urgent job (notes) sends no second alert; acknowledging sends none either", async () => {
    await w.dispatcher.collection("jobs").update(gasJobId, { notes: "Klient wyszedł z budynku" });
    const [alert] = alertsFor("dispatcher", gasJobId);
    await w.dispatcher2.collection("realtime_events").update(alert.event.id, { processed: true });
    await barrier(); // nothing is expected
    expect(countsFor(gasJobId)).toEqual({ dispatcher: 1, dispatcher2: 1, manager: 1, tech1: 1, tech2: 0 });
  });

  it("lowering to high and raising to urgent again alerts exactly once more", async () => {
    // A safety job stays urgent while its description reports the hazard: first the dispatcher
    // records that it was a false alarm, then lowers it.
    await w.dispatcher.collection("jobs").update(gasJobId, { description: "Fałszywy alarm, klient potwierdził brak zagrożenia" });
    const lowered = await w.dispatcher.collection("jobs").update(gasJobId, { priority: "high" });
    expect(lowered.priority).toBe("high");
    const raised = await w.dispatcher.collection("jobs").update(gasJobId, { priority: "urgent" });
    expect(raised.priority).toBe("urgent");
    await deliveries(() => ["dispatcher", "dispatcher2", "manager", "tech1"].every((p) => alertsFor(p as Person, gasJobId).length > 1));
    expect(countsFor(gasJobId)).toEqual({ dispatcher: 2, dispatcher2: 2, manager: 2, tech1: 2, tech2: 0 });
    const ids = new Set(alertsFor("dispatcher", gasJobId).map((a) => a.event.id));
    expect(ids.size).toBe(2);
  });

  it("a Wola alert reaches tech2 (serves Wola) and the Wola-only listener; tech1 does not get it", async () => {
    const before = woliaOnly.length;
    const job = await makeJob(w.dispatcher, wola.id, { title: "Dym z klimatyzatora", description: "Z jednostki leci dym", type: "repair" });
    expect(job.priority).toBe("urgent");
    await deliveries(() => alertsFor("tech2", job.id).length > 0 && woliaOnly.length > before);
    expect(countsFor(job.id)).toEqual({ dispatcher: 1, dispatcher2: 1, manager: 1, tech1: 0, tech2: 1 });
    expect(alertsFor("tech2", job.id)[0].data).toMatchObject({ district: "Wola", address: wola.address, jobId: job.id });
  });

  it('the district filter "Wola" delivers only Wola alerts', async () => {
    expect(woliaOnly.length).toBeGreaterThan(0);
    expect(woliaOnly.every((a) => a.event.district === "Wola" && a.data.district === "Wola")).toBe(true);
    // ...while the unfiltered listener on the same client got the Mokotów ones too.
    expect(alerts.dispatcher.some((a) => a.data.district === "Mokotów")).toBe(true);
    expect(woliaOnly.some((a) => a.data.jobId === gasJobId)).toBe(false);
  });

  it("a non-urgent job alerts nobody", async () => {
    const job = await makeJob(w.dispatcher, mokotow.id, { title: "Przegląd", description: "Coroczny przegląd kotła" });
    expect(job.priority).not.toBe("urgent");
    await barrier(); // nothing is expected
    expect(countsFor(job.id)).toEqual({ dispatcher: 0, dispatcher2: 0, manager: 0, tech1: 0, tech2: 0 });
  });
});

describe("job updates", () => {
  it("each technician receives changes to their own jobs only", async () => {
    const start = { tech1: jobEvents.tech1.length, tech2: jobEvents.tech2.length };
    const schedule = (technicianId: string) => ({ status: "scheduled", technicianId, scheduledDate: "2030-05-06 08:00:00.000Z" });
    const own1 = await makeJob(w.dispatcher, mokotow.id, { title: "Serwis techa 1", ...schedule(w.ids.tech1) });
    const own2 = await makeJob(w.dispatcher, wola.id, { title: "Serwis techa 2", ...schedule(w.ids.tech2) });
    // tech2 asks for tech1's job by id: the view rule must still hold.
    const snooped: RecordSubscription[] = [];
    const stopSnooping = await w.tech2.collection("jobs").subscribe(own1.id, (e) => snooped.push(e));
    await w.dispatcher.collection("jobs").update(own1.id, { notes: "klucz w recepcji" });
    await w.dispatcher.collection("jobs").update(own2.id, { notes: "pies w ogrodzie" });
    await w.tech1.collection("jobs").update(own1.id, { status: "in_progress" });

    const seen = (t: "tech1" | "tech2") => jobEvents[t].slice(start[t]);
    await deliveries(() => seen("tech1").length >= 3 && seen("tech2").length >= 2);

    const summary = (t: "tech1" | "tech2") => seen(t).map((e) => `${e.action}:${e.record.id}`);
    expect(summary("tech1")).toEqual([`create:${own1.id}`, `update:${own1.id}`, `update:${own1.id}`]);
    expect(summary("tech2")).toEqual([`create:${own2.id}`, `update:${own2.id}`]);
    expect(seen("tech1").every((e) => e.record.technicianId === w.ids.tech1)).toBe(true);
    expect(seen("tech1").at(-1)!.record.status).toBe("in_progress");
    expect(seen("tech1").at(1)!.record.notes).toBe("klucz w recepcji");
    expect(snooped).toEqual([]);
    await stopSnooping();
  });

  it("over the whole run, every job event a technician got was for their own job", async () => {
    for (const t of ["tech1", "tech2"] as const) {
      expect(jobEvents[t].every((e) => e.record.technicianId === w.ids[t])).toBe(true);
    }
  });
});

describe("technician locations", () => {
  it("tech1's location reaches dispatchers and managers as a technician_location event, not tech2", async () => {
    const start = Object.fromEntries(PEOPLE.map((p) => [p, rawEvents[p].length])) as Record<Person, number>;
    const res = await updateLocation(client("tech1"), { lat: 52.195, lng: 21.03, accuracy: 15 });
    expect(res.lastLocation).toMatchObject({ lat: 52.195, lng: 21.03, accuracy: 15 });

    const locations = (p: Person) =>
      rawEvents[p].slice(start[p]).filter((e) => e.action === "create" && e.record.type === "technician_location");
    await deliveries(() => locations("dispatcher").length > 0 && locations("manager").length > 0);

    for (const p of ["dispatcher", "manager"] as const) {
      expect(locations(p)).toHaveLength(1);
      const ev = locations(p)[0].record;
      expect(ev.id).toBe(res.eventId);
      expect(ev.data).toMatchObject({ userId: w.ids.tech1, lat: 52.195, lng: 21.03, accuracy: 15, nearestDistrict: "Mokotów" });
    }
    expect(locations("tech2")).toEqual([]);
    expect(rawEvents.tech2.slice(start.tech2).map((e) => e.record.id)).not.toContain(res.eventId);
  });

  it("the user-record update a location causes reaches staff, not the other technician", async () => {
    const start = { dispatcher: userEvents.dispatcher.length, tech1: userEvents.tech1.length };
    await updateLocation(client("tech2"), { lat: 52.236, lng: 20.966 });
    const tech2Updates = (p: "dispatcher" | "tech1") => userEvents[p].slice(start[p]).filter((e) => e.record.id === w.ids.tech2);
    await deliveries(() => tech2Updates("dispatcher").length > 0);
    expect(tech2Updates("dispatcher")).toHaveLength(1);
    expect(tech2Updates("dispatcher")[0].record.lastLocation).toMatchObject({ lat: 52.236, lng: 20.966 });
    expect(tech2Updates("tech1")).toEqual([]);
  });

  it("technicians never received any other technician's location over the whole run", async () => {
    for (const t of ["tech1", "tech2"] as const) {
      const leaked = rawEvents[t].filter((e) => e.record.type === "technician_location");
      expect(leaked).toEqual([]);
    }
  });
});

describe("what the subscriptions delivered overall", () => {
  it("anonymous subscribers received nothing at all", () => {
    expect(anonEvents).toEqual([]);
  });

  it("tech1's users subscription only ever carried tech1's own record", () => {
    expect(userEvents.tech1.every((e) => e.record.id === w.ids.tech1)).toBe(true);
  });

  it("technicians got only events the REST rules let them see", async () => {
    for (const t of ["tech1", "tech2"] as const) {
      const c = client(t);
      for (const e of rawEvents[t]) {
        const visible = await c.collection("realtime_events").getOne(e.record.id).then(() => true, () => false);
        expect(visible, `${t} got ${e.record.type} ${e.record.id}`).toBe(true);
      }
      expect(rawEvents[t].length).toBeGreaterThan(0);
    }
  });
});
