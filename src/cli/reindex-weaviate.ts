// `hvac reindex-weaviate [URL] [--page-size N]` (issue 5): rebuilds Weaviate from the office data.
//   1. the classes (what `hvac weaviate-schema` does: creates missing classes and properties);
//   2. every record again (what `hvac sync-backfill weaviate` does: queued in the server's durable
//      outbox and drained to Weaviate; a batch overwrites an object with the same id);
//   3. objects of our classes that no local record has any more are deleted (listed with Weaviate's
//      cursor API, GET /v1/objects?class=X&limit=N&after=<uuid>; an object is ours to keep when its
//      id is weaviateId(collection, id) of a record that exists).
// Every step can be repeated: a run stopped by an error is simply run again.
import type PocketBase from "pocketbase";
import { ConfigError, serverUrl, syncConfig } from "../config";
import type { Env, SyncConfig } from "../domain/sync-config";
import { isUuid, weaviateId } from "../domain/uuid";
import { WEAVIATE_CLASSES, weaviateDeleteDone, type WeaviateCollection } from "../domain/weaviate";
import { adminClient, errorText, type Print } from "./migrate";
import { syncBackfillCommand, weaviateSchemaCommand } from "./sync";
import { weaviateRequest, WeaviateError } from "./weaviate-rest";

const USAGE = "Usage: npx hvac reindex-weaviate [URL] [--page-size N]";

/** Every object id of a class, page by page in id order (Weaviate's cursor API). */
export async function listWeaviateIds(config: SyncConfig, cls: string, pageSize: number): Promise<string[]> {
  const ids: string[] = [];
  let after = "";
  for (;;) {
    const path = `/v1/objects?class=${encodeURIComponent(cls)}&limit=${pageSize}${after ? `&after=${after}` : ""}`;
    const { body } = await weaviateRequest(config, "GET", path);
    const objects = (body as { objects?: unknown } | null)?.objects;
    if (!Array.isArray(objects)) throw new WeaviateError(`GET ${path}: expected {"objects":[...]}, got ${JSON.stringify(body)?.slice(0, 100)}`);
    for (let i = 0; i < objects.length; i++) {
      const o = objects[i] as { id?: unknown; class?: unknown } | null;
      if (!o || !isUuid(o.id)) throw new WeaviateError(`GET ${path}: objects[${i}].id: expected a UUID, got ${JSON.stringify(o?.id)}`);
      if (o.class !== undefined && o.class !== cls) throw new WeaviateError(`GET ${path}: objects[${i}].class: expected ${cls}, got ${JSON.stringify(o.class)}`);
      const id = o.id.toLowerCase();
      // The cursor only moves forward; an id not after the last one means the answer is not a cursor page.
      if (after && id <= after) throw new WeaviateError(`GET ${path}: objects[${i}].id ${id} is not after ${after}`);
      ids.push(id);
      after = id;
    }
    if (objects.length < pageSize) return ids;
  }
}

interface TargetStatus { name: string; enabled: boolean; url?: string }

export async function reindexWeaviateCommand(args: string[], env: Env = process.env, print: Print = console.log): Promise<number> {
  let pageSize = 500;
  let urlArg: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === "--page-size" || a.startsWith("--page-size=")) {
      const v = a.includes("=") ? a.slice(a.indexOf("=") + 1) : args[++i];
      if (!v || !/^[0-9]+$/.test(v) || Number(v) < 1 || Number(v) > 10_000) {
        print(`reindex-weaviate: --page-size: expected 1 to 10000, got "${v ?? ""}"`);
        print(USAGE);
        return 2;
      }
      pageSize = Number(v);
    } else if (/^https?:\/\//.test(a) && urlArg === undefined) urlArg = a;
    else {
      print(`reindex-weaviate: unknown argument "${a}"`);
      print(USAGE);
      return 2;
    }
  }
  const config = syncConfig(env);
  if (!config.weaviateUrl) throw new ConfigError("WEAVIATE_URL", "required: the Weaviate server to rebuild");
  const url = serverUrl(urlArg, env);
  const again = "Run the same command again: every step can be repeated.";

  let pb: PocketBase;
  try {
    pb = await adminClient(url, env);
    // The server sends the records to its own WEAVIATE_URL; the clean-up here must look at the same one.
    const status = await pb.send<{ targets: TargetStatus[] }>("/api/hvac/sync/status", {});
    const target = status.targets.find((t) => t.name === "weaviate");
    const serverWeaviate = target?.url?.replace(/\/+$/, "") ?? "";
    if (serverWeaviate && serverWeaviate !== config.weaviateUrl) {
      throw new ConfigError("WEAVIATE_URL", `${config.weaviateUrl} is not the Weaviate the server at ${url} sends to (${serverWeaviate}); give the same one`);
    }
  } catch (e) {
    if (e instanceof ConfigError) throw e;
    print(`reindex-weaviate on ${url} failed: ${errorText(e)}`);
    return 1;
  }

  print(`1/3 Weaviate classes at ${config.weaviateUrl}:`);
  const schema = await weaviateSchemaCommand([], env, print);
  if (schema !== 0) {
    print(`reindex-weaviate stopped at the classes. ${again}`);
    return schema;
  }

  print(`2/3 Every record of ${url} to Weaviate:`);
  const backfill = await syncBackfillCommand(["weaviate", url], env, print);
  if (backfill !== 0) {
    print(`reindex-weaviate stopped while sending the records (they stay queued on the server). ${again}`);
    return backfill;
  }

  print("3/3 Objects without a local record:");
  let removed = 0;
  try {
    for (const [collection, cls] of Object.entries(WEAVIATE_CLASSES) as [WeaviateCollection, string][]) {
      // Weaviate first, then the records: a record created in between has no object in the listing,
      // so it can never be taken for an orphan.
      const ids = await listWeaviateIds(config, cls, pageSize);
      const records = await pb.collection(collection).getFullList({ fields: "id", batch: 1000 });
      const live = new Set(records.map((r) => weaviateId(collection, r.id)));
      const orphans = ids.filter((id) => !live.has(id));
      for (const id of orphans) {
        await weaviateRequest(config, "DELETE", `/v1/objects/${cls}/${id}`, { ok: weaviateDeleteDone });
        removed++;
      }
      print(`${cls}: ${ids.length} object(s), ${records.length} record(s), ${orphans.length} removed.`);
    }
  } catch (e) {
    print(`reindex-weaviate stopped while removing objects without a record (${removed} removed so far): ${e instanceof WeaviateError ? e.message : errorText(e)}. ${again}`);
    return 1;
  }
  print(`Done: Weaviate at ${config.weaviateUrl} holds the office's records; ${removed} object(s) without a record removed.`);
  return 0;
}
