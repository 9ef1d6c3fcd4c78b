// The F-gas register against the real binary: the equipment hook computes CO2e, the leak-check
// interval and the next check on every write (whatever a client sends for them), refuses bad
// entries naming the field, technicians see only units at their jobs' sites and cannot write them,
// a job's unit must be at the job's customer, and a completed inspection job records the check.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRng } from "../../src/demo/generate";
import { shiftDay, warsawDayKey } from "../../src/domain/board";
import { addMonths } from "../../src/domain/fgas";
import { computeEquipment, type EquipmentRecord } from "../../src/domain/fgas-register";
import { PNG_1X1, createWorld, failure, makeContact, makeJob, type World } from "../helpers/fixtures";
import { startPocketBase, type RunningPocketBase } from "../helpers/pocketbase";

let pb: RunningPocketBase;
let w: World;
let flat: string; // Mokotów apartment (tech1 has a job there)
let office: string; // Wola office (no job of tech1)

const today = () => warsawDayKey(Date.now());
const day = (offset: number) => shiftDay(today(), offset);
const pbDay = (d: string) => `${d} 00:00:00.000Z`;

async function makeUnit(client = w.dispatcher, over: Record<string, unknown> = {}) {
  return client.collection("equipment").create({
    contactId: flat, type: "split", manufacturer: "Daikin", model: "RXM35R9", serialNumber: `SN-${Math.random().toString(36).slice(2, 8)}`,
    refrigerant: "R410A", chargeKg: 2.4, ...over,
  });
}

beforeAll(async () => {
  pb = await startPocketBase();
  w = await createWorld(pb);
  flat = (await makeContact(w.dispatcher, { district: "Mokotów", propertyType: "apartment" })).id;
  office = (await makeContact(w.dispatcher, { district: "Wola", propertyType: "commercial", name: "Biuro Wola sp. z o.o." })).id;
  await makeJob(w.dispatcher, flat, { technicianId: w.ids.tech1, status: "scheduled", scheduledDate: new Date(Date.now() + 86_400_000).toISOString() });
});
afterAll(async () => {
  await pb?.stop();
});

