// Deterministic Warsaw demo data: accounts, customers and a year of HVAC jobs. Pure functions of a
// seed (and `now` for jobs): no Math.random, no clock, no I/O, so `hvac seed` is repeatable and the
// fixed record ids make it idempotent.

import { defaultAffluence } from "../domain/contacts";
import type { EquipmentFields } from "../domain/fgas-register";
import { DISTRICTS, DISTRICT_NAMES, findDistrict } from "../domain/districts";
import { completeNip } from "../domain/nip";
import { fold } from "../domain/text";
import { warsawOffsetMinutes } from "../domain/time";
import { JOB_TYPES, type JobType, type LatLng, type Priority, type PropertyType, type Role, type Skill, type UserRecord } from "../domain/types";
import {
  AC_BRANDS, AC_POWERS, BOILER_BRANDS, DISTRICT_POPULATION_K, DISTRICT_POSTAL_RANGES, DISTRICT_PROPERTY_MIX,
  DISTRICT_STREETS, FEMALE_FIRST_NAMES, FIRM_NAMES, FIRM_TEMPLATES, HEAT_PUMP_MODELS, JOB_TEMPLATES,
  MALE_FIRST_NAMES, NOTES_ANY, NOTES_APARTMENT, NOTES_COMMERCIAL, NOTES_HOUSE, SURNAMES, formatPostalCode,
  streetLabel, surnameFor, type JobTemplate, type Season,
} from "./warsaw";

export { DEMO_PASSWORD } from "../config";
export const DEFAULT_SEED = 2026;

// ------------------------------------------------------------------------------------------------
// Seeded PRNG

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer in [min, max], both inclusive. */
  int(min: number, max: number): number;
  /** Uniform float in [min, max). */
  float(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  /** Picks with probability proportional to weight(item); items with weight <= 0 are never picked. */
  weighted<T>(items: readonly T[], weight: (item: T) => number): T;
  chance(p: number): boolean;
  /** Approximately normal (Irwin-Hall, sum of 4 uniforms); never further than 2*sqrt(3)*sd from the mean. */
  normal(mean: number, sd: number): number;
  /** Poisson-distributed count (Knuth; fine for the small means used here). */
  poisson(mean: number): number;
}

/** mulberry32: tiny, fast and good enough for demo data; the same seed gives the same sequence. */
export function createRng(seed: number): Rng {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const rng: Rng = {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    float: (min, max) => min + next() * (max - min),
    pick: (items) => {
      if (items.length === 0) throw new Error("pick from an empty list");
      return items[Math.floor(next() * items.length)];
    },
    weighted: (items, weight) => {
      let total = 0;
      for (const it of items) total += Math.max(0, weight(it));
      if (!(total > 0)) throw new Error("weighted pick with no positive weight");
      let r = next() * total;
      for (const it of items) {
        const w = Math.max(0, weight(it));
        if (r < w) return it;
        r -= w;
      }
      // Floating-point leftovers: the last item with a positive weight.
      for (let i = items.length - 1; i >= 0; i--) if (weight(items[i]) > 0) return items[i];
      return items[items.length - 1];
    },
    chance: (p) => next() < p,
    normal: (mean, sd) => {
      // Sum of 4 uniforms has variance 4/12; rescale to unit variance.
      const s = next() + next() + next() + next() - 2;
      return mean + sd * s * Math.sqrt(3);
    },
    poisson: (mean) => {
      const limit = Math.exp(-mean);
      let k = 0;
      let p = next();
      while (p > limit) {
        k++;
        p *= next();
      }
      return k;
    },
  };
  return rng;
}

// ------------------------------------------------------------------------------------------------
// Ids and small formatters

/** A PocketBase record id: exactly 15 characters of [a-z0-9]. */
function demoId(prefix: string, n: number): string {
  const id = prefix + String(n).padStart(15 - prefix.length, "0");
  if (!/^[a-z0-9]{15}$/.test(id)) throw new Error(`bad demo id ${id}`);
  return id;
}

/** Polish mobile prefixes as assigned to operators (Orange, Play, Plus, T-Mobile and MVNOs). */
const MOBILE_PREFIXES: readonly string[] = [
  "50", "51", "53", "57", "60", "66", "69", "72", "73", "78", "79", "88",
].flatMap((p) => Array.from({ length: 10 }, (_, i) => p + i));
const MOBILE_6XX = MOBILE_PREFIXES.filter((p) => p.startsWith("6"));

function digits(rng: Rng, n: number): string {
  let s = "";
  for (let i = 0; i < n; i++) s += String(rng.int(0, 9));
  return s;
}

/** "+48 601 234 567" */
function mobilePhone(rng: Rng, prefixes: readonly string[] = MOBILE_PREFIXES): string {
  return `+48 ${rng.pick(prefixes)} ${digits(rng, 3)} ${digits(rng, 3)}`;
}

