import { describe, expect, it } from "vitest";
import {
  contactQuery, matchesContact, parseClock, phoneDigits, plannedStart, previewPriority, type IntakeRuleInput,
} from "../../src/domain/intake";
import type { Priority } from "../../src/domain/types";

const JUNE = new Date("2026-06-15T10:00:00Z"); // outside the heating season
const JANUARY = new Date("2026-01-15T10:00:00Z"); // heating season

const fieldsFor = (i: number) => `name ~ {:q${i}} || phone ~ {:q${i}} || address ~ {:q${i}} || email ~ {:q${i}}`;

describe("phoneDigits", () => {
  it.each([
    ["+48 796 970 724", "796970724"],
    ["796-970-724", "796970724"],
    ["48796970724", "796970724"],
    ["(22) 628 00 11", "226280011"],
    ["4812", "4812"], // short: a 48 is not a country code
    ["", ""],
    ["brak", ""],
  ])("%j -> %j", (input, expected) => {
    expect(phoneDigits(input)).toBe(expected);
  });
});

describe("contactQuery", () => {
  it.each(["", " ", "a", " a "])("too short: %j", (input) => {
    expect(contactQuery(input)).toBeNull();
  });

  it.each<[string, string[], string | null]>([
    ["Kowal", ["Kowal", "kowal"], null],
    ["kowal", ["kowal", "Kowal"], null],
    ["żoł", ["żoł", "Żoł"], null],
    ["ul. puł", ["ul. puł", "Ul. Puł"], null],
    ["  Jan   Nowak ", ["Jan Nowak", "jan nowak"], null],
    ["796 970", ["796 970"], "%7%9%6%9%7%0%"],
    ["+48 796 970 724", ["+48 796 970 724"], "%7%9%6%9%7%0%7%2%4%"],
    ["12", ["12"], null], // two digits are not a phone search
    ["Radiowa 4", ["Radiowa 4", "radiowa 4"], null], // letters: no phone pattern
  ])("%j", (input, variants, digits) => {
    const q = contactQuery(input)!;
    const expected: Record<string, string> = {};
    variants.forEach((v, i) => (expected[`q${i}`] = v));
    if (digits) expected.digits = digits;
    expect(q.params).toEqual(expected);
    const parts = variants.map((_, i) => fieldsFor(i));
    if (digits) parts.push("phone ~ {:digits}");
    expect(q.filter).toBe(parts.join(" || "));
  });
});

describe("matchesContact", () => {
  const contact = {
    name: "Paulina Marciniak",
    phone: "+48 796 970 724",
    address: "ul. Człuchowska 183 m. 109, 01-378 Warszawa",
    email: "p.marciniak@gmail.com",
  };
  it.each([
    ["marcin", true],
    ["MARCINIAK", true],
    ["czluch", true],
    ["Człuch", true],
    ["01-378", true],
    ["gmail", true],
    ["796970", true],
    ["796 970 724", true],
    ["+48796970724", true],
    ["48 796", true],
    ["797", false],
    ["kowalski", false],
    ["", false],
  ])("%j -> %s", (input, expected) => {
    expect(matchesContact(contact, input)).toBe(expected);
  });
});

describe("previewPriority: the same decision as the jobs hook", () => {
  function input(over: Partial<IntakeRuleInput>): IntakeRuleInput {
    return { title: "", description: "", type: "repair", propertyType: "apartment", now: JUNE, ...over };
  }
  it.each<[string, Partial<IntakeRuleInput>, Priority | "", Priority, boolean, Array<[string, string, string]>, string]>([
    ["gas smell -> urgent", { title: "Zapach gazu w kuchni" }, "", "urgent", true,
      [["safety", "urgent", "zapach gazu"]], "Zagrożenie bezpieczeństwa („zapach gazu”) → pilny"],
    ["gas smell beats a chosen low", { description: "Czuć gaz na klatce" }, "low", "urgent", true,
      [["safety", "urgent", "czuc gaz"]], "Zagrożenie bezpieczeństwa („czuc gaz”) → pilny"],
    ["repair at a commercial property -> high", { description: "Klimatyzator głośno pracuje", propertyType: "commercial" }, "", "high", true,
      [["commercial_repair", "high", ""]], "Naprawa w obiekcie komercyjnym (SLA) → co najmniej wysoki"],
    ["commercial maintenance: no rule", { type: "maintenance", propertyType: "commercial" }, "", "medium", false,
      [], "Priorytet domyślny: żadna reguła nie pasuje"],
    ["no heating in January with urgent chosen", { description: "Kocioł nie grzeje", now: JANUARY }, "urgent", "urgent", false,
      [["no_heat", "high", "nie grzeje"]], "Brak ogrzewania w sezonie grzewczym („nie grzeje”) → co najmniej wysoki (dyspozytor już ustawił: pilny)"],
    ["no heating in June: no rule", { description: "Kocioł nie grzeje" }, "", "medium", false, [], "Priorytet domyślny: żadna reguła nie pasuje"],
    ["a chosen priority without rules", { description: "Hałasuje wentylator" }, "high", "high", false, [], "Priorytet ustawiony przez dyspozytora"],
    ["water leak", { description: "Wyciek wody spod kotła" }, "", "high", true,
      [["water_leak", "high", "wyciek"]], "Wyciek wody („wyciek”) → co najmniej wysoki"],
    ["routine wording does not fire", { type: "inspection", description: "Przegląd przewodów dymowych" }, "", "medium", false,
      [], "Priorytet domyślny: żadna reguła nie pasuje"],
  ])("%s", (_, over, chosen, priority, raised, matches, reason) => {
    const p = previewPriority(input(over), chosen);
    expect(p.priority).toBe(priority);
    expect(p.raised).toBe(raised);
    expect(p.matches.map((m) => [m.rule, m.atLeast, m.phrase])).toEqual(matches);
    expect(p.reason).toBe(reason);
  });
});

describe("parseClock and plannedStart", () => {
  it.each<[string, { hour: number; minute: number } | null]>([
    ["10:30", { hour: 10, minute: 30 }],
    ["7:05", { hour: 7, minute: 5 }],
    [" 08:00 ", { hour: 8, minute: 0 }],
    ["24:00", null],
    ["10:60", null],
    ["10.30", null],
    ["", null],
  ])("parseClock(%j)", (input, expected) => {
    expect(parseClock(input)).toEqual(expected);
  });

  it.each([
    ["2026-11-24", "10:30", "2026-11-24T09:30:00.000Z"], // CET
    ["2026-06-15", "08:00", "2026-06-15T06:00:00.000Z"], // CEST
    ["2026-02-30", "10:00", ""],
    ["2026-11-24", "x", ""],
    ["", "10:00", ""],
  ])("plannedStart(%j, %j) = %j", (day, clock, expected) => {
    expect(plannedStart(day, clock)).toBe(expected);
  });
});
