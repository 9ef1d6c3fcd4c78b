// The dispatch board: live arrivals, drag-assign (and its keyboard twin), server errors on the
// card, and a technician on a phone starting and completing a job while the board follows.
import type { Page, Route } from "@playwright/test";
import { shiftDay, warsawDayKey } from "../../src/domain/board";
import { apiAs, someContact, todayAt, uniqueTitle, userId } from "./api";
import { DISPATCHER, DISPATCHER2, TECH1, expect, loginAs, test } from "./fixtures";

/**
 * Holds the board's next list of jobs until `release()`: `held` resolves once the request is
 * caught. With `answerNow`, the server's answer is fetched at once (so it is as old as the request)
 * and delivered on release; else the request itself waits.
 */
async function holdNextJobList(page: Page, answerNow: boolean): Promise<{ held: Promise<void>; release: () => void }> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let caught!: () => void;
  const held = new Promise<void>((resolve) => (caught = resolve));
  let taken = false;
  await page.route((url) => url.pathname === "/api/collections/jobs/records", async (route: Route) => {
    if (taken || route.request().method() !== "GET") return route.fallback();
    taken = true;
    const response = answerNow ? await route.fetch() : null;
    caught();
    await released;
    if (response) await route.fulfill({ response });
    else await route.fallback();
  });
  return { held, release };
}

// A tall office screen: a drag needs its card and its drop target on screen at once.
test.use({ viewport: { width: 1600, height: 2000 } });

test("a new job arrives live in the unassigned lane; dragging it onto a technician's 10:00 row assigns and schedules it", async ({ page }, testInfo) => {
  const api = await apiAs(DISPATCHER);
  const tech1 = await userId(api, TECH1);
  await loginAs(page, DISPATCHER2);
  await expect(page.getByTestId("live-state")).toContainText("Na żywo");

  const contact = await someContact(api, "Mokotów");
  const title = uniqueTitle("Wymiana zaworu");
  const job = await api.collection("jobs").create({ contactId: contact.id, title, description: "Cieknie zawór przy grzejniku", type: "repair" });

  const card = page.getByTestId("lane-unassigned").locator(`[data-job-id="${job.id}"]`);
  await expect(card).toBeVisible(); // arrived without a reload
  await expect(card).toContainText("Mokotów");

  await card.dragTo(page.getByTestId(`lane-${tech1}`).locator('[data-hour="10"]'));
  await expect(page.getByTestId(`lane-${tech1}`).locator(`[data-job-id="${job.id}"]`)).toContainText("10:00–");

  const saved = await api.collection("jobs").getOne(job.id);
  expect(saved.technicianId).toBe(tech1);
  expect(saved.status).toBe("scheduled");
  expect(new Date(saved.scheduledDate.replace(" ", "T")).toISOString()).toBe(todayAt(10));
  await page.screenshot({ path: testInfo.outputPath("board-after-drag.png"), fullPage: true });
});

