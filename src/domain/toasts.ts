// The dashboard's toasts (short messages in a corner of the screen: a failed request with no form
// field to sit next to, a quiet confirmation) as plain data: which are shown, in which order and
// until when. Pure (the time is passed in) so the rules are unit-tested; web/src/lib/toasts.svelte.ts
// keeps the queue in a store and runs one timer for the next expiry.

export type ToastKind = "error" | "info" | "success";

export interface Toast {
  readonly id: number;
  readonly kind: ToastKind;
  readonly message: string;
  /** How many times this message came in a row: repeats are merged into one toast ("×3"). */
  readonly count: number;
  /** Its lifetime in ms; 0 = until dismissed. */
  readonly timeoutMs: number;
  /** When it goes (ms since epoch); null while held or when it stays until dismissed. */
  readonly expiresAt: number | null;
  /** Held by the user (the pointer over it, the keyboard focus in it): its clock stands still. */
  readonly held: boolean;
  /** The time it had left when it was held. */
  readonly remainingMs: number;
}

/** The toasts on screen, newest first. */
export interface ToastQueue {
  readonly toasts: readonly Toast[];
  readonly nextId: number;
}

export interface ToastInput {
  message: string;
  kind?: ToastKind;
  /** Overrides the kind's lifetime; 0 = until dismissed. */
  timeoutMs?: number;
}

/** At most this many on screen: a fifth pushes the oldest out. */
export const MAX_TOASTS = 4;

/** Errors stay long enough to be read twice (or until dismissed); confirmations go sooner. */
export const TOAST_TIMEOUT_MS: Readonly<Record<ToastKind, number>> = { error: 10_000, info: 5_000, success: 5_000 };

/** A toast let go of (the pointer left, the focus moved on) stays at least this long more. */
export const RESUME_MIN_MS = 2_000;

export function emptyQueue(): ToastQueue {
  return { toasts: [], nextId: 1 };
}

function lifetime(input: ToastInput, kind: ToastKind): number {
  const ms = input.timeoutMs;
  return typeof ms === "number" && Number.isFinite(ms) && ms >= 0 ? ms : TOAST_TIMEOUT_MS[kind];
}

function deadline(now: number, ms: number): number | null {
  return ms > 0 ? now + ms : null;
}

/**
 * Shows a message. The same message (and kind) as the newest toast on screen is not stacked again:
 * that toast counts one more and its time starts over. Over MAX_TOASTS the oldest not held by the
 * user goes. An empty message shows nothing (id null).
 */
export function pushToast(queue: ToastQueue, input: ToastInput, now: number): { queue: ToastQueue; id: number | null } {
  const message = String(input.message ?? "").trim();
  if (!message) return { queue, id: null };
  const kind: ToastKind = input.kind ?? "info";
  const ms = lifetime(input, kind);
  const newest = queue.toasts[0];
  if (newest && newest.message === message && newest.kind === kind) {
    const merged: Toast = {
      ...newest, count: newest.count + 1, timeoutMs: ms, remainingMs: ms, expiresAt: newest.held ? null : deadline(now, ms),
    };
    return { queue: { ...queue, toasts: [merged, ...queue.toasts.slice(1)] }, id: newest.id };
  }
  const toast: Toast = { id: queue.nextId, kind, message, count: 1, timeoutMs: ms, expiresAt: deadline(now, ms), held: false, remainingMs: ms };
  const toasts = [toast, ...queue.toasts];
  while (toasts.length > MAX_TOASTS) {
    // The oldest goes, unless the user is on it (reading it, about to close it): then the next oldest.
    let drop = toasts.length - 1;
    while (drop > 0 && toasts[drop].held) drop--;
    toasts.splice(drop > 0 ? drop : toasts.length - 1, 1);
  }
  return { queue: { toasts, nextId: queue.nextId + 1 }, id: toast.id };
}

export function dismissToast(queue: ToastQueue, id: number): ToastQueue {
  return queue.toasts.some((t) => t.id === id) ? { ...queue, toasts: queue.toasts.filter((t) => t.id !== id) } : queue;
}

/** Drops the toasts whose time is up at `now` (held ones and those kept until dismissed stay). */
export function expireToasts(queue: ToastQueue, now: number): ToastQueue {
  const left = queue.toasts.filter((t) => t.expiresAt === null || t.expiresAt > now);
  return left.length === queue.toasts.length ? queue : { ...queue, toasts: left };
}

/** When the next toast goes (for the one timer), or null when none will by itself. */
export function nextExpiry(queue: ToastQueue): number | null {
  let next: number | null = null;
  for (const t of queue.toasts) if (t.expiresAt !== null && (next === null || t.expiresAt < next)) next = t.expiresAt;
  return next;
}

/** The pointer or the focus is on a toast: it stays until let go of. */
export function holdToast(queue: ToastQueue, id: number, now: number): ToastQueue {
  return update(queue, id, (t) =>
    t.held ? t : { ...t, held: true, expiresAt: null, remainingMs: t.expiresAt === null ? t.remainingMs : Math.max(0, t.expiresAt - now) });
}

/** Let go of: its clock runs again with the time it had left (at least RESUME_MIN_MS). */
export function releaseToast(queue: ToastQueue, id: number, now: number): ToastQueue {
  return update(queue, id, (t) =>
    !t.held ? t : { ...t, held: false, expiresAt: t.timeoutMs > 0 ? now + Math.max(t.remainingMs, RESUME_MIN_MS) : null });
}

function update(queue: ToastQueue, id: number, change: (t: Toast) => Toast): ToastQueue {
  let changed = false;
  const toasts = queue.toasts.map((t) => {
    if (t.id !== id) return t;
    const next = change(t);
    changed ||= next !== t;
    return next;
  });
  return changed ? { ...queue, toasts } : queue;
}

/**
 * A form's field errors split into those it shows next to a field and the rest (fields the form
 * has no input for), which the page says in a toast instead of dropping or printing raw names.
 */
export function splitFieldErrors(
  errors: Readonly<Record<string, string>>,
  shown: readonly string[],
): { shown: Record<string, string>; other: Record<string, string> } {
  const inForm: Record<string, string> = {};
  const other: Record<string, string> = {};
  for (const [field, text] of Object.entries(errors)) {
    if (!text) continue;
    if (shown.includes(field)) inForm[field] = text;
    else other[field] = text;
  }
  return { shown: inForm, other };
}