describe("computed columns", () => {
  it("computes CO2e, interval, next check and reason, ignoring what the client sent", async () => {
    const last = day(-100);
    const unit = await makeUnit(w.dispatcher, {
      lastLeakCheck: last, installDate: day(-900),
      co2eTonnes: 999, checkIntervalMonths: 1, nextCheckDate: "2020-01-01 00:00:00.000Z", checkReason: "made_up",
    });
    expect(unit).toMatchObject({ co2eTonnes: 5.01, checkIntervalMonths: 12, nextCheckDate: pbDay(addMonths(last, 12)!), checkReason: "periodic" });
    expect(unit.lastLeakCheck).toBe(pbDay(last));
    // One spelling of the refrigerant in the register, whatever was typed.
    expect((await makeUnit(w.dispatcher, { refrigerant: " r-410a " })).refrigerant).toBe("R410A");
    expect((await makeUnit(w.dispatcher, { refrigerant: "HFO-1234yf", chargeKg: 0.5 })).refrigerant).toBe("R1234yf");
  });

  it("keeps them true on update, also when a client tries to set them", async () => {
    const unit = await makeUnit(w.dispatcher, { lastLeakCheck: day(-30) });
    const bigger = await w.dispatcher.collection("equipment").update(unit.id, { chargeKg: 24, checkIntervalMonths: 120 });
    expect(bigger).toMatchObject({ co2eTonnes: 50.11, checkIntervalMonths: 6, nextCheckDate: pbDay(addMonths(day(-30), 6)!) });
    const detector = await w.dispatcher.collection("equipment").update(unit.id, { leakDetector: true });
    expect(detector.checkIntervalMonths).toBe(12);
    // The Admin panel writes through the same API: its values are recomputed as well.
    const admin = await pb.admin.collection("equipment").update(unit.id, { co2eTonnes: 1, checkReason: "x" });
    expect(admin).toMatchObject({ co2eTonnes: 50.11, checkReason: "periodic" });
  });

  it("HFOs are checked by mass (Reg. 2024/573 Art. 5): R1234yf 12 kg every 6 months", async () => {
    const unit = await makeUnit(w.dispatcher, { type: "chiller", refrigerant: "R1234yf", chargeKg: 12, lastLeakCheck: day(-10) });
    expect(unit).toMatchObject({ co2eTonnes: 0.05, checkIntervalMonths: 6, checkReason: "periodic" });
    const small = await makeUnit(w.dispatcher, { refrigerant: "R1234ze", chargeKg: 0.9 });
    expect(small).toMatchObject({ checkIntervalMonths: 0, nextCheckDate: "", checkReason: "below_threshold" });
  });

  it("a repair not yet verified asks for a check within a month; a check never done is no_history", async () => {
    const unit = await makeUnit(w.dispatcher, { lastLeakCheck: day(-60), lastLeakRepair: day(-5) });
    expect(unit).toMatchObject({ checkReason: "repair_verification", nextCheckDate: pbDay(addMonths(day(-5), 1)!) });
    const fresh = await makeUnit(w.dispatcher, {});
    expect(fresh).toMatchObject({ checkReason: "no_history", nextCheckDate: "", checkIntervalMonths: 12 });
    const r290 = await makeUnit(w.dispatcher, { refrigerant: "R290", chargeKg: 0.9 });
    expect(r290).toMatchObject({ checkReason: "not_fgas", checkIntervalMonths: 0 });
  });

  it("sealed units in homes below 3 kg are exempt, and follow the customer's property type", async () => {
    const contact = await makeContact(w.dispatcher, { district: "Wola", propertyType: "commercial" });
    // R404A 2.9 kg hermetic: 11.37 t (above the 10 t hermetic limit).
    const unit = await makeUnit(w.dispatcher, { contactId: contact.id, type: "refrigeration", refrigerant: "R404A", chargeKg: 2.9, hermeticallySealed: true, lastLeakCheck: day(-1) });
    expect(unit).toMatchObject({ checkIntervalMonths: 12, checkReason: "periodic" });
    await w.dispatcher.collection("contacts").update(contact.id, { propertyType: "house" });
    expect(await pb.admin.collection("equipment").getOne(unit.id)).toMatchObject({ checkIntervalMonths: 0, checkReason: "hermetic_exempt", nextCheckDate: "" });
    await w.dispatcher.collection("contacts").update(contact.id, { propertyType: "commercial" });
    expect(await pb.admin.collection("equipment").getOne(unit.id)).toMatchObject({ checkIntervalMonths: 12, nextCheckDate: pbDay(addMonths(day(-1), 12)!) });
  });
});

