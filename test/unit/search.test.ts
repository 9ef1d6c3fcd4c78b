import { describe, expect, it } from "vitest";
import { ftsMatch, ftsMatchOwned, indexFold, MAX_WORDS, parseSearchRequest, plainOwnerId, queryWords, snippet } from "../../src/domain/search";
import { createRng } from "../../src/demo/generate";

describe("parseSearchRequest", () => {
  it("reads q, types and limit, folding the words", () => {
    expect(parseSearchRequest({ q: "  Kocioł  ŻOLIBORZ kocioł ", types: "jobs, contacts,jobs", limit: "5" })).toEqual({
      value: { words: ["kociol", "zoliborz"], types: ["jobs", "contacts"], limit: 5 }, errors: [],
    });
    expect(parseSearchRequest({ q: "R32" }).value).toEqual({ words: ["r32"], types: ["jobs", "contacts", "invoices", "photos"], limit: 20 });
  });

  it.each([
    [{}, "q", "required"],
    [{ q: "   " }, "q", "required"],
    [{ q: "?!—" }, "q", "no_words"],
    [{ q: "x".repeat(201) }, "q", "too_long"],
    [{ q: "a", types: "jobs,orders" }, "types", "unknown_type"],
    [{ q: "a", types: " , " }, "types", "required"],
    [{ q: "a", limit: "0" }, "limit", "out_of_range"],
    [{ q: "a", limit: "51" }, "limit", "out_of_range"],
    [{ q: "a", limit: "1e1" }, "limit", "out_of_range"],
    [{ q: 5 }, "q", "required"],
  ])("%j -> error on %s (%s)", (params, field, code) => {
    const r = parseSearchRequest(params as Record<string, unknown>);
    expect(r.value).toBeNull();
    expect(r.errors[0]).toMatchObject({ field, code });
    expect(r.errors[0].message.startsWith(`${field}:`)).toBe(true);
  });

  it("keeps the longest words when there are too many, in typed order", () => {
    const words = queryWords("a bb ccc dddd eeeee f gg hhh iiii jjjjj k");
    expect(words).toHaveLength(MAX_WORDS);
    expect(words).toEqual(["bb", "ccc", "dddd", "eeeee", "gg", "hhh", "iiii", "jjjjj"]);
  });
});

describe("ftsMatch / indexFold", () => {
  it("quotes every word as a required prefix; nothing typed can escape the quotes", () => {
    expect(ftsMatch(queryWords('kot" OR title:* NEAR(xy'))).toBe('{title body} : ("kot"* "or"* "title"* "near"* "xy"*)');
  });

  it("matches a one-character word whole (F.28 is the code, not every word starting with f)", () => {
    expect(ftsMatch(queryWords("F.28"))).toBe('{title body} : ("f" "28"*)');
    expect(ftsMatch(queryWords("a"))).toBe('{title body} : ("a")');
  });

  it("adds the technician's id as an owner; only ids that are one token qualify", () => {
    expect(ftsMatchOwned(["kot"], "tnzsq19vhqnppkf")).toBe('{title body} : ("kot"*) AND owners : "tnzsq19vhqnppkf"');
    expect(plainOwnerId("tnzsq19vhqnppkf")).toBe(true);
    for (const id of ["Tnzsq19vhqnppkf", "tech_1", "tech-1", ""]) expect(plainOwnerId(id), id).toBe(false);
  });

  it("folds only ł/Ł for the index (FTS5 folds the rest)", () => {
    expect(indexFold("Kocioł ŁÓDŹ żółć")).toBe("Kociol LÓDŹ żólć");
  });
});

