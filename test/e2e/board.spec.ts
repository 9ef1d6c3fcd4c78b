// The dispatch board: live arrivals, drag-assign (and its keyboard twin), server errors on the
// card, and a technician on a phone starting and completing a job while the board follows.
import { apiAs, someContact, todayAt, uniqueTitle, userId } from "./api";
import { DISPATCHER, DISPATCHER2, TECH1, expect, loginAs, test } from "./fixtures";

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

  await card.getByRole("button", { name: "Przydziel" }).focus();
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
