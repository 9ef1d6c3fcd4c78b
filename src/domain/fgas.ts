// F-gas register rules: refrigerant GWP, CO2-equivalent charge, leak-check intervals and dates,
// and reading refrigerant data from an equipment nameplate (OCR text).
//
// GWP source: the 100-year GWPs of Regulation (EU) 2024/573 Annex I (HFCs; the AR4 values of
// 517/2014, unchanged: HFC-23 14 800, HFC-32 675, HFC-125 3 500, HFC-134a 1 430, HFC-143a 4 470,
// HFC-227ea 3 220, HFC-245fa 1 030 as checked in the adopted Annex I), and for the unsaturated HFCs
// (HFOs) the values of 517/2014 Annex II (HFO-1234yf 4, HFO-1234ze 7). Mixtures are calculated by
// the Annex IV method (mass-weighted average of the components, non-fluorinated components
// included), rounded half up to a whole number, which reproduces the published values (R410A 2088,
// R407C 1774, R404A 3922, ...); test/unit/fgas.test.ts checks that.
//
// Leak checks, Regulation (EU) 2024/573 (in force 11 March 2024, replacing 517/2014):
// - Art. 5(1), first subparagraph: operators of equipment that contains F-gases listed in Annex I
//   (HFCs) in a quantity of 5 tonnes of CO2 equivalent or more, or F-gases listed in Section 1 of
//   Annex II (unsaturated HFCs/HCFCs, i.e. HFOs such as R1234yf and R1234ze) in a quantity of 1 kg
//   or more, not contained in foams, shall ensure the equipment is checked for leaks.
// - Art. 5(1), second subparagraph: hermetically sealed equipment is not checked, provided it is
//   labelled as hermetically sealed and (a) contains less than 10 tonnes of CO2 equivalent of
//   Annex I gases or (b) less than 2 kg of Annex II Section 1 gases.
//   Third subparagraph: by way of derogation, hermetically sealed equipment installed in
//   residential buildings is not checked when it contains less than 3 kg of F-gases (labelled).
// - Art. 5(2): this applies to stationary refrigeration, air-conditioning and heat-pump equipment
//   (and fire protection, ORC, switchgear), i.e. every unit type of the register.
// - Intervals (the frequency paragraph of Art. 5): Annex I 5 t CO2e or more but less than 50 t, or
//   Annex II Section 1 1 kg or more but less than 10 kg: at least every 12 months (24 with a leak
//   detection system); 50 t / 10 kg or more but less than 500 t / 100 kg: every 6 months (12);
//   500 t / 100 kg or more: every 3 months (6).
//   What was read where: Art. 5(1) (5 t, 1 kg, hermetic 10 t / 2 kg, residential 3 kg) in the
//   German text of 2024/573 (Verordnung (EU) 2024/573 Art. 5 as reproduced by haufe.de); Art. 4(5)
//   (24 h / one month) in its German text quoted by the Landesinnung Kälte-Klima; Art. 13(3) in the
//   English consolidated text. The frequency paragraph itself could not be read in the stored copies
//   available here: the HFC tiers (50 / 500 t; 12 / 6 / 3 months, 24 / 12 / 6 with detection) are
//   those of 517/2014 Art. 4(3) (read in its text), assumed carried over unchanged (the 5 t and
//   10 t thresholds are, as read above); the 10 kg / 100 kg HFO tiers follow industry summaries
//   (leak detection systems compulsory from 500 t CO2e or 100 kg HFO, Art. 6). Check these tiers
//   against the Official Journal (OJ L, 2024/573, Art. 5).
// - Mixtures of Annex I and Annex II Section 1 gases (R454B, R513A, R455A...) are judged on both
//   quantities (the German UBA's reading of Art. 5: e.g. 1.4 kg of R455A holds 1.06 kg of
//   HFO-1234yf, so it must be checked although its HFC-32 is only 0.2 t CO2e): the CO2 equivalent
//   of the Annex I components (their weighted GWP rounded half up to a whole number, as published
//   mixture GWPs are: R410A 2088, R452A's HFC part 2139) and the mass of the Annex II Section 1
//   components, each against its own thresholds; the more frequent interval applies.
// - Art. 4(5): after a leak is repaired in equipment subject to leak checks under Art. 5(1), a
//   certified person checks it no earlier than after 24 hours of operation and at the latest within
//   one month of the repair. With calendar dates only, a check on the day of the repair cannot be
//   that verification (less than 24 h); one on a later day is taken as it. Units not subject to
//   Art. 5(1) checks have no such verification duty.
// - Art. 6 (leak detection systems, compulsory from 500 t CO2e / 100 kg Annex II Section 1) only
//   adds a note here.
// - Art. 13(3) (a service firm's concern): from 1 January 2025 no F-gas with a GWP of 2 500 or more
//   may be used to service refrigeration equipment, except reclaimed or recycled gas until 2030: a
//   note for R404A, R507A, R422A... units.
// HCFCs (R22) are not F-gases of this regulation (ozone regulation (EU) 2024/590).
//
// Runs in PocketBase's JS VM too. Charges are handled in whole grams and shares in tenths of a
// percent, so every threshold is an exact integer comparison (no floating-point edge at 5 t, 1 kg).

