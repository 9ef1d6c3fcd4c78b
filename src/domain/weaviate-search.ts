// Search through Weaviate (issue 5), when WEAVIATE_URL is set: one GraphQL document with a hybrid
// query per class, and strict reading of the answer. Weaviate only ranks: the hooks map every object
// back to (collection, record id), load the records and apply our own view rules
// (pb_hooks/src/search-weaviate.ts, pb_hooks/src/search.ts). Anything unexpected makes the answer
// fail, and the search answers from the embedded FTS5 index instead. Pure; runs in the hooks' JS VM.
//
//   POST /v1/graphql {"query":"{Get{HvacJob(hybrid:{query:\"...\",alpha:0.5},limit:N){pbId _additional{id score}} ...}}"}
//   -> 200 {"data":{"Get":{"HvacJob":[{"pbId":"...","_additional":{"id":"<uuid>","score":"0.83"}}]}}}
//   GraphQL errors come back with HTTP 200 in "errors":[{"message":...}]; `score` is a string.
//
// Objects carry the record id as the `pbId` property (src/domain/weaviate.ts, every class): the
// object id is a UUIDv5 of "pb:<collection>:<id>" and cannot be reversed, so it serves as a check:
// the answer is read with a cheap one (a version-5 UUID), and before a hit is shown its id must be
// the one this server writes for that record (ownObject; SHA-1 in the hooks' VM costs ~0.5 ms, so
// only for the hits shown, not for every candidate).
import { MAX_LIMIT, MAX_QUERY_LENGTH } from "./search";
import { weaviateId } from "./uuid";
import { WEAVIATE_CLASSES, type WeaviateCollection } from "./weaviate";

/** Weight of the vector half of the hybrid score (0 = keywords only, 1 = vectors only). */
export const HYBRID_ALPHA = 0.5;
/**
 * Seconds a search waits for Weaviate (the drain's SYNC_HTTP_TIMEOUT is for batches, far too long
 * for a box that searches as you type); a smaller SYNC_HTTP_TIMEOUT wins.
 */
export const WEAVIATE_SEARCH_TIMEOUT_SEC = 2;
/** After a timeout, searches skip Weaviate this long, so not every keystroke waits for it. */
export const WEAVIATE_SEARCH_PAUSE_MS = 30_000;
/** Candidates per class for callers who may not see everything (their hits are filtered afterwards). */
export const MAX_CANDIDATES_PER_CLASS = 100;

/**
 * Candidates asked per class: staff see every record, so twice the limit leaves room for records
 * deleted here but still in Weaviate; others see a few of many, so more are asked and filtered.
 */
export function candidatesPerClass(limit: number, staff: boolean): number {
  const n = Math.max(1, Math.min(MAX_LIMIT, Math.floor(limit) || 1));
  return staff ? n * 2 : MAX_CANDIDATES_PER_CLASS;
}

/**
 * A GraphQL string literal (spec "StringValue") for any text: `"` and `\` escaped, control
 * characters as their escapes (raw ones end the string or are refused by the parser), U+2028/9
 * escaped, a lone surrogate (not valid UTF-8) as U+FFFD. Other characters are sent as they are:
 * Weaviate's parser turns a `\uXXXX` pair of surrogates into two broken characters, raw UTF-8 works.
 */
export function graphqlString(text: string): string {
  const s = String(text);
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const ch = s.charAt(i);
    const code = s.charCodeAt(i);
    if (ch === '"') out += '\\"';
    else if (ch === "\\") out += "\\\\";
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (ch === "\b") out += "\\b";
    else if (ch === "\f") out += "\\f";
    else if (code < 0x20 || code === 0x7f || code === 0x2028 || code === 0x2029) out += "\\u" + ("000" + code.toString(16)).slice(-4);
    else if (code >= 0xd800 && code <= 0xdbff) {
      const next = s.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        out += ch + s.charAt(i + 1);
        i++;
      } else out += "\\ufffd";
    } else if (code >= 0xdc00 && code <= 0xdfff) out += "\\ufffd";
    else out += ch;
  }
  return out + '"';
}

/** What is sent as the hybrid query: the text as typed (vectors need it), whitespace collapsed. */
export function hybridQueryText(q: string): string {
  return String(q ?? "").replace(/\s+/g, " ").trim().slice(0, MAX_QUERY_LENGTH);
}

/**
 * The GraphQL document: one `Get` with the hybrid query per class (several classes in one Get are
 * answered side by side), asking only for the record id and the object's id and score.
 */
export function hybridDocument(q: string, collections: readonly WeaviateCollection[], perClass: number): string {
  const query = graphqlString(hybridQueryText(q));
  const limit = Math.max(1, Math.floor(perClass) || 1);
  const parts: string[] = [];
  for (let i = 0; i < collections.length; i++) {
    const cls = WEAVIATE_CLASSES[collections[i]];
    if (!cls) throw new RangeError(`no Weaviate class for "${collections[i]}"`);
    parts.push(`${cls}(hybrid:{query:${query},alpha:${HYBRID_ALPHA}},limit:${limit}){pbId _additional{id score}}`);
  }
  return `{Get{${parts.join(" ")}}}`;
}

