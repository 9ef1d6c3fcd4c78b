// Search across jobs, contacts, invoices and photos: the request's parameters, the SQLite FTS5
// query built from the words typed, and the snippet shown under each hit. The index itself is
// kept by SQL triggers (pb_migrations/1795580000_search.js): it holds the text with ł/Ł folded
// to l/L, and FTS5's unicode61 tokenizer (remove_diacritics 2) folds the other accents and case,
// so "kociol" finds "kocioł" and "ZOLIBORZ" finds "Żoliborz". Runs in PocketBase's JS VM.

import type { FieldError } from "./lifecycle";
import { fold } from "./text";

export const SEARCH_TYPES = ["jobs", "contacts", "invoices", "photos"] as const;
export type SearchType = (typeof SEARCH_TYPES)[number];

/** Search type -> PocketBase collection. */
export const SEARCH_COLLECTIONS: Record<SearchType, string> = {
  jobs: "jobs",
  contacts: "contacts",
  invoices: "invoices",
  photos: "equipment_photos",
};

export const MAX_QUERY_LENGTH = 200;
export const MAX_WORDS = 8;
export const DEFAULT_LIMIT = 20;
export const MAX_LIMIT = 50;

export interface SearchRequest {
  /** Folded words, each matched as a prefix ("kot" finds "kotła"). */
  words: string[];
  types: SearchType[];
  limit: number;
}

/** Reads q, types and limit from the query string; errors name the parameter. */
export function parseSearchRequest(params: { q?: unknown; types?: unknown; limit?: unknown }): { value: SearchRequest | null; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const q = typeof params.q === "string" ? params.q : "";
  let found: string[] = [];
  if (!q.trim()) errors.push({ field: "q", code: "required", message: "q: type what to search for." });
  else if (q.length > MAX_QUERY_LENGTH) errors.push({ field: "q", code: "too_long", message: `q: at most ${MAX_QUERY_LENGTH} characters.` });
  else {
    found = queryWords(q);
    if (!found.length) errors.push({ field: "q", code: "no_words", message: "q: search needs at least one letter or digit." });
  }

  let types: SearchType[] = SEARCH_TYPES.slice();
  const rawTypes = typeof params.types === "string" ? params.types.trim() : "";
  if (rawTypes) {
    types = [];
    const parts = rawTypes.split(",");
    for (let i = 0; i < parts.length; i++) {
      const t = parts[i].trim();
      if (!t) continue;
      if (SEARCH_TYPES.indexOf(t as SearchType) < 0) {
        errors.push({ field: "types", code: "unknown_type", message: `types: "${t}" is not one of ${SEARCH_TYPES.join(", ")}.` });
        break;
      }
      if (types.indexOf(t as SearchType) < 0) types.push(t as SearchType);
    }
    if (!types.length && !errors.some((e) => e.field === "types")) errors.push({ field: "types", code: "required", message: `types: name at least one of ${SEARCH_TYPES.join(", ")}.` });
  }

  let limit = DEFAULT_LIMIT;
  const rawLimit = typeof params.limit === "string" ? params.limit.trim() : "";
  if (rawLimit) {
    limit = /^\d{1,4}$/.test(rawLimit) ? Number(rawLimit) : NaN;
    if (!(limit >= 1 && limit <= MAX_LIMIT)) errors.push({ field: "limit", code: "out_of_range", message: `limit: a whole number from 1 to ${MAX_LIMIT}.` });
  }
  if (errors.length) return { value: null, errors };
  return { value: { words: found, types, limit }, errors };
}

/** The distinct folded words of a query, at most MAX_WORDS, longest kept when there are more. */
export function queryWords(q: string): string[] {
  const all = fold(q).split(" ").filter((w) => w.length > 0);
  const out: string[] = [];
  for (let i = 0; i < all.length; i++) if (out.indexOf(all[i]) < 0) out.push(all[i]);
  if (out.length <= MAX_WORDS) return out;
  return out
    .map((w, i) => ({ w, i }))
    .sort((a, b) => b.w.length - a.w.length || a.i - b.i)
    .slice(0, MAX_WORDS)
    .sort((a, b) => a.i - b.i)
    .map((x) => x.w);
}

