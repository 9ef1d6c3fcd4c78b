// Toasts (issue 3: "other failures as a toast with a human sentence"): a request that fails with no
// form field to blame - a board assign, a status move on the job page, Start on the phone, the
// location post - is told in a toast, in Polish, as role="alert", that the keyboard can reach
// (Alt+T) and close (Enter, Escape); a field error still sits next to its field and is no toast;
// field errors of fields the form does not show are one toast sentence. The toasts cover neither
// the alerts panel (office) nor the job buttons on a phone. tech4 is this spec's own technician.
import type { Locator, Page } from "@playwright/test";
import { apiAs, someContact, todayAt, uniqueTitle, userId } from "./api";
import { DISPATCHER, TECHNICIANS, expect, loginAs, test } from "./fixtures";

const TECH4 = TECHNICIANS[3];
const SERVER_ERROR = { status: 500, contentType: "application/json", body: JSON.stringify({ code: 500, message: "Something went wrong while processing your request.", data: {} }) };

type Box = { x: number; y: number; width: number; height: number };
const overlaps = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

async function box(locator: Locator): Promise<Box> {
  const b = await locator.boundingBox();
  if (!b) throw new Error("not on screen");
  return b;
}

/** The toasts shown now (newest first). */
const toasts = (page: Page) => page.getByTestId("toasts").getByTestId("toast");

