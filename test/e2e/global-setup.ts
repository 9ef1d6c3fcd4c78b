// Boots the real PocketBase (our migrations and compiled hooks, temp data dir, free port) serving the
// built dashboard from pb_public/, loads the Warsaw demo data with the same seeder as `make run`, and
// hands the address to the specs in E2E_BASE_URL. The returned function is the global teardown.
// With E2E_BASE_URL already set, the specs run against that server instead and nothing is booted.
import type { FullConfig } from "@playwright/test";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { seed } from "../../src/cli/seed";
import { ADMIN_EMAIL, ADMIN_PASSWORD, ROOT, startPocketBase } from "../helpers/pocketbase";
import { DEMO_EMAILS, DEMO_PASSWORD } from "./fixtures";

const BUILD_HINT = "Build it with `node build/build.mjs --web` (`make test-e2e` does that first).";

/**
 * The dashboard served: pb_public/, or the build HVAC_WEB_OUT points at (relative to web/, as in
 * web/svelte.config.js), so a second build can be tested without touching pb_public/.
 */
const PUBLIC = process.env.HVAC_WEB_OUT ? resolve(ROOT, "web", process.env.HVAC_WEB_OUT) : join(ROOT, "pb_public");

/** The SvelteKit build (adapter-static into pb_public/) and the compiled hooks must exist. */
function checkBuild(): void {
  const problems: string[] = [];
  if (!existsSync(join(PUBLIC, "index.html"))) problems.push(`${PUBLIC}/index.html is missing`);
  else if (!existsSync(join(PUBLIC, "_app"))) {
    problems.push(`${PUBLIC}/ holds no SvelteKit build (no _app/; a placeholder page?)`);
  }
  if (!existsSync(join(ROOT, "pb_hooks/hvac.pb.js")) || !existsSync(join(ROOT, "pb_hooks/lib/hvac.js"))) {
    problems.push("the compiled hooks (pb_hooks/hvac.pb.js, pb_hooks/lib/hvac.js) are missing");
  }
  if (problems.length) {
    throw new Error(`Browser tests need the built dashboard: ${problems.join("; ")}.\n${BUILD_HINT}`);
  }
}

export default async function globalSetup(config: FullConfig): Promise<(() => Promise<void>) | undefined> {
  if (process.env.E2E_BASE_URL) {
    console.log(`E2E: using the running server at ${process.env.E2E_BASE_URL} (E2E_BASE_URL was set).`);
    return undefined;
  }
  checkBuild();

  const started = Date.now();
  const pb = await startPocketBase({ serveArgs: [`--publicDir=${PUBLIC}`] });
  const logFile = join(config.projects[0]?.outputDir ?? join(ROOT, "test-results/e2e"), "pocketbase.log");
  const stop = async () => {
    try {
      mkdirSync(join(logFile, ".."), { recursive: true });
      writeFileSync(logFile, pb.output());
    } finally {
      await pb.stop();
    }
  };

  try {
    const s = await seed(pb.url, ADMIN_EMAIL, ADMIN_PASSWORD, new Date(), () => {});
    // Fail here, once and clearly, rather than in every spec's login.
    for (const email of DEMO_EMAILS) {
      await pb.client().collection("users").authWithPassword(email, DEMO_PASSWORD).catch((err: unknown) => {
        throw new Error(`demo account ${email} cannot log in with the demo password: ${err instanceof Error ? err.message : err}`);
      });
    }
    // PocketBase answers unknown paths with index.html (the SPA fallback), so /login must be the dashboard.
    const page = await fetch(`${pb.url}/login`);
    const html = await page.text();
    if (!page.ok || !html.includes("/_app/")) {
      throw new Error(`PocketBase does not serve the dashboard at ${pb.url}/login (HTTP ${page.status}). ${BUILD_HINT}`);
    }
    console.log(`E2E: PocketBase at ${pb.url} with demo data (${s.users} users, ${s.contacts} contacts, ${s.jobs} jobs) in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
  } catch (err) {
    await stop();
    throw err;
  }

  process.env.E2E_BASE_URL = pb.url;
  return async () => {
    delete process.env.E2E_BASE_URL;
    await stop();
  };
}
