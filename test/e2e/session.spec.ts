// A session the server no longer accepts ends on the login page; a technician's phone shares its
// location and uploads a photo.
import { apiAs, someContact, todayAt, uniqueTitle, userId } from "./api";
import { DISPATCHER, TECHNICIANS, expect, loginAs, pathIs, test } from "./fixtures";

/** A token with a valid shape and a far expiry but a wrong signature. */
function forgedToken(id: string): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
  return `${part({ alg: "HS256", typ: "JWT" })}.${part({ id, type: "authRecord", collectionId: "_pb_users_auth_", exp: 4102444800 })}.c2lnbmF0dXJl`;
}

test("a token the server refuses sends the user back to the login page", async ({ page }) => {
  await loginAs(page, DISPATCHER);
  await page.evaluate((token) => {
    const auth = JSON.parse(localStorage.getItem("pocketbase_auth")!);
    localStorage.setItem("pocketbase_auth", JSON.stringify({ ...auth, token }));
  }, forgedToken("x"));
  await page.goto("/board");
  await expect(page).toHaveURL(pathIs("/login"));
  await expect(page.getByRole("button", { name: "Zaloguj się" })).toBeVisible();
});

test("a technician shares the phone's location and uploads a photo of the equipment", async ({ browser }, testInfo) => {
  const email = TECHNICIANS[2]; // tech3: this spec's own technician
  const api = await apiAs(DISPATCHER);
  const tech = await userId(api, email);
  const contact = await someContact(api);
  const title = uniqueTitle("Wymiana filtra");
  const job = await api.collection("jobs").create({
    contactId: contact.id, title, description: "Wymiana filtra w rekuperatorze", type: "maintenance",
    status: "scheduled", technicianId: tech, scheduledDate: todayAt(6, 30),
  });
  const phone = await (await browser.newContext({
    viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: "pl-PL", timezoneId: "Europe/Warsaw",
    permissions: ["geolocation"], geolocation: { latitude: 52.2297, longitude: 21.0122 },
  })).newPage();
  await loginAs(phone, email);

  await phone.getByRole("switch", { name: "Udostępniaj moją lokalizację" }).check();
  await expect(phone.getByTestId("location-state")).toContainText("ostatnio wysłano o");
  const located = await api.collection("users").getOne(tech);
  expect(located.lastLocation).toMatchObject({ lat: 52.2297, lng: 21.0122 });

  const card = phone.locator(`[data-testid="tech-job"][data-job-id="${job.id}"]`);
  // A 1x1 PNG, as a phone camera would hand over a JPEG.
  const png = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==", "base64");
  await card.getByLabel("Zdjęcie urządzenia").setInputFiles({ name: "kociol.png", mimeType: "image/png", buffer: png });
  await card.getByLabel("Opis zdjęcia").fill("Tabliczka znamionowa kotła");
  // While the upload is on its way (held here), a progress bar says how far it got.
  let release = () => {};
  const held = new Promise<void>((r) => (release = r));
  await phone.route("**/api/collections/equipment_photos/records", async (route) => {
    await held;
    await route.continue();
  });
  await card.getByRole("button", { name: "Wyślij zdjęcie" }).click();
  await expect(card.getByTestId("photo-progress")).toBeVisible();
  await expect(card.getByText(/^Wysyłanie(…| zdjęcia… \d+%)$/)).toBeVisible();
  await expect(card.getByRole("button", { name: "Wyślij zdjęcie" })).toBeDisabled();
  release();
  await expect(card.getByText("Zdjęcie zapisane")).toBeVisible();
  await expect(card.getByTestId("photo-progress")).toHaveCount(0);
  await phone.screenshot({ path: testInfo.outputPath("tech-photo.png"), fullPage: true });

  const photos = await api.collection("equipment_photos").getFullList({ filter: api.filter("jobId = {:id}", { id: job.id }) });
  expect(photos).toHaveLength(1);
  expect(photos[0]).toMatchObject({ description: "Tabliczka znamionowa kotła", mimetype: "image/png", contactId: contact.id });

  // Switched off, it stays off after a reload.
  await phone.getByRole("switch", { name: "Udostępniaj moją lokalizację" }).uncheck();
  await phone.reload();
  await expect(phone.getByTestId("location-state")).toContainText("nieudostępniana");
});
