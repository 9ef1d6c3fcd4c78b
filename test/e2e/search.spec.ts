// The header's global search (issue 5): typed without Polish letters it finds them, groups hits by
// type with the matched words marked, opens a hit with the keyboard, and a technician only finds
// their own jobs.
import { apiAs, someContact, uniqueTitle, userId } from "./api";
import { DISPATCHER, TECHNICIANS, expect, loginAs, test } from "./fixtures";

const TECH5 = TECHNICIANS[4];

test("a dispatcher finds a job typed without Polish letters and opens it with the keyboard", async ({ page }) => {
  const api = await apiAs(DISPATCHER);
  const contact = await someContact(api);
  const word = `Żółwiowy${Date.now() % 100000}`;
  const title = uniqueTitle(`Kocioł ${word}`);
  const job = await api.collection("jobs").create({ contactId: contact.id, title, description: "Wymiana zaworu kotła", type: "repair" });

  await loginAs(page, DISPATCHER);
  await page.keyboard.press("/");
  const box = page.getByRole("combobox", { name: "Szukaj" });
  await expect(box).toBeFocused();
  await box.fill(`kociol ${word.replace("Żółw", "zolw")}`);
  const results = page.getByRole("listbox", { name: "Wyniki wyszukiwania" });
  const option = results.getByRole("option", { name: new RegExp(title) });
  await expect(option).toBeVisible();
  await expect(results.getByRole("group", { name: "Zlecenia" })).toBeVisible();
  await expect(option.locator("mark").first()).toHaveText("Kocioł");
  await expect(option).toHaveAttribute("aria-selected", "true");
  await box.press("Enter");
  await expect(page).toHaveURL(new RegExp(`/jobs/${job.id}$`));
});

test("nothing found says so; a technician does not find other technicians' jobs", async ({ page }) => {
  const api = await apiAs(DISPATCHER);
  const contact = await someContact(api);
  const marker = `Nieznany${Date.now() % 100000}`;
  const mine = uniqueTitle(`Serwis ${marker} własny`);
  const theirs = uniqueTitle(`Serwis ${marker} cudzy`);
  const scheduledDate = new Date(Date.now() + 2 * 3_600_000).toISOString();
  await api.collection("jobs").create({ contactId: contact.id, title: mine, type: "maintenance", status: "scheduled", technicianId: await userId(api, TECH5), scheduledDate });
  await api.collection("jobs").create({ contactId: contact.id, title: theirs, type: "maintenance", status: "scheduled", technicianId: await userId(api, TECHNICIANS[5]), scheduledDate });

  await page.setViewportSize({ width: 1280, height: 800 });
  await loginAs(page, TECH5);
  const box = page.getByRole("combobox", { name: "Szukaj" });
  await box.fill(marker.toLowerCase());
  const results = page.getByRole("listbox", { name: "Wyniki wyszukiwania" });
  await expect(results.getByRole("option", { name: new RegExp(mine) })).toBeVisible();
  await expect(results.getByRole("option")).toHaveCount(1);

  await box.fill("zzqxv brak takiego");
  await expect(results).toContainText("Nic nie znaleziono");
  await box.press("Escape");
  await expect(results).toBeHidden();
});