import type { FieldReading } from "./invoice";
import { parseScaledDecimal, repairOcrDigits } from "./money";

export type RefrigerantKind = "HFC" | "HFC blend" | "HFO" | "HFC/HFO blend" | "HCFC" | "HC" | "natural";

export interface Refrigerant {
  /** Canonical ASHRAE designation without hyphen: "R32", "R410A", "R1234ze". */
  code: string;
  gwp: number;
  kind: RefrigerantKind;
  /**
   * Contains a gas of Annex I of Reg. 2024/573 (an HFC): the CO2e-based leak-check rules apply.
   * False for HFOs, hydrocarbons, CO2, ammonia and HCFCs.
   */
  fgasAnnexI: boolean;
  /** Contains a gas of Annex II Section 1 (an HFO): the mass-based leak-check rules apply. */
  annexII1: boolean;
  /** Mixtures: components and their mass share in tenths of a percent (sums to 1000). */
  components?: ReadonlyArray<readonly [string, number]>;
  note?: string;
}

interface BaseGas {
  gwp: number;
  kind: RefrigerantKind;
  fgasAnnexI: boolean;
  note?: string;
}

const HFO_NOTE = "HFO (Annex II Section 1 of Reg. 2024/573): leak checks by mass, from 1 kg (hermetically sealed from 2 kg), Art. 5(1).";

/** Single substances. Non-fluorinated GWPs as listed for mixture calculation in 517/2014 Annex IV. */
const SUBSTANCES: Record<string, BaseGas> = {
  R23: { gwp: 14800, kind: "HFC", fgasAnnexI: true },
  R32: { gwp: 675, kind: "HFC", fgasAnnexI: true },
  R125: { gwp: 3500, kind: "HFC", fgasAnnexI: true },
  R134A: { gwp: 1430, kind: "HFC", fgasAnnexI: true },
  R143A: { gwp: 4470, kind: "HFC", fgasAnnexI: true },
  R152A: { gwp: 124, kind: "HFC", fgasAnnexI: true },
  R227EA: { gwp: 3220, kind: "HFC", fgasAnnexI: true },
  R236FA: { gwp: 9810, kind: "HFC", fgasAnnexI: true },
  R245FA: { gwp: 1030, kind: "HFC", fgasAnnexI: true },
  R1234YF: { gwp: 4, kind: "HFO", fgasAnnexI: false, note: HFO_NOTE },
  R1234ZE: { gwp: 7, kind: "HFO", fgasAnnexI: false, note: HFO_NOTE },
  R290: { gwp: 3, kind: "HC", fgasAnnexI: false, note: "Propane: not a fluorinated gas, no F-gas leak checks (flammable, A3)." },
  R600: { gwp: 4, kind: "HC", fgasAnnexI: false, note: "Butane: not a fluorinated gas." },
  R600A: { gwp: 3, kind: "HC", fgasAnnexI: false, note: "Isobutane: not a fluorinated gas (flammable, A3)." },
  R601: { gwp: 5, kind: "HC", fgasAnnexI: false, note: "Pentane: not a fluorinated gas." },
  R601A: { gwp: 5, kind: "HC", fgasAnnexI: false, note: "Isopentane: not a fluorinated gas." },
  R1270: { gwp: 2, kind: "HC", fgasAnnexI: false, note: "Propylene: not a fluorinated gas (flammable, A3)." },
  R744: { gwp: 1, kind: "natural", fgasAnnexI: false, note: "CO2: not a fluorinated gas, no F-gas leak checks." },
  R717: { gwp: 0, kind: "natural", fgasAnnexI: false, note: "Ammonia: not a fluorinated gas, no F-gas leak checks." },
  R718: { gwp: 0, kind: "natural", fgasAnnexI: false, note: "Water: not a fluorinated gas." },
  R22: {
    gwp: 1810,
    kind: "HCFC",
    fgasAnnexI: false,
    note: "R22 is an ozone-depleting HCFC, not an F-gas of Annex I: it falls under the ozone regulation ((EU) 2024/590), refilling with it has been banned in the EU since 2015, and the unit should be planned for replacement. GWP 1810 (AR4) is shown for information.",
  },
};

/** Mixtures by composition (tenths of a percent by mass). */
const MIXTURES: Record<string, ReadonlyArray<readonly [string, number]>> = {
  R404A: [["R125", 440], ["R143A", 520], ["R134A", 40]],
  R407A: [["R32", 200], ["R125", 400], ["R134A", 400]],
  R407C: [["R32", 230], ["R125", 250], ["R134A", 520]],
  R407F: [["R32", 300], ["R125", 300], ["R134A", 400]],
  R410A: [["R32", 500], ["R125", 500]],
  R417A: [["R125", 466], ["R134A", 500], ["R600", 34]],
  R422A: [["R125", 851], ["R134A", 115], ["R600A", 34]],
  R422D: [["R125", 651], ["R134A", 315], ["R600A", 34]],
  R427A: [["R32", 150], ["R125", 250], ["R143A", 100], ["R134A", 500]],
  R437A: [["R125", 195], ["R134A", 785], ["R600", 14], ["R601", 6]],
  R438A: [["R32", 85], ["R125", 450], ["R134A", 442], ["R600", 17], ["R601A", 6]],
  R448A: [["R32", 260], ["R125", 260], ["R134A", 210], ["R1234YF", 200], ["R1234ZE", 70]],
  R449A: [["R32", 243], ["R125", 247], ["R1234YF", 253], ["R134A", 257]],
  R450A: [["R134A", 420], ["R1234ZE", 580]],
  R452A: [["R1234YF", 300], ["R32", 110], ["R125", 590]],
  R452B: [["R32", 670], ["R125", 70], ["R1234YF", 260]],
  R454B: [["R32", 689], ["R1234YF", 311]],
  R454C: [["R32", 215], ["R1234YF", 785]],
  R455A: [["R32", 215], ["R1234YF", 755], ["R744", 30]],
  R507A: [["R125", 500], ["R143A", 500]],
  R513A: [["R1234YF", 560], ["R134A", 440]],
};