test("assigning with the keyboard works too, and the server's refusal shows on the card", async ({ page }) => {
  const api = await apiAs(DISPATCHER);
  const contact = await someContact(api);
  const title = uniqueTitle("Przegląd klimatyzacji");
  const job = await api.collection("jobs").create({ contactId: contact.id, title, description: "Coroczny przegląd", type: "maintenance" });
  await loginAs(page, DISPATCHER);
  const card = page.locator(`[data-job-id="${job.id}"]`);
  await expect(card).toBeVisible();

  // „Anuluj” (and Escape) close the form and hand the focus back to the card it was opened from.
  const assign = card.getByRole("button", { name: "Przydziel" });
  await assign.focus();
  await page.keyboard.press("Enter");
  await expect(card.getByLabel("Technik")).toBeFocused();
  await card.getByRole("button", { name: "Anuluj" }).focus();
  await page.keyboard.press("Enter");
  await expect(card.getByLabel("Technik")).toHaveCount(0);
  await expect(assign).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(card.getByLabel("Technik")).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(card.getByLabel("Technik")).toHaveCount(0);
  await expect(assign).toBeFocused();

  await page.keyboard.press("Enter");
  await card.getByLabel("Godzina").fill("13:30");
  await card.getByLabel("Godzina").press("Enter");
  await expect(card).toContainText("13:30–");
  const assigned = await api.collection("jobs").getOne(job.id);
  expect(assigned.status).toBe("scheduled");

  // A job in progress needs its technician: moving it back to "unassigned" is refused by the
  // server, and the reason appears on the card.
  const techApi = await apiAs(TECH1);
  await api.collection("jobs").update(job.id, { technicianId: await userId(api, TECH1) });
  await techApi.collection("jobs").update(job.id, { status: "in_progress" });
  const moved = page.locator(`[data-job-id="${job.id}"]`);
  await expect(moved).toContainText("w trakcie");
  await moved.dragTo(page.getByTestId("lane-unassigned"), { targetPosition: { x: 40, y: 15 } });
  await expect(moved.getByRole("alert")).toContainText("musi mieć technika");
  expect((await api.collection("jobs").getOne(job.id)).status).toBe("in_progress");
});

test("a technician on a phone starts and completes a job; the dispatcher's board follows live", async ({ browser }, testInfo) => {
  const api = await apiAs(DISPATCHER);
  const tech1 = await userId(api, TECH1);
  const contact = await someContact(api);
  const title = uniqueTitle("Serwis pompy ciepła");
  const job = await api.collection("jobs").create({
    contactId: contact.id, title, description: "Serwis okresowy", type: "maintenance",
    status: "scheduled", technicianId: tech1, scheduledDate: todayAt(7, 0), estimatedDuration: 60,
  });

  const office = await (await browser.newContext({ locale: "pl-PL", timezoneId: "Europe/Warsaw" })).newPage();
  await loginAs(office, DISPATCHER);
  const boardCard = office.getByTestId(`lane-${tech1}`).locator(`[data-job-id="${job.id}"]`);
  await expect(boardCard).toContainText("zaplanowane");

  const phone = await (await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: "pl-PL", timezoneId: "Europe/Warsaw" })).newPage();
  await loginAs(phone, TECH1);
  const mine = phone.locator(`[data-testid="tech-job"][data-job-id="${job.id}"]`);
  await mine.getByRole("button", { name: "Rozpocznij" }).click();
  await expect(mine.getByTestId("tech-status")).toHaveText("w trakcie");
  await expect(boardCard).toContainText("w trakcie");

  const duration = mine.getByLabel("Czas pracy (min)");
  await expect(duration).toHaveValue(/^\d+$/); // prefilled
  await duration.fill("45");
  await phone.screenshot({ path: testInfo.outputPath("tech-in-progress.png"), fullPage: true });
  await mine.getByRole("button", { name: "Zakończ" }).click();
  await expect(mine.getByTestId("tech-status")).toHaveText("zakończone");
  await expect(boardCard).toContainText("zakończone");

  const done = await api.collection("jobs").getOne(job.id);
  expect(done.status).toBe("completed");
  expect(done.actualDuration).toBe(45);
  expect(done.completedDate).not.toBe("");
});

test("with the keyboard a scheduled job can be taken back to the unassigned lane", async ({ page }) => {
  const api = await apiAs(DISPATCHER);
  const contact = await someContact(api);
  const job = await api.collection("jobs").create({
    contactId: contact.id, title: uniqueTitle("Regulacja zaworów"), description: "Regulacja", type: "maintenance",
    status: "scheduled", technicianId: await userId(api, TECH1), scheduledDate: todayAt(11),
  });
  await loginAs(page, DISPATCHER);
  const card = page.locator(`[data-job-id="${job.id}"]`);
  await card.getByRole("button", { name: "Przydziel" }).focus();
  await page.keyboard.press("Enter");
  await expect(card.getByLabel("Technik")).toBeFocused();
  await card.getByLabel("Technik").selectOption({ label: "Nieprzydzielone" });
  await page.keyboard.press("Tab"); // time
  await page.keyboard.press("Tab"); // Zapisz
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("lane-unassigned").locator(`[data-job-id="${job.id}"]`)).toContainText("oczekujące");
  await expect(page.getByTestId("lane-unassigned").locator(`[data-job-id="${job.id}"]`).getByRole("button", { name: "Przydziel" })).toBeFocused();
  const saved = await api.collection("jobs").getOne(job.id);
  expect(saved).toMatchObject({ status: "pending", technicianId: "" });
});

