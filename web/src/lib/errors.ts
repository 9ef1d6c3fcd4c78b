// A failed request in the user's language. The server's sentences are English (they serve API
// clients and logs too), so what the user reads is chosen by the HTTP status (failure code) and,
// for field errors, by the server's error code - never the server's text itself.
import { ClientResponseError, describeError } from "$client";
import { failureKey } from "$domain/failure";
import { localizedFieldErrors } from "$domain/jobview";
import { t } from "$lib/i18n.svelte";

/** Why a request failed ("Brak połączenia z serwerem…", "Błąd serwera…"), by its status. */
export function errorText(err: unknown): string {
  return t(failureKey(describeError(err).code));
}

/**
 * The field errors of a failed write, worded by code: `<prefix>.<field>.<code>`, `<prefix>.<code>`,
 * else a generic "invalid value" - not the server's English message.
 */
export function fieldErrorTexts(err: unknown, prefix = "error.field"): Record<string, string> {
  const data = err instanceof ClientResponseError ? err.response?.data : undefined;
  return localizedFieldErrors(data, prefix, t, t("error.field.invalid"));
}
