// The hook rules over HTTP against the real binary: priority rules, lifecycle, emergency alerts
// (exactly one per escalation), the overdue cron, technician locations and contact defaults.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultAffluence } from "../../src/domain/contacts";
import { DISTRICTS } from "../../src/domain/districts";
import { isHeatingSeason } from "../../src/domain/time";
import { createWorld, failure, makeContact, makeJob, type World } from "../helpers/fixtures";
import { startPocketBase, type RunningPocketBase } from "../helpers/pocketbase";

let pb: RunningPocketBase;
let w: World;
let mokotowFlat: string;
let woliaOffice: string;

beforeAll(async () => {
  pb = await startPocketBase();
  w = await createWorld(pb);
  mokotowFlat = (await makeContact(w.dispatcher, { district: "Mokotów", propertyType: "apartment" })).id;
  woliaOffice = (await makeContact(w.dispatcher, { district: "Wola", propertyType: "commercial", name: "Biuro Rachunkowe Nowak sp. z o.o." })).id;
});
afterAll(async () => {
  await pb?.stop();
});

async function alertsFor(jobId: string) {
  return pb.admin.collection("realtime_events").getFullList({
    filter: pb.admin.filter("type = 'emergency_alert' && jobId = {:jobId}", { jobId }),
  });
}

const isoIn = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString();

describe("priority rules", () => {
  const season = isHeatingSeason(new Date());
  it.each([
    // [description, type, contact, requested priority, expected priority]
    ["Czuć zapach gazu w kuchni", "repair", "flat", undefined, "urgent"],
    ["ULATNIA SIE GAZ przy kotle", "repair", "flat", "low", "urgent"],
    ["Czujnik czadu piszczy", "inspection", "flat", undefined, "urgent"],
    ["Tlenek węgla - alarm", "inspection", "flat", undefined, "urgent"],
    ["CZUĆ GAZ W ŁAZIENCE", "repair", "flat", undefined, "urgent"],
    ["Z pieca leci dym", "repair", "flat", undefined, "urgent"],
    ["Iskrzy przy sterowniku kotła", "repair", "flat", undefined, "urgent"],
    ["Gas smell in the boiler room", "repair", "flat", undefined, "urgent"],
    ["Wyciek wody spod kotła", "repair", "flat", undefined, "high"],
    ["Zalewa sąsiada z dołu", "repair", "flat", "low", "high"],
    ["Water leak under the unit", "repair", "flat", undefined, "high"],
    ["Wymiana filtra", "repair", "office", undefined, "high"],
    ["Wymiana filtra", "maintenance", "office", undefined, "medium"],
    ["Przegląd kotła gazowego", "maintenance", "flat", undefined, "medium"],
    ["Przegląd kotła gazowego", "maintenance", "flat", "low", "low"],
    ["Wyciek wody", "repair", "flat", "urgent", "urgent"],
    ["Kociol nie dziala, brak ogrzewania", "repair", "flat", undefined, season ? "high" : "medium"],
  ])("%s (%s, %s, asked %s) -> %s", async (description, type, where, asked, expected) => {
    const contactId = where === "flat" ? mokotowFlat : woliaOffice;
    const job = await makeJob(w.dispatcher, contactId, { title: "Zgłoszenie", description, type, ...(asked ? { priority: asked } : {}) });
    expect(job.priority).toBe(expected);
    expect(job.priorityReason).not.toBe("");
  });

  it("explains which rule fired in priorityReason", async () => {
    const job = await makeJob(w.dispatcher, mokotowFlat, { description: "Zapach gazu w łazience" });
    expect(job.priorityReason).toContain("zapach gazu");
    const plain = await makeJob(w.dispatcher, mokotowFlat, { description: "Przegląd", priority: "high" });
    expect(plain.priorityReason).toBe("Priorytet ustawiony przez dyspozytora");
  });

  it("re-evaluates when the description changes, but never lowers", async () => {
    const job = await makeJob(w.dispatcher, mokotowFlat, { description: "Przegląd", priority: "low" });
    const leak = await w.dispatcher.collection("jobs").update(job.id, { description: "Jednak cieknie woda" });
    expect(leak.priority).toBe("high");
    const calmer = await w.dispatcher.collection("jobs").update(job.id, { description: "Wyciek wody, ale już opanowany", priority: "low" });
    expect(calmer.priority).toBe("high");
  });

  it("a dispatcher's downgrade below what the rules demand is raised back, with the rule as reason", async () => {
    const job = await makeJob(w.dispatcher, mokotowFlat, { description: "Wyciek wody" });
    expect(job.priority).toBe("high");
    const refused = await w.dispatcher.collection("jobs").update(job.id, { priority: "low" });
    expect(refused.priority).toBe("high");
    expect(refused.priorityReason).toContain("Wyciek wody");
    const safety = await makeJob(w.dispatcher, mokotowFlat, { description: "Zapach gazu" });
    expect((await w.dispatcher.collection("jobs").update(safety.id, { priority: "medium" })).priority).toBe("urgent");
  });

  it("a dispatcher may lower a priority no rule demands", async () => {
    const job = await makeJob(w.dispatcher, mokotowFlat, { description: "Przegląd", priority: "high" });
    const lowered = await w.dispatcher.collection("jobs").update(job.id, { priority: "medium" });
    expect(lowered.priority).toBe("medium");
    expect(lowered.priorityReason).toBe("Obniżony przez dyspozytora");
    const blank = await failure(w.dispatcher.collection("jobs").update(job.id, { priority: "" }));
    expect(blank.data.priority.code).toBe("invalid_priority");
  });
});