describe("validation", () => {
  it("names each bad field with a code", async () => {
    const err = await failure(makeUnit(w.dispatcher, {
      refrigerant: "R999", chargeKg: 20000, installDate: day(-10), lastLeakCheck: day(-20), lastLeakRepair: day(3),
    }));
    expect(err.status).toBe(400);
    expect(err.data.refrigerant.code).toBe("unknown_refrigerant");
    expect(err.data.refrigerant.message).toMatch(/R999.*R32.*R410A/);
    expect(err.data.chargeKg.code).toBe("charge_too_large");
    expect(err.data.lastLeakCheck.code).toBe("before_install");
    expect(err.data.lastLeakRepair.code).toBe("date_in_future");
  });

  it.each([
    ["a future install date", { installDate: "2999-01-01" }, "installDate", "date_in_future"],
    ["a future last check", { lastLeakCheck: "2999-01-01" }, "lastLeakCheck", "date_in_future"],
    ["no refrigerant on a split", { refrigerant: "" }, "refrigerant", "refrigerant_required"],
    ["a refrigerant without a charge", { chargeKg: 0 }, "chargeKg", "charge_required"],
    ["a negative charge", { chargeKg: -1 }, "chargeKg", null],
    ["a charge that is not a number", { chargeKg: "dużo" }, "chargeKg", null],
    ["a date that is not a date", { lastLeakCheck: "wczoraj" }, "lastLeakCheck", null],
  ])("refuses %s", async (_name, over, field, code) => {
    const err = await failure(makeUnit(w.dispatcher, over));
    expect(err.status).toBe(400);
    expect(Object.keys(err.data)).toContain(field);
    if (code) expect(err.data[field].code).toBe(code);
  });

  it("refuses a bad update too, and today is allowed", async () => {
    const unit = await makeUnit(w.dispatcher, {});
    expect((await failure(w.dispatcher.collection("equipment").update(unit.id, { lastLeakCheck: day(1) }))).data.lastLeakCheck.code).toBe("date_in_future");
    expect((await failure(w.dispatcher.collection("equipment").update(unit.id, { refrigerant: "R-4l0X" }))).data.refrigerant.code).toBe("unknown_refrigerant");
    expect((await w.dispatcher.collection("equipment").update(unit.id, { lastLeakCheck: today(), refrigerant: "R-410A" })).lastLeakCheck).toBe(pbDay(today()));
  });

  it("a ventilation unit may have no refrigerant", async () => {
    const unit = await makeUnit(w.dispatcher, { type: "ventilation", refrigerant: "", chargeKg: 0 });
    expect(unit).toMatchObject({ checkReason: "no_refrigerant", checkIntervalMonths: 0 });
  });
});

describe("access", () => {
  it("a technician sees the units at his jobs' sites only", async () => {
    const mine = await makeUnit(w.dispatcher, { contactId: flat });
    const other = await makeUnit(w.dispatcher, { contactId: office });
    const seen = (await w.tech1.collection("equipment").getFullList()).map((u) => u.id);
    expect(seen).toContain(mine.id);
    expect(seen).not.toContain(other.id);
    expect((await failure(w.tech1.collection("equipment").getOne(other.id))).status).toBe(404);
    expect((await w.tech1.collection("equipment").getOne(mine.id)).id).toBe(mine.id);
    expect((await w.tech2.collection("equipment").getFullList()).map((u) => u.id)).not.toContain(mine.id);
  });

  it("a technician cannot create or change units", async () => {
    const before = (await pb.admin.collection("equipment").getList(1, 1)).totalItems;
    expect((await failure(makeUnit(w.tech1, { contactId: flat }))).status).toBeGreaterThanOrEqual(400);
    expect((await pb.admin.collection("equipment").getList(1, 1)).totalItems).toBe(before);
    const unit = await makeUnit(w.dispatcher, { contactId: flat });
    expect((await failure(w.tech1.collection("equipment").update(unit.id, { chargeKg: 9 }))).status).toBeGreaterThanOrEqual(400);
    expect((await pb.admin.collection("equipment").getOne(unit.id)).chargeKg).toBe(2.4);
    expect((await failure(w.dispatcher.collection("equipment").delete(unit.id))).status).toBeGreaterThanOrEqual(400);
    await w.manager.collection("equipment").delete(unit.id);
  });
});

describe("photos of a unit", () => {
  const photo = (fields: Record<string, string>) => {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    form.append("file", new Blob([PNG_1X1], { type: "image/png" }), "tabliczka.png");
    return w.dispatcher.collection("equipment_photos").create(form);
  };

  it("a photo links only to a unit of its own customer; the unit's customer fills an empty one", async () => {
    const unit = await makeUnit(w.dispatcher, { contactId: flat });
    const own = await photo({ contactId: flat });
    expect((await w.dispatcher.collection("equipment_photos").update(own.id, { equipmentId: unit.id })).equipmentId).toBe(unit.id);
    const foreign = await photo({ contactId: office });
    const err = await failure(w.dispatcher.collection("equipment_photos").update(foreign.id, { equipmentId: unit.id }));
    expect(err.status).toBe(400);
    expect(err.data.equipmentId.code).toBe("contact_mismatch");
    const bare = await photo({ equipmentId: unit.id });
    expect(bare.contactId).toBe(flat);
  });
});