test("live changes made while the board is loading survive the load's (older) answer", async ({ page }) => {
  const api = await apiAs(DISPATCHER);
  const contact = await someContact(api);
  const before = await api.collection("jobs").create({ contactId: contact.id, title: uniqueTitle("Wymiana pompy"), description: "Pompa obiegowa", type: "repair" });
  await loginAs(page, DISPATCHER);
  await expect(page.locator(`[data-job-id="${before.id}"]`)).toBeVisible();

  // Reload: the day's list is read at once but its answer is held back, so everything below
  // happens while the board waits for it - the answer knows nothing of it.
  const { held, release } = await holdNextJobList(page, true);
  await page.reload();
  await held;
  const lanes = page.getByTestId("board-lanes");
  await expect(lanes).toHaveAttribute("aria-busy", "true");
  await expect(page.getByTestId("live-state")).toContainText("Na żywo");

  const created = await api.collection("jobs").create({ contactId: contact.id, title: uniqueTitle("Nowe zgłoszenie"), description: "Nie grzeje", type: "repair" });
  const renamed = uniqueTitle("Wymiana pompy (zmienione)");
  await api.collection("jobs").update(before.id, { title: renamed });
  const createdCard = page.locator(`[data-job-id="${created.id}"]`);
  const updatedCard = page.locator(`[data-job-id="${before.id}"]`);
  await expect(createdCard).toBeVisible(); // arrived live
  await expect(updatedCard).toContainText(renamed);

  release();
  await expect(lanes).toHaveAttribute("aria-busy", "false");
  // The load is done: the job created meanwhile is still there (once), the update is not undone.
  await expect(createdCard).toHaveCount(1);
  await expect(updatedCard).toContainText(renamed);
});

test("while another day loads, the previous day's cards cannot be dragged or assigned", async ({ page }) => {
  const api = await apiAs(DISPATCHER);
  const contact = await someContact(api);
  const job = await api.collection("jobs").create({
    contactId: contact.id, title: uniqueTitle("Przegląd kotła"), description: "Przegląd", type: "maintenance",
    status: "scheduled", technicianId: await userId(api, TECH1), scheduledDate: todayAt(9),
  });
  await loginAs(page, DISPATCHER);
  const card = page.locator(`[data-job-id="${job.id}"]`);
  await expect(card).toHaveAttribute("draggable", "true");
  await expect(card.getByRole("button", { name: "Przydziel" })).toBeEnabled();

  const { held, release } = await holdNextJobList(page, false);
  await page.getByRole("button", { name: "Następny dzień" }).click();
  await held;
  // Today's card is still on screen, but a drop would now schedule it on tomorrow: inert.
  const lanes = page.getByTestId("board-lanes");
  await expect(lanes).toHaveAttribute("aria-busy", "true");
  await expect(card).toHaveAttribute("draggable", "false");
  await expect(card.getByRole("button", { name: "Przydziel" })).toBeDisabled();

  release();
  const tomorrow = shiftDay(warsawDayKey(Date.now()), 1);
  await expect(lanes).toHaveAttribute("data-day", tomorrow);
  await expect(lanes).toHaveAttribute("aria-busy", "false");
  await expect(card).toHaveCount(0); // scheduled today, so not on tomorrow's board
});
