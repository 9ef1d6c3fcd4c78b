// The sync status page (issue 5). On the shared server of the browser tests sync is off (nothing
// configured): the office sees "Synchronizacja wyłączona" and what to set; technicians have no menu
// entry. For the other states this spec boots its own PocketBase (same hooks, same dashboard build,
// no demo data) so the shared server stays offline:
// - hybrid mode against the Convex stub of this process (test/helpers/sync-stubs.ts), no cron drain
//   and SYNC_MAX_ATTEMPTS=1, so one failure parks a change: the manager sends from the page, sees the
//   failure as a dead letter, retries it and sends again; a dispatcher watches the queue follow
//   changes made elsewhere (polling) and a conflict appear (realtime), read-only; the manager marks
//   the conflict reviewed;
// - a bad CONVEX_SYNC_SECRET: the page names the variable.
import { join, resolve } from "node:path";
import type { Page } from "@playwright/test";
import { createWorld, makeContact, PASSWORD, type World } from "../helpers/fixtures";
import { ROOT, startPocketBase, type RunningPocketBase } from "../helpers/pocketbase";
import { ConvexStub } from "../helpers/sync-stubs";
import { DISPATCHER, expect, loginAs, pathIs, TECH1, test } from "./fixtures";

/** The dashboard build the global setup serves (HVAC_WEB_OUT is relative to web/, as there). */
const PUBLIC = process.env.HVAC_WEB_OUT ? resolve(ROOT, "web", process.env.HVAC_WEB_OUT) : join(ROOT, "pb_public");
const SECRET = "e2e-sync-secret-0123456789";

const menu = (page: Page) => page.getByRole("navigation", { name: "menu" });
const targetCard = (page: Page, name: string) => page.locator(`[data-testid="sync-target"][data-name="${name}"]`);

/** Boots a PocketBase of this spec's own with the given sync variables (the rest cleared). */
async function startServer(env: Record<string, string>): Promise<RunningPocketBase> {
  return startPocketBase({
    serveArgs: [`--publicDir=${PUBLIC}`],
    env: {
      SYNC_MODE: "", CONVEX_SITE_URL: "", CONVEX_SYNC_SECRET: "", WEAVIATE_URL: "", WEAVIATE_API_KEY: "", SYNC_DRAIN_CRON: "off", ...env,
    },
  });
}

/**
 * Logs in on one of this spec's servers (loginAs goes to the shared server: the baseURL). The page
 * stays on that origin afterwards, so the app's own links work as usual.
 */
async function loginOn(page: Page, server: RunningPocketBase, email: string): Promise<void> {
  await page.goto(`${server.url}/login`);
  await page.getByLabel("E-mail", { exact: true }).fill(email);
  await page.getByLabel("Hasło", { exact: true }).fill(PASSWORD);
  await page.getByRole("button", { name: "Zaloguj się" }).click();
  await expect(page).toHaveURL(pathIs("/board"));
}

test("sync off: the office sees what to set; technicians have no menu entry", async ({ page }) => {
  await loginAs(page, DISPATCHER);
  await menu(page).getByRole("link", { name: "Synchronizacja" }).click();
  await expect(page).toHaveURL(pathIs("/sync"));
  await expect(page.getByRole("heading", { level: 1, name: "Synchronizacja" })).toBeVisible();
  await expect(page.getByTestId("sync-mode")).toHaveAttribute("data-mode", "off");
  const off = page.getByTestId("sync-off");
  await expect(off.getByRole("heading", { name: "Synchronizacja wyłączona" })).toBeVisible();
  for (const v of ["SYNC_MODE", "CONVEX_SITE_URL", "CONVEX_SYNC_SECRET", "WEAVIATE_URL"]) await expect(off).toContainText(v);
  await expect(page.getByTestId("sync-bad")).toHaveCount(0);
  // Both targets off; nothing to send.
  await expect(targetCard(page, "convex").getByTestId("sync-health")).toHaveText("wyłączony");
  await expect(targetCard(page, "weaviate").getByTestId("sync-health")).toHaveText("wyłączony");
  await expect(page.getByTestId("sync-drain")).toHaveCount(0);
  await expect(page.getByTestId("sync-dead")).toContainText("Brak nieudanych wysyłek.");

  await page.getByRole("button", { name: "Wyloguj" }).click();
  await loginAs(page, TECH1);
  await expect(menu(page).getByRole("link", { name: "Moje zlecenia" })).toBeVisible();
  await expect(menu(page).getByRole("link", { name: "Synchronizacja" })).toHaveCount(0);
  await page.goto("/sync");
  await expect(page.getByText("Stan synchronizacji jest dostępny dla biura")).toBeVisible();
  await expect(page.getByTestId("sync-mode")).toHaveCount(0);
});

