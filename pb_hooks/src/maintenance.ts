// POST /api/hvac/maintenance/:task (admins only): runs a scheduled task now. Useful after
// downtime, and lets tests exercise cron work without waiting for the clock. An optional
// {"now": ISO timestamp} runs the task as of that instant - for real: a prune "as of" a later
// date deletes what would be old by then.
import { parseTimestamp } from "../../src/domain/time";
import { pruneLocationEvents } from "./events";
import { escalateOverdueJobs } from "./jobs";
import { failFields, requestCtx } from "./pb";
import { flushSearchIndex } from "./search";

const TASKS: Record<string, (now: number) => number> = {
  "overdue-jobs": escalateOverdueJobs,
  "prune-locations": pruneLocationEvents,
  "search-index": () => flushSearchIndex(),
};

export function runMaintenance(c: echo.Context): void {
  const task = c.pathParam("task");
  const run = Object.prototype.hasOwnProperty.call(TASKS, task) ? TASKS[task] : undefined;
  if (!run) throw new NotFoundError(`Unknown task „${task}”; known: ${Object.keys(TASKS).join(", ")}.`, {});
  const { data } = requestCtx(c);
  let now = Date.now();
  if (data["now"] !== undefined && data["now"] !== "") {
    now = parseTimestamp(data["now"]);
    if (!Number.isFinite(now)) failFields([{ field: "now", code: "invalid_date", message: "now must be an ISO 8601 timestamp." }]);
  }
  c.json(200, { task, changed: run(now) });
}
