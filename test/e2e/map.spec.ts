// The dispatcher map (/map): drawn without tiles (the tile server is unreachable: requests to it are
// aborted here, as on an office server without internet), with the district names as the plain
// background, technicians' last known positions, today's jobs, and a technician's position
// arriving live.
import type { APIRequestContext, Page } from "@playwright/test";
import { DISTRICT_NAMES, distanceKm, findDistrict } from "../../src/domain/districts";
import { apiAs, someContact, todayAt, uniqueTitle, userId } from "./api";
import { DEMO_PASSWORD, DISPATCHER, TECH1, TECHNICIANS, expect, loginAs, pathIs, test } from "./fixtures";

const TECH2 = TECHNICIANS[1];

/** Signs in through the API and posts the technician's position; returns their user id. */
async function postLocation(request: APIRequestContext, email: string, lat: number, lng: number): Promise<string> {
  const auth = await request.post("/api/collections/users/auth-with-password", { data: { identity: email, password: DEMO_PASSWORD } });
  expect(auth.ok(), `${email} signs in`).toBeTruthy();
  const { token, record } = (await auth.json()) as { token: string; record: { id: string } };
  const res = await request.post("/api/hvac/location", { data: { lat, lng }, headers: { Authorization: token } });
  expect(res.status(), await res.text()).toBe(200);
  return record.id;
}

