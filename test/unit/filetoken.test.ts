import { describe, expect, it } from "vitest";
import { imageRetry, TOKEN_FALLBACK_MS, TOKEN_MARGIN_MS, tokenExpiring, tokenExpiry, tokenRenewDelay } from "../../src/domain/filetoken";

/** A token shaped like PocketBase's (header.payload.signature), expiring at `expSeconds`. */
function jwt(payload: Record<string, unknown>): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
  return `${part({ alg: "HS256", typ: "JWT" })}.${part(payload)}.c2lnbmF0dXJl`;
}

const NOW = Date.parse("2026-11-24T10:00:00Z");
const EXP = NOW / 1000 + 180; // PocketBase's file tokens live about three minutes
const TOKEN = jwt({ id: "u1", type: "authRecord", exp: EXP });

describe("tokenExpiry", () => {
  it("reads exp (seconds) as epoch ms", () => {
    expect(tokenExpiry(TOKEN)).toBe(NOW + 180_000);
  });
  it.each(["a", "ab"])("base64url payloads with - and _ and without padding are read (%s)", (pad) => {
    // "ÿÿ>>??" in the payload makes base64url use - and _; the extra letters leave out the padding.
    const token = jwt({ x: `ÿÿ>>??${pad}`, exp: 1 });
    const payload = token.split(".")[1];
    expect(payload).toMatch(/-/);
    expect(payload).toMatch(/_/);
    expect(payload.length % 4).not.toBe(0);
    expect(tokenExpiry(token)).toBe(1000);
  });
  it.each(["", "abc", "a.b.c", "a.e30.c", jwt({ exp: "soon" })])("unreadable %j -> NaN", (token) => {
    expect(tokenExpiry(token)).toBeNaN();
  });
});

describe("tokenExpiring", () => {
  it.each<[number, boolean]>([
    [NOW, false],
    [NOW + 180_000 - TOKEN_MARGIN_MS - 1, false],
    [NOW + 180_000 - TOKEN_MARGIN_MS, true],
    [NOW + 180_000, true],
    [NOW + 3_600_000, true],
  ])("at %i: %s", (now, expected) => {
    expect(tokenExpiring(TOKEN, now)).toBe(expected);
  });
  it("an unreadable token counts as expiring", () => {
    expect(tokenExpiring("", NOW)).toBe(true);
  });
});

describe("tokenRenewDelay", () => {
  it("renews the margin before expiry, not on a fixed beat", () => {
    expect(tokenRenewDelay(TOKEN, NOW)).toBe(180_000 - TOKEN_MARGIN_MS);
    expect(tokenRenewDelay(TOKEN, NOW + 60_000)).toBe(120_000 - TOKEN_MARGIN_MS);
  });
  it("a fresh token that already looks expired (device clock ahead) waits the fallback beat instead of looping", () => {
    expect(tokenRenewDelay(TOKEN, NOW + 10 * 60_000)).toBe(TOKEN_FALLBACK_MS);
    expect(tokenRenewDelay(TOKEN, NOW + 180_000 - TOKEN_MARGIN_MS)).toBe(TOKEN_FALLBACK_MS);
  });
  it("an unreadable token waits the fallback beat", () => {
    expect(tokenRenewDelay("", NOW)).toBe(TOKEN_FALLBACK_MS);
  });
});

describe("imageRetry", () => {
  const NEWER = jwt({ id: "u1", exp: EXP + 120 });
  it("a newer token than the one the image used: use it", () => {
    expect(imageRetry(TOKEN, NEWER, NOW)).toBe("use-latest");
    expect(imageRetry(TOKEN, NEWER, NOW + 170_000)).toBe("use-latest");
  });
  it("the image used the newest token and it expired: renew", () => {
    expect(imageRetry(TOKEN, TOKEN, NOW + 170_000)).toBe("renew");
    expect(imageRetry(TOKEN, TOKEN, NOW + 3_600_000)).toBe("renew");
  });
  it("the image used a valid newest token: the picture itself is broken, no retry", () => {
    expect(imageRetry(TOKEN, TOKEN, NOW)).toBe("none");
  });
  it("no token held yet: renew only if the used one is expiring", () => {
    expect(imageRetry(TOKEN, "", NOW)).toBe("none");
    expect(imageRetry(TOKEN, "", NOW + 170_000)).toBe("renew");
  });
});
