// The sync page's view logic (src/domain/syncview.ts): the status answer read defensively, the
// headline state, target health, ages and waits, record links, and conflict comparisons; plus that
// every state, unit and kind the page words has a Polish and an English text.
import { SYNC_ENV_KEYS } from "../../src/domain/sync-config";
import { describe, expect, it } from "vitest";
import {
  ago, compareVersions, configProblem, conflictKind, drainSummary, errorOvercome, fieldText, nextAttempt, readSyncStatus, recordHref, sortDeadLetters, syncOverview,
  SYNC_SETUP_VARIABLES, SYNC_VIEW_MODES, targetHealth, type DeadLetter, type SyncTargetStatus,
} from "../../src/domain/syncview";
import * as messages from "../../web/src/lib/messages/sync";

const NOW = Date.parse("2026-11-25T10:00:00Z");
const MIN = 60_000;

const target = (over: Partial<SyncTargetStatus> = {}): SyncTargetStatus => ({
  name: "convex", enabled: true, url: "", pending: 0, due: 0, dead: 0, oldestPendingAt: null, nextAttemptAt: null,
  lastSuccessAt: null, lastFailureAt: null, lastError: "", delivered: 0, ...over,
});

/** An answer as GET /api/hvac/sync/status gives it (pb_hooks/src/sync.ts getSyncStatus). */
const answer = {
  mode: "hybrid",
  problem: "",
  directions: { push: true, pull: true },
  targets: [
    {
      name: "convex", enabled: true, url: "https://x.convex.site", pending: 3, due: 1, dead: 2, oldestPendingAt: NOW - 5 * MIN,
      oldestPendingAgeMs: 5 * MIN, nextAttemptAt: NOW + 90_000, lastSuccessAt: NOW - MIN, lastFailureAt: null, lastError: "", delivered: 40,
    },
    { name: "weaviate", enabled: false, url: "", pending: 0, due: 0, dead: 0, oldestPendingAt: null, oldestPendingAgeMs: null, nextAttemptAt: null, lastSuccessAt: null, lastFailureAt: null, lastError: "", delivered: 0 },
  ],
  deadLetters: [{ seq: 7, target: "convex", collection: "jobs", rid: "abc123", op: "upsert", attempts: 20, lastError: "Convex answered HTTP 500", createdAt: NOW - 60 * MIN }],
  conflicts: { open: 4 },
  pull: { enabled: true, cursor: "17", lastSuccessAt: NOW - MIN, lastFailureAt: null, lastError: "", applied: 5, conflicts: 1, failed: 0 },
  draining: false,
  now: NOW,
};

describe("readSyncStatus", () => {
  it("reads the route's answer", () => {
    const s = readSyncStatus(answer, 0);
    expect(s).toMatchObject({ mode: "hybrid", problem: "", directions: { push: true, pull: true }, openConflicts: 4, draining: false, now: NOW });
    expect(s.targets[0]).toEqual({
      name: "convex", enabled: true, url: "https://x.convex.site", pending: 3, due: 1, dead: 2, oldestPendingAt: NOW - 5 * MIN,
      nextAttemptAt: NOW + 90_000, lastSuccessAt: NOW - MIN, lastFailureAt: null, lastError: "", delivered: 40,
    });
    expect(s.targets[1]).toMatchObject({ name: "weaviate", enabled: false, oldestPendingAt: null });
    expect(s.deadLetters).toEqual([answer.deadLetters[0]]);
    expect(s.pull).toEqual(answer.pull);
  });

  it("a wrong or missing field becomes nothing, never a crash; the browser's clock stands in for a missing one", () => {
    const s = readSyncStatus({
      mode: "sometimes", directions: "x", targets: [{ name: "convex", enabled: "yes", pending: -1, due: "2", lastSuccessAt: 0, nextAttemptAt: Number.NaN }, { enabled: true }, null],
      deadLetters: [{ seq: 0 }, "x", { seq: 3, attempts: 1.5 }], conflicts: null,
    }, 123);
    expect(s).toMatchObject({ mode: "off", problem: "", directions: { push: false, pull: false }, openConflicts: 0, draining: false, now: 123 });
    expect(s.targets).toEqual([target({ enabled: false })]);
    expect(s.deadLetters).toEqual([{ seq: 3, target: "", collection: "", rid: "", op: "", attempts: 1, lastError: "", createdAt: null }]);
    expect(readSyncStatus(null, 5)).toMatchObject({ mode: "off", targets: [], deadLetters: [], now: 5 });
  });
});

