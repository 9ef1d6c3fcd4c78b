// What the office server sends to Weaviate (src/domain/weaviate.ts): classes, object ids and
// properties, class definitions, and strict reading of the batch answer.
import { describe, expect, it } from "vitest";
import { SyncFormatError } from "../../src/domain/sync";
import { weaviateId } from "../../src/domain/uuid";
import {
  parseWeaviateBatchResponse, rfc3339, weaviateClassOf, weaviateClassSchema, weaviateDeleteDone, weaviateObject, weaviateObjectPath,
  WEAVIATE_TEXT_CHARS,
} from "../../src/domain/weaviate";

const base = { collectionId: "x", collectionName: "x", created: "2026-11-24 09:00:00.000Z", updated: "2026-11-24 10:00:00.123Z" };

describe("classes and ids", () => {
  it("one class per searched collection; equipment has none", () => {
    expect(["jobs", "contacts", "invoices", "equipment_photos", "equipment", "users", "toString"].map(weaviateClassOf)).toEqual([
      "HvacJob", "HvacContact", "HvacInvoice", "HvacEquipmentPhoto", null, null, null,
    ]);
  });

  it("object ids are the contract's UUIDv5 of pb:<collection>:<id>", () => {
    expect(weaviateObject("jobs", "k3x9q2m7w1z8b4n", { ...base, id: "k3x9q2m7w1z8b4n" })!.id).toBe(weaviateId("jobs", "k3x9q2m7w1z8b4n"));
    expect(weaviateObjectPath("contacts", "abc")).toBe(`/v1/objects/HvacContact/${weaviateId("contacts", "abc")}`);
    expect(weaviateObjectPath("equipment", "abc")).toBeNull();
    expect(weaviateObject("equipment", "abc", { id: "abc" })).toBeNull();
  });
});

describe("weaviateObject", () => {
  it("a job: its text and codes, dates as RFC 3339, empty dates left out, local fields not sent", () => {
    const o = weaviateObject("jobs", "j1", {
      ...base, id: "j1", title: "Wymiana kotła", description: "Kocioł cieknie", notes: "", status: "scheduled", priority: "high", type: "repair",
      contactId: "c1", technicianId: "", equipmentId: "", scheduledDate: "2026-11-25 08:00:00.000Z", completedDate: "", writeLock: "x", coordinates: { lat: 1 },
    });
    expect(o).toEqual({
      class: "HvacJob",
      id: weaviateId("jobs", "j1"),
      properties: {
        pbId: "j1", updated: "2026-11-24T10:00:00.123Z", title: "Wymiana kotła", description: "Kocioł cieknie", notes: "", status: "scheduled",
        priority: "high", type: "repair", contactId: "c1", technicianId: "", equipmentId: "", scheduledDate: "2026-11-25T08:00:00.000Z",
      },
    });
  });

  it("an invoice: the read text (cut), amounts as numbers, JSON given as object or text", () => {
    const long = "słowo ".repeat(10_000);
    const o = weaviateObject("invoices", "i1", { ...base, id: "i1", invoiceNumber: "FV/1", ocrData: { text: long }, grossAmount: 1230.5, totalAmount: 0, status: "pending", issueDate: "" })!;
    expect(o.properties.text).toBe(long.slice(0, WEAVIATE_TEXT_CHARS));
    expect(o.properties).toMatchObject({ invoiceNumber: "FV/1", grossAmount: 1230.5, totalAmount: 0, status: "pending" });
    expect(o.properties).not.toHaveProperty("issueDate");
    expect(weaviateObject("invoices", "i1", { id: "i1", ocrData: '{"text":"z tekstu"}' })!.properties.text).toBe("z tekstu");
    expect(weaviateObject("invoices", "i1", { id: "i1", ocrData: "{broken", grossAmount: "" })!.properties).toEqual({ pbId: "i1" });
  });

  it("a photo: the nameplate fields read from aiAnalysis", () => {
    const o = weaviateObject("equipment_photos", "p1", {
      id: "p1", filename: "tabliczka.jpg", aiAnalysis: { fields: { manufacturer: { value: "Daikin" }, model: { value: "FTXM35R" }, serialNumber: { value: 123 }, refrigerant: null } },
    })!;
    expect(o.properties).toEqual({ pbId: "p1", filename: "tabliczka.jpg", manufacturer: "Daikin", model: "FTXM35R", serialNumber: "123" });
  });

  it("the id given wins over a record without one", () => {
    expect(weaviateObject("contacts", "c9", { name: "Jan" })!.properties).toEqual({ pbId: "c9", name: "Jan" });
  });

  it.each([
    ["2026-11-24 10:00:00.000Z", "2026-11-24T10:00:00.000Z"],
    ["2026-11-24T10:00:00+01:00", "2026-11-24T10:00:00+01:00"],
    ["2026-11-24", null],
    ["", null],
    [42, null],
  ])("rfc3339(%j)", (input, out) => {
    expect(rfc3339(input)).toBe(out);
  });
});

