// Polish-aware text folding. Written with an explicit map because Unicode property escapes (\p{L})
// silently never match inside PocketBase's JS VM, and because NFD does not decompose ł/Ł.

const FOLD: Record<string, string> = {
  ą: "a", ć: "c", ę: "e", ł: "l", ń: "n", ó: "o", ś: "s", ź: "z", ż: "z",
  Ą: "a", Ć: "c", Ę: "e", Ł: "l", Ń: "n", Ó: "o", Ś: "s", Ź: "z", Ż: "z",
};

/** Lower-case, strip Polish diacritics, collapse every non-alphanumeric run to one space. */
export function fold(text: string): string {
  let out = "";
  const s = String(text ?? "");
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    const mapped = FOLD[ch];
    out += mapped !== undefined ? mapped : ch.toLowerCase();
  }
  return out.replace(/[^a-z0-9]+/g, " ").trim();
}

/** Folded words of a text, ready for repeated phrase matching. */
export function words(text: string): string[] {
  const f = fold(text);
  return f ? f.split(" ") : [];
}

/**
 * True when the words of `phrase` occur consecutively in `haystack` (from `words()`).
 * A word ending in "*" matches any word starting with it: "pozar*" matches "pożar" and "pożaru".
 */
export function containsPhrase(haystack: readonly string[], phrase: string): boolean {
  const parts = phrase.split(/\s+/).filter(Boolean).map((p) => {
    const prefix = p.endsWith("*");
    return { word: fold(prefix ? p.slice(0, -1) : p), prefix };
  });
  if (parts.length === 0) return false;
  outer: for (let i = 0; i + parts.length <= haystack.length; i++) {
    for (let j = 0; j < parts.length; j++) {
      const w = haystack[i + j];
      const p = parts[j];
      if (p.prefix ? !w.startsWith(p.word) : w !== p.word) continue outer;
    }
    return true;
  }
  return false;
}

/** The first phrase of `phrases` found in the haystack, or undefined. */
export function findPhrase(haystack: readonly string[], phrases: readonly string[]): string | undefined {
  for (const p of phrases) if (containsPhrase(haystack, p)) return p;
  return undefined;
}
