// The migrations repeat the domain's value lists (migrations run inside PocketBase and cannot
// import our TypeScript): this keeps the two from drifting apart.
import { afterAll, beforeAll, expect, it } from "vitest";
import { DISTRICT_NAMES } from "../../src/domain/districts";
import {
  EVENT_TYPES, INVOICE_STATUSES, JOB_STATUSES, JOB_TYPES, PRIORITIES, PROPERTY_TYPES, ROLES, SKILLS,
} from "../../src/domain/types";
import { startPocketBase, type RunningPocketBase } from "../helpers/pocketbase";

let pb: RunningPocketBase;
beforeAll(async () => {
  pb = await startPocketBase();
});
afterAll(async () => {
  await pb?.stop();
});

it.each([
  ["users", "role", ROLES],
  ["users", "districts", DISTRICT_NAMES],
  ["users", "skills", SKILLS],
  ["contacts", "district", DISTRICT_NAMES],
  ["contacts", "propertyType", PROPERTY_TYPES],
  ["jobs", "type", JOB_TYPES],
  ["jobs", "status", JOB_STATUSES],
  ["jobs", "priority", PRIORITIES],
  ["invoices", "status", INVOICE_STATUSES],
  ["realtime_events", "type", EVENT_TYPES],
  ["realtime_events", "district", DISTRICT_NAMES],
  ["realtime_events", "priority", PRIORITIES],
] as const)("%s.%s allows exactly the domain's values", async (collection, field, values) => {
  const schema = (await pb.admin.collections.getOne(collection)).schema as { name: string; options: { values?: string[] } }[];
  expect(schema.find((f) => f.name === field)?.options.values).toEqual([...values]);
});

it("collections have the fixed ids relations rely on", async () => {
  const ids = Object.fromEntries((await pb.admin.collections.getFullList()).map((c) => [c.name, c.id]));
  expect(ids).toMatchObject({
    users: "_pb_users_auth_", contacts: "hvaccontacts000", jobs: "hvacjobs0000000",
    equipment_photos: "hvacphotos00000", invoices: "hvacinvoices000", realtime_events: "hvacevents00000",
  });
});
