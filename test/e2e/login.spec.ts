// Logging in and out, landing pages by role, the language switch, and the guard on /board.
import { DISPATCHER, DISPATCHER2, MANAGER, TECH1, expect, loginAs, pathIs, test } from "./fixtures";

const boardHeading = (name: string) => ({ level: 1, name }) as const;

test("a wrong password shows an alert and stays on /login", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("E-mail", { exact: true }).fill(DISPATCHER);
  await page.getByLabel("Hasło", { exact: true }).fill("not-the-password");
  await page.getByRole("button", { name: "Zaloguj się" }).click();
  await expect(page.getByRole("alert").filter({ hasText: /\S/ })).toBeVisible();
  await expect(page).toHaveURL(pathIs("/login"));
});

for (const email of [DISPATCHER, MANAGER]) {
  test(`${email} lands on the dispatch board`, async ({ page }) => {
    await loginAs(page, email);
    await expect(page.getByRole("heading", boardHeading("Tablica zleceń"))).toBeVisible();
  });
}

test("the board, full page (screenshot)", async ({ page }, testInfo) => {
  await loginAs(page, DISPATCHER);
  await expect(page.getByRole("heading", boardHeading("Tablica zleceń"))).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath("board.png"), fullPage: true });
});

test("a technician lands on their own jobs (screenshot)", async ({ page }, testInfo) => {
  await loginAs(page, TECH1);
  await expect(page.getByRole("heading", boardHeading("Moje zlecenia"))).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath("tech.png"), fullPage: true });
});

test("Wyloguj logs out and returns to /login; the board then needs a login again", async ({ page }) => {
  await loginAs(page, DISPATCHER);
  await page.getByRole("button", { name: "Wyloguj" }).click();
  await expect(page).toHaveURL(pathIs("/login"));
  await expect(page.getByRole("button", { name: "Zaloguj się" })).toBeVisible();
  await page.goto("/board");
  await expect(page).toHaveURL(pathIs("/login"));
});

test("English switches the UI and the choice survives a reload", async ({ page }) => {
  // Its own account, so a choice stored with the user cannot leak into the other specs.
  await loginAs(page, DISPATCHER2);
  await page.getByRole("button", { name: "English", exact: true }).click();
  await expect(page.getByRole("heading", boardHeading("Dispatch board"))).toBeVisible();
  await expect(page.getByRole("button", { name: "Polski", exact: true })).toBeVisible();

  await page.reload();
  await expect(page.getByRole("heading", boardHeading("Dispatch board"))).toBeVisible();
  await expect(page.getByRole("button", { name: "Polski", exact: true })).toBeVisible();

  // And back, leaving the account as it was.
  await page.getByRole("button", { name: "Polski", exact: true }).click();
  await expect(page.getByRole("heading", boardHeading("Tablica zleceń"))).toBeVisible();
  await expect(page.getByRole("button", { name: "English", exact: true })).toBeVisible();
});

test("/board without a login redirects to /login", async ({ page }) => {
  await page.goto("/board");
  await expect(page).toHaveURL(pathIs("/login"));
  await expect(page.getByLabel("E-mail", { exact: true })).toBeVisible();
});

test("a failed login other than a wrong password is told in the user's language, not the server's English", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("E-mail", { exact: true }).fill(DISPATCHER);
  await page.getByLabel("Hasło", { exact: true }).fill("whatever-it-is");

  // The server is down: its own sentence must not be what the user reads.
  await page.route("**/api/collections/users/auth-with-password", (route) =>
    route.fulfill({ status: 503, contentType: "application/json", body: JSON.stringify({ code: 503, message: "Service Unavailable.", data: {} }) }));
  await page.getByRole("button", { name: "Zaloguj się" }).click();
  const alert = page.getByRole("alert").filter({ hasText: /\S/ });
  await expect(alert).toHaveText("Błąd serwera. Spróbuj ponownie za chwilę.");

  // No connection at all, in Polish and then in English.
  await page.unroute("**/api/collections/users/auth-with-password");
  await page.route("**/api/collections/users/auth-with-password", (route) => route.abort("internetdisconnected"));
  await page.getByRole("button", { name: "Zaloguj się" }).click();
  await expect(alert).toHaveText("Brak połączenia z serwerem. Sprawdź internet i spróbuj ponownie.");
  await page.getByRole("button", { name: "English", exact: true }).click();
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(alert).toHaveText("No connection to the server. Check the internet connection and try again.");
  await expect(page).toHaveURL(pathIs("/login"));
  await page.getByRole("button", { name: "Polski", exact: true }).click();
});
