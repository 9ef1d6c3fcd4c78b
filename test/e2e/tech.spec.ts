// The technician's phone (/tech): the day moves on at midnight, „Zakończ” tapped while the notes
// are saving is not lost, and failures (photo upload, location) are told in Polish, not in the
// server's English. tech5 and tech6 are this spec's own technicians.
import type { Browser } from "@playwright/test";
import { shiftDay, warsawDayKey, warsawTime } from "../../src/domain/board";
import { apiAs, someContact, todayAt, uniqueTitle, userId } from "./api";
import { DISPATCHER, TECHNICIANS, expect, loginAs, test } from "./fixtures";
import { PNG_1X1 } from "../helpers/fixtures";

const TECH5 = TECHNICIANS[4];
const TECH6 = TECHNICIANS[5];

async function phoneContext(browser: Browser, geolocation = false) {
  return browser.newContext({
    viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: "pl-PL", timezoneId: "Europe/Warsaw",
    ...(geolocation ? { permissions: ["geolocation"], geolocation: { latitude: 52.2297, longitude: 21.0122 } } : {}),
  });
}

const isoAt = (day: string, hour: number) => new Date(warsawTime(day, hour, 0)).toISOString();

test("after midnight in Warsaw the phone shows the new day's jobs, not yesterday's", async ({ browser }) => {
  const api = await apiAs(DISPATCHER);
  const tech = await userId(api, TECH5);
  const contact = await someContact(api);
  const today = warsawDayKey(Date.now());
  const tomorrow = shiftDay(today, 1);
  const make = (title: string, day: string) => api.collection("jobs").create({
    contactId: contact.id, title, description: "Serwis", type: "maintenance",
    status: "scheduled", technicianId: tech, scheduledDate: isoAt(day, 10),
  });
  const todays = await make(uniqueTitle("Dzisiejszy serwis"), today);
  const tomorrows = await make(uniqueTitle("Jutrzejszy serwis"), tomorrow);

  const phone = await (await phoneContext(browser)).newPage();
  // The phone's clock: two minutes before midnight in Warsaw.
  await phone.clock.install({ time: warsawTime(tomorrow, 0, 0) - 2 * 60_000 });
  await loginAs(phone, TECH5);
  const card = (id: string) => phone.locator(`[data-testid="tech-job"][data-job-id="${id}"]`);
  await expect(card(todays.id)).toBeVisible();
  await expect(card(tomorrows.id)).toHaveCount(0);

  await phone.clock.fastForward("03:00");
  await expect(card(tomorrows.id)).toBeVisible();
  await expect(card(todays.id)).toHaveCount(0);
});

test("„Zakończ” tapped while the notes are saving completes the job, with the notes", async ({ browser }) => {
  const api = await apiAs(DISPATCHER);
  const tech = await userId(api, TECH6);
  const contact = await someContact(api);
  const job = await api.collection("jobs").create({
    contactId: contact.id, title: uniqueTitle("Czyszczenie klimatyzatora"), description: "Serwis", type: "maintenance",
    status: "scheduled", technicianId: tech, scheduledDate: todayAt(8, 0), estimatedDuration: 60,
  });
  await api.collection("jobs").update(job.id, { status: "in_progress" });

  const phone = await (await phoneContext(browser)).newPage();
  await loginAs(phone, TECH6);
  const card = phone.locator(`[data-testid="tech-job"][data-job-id="${job.id}"]`);
  await expect(card.getByTestId("tech-status")).toHaveText("w trakcie");
  await card.getByLabel("Czas pracy (min)").fill("40");

  // The notes' own save (sent when the field loses focus) is held until the tap has happened.
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let notesSaves = 0;
  await phone.route(`**/api/collections/jobs/records/${job.id}?*`, async (route) => {
    const body = route.request().method() === "PATCH" ? (route.request().postDataJSON() as Record<string, unknown>) : {};
    if ("notes" in body && !("status" in body)) {
      notesSaves++;
      await released;
    }
    await route.continue();
  });

  const notes = `Wymieniono filtr, klient zadowolony (${Date.now().toString(36)})`;
  await card.getByLabel("Notatki").fill(notes);
  // Tapping the button takes the focus from the notes: their save starts, and the tap must wait for it.
  await card.getByRole("button", { name: "Zakończ" }).click();
  await expect.poll(() => notesSaves).toBe(1);
  await expect(card.getByRole("button", { name: "Zapisywanie…" })).toBeDisabled();
  release();

  await expect(card.getByTestId("tech-status")).toHaveText("zakończone");
  const done = await api.collection("jobs").getOne(job.id);
  expect(done.status).toBe("completed");
  expect(done.notes).toBe(notes);
  expect(done.actualDuration).toBe(40);
});

test("a photo the server refuses and a location it cannot take are told in Polish, not in its English", async ({ browser }) => {
  const api = await apiAs(DISPATCHER);
  const tech = await userId(api, TECH6);
  const contact = await someContact(api);
  const job = await api.collection("jobs").create({
    contactId: contact.id, title: uniqueTitle("Przegląd pompy"), description: "Przegląd", type: "inspection",
    status: "scheduled", technicianId: tech, scheduledDate: todayAt(9, 0),
  });
  const phone = await (await phoneContext(browser, true)).newPage();
  await loginAs(phone, TECH6);
  const card = phone.locator(`[data-testid="tech-job"][data-job-id="${job.id}"]`);

  // A photo over the server's request limit (413), then one over the field's size limit (400, by code).
  const answers = [
    { status: 413, body: { code: 413, message: "Request Entity Too Large", data: {} } },
    { status: 400, body: { code: 400, message: "Failed to create record.", data: { file: { code: "validation_file_size_limit", message: "Failed to upload \"a.png\" - the maximum allowed file size is 20971520 bytes." } } } },
  ];
  await phone.route("**/api/collections/equipment_photos/records*", (route) => {
    const next = answers.shift()!;
    return route.fulfill({ status: next.status, contentType: "application/json", body: JSON.stringify(next.body) });
  });
  const send = async () => {
    await card.getByLabel("Zdjęcie urządzenia").setInputFiles({ name: "kociol.png", mimeType: "image/png", buffer: PNG_1X1 });
    await card.getByRole("button", { name: "Wyślij zdjęcie" }).click();
  };
  await send();
  await expect(card.getByRole("alert")).toHaveText("Plik jest za duży.");
  await send();
  await expect(card.getByRole("alert")).toHaveText("Plik jest za duży (najwyżej 20 MB).");
  await expect(card.getByText(/maximum allowed|Entity Too Large/)).toHaveCount(0);

  // The location endpoint fails with a server error.
  await phone.route("**/api/hvac/location", (route) =>
    route.fulfill({ status: 500, contentType: "application/json", body: JSON.stringify({ code: 500, message: "Something went wrong while processing your request.", data: {} }) }));
  await phone.getByRole("switch", { name: "Udostępniaj moją lokalizację" }).check();
  // Told in a toast (once: toasts.spec.ts) and in the switch's state until a post goes through.
  const failed = "Nie udało się wysłać lokalizacji: Błąd serwera. Spróbuj ponownie za chwilę.";
  await expect(phone.getByTestId("toasts").getByRole("alert")).toHaveText(failed);
  await expect(phone.getByTestId("location-problem")).toHaveText(failed);
  await phone.getByRole("switch", { name: "Udostępniaj moją lokalizację" }).uncheck();
});