describe("job defaults", () => {
  it.each([
    ["installation", 240],
    ["maintenance", 90],
    ["repair", 120],
    ["inspection", 60],
  ])("estimatedDuration of a %s defaults to %i min", async (type, minutes) => {
    const job = await makeJob(w.dispatcher, mokotowFlat, { type });
    expect(job.estimatedDuration).toBe(minutes);
    expect(job.status).toBe("pending");
  });

  it("keeps a given estimatedDuration", async () => {
    const job = await makeJob(w.dispatcher, mokotowFlat, { estimatedDuration: 45 });
    expect(job.estimatedDuration).toBe(45);
  });

  it("defaults coordinates to the centre of the contact's district", async () => {
    const job = await makeJob(w.dispatcher, woliaOffice);
    const wola = DISTRICTS.find((d) => d.name === "Wola")!;
    expect(job.coordinates).toEqual(wola.centre);
  });

  it("a job created after its contact moved uses the new district (no stale contact cache)", async () => {
    const contact = await makeContact(w.dispatcher, { district: "Bemowo", propertyType: "apartment" });
    expect((await makeJob(w.dispatcher, contact.id)).coordinates).toEqual(DISTRICTS.find((d) => d.name === "Bemowo")!.centre);
    await w.dispatcher.collection("contacts").update(contact.id, { district: "Wawer", propertyType: "commercial" });
    expect((await makeJob(w.dispatcher, contact.id)).coordinates).toEqual(DISTRICTS.find((d) => d.name === "Wawer")!.centre);
    // ...and the commercial-repair rule sees the new property type.
    expect((await makeJob(w.dispatcher, contact.id, { type: "repair" })).priority).toBe("high");
  });

  it("keeps valid coordinates and refuses ones outside Warsaw", async () => {
    const job = await makeJob(w.dispatcher, mokotowFlat, { coordinates: { lat: 52.2, lng: 21.01 } });
    expect(job.coordinates).toEqual({ lat: 52.2, lng: 21.01 });
    const bad = await failure(makeJob(w.dispatcher, mokotowFlat, { coordinates: { lat: 50.06, lng: 19.94 } }));
    expect(bad.status).toBe(400);
    expect(bad.data.coordinates.code).toBe("outside_service_area");
  });
});

