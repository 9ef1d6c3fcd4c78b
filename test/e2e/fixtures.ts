// Shared pieces of the browser tests: the demo accounts (created by the global setup with the demo
// seeder) and logging in through the dashboard's login form.
import { expect, test as base, type Page } from "@playwright/test";
import { DEMO_PASSWORD } from "../../src/config";

export { expect, DEMO_PASSWORD };

export const DISPATCHER = "dispatcher@hvac.demo";
export const DISPATCHER2 = "dispatcher2@hvac.demo";
export const MANAGER = "manager@hvac.demo";
/** tech1@hvac.demo ... tech6@hvac.demo */
export const TECHNICIANS = [1, 2, 3, 4, 5, 6].map((n) => `tech${n}@hvac.demo`);
export const TECH1 = TECHNICIANS[0];
export const DEMO_EMAILS: readonly string[] = [DISPATCHER, DISPATCHER2, MANAGER, ...TECHNICIANS];

/** Where the dashboard lands after login: the board for the office, the job list for technicians. */
export function homeOf(email: string): "/board" | "/tech" {
  return TECHNICIANS.includes(email) ? "/tech" : "/board";
}

/** Matches a URL whose path is exactly `path` (any query or hash). */
export function pathIs(path: string): RegExp {
  return new RegExp(`^[a-z]+://[^/]+${path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?:[?#].*)?$`);
}

/** The specs' `test`: Playwright's own, its baseURL the server the global setup started. Add fixtures here. */
export const test = base;

/** Logs in through /login and waits for the role's landing page (/board or /tech). */
export async function loginAs(page: Page, email: string, password: string = DEMO_PASSWORD): Promise<void> {
  await page.goto("/login");
  await page.getByLabel("E-mail", { exact: true }).fill(email);
  await page.getByLabel("Hasło", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Zaloguj się" }).click();
  await expect(page, `${email} should land on ${homeOf(email)} after logging in`).toHaveURL(pathIs(homeOf(email)));
}
