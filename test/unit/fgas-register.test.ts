import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { localizedFieldErrors } from "../../src/domain/jobview";
import * as fgasMessages from "../../web/src/lib/messages/fgas";
import {
  buildRegister, calendarDate, checkEquipment, computeEquipment, equipmentPayload, equipmentToForm, filterRegister,
  formatCalendarDate, formatDecimal, inspectionJobDraft, overdueIds, parseDecimal, planInspectionJobs, registerStatus,
  statusCounts, storedNextCheck, unitsWithOpenJobs, type EquipmentRecord, type RegisterContact,
} from "../../src/domain/fgas-register";

const TODAY = "2026-11-24";

function unit(over: Partial<EquipmentRecord> = {}): EquipmentRecord {
  return {
    id: "u1", created: "", updated: "", contactId: "c1", location: "dach", type: "split", manufacturer: "Daikin", model: "RXM35R9",
    serialNumber: "J012345", refrigerant: "R410A", chargeKg: 2.4, installDate: "", hermeticallySealed: false, leakDetector: false,
    lastLeakCheck: "", lastLeakRepair: "", notes: "", co2eTonnes: 5.01, checkIntervalMonths: 12, nextCheckDate: "", checkReason: "no_history",
    ...over,
  };
}

describe("computeEquipment (what the hook stores)", () => {
  it.each([
    ["periodic from the last check", { refrigerant: "R410A", chargeKg: 2.4, lastLeakCheck: "2026-03-10 00:00:00.000Z" }, { co2eTonnes: 5.01, checkIntervalMonths: 12, nextCheckDate: "2027-03-10", checkReason: "periodic" }],
    ["the first check counts from installation", { refrigerant: "R410A", chargeKg: 24, installDate: "2026-08-31" }, { co2eTonnes: 50.11, checkIntervalMonths: 6, nextCheckDate: "2027-02-28", checkReason: "periodic" }],
    ["no dates yet", { refrigerant: "R32", chargeKg: 7.41 }, { co2eTonnes: 5, checkIntervalMonths: 12, nextCheckDate: "", checkReason: "no_history" }],
    ["below 5 t", { refrigerant: "R32", chargeKg: 1.05, lastLeakCheck: "2026-01-01" }, { co2eTonnes: 0.71, checkIntervalMonths: 0, nextCheckDate: "", checkReason: "below_threshold" }],
    ["an unverified repair", { refrigerant: "R404A", chargeKg: 3, lastLeakCheck: "2026-05-01", lastLeakRepair: "2026-10-31" }, { co2eTonnes: 11.77, checkIntervalMonths: 12, nextCheckDate: "2026-11-30", checkReason: "repair_verification" }],
    ["HFO by mass", { refrigerant: "R1234ze", chargeKg: 150, lastLeakCheck: "2026-11-01", leakDetector: true }, { co2eTonnes: 1.05, checkIntervalMonths: 6, nextCheckDate: "2027-05-01", checkReason: "periodic" }],
    ["hermetic below 10 t", { refrigerant: "R410A", chargeKg: 4.78, hermeticallySealed: true }, { co2eTonnes: 9.98, checkIntervalMonths: 0, nextCheckDate: "", checkReason: "hermetic_exempt" }],
    ["hermetic in a home below 3 kg", { refrigerant: "R404A", chargeKg: 2.9, hermeticallySealed: true, residential: true }, { co2eTonnes: 11.37, checkIntervalMonths: 0, nextCheckDate: "", checkReason: "hermetic_exempt" }],
    ["the same in an office", { refrigerant: "R404A", chargeKg: 2.9, hermeticallySealed: true, residential: false, lastLeakCheck: "2026-11-01" }, { co2eTonnes: 11.37, checkIntervalMonths: 12, nextCheckDate: "2027-11-01", checkReason: "periodic" }],
    ["propane", { refrigerant: "R290", chargeKg: 0.9 }, { co2eTonnes: 0, checkIntervalMonths: 0, nextCheckDate: "", checkReason: "not_fgas" }],
    ["R22", { refrigerant: "R22", chargeKg: 3 }, { co2eTonnes: 5.43, checkIntervalMonths: 0, nextCheckDate: "", checkReason: "hcfc" }],
    ["no refrigerant (ventilation)", { refrigerant: " ", chargeKg: 0 }, { co2eTonnes: 0, checkIntervalMonths: 0, nextCheckDate: "", checkReason: "no_refrigerant" }],
    ["an unknown refrigerant (written past the request checks)", { refrigerant: "R999", chargeKg: 3 }, { co2eTonnes: 0, checkIntervalMonths: 0, nextCheckDate: "", checkReason: "unknown_refrigerant" }],
    ["an F-gas without a charge", { refrigerant: "R32", chargeKg: null }, { co2eTonnes: 0, checkIntervalMonths: 0, nextCheckDate: "", checkReason: "unknown_charge" }],
  ] as const)("%s", (_name, input, expected) => {
    expect(computeEquipment(input)).toEqual(expected);
  });

  it("reads dates as calendar days, whatever time part they carry", () => {
    expect(calendarDate("2026-03-10 00:00:00.000Z")).toBe("2026-03-10");
    expect(calendarDate("2026-03-10T22:30:00Z")).toBe("2026-03-10");
    expect(calendarDate("")).toBe("");
    expect(calendarDate("10.03.2026")).toBe("");
  });
});