describe("lifecycle", () => {
  async function jobIn(status: string) {
    const job = await makeJob(w.dispatcher, mokotowFlat);
    const schedule = { status: "scheduled", technicianId: w.ids.tech1, scheduledDate: isoIn(60) };
    const path: Record<string, Record<string, unknown>[]> = {
      pending: [],
      scheduled: [schedule],
      in_progress: [schedule, { status: "in_progress" }],
      completed: [schedule, { status: "in_progress" }, { status: "completed" }],
      cancelled: [{ status: "cancelled" }],
    };
    for (const step of path[status]) await w.dispatcher.collection("jobs").update(job.id, step);
    return job.id;
  }

  const all = ["pending", "scheduled", "in_progress", "completed", "cancelled"];
  const allowed: Record<string, string[]> = {
    pending: ["scheduled", "cancelled"],
    scheduled: ["in_progress", "pending", "cancelled"],
    in_progress: ["completed", "cancelled"],
    completed: [],
    cancelled: [],
  };
  const moves = all.flatMap((from) => all.filter((to) => to !== from).map((to) => [from, to, allowed[from].includes(to)] as const));

  it.each(moves)("%s -> %s allowed: %s", async (from, to, ok) => {
    const id = await jobIn(from);
    const body: Record<string, unknown> = { status: to };
    if (to === "scheduled") Object.assign(body, { technicianId: w.ids.tech1, scheduledDate: isoIn(90) });
    if (ok) {
      const job = await w.dispatcher.collection("jobs").update(id, body);
      expect(job.status).toBe(to);
    } else {
      const err = await failure(w.dispatcher.collection("jobs").update(id, body));
      expect(err.status).toBe(400);
      expect(err.data.status.code).toBe("invalid_transition");
      const names = allowed[from].length ? allowed[from].join(", ") : "final";
      expect(err.data.status.message).toContain(names);
    }
  });

  it("racing final moves leave one consistent outcome", async () => {
    const id = await jobIn("in_progress");
    const results = await Promise.allSettled([
      w.tech1.collection("jobs").update(id, { status: "completed" }),
      w.dispatcher.collection("jobs").update(id, { status: "cancelled" }),
      w.dispatcher2.collection("jobs").update(id, { status: "cancelled" }),
    ]);
    const final = (await pb.admin.collection("jobs").getOne(id)).status;
    const won = results.filter((r) => r.status === "fulfilled").map((r) => (r as PromiseFulfilledResult<{ status?: string }>).value.status);
    // Whatever won, nothing moved the job out of its final state afterwards.
    expect(won.every((s) => s === final)).toBe(true);
    const timeline = await pb.admin.collection("realtime_events").getFullList({
      filter: pb.admin.filter("type = 'job_update' && jobId = {:id}", { id }), sort: "created",
    });
    expect(timeline.filter((e) => e.data.from.status === "in_progress")).toHaveLength(1);
  });

  it("scheduling needs a technician and a date", async () => {
    const job = await makeJob(w.dispatcher, mokotowFlat);
    const err = await failure(w.dispatcher.collection("jobs").update(job.id, { status: "scheduled" }));
    expect(err.status).toBe(400);
    expect(Object.keys(err.data).sort()).toEqual(["scheduledDate", "technicianId"]);
  });

  it("a job can be created scheduled, but not in progress", async () => {
    const ok = await makeJob(w.dispatcher, mokotowFlat, { status: "scheduled", technicianId: w.ids.tech1, scheduledDate: isoIn(30) });
    expect(ok.status).toBe("scheduled");
    const err = await failure(makeJob(w.dispatcher, mokotowFlat, { status: "in_progress", technicianId: w.ids.tech1, scheduledDate: isoIn(30) }));
    expect(err.data.status.code).toBe("invalid_initial_status");
  });

  it("start sets startedAt; completion sets completedDate and actualDuration", async () => {
    const id = await jobIn("scheduled");
    const started = await w.tech1.collection("jobs").update(id, { status: "in_progress" });
    expect(started.startedAt).not.toBe("");
    expect(started.completedDate).toBe("");
    const done = await w.tech1.collection("jobs").update(id, { status: "completed" });
    expect(Date.parse(done.completedDate.replace(" ", "T"))).toBeGreaterThanOrEqual(Date.parse(started.startedAt.replace(" ", "T")));
    expect(done.actualDuration).toBe(1); // started and completed within the same minute: rounded up to 1
  });

  it("keeps an actualDuration the technician gives", async () => {
    const id = await jobIn("in_progress");
    const done = await w.tech1.collection("jobs").update(id, { status: "completed", actualDuration: 75, notes: "Wymieniono czujnik ciągu" });
    expect(done.actualDuration).toBe(75);
    expect(done.notes).toBe("Wymieniono czujnik ciągu");
  });

  it("a dispatcher can record a job done earlier with its real times", async () => {
    const id = await jobIn("scheduled");
    await w.dispatcher.collection("jobs").update(id, { status: "in_progress", startedAt: "2026-03-02 08:00:00.000Z" });
    const done = await w.dispatcher.collection("jobs").update(id, { status: "completed", completedDate: "2026-03-02 09:30:00.000Z" });
    expect(done.startedAt).toBe("2026-03-02 08:00:00.000Z");
    expect(done.completedDate).toBe("2026-03-02 09:30:00.000Z");
    expect(done.actualDuration).toBe(90);
  });

  it("only staff may assign, and only to technicians", async () => {
    const job = await makeJob(w.dispatcher, mokotowFlat);
    const err = await failure(w.dispatcher.collection("jobs").update(job.id, { technicianId: w.ids.dispatcher2 }));
    expect(err.data.technicianId.code).toBe("not_a_technician");
  });

  it("records a timeline event for status and assignment changes", async () => {
    const id = await jobIn("in_progress");
    const events = await pb.admin.collection("realtime_events").getFullList({
      filter: pb.admin.filter("type = 'job_update' && jobId = {:id}", { id }),
      sort: "created",
    });
    const steps = events.map((e) => `${e.data.from.status}->${e.data.to.status}`);
    expect(steps).toEqual(["pending->scheduled", "scheduled->in_progress"]);
  });
});