/** The body of `POST /v1/graphql`. */
export function hybridRequestBody(q: string, collections: readonly WeaviateCollection[], perClass: number): string {
  return JSON.stringify({ query: hybridDocument(q, collections, perClass) });
}

export interface WeaviateHit {
  collection: WeaviateCollection;
  /** The PocketBase record id (the object's `pbId`). */
  id: string;
  score: number;
  /** The Weaviate object id, lower case (check it with ownObject before showing the hit). */
  uuid: string;
}

export interface HybridAnswer {
  /** Best first: by score, ties in the order of the classes asked, then Weaviate's own order. */
  hits: WeaviateHit[];
  /** Objects left out: ids that are no UUIDv5 (not written by us), duplicates, missing or bad fields. */
  dropped: number;
  /** The first reason an object was left out ("" when none). */
  firstDropped: string;
}

/** Why Weaviate's answer cannot be used; `kind` starts the reason shown with the fallback. */
export class WeaviateSearchError extends Error {
  readonly kind: "errors" | "malformed";
  constructor(kind: "errors" | "malformed", message: string) {
    super(message);
    this.name = "WeaviateSearchError";
    this.kind = kind;
  }
}

/** PocketBase ids are 15 lower-case letters and digits; anything id-like up to 64 is accepted. */
const RECORD_ID = /^[A-Za-z0-9_-]{1,64}$/;
/** A version-5, RFC 4122 variant UUID (ours are; Weaviate makes up version 4 ids for objects sent without one). */
const UUID_V5 = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

/** Whether a Weaviate object id is the one this server writes for the record (UUIDv5 of pb:<collection>:<id>). */
export function ownObject(hit: { collection: WeaviateCollection; id: string; uuid: string }): boolean {
  return hit.uuid.toLowerCase() === weaviateId(hit.collection, hit.id);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === "object" && !Array.isArray(v);
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "nothing";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  if (typeof value === "string") return value.length > 40 ? `"${value.slice(0, 40)}..."` : `"${value}"`;
  return `${typeof value} ${String(value)}`;
}

