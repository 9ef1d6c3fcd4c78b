import { describe, expect, it } from "vitest";
import { groupHits, hitHref, snippetParts, type SearchItem } from "../../src/domain/searchview";

const item = (type: SearchItem["type"], id: string, details: Record<string, unknown> = {}): SearchItem => ({ type, id, title: id, snippet: { text: "", marks: [] }, details });

describe("searchview", () => {
  it("links each hit to its page; a photo to its job", () => {
    expect(hitHref(item("jobs", "j1"))).toBe("/jobs/j1");
    expect(hitHref(item("contacts", "c1"))).toBe("/contacts/c1");
    expect(hitHref(item("invoices", "i1"))).toBe("/invoices/i1");
    expect(hitHref(item("photos", "p1", { jobId: "j9" }))).toBe("/jobs/j9");
    expect(hitHref(item("photos", "p1", {}))).toBeNull();
  });

  it("cuts the snippet into marked and plain parts, ignoring bad ranges", () => {
    expect(snippetParts({ text: "Wymiana kotła, kocioł", marks: [[8, 11], [15, 21]] })).toEqual([
      { text: "Wymiana ", mark: false }, { text: "kot", mark: true }, { text: "ła, ", mark: false }, { text: "kocioł", mark: true },
    ]);
    expect(snippetParts({ text: "abc", marks: [[2, 1], [0, 9], [1, 2], [1, 3]] as Array<[number, number]> })).toEqual([
      { text: "a", mark: false }, { text: "b", mark: true }, { text: "c", mark: false },
    ]);
    expect(snippetParts(null)).toEqual([]);
  });

  it("groups by type in a fixed order, keeping the rank order within", () => {
    const g = groupHits([item("contacts", "c1"), item("jobs", "j1"), item("contacts", "c2")]);
    expect(g.map((x) => [x.type, x.items.map((i) => i.id)])).toEqual([["jobs", ["j1"]], ["contacts", ["c1", "c2"]]]);
  });
});
