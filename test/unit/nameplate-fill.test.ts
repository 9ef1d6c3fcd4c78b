import { describe, expect, it } from "vitest";
import { nameplateDocumentFields, type DocumentField, type OcrLineInfo } from "../../src/domain/document";
import { parseNameplate } from "../../src/domain/fgas";
import { equipmentToForm, type EquipmentForm } from "../../src/domain/fgas-register";
import {
  applyPhotoEvent, chargeFormText, differingFields, doubtfulFields, fillFromPlate, nameplateReadingOf, normalizeRefrigerant, photoLink,
  photoReadState, plateValues, sameValue,
} from "../../src/domain/nameplate-fill";
import { storedReading, type StoredReading } from "../../src/domain/ocr-record";

/** OCR lines of a text, every word read with `confidence` except the ones named in `doubtful`. */
function linesOf(text: string, confidence = 0.95, doubtful: Record<string, number> = {}): Array<OcrLineInfo | null> {
  return text.split("\n").map((line) => {
    const words = line.split(/\s+/).filter(Boolean).map((w) => ({ text: w, confidence: doubtful[w] ?? confidence }));
    if (!words.length) return null;
    return { text: line, confidence: words.reduce((s, w) => s + w.confidence, 0) / words.length, words };
  });
}

/** A stored reading of a nameplate text, as the worker would keep it in aiAnalysis. */
function plate(text: string, doubtful: Record<string, number> = {}): StoredReading {
  const fields = nameplateDocumentFields(parseNameplate(text), linesOf(text, 0.95, doubtful));
  return storedReading({ kind: "nameplate", source: "image-ocr", pages: 1, fields, review: [], ocrConfidence: 0.9, text }, "worker", "2026-11-20T10:00:00.000Z");
}

const field = (value: unknown, confidence = 0.95): DocumentField => ({ value, confidence, parserConfidence: confidence, ocrConfidence: 0.95, source: { kind: "ocr", line: 1 } });

function reading(fields: Record<string, DocumentField | null>): StoredReading {
  return storedReading({ kind: "nameplate", source: "image-ocr", pages: 1, fields, review: [], ocrConfidence: 0.9, text: "" }, "worker", "2026-11-20T10:00:00.000Z");
}

const DAIKIN = "DAIKIN INDUSTRIES\nMODEL RXM35R9V1B\nSERIAL NO. J012345\nREFRIGERANT R-410A 2.4 kg\nHermetically sealed system";
const empty = (): EquipmentForm => equipmentToForm({}, "pl");

describe("plateValues (what a reading proposes for the form)", () => {
  it("takes the plate's fields as the form holds them: refrigerant as the hook stores it, charge in kg with the language's decimal mark", () => {
    const values = plateValues(plate(DAIKIN), "pl");
    expect(Object.fromEntries(Object.entries(values).map(([k, v]) => [k, v!.value]))).toEqual({
      manufacturer: "Daikin", model: "RXM35R9V1B", serialNumber: "J012345", refrigerant: "R410A", chargeKg: "2,4", hermeticallySealed: true,
    });
    expect(plateValues(plate(DAIKIN), "en").chargeKg!.value).toBe("2.4");
  });

  it("marks values read from doubtful words as low confidence", () => {
    const values = plateValues(plate(DAIKIN, { "2.4": 0.5 }));
    expect(values.chargeKg).toMatchObject({ value: "2,4", low: true });
    expect(values.chargeKg!.confidence).toBeLessThan(0.8);
    expect(values.model).toMatchObject({ low: false });
  });

  it("leaves out what was not read or cannot go into the form", () => {
    const values = plateValues(reading({
      manufacturer: field("  "), model: null, serialNumber: field(12345), refrigerant: field("hfc-134a"),
      chargeKg: field(25000), hermeticallySealed: field("yes"),
    }));
    expect(values).toEqual({ refrigerant: { value: "R134a", confidence: 0.95, low: false } });
    expect(plateValues(reading({ chargeKg: field(0) }))).toEqual({});
    expect(plateValues(reading({ chargeKg: field(-2) }))).toEqual({});
  });

  it("keeps an unknown refrigerant as read (the form shows the server's refusal) and a long model cut to the field's length", () => {
    const values = plateValues(reading({ refrigerant: field(" R999 ", 0.4), model: field("X".repeat(150)) }));
    expect(values.refrigerant).toEqual({ value: "R999", confidence: 0.4, low: true });
    expect(values.model!.value).toHaveLength(100);
  });

  it("an invoice reading, or none, proposes nothing", () => {
    const invoice = { ...reading({ manufacturer: field("Daikin") }), kind: "invoice" as const };
    expect(plateValues(invoice)).toEqual({});
    expect(plateValues(null)).toEqual({});
  });
});

