// Text helpers of the intake page: templates with {params}, suggestion reasons, and server field
// errors turned into sentences in the UI language (by their code, never the server's English).
import { ClientResponseError, describeError } from "$client";
import { errorText } from "$lib/errors";
import type { Reason } from "$domain/suggest";
import { i18n, t } from "$lib/i18n.svelte";

/** t(key) with "{name}" placeholders filled. */
export function tf(key: string, params: Record<string, string | number> = {}): string {
  return t(key).replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** "3.2" -> "3,2" in Polish. */
function localNumber(value: string): string {
  return i18n.lang === "pl" && /^\d+\.\d+$/.test(value) ? value.replace(".", ",") : value;
}

/** A suggestion reason as a sentence in the UI language. */
export function reasonText(reason: Reason): string {
  const params: Record<string, string> = {};
  for (const [k, v] of Object.entries(reason.params ?? {})) {
    params[k] = k === "skill" ? t(`type.${v}`) : localNumber(v);
  }
  return tf(reason.key, params);
}

export interface FieldProblem {
  code: string;
  message: string;
}

export interface Failure {
  status: number;
  /** Why it failed, in the UI language (by HTTP status: connection, server error, ...). */
  message: string;
  fields: Record<string, FieldProblem>;
}

/** describeError() plus the error code of each field (the page words its own messages by code). */
export function readFailure(err: unknown): Failure {
  const base = describeError(err);
  const fields: Record<string, FieldProblem> = {};
  const data = err instanceof ClientResponseError ? ((err.response?.data ?? {}) as Record<string, { code?: string }>) : {};
  for (const [field, message] of Object.entries(base.fields)) {
    const code = data[field] && typeof data[field] === "object" ? String(data[field].code ?? "") : "";
    fields[field] = { code, message };
  }
  return { status: base.status, message: errorText(err), fields };
}

/** The sentence shown next to a field. */
export function problemText(p: FieldProblem): string {
  const key = `intake.err.${p.code}`;
  if (!p.code || t(key) === key) {
    // A code this page has no words for: the shared field texts, else "invalid value".
    const shared = `error.field.${p.code}`;
    return p.code && t(shared) !== shared ? t(shared) : t("error.field.invalid");
  }
  const n = /(-?\d+(?:\.\d+)?)/.exec(p.message)?.[1] ?? "";
  return tf(key, { n });
}

/**
 * Field name -> sentence, for the given fields only; the sentences of the rest (fields the form has
 * no input for, so no label the user would know either) are returned apart, once each.
 */
export function splitProblems(f: Failure, shown: readonly string[]): { mine: Record<string, string>; rest: string[] } {
  const mine: Record<string, string> = {};
  const rest: string[] = [];
  for (const [field, p] of Object.entries(f.fields)) {
    if (shown.includes(field)) mine[field] = problemText(p);
    else if (!rest.includes(problemText(p))) rest.push(problemText(p));
  }
  return { mine, rest };
}