test.describe("sync on (hybrid, Convex stub)", () => {
  // One server, one story: the conflict of the second test is reviewed in the third.
  test.describe.configure({ mode: "serial" });
  let convex: ConvexStub;
  let server: RunningPocketBase;
  let w: World;
  test.beforeAll(async () => {
    convex = await new ConvexStub(SECRET).start();
    server = await startServer({ SYNC_MODE: "hybrid", CONVEX_SITE_URL: convex.url, CONVEX_SYNC_SECRET: SECRET, SYNC_MAX_ATTEMPTS: "1" });
    w = await createWorld(server, "-sync");
  });
  test.afterAll(async () => {
    await server?.stop();
    await convex?.close();
  });
  test.beforeEach(() => convex.healthy());

  const drainElsewhere = () => server.admin.send("/api/hvac/sync/drain", { method: "POST", body: {} });

  test("the manager sends, sees a failed change, retries it and sends it again", async ({ page }) => {
    const contact = await makeContact(w.dispatcher, { name: "Synchronizacja E2E" });
    convex.failAlways({ kind: "status", status: 503 });

    await loginOn(page, server, "manager-sync@hvac.test");
    await menu(page).getByRole("link", { name: "Synchronizacja" }).click();
    await expect(page).toHaveURL(pathIs("/sync"));
    await expect(page.getByTestId("sync-mode")).toHaveAttribute("data-mode", "hybrid");
    await expect(page.getByTestId("sync-mode")).toContainText("hybrid: zmiany są wysyłane do Convex i pobierane z niego");
    await expect(page.getByTestId("sync-off")).toHaveCount(0);
    await expect(page.getByTestId("sync-read-only")).toHaveCount(0);
    const cvx = targetCard(page, "convex");
    await expect(cvx).toHaveAttribute("data-health", "waiting");
    await expect(cvx.getByTestId("sync-queue")).toHaveText("1");
    await expect(cvx.getByTestId("sync-next")).toHaveText("przy najbliższym wysyłaniu");
    await expect(cvx.getByTestId("sync-last-success")).toHaveText("nigdy");
    await expect(cvx).toContainText(convex.url);
    await expect(targetCard(page, "weaviate")).toHaveAttribute("data-health", "off");
    await expect(page.getByTestId("sync-pull")).toBeVisible();

    // Convex answers 503: with one attempt allowed the change is parked at once.
    await page.getByTestId("sync-drain").click();
    await expect(page.getByTestId("toasts")).toContainText("Wysłano: 0, nieudane: 1.");
    await expect(cvx).toHaveAttribute("data-health", "dead");
    await expect(cvx.getByTestId("sync-queue")).toHaveText("0");
    await expect(cvx.getByTestId("sync-dead-count")).toHaveText("1");
    await expect(cvx.getByTestId("sync-last-error")).toContainText("przed chwilą");
    await expect(cvx.getByTestId("sync-last-error")).toContainText("Convex answered HTTP 503");
    await expect(cvx.getByTestId("sync-error-overcome")).toHaveCount(0);
    // The pull failed the same way and says so.
    await expect(page.getByTestId("sync-pull")).toContainText("Convex answered the pull with HTTP 503");
    const row = page.getByTestId("sync-dead-row");
    await expect(row).toHaveCount(1);
    await expect(row).toHaveAttribute("data-rid", contact.id);
    await expect(row).toContainText("Convex");
    await expect(row).toContainText("Klient");
    await expect(row).toContainText("zapis");
    await expect(row).toContainText("Convex answered HTTP 503");
    await expect(row.getByRole("link", { name: contact.id })).toHaveAttribute("href", `/contacts/${contact.id}`);
    await expect(page.getByTestId("sync-retry-all")).toBeVisible();
    expect(convex.doc("contacts", contact.id)).toBeUndefined();

    // Convex is back: "Ponów" puts the change back into the queue, "Wyślij teraz" delivers it.
    convex.healthy();
    await row.getByTestId("sync-retry").click();
    await expect(page.getByTestId("toasts")).toContainText("Przywrócono do kolejki: 1.");
    await expect(page.getByTestId("sync-dead-row")).toHaveCount(0);
    await expect(page.getByTestId("sync-dead")).toContainText("Brak nieudanych wysyłek.");
    await expect(page.getByTestId("sync-retry-all")).toHaveCount(0);
    await expect(cvx.getByTestId("sync-queue")).toHaveText("1");
    await expect(cvx.getByTestId("sync-dead-count")).toHaveText("0");
    // Its last delivery failed and it still waits.
    await expect(cvx).toHaveAttribute("data-health", "failing");

    await page.getByTestId("sync-drain").click();
    await expect(page.getByTestId("toasts")).toContainText("Wysłano: 1, nieudane: 0.");
    await expect(cvx).toHaveAttribute("data-health", "ok");
    await expect(cvx.getByTestId("sync-queue")).toHaveText("0");
    await expect(cvx.getByTestId("sync-last-success")).toHaveText("przed chwilą");
    await expect(cvx.getByTestId("sync-next")).toHaveText("—");
    // The old error stays visible, marked as overcome.
    await expect(cvx.getByTestId("sync-error-overcome")).toHaveText("(później wysłano bez błędu)");
    expect(convex.doc("contacts", contact.id)?.record).toMatchObject({ name: "Synchronizacja E2E" });
  });

  test("a dispatcher watches the queue and a conflict arrive without reloading, read-only", async ({ page }) => {
    const contact = await makeContact(w.dispatcher, { name: "Wersja z biura", notes: "wspólne" });
    await drainElsewhere();
    expect(convex.doc("contacts", contact.id)).toBeDefined();

    await loginOn(page, server, "dispatcher-sync@hvac.test");
    await page.goto(`${server.url}/sync`);
    await expect(page.getByTestId("sync-read-only")).toBeVisible();
    const cvx = targetCard(page, "convex");
    await expect(cvx.getByTestId("sync-queue")).toHaveText("0");
    await expect(page.getByTestId("sync-drain")).toHaveCount(0);
    await expect(page.getByTestId("sync-conflicts-loading")).toHaveCount(0);
    await expect(page.getByTestId("sync-conflicts")).toContainText("Brak otwartych konfliktów.");

    // A change made elsewhere: the status is polled every 10 s while the page is visible.
    const other = await makeContact(w.dispatcher, { name: "Zmiana w tle" });
    await expect(cvx.getByTestId("sync-queue")).toHaveText("1", { timeout: 15_000 });
    await drainElsewhere();
    expect(convex.doc("contacts", other.id)).toBeDefined();

    // Convex sends an older version of the contact (written 1 ms before this server's): a conflict,
    // this server's version kept. It reaches the open page by realtime.
    const before = new Date(Date.parse(contact.updated.replace(" ", "T")) - 1).toISOString().replace("T", " ");
    convex.writeFromConvex("contacts", contact.id, { ...convex.doc("contacts", contact.id)!.record, name: "Starsza wersja z Convex" }, before);
    await drainElsewhere();
    const card = page.getByTestId("sync-conflict");
    await expect(card).toHaveCount(1);
    await expect(card).toHaveAttribute("data-record", contact.id);
    await expect(card).toContainText("Convex przysłał starszą wersję niż ta na tym serwerze");
    await expect(card.getByTestId("sync-winner")).toHaveText(/Wygrała: wersja z tego serwera/);
    await expect(card.getByRole("link", { name: contact.id })).toHaveAttribute("href", `/contacts/${contact.id}`);
    const name = card.locator('[data-testid="sync-conflict-field"][data-field="name"]');
    await expect(name).toHaveAttribute("data-differs", "true");
    await expect(name.getByTestId("sync-local")).toHaveText("Wersja z biura");
    await expect(name.getByTestId("sync-remote")).toHaveText("Starsza wersja z Convex");
    const notes = card.locator('[data-testid="sync-conflict-field"][data-field="notes"]');
    await expect(notes).toHaveAttribute("data-differs", "false");
    await expect(notes.getByTestId("sync-local")).toHaveText("wspólne");
    // Only the differing field is marked, and it comes first.
    await expect(card.locator('[data-testid="sync-conflict-field"][data-differs="true"]')).toHaveCount(1);
    await expect(card.getByTestId("sync-conflict-field").first()).toHaveAttribute("data-field", "name");
    await expect(card.getByTestId("sync-resolve")).toHaveCount(0);
    await expect(page.getByTestId("sync-pull")).toContainText("konflikty: 1");
  });

  test("the manager marks a conflict as reviewed", async ({ page }) => {
    const open = await w.manager.collection("sync_conflicts").getFullList({ filter: "resolved = false" });
    expect(open).toHaveLength(1);
    await loginOn(page, server, "manager-sync@hvac.test");
    await page.goto(`${server.url}/sync`);
    const card = page.locator(`[data-testid="sync-conflict"][data-id="${open[0].id}"]`);
    await card.getByRole("button", { name: "Oznacz jako przejrzany" }).click();
    await expect(page.getByTestId("toasts")).toContainText("Konflikt oznaczono jako przejrzany.");
    await expect(page.getByTestId("sync-conflict")).toHaveCount(0);
    await expect(page.getByTestId("sync-conflicts-loading")).toHaveCount(0);
    await expect(page.getByTestId("sync-conflicts")).toContainText("Brak otwartych konfliktów.");
    expect(await w.manager.collection("sync_conflicts").getOne(open[0].id)).toMatchObject({ resolved: true, recordId: open[0].recordId });
  });
});