/** Display spelling of designations with lower-case suffixes. */
const DISPLAY: Record<string, string> = { R134A: "R134a", R143A: "R143a", R152A: "R152a", R227EA: "R227ea", R236FA: "R236fa", R245FA: "R245fa", R1234YF: "R1234yf", R1234ZE: "R1234ze", R600A: "R600a", R601A: "R601a" };

/** GWP of a mixture by the 517/2014 Annex IV method, rounded half up to a whole number. */
export function mixtureGwp(components: ReadonlyArray<readonly [string, number]>): number {
  let sum = 0; // tenths of a percent x GWP: exact integers
  for (const [code, share] of components) sum += share * SUBSTANCES[code].gwp;
  return Math.floor((sum + 500) / 1000);
}

function buildTable(): Record<string, Refrigerant> {
  const table: Record<string, Refrigerant> = {};
  for (const key of Object.keys(SUBSTANCES)) {
    const s = SUBSTANCES[key];
    table[key] = { code: DISPLAY[key] ?? key, gwp: s.gwp, kind: s.kind, fgasAnnexI: s.fgasAnnexI, annexII1: s.kind === "HFO", ...(s.note ? { note: s.note } : {}) };
  }
  for (const key of Object.keys(MIXTURES)) {
    const components = MIXTURES[key];
    const hasHfc = components.some(([c]) => SUBSTANCES[c].kind === "HFC");
    const hasHfo = components.some(([c]) => SUBSTANCES[c].kind === "HFO");
    table[key] = { code: key, gwp: mixtureGwp(components), kind: hasHfo ? "HFC/HFO blend" : "HFC blend", fgasAnnexI: hasHfc, annexII1: hasHfo, components };
  }
  return table;
}

/** Every refrigerant this module knows, by upper-case code without hyphen. */
export const REFRIGERANTS: Readonly<Record<string, Refrigerant>> = buildTable();

/** Upper-case key for a designation: "R-410A", "r 410a", "HFC-134a", "R1234ze(E)", "R41OA" -> "R410A". */
export function refrigerantKey(name: string): string {
  let s = String(name ?? "").toUpperCase().replace(/\s+/g, "").replace(/\(E\)$/, "");
  s = s.replace(/^(?:HFC|HFO|HCFC|HC|FC)-?/, "R").replace(/^R-?/, "R");
  // OCR: O for 0 and I/l for 1 in the number part.
  const m = /^R([0-9OIL]+)([A-Z]{0,2})$/.exec(s);
  if (m) s = "R" + m[1].replace(/O/g, "0").replace(/[IL]/g, "1") + m[2];
  return s;
}

/** The refrigerant for a designation, or null when unknown. */
export function refrigerantInfo(name: string): Refrigerant | null {
  const key = refrigerantKey(name);
  return Object.prototype.hasOwnProperty.call(REFRIGERANTS, key) ? REFRIGERANTS[key] : null;
}

/** A charge in kg as whole grams (1.05 -> 1050); null for negative, non-finite or absurd values. */
export function chargeGrams(kg: number): number | null {
  if (typeof kg !== "number" || !Number.isFinite(kg) || kg < 0 || kg > 1000000) return null;
  return Math.round(kg * 1000);
}

/** CO2 equivalent in grams of CO2 of a charge in grams: exact integer arithmetic. */
export function co2eGrams(grams: number, gwp: number): number {
  return grams * gwp;
}

/** CO2 equivalent in tonnes, rounded half up to two decimals as nameplates print it (R32 1.05 kg -> 0.71). */
export function co2eTonnes(kg: number, gwp: number): number | null {
  const g = chargeGrams(kg);
  if (g === null || !Number.isFinite(gwp) || gwp < 0) return null;
  return Math.floor((co2eGrams(g, Math.round(gwp)) + 5000) / 10000) / 100;
}

const TONNE = 1000000; // grams of CO2 in a tonne
/** Shares are in tenths of a percent: (grams x share) is 1000 x the grams of that part. */
const SHARE = 1000;
/** Above this a charge is not plausible, and (x GWP x share) would leave exact integer range. */
const MAX_PLAN_GRAMS = 100000 * 1000;

