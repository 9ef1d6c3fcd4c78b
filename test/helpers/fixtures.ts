// Small, explicit fixtures for integration tests: one user per role (two technicians with known
// districts), signed-in SDK clients for each, and helpers to create contacts and jobs.
import type PocketBase from "pocketbase";
import type { RunningPocketBase } from "./pocketbase";

export const PASSWORD = "hvac-test-2026";

/** A 1x1 PNG: enough for PocketBase to accept, store and thumbnail an uploaded image. */
export const PNG_1X1 = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
  "base64",
);

export interface World {
  dispatcher: PocketBase;
  dispatcher2: PocketBase;
  manager: PocketBase;
  /** serves Mokotów, Ursynów */
  tech1: PocketBase;
  /** serves Wola, Bemowo */
  tech2: PocketBase;
  anon: PocketBase;
  ids: Record<"dispatcher" | "dispatcher2" | "manager" | "tech1" | "tech2", string>;
}

const PEOPLE = [
  { key: "dispatcher", role: "dispatcher", name: "Anna Dyspozytorka", districts: [] as string[] },
  { key: "dispatcher2", role: "dispatcher", name: "Ewa Dyspozytorka", districts: [] },
  { key: "manager", role: "manager", name: "Marek Kierownik", districts: [] },
  { key: "tech1", role: "technician", name: "Piotr Serwisant", districts: ["Mokotów", "Ursynów"] },
  { key: "tech2", role: "technician", name: "Jan Monter", districts: ["Wola", "Bemowo"] },
] as const;

export async function createWorld(pb: RunningPocketBase, tag = ""): Promise<World> {
  const ids = {} as World["ids"];
  const clients = {} as Record<string, PocketBase>;
  for (const p of PEOPLE) {
    const email = `${p.key}${tag}@hvac.test`;
    const rec = await pb.admin.collection("users").create({
      email, password: PASSWORD, passwordConfirm: PASSWORD, name: p.name, role: p.role,
      districts: p.districts, skills: p.role === "technician" ? ["repair", "maintenance", "gas"] : [],
    });
    ids[p.key] = rec.id;
    const c = pb.client();
    await c.collection("users").authWithPassword(email, PASSWORD);
    clients[p.key] = c;
  }
  return { ...(clients as unknown as Omit<World, "ids" | "anon">), anon: pb.client(), ids };
}

let seq = 0;
export async function makeContact(pb: PocketBase, over: Record<string, unknown> = {}) {
  seq++;
  return pb.collection("contacts").create({
    name: `Klient ${seq}`,
    phone: "+48 600 100 200",
    address: `ul. Puławska ${seq}, 02-515 Warszawa`,
    district: "Mokotów",
    propertyType: "apartment",
    ...over,
  });
}

export async function makeJob(pb: PocketBase, contactId: string, over: Record<string, unknown> = {}) {
  return pb.collection("jobs").create({
    contactId,
    title: "Przegląd kotła",
    description: "Coroczny przegląd",
    type: "maintenance",
    ...over,
  });
}

/** Error details of a failed SDK call: status and field error map. */
export async function failure(p: Promise<unknown>): Promise<{ status: number; data: Record<string, { code: string; message: string }>; message: string }> {
  try {
    await p;
  } catch (err) {
    const e = err as { status: number; response?: { data?: Record<string, { code: string; message: string }>; message?: string } };
    return { status: e.status, data: e.response?.data ?? {}, message: e.response?.message ?? "" };
  }
  throw new Error("expected the call to fail, but it succeeded");
}