describe("jobs for a unit", () => {
  it("the unit must be at the job's customer (contact_mismatch on equipmentId)", async () => {
    const unit = await makeUnit(w.dispatcher, { contactId: flat });
    const err = await failure(makeJob(w.dispatcher, office, { type: "inspection", equipmentId: unit.id }));
    expect(err.status).toBe(400);
    expect(err.data.equipmentId.code).toBe("contact_mismatch");
    const job = await makeJob(w.dispatcher, flat, { type: "inspection", equipmentId: unit.id });
    expect(job.equipmentId).toBe(unit.id);
    const moved = await failure(w.dispatcher.collection("jobs").update(job.id, { contactId: office }));
    expect(moved.data.equipmentId.code).toBe("contact_mismatch");
    const other = await makeUnit(w.dispatcher, { contactId: office });
    expect((await failure(w.dispatcher.collection("jobs").update(job.id, { equipmentId: other.id }))).data.equipmentId.code).toBe("contact_mismatch");
    // Both together are fine.
    expect((await w.dispatcher.collection("jobs").update(job.id, { contactId: office, equipmentId: other.id })).equipmentId).toBe(other.id);
  });

  it("a technician may not link or unlink a unit", async () => {
    const unit = await makeUnit(w.dispatcher, { contactId: flat });
    const job = await makeJob(w.dispatcher, flat, { type: "inspection", technicianId: w.ids.tech1, status: "scheduled", scheduledDate: new Date(Date.now() + 3_600_000).toISOString() });
    const err = await failure(w.tech1.collection("jobs").update(job.id, { equipmentId: unit.id }));
    expect(err.status).toBe(403);
    expect(err.data.equipmentId.code).toBe("forbidden_field");
    expect((await pb.admin.collection("jobs").getOne(job.id)).equipmentId).toBe("");
  });

  it("completing an inspection job records the leak check (Warsaw date) and moves the next check", async () => {
    const unit = await makeUnit(w.dispatcher, { contactId: flat, lastLeakCheck: day(-400), installDate: day(-800) });
    expect(unit.nextCheckDate).toBe(pbDay(addMonths(day(-400), 12)!));
    const job = await makeJob(w.dispatcher, flat, { type: "inspection", equipmentId: unit.id, technicianId: w.ids.tech1, status: "scheduled", scheduledDate: new Date(Date.now() - 3 * 86_400_000).toISOString() });
    // Back-dated by the office: completed at 23:30 UTC, which is already the next day in Warsaw.
    const started = new Date(`${day(-3)}T20:00:00.000Z`);
    const completed = new Date(`${day(-3)}T23:30:00.000Z`);
    await w.dispatcher.collection("jobs").update(job.id, { status: "in_progress", startedAt: started.toISOString() });
    await w.dispatcher.collection("jobs").update(job.id, { status: "completed", completedDate: completed.toISOString() });
    const warsawDay = warsawDayKey(completed.getTime());
    expect(warsawDay).toBe(day(-2));
    expect(await pb.admin.collection("equipment").getOne(unit.id)).toMatchObject({
      lastLeakCheck: pbDay(warsawDay), nextCheckDate: pbDay(addMonths(warsawDay, 12)!), checkReason: "periodic",
    });
  });

  it("a technician completing it on the phone records today; a later edit of the job changes nothing", async () => {
    const unit = await makeUnit(w.dispatcher, { contactId: flat, lastLeakCheck: day(-200), lastLeakRepair: day(-3) });
    expect(unit.checkReason).toBe("repair_verification");
    const job = await makeJob(w.dispatcher, flat, { type: "inspection", equipmentId: unit.id, technicianId: w.ids.tech1, status: "scheduled", scheduledDate: new Date().toISOString() });
    await w.tech1.collection("jobs").update(job.id, { status: "in_progress" });
    await w.tech1.collection("jobs").update(job.id, { status: "completed" });
    const after = await pb.admin.collection("equipment").getOne(unit.id);
    expect(after).toMatchObject({ lastLeakCheck: pbDay(today()), checkReason: "periodic", nextCheckDate: pbDay(addMonths(today(), 12)!) });
    // The office corrects the unit's date; editing the finished job's notes does not overwrite it.
    await w.dispatcher.collection("equipment").update(unit.id, { lastLeakCheck: day(-1) });
    await w.tech1.collection("jobs").update(job.id, { notes: "Szczelne, bez uwag" });
    expect((await pb.admin.collection("equipment").getOne(unit.id)).lastLeakCheck).toBe(pbDay(day(-1)));
  });

  it("other completed jobs do not touch the unit", async () => {
    const unit = await makeUnit(w.dispatcher, { contactId: flat, lastLeakCheck: day(-50) });
    const job = await makeJob(w.dispatcher, flat, { type: "maintenance", equipmentId: unit.id, technicianId: w.ids.tech1, status: "scheduled", scheduledDate: new Date().toISOString() });
    await w.tech1.collection("jobs").update(job.id, { status: "in_progress" });
    await w.tech1.collection("jobs").update(job.id, { status: "completed" });
    expect((await pb.admin.collection("equipment").getOne(unit.id)).lastLeakCheck).toBe(pbDay(day(-50)));
  });
});

