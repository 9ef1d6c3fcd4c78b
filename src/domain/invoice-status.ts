// An invoice's review: pending (uploaded, maybe read) -> processed (a person checked the fields)
// -> paid. Which moves are allowed, what an invoice needs before it counts as processed, and the
// checks every edited field gets. Used by the invoices hook (PocketBase's JS VM) and by the
// dashboard to say the same thing before saving.

import type { FieldError } from "./lifecycle";
import { fromMajorUnits } from "./money";
import { checkNip, normalizeNip } from "./nip";
import { checkNrb, normalizeNrb } from "./nrb";
import type { InvoiceColumns, VatBreakdownRow } from "./ocr-record";

export const INVOICE_STATUSES = ["pending", "processed", "paid"] as const;
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];

export type InvoiceRole = "dispatcher" | "manager" | "technician" | "admin";

/** An invoice as the rules see it, after the update was merged. Dates may carry a time part. */
export type InvoiceState = { status: InvoiceStatus; paidAt?: string | null } & { [K in keyof InvoiceColumns]?: InvoiceColumns[K] | null };

export interface InvoiceDecision {
  errors: FieldError[];
  /** Set with the move: processedAt/processedBy on -> processed, paidAt on -> paid, cleared on the way back. */
  effects: { processedAt?: string | null; processedBy?: string | null; paidAt?: string | null };
}

const MAX_AMOUNT = 1e10;

function day(v: unknown): string {
  return typeof v === "string" ? v.slice(0, 10) : "";
}

function str(v: unknown): string {
  return typeof v === "string" ? v.trim() : "";
}

/** The moves a role may make from a status. */
export function allowedInvoiceMoves(from: InvoiceStatus, role: InvoiceRole): InvoiceStatus[] {
  if (role === "technician") return [];
  switch (from) {
    case "pending":
      return ["processed"];
    case "processed":
      return ["pending", "paid"];
    case "paid":
      // Undoing a payment mark is a manager's call (it changes what the books say was paid).
      return role === "manager" || role === "admin" ? ["processed"] : [];
  }
}

/** Checks of single fields, for every write that changes them. */
export function checkInvoiceFields(state: InvoiceState, changed: ReadonlyArray<string>): FieldError[] {
  const errors: FieldError[] = [];
  const touched = (name: string) => changed.indexOf(name) >= 0;
  for (const name of ["sellerNip", "buyerNip"] as const) {
    const v = str(state[name]);
    if (!touched(name) || !v) continue;
    const problem = checkNip(v);
    if (problem === "format") errors.push({ field: name, code: "nip_format", message: `${name} must be a Polish NIP of 10 digits.` });
    else if (problem === "checksum") errors.push({ field: name, code: "nip_checksum", message: `${name} ${normalizeNip(v)} fails the NIP checksum: check the digits.` });
  }
  const account = str(state.bankAccount);
  if (touched("bankAccount") && account) {
    const problem = checkNrb(account);
    if (problem === "format") errors.push({ field: "bankAccount", code: "nrb_format", message: "bankAccount must be a Polish account number (NRB) of 26 digits." });
    else if (problem === "checksum") errors.push({ field: "bankAccount", code: "nrb_checksum", message: `bankAccount ${normalizeNrb(account)} fails the NRB checksum: check the digits.` });
  }
  const currency = str(state.currency);
  if (touched("currency") && currency && !/^[A-Z]{3}$/.test(currency)) {
    errors.push({ field: "currency", code: "currency_format", message: "currency must be a three-letter ISO code such as PLN or EUR." });
  }
  for (const name of ["netAmount", "vatAmount", "grossAmount", "totalAmount"] as const) {
    const v = state[name];
    if (!touched(name) || v === null || v === undefined) continue;
    if (typeof v !== "number" || !Number.isFinite(v) || Math.abs(v) > MAX_AMOUNT) {
      errors.push({ field: name, code: "amount_range", message: `${name} must be an amount below 10 000 000 000.` });
    } else if (Math.abs(Math.round(v * 100) - v * 100) > 1e-6) {
      errors.push({ field: name, code: "amount_precision", message: `${name} must have at most 2 decimal places.` });
    }
  }
  if (touched("vatBreakdown") && state.vatBreakdown !== null && state.vatBreakdown !== undefined) {
    const problem = checkBreakdownShape(state.vatBreakdown);
    if (problem) errors.push({ field: "vatBreakdown", code: "breakdown_format", message: `vatBreakdown: ${problem}` });
  }
  const issue = day(state.issueDate);
  const due = day(state.dueDate);
  if ((touched("dueDate") || touched("issueDate")) && issue && due && due < issue) {
    errors.push({ field: "dueDate", code: "due_before_issue", message: "dueDate cannot be before issueDate." });
  }
  return errors;
}

function checkBreakdownShape(rows: unknown): string | null {
  if (!Array.isArray(rows)) return "must be a list of { rate, net, vat, gross }";
  if (rows.length > 20) return "at most 20 rates";
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i] as Record<string, unknown>;
    if (typeof r !== "object" || r === null || typeof r.rate !== "string" || !r.rate) return `row ${i + 1} needs a rate`;
    for (const part of ["net", "vat", "gross"]) {
      const v = r[part];
      if (v !== null && v !== undefined && (typeof v !== "number" || !Number.isFinite(v) || Math.abs(v) > MAX_AMOUNT)) return `row ${i + 1}: ${part} must be an amount or null`;
    }
  }
  return null;
}

function grosze(v: unknown): number | null {
  return typeof v === "number" ? fromMajorUnits(v) : null;
}

