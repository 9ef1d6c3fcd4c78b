// The F-gas register (issue 4): what the equipment hook stores for a unit (CO2e, leak-check
// interval, next check and why), the checks of a unit's fields, and the register page's pure logic
// (rows with a status, order, filters, the edit form, inspection job drafts and which units
// already have an open job). The leak-check rules themselves are in ./fgas.ts.
// No PocketBase or browser globals: the hooks (goja) and the dashboard both use it.
import { checkStatus, compareNextChecks, leakCheckPlan, refrigerantInfo, type LeakCheckReason, type NextCheck, nextLeakCheck } from "./fgas";
import type { FieldError } from "./lifecycle";
import { fold } from "./text";
import type { BaseRecord, JobStatus } from "./types";

export const EQUIPMENT_TYPES = ["split", "multi_split", "vrf", "heat_pump", "chiller", "rooftop", "refrigeration", "ventilation", "other"] as const;
export type EquipmentType = (typeof EQUIPMENT_TYPES)[number];

/** Types that have no refrigerant circuit of their own (a refrigerant is optional for them). */
const NO_CIRCUIT: readonly string[] = ["ventilation", "other"];

/** Above this a charge is a typing error (the largest chillers a Warsaw firm services hold ~1 t). */
export const MAX_CHARGE_KG = 10000;

/** What a person enters for a unit (the demo data writes the same). Dates are "YYYY-MM-DD" or "". */
export interface EquipmentFields {
  contactId: string;
  location: string;
  type: EquipmentType | string;
  manufacturer: string;
  model: string;
  serialNumber: string;
  refrigerant: string;
  chargeKg: number;
  installDate: string;
  hermeticallySealed: boolean;
  leakDetector: boolean;
  lastLeakCheck: string;
  lastLeakRepair: string;
  notes: string;
}

export interface EquipmentRecord extends BaseRecord, EquipmentFields {
  co2eTonnes: number;
  checkIntervalMonths: number;
  nextCheckDate: string;
  checkReason: CheckReason | string;
}

/**
 * Why the next check is what it is (equipment.checkReason): a check is due ("periodic",
 * "repair_verification"), due but never dated ("no_history"), or not required and why.
 */
export type CheckReason =
  | "periodic"
  | "repair_verification"
  | "no_history"
  | "no_refrigerant"
  | Exclude<LeakCheckReason, "required">;

/** The fields the hook computes from. Dates are "YYYY-MM-DD" (a time part is ignored). */
export interface EquipmentInput {
  type?: string;
  refrigerant: string;
  chargeKg: number | null | undefined;
  hermeticallySealed?: boolean;
  leakDetector?: boolean;
  /** The customer's site is a home (apartment or house): Art. 5(1) third subparagraph. */
  residential?: boolean;
  installDate?: string | null;
  lastLeakCheck?: string | null;
  lastLeakRepair?: string | null;
}

export interface EquipmentComputed {
  /** Tonnes CO2e with two decimals; 0 when the refrigerant or charge is unknown. */
  co2eTonnes: number;
  /** Months between checks; 0 when none are required. */
  checkIntervalMonths: number;
  /** "YYYY-MM-DD" or "" when no date is due. */
  nextCheckDate: string;
  checkReason: CheckReason;
}

/** "YYYY-MM-DD" of a date field value ("2026-03-10 00:00:00.000Z", "2026-03-10"), or "". */
export function calendarDate(value: string | null | undefined): string {
  const m = /^(\d{4}-\d{2}-\d{2})/.exec(String(value ?? "").trim());
  return m ? m[1] : "";
}

