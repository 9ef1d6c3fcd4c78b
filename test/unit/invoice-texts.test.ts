// The invoice pages say every refusal the server can send about an invoice in Polish and English
// (never the server's English sentence), and every flag the invoice reader can raise.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { invoiceErrorKeys } from "../../src/domain/invoiceview";
import * as errorMessages from "../../web/src/lib/messages/errors";
import * as invoiceMessages from "../../web/src/lib/messages/invoices";

const ROOT = join(import.meta.dirname, "../..");

/** Every `code: "..."` a source emits, with its field when that is a literal. */
function emittedCodes(file: string): { field: string; code: string }[] {
  const text = readFileSync(join(ROOT, file), "utf8");
  const out: { field: string; code: string }[] = [];
  for (const m of text.matchAll(/(?:field:\s*("?)(\w+)\1,\s*)?code:\s*"(\w+)"/g)) out.push({ field: m[1] ? m[2] : "", code: m[3] });
  for (const m of text.matchAll(/new ValidationError\("(\w+)"/g)) out.push({ field: "", code: m[1] });
  return out;
}

// What an invoice write can be answered with: the invoice rules, the reading check, the OCR and
// files hooks, the raw type checks, and PocketBase's own schema validation of the fields.
const SOURCES = ["src/domain/invoice-status.ts", "src/domain/ocr-record.ts", "src/domain/validation.ts", "pb_hooks/src/ocr.ts", "pb_hooks/src/files.ts", "pb_hooks/src/pb.ts"];
const POCKETBASE_CODES = [
  { field: "invoiceNumber", code: "validation_max_text_constraint" },
  { field: "sellerName", code: "validation_max_text_constraint" },
  { field: "description", code: "validation_max_text_constraint" },
  { field: "file", code: "validation_invalid_mime_type" },
  { field: "file", code: "validation_file_size_limit" },
  { field: "jobId", code: "validation_missing_rel_records" },
  { field: "totalAmount", code: "validation_min_number_constraint" },
];

describe("invoice pages: every error code has a text", () => {
  const emitted = [...SOURCES.flatMap(emittedCodes), ...POCKETBASE_CODES];

  it("the scan finds the codes (it would pass vacuously if the pattern broke)", () => {
    const codes = new Set(emitted.map((e) => e.code));
    for (const c of ["invalid_transition", "nip_checksum", "required", "invalid_reading", "invalid_number", "forbidden_field"]) expect(codes, c).toContain(c);
  });

  for (const lang of ["pl", "en"] as const) {
    const dict: Record<string, string> = { ...errorMessages[lang], ...invoiceMessages[lang] };
    it.each(emitted.map((e) => [e.field || "(any field)", e.code, e.field] as const))(`${lang}: %s %s`, (_, code, field) => {
      const key = invoiceErrorKeys(field || "someField", code).find((k) => k in dict);
      expect(key, `${field} ${code}`).toBeDefined();
      expect(dict[key!]).toMatch(/\S/);
    });
  }

  it("a refused move is worded by the move tried, before the generic text", () => {
    expect(invoiceErrorKeys("status", "invalid_transition", { from: "pending", to: "paid" })[0]).toBe("invoices.err.move.pending.paid");
    expect(invoiceMessages.pl["invoices.err.move.pending.paid"]).toMatch(/przetworzoną/);
    expect(invoiceErrorKeys("sellerNip", "nip_checksum")).toEqual(["invoices.err.sellerNip.nip_checksum", "invoices.err.nip_checksum", "error.field.nip_checksum"]);
    expect(invoiceErrorKeys("x", "")).toEqual([]);
  });
});

describe("invoice pages: every review flag of the reader has a text", () => {
  const source = readFileSync(join(ROOT, "src/domain/invoice.ts"), "utf8");
  const union = /export type ReviewCode =([^;]*);/.exec(source)?.[1] ?? "";
  const codes = [...union.matchAll(/"(\w+)"/g)].map((m) => m[1]);

  it("the ReviewCode union is found", () => {
    expect(codes).toContain("nip_checksum");
    expect(codes).toContain("rate_sum_mismatch");
  });

  it.each(codes)("%s", (code) => {
    expect(invoiceMessages.pl[`invoices.flag.${code}` as keyof typeof invoiceMessages.pl], code).toMatch(/\S/);
    expect(invoiceMessages.en[`invoices.flag.${code}` as keyof typeof invoiceMessages.en], code).toMatch(/\S/);
  });
});