/** Warsaw landline, "+48 22 612 34 56" (subscriber numbers start 2-8). */
function landlinePhone(rng: Rng): string {
  return `+48 22 ${rng.int(2, 8)}${digits(rng, 2)} ${digits(rng, 2)} ${digits(rng, 2)}`;
}

/** ASCII e-mail local part from Polish text: "Małgorzata Wiśniewska" -> "malgorzata.wisniewska". */
function emailPart(text: string): string {
  return fold(text).replace(/ /g, ".");
}

/** A working day (Warsaw local) at hour:minute, as a UTC instant. `localMidnight` is Date.UTC(y, m, d). */
function warsawInstant(localMidnight: number, minuteOfDay: number): number {
  const local = localMidnight + minuteOfDay * 60_000;
  // Guess with winter time, then correct; service hours never fall into the 02:00-03:00 DST gap.
  const guess = local - 60 * 60_000;
  return local - warsawOffsetMinutes(new Date(guess)) * 60_000;
}

// ------------------------------------------------------------------------------------------------
// Users

/** A demo account: the user fields the seeder sets, with a fixed 15-char id; `districts` is
 * empty for office staff. */
export type DemoUser = Pick<UserRecord, "id" | "email" | "name" | "role" | "phone" | "districts" | "skills">;

interface UserSpec {
  key: string;
  id: string;
  role: Role;
  name: string;
  districts: string[];
  skills: Skill[];
}

/**
 * Technicians cover neighbouring districts, with overlaps in the big ones (Mokotów, Ochota, Wola,
 * Żoliborz, Praga-Południe) so the board has a choice there. Skill sets differ on purpose: not
 * everybody holds the gas (G3) or F-gas certificate.
 */
const USER_SPECS: readonly UserSpec[] = [
  { key: "dispatcher", id: "demouserdisp001", role: "dispatcher", name: "Katarzyna Wiśniewska", districts: [], skills: [] },
  { key: "dispatcher2", id: "demouserdisp002", role: "dispatcher", name: "Magdalena Zielińska", districts: [], skills: [] },
  { key: "manager", id: "demousermngr001", role: "manager", name: "Tomasz Lewandowski", districts: [], skills: [] },
  {
    key: "tech1", id: "demousertech001", role: "technician", name: "Marek Kowalczyk",
    districts: ["Mokotów", "Ursynów", "Wilanów"], skills: ["installation", "maintenance", "repair", "gas", "fgas"],
  },
  {
    key: "tech2", id: "demousertech002", role: "technician", name: "Paweł Nowicki",
    districts: ["Śródmieście", "Ochota", "Wola", "Żoliborz"], skills: ["maintenance", "repair", "inspection", "gas"],
  },
  {
    key: "tech3", id: "demousertech003", role: "technician", name: "Krzysztof Wójcik",
    districts: ["Bemowo", "Bielany", "Żoliborz", "Wola"], skills: ["installation", "maintenance", "repair", "gas", "fgas"],
  },
  {
    key: "tech4", id: "demousertech004", role: "technician", name: "Michał Dąbrowski",
    districts: ["Praga-Północ", "Targówek", "Białołęka", "Praga-Południe"],
    skills: ["installation", "maintenance", "repair", "inspection", "fgas"],
  },
  {
    key: "tech5", id: "demousertech005", role: "technician", name: "Grzegorz Mazur",
    districts: ["Praga-Południe", "Wawer", "Wesoła", "Rembertów"], skills: ["maintenance", "repair", "inspection", "gas"],
  },
  {
    key: "tech6", id: "demousertech006", role: "technician", name: "Łukasz Kamiński",
    districts: ["Ursus", "Włochy", "Ochota", "Mokotów"], skills: ["installation", "maintenance", "inspection", "fgas"],
  },
];

/** The 9 demo accounts (password DEMO_PASSWORD). Phones come from a fixed seed, so they never change. */
export function demoUsers(): DemoUser[] {
  const rng = createRng(0x5eed);
  return USER_SPECS.map((u) => ({
    id: u.id,
    email: `${u.key}@hvac.demo`,
    name: u.name,
    role: u.role,
    phone: mobilePhone(rng, MOBILE_6XX),
    districts: [...u.districts],
    skills: [...u.skills],
  }));
}

// ------------------------------------------------------------------------------------------------
// Contacts

export interface DemoContact {
  /** Fixed 15-char PocketBase id. */
  id: string;
  name: string;
  /** "" when the customer gave none. */
  email: string;
  phone: string;
  address: string;
  district: string;
  propertyType: PropertyType;
  /** Inside the district: within 0.8 * radiusKm of its centre. */
  coordinates: LatLng;
  /** Valid NIP for commercial customers, "" otherwise. */
  nip: string;
  /** "" when there is nothing to note. */
  notes: string;
  /** Explicit for about one in five; otherwise the server derives it from district and property type. */
  affluenceScore?: number;
}

const TARGET_CONTACTS = 240;
const MIN_PER_DISTRICT = 4;

