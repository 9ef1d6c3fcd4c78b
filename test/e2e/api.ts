// The API side of the browser tests: an SDK client signed in as a demo user, against the server the
// global setup started, to arrange data and check what the dashboard saved.
import { createClient, type HvacClient } from "../../src/client";
import { warsawDayKey, warsawTime } from "../../src/domain/board";
import { DEMO_PASSWORD } from "../../src/config";

export async function apiAs(email: string): Promise<HvacClient> {
  const url = process.env.E2E_BASE_URL;
  if (!url) throw new Error("E2E_BASE_URL is not set: run the specs through playwright.config.ts");
  const pb = createClient(url);
  await pb.collection("users").authWithPassword(email, DEMO_PASSWORD);
  return pb;
}

export async function userId(pb: HvacClient, email: string): Promise<string> {
  return (await pb.collection("users").getFirstListItem(pb.filter("email = {:email}", { email }))).id;
}

/** A demo contact in a district (any district when not given). */
export async function someContact(pb: HvacClient, district?: string) {
  const filter = district ? pb.filter("district = {:district}", { district }) : "";
  return pb.collection("contacts").getFirstListItem(filter, { sort: "created" });
}

/** ISO instant of a Warsaw wall-clock time today. */
export function todayAt(hour: number, minute = 0): string {
  return new Date(warsawTime(warsawDayKey(Date.now()), hour, minute)).toISOString();
}

/** A unique job title, so specs never find each other's jobs. */
export function uniqueTitle(prefix: string): string {
  return `${prefix} ${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}