describe("fillFromPlate (only the empty fields)", () => {
  it("fills an empty form and lists what it filled", () => {
    const { form, filled, differs } = fillFromPlate(empty(), plate(DAIKIN));
    expect(form).toMatchObject({ manufacturer: "Daikin", model: "RXM35R9V1B", serialNumber: "J012345", refrigerant: "R410A", chargeKg: "2,4", hermeticallySealed: true });
    expect(Object.keys(filled)).toEqual(["manufacturer", "model", "serialNumber", "refrigerant", "chargeKg", "hermeticallySealed"]);
    expect(differs).toEqual([]);
    // Fields a plate never has stay as they were.
    expect(form.type).toBe("split");
    expect(form.location).toBe("");
  });

  it("never overwrites what the person typed; says where it differs from the plate", () => {
    const typed = { ...empty(), manufacturer: "Mitsubishi Electric", model: "rxm35r9v1b", chargeKg: "2,6", refrigerant: "r-410a", location: "dach" };
    const { form, filled, differs } = fillFromPlate(typed, plate(DAIKIN));
    expect(form).toMatchObject({ manufacturer: "Mitsubishi Electric", model: "rxm35r9v1b", chargeKg: "2,6", refrigerant: "r-410a", serialNumber: "J012345", location: "dach" });
    expect(Object.keys(filled)).toEqual(["serialNumber", "hermeticallySealed"]);
    // The model differs only in case and the refrigerant only in spelling: the same values.
    expect(differs).toEqual(["manufacturer", "chargeKg"]);
  });

  it("a field of spaces is empty; the same charge written differently is the same", () => {
    const { form, differs } = fillFromPlate({ ...empty(), serialNumber: "   ", chargeKg: "2.40" }, plate(DAIKIN));
    expect(form.serialNumber).toBe("J012345");
    expect(form.chargeKg).toBe("2.40");
    expect(differs).toEqual([]);
  });

  it("the sealed box: ticked by a plate that says sealed, never unticked by one that says not", () => {
    expect(fillFromPlate(empty(), reading({ hermeticallySealed: field(true) })).form.hermeticallySealed).toBe(true);
    const notSealed = reading({ hermeticallySealed: field(false) });
    expect(fillFromPlate(empty(), notSealed)).toMatchObject({ filled: {}, differs: [] });
    expect(fillFromPlate({ ...empty(), hermeticallySealed: true }, notSealed)).toMatchObject({ form: { hermeticallySealed: true }, differs: ["hermeticallySealed"] });
  });

  it("filling twice changes nothing more", () => {
    const once = fillFromPlate(empty(), plate(DAIKIN));
    const twice = fillFromPlate(once.form, plate(DAIKIN));
    expect(twice.form).toEqual(once.form);
    expect(twice.filled).toEqual({});
    expect(twice.differs).toEqual([]);
  });

  it("does not change the form it was given", () => {
    const before = empty();
    fillFromPlate(before, plate(DAIKIN));
    expect(before).toEqual(empty());
  });
});

describe("differingFields (the plate's value next to a field a person filled otherwise)", () => {
  it("follows the form as the person edits it", () => {
    const values = plateValues(plate(DAIKIN));
    const { form } = fillFromPlate(empty(), plate(DAIKIN));
    expect(differingFields(form, values)).toEqual([]);
    expect(differingFields({ ...form, serialNumber: "J012346", refrigerant: "r410a" }, values)).toEqual(["serialNumber"]);
    // An emptied field is not a different value: it is still to be filled.
    expect(differingFields({ ...form, model: "" }, values)).toEqual([]);
  });
});

describe("doubtfulFields (the marks on filled values)", () => {
  it("marks a doubtful value until the person changes it", () => {
    const { form, filled } = fillFromPlate(empty(), plate(DAIKIN, { "2.4": 0.5 }));
    expect(doubtfulFields(form, filled)).toEqual(["chargeKg"]);
    expect(doubtfulFields({ ...form, chargeKg: "2,5" }, filled)).toEqual([]);
    expect(doubtfulFields(form, {})).toEqual([]);
  });
});