describe("emergency alerts", () => {
  it("creates exactly one alert per escalation with the job's details", async () => {
    const job = await makeJob(w.dispatcher, mokotowFlat, { title: "Kotłownia", description: "Czuć gaz w kotłowni" });
    let alerts = await alertsFor(job.id);
    expect(alerts).toHaveLength(1);
    const a = alerts[0];
    expect(a.district).toBe("Mokotów");
    expect(a.priority).toBe("urgent");
    expect(a.processed).toBe(false);
    expect(a.data).toMatchObject({ jobId: job.id, title: "Kotłownia", district: "Mokotów" });
    expect(a.data.address).toContain("Puławska");
    expect(a.data.reason).toContain("czuc gaz");
    expect(a.targetUsers).toEqual(["dispatcher", "manager", w.ids.tech1]);

    // Still urgent: no new alert.
    await w.dispatcher.collection("jobs").update(job.id, { notes: "Klient wietrzy mieszkanie" });
    await w.dispatcher.collection("jobs").update(job.id, { description: "Czuć gaz w kotłowni, zawór zakręcony" });
    expect(await alertsFor(job.id)).toHaveLength(1);

    // False alarm recorded, lowered, then up again: a new escalation, one more alert.
    await w.dispatcher.collection("jobs").update(job.id, { description: "Fałszywy alarm", priority: "high" });
    await w.dispatcher.collection("jobs").update(job.id, { priority: "urgent" });
    alerts = await alertsFor(job.id);
    expect(alerts).toHaveLength(2);
  });

  it("racing escalations of the same job create exactly one alert; the losers are told to reload", async () => {
    for (let round = 0; round < 5; round++) {
      const job = await makeJob(w.dispatcher, mokotowFlat, { description: "Przegląd" });
      const results = await Promise.allSettled(
        Array.from({ length: 12 }, (_, i) => (i % 2 ? w.dispatcher : w.dispatcher2).collection("jobs").update(job.id, { priority: "urgent" })),
      );
      expect(results.some((r) => r.status === "fulfilled")).toBe(true);
      for (const r of results) {
        if (r.status === "rejected") expect([409, 400]).toContain((r.reason as { status: number }).status);
      }
      expect(await alertsFor(job.id)).toHaveLength(1);
    }
  });

  it("a stale write never moves a job's status backwards", async () => {
    for (let round = 0; round < 8; round++) {
      const job = await makeJob(w.dispatcher, mokotowFlat, { status: "scheduled", technicianId: w.ids.tech1, scheduledDate: isoIn(30) });
      const [start, edit] = await Promise.allSettled([
        w.tech1.collection("jobs").update(job.id, { status: "in_progress" }),
        w.dispatcher.collection("jobs").update(job.id, { notes: `Klient prosi o telefon ${round}` }),
      ]);
      const final = await pb.admin.collection("jobs").getOne(job.id);
      if (start.status === "fulfilled") expect(final.status).toBe("in_progress");
      else expect(final.status).toBe("scheduled");
      if (edit.status === "fulfilled") expect(final.notes).toBe(`Klient prosi o telefon ${round}`);
    }
  });

  it("alerts when a dispatcher raises a job to urgent by hand", async () => {
    const job = await makeJob(w.dispatcher, woliaOffice, { type: "maintenance", description: "Przegląd" });
    expect(await alertsFor(job.id)).toHaveLength(0);
    await w.dispatcher.collection("jobs").update(job.id, { priority: "urgent" });
    const alerts = await alertsFor(job.id);
    expect(alerts).toHaveLength(1);
    expect(alerts[0].targetUsers).toEqual(["dispatcher", "manager", w.ids.tech2]);
  });

  it("acknowledging records who and when, once", async () => {
    const job = await makeJob(w.dispatcher, mokotowFlat, { description: "Pożar przy kotle" });
    const [alert] = await alertsFor(job.id);
    const acked = await w.dispatcher2.collection("realtime_events").update(alert.id, { processed: true });
    expect(acked.processed).toBe(true);
    expect(acked.acknowledgedBy).toBe(w.ids.dispatcher2);
    expect(acked.acknowledgedAt).not.toBe("");
    const again = await w.dispatcher.collection("realtime_events").update(alert.id, { processed: true });
    expect(again.acknowledgedBy).toBe(w.ids.dispatcher2);
    const undo = await failure(w.dispatcher.collection("realtime_events").update(alert.id, { processed: false }));
    expect(undo.status).toBe(400);
  });
});