/** Contacts per district: proportional to population, at least MIN_PER_DISTRICT. */
function contactsPerDistrict(): Map<string, number> {
  const total = DISTRICT_NAMES.reduce((s, d) => s + DISTRICT_POPULATION_K[d], 0);
  const out = new Map<string, number>();
  for (const d of DISTRICT_NAMES) {
    out.set(d, Math.max(MIN_PER_DISTRICT, Math.round((TARGET_CONTACTS * DISTRICT_POPULATION_K[d]) / total)));
  }
  return out;
}

/** Tax-office prefixes of Warsaw urzędy skarbowe, so NIPs look local. */
const WARSAW_NIP_PREFIXES: readonly string[] = [
  "521", "522", "524", "525", "526", "527", "528", "531", "534", "536", "113", "116", "117", "118", "951", "701",
];

function validNip(rng: Rng): string {
  for (;;) {
    const nip = completeNip(rng.pick(WARSAW_NIP_PREFIXES) + digits(rng, 6));
    if (nip) return nip; // about 1 in 11 draws has no valid checksum digit: draw again
  }
}

/** Uniform point in a disc around the district centre. */
function pointInDistrict(rng: Rng, district: string): LatLng {
  const d = findDistrict(district);
  if (!d) throw new Error(`unknown district ${district}`);
  // 0.79 rather than 0.8: a sliver of margin for rounding to 6 decimals and the km-per-degree constant.
  const r = 0.79 * d.radiusKm * Math.sqrt(rng.next());
  const theta = rng.next() * 2 * Math.PI;
  const kmPerDegLat = 111.32;
  const kmPerDegLng = 111.32 * Math.cos((d.centre.lat * Math.PI) / 180);
  return {
    lat: Math.round((d.centre.lat + (r * Math.cos(theta)) / kmPerDegLat) * 1e6) / 1e6,
    lng: Math.round((d.centre.lng + (r * Math.sin(theta)) / kmPerDegLng) * 1e6) / 1e6,
  };
}

function postalCode(rng: Rng, district: string): string {
  const [lo, hi] = rng.pick(DISTRICT_POSTAL_RANGES[district]);
  return formatPostalCode(rng.int(lo, hi));
}

function propertyTypeFor(rng: Rng, district: string): PropertyType {
  const mix = DISTRICT_PROPERTY_MIX[district];
  const r = rng.next();
  if (r < mix.commercial) return "commercial";
  if (r < mix.commercial + mix.house) return "house";
  return "apartment";
}

/** `building` fixes the house number (a housing community is named after its building). */
function address(rng: Rng, street: string, district: string, type: PropertyType, building?: number): string {
  let line: string;
  if (type === "apartment") {
    // Blocks of flats: lower building numbers are more common; flat numbers up to a large block.
    line = `${streetLabel(street)} ${rng.int(1, rng.chance(0.7) ? 60 : 220)} m. ${rng.int(1, rng.chance(0.8) ? 60 : 180)}`;
  } else if (type === "house") {
    const letter = rng.chance(0.15) ? rng.pick(["A", "B", "C"]) : "";
    line = `${streetLabel(street)} ${rng.int(1, 150)}${letter}`;
  } else if (building !== undefined) {
    line = `${streetLabel(street)} ${building}`;
  } else {
    const unit = rng.chance(0.35) ? ` lok. U${rng.int(1, 12)}` : "";
    line = `${streetLabel(street)} ${rng.int(1, 180)}${unit}`;
  }
  return `${line}, ${postalCode(rng, district)} Warszawa`;
}

const PERSONAL_DOMAINS: readonly string[] = [
  "gmail.com", "gmail.com", "gmail.com", "wp.pl", "wp.pl", "onet.pl", "o2.pl", "interia.pl", "op.pl", "outlook.com",
];

function personEmail(rng: Rng, first: string, last: string): string {
  const f = emailPart(first);
  const l = emailPart(last);
  const local = rng.pick([`${f}.${l}`, `${f}.${l}`, `${f[0]}${l}`, `${l}.${f}`, `${f}${l}${rng.int(1, 99)}`, `${f}.${l}${rng.int(70, 99)}`]);
  return `${local}@${rng.pick(PERSONAL_DOMAINS)}`;
}

function firmEmail(rng: Rng, firm: string): string {
  const wspolnota = /^Wspólnota Mieszkaniowa (.+)$/.exec(firm);
  if (wspolnota) return `wspolnota.${fold(wspolnota[1]).replace(/ /g, "")}@${rng.pick(PERSONAL_DOMAINS)}`;
  // Domain from the distinctive words: legal forms and "i Wspólnicy" dropped, long names shortened.
  const legal = new Set(["sp", "z", "o", "j", "s", "c", "i", "wspolnicy"]);
  const words = fold(firm).split(" ").filter((w) => !legal.has(w));
  const slug = (words.length <= 3 ? words : [words[0], words[words.length - 1]]).join("-");
  const box = /^(Hotel|Hostel|Pensjonat)/.test(firm) ? "recepcja" : rng.pick(["biuro", "kontakt", "info", "biuro"]);
  return `${box}@${slug}${rng.pick([".pl", ".pl", ".com.pl", ".waw.pl"])}`;
}

