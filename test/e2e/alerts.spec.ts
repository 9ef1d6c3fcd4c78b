// Emergency alerts panel (issue 3): two dispatchers on /board; a gas-smell job created by one of them
// reaches the other live (banner with district and reason, browser notification, tone), the district
// filter hides it with a visible count, and acknowledging it in one browser removes it in both.
import type { Browser, BrowserContext, Page } from "@playwright/test";
import { createClient, type HvacClient } from "../../src/client";
import { DEMO_PASSWORD, DISPATCHER, DISPATCHER2, TECH1, expect, loginAs, test } from "./fixtures";

const GAS = "Czuć zapach gazu w kotłowni";

/** What the page recorded: Notification constructions, permission requests and tones played. */
interface Spy {
  notifications: { title: string; body: string; tag: string }[];
  permissionRequests: number;
  tones: number;
}

/**
 * Runs before any page script: window.Notification becomes a spy whose permission starts at
 * "default" (so the panel must offer its button) and whose requestPermission asks the real API
 * (the context granted "notifications"). Oscillators started by Web Audio are counted as tones.
 */
function installSpies(): void {
  const w = window as unknown as { Notification: typeof Notification; __alertsSpy: Spy; AudioContext?: typeof AudioContext };
  const spy: Spy = { notifications: [], permissionRequests: 0, tones: 0 };
  w.__alertsSpy = spy;
  const Real = w.Notification;
  let permission: NotificationPermission = "default";
  class SpyNotification extends EventTarget {
    onclick: ((e: Event) => void) | null = null;
    constructor(readonly title: string, readonly options: NotificationOptions = {}) {
      super();
      spy.notifications.push({ title, body: options.body ?? "", tag: options.tag ?? "" });
      try {
        if (Real) new Real(title, options);
      } catch {
        /* headless Chromium may refuse to show it: the call is what we check */
      }
    }
    close(): void {}
    static get permission(): NotificationPermission {
      return permission;
    }
    static async requestPermission(): Promise<NotificationPermission> {
      spy.permissionRequests++;
      permission = Real ? await Real.requestPermission() : "granted";
      return permission;
    }
  }
  Object.defineProperty(window, "Notification", { value: SpyNotification, configurable: true, writable: true });
  const proto = w.AudioContext?.prototype;
  if (proto) {
    const create = proto.createOscillator;
    proto.createOscillator = function (this: AudioContext) {
      const osc = create.call(this);
      const start = osc.start.bind(osc);
      osc.start = (when?: number) => {
        spy.tones++;
        start(when);
      };
      return osc;
    };
  }
}

const spyOf = (page: Page) => page.evaluate(() => (window as unknown as { __alertsSpy: Spy }).__alertsSpy);

async function openAs(browser: Browser, baseURL: string, email: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    baseURL,
    locale: "pl-PL",
    timezoneId: "Europe/Warsaw",
    viewport: { width: 1366, height: 900 },
  });
  await context.grantPermissions(["notifications"], { origin: baseURL });
  await context.addInitScript(installSpies);
  const page = await context.newPage();
  await loginAs(page, email);
  return { context, page };
}

async function signedIn(baseURL: string, email: string): Promise<HvacClient> {
  const pb = createClient(baseURL);
  await pb.collection("users").authWithPassword(email, DEMO_PASSWORD);
  return pb;
}

const panel = (page: Page) => page.getByTestId("alerts-panel");
const item = (page: Page, jobId: string) => panel(page).locator(`[data-testid="alert-item"][data-job-id="${jobId}"]`);