export type LeakCheckReason =
  | "required"
  | "below_threshold"
  | "hermetic_exempt"
  | "not_fgas"
  | "hcfc"
  | "unknown_refrigerant"
  | "unknown_charge";

export interface LeakCheckInput {
  /** Designation as written ("R32", "R-410A"). */
  refrigerant: string;
  /** Charge in kg (the whole circuit: factory plus additional charge). */
  chargeKg: number | null | undefined;
  /** Labelled as hermetically sealed. */
  hermeticallySealed?: boolean;
  /** A leak detection system is installed. */
  leakDetection?: boolean;
  /** Installed in a residential building (Art. 5(1) third subparagraph: sealed units < 3 kg exempt). */
  residential?: boolean;
}

export interface LeakCheckPlan {
  refrigerant: Refrigerant | null;
  /** CO2 equivalent of the charge in tonnes (two decimals, as labels print it), null when refrigerant or charge are unknown. */
  co2eTonnes: number | null;
  /** Months between leak checks; null when none are required (see reason). */
  intervalMonths: number | null;
  reason: LeakCheckReason;
  /**
   * What set the interval: "co2e" (Annex I gases, tonnes CO2e) or "mass" (Annex II Section 1
   * gases, kg); null when no checks are required.
   */
  basis: "co2e" | "mass" | null;
  /** Things the technician or the register should show next to the unit. */
  notes: string[];
}

/**
 * Art. 13(3) 2024/573: from 1 January 2025 F-gases with a GWP of 2 500 or more may not be used to
 * service or maintain any refrigeration equipment (reclaimed or recycled gas excepted until 2030).
 */
export const SERVICE_BAN_NOTE = "GWP 2500 or more: since 1 January 2025 only reclaimed or recycled refrigerant may be used to service refrigeration equipment (Art. 13(3), until 2030).";

/** Months for a quantity against three ascending thresholds (12 / 6 / 3), null below the first. */
function tier(quantity: number, thresholds: readonly [number, number, number]): number | null {
  return quantity >= thresholds[2] ? 3 : quantity >= thresholds[1] ? 6 : quantity >= thresholds[0] ? 12 : null;
}

const CO2E_TIERS = [5 * TONNE, 50 * TONNE, 500 * TONNE] as const;
const MASS_TIERS = [1000 * SHARE, 10000 * SHARE, 100000 * SHARE] as const;
const HERMETIC_CO2E = 10 * TONNE;
const HERMETIC_MASS = 2000 * SHARE;
const RESIDENTIAL_HERMETIC_MASS = 3000 * SHARE;

/**
 * Per kg of refrigerant: the GWP of its Annex I part (rounded half up to a whole number like
 * published mixture GWPs, so R410A counts 2088 as on its label), and the shares (tenths of a
 * percent) of Annex II Section 1 gases and of all F-gases.
 */
function composition(r: Refrigerant): { annexIGwp: number; annexII1Share: number; fluorinatedShare: number } {
  const parts = r.components ?? [[refrigerantKey(r.code), SHARE] as const];
  let annexIGwpShare = 0;
  let annexII1Share = 0;
  let fluorinatedShare = 0;
  for (const [code, share] of parts) {
    const gas = SUBSTANCES[code];
    if (!gas) continue;
    if (gas.kind === "HFC") {
      annexIGwpShare += share * gas.gwp;
      fluorinatedShare += share;
    } else if (gas.kind === "HFO") {
      annexII1Share += share;
      fluorinatedShare += share;
    }
  }
  return { annexIGwp: Math.floor((annexIGwpShare + SHARE / 2) / SHARE), annexII1Share, fluorinatedShare };
}

