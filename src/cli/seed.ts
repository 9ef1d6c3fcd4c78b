// Loads the demo accounts and the deterministic Warsaw demo data through the real API, so every
// hook rule applies to it. Idempotent: records have fixed ids; existing ones are skipped, and a job
// left half-way by an interrupted run is walked on to its final status.
import { ClientResponseError, createClient, describeError, type HvacClient } from "../client";
import { DEMO_ADMIN_EMAIL, DEMO_PASSWORD, serverUrl } from "../config";
import { demoContacts, demoEquipment, demoJobs, demoUsers, type DemoJob } from "../demo/generate";
import type { JobStatus } from "../domain/types";
import { pool } from "./pool";

export interface SeedSummary {
  users: number;
  contacts: number;
  jobs: number;
  equipment: number;
  skipped: number;
}

async function existingIds(pb: HvacClient, collection: "users" | "contacts" | "jobs" | "equipment"): Promise<Map<string, string>> {
  const rows = await pb.collection(collection).getFullList({ fields: collection === "jobs" ? "id,status" : "id", batch: 1000 });
  return new Map(rows.map((r) => [r.id, (r as unknown as { status?: string }).status ?? ""]));
}

/** The lifecycle steps from `from` to the job's final status, with the real (past) times. */
function stepsFrom(from: JobStatus, job: DemoJob): Record<string, unknown>[] {
  const steps: Record<string, unknown>[] = [];
  const target = job.finalStatus;
  let at = from;
  const wantsWork = target === "in_progress" || target === "completed";
  if (at === "pending" && (target === "scheduled" || wantsWork)) {
    steps.push({ status: "scheduled", technicianId: job.technicianId, scheduledDate: job.scheduledDate });
    at = "scheduled";
  }
  if (at === "scheduled" && wantsWork) {
    steps.push({ status: "in_progress", startedAt: job.startedAt });
    at = "in_progress";
  }
  if (at === "in_progress" && target === "completed") {
    steps.push({ status: "completed", completedDate: job.completedDate, actualDuration: job.actualDuration });
  }
  if (target === "cancelled" && at !== "cancelled") steps.push({ status: "cancelled" });
  return steps;
}

/**
 * A job update that survives a concurrent write: the overdue cron (every 5 minutes) may touch a
 * demo job while it is being loaded, and the jobs' write lock then refuses the write. Before the save
 * that is a 409; in the save itself (the lock's claim in the model hook) PocketBase 0.22 wraps the
 * error into a bare 400 "Failed to update record." with no field errors. Both are retried a few
 * times; a field error (a real mistake in the demo data) is not.
 */
function lostRace(err: unknown): boolean {
  if (!(err instanceof ClientResponseError)) return false;
  if (err.status === 409) return true;
  const data = (err.response as { data?: Record<string, unknown> } | undefined)?.data ?? {};
  return err.status === 400 && Object.keys(data).length === 0;
}

async function updateJob(pb: HvacClient, id: string, step: Record<string, unknown>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await pb.collection("jobs").update(id, step);
      return;
    } catch (err) {
      if (!lostRace(err) || attempt >= 5) throw err;
      await new Promise((r) => setTimeout(r, 100 * attempt));
    }
  }
}