test("a gas-smell job alerts the other dispatcher live; acknowledging removes it in both browsers", async ({ browser, baseURL }, testInfo) => {
  test.setTimeout(60_000);
  const base = baseURL!;
  const one = await openAs(browser, base, DISPATCHER);
  const two = await openAs(browser, base, DISPATCHER2);
  const api = await signedIn(base, DISPATCHER);
  let jobId = "";
  try {
    for (const { page } of [one, two]) await expect(panel(page)).toBeVisible();

    // Notifications are never requested on page load; the visible button asks.
    expect((await spyOf(two.page)).permissionRequests).toBe(0);
    const enable = panel(two.page).getByRole("button", { name: "Włącz powiadomienia" });
    await expect(enable).toBeVisible();
    await enable.click();
    await expect(enable).toBeHidden();
    expect((await spyOf(two.page)).permissionRequests).toBe(1);

    // Wait until both panels listen live and have listed the open alerts.
    for (const { page } of [one, two]) await expect(panel(page)).toHaveAttribute("data-ready", "true");

    const contact = await api.collection("contacts").getFirstListItem("district = 'Mokotów'");
    const title = `Awaria kotła e2e ${Date.now()}`;
    const job = await api.collection("jobs").create({ contactId: contact.id, title, description: GAS, type: "repair" });
    jobId = job.id;
    expect(job.priority).toBe("urgent");

    // dispatcher2 sees it within a few seconds: district, reason, address, link to the job, time.
    const alert = item(two.page, job.id);
    await expect(alert).toBeVisible({ timeout: 5_000 });
    await expect(alert.getByTestId("alert-district")).toHaveText("Mokotów");
    await expect(alert.getByTestId("alert-reason")).toContainText(job.priorityReason);
    await expect(alert.getByTestId("alert-reason")).toContainText(/zapach gazu/i);
    await expect(alert).toContainText(contact.address);
    await expect(alert.getByRole("link", { name: title })).toHaveAttribute("href", `/jobs/${job.id}`);
    await expect(alert.locator("time")).toHaveText(/^\s*\d{2}:\d{2}\s*$/);
    // Newest first (the overdue cron may add an alert of its own meanwhile: compare times, not places).
    const times = await panel(two.page).locator('[data-testid="alert-item"] time').evaluateAll((els) => els.map((e) => e.getAttribute("datetime") ?? ""));
    expect(times.length).toBeGreaterThan(0);
    expect(times).toEqual([...times].sort().reverse());
    // Announced to screen readers.
    await expect(two.page.getByTestId("alerts-announcement")).toContainText(title);

    // A notification was created on dispatcher2's page (permission granted), none on dispatcher's
    // (never enabled there).
    await expect.poll(async () => (await spyOf(two.page)).notifications.filter((n) => n.body.includes(title)).length).toBe(1);
    const [note] = (await spyOf(two.page)).notifications.filter((n) => n.body.includes(title));
    expect(note.title).toContain("Mokotów");
    expect(note.body).toMatch(/zapach gazu/i);
    expect((await spyOf(one.page)).notifications).toEqual([]);
    // The tone: three oscillators on dispatcher2's page (the click above unlocked audio).
    await expect.poll(async () => (await spyOf(two.page)).tones).toBeGreaterThanOrEqual(3);

    // The creator's own page shows it too.
    await expect(item(one.page, job.id)).toBeVisible();

    const shot = testInfo.outputPath("alerts.png");
    await two.page.screenshot({ path: shot, fullPage: true });
    await testInfo.attach("alerts", { path: shot, contentType: "image/png" });

    // The district filter hides it and says how many it hides; "show all" brings it back.
    const districtSelect = panel(two.page).getByLabel("Alarmy z dzielnicy");
    await districtSelect.selectOption("Wola");
    await expect(alert).toBeHidden();
    await expect(panel(two.page).getByTestId("alerts-hidden")).toContainText(/\+\d+ ukrytych przez filtr/);
    await districtSelect.selectOption("Mokotów");
    await expect(alert).toBeVisible();
    await panel(two.page).getByTestId("alerts-district").selectOption("");
    await expect(panel(two.page).getByTestId("alerts-hidden")).toBeHidden();

    // Acknowledged with the keyboard on dispatcher2's page: gone there and, live, on dispatcher's.
    const ack = alert.getByRole("button", { name: /^Potwierdź/ });
    await ack.focus();
    await two.page.keyboard.press("Enter");
    await expect(alert).toBeHidden();
    await expect(item(one.page, job.id)).toBeHidden({ timeout: 5_000 });

    const events = await api.collection("realtime_events").getFullList({
      filter: api.filter("type = 'emergency_alert' && jobId = {:id}", { id: job.id }),
    });
    expect(events).toHaveLength(1);
    expect(events[0].processed).toBe(true);
    expect(events[0].acknowledgedBy).toBe((await signedIn(base, DISPATCHER2)).authStore.model?.id);
  } finally {
    // Leave the shared demo data as the other specs expect it: the test job cancelled, its alert
    // acknowledged (also when the test failed half-way).
    if (jobId) {
      await api.collection("jobs").update(jobId, { status: "cancelled" }).catch(() => {});
      const open = await api.collection("realtime_events").getFullList({
        filter: api.filter("type = 'emergency_alert' && processed = false && jobId = {:id}", { id: jobId }),
      }).catch(() => []);
      for (const e of open) await api.collection("realtime_events").update(e.id, { processed: true }).catch(() => {});
    }
    await one.context.close();
    await two.context.close();
  }
});

