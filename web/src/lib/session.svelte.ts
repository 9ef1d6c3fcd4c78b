// The signed-in user and the PocketBase client every page uses. The SDK keeps the auth token in
// localStorage; a 401 from any request signs out and returns to the login page.
import { goto } from "$app/navigation";
import { createClient } from "$client";
import type { UserRecord } from "$domain/types";

export const pb = createClient("/");

let user = $state<UserRecord | null>((pb.authStore.model as UserRecord | null) ?? null);

pb.authStore.onChange(() => {
  user = (pb.authStore.model as UserRecord | null) ?? null;
});

pb.afterSend = (response, data) => {
  if (response.status === 401 && pb.authStore.isValid) {
    pb.authStore.clear();
    void goto("/login");
  }
  return data;
};

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