describe("checkEquipment (the request checks)", () => {
  const ok = { type: "split", refrigerant: "R410A", chargeKg: 2.4 };
  const codes = (input: Parameters<typeof checkEquipment>[0]) => checkEquipment(input, TODAY).map((e) => `${e.field}:${e.code}`);

  it("accepts a complete unit, dates up to today, a check on the day of installation", () => {
    expect(codes({ ...ok, installDate: TODAY, lastLeakCheck: TODAY, lastLeakRepair: TODAY })).toEqual([]);
    expect(codes({ ...ok, installDate: "2020-05-01", lastLeakCheck: "2020-05-01" })).toEqual([]);
    expect(codes({ ...ok, chargeKg: 10000 })).toEqual([]);
    expect(codes({ type: "ventilation", refrigerant: "", chargeKg: 0 })).toEqual([]);
  });

  it.each([
    ["unknown refrigerant", { refrigerant: "R999" }, ["refrigerant:unknown_refrigerant"]],
    ["no refrigerant on a split", { refrigerant: "" }, ["refrigerant:refrigerant_required"]],
    ["no charge", { chargeKg: 0 }, ["chargeKg:charge_required"]],
    ["charge missing entirely", { chargeKg: null }, ["chargeKg:charge_required"]],
    ["negative charge", { chargeKg: -0.5 }, ["chargeKg:charge_negative"]],
    ["absurd charge", { chargeKg: 10000.001 }, ["chargeKg:charge_too_large"]],
    ["install tomorrow", { installDate: "2026-11-25" }, ["installDate:date_in_future"]],
    ["check tomorrow", { lastLeakCheck: "2026-11-25 00:00:00.000Z" }, ["lastLeakCheck:date_in_future"]],
    ["repair tomorrow", { lastLeakRepair: "2026-11-25" }, ["lastLeakRepair:date_in_future"]],
    ["check before installation", { installDate: "2024-05-02", lastLeakCheck: "2024-05-01" }, ["lastLeakCheck:before_install"]],
    ["repair before installation", { installDate: "2024-05-02", lastLeakRepair: "2024-05-01" }, ["lastLeakRepair:before_install"]],
  ] as const)("%s", (_name, over, expected) => {
    expect(codes({ ...ok, ...over })).toEqual(expected);
  });

  it("names the field and gives examples for an unknown refrigerant", () => {
    const [e] = checkEquipment({ ...ok, refrigerant: "R41X" }, TODAY);
    expect(e.field).toBe("refrigerant");
    expect(e.message).toMatch(/"R41X".*R32.*R410A/);
  });
});

