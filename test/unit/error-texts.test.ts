// Failed requests in the user's language: the HTTP status -> failure code -> text mapping, the
// shape describeError gives the UI, and that every error code the server can send about a job has
// a Polish and an English text on the job page (so no English server sentence reaches the user).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ClientResponseError, describeError } from "../../src/client";
import { FAILURE_CODES, failureCode, failureKey } from "../../src/domain/failure";
import { localizedFieldErrors } from "../../src/domain/jobview";
import * as errorMessages from "../../web/src/lib/messages/errors";
import * as jobpageMessages from "../../web/src/lib/messages/jobpage";

const ROOT = join(import.meta.dirname, "../..");

describe("failureCode / failureKey", () => {
  it.each<[number, string]>([
    [0, "network"],
    [400, "invalid"],
    [422, "invalid"],
    [401, "session"],
    [403, "forbidden"],
    [404, "not_found"],
    [409, "conflict"],
    [413, "too_large"],
    [429, "rate_limited"],
    [500, "server"],
    [502, "server"],
    [503, "server"],
    [599, "server"],
    [418, "unknown"],
    [302, "unknown"],
    [600, "unknown"],
  ])("%i -> %s", (status, code) => {
    expect(failureCode(status)).toBe(code);
    expect(failureKey(failureCode(status))).toBe(`error.${code}`);
  });

  it.each(["pl", "en"] as const)("every failure code has a %s text", (lang) => {
    const dict = errorMessages[lang] as Record<string, string>;
    for (const code of FAILURE_CODES) expect(dict[failureKey(code)], failureKey(code)).toMatch(/\S/);
  });

  it("the Polish and English texts differ (the English file is not a copy)", () => {
    for (const code of FAILURE_CODES) expect(errorMessages.en[failureKey(code) as keyof typeof errorMessages.en]).not.toBe(errorMessages.pl[failureKey(code) as keyof typeof errorMessages.pl]);
  });
});

describe("describeError", () => {
  it("no answer (status 0) is the code network, with the cause as a language-neutral detail", () => {
    const f = describeError(new ClientResponseError(new TypeError("Failed to fetch")));
    expect(f).toEqual({ status: 0, code: "network", message: "Failed to fetch", fields: {} });
  });

  it("a server error keeps the server's sentence as the detail and its status as the code", () => {
    const f = describeError(new ClientResponseError({ status: 503, response: { code: 503, message: "Service unavailable.", data: {} } }));
    expect(f).toEqual({ status: 503, code: "server", message: "Service unavailable.", fields: {} });
  });

  it("a refused upload (413) is too_large", () => {
    expect(describeError(new ClientResponseError({ status: 413, response: { message: "Request Entity Too Large" } })).code).toBe("too_large");
  });

  it("field messages are collected", () => {
    const f = describeError(new ClientResponseError({
      status: 400,
      response: { message: "Failed.", data: { file: { code: "validation_file_size_limit", message: "Too big." }, junk: "x" } },
    }));
    expect(f.code).toBe("invalid");
    expect(f.fields).toEqual({ file: "Too big." });
  });

  it("something that was not a request (a bug) is unknown, not a lost connection", () => {
    expect(describeError(new Error("boom"))).toEqual({ status: 0, code: "unknown", message: "boom", fields: {} });
    expect(describeError("text").code).toBe("unknown");
  });
});

// ---------------------------------------------------------------- the job page's field texts

/** Every `code: "..."` the server sources emit (with the field when it is a literal). */
function emittedCodes(file: string): { field: string; code: string }[] {
  const text = readFileSync(join(ROOT, file), "utf8");
  const out: { field: string; code: string }[] = [];
  for (const m of text.matchAll(/(?:field:\s*("?)(\w+)\1,\s*)?code:\s*"(\w+)"/g)) {
    out.push({ field: m[1] ? m[2] : "", code: m[3] });
  }
  for (const m of text.matchAll(/new ValidationError\("(\w+)"/g)) out.push({ field: "", code: m[1] });
  return out;
}

// What a job write (the job page's save and status buttons, the phone's notes and buttons) can be
// answered with: the jobs hook and the domain checks it runs...
const HOOK_SOURCES = [
  "pb_hooks/src/jobs.ts",
  "pb_hooks/src/pb.ts", // forbidFields: forbidden_field
  "src/domain/lifecycle.ts",
  "src/domain/validation.ts", // checkRawValues (via guards.checkRawTypes)
  "src/domain/geo.ts", // parseLatLng for coordinates
];
// ...and PocketBase's own schema validation of the jobs fields (it runs before the hooks): text max
// length, select values, relations, number min/max/integer, the JSON size.
const POCKETBASE_CODES: { field: string; code: string }[] = [
  { field: "title", code: "validation_required" },
  { field: "contactId", code: "validation_required" },
  { field: "type", code: "validation_required" },
  { field: "title", code: "validation_max_text_constraint" },
  { field: "notes", code: "validation_max_text_constraint" },
  { field: "type", code: "validation_invalid_value" },
  { field: "status", code: "validation_invalid_value" },
  { field: "priority", code: "validation_invalid_value" },
  { field: "technicianId", code: "validation_missing_rel_records" },
  { field: "contactId", code: "validation_missing_rel_records" },
  { field: "estimatedDuration", code: "validation_min_number_constraint" },
  { field: "estimatedDuration", code: "validation_max_number_constraint" },
  { field: "actualDuration", code: "validation_max_number_constraint" },
  { field: "actualDuration", code: "validation_no_decimal_constraint" },
  { field: "coordinates", code: "validation_invalid_json" },
  { field: "coordinates", code: "validation_json_size_limit" },
];

describe("job page: every error code the server can send has a text", () => {
  const emitted = [...HOOK_SOURCES.flatMap(emittedCodes), ...POCKETBASE_CODES];

  it("the source scan finds the codes (it would pass vacuously if the pattern broke)", () => {
    const codes = new Set(emitted.map((e) => e.code));
    for (const c of ["invalid_transition", "technician_move", "forbidden_field", "number_too_small", "number_too_large", "set_by_lifecycle", "outside_service_area"]) {
      expect(codes, c).toContain(c);
    }
    expect(emitted).toContainEqual({ field: "status", code: "technician_move" });
  });

  for (const lang of ["pl", "en"] as const) {
    const dict = jobpageMessages[lang] as Record<string, string>;
    const tr = (k: string) => dict[k] ?? k;
    it.each(emitted.map((e) => [e.field || "(any field)", e.code, e.field] as const))(`${lang}: %s %s`, (_, code, field) => {
      const server = "The server's English sentence.";
      const shown = localizedFieldErrors({ [field || "someField"]: { code, message: server } }, "jobpage.err", tr);
      expect(Object.values(shown)[0]).not.toBe(server);
      expect(Object.values(shown)[0]).toMatch(/\S/);
    });
  }
});

describe("localizedFieldErrors with a fallback text", () => {
  it("an unknown code shows the fallback, not the server's English", () => {
    const data = { x: { code: "brand_new_code", message: "English." }, y: { code: "known", message: "English." } };
    const tr = (k: string) => (k === "p.known" ? "Znany." : k);
    expect(localizedFieldErrors(data, "p", tr, "Nieprawidłowa wartość.")).toEqual({ x: "Nieprawidłowa wartość.", y: "Znany." });
  });
});