function fillNote(rng: Rng, note: string): string {
  return note.replace("{n}", String(rng.int(2, 10) === 10 ? rng.int(11, 99) : rng.int(2, 9)));
}

/**
 * About 240 customers over all 18 districts, deterministic for a seed. Ids are "democontact0001"...
 * in generation order (districts in DISTRICTS order).
 */
export function demoContacts(seed: number = DEFAULT_SEED): DemoContact[] {
  const rng = createRng(seed ^ 0x0c0ffee);
  const counts = contactsPerDistrict();
  const usedNames = new Set<string>();
  const firms = [...FIRM_NAMES];
  const out: DemoContact[] = [];

  for (const d of DISTRICTS) {
    const district = d.name;
    const streets = DISTRICT_STREETS[district];
    for (let i = 0; i < (counts.get(district) ?? 0); i++) {
      const propertyType = propertyTypeFor(rng, district);
      const street = rng.pick(streets);
      let name: string;
      let email: string;
      let phone: string;
      let nip = "";
      let building: number | undefined;
      if (propertyType === "commercial") {
        name = "";
        // Housing communities (wspólnoty) are typical boiler-room customers; otherwise a shop, office, etc.
        for (let attempt = 0; attempt < 50 && (name === "" || usedNames.has(name)); attempt++) {
          const kind = rng.next();
          building = undefined;
          if (kind < 0.2) {
            building = rng.int(1, 120);
            name = `Wspólnota Mieszkaniowa ${street.replace(/^(al|pl)\. /, "")} ${building}`;
          } else if (kind < 0.6 && firms.length > 0) {
            name = firms.splice(rng.int(0, firms.length - 1), 1)[0];
          } else {
            name = rng.pick(FIRM_TEMPLATES).replace("{surname}", rng.pick(SURNAMES));
          }
        }
        email = rng.chance(0.92) ? firmEmail(rng, name) : "";
        phone = rng.chance(0.7) ? landlinePhone(rng) : mobilePhone(rng);
        nip = validNip(rng);
      } else {
        // Unique names keep the demo searchable (two "Anna Nowak" cards would confuse a walkthrough).
        let first = "";
        let last = "";
        for (let attempt = 0; attempt < 50 && (first === "" || usedNames.has(`${first} ${last}`)); attempt++) {
          const female = rng.chance(0.5);
          first = rng.pick(female ? FEMALE_FIRST_NAMES : MALE_FIRST_NAMES);
          last = surnameFor(rng.pick(SURNAMES), female);
        }
        name = `${first} ${last}`;
        email = rng.chance(0.85) ? personEmail(rng, first, last) : "";
        phone = rng.chance(0.9) ? mobilePhone(rng) : landlinePhone(rng);
      }
      usedNames.add(name);

      let notes = "";
      if (rng.chance(0.35)) {
        const pool =
          propertyType === "apartment" ? NOTES_APARTMENT : propertyType === "house" ? NOTES_HOUSE : NOTES_COMMERCIAL;
        notes = fillNote(rng, rng.pick(rng.chance(0.7) ? pool : NOTES_ANY));
      }

      const contact: DemoContact = {
        id: demoId("democontact", out.length + 1),
        name,
        email,
        phone,
        address: address(rng, street, district, propertyType, building),
        district,
        propertyType,
        coordinates: pointInDistrict(rng, district),
        nip,
        notes,
      };
      if (rng.chance(0.2)) {
        // A score someone set by hand: scattered around the default the server would derive.
        const base = defaultAffluence(district, propertyType);
        contact.affluenceScore = Math.max(5, Math.min(100, Math.round(rng.normal(base, 10))));
      }
      out.push(contact);
    }
  }
  return out;
}

// ------------------------------------------------------------------------------------------------
// Jobs

export interface DemoJob {
  /** Fixed 15-char PocketBase id, "demojob00000001"... in chronological order. */
  id: string;
  contactId: string;
  title: string;
  description: string;
  type: JobType;
  /** What the dispatcher asked for; the server's priority rules may raise it. */
  priority: Priority;
  estimatedDuration: number;
  /** "" for unassigned (pending) jobs. */
  technicianId: string;
  /** ISO 8601 UTC; for pending jobs the date the customer asked for. */
  scheduledDate: string;
  /** The status the job ends in after seeding walks it through the lifecycle. */
  finalStatus: "pending" | "scheduled" | "in_progress" | "completed" | "cancelled";
  /** ISO; in_progress and completed jobs. */
  startedAt?: string;
  /** ISO; completed jobs. */
  completedDate?: string;
  /** Minutes; completed jobs. */
  actualDuration?: number;
}

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const PAST_DAYS = 365;
const FUTURE_DAYS = 14;
const WORK_START = 7 * 60;
const WORK_END = 18 * 60;