test("a board assign the server fails is a Polish toast (role alert) besides the card's message; repeats merge; Alt+T and Enter close it", async ({ page }, testInfo) => {
  const api = await apiAs(DISPATCHER);
  const contact = await someContact(api);
  const title = uniqueTitle("Wymiana filtra");
  const job = await api.collection("jobs").create({ contactId: contact.id, title, description: "Filtr do wymiany", type: "maintenance" });
  await loginAs(page, DISPATCHER);
  const card = page.locator(`[data-job-id="${job.id}"]`);
  await expect(card).toBeVisible();

  await page.route(`**/api/collections/jobs/records/${job.id}?*`, (route) =>
    route.request().method() === "PATCH" ? route.fulfill(SERVER_ERROR) : route.continue());
  await card.getByRole("button", { name: "Przydziel" }).click();
  const time = card.getByLabel("Godzina");
  await time.fill("11:00");
  await time.press("Enter");

  const sentence = "Błąd serwera. Spróbuj ponownie za chwilę.";
  const toast = page.getByTestId("toasts").getByRole("alert");
  await expect(toast).toHaveText(`„${title}”: ${sentence}`);
  // The lifecycle's place is the card: it keeps the reason too.
  await expect(card.getByRole("alert")).toHaveText(sentence);
  await expect(page.getByText("Something went wrong")).toHaveCount(0);

  // Saved again, failed again: one toast counting two, not two toasts.
  await time.press("Enter");
  await expect(toasts(page).getByTestId("toast-count")).toHaveText("×2");
  await expect(toasts(page)).toHaveCount(1);
  await expect(toast).toContainText("(powtórzone 2 razy)");

  // Bottom right: the alerts panel at the top stays uncovered.
  expect(overlaps(await box(toasts(page)), await box(page.getByTestId("alerts-panel")))).toBe(false);
  const shot = testInfo.outputPath("board-toast.png");
  await page.screenshot({ path: shot });
  await testInfo.attach("board with an error toast", { path: shot, contentType: "image/png" });

  // Keyboard: Alt+T jumps to the toast's close button, Enter closes it and the focus goes back.
  await expect(time).toBeFocused();
  await page.keyboard.press("Alt+KeyT");
  await expect(page.getByRole("button", { name: "Zamknij powiadomienie" })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(toasts(page)).toHaveCount(0);
  await expect(time).toBeFocused();
  expect((await api.collection("jobs").getOne(job.id)).status).toBe("pending");
});

test("on the job page a status move without a connection is a toast (closed with Escape); field errors stay next to their fields", async ({ page }, testInfo) => {
  const api = await apiAs(DISPATCHER);
  const contact = await someContact(api);
  const job = await api.collection("jobs").create({
    contactId: contact.id, title: uniqueTitle("Awaria pompy obiegowej"), description: "Pompa nie rusza", type: "repair",
    status: "scheduled", technicianId: await userId(api, TECH4), scheduledDate: "2031-06-10 08:00:00.000Z",
  });
  await loginAs(page, DISPATCHER);
  await page.goto(`/jobs/${job.id}`);
  await expect(page.getByTestId("job-status")).toHaveText("zaplanowane");

  // The move's request never gets an answer (the office's connection dropped).
  const jobUrl = `**/api/collections/jobs/records/${job.id}?*`;
  await page.route(jobUrl, (route) => (route.request().method() === "PATCH" ? route.abort("internetdisconnected") : route.continue()));
  const start = page.getByTestId("status-moves").getByRole("button", { name: "Rozpocznij" });
  await start.click();
  const toast = page.getByTestId("toasts").getByRole("alert");
  await expect(toast).toHaveText("Brak połączenia z serwerem. Sprawdź internet i spróbuj ponownie.");
  await expect(page.getByTestId("move-error")).toHaveCount(0);
  await expect(page.getByTestId("job-status")).toHaveText("zaplanowane");
  const shot = testInfo.outputPath("job-page-toast.png");
  await page.screenshot({ path: shot });
  await testInfo.attach("job page with an error toast", { path: shot, contentType: "image/png" });

  // Escape closes it and takes the keyboard back where it was.
  await start.focus();
  await page.keyboard.press("Alt+KeyT");
  await expect(page.getByRole("button", { name: "Zamknij powiadomienie" })).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(toasts(page)).toHaveCount(0);
  await expect(start).toBeFocused();
  await page.unroute(jobUrl);

  // A value the server refuses (time worked on a job not started yet): next to its field, no toast.
  const duration = page.getByLabel("Rzeczywisty czas pracy (min)");
  await duration.fill("95");
  await page.getByRole("button", { name: "Zapisz zmiany" }).click();
  await expect(page.getByTestId("error-actualDuration")).toHaveText("Czas pracy można podać dopiero po rozpoczęciu zlecenia.");
  await expect(duration).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByTestId("form-error")).toHaveText("Nie zapisano: popraw zaznaczone pola.");
  await expect(toasts(page)).toHaveCount(0);
  await page.getByRole("button", { name: "Odrzuć zmiany" }).click();

  // A refusal naming a field the form shows and one it does not: the first next to its field, the
  // other as a toast sentence (not a raw field name on the form).
  await page.route(jobUrl, (route) =>
    route.request().method() === "PATCH"
      ? route.fulfill({
        status: 400, contentType: "application/json",
        body: JSON.stringify({
          code: 400, message: "Failed to update record.",
          data: { title: { code: "validation_required", message: "Cannot be blank." }, contactId: { code: "validation_missing_rel_records", message: "Failed to find all relation records with the provided ids." } },
        }),
      })
      : route.continue());
  await page.getByLabel("Tytuł").fill("Awaria pompy – pilne");
  await page.getByRole("button", { name: "Zapisz zmiany" }).click();
  await expect(page.getByTestId("error-title")).toHaveText("To pole jest wymagane.");
  await expect(toast).toHaveText("Serwer nie przyjął danych spoza tego formularza: Klient tego zlecenia nie istnieje: mógł zostać usunięty.");
  await expect(page.getByText("contactId")).toHaveCount(0);
  await expect(page.getByText("Failed to")).toHaveCount(0);
});

