// Boots the real PocketBase binary on a free port with a temporary data dir, our migrations and
// (optionally) our compiled hooks, and hands back SDK clients. Used by integration tests and bench.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, mkdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import PocketBase from "pocketbase";
import EventSource from "eventsource";
import { pocketbaseBinary } from "../../src/pocketbase-binary";

// Node 20 has no EventSource; the SDK's realtime needs one.
(globalThis as unknown as { EventSource: unknown }).EventSource ??= EventSource;

export const ROOT = resolve(import.meta.dirname, "../..");
export const ADMIN_EMAIL = "admin@hvac.test";
export const ADMIN_PASSWORD = "hvac-test-2026";

export interface RunningPocketBase {
  url: string;
  dataDir: string;
  admin: PocketBase;
  proc: ChildProcess;
  output: () => string;
  client: () => PocketBase;
  stop: () => Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", rej);
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => res(port));
    });
  });
}

export interface StartOptions {
  /** Load our compiled hooks (default true). false = the same schema on plain PocketBase. */
  hooks?: boolean;
  /** Another hooks directory (bench variants). */
  hooksDir?: string;
  /** Extra `serve` flags. */
  serveArgs?: string[];
  env?: Record<string, string>;
  /** Another migrations directory (bench: our migrations plus generated data). */
  migrationsDir?: string;
  /** Serve this existing data dir (a restart after a crash) instead of a new temporary one. */
  dataDir?: string;
}

export async function startPocketBase(opts: StartOptions = {}): Promise<RunningPocketBase> {
  const hooks = opts.hooks ?? true;
  const bin = pocketbaseBinary();
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), "hvac-pb-"));
  const hooksDir = opts.hooksDir ?? (hooks ? join(ROOT, "pb_hooks") : join(dataDir, "no_hooks"));
  if (!hooks && !opts.hooksDir) mkdirSync(hooksDir);
  const env = { ...process.env, HVAC_ADMIN_EMAIL: ADMIN_EMAIL, HVAC_ADMIN_PASSWORD: ADMIN_PASSWORD, ...opts.env };
  const dirs = [`--dir=${dataDir}`, `--migrationsDir=${opts.migrationsDir ?? join(ROOT, "pb_migrations")}`, `--hooksDir=${hooksDir}`];
  const migrated = spawnSync(bin, ["migrate", "up", ...dirs], { env, encoding: "utf8" });
  if (migrated.status !== 0) throw new Error(`migrate up failed: ${migrated.stderr}${migrated.stdout}`);

  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const proc = spawn(
    bin,
    ["serve", `--http=127.0.0.1:${port}`, ...dirs, `--publicDir=${join(ROOT, "pb_public")}`,
      "--automigrate=false", "--hooksWatch=false", "--dev=false", ...(opts.serveArgs ?? [])],
    { env, stdio: ["ignore", "pipe", "pipe"] },
  );
  let out = "";
  proc.stdout!.on("data", (d) => (out += d));
  proc.stderr!.on("data", (d) => (out += d));

  const deadline = Date.now() + 20_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`PocketBase exited early:\n${out}`);
    try {
      const r = await fetch(`${url}/api/health`);
      if (r.ok) break;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) throw new Error(`PocketBase did not start in 20 s:\n${out}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  if (/Failed to execute/.test(out) && hooks) {
    // A hook file that throws at load stops the rest of that file but the server still starts.
    throw new Error(`PocketBase reported a hook error at start:\n${out}`);
  }

  const admin = new PocketBase(url);
  admin.autoCancellation(false);
  await admin.admins.authWithPassword(ADMIN_EMAIL, ADMIN_PASSWORD);

  return {
    url,
    dataDir,
    admin,
    proc,
    output: () => out,
    client: () => {
      const pb = new PocketBase(url);
      pb.autoCancellation(false);
      return pb;
    },
    stop: async () => {
      if (proc.exitCode === null) {
        const exited = new Promise((r) => proc.once("exit", r));
        proc.kill("SIGTERM");
        await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
        if (proc.exitCode === null) proc.kill("SIGKILL");
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
