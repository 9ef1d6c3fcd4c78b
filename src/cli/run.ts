// `hvac run` (what `make run` calls): migrate, start PocketBase with our hooks, migrations and
// dashboard, start the OCR worker (a child process, restarted if it crashes; not with
// HVAC_OCR_WORKER=off), load demo data once, print where everything is, and stay in the foreground.
import { spawn, spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { loadConfig, DEMO_PASSWORD } from "../config";
import { demoUsers } from "../demo/generate";
import { loadOcrConfig } from "../ocr/config";
import { loadOcrWorkerConfig } from "../ocr/worker-config";
import { pocketbaseBinary } from "../pocketbase-binary";
import { seed } from "./seed";
import { superviseOcrWorker, type SupervisedWorker } from "./worker-process";

const ROOT = resolve(import.meta.dirname, "../..");

export async function run(): Promise<number> {
  const config = loadConfig(process.env, true);
  // Checked before anything starts, so a bad variable stops here with its name.
  const ocrWorker = loadOcrWorkerConfig(process.env);
  if (ocrWorker.enabled) loadOcrConfig(process.env);
  const bin = pocketbaseBinary();
  const env = { ...process.env, HVAC_ADMIN_EMAIL: config.adminEmail, HVAC_ADMIN_PASSWORD: config.adminPassword };
  const dirs = [`--dir=${config.dataDir}`, `--migrationsDir=${resolve(ROOT, "pb_migrations")}`, `--hooksDir=${resolve(ROOT, "pb_hooks")}`];

  const migrated = spawnSync(bin, ["migrate", "up", ...dirs], { env, encoding: "utf8" });
  if (migrated.status !== 0) {
    console.error(`Migrations failed:\n${migrated.stderr}${migrated.stdout}`);
    return 1;
  }

  const server = spawn(bin, ["serve", `--http=${config.httpAddr}`, ...dirs, `--publicDir=${resolve(ROOT, "pb_public")}`, "--automigrate=false", "--dev=false"], {
    env,
    stdio: ["ignore", "inherit", "inherit"],
  });
  let worker: SupervisedWorker | null = null;
  const stop = () => {
    void worker?.stop();
    server.kill("SIGTERM");
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  // The worker stops with PocketBase.
  const exited = new Promise<number>((res) => server.on("exit", (code) => res(code ?? 0))).then(async (code) => {
    await worker?.stop();
    return code;
  });

  const base = `http://${config.httpAddr.replace(/^0\.0\.0\.0:/, "127.0.0.1:")}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (server.exitCode !== null) return server.exitCode || 1;
    try {
      if ((await fetch(`${base}/api/health`)).ok) break;
    } catch {
      /* starting */
    }
    if (Date.now() > deadline) {
      console.error(`PocketBase did not answer on ${base} within 30 s.`);
      stop();
      return 1;
    }
    await new Promise((r) => setTimeout(r, 100));
  }

  if (ocrWorker.enabled) {
    if (!config.adminEmail) console.error("OCR worker not started: it signs in as a PocketBase admin; set HVAC_ADMIN_EMAIL and HVAC_ADMIN_PASSWORD.");
    else worker = superviseOcrWorker(base, { env });
  }

  if (config.demoData) {
    console.log("Loading demo data (once; existing records are kept) ...");
    try {
      const s = await seed(base, config.adminEmail, config.adminPassword);
      console.log(`Demo data ready: ${s.users} users, ${s.contacts} contacts, ${s.jobs} jobs added (${s.skipped} already there).`);
    } catch (err) {
      console.error(`Demo data could not be loaded: ${err instanceof Error ? err.message : err}`);
    }
  }

  console.log(`
HVAC CRM is running.
  Dashboard:    ${base}/
  Admin panel:  ${base}/_/
  API:          ${base}/api/
  OCR worker:   ${worker ? "reading uploaded invoices and equipment photos (HVAC_OCR_WORKER=off to turn off)" : ocrWorker.enabled ? "not started (no admin account configured)" : "off (HVAC_OCR_WORKER=off); run `npx hvac ocr-worker` to read uploads"}`);
  if (config.demoData) {
    console.log(`
Demo logins (demo only - change or remove before real use), password "${DEMO_PASSWORD}":
  admin (Admin panel):  ${config.adminEmail}
${demoUsers().map((u) => `  ${u.role.padEnd(11)}  ${u.email}`).join("\n")}`);
  }
  console.log("\nPress Ctrl+C to stop.");
  return exited;
}
