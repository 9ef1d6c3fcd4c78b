import { describe, expect, it } from "vitest";
import {
  addMonths,
  checkStatus,
  co2eTonnes,
  compareNextChecks,
  leakCheckPlan,
  mixtureGwp,
  nextLeakCheck,
  parseNameplate,
  REFRIGERANTS,
  refrigerantInfo,
  refrigerantKey,
  type NameplateReading,
} from "../../src/domain/fgas";

describe("refrigerant GWP table", () => {
  // Published GWP100 values (AR4 basis of Reg. 517/2014 and Annex I of Reg. 2024/573), written
  // out independently of the composition-based calculation in fgas.ts.
  it.each([
    ["R32", 675],
    ["R125", 3500],
    ["R134a", 1430],
    ["R143a", 4470],
    ["R410A", 2088],
    ["R407C", 1774],
    ["R404A", 3922],
    ["R507A", 3985],
    ["R422D", 2729],
    ["R407A", 2107],
    ["R407F", 1825],
    ["R417A", 2346],
    ["R422A", 3143],
    ["R427A", 2138],
    ["R437A", 1805],
    ["R438A", 2265],
    ["R448A", 1387],
    ["R449A", 1397],
    ["R452A", 2140],
    ["R452B", 698],
    ["R454B", 466],
    ["R454C", 148],
    ["R513A", 631],
    ["R1234yf", 4],
    ["R1234ze", 7],
    ["R455A", 148],
    ["R450A", 605],
    ["R290", 3],
    ["R600a", 3],
    ["R744", 1],
    ["R717", 0],
    ["R22", 1810],
  ])("%s GWP %d", (code, gwp) => {
    const info = refrigerantInfo(code);
    expect(info?.gwp).toBe(gwp);
    expect(info?.code).toBe(code);
  });

  it("has mixture compositions that add up to 100%", () => {
    for (const r of Object.values(REFRIGERANTS)) {
      if (!r.components) continue;
      expect([r.code, r.components.reduce((s, [, share]) => s + share, 0)]).toEqual([r.code, 1000]);
      expect(mixtureGwp(r.components)).toBe(r.gwp);
    }
  });

  it("tells F-gases (Annex I HFCs and their blends) from the rest", () => {
    expect(refrigerantInfo("R32")).toMatchObject({ kind: "HFC", fgasAnnexI: true });
    expect(refrigerantInfo("R410A")).toMatchObject({ kind: "HFC blend", fgasAnnexI: true });
    expect(refrigerantInfo("R454B")).toMatchObject({ kind: "HFC/HFO blend", fgasAnnexI: true });
    expect(refrigerantInfo("R1234yf")).toMatchObject({ kind: "HFO", fgasAnnexI: false, annexII1: true });
    expect(refrigerantInfo("R1234ze(E)")).toMatchObject({ kind: "HFO", fgasAnnexI: false, annexII1: true });
    expect(refrigerantInfo("R454B")).toMatchObject({ fgasAnnexI: true, annexII1: true });
    expect(refrigerantInfo("R410A")).toMatchObject({ fgasAnnexI: true, annexII1: false });
    expect(refrigerantInfo("R290")).toMatchObject({ annexII1: false });
    expect(refrigerantInfo("R290")).toMatchObject({ kind: "HC", fgasAnnexI: false });
    expect(refrigerantInfo("R744")).toMatchObject({ kind: "natural", fgasAnnexI: false });
    expect(refrigerantInfo("R22")).toMatchObject({ kind: "HCFC", fgasAnnexI: false });
    expect(refrigerantInfo("R22")!.note).toMatch(/ozone/);
  });

  it.each([
    ["R-32", "R32"],
    ["r 410a", "R410A"],
    ["R 407 C", "R407C"],
    ["HFC-134a", "R134A"],
    ["hfc134a", "R134A"],
    ["R1234ze(E)", "R1234ZE"],
    ["HFO-1234yf", "R1234YF"],
    ["R41OA", "R410A"],
    ["R4O7C", "R407C"],
    ["Rl34a", "R134A"],
  ])("normalises %s -> %s", (name, key) => {
    expect(refrigerantKey(name)).toBe(key);
  });

  it("knows nothing about made-up designations", () => {
    expect(refrigerantInfo("R999")).toBeNull();
    expect(refrigerantInfo("")).toBeNull();
    expect(refrigerantInfo(undefined as unknown as string)).toBeNull();
  });
});

