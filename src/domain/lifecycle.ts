// Job lifecycle: pending -> scheduled -> in_progress -> completed, any non-final state -> cancelled.
// A scheduled job may also go back to pending (the dispatcher un-assigns it from the board).
// completed and cancelled are final.

import type { JobStatus, JobType } from "./types";

export const TRANSITIONS: Record<JobStatus, readonly JobStatus[]> = {
  pending: ["scheduled", "cancelled"],
  scheduled: ["in_progress", "pending", "cancelled"],
  in_progress: ["completed", "cancelled"],
  completed: [],
  cancelled: [],
};

export const INITIAL_STATUSES: readonly JobStatus[] = ["pending", "scheduled"];

/** Default planned duration in minutes by job type. */
export const DEFAULT_DURATION_MIN: Record<JobType, number> = {
  installation: 240,
  maintenance: 90,
  repair: 120,
  inspection: 60,
};

export function allowedMoves(from: JobStatus): readonly JobStatus[] {
  return TRANSITIONS[from] ?? [];
}

export function isFinal(status: JobStatus): boolean {
  return allowedMoves(status).length === 0;
}

export interface FieldError {
  field: string;
  code: string;
  message: string;
}

/** The parts of a job the lifecycle looks at, after the update was merged. */
export interface LifecycleState {
  status: JobStatus;
  technicianId: string;
  scheduledDate: string;
}

function describeMoves(from: JobStatus): string {
  const moves = allowedMoves(from);
  return moves.length === 0
    ? `status „${from}” is final; no further changes are allowed`
    : `allowed from „${from}”: ${moves.join(", ")}`;
}

/**
 * Checks a status change (from = null on create). Returns field errors; empty means allowed.
 * Messages are English-first with the Polish label, because they travel to API clients and logs;
 * the dashboard maps codes to its own language.
 */
export function checkTransition(from: JobStatus | null, next: LifecycleState): FieldError[] {
  const errors: FieldError[] = [];
  if (from === null) {
    if (!INITIAL_STATUSES.includes(next.status)) {
      errors.push({
        field: "status",
        code: "invalid_initial_status",
        message: `A new job must start as ${INITIAL_STATUSES.join(" or ")}, not „${next.status}”.`,
      });
    }
  } else if (from !== next.status && !allowedMoves(from).includes(next.status)) {
    errors.push({
      field: "status",
      code: "invalid_transition",
      message: `Cannot move a job from „${from}” to „${next.status}”: ${describeMoves(from)}.`,
    });
  }
  if (errors.length === 0 && (next.status === "scheduled" || next.status === "in_progress")) {
    if (!next.technicianId) {
      errors.push({ field: "technicianId", code: "required_for_status", message: `A ${next.status} job needs a technician.` });
    }
    if (!next.scheduledDate) {
      errors.push({ field: "scheduledDate", code: "required_for_status", message: `A ${next.status} job needs a scheduled date.` });
    }
  }
  return errors;
}

export interface StatusEffects {
  startedAt?: string;
  completedDate?: string;
  actualDuration?: number;
}

/**
 * Timestamps and durations written when a job enters a status. Values the caller gave explicitly
 * are kept ("unless given"). Times are ISO strings; `nowMs` is injected for testability.
 */
export function statusEffects(
  from: JobStatus | null,
  to: JobStatus,
  job: { startedAt: number; completedDate: number; actualDuration: number; estimatedDuration: number },
  given: { startedAt: boolean; completedDate: boolean; actualDuration: boolean },
  nowMs: number,
): StatusEffects {
  const out: StatusEffects = {};
  if (from === to) return out;
  let started = job.startedAt;
  if (to === "in_progress" && !given.startedAt) {
    started = nowMs;
    out.startedAt = new Date(nowMs).toISOString();
  }
  if (to === "completed") {
    let done = job.completedDate;
    if (!given.completedDate || !Number.isFinite(done)) {
      done = nowMs;
      out.completedDate = new Date(nowMs).toISOString();
    }
    if (!given.actualDuration || !(job.actualDuration > 0)) {
      out.actualDuration =
        Number.isFinite(started) && done >= started
          ? Math.max(1, Math.round((done - started) / 60_000))
          : job.estimatedDuration;
    }
  }
  return out;
}