/** The leak-check interval for a unit by Reg. 2024/573 Art. 5 (see the header of this file). */
export function leakCheckPlan(input: LeakCheckInput): LeakCheckPlan {
  const refrigerant = refrigerantInfo(input.refrigerant);
  const notes: string[] = [];
  if (!refrigerant) {
    return { refrigerant: null, co2eTonnes: null, intervalMonths: null, reason: "unknown_refrigerant", basis: null, notes: [`Unknown refrigerant "${input.refrigerant}": enter its designation (e.g. R32, R410A) to compute the leak-check interval.`] };
  }
  if (refrigerant.note) notes.push(refrigerant.note);
  if (refrigerant.fgasAnnexI && refrigerant.gwp >= 2500) notes.push(SERVICE_BAN_NOTE);
  const fgas = refrigerant.fgasAnnexI || refrigerant.annexII1;
  const notFgas: LeakCheckReason = refrigerant.kind === "HCFC" ? "hcfc" : "not_fgas";
  const raw = input.chargeKg === null || input.chargeKg === undefined ? null : chargeGrams(input.chargeKg);
  const grams = raw !== null && raw <= MAX_PLAN_GRAMS ? raw : null;
  if (grams === null) {
    if (raw !== null) notes.push("A charge above 100 000 kg is not plausible: check the value.");
    return { refrigerant, co2eTonnes: null, intervalMonths: null, reason: fgas ? "unknown_charge" : notFgas, basis: null, notes };
  }
  const tonnes = Math.floor((co2eGrams(grams, refrigerant.gwp) + 5000) / 10000) / 100;
  if (!fgas) return { refrigerant, co2eTonnes: tonnes, intervalMonths: null, reason: notFgas, basis: null, notes };

  const mix = composition(refrigerant);
  const co2e = grams * mix.annexIGwp; // grams of CO2
  const hfo = grams * mix.annexII1Share; // grams of Annex II Section 1 gases x 1000
  const sealed = !!input.hermeticallySealed;
  let co2eMonths = tier(co2e, CO2E_TIERS);
  let massMonths = tier(hfo, MASS_TIERS);
  const due = co2eMonths !== null || massMonths !== null;
  if (sealed && co2e < HERMETIC_CO2E) co2eMonths = null;
  if (sealed && hfo < HERMETIC_MASS) massMonths = null;
  if (sealed && input.residential && grams * mix.fluorinatedShare < RESIDENTIAL_HERMETIC_MASS) {
    if (co2eMonths !== null || massMonths !== null) notes.push("Hermetically sealed, in a residential building, less than 3 kg of F-gases: exempt (Art. 5(1)).");
    co2eMonths = massMonths = null;
  }
  if (co2eMonths === null && massMonths === null) {
    return { refrigerant, co2eTonnes: tonnes, intervalMonths: null, reason: due ? "hermetic_exempt" : "below_threshold", basis: null, notes };
  }
  const basis: "co2e" | "mass" = co2eMonths !== null && (massMonths === null || co2eMonths <= massMonths) ? "co2e" : "mass";
  let months = Math.min(co2eMonths ?? 12, massMonths ?? 12);
  if (input.leakDetection) months *= 2;
  if ((co2e >= CO2E_TIERS[2] || hfo >= MASS_TIERS[2]) && !input.leakDetection) {
    notes.push("From 500 t CO2e (or 100 kg of HFOs) a leak detection system that alerts the operator is required (Art. 6).");
  }
  return { refrigerant, co2eTonnes: tonnes, intervalMonths: months, reason: "required", basis, notes };
}

// ---------------------------------------------------------------------------------------------
// Dates

function parseIsoDate(iso: string | null | undefined): [number, number, number] | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(String(iso ?? ""));
  if (!m) return null;
  const y = +m[1];
  const mo = +m[2];
  const d = +m[3];
  if (mo < 1 || mo > 12 || d < 1 || d > new Date(Date.UTC(y, mo, 0)).getUTCDate()) return null;
  return [y, mo, d];
}

/** "YYYY-MM-DD" plus whole months; the day is clamped to the month's end (31 Aug + 6 -> 28/29 Feb). */
export function addMonths(iso: string, months: number): string | null {
  const p = parseIsoDate(iso);
  if (!p || !Number.isInteger(months)) return null;
  const total = p[0] * 12 + (p[1] - 1) + months;
  const y = Math.floor(total / 12);
  const mo = total - y * 12 + 1;
  const last = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  return `${String(y).padStart(4, "0")}-${String(mo).padStart(2, "0")}-${String(Math.min(p[2], last)).padStart(2, "0")}`;
}

export interface NextCheckInput {
  /** From leakCheckPlan; null when no periodic checks are required. */
  intervalMonths: number | null;
  /** Date of the last leak check ("YYYY-MM-DD"). */
  lastCheck?: string | null;
  /** Installation (or commissioning) date: the periods run from it until the first check. */
  installDate?: string | null;
  /** Date of the last leak repair. A check after it (lastCheck later) counts as its verification. */
  lastLeakRepair?: string | null;
}

export type NextCheckReason = "periodic" | "repair_verification" | "no_history" | "not_required";

export interface NextCheck {
  /** "YYYY-MM-DD", or null when nothing is due or the unit has no dates to count from. */
  date: string | null;
  reason: NextCheckReason;
}

/**
 * When the next leak check is due: the periodic check from the last check (or installation),
 * or one month after a leak repair not yet verified by a check, whichever comes first.
 */
export function nextLeakCheck(input: NextCheckInput): NextCheck {
  const lastCheck = parseIsoDate(input.lastCheck) ? String(input.lastCheck).slice(0, 10) : null;
  const repair = parseIsoDate(input.lastLeakRepair) ? String(input.lastLeakRepair).slice(0, 10) : null;
  const install = parseIsoDate(input.installDate) ? String(input.installDate).slice(0, 10) : null;
  // Art. 4(5) asks for the verification only of equipment subject to Art. 5(1) leak checks.
  if (input.intervalMonths === null || !(input.intervalMonths > 0)) return { date: null, reason: "not_required" };
  const from = lastCheck ?? install;
  const periodic = from ? addMonths(from, input.intervalMonths) : null;
  // The verification comes at least 24 hours after the repair: a check on the day of the repair
  // (or before it) is not one.
  const unverifiedRepair = repair !== null && (lastCheck === null || repair >= lastCheck);
  const verification = unverifiedRepair ? addMonths(repair!, 1) : null;
  if (verification && (!periodic || verification <= periodic)) return { date: verification, reason: "repair_verification" };
  if (periodic) return { date: periodic, reason: "periodic" };
  return { date: null, reason: "no_history" };
}

export type CheckStatus = "overdue" | "due_soon" | "ok" | "none";

