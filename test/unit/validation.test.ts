import { describe, expect, it } from "vitest";
import { checkRawValues, restrictedFilterProblem } from "../../src/domain/validation";

describe("restrictedFilterProblem (filters technicians may not use)", () => {
  it.each([
    ["status = 'scheduled'", false],
    ["scheduledDate >= '2026-11-24 00:00:00.000Z' && priority = \"urgent\"", false],
    ["technicianId = @request.auth.id", false],
    ["title ~ 'ul. Puławska 1.5'", false],
    ["coordinates.lat > 52.2", true], // json paths also reach into data the rule did not vet
    ["jobId.notes ~ 'klucz'", true],
    ["contactId.jobs_via_contactId.notes ?~ '4711'", true],
    ["jobs_via_contactId:length > 0", true],
    ["@collection.jobs.notes ?~ 'x'", true],
    ["id != '' || jobId.contactId.nip = '5261040828'", true],
    ["-created,jobId.title", true],
    ["", false],
    // Backslashes make the end of a string ambiguous: PocketBase keeps a string open after \\'.
    [`type = 'x\\\\' && type = "' || jobId.contactId.notes ~ '4711' || type = '"'`, true],
    ["title ~ 'it\\'s'", true],
    ["title = 'unterminated", true],
    ["title = \"O'Brien\"", false],
  ])("%s -> %s", (expr, expected) => {
    expect(restrictedFilterProblem(expr) !== null).toBe(expected);
  });
});

describe("checkRawValues", () => {
  const fields = new Map([
    ["estimatedDuration", { name: "estimatedDuration", type: "number", options: { min: 1, max: 10080, noDecimal: true } }],
    ["affluenceScore", { name: "affluenceScore", type: "number", options: { min: 0, max: 100, noDecimal: true } }],
    ["scheduledDate", { name: "scheduledDate", type: "date", options: {} }],
    ["processed", { name: "processed", type: "bool", options: {} }],
    ["title", { name: "title", type: "text", options: {} }],
  ]);
  it.each([
    [{ estimatedDuration: 90 }, []],
    [{ estimatedDuration: "90" }, []],
    [{ estimatedDuration: 0 }, ["estimatedDuration:number_too_small"]],
    [{ estimatedDuration: 100000 }, ["estimatedDuration:number_too_large"]],
    [{ estimatedDuration: 1.5 }, ["estimatedDuration:not_integer"]],
    [{ estimatedDuration: "abc" }, ["estimatedDuration:invalid_number"]],
    [{ affluenceScore: true }, ["affluenceScore:invalid_number"]],
    [{ affluenceScore: "" }, []],
    [{ scheduledDate: "2026-11-24 10:00:00.000Z" }, []],
    [{ scheduledDate: "2026-11-24T10:00:00+01:00" }, []],
    [{ scheduledDate: "jutro rano" }, ["scheduledDate:invalid_date"]],
    [{ scheduledDate: 1732400000 }, ["scheduledDate:invalid_date"]],
    [{ processed: "true" }, []],
    [{ processed: "maybe" }, ["processed:invalid_bool"]],
    [{ title: 42, unknown: "x" }, []],
  ])("%j -> %j", (data, expected) => {
    expect(checkRawValues(fields, data as Record<string, unknown>).errors.map((e) => `${e.field}:${e.code}`)).toEqual(expected);
  });
});

describe("checkRawValues dates", () => {
  const fields = new Map([["scheduledDate", { name: "scheduledDate", type: "date", options: {} }]]);
  it.each([
    ["2026-12-01T10:00Z", "2026-12-01 10:00:00.000Z"],
    ["2026-12-01 11:30", "2026-12-01 11:30:00.000Z"],
    ["2026-12-01T10:00:00+01:00", "2026-12-01 09:00:00.000Z"],
  ])("%s is handed to PocketBase as %s", (input, stored) => {
    expect(checkRawValues(fields, { scheduledDate: input })).toEqual({ errors: [], dates: { scheduledDate: stored } });
  });
});
