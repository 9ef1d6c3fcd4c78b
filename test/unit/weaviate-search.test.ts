// Search through Weaviate (src/domain/weaviate-search.ts): the GraphQL document (escaping: no query
// text can break out of its string), and strict reading of every shape of answer.
import { describe, expect, it } from "vitest";
import { weaviateId } from "../../src/domain/uuid";
import {
  candidatesPerClass, graphqlString, hybridDocument, hybridQueryText, hybridRequestBody, MAX_CANDIDATES_PER_CLASS, noAnswerReason,
  ownObject, parseHybridAnswer, parseScore, readHybridAnswer, WeaviateSearchError,
} from "../../src/domain/weaviate-search";
import type { WeaviateCollection } from "../../src/domain/weaviate";
import { GqlSyntaxError, parseGraphql, type GqlField } from "../helpers/graphql-lite";

const ALL: WeaviateCollection[] = ["jobs", "contacts", "invoices", "equipment_photos"];

/** The string a GraphQL parser reads back from graphqlString(text). */
const roundTrip = (text: string) => {
  const [f] = parseGraphql(`{f(q:${graphqlString(text)})}`);
  return f.args.q;
};

describe("graphqlString", () => {
  it.each([
    ["plain", "kocioł gazowy"],
    ["quotes", 'say "hi"'],
    ["backslashes", "C:\\path\\ and \\\" and a trailing \\"],
    ["newlines and tabs", "line1\nline2\r\nline3\tend"],
    ["other control characters", "a\u0000b\u0007c\u001fd\u007fe\b\f"],
    ["closing braces and parentheses", "x}) { pbId } } } {Get{HvacJob{pbId}}} #"],
    ["an injection attempt", 'x"},limit:10000){pbId _additional{vector}}} #'],
    ["Polish letters and other scripts", "Żółć ĄĘŁŃ łódź 東京 Ελλάδα"],
    ["characters outside the BMP", "pompa 🔥 ciepła 𝔸"],
    ["line and paragraph separators", "a\u2028b\u2029c"],
    ["escape look-alikes", "\\u0041 \\n \\\\u0022"],
    ["empty", ""],
  ])("%s: parses back to exactly the text", (_, text) => {
    expect(roundTrip(text)).toBe(text);
  });

  it("is one string token: the output has no raw quote, line break or control character inside", () => {
    const s = graphqlString('a"b\\c\nd\u0001e');
    expect(s.slice(1, -1)).not.toMatch(/(^|[^\\])"|[\u0000-\u001f]/);
    expect(s).toBe('"a\\"b\\\\c\\nd\\u0001e"');
  });

  it("replaces lone surrogates (not encodable as UTF-8) with U+FFFD", () => {
    expect(roundTrip("a\ud800b")).toBe("a\ufffdb");
    expect(roundTrip("a\udc00")).toBe("a\ufffd");
    expect(roundTrip("\ud83d")).toBe("\ufffd");
  });

  it("a naive quote would break the document (the parser the tests use does catch it)", () => {
    expect(() => parseGraphql(`{f(q:"a"b")}`)).toThrow(GqlSyntaxError);
    expect(() => parseGraphql(`{f(q:"a\nb")}`)).toThrow(/Unterminated string/);
    expect(() => parseGraphql(`{f(q:"a\\qb")}`)).toThrow(/escape/);
  });
});

describe("hybridDocument", () => {
  const get = (doc: string): GqlField[] => {
    const top = parseGraphql(doc);
    expect(top.map((f) => f.name)).toEqual(["Get"]);
    return top[0].selections;
  };

  it("one Get with a hybrid query per class, the record id, the object id and score", () => {
    const classes = get(hybridDocument("kocioł Vaillant", ALL, 40));
    expect(classes.map((c) => c.name)).toEqual(["HvacJob", "HvacContact", "HvacInvoice", "HvacEquipmentPhoto"]);
    for (const c of classes) {
      expect(c.args).toEqual({ hybrid: { query: "kocioł Vaillant", alpha: 0.5 }, limit: 40 });
      expect(c.selections.map((s) => s.name)).toEqual(["pbId", "_additional"]);
      expect(c.selections[1].selections.map((s) => s.name)).toEqual(["id", "score"]);
    }
    expect(get(hybridDocument("x", ["invoices"], 3)).map((c) => c.name)).toEqual(["HvacInvoice"]);
  });

  it("whatever the text, the document keeps its shape and the query is the text (whitespace collapsed)", () => {
    const nasty = '  a"}) {pbId} }\n} # \\"\t{Get{HvacUser(limit:9999){pbId}}}  ';
    const classes = get(hybridDocument(nasty, ["jobs", "contacts"], 5));
    expect(classes.map((c) => [c.name, c.args.limit])).toEqual([["HvacJob", 5], ["HvacContact", 5]]);
    expect((classes[0].args.hybrid as { query: string }).query).toBe(hybridQueryText(nasty));
    expect(hybridQueryText(nasty)).toBe('a"}) {pbId} } } # \\" {Get{HvacUser(limit:9999){pbId}}}');
  });

  it("the request body is JSON {query}; limits are whole numbers of at least 1", () => {
    const body = JSON.parse(hybridRequestBody("ab", ["jobs"], 2.7));
    expect(Object.keys(body)).toEqual(["query"]);
    expect(get(body.query)[0].args.limit).toBe(2);
    expect(get(hybridDocument("ab", ["jobs"], 0))[0].args.limit).toBe(1);
    expect(() => hybridDocument("ab", ["equipment" as WeaviateCollection], 1)).toThrow(RangeError);
  });

  it("long texts are cut to the search's 200 characters", () => {
    expect(hybridQueryText("x".repeat(500))).toHaveLength(200);
  });
});

describe("candidatesPerClass", () => {
  it("staff: twice the limit; others: a wider window, filtered afterwards", () => {
    expect(candidatesPerClass(20, true)).toBe(40);
    expect(candidatesPerClass(20, false)).toBe(MAX_CANDIDATES_PER_CLASS);
    expect(candidatesPerClass(0, true)).toBe(2);
    expect(candidatesPerClass(1000, true)).toBe(100);
  });
});

// ---------------------------------------------------------------- answers

const obj = (collection: WeaviateCollection, pbId: string, score: unknown) => ({ pbId, _additional: { id: weaviateId(collection, pbId), score } });

const answer = (get: Record<string, unknown>) => ({ data: { Get: get } });

describe("parseHybridAnswer", () => {
  it("maps objects back to records, best score first; within a class Weaviate's order on equal scores", () => {
    const a = parseHybridAnswer(answer({
      HvacJob: [obj("jobs", "j2", "0.5"), obj("jobs", "j1", "0.9"), obj("jobs", "j3", "0.5")],
      HvacContact: [obj("contacts", "c1", "0.7"), obj("contacts", "c2", 0.5)],
    }), ["jobs", "contacts"]);
    expect(a.hits.map((h) => `${h.collection}/${h.id}`)).toEqual(["jobs/j1", "contacts/c1", "jobs/j2", "jobs/j3", "contacts/c2"]);
    expect(a.hits[0].score).toBe(0.9);
    expect(a.dropped).toBe(0);
  });

  it("accepts upper-case UUIDs and numeric scores; an empty class is no hit", () => {
    const o = obj("jobs", "j1", 1);
    o._additional.id = o._additional.id.toUpperCase();
    expect(parseHybridAnswer(answer({ HvacJob: [o], HvacInvoice: [] }), ["jobs", "invoices"]).hits).toEqual([{ collection: "jobs", id: "j1", score: 1, uuid: weaviateId("jobs", "j1") }]);
    expect(parseHybridAnswer(answer({ HvacJob: [] }), ["jobs"]).hits).toEqual([]);
  });

  it.each([
    ["an id that is no UUID", { pbId: "j9", _additional: { id: "j9", score: "0.9" } }, /_additional.id: expected a version 5 UUID, got "j9"/],
    ["a version 4 UUID (an object sent without id: not ours)", { pbId: "j9", _additional: { id: "0b3c8f6e-2a41-4d7e-9f1a-6c5d4e3b2a19", score: "0.9" } }, /expected a version 5 UUID/],
    ["a UUID of another variant", { pbId: "j9", _additional: { id: "0b3c8f6e-2a41-5d7e-cf1a-6c5d4e3b2a19", score: "0.9" } }, /expected a version 5 UUID/],
    ["no pbId (objects written before the property existed)", { _additional: { id: weaviateId("jobs", "j9"), score: "0.9" } }, /pbId: expected a record id, got nothing/],
    ["a pbId that is no id", { pbId: "j9' OR 1=1", _additional: { id: weaviateId("jobs", "j9' OR 1=1"), score: "0.9" } }, /pbId: expected a record id/],
    ["a pbId that is a number", { pbId: 5, _additional: { id: weaviateId("jobs", "5"), score: "0.9" } }, /pbId/],
    ["no _additional", { pbId: "j9" }, /_additional: expected an object/],
    ["a garbage score", obj("jobs", "j9", "high"), /score: expected a number, got "high"/],
    ["an empty score", obj("jobs", "j9", ""), /score/],
    ["a null score", obj("jobs", "j9", null), /score/],
    ["an infinite score", obj("jobs", "j9", "1e999"), /score/],
    ["NaN", obj("jobs", "j9", "NaN"), /score/],
    ["not an object", "j9", /expected an object/],
    ["null", null, /expected an object, got null/],
  ])("drops %s and counts it", (_, bad, why) => {
    const a = parseHybridAnswer(answer({ HvacJob: [obj("jobs", "j1", "0.4"), bad] }), ["jobs"]);
    expect(a.hits.map((h) => h.id)).toEqual(["j1"]);
    expect(a.dropped).toBe(1);
    expect(a.firstDropped).toMatch(why);
  });

  it("drops a record named twice, keeping its first (best) place", () => {
    const a = parseHybridAnswer(answer({ HvacJob: [obj("jobs", "j1", "0.9"), obj("jobs", "j1", "0.8")] }), ["jobs"]);
    expect(a.hits).toEqual([{ collection: "jobs", id: "j1", score: 0.9, uuid: weaviateId("jobs", "j1") }]);
    expect(a.dropped).toBe(1);
  });

  it("fails when every object is unusable (e.g. a schema without pbId): FTS5 answers then", () => {
    expect(() => parseHybridAnswer(answer({ HvacJob: [{ _additional: { id: weaviateId("jobs", "a"), score: "1" } }] }), ["jobs"]))
      .toThrow(/none of the 1 objects is usable \(data.Get.HvacJob\[0\].pbId/);
  });

  it.each([
    ["errors[] with HTTP 200", { errors: [{ message: "explorer: get class: vectorize params: could not vectorize" }], data: { Get: { HvacJob: null } } }, "errors", /could not vectorize/],
    ["errors[] beside partial data", { errors: [{ message: "class HvacInvoice not found" }], data: { Get: { HvacJob: [obj("jobs", "j1", "1")], HvacInvoice: null } } }, "errors", /HvacInvoice not found/],
    ["errors[] without messages", { errors: [{ code: 1 }] }, "errors", /\{"code":1\}/],
    ["errors that are not a list", { errors: "boom", data: { Get: {} } }, "malformed", /errors: expected an array/],
    ["no data", {}, "malformed", /data: expected an object, got nothing/],
    ["data null", { data: null }, "malformed", /data: expected an object, got null/],
    ["no Get", { data: {} }, "malformed", /data.Get: expected an object/],
    ["a class asked for missing", { data: { Get: { HvacContact: [] } } }, "malformed", /data.Get.HvacJob: expected a list, got nothing/],
    ["a class that is not a list", { data: { Get: { HvacJob: { pbId: "j1" } } } }, "malformed", /HvacJob: expected a list, got an object/],
    ["a class that is null", { data: { Get: { HvacJob: null } } }, "malformed", /got null/],
    ["an array", [], "malformed", /expected a JSON object, got an array/],
    ["a string", "ok", "malformed", /expected a JSON object/],
    ["null", null, "malformed", /got null/],
  ])("fails on %s", (_, body, kind, why) => {
    let err: unknown;
    try {
      parseHybridAnswer(body, ["jobs"]);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(WeaviateSearchError);
    expect((err as WeaviateSearchError).kind).toBe(kind);
    expect((err as Error).message).toMatch(why);
  });

  it("empty errors[] is no error", () => {
    expect(parseHybridAnswer({ errors: [], data: { Get: { HvacJob: [obj("jobs", "j1", "1")] } } }, ["jobs"]).hits).toHaveLength(1);
  });
});

describe("ownObject", () => {
  it("a hit is shown only when its object id is the one this server writes for the record", () => {
    const a = parseHybridAnswer(answer({
      HvacJob: [
        obj("jobs", "j1", "0.9"),
        { pbId: "j2", _additional: { id: weaviateId("jobs", "j8"), score: "0.8" } }, // another record's id
        { pbId: "j3", _additional: { id: weaviateId("contacts", "j3"), score: "0.7" } }, // the same id in another class
      ],
    }), ["jobs"]);
    expect(a.hits.map((h) => [h.id, ownObject(h)])).toEqual([["j1", true], ["j2", false], ["j3", false]]);
    expect(ownObject({ collection: "jobs", id: "j1", uuid: weaviateId("jobs", "j1").toUpperCase() })).toBe(true);
  });
});

describe("parseScore", () => {
  it("reads Weaviate's string scores and plain numbers, nothing else", () => {
    expect(["0.016393442", "1", "-0.5", "1e-3", " 0.5 ", ".5", 0.25].map(parseScore)).toEqual([0.016393442, 1, -0.5, 0.001, 0.5, 0.5, 0.25]);
    expect(["", "0x10", "1,5", "Infinity", "abc", "1e999", Number.NaN, true, null, {}, []].map(parseScore)).toEqual(Array(11).fill(null));
  });
});

describe("readHybridAnswer", () => {
  const ok = JSON.stringify(answer({ HvacJob: [obj("jobs", "j1", "0.9")] }));

  it("a usable answer gives the hits", () => {
    expect(readHybridAnswer(200, ok, ["jobs"])).toEqual({ hits: [{ collection: "jobs", id: "j1", score: 0.9, uuid: weaviateId("jobs", "j1") }], dropped: 0 });
  });

  it.each([
    [401, '{"error":[{"message":"anonymous access not enabled, please provide an auth scheme such as OIDC or API key"}]}', /^http 401: anonymous access not enabled/],
    [500, '{"error":[{"message":"boom"},{"message":"again"}]}', /^http 500: boom; again$/],
    [503, "<html>Service Unavailable</html>", /^http 503: <html>Service Unavailable<\/html>$/],
    [502, "", /^http 502$/],
    [422, '{"message":"bad query"}', /^http 422: bad query$/],
    [200, "{not json", /^malformed: not JSON: \{not json$/],
    [200, "", /^malformed: not JSON: \(empty\)$/],
    [200, '{"data":{"Get":{"HvacJob":"x"}}}', /^malformed: data.Get.HvacJob: expected a list/],
    [200, '{"errors":[{"message":"Cannot query field \\"pbId\\" on type \\"HvacJob\\"."}],"data":null}', /^errors: Cannot query field "pbId"/],
  ])("HTTP %i %s: the reason FTS5 answers", (status, raw, why) => {
    const r = readHybridAnswer(status, raw, ["jobs"]);
    expect(r).toEqual({ failed: expect.stringMatching(why) });
  });

  it("never shows Weaviate's address in a reason", () => {
    const r = readHybridAnswer(503, '{"error":[{"message":"proxy http://10.0.0.5:8080/v1/graphql failed"}]}', ["jobs"]);
    expect(r).toEqual({ failed: "http 503: proxy Weaviate failed" });
  });
});

describe("noAnswerReason", () => {
  it("tells a timeout (paused afterwards) from an unreachable server, without the address", () => {
    expect(noAnswerReason('Post "http://127.0.0.1:9/v1/graphql": context deadline exceeded (Client.Timeout exceeded while awaiting headers)', 2))
      .toEqual({ reason: "timeout: no answer within 2 s", timeout: true });
    expect(noAnswerReason('Post "http://127.0.0.1:9/v1/graphql": dial tcp 127.0.0.1:9: connect: connection refused', 2))
      .toEqual({ reason: "unreachable: connection refused", timeout: false });
    expect(noAnswerReason('Post "https://w.example:8080/v1/graphql": dial tcp: lookup w.example on 127.0.0.53:53: no such host', 2).reason)
      .toBe("unreachable: host not found");
    expect(noAnswerReason('Post "https://w.example/v1/graphql": tls: failed to verify certificate: x509: ...', 2).reason).toBe("unreachable: TLS error");
    expect(noAnswerReason('Post "http://10.1.2.3:8080/v1/graphql": read tcp 10.1.2.4:5000->10.1.2.3:8080: broken pipe', 2).reason)
      .toBe("unreachable: Post Weaviate: read tcp Weaviate->Weaviate: broken pipe");
    expect(noAnswerReason("", 1)).toEqual({ reason: "unreachable: no answer", timeout: false });
  });
});