/**
 * The FTS5 MATCH expression: every word, each as a quoted prefix ("kot"*), all required, in the
 * text columns only (not `owners`, which holds technicians' ids). A word of one character is
 * matched whole ("F.28" is f and 28): as a prefix it would merge the posting list of every word
 * starting with that letter, the slowest query there is, for hits nobody asked for. Words are
 * [a-z0-9] only after folding, so quoting cannot be broken out of.
 */
export function ftsMatch(words: readonly string[]): string {
  return `{title body} : (${words.map((w) => `"${w.replace(/"/g, "")}"${w.length > 1 ? "*" : ""}`).join(" ")})`;
}

/** Whether a user id can stand in the `owners` filter as one token (PocketBase's generated ids can). */
export function plainOwnerId(id: string): boolean {
  return /^[a-z0-9]+$/.test(id);
}

/**
 * The MATCH expression for a technician: the words in the text columns, and the technician among
 * the record's owners (the index's `owners` column: who the view rules show it to besides staff).
 * Only for ids plainOwnerId accepts (the tokenizer would split or fold any other).
 */
export function ftsMatchOwned(words: readonly string[], ownerId: string): string {
  return `${ftsMatch(words)} AND owners : "${String(ownerId).replace(/[^a-z0-9]/g, "")}"`;
}

const STAFF_RULE = '(@request.auth.role = "dispatcher" || @request.auth.role = "manager")';
const TECH_RULE = '@request.auth.role = "technician"';

/**
 * The view rules the searched collections ship with (pb_migrations). While a collection's rule is
 * exactly this, staff see every record and a technician exactly the records whose index `owners`
 * name them, so the hits need no check one by one (about 0.5 ms each in PocketBase). When an admin
 * has changed a rule, every hit is checked against the rule as it is. test/integration/search.test.ts
 * checks that a fresh server has these rules and that both ways give the same hits.
 */
export const SHIPPED_VIEW_RULES: Record<SearchType, string> = {
  jobs: `${STAFF_RULE} || (${TECH_RULE} && technicianId = @request.auth.id)`,
  contacts: `${STAFF_RULE} || (${TECH_RULE} && jobs_via_contactId.technicianId ?= @request.auth.id)`,
  invoices: `${STAFF_RULE} || (${TECH_RULE} && jobId.technicianId = @request.auth.id)`,
  photos: `${STAFF_RULE} || (${TECH_RULE} && jobId.technicianId = @request.auth.id)`,
};

/**
 * The text the index holds for a record, as the SQL triggers compute it; the JS twin is used by
 * the rebuild command and the tests. (ł/Ł only: FTS5 folds the rest.)
 */
export function indexFold(text: string): string {
  return String(text ?? "").replace(/ł/g, "l").replace(/Ł/g, "L");
}

export interface Snippet {
  text: string;
  /** [start, end) character ranges of `text` that matched a word. */
  marks: Array<[number, number]>;
}

const WORD_CHAR = /[0-9A-Za-zĄĆĘŁŃÓŚŹŻąćęłńóśźżÀ-ÖØ-öø-ÿ]/;

const FOLD_SAME_LENGTH: Record<string, string> = { ą: "a", ć: "c", ę: "e", ł: "l", ń: "n", ó: "o", ś: "s", ź: "z", ż: "z" };

// These run for every hit inside PocketBase's JS VM, where a regular expression over Polish text
// costs tens of microseconds per call (replace with a callback, exec in a loop) while indexOf,
// slice and charCodeAt cost about one: so no regular expressions on the whole text below.

