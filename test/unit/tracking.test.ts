import { describe, expect, it } from "vitest";
import { MAX_SILENCE_MS, shouldPost } from "../../src/domain/tracking";

// 0.001 deg of latitude is ~111 m; 0.0003 deg ~33 m.
const base = { lat: 52.2297, lng: 21.0122 };
const sent = { ...base, at: 1_000_000 };

describe("shouldPost", () => {
  it.each([
    ["first fix", null, base, 1_000_000, "first"],
    ["moved ~111 m", sent, { lat: base.lat + 0.001, lng: base.lng }, 1_000_500, "moved"],
    ["moved ~33 m, soon after", sent, { lat: base.lat + 0.0003, lng: base.lng }, 1_010_000, null],
    ["standing still under 60 s", sent, base, 1_000_000 + MAX_SILENCE_MS - 1, null],
    ["standing still for 60 s", sent, base, 1_000_000 + MAX_SILENCE_MS, "interval"],
    ["small move after 60 s", sent, { lat: base.lat + 0.0003, lng: base.lng }, 1_000_000 + 61_000, "interval"],
    ["east-west move ~68 m", sent, { lat: base.lat, lng: base.lng + 0.001 }, 1_000_100, "moved"],
    ["NaN fix", sent, { lat: NaN, lng: base.lng }, 2_000_000, null],
  ] as const)("%s", (_name, last, fix, now, expected) => {
    expect(shouldPost(last, fix, now)).toBe(expected);
  });
});
