// A unit's form filled from a nameplate photo (issue 4): the photo's reading (equipment_photos.
// aiAnalysis, a StoredReading of kind "nameplate") proposes manufacturer, model, serial number,
// refrigerant, charge and the hermetically sealed flag. Only empty form fields are filled: what a
// person typed stays, and where it differs from the plate the page says so. Values the reading is
// unsure of are marked so the dispatcher compares them with the photo.
// Also: where a photo's reading stands, and keeping the customer's photo list current from live events.
// No PocketBase or browser globals (the dashboard uses it; unit-tested).
import type { DocumentField } from "./document";
import { refrigerantInfo } from "./fgas";
import { MAX_CHARGE_KG, parseDecimal, type EquipmentForm } from "./fgas-register";
import { LOW_CONFIDENCE } from "./invoiceview";
import { isEmptyColumn, parseStoredReading, type OcrStatus, type StoredReading } from "./ocr-record";
import type { EquipmentPhotoRecord } from "./types";

/** An equipment photo with the columns of the documents migration (the unit it shows, its reading's state). */
export interface NameplatePhoto extends EquipmentPhotoRecord {
  equipmentId: string;
  ocrStatus: OcrStatus | "";
  ocrError: string;
}

/** The form fields a nameplate fills, in the order the page shows them. */
export const NAMEPLATE_FILL_FIELDS = ["manufacturer", "model", "serialNumber", "refrigerant", "chargeKg", "hermeticallySealed"] as const;
export type NameplateFillField = (typeof NAMEPLATE_FILL_FIELDS)[number];

/** The form's input limits (the equipment collection's text lengths). */
const MAX_LENGTH: Partial<Record<NameplateFillField, number>> = { manufacturer: 100, model: 100, serialNumber: 100, refrigerant: 30 };

/** The nameplate reading of a photo (aiAnalysis as an object or JSON text), or null when it has none or another kind. */
export function nameplateReadingOf(aiAnalysis: unknown): StoredReading | null {
  let value = aiAnalysis;
  if (typeof value === "string") {
    if (!value.trim()) return null;
    try {
      value = JSON.parse(value);
    } catch {
      return null;
    }
  }
  return parseStoredReading(value, "aiAnalysis", "nameplate").value;
}

export type PhotoReadState = OcrStatus | "none";

/** Where reading a photo stands; a photo stored with a reading but no status (before the migration) is done. */
export function photoReadState(photo: Pick<NameplatePhoto, "ocrStatus" | "aiAnalysis" | "file">): PhotoReadState {
  const s = photo.ocrStatus;
  if (s === "waiting" || s === "reading" || s === "done" || s === "failed") return s;
  if (nameplateReadingOf(photo.aiAnalysis)) return "done";
  return photo.file ? "waiting" : "none";
}

/** A refrigerant as the equipment hook stores it: a known one by its designation ("r-410a" -> "R410A"), else as typed, trimmed. */
export function normalizeRefrigerant(text: string): string {
  const known = refrigerantInfo(String(text ?? ""));
  return known ? known.code : String(text ?? "").trim();
}

/** A charge in kg as the form's input holds it: "2,4" (pl) / "2.4" (en), grams at most, no grouping. */
export function chargeFormText(kg: number, lang: "pl" | "en"): string {
  const text = String(Math.round(kg * 1000) / 1000);
  return lang === "pl" ? text.replace(".", ",") : text;
}

/** One value a plate proposes for a form field. */
export interface PlateValue {
  /** As the form holds it ("R410A", "2,4", true). */
  value: string | boolean;
  confidence: number;
  /** Below LOW_CONFIDENCE: the dispatcher should compare it with the photo. */
  low: boolean;
}

export type PlateValues = Partial<Record<NameplateFillField, PlateValue>>;

function formValue(field: NameplateFillField, f: DocumentField, lang: "pl" | "en"): string | boolean | null {
  const v = f.value;
  if (field === "hermeticallySealed") return typeof v === "boolean" ? v : null;
  if (field === "chargeKg") return typeof v === "number" && Number.isFinite(v) && v > 0 && v <= MAX_CHARGE_KG ? chargeFormText(v, lang) : null;
  if (typeof v !== "string") return null;
  const text = (field === "refrigerant" ? normalizeRefrigerant(v) : v.trim()).slice(0, MAX_LENGTH[field] ?? 100);
  return text ? text : null;
}

