// The shared secret for the functions the office's CLI calls with the `convex` client
// (import-convex, verify, migrate-files). They are public functions (a deploy key must never live on
// the office server), so each takes the secret as an argument and refuses a wrong one, exactly as the
// HTTP actions refuse a wrong Authorization header (convex/http.ts).
import { ConvexError } from "convex/values";
import { bearerMatches } from "../src/domain/sync";

/** Throws a ConvexError {code, message} unless `secret` is this deployment's CONVEX_SYNC_SECRET. */
export function assertSyncSecret(secret: string): void {
  const expected = process.env.CONVEX_SYNC_SECRET ?? "";
  if (!expected) {
    throw new ConvexError({ code: "misconfigured", message: "CONVEX_SYNC_SECRET is not set on this deployment: npx convex env set CONVEX_SYNC_SECRET <the office server's value>" });
  }
  // bearerMatches compares in constant time; the "Bearer " prefix is only its header format.
  if (!bearerMatches(`Bearer ${secret}`, expected)) {
    throw new ConvexError({ code: "unauthorized", message: "secret: wrong CONVEX_SYNC_SECRET" });
  }
}
