// Call intake (/intake): a dispatcher on the phone finds a demo customer by part of the street,
// describes a gas smell (the priority preview explains the rule), picks the top suggested
// technician for a time today and saves; the other dispatcher's open board shows the job at once.
// And a new customer: the NIP checksum is checked while typing, server field errors land next to
// their fields (phone on the contact, estimatedDuration on the job).
import type { ContactRecord } from "../../src/domain/types";
import { warsawDayKey } from "../../src/domain/board";
import { apiAs, uniqueTitle } from "./api";
import { DISPATCHER, DISPATCHER2, expect, loginAs, pathIs, test } from "./fixtures";

test.use({ viewport: { width: 1400, height: 1300 } });

/** "Puławska" from "ul. Puławska 12 m. 3, 02-512 Warszawa". */
function streetOf(address: string): string {
  const m = /^(?:ul\.|al\.|pl\.)?\s*(.+?)\s+\d/.exec(address);
  if (!m) throw new Error(`no street in ${address}`);
  return m[1];
}

test("find a customer by street, describe a gas smell, pick a suggested technician today, save: the job appears live on another board", async ({ browser }, testInfo) => {
  const api = await apiAs(DISPATCHER);
  // A Mokotów flat: the street's first letters find it.
  const contact = await api.collection("contacts").getFirstListItem<ContactRecord>("district = 'Mokotów' && propertyType = 'apartment'", { sort: "created" });
  const street = streetOf(contact.address);
  const typed = street.slice(0, Math.max(4, street.length - 2));
  const today = warsawDayKey(Date.now());

  // dispatcher2 watches today's board in another browser context.
  const boardContext = await browser.newContext();
  const board = await boardContext.newPage();
  await loginAs(board, DISPATCHER2);
  await expect(board.getByTestId("live-state")).toContainText("Na żywo");

  const context = await browser.newContext();
  const page = await context.newPage();
  await loginAs(page, DISPATCHER);
  await page.getByRole("link", { name: "Przyjęcie zgłoszenia" }).click();
  await expect(page).toHaveURL(pathIs("/intake"));
  await expect(page.getByRole("heading", { level: 1, name: "Przyjęcie zgłoszenia" })).toBeVisible();

  // Matches appear while typing; the keyboard reaches them (arrow down, arrow up back).
  const search = page.getByLabel("Szukaj klienta");
  await search.pressSequentially(typed, { delay: 40 });
  const results = page.getByRole("list", { name: "Pasujący klienci" });
  const hit = results.locator(`[data-contact-id="${contact.id}"]`);
  await expect(hit).toBeVisible();
  await expect(hit).toContainText(contact.name);
  await search.press("ArrowDown");
  await expect(results.getByRole("button").first()).toBeFocused();
  await page.keyboard.press("ArrowUp");
  await expect(search).toBeFocused();
  await hit.click();

  const summary = page.getByTestId("intake-contact");
  await expect(summary).toContainText(contact.name);
  await expect(summary).toContainText("Mokotów");
  await expect(summary).toContainText("mieszkanie");
  await expect(summary).toContainText(contact.address);
  await expect(page.getByLabel("Tytuł")).toBeFocused(); // ready for the problem

  // The priority preview runs the server's rules as the dispatcher types.
  const title = uniqueTitle("Zapach gazu w kuchni");
  await page.getByLabel("Tytuł").fill(title);
  await page.getByLabel("Opis problemu").fill("Klientka czuje gaz przy kuchence, zakręciła zawór.");
  const preview = page.getByTestId("priority-preview");
  await expect(preview.locator("[data-priority]")).toHaveText("pilny");
  await expect(preview).toContainText("pilny — Zagrożenie bezpieczeństwa („zapach gazu”)");

  // Suggestions for today: the best one serves Mokotów and holds the gas qualification.
  await page.getByLabel("Dzień", { exact: true }).fill(today);
  const first = page.getByTestId("suggestion").first();
  await expect(first).toContainText("obsługuje dzielnicę Mokotów");
  await expect(first).toContainText("uprawnienia gazowe");
  await expect(first).toContainText(/wolny od \d\d:\d\d|brak wolnego terminu/);
  const techId = (await first.getAttribute("data-tech-id"))!;
  await first.getByRole("button", { name: /^Wybierz:/ }).click();
  await expect(first.getByRole("button", { name: /^Wybrany:/ })).toHaveAttribute("aria-pressed", "true");
  // The time follows the technician's first free slot; late in the evening there is none left
  // today, so the dispatcher types one.
  const time = page.getByLabel("Godzina", { exact: true });
  if (!(await time.inputValue())) await time.fill("17:45");
  const planned = await time.inputValue();
  await expect(page.getByTestId("intake-plan-summary")).toContainText(planned);

  const shot = testInfo.outputPath("intake.png");
  await page.screenshot({ path: shot, fullPage: true });
  await testInfo.attach("intake page", { path: shot, contentType: "image/png" });

  await page.getByRole("button", { name: "Zapisz zgłoszenie" }).click();
  const saved = page.getByTestId("intake-saved");
  await expect(saved).toContainText("Zapisano");
  await expect(saved).toContainText(title);
  const href = await saved.getByRole("link", { name: "Otwórz zlecenie" }).getAttribute("href");
  const jobId = href!.replace("/jobs/", "");
  // Ready for the next call.
  await expect(search).toBeFocused();
  await expect(search).toHaveValue("");
  await expect(page.getByLabel("Tytuł")).toHaveValue("");

  const job = await api.collection("jobs").getOne(jobId);
  expect(job).toMatchObject({ contactId: contact.id, technicianId: techId, status: "scheduled", priority: "urgent", type: "repair" });
  expect(warsawDayKey(Date.parse(job.scheduledDate.replace(" ", "T")))).toBe(today);

  // On dispatcher2's board, in the technician's lane, without a reload.
  const card = board.getByTestId(`lane-${techId}`).locator(`[data-job-id="${jobId}"]`);
  await expect(card).toBeVisible();
  await expect(card).toContainText(title);
  await expect(card).toContainText(`${planned}–`);

  const after = testInfo.outputPath("intake-saved.png");
  await page.screenshot({ path: after, fullPage: true });
  await testInfo.attach("intake page after saving", { path: after, contentType: "image/png" });
  await boardContext.close();
  await context.close();
});