/** What an invoice needs to count as processed: who issued it, when, which number, and sums that add up. */
export function checkProcessable(state: InvoiceState): FieldError[] {
  const errors: FieldError[] = [];
  if (!str(state.invoiceNumber)) errors.push({ field: "invoiceNumber", code: "required", message: "invoiceNumber is needed before the invoice is processed." });
  if (!day(state.issueDate)) errors.push({ field: "issueDate", code: "required", message: "issueDate is needed before the invoice is processed." });
  if (!str(state.sellerName) && !str(state.sellerNip)) errors.push({ field: "sellerName", code: "required", message: "sellerName or sellerNip is needed before the invoice is processed." });
  const total = grosze(state.totalAmount);
  const gross = grosze(state.grossAmount);
  if (!total && !gross) errors.push({ field: "totalAmount", code: "required", message: "totalAmount (the total to pay) is needed before the invoice is processed." });
  const net = grosze(state.netAmount);
  const vat = grosze(state.vatAmount);
  if (net !== null && vat !== null && gross !== null && (net || vat || gross) && net + vat !== gross) {
    errors.push({ field: "grossAmount", code: "totals_mismatch", message: `net ${format(net)} + VAT ${format(vat)} = ${format(net + vat)}, but grossAmount is ${format(gross)}.` });
  }
  const rows = Array.isArray(state.vatBreakdown) ? (state.vatBreakdown as VatBreakdownRow[]) : [];
  const sums = { net: 0, vat: 0, gross: 0 };
  const complete = { net: rows.length > 0, vat: rows.length > 0, gross: rows.length > 0 };
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    const rn = grosze(r.net);
    const rv = grosze(r.vat);
    const rg = grosze(r.gross);
    if (rn !== null && rv !== null && rg !== null && rn + rv !== rg) {
      errors.push({ field: "vatBreakdown", code: "rate_sum_mismatch", message: `At rate ${r.rate}: net ${format(rn)} + VAT ${format(rv)} = ${format(rn + rv)}, but gross is ${format(rg)}.` });
    }
    if (rn === null) complete.net = false; else sums.net += rn;
    if (rv === null) complete.vat = false; else sums.vat += rv;
    if (rg === null) complete.gross = false; else sums.gross += rg;
  }
  const totals = { net, vat, gross };
  for (const part of ["net", "vat", "gross"] as const) {
    const t = totals[part];
    if (complete[part] && t !== null && t !== 0 && sums[part] !== t) {
      errors.push({ field: `${part}Amount`, code: "breakdown_mismatch", message: `The rates' ${part} amounts add up to ${format(sums[part])}, but ${part}Amount is ${format(t)}.` });
    }
  }
  const issue = day(state.issueDate);
  const due = day(state.dueDate);
  if (issue && due && due < issue) errors.push({ field: "dueDate", code: "due_before_issue", message: "dueDate cannot be before issueDate." });
  return errors;
}

function format(g: number): string {
  const sign = g < 0 ? "-" : "";
  const a = Math.abs(g);
  return `${sign}${Math.floor(a / 100)},${String(a % 100).padStart(2, "0")}`;
}

/**
 * The whole decision for a write: field checks, the status move and what it needs, and the
 * effects to set. `before` is null on create. `changed`: the fields the request sets.
 */
export function decideInvoiceChange(
  before: InvoiceState | null,
  after: InvoiceState,
  changed: ReadonlyArray<string>,
  actor: { role: InvoiceRole; id: string },
  nowIso: string,
): InvoiceDecision {
  const errors = checkInvoiceFields(after, changed);
  const effects: InvoiceDecision["effects"] = {};
  const from: InvoiceStatus | null = before ? before.status : null;
  const to = after.status;
  const columnsChanged = changed.some((c) => c !== "status" && c !== "paidAt" && c !== "description" && c !== "jobId" && c !== "contactId" && !/^ocr/.test(c) && c !== "file");

  if (from === null) {
    // A new invoice starts pending: a person has not looked at it yet.
    if (to !== "pending") errors.push({ field: "status", code: "invalid_transition", message: "A new invoice starts as pending; mark it processed after checking its fields." });
    return { errors, effects };
  }
  if (from === "paid" && to === "paid" && columnsChanged) {
    errors.push({ field: "status", code: "invoice_locked", message: "A paid invoice cannot be edited; a manager can move it back to processed first." });
  }
  if (from !== to) {
    if (allowedInvoiceMoves(from, actor.role).indexOf(to) < 0) {
      const message =
        from === "pending" && to === "paid"
          ? "Mark the invoice as processed (fields checked) before marking it paid."
          : from === "paid"
            ? "Only a manager can move a paid invoice back to processed."
            : `An invoice cannot move from ${from} to ${to}.`;
      errors.push({ field: "status", code: "invalid_transition", message });
      return { errors, effects };
    }
    if (to === "processed" && from === "pending") {
      effects.processedAt = nowIso;
      effects.processedBy = actor.id;
    }
    if (to === "pending") {
      effects.processedAt = null;
      effects.processedBy = null;
    }
    if (to === "paid" && !(changed.indexOf("paidAt") >= 0 && day(after.paidAt))) effects.paidAt = nowIso;
    if (from === "paid") effects.paidAt = null;
  }
  // Processed (or paid) means the fields were checked: they must stay complete and add up.
  if ((to === "processed" && (from !== to || columnsChanged)) || (to === "paid" && from === "processed")) {
    const problems = checkProcessable(after);
    for (let i = 0; i < problems.length; i++) {
      if (!errors.some((e) => e.field === problems[i].field && e.code === problems[i].code)) errors.push(problems[i]);
    }
  }
  return { errors, effects };
}