/** For the register: overdue on or after the day after the due date, due soon within `soonDays`. */
export function checkStatus(next: NextCheck, today: string, soonDays = 30): CheckStatus {
  if (!next.date) return next.reason === "no_history" ? "overdue" : "none";
  if (next.date < today) return "overdue";
  const soon = parseIsoDate(today) ? addDaysIso(today, soonDays) : today;
  return next.date <= soon ? "due_soon" : "ok";
}

function addDaysIso(iso: string, days: number): string {
  const p = parseIsoDate(iso)!;
  const t = new Date(Date.UTC(p[0], p[1] - 1, p[2] + days));
  return `${t.getUTCFullYear()}-${String(t.getUTCMonth() + 1).padStart(2, "0")}-${String(t.getUTCDate()).padStart(2, "0")}`;
}

/** Register order: overdue first (oldest first), then by due date; units without a date last. */
export function compareNextChecks(a: NextCheck, b: NextCheck): number {
  const rank = (n: NextCheck) => (n.reason === "no_history" ? 0 : n.date ? 1 : 2);
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  if (a.date && b.date) return a.date < b.date ? -1 : a.date > b.date ? 1 : 0;
  return 0;
}

// ---------------------------------------------------------------------------------------------
// Nameplates

export interface NameplateReview {
  field: keyof Omit<NameplateReading, "review">;
  code: "unknown_refrigerant" | "hcfc" | "gwp_differs" | "co2e_mismatch";
  message: string;
}

export interface NameplateReading {
  manufacturer: FieldReading<string> | null;
  model: FieldReading<string> | null;
  serialNumber: FieldReading<string> | null;
  /** Canonical designation ("R32", "R410A", "R1234yf"). */
  refrigerant: FieldReading<string> | null;
  /** Charge in kg (factory charge, or the total charge when the plate has one filled in). */
  chargeKg: FieldReading<number> | null;
  /** GWP printed on the plate. */
  gwp: FieldReading<number> | null;
  /** CO2 equivalent in tonnes printed on the plate. */
  co2eTonnes: FieldReading<number> | null;
  hermeticallySealed: FieldReading<boolean> | null;
  review: NameplateReview[];
}

const MANUFACTURERS: string[] = [
  "Mitsubishi Electric", "Mitsubishi Heavy Industries", "Daikin", "Fujitsu General", "Fujitsu", "Toshiba", "Panasonic",
  "Samsung", "LG Electronics", "LG", "Gree", "Haier", "Midea", "Hisense", "Hitachi", "Johnson Controls", "Carrier",
  "Viessmann", "Vaillant", "Bosch", "Buderus", "Stiebel Eltron", "NIBE", "Rotenso", "Kaisai", "Sinclair", "AUX", "TCL",
  "Electrolux", "Whirlpool", "Danfoss", "Lennox", "Trane", "York", "Ariston", "De Dietrich", "Immergas", "Galmet",
  "Hewalex", "Kospel", "Sharp", "Chigo", "Olimpia Splendid", "Riello", "Clivet", "Aermec", "Thermor", "Atlantic",
  "Wolf", "Junkers", "Beretta", "Alpicair", "Tosot", "Cooper&Hunter", "Hyundai", "Vivax", "Fisher", "Mitsubishi",
];

// Short all-capitals brands must match case-sensitively ("LG", not "lg" inside a word).
const BRAND_PATTERNS: Record<string, RegExp> = {};
for (const brand of MANUFACTURERS) {
  const body = brand.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/ /g, "\\s+");
  BRAND_PATTERNS[brand] = new RegExp(`(^|[^A-Za-z])${body}(?![A-Za-z])`, brand.length <= 3 ? "" : "i");
}

const LINE_LABELS = {
  manufacturer: /(?:^|[^a-z])(?:manufacturer|producent|hersteller|wytworca|fabricant)(?![a-z])\s*[:.]?\s*/,
  model: /(?:^|[^a-z])(?:model(?:\s*(?:no|nr|name|number|code))?|typ(?:e)?|modell|unit model|nazwa modelu)(?![a-z])\s*\.?\s*[:.]?\s*/,
  serial: /(?:^|[^a-z])(?:serial\s*(?:no|nr|number)?|s\/n|sn|ser\.?\s*-?\s*nr|nr\.?\s*ser(?:yjny)?|numer\s+seryjny|seriennummer|n° de serie|mfg\.?\s*no)(?![a-z])\s*\.?\s*[:.]?\s*/,
};
const NEXT_LABEL = /\s{2,}|\s(?:serial|s\/n|sn|model|type|typ|power|refrigerant|czynnik|nr ser|mfg|date|data|ip\d)/i;
const CHARGE_LABEL = /charge|napelnieni|ilosc czynnika|ilosc|fullmenge|masa czynnika|quantity|kg\b/;
const WEIGHT_LINE = /weight|ciezar|gewicht|masa netto|masa brutto|netto|brutto|net wt|gross wt/;
const REFRIGERANT_LABEL = /refrigerant|czynnik|chlodziw|kaltemittel|fluide|gas|medium/;

const FOLD1: Record<string, string> = { ą: "a", ć: "c", ę: "e", ł: "l", ń: "n", ó: "o", ś: "s", ź: "z", ż: "z", ä: "a", ö: "o", ü: "u", ß: "s" };