describe("register status and order", () => {
  it.each([
    [{ nextCheckDate: "2026-11-23 00:00:00.000Z", checkReason: "periodic" }, "overdue"],
    [{ nextCheckDate: "2026-11-24 00:00:00.000Z", checkReason: "periodic" }, "due_soon"],
    [{ nextCheckDate: "2026-12-24", checkReason: "repair_verification" }, "due_soon"],
    [{ nextCheckDate: "2026-12-25", checkReason: "periodic" }, "ok"],
    [{ nextCheckDate: "", checkReason: "no_history" }, "no_history"],
    [{ nextCheckDate: "", checkReason: "below_threshold" }, "not_required"],
    [{ nextCheckDate: "", checkReason: "hermetic_exempt" }, "not_required"],
    [{ nextCheckDate: "", checkReason: "no_refrigerant" }, "not_required"],
    [{ nextCheckDate: "", checkReason: "unknown_charge" }, "incomplete"],
    [{ nextCheckDate: "", checkReason: "" }, "incomplete"],
  ] as const)("%o -> %s", (u, status) => {
    expect(registerStatus(u, TODAY)).toBe(status);
  });

  it("keeps the reason of a dated check", () => {
    expect(storedNextCheck({ nextCheckDate: "2026-12-01 00:00:00.000Z", checkReason: "repair_verification" })).toEqual({ date: "2026-12-01", reason: "repair_verification" });
    expect(storedNextCheck({ nextCheckDate: "", checkReason: "hcfc" })).toEqual({ date: null, reason: "not_required" });
  });

  const contacts = new Map<string, RegisterContact>([
    ["c1", { id: "c1", name: "Żabka Mokotów", district: "Mokotów", address: "ul. Puławska 1" }],
    ["c2", { id: "c2", name: "Anna Kowalska", district: "Wola", address: "ul. Górczewska 5" }],
  ]);
  const units = [
    unit({ id: "ok", nextCheckDate: "2027-05-01", checkReason: "periodic" }),
    unit({ id: "none", nextCheckDate: "", checkReason: "below_threshold", contactId: "c2" }),
    unit({ id: "soon", nextCheckDate: "2026-12-10", checkReason: "periodic" }),
    unit({ id: "late", nextCheckDate: "2026-10-01", checkReason: "periodic", contactId: "c2", model: "Chłodnia Łódź" }),
    unit({ id: "later", nextCheckDate: "2026-11-01", checkReason: "repair_verification" }),
    unit({ id: "never-b", nextCheckDate: "", checkReason: "no_history" }),
    unit({ id: "never-a", nextCheckDate: "", checkReason: "no_history", contactId: "c2" }),
    unit({ id: "orphan", contactId: "gone", nextCheckDate: "", checkReason: "hermetic_exempt" }),
  ];

  it("lists never-checked and overdue units first (oldest first), then by due date, the rest last", () => {
    const rows = buildRegister(units, contacts, TODAY);
    expect(rows.map((r) => r.unit.id)).toEqual(["never-a", "never-b", "late", "later", "soon", "ok", "orphan", "none"]);
    expect(rows.map((r) => r.status)).toEqual(["no_history", "no_history", "overdue", "overdue", "due_soon", "ok", "not_required", "not_required"]);
    expect(rows[0].contact?.name).toBe("Anna Kowalska");
    expect(rows.find((r) => r.unit.id === "orphan")!.contact).toBeNull();
    expect(statusCounts(rows)).toEqual({ overdue: 2, due_soon: 1, ok: 1, not_required: 2, no_history: 2, incomplete: 0 });
    expect(overdueIds(rows)).toEqual(["never-a", "never-b", "late", "later"]);
  });

  it("filters by status and by words, ignoring case and Polish letters", () => {
    const rows = buildRegister(units, contacts, TODAY);
    const ids = (f: Parameters<typeof filterRegister>[1]) => filterRegister(rows, f).map((r) => r.unit.id);
    expect(ids({ status: "overdue", text: "" })).toEqual(["late", "later"]);
    expect(ids({ status: "attention", text: "" })).toEqual(["never-a", "never-b", "late", "later", "soon"]);
    expect(ids({ status: "all", text: "zabka" })).toEqual(["never-b", "later", "soon", "ok"]);
    expect(ids({ status: "all", text: "chlodnia LODZ" })).toEqual(["late"]);
    expect(ids({ status: "all", text: "wola kowalska" })).toEqual(["never-a", "late", "none"]);
    expect(ids({ status: "ok", text: "kowalska" })).toEqual([]);
    expect(ids({ status: "all", text: "j0123" })).toHaveLength(units.length);
  });
});