/** What the equipment hook stores for a unit (every write path: API, Admin panel, hooks). */
export function computeEquipment(input: EquipmentInput): EquipmentComputed {
  if (!String(input.refrigerant ?? "").trim()) {
    return { co2eTonnes: 0, checkIntervalMonths: 0, nextCheckDate: "", checkReason: "no_refrigerant" };
  }
  const plan = leakCheckPlan({
    refrigerant: input.refrigerant,
    chargeKg: input.chargeKg,
    hermeticallySealed: !!input.hermeticallySealed,
    leakDetection: !!input.leakDetector,
    residential: !!input.residential,
  });
  const co2eTonnes = plan.co2eTonnes ?? 0;
  if (plan.reason !== "required") {
    return { co2eTonnes, checkIntervalMonths: 0, nextCheckDate: "", checkReason: plan.reason };
  }
  const next = nextLeakCheck({
    intervalMonths: plan.intervalMonths,
    installDate: calendarDate(input.installDate) || null,
    lastCheck: calendarDate(input.lastLeakCheck) || null,
    lastLeakRepair: calendarDate(input.lastLeakRepair) || null,
  });
  return {
    co2eTonnes,
    checkIntervalMonths: plan.intervalMonths ?? 0,
    nextCheckDate: next.date ?? "",
    checkReason: next.reason === "not_required" ? "below_threshold" : next.reason,
  };
}

/**
 * A unit's fields as the office enters them, checked against `today` (the Warsaw date): a known
 * refrigerant, a plausible charge, no dates in the future, no check before installation.
 */
export function checkEquipment(input: EquipmentInput, today: string): FieldError[] {
  const errors: FieldError[] = [];
  const refrigerant = String(input.refrigerant ?? "").trim();
  if (refrigerant && !refrigerantInfo(refrigerant)) {
    errors.push({ field: "refrigerant", code: "unknown_refrigerant", message: `Unknown refrigerant "${refrigerant}": enter its designation as on the nameplate, e.g. R32, R410A, R407C, R134a, R404A, R1234yf, R290 or R744.` });
  }
  if (!refrigerant && !NO_CIRCUIT.includes(String(input.type ?? ""))) {
    errors.push({ field: "refrigerant", code: "refrigerant_required", message: "refrigerant is required for a unit with a refrigerant circuit (e.g. R32, R410A); it is on the nameplate." });
  }
  const kg = input.chargeKg;
  if (typeof kg === "number" && Number.isFinite(kg) && kg < 0) {
    errors.push({ field: "chargeKg", code: "charge_negative", message: "chargeKg must not be negative." });
  } else if (typeof kg === "number" && kg > MAX_CHARGE_KG) {
    errors.push({ field: "chargeKg", code: "charge_too_large", message: `chargeKg above ${MAX_CHARGE_KG} kg is not plausible: enter the charge in kg (e.g. 2.4), not in grams.` });
  } else if (refrigerant && !(typeof kg === "number" && kg > 0)) {
    errors.push({ field: "chargeKg", code: "charge_required", message: "chargeKg (the refrigerant charge in kg, from the nameplate: factory plus additional charge) is required when a refrigerant is given." });
  }
  const install = calendarDate(input.installDate);
  const dates: Array<["installDate" | "lastLeakCheck" | "lastLeakRepair", string]> = [
    ["installDate", install],
    ["lastLeakCheck", calendarDate(input.lastLeakCheck)],
    ["lastLeakRepair", calendarDate(input.lastLeakRepair)],
  ];
  for (const [field, day] of dates) {
    if (day && day > today) {
      errors.push({ field, code: "date_in_future", message: `${field} must not be later than today (${today}).` });
    } else if (day && field !== "installDate" && install && day < install) {
      errors.push({ field, code: "before_install", message: `${field} must not be earlier than installDate (${install}).` });
    }
  }
  return errors;
}

// ------------------------------------------------------------------------------------------------
// The register page

export type RegisterStatus = "overdue" | "due_soon" | "ok" | "not_required" | "no_history" | "incomplete";
export const REGISTER_STATUSES: readonly RegisterStatus[] = ["overdue", "no_history", "due_soon", "ok", "not_required", "incomplete"];