const TYPE_MINUTES: Record<JobType, readonly [number, number]> = {
  installation: [180, 480],
  maintenance: [60, 120],
  repair: [60, 180],
  inspection: [30, 90],
};

/** Seasonal demand by month (1-12): winter boiler breakdowns, summer air conditioning, quiet spring and autumn. */
const MONTH_LOAD = [0, 1.3, 1.2, 1.0, 0.85, 0.95, 1.15, 1.2, 1.05, 0.9, 1.15, 1.3, 1.2];

function seasonOf(month: number): Exclude<Season, "any"> | "shoulder" {
  if (month >= 10 || month <= 3) return "heating";
  if (month >= 5 && month <= 8) return "cooling";
  return "shoulder";
}

const TYPE_MIX: Record<ReturnType<typeof seasonOf>, Record<JobType, number>> = {
  heating: { repair: 0.42, maintenance: 0.3, inspection: 0.15, installation: 0.13 },
  cooling: { installation: 0.35, maintenance: 0.33, repair: 0.22, inspection: 0.1 },
  shoulder: { installation: 0.22, maintenance: 0.38, repair: 0.24, inspection: 0.16 },
};

function templateWeight(t: JobTemplate, season: ReturnType<typeof seasonOf>): number {
  const s = t.season ?? "any";
  if (s === "any" || season === "shoulder") return 1;
  if (s === season) return 3;
  // Out of season: rare, and emergencies that only make sense in season (no heat in July) never.
  return t.emergency ? 0 : 0.2;
}

/** Easter Sunday (Gregorian, anonymous algorithm) as Date.UTC midnight. */
function easterUtc(year: number): number {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return Date.UTC(year, month - 1, day);
}

/** Polish public holidays that fall on working days (Mon-Sat); nobody books a service visit then. */
function isPublicHoliday(localMidnight: number): boolean {
  const d = new Date(localMidnight);
  const y = d.getUTCFullYear();
  const md = `${d.getUTCMonth() + 1}-${d.getUTCDate()}`;
  const fixed = ["1-1", "1-6", "5-1", "5-3", "8-15", "11-1", "11-11", "12-25", "12-26"];
  if (y >= 2025) fixed.push("12-24"); // Wigilia is a public holiday from 2025
  if (fixed.includes(md)) return true;
  const easter = easterUtc(y);
  return localMidnight === easter + DAY || localMidnight === easter + 60 * DAY; // Easter Monday, Corpus Christi
}

function fill(text: string, brands: { boiler: string; ac: string; hp: string; kw: string }): string {
  return text
    .replace(/\{boiler\}/g, brands.boiler)
    .replace(/\{ac\}/g, brands.ac)
    .replace(/\{hp\}/g, brands.hp)
    .replace(/\{kw\}/g, brands.kw);
}

function roundTo(n: number, step: number): number {
  return Math.round(n / step) * step;
}

function requestedPriority(rng: Rng, type: JobType, emergency: boolean): Priority {
  if (emergency) return "high";
  const r = rng.next();
  const low = type === "inspection" || type === "maintenance" ? 0.22 : 0.08;
  if (r < low) return "low";
  if (r < 0.92) return "medium";
  return "high";
}

/**
 * About 800 jobs over the 12 months before `now` and about 40 in the 14 days after it. Each
 * technician's day is filled with sequential, non-overlapping slots between 07:00 and 18:00 Warsaw
 * time (Mon-Sat, no public holidays). Past jobs end completed (~90%), cancelled (~8%), a few pending
 * (last month, never assigned) or in progress (started today and not finished yet); future jobs are
 * scheduled (~80%) or pending without a technician (~20%).
 */