describe("numbers and dates for people", () => {
  it.each([
    [1.05, "pl", "1,05"],
    [2.4, "pl", "2,4"],
    [0.001, "pl", "0,001"],
    [12, "pl", "12"],
    [1234.5, "pl", "1234,5"],
    [12345.5, "pl", "12\u00a0345,5"],
    [12345.5, "en", "12,345.5"],
    [2.4, "en", "2.4"],
    [-1.5, "pl", "-1,5"],
  ] as const)("formatDecimal(%d, %s) = %s", (n, lang, text) => {
    expect(formatDecimal(n, lang)).toBe(text);
  });

  it("rounds to the decimals asked for", () => {
    expect(formatDecimal(5.005, "pl", 2)).toBe("5,01");
    expect(formatDecimal(50.1, "pl", 2)).toBe("50,1");
    expect(formatDecimal(null)).toBe("");
  });

  it.each([
    ["1,05", 1.05],
    ["1.05", 1.05],
    [" 2 400,5 ", 2400.5],
    ["0", 0],
    ["", undefined],
    ["  ", undefined],
    ["dużo", null],
    ["1,2,3", null],
    ["1e3", null],
  ] as const)("parseDecimal(%j) = %s", (text, n) => {
    expect(parseDecimal(text)).toBe(n);
  });

  it("formats calendar dates the Polish way", () => {
    expect(formatCalendarDate("2026-03-09 00:00:00.000Z")).toBe("09.03.2026");
    expect(formatCalendarDate("")).toBe("");
  });
});

describe("the add / edit form", () => {
  it("a new unit sends every field, the charge as a number", () => {
    const form = { ...equipmentToForm({}), contactId: "c1", refrigerant: " R32 ", chargeKg: "1,05", model: "FTXM" };
    const { body, errors } = equipmentPayload(form);
    expect(errors).toEqual({});
    expect(body).toMatchObject({ contactId: "c1", type: "split", refrigerant: "R32", chargeKg: 1.05, model: "FTXM", hermeticallySealed: false, installDate: "" });
    expect(Object.keys(body)).toHaveLength(14);
  });

  it("an edit sends only what changed", () => {
    const stored = equipmentToForm(unit({ chargeKg: 2.4, lastLeakCheck: "2026-03-10 00:00:00.000Z" }));
    expect(stored).toMatchObject({ chargeKg: "2,4", lastLeakCheck: "2026-03-10", type: "split" });
    expect(equipmentToForm(unit({ chargeKg: 2.4 }), "en").chargeKg).toBe("2.4");
    const form = { ...stored, chargeKg: "2,45", leakDetector: true };
    expect(equipmentPayload(form, stored)).toEqual({ body: { chargeKg: 2.45, leakDetector: true }, errors: {} });
    expect(equipmentPayload(stored, stored)).toEqual({ body: {}, errors: {} });
  });

  it("tells a bad number and a missing customer before asking the server", () => {
    const { errors } = equipmentPayload({ ...equipmentToForm({}), chargeKg: "dwa" });
    expect(errors).toEqual({ chargeKg: "invalid_decimal", contactId: "validation_required" });
    expect(equipmentPayload({ ...equipmentToForm({}), contactId: "c1", chargeKg: "" }).body.chargeKg).toBe(0);
  });
});

