// Job records as the dashboard shows them.
import type { BoardJob } from "$domain/board";
import type { ContactRecord, JobRecord } from "$domain/types";

export type ExpandedJob = JobRecord & { expand?: { contactId?: ContactRecord } };

export function toBoardJob(job: ExpandedJob): BoardJob {
  const contact = job.expand?.contactId;
  return {
    id: job.id,
    title: job.title,
    type: job.type,
    status: job.status,
    priority: job.priority,
    technicianId: job.technicianId ?? "",
    scheduledDate: job.scheduledDate ?? "",
    estimatedDuration: Number(job.estimatedDuration) || 0,
    contactName: contact?.name ?? "",
    district: contact?.district ?? "",
    address: contact?.address ?? "",
    updated: job.updated ?? "",
  };
}

/** Tailwind classes of a priority's colour (left border + badge). */
export const PRIORITY_STYLE: Record<string, string> = {
  low: "border-l-slate-400",
  medium: "border-l-sky-500",
  high: "border-l-amber-500",
  urgent: "border-l-red-600",
};

export const PRIORITY_BADGE: Record<string, string> = {
  low: "bg-slate-100 text-slate-700",
  medium: "bg-sky-100 text-sky-800",
  high: "bg-amber-100 text-amber-900",
  urgent: "bg-red-600 text-white",
};
