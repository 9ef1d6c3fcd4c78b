import { describe, expect, it } from "vitest";
import { contactChanges, contactFilter, contactToForm, formatNip, nipHint, type ContactForm } from "../../src/domain/contactview";
import { caseVariants } from "../../src/domain/text";

/** The clause of word i, asked in `spellings` variants (params w<i>, w<i>_1, w<i>_2). */
const WORD = (i: number, spellings = 2) => `(${Array.from({ length: spellings }, (_, j) => {
  const p = j === 0 ? `w${i}` : `w${i}_${j}`;
  return `name ~ {:${p}} || phone ~ {:${p}} || address ~ {:${p}} || email ~ {:${p}} || nip ~ {:${p}}`;
}).join(" || ")})`;

describe("caseVariants", () => {
  it.each<[string, string[]]>([
    ["żoł", ["żoł", "Żoł"]],
    ["Żoł", ["Żoł", "żoł"]],
    ["ŻOŁ", ["ŻOŁ", "żoł", "Żoł"]],
    ["ul. puł", ["ul. puł", "Ul. Puł"]],
    ["skłodowskiej-curie", ["skłodowskiej-curie", "Skłodowskiej-Curie"]],
    ["12", ["12"]],
    ["", [""]],
  ])("%j", (input, expected) => {
    expect(caseVariants(input)).toEqual(expected);
  });
});

describe("contactFilter", () => {
  it.each<[string, { text: string; district: string; propertyType: string }, string, Record<string, string>]>([
    ["nothing", { text: "", district: "", propertyType: "" }, "", {}],
    ["blank text", { text: "   ", district: "", propertyType: "" }, "", {}],
    ["one word", { text: "Kowal", district: "", propertyType: "" }, WORD(0), { w0: "Kowal", w0_1: "kowal" }],
    // SQLite's LIKE folds only ASCII: "żoł" must also be asked as "Żoł" to find "Żołnierska".
    ["a Polish capital letter", { text: "żoł", district: "", propertyType: "" }, WORD(0), { w0: "żoł", w0_1: "Żoł" }],
    ["capitals typed", { text: "ŻOŁNIERSKA", district: "", propertyType: "" }, WORD(0, 3), { w0: "ŻOŁNIERSKA", w0_1: "żołnierska", w0_2: "Żołnierska" }],
    ["two words, each somewhere", { text: "  Jan   Puławska ", district: "", propertyType: "" }, `${WORD(0)} && ${WORD(1)}`,
      { w0: "Jan", w0_1: "jan", w1: "Puławska", w1_1: "puławska" }],
    ["a street number stays a word", { text: "Puławska 12", district: "", propertyType: "" }, `${WORD(0)} && ${WORD(1, 1)}`,
      { w0: "Puławska", w0_1: "puławska", w1: "12" }],
    ["a NIP with dashes", { text: "526-104-08-28", district: "", propertyType: "" }, "(nip ~ {:nip} || phone ~ {:phone})",
      { nip: "5261040828", phone: "%5%2%6%1%0%4%0%8%2%8%" }],
    ["a NIP with the PL prefix", { text: "PL5261040828", district: "", propertyType: "" }, "(nip ~ {:nip} || phone ~ {:phone})",
      { nip: "5261040828", phone: "%5%2%6%1%0%4%0%8%2%8%" }],
    ["a phone typed without spaces", { text: "601234567", district: "", propertyType: "" }, "(nip ~ {:nip} || phone ~ {:phone})",
      { nip: "601234567", phone: "%6%0%1%2%3%4%5%6%7%" }],
    ["a phone typed with spaces", { text: "601 234 567", district: "", propertyType: "" }, "(nip ~ {:nip} || phone ~ {:phone})",
      { nip: "601234567", phone: "%6%0%1%2%3%4%5%6%7%" }],
    ["five digits are a word (postal code part, house numbers)", { text: "02123", district: "", propertyType: "" }, WORD(0, 1), { w0: "02123" }],
    ["district and type only", { text: "", district: "Mokotów", propertyType: "house" }, "district = {:district} && propertyType = {:propertyType}",
      { district: "Mokotów", propertyType: "house" }],
    ["everything", { text: "Apteka", district: "Wola", propertyType: "commercial" },
      `${WORD(0)} && district = {:district} && propertyType = {:propertyType}`, { w0: "Apteka", w0_1: "apteka", district: "Wola", propertyType: "commercial" }],
  ])("%s", (_, q, expr, params) => {
    expect(contactFilter(q)).toEqual({ expr, params });
  });

  it("uses at most five words", () => {
    const { params } = contactFilter({ text: "a b c d e f g", district: "", propertyType: "" });
    expect(Object.keys(params)).toEqual(["w0", "w0_1", "w1", "w1_1", "w2", "w2_1", "w3", "w3_1", "w4", "w4_1"]);
  });

  it("a quote in the search is only a value (pb.filter escapes it), never part of the expression", () => {
    const { expr, params } = contactFilter({ text: "O'Brien\" || 1=1", district: "", propertyType: "" });
    expect(expr).not.toContain("O'Brien");
    expect(expr).not.toContain("1=1");
    expect(params).toEqual({ w0: "O'Brien\"", w0_1: "o'brien\"", w0_2: "O'brien\"", w1: "||", w2: "1=1" });
  });
});

