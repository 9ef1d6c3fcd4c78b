// Browser tests (make test-e2e): Playwright drives Debian's Chromium against the real PocketBase
// with our hooks and demo data, serving the built dashboard from pb_public/. The global setup boots
// that server on a free port and puts its address in E2E_BASE_URL; set E2E_BASE_URL yourself to
// run the specs against a server that is already running (e.g. `make run`).
import { defineConfig } from "@playwright/test";

export default defineConfig({
  testDir: "test/e2e",
  // Screenshots, traces and the PocketBase log of the run (test-results/ is never committed).
  outputDir: process.env.E2E_OUTPUT_DIR || "test-results/e2e",
  globalSetup: "./test/e2e/global-setup.ts",
  // 2 cores, one PocketBase shared by all specs: one browser at a time.
  workers: 1,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  // list, then a short summary of failures at the very end (CI logs are read from the tail).
  reporter: [["list"], ["./test/e2e/failure-summary.ts"]],
  timeout: 30_000,
  expect: { timeout: 7_500 },
  // Global setup (boot + ~800 demo jobs through the API) plus all specs.
  globalTimeout: 10 * 60_000,
  use: {
    baseURL: process.env.E2E_BASE_URL,
    browserName: "chromium",
    locale: "pl-PL",
    timezoneId: "Europe/Warsaw",
    viewport: { width: 1366, height: 900 },
    actionTimeout: 10_000,
    navigationTimeout: 15_000,
    screenshot: "on",
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: "/usr/bin/chromium",
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
});