describe("CO2 equivalent", () => {
  it.each([
    [1.05, 675, 0.71], // 708.75 kg
    [0.76, 675, 0.51],
    [2.4, 2088, 5.01],
    [2.39, 2088, 4.99],
    [1.4, 3922, 5.49],
    [0.9, 3, 0],
    [0, 675, 0],
    [12.3, 3922, 48.24],
  ])("%d kg x GWP %d = %d t", (kg, gwp, t) => {
    expect(co2eTonnes(kg, gwp)).toBe(t);
  });

  it("refuses nonsense charges", () => {
    expect(co2eTonnes(-1, 675)).toBeNull();
    expect(co2eTonnes(NaN, 675)).toBeNull();
  });
});

describe("leakCheckPlan", () => {
  it.each([
    // [refrigerant, kg, sealed, detector, months, reason]
    ["R32", 1.05, false, false, null, "below_threshold"], // 0.71 t
    ["R32", 7.4, false, false, null, "below_threshold"], // 4.995 t
    ["R32", 7.41, false, false, 12, "required"], // 5.00175 t
    ["R410A", 2.39, false, false, null, "below_threshold"], // 4.99 t
    ["R410A", 2.4, false, false, 12, "required"], // 5.01 t
    ["R410A", 2.4, true, false, null, "hermetic_exempt"], // sealed below 10 t
    ["R410A", 4.78, true, false, null, "hermetic_exempt"], // 9.98 t
    ["R410A", 4.79, true, false, 12, "required"], // 10.0015 t
    ["R410A", 4.8, true, false, 12, "required"], // 10.02 t: sealed no longer helps
    ["R410A", 2.4, false, true, 24, "required"],
    ["R410A", 23.94, false, false, 12, "required"], // 49.99 t
    ["R410A", 23.95, false, false, 6, "required"], // 50.008 t
    ["R410A", 23.96, false, false, 6, "required"], // 50.03 t
    ["R410A", 23.96, false, true, 12, "required"],
    ["R404A", 127.48, false, false, 6, "required"], // 499.98 t
    ["R404A", 127.49, false, false, 3, "required"], // 500.016 t
    ["R404A", 127.5, false, false, 3, "required"], // 500.06 t
    ["R404A", 127.5, false, true, 6, "required"],
    ["R134a", 3.5, false, false, 12, "required"], // 5.005 t
    ["R407C", 2.82, false, false, 12, "required"], // 5.003 t
    ["R407C", 2.818, false, false, null, "below_threshold"], // 4.999 t
    ["R290", 50, false, false, null, "not_fgas"],
    ["R744", 100, false, false, null, "not_fgas"],
    ["R1234yf", 20, false, false, 6, "required"], // an HFO: checked by mass (Art. 5), 10 kg or more
    ["R22", 10, false, false, null, "hcfc"],
    ["R999", 5, false, false, null, "unknown_refrigerant"],
  ] as const)("%s %d kg sealed=%s detector=%s -> %s months (%s)", (refrigerant, kg, sealed, detector, months, reason) => {
    const plan = leakCheckPlan({ refrigerant, chargeKg: kg, hermeticallySealed: sealed, leakDetection: detector });
    expect(plan.intervalMonths).toBe(months);
    expect(plan.reason).toBe(reason);
  });

  it("is exact at the 5 t threshold (no floating-point edge)", () => {
    // R245fa (GWP 1030): 4.854 kg is 4 999 620 g CO2e, 4.855 kg 5 000 650 g.
    expect(leakCheckPlan({ refrigerant: "R245fa", chargeKg: 4.854 }).reason).toBe("below_threshold"); // 4.99962 t
    expect(leakCheckPlan({ refrigerant: "R245fa", chargeKg: 4.855 }).reason).toBe("required"); // 5.00065 t
    expect(leakCheckPlan({ refrigerant: "R1234ze", chargeKg: 0 }).co2eTonnes).toBe(0);
  });

  it("reports CO2e and notes", () => {
    const plan = leakCheckPlan({ refrigerant: "R-410A", chargeKg: 2.4 });
    expect(plan.co2eTonnes).toBe(5.01);
    expect(plan.refrigerant!.code).toBe("R410A");
    expect(leakCheckPlan({ refrigerant: "R404A", chargeKg: 200 }).notes.join(" ")).toMatch(/leak detection system/);
    // Art. 13(3): the service ban on virgin gas with GWP >= 2500 (R404A 3922, R507A 3985; not R410A 2088).
    expect(leakCheckPlan({ refrigerant: "R404A", chargeKg: 1 }).notes.join(" ")).toMatch(/Art\. 13\(3\)/);
    expect(leakCheckPlan({ refrigerant: "R507A", chargeKg: 1 }).notes.join(" ")).toMatch(/reclaimed or recycled/);
    expect(leakCheckPlan({ refrigerant: "R410A", chargeKg: 1 }).notes.join(" ")).not.toMatch(/Art\. 13/);
    expect(leakCheckPlan({ refrigerant: "R22", chargeKg: 1 }).notes.join(" ")).not.toMatch(/Art\. 13/);
    expect(leakCheckPlan({ refrigerant: "R22", chargeKg: 3 }).notes.join(" ")).toMatch(/banned/);
    expect(leakCheckPlan({ refrigerant: "R1234yf", chargeKg: 3 }).notes.join(" ")).toMatch(/by mass/);
  });

  it("needs a charge for F-gases", () => {
    expect(leakCheckPlan({ refrigerant: "R32", chargeKg: null })).toMatchObject({ reason: "unknown_charge", intervalMonths: null, co2eTonnes: null });
    expect(leakCheckPlan({ refrigerant: "R32", chargeKg: -2 }).reason).toBe("unknown_charge");
  });
});