export function demoJobs(
  contacts: readonly DemoContact[],
  users: readonly DemoUser[],
  now: Date,
  seed: number = DEFAULT_SEED,
): DemoJob[] {
  const rng = createRng(seed ^ 0x10b5);
  const nowMs = now.getTime();
  const startMs = nowMs - PAST_DAYS * DAY;
  const endMs = nowMs + FUTURE_DAYS * DAY;
  const technicians = users.filter((u) => u.role === "technician");
  if (contacts.length === 0 || technicians.length === 0) return [];

  // Repeat customers: firms and houses call more often than flats.
  const contactWeight = (c: DemoContact): number =>
    c.propertyType === "commercial" ? 2.2 : c.propertyType === "house" ? 1.4 : 1;
  const servable = contacts.filter((c) => technicians.some((t) => t.districts.includes(c.district)));

  /** Booked [start, end) minute ranges per technician and local day; end includes overrun margin and travel. */
  const busy = new Map<string, Array<readonly [number, number]>>();
  const dailyCount = new Map<string, number>();

  /**
   * Books `minutes` for a technician on a day as close as possible to the preferred start (15-min
   * steps), never overlapping another booking and always ending by 18:00. Returns the start or null.
   */
  const book = (techId: string, dayKey: number, minutes: number, preferred: number): number | null => {
    const key = `${techId}|${dayKey}`;
    const booked = busy.get(key) ?? [];
    // Room for a 15% overrun and the drive to the next customer.
    const span = Math.round(minutes * 1.15) + 30;
    const latest = WORK_END - minutes;
    const pref = Math.min(latest, Math.max(WORK_START, roundTo(preferred, 15)));
    for (let k = 0; k <= 88; k++) {
      const start = pref + (k % 2 === 1 ? 1 : -1) * Math.ceil(k / 2) * 15; // pref, +15, -15, +30, -30...
      if (start < WORK_START || start > latest) continue;
      if (booked.every(([a, b]) => start + span <= a || start >= b)) {
        booked.push([start, start + span]);
        busy.set(key, booked);
        dailyCount.set(key, (dailyCount.get(key) ?? 0) + 1);
        return start;
      }
    }
    return null;
  };

  // Local calendar days from the first day of the window to the last, as Date.UTC midnights.
  const first = new Date(startMs + warsawOffsetMinutes(new Date(startMs)) * MINUTE);
  const firstDay = Date.UTC(first.getUTCFullYear(), first.getUTCMonth(), first.getUTCDate());
  const isWorkingDay = (day: number): boolean => new Date(day).getUTCDay() !== 0 && !isPublicHoliday(day);

  interface Draft extends Omit<DemoJob, "id"> {
    at: number;
    order: number;
  }
  const drafts: Draft[] = [];

  for (let day = firstDay; day <= endMs; day += DAY) {
    if (!isWorkingDay(day)) continue;
    const date = new Date(day);
    const month = date.getUTCMonth() + 1;
    const season = seasonOf(month);
    const saturday = date.getUTCDay() === 6;
    let mean = (saturday ? 0.7 : 2.6) * MONTH_LOAD[month];
    const daysAhead = (day - nowMs) / DAY;
    // The board is what demo users look at, so today and the coming days are busier than the yearly
    // average; bookings thin out further ahead.
    if (daysAhead > -1) mean *= Math.max(0.9, 1.8 - Math.max(0, daysAhead) * 0.07);
    const n = rng.poisson(mean);

    for (let j = 0; j < n; j++) {
      const contact = rng.weighted(servable, contactWeight);
      const emergency = rng.chance(0.02);
      const type: JobType = emergency ? "repair" : rng.weighted(JOB_TYPES, (t) => TYPE_MIX[season][t]);
      const fits = (t: JobTemplate): boolean =>
        t.type === type && !!t.emergency === emergency && (!t.props || t.props.includes(contact.propertyType));
      let candidates = JOB_TEMPLATES.filter((t) => fits(t) && templateWeight(t, season) > 0);
      if (candidates.length === 0) candidates = JOB_TEMPLATES.filter((t) => t.type === type && !t.emergency);
      const template = rng.weighted(candidates, (t) => Math.max(templateWeight(t, season), 0.01));

      const [lo, hi] = template.minutes ?? TYPE_MINUTES[type];
      const estimatedDuration = roundTo(rng.int(lo, hi), 15); // ranges are whole quarter-hours

      // Technicians of the district: with every skill the job needs, else with the job type, else any.
      const needed: Skill[] = [type, ...(template.extraSkills ?? [])];
      const local = technicians.filter((t) => t.districts.includes(contact.district));
      const tiers = [
        local.filter((t) => needed.every((s) => t.skills.includes(s))),
        local.filter((t) => t.skills.includes(type)),
        local,
      ].filter((tier) => tier.length > 0);

      // The customer's preferred time: long installations start early, the rest any time of the day.
      const preferred = type === "installation" ? rng.int(28, 36) * 15 : rng.int(28, 64) * 15;
      // Book the least busy suitable technician; if everyone is full, the next working day.
      let placed: { techId: string; day: number; start: number } | null = null;
      for (let shift = 0, d = day; shift < 7 && !placed && d <= endMs; shift++, d += DAY) {
        if (!isWorkingDay(d)) continue;
        for (const tier of tiers) {
          const order = [...tier].sort(
            (a, b) => (dailyCount.get(`${a.id}|${d}`) ?? 0) - (dailyCount.get(`${b.id}|${d}`) ?? 0) || a.id.localeCompare(b.id),
          );
          for (const tech of order) {
            const start = book(tech.id, d, estimatedDuration, preferred);
            if (start !== null) {
              placed = { techId: tech.id, day: d, start };
              break;
            }
          }
          if (placed) break;
        }
      }
      if (!placed) continue;
      const at = warsawInstant(placed.day, placed.start);
      if (at < startMs || at > endMs) continue;

      const brands = {
        boiler: rng.pick(BOILER_BRANDS), ac: rng.pick(AC_BRANDS), hp: rng.pick(HEAT_PUMP_MODELS), kw: rng.pick(AC_POWERS),
      };
      const draft: Draft = {
        at,
        order: drafts.length,
        contactId: contact.id,
        title: fill(template.title, brands),
        description: fill(template.description, brands),
        type,
        priority: requestedPriority(rng, type, emergency),
        estimatedDuration,
        technicianId: placed.techId,
        scheduledDate: new Date(at).toISOString(),
        finalStatus: "scheduled",
      };
      settleOutcome(rng, draft, nowMs);
      drafts.push(draft);
    }
  }

  drafts.sort((a, b) => a.at - b.at || a.order - b.order);
  return drafts.map(({ at: _at, order: _order, ...job }, i) => ({ id: demoId("demojob", i + 1), ...job }));
}

