// The signed-in user and the PocketBase client every page uses. The SDK keeps the auth token in
// localStorage; a 401 from any request signs out and returns to the login page.
import { goto } from "$app/navigation";
import { createClient } from "$client";
import type { UserRecord } from "$domain/types";

export const pb = createClient("/");

/** The stored user, when its token has not expired (an expired token means logging in again). */
function current(): UserRecord | null {
  return pb.authStore.isValid ? ((pb.authStore.model as UserRecord | null) ?? null) : null;
}

let user = $state<UserRecord | null>(current());

pb.authStore.onChange(() => {
  user = current();
});

// PocketBase treats a bad token as no token; an answer of 401 (or 403 for a request that needs an
// account) while we think we are signed in means the session is gone: back to the login page.
pb.afterSend = (response, data) => {
  if (response.status === 401 && pb.authStore.token) {
    pb.authStore.clear();
    void goto("/login");
  }
  return data;
};

// On start, renew the token and re-read the account: a user deleted or whose role changed since
// the last visit finds out now, not at the first failing click.
if (pb.authStore.isValid) {
  pb.collection("users").authRefresh().catch((err: { status?: number }) => {
    if (err?.status === 401 || err?.status === 403 || err?.status === 404) {
      pb.authStore.clear();
      void goto("/login");
    }
  });
} else if (pb.authStore.token) {
  pb.authStore.clear();
}

export const session = {
  get user(): UserRecord | null {
    return user;
  },
  get staff(): boolean {
    return user?.role === "dispatcher" || user?.role === "manager";
  },
};

/** Where a role starts. */
export function homeFor(u: UserRecord | null): string {
  if (!u) return "/login";
  return u.role === "technician" ? "/tech" : "/board";
}

export function logout(): void {
  pb.realtime.unsubscribe().catch(() => {});
  pb.authStore.clear();
  void goto("/login");
}
