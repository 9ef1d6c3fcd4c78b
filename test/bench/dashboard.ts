// `make bench`, part 2: the dashboard in Debian's Chromium against the real PocketBase.
//   1. initial JavaScript of the dashboard (gzip), login page and dispatch board
//   2. the board with 2,000 jobs in a day: time to show them all, and to apply one live update,
//      next to the bare realtime delivery of the same update to an SDK subscriber (same run)
// Figures are printed, never asserted.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { chromium, type Page } from "@playwright/test";
import { shiftDay, warsawDayKey, warsawTime } from "../../src/domain/board";
import { DISTRICTS } from "../../src/domain/districts";
import { startPocketBase } from "../helpers/pocketbase";

const ROOT = join(import.meta.dirname, "..", "..");
/** The dashboard build to serve (default pb_public, as `make build` writes it). */
const PUBLIC = process.env.BENCH_PUBLIC_DIR || join(ROOT, "pb_public");
const JOBS = Number(process.env.BENCH_BOARD_JOBS || 2000);
const UPDATES = Number(process.env.BENCH_BOARD_UPDATES || 15);
const PASSWORD = "bench-password-2026";
const CHROMIUM_ARGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
];

/**
 * Runs in the page: PATCH a job's title and resolve with the ms until its card shows it. Kept as
 * text: tsx would wrap a compiled function with helpers the page does not have.
 */
const LIVE_UPDATE_IN_PAGE = `async ({ id, title }) => {
  const token = JSON.parse(localStorage.getItem("pocketbase_auth") || "{}").token;
  const seen = new Promise((resolve) => {
    const observer = new MutationObserver(() => {
      const card = document.querySelector('[data-job-id="' + id + '"]');
      if (card && card.textContent.includes(title)) {
        observer.disconnect();
        resolve(performance.now());
      }
    });
    observer.observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  const t0 = performance.now();
  // Not awaited: the realtime event may arrive before the PATCH's own response.
  fetch("/api/collections/jobs/records/" + id, {
    method: "PATCH", headers: { "Content-Type": "application/json", Authorization: token }, body: JSON.stringify({ title }),
  });
  return (await seen) - t0;
}`;

function percentile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

/** gzip size of the JavaScript files a page loaded from pb_public. */
function trackScripts(page: Page): () => { files: number; gzipKb: number } {
  const seen = new Set<string>();
  page.on("response", (r) => {
    const url = new URL(r.url());
    if (url.pathname.endsWith(".js") && !url.pathname.startsWith("/api/")) seen.add(url.pathname);
  });
  return () => {
    let bytes = 0;
    for (const path of seen) bytes += gzipSync(readFileSync(join(PUBLIC, path))).length;
    return { files: seen.size, gzipKb: bytes / 1024 };
  };
}