describe("the small rules", () => {
  it("normalizeRefrigerant writes a known refrigerant as the hook does, an unknown one trimmed", () => {
    expect(normalizeRefrigerant("r-410a")).toBe("R410A");
    expect(normalizeRefrigerant("R 32")).toBe("R32");
    expect(normalizeRefrigerant("HFO-1234yf")).toBe("R1234yf");
    expect(normalizeRefrigerant(" R41X ")).toBe("R41X");
  });

  it("chargeFormText: kg to grams precision, no grouping", () => {
    expect(chargeFormText(2.4, "pl")).toBe("2,4");
    expect(chargeFormText(12, "pl")).toBe("12");
    expect(chargeFormText(1.0504, "en")).toBe("1.05");
    expect(chargeFormText(1234.5, "pl")).toBe("1234,5");
  });

  it("sameValue compares as the office would", () => {
    expect(sameValue("chargeKg", "2,4", "2.400")).toBe(true);
    expect(sameValue("chargeKg", "2,4", "abc")).toBe(false);
    expect(sameValue("model", " RXM  35 ", "rxm 35")).toBe(true);
    expect(sameValue("refrigerant", "R-32", "r32")).toBe(true);
    expect(sameValue("hermeticallySealed", true, false)).toBe(false);
  });

  it("nameplateReadingOf takes objects and JSON text, refuses invoices and broken readings", () => {
    const r = plate(DAIKIN);
    expect(nameplateReadingOf(r)?.fields.model?.value).toBe("RXM35R9V1B");
    expect(nameplateReadingOf(JSON.stringify(r))?.kind).toBe("nameplate");
    expect(nameplateReadingOf({ ...r, kind: "invoice" })).toBeNull();
    expect(nameplateReadingOf({ ...r, v: 2 })).toBeNull();
    expect(nameplateReadingOf("")).toBeNull();
    expect(nameplateReadingOf("{")).toBeNull();
    expect(nameplateReadingOf(null)).toBeNull();
  });

  it("photoReadState: the stored status, else done with a reading, waiting with a file", () => {
    expect(photoReadState({ ocrStatus: "failed", aiAnalysis: null, file: "a.png" })).toBe("failed");
    expect(photoReadState({ ocrStatus: "reading", aiAnalysis: plate(DAIKIN), file: "a.png" })).toBe("reading");
    expect(photoReadState({ ocrStatus: "", aiAnalysis: plate(DAIKIN), file: "a.png" })).toBe("done");
    expect(photoReadState({ ocrStatus: "", aiAnalysis: null, file: "a.png" })).toBe("waiting");
    expect(photoReadState({ ocrStatus: "", aiAnalysis: null, file: "" })).toBe("none");
  });

  it("photoLink: this unit, another, none", () => {
    expect(photoLink({ equipmentId: "u1" }, "u1")).toBe("this");
    expect(photoLink({ equipmentId: "u2" }, "u1")).toBe("other");
    expect(photoLink({ equipmentId: "u2" }, null)).toBe("other");
    expect(photoLink({ equipmentId: "" }, "u1")).toBe("none");
  });

  it("applyPhotoEvent keeps the photos that belong to the list, newest first", () => {
    const p = (id: string, created: string, contactId = "c1", equipmentId = "") => ({ id, created, contactId, equipmentId, description: "" });
    const ofCustomer = (x: { contactId: string }) => x.contactId === "c1";
    const list = [p("b", "2026-11-02"), p("a", "2026-11-01")];
    expect(applyPhotoEvent(list, p("c", "2026-11-03"), "create", ofCustomer).map((x) => x.id)).toEqual(["c", "b", "a"]);
    expect(applyPhotoEvent(list, p("c", "2026-11-03", "c2"), "create", ofCustomer).map((x) => x.id)).toEqual(["b", "a"]);
    expect(applyPhotoEvent(list, { ...p("a", "2026-11-01"), description: "x" }, "update", ofCustomer)).toEqual([list[0], { ...list[1], description: "x" }]);
    expect(applyPhotoEvent(list, p("a", "2026-11-01", "c2"), "update", ofCustomer).map((x) => x.id)).toEqual(["b"]);
    expect(applyPhotoEvent(list, p("b", "2026-11-02"), "delete", ofCustomer).map((x) => x.id)).toEqual(["a"]);
    // The unit's photos: one unlinked leaves, one linked joins in its place by date.
    const ofUnit = (x: { equipmentId: string }) => x.equipmentId === "u1";
    const linked = [p("b", "2026-11-02", "c1", "u1")];
    expect(applyPhotoEvent(linked, p("b", "2026-11-02"), "update", ofUnit)).toEqual([]);
    expect(applyPhotoEvent(linked, p("a", "2026-11-01", "c1", "u1"), "update", ofUnit).map((x) => x.id)).toEqual(["b", "a"]);
  });
});