/** A score as Weaviate sends it ("0.0163", a string) or as a number; null when it is not a finite number. */
export function parseScore(value: unknown): number | null {
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  if (typeof value !== "string" || !/^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/.test(value)) return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

/**
 * Reads the answer to the hybrid document for `collections`. Throws a WeaviateSearchError when it
 * cannot be used: `errors[]` (even beside partial data: the hits would be silently incomplete), no
 * `data.Get`, a class asked for missing or not a list, or objects that are all unusable. Single
 * unusable objects (not ours, bad score...) are dropped and counted.
 */
export function parseHybridAnswer(body: unknown, collections: readonly WeaviateCollection[]): HybridAnswer {
  if (!isObject(body)) throw new WeaviateSearchError("malformed", `expected a JSON object, got ${describe(body)}`);
  const errors = body.errors;
  if (errors !== undefined && errors !== null && !(Array.isArray(errors) && errors.length === 0)) {
    if (!Array.isArray(errors)) throw new WeaviateSearchError("malformed", `errors: expected an array, got ${describe(errors)}`);
    const messages: string[] = [];
    for (let i = 0; i < errors.length && messages.length < 3; i++) {
      const e = errors[i];
      messages.push(isObject(e) && typeof e.message === "string" ? e.message : JSON.stringify(e));
    }
    throw new WeaviateSearchError("errors", messages.join("; ").replace(/\s+/g, " ").slice(0, 300) || "an error without a message");
  }
  const data = body.data;
  if (!isObject(data)) throw new WeaviateSearchError("malformed", `data: expected an object, got ${describe(data)}`);
  const get = data.Get;
  if (!isObject(get)) throw new WeaviateSearchError("malformed", `data.Get: expected an object, got ${describe(get)}`);

  interface Ranked extends WeaviateHit {
    cls: number;
    pos: number;
  }
  const ranked: Ranked[] = [];
  const seen: Record<string, boolean> = {};
  let total = 0;
  let dropped = 0;
  let firstDropped = "";
  const drop = (why: string) => {
    dropped++;
    if (!firstDropped) firstDropped = why;
  };
  for (let c = 0; c < collections.length; c++) {
    const collection = collections[c];
    const cls = WEAVIATE_CLASSES[collection];
    const list = get[cls];
    if (!Array.isArray(list)) throw new WeaviateSearchError("malformed", `data.Get.${cls}: expected a list, got ${describe(list)}`);
    total += list.length;
    for (let i = 0; i < list.length; i++) {
      const path = `data.Get.${cls}[${i}]`;
      const o = list[i];
      if (!isObject(o)) {
        drop(`${path}: expected an object, got ${describe(o)}`);
        continue;
      }
      const extra = o._additional;
      if (!isObject(extra)) {
        drop(`${path}._additional: expected an object, got ${describe(extra)}`);
        continue;
      }
      const pbId = o.pbId;
      if (typeof pbId !== "string" || !RECORD_ID.test(pbId)) {
        drop(`${path}.pbId: expected a record id, got ${describe(pbId)}`);
        continue;
      }
      const uuid = extra.id;
      // Not a UUIDv5: not an object this server wrote, not ours to show.
      if (typeof uuid !== "string" || !UUID_V5.test(uuid)) {
        drop(`${path}._additional.id: expected a version 5 UUID, got ${describe(uuid)}`);
        continue;
      }
      const score = parseScore(extra.score);
      if (score === null) {
        drop(`${path}._additional.score: expected a number, got ${describe(extra.score)}`);
        continue;
      }
      const key = `${collection}/${pbId}`;
      if (seen[key]) {
        drop(`${path}: ${key} twice`);
        continue;
      }
      seen[key] = true;
      ranked.push({ collection, id: pbId, score, uuid: uuid.toLowerCase(), cls: c, pos: i });
    }
  }
  if (total > 0 && ranked.length === 0) {
    throw new WeaviateSearchError("malformed", `none of the ${total} objects is usable (${firstDropped})`);
  }
  ranked.sort((a, b) => b.score - a.score || a.cls - b.cls || a.pos - b.pos);
  const hits: WeaviateHit[] = [];
  for (let i = 0; i < ranked.length; i++) hits.push({ collection: ranked[i].collection, id: ranked[i].id, score: ranked[i].score, uuid: ranked[i].uuid });
  return { hits, dropped, firstDropped };
}

/** Strips URLs from an error text (the fallback reason is shown to every signed-in user). */
function withoutUrls(text: string): string {
  return String(text).replace(/"?https?:\/\/[^\s"]*"?/g, "Weaviate").replace(/\s+/g, " ").trim().slice(0, 300);
}

/** The reason for a request that got no answer: a timeout, or Weaviate unreachable (refused, DNS...). */
export function noAnswerReason(error: string, timeoutSec: number): { reason: string; timeout: boolean } {
  const timeout = /timeout|deadline exceeded|timed out/i.test(error);
  if (timeout) return { reason: `timeout: no answer within ${timeoutSec} s`, timeout };
  // Known causes by name; the address stays out of it (the whole error goes to the server log).
  if (/connection refused/i.test(error)) return { reason: "unreachable: connection refused", timeout };
  if (/no such host|lookup /i.test(error)) return { reason: "unreachable: host not found", timeout };
  if (/x509|certificate|tls/i.test(error)) return { reason: "unreachable: TLS error", timeout };
  if (/connection reset|EOF/.test(error)) return { reason: "unreachable: connection closed without an answer", timeout };
  return { reason: `unreachable: ${withoutUrls(error).replace(/\b\d{1,3}(\.\d{1,3}){3}(:\d+)?/g, "Weaviate") || "no answer"}`, timeout };
}

/** The message of a Weaviate error body (`{"error":[{"message"}]}`), or the start of the body. */
function errorMessage(raw: string): string {
  try {
    const body = JSON.parse(raw) as unknown;
    if (isObject(body) && Array.isArray(body.error)) {
      const parts: string[] = [];
      for (let i = 0; i < body.error.length; i++) {
        const e = body.error[i];
        if (isObject(e) && typeof e.message === "string") parts.push(e.message);
      }
      if (parts.length) return parts.join("; ");
    }
    if (isObject(body) && typeof body.message === "string") return body.message;
  } catch {
    /* not JSON: show its start */
  }
  return String(raw ?? "");
}

export type HybridOutcome = { hits: WeaviateHit[]; dropped: number } | { failed: string };

/**
 * Reads an HTTP answer to the hybrid query: the hits, or why FTS5 must answer instead ("http 503:
 * ...", "errors: ...", "malformed: ...").
 */
export function readHybridAnswer(status: number, raw: string, collections: readonly WeaviateCollection[]): HybridOutcome {
  if (status !== 200) {
    const message = withoutUrls(errorMessage(raw));
    return { failed: `http ${status}${message ? `: ${message}` : ""}` };
  }
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    return { failed: `malformed: not JSON: ${withoutUrls(String(raw ?? "").slice(0, 60)) || "(empty)"}` };
  }
  try {
    const a = parseHybridAnswer(body, collections);
    return { hits: a.hits, dropped: a.dropped };
  } catch (e) {
    if (e instanceof WeaviateSearchError) return { failed: `${e.kind}: ${e.message}` };
    throw e;
  }
}
