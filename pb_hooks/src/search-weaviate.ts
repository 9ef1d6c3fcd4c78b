// Search through Weaviate for GET /api/hvac/search (pb_hooks/src/search.ts), when WEAVIATE_URL is
// set: one POST /v1/graphql with a hybrid query per class (src/domain/weaviate-search.ts), a short
// timeout, the API key when set. Weaviate only ranks: search.ts loads the records it names and
// applies the same view rules and snippets as for FTS5 hits. Whenever Weaviate cannot answer (not
// reachable, timeout, any status but 200, errors[], a malformed answer, a bad configuration) the
// caller gets the reason and searches FTS5 instead: a search never fails because of Weaviate.
import { errorText } from "../../src/domain/outbox";
import { SEARCH_COLLECTIONS, type SearchRequest, type SearchType } from "../../src/domain/search";
import { parseSyncConfig, SYNC_ENV_KEYS, type SyncConfig } from "../../src/domain/sync-config";
import {
  candidatesPerClass, hybridRequestBody, noAnswerReason, ownObject, readHybridAnswer, WEAVIATE_SEARCH_PAUSE_MS, WEAVIATE_SEARCH_TIMEOUT_SEC,
  type WeaviateHit,
} from "../../src/domain/weaviate-search";
import type { WeaviateCollection } from "../../src/domain/weaviate";

/** Shared by every request (hooks run in separate VMs): "<until ms>\u0001<reason>" after a timeout. */
const PAUSE_KEY = "hvac:weaviate-search:paused";

/** The Weaviate settings, null when WEAVIATE_URL is not set; a bad configuration is a failure. */
function weaviateConfig(): SyncConfig | { failed: string } | null {
  if (!$os.getenv("WEAVIATE_URL").trim()) return null;
  const env: Record<string, string> = {};
  for (let i = 0; i < SYNC_ENV_KEYS.length; i++) env[SYNC_ENV_KEYS[i]] = $os.getenv(SYNC_ENV_KEYS[i]);
  try {
    return parseSyncConfig(env);
  } catch (e) {
    return { failed: `configuration: ${errorText(e)}` };
  }
}

/**
 * Candidates from Weaviate for `q` in `types`, best first, `perClass` per class at most; null when
 * Weaviate is not configured; `{failed}` with the reason when it could not be used.
 */
export function weaviateHits(q: string, types: readonly SearchType[], perClass: number): { hits: WeaviateHit[] } | { failed: string } | null {
  const config = weaviateConfig();
  if (!config) return null;
  if ("failed" in config) return config;

  const paused = String($app.store().get(PAUSE_KEY) ?? "");
  const sep = paused.indexOf("\u0001");
  if (sep > 0 && Date.now() < Number(paused.slice(0, sep))) {
    return { failed: `paused: ${paused.slice(sep + 1)}; Weaviate is tried again ${Math.ceil((Number(paused.slice(0, sep)) - Date.now()) / 1000)} s from now` };
  }

  const collections: WeaviateCollection[] = [];
  for (let i = 0; i < types.length; i++) collections.push(SEARCH_COLLECTIONS[types[i]] as WeaviateCollection);
  const timeout = Math.min(WEAVIATE_SEARCH_TIMEOUT_SEC, config.httpTimeoutSec);
  const headers: Record<string, string> = { "Content-Type": "application/json" };
  if (config.weaviateApiKey) headers.Authorization = `Bearer ${config.weaviateApiKey}`;
  let status = 0;
  let raw = "";
  try {
    const res = $http.send({ url: `${config.weaviateUrl}/v1/graphql`, method: "POST", body: hybridRequestBody(q, collections, perClass), headers, timeout });
    status = res.statusCode;
    raw = typeof res.raw === "string" ? res.raw : String(res.raw ?? "");
  } catch (e) {
    const why = noAnswerReason(errorText(e), timeout);
    console.warn(`search: no answer from Weaviate: ${errorText(e)}`);
    if (why.timeout) $app.store().set(PAUSE_KEY, `${Date.now() + WEAVIATE_SEARCH_PAUSE_MS}\u0001${why.reason}`);
    return { failed: why.reason };
  }
  const outcome = readHybridAnswer(status, raw, collections);
  if ("failed" in outcome) return outcome;
  $app.store().remove(PAUSE_KEY);
  return { hits: outcome.hits };
}

/** A candidate in the shape search.ts ranks FTS5 rows in (rank: lower first, so minus the score). */
export interface EngineHit {
  kind: SearchType;
  rid: string;
  rank: number;
  /** Weaviate's object id. */
  uuid?: string;
}

export interface EngineChoice {
  /** Weaviate's candidates, or null: search FTS5. */
  hits: EngineHit[] | null;
  source: "weaviate" | "fts5";
  /** Why FTS5 answers although Weaviate is configured. */
  fallback?: string;
  /**
   * Whether a hit about to be shown may be: a Weaviate object must have the id this server writes
   * for that record (one SHA-1 each, so only for the hits shown). Always true for FTS5 hits.
   */
  keep: (hit: { kind: SearchType; rid: string; uuid?: string }) => boolean;
}

const KEEP_ALL = () => true;

function keepOwnObjects(hit: { kind: SearchType; rid: string; uuid?: string }): boolean {
  return typeof hit.uuid === "string" && ownObject({ collection: SEARCH_COLLECTIONS[hit.kind] as WeaviateCollection, id: hit.rid, uuid: hit.uuid });
}

const TYPE_OF: Record<string, SearchType> = {};
for (const t of Object.keys(SEARCH_COLLECTIONS) as SearchType[]) TYPE_OF[SEARCH_COLLECTIONS[t]] = t;

/** Which engine finds the candidates of a search request (`q` as typed; staff may see everything). */
export function searchEngine(q: string, req: SearchRequest, staff: boolean): EngineChoice {
  let found: ReturnType<typeof weaviateHits>;
  try {
    found = weaviateHits(q, req.types, candidatesPerClass(req.limit, staff));
  } catch (e) {
    found = { failed: `error: ${errorText(e)}` }; // never a 500 because of Weaviate
  }
  if (!found) return { hits: null, source: "fts5", keep: KEEP_ALL };
  if ("failed" in found) {
    // Logged once per failure, not for every search skipped during the pause after a timeout.
    if (!/^paused:/.test(found.failed)) console.warn(`search: Weaviate not used, FTS5 answers: ${found.failed}`);
    return { hits: null, source: "fts5", fallback: found.failed, keep: KEEP_ALL };
  }
  // Nothing found there: FTS5 may still know the words (e.g. Polish letters typed without accents,
  // which Weaviate's keyword half does not fold).
  if (!found.hits.length) return { hits: null, source: "fts5", fallback: "no hits: Weaviate found nothing", keep: KEEP_ALL };
  const hits: EngineHit[] = [];
  for (let i = 0; i < found.hits.length; i++) {
    const h = found.hits[i];
    hits.push({ kind: TYPE_OF[h.collection], rid: h.id, rank: -h.score, uuid: h.uuid });
  }
  return { hits, source: "weaviate", keep: keepOwnObjects };
}
