import { describe, it, expect } from "vitest";
import { fold, PhraseSet, words } from "../../src/domain/text";

// One phrase or a list, through the matcher the rules use.
const containsPhrase = (haystack: string[], phrase: string) => new PhraseSet([phrase]).find(haystack) !== undefined;
const findPhrase = (haystack: string[], phrases: string[]) => new PhraseSet(phrases).find(haystack);

describe("fold()", () => {
  it.each([
    // every Polish letter, lower and upper case
    ["ą", "a"], ["ć", "c"], ["ę", "e"], ["ł", "l"], ["ń", "n"], ["ó", "o"], ["ś", "s"], ["ź", "z"], ["ż", "z"],
    ["Ą", "a"], ["Ć", "c"], ["Ę", "e"], ["Ł", "l"], ["Ń", "n"], ["Ó", "o"], ["Ś", "s"], ["Ź", "z"], ["Ż", "z"],
    ["ąćęłńóśźż", "acelnoszz"],
    ["ĄĆĘŁŃÓŚŹŻ", "acelnoszz"],
    ["Zażółć gęślą jaźń", "zazolc gesla jazn"],
    ["ŁÓDŹ", "lodz"],
    ["Kocioł", "kociol"],
    ["Żoliborz", "zoliborz"],
    // case and punctuation
    ["HELLO World", "hello world"],
    ["a,b.c;d", "a b c d"],
    ["  spaces   everywhere  ", "spaces everywhere"],
    ["--- kocioł!!! nie   działa ???", "kociol nie dziala"],
    ["doesn't", "doesn t"],
    ["tab\tand\nnewline", "tab and newline"],
    ["F-28 / błąd E10", "f 28 blad e10"],
    ["2025-01-02", "2025 01 02"],
    ["„cudzysłów” (nawias) [x]", "cudzyslow nawias x"],
    ["", ""],
    ["!!! ... ---", ""],
  ])("fold(%j) = %j", (input, expected) => {
    expect(fold(input)).toBe(expected);
  });

  it("treats null/undefined as empty text", () => {
    expect(fold(undefined as unknown as string)).toBe("");
    expect(fold(null as unknown as string)).toBe("");
  });
});

describe("words()", () => {
  it.each([
    ["Zapach GAZU w kuchni!", ["zapach", "gazu", "w", "kuchni"]],
    ["Kocioł nie działa, brak ogrzewania.", ["kociol", "nie", "dziala", "brak", "ogrzewania"]],
    ["  ", []],
    ["", []],
    ["...", []],
    ["one", ["one"]],
    ["heating doesn't work", ["heating", "doesn", "t", "work"]],
    ["CO-alarm", ["co", "alarm"]],
  ])("words(%j)", (input, expected) => {
    expect(words(input)).toEqual(expected);
  });
});

describe("containsPhrase()", () => {
  it.each([
    // exact words
    ["Czuć zapach gazu", "zapach gazu", true],
    ["ZAPACH GAZU", "zapach gazu", true],
    ["Zapach gazu", "Zapach Gazu", true],
    ["zapach gazu", "zapach gazu", true],
    ["zapach kawy", "zapach gazu", false],
    ["pożar", "pozar", true],
    ["pozar", "pożar", true],
    ["pożaru", "pozar", false],
    // prefix words
    ["pożaru w piwnicy", "pozar*", true],
    ["pożar", "pozar*", true],
    ["POŻAREM", "pożar*", true],
    ["dym", "dym*", true],
    ["Z pieca dymi", "dym*", true],
    ["tlenku węgla", "tlen* wegla", true],
    ["tlenek węgla", "tlen* wegla", true],
    ["tlenek wegla", "tlen* węgla*", true],
    ["tlenek drewna", "tlen* wegla", false],
    ["po", "pozar*", false],
    // multi-word phrases: words must be consecutive and in order
    ["ulatnia się gaz", "ulatnia sie gaz", true],
    ["ulatnia się dziwny gaz", "ulatnia sie gaz", false],
    ["gaz się ulatnia", "ulatnia sie gaz", false],
    ["bardzo mocno ulatnia sie gaz teraz", "ulatnia sie gaz", true],
    ["ulatnia sie", "ulatnia sie gaz", false],
    // word boundaries
    ["fireplace check", "fire", false],
    ["fire in the kitchen", "fire", true],
    ["bonfire", "fire", false],
    ["dymi", "dym", false],
    ["dymi", "dym*", true],
    ["przedym", "dym*", false],
    ["gazowy", "gaz", false],
    ["co roku", "czujnik co", false],
    // punctuation inside the phrase is folded the same way as the haystack
    ["heating doesn't work", "heating doesn't work", true],
    ["heating doesn t work", "heating doesn't work", true],
    ["CO-alarm piszczy", "co alarm", true],
    // degenerate phrases never match
    ["anything", "", false],
    ["anything", "   ", false],
    ["anything", "*", false],
    ["anything", "!!!", false],
    ["", "gaz", false],
  ])("%j contains %j -> %s", (text, phrase, expected) => {
    expect(containsPhrase(words(text), phrase)).toBe(expected);
  });

  it("matches a phrase at the very end and the very start", () => {
    const hay = words("gaz a b c gaz ulatnia");
    expect(containsPhrase(hay, "gaz a")).toBe(true);
    expect(containsPhrase(hay, "gaz ulatnia")).toBe(true);
    expect(containsPhrase(hay, "ulatnia gaz")).toBe(false);
  });
});

describe("findPhrase()", () => {
  it.each([
    ["czuć gaz i dym", ["pozar*", "dym*", "czuc gaz*"], "dym*"],
    ["czuć gaz i dym", ["czuc gaz*", "dym*"], "czuc gaz*"],
    ["spokojny dzień", ["pozar*", "dym*"], undefined],
    ["", ["pozar*"], undefined],
    ["cokolwiek", [], undefined],
  ])("%j in %j -> %j", (text, phrases, expected) => {
    expect(findPhrase(words(text), phrases)).toBe(expected);
  });
});
