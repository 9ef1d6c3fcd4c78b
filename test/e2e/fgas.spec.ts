// The F-gas register (issue 4): the office opens it from the menu and sees units needing a leak
// check first (demo data has units in every state); adds a unit through the form (a refused
// refrigerant shows next to its field in Polish, then the server computes CO2e, interval and next
// check); creates leak-check jobs for the selected overdue units, and a second time they are
// skipped because an open job is linked; the unit's page lists its job.
import { shiftDay, warsawDayKey } from "../../src/domain/board";
import { REGISTER_STATUSES, type RegisterStatus } from "../../src/domain/fgas-register";
import type { JobRecord } from "../../src/domain/types";
import { apiAs, someContact, uniqueTitle } from "./api";
import { DISPATCHER, expect, loginAs, pathIs, test } from "./fixtures";

const today = () => warsawDayKey(Date.now());
/** The register's order by status: never checked / overdue first, units without duties last. */
const RANK: Record<RegisterStatus, number> = { no_history: 0, incomplete: 0, overdue: 1, due_soon: 1, ok: 1, not_required: 2 };

test("the register lists units needing a check first, with Polish numbers and status badges", async ({ page }) => {
  await loginAs(page, DISPATCHER);
  await page.getByRole("navigation", { name: "menu" }).getByRole("link", { name: "Rejestr F-gaz" }).click();
  await expect(page).toHaveURL(pathIs("/fgas"));
  await expect(page.getByRole("heading", { level: 1, name: "Rejestr F-gaz" })).toBeVisible();

  const rows = page.getByTestId("fgas-row");
  await expect(rows.first()).toBeVisible();
  const statuses = (await rows.evaluateAll((els) => els.map((e) => e.getAttribute("data-status") ?? ""))) as RegisterStatus[];
  for (const s of ["overdue", "no_history", "due_soon", "ok", "not_required"] as const) expect(statuses, s).toContain(s);
  for (const s of statuses) expect(REGISTER_STATUSES).toContain(s);
  // Never-checked and overdue units come before the rest; units without duties come last.
  expect(statuses.map((s) => RANK[s])).toEqual([...statuses.map((s) => RANK[s])].sort((a, b) => a - b));
  expect(statuses[0]).toBe("no_history");
  const firstDated = statuses.findIndex((s) => s !== "no_history" && s !== "incomplete");
  expect(statuses[firstDated]).toBe("overdue");
  const lastOverdue = statuses.lastIndexOf("overdue");
  expect(statuses.slice(0, lastOverdue).every((s) => s === "overdue" || s === "no_history" || s === "incomplete")).toBe(true);

  // The demo split with 2.6 kg of R410A: Polish decimal comma, 5.43 t CO2e, every 12 months.
  const split = rows.filter({ hasText: "ASYG09KMTB" });
  await expect(split.getByTestId("fgas-charge")).toHaveText("2,6");
  await expect(split).toContainText("5,43");
  await expect(split).toContainText("co 12 mies.");
  await expect(split.getByTestId("fgas-badge")).toHaveText("w terminie");
  await expect(rows.filter({ hasText: "aroTHERM" }).getByTestId("fgas-badge")).toHaveText("nie wymaga");

  // Filters: by status, and by text without Polish letters.
  await page.getByTestId("fgas-status-filter").selectOption("overdue");
  await expect(rows.first()).toBeVisible();
  expect(new Set(await rows.evaluateAll((els) => els.map((e) => e.getAttribute("data-status"))))).toEqual(new Set(["overdue"]));
  await page.getByTestId("fgas-status-filter").selectOption("all");
  await page.getByTestId("fgas-text-filter").fill("komora chlodnicza");
  await expect(rows).toHaveCount(1);
  await expect(rows).toContainText("Optyma");
});