test.describe("sync misconfigured", () => {
  let server: RunningPocketBase;
  test.beforeAll(async () => {
    server = await startServer({ SYNC_MODE: "development", CONVEX_SITE_URL: "http://127.0.0.1:9", CONVEX_SYNC_SECRET: "short" });
    await createWorld(server, "-bad");
  });
  test.afterAll(async () => {
    await server?.stop();
  });

  test("the page names the bad variable and sync stays off", async ({ page }) => {
    await loginOn(page, server, "manager-bad@hvac.test");
    await page.goto(`${server.url}/sync`);
    const bad = page.getByTestId("sync-bad");
    await expect(bad).toHaveAttribute("data-variable", "CONVEX_SYNC_SECRET");
    await expect(bad).toContainText("Błędna konfiguracja synchronizacji");
    await expect(bad).toContainText("Zmienna CONVEX_SYNC_SECRET ma nieprawidłową wartość");
    await expect(bad).toContainText("CONVEX_SYNC_SECRET: must be at least 16 characters");
    await expect(page.getByTestId("sync-mode")).toHaveAttribute("data-mode", "off");
    await expect(page.getByTestId("sync-off")).toContainText("SYNC_MODE");
    await expect(page.getByTestId("sync-target")).toHaveCount(0);
    await expect(page.getByTestId("sync-drain")).toHaveCount(0);
    await expect(bad).not.toContainText("short");
  });
});
