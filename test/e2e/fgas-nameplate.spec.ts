// A unit from a nameplate photo (issue 4): the office opens /fgas/new, picks the customer and sees
// the customer's equipment photos with where their reading stands (one still waiting, which turns
// "read" live when the worker finishes); choosing the read nameplate fills the empty fields only
// (a manufacturer typed first stays, the plate's value shown next to it), the doubtful charge is
// marked; saving links the photo to the new unit, whose page lists it; it is unlinked and linked
// again there. The readings are written as the OCR worker writes them (admin API): no OCR runs.
import { nameplateDocumentFields, type OcrLineInfo } from "../../src/domain/document";
import { parseNameplate } from "../../src/domain/fgas";
import type { NameplatePhoto } from "../../src/domain/nameplate-fill";
import { storedReading, type StoredReading } from "../../src/domain/ocr-record";
import { createClient } from "../../src/client";
import { ADMIN_EMAIL, ADMIN_PASSWORD } from "../helpers/pocketbase";
import { apiAs, someContact, uniqueTitle } from "./api";
import { DISPATCHER, expect, loginAs, pathIs, test } from "./fixtures";
import { PNG_1X1 } from "../helpers/fixtures";


async function adminApi() {
  const pb = createClient(process.env.E2E_BASE_URL!);
  await pb.admins.authWithPassword(ADMIN_EMAIL, ADMIN_PASSWORD);
  return pb;
}

/** A nameplate reading as the worker stores it; the words in `doubtful` were read with that OCR confidence. */
function plateReading(text: string, doubtful: Record<string, number> = {}): StoredReading {
  const lines: Array<OcrLineInfo | null> = text.split("\n").map((line) => {
    const words = line.split(/\s+/).filter(Boolean).map((w) => ({ text: w, confidence: doubtful[w] ?? 0.96 }));
    return { text: line, confidence: words.reduce((s, w) => s + w.confidence, 0) / words.length, words };
  });
  const fields = nameplateDocumentFields(parseNameplate(text), lines);
  return storedReading({ kind: "nameplate", source: "image-ocr", pages: 1, fields, review: [], ocrConfidence: 0.9, text }, "worker", new Date());
}