/** Decides the final lifecycle state of a job from its scheduled instant relative to `now`. */
function settleOutcome(rng: Rng, job: Omit<DemoJob, "id"> & { at: number }, nowMs: number): void {
  if (job.at >= nowMs) {
    if (rng.chance(0.2)) {
      job.finalStatus = "pending"; // requested date, nobody assigned yet
      job.technicianId = "";
    } else {
      job.finalStatus = "scheduled";
    }
    return;
  }
  const r = rng.next();
  if (r < 0.08) {
    job.finalStatus = "cancelled"; // customer cancelled or fixed it themselves
    return;
  }
  if (nowMs - job.at < 30 * DAY && r < 0.14) {
    job.finalStatus = "pending"; // a request from the last month still waiting for parts or a callback
    job.technicianId = "";
    return;
  }
  // Technicians arrive around the slot: usually a little late, never more than 40 minutes off.
  const offset = Math.max(-40, Math.min(40, Math.round(rng.normal(5, 12))));
  const started = Math.min(job.at + offset * MINUTE, nowMs - MINUTE);
  const actual = Math.max(15, Math.round(job.estimatedDuration * rng.float(0.7, 1.5)));
  const done = started + actual * MINUTE;
  job.startedAt = new Date(started).toISOString();
  if (done > nowMs) {
    job.finalStatus = "in_progress"; // started today and still on site
    return;
  }
  job.finalStatus = "completed";
  job.completedDate = new Date(done).toISOString();
  job.actualDuration = actual;
}

// ------------------------------------------------------------------------------------------------
// Equipment (the F-gas register)

export interface DemoEquipment extends EquipmentFields {
  /** Fixed 15-char PocketBase id, "demoequip000001"... */
  id: string;
}

interface UnitTemplate {
  property: PropertyType;
  type: string;
  location: string;
  manufacturer: string;
  model: string;
  refrigerant: string;
  chargeKg: number;
  hermeticallySealed?: boolean;
  leakDetector?: boolean;
  /** Days before `now` of the last leak check (undefined: never checked). */
  checkedDaysAgo?: number;
  repairedDaysAgo?: number;
  installedDaysAgo?: number;
  notes?: string;
}