describe("leak checks of Reg. 2024/573 Art. 5 for HFOs and mixtures", () => {
  const plan = (refrigerant: string, chargeKg: number, opts: { sealed?: boolean; detector?: boolean; residential?: boolean } = {}) =>
    leakCheckPlan({ refrigerant, chargeKg, hermeticallySealed: opts.sealed, leakDetection: opts.detector, residential: opts.residential });
  const months = (p: ReturnType<typeof plan>) => [p.intervalMonths, p.reason, p.basis];

  it.each([
    // Art. 5(1): Annex II Section 1 gases from 1 kg; tiers 10 kg and 100 kg.
    ["R1234yf", 0.999, null, "below_threshold", null],
    ["R1234yf", 1, 12, "required", "mass"],
    ["R1234yf", 9.999, 12, "required", "mass"],
    ["R1234yf", 10, 6, "required", "mass"],
    ["R1234ze", 99.999, 6, "required", "mass"],
    ["R1234ze", 100, 3, "required", "mass"],
  ] as const)("%s %d kg -> %s months (%s)", (refrigerant, kg, m, reason, basis) => {
    expect(months(plan(refrigerant, kg))).toEqual([m, reason, basis]);
  });

  it("doubles the HFO intervals with a leak detection system (24 / 12 / 6)", () => {
    expect(plan("R1234yf", 1, { detector: true }).intervalMonths).toBe(24);
    expect(plan("R1234yf", 10, { detector: true }).intervalMonths).toBe(12);
    expect(plan("R1234yf", 100, { detector: true }).intervalMonths).toBe(6);
    expect(plan("R1234yf", 100).notes.join(" ")).toMatch(/leak detection system/);
    expect(plan("R1234yf", 99.999).notes.join(" ")).not.toMatch(/leak detection system/);
  });

  it("exempts labelled hermetically sealed HFO equipment below 2 kg", () => {
    expect(months(plan("R1234yf", 1.999, { sealed: true }))).toEqual([null, "hermetic_exempt", null]);
    expect(months(plan("R1234yf", 2, { sealed: true }))).toEqual([12, "required", "mass"]);
    expect(months(plan("R1234yf", 0.5, { sealed: true }))).toEqual([null, "below_threshold", null]);
  });

  it("exempts labelled sealed equipment in homes below 3 kg of F-gases (third subparagraph)", () => {
    // R404A 2.999 kg = 11.76 t: above the 10 t hermetic limit, but in a home below 3 kg.
    expect(months(plan("R404A", 2.999, { sealed: true }))).toEqual([12, "required", "co2e"]);
    expect(months(plan("R404A", 2.999, { sealed: true, residential: true }))).toEqual([null, "hermetic_exempt", null]);
    expect(plan("R404A", 2.999, { sealed: true, residential: true }).notes.join(" ")).toMatch(/residential/);
    expect(months(plan("R404A", 3, { sealed: true, residential: true }))).toEqual([12, "required", "co2e"]);
    // Not sealed: the residential derogation does not apply.
    expect(months(plan("R404A", 2.999, { residential: true }))).toEqual([12, "required", "co2e"]);
    expect(months(plan("R1234yf", 2.999, { sealed: true, residential: true }))).toEqual([null, "hermetic_exempt", null]);
    expect(months(plan("R1234yf", 3, { sealed: true, residential: true }))).toEqual([12, "required", "mass"]);
  });

  it("judges mixtures on the HFC CO2e and the HFO mass separately", () => {
    // UBA's example: 1.4 kg R455A holds 1.057 kg HFO-1234yf (check required), HFC-32 only 0.2 t.
    expect(months(plan("R455A", 1.4))).toEqual([12, "required", "mass"]);
    // R454C (78.5 % R1234yf): 1.274 kg -> 1 000.09 g of HFO; 1.273 kg -> 999.3 g.
    expect(months(plan("R454C", 1.274))).toEqual([12, "required", "mass"]);
    expect(months(plan("R454C", 1.273))).toEqual([null, "below_threshold", null]);
    // R513A (56 % R1234yf): 1.786 kg -> 1 000.16 g of HFO.
    expect(months(plan("R513A", 1.785))).toEqual([null, "below_threshold", null]);
    expect(months(plan("R513A", 1.786))).toEqual([12, "required", "mass"]);
    // R454B 40 kg: HFC-32 part 18.6 t CO2e (12 months), HFO part 12.44 kg (6 months): the shorter wins.
    expect(months(plan("R454B", 40))).toEqual([6, "required", "mass"]);
    // R448A 37 kg: HFC part 51.3 t (6 months), HFO part (27 %) 9.99 kg (12): CO2e sets it.
    expect(months(plan("R448A", 37))).toEqual([6, "required", "co2e"]);
  });

  it("counts only the Annex I components towards the CO2e thresholds", () => {
    // R452A: HFC part 11 % x 675 + 59 % x 3500 = 2139 per kg (the blend's GWP, with its 30 %
    // R1234yf, is 2140). 2.337 kg: 4.9988 t of Annex I gases (below), although the label says 5.00 t.
    expect(months(plan("R452A", 2.337))).toEqual([null, "below_threshold", null]);
    expect(plan("R452A", 2.337).co2eTonnes).toBe(5);
    expect(months(plan("R452A", 2.338))).toEqual([12, "required", "co2e"]);
  });

  it("leaves non-fluorinated and HCFC refrigerants alone", () => {
    expect(months(plan("R290", 5))).toEqual([null, "not_fgas", null]);
    expect(months(plan("R744", 50))).toEqual([null, "not_fgas", null]);
    expect(months(plan("R22", 50))).toEqual([null, "hcfc", null]);
  });

  it("refuses implausible charges instead of computing with them", () => {
    expect(plan("R32", 100000).reason).toBe("required");
    expect(plan("R32", 100000.001)).toMatchObject({ reason: "unknown_charge", intervalMonths: null });
  });
});

