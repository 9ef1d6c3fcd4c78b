import { describe, it, expect } from "vitest";
import {
  allowedMoves, checkTransition, DEFAULT_DURATION_MIN, INITIAL_STATUSES, isFinal, statusEffects, TRANSITIONS,
  type LifecycleState,
} from "../../src/domain/lifecycle";
import { JOB_STATUSES, type JobStatus } from "../../src/domain/types";

const ALLOWED: Record<JobStatus, JobStatus[]> = {
  pending: ["scheduled", "cancelled"],
  scheduled: ["in_progress", "pending", "cancelled"],
  in_progress: ["completed", "cancelled"],
  completed: [],
  cancelled: [],
};

/** A state that satisfies the field requirements of any status. */
const full = (status: JobStatus): LifecycleState => ({ status, technicianId: "tech1", scheduledDate: "2026-01-15 08:00:00.000Z" });

const PAIRS: [JobStatus, JobStatus, boolean][] = [];
for (const from of JOB_STATUSES) {
  for (const to of JOB_STATUSES) {
    if (from !== to) PAIRS.push([from, to, ALLOWED[from].includes(to)]);
  }
}

describe("transition table", () => {
  it("covers all 20 status changes, 7 of them allowed", () => {
    expect(PAIRS).toHaveLength(20);
    expect(PAIRS.filter((p) => p[2])).toHaveLength(7);
  });

  it("TRANSITIONS is exactly the product's table", () => {
    expect(TRANSITIONS).toEqual(ALLOWED);
  });

  it.each(PAIRS)("%s -> %s allowed: %s", (from, to, allowed) => {
    const errors = checkTransition(from, full(to));
    if (allowed) {
      expect(errors).toEqual([]);
    } else {
      expect(errors).toHaveLength(1);
      expect(errors[0].field).toBe("status");
      expect(errors[0].code).toBe("invalid_transition");
      expect(errors[0].message).toContain(`from „${from}” to „${to}”`);
    }
  });

  it.each(JOB_STATUSES.map((s) => [s] as [JobStatus]))("staying %s is not a transition", (s) => {
    expect(checkTransition(s, full(s))).toEqual([]);
  });

  it.each([
    ["pending", "completed", "Cannot move a job from „pending” to „completed”: allowed from „pending”: scheduled, cancelled."],
    ["scheduled", "completed", "Cannot move a job from „scheduled” to „completed”: allowed from „scheduled”: in_progress, pending, cancelled."],
    ["in_progress", "pending", "Cannot move a job from „in_progress” to „pending”: allowed from „in_progress”: completed, cancelled."],
    ["completed", "in_progress", "Cannot move a job from „completed” to „in_progress”: status „completed” is final; no further changes are allowed."],
    ["cancelled", "pending", "Cannot move a job from „cancelled” to „pending”: status „cancelled” is final; no further changes are allowed."],
  ] as [JobStatus, JobStatus, string][])("message for %s -> %s names the allowed moves", (from, to, message) => {
    expect(checkTransition(from, full(to))).toEqual([{ field: "status", code: "invalid_transition", message }]);
  });

  it.each([
    ["pending", ["scheduled", "cancelled"], false],
    ["scheduled", ["in_progress", "pending", "cancelled"], false],
    ["in_progress", ["completed", "cancelled"], false],
    ["completed", [], true],
    ["cancelled", [], true],
  ] as [JobStatus, JobStatus[], boolean][])("allowedMoves(%s) / isFinal", (from, moves, final) => {
    expect(allowedMoves(from)).toEqual(moves);
    expect(isFinal(from)).toBe(final);
  });

  it("an unknown status has no moves", () => {
    expect(allowedMoves("bogus" as JobStatus)).toEqual([]);
  });
});

describe("creating a job", () => {
  it("INITIAL_STATUSES", () => {
    expect(INITIAL_STATUSES).toEqual(["pending", "scheduled"]);
  });

  it.each([
    ["pending", true],
    ["scheduled", true],
    ["in_progress", false],
    ["completed", false],
    ["cancelled", false],
  ] as [JobStatus, boolean][])("create as %s -> allowed %s", (status, allowed) => {
    const errors = checkTransition(null, full(status));
    if (allowed) expect(errors).toEqual([]);
    else {
      expect(errors).toEqual([{
        field: "status",
        code: "invalid_initial_status",
        message: `A new job must start as pending or scheduled, not „${status}”.`,
      }]);
    }
  });

  it("a pending job needs neither technician nor date", () => {
    expect(checkTransition(null, { status: "pending", technicianId: "", scheduledDate: "" })).toEqual([]);
  });
});

