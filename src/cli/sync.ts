// `hvac sync-backfill` and `hvac weaviate-schema` (issue 5).
//
// sync-backfill: queues every existing record of the synced collections for Convex or Weaviate on a
// running office server (POST /api/hvac/sync/backfill, as the admin of HVAC_ADMIN_EMAIL /
// HVAC_ADMIN_PASSWORD) and drains until they are sent, showing progress. Safe to repeat or to stop:
// the rows are in the server's durable outbox, the cron drain goes on without this command, and
// sending a record twice is harmless (Convex answers "skipped", Weaviate overwrites).
//
// weaviate-schema: creates the classes HvacJob, HvacContact, HvacInvoice, HvacEquipmentPhoto
// (src/domain/weaviate.ts) that WEAVIATE_URL does not have yet, and adds missing properties to the
// ones it has. Nothing is deleted or changed.
import PocketBase, { ClientResponseError } from "pocketbase";
import { ConfigError, DEMO_ADMIN_EMAIL, DEMO_PASSWORD, serverUrl, syncConfig } from "../config";
import { isSyncTarget } from "../domain/outbox";
import type { Env } from "../domain/sync-config";
import { weaviateClassSchema } from "../domain/weaviate";
import { weaviateRequest } from "./weaviate-rest";

type Print = (line: string) => void;

interface TargetStatus { name: string; enabled: boolean; pending: number; dead: number; lastError: string }
interface Status { targets: TargetStatus[]; problem: string }
interface DrainReport { targets: { target: string; delivered: number; error: string }[] }

function bar(done: number, total: number): string {
  const width = 30;
  const filled = total > 0 ? Math.round((done / total) * width) : width;
  return `[${"#".repeat(filled)}${" ".repeat(width - filled)}] ${done.toLocaleString("en")}/${total.toLocaleString("en")}`;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function syncBackfillCommand(args: string[], env: Env = process.env, print: Print = console.log): Promise<number> {
  const target = args.find((a) => !a.startsWith("-") && !/^https?:/.test(a));
  const url = serverUrl(args.find((a) => /^https?:/.test(a)), env);
  if (!isSyncTarget(target)) {
    print("Usage: npx hvac sync-backfill convex|weaviate [URL]");
    return 2;
  }
  const pb = new PocketBase(url);
  pb.autoCancellation(false);
  try {
    await pb.admins.authWithPassword(env.HVAC_ADMIN_EMAIL || DEMO_ADMIN_EMAIL, env.HVAC_ADMIN_PASSWORD || DEMO_PASSWORD);
    const { queued } = await pb.send<{ queued: { collection: string; count: number }[] }>("/api/hvac/sync/backfill", { method: "POST", body: { target } });
    const total = queued.reduce((a, q) => a + q.count, 0);
    print(`Queued for ${target}: ${queued.map((q) => `${q.count} ${q.collection}`).join(", ")}.`);
    const status = async () => (await pb.send<Status>("/api/hvac/sync/status", {})).targets.find((t) => t.name === target)!;
    const start = await status();
    // Progress counts the queue going down from where it stood (other changes may join it).
    const base = start.pending;
    for (let round = 0; ; round++) {
      let report: DrainReport;
      try {
        report = await pb.send<DrainReport>("/api/hvac/sync/drain", { method: "POST", body: { budgetMs: 20_000 } });
      } catch (e) {
        if (e instanceof ClientResponseError && e.status === 409 && round < 1000) {
          await sleep(1000); // the cron drain is running; it sends the same rows
          continue;
        }
        throw e;
      }
      const now = await status();
      print(`${target} ${bar(Math.max(0, base - now.pending), base)} sent`);
      if (now.pending === 0) {
        if (now.dead > 0) {
          print(`${now.dead} change(s) for ${target} are dead letters (last error: ${now.lastError}); see GET /api/hvac/sync/status, retry with POST /api/hvac/sync/retry.`);
          return 1;
        }
        print(`Done: ${total} record(s) sent to ${target}.`);
        return 0;
      }
      const mine = report.targets.find((t) => t.target === target);
      if (mine && mine.error && mine.delivered === 0) {
        print(`${target} is failing: ${mine.error}. The ${now.pending} queued change(s) stay in the outbox; the drain every minute retries them.`);
        return 1;
      }
    }
  } catch (err) {
    const e = err as { status?: number; response?: { message?: string; data?: Record<string, { message?: string }> }; message?: string };
    const fields = Object.entries(e.response?.data ?? {}).map(([k, v]) => `${k}: ${v?.message ?? ""}`).join("; ");
    print(`sync-backfill on ${url} failed: ${e.response?.message || e.message}${fields ? ` (${fields})` : ""}`);
    return 1;
  }
}

interface WeaviateClass { class: string; properties?: { name: string }[] }

export async function weaviateSchemaCommand(args: string[], env: Env = process.env, print: Print = console.log): Promise<number> {
  const config = syncConfig(env);
  if (!config.weaviateUrl) throw new ConfigError("WEAVIATE_URL", "required: the Weaviate server to create the classes on");
  const classes = weaviateClassSchema(config.weaviateVectorizer) as unknown as WeaviateClass[];
  if (args.includes("--dry-run")) {
    print(JSON.stringify(classes, null, 2));
    return 0;
  }
  const call = async (method: string, path: string, body?: unknown): Promise<unknown> => (await weaviateRequest(config, method, path, { body })).body;
  try {
    const existing = ((await call("GET", "/v1/schema")) as { classes?: WeaviateClass[] } | null)?.classes ?? [];
    for (const cls of classes) {
      const found = existing.find((c) => c.class === cls.class);
      if (!found) {
        await call("POST", "/v1/schema", cls);
        print(`${cls.class}: created (${cls.properties?.length ?? 0} properties).`);
        continue;
      }
      const have = new Set((found.properties ?? []).map((p) => p.name));
      const missing = (cls.properties ?? []).filter((p) => !have.has(p.name));
      for (const p of missing) await call("POST", `/v1/schema/${cls.class}/properties`, p);
      print(`${cls.class}: exists${missing.length ? `, added ${missing.map((p) => p.name).join(", ")}` : ", up to date"}.`);
    }
    return 0;
  } catch (e) {
    print(`weaviate-schema on ${config.weaviateUrl} failed: ${(e as Error).message}`);
    return 1;
  }
}