function foldLine(text: string): string {
  const lower = text.toLowerCase();
  const base = lower.length === text.length ? lower : text;
  return base.replace(/[ąćęłńóśźżäöüß]/g, (c) => FOLD1[c] ?? c);
}

function plateReading<T>(value: T, confidence: number, lineNo: number, text: string): FieldReading<T> {
  return { value, confidence: Math.round(Math.max(0, Math.min(1, confidence)) * 100) / 100, source: { kind: "ocr", line: lineNo, text: text.trim() } };
}

function valueAfter(text: string, from: number): string | null {
  const rest = text.slice(from).replace(/^[\s:.#-]+/, "");
  const cut = NEXT_LABEL.exec(rest);
  const value = (cut ? rest.slice(0, cut.index) : rest).trim().replace(/[,;]+$/, "");
  return /[A-Za-z0-9]{2,}/.test(value) && value.length <= 40 ? value : null;
}

interface ChargeCandidate {
  grams: number;
  line: number;
  repaired: boolean;
  priority: number;
}

const MASS = /(^|[^0-9a-z])(\d{1,5}(?:[.,]\d{1,3})?)\s?(kg|g|lbs?|oz)(?![a-z0-9])/g;

function massToGrams(value: string, unit: string): number | null {
  if (unit === "kg") return parseScaledDecimal(value, 3);
  const milli = parseScaledDecimal(value, 3); // thousandths of the unit
  if (milli === null) return null;
  if (unit === "g") return Math.round(milli / 1000);
  if (unit === "oz") return Math.round((milli * 28.349523125) / 1000);
  return Math.round((milli * 453.59237) / 1000); // lb, lbs
}

/**
 * Reads refrigerant data from nameplate OCR text (Polish, English or German labels): manufacturer,
 * model, serial number, refrigerant, charge, and the GWP and CO2e the plate states, each with a
 * confidence. Cross-checks the stated GWP and CO2e against the refrigerant table. Never throws.
 */
export function parseNameplate(text: string): NameplateReading {
  const out: NameplateReading = {
    manufacturer: null,
    model: null,
    serialNumber: null,
    refrigerant: null,
    chargeKg: null,
    gwp: null,
    co2eTonnes: null,
    hermeticallySealed: null,
    review: [],
  };
  const raw = typeof text === "string" ? text : "";
  const lines = raw.replace(/\r\n?/g, "\n").replace(/[\u00a0\u2009\u202f\t]/g, " ").split("\n");
  const folded = lines.map((l) => repairOcrDigits(foldLine(l)));
  let refrigerantLine = -1;
  const charges: ChargeCandidate[] = [];

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const f = folded[i];
    const no = i + 1;
    if (!f.trim()) continue;

    let m = LINE_LABELS.manufacturer.exec(f);
    if (m && !out.manufacturer) {
      const v = valueAfter(line, m.index + m[0].length);
      if (v) out.manufacturer = plateReading(v, 0.95, no, line);
    }
    m = LINE_LABELS.model.exec(f);
    if (m && !out.model) {
      const v = valueAfter(line, m.index + m[0].length);
      if (v && /[0-9]/.test(v)) out.model = plateReading(v, 0.95, no, line);
    }
    m = LINE_LABELS.serial.exec(f);
    if (m && !out.serialNumber) {
      const v = valueAfter(line, m.index + m[0].length);
      if (v && /[0-9]/.test(v)) out.serialNumber = plateReading(v.replace(/\s+/g, ""), 0.95, no, line);
    }

    // Refrigerant designations: R32, R-410A, R 407C, HFC-134a, R1234ze(E); OCR "R41OA".
    if (!out.refrigerant) {
      const re = /(^|[^a-z0-9])((?:r|hfc|hfo|hcfc)\s?-?\s?(\d{2,4})([a-z]{0,2})(?:\(e\))?)(?![a-z0-9])/g;
      let r: RegExpExecArray | null;
      while ((r = re.exec(f)) !== null) {
        const key = refrigerantKey(r[2]);
        const info = refrigerantInfo(key);
        const labelled = REFRIGERANT_LABEL.test(f);
        const repaired = f.slice(r.index, r.index + r[0].length) !== foldLine(line).slice(r.index, r.index + r[0].length);
        if (info) {
          out.refrigerant = plateReading(info.code, (labelled ? 0.95 : 0.85) * (repaired ? 0.85 : 1), no, line);
          refrigerantLine = i;
          break;
        }
        if (labelled) {
          out.refrigerant = plateReading(key, 0.4, no, line);
          refrigerantLine = i;
          out.review.push({ field: "refrigerant", code: "unknown_refrigerant", message: `Refrigerant ${key} is not in the GWP table: CO2e and leak checks cannot be computed.` });
          break;
        }
      }
    }

    // Charges: a mass on a line about the refrigerant or its charge; not the unit's weight.
    if (!WEIGHT_LINE.test(f)) {
      MASS.lastIndex = 0;
      let c: RegExpExecArray | null;
      while ((c = MASS.exec(f)) !== null) {
        const grams = massToGrams(c[2], c[3]);
        if (grams === null || grams === 0 || grams > 2000000) continue;
        const repaired = f.slice(c.index, c.index + c[0].length) !== foldLine(line).slice(c.index, c.index + c[0].length);
        let priority = 0;
        if (/total|calkowit|gesamt/.test(f)) priority = 4;
        else if (i === refrigerantLine || /(^|[^a-z0-9])(r|hfc)\s?-?\d{2,4}/.test(f)) priority = 3;
        else if (CHARGE_LABEL.test(f) || REFRIGERANT_LABEL.test(f)) priority = 2;
        else priority = 1;
        charges.push({ grams, line: i, repaired, priority });
      }
    }

    const g = /(^|[^a-z])gwp\s*(?:\(ar\d\))?\s*[:=]?\s*(\d{1,3}(?:[ .]\d{3})|\d{1,5})(?![0-9.,])/.exec(f);
    if (g && !out.gwp) out.gwp = plateReading(Number(g[2].replace(/[ .]/g, "")), 0.95, no, line);

    const co2 = /(?:t\s?co2\s?-?\s?(?:eq|e|ekw|aq)?\.?|co2\s?-?\s?(?:eq|e|ekw)\.?|tco2e|ekwiwalent(?:u)?\s+co2|co2-?(?:aquivalent|equivalent))\s*(?:\(t\))?\s*[:=]?\s*(\d{1,6}(?:[.,]\d{1,4})?)\s*(?:t(?![a-z]))?/.exec(f);
    const co2Before = /(\d{1,6}(?:[.,]\d{1,4})?)\s*t\s?co2/.exec(f);
    if (!out.co2eTonnes && (co2 || co2Before)) {
      const v = co2 ? co2[1] : co2Before![1];
      const milli = parseScaledDecimal(v, 4);
      if (milli !== null) out.co2eTonnes = plateReading(milli / 10000, 0.9, no, line);
    }

    if (out.hermeticallySealed === null) {
      if (/(nie jest|not|nicht)\s+(hermetycznie|hermetically|hermetisch)/.test(f)) out.hermeticallySealed = plateReading(false, 0.9, no, line);
      else if (/hermetycznie zamkni|hermetically sealed|hermetisch (geschlossen|dicht)|hermetic system/.test(f)) out.hermeticallySealed = plateReading(true, 0.9, no, line);
    }
  }

  if (!out.manufacturer) {
    // The first line naming a known brand; on it, the longest name ("Mitsubishi Electric").
    for (let i = 0; i < lines.length && !out.manufacturer; i++) {
      let best: string | null = null;
      for (const brand of MANUFACTURERS) if (BRAND_PATTERNS[brand].test(lines[i]) && (!best || brand.length > best.length)) best = brand;
      if (best) out.manufacturer = plateReading(best, 0.85, i + 1, lines[i]);
    }
  }

  if (charges.length) {
    // The surest line kind first; on the refrigerant line the first mass is the charge.
    charges.sort((a, b) => b.priority - a.priority || a.line - b.line);
    const best = charges[0];
    const conf = (best.priority >= 3 ? 0.95 : best.priority === 2 ? 0.85 : 0.5) * (best.repaired ? 0.85 : 1);
    out.chargeKg = plateReading(best.grams / 1000, conf, best.line + 1, lines[best.line]);
  }

  // Cross-checks against the table.
  const info = out.refrigerant ? refrigerantInfo(out.refrigerant.value) : null;
  if (info && info.kind === "HCFC") out.review.push({ field: "refrigerant", code: "hcfc", message: info.note ?? "HCFC refrigerant." });
  if (info && out.gwp && out.gwp.value !== info.gwp) {
    out.review.push({
      field: "gwp",
      code: "gwp_differs",
      message: `The plate states GWP ${out.gwp.value}; the F-gas regulation value for ${info.code} is ${info.gwp} (plates of other years may print AR5/AR6 values). CO2e is computed with ${info.gwp}.`,
    });
  }
  if (out.co2eTonnes && out.chargeKg) {
    const gwp = out.gwp?.value ?? info?.gwp;
    if (gwp !== undefined) {
      const grams = Math.round(out.chargeKg.value * 1000);
      const statedDecimals = (String(out.co2eTonnes.value).split(".")[1] ?? "").length;
      const factor = Math.pow(10, Math.max(2, statedDecimals));
      const computed = Math.floor((grams * gwp * factor) / TONNE + 0.5) / factor;
      const stated = out.co2eTonnes.value;
      if (Math.abs(computed - stated) > 1 / factor + 1e-9) {
        out.review.push({
          field: "co2eTonnes",
          code: "co2e_mismatch",
          message: `The plate states ${stated} t CO2e, but ${out.chargeKg.value} kg x GWP ${gwp} = ${computed} t: check the charge and the CO2e reading.`,
        });
        out.co2eTonnes.confidence = Math.min(out.co2eTonnes.confidence, 0.5);
        out.chargeKg.confidence = Math.min(out.chargeKg.confidence, 0.6);
      } else {
        out.chargeKg.confidence = Math.max(out.chargeKg.confidence, 0.97);
        out.co2eTonnes.confidence = Math.max(out.co2eTonnes.confidence, 0.97);
      }
    }
  }
  return out;
}