/** A unit's next check as stored by the hook (nextCheckDate + checkReason). */
export function storedNextCheck(unit: Pick<EquipmentRecord, "nextCheckDate" | "checkReason">): NextCheck {
  const date = calendarDate(unit.nextCheckDate);
  const reason = String(unit.checkReason ?? "");
  if (date) return { date, reason: reason === "repair_verification" ? "repair_verification" : "periodic" };
  // Units whose data is missing sort with the ones never checked: both need someone to look.
  if (reason === "no_history" || reason === "unknown_charge" || reason === "unknown_refrigerant" || reason === "") return { date: null, reason: "no_history" };
  return { date: null, reason: "not_required" };
}

/** The register's badge for a unit on `today` (the Warsaw date); due soon = within 30 days. */
export function registerStatus(unit: Pick<EquipmentRecord, "nextCheckDate" | "checkReason">, today: string): RegisterStatus {
  const reason = String(unit.checkReason ?? "");
  if (reason === "unknown_charge" || reason === "unknown_refrigerant" || reason === "") return "incomplete";
  const next = storedNextCheck(unit);
  if (next.reason === "no_history") return "no_history";
  const s = checkStatus(next, today, 30);
  return s === "none" ? "not_required" : s;
}

export interface RegisterContact {
  id: string;
  name: string;
  district: string;
  address: string;
}

export interface RegisterRow {
  unit: EquipmentRecord;
  contact: RegisterContact | null;
  status: RegisterStatus;
  next: NextCheck;
  /** Folded text the search box matches. */
  haystack: string;
}

/** Every unit with its customer and status, overdue (and never checked) first, then by due date. */
export function buildRegister(units: readonly EquipmentRecord[], contacts: ReadonlyMap<string, RegisterContact>, today: string): RegisterRow[] {
  const rows = units.map((unit): RegisterRow => {
    const contact = contacts.get(unit.contactId) ?? null;
    return {
      unit,
      contact,
      status: registerStatus(unit, today),
      next: storedNextCheck(unit),
      haystack: fold([
        contact?.name, contact?.district, contact?.address, unit.location, unit.manufacturer, unit.model,
        unit.serialNumber, unit.refrigerant, unit.notes,
      ].filter(Boolean).join(" ")),
    };
  });
  return rows.sort((a, b) =>
    compareNextChecks(a.next, b.next)
    || (a.contact?.name ?? "").localeCompare(b.contact?.name ?? "", "pl")
    || a.unit.id.localeCompare(b.unit.id));
}

export interface RegisterFilter {
  /** "all", a status, or "attention" (overdue, never checked, incomplete or due soon). */
  status: RegisterStatus | "all" | "attention";
  text: string;
}

const ATTENTION: readonly RegisterStatus[] = ["overdue", "no_history", "due_soon", "incomplete"];

export function filterRegister(rows: readonly RegisterRow[], filter: RegisterFilter): RegisterRow[] {
  const words = fold(filter.text).split(" ").filter(Boolean);
  return rows.filter((r) => {
    if (filter.status === "attention" ? !ATTENTION.includes(r.status) : filter.status !== "all" && r.status !== filter.status) return false;
    return words.every((w) => r.haystack.includes(w));
  });
}

export function statusCounts(rows: readonly RegisterRow[]): Record<RegisterStatus, number> {
  const out = { overdue: 0, due_soon: 0, ok: 0, not_required: 0, no_history: 0, incomplete: 0 } as Record<RegisterStatus, number>;
  for (const r of rows) out[r.status]++;
  return out;
}

/** Units whose check is late: overdue or never checked ("all overdue" on the page). */
export function overdueIds(rows: readonly RegisterRow[]): string[] {
  return rows.filter((r) => r.status === "overdue" || r.status === "no_history").map((r) => r.unit.id);
}

// ------------------------------------------------------------------------------------------------
// Numbers and dates as the office reads them