describe("weaviateClassSchema", () => {
  it("every class with its properties; ids and codes matched whole and not vectorized", () => {
    const classes = weaviateClassSchema("text2vec-transformers");
    expect(classes.map((c) => c.class)).toEqual(["HvacJob", "HvacContact", "HvacInvoice", "HvacEquipmentPhoto"]);
    const job = classes[0] as { vectorizer: string; properties: { name: string; dataType: string[]; tokenization?: string; moduleConfig?: unknown }[] };
    expect(job.vectorizer).toBe("text2vec-transformers");
    expect(job.properties.find((p) => p.name === "pbId")).toEqual({ name: "pbId", dataType: ["text"], tokenization: "field", moduleConfig: { "text2vec-transformers": { skip: true } } });
    expect(job.properties.find((p) => p.name === "title")).toEqual({ name: "title", dataType: ["text"], tokenization: "word" });
    expect(job.properties.find((p) => p.name === "scheduledDate")).toMatchObject({ dataType: ["date"] });
    // Every property an object can carry is defined in its class.
    const o = weaviateObject("jobs", "j", { id: "j", updated: base.updated, title: "t", scheduledDate: base.updated, completedDate: base.updated, status: "s" })!;
    for (const k of Object.keys(o.properties)) expect(job.properties.map((p) => p.name)).toContain(k);
  });

  it("vectorizer none: no module settings", () => {
    expect(JSON.stringify(weaviateClassSchema("none"))).not.toContain("moduleConfig");
  });
});

describe("parseWeaviateBatchResponse", () => {
  const sent = [{ id: weaviateId("jobs", "a") }, { id: weaviateId("jobs", "b") }];

  it("null per stored object, the messages per refused one", () => {
    const body = [
      { class: "HvacJob", id: sent[0].id, result: {} },
      { class: "HvacJob", id: sent[1].id.toUpperCase(), result: { errors: { error: [{ message: "invalid date" }, { message: "second" }] } } },
    ];
    expect(parseWeaviateBatchResponse(body, sent)).toEqual([null, "invalid date; second"]);
    expect(parseWeaviateBatchResponse([{ result: { status: "SUCCESS" } }, { id: sent[1].id, result: { errors: { error: [] } } }], sent)).toEqual([null, null]);
    expect(parseWeaviateBatchResponse([{}, { result: { errors: { error: [{ code: 1 }] } } }], sent)).toEqual([null, '{"code":1}']);
  });

  it.each([
    ["not an array", { objects: [] }, "answer: expected an array"],
    ["an entry missing", [{}], "answer: expected 2 entries (one per object sent), got 1"],
    ["an entry that is not an object", [{}, "x"], "answer[1]: expected an object"],
    ["another object's id", [{ id: sent[1].id }, { id: sent[0].id }], `answer[0].id: expected "${sent[0].id}"`],
    ["a result that is not an object", [{}, { result: "ok" }], "answer[1].result: expected an object"],
    ["errors that are not an object", [{}, { result: { errors: [] } }], "answer[1].result.errors: expected an object"],
    ["an error list that is not a list", [{}, { result: { errors: { error: "bad" } } }], "answer[1].result.errors.error: expected an array"],
  ])("%s is a SyncFormatError", (_, body, message) => {
    let thrown: unknown;
    try {
      parseWeaviateBatchResponse(body, sent);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(SyncFormatError);
    expect((thrown as Error).message).toContain(message);
  });

  it("DELETE: 204 and 200 done, 404 already gone, the rest not", () => {
    expect([204, 200, 404, 401, 422, 500, 0].map(weaviateDeleteDone)).toEqual([true, true, true, false, false, false, false]);
  });
});
