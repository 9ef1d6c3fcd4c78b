// Why a request failed, as a code the UI words in its own language. The server's own sentences are
// English (they also serve API clients and logs), so pages show the text of the code, never them.
// Pure: no SDK or browser globals (describeError in src/client fills in the code).

/**
 * What went wrong, by HTTP status: `network` = no answer at all (status 0: offline, server down,
 * blocked), `invalid` = the server refused the data (400), `session` = not signed in (any more),
 * `forbidden`, `not_found`, `conflict` (someone else changed it), `too_large` (413: the upload is
 * over the size limit), `rate_limited` (429), `server` (5xx), `unknown` (anything else, also a
 * failure that never was a request).
 */
export type FailureCode =
  | "network" | "invalid" | "session" | "forbidden" | "not_found" | "conflict" | "too_large" | "rate_limited"
  | "server" | "unknown";

export const FAILURE_CODES: readonly FailureCode[] = [
  "network", "invalid", "session", "forbidden", "not_found", "conflict", "too_large", "rate_limited", "server", "unknown",
];

/** The failure code of an HTTP status (0 = the request got no answer). */
export function failureCode(status: number): FailureCode {
  if (status === 0) return "network";
  if (status === 400 || status === 422) return "invalid";
  if (status === 401) return "session";
  if (status === 403) return "forbidden";
  if (status === 404) return "not_found";
  if (status === 409) return "conflict";
  if (status === 413) return "too_large";
  if (status === 429) return "rate_limited";
  if (status >= 500 && status <= 599) return "server";
  return "unknown";
}

/** The UI text key of a failure: `error.<code>` (web/src/lib/messages/errors.ts). */
export function failureKey(code: FailureCode): string {
  return `error.${code}`;
}
