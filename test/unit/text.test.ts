import { describe, it, expect } from "vitest";
import { fold, hasPhrase, PhraseSet, phraseRegExp, words } from "../../src/domain/text";
import { createRng } from "../../src/demo/generate";
import { NO_HEAT_PHRASES, SAFETY_PHRASES, WATER_LEAK_PHRASES } from "../../src/domain/priority";

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
    // The native-regex form (phraseRegExp) answers the same.
    expect(hasPhrase(phraseRegExp([phrase]), text)).toBe(expected);
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

// phraseRegExp() must answer exactly as PhraseSet.find(words(text)): the priority rules skip the
// whole rule engine when it says no phrase occurs, so a miss here would lose an urgent alert.
describe("phraseRegExp(): the same answer as PhraseSet on words()", () => {
  const RULE_PHRASES = [...SAFETY_PHRASES, ...NO_HEAT_PHRASES, ...WATER_LEAK_PHRASES];
  const RULE_RE = phraseRegExp(RULE_PHRASES);
  const RULE_SET = new PhraseSet(RULE_PHRASES);
  const agree = (phrases: readonly string[], text: string) =>
    phrases === RULE_PHRASES
      ? [hasPhrase(RULE_RE, text), RULE_SET.find(words(text)) !== undefined]
      : [hasPhrase(phraseRegExp(phrases), text), new PhraseSet(phrases).find(words(text)) !== undefined];

  it("for every character of the Basic Multilingual Plane as a word break or a letter", () => {
    // "a<c>b": <c> joins the words or splits them; "<c>" alone: which letter it folds to, if any.
    const split = phraseRegExp(["a b"]);
    const joined = phraseRegExp(["a*"]);
    const whole = phraseRegExp(["axb", "a b"]);
    const checks: Array<[RegExp, PhraseSet]> = [[split, new PhraseSet(["a b"])], [joined, new PhraseSet(["a*"])], [whole, new PhraseSet(["axb", "a b"])]];
    const singles = new Map<string, RegExp>();
    const single = (f: string) => singles.get(f) ?? singles.set(f, phraseRegExp([f])).get(f)!;
    const wrong: string[] = [];
    for (let cp = 0; cp <= 0xffff; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const c = String.fromCharCode(cp);
      const text = `a${c}b`;
      const w = words(text);
      for (const [re, set] of checks) {
        if (hasPhrase(re, text) !== (set.find(w) !== undefined)) wrong.push(`U+${cp.toString(16)} ${set.phrases}`);
      }
      const f = fold(c);
      if (f && hasPhrase(single(f), c) !== true) wrong.push(`U+${cp.toString(16)} folds to ${f}`);
    }
    expect(wrong).toEqual([]);
  });

  it("for the rule phrases in 20,000 generated texts: Polish letters, case, punctuation, glued and cut words", () => {
    // Deterministic (the demo data's mulberry32), so a failure names a text that can be replayed.
    const random = createRng(20261124);
    const rnd = random.next;
    const pick = random.pick;
    const POLISH: Record<string, string[]> = { a: ["ą", "Ą"], c: ["ć", "Ć"], e: ["ę", "Ę"], l: ["ł", "Ł"], n: ["ń", "Ń"], o: ["ó", "Ó"], s: ["ś", "Ś"], z: ["ź", "ż", "Ż", "Ź"] };
    const SEPARATORS = [" ", "  ", "-", ", ", ".", "\n", "/", "_", "\u00a0", "é", "İ", "—", "🔥", "'"];
    const vocabulary = [...new Set(RULE_PHRASES.flatMap((p) => p.replace(/\*/g, "").split(" ")))];
    const filler = ["kocioł", "Proszę", "pilnie", "w", "i", "od", "rano", "mieszkanie", "klient", "co2", "12", "K", "kW"];
    const mutate = (word: string): string => {
      let out = "";
      for (const ch of word) {
        const r = rnd();
        if (POLISH[ch] && r < 0.15) out += pick(POLISH[ch]);
        else if (r < 0.25) out += ch.toUpperCase();
        else out += ch;
      }
      const r = rnd();
      if (r < 0.1) out += pick(["u", "em", "ie", "ów", "ami", "y"]); // an ending
      else if (r < 0.15) out = pick(["prze", "za", "nie", "x"]) + out; // glued in front
      else if (r < 0.2 && out.length > 2) out = out.slice(0, -1); // cut
      return out;
    };
    const wrong: string[] = [];
    for (let n = 0; n < 20_000; n++) {
      const count = 1 + Math.floor(rnd() * 6);
      let text = rnd() < 0.3 ? pick(SEPARATORS) : "";
      // Whole phrases (so multi-word ones occur, endings on their "*" words), single words, filler.
      const segments: string[] = [];
      for (let k = 0; k < count; k++) {
        const r = rnd();
        if (r < 0.35) segments.push(...pick(RULE_PHRASES).replace(/\*/g, "").split(" "));
        else segments.push(r < 0.75 ? pick(vocabulary) : pick(filler));
      }
      segments.forEach((word, k) => {
        text += mutate(word);
        if (k < segments.length - 1) text += rnd() < 0.05 ? "" : pick(SEPARATORS);
      });
      const [regex, set] = agree(RULE_PHRASES, text);
      if (regex !== set) wrong.push(`${JSON.stringify(text)}: regex ${regex}, PhraseSet ${set}`);
    }
    expect(wrong.slice(0, 10)).toEqual([]);
  });

  it("for each rule phrase in its own words, and for nothing at all", () => {
    for (const phrase of RULE_PHRASES) {
      const text = `Klient: ${phrase.replace(/\*/g, "ami")}!`;
      expect(agree(RULE_PHRASES, text), text).toEqual([true, true]);
    }
    expect(hasPhrase(phraseRegExp([]), "cokolwiek")).toBe(false);
    expect(hasPhrase(phraseRegExp(["*", "!!!"]), "cokolwiek")).toBe(false);
  });
});
