import { describe, it, expect } from "vitest";
import { createRng, demoContacts, demoEquipment, demoJobs, demoUsers, DEMO_PASSWORD, type DemoJob } from "../../src/demo/generate";
import { warsawDayKey } from "../../src/domain/board";
import { checkEquipment, computeEquipment, registerStatus } from "../../src/domain/fgas-register";
import { DISTRICT_STREETS, JOB_TEMPLATES, surnameFor } from "../../src/demo/warsaw";
import { DISTRICT_NAMES, distanceKm, findDistrict } from "../../src/domain/districts";
import { isValidNip } from "../../src/domain/nip";
import { matchRules } from "../../src/domain/priority";
import { warsawParts } from "../../src/domain/time";

const NOW = new Date("2026-03-15T10:30:00Z"); // a Sunday mid-morning in the heating season
const DAY = 86_400_000;

const users = demoUsers();
const contacts = demoContacts();
const jobs = demoJobs(contacts, users, NOW);
const contactById = new Map(contacts.map((c) => [c.id, c]));
const userById = new Map(users.map((u) => [u.id, u]));
const ms = (iso: string | undefined): number => Date.parse(iso ?? "");
const isPast = (j: DemoJob): boolean => ms(j.scheduledDate) < NOW.getTime();

const MOBILE = /^\+48 (50\d|51\d|53\d|57\d|60\d|66\d|69\d|72\d|73\d|78\d|79\d|88\d) \d{3} \d{3}$/;
const WARSAW_LANDLINE = /^\+48 22 [2-8]\d{2} \d{2} \d{2}$/;

describe("createRng", () => {
  it("is deterministic per seed and stays in range", () => {
    const a = createRng(42);
    const b = createRng(42);
    const xs = Array.from({ length: 200 }, () => a.next());
    expect(Array.from({ length: 200 }, () => b.next())).toEqual(xs);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(createRng(43).next()).not.toBe(xs[0]);
    const r = createRng(7);
    for (let i = 0; i < 500; i++) {
      const n = r.int(3, 6);
      expect(n >= 3 && n <= 6 && Number.isInteger(n)).toBe(true);
    }
  });
});

describe("demo data is deterministic", () => {
  it("same seed -> same data, different seed -> different data", () => {
    expect(demoUsers()).toEqual(users);
    expect(demoContacts(2026)).toEqual(contacts);
    expect(demoJobs(demoContacts(2026), demoUsers(), new Date(NOW.getTime()), 2026)).toEqual(jobs);
    const other = demoContacts(7);
    expect(other).not.toEqual(contacts);
    expect(demoJobs(other, users, NOW, 7)).not.toEqual(jobs);
  });
});

describe("demo users", () => {
  it("has the 9 accounts with the right roles", () => {
    expect(DEMO_PASSWORD).toBe("hvac-demo-2026");
    const roles = Object.fromEntries(users.map((u) => [u.email, u.role]));
    expect(roles).toEqual({
      "dispatcher@hvac.demo": "dispatcher",
      "dispatcher2@hvac.demo": "dispatcher",
      "manager@hvac.demo": "manager",
      "tech1@hvac.demo": "technician",
      "tech2@hvac.demo": "technician",
      "tech3@hvac.demo": "technician",
      "tech4@hvac.demo": "technician",
      "tech5@hvac.demo": "technician",
      "tech6@hvac.demo": "technician",
    });
    for (const u of users) {
      expect(u.name).toMatch(/^\p{Lu}\p{Ll}+ \p{Lu}\p{Ll}+$/u);
      expect(u.phone).toMatch(/^\+48 6\d\d \d{3} \d{3}$/);
      expect(u.phone).toMatch(MOBILE);
    }
  });

  it("technicians serve 2-4 known districts, cover all 18 together, and have 2-5 skills", () => {
    const techs = users.filter((u) => u.role === "technician");
    const covered = new Set<string>();
    for (const t of techs) {
      expect(t.districts.length).toBeGreaterThanOrEqual(2);
      expect(t.districts.length).toBeLessThanOrEqual(4);
      expect(t.skills.length).toBeGreaterThanOrEqual(2);
      expect(t.skills.length).toBeLessThanOrEqual(5);
      for (const d of t.districts) {
        expect(findDistrict(d)).toBeDefined();
        covered.add(d);
      }
    }
    expect([...covered].sort()).toEqual([...DISTRICT_NAMES].sort());
  });
});