describe("bad input", () => {
  // Seeded (replayable) bodies of wrong types and odd values for every field: answered 4xx or 200,
  // never a server error; the computed columns of what was saved are never the client's.
  it("never answers 5xx and never stores client-computed values", async () => {
    const rng = createRng(4242);
    const POOL: unknown[] = [
      "", " ", "R32", "r-410a", "R1234ze(E)", "R999", "ąę💥", "x".repeat(5000), 0, -1, 1e308, 2.4, 99999.999, "1,5", "NaN", "Infinity",
      true, false, null, [], ["R32"], {}, { a: 1 }, "2026-02-30", "2999-12-31", "1900-01-01", "2026-03-10T23:59:59+14:00", day(-1), today(),
    ];
    const FIELDS = ["contactId", "location", "type", "manufacturer", "model", "serialNumber", "refrigerant", "chargeKg", "installDate",
      "hermeticallySealed", "leakDetector", "lastLeakCheck", "lastLeakRepair", "notes", "co2eTonnes", "checkIntervalMonths", "nextCheckDate", "checkReason"];
    const target = await makeUnit(w.dispatcher, { lastLeakCheck: day(-20) });
    let saves = 0;
    for (let i = 0; i < 150; i++) {
      // Half start from a valid unit with one to three odd fields, half are odd throughout.
      const body: Record<string, unknown> = i % 2 === 0 ? { contactId: flat, type: "split", refrigerant: "R410A", chargeKg: 2.4 } : {};
      if (i % 2 === 0) for (let k = rng.int(1, 3); k > 0; k--) body[rng.pick(FIELDS)] = rng.pick(POOL);
      else for (const f of FIELDS) if (rng.chance(0.35)) body[f] = rng.pick(POOL);
      const url = i % 3 === 0 ? `${pb.url}/api/collections/equipment/records/${target.id}` : `${pb.url}/api/collections/equipment/records`;
      const res = await fetch(url, {
        method: i % 3 === 0 ? "PATCH" : "POST",
        headers: { "Content-Type": "application/json", Authorization: w.dispatcher.authStore.token },
        body: JSON.stringify(body),
      });
      expect(res.status, `request ${i}: ${JSON.stringify(body).slice(0, 300)}`).toBeLessThan(500);
      if (res.ok) {
        const saved = (await res.json()) as EquipmentRecord;
        const expected = computeEquipment({ ...saved, residential: true }); // every saved unit is at the flat
        expect({ co2eTonnes: saved.co2eTonnes, checkIntervalMonths: saved.checkIntervalMonths, nextCheckDate: saved.nextCheckDate, checkReason: saved.checkReason }, `request ${i}`)
          .toEqual({ ...expected, nextCheckDate: expected.nextCheckDate ? pbDay(expected.nextCheckDate) : "" });
        saves++;
      }
    }
    expect(saves).toBeGreaterThan(5); // the check above ran on real saves
  });
});