test("on a phone a failed Start is a toast naming the job that leaves the job buttons free; a failing location post toasts once, not every minute", async ({ browser }, testInfo) => {
  const api = await apiAs(DISPATCHER);
  const contact = await someContact(api);
  const title = uniqueTitle("Przegląd kotła");
  const job = await api.collection("jobs").create({
    contactId: contact.id, title, description: "Coroczny przegląd", type: "inspection",
    status: "scheduled", technicianId: await userId(api, TECH4), scheduledDate: todayAt(8, 0),
  });
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: "pl-PL", timezoneId: "Europe/Warsaw",
    permissions: ["geolocation"], geolocation: { latitude: 52.2297, longitude: 21.0122 },
  });
  const phone = await context.newPage();
  // The location switch re-sends every 15-60 s: the page's clock is moved on by the test.
  await phone.clock.install();
  await loginAs(phone, TECH4);
  const card = phone.locator(`[data-testid="tech-job"][data-job-id="${job.id}"]`);
  await expect(card.getByTestId("tech-status")).toHaveText("zaplanowane");

  const jobUrl = `**/api/collections/jobs/records/${job.id}?*`;
  await phone.route(jobUrl, (route) => (route.request().method() === "PATCH" ? route.fulfill(SERVER_ERROR) : route.continue()));
  await card.getByRole("button", { name: "Rozpocznij" }).click();
  const toast = phone.getByTestId("toasts").getByRole("alert");
  await expect(toast).toHaveText(`„${title}”: Błąd serwera. Spróbuj ponownie za chwilę.`);
  await expect(card.getByRole("alert")).toHaveCount(0);
  await expect(card.getByTestId("tech-status")).toHaveText("zaplanowane");

  // Not over the buttons the technician taps (the cards' and the location switch).
  const toastBox = await box(toasts(phone));
  for (const target of await phone.locator('[data-testid="tech-job"] button, [data-testid="tech-job"] input, [data-testid="location-share"]').all()) {
    if (await target.isVisible()) expect(overlaps(toastBox, await box(target))).toBe(false);
  }
  const shot = testInfo.outputPath("tech-toast.png");
  await phone.screenshot({ path: shot });
  await testInfo.attach("phone with an error toast (390x844)", { path: shot, contentType: "image/png" });
  await toasts(phone).getByRole("button", { name: "Zamknij powiadomienie" }).tap();
  await expect(toasts(phone)).toHaveCount(0);
  await phone.unroute(jobUrl);

  // Notes are saved when the field is left: that had nothing to show for it, now a short toast.
  await card.getByLabel("Notatki").fill("Klient prosi o telefon przed przyjazdem");
  await card.getByLabel("Notatki").blur();
  await expect(phone.getByTestId("toasts").getByRole("status")).toHaveText(`Zapisano notatki: „${title}”`);

  // The location endpoint fails each time the switch posts.
  let posts = 0;
  await phone.route("**/api/hvac/location", (route) => {
    posts++;
    return route.fulfill(SERVER_ERROR);
  });
  await phone.getByRole("switch", { name: "Udostępniaj moją lokalizację" }).check();
  const failed = "Nie udało się wysłać lokalizacji: Błąd serwera. Spróbuj ponownie za chwilę.";
  await expect(toast).toHaveText(failed);
  await expect(phone.getByTestId("location-problem")).toHaveText(failed);
  // Held by the keyboard focus, the toast stays: a second toast for the same failure would merge
  // into it and count.
  await phone.keyboard.press("Alt+KeyT");
  await expect(toasts(phone).first().getByRole("button", { name: "Zamknij powiadomienie" })).toBeFocused();
  for (let i = 0; i < 3; i++) {
    const before = posts;
    await expect.poll(async () => {
      await phone.clock.runFor(16_000);
      return posts;
    }).toBeGreaterThan(before);
  }
  // A post is sent only once the one before was answered: at least three failures have come back.
  await expect(toasts(phone)).toHaveCount(1);
  await expect(toast).toHaveText(failed);
  await expect(toasts(phone).getByTestId("toast-count")).toHaveCount(0);
  await phone.keyboard.press("Escape");
  await expect(toasts(phone)).toHaveCount(0);
  await phone.getByRole("switch", { name: "Udostępniaj moją lokalizację" }).uncheck();
  await context.close();
});