describe("demo contacts", () => {
  it("has enough contacts in every district", () => {
    expect(contacts.length).toBeGreaterThanOrEqual(200);
    for (const d of DISTRICT_NAMES) {
      expect(contacts.filter((c) => c.district === d).length, d).toBeGreaterThanOrEqual(4);
    }
    const inMokotow = contacts.filter((c) => c.district === "Mokotów").length;
    const inRembertow = contacts.filter((c) => c.district === "Rembertów").length;
    expect(inMokotow).toBeGreaterThan(3 * inRembertow);
  });

  it("places every contact within 0.8 * radiusKm of its district centre", () => {
    for (const c of contacts) {
      const d = findDistrict(c.district)!;
      expect(distanceKm(c.coordinates, d.centre), c.id).toBeLessThanOrEqual(0.8 * d.radiusKm);
    }
  });

  it("has a plausible mix of property types", () => {
    const share = (t: string): number => contacts.filter((c) => c.propertyType === t).length / contacts.length;
    expect(share("apartment")).toBeGreaterThan(0.5);
    expect(share("apartment")).toBeLessThan(0.7);
    expect(share("house")).toBeGreaterThan(0.17);
    expect(share("house")).toBeLessThan(0.33);
    expect(share("commercial")).toBeGreaterThan(0.09);
    expect(share("commercial")).toBeLessThan(0.21);
    const houseShare = (ds: string[]): number => {
      const cs = contacts.filter((c) => ds.includes(c.district));
      return cs.filter((c) => c.propertyType === "house").length / cs.length;
    };
    expect(houseShare(["Wawer", "Wesoła", "Wilanów", "Rembertów"])).toBeGreaterThan(houseShare(["Śródmieście", "Wola", "Ochota"]));
  });

  it("gives commercial contacts (and only them) a valid NIP", () => {
    for (const c of contacts) {
      if (c.propertyType === "commercial") expect(isValidNip(c.nip), `${c.id} ${c.nip}`).toBe(true);
      else expect(c.nip).toBe("");
    }
  });

  it("formats addresses, phones and e-mails like Warsaw ones", () => {
    for (const c of contacts) {
      expect(c.address).toMatch(/^(ul|al|pl)\. .+ \d+[A-C]?( m\. \d+| lok\. U\d+)?, 0[0-5]-\d{3} Warszawa$/);
      expect(c.address.includes(" m. ")).toBe(c.propertyType === "apartment");
      const code = /(\d{2})-(\d{3}) Warszawa$/.exec(c.address)!;
      const n = Number(code[1] + code[2]);
      if (c.district === "Wesoła") expect([5075, 5077]).toContain(n);
      else expect(n >= 1 && n <= 4999).toBe(true);
      expect(MOBILE.test(c.phone) || WARSAW_LANDLINE.test(c.phone), c.phone).toBe(true);
      if (c.email) expect(c.email).toMatch(/^[a-z0-9][a-z0-9.-]*@[a-z0-9-]+(\.[a-z0-9-]+)+$/);
    }
    expect(contacts.some((c) => c.email === "")).toBe(true);
    expect(contacts.some((c) => c.notes !== "")).toBe(true);
  });

  it("gives every contact a distinct name", () => {
    expect(new Set(contacts.map((c) => c.name)).size).toBe(contacts.length);
  });

  it("sets an explicit affluence score for a minority only", () => {
    const explicit = contacts.filter((c) => c.affluenceScore !== undefined);
    expect(explicit.length / contacts.length).toBeGreaterThan(0.1);
    expect(explicit.length / contacts.length).toBeLessThan(0.3);
    for (const c of explicit) expect(Number.isInteger(c.affluenceScore) && c.affluenceScore! >= 0 && c.affluenceScore! <= 100).toBe(true);
  });
});

