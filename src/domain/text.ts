// Polish-aware text folding. Written with an explicit map because Unicode property escapes (\p{L})
// silently never match inside PocketBase's JS VM, and because NFD does not decompose ł/Ł.

const FOLD: Record<string, string> = {
  ą: "a", ć: "c", ę: "e", ł: "l", ń: "n", ó: "o", ś: "s", ź: "z", ż: "z",
  Ą: "a", Ć: "c", Ę: "e", Ł: "l", Ń: "n", Ó: "o", Ś: "s", Ź: "z", Ż: "z",
};

const POLISH = /[ąćęłńóśźż]/g;

/** Lower-case, strip Polish diacritics, collapse every non-alphanumeric run to one space. */
export function fold(text: string): string {
  // Native regex replaces instead of a per-character loop: this runs on every job write inside
  // PocketBase's JS VM, where interpreted loops are slow.
  return String(text ?? "")
    .toLowerCase()
    .replace(POLISH, (ch) => FOLD[ch])
    .replace(/[^a-z0-9]+/g, " ")
    .trim();
}

/**
 * The spellings a database search must ask for: as typed, lower-case, and capitalised ("żoł",
 * "Żoł"). SQLite's LIKE (PocketBase's `~`) ignores case only for ASCII letters, so "żoł" alone
 * would never find "Żołnierska".
 */
export function caseVariants(text: string): string[] {
  const s = String(text ?? "");
  const lower = s.toLowerCase();
  const capitalised = lower.replace(/(^|[\s.,/-])(\S)/g, (_, sep: string, ch: string) => sep + ch.toUpperCase());
  return [...new Set([s, lower, capitalised])];
}

/** Folded words of a text, ready for repeated phrase matching. */
export function words(text: string): string[] {
  const f = fold(text);
  return f ? f.split(" ") : [];
}

interface PhrasePart {
  word: string;
  prefix: boolean;
}

/** A phrase as words to match; each PhraseSet parses its phrases once, when it is built. */
function phraseParts(phrase: string): PhrasePart[] {
  // Each token is folded like the haystack, so a token with punctuation ("doesn't") becomes
  // several words ("doesn", "t"), exactly as words() splits it; "*" applies to the last of them.
  const parts: PhrasePart[] = [];
  for (const token of String(phrase ?? "").split(/\s+/)) {
    const prefix = token.endsWith("*");
    const folded = words(prefix ? token.slice(0, -1) : token);
    for (let k = 0; k < folded.length; k++) parts.push({ word: folded[k], prefix: prefix && k === folded.length - 1 });
  }
  return parts;
}

/** Whether the parsed phrase occurs in `haystack` starting at word `i`. */
function matchesAt(haystack: readonly string[], i: number, parts: readonly PhrasePart[]): boolean {
  if (i + parts.length > haystack.length) return false;
  for (let j = 0; j < parts.length; j++) {
    const w = haystack[i + j];
    const p = parts[j];
    if (p.prefix ? !w.startsWith(p.word) : w !== p.word) return false;
  }
  return true;
}

interface IndexedPhrase {
  phrase: string;
  order: number;
  parts: PhrasePart[];
}

const STEM = 3;

/**
 * A phrase list indexed by its first word, so looking for hundreds of phrases costs one or two
 * map lookups per word of the text instead of a scan per phrase. This matters inside
 * PocketBase's JS VM, where the priority rules run on every job write.
 */
export class PhraseSet {
  private readonly exact = new Map<string, IndexedPhrase[]>();
  private readonly stems = new Map<string, IndexedPhrase[]>();
  private readonly shortStems: IndexedPhrase[] = [];

  constructor(readonly phrases: readonly string[]) {
    phrases.forEach((phrase, order) => {
      const parts = phraseParts(phrase);
      if (parts.length === 0) return;
      const entry = { phrase, order, parts };
      const first = parts[0];
      if (!first.prefix) push(this.exact, first.word, entry);
      else if (first.word.length >= STEM) push(this.stems, first.word.slice(0, STEM), entry);
      else this.shortStems.push(entry);
    });
  }

  /** The phrase earliest in the list that occurs in the haystack, or undefined. */
  find(haystack: readonly string[]): string | undefined {
    // Plain loops, no callbacks or temporary arrays: this runs on every job write inside
    // PocketBase's JS VM.
    let best: IndexedPhrase | undefined;
    for (let i = 0; i < haystack.length; i++) {
      const word = haystack[i];
      best = this.firstIn(this.exact.get(word), haystack, i, best);
      best = this.firstIn(this.stems.get(word.slice(0, STEM)), haystack, i, best);
      best = this.firstIn(this.shortStems, haystack, i, best);
    }
    return best?.phrase;
  }