describe("nipHint", () => {
  it.each([
    ["", "empty"],
    ["   ", "empty"],
    ["5", "incomplete"],
    ["526-104", "incomplete"],
    ["526104082", "incomplete"],
    ["5261040828", "valid"],
    ["526-104-08-28", "valid"],
    ["526 104 08 28", "valid"],
    ["PL5261040828", "valid"],
    ["5261040829", "checksum"],
    ["526-104-08-27", "checksum"],
    ["52610408281", "format"],
    ["526104082a", "format"],
    ["NIP", "format"],
  ])("%j -> %s", (input, expected) => {
    expect(nipHint(input)).toBe(expected);
  });
});

describe("formatNip", () => {
  it.each([
    ["5261040828", "526-104-08-28"],
    ["PL 526 104 08 28", "526-104-08-28"],
    ["12345", "12345"],
    ["", ""],
  ])("%j -> %j", (input, expected) => {
    expect(formatNip(input)).toBe(expected);
  });
});

describe("contactChanges", () => {
  const stored = contactToForm({
    name: "Apteka Zdrowie", email: "biuro@apteka.pl", phone: "+48 22 855 51 02", address: "ul. Kochanowskiego 58",
    district: "Bielany", propertyType: "commercial", nip: "5261040828", affluenceScore: 68, notes: "",
  });

  it("shows a stored contact as input texts", () => {
    expect(stored).toEqual({
      name: "Apteka Zdrowie", email: "biuro@apteka.pl", phone: "+48 22 855 51 02", address: "ul. Kochanowskiego 58",
      district: "Bielany", propertyType: "commercial", nip: "5261040828", affluenceScore: "68", notes: "",
    } satisfies ContactForm);
    expect(contactToForm({}).affluenceScore).toBe("");
  });

  it.each<[string, Partial<ContactForm>, Record<string, unknown>, Record<string, string>]>([
    ["nothing", {}, {}, {}],
    ["trailing spaces are no change", { name: "Apteka Zdrowie  " }, {}, {}],
    ["a new phone", { phone: "+48 601 234 567" }, { phone: "+48 601 234 567" }, {}],
    ["a mistyped NIP with dashes", { nip: "951-234-56-79" }, {}, { nip: "nip_checksum" }],
    ["a valid NIP with dashes", { nip: "PL 526-000-12-46" }, { nip: "5260001246" }, {}],
    ["an incomplete NIP", { nip: "526104" }, {}, { nip: "nip_format" }],
    ["a wrong check digit", { nip: "5261040829" }, {}, { nip: "nip_checksum" }],
    ["the NIP removed", { nip: "" }, { nip: "" }, {}],
    ["a score", { affluenceScore: "75" }, { affluenceScore: 75 }, {}],
    ["the score cleared", { affluenceScore: "" }, { affluenceScore: null }, {}],
    ["a score in words", { affluenceScore: "wysoki" }, {}, { affluenceScore: "invalid_number" }],
    ["notes keep their spaces", { notes: "  wjazd od podwórza " }, { notes: "  wjazd od podwórza " }, {}],
    ["district and type", { district: "Wola", propertyType: "house" }, { district: "Wola", propertyType: "house" }, {}],
  ])("%s", (_, edit, patch, errors) => {
    expect(contactChanges(stored, { ...stored, ...edit })).toEqual({ patch, errors });
  });
});
