// The demo data loads through the real API (every hook rule applies) and loading it twice
// changes nothing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seed, type SeedSummary } from "../../src/cli/seed";
import { DEMO_PASSWORD } from "../../src/config";
import { DISTRICT_NAMES } from "../../src/domain/districts";
import { warsawDayKey } from "../../src/domain/board";
import { registerStatus, type EquipmentRecord } from "../../src/domain/fgas-register";
import { ADMIN_EMAIL, ADMIN_PASSWORD, startPocketBase, type RunningPocketBase } from "../helpers/pocketbase";

let pb: RunningPocketBase;
let first: SeedSummary;

beforeAll(async () => {
  pb = await startPocketBase();
  // The overdue cron runs all through the load (as it may every 5 minutes in `make run`): its writes
  // race the seed's job updates, which must retry the writes they lose.
  let loading = true;
  const cron = (async () => {
    while (loading) {
      await pb.admin.send("/api/hvac/maintenance/overdue-jobs", { method: "POST" });
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  try {
    first = await seed(pb.url, ADMIN_EMAIL, ADMIN_PASSWORD, new Date(), () => {});
  } finally {
    loading = false;
    await cron;
  }
}, 120_000);
afterAll(async () => {
  await pb?.stop();
});

const count = async (collection: string, filter = "") =>
  (await pb.admin.collection(collection).getList(1, 1, { filter })).totalItems;

describe("demo data", () => {
  it("has the accounts, >= 200 contacts in all 18 districts and >= 600 jobs", async () => {
    expect(first.users).toBe(9);
    expect(await count("contacts")).toBeGreaterThanOrEqual(200);
    expect(await count("jobs")).toBeGreaterThanOrEqual(600);
    for (const d of DISTRICT_NAMES) expect(await count("contacts", pb.admin.filter("district = {:d}", { d }))).toBeGreaterThan(0);
  });

  it("spans history and the coming two weeks with realistic outcomes", async () => {
    expect(await count("jobs", "status = 'completed'")).toBeGreaterThan(400);
    expect(await count("jobs", "status = 'cancelled'")).toBeGreaterThan(10);
    expect(await count("jobs", "status = 'scheduled' && scheduledDate > @now")).toBeGreaterThan(10);
    expect(await count("jobs", "status = 'completed' && actualDuration > 0 && completedDate > startedAt")).toBe(await count("jobs", "status = 'completed'"));
    const yearAgo = new Date(Date.now() - 330 * 86_400_000).toISOString().replace("T", " ");
    expect(await count("jobs", pb.admin.filter("scheduledDate < {:d}", { d: yearAgo }))).toBeGreaterThan(0);
  });

  it("starts with no open alerts for finished jobs", async () => {
    expect(await count("realtime_events", "type = 'emergency_alert' && processed = false && (jobId.status = 'completed' || jobId.status = 'cancelled')")).toBe(0);
  });

  it("every demo user logs in with the demo password; technicians serve 2-4 districts", async () => {
    const users = await pb.admin.collection("users").getFullList();
    for (const u of users) {
      const c = pb.client();
      await c.collection("users").authWithPassword(u.email, DEMO_PASSWORD);
      expect(c.authStore.isValid).toBe(true);
      if (u.role === "technician") {
        expect(u.districts.length).toBeGreaterThanOrEqual(2);
        expect(u.districts.length).toBeLessThanOrEqual(4);
      }
    }
    expect(users.map((u) => u.email).sort()).toEqual([
      "dispatcher2@hvac.demo", "dispatcher@hvac.demo", "manager@hvac.demo",
      "tech1@hvac.demo", "tech2@hvac.demo", "tech3@hvac.demo", "tech4@hvac.demo", "tech5@hvac.demo", "tech6@hvac.demo",
    ]);
  });

  it("fills the F-gas register with units in every state, computed by the equipment hook", async () => {
    expect(first.equipment).toBeGreaterThanOrEqual(12);
    const units = await pb.admin.collection("equipment").getFullList<EquipmentRecord>();
    expect(units).toHaveLength(first.equipment);
    const today = warsawDayKey(Date.now());
    const statuses = units.map((u) => registerStatus(u, today));
    for (const s of ["overdue", "no_history", "due_soon", "ok", "not_required"]) expect(statuses, s).toContain(s);
    expect(units.some((u) => u.refrigerant === "R1234ze" && u.checkIntervalMonths === 6)).toBe(true);
    expect(units.some((u) => u.checkReason === "repair_verification")).toBe(true);
    expect(units.some((u) => u.hermeticallySealed && u.checkReason === "hermetic_exempt")).toBe(true);
  });

  it("a second run, even days later, adds nothing", async () => {
    const before = { contacts: await count("contacts"), jobs: await count("jobs"), events: await count("realtime_events"), equipment: await count("equipment") };
    const again = await seed(pb.url, ADMIN_EMAIL, ADMIN_PASSWORD, new Date(Date.now() + 3 * 86_400_000), () => {});
    expect(again).toMatchObject({ users: 0, contacts: 0, jobs: 0, equipment: 0 });
    expect({ contacts: await count("contacts"), jobs: await count("jobs"), events: await count("realtime_events"), equipment: await count("equipment") }).toEqual(before);
  }, 120_000);
});