describe("ids", () => {
  it("are 15 chars of [a-z0-9] and unique across users, contacts and jobs", () => {
    const ids = [...users, ...contacts, ...jobs].map((r) => r.id);
    for (const id of ids) expect(id).toMatch(/^[a-z0-9]{15}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe("demo jobs", () => {
  it("has enough jobs spanning the past 12 months and the next 14 days", () => {
    expect(jobs.length).toBeGreaterThanOrEqual(600);
    const times = jobs.map((j) => ms(j.scheduledDate));
    const min = Math.min(...times);
    const max = Math.max(...times);
    expect(min).toBeGreaterThanOrEqual(NOW.getTime() - 365 * DAY);
    expect(min).toBeLessThan(NOW.getTime() - 350 * DAY);
    expect(max).toBeLessThanOrEqual(NOW.getTime() + 14 * DAY);
    expect(max).toBeGreaterThan(NOW.getTime() + 10 * DAY);
    expect(jobs.filter((j) => !isPast(j)).length).toBeGreaterThanOrEqual(20);
  });

  it("references existing contacts and technicians serving the contact's district", () => {
    for (const j of jobs) {
      const c = contactById.get(j.contactId);
      expect(c, j.id).toBeDefined();
      if (j.finalStatus === "pending") {
        expect(j.technicianId).toBe("");
        continue;
      }
      const tech = userById.get(j.technicianId);
      expect(tech?.role, j.id).toBe("technician");
      expect(tech!.districts, j.id).toContain(c!.district);
    }
  });

  it("schedules Mon-Sat between 07:00 and 18:00 Warsaw time, mostly on weekdays", () => {
    for (const j of jobs) {
      const p = warsawParts(new Date(j.scheduledDate));
      expect(p.weekday, j.scheduledDate).not.toBe(0);
      const start = p.hour * 60 + p.minute;
      expect(start).toBeGreaterThanOrEqual(7 * 60);
      expect(start + j.estimatedDuration).toBeLessThanOrEqual(18 * 60);
    }
    const saturdays = jobs.filter((j) => warsawParts(new Date(j.scheduledDate)).weekday === 6).length;
    expect(saturdays / jobs.length).toBeLessThan(0.12);
  });

  it("never books a technician into two overlapping jobs", () => {
    const byTech = new Map<string, DemoJob[]>();
    for (const j of jobs) if (j.technicianId) byTech.set(j.technicianId, [...(byTech.get(j.technicianId) ?? []), j]);
    for (const list of byTech.values()) {
      list.sort((a, b) => ms(a.scheduledDate) - ms(b.scheduledDate));
      for (let i = 1; i < list.length; i++) {
        const prevEnd = ms(list[i - 1].scheduledDate) + list[i - 1].estimatedDuration * 60_000;
        expect(ms(list[i].scheduledDate), list[i].id).toBeGreaterThanOrEqual(prevEnd);
      }
    }
  });

  it("keeps estimated durations in the range of the job type", () => {
    const range = { installation: [180, 480], maintenance: [60, 120], repair: [60, 180], inspection: [30, 90] };
    for (const j of jobs) {
      const [lo, hi] = range[j.type];
      expect(j.estimatedDuration, j.id).toBeGreaterThanOrEqual(lo);
      expect(j.estimatedDuration, j.id).toBeLessThanOrEqual(hi);
    }
  });

  it("gives past jobs a consistent final state", () => {
    const past = jobs.filter(isPast);
    const count = (s: string): number => past.filter((j) => j.finalStatus === s).length;
    expect(count("completed") / past.length).toBeGreaterThan(0.8);
    expect(count("cancelled") / past.length).toBeGreaterThan(0.03);
    expect(count("cancelled") / past.length).toBeLessThan(0.12);
    expect(count("scheduled")).toBe(0);
    for (const j of past) {
      if (j.finalStatus === "completed") {
        const started = ms(j.startedAt);
        const done = ms(j.completedDate);
        expect(done, j.id).toBeGreaterThan(started);
        expect(done).toBeLessThanOrEqual(NOW.getTime());
        expect(Math.abs(started - ms(j.scheduledDate))).toBeLessThanOrEqual(40 * 60_000);
        expect(j.actualDuration).toBe(Math.round((done - started) / 60_000));
        expect(j.actualDuration!).toBeGreaterThanOrEqual(Math.floor(j.estimatedDuration * 0.7));
        expect(j.actualDuration!).toBeLessThanOrEqual(Math.ceil(j.estimatedDuration * 1.5));
      } else if (j.finalStatus === "in_progress") {
        expect(ms(j.startedAt)).toBeLessThanOrEqual(NOW.getTime());
        expect(NOW.getTime() - ms(j.scheduledDate)).toBeLessThan(DAY);
        expect(j.completedDate).toBeUndefined();
      } else {
        expect(j.startedAt).toBeUndefined();
        expect(j.completedDate).toBeUndefined();
      }
    }
  });

  it("produces in-progress jobs when `now` is during working hours", () => {
    const weekdayNoon = new Date("2026-03-17T12:00:00Z"); // Tuesday 13:00 in Warsaw
    const busy = demoJobs(contacts, users, weekdayNoon);
    const inProgress = busy.filter((j) => j.finalStatus === "in_progress");
    expect(inProgress.length).toBeGreaterThan(0);
    for (const j of inProgress) expect(weekdayNoon.getTime() - ms(j.scheduledDate)).toBeLessThan(DAY);
    expect(busy.filter((j) => j.finalStatus !== "pending" && j.finalStatus !== "cancelled").length).toBeGreaterThan(0);
  });

  it("splits future jobs into scheduled and unassigned pending ones", () => {
    const future = jobs.filter((j) => !isPast(j));
    for (const j of future) expect(["scheduled", "pending"]).toContain(j.finalStatus);
    const pending = future.filter((j) => j.finalStatus === "pending").length;
    expect(pending).toBeGreaterThan(0);
    expect(pending / future.length).toBeLessThan(0.4);
  });

  it("follows the seasons: heating repairs in winter, air conditioning in summer", () => {
    const month = (j: DemoJob): number => warsawParts(new Date(j.scheduledDate)).month;
    const winter = jobs.filter((j) => [11, 12, 1, 2].includes(month(j)));
    const summer = jobs.filter((j) => [6, 7, 8].includes(month(j)));
    const ac = (j: DemoJob): boolean => /klimatyz/i.test(j.title);
    const share = (xs: DemoJob[], f: (j: DemoJob) => boolean): number => xs.filter(f).length / xs.length;
    expect(share(summer, ac)).toBeGreaterThan(2 * share(winter, ac));
    expect(share(winter, (j) => j.type === "repair")).toBeGreaterThan(share(summer, (j) => j.type === "repair"));
  });

  it("trips the priority rules on a few jobs only, and only via the emergency templates", () => {
    const winter = new Date("2026-01-15T10:00:00Z");
    const fires = (title: string, description: string): boolean =>
      matchRules({ title, description, now: winter }).some((m) => m.rule !== "commercial_repair");
    const firing = jobs.filter((j) => fires(j.title, j.description));
    expect(firing.length / jobs.length).toBeGreaterThan(0.005);
    expect(firing.length / jobs.length).toBeLessThan(0.05);
    for (const t of JOB_TEMPLATES) expect(fires(t.title, t.description), t.title).toBe(!!t.emergency);
    const medium = jobs.filter((j) => j.priority === "medium").length;
    expect(medium / jobs.length).toBeGreaterThan(0.6);
  });
});

describe("Warsaw static data", () => {
  it("lists 6-10 streets for each of the 18 districts", () => {
    expect(Object.keys(DISTRICT_STREETS).sort()).toEqual([...DISTRICT_NAMES].sort());
    for (const d of DISTRICT_NAMES) {
      expect(DISTRICT_STREETS[d].length, d).toBeGreaterThanOrEqual(6);
      expect(DISTRICT_STREETS[d].length, d).toBeLessThanOrEqual(10);
    }
  });

  it("uses feminine forms of -ski/-cki/-dzki surnames", () => {
    expect(surnameFor("Kowalski", true)).toBe("Kowalska");
    expect(surnameFor("Czarnecki", true)).toBe("Czarnecka");
    expect(surnameFor("Zawadzki", true)).toBe("Zawadzka");
    expect(surnameFor("Nowak", true)).toBe("Nowak");
    expect(surnameFor("Kowalski", false)).toBe("Kowalski");
    const people = contacts.filter((c) => c.propertyType !== "commercial").map((c) => c.name);
    expect(people.some((n) => /ska$/.test(n))).toBe(true);
    expect(people.every((n) => !/^(Anna|Ewa|Maria|Zofia) \S+ski$/.test(n))).toBe(true);
  });
});

describe("demo equipment (the F-gas register)", () => {
  // Two moments of first seeding: winter (the NOW above) and a summer evening, so month arithmetic
  // and the Warsaw date are exercised both ways.
  it.each([NOW, new Date("2026-07-31T21:30:00Z")])("on %s shows units in every state", (now) => {
    const units = demoEquipment(contacts, now);
    const today = warsawDayKey(now.getTime());
    expect(demoEquipment(contacts, now)).toEqual(units); // deterministic
    expect(units.length).toBeGreaterThanOrEqual(12);
    expect(new Set(units.map((u) => u.id)).size).toBe(units.length);
    for (const u of units) {
      expect(u.id).toMatch(/^[a-z0-9]{15}$/);
      const contact = contactById.get(u.contactId)!;
      expect(contact, u.id).toBeDefined();
      // Every unit passes the same checks the equipment hook applies to the office's entries.
      expect(checkEquipment(u, today), u.id).toEqual([]);
    }
    const computed = units.map((u) => {
      const residential = contactById.get(u.contactId)!.propertyType !== "commercial";
      return { u, c: computeEquipment({ ...u, residential }) };
    });
    const statuses = computed.map(({ c }) => registerStatus(c, today));
    for (const s of ["overdue", "no_history", "due_soon", "ok", "not_required"]) expect(statuses, s).toContain(s);
    expect(computed.some(({ u, c }) => /^R1234/.test(u.refrigerant) && c.checkIntervalMonths > 0)).toBe(true);
    expect(computed.some(({ u, c }) => u.hermeticallySealed && c.checkReason === "hermetic_exempt")).toBe(true);
    expect(computed.some(({ u, c }) => u.leakDetector && c.checkIntervalMonths === 6 && registerStatus(c, today) === "ok")).toBe(true);
    expect(computed.some(({ u, c }) => u.lastLeakRepair > u.lastLeakCheck && c.checkReason === "repair_verification")).toBe(true);
    expect(units.every((u) => !u.lastLeakCheck || u.lastLeakCheck <= today)).toBe(true);
  });

  it("puts larger plant at firms and small units in homes", () => {
    const units = demoEquipment(contacts, NOW);
    for (const u of units) {
      const type = contactById.get(u.contactId)!.propertyType;
      if (u.chargeKg >= 6) expect(type, u.model).toBe("commercial");
    }
    expect(units.some((u) => contactById.get(u.contactId)!.propertyType !== "commercial")).toBe(true);
  });
});
