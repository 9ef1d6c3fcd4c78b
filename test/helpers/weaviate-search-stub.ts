// The Weaviate stub (test/helpers/sync-stubs.ts) plus POST /v1/graphql: hybrid `Get` queries over the
// objects it stores (delivered by the outbox, or put in directly), answered in the documented shape
// (../shared/notes/integrations.md): {"data":{"Get":{"<Class>":[{...properties, "_additional":{"id",
// "score"}}]}}}, `score` a string, GraphQL errors with HTTP 200 in "errors":[{"message"}]. The document
// is parsed like Weaviate's parser does (test/helpers/graphql-lite.ts): a query string that was not
// escaped right is a syntax error here too. Failures on demand through the same fault queue (fail()).
//
// Ranking, a stand-in for hybrid fusion: the share of the query's words (lower-cased, split on
// anything but letters and digits, like "word" tokenization) found in the object's text properties,
// plus boost(id); objects scoring 0 are left out; ties in the order stored.
import type { ServerResponse } from "node:http";
import { weaviateClassSchema } from "../../src/domain/weaviate";
import { GqlSyntaxError, parseGraphql, type GqlField, type GqlValue } from "./graphql-lite";
import { WEAVIATE_ERROR, WeaviateStub } from "./sync-stubs";

const PROPERTIES = new Map<string, Set<string>>(
  weaviateClassSchema("none").map((c) => [String(c.class), new Set((c.properties as { name: string }[]).map((p) => p.name))]),
);
const ADDITIONAL = new Set(["id", "score", "explainScore", "creationTimeUnix", "lastUpdateTimeUnix"]);

export interface HybridSearch {
  class: string;
  query: string;
  alpha: number | null;
  limit: number | null;
  /** Object ids answered, in order. */
  answered: string[];
}

class GqlError extends Error {}


function words(text: string): string[] {
  return text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((w) => w);
}

export class WeaviateSearchStub extends WeaviateStub {
  /** Every hybrid query answered (one entry per class), in order. */
  readonly searches: HybridSearch[] = [];
  /** Added to an object's score (by object id): puts it where a test wants it, or in at all. */
  readonly boost = new Map<string, number>();

  protected onClearLog(): void {
    super.onClearLog();
    this.searches.length = 0;
  }

  /** Stores an object directly (not through a batch), e.g. one this server never wrote. */
  put(cls: string, id: string, properties: Record<string, unknown>): void {
    this.objects.set(`${cls}/${id.toLowerCase()}`, { class: cls, properties });
  }

  /** The POST /v1/graphql requests received. */
  graphqlRequests(): { auth: string; body: string }[] {
    return this.requests.filter((r) => r.method === "POST" && r.path === "/v1/graphql").map((r) => ({ auth: r.auth, body: r.body }));
  }