describe("leak-check dates", () => {
  it.each([
    ["2026-01-15", 12, "2027-01-15"],
    ["2026-08-31", 6, "2027-02-28"],
    ["2027-08-31", 6, "2028-02-29"],
    ["2026-11-30", 3, "2027-02-28"],
    ["2026-01-31", 1, "2026-02-28"],
    ["2026-12-15", 1, "2027-01-15"],
    ["2026-03-31", 24, "2028-03-31"],
    ["2026-05-10", -1, "2026-04-10"],
  ])("addMonths(%s, %d) = %s", (from, months, to) => {
    expect(addMonths(from, months)).toBe(to);
  });

  it("refuses invalid dates", () => {
    expect(addMonths("2026-02-30", 1)).toBeNull();
    expect(addMonths("24.11.2026", 1)).toBeNull();
    expect(addMonths("2026-01-01", 1.5)).toBeNull();
  });

  it.each([
    ["periodic from the last check", { intervalMonths: 12, lastCheck: "2026-03-10", installDate: "2024-05-01" }, { date: "2027-03-10", reason: "periodic" }],
    ["first check from installation", { intervalMonths: 6, installDate: "2026-08-31" }, { date: "2027-02-28", reason: "periodic" }],
    ["no dates at all", { intervalMonths: 12 }, { date: null, reason: "no_history" }],
    ["not required", { intervalMonths: null, lastCheck: "2026-01-01" }, { date: null, reason: "not_required" }],
    ["repair after the last check: verify within a month", { intervalMonths: 12, lastCheck: "2026-03-10", lastLeakRepair: "2026-06-20" }, { date: "2026-07-20", reason: "repair_verification" }],
    ["repair on the day of the check still needs verifying", { intervalMonths: 12, lastCheck: "2026-06-20", lastLeakRepair: "2026-06-20" }, { date: "2026-07-20", reason: "repair_verification" }],
    ["repair already verified by a later check", { intervalMonths: 12, lastCheck: "2026-07-15", lastLeakRepair: "2026-06-20" }, { date: "2027-07-15", reason: "periodic" }],
    ["periodic check due before the verification", { intervalMonths: 3, lastCheck: "2026-01-10", lastLeakRepair: "2026-03-31" }, { date: "2026-04-10", reason: "periodic" }],
    // Art. 4(5) 2024/573: the verification is owed for equipment subject to Art. 5(1) checks only.
    ["repair on a unit without periodic checks", { intervalMonths: null, lastLeakRepair: "2026-01-31" }, { date: null, reason: "not_required" }],
    ["repair verified by a check the day after", { intervalMonths: 12, lastCheck: "2026-06-21", lastLeakRepair: "2026-06-20" }, { date: "2027-06-21", reason: "periodic" }],
    ["repair on a unit with no dates yet", { intervalMonths: 12, lastLeakRepair: "2026-06-20" }, { date: "2026-07-20", reason: "repair_verification" }],
    ["invalid dates ignored", { intervalMonths: 12, lastCheck: "kiedyś", installDate: "2026-02-30" }, { date: null, reason: "no_history" }],
  ])("%s", (_name, input, expected) => {
    expect(nextLeakCheck(input)).toEqual(expected);
  });

  it("classifies and orders units for the register: overdue first", () => {
    const today = "2026-11-24";
    const units = [
      { id: "ok", next: { date: "2027-05-01", reason: "periodic" as const } },
      { id: "none", next: { date: null, reason: "not_required" as const } },
      { id: "soon", next: { date: "2026-12-10", reason: "periodic" as const } },
      { id: "late", next: { date: "2026-10-01", reason: "periodic" as const } },
      { id: "unknown", next: { date: null, reason: "no_history" as const } },
      { id: "today", next: { date: "2026-11-24", reason: "repair_verification" as const } },
    ];
    expect(units.map((u) => [u.id, checkStatus(u.next, today)])).toEqual([
      ["ok", "ok"],
      ["none", "none"],
      ["soon", "due_soon"],
      ["late", "overdue"],
      ["unknown", "overdue"],
      ["today", "due_soon"],
    ]);
    expect(units.sort((a, b) => compareNextChecks(a.next, b.next)).map((u) => u.id)).toEqual(["unknown", "late", "today", "soon", "ok", "none"]);
  });
});