describe("snippet", () => {
  it("marks words that start with a query word, Polish letters folded", () => {
    const s = snippet("Wymiana kotła gazowego; kocioł Vaillant, ul. Żołnierska", ["kot", "kociol", "zol"]);
    expect(s.text).toBe("Wymiana kotła gazowego; kocioł Vaillant, ul. Żołnierska");
    expect(s.marks.map(([a, b]) => s.text.slice(a, b))).toEqual(["kot", "kocioł", "Żoł"]);
  });

  it("marks a one-character word only where it stands alone, as the index matches it", () => {
    const s = snippet("Filtr wymieniony, kod F.28 na sterowniku Fondital", ["f", "28"]);
    expect(s.marks.map(([a, b]) => s.text.slice(a, b))).toEqual(["F", "28"]);
    expect(s.text.slice(s.marks[0][0], s.marks[0][0] + 4)).toBe("F.28");
    const long = snippet(`${"Filtr fabryczny ".repeat(30)}błąd F.28`, ["f"], 40);
    expect(long.text).toContain("F.28");
    expect(long.marks.map(([a, b]) => long.text.slice(a, b))).toEqual(["F"]);
  });

  it("cuts long text around the first hit, at word boundaries, keeping marks aligned", () => {
    const text = `${"początek ".repeat(40)}awaria pompy ciepła ${"koniec ".repeat(40)}`;
    const s = snippet(text, ["pomp"], 80);
    expect(s.text.startsWith("…")).toBe(true);
    expect(s.text.endsWith("…")).toBe(true);
    expect(s.text.length).toBeLessThanOrEqual(82);
    expect(s.marks).toHaveLength(1);
    expect(s.text.slice(s.marks[0][0], s.marks[0][1])).toBe("pomp");
  });

  it("finds the hit far into a long text (an invoice's OCR) and marks it", () => {
    const text = `${"pozycja towar ".repeat(1500)} Sprężarka scroll Copeland ZR48 ${"koniec ".repeat(100)}`;
    const s = snippet(text, ["sprezarka", "copeland"], 120);
    const marked = s.marks.map(([a, b]) => s.text.slice(a, b));
    expect(marked).toEqual(["Sprężarka", "Copeland"]);
    // A word only containing the query inside ("nadsprężarka") is not where the snippet starts.
    const inner = snippet(`${"x ".repeat(200)}nadsprężarka ${"y ".repeat(200)}Sprężarka ${"z ".repeat(200)}`, ["sprezarka"], 60);
    expect(inner.marks.map(([a, b]) => inner.text.slice(a, b))).toEqual(["Sprężarka"]);
  });

  it("without a hit shows the start", () => {
    expect(snippet("a b c", ["zzz"])).toEqual({ text: "a b c", marks: [] });
    expect(snippet("x ".repeat(200), ["zzz"], 20).text.startsWith("x x")).toBe(true);
  });
});

describe("snippet marks (string search, no regular expressions: they are slow in PocketBase's VM)", () => {
  // The plain definition: every run of word characters that starts with a query word (a one-letter
  // query word: is that letter) is marked for the query word's length; the first typed word wins.
  const WORD_RUN = /[0-9A-Za-zĄĆĘŁŃÓŚŹŻąćęłńóśźżÀ-ÖØ-öø-ÿ]+/g;
  const fold = (t: string) => t.toLowerCase().replace(/[ąćęłńóśźż]/g, (c) => ({ ą: "a", ć: "c", ę: "e", ł: "l", ń: "n", ó: "o", ś: "s", ź: "z", ż: "z" })[c]!);
  function reference(text: string, words: string[]): Array<[number, number]> {
    const marks: Array<[number, number]> = [];
    for (const m of text.matchAll(WORD_RUN)) {
      const word = fold(m[0]);
      const k = words.findIndex((w) => w && word.startsWith(w) && (w.length > 1 || word.length === 1));
      if (k >= 0) marks.push([m.index!, m.index! + words[k].length]);
    }
    return marks;
  }

  it("marks exactly what the plain definition marks, over random Polish text", () => {
    const rng = createRng(20261125);
    const pick = <T,>(xs: readonly T[]) => rng.pick(xs);
    const vocabulary = ["Kocioł", "kotła", "KOT", "f", "F.28", "pompa", "Pompy", "ciepła", "żółć", "Żoliborz", "zoliborz", "a", "ą", "ul.", "12", "1", "sterownik", "Łąka", "łą"];
    const separators = [" ", ", ", " - ", ".", "\n", "  ", "/", "("];
    for (let i = 0; i < 400; i++) {
      let text = "";
      for (let n = rng.int(1, 12); n > 0; n--) text += pick(vocabulary) + pick(separators);
      const words = queryWords(Array.from({ length: rng.int(1, 3) }, () => pick(vocabulary)).join(" "));
      const s = snippet(text, words, 1000);
      expect(s.marks, `${JSON.stringify(s.text)} ${JSON.stringify(words)}`).toEqual(reference(s.text, words));
    }
  });
});
