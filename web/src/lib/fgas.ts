// What the F-gas register's pages (/fgas, /fgas/[id]) share.
import type { RegisterStatus } from "$domain/fgas-register";

/** Badge colours of a unit's check status. */
export const REGISTER_BADGE: Record<RegisterStatus, string> = {
  overdue: "bg-red-100 text-red-800",
  no_history: "bg-red-50 text-red-700 ring-1 ring-red-300",
  due_soon: "bg-amber-100 text-amber-900",
  ok: "bg-green-100 text-green-800",
  not_required: "bg-slate-100 text-slate-600",
  incomplete: "bg-purple-100 text-purple-800",
};
