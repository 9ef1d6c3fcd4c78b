// When the job page renews the short-lived token that protected files (photos, invoices) need.
// Pure: the page passes the token and the clock.
//
// Every file URL carries the token, so a new token changes every URL, and a changed <img src> makes
// the browser fetch the picture again. The page therefore keeps two: links (changing an href costs
// nothing) always get the newest token, renewed shortly before it expires; thumbnails keep the
// token they were first shown with, and only an image that fails to load (a lazy one scrolled into
// view after its token expired) asks for a newer one.

/** Renew this long before the token expires (PocketBase's file tokens live a few minutes). */
export const TOKEN_MARGIN_MS = 30_000;
/** The renewal beat when the expiry cannot be trusted (unreadable token, device clock off). */
export const TOKEN_FALLBACK_MS = 60_000;

function base64UrlDecode(part: string): string {
  // Looked up at run time: browsers and Node have atob, PocketBase's JS VM does not (there the
  // token reads as unreadable, which is the safe answer).
  const atob = (globalThis as { atob?: (data: string) => string }).atob;
  if (!atob) throw new Error("no base64 decoder here");
  const b64 = part.replace(/-/g, "+").replace(/_/g, "/");
  return atob(b64 + "=".repeat((4 - (b64.length % 4)) % 4));
}

/** The expiry of a JWT such as PocketBase's file token, as epoch ms; NaN when it cannot be read. */
export function tokenExpiry(token: string): number {
  const payload = String(token ?? "").split(".")[1];
  if (!payload) return NaN;
  try {
    const exp = (JSON.parse(base64UrlDecode(payload)) as { exp?: unknown }).exp;
    return typeof exp === "number" && Number.isFinite(exp) ? exp * 1000 : NaN;
  } catch {
    return NaN;
  }
}

/** Whether the token is expired or within `margin` of expiring (an unreadable token counts as expiring). */
export function tokenExpiring(token: string, now: number, margin = TOKEN_MARGIN_MS): boolean {
  const exp = tokenExpiry(token);
  return !Number.isFinite(exp) || exp - margin <= now;
}

/**
 * How long until a token just received should be renewed: `margin` before its expiry. A token that
 * already looks (nearly) expired when it arrives means the device clock is off (or the token is
 * unreadable): then renew on a fixed beat instead of at once, or it would be fetched in a loop.
 */
export function tokenRenewDelay(token: string, now: number, margin = TOKEN_MARGIN_MS): number {
  const left = tokenExpiry(token) - margin - now;
  return Number.isFinite(left) && left >= 1_000 ? left : TOKEN_FALLBACK_MS;
}

/**
 * What to do when an image built with token `used` failed to load, `latest` being the newest token
 * the page holds: show it with the newest token when that is another one; fetch a new token when
 * `used` is the newest but expired (or about to be); otherwise the image itself is broken and
 * retrying would only loop.
 */
export function imageRetry(used: string, latest: string, now: number, margin = TOKEN_MARGIN_MS): "use-latest" | "renew" | "none" {
  if (latest && latest !== used) return "use-latest";
  return tokenExpiring(used, now, margin) ? "renew" : "none";
}