  private firstIn(list: IndexedPhrase[] | undefined, haystack: readonly string[], i: number, best: IndexedPhrase | undefined) {
    if (!list) return best;
    for (let k = 0; k < list.length; k++) {
      const c = list[k];
      if ((!best || c.order < best.order) && matchesAt(haystack, i, c.parts)) best = c;
    }
    return best;
  }

  /** A copy of the haystack with every word covered by an occurrence of any phrase replaced. */
  blank(haystack: readonly string[], replacement: string): string[] {
    const out = haystack.slice();
    const cover = (list: IndexedPhrase[] | undefined, i: number) => {
      if (!list) return;
      for (const c of list) if (matchesAt(haystack, i, c.parts)) for (let m = i; m < i + c.parts.length; m++) out[m] = replacement;
    };
    for (let i = 0; i < haystack.length; i++) {
      cover(this.exact.get(haystack[i]), i);
      cover(this.stems.get(haystack[i].slice(0, STEM)), i);
      cover(this.shortStems, i);
    }
    return out;
  }
}

/** Characters that fold() turns into a word character, after toLowerCase(). */
const WORD_CHARS = "a-z0-9ąćęłńóśźż";
/** The lower-case letters fold() turns into each ASCII letter. */
const LOWER_VARIANTS: Record<string, string> = { a: "aą", c: "cć", e: "eę", l: "lł", n: "nń", o: "oó", s: "sś", z: "zźż" };

function letterPattern(ch: string): string {
  const v = LOWER_VARIANTS[ch];
  return v ? `[${v}]` : ch; // folded words hold only [a-z0-9]: nothing to escape
}

/** A trie of phrase patterns, one regex piece per edge; `end` marks a complete phrase. */
interface PatternNode {
  end: boolean;
  next: Map<string, PatternNode>;
}

/** The regex pieces of one phrase: a letter class per letter, word breaks between the words. */
function phrasePieces(parts: readonly PhrasePart[]): string[] {
  const pieces: string[] = [];
  parts.forEach((p, i) => {
    if (i > 0) pieces.push(`[^${WORD_CHARS}]+`);
    for (const ch of p.word) pieces.push(letterPattern(ch));
    // A prefix word inside a phrase ("tlen* wegla") may go on before the break; at the end it
    // needs nothing after it. A whole word must end there.
    if (p.prefix && i < parts.length - 1) pieces.push(`[${WORD_CHARS}]*`);
    else if (!p.prefix && i === parts.length - 1) pieces.push(`(?:[^${WORD_CHARS}]|$)`);
  });
  return pieces;
}

function trieSource(node: PatternNode): string {
  // A complete phrase already matches here: whatever longer phrases go on does not matter.
  if (node.end) return "";
  const alternatives: string[] = [];
  node.next.forEach((child, piece) => alternatives.push(piece + trieSource(child)));
  return alternatives.length === 1 ? alternatives[0] : `(?:${alternatives.join("|")})`;
}

/**
 * One native regular expression that tells whether any of the phrases occurs in a text, with the
 * same meaning as `new PhraseSet(phrases).find(words(text)) !== undefined`, but without folding
 * the text or splitting it into words. It runs on `text.toLowerCase()`: after that, fold() maps
 * each character on its own (a Polish letter to its ASCII base, [a-z0-9] to itself, anything
 * else to a word break), so a word boundary is "not one of WORD_CHARS" and each folded letter is
 * the class of the letters folding to it.
 *
 * Why: in PocketBase's JS VM this is one call into Go's regexp instead of an interpreted loop
 * over the words, and the rules run on every job write. The phrases are merged into a trie
 * (shared beginnings written once) because Go's regexp runs every open alternative in step:
 * fewer alternatives per position, faster (measured in goja: ~8 µs against ~20 µs for a flat
 * alternation and ~45 µs for fold + words + PhraseSet, for a 50-character description).
 */
export function phraseRegExp(phrases: readonly string[]): RegExp {
  const root: PatternNode = { end: false, next: new Map() };
  let any = false;
  for (const phrase of phrases) {
    const parts = phraseParts(phrase);
    if (parts.length === 0) continue;
    any = true;
    let node = root;
    for (const piece of phrasePieces(parts)) {
      let child = node.next.get(piece);
      if (!child) node.next.set(piece, (child = { end: false, next: new Map() }));
      node = child;
    }
    node.end = true;
  }
  // Never matches when there is no phrase (an empty alternation would match everything).
  if (!any) return /[^\s\S]/;
  return new RegExp(`(?:^|[^${WORD_CHARS}])${trieSource(root)}`);
}

/** Whether any phrase of `re` (from phraseRegExp) occurs in the text. */
export function hasPhrase(re: RegExp, text: string): boolean {
  return re.test(String(text ?? "").toLowerCase());
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