describe("syncOverview / configProblem", () => {
  it("off when no target is on, misconfigured when a variable is bad, on when any target is on", () => {
    const off = readSyncStatus({ ...answer, mode: "off", targets: answer.targets.map((t) => ({ ...t, enabled: false })) }, NOW);
    expect(syncOverview(off)).toBe("off");
    expect(syncOverview({ ...off, problem: "SYNC_MODE: expected development, production or hybrid" })).toBe("misconfigured");
    expect(syncOverview(readSyncStatus(answer, NOW))).toBe("on");
    // Weaviate alone (no SYNC_MODE) is sync on.
    expect(syncOverview({ ...off, targets: [target({ name: "convex", enabled: false }), target({ name: "weaviate" })] })).toBe("on");
  });

  it("names the variable the server named first", () => {
    expect(configProblem("CONVEX_SYNC_SECRET: must be at least 16 characters without spaces")).toEqual({
      variable: "CONVEX_SYNC_SECRET", detail: "must be at least 16 characters without spaces",
    });
    expect(configProblem("SYNC_MODE: CONVEX_SITE_URL is set but SYNC_MODE is not: set it")).toEqual({
      variable: "SYNC_MODE", detail: "CONVEX_SITE_URL is set but SYNC_MODE is not: set it",
    });
    expect(configProblem("something odd")).toEqual({ variable: "", detail: "something odd" });
    expect(configProblem("  ")).toBeNull();
  });

  it("the page asks for the variables the configuration reads", () => {
    // Each one is a variable the server's configuration really reads (src/domain/sync-config.ts).
    for (const v of SYNC_SETUP_VARIABLES) expect(SYNC_ENV_KEYS).toContain(v);
    expect(SYNC_SETUP_VARIABLES).toEqual(expect.arrayContaining(["SYNC_MODE", "CONVEX_SITE_URL", "CONVEX_SYNC_SECRET", "WEAVIATE_URL"]));
  });
});

describe("targetHealth", () => {
  it.each<[string, Partial<SyncTargetStatus>, string]>([
    ["disabled", { enabled: false, pending: 3, dead: 1 }, "off"],
    ["nothing waits", { lastFailureAt: NOW - MIN, lastSuccessAt: null }, "ok"],
    ["dead letters", { dead: 1, pending: 0 }, "dead"],
    ["queued, never failed", { pending: 2 }, "waiting"],
    ["queued, succeeded after the last failure", { pending: 2, lastFailureAt: NOW - 2 * MIN, lastSuccessAt: NOW - MIN }, "waiting"],
    ["queued, the last delivery failed", { pending: 2, lastFailureAt: NOW - MIN, lastSuccessAt: NOW - 2 * MIN }, "failing"],
    ["queued, failed and never succeeded", { pending: 2, lastFailureAt: NOW - MIN }, "failing"],
  ])("%s -> %s", (_, over, health) => {
    expect(targetHealth(target(over))).toBe(health);
  });
});

describe("errorOvercome", () => {
  it("only when a delivery succeeded after the last failure", () => {
    expect(errorOvercome({ lastFailureAt: NOW - 2 * MIN, lastSuccessAt: NOW - MIN })).toBe(true);
    expect(errorOvercome({ lastFailureAt: NOW - MIN, lastSuccessAt: NOW - 2 * MIN })).toBe(false);
    expect(errorOvercome({ lastFailureAt: NOW - MIN, lastSuccessAt: null })).toBe(false);
    expect(errorOvercome({ lastFailureAt: null, lastSuccessAt: NOW })).toBe(false);
  });
});

