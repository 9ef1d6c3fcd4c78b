// invoices: the review moves (pending -> processed -> paid) and the checks of the reviewed
// fields, decided by src/domain/invoice-status.ts; this file only reads the record and applies.
import { decideInvoiceChange, type InvoiceRole, type InvoiceState, type InvoiceStatus } from "../../src/domain/invoice-status";
import type { VatBreakdownRow } from "../../src/domain/ocr-record";
import { toPbDate } from "../../src/domain/time";
import { changedKeys, failFields, nowMs, readJson, type Rec, type RequestCtx } from "./pb";

function state(record: Rec): InvoiceState {
  const num = (field: string) => (record.getString(field) === "" ? null : record.getFloat(field));
  return {
    status: (record.getString("status") || "pending") as InvoiceStatus,
    paidAt: record.getString("paidAt"),
    invoiceNumber: record.getString("invoiceNumber"),
    issueDate: record.getString("issueDate"),
    saleDate: record.getString("saleDate"),
    dueDate: record.getString("dueDate"),
    sellerName: record.getString("sellerName"),
    sellerNip: record.getString("sellerNip"),
    buyerNip: record.getString("buyerNip"),
    currency: record.getString("currency"),
    netAmount: num("netAmount"),
    vatAmount: num("vatAmount"),
    grossAmount: num("grossAmount"),
    totalAmount: num("totalAmount"),
    vatBreakdown: readJson<VatBreakdownRow[]>(record, "vatBreakdown"),
    bankAccount: record.getString("bankAccount"),
    splitPayment: record.getBool("splitPayment"),
  };
}

/** Called by the files hook for invoices, after the common upload checks. */
export function reviewInvoice(record: Rec, ctx: RequestCtx, created: boolean): void {
  const { actor } = ctx;
  const role: InvoiceRole = actor.admin ? "admin" : (actor.role as InvoiceRole);
  const before = created ? null : state(record.originalCopy());
  const decision = decideInvoiceChange(before, state(record), changedKeys(ctx.data), { role, id: actor.id }, toPbDate(nowMs()));
  if (decision.errors.length) failFields(decision.errors);
  const effects = decision.effects as Record<string, string | null | undefined>;
  const keys = Object.keys(effects);
  for (let i = 0; i < keys.length; i++) record.set(keys[i], effects[keys[i]] ?? "");
}