test("the mute toggle is kept across reloads", async ({ page }) => {
  await loginAs(page, DISPATCHER2);
  const mute = page.getByTestId("alerts-mute");
  await expect(mute).toHaveAttribute("aria-pressed", "false");
  await mute.click();
  await expect(mute).toHaveAttribute("aria-pressed", "true");
  await expect(mute).toHaveText(/Włącz dźwięk/);
  await page.reload();
  await expect(page.getByTestId("alerts-mute")).toHaveAttribute("aria-pressed", "true");
  await page.getByTestId("alerts-mute").click();
  await expect(page.getByTestId("alerts-mute")).toHaveAttribute("aria-pressed", "false");
});

/**
 * Runs before any page script: counts the panel's requests for the list of open alerts (the SDK
 * calls the page's fetch, so every call is counted the moment it is made).
 */
function countAlertLists(): void {
  const w = window as unknown as { __alertLists: number };
  w.__alertLists = 0;
  const real = window.fetch.bind(window);
  window.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(typeof input === "string" ? input : input instanceof URL ? input.href : input.url, location.href);
    if (url.pathname === "/api/collections/realtime_events/records" && (url.searchParams.get("filter") ?? "").includes("emergency_alert")) {
      w.__alertLists++;
    }
    return real(input, init);
  };
}

test("the token refresh every page load starts with (same user, new record object) does not restart the panel", async ({ page }) => {
  await page.addInitScript(countAlertLists);
  await loginAs(page, DISPATCHER);
  // The refresh's answer is held until the panel has subscribed and listed, then given back with
  // the user's name changed, so the header shows when the new user object is in place.
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let caught!: () => void;
  const held = new Promise<void>((resolve) => (caught = resolve));
  await page.route("**/api/collections/users/auth-refresh", async (route) => {
    caught();
    await released;
    const response = await route.fetch();
    const body = await response.json();
    body.record.name = `${body.record.name || body.record.email} (odświeżone)`;
    await route.fulfill({ response, json: body });
  });
  await page.reload();
  await held;
  await expect(panel(page)).toHaveAttribute("data-ready", "true");
  const lists = () => page.evaluate(() => (window as unknown as { __alertLists: number }).__alertLists);
  expect(await lists(), "listed once on start").toBe(1);

  release();
  await expect(page.locator("header")).toContainText("(odświeżone)");
  // Had the panel restarted for the new object, it would have listed the alerts again (its
  // subscriptions are taken down and made anew in the same turn, so the list is what shows it).
  expect(await lists()).toBe(1);
  await expect(panel(page)).toHaveAttribute("data-ready", "true");
});

test("technicians do not see the alerts panel", async ({ page }) => {
  await loginAs(page, TECH1);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await expect(page.getByTestId("alerts-panel")).toHaveCount(0);
});