describe("ago / nextAttempt", () => {
  it.each<[number | null, ReturnType<typeof ago>]>([
    [null, { unit: "never" }],
    [NOW, { unit: "now" }],
    [NOW + 5 * MIN, { unit: "now" }], // the browser's clock ahead of the server's
    [NOW - 59_999, { unit: "now" }],
    [NOW - 5 * MIN, { unit: "min", n: 5 }],
    [NOW - 59 * MIN, { unit: "min", n: 59 }],
    [NOW - 60 * MIN, { unit: "h", n: 1 }],
    [NOW - 23 * 60 * MIN - 59 * MIN, { unit: "h", n: 23 }],
    [NOW - 3 * 24 * 60 * MIN, { unit: "d", n: 3 }],
  ])("%s -> %j", (at, expected) => {
    expect(ago(at, NOW)).toEqual(expected);
  });

  it("rows due now go at the next drain; otherwise when the earliest becomes due, rounded up", () => {
    expect(nextAttempt({ due: 2, pending: 2, nextAttemptAt: NOW + MIN }, NOW)).toEqual({ unit: "due" });
    expect(nextAttempt({ due: 0, pending: 0, nextAttemptAt: null }, NOW)).toEqual({ unit: "none" });
    expect(nextAttempt({ due: 0, pending: 1, nextAttemptAt: null }, NOW)).toEqual({ unit: "none" });
    expect(nextAttempt({ due: 0, pending: 1, nextAttemptAt: NOW + 1_000 }, NOW)).toEqual({ unit: "min", n: 1 });
    expect(nextAttempt({ due: 0, pending: 1, nextAttemptAt: NOW + 4 * MIN + 1 }, NOW)).toEqual({ unit: "min", n: 5 });
    expect(nextAttempt({ due: 0, pending: 1, nextAttemptAt: NOW + 61 * MIN }, NOW)).toEqual({ unit: "h", n: 2 });
    // Became due since the answer: at the next drain.
    expect(nextAttempt({ due: 0, pending: 1, nextAttemptAt: NOW - 1 }, NOW)).toEqual({ unit: "due" });
  });
});

describe("recordHref / sortDeadLetters", () => {
  it("links records that have a page and still exist", () => {
    expect(recordHref("jobs", "j1")).toBe("/jobs/j1");
    expect(recordHref("contacts", "c1")).toBe("/contacts/c1");
    expect(recordHref("invoices", "i1")).toBe("/invoices/i1");
    expect(recordHref("equipment", "e1")).toBe("/fgas/e1");
    expect(recordHref("equipment_photos", "p1")).toBeNull();
    expect(recordHref("jobs", "j1", "delete")).toBeNull();
    expect(recordHref("jobs", "")).toBeNull();
    expect(recordHref("jobs", "../admin")).toBeNull();
    expect(recordHref("users", "u1")).toBeNull();
  });

  it("by target, then oldest first", () => {
    const d = (seq: number, t: string): DeadLetter => ({ seq, target: t, collection: "jobs", rid: "x", op: "upsert", attempts: 1, lastError: "", createdAt: null });
    expect(sortDeadLetters([d(5, "weaviate"), d(9, "convex"), d(2, "weaviate"), d(3, "convex")]).map((x) => `${x.target}${x.seq}`)).toEqual([
      "convex3", "convex9", "weaviate2", "weaviate5",
    ]);
  });
});