/** Lower case with Polish letters folded, one character for one (so offsets agree with `text`). */
function foldSameLength(text: string): string {
  const lower = text.toLowerCase();
  if (lower.length !== text.length) return text; // "İ" and friends: give up on folding, never on offsets
  let out = "";
  let from = 0;
  for (let i = 0; i < lower.length; i++) {
    if (lower.charCodeAt(i) < 0xf3) continue; // below "ó", the lowest of them: nothing to fold
    const to = FOLD_SAME_LENGTH[lower[i]];
    if (to === undefined) continue;
    out += lower.slice(from, i) + to;
    from = i + 1;
  }
  return from === 0 ? lower : out + lower.slice(from);
}

function isWordChar(text: string, at: number): boolean {
  return at >= 0 && at < text.length && WORD_CHAR.test(text[at]);
}

/** Whether a query word found at `at` of `text` matches as the index matches it (see ftsMatch). */
function matchesAt(text: string, at: number, word: string): boolean {
  if (isWordChar(text, at - 1)) return false; // inside a word: not a word start
  return word.length > 1 || !isWordChar(text, at + 1); // one character: the whole word
}

/**
 * Marks the words of `text` that start with a query word (one-character query words: the words that
 * are just that character), as long as the query word; offsets are relative to `text`. Where two
 * query words start the same word, the first typed one marks it.
 */
function markWords(text: string, words: readonly string[]): Array<[number, number]> {
  const folded = foldSameLength(text);
  const byStart: Record<number, number> = {};
  const starts: number[] = [];
  for (let k = 0; k < words.length; k++) {
    const w = words[k];
    if (!w) continue;
    for (let at = folded.indexOf(w); at >= 0; at = folded.indexOf(w, at + 1)) {
      if (!matchesAt(text, at, w)) continue;
      if (byStart[at] === undefined) {
        byStart[at] = k;
        starts.push(at);
      }
    }
  }
  starts.sort((a, b) => a - b);
  const marks: Array<[number, number]> = [];
  for (let i = 0; i < starts.length; i++) marks.push([starts[i], starts[i] + words[byStart[starts[i]]].length]);
  return marks;
}

/** Runs of white space as one space, trimmed; the regular expression only when there is such a run. */
function squeezeSpace(text: string): string {
  const t = String(text ?? "");
  if (t.indexOf("  ") < 0 && t.indexOf("\n") < 0 && t.indexOf("\r") < 0 && t.indexOf("\t") < 0 && t.indexOf("\u00a0") < 0) return t.trim();
  return t.replace(/\s+/g, " ").trim();
}

/**
 * Up to `width` characters of `text` around the first matched word, with every word that starts
 * with a query word marked. Plain text plus ranges: the dashboard marks them without HTML. Only
 * the part shown is marked (texts can be long: OCR of an invoice).
 */
export function snippet(text: string, words: readonly string[], width = 160): Snippet {
  const source = squeezeSpace(text);
  if (source.length <= width) return { text: source, marks: markWords(source, words) };
  // The first word start that begins with a query word, found with native string search.
  const folded = foldSameLength(source);
  let first = -1;
  for (let k = 0; k < words.length; k++) {
    if (!words[k]) continue;
    let at = folded.indexOf(words[k]);
    while (at >= 0 && !matchesAt(source, at, words[k])) at = folded.indexOf(words[k], at + 1);
    if (at >= 0 && (first < 0 || at < first)) first = at;
  }
  if (first < 0) first = 0;
  let start = Math.max(0, first - Math.floor(width / 3));
  if (start > 0) {
    const space = source.indexOf(" ", start);
    if (space >= 0 && space < first) start = space + 1;
  }
  let end = Math.min(source.length, start + width);
  if (end < source.length) {
    const space = source.lastIndexOf(" ", end);
    if (space > start + width / 2) end = space;
  }
  const prefix = start > 0 ? "…" : "";
  const suffix = end < source.length ? "…" : "";
  const shown = source.slice(start, end);
  const marks = markWords(shown, words).map(([a, b]) => [a + prefix.length, b + prefix.length] as [number, number]);
  return { text: prefix + shown + suffix, marks };
}