describe("overdue escalation (cron task)", () => {
  it("raises a scheduled job not started 2 h after its time by one level, once", async () => {
    const late = await makeJob(w.dispatcher, mokotowFlat, {
      priority: "high", status: "scheduled", technicianId: w.ids.tech1, scheduledDate: isoIn(-150),
    });
    const onTime = await makeJob(w.dispatcher, mokotowFlat, {
      priority: "medium", status: "scheduled", technicianId: w.ids.tech1, scheduledDate: isoIn(-60),
    });
    const started = await makeJob(w.dispatcher, mokotowFlat, {
      priority: "medium", status: "scheduled", technicianId: w.ids.tech1, scheduledDate: isoIn(-180),
    });
    await w.tech1.collection("jobs").update(started.id, { status: "in_progress" });

    await pb.admin.send("/api/hvac/maintenance/overdue-jobs", { method: "POST" });
    const lateNow = await pb.admin.collection("jobs").getOne(late.id);
    expect(lateNow.priority).toBe("urgent");
    expect(lateNow.priorityReason).toContain("Nierozpoczęte");
    expect(lateNow.overdueEscalatedAt).not.toBe("");
    expect((await pb.admin.collection("jobs").getOne(onTime.id)).priority).toBe("medium");
    expect((await pb.admin.collection("jobs").getOne(started.id)).priority).toBe("medium");
    expect(await alertsFor(late.id)).toHaveLength(1);

    // Once only, even if a dispatcher lowers it again.
    await w.dispatcher.collection("jobs").update(late.id, { priority: "high" });
    await pb.admin.send("/api/hvac/maintenance/overdue-jobs", { method: "POST" });
    expect((await pb.admin.collection("jobs").getOne(late.id)).priority).toBe("high");
  });

  it("an overdue job that is already urgent keeps its reason", async () => {
    const job = await makeJob(w.dispatcher, mokotowFlat, {
      description: "Zapach gazu", status: "scheduled", technicianId: w.ids.tech1, scheduledDate: isoIn(-200),
    });
    await pb.admin.send("/api/hvac/maintenance/overdue-jobs", { method: "POST" });
    const after = await pb.admin.collection("jobs").getOne(job.id);
    expect(after.priority).toBe("urgent");
    expect(after.priorityReason).toBe(job.priorityReason);
    expect(after.overdueEscalatedAt).not.toBe("");
    expect(await alertsFor(job.id)).toHaveLength(1);
  });

  it("clients cannot fake the escalation bookkeeping", async () => {
    const job = await makeJob(w.dispatcher, mokotowFlat, { status: "scheduled", technicianId: w.ids.tech1, scheduledDate: isoIn(-300) });
    await w.dispatcher.collection("jobs").update(job.id, { overdueEscalatedAt: "2026-01-01 00:00:00.000Z" });
    expect((await pb.admin.collection("jobs").getOne(job.id)).overdueEscalatedAt).toBe("");
  });
});