describe("scheduled and in_progress require technicianId and scheduledDate", () => {
  it.each([
    // [from, to, technicianId, scheduledDate, fields with errors]
    [null, "scheduled", "", "", ["technicianId", "scheduledDate"]],
    [null, "scheduled", "tech1", "", ["scheduledDate"]],
    [null, "scheduled", "", "2026-01-15 08:00:00.000Z", ["technicianId"]],
    [null, "scheduled", "tech1", "2026-01-15 08:00:00.000Z", []],
    ["pending", "scheduled", "", "", ["technicianId", "scheduledDate"]],
    ["pending", "scheduled", "tech1", "", ["scheduledDate"]],
    ["scheduled", "in_progress", "", "2026-01-15 08:00:00.000Z", ["technicianId"]],
    ["scheduled", "in_progress", "tech1", "", ["scheduledDate"]],
    ["scheduled", "in_progress", "tech1", "2026-01-15 08:00:00.000Z", []],
    // staying scheduled while clearing the technician is still checked
    ["scheduled", "scheduled", "", "2026-01-15 08:00:00.000Z", ["technicianId"]],
    ["in_progress", "in_progress", "tech1", "", ["scheduledDate"]],
    // other statuses need neither
    ["scheduled", "pending", "", "", []],
    ["scheduled", "cancelled", "", "", []],
    ["in_progress", "completed", "", "", []],
    ["pending", "cancelled", "", "", []],
  ] as [JobStatus | null, JobStatus, string, string, string[]][])(
    "%s -> %s (tech %j, date %j) -> errors on %j",
    (from, to, technicianId, scheduledDate, fields) => {
      const errors = checkTransition(from, { status: to, technicianId, scheduledDate });
      expect(errors.map((e) => e.field)).toEqual(fields);
      for (const e of errors) expect(e.code).toBe("required_for_status");
      const tech = errors.find((e) => e.field === "technicianId");
      if (tech) expect(tech.message).toBe(`A ${to} job needs a technician.`);
      const date = errors.find((e) => e.field === "scheduledDate");
      if (date) expect(date.message).toBe(`A ${to} job needs a scheduled date.`);
    },
  );

  it("an invalid move reports only the status error, not missing fields", () => {
    const errors = checkTransition("completed", { status: "in_progress", technicianId: "", scheduledDate: "" });
    expect(errors.map((e) => e.field)).toEqual(["status"]);
  });
});

describe("statusEffects", () => {
  const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);
  const NOW_ISO = "2026-01-15T12:00:00.000Z";
  const M = 60_000;
  const job = (over: Partial<{ startedAt: number; completedDate: number; actualDuration: number; estimatedDuration: number }> = {}) => ({
    startedAt: NaN, completedDate: NaN, actualDuration: 0, estimatedDuration: 90, ...over,
  });
  const none = { startedAt: false, completedDate: false, actualDuration: false };

  it.each([
    // [case, from, to, job, given, expected effects]
    ["entering in_progress sets startedAt", "scheduled", "in_progress", job(), none, { startedAt: NOW_ISO }],
    ["entering in_progress keeps a given startedAt", "scheduled", "in_progress", job({ startedAt: NOW - 30 * M }), { ...none, startedAt: true }, {}],
    ["completing after 45 min", "in_progress", "completed", job({ startedAt: NOW - 45 * M }), none, { completedDate: NOW_ISO, actualDuration: 45 }],
    ["completing after 90.4 min rounds", "in_progress", "completed", job({ startedAt: NOW - 90.4 * M }), none, { completedDate: NOW_ISO, actualDuration: 90 }],
    ["completing after 90.5 min rounds up", "in_progress", "completed", job({ startedAt: NOW - 90.5 * M }), none, { completedDate: NOW_ISO, actualDuration: 91 }],
    ["completing after 10 s is at least 1 min", "in_progress", "completed", job({ startedAt: NOW - 10_000 }), none, { completedDate: NOW_ISO, actualDuration: 1 }],
    ["completing at the same instant is 1 min", "in_progress", "completed", job({ startedAt: NOW }), none, { completedDate: NOW_ISO, actualDuration: 1 }],
    ["no startedAt falls back to estimatedDuration", "in_progress", "completed", job({ estimatedDuration: 120 }), none, { completedDate: NOW_ISO, actualDuration: 120 }],
    ["startedAt after completion falls back to estimate", "in_progress", "completed", job({ startedAt: NOW + 5 * M, estimatedDuration: 60 }), none, { completedDate: NOW_ISO, actualDuration: 60 }],
    ["given completedDate is kept and used", "in_progress", "completed", job({ startedAt: NOW - 180 * M, completedDate: NOW - 60 * M }), { ...none, completedDate: true }, { actualDuration: 120 }],
    ["given but invalid completedDate is replaced", "in_progress", "completed", job({ startedAt: NOW - 30 * M }), { ...none, completedDate: true }, { completedDate: NOW_ISO, actualDuration: 30 }],
    ["given actualDuration is kept", "in_progress", "completed", job({ startedAt: NOW - 45 * M, actualDuration: 50 }), { ...none, actualDuration: true }, { completedDate: NOW_ISO }],
    ["given actualDuration 0 is recomputed", "in_progress", "completed", job({ startedAt: NOW - 45 * M, actualDuration: 0 }), { ...none, actualDuration: true }, { completedDate: NOW_ISO, actualDuration: 45 }],
    ["stale actualDuration not given is recomputed", "in_progress", "completed", job({ startedAt: NOW - 45 * M, actualDuration: 999 }), none, { completedDate: NOW_ISO, actualDuration: 45 }],
    ["status unchanged: in_progress", "in_progress", "in_progress", job(), none, {}],
    ["status unchanged: completed", "completed", "completed", job({ startedAt: NOW - 45 * M }), none, {}],
    ["pending -> scheduled has no effects", "pending", "scheduled", job(), none, {}],
    ["cancelling has no effects", "in_progress", "cancelled", job({ startedAt: NOW - 45 * M }), none, {}],
    ["creating as scheduled has no effects", null, "scheduled", job(), none, {}],
  ] as const)("%s", (_case, from, to, j, given, expected) => {
    expect(statusEffects(from, to, j, given, NOW)).toEqual(expected);
  });

  it("DEFAULT_DURATION_MIN by job type", () => {
    expect(DEFAULT_DURATION_MIN).toEqual({ installation: 240, maintenance: 90, repair: 120, inspection: 60 });
  });
});