/** "1,05" (pl) / "1.05" (en): up to three decimals, no trailing zeros, thousands grouped. */
export function formatDecimal(n: number | null | undefined, lang: "pl" | "en" = "pl", maxDecimals = 3): string {
  if (typeof n !== "number" || !Number.isFinite(n)) return "";
  const scale = 10 ** maxDecimals;
  const rounded = Math.round(Math.abs(n) * scale);
  const int = Math.floor(rounded / scale);
  const frac = String(rounded % scale).padStart(maxDecimals, "0").replace(/0+$/, "");
  const group = lang === "pl" ? "\u00a0" : ",";
  // Polish groups only from 10 000 (a four-digit number stays "1234").
  const intText = lang === "pl" && int < 10000 ? String(int) : String(int).replace(/\B(?=(\d{3})+(?!\d))/g, group);
  return `${n < 0 && rounded > 0 ? "-" : ""}${intText}${frac ? (lang === "pl" ? "," : ".") + frac : ""}`;
}

/** "24.11.2026" for "2026-11-24" (any time part ignored); "" when empty. */
export function formatCalendarDate(value: string | null | undefined): string {
  const d = calendarDate(value);
  return d ? `${d.slice(8, 10)}.${d.slice(5, 7)}.${d.slice(0, 4)}` : "";
}

/** A decimal typed by a person: "1,05", "1.05", " 2 400,5 " -> number; null when it is not one; "" -> undefined. */
export function parseDecimal(text: string): number | null | undefined {
  const s = String(text ?? "").trim().replace(/[\s\u00a0]/g, "");
  if (s === "") return undefined;
  if (!/^-?\d+(?:[.,]\d+)?$/.test(s)) return null;
  return Number(s.replace(",", "."));
}

// ------------------------------------------------------------------------------------------------
// The add / edit form

export const EQUIPMENT_FORM_FIELDS = [
  "contactId", "location", "type", "manufacturer", "model", "serialNumber", "refrigerant", "chargeKg",
  "installDate", "hermeticallySealed", "leakDetector", "lastLeakCheck", "lastLeakRepair", "notes",
] as const;
export type EquipmentFormField = (typeof EQUIPMENT_FORM_FIELDS)[number];

export type EquipmentForm = Omit<EquipmentFields, "type" | "chargeKg"> & {
  type: string;
  /** As typed: "2,4". */
  chargeKg: string;
};

export function equipmentToForm(unit: Partial<EquipmentRecord>, lang: "pl" | "en" = "pl"): EquipmentForm {
  return {
    contactId: unit.contactId ?? "",
    location: unit.location ?? "",
    type: unit.type || "split",
    manufacturer: unit.manufacturer ?? "",
    model: unit.model ?? "",
    serialNumber: unit.serialNumber ?? "",
    refrigerant: unit.refrigerant ?? "",
    // Plain digits (no grouping) with the language's decimal mark: what a person types back.
    chargeKg: typeof unit.chargeKg === "number" && unit.chargeKg > 0 ? (lang === "pl" ? String(unit.chargeKg).replace(".", ",") : String(unit.chargeKg)) : "",
    installDate: calendarDate(unit.installDate),
    hermeticallySealed: !!unit.hermeticallySealed,
    leakDetector: !!unit.leakDetector,
    lastLeakCheck: calendarDate(unit.lastLeakCheck),
    lastLeakRepair: calendarDate(unit.lastLeakRepair),
    notes: unit.notes ?? "",
  };
}

/**
 * The body to save: every form field (a new unit) or only the changed ones (an edit, `stored` given),
 * and the fields the page can tell are wrong before asking the server (code per field).
 */
export function equipmentPayload(form: EquipmentForm, stored?: EquipmentForm): { body: Record<string, unknown>; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const body: Record<string, unknown> = {};
  for (const f of EQUIPMENT_FORM_FIELDS) {
    if (stored && form[f] === stored[f]) continue;
    if (f === "chargeKg") {
      const n = parseDecimal(form.chargeKg);
      if (n === null) errors.chargeKg = "invalid_decimal";
      else body.chargeKg = n ?? 0;
    } else if (f === "refrigerant") {
      body.refrigerant = form.refrigerant.trim();
    } else if (f === "contactId" && !form.contactId) {
      errors.contactId = "validation_required";
    } else {
      body[f] = form[f];
    }
  }
  return { body, errors };
}

