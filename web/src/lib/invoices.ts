// The invoice pages' words: amounts, reading states, the reading's review flags and the invoice
// hook's field errors, all in the user's language (texts in ./messages/invoices.ts).
import { ClientResponseError } from "$client";
import type { DocumentReview } from "$domain/document";
import type { InvoiceStatus } from "$domain/invoice-status";
import { formatStoredAmount, invoiceErrorKeys, reviewField, reviewRate, type OcrState } from "$domain/invoiceview";
import { i18n, t } from "$lib/i18n.svelte";
import { tf } from "$lib/components/intake/text";

/** Badge colours of the reading states. */
export const OCR_BADGE: Record<OcrState, string> = {
  waiting: "bg-slate-100 text-slate-800",
  reading: "bg-blue-100 text-blue-900",
  done: "bg-green-100 text-green-900",
  failed: "bg-red-100 text-red-900",
  none: "bg-slate-50 text-slate-500",
};

/** A stored amount as the user reads it: "1 234,56 zł" in Polish, "PLN 1,234.56" in English. */
export function formatMoney(amount: number | null | undefined, currency = "PLN"): string {
  if (typeof amount !== "number") return "";
  const code = /^[A-Z]{3}$/.test(currency) ? currency : "PLN";
  if (i18n.lang === "pl") return formatStoredAmount(amount, code);
  return new Intl.NumberFormat("en-GB", { style: "currency", currency: code }).format(amount);
}

/** A field's label ("NIP sprzedawcy"); rate parts and unknown names as they are. */
export function fieldLabel(field: string): string {
  const key = `invoices.field.${field}`;
  return t(key) === key ? field : t(key);
}

/** "23%" or "zw" for a VAT rate key. */
export function rateText(rate: string): string {
  return /^\d+$/.test(rate) ? `${rate}%` : rate;
}

/** A review flag of the reading as a sentence in the user's language (by its code, not the parser's English). */
export function flagText(item: DocumentReview): string {
  const key = `invoices.flag.${item.code}`;
  const params = { field: fieldLabel(reviewField(item)), rate: rateText(reviewRate(item)) };
  return t(key) === key ? tf("invoices.flag.other", params) : tf(key, params);
}

/**
 * The invoice hook's field errors in the user's language, by code: invoices.err.<field>.<code>,
 * invoices.err.<code>, the shared error.field.<code>, else "invalid value". A refused status move
 * is worded by the move that was tried (`move`: from and to).
 */
export function invoiceFieldErrors(err: unknown, move?: { from: InvoiceStatus; to: InvoiceStatus }): Record<string, string> {
  const data = err instanceof ClientResponseError ? (err.response?.data as Record<string, unknown> | undefined) : undefined;
  const out: Record<string, string> = {};
  if (!data || typeof data !== "object") return out;
  for (const [field, raw] of Object.entries(data)) {
    if (!raw || typeof raw !== "object") continue;
    const code = String((raw as { code?: unknown }).code ?? "");
    const key = invoiceErrorKeys(field, code, move).find((k) => t(k) !== k);
    out[field] = key ? t(key) : t("error.field.invalid");
  }
  return out;
}

/** A local error code (from the form or the shared review rules) in the user's language. */
export function localErrorText(field: string, code: string): string {
  const key = invoiceErrorKeys(field, code).find((k) => t(k) !== k);
  return key ? t(key) : t("error.field.invalid");
}
