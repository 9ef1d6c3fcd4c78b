// The toast store: `toast(message, { kind })` from anywhere; <Toasts /> (mounted once by the root
// layout) shows them. For failures that have no form field to sit next to (a refused drag, a lost
// connection on a button, a photo that did not go) and quiet confirmations. The rules (merging
// repeats, the limit, lifetimes, holding) are pure data in $domain/toasts; here one timer removes
// each toast when its time is up.
import {
  dismissToast as dismissIn, emptyQueue, expireToasts, holdToast as holdIn, nextExpiry, pushToast, releaseToast as releaseIn,
  type Toast, type ToastKind,
} from "$domain/toasts";
import { errorText } from "$lib/errors";
import { t } from "$lib/i18n.svelte";

export type { Toast, ToastKind };

let queue = $state.raw(emptyQueue());
let timer: ReturnType<typeof setTimeout> | undefined;

/** One timer, for the toast that goes next. */
function schedule(): void {
  clearTimeout(timer);
  const at = nextExpiry(queue);
  if (at === null) return;
  timer = setTimeout(() => {
    queue = expireToasts(queue, Date.now());
    schedule();
  }, Math.max(0, at - Date.now()));
}

function set(next: typeof queue): void {
  if (next === queue) return;
  queue = next;
  schedule();
}

/** The toasts on screen, newest first. */
export const toasts = {
  get list(): readonly Toast[] {
    return queue.toasts;
  },
};

/**
 * Shows a message (already in the user's language). Errors stay 10 s (or until dismissed), info and
 * success 5 s; `timeoutMs: 0` keeps it until dismissed. Returns its id (a repeat returns the id of
 * the toast it was merged into), or null for an empty message.
 */
export function toast(message: string, options: { kind?: ToastKind; timeoutMs?: number } = {}): number | null {
  const { queue: next, id } = pushToast(queue, { message, kind: options.kind, timeoutMs: options.timeoutMs }, Date.now());
  set(next);
  return id;
}

/** A failed request as an error toast: why it failed (errorText), after what it was about, if given. */
export function toastFailure(err: unknown, about = ""): number | null {
  return toast(about ? `${about}: ${errorText(err)}` : errorText(err), { kind: "error" });
}

/**
 * Server field errors for fields the form does not show (nowhere to put them next to): one error
 * toast in a sentence, with the field's label where the page has one.
 */
export function toastOtherFields(other: Record<string, string>, label: (field: string) => string = () => ""): number | null {
  const parts = Object.entries(other).map(([field, text]) => {
    // "Klient: Klient tego zlecenia nie istnieje" says it twice: the label only where it adds something.
    const name = label(field);
    return name && !text.toLowerCase().includes(name.toLowerCase()) ? `${name}: ${text}` : text;
  });
  const unique = [...new Set(parts)];
  if (unique.length === 0) return null;
  return toast(`${t("toasts.otherFields")} ${unique.join(" ")}`, { kind: "error" });
}

export function dismissToast(id: number): void {
  set(dismissIn(queue, id));
}

/** The pointer or the keyboard focus is on the toast: it does not go while being read or reached. */
export function holdToast(id: number): void {
  set(holdIn(queue, id, Date.now()));
}

export function releaseToast(id: number): void {
  set(releaseIn(queue, id, Date.now()));
}