describe("technician locations", () => {
  it("updates lastLocation and creates an event; pruned after 30 days", async () => {
    const res = await w.tech2.send("/api/hvac/location", { method: "POST", body: { lat: 52.236, lng: 20.966, accuracy: 12 } });
    const me = await w.tech2.collection("users").getOne(w.ids.tech2);
    expect(me.lastLocation).toMatchObject({ lat: 52.236, lng: 20.966, accuracy: 12 });
    const event = await pb.admin.collection("realtime_events").getOne(res.eventId);
    expect(event.type).toBe("technician_location");
    expect(event.userId).toBe(w.ids.tech2);
    expect(event.data).toMatchObject({ userId: w.ids.tech2, nearestDistrict: "Wola" });

    const in29 = new Date(Date.now() + 29 * 86_400_000).toISOString();
    const kept = await pb.admin.send("/api/hvac/maintenance/prune-locations", { method: "POST", body: { now: in29 } });
    expect(kept.changed).toBe(0);
    const in31 = new Date(Date.now() + 31 * 86_400_000).toISOString();
    const pruned = await pb.admin.send("/api/hvac/maintenance/prune-locations", { method: "POST", body: { now: in31 } });
    expect(pruned.changed).toBeGreaterThanOrEqual(1);
    expect((await failure(pb.admin.collection("realtime_events").getOne(res.eventId))).status).toBe(404);
    // Other event types are never pruned.
    expect((await pb.admin.collection("realtime_events").getList(1, 1, { filter: "type = 'emergency_alert'" })).totalItems).toBeGreaterThan(0);
  });
});

