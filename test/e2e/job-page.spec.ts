// The job page and the contacts pages: a dispatcher finds a demo job through /contacts -> contact ->
// job, edits and saves it, sees a server refusal next to its field, moves the status with a button
// and watches the timeline; the page follows changes made elsewhere; the contact list searches,
// filters and pages; the contact card checks the NIP while typing.
import type { JobRecord } from "../../src/domain/types";
import { apiAs, uniqueTitle } from "./api";
import { DISPATCHER, DISPATCHER2, expect, loginAs, pathIs, test } from "./fixtures";
import { PNG_1X1 } from "../helpers/fixtures";


/** A demo job still scheduled, the latest one (two weeks out: no other spec works on that day). */
async function scheduledDemoJob(api: Awaited<ReturnType<typeof apiAs>>, skip = 0): Promise<JobRecord & { expand?: { contactId?: { id: string; name: string } } }> {
  const list = await api.collection("jobs").getList(1 + skip, 1, {
    filter: "status = 'scheduled' && technicianId != '' && scheduledDate != ''",
    sort: "-scheduledDate,id",
    expand: "contactId",
  });
  if (!list.items[0]) throw new Error("the demo data has no scheduled job");
  return list.items[0] as never;
}

test("a dispatcher opens a job from /contacts, saves a change, sees a refused value next to its field, and starts the job", async ({ page }, testInfo) => {
  const api = await apiAs(DISPATCHER);
  const job = await scheduledDemoJob(api);
  const contact = job.expand!.contactId!;
  // An invoice and a photo on the job: the page lists them, amounts in PLN, files through a token.
  const upload = (collection: string, fields: Record<string, string>, name: string) => {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    form.append("file", new Blob([PNG_1X1], { type: "image/png" }), name);
    return api.collection(collection).create(form);
  };
  await upload("invoices", { jobId: job.id, totalAmount: "1234.5", description: "Części i robocizna" }, "faktura-FV-12-2026.png");
  await upload("equipment_photos", { jobId: job.id, description: "Tabliczka znamionowa kotła" }, "kociol.png");

  await loginAs(page, DISPATCHER);
  await page.getByRole("navigation", { name: "menu" }).getByRole("link", { name: "Kontakty" }).click();
  await expect(page).toHaveURL(pathIs("/contacts"));
  await expect(page.getByRole("heading", { level: 1, name: "Kontakty" })).toBeVisible();
  await expect(page.getByTestId("contacts-total")).toContainText(/Razem: \d+/);

  await page.getByRole("searchbox", { name: "Szukaj" }).fill(contact.name);
  const contactLink = page.locator(`a[href="/contacts/${contact.id}"]`);
  await expect(contactLink).toBeVisible();
  await contactLink.click();
  await expect(page.getByRole("heading", { level: 1, name: contact.name })).toBeVisible();

  await page.getByTestId("contact-jobs").locator(`a[href="/jobs/${job.id}"]`).click();
  await expect(page).toHaveURL(pathIs(`/jobs/${job.id}`));
  await expect(page.getByRole("heading", { level: 1, name: job.title })).toBeVisible();
  await expect(page.getByTestId("job-status")).toHaveText("zaplanowane");
  await expect(page.getByTestId("live-state")).toContainText("Na żywo");
  await expect(page.getByTestId("job-contact")).toContainText(contact.name);

  // Attachments: the invoice amount in złoty, the protected photo really loads (file token).
  await expect(page.getByTestId("invoices")).toContainText("faktura-FV-12-2026.png");
  await expect(page.getByTestId("invoice-amount")).toHaveText(/1\s?234,50\s?zł/);
  const thumb = page.getByTestId("photos").getByRole("img", { name: "Tabliczka znamionowa kotła" });
  await expect(thumb).toBeVisible();
  await expect.poll(() => thumb.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);

  // A change is saved.
  const notes = `Klient prosi o telefon 30 min przed przyjazdem (${Date.now().toString(36)})`;
  await page.getByLabel("Notatki", { exact: true }).fill(notes);
  await page.getByRole("button", { name: "Zapisz zmiany" }).click();
  await expect(page.getByTestId("form-note")).toHaveText("Zapisano.");
  expect((await api.collection("jobs").getOne(job.id)).notes).toBe(notes);

  // A value the server refuses (time worked on a job not started yet) shows next to its field.
  const duration = page.getByLabel("Rzeczywisty czas pracy (min)");
  await duration.fill("95");
  await page.getByRole("button", { name: "Zapisz zmiany" }).click();
  const durationError = page.getByTestId("error-actualDuration");
  await expect(durationError).toHaveText("Czas pracy można podać dopiero po rozpoczęciu zlecenia.");
  await expect(duration).toHaveAttribute("aria-invalid", "true");
  await expect(duration).toHaveAttribute("aria-describedby", "err-actualDuration");
  await expect(page.getByRole("alert").filter({ hasText: "popraw zaznaczone pola" })).toBeVisible();
  expect((await api.collection("jobs").getOne(job.id)).actualDuration).toBe(0);
  await page.getByRole("button", { name: "Odrzuć zmiany" }).click();
  await expect(duration).toHaveValue("");

  // The moves allowed now are buttons; starting the job adds a timeline entry.
  const moves = page.getByTestId("status-moves");
  await expect(moves.getByRole("button")).toHaveText(["Rozpocznij", "Cofnij do oczekujących", "Anuluj zlecenie"]);
  const entries = page.getByTestId("timeline-entry");
  await expect(entries.filter({ hasText: "Status: oczekujące → zaplanowane" })).toHaveCount(1);
  const before = await entries.count();
  await moves.getByRole("button", { name: "Rozpocznij" }).click();
  await expect(page.getByTestId("job-status")).toHaveText("w trakcie");
  await expect(entries).toHaveCount(before + 1);
  await expect(entries.last()).toContainText("Status: zaplanowane → w trakcie");
  await expect(page.getByLabel("Rozpoczęto (czas warszawski)")).not.toHaveValue("");
  await expect(moves.getByRole("button")).toHaveText(["Zakończ", "Anuluj zlecenie"]);
  expect((await api.collection("jobs").getOne(job.id)).status).toBe("in_progress");

  // The time worked typed in travels with the completion.
  await duration.fill("75");
  await expect(page.getByText("Wpisany czas pracy zostanie zapisany razem z zakończeniem.")).toBeVisible();
  await moves.getByRole("button", { name: "Zakończ" }).click();
  await expect(page.getByTestId("job-status")).toHaveText("zakończone");
  await expect(page.getByTestId("status-moves")).toHaveCount(0);
  await expect(duration).toHaveValue("75");
  expect((await api.collection("jobs").getOne(job.id)).actualDuration).toBe(75);

  // Completion before the start is refused next to the completion field.
  const started = await page.getByLabel("Rozpoczęto (czas warszawski)").inputValue();
  const dayBefore = new Date(Date.parse(`${started.slice(0, 10)}T12:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
  await page.getByLabel("Zakończono (czas warszawski)").fill(`${dayBefore}T08:00`);
  await page.getByRole("button", { name: "Zapisz zmiany" }).click();
  await expect(page.getByTestId("error-completedDate")).toHaveText("Zakończenie nie może być wcześniejsze niż rozpoczęcie.");

  const path = testInfo.outputPath("job-page.png");
  await page.screenshot({ path, fullPage: true });
  await testInfo.attach("job page", { path, contentType: "image/png" });
});

test("the job page follows changes made elsewhere, and scheduling needs a technician and a date", async ({ page }) => {
  const api = await apiAs(DISPATCHER);
  const someone = await scheduledDemoJob(api, 3);
  const title = uniqueTitle("Brak ciepłej wody");
  const job = await api.collection("jobs").create({ contactId: someone.contactId, title, description: "Piecyk nie zapala", type: "repair" });

  await loginAs(page, DISPATCHER2);
  await page.goto(`/jobs/${job.id}`);
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  await expect(page.getByTestId("live-state")).toContainText("Na żywo");
  await expect(page.getByTestId("job-status")).toHaveText("oczekujące");

  // Scheduling needs a technician and a date: the button says so until the form has both.
  const schedule = page.getByTestId("status-moves").getByRole("button", { name: "Zaplanuj" });
  await expect(schedule).toBeDisabled();
  await expect(page.getByTestId("status-moves")).toContainText("Najpierw wybierz w formularzu: technika, termin");

  // Another dispatcher changes the job: the page follows without a reload.
  await api.collection("jobs").update(job.id, { title: `${title} (pilne)`, priority: "high" });
  await expect(page.getByRole("heading", { level: 1, name: `${title} (pilne)` })).toBeVisible();
  await expect(page.getByTestId("job-priority")).toHaveText("wysoki");
  await expect(page.getByLabel("Tytuł")).toHaveValue(`${title} (pilne)`);

  // Choose technician and date in the form, then schedule: both travel with the move.
  await page.getByLabel("Technik", { exact: true }).selectOption({ index: 1 });
  await page.getByLabel("Termin (czas warszawski)").fill("2031-03-04T09:30");
  await expect(schedule).toBeEnabled();
  await schedule.click();
  await expect(page.getByTestId("job-status")).toHaveText("zaplanowane");
  await expect(page.getByTestId("timeline-entry").last()).toContainText("Status: oczekujące → zaplanowane");
  await expect(page.getByTestId("timeline-entry").last()).toContainText(/Technik: — → \S/);
  const saved = await api.collection("jobs").getOne(job.id);
  expect(saved.status).toBe("scheduled");
  // 09:30 in Warsaw in March (CET, UTC+1) is 08:30 UTC.
  expect(new Date(saved.scheduledDate.replace(" ", "T")).toISOString()).toBe("2031-03-04T08:30:00.000Z");

  // A status change made elsewhere shows in the timeline too.
  await api.collection("jobs").update(job.id, { status: "cancelled" });
  await expect(page.getByTestId("job-status")).toHaveText("anulowane");
  await expect(page.getByTestId("timeline-entry").last()).toContainText("Status: zaplanowane → anulowane");
  await expect(page.getByText("Status końcowy: dalsze zmiany nie są możliwe.")).toBeVisible();
});

test("the contact list searches, filters, sorts and pages; the contact card checks the NIP and shows server errors (screenshot)", async ({ page }, testInfo) => {
  const api = await apiAs(DISPATCHER);
  const total = (await api.collection("contacts").getList(1, 1)).totalItems;
  const firm = await api.collection("contacts").getFirstListItem("nip != '' && propertyType = 'commercial'", { sort: "name" });

  await loginAs(page, DISPATCHER);
  await page.goto("/contacts");
  await expect(page.getByTestId("contacts-total")).toHaveText(`Razem: ${total}`);
  await expect(page.getByTestId("contact-row")).toHaveCount(Math.min(50, total));
  if (total > 50) {
    await expect(page.getByTestId("contacts-page")).toHaveText(`Strona 1 z ${Math.ceil(total / 50)}`);
    const second = (await api.collection("contacts").getList(2, 50, { sort: "name,id", fields: "name" })).items.map((c) => c.name);
    await page.getByRole("button", { name: "Następna strona" }).click();
    await expect(page.getByTestId("contacts-page")).toHaveText(`Strona 2 z ${Math.ceil(total / 50)}`);
    await expect(page).toHaveURL(/page=2/);
    await expect(page.getByTestId("contacts-table")).toHaveAttribute("aria-busy", "false");
    await expect(page.getByTestId("contact-row").locator("td:first-child")).toHaveText(second);
  }

  const path = testInfo.outputPath("contacts.png");
  await page.screenshot({ path, fullPage: true });
  await testInfo.attach("contacts list", { path, contentType: "image/png" });

  // Sorting by name, Z-A: the same first page the API gives for that order (back on page 1).
  await page.getByRole("button", { name: /Sortuj według nazwy/ }).click();
  await expect(page.locator("th[aria-sort]")).toHaveAttribute("aria-sort", "descending");
  const expected = (await api.collection("contacts").getList(1, 50, { sort: "-name,id", fields: "name" })).items.map((c) => c.name);
  await expect(page.getByTestId("contact-row").locator("td:first-child")).toHaveText(expected);

  // A NIP typed with dashes finds the firm; district and property type narrow the list.
  const dashed = `${firm.nip.slice(0, 3)}-${firm.nip.slice(3, 6)}-${firm.nip.slice(6, 8)}-${firm.nip.slice(8)}`;
  await page.getByRole("searchbox", { name: "Szukaj" }).fill(dashed);
  await expect(page.getByTestId("contact-row")).toHaveCount(1);
  await expect(page.getByTestId("contact-row")).toContainText(firm.name);
  await page.getByRole("searchbox", { name: "Szukaj" }).fill("");
  await page.getByLabel("Dzielnica").selectOption(firm.district);
  await page.getByLabel("Typ nieruchomości").selectOption("commercial");
  const filtered = (await api.collection("contacts").getList(1, 1, {
    filter: api.filter("district = {:d} && propertyType = 'commercial'", { d: firm.district }),
  })).totalItems;
  await expect(page.getByTestId("contacts-total")).toHaveText(`Razem: ${filtered}`);
  for (const row of await page.getByTestId("contact-row").all()) {
    await expect(row).toContainText(firm.district);
    await expect(row).toContainText("lokal firmowy");
  }

  // The card: NIP checked while typing, a refused phone number shown next to the field.
  await page.locator(`a[href="/contacts/${firm.id}"]`).click();
  await expect(page.getByRole("heading", { level: 1, name: firm.name })).toBeVisible();
  const nip = page.getByLabel("NIP", { exact: true });
  await expect(page.getByTestId("nip-hint")).toHaveText("✓ NIP poprawny");
  await nip.fill("526104");
  await expect(page.getByTestId("nip-hint")).toHaveAttribute("data-hint", "incomplete");
  await nip.fill("526-104-08-29");
  await expect(page.getByTestId("nip-hint")).toHaveText("Cyfra kontrolna NIP się nie zgadza: sprawdź cyfry.");
  await expect(nip).toHaveAttribute("aria-invalid", "true");
  await nip.fill("526-104-08-28");
  await expect(page.getByTestId("nip-hint")).toHaveText("✓ NIP poprawny");
  await page.getByLabel("Telefon", { exact: true }).fill("zadzwoń później");
  await page.getByRole("button", { name: "Zapisz zmiany" }).click();
  await expect(page.getByTestId("error-phone")).toHaveText("Telefon może zawierać cyfry, spacje, myślniki, nawiasy i + na początku.");
  expect((await api.collection("contacts").getOne(firm.id)).nip).toBe(firm.nip);
  await page.getByRole("button", { name: "Odrzuć zmiany" }).click();

  const notes = `Wjazd od podwórza (${Date.now().toString(36)})`;
  await page.getByLabel("Notatki", { exact: true }).fill(notes);
  await page.getByRole("button", { name: "Zapisz zmiany" }).click();
  await expect(page.getByTestId("form-note")).toHaveText("Zapisano.");
  expect((await api.collection("contacts").getOne(firm.id)).notes).toBe(notes);
});

/** A new job of a demo contact with one equipment photo (the page then needs a file token). */
async function jobWithPhoto(api: Awaited<ReturnType<typeof apiAs>>, prefix: string) {
  const someone = await scheduledDemoJob(api, 5);
  const job = await api.collection("jobs").create({ contactId: someone.contactId, title: uniqueTitle(prefix), description: "Zdjęcia", type: "inspection" });
  const form = new FormData();
  form.append("jobId", job.id);
  form.append("description", `Zdjęcie ${job.id}`);
  form.append("file", new Blob([PNG_1X1], { type: "image/png" }), "zdjecie.png");
  await api.collection("equipment_photos").create(form);
  return { job, contact: someone.expand!.contactId!, photoName: `Zdjęcie ${job.id}` };
}

const tokenOf = (url: string | null) => new URL(url ?? "", "http://x").searchParams.get("token") ?? "";

test("renewing the file token keeps the thumbnails' URLs (no reload of every picture); links get the new token", async ({ page }) => {
  const api = await apiAs(DISPATCHER);
  const { job, photoName } = await jobWithPhoto(api, "Przegląd klimatyzacji");
  await page.clock.install();
  await loginAs(page, DISPATCHER);
  await page.goto(`/jobs/${job.id}`);
  const thumb = page.getByTestId("photos").getByRole("img", { name: photoName });
  await expect.poll(() => thumb.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
  const link = page.getByTestId("photos").getByRole("link");
  const src = await thumb.getAttribute("src");
  const href = await link.getAttribute("href");
  const first = tokenOf(src);
  expect(first).not.toBe("");
  expect(tokenOf(href)).toBe(first);

  // PocketBase mints the same token within one second (same claims, same exp): wait until the
  // server gives this user a different one, so a renewal is visible at all.
  await expect.poll(async () => (await api.files.getToken()) !== first).toBe(true);

  // Past the token's lifetime the page renews it: the link follows, the thumbnail stays as it is.
  await page.clock.fastForward("05:00");
  await expect.poll(async () => tokenOf(await link.getAttribute("href"))).not.toBe(first);
  expect(await thumb.getAttribute("src")).toBe(src);
  expect(await thumb.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
});

test("leaving the job page while its file token is on the way leaves no renewal timer running", async ({ page }) => {
  const api = await apiAs(DISPATCHER);
  const { job, contact } = await jobWithPhoto(api, "Wymiana czujnika");
  await page.clock.install();
  await loginAs(page, DISPATCHER);

  const tokenRequests: string[] = [];
  page.on("request", (r) => {
    if (r.method() === "POST" && new URL(r.url()).pathname === "/api/files/token") tokenRequests.push(r.url());
  });
  // Hold the page's first token request until the page has been left.
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let held = false;
  await page.route("**/api/files/token", async (route) => {
    if (!held) {
      held = true;
      await released;
    }
    await route.continue();
  });

  await page.goto(`/jobs/${job.id}`);
  await expect.poll(() => tokenRequests.length).toBe(1);
  const finished = page.waitForEvent("requestfinished", (r) => new URL(r.url()).pathname === "/api/files/token");
  // Leave through the breadcrumb (a client-side navigation: the page is destroyed, the request lives on).
  await page.getByRole("navigation", { name: "Ścieżka" }).getByRole("link", { name: contact.name }).click();
  await expect(page).toHaveURL(pathIs(`/contacts/${contact.id}`));
  release();
  await finished;
  // Let the page's code take the answer (a fetch round trip later it certainly has).
  await page.evaluate(() => fetch("/api/health").then((r) => r.text()));

  // Ten minutes later no renewal has been asked for: the timer was never started.
  await page.clock.fastForward("10:00");
  await page.evaluate(() => fetch("/api/health").then((r) => r.text()));
  await page.clock.fastForward("10:00");
  await page.evaluate(() => fetch("/api/health").then((r) => r.text()));
  expect(tokenRequests).toHaveLength(1);
});

test("a job page that cannot be loaded says why in the user's language, not in the server's English", async ({ page }) => {
  const api = await apiAs(DISPATCHER);
  const job = await scheduledDemoJob(api, 6);
  await loginAs(page, DISPATCHER);
  await page.route(`**/api/collections/jobs/records/${job.id}?*`, (route) =>
    route.request().method() === "GET"
      ? route.fulfill({ status: 500, contentType: "application/json", body: JSON.stringify({ code: 500, message: "Something went wrong while processing your request.", data: {} }) })
      : route.continue());
  await page.goto(`/jobs/${job.id}`);
  await expect(page.getByRole("alert").filter({ hasText: "Błąd serwera" })).toHaveText("Błąd serwera. Spróbuj ponownie za chwilę.");
  await expect(page.getByText("Something went wrong")).toHaveCount(0);
});

test("a refused status change is explained in Polish by its code (invalid_transition)", async ({ page }) => {
  const api = await apiAs(DISPATCHER);
  const someone = await scheduledDemoJob(api, 7);
  const job = await api.collection("jobs").create({
    contactId: someone.contactId, title: uniqueTitle("Nieszczelny wymiennik"), description: "Wyciek", type: "repair",
    status: "scheduled", technicianId: someone.technicianId, scheduledDate: "2031-05-06 08:00:00.000Z",
  });
  await loginAs(page, DISPATCHER2);
  await page.goto(`/jobs/${job.id}`);
  await expect(page.getByTestId("job-status")).toHaveText("zaplanowane");
  // Someone cancels the job just before this page's „Rozpocznij” reaches the server.
  await page.route(`**/api/collections/jobs/records/${job.id}?*`, async (route) => {
    if (route.request().method() === "PATCH") await api.collection("jobs").update(job.id, { status: "cancelled" });
    await route.continue();
  });
  await page.getByTestId("status-moves").getByRole("button", { name: "Rozpocznij" }).click();
  await expect(page.getByTestId("move-error")).toHaveText(
    "Tej zmiany statusu nie można wykonać z obecnego statusu (ktoś mógł go właśnie zmienić).");
  await expect(page.getByTestId("job-status")).toHaveText("anulowane");
});

test("the contact search finds Polish capitals typed in lower case (żoł -> Żołnierska)", async ({ page }) => {
  const api = await apiAs(DISPATCHER);
  const tag = Date.now().toString(36);
  const contact = await api.collection("contacts").create({
    name: `Łucja Śliwińska ${tag}`, phone: "+48 601 100 200", address: `ul. Żołnierska ${tag} 7, 04-123 Warszawa`,
    district: "Praga-Południe", propertyType: "apartment",
  });
  await loginAs(page, DISPATCHER);
  await page.goto("/contacts");
  const search = page.getByRole("searchbox", { name: "Szukaj" });
  await search.fill(`żołnierska ${tag}`);
  await expect(page.getByTestId("contact-row")).toHaveCount(1);
  await expect(page.getByTestId("contact-row")).toContainText(contact.name);
  await search.fill(`łucja śliw ${tag}`);
  await expect(page.getByTestId("contact-row")).toHaveCount(1);
  await expect(page.getByTestId("contact-row")).toContainText(contact.name);
});