describe("inspection jobs from the register", () => {
  it("drafts a Polish inspection job for the unit's customer", () => {
    const draft = inspectionJobDraft(unit({ id: "u9", contactId: "c7", nextCheckDate: "2026-12-01 00:00:00.000Z", checkReason: "periodic", leakDetector: true }));
    expect(draft).toMatchObject({ contactId: "c7", equipmentId: "u9", type: "inspection", priority: "medium", status: "pending" });
    expect(draft.title).toBe("Kontrola szczelności F-gaz: Daikin RXM35R9");
    expect(draft.description).toContain("Czynnik: R410A, napełnienie 2,4 kg, 5,01 t CO2e, kontrola co 12 mies. (z systemem wykrywania wycieków).");
    expect(draft.description).toContain("Termin kontroli: 01.12.2026.");
    expect(draft.description).toContain("nr seryjny J012345, dach");
    const never = inspectionJobDraft(unit({ manufacturer: "", model: "", serialNumber: "X-1", checkReason: "no_history" }));
    expect(never.title).toBe("Kontrola szczelności F-gaz: X-1");
    expect(never.description).toMatch(/jak najszybciej/);
    expect(inspectionJobDraft(unit({ checkReason: "repair_verification", nextCheckDate: "2026-12-01" })).description).toMatch(/po naprawie wycieku/);
    // A refrigeration unit with R404A: the technician is told about the Art. 13(3) service ban.
    expect(inspectionJobDraft(unit({ type: "refrigeration", refrigerant: "R404A" })).description).toMatch(/GWP 3922 .*z odzysku lub recyklingu \(art\. 13 ust\. 3/);
    expect(inspectionJobDraft(unit({ type: "split", refrigerant: "R404A" })).description).not.toMatch(/art\. 13/);
    expect(inspectionJobDraft(unit({ type: "refrigeration", refrigerant: "R410A" })).description).not.toMatch(/art\. 13/);
  });

  it("skips units with an open job linked (pending, scheduled or in progress), not finished ones", () => {
    const jobs = [
      { id: "j1", equipmentId: "a", status: "pending" },
      { id: "j2", equipmentId: "b", status: "scheduled" },
      { id: "j3", equipmentId: "c", status: "in_progress" },
      { id: "j4", equipmentId: "d", status: "completed" },
      { id: "j5", equipmentId: "e", status: "cancelled" },
      { id: "j6", equipmentId: "", status: "pending" },
    ];
    expect([...unitsWithOpenJobs(jobs)].sort()).toEqual(["a", "b", "c"]);
    const plan = planInspectionJobs(["a", "b", "c", "d", "e", "f", "f"].map((id) => unit({ id })), jobs);
    expect(plan.create.map((d) => d.equipmentId)).toEqual(["d", "e", "f"]);
    expect(plan.skipped.map((u) => u.id)).toEqual(["a", "b", "c"]);
  });
});

describe("every error the equipment hook can send has a Polish and an English text", () => {
  // The codes of the request checks (fgas-register.ts) and of the raw type checks (validation.ts),
  // with their field where it is a literal, plus PocketBase's own schema codes for these fields.
  const scan = (file: string) => {
    const text = readFileSync(join(import.meta.dirname, "../..", file), "utf8");
    return [...text.matchAll(/(?:field(?:: ("?)(\w+)\1)?,\s*)?code:\s*"(\w+)"/g)].map((m) => ({ field: m[2] ?? "", code: m[3] }));
  };
  const emitted = [
    ...scan("src/domain/fgas-register.ts").filter((e) => e.code !== "validation_required" && e.code !== "invalid_decimal"),
    // (validation.ts names the field by a variable: any field)
    ...scan("src/domain/validation.ts").filter((e) => ["invalid_number", "number_too_small", "number_too_large", "invalid_date", "invalid_bool"].includes(e.code)).map((e) => ({ ...e, field: "" })),
    { field: "contactId", code: "validation_required" },
    { field: "type", code: "validation_required" },
    { field: "type", code: "validation_invalid_value" },
    { field: "contactId", code: "validation_missing_rel_records" },
    { field: "model", code: "validation_max_text_constraint" },
    { field: "chargeKg", code: "validation_min_number_constraint" },
    { field: "chargeKg", code: "validation_max_number_constraint" },
    // Checked by the page itself before sending.
    { field: "chargeKg", code: "invalid_decimal" },
  ];

  it("the scan finds the hook's codes", () => {
    const codes = emitted.map((e) => e.code);
    for (const c of ["unknown_refrigerant", "refrigerant_required", "charge_required", "charge_negative", "charge_too_large", "date_in_future", "before_install", "invalid_date"]) {
      expect(codes).toContain(c);
    }
  });

  for (const lang of ["pl", "en"] as const) {
    const dict = fgasMessages[lang] as Record<string, string>;
    const tr = (k: string) => dict[k] ?? k;
    it.each(emitted.map((e) => [e.field || "lastLeakCheck", e.code] as const))(`${lang}: %s %s`, (field, code) => {
      const server = "The server's English sentence.";
      const shown = localizedFieldErrors({ [field]: { code, message: server } }, "fgas.err", tr);
      expect(shown[field]).not.toBe(server);
      expect(shown[field]).toMatch(/\S/);
    });
  }

  it("the English texts are not copies of the Polish ones", () => {
    const same = Object.keys(fgasMessages.pl).filter((k) => k.startsWith("fgas.err.") && fgasMessages.pl[k as keyof typeof fgasMessages.pl] === fgasMessages.en[k as keyof typeof fgasMessages.en]);
    expect(same).toEqual([]);
  });
});