test("a unit filled from a nameplate photo: empty fields only, doubtful values marked, the photo linked on save, unlinked and linked again", async ({ page }) => {
  const api = await apiAs(DISPATCHER);
  const admin = await adminApi();
  const contact = await someContact(api, "Ursynów");
  const tag = uniqueTitle("Tabliczka");
  // A plate's serial number has digits (the parser requires one); the time in base 36 may have none.
  const serial = `J${Date.now().toString(36).toUpperCase()}7`;
  const upload = async (description: string) => {
    const form = new FormData();
    form.append("contactId", contact.id);
    form.append("description", description);
    form.append("file", new Blob([PNG_1X1], { type: "image/png" }), "tabliczka.png");
    return api.collection("equipment_photos").create(form);
  };
  const photo = (id: string) => api.collection("equipment_photos").getOne<NameplatePhoto>(id);
  const plate = await upload(`${tag} jednostka zewnętrzna`);
  const later = await upload(`${tag} jednostka wewnętrzna`);
  // The worker read the first one; the charge's digits were doubtful. The second still waits.
  const text = `DAIKIN INDUSTRIES\nMODEL RXM35R9V1B\nSERIAL NO. ${serial}\nREFRIGERANT R-410A 2.4 kg`;
  await admin.collection("equipment_photos").update(plate.id, { aiAnalysis: plateReading(text, { "2.4": 0.5 }), ocrStatus: "done" });
  expect((await photo(later.id)).ocrStatus).toBe("waiting");

  await loginAs(page, DISPATCHER);
  await page.goto("/fgas/new");
  const picker = page.getByTestId("plate-picker");
  await expect(picker.getByRole("heading", { name: "Z tabliczki znamionowej" })).toBeVisible();
  await expect(picker).toContainText("Wybierz klienta, aby zobaczyć zdjęcia jego urządzeń.");

  await page.getByLabel("Klient").fill(contact.name);
  await page.locator(`button[data-contact-id="${contact.id}"]`).click();
  const read = picker.locator(`[data-testid="plate-photo"][data-id="${plate.id}"]`);
  const waiting = picker.locator(`[data-testid="plate-photo"][data-id="${later.id}"]`);
  await expect(read.getByTestId("plate-state")).toHaveText("odczytano");
  await expect(waiting.getByTestId("plate-state")).toHaveText("czeka na odczyt");
  await expect(waiting.getByRole("button", { name: /Wypełnij/ })).toHaveCount(0);
  // The thumbnail really loads (protected file, through a token).
  const thumb = read.getByRole("img", { name: `${tag} jednostka zewnętrzna` });
  await expect.poll(() => thumb.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
  // The fields read, the doubtful charge marked.
  await expect(read.getByTestId("plate-value-model")).toHaveText("RXM35R9V1B");
  await expect(read.getByTestId("plate-value-refrigerant")).toHaveText("R410A");
  await expect(read.getByTestId("plate-value-chargeKg")).toHaveAttribute("data-low", "true");
  await expect(read.getByTestId("plate-value-chargeKg")).toContainText("2,4 kg · niska pewność");
  await expect(read.getByTestId("plate-value-model")).toHaveAttribute("data-low", "false");

  // What the person typed stays; the empty fields are filled.
  await page.getByLabel("Producent").fill("Mitsubishi Electric");
  await page.getByLabel("Lokalizacja (np. dach, serwerownia)").fill(`${tag} balkon`);
  await read.getByRole("button", { name: `Wypełnij formularz z tabliczki: ${tag} jednostka zewnętrzna` }).click();
  await expect(page.getByLabel("Model")).toHaveValue("RXM35R9V1B");
  await expect(page.getByLabel("Nr seryjny")).toHaveValue(serial);
  await expect(page.getByLabel("Czynnik chłodniczy")).toHaveValue("R410A");
  await expect(page.getByLabel("Ilość czynnika (kg)")).toHaveValue("2,4");
  await expect(page.getByLabel("Producent")).toHaveValue("Mitsubishi Electric");
  await expect(page.getByTestId("differs-manufacturer")).toHaveText("Na tabliczce: Daikin. Zostawiono wpisaną wartość.");
  await expect(picker.getByTestId("plate-note")).toContainText("Uzupełniono z tabliczki: Model, Nr seryjny, Czynnik chłodniczy, Ilość czynnika (kg).");
  await expect(read.getByTestId("plate-chosen")).toHaveText("Zostanie powiązane z urządzeniem przy zapisie.");
  // The doubtful charge is marked by its field until the dispatcher has looked; the sure values are not.
  await expect(page.getByTestId("doubt-chargeKg")).toBeVisible();
  await expect(page.getByLabel("Ilość czynnika (kg)")).toHaveAttribute("aria-describedby", /doubt-chargeKg/);
  await expect(page.getByTestId("doubt-model")).toHaveCount(0);

  // The worker finishes the second photo while the page is open: it shows as read, live.
  await admin.collection("equipment_photos").update(later.id, { aiAnalysis: plateReading("DAIKIN\nMODEL FTXM35R\nREFRIGERANT R32 0.9 kg"), ocrStatus: "done" });
  await expect(waiting.getByTestId("plate-state")).toHaveText("odczytano");
  await expect(waiting.getByTestId("plate-value-model")).toHaveText("FTXM35R");

  // The dispatcher checked the charge on the photo: it is 2.6 kg.
  await page.getByLabel("Ilość czynnika (kg)").fill("2,6");
  await expect(page.getByTestId("doubt-chargeKg")).toHaveCount(0);
  await expect(page.getByTestId("differs-chargeKg")).toHaveText("Na tabliczce: 2,4 kg. Zostawiono wpisaną wartość.");

  await page.getByRole("button", { name: "Dodaj urządzenie" }).click();
  await expect(page).toHaveURL(/\/fgas\/[a-z0-9]{15}$/);
  const unitId = new URL(page.url()).pathname.split("/").pop()!;
  await expect(page.getByTestId("toasts")).toContainText("Dodano urządzenie do rejestru.");
  const unit = await api.collection("equipment").getOne(unitId);
  expect(unit).toMatchObject({ contactId: contact.id, manufacturer: "Mitsubishi Electric", model: "RXM35R9V1B", serialNumber: serial, refrigerant: "R410A", chargeKg: 2.6 });
  expect((await photo(plate.id)).equipmentId).toBe(unitId);
  expect((await photo(later.id)).equipmentId).toBe("");

  // The unit's page lists the photo as linked; in the picker it is marked so.
  const linked = page.getByTestId("unit-photos").locator(`[data-testid="unit-photo"][data-id="${plate.id}"]`);
  await expect(linked).toContainText(`${tag} jednostka zewnętrzna`);
  await expect(read.getByTestId("plate-linked-here")).toHaveText("powiązane z tym urządzeniem");

  // Unlinked...
  await linked.getByRole("button", { name: `Odłącz od urządzenia: ${tag} jednostka zewnętrzna` }).click();
  await expect(page.getByTestId("toasts")).toContainText("Odłączono zdjęcie od urządzenia.");
  await expect(linked).toHaveCount(0);
  await expect(read.getByTestId("plate-linked-here")).toHaveCount(0);
  expect((await photo(plate.id)).equipmentId).toBe("");

  // ...and any photo of the customer linked at once on an existing unit.
  await waiting.getByRole("button", { name: `Powiąż z tym urządzeniem: ${tag} jednostka wewnętrzna` }).click();
  await expect(page.getByTestId("toasts")).toContainText("Powiązano zdjęcie z urządzeniem.");
  await expect(page.getByTestId("unit-photos").locator(`[data-testid="unit-photo"][data-id="${later.id}"]`)).toBeVisible();
  expect((await photo(later.id)).equipmentId).toBe(unitId);
  // Still linked after a reload (the server has it, not only the page).
  await page.reload();
  await expect(page.getByTestId("unit-photos").getByTestId("unit-photo")).toHaveCount(1);
  await expect(page.getByTestId("unit-photos").locator(`[data-testid="unit-photo"][data-id="${later.id}"]`)).toBeVisible();
});