describe("conflicts", () => {
  it.each<[string, string, string, string]>([
    ["push", "remote", "", "push"],
    ["pull", "remote", "2026-11-25 10:00:00.000Z", "pull_tie"],
    ["pull", "local", "2026-11-25 10:00:00.000Z", "pull_older"],
    ["pull", "local", "", "pull_failed"],
  ])("%s won by %s (local clock %j) is %s", (direction, winner, localUpdated, kind) => {
    expect(conflictKind({ direction, winner, localUpdated })).toBe(kind);
  });

  it("puts both versions side by side, the differing fields first", () => {
    const cmp = compareVersions({
      direction: "pull", winner: "local", localUpdated: "2026-11-25 10:00:00.000Z",
      local: { id: "c1", name: "Nowa", phone: "+48 1", coordinates: { lat: 52.2, lng: 21 }, tags: ["a"], updated: "x", collectionId: "abc" },
      remote: { name: "Stara", phone: "+48 1", coordinates: { lat: 52.2, lng: 21.1 }, notes: "z Convex", updated: "y" },
    });
    expect(cmp.rows).toEqual([
      { field: "name", local: "Nowa", remote: "Stara", differs: true },
      { field: "coordinates", local: '{"lat":52.2,"lng":21}', remote: '{"lat":52.2,"lng":21.1}', differs: true },
      { field: "tags", local: '["a"]', remote: null, differs: true },
      { field: "notes", local: null, remote: "z Convex", differs: true },
      { field: "phone", local: "+48 1", remote: "+48 1", differs: false },
    ]);
    expect(cmp).toMatchObject({ localMissing: null, remoteMissing: null, differing: 4 });
  });

  it("a side with no version says why and nothing is marked as differing", () => {
    const push = compareVersions({ direction: "push", winner: "remote", localUpdated: "2026-11-25 10:00:00.000Z", local: { name: "A" }, remote: null });
    expect(push).toEqual({ rows: [{ field: "name", local: "A", remote: null, differs: false }], localMissing: null, remoteMissing: "elsewhere", differing: 0 });
    const localDelete = compareVersions({ direction: "pull", winner: "local", localUpdated: "2026-11-25 10:00:00.000Z", local: null, remote: { name: "B" } });
    expect(localDelete).toMatchObject({ localMissing: "deleted", remoteMissing: null, differing: 0 });
    const failed = compareVersions({ direction: "pull", winner: "local", localUpdated: "", local: null, remote: null });
    expect(failed).toEqual({ rows: [], localMissing: "not_recorded", remoteMissing: "deleted", differing: 0 });
    // Not an object (a broken note): treated as no version.
    expect(compareVersions({ direction: "pull", winner: "remote", localUpdated: "x", local: "text", remote: [1] })).toMatchObject({ rows: [], localMissing: "deleted", remoteMissing: "deleted" });
  });

  it("field values as one line of text", () => {
    expect(fieldText("a b")).toBe("a b");
    expect(fieldText(0)).toBe("0");
    expect(fieldText(false)).toBe("false");
    expect(fieldText(null)).toBe("null");
    expect(fieldText(undefined)).toBe("");
    expect(fieldText({ a: [1, "x"] })).toBe('{"a":[1,"x"]}');
  });
});

describe("drainSummary", () => {
  it("sums the targets' reports; parked records count as failed", () => {
    expect(drainSummary({
      ran: true, busy: false, problem: "", mode: "hybrid", pull: null, ms: 5,
      targets: [
        { target: "convex", sent: 4, delivered: 3, conflicts: 1, failed: 0, parked: 1, requests: 2, error: "x" },
        { target: "weaviate", sent: 2, delivered: 0, conflicts: 0, failed: 2, parked: 0, requests: 1, error: "y" },
      ],
    })).toEqual({ ran: true, delivered: 3, failed: 3, conflicts: 1 });
    expect(drainSummary({ ran: false, targets: [] })).toEqual({ ran: false, delivered: 0, failed: 0, conflicts: 0 });
    expect(drainSummary("nonsense")).toEqual({ ran: false, delivered: 0, failed: 0, conflicts: 0 });
  });
});

describe("texts", () => {
  const keys = [
    ...SYNC_VIEW_MODES.map((m) => `sync.mode.${m}`),
    ...SYNC_SETUP_VARIABLES.map((v) => `sync.var.${v}`),
    ...(["off", "ok", "waiting", "failing", "dead"] as const).map((h) => `sync.health.${h}`),
    ...(["now", "min", "h", "d", "never"] as const).map((u) => `sync.ago.${u}`),
    ...(["due", "min", "h", "none"] as const).map((u) => `sync.next.${u}`),
    ...(["push", "pull_older", "pull_tie", "pull_failed"] as const).map((k) => `sync.conflict.kind.${k}`),
    ...(["deleted", "elsewhere", "not_recorded"] as const).map((m) => `sync.conflict.missing.${m}`),
    ...(["convex", "weaviate"] as const).map((t) => `sync.target.${t}`),
    ...(["contacts", "jobs", "invoices", "equipment_photos", "equipment"] as const).map((c) => `sync.collection.${c}`),
    "sync.conflict.winner.local", "sync.conflict.winner.remote", "sync.nav", "sync.title", "sync.errorOvercome",
  ];

  it.each(["pl", "en"] as const)("every state, unit and kind has a %s text", (lang) => {
    const dict = messages[lang] as Record<string, string>;
    for (const k of keys) expect(dict[k], k).toMatch(/\S/);
  });

  it("Polish and English have the same keys", () => {
    expect(Object.keys(messages.en).sort()).toEqual(Object.keys(messages.pl).sort());
  });
});