describe("photos and invoices", () => {
  const png = () => new Blob([Uint8Array.from(Buffer.from(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==", "base64"))], { type: "image/png" });
  function form(fields: Record<string, string>) {
    const f = new FormData();
    for (const [k, v] of Object.entries(fields)) f.append(k, v);
    f.append("file", png(), "kociol.png");
    return f;
  }

  it("fills the contact from the job and refuses a different one", async () => {
    const job = await makeJob(w.dispatcher, mokotowFlat, { status: "scheduled", technicianId: w.ids.tech1, scheduledDate: isoIn(60) });
    const photo = await w.tech1.collection("equipment_photos").create(form({ jobId: job.id, description: "Tabliczka znamionowa" }));
    expect(photo.contactId).toBe(mokotowFlat);
    const err = await failure(w.dispatcher.collection("equipment_photos").create(form({ jobId: job.id, contactId: woliaOffice })));
    expect(err.status).toBe(400);
    expect(err.data.contactId.code).toBe("contact_mismatch");
  });

  it("technicians upload invoices but cannot set status or amounts", async () => {
    const job = await makeJob(w.dispatcher, mokotowFlat, { status: "scheduled", technicianId: w.ids.tech1, scheduledDate: isoIn(60) });
    const inv = await w.tech1.collection("invoices").create(form({ jobId: job.id }));
    expect(inv.status).toBe("pending");
    const err = await failure(w.tech1.collection("invoices").create(form({ jobId: job.id, status: "paid", totalAmount: "99999" })));
    expect(err.status).toBe(403);
    expect(Object.keys(err.data).sort()).toEqual(["status", "totalAmount"]);
    const reviewed = await w.dispatcher.collection("invoices").update(inv.id, {
      status: "processed", totalAmount: 1230.5, invoiceNumber: "FV/11/2026", issueDate: "2026-11-20", sellerName: "Chłodpol",
    });
    expect(reviewed).toMatchObject({ status: "processed", totalAmount: 1230.5, processedBy: w.ids.dispatcher });
  });
});

describe("job creation", () => {
  it("refuses work times on a new job", async () => {
    const err = await failure(makeJob(w.dispatcher, mokotowFlat, { startedAt: "2026-11-20 08:00:00.000Z", actualDuration: 30 }));
    expect(err.status).toBe(400);
    expect(Object.keys(err.data).sort()).toEqual(["actualDuration", "startedAt"]);
  });
});

describe("contacts", () => {
  it.each([
    ["Wilanów", "house"],
    ["Praga-Północ", "apartment"],
    ["Śródmieście", "commercial"],
  ])("derives affluenceScore for %s %s when not given", async (district, propertyType) => {
    const c = await makeContact(w.dispatcher, { district, propertyType });
    expect(c.affluenceScore).toBe(defaultAffluence(district, propertyType));
  });

  it("keeps a given score, even 0, and re-derives a derived one when the place changes", async () => {
    const zero = await makeContact(w.dispatcher, { affluenceScore: 0 });
    expect(zero.affluenceScore).toBe(0);
    const derived = await makeContact(w.dispatcher, { district: "Wola", propertyType: "apartment" });
    const moved = await w.dispatcher.collection("contacts").update(derived.id, { district: "Wilanów", propertyType: "house" });
    expect(moved.affluenceScore).toBe(defaultAffluence("Wilanów", "house"));
    const chosen = await makeContact(w.dispatcher, { district: "Wola", affluenceScore: 33 });
    const chosenMoved = await w.dispatcher.collection("contacts").update(chosen.id, { district: "Wilanów" });
    expect(chosenMoved.affluenceScore).toBe(33);
  });

  it("validates and normalises the NIP", async () => {
    const ok = await makeContact(w.dispatcher, { nip: "PL 526-104-08-28", propertyType: "commercial" });
    expect(ok.nip).toBe("5261040828");
    expect((await failure(makeContact(w.dispatcher, { nip: "5261040829" }))).data.nip.code).toBe("invalid_nip_checksum");
    expect((await failure(makeContact(w.dispatcher, { nip: "12345" }))).data.nip.code).toBe("invalid_nip_format");
  });

  it("accepts every one of the 18 districts", async () => {
    for (const d of DISTRICTS) {
      const c = await makeContact(w.dispatcher, { district: d.name });
      expect(c.district).toBe(d.name);
    }
  });
});