describe("parseNameplate", () => {
  const v = (r: NameplateReading) => ({
    manufacturer: r.manufacturer?.value ?? null,
    model: r.model?.value ?? null,
    serialNumber: r.serialNumber?.value ?? null,
    refrigerant: r.refrigerant?.value ?? null,
    chargeKg: r.chargeKg?.value ?? null,
    gwp: r.gwp?.value ?? null,
    co2eTonnes: r.co2eTonnes?.value ?? null,
    hermeticallySealed: r.hermeticallySealed?.value ?? null,
  });

  it.each([
    [
      "Daikin outdoor unit (English plate)",
      `DAIKIN
DAIKIN INDUSTRIES CZECH REPUBLIC s.r.o.
MODEL  RXM35R9V1B
SERIAL NO. J012345
POWER SUPPLY 1~ 220-240V 50Hz
REFRIGERANT  R32  0.76 kg
GWP 675   t CO2 eq 0.51
PS HIGH 4.17 MPa  LOW 0.92 MPa
NET WEIGHT 32 kg
Contains fluorinated greenhouse gases. Hermetically sealed equipment
MADE IN THAILAND`,
      { manufacturer: "Daikin", model: "RXM35R9V1B", serialNumber: "J012345", refrigerant: "R32", chargeKg: 0.76, gwp: 675, co2eTonnes: 0.51, hermeticallySealed: true },
      [],
    ],
    [
      "installer's Polish F-gas label",
      `Urządzenie zawiera fluorowane gazy cieplarniane
Czynnik chłodniczy R-32 0,85 kg
Współczynnik GWP: 675
Ekwiwalent CO2: 0,57 t
Producent: Mitsubishi Electric
Model: MUZ-LN25VG2
Nr seryjny: 9001234`,
      { manufacturer: "Mitsubishi Electric", model: "MUZ-LN25VG2", serialNumber: "9001234", refrigerant: "R32", chargeKg: 0.85, gwp: 675, co2eTonnes: 0.57, hermeticallySealed: null },
      [],
    ],
    [
      "short label 'R32 / 1,05 kg'",
      `Gree GWH12AGB
R32 / 1,05 kg   t CO2 eq 0,71`,
      { manufacturer: "Gree", model: null, serialNumber: null, refrigerant: "R32", chargeKg: 1.05, gwp: null, co2eTonnes: 0.71, hermeticallySealed: null },
      [],
    ],
    [
      "Refrigerant: R410A 2.4kg with OCR noise",
      `MITSUBISHI ELECTRIC CORPORATION
MODEL PUHZ-ZRP71VHA
SERIAL No. 72U01234
Refrigerant: R41OA 2.4kg
ADDITIONAL CHARGE ____ kg
TOTAL CHARGE ____ kg
WEIGHT 67 kg`,
      { manufacturer: "Mitsubishi Electric", model: "PUHZ-ZRP71VHA", serialNumber: "72U01234", refrigerant: "R410A", chargeKg: 2.4, gwp: null, co2eTonnes: null, hermeticallySealed: null },
      [],
    ],
    [
      "German/English heat pump plate with propane",
      `Vaillant
aroTHERM plus
Typ VWL 75/6 A 230V S2
Ser.-Nr. 21213500100211180006005454N5
Kältemittel / Refrigerant R290 0,9 kg
GWP 3   CO2e 0,0027 t`,
      { manufacturer: "Vaillant", model: "VWL 75/6 A 230V S2", serialNumber: "21213500100211180006005454N5", refrigerant: "R290", chargeKg: 0.9, gwp: 3, co2eTonnes: 0.0027, hermeticallySealed: null },
      [],
    ],
    [
      "charge in grams, total charge filled in by the installer",
      `LG
Model No.: S12EQ
S/N: 203KAXY0A123
Refrigerant R32 factory charge 900 g
Total charge 1,25 kg
Not hermetically sealed`,
      { manufacturer: "LG", model: "S12EQ", serialNumber: "203KAXY0A123", refrigerant: "R32", chargeKg: 1.25, gwp: null, co2eTonnes: null, hermeticallySealed: false },
      [],
    ],
    [
      "old R22 unit",
      `Fujitsu General
Type: AOY24A
Refrigerant HCFC-22 1.9 kg`,
      { manufacturer: "Fujitsu General", model: "AOY24A", serialNumber: null, refrigerant: "R22", chargeKg: 1.9, gwp: null, co2eTonnes: null, hermeticallySealed: null },
      ["refrigerant:hcfc"],
    ],
    [
      "plate with an AR5 GWP and a misread CO2e",
      `Samsung
Model AR12TXHQASINEU
Refrigerant R-32 0,85 kg
GWP 677  t CO2 eq 0,75`,
      { manufacturer: "Samsung", model: "AR12TXHQASINEU", serialNumber: null, refrigerant: "R32", chargeKg: 0.85, gwp: 677, co2eTonnes: 0.75, hermeticallySealed: null },
      ["gwp:gwp_differs", "co2eTonnes:co2e_mismatch"],
    ],
    [
      "unknown refrigerant",
      `Czynnik chłodniczy: R999 1,0 kg`,
      { manufacturer: null, model: null, serialNumber: null, refrigerant: "R999", chargeKg: 1, gwp: null, co2eTonnes: null, hermeticallySealed: null },
      ["refrigerant:unknown_refrigerant"],
    ],
  ])("%s", (_name, text, expected, review) => {
    const r = parseNameplate(text);
    expect(v(r)).toEqual(expected);
    expect(r.review.map((x) => `${x.field}:${x.code}`)).toEqual(review);
  });

  it("gives confidences and source lines, trusting values that cross-check", () => {
    const r = parseNameplate("Refrigerant R32 1.05 kg\nGWP 675 t CO2 eq 0.71");
    expect(r.refrigerant).toMatchObject({ confidence: 0.95, source: { kind: "ocr", line: 1, text: "Refrigerant R32 1.05 kg" } });
    expect(r.chargeKg!.confidence).toBeGreaterThanOrEqual(0.97);
    const mismatch = parseNameplate("Refrigerant R32 1.05 kg\nt CO2 eq 0.91");
    expect(mismatch.chargeKg!.confidence).toBeLessThanOrEqual(0.6);
    expect(mismatch.co2eTonnes!.confidence).toBeLessThanOrEqual(0.5);
  });

  it("lowers confidence for OCR repairs", () => {
    expect(parseNameplate("Refrigerant R41OA 2.4 kg").refrigerant!.confidence).toBeLessThan(0.95);
  });

  it.each([
    ["empty", ""],
    ["spaces", "   "],
    ["binary", "\u0000\u00ff"],
    ["words", "lorem ipsum"],
    ["a long digit run", "1".repeat(10000)],
    ["long mixed noise", "R 1,5 kg t CO2 ".repeat(2000)],
  ])("never throws on %s", (_name, text) => {
    expect(() => parseNameplate(text)).not.toThrow();
    if (!text.startsWith("R ")) expect(parseNameplate(text).refrigerant).toBeNull();
  });

  it("never throws on non-string input", () => {
    expect(parseNameplate(undefined as unknown as string).review).toEqual([]);
  });
});