  protected async handle(method: string, url: URL, auth: string, body: string, res: ServerResponse): Promise<void> {
    if (url.pathname !== "/v1/graphql") return super.handle(method, url, auth, body, res);
    if (method !== "POST") return this.json(res, 405, { error: [{ message: `method ${method} not allowed` }] });
    const fault = await this.beforeAnswer(res, WEAVIATE_ERROR);
    if (fault === "answered") return;
    if (this.apiKey && auth !== `Bearer ${this.apiKey}`) {
      return this.json(res, 401, { error: [{ message: "anonymous access not enabled, please provide an auth scheme such as OIDC or API key" }] });
    }
    if (fault?.kind === "malformed") return void res.writeHead(200, { "Content-Type": "application/json" }).end('{"data": {"Get": {');
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      return this.json(res, 422, { error: [{ message: "could not parse body: not valid JSON" }] });
    }
    const query = (parsed as { query?: unknown })?.query;
    if (typeof query !== "string") return this.json(res, 422, { error: [{ message: "body must be {\"query\": \"...\"}" }] });
    let fields: GqlField[];
    try {
      fields = parseGraphql(query);
    } catch (e) {
      if (e instanceof GqlSyntaxError) return this.json(res, 200, { data: null, errors: [{ message: e.message, locations: [{ column: e.position + 1, line: 1 }] }] });
      throw e;
    }
    try {
      const get = this.answerGet(fields);
      if (fault?.kind === "wrong-shape") {
        for (const k of Object.keys(get)) get[k] = { objects: get[k] };
      }
      return this.json(res, 200, { data: { Get: get } });
    } catch (e) {
      if (e instanceof GqlError) return this.json(res, 200, { data: null, errors: [{ message: e.message }] });
      throw e;
    }
  }

  private answerGet(fields: GqlField[]): Record<string, unknown> {
    if (fields.length !== 1 || fields[0].name !== "Get" || Object.keys(fields[0].args).length) {
      throw new GqlError(`Cannot query field "${fields.find((f) => f.name !== "Get")?.name ?? "Get"}" on type "WeaviateObj".`);
    }
    const out: Record<string, unknown> = {};
    for (const f of fields[0].selections) {
      const props = PROPERTIES.get(f.name);
      if (!props) throw new GqlError(`Cannot query field "${f.name}" on type "GetObjectsObj".`);
      for (const a of Object.keys(f.args)) {
        if (a !== "hybrid" && a !== "limit") throw new GqlError(`Unknown argument "${a}" on field "${f.name}" of type "GetObjectsObj".`);
      }
      const hybrid = f.args.hybrid as Record<string, GqlValue> | undefined;
      if (!hybrid || typeof hybrid !== "object" || Array.isArray(hybrid)) throw new GqlError(`the stub answers hybrid queries only (${f.name})`);
      if (typeof hybrid.query !== "string") throw new GqlError(`Argument "hybrid" has invalid value: In field "query": Expected type "String".`);
      for (const k of Object.keys(hybrid)) if (k !== "query" && k !== "alpha") throw new GqlError(`In field "${k}": Unknown field.`);
      const alpha = hybrid.alpha === undefined ? null : hybrid.alpha;
      if (alpha !== null && (typeof alpha !== "number" || alpha < 0 || alpha > 1)) throw new GqlError("alpha must be a number from 0 to 1");
      const limit = f.args.limit === undefined ? null : f.args.limit;
      if (limit !== null && (typeof limit !== "number" || !Number.isInteger(limit) || limit < 0)) throw new GqlError(`Argument "limit" has invalid value ${JSON.stringify(limit)}.`);
      for (const s of f.selections) {
        if (s.name === "_additional") {
          for (const x of s.selections) if (!ADDITIONAL.has(x.name)) throw new GqlError(`Cannot query field "${x.name}" on type "${f.name}AdditionalFields".`);
        } else if (!props.has(s.name)) throw new GqlError(`Cannot query field "${s.name}" on type "${f.name}".`);
      }
      const objects = this.rank(f.name, hybrid.query).slice(0, limit ?? 10);
      this.searches.push({ class: f.name, query: hybrid.query, alpha: alpha as number | null, limit: limit as number | null, answered: objects.map((o) => o.id) });
      out[f.alias ?? f.name] = objects.map((o) => {
        const item: Record<string, unknown> = {};
        for (const s of f.selections) {
          if (s.name === "_additional") {
            const extra: Record<string, unknown> = {};
            for (const x of s.selections) extra[x.name] = x.name === "id" ? o.id : x.name === "score" ? String(o.score) : null;
            item._additional = extra;
          } else item[s.name] = o.properties[s.name] ?? null;
        }
        return item;
      });
    }
    return out;
  }

  private rank(cls: string, query: string): { id: string; score: number; properties: Record<string, unknown> }[] {
    const q = [...new Set(words(query))];
    const found: { id: string; score: number; properties: Record<string, unknown> }[] = [];
    for (const [key, o] of this.objects) {
      if (o.class !== cls) continue;
      const id = key.slice(cls.length + 1);
      const text = new Set(words(Object.values(o.properties).filter((v) => typeof v === "string").join(" ")));
      const hit = q.length ? q.filter((w) => text.has(w)).length / q.length : 0;
      const score = hit + (this.boost.get(id) ?? 0);
      if (score > 0) found.push({ id, score, properties: o.properties });
    }
    return found.sort((a, b) => b.score - a.score);
  }
}