/** What a reading proposes for each form field (fields it did not read, or read as something unusable, are absent). */
export function plateValues(reading: StoredReading | null, lang: "pl" | "en" = "pl"): PlateValues {
  const out: PlateValues = {};
  if (!reading || reading.kind !== "nameplate") return out;
  for (const field of NAMEPLATE_FILL_FIELDS) {
    const f = reading.fields[field];
    if (!f) continue;
    const value = formValue(field, f, lang);
    if (value === null) continue;
    out[field] = { value, confidence: f.confidence, low: f.confidence < LOW_CONFIDENCE };
  }
  return out;
}

function isEmptyInput(value: string | boolean): boolean {
  return typeof value === "string" ? value.trim() === "" : isEmptyColumn(value);
}

/** The person's value and the plate's say the same (spelling of the refrigerant, decimal mark and case aside). */
export function sameValue(field: NameplateFillField, a: string | boolean, b: string | boolean): boolean {
  if (typeof a === "boolean" || typeof b === "boolean") return a === b;
  if (field === "chargeKg") {
    const x = parseDecimal(a);
    const y = parseDecimal(b);
    return typeof x === "number" && typeof y === "number" && Math.abs(x - y) < 0.0005;
  }
  if (field === "refrigerant") return normalizeRefrigerant(a).toUpperCase() === normalizeRefrigerant(b).toUpperCase();
  return a.trim().replace(/\s+/g, " ").toLowerCase() === b.trim().replace(/\s+/g, " ").toLowerCase();
}

export interface PlateFill {
  /** The form with the plate's values in its empty fields. */
  form: EquipmentForm;
  /** The fields filled now, with what was put in them. */
  filled: PlateValues;
  /** Fields the person had filled with something else than the plate says (kept as typed). */
  differs: NameplateFillField[];
}

/**
 * Fills the form's empty fields from a reading: never a field a person filled (a ticked box
 * counts as filled; an unticked one as empty, the way PocketBase stores false).
 */
export function fillFromPlate(form: EquipmentForm, reading: StoredReading | null, lang: "pl" | "en" = "pl"): PlateFill {
  const values = plateValues(reading, lang);
  const next: EquipmentForm = { ...form };
  const filled: PlateValues = {};
  for (const field of NAMEPLATE_FILL_FIELDS) {
    const read = values[field];
    // "Not sealed" fills nothing: the box is already unticked.
    if (!read || !isEmptyInput(form[field]) || isEmptyInput(read.value)) continue;
    (next as unknown as Record<string, string | boolean>)[field] = read.value;
    filled[field] = read;
  }
  return { form: next, filled, differs: differingFields(form, values) };
}

/** The fields a person filled with something else than the plate says (the page shows the plate's value next to them). */
export function differingFields(form: EquipmentForm, values: PlateValues): NameplateFillField[] {
  return NAMEPLATE_FILL_FIELDS.filter((f) => {
    const read = values[f];
    return !!read && !isEmptyInput(form[f]) && !sameValue(f, form[f], read.value);
  });
}

/** The filled fields still holding a doubtful value read from the plate: marked until the person changes it. */
export function doubtfulFields(form: EquipmentForm, filled: PlateValues): NameplateFillField[] {
  return NAMEPLATE_FILL_FIELDS.filter((f) => {
    const read = filled[f];
    return !!read && read.low && form[f] === read.value;
  });
}

/** How a photo stands to the unit on the page. */
export function photoLink(photo: Pick<NameplatePhoto, "equipmentId">, unitId: string | null): "this" | "other" | "none" {
  if (!photo.equipmentId) return "none";
  return unitId && photo.equipmentId === unitId ? "this" : "other";
}

/**
 * A photo list (newest first) after a live event or a save: the record joins or is replaced when it
 * `belongs` (the customer's photos, the unit's photos), else it leaves.
 */
export function applyPhotoEvent<T extends Pick<NameplatePhoto, "id" | "created">>(list: readonly T[], record: T, action: "create" | "update" | "delete", belongs: (photo: T) => boolean): T[] {
  const rest = list.filter((p) => p.id !== record.id);
  if (action === "delete" || !belongs(record)) return rest;
  return [...rest, record].sort((a, b) => (a.created < b.created ? 1 : a.created > b.created ? -1 : a.id < b.id ? 1 : -1));
}