test("a new customer: a wrong NIP is caught while typing; server field errors show next to their fields", async ({ page }) => {
  const api = await apiAs(DISPATCHER);
  const name = uniqueTitle("Jan Testowy");
  await loginAs(page, DISPATCHER);
  await page.goto("/intake");

  await page.getByLabel("Szukaj klienta").fill(name);
  await page.getByRole("button", { name: "Nowy klient" }).click();
  const form = page.getByTestId("intake-new-contact");
  await expect(form.getByLabel("Imię i nazwisko lub firma")).toHaveValue(name); // carried over from the search
  await form.getByLabel("Telefon").fill("tel. 600 100 200"); // letters: the server refuses it
  await form.getByLabel("Adres").fill("ul. Górczewska 15, 01-189 Warszawa");
  await form.getByLabel("Dzielnica").selectOption("Wola");
  await form.getByLabel("Rodzaj nieruchomości").selectOption("commercial");

  // The NIP, checked as it is typed (526-104-08-28 is valid; the last digit changed is not).
  const nip = form.getByLabel("NIP (opcjonalnie)");
  await nip.pressSequentially("526104", { delay: 20 });
  await expect(form).toContainText("6/10 cyfr");
  await nip.pressSequentially("0827", { delay: 20 });
  const nipError = form.locator("#intake-contact-nip-error");
  await expect(nipError).toHaveText("Cyfra kontrolna NIP się nie zgadza – sprawdź cyfry.");
  await expect(nip).toHaveAttribute("aria-invalid", "true");
  await expect(nip).toHaveAttribute("aria-describedby", "intake-contact-nip-error");

  await page.getByLabel("Tytuł").fill("Przegląd klimatyzacji w biurze");
  await page.getByLabel("Rodzaj pracy").selectOption("inspection");
  await page.getByRole("button", { name: "Zapisz zgłoszenie" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Popraw zaznaczone pola." })).toBeVisible();
  await expect(nipError).toBeVisible();
  await expect(nip).toBeFocused();
  expect((await api.collection("contacts").getList(1, 1, { filter: api.filter("name = {:name}", { name }) })).totalItems).toBe(0);

  await nip.fill("526-104-08-28");
  await expect(form).toContainText("NIP poprawny");
  await expect(nipError).toHaveCount(0);

  // The server's check of the phone, shown under the phone field; nothing is saved.
  await page.getByRole("button", { name: "Zapisz zgłoszenie" }).click();
  const phoneError = form.locator("#intake-contact-phone-error");
  await expect(phoneError).toHaveText("Telefon może zawierać cyfry, spacje, myślniki, nawiasy i + na początku.");
  await expect(form.getByLabel("Telefon")).toHaveAttribute("aria-invalid", "true");
  expect((await api.collection("contacts").getList(1, 1, { filter: api.filter("name = {:name}", { name }) })).totalItems).toBe(0);
  await form.getByLabel("Telefon").fill("+48 600 100 200");

  // The job's planned time of 0 minutes is refused by the server (estimatedDuration >= 1): the
  // customer is saved, the error sits under the duration field, and a retry does not add them twice.
  await page.getByLabel("Planowany czas (min)").fill("0");
  await page.getByRole("button", { name: "Zapisz zgłoszenie" }).click();
  const durationError = page.locator("#intake-duration-error");
  await expect(durationError).toHaveText("Wartość musi wynosić co najmniej 1.");
  await expect(page.getByLabel("Planowany czas (min)")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByRole("alert").filter({ hasText: `Klient „${name}” został zapisany` })).toBeVisible();
  await expect(page.getByTestId("intake-contact")).toContainText(name);
  await expect(page.getByTestId("intake-contact")).toContainText("526-104-08-28");

  await page.getByLabel("Planowany czas (min)").fill("60");
  await page.getByRole("button", { name: "Zapisz zgłoszenie" }).click();
  await expect(page.getByTestId("intake-saved")).toContainText("Zapisano");
  await expect(page.getByTestId("intake-saved")).toContainText("nieprzydzielone");

  const contacts = await api.collection("contacts").getFullList<ContactRecord>({ filter: api.filter("name = {:name}", { name }) });
  expect(contacts.map((c) => [c.nip, c.phone, c.district, c.propertyType])).toEqual([["5261040828", "+48 600 100 200", "Wola", "commercial"]]);
  const jobs = await api.collection("jobs").getFullList({ filter: api.filter("contactId = {:id}", { id: contacts[0].id }) });
  expect(jobs.map((j) => [j.status, j.estimatedDuration, j.type])).toEqual([["pending", 60, "inspection"]]);
});

test("a lost connection is told in the user's language, not in the server's English", async ({ page }) => {
  await loginAs(page, DISPATCHER);
  await page.goto("/intake");
  // The search request never gets an answer (as when the office's connection drops).
  await page.route("**/api/collections/contacts/records?**", (route) => route.abort("internetdisconnected"));
  await page.getByLabel("Szukaj klienta").fill("Puławska");
  await expect(page.getByText("Brak połączenia z serwerem. Sprawdź internet i spróbuj ponownie.")).toBeVisible();
  await expect(page.getByText("Failed to fetch")).toHaveCount(0);
});