// What the register shows on the day of seeding (intervals by Reg. 2024/573 Art. 5): overdue units,
// some due within 30 days, some fine, some without any duty, an HFO chiller, a hermetically sealed
// unit, one with a leak detection system and a leak repaired but not yet verified.
const UNIT_TEMPLATES: readonly UnitTemplate[] = [
  // overdue: R410A 3.2 kg = 6.68 t, every 12 months, last checked 14 months ago
  { property: "commercial", type: "split", location: "Serwerownia, 2 piętro", manufacturer: "Daikin", model: "FTXM50R / RXM50R", refrigerant: "R410A", chargeKg: 3.2, checkedDaysAgo: 425, installedDaysAgo: 2200 },
  // overdue: R404A 8 kg = 31.4 t, every 12 months, last checked 13 months ago
  { property: "commercial", type: "refrigeration", location: "Komora chłodnicza, zaplecze", manufacturer: "Danfoss", model: "Optyma OP-MPZM034", refrigerant: "R404A", chargeKg: 8, checkedDaysAgo: 400, installedDaysAgo: 3100, notes: "R404A: serwis tylko czynnikiem z odzysku (art. 13)." },
  // never checked: R407C 30 kg = 53.2 t (every 6 months), no dates on file
  { property: "commercial", type: "chiller", location: "Dach, agregat wody lodowej", manufacturer: "Carrier", model: "30RB-162", refrigerant: "R407C", chargeKg: 30, notes: "Brak karty urządzenia od poprzedniego serwisu." },
  // due soon: R32 8 kg = 5.4 t, every 12 months, due in 10 days
  { property: "commercial", type: "multi_split", location: "Biuro, open space", manufacturer: "Mitsubishi Electric", model: "MXZ-6F122VF", refrigerant: "R32", chargeKg: 8, checkedDaysAgo: 355, installedDaysAgo: 1500 },
  // due soon: R410A 24 kg = 50.1 t, every 6 months, due in about 3 weeks
  { property: "commercial", type: "vrf", location: "Budynek biurowy, dach", manufacturer: "Toshiba", model: "SMMS-e MMY-MAP1006HT8P", refrigerant: "R410A", chargeKg: 24, checkedDaysAgo: 160, installedDaysAgo: 2600 },
  // leak repaired 10 days ago, not verified yet: R407C 6 kg = 10.6 t, verification within a month
  { property: "commercial", type: "rooftop", location: "Dach, rooftop nad salą sprzedaży", manufacturer: "Lennox", model: "Baltic BAM 042", refrigerant: "R407C", chargeKg: 6, checkedDaysAgo: 150, repairedDaysAgo: 10, installedDaysAgo: 3300, notes: "Wyciek na zaworze serwisowym, naprawiony." },
  // fine: R410A 2.6 kg = 5.43 t, checked 2 months ago
  { property: "house", type: "split", location: "Salon", manufacturer: "Fujitsu", model: "ASYG09KMTB / AOYG09KMTB", refrigerant: "R410A", chargeKg: 2.6, checkedDaysAgo: 60, installedDaysAgo: 1200 },
  // fine, with a leak detection system: R404A 130 kg = 510 t, every 3 months x 2 = 6, checked a month ago
  { property: "commercial", type: "refrigeration", location: "Centrala chłodnicza, maszynownia", manufacturer: "Bitzer", model: "ECOSTAR LHV7E/4FES-5Y", refrigerant: "R404A", chargeKg: 130, leakDetector: true, checkedDaysAgo: 30, installedDaysAgo: 4000 },
  // HFO: R1234ze chiller 45 kg, checked by mass every 6 months, checked 4 months ago
  { property: "commercial", type: "chiller", location: "Technika, piwnica", manufacturer: "Clivet", model: "WDH-iK 80.2", refrigerant: "R1234ze", chargeKg: 45, checkedDaysAgo: 120, installedDaysAgo: 900 },
  // hermetically sealed R410A 4 kg = 8.35 t: exempt (below 10 t)
  { property: "commercial", type: "refrigeration", location: "Witryna chłodnicza, sala", manufacturer: "Hisense", model: "Monoblok MB-40", refrigerant: "R410A", chargeKg: 4, hermeticallySealed: true, installedDaysAgo: 700 },
  // not required: R32 1.05 kg = 0.71 t
  { property: "apartment", type: "split", location: "Sypialnia", manufacturer: "Gree", model: "GWH12AGB", refrigerant: "R32", chargeKg: 1.05, installedDaysAgo: 500 },
  // not required: propane heat pump
  { property: "house", type: "heat_pump", location: "Ogród, jednostka zewnętrzna", manufacturer: "Vaillant", model: "aroTHERM plus VWL 75/6", refrigerant: "R290", chargeKg: 0.9, installedDaysAgo: 800 },
  // not required: R454B 2.5 kg (1.16 t; HFO part 0.78 kg)
  { property: "house", type: "heat_pump", location: "Kotłownia", manufacturer: "Daikin", model: "Altherma 3 H HT", refrigerant: "R454B", chargeKg: 2.5, installedDaysAgo: 300 },
];

/** "YYYY-MM-DD" of the Warsaw calendar day `days` before the instant. */
function warsawDayBefore(nowMs: number, days: number): string {
  const local = new Date(nowMs + warsawOffsetMinutes(new Date(nowMs)) * MINUTE);
  const d = new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate() - days));
  return d.toISOString().slice(0, 10);
}

/**
 * Units at demo customers (commercial sites, houses, flats), with dates relative to `now` (the
 * first seeding, like the jobs) so the register opens with units in every state.
 */
export function demoEquipment(contacts: readonly DemoContact[], now: Date, seed: number = DEFAULT_SEED): DemoEquipment[] {
  const rng = createRng(seed ^ 0xf9a5);
  const nowMs = now.getTime();
  const used = new Set<string>();
  const out: DemoEquipment[] = [];
  UNIT_TEMPLATES.forEach((t, i) => {
    const candidates = contacts.filter((c) => c.propertyType === t.property && !used.has(c.id));
    if (candidates.length === 0) return;
    const contact = rng.pick(candidates);
    used.add(contact.id);
    const day = (ago: number | undefined) => (ago === undefined ? "" : warsawDayBefore(nowMs, ago));
    out.push({
      id: demoId("demoequip", i + 1),
      contactId: contact.id,
      location: t.location,
      type: t.type,
      manufacturer: t.manufacturer,
      model: t.model,
      serialNumber: `${t.manufacturer.slice(0, 2).toUpperCase()}${digits(rng, 2)}${String.fromCharCode(65 + rng.int(0, 25))}${digits(rng, 6)}`,
      refrigerant: t.refrigerant,
      chargeKg: t.chargeKg,
      installDate: day(t.installedDaysAgo),
      hermeticallySealed: !!t.hermeticallySealed,
      leakDetector: !!t.leakDetector,
      lastLeakCheck: day(t.checkedDaysAgo),
      lastLeakRepair: day(t.repairedDaysAgo),
      notes: t.notes ?? "",
    });
  });
  return out;
}