// ------------------------------------------------------------------------------------------------
// Inspection jobs from the register

export const OPEN_JOB_STATUSES: readonly JobStatus[] = ["pending", "scheduled", "in_progress"];

export interface LinkedJob {
  id: string;
  equipmentId: string;
  status: JobStatus | string;
}

/** Units (ids) that already have an open job linked: no second inspection job for them. */
export function unitsWithOpenJobs(jobs: readonly LinkedJob[]): Set<string> {
  const out = new Set<string>();
  for (const j of jobs) if (j.equipmentId && (OPEN_JOB_STATUSES as readonly string[]).includes(j.status)) out.add(j.equipmentId);
  return out;
}

export interface InspectionDraft {
  contactId: string;
  equipmentId: string;
  type: "inspection";
  title: string;
  description: string;
  priority: "medium";
  status: "pending";
}

function unitName(unit: Pick<EquipmentRecord, "manufacturer" | "model" | "type" | "serialNumber">): string {
  const name = [unit.manufacturer, unit.model].map((s) => String(s ?? "").trim()).filter(Boolean).join(" ");
  return name || String(unit.serialNumber ?? "").trim() || "urządzenie";
}

const REASON_PL: Record<string, string> = {
  periodic: "okresowa kontrola szczelności",
  repair_verification: "kontrola po naprawie wycieku (do miesiąca od naprawy)",
  no_history: "brak daty ostatniej kontroli",
};

/** The job that inspects a unit for leaks (the text is Polish: it is the job card the technician reads). */
export function inspectionJobDraft(unit: EquipmentRecord): InspectionDraft {
  const due = formatCalendarDate(unit.nextCheckDate);
  const parts = [
    `Kontrola szczelności wg rozporządzenia (UE) 2024/573 art. 5: ${REASON_PL[String(unit.checkReason)] ?? "kontrola szczelności"}.`,
    `Urządzenie: ${unitName(unit)}${unit.serialNumber ? `, nr seryjny ${unit.serialNumber}` : ""}${unit.location ? `, ${unit.location}` : ""}.`,
    `Czynnik: ${unit.refrigerant || "—"}, napełnienie ${formatDecimal(unit.chargeKg)} kg, ${formatDecimal(unit.co2eTonnes, "pl", 2)} t CO2e`
      + `${unit.checkIntervalMonths ? `, kontrola co ${unit.checkIntervalMonths} mies.` : ""}${unit.leakDetector ? " (z systemem wykrywania wycieków)" : ""}.`,
    due ? `Termin kontroli: ${due}.` : "Termin kontroli: jak najszybciej (brak daty ostatniej kontroli).",
  ];
  const gas = refrigerantInfo(unit.refrigerant);
  if (gas && gas.fgasAnnexI && gas.gwp >= 2500 && unit.type === "refrigeration") {
    parts.push(`Uwaga: ${gas.code} ma GWP ${gas.gwp} - od 1.01.2025 do serwisu urządzeń chłodniczych wolno użyć tylko czynnika z odzysku lub recyklingu (art. 13 ust. 3, do 2030 r.).`);
  }
  return {
    contactId: unit.contactId,
    equipmentId: unit.id,
    type: "inspection",
    title: `Kontrola szczelności F-gaz: ${unitName(unit)}`.slice(0, 200),
    description: parts.join("\n"),
    priority: "medium",
    status: "pending",
  };
}

/** Which selected units get a new inspection job, and which are skipped (an open job is linked). */
export function planInspectionJobs(units: readonly EquipmentRecord[], jobs: readonly LinkedJob[]): { create: InspectionDraft[]; skipped: EquipmentRecord[] } {
  const busy = unitsWithOpenJobs(jobs);
  const create: InspectionDraft[] = [];
  const skipped: EquipmentRecord[] = [];
  const seen = new Set<string>();
  for (const u of units) {
    if (seen.has(u.id)) continue;
    seen.add(u.id);
    if (busy.has(u.id)) skipped.push(u);
    else create.push(inspectionJobDraft(u));
  }
  return { create, skipped };
}