/** No tiles, whatever the machine's network: every request to a tile server fails. */
async function noTileServer(page: Page): Promise<void> {
  await page.route(/\/\/[^/]*tile[^/]*\//, (route) => route.abort("internetdisconnected"));
}

async function openMap(page: Page, errors: string[]): Promise<void> {
  page.on("pageerror", (e) => errors.push(e.message));
  await noTileServer(page);
  await loginAs(page, DISPATCHER);
  await page.getByRole("navigation", { name: "menu" }).getByRole("link", { name: "Mapa", exact: true }).click();
  await expect(page).toHaveURL(pathIs("/map"));
  await expect(page.getByRole("heading", { level: 1, name: "Mapa techników i zleceń" })).toBeVisible();
}

test("a dispatcher's map without tiles: district names, technicians, today's jobs, no error (screenshot)", async ({ page, request }, testInfo) => {
  const tech2 = await postLocation(request, TECH2, 52.2372, 20.9655); // Wola
  const errors: string[] = [];
  await openMap(page, errors);

  const map = page.getByTestId("map");
  await expect(page.getByTestId("no-tiles")).toHaveText("Mapa bez podkładu (brak dostępu do serwera kafelków)");
  await expect(map).toHaveAttribute("data-tiles", "failed");

  // The 18 districts, each name at its centre.
  const labels = map.getByTestId("district-label");
  await expect(labels).toHaveCount(DISTRICT_NAMES.length);
  expect((await labels.allTextContents()).sort()).toEqual([...DISTRICT_NAMES].sort());
  for (const name of DISTRICT_NAMES) await expect(labels.filter({ hasText: new RegExp(`^${name}$`) })).toBeVisible();

  // Technicians with a known position have a marker, labelled with name and age.
  const marker = map.locator(`[data-testid="tech-marker"][data-user-id="${tech2}"]`);
  await expect(marker).toBeVisible();
  await expect(marker).toHaveAttribute("data-lat", "52.2372");
  await expect(marker).toContainText(/przed chwilą|min temu/);
  expect(await map.getByTestId("tech-marker").count()).toBeGreaterThanOrEqual(1);

  // Today's jobs: one circle per listed job; a circle's popup links to the job.
  const listed = await page.getByTestId("job-list").getByRole("listitem").count();
  const circles = map.locator("path.hvac-job");
  await expect(circles).toHaveCount(listed);
  if (listed > 0) {
    await circles.first().dispatchEvent("click");
    const popup = map.locator(".leaflet-popup-content");
    await expect(popup.getByRole("link", { name: /Otwórz zlecenie/ })).toHaveAttribute("href", /^\/jobs\/[a-z0-9]{15}$/);
    await expect(popup).toContainText("Klient:");
    await expect(popup).toContainText("Status:");
  }

  // The legend names every priority.
  for (const p of ["niski", "średni", "wysoki", "pilny"]) await expect(page.getByTestId("map-legend")).toContainText(p);

  // Not an error page, nothing thrown.
  await expect(page.getByRole("heading", { name: /^(404|500)$/ })).toHaveCount(0);
  await expect(page.getByText("Internal Error")).toHaveCount(0);
  expect(errors).toEqual([]);

  const path = testInfo.outputPath("map.png");
  await page.screenshot({ path, fullPage: true });
  await testInfo.attach("map", { path, contentType: "image/png" });

  // The popup's link opens the job page inside the app.
  if (listed > 0) {
    const link = map.locator(".leaflet-popup-content").getByRole("link", { name: /Otwórz zlecenie/ });
    const href = await link.getAttribute("href");
    await link.click();
    await expect(page).toHaveURL(pathIs(href!));
  }
});

test("a technician's position appears and moves live on the dispatcher's map (screenshot)", async ({ page, request }, testInfo) => {
  const errors: string[] = [];
  await openMap(page, errors);
  await expect(page.getByTestId("live-state")).toHaveText(/Na żywo/);
  await expect(page.getByTestId("map")).toHaveAttribute("data-tiles", "failed");

  // First fix (Mokotów): the marker appears (or jumps there, if an earlier run left one).
  const id = await postLocation(request, TECH1, 52.1931, 21.0251);
  const marker = page.locator(`[data-testid="tech-marker"][data-user-id="${id}"]`);
  await expect(marker).toHaveAttribute("data-lat", "52.1931");
  await expect(marker).toHaveAttribute("data-lng", "21.0251");
  await expect(marker).toContainText("przed chwilą");
  const before = await marker.boundingBox();

  // Second fix (Bielany, to the north-west): the same marker moves, without a reload.
  await postLocation(request, TECH1, 52.2901, 20.9401);
  await expect(marker).toHaveAttribute("data-lat", "52.2901");
  await expect(marker).toHaveAttribute("data-lng", "20.9401");
  await expect(page.locator(`[data-testid="tech-marker"][data-user-id="${id}"]`)).toHaveCount(1);
  const after = await marker.boundingBox();
  expect(before && after, "the marker is on screen").toBeTruthy();
  expect(after!.y, "north is up").toBeLessThan(before!.y);
  expect(after!.x, "west is left").toBeLessThan(before!.x);
  // The side list follows too: the nearest district of the live fix.
  await expect(page.getByTestId("tech-list").locator(`[data-user-id="${id}"]`)).toContainText("Bielany");
  expect(errors).toEqual([]);

  const path = testInfo.outputPath("map-live.png");
  await page.screenshot({ path, fullPage: true });
  await testInfo.attach("map-live", { path, contentType: "image/png" });
});

test("a job's live change moves only its own circle; a job at its district's centre is drawn beside it, marked approximate", async ({ page }) => {
  const api = await apiAs(DISPATCHER);
  const tech1 = await userId(api, TECH1);
  const wola = await someContact(api, "Wola");
  const ursus = await someContact(api, "Ursus");
  const today = (hour: number) => ({ status: "scheduled", technicianId: tech1, scheduledDate: todayAt(hour), type: "maintenance", description: "Przegląd" });
  const still = await api.collection("jobs").create({ ...today(9), contactId: wola.id, title: uniqueTitle("Mapa: bez zmian"), coordinates: { lat: 52.2401, lng: 20.9702 } });
  const moving = await api.collection("jobs").create({ ...today(10), contactId: wola.id, title: uniqueTitle("Mapa: przenoszone"), coordinates: { lat: 52.2311, lng: 20.9555 } });
  // No coordinates: the hooks store the centre of the contact's district.
  const centred = await api.collection("jobs").create({ ...today(11), contactId: ursus.id, title: uniqueTitle("Mapa: środek dzielnicy") });
  expect(centred.coordinates).toEqual(findDistrict("Ursus")!.centre);

  const errors: string[] = [];
  await openMap(page, errors);
  await expect(page.getByTestId("live-state")).toHaveText(/Na żywo/);
  const map = page.getByTestId("map");
  const circle = (id: string) => map.locator(`path.hvac-job[data-job-id="${id}"]`);
  await expect(circle(still.id)).toHaveAttribute("data-lat", "52.2401");
  await expect(circle(moving.id)).toHaveAttribute("data-lat", "52.2311");

  // Mark the untouched job's circle element, then change the other job live.
  await circle(still.id).evaluate((el) => el.setAttribute("data-probe", "kept"));
  await api.collection("jobs").update(moving.id, { coordinates: { lat: 52.2455, lng: 20.9901 } });
  await expect(circle(moving.id)).toHaveAttribute("data-lat", "52.2455");
  await expect(circle(moving.id)).toHaveAttribute("data-lng", "20.9901");
  // The same element, not a redrawn one: every other circle was left alone.
  await expect(circle(still.id)).toHaveAttribute("data-probe", "kept");
  await expect(map.locator("path.hvac-job")).toHaveCount(await page.getByTestId("job-list").getByRole("listitem").count());

  // The job at Ursus's centre: approximate (dashed, said so in its popup), and drawn near the
  // centre rather than on it, where every other such job of the district would hide it.
  const approx = circle(centred.id);
  await expect(approx).toHaveAttribute("data-approx", "true");
  await expect(approx).toHaveClass(/hvac-job-approx/);
  await expect(circle(still.id)).toHaveAttribute("data-approx", "false");
  const at = { lat: Number(await approx.getAttribute("data-lat")), lng: Number(await approx.getAttribute("data-lng")) };
  const metres = distanceKm(at, findDistrict("Ursus")!.centre) * 1000;
  expect(metres, "beside the centre, not on it").toBeGreaterThan(20);
  expect(metres, "still near the centre").toBeLessThan(1000);
  await approx.dispatchEvent("click");
  await expect(map.locator(".leaflet-popup-content")).toContainText("lokalizacja przybliżona – środek dzielnicy");
  expect(errors).toEqual([]);
});

test("a technician gets no map: no menu link, /map explains", async ({ page }) => {
  await loginAs(page, TECH1);
  await expect(page.getByRole("navigation", { name: "menu" }).getByRole("link", { name: "Mapa", exact: true })).toHaveCount(0);
  await page.goto("/map");
  await expect(page.getByText("Mapa jest dostępna dla dyspozytorów i kierowników.")).toBeVisible();
});