async function main() {
  if (!existsSync(join(PUBLIC, "index.html"))) throw new Error(`${PUBLIC} has no dashboard build: run \`make build\` first`);
  const pb = await startPocketBase({ serveArgs: [`--publicDir=${PUBLIC}`] });
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_BIN || "/usr/bin/chromium", args: CHROMIUM_ARGS });
  try {
    const admin = pb.admin;
    await admin.collection("users").create({ email: "dispatcher@bench.test", password: PASSWORD, passwordConfirm: PASSWORD, name: "Dyspozytor", role: "dispatcher" });
    const techs = [];
    for (let i = 1; i <= 8; i++) {
      techs.push(await admin.collection("users").create({
        email: `tech${i}@bench.test`, password: PASSWORD, passwordConfirm: PASSWORD, name: `Technik ${i}`, role: "technician",
        districts: [DISTRICTS[i].name, DISTRICTS[i + 8].name],
      }));
    }
    const contacts = [];
    for (let i = 0; i < 36; i++) {
      const d = DISTRICTS[i % DISTRICTS.length];
      contacts.push(await admin.collection("contacts").create({
        name: `Klient ${i}`, phone: `+48 600 000 ${String(i).padStart(3, "0")}`, address: `ul. Testowa ${i + 1}, Warszawa`,
        district: d.name, propertyType: i % 5 ? "apartment" : "house",
      }));
    }
    // Tomorrow, so no job is overdue or in the past whatever the hour of the run.
    const day = shiftDay(warsawDayKey(Date.now()), 1);
    console.log(`Dashboard bench: creating ${JOBS} jobs for ${day} ...`);
    const created: string[] = [];
    for (let i = 0; i < JOBS; i++) {
      const minutes = 7 * 60 + ((i * 7) % (12 * 60));
      const job = await admin.collection("jobs").create({
        contactId: contacts[i % contacts.length].id, title: `Zlecenie ${i}`, description: "Przegląd okresowy kotła",
        type: ["maintenance", "repair", "installation", "inspection"][i % 4], priority: ["low", "medium", "high"][i % 3],
        status: i % 10 === 0 ? "pending" : "scheduled", estimatedDuration: 60,
        technicianId: i % 10 === 0 ? "" : techs[i % techs.length].id,
        scheduledDate: new Date(warsawTime(day, Math.floor(minutes / 60), minutes % 60)).toISOString(),
      }, { requestKey: null });
      created.push(job.id);
    }

    // 1. Initial JavaScript: what a fresh browser loads for the login page, then for the board.
    const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
    const page = await context.newPage();
    const scripts = trackScripts(page);
    await page.goto(`${pb.url}/login`);
    await page.getByRole("button").last().waitFor();
    const login = scripts();
    await page.locator('input[type="email"]').fill("dispatcher@bench.test");
    await page.locator('input[type="password"]').fill(PASSWORD);
    await page.locator('form button').click();
    await page.waitForURL("**/board");
    await page.getByTestId("lane-unassigned").waitFor({ timeout: 30_000 });
    const board = scripts();

    // 2. The board of a 2,000-job day: navigation -> every card in the DOM (load, fetch, render).
    const shows: number[] = [];
    for (let r = 0; r < 3; r++) {
      await page.goto(`${pb.url}/board?day=${day}`);
      await page.waitForFunction((n) => document.querySelectorAll('[data-testid="job-card"]').length >= n, JOBS, { timeout: 120_000, polling: 50 });
      shows.push(await page.evaluate(() => performance.now()));
    }
    await page.getByTestId("live-state").filter({ hasText: "●" }).waitFor();
    await page.waitForTimeout(500);

    // One live update: PATCH from the page, until the card shows the new title. Next to it, the
    // same kind of update delivered to a bare SDK subscriber (no UI).
    const ui: number[] = [];
    for (let i = 0; i < UPDATES; i++) {
      const id = created[1 + ((i * 37) % (JOBS - 1))];
      ui.push(await page.evaluate(`(${LIVE_UPDATE_IN_PAGE})(${JSON.stringify({ id, title: `Zmienione ${i}` })})`));
    }

    const sdk = pb.client();
    await sdk.collection("users").authWithPassword("dispatcher@bench.test", PASSWORD);
    const bare: number[] = [];
    for (let i = 0; i < UPDATES; i++) {
      const id = created[2 + ((i * 41) % (JOBS - 2))];
      let t0 = 0;
      const got = new Promise<number>((resolve) => {
        void sdk.collection("jobs").subscribe(id, () => resolve(performance.now()));
      });
      await new Promise((r) => setTimeout(r, 100)); // the subscription reaches the server
      t0 = performance.now();
      void sdk.collection("jobs").update(id, { title: `SDK ${i}` }, { requestKey: null });
      bare.push((await got) - t0);
      await sdk.collection("jobs").unsubscribe(id);
    }

    console.log(`\n4. Dashboard (Chromium ${browser.version()})`);
    console.log(`   initial JavaScript, login page: ${login.gzipKb.toFixed(1)} KB gzip in ${login.files} files (goal <= 100 KB)`);
    console.log(`   JavaScript for the dispatch board: ${board.gzipKb.toFixed(1)} KB gzip in ${board.files} files`);
    console.log(`   board with ${JOBS} jobs in a day, navigation -> all cards shown: p50 ${percentile(shows, 50).toFixed(0)} ms (${shows.map((s) => s.toFixed(0)).join(", ")})`);
    console.log(`   one live update on that board, PATCH -> card shows it: p50 ${percentile(ui, 50).toFixed(1)} ms, p95 ${percentile(ui, 95).toFixed(1)} ms`);
    console.log(`   the same update to a bare SDK subscriber (no UI):   p50 ${percentile(bare, 50).toFixed(1)} ms, p95 ${percentile(bare, 95).toFixed(1)} ms; ratio ${(percentile(ui, 50) / percentile(bare, 50)).toFixed(2)}`);
    await context.close();
  } finally {
    await browser.close();
    await pb.stop();
  }
}

await main();
process.exit(0);