export async function seed(url: string, adminEmail: string, adminPassword: string, now = new Date(), log = console.log): Promise<SeedSummary> {
  const pb = createClient(url);
  await pb.admins.authWithPassword(adminEmail, adminPassword);
  const summary: SeedSummary = { users: 0, contacts: 0, jobs: 0, equipment: 0, skipped: 0 };

  const users = demoUsers();
  const haveUsers = await existingIds(pb, "users");
  for (const u of users) {
    if (haveUsers.has(u.id)) {
      summary.skipped++;
      continue;
    }
    await pb.collection("users").create({
      id: u.id, email: u.email, emailVisibility: true, verified: true, password: DEMO_PASSWORD, passwordConfirm: DEMO_PASSWORD,
      name: u.name, role: u.role, phone: u.phone, districts: u.districts, skills: u.skills,
    });
    summary.users++;
  }

  const contacts = demoContacts();
  const haveContacts = await existingIds(pb, "contacts");
  await pool(contacts, 6, async (c) => {
    if (haveContacts.has(c.id)) {
      summary.skipped++;
      return;
    }
    await pb.collection("contacts").create({
      id: c.id, name: c.name, email: c.email, phone: c.phone, address: c.address, district: c.district,
      propertyType: c.propertyType, nip: c.nip ?? "", notes: c.notes ?? "",
      ...(c.affluenceScore !== undefined ? { affluenceScore: c.affluenceScore } : {}),
    });
    summary.contacts++;
  });
  log(`  contacts: ${summary.contacts} created`);

  // Jobs are laid out around the moment of the FIRST seeding (when the first demo user was
  // created), so running this again on a later day resumes the same data set instead of a new one.
  const anchor = await pb.collection("users").getOne(users[0].id, { fields: "created" });
  const firstSeeded = Date.parse(anchor.created.replace(" ", "T"));
  const anchorDate = Number.isFinite(firstSeeded) ? new Date(Math.min(firstSeeded, now.getTime())) : now;
  const jobs = demoJobs(contacts, users, anchorDate);
  const coordinates = new Map(contacts.map((c) => [c.id, c.coordinates]));
  const haveJobs = await existingIds(pb, "jobs");
  await pool(jobs, 6, async (job) => {
    let status = haveJobs.get(job.id) as JobStatus | undefined;
    if (status === undefined) {
      await pb.collection("jobs").create({
        id: job.id, contactId: job.contactId, title: job.title, description: job.description, type: job.type,
        priority: job.priority, estimatedDuration: job.estimatedDuration, coordinates: coordinates.get(job.contactId),
        status: "pending", technicianId: job.technicianId ?? "", scheduledDate: job.scheduledDate ?? "",
      });
      status = "pending";
      summary.jobs++;
    } else {
      summary.skipped++;
    }
    for (const step of stepsFrom(status, job)) await updateJob(pb, job.id, step);
  });
  log(`  jobs: ${summary.jobs} created`);

  // The F-gas register's units, dated around the first seeding like the jobs (the hook computes
  // CO2e, interval and next check as for any unit).
  const haveUnits = await existingIds(pb, "equipment");
  for (const u of demoEquipment(contacts, anchorDate)) {
    if (haveUnits.has(u.id)) {
      summary.skipped++;
      continue;
    }
    await pb.collection("equipment").create({ ...u });
    summary.equipment++;
  }
  log(`  equipment: ${summary.equipment} created`);

  // Alerts raised by history (jobs long finished) are acknowledged so the board starts calm.
  const stale = await pb.collection("realtime_events").getFullList({
    filter: "type = 'emergency_alert' && processed = false && (jobId.status = 'completed' || jobId.status = 'cancelled')",
    fields: "id",
  });
  await pool(stale, 6, async (e) => {
    await pb.collection("realtime_events").update(e.id, { processed: true });
  });
  return summary;
}

export async function seedCommand(args: string[]): Promise<number> {
  const url = serverUrl(args[0]);
  const email = process.env.HVAC_ADMIN_EMAIL || DEMO_ADMIN_EMAIL;
  const password = process.env.HVAC_ADMIN_PASSWORD || DEMO_PASSWORD;
  try {
    const s = await seed(url, email, password);
    console.log(`Demo data: ${s.users} users, ${s.contacts} contacts, ${s.jobs} jobs, ${s.equipment} units created; ${s.skipped} already there.`);
    return 0;
  } catch (err) {
    const e = describeError(err);
    const fields = Object.entries(e.fields).map(([k, v]) => `${k}: ${v}`).join("; ");
    console.error(`Seeding ${url} failed: ${e.message}${fields ? ` (${fields})` : ""}`);
    return 1;
  }
}