test("a dispatcher adds a unit: a refused refrigerant is shown by its field, then the server computes the checks", async ({ page }) => {
  const api = await apiAs(DISPATCHER);
  const contact = await someContact(api, "Wola");
  const model = uniqueTitle("KlimaTest");
  const lastCheck = shiftDay(today(), -400);

  await loginAs(page, DISPATCHER);
  await page.goto("/fgas");
  await page.getByTestId("fgas-add").click();
  await expect(page).toHaveURL(pathIs("/fgas/new"));
  await expect(page.getByRole("heading", { level: 1, name: "Nowe urządzenie" })).toBeVisible();

  await page.getByLabel("Klient").fill(contact.name);
  await page.locator(`button[data-contact-id="${contact.id}"]`).click();
  await expect(page.getByTestId("picked-customer")).toContainText(contact.name);
  await page.getByLabel("Typ urządzenia").selectOption("split");
  await page.getByLabel("Producent").fill("Mitsubishi Electric");
  await page.getByLabel("Model").fill(model);
  await page.getByLabel("Nr seryjny").fill("72U01234");
  await page.getByLabel("Czynnik chłodniczy").fill("R41X");
  await page.getByLabel("Ilość czynnika (kg)").fill("2,4");
  await page.getByLabel("Ostatnia kontrola szczelności").fill(lastCheck);
  await page.getByRole("button", { name: "Dodaj urządzenie" }).click();

  await expect(page.getByTestId("error-refrigerant")).toContainText("Nieznany czynnik");
  await expect(page.getByLabel("Czynnik chłodniczy")).toHaveAttribute("aria-invalid", "true");
  await expect(page).toHaveURL(pathIs("/fgas/new"));

  await page.getByLabel("Czynnik chłodniczy").fill("r-410a");
  await page.getByRole("button", { name: "Dodaj urządzenie" }).click();
  await expect(page).toHaveURL(/\/fgas\/[a-z0-9]{15}$/);
  await expect(page.getByTestId("toasts")).toContainText("Dodano urządzenie do rejestru.");
  await expect(page.getByTestId("unit-co2e")).toHaveText("5,01 t");
  await expect(page.getByTestId("unit-interval")).toHaveText("co 12 mies.");
  await expect(page.getByTestId("unit-status")).toHaveText("po terminie");
  await expect(page.getByLabel("Czynnik chłodniczy")).toHaveValue("R410A");
  await expect(page.getByLabel("Ilość czynnika (kg)")).toHaveValue("2,4");

  const saved = await api.collection("equipment").getFirstListItem(api.filter("model = {:model}", { model }));
  expect(saved).toMatchObject({ contactId: contact.id, refrigerant: "R410A", chargeKg: 2.4, checkIntervalMonths: 12, lastLeakCheck: `${lastCheck} 00:00:00.000Z` });

  // An edit: a leak detection system doubles the interval.
  await page.getByLabel("System wykrywania wycieków").check();
  await page.getByRole("button", { name: "Zapisz zmiany" }).click();
  await expect(page.getByTestId("form-note")).toHaveText("Zapisano urządzenie.");
  await expect(page.getByTestId("unit-interval")).toHaveText("co 24 mies.");

  await page.getByRole("link", { name: "← Rejestr F-gaz" }).click();
  await page.getByTestId("fgas-text-filter").fill(model);
  await expect(page.getByTestId("fgas-row")).toHaveCount(1);
  await expect(page.getByTestId("fgas-row")).toHaveAttribute("data-status", "ok");
});

test("leak-check jobs for the selected overdue units; the second time they are skipped", async ({ page }) => {
  const api = await apiAs(DISPATCHER);
  const contact = await someContact(api, "Mokotów");
  const tag = uniqueTitle("Chiller");
  const unit = (n: number, daysAgo: number) => api.collection("equipment").create({
    contactId: contact.id, type: "chiller", manufacturer: "Carrier", model: `${tag}-${n}`, serialNumber: `S${n}`,
    refrigerant: "R410A", chargeKg: 12, lastLeakCheck: shiftDay(today(), -daysAgo),
  });
  const late1 = await unit(1, 500);
  const late2 = await unit(2, 400);
  const fine = await unit(3, 10);

  await loginAs(page, DISPATCHER);
  await page.goto("/fgas");
  await page.getByTestId("fgas-text-filter").fill(tag);
  const rows = page.getByTestId("fgas-row");
  await expect(rows).toHaveCount(3);
  expect(await rows.evaluateAll((els) => els.map((e) => e.getAttribute("data-id")))).toEqual([late1.id, late2.id, fine.id]);

  await page.getByRole("button", { name: "Zaznacz zaległe" }).click();
  await expect(page.getByTestId("fgas-selected")).toHaveText("Zaznaczono: 2");
  await expect(rows.nth(2).getByRole("checkbox")).not.toBeChecked();
  await page.getByTestId("fgas-create-jobs").click();
  await expect(page.getByTestId("toasts")).toContainText("Utworzono zleceń kontroli szczelności: 2. Pominięto (mają otwarte zlecenie): 0.");
  await expect(page.getByTestId("fgas-selected")).toHaveText("Zaznaczono: 0");
  await expect(rows.nth(0).getByTestId("fgas-open-job")).toBeVisible();

  type LinkedJob = JobRecord & { equipmentId: string };
  const jobsOf = async () => api.collection("jobs").getFullList<LinkedJob>({
    filter: api.filter("equipmentId = {:a} || equipmentId = {:b} || equipmentId = {:c}", { a: late1.id, b: late2.id, c: fine.id }),
  });
  const created = await jobsOf();
  expect(created.map((j) => j.equipmentId).sort()).toEqual([late1.id, late2.id].sort());
  for (const j of created) {
    expect(j).toMatchObject({ type: "inspection", status: "pending", contactId: contact.id });
    expect(j.title).toMatch(new RegExp(`^Kontrola szczelności F-gaz: Carrier ${tag}-[12]$`));
    expect(j.description).toContain("Czynnik: R410A, napełnienie 12 kg, 25,06 t CO2e");
  }

  // Again: both already have an open job.
  await page.getByRole("button", { name: "Zaznacz zaległe" }).click();
  await page.getByTestId("fgas-create-jobs").click();
  await expect(page.getByTestId("toasts")).toContainText("Utworzono zleceń kontroli szczelności: 0. Pominięto (mają otwarte zlecenie): 2.");
  expect(await jobsOf()).toHaveLength(2);

  // The unit's page lists its job, linking to the job page.
  await rows.nth(0).getByRole("link", { name: `Carrier ${tag}-1` }).click();
  await expect(page).toHaveURL(pathIs(`/fgas/${late1.id}`));
  const job = created.find((j) => j.equipmentId === late1.id)!;
  await expect(page.getByTestId("unit-jobs").locator(`a[href="/jobs/${job.id}"]`)).toHaveText(job.title);
  await expect(page.getByTestId("unit-status")).toHaveText("po terminie");
});
