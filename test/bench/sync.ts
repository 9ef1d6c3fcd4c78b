// `make bench`: outbox drain throughput (issue 5, goal >= 1,000 records/s) from the real PocketBase to
// the local stubs of Convex's push endpoint and Weaviate (test/helpers/sync-stubs.ts), on this machine.
// The records are inserted in one SQL statement (the triggers queue them as for any write), then
// POST /api/hvac/sync/drain sends them in batches of SYNC_BATCH_SIZE (default 200). Figures are
// printed, never asserted. The stubs run in this Node process and validate every change
// (parsePushRequest + last-writer-wins), so part of the time is theirs.
import { rmSync } from "node:fs";
import { startPocketBase, type RunningPocketBase } from "../helpers/pocketbase";
import { hooksWithSqlRoute, queryJson, runSql } from "../helpers/sql-route";
import { ConvexStub, WeaviateStub } from "../helpers/sync-stubs";

const RECORDS = Number(process.env.BENCH_SYNC_RECORDS || 10_000);
const SECRET = "bench-sync-secret-0123456789";

interface DrainReport { ran: boolean; targets: { target: string; delivered: number; failed: number; requests: number }[] }

async function insertContacts(pb: RunningPocketBase, n: number, from: number): Promise<void> {
  // Rows as PocketBase writes them: 15-character ids, its date format, every required field.
  await runSql(pb, `WITH RECURSIVE n(i) AS (SELECT ${from} UNION ALL SELECT i + 1 FROM n WHERE i < ${from + n - 1})
    INSERT INTO contacts (id, created, updated, name, phone, address, district, propertyType, affluenceScore, notes)
    SELECT printf('bench%010d', i), strftime('%Y-%m-%d %H:%M:%fZ', 'now'), strftime('%Y-%m-%d %H:%M:%fZ', 'now'),
      'Klient ' || i, '+48 600 ' || printf('%06d', i), 'ul. Puławska ' || i || ', 02-515 Warszawa', 'Mokotów', 'apartment', 50,
      'Kocioł gazowy w łazience, przegląd co rok; klucz u sąsiada spod ' || i
    FROM n`);
}

async function pending(pb: RunningPocketBase): Promise<number> {
  return queryJson<number>(pb, "SELECT count(*) AS j FROM hvac_outbox");
}

async function drainAll(pb: RunningPocketBase): Promise<{ ms: number; requests: number }> {
  const started = performance.now();
  let requests = 0;
  for (let i = 0; i < 100 && (await pending(pb)) > 0; i++) {
    const r = await pb.admin.send<DrainReport>("/api/hvac/sync/drain", { method: "POST", body: { budgetMs: 600_000 } });
    for (const t of r.targets) {
      requests += t.requests;
      if (t.failed) throw new Error(`drain failed for ${t.target}: ${JSON.stringify(r)}`);
    }
  }
  return { ms: performance.now() - started, requests };
}

async function run(label: string, weaviate: boolean): Promise<void> {
  const convex = await new ConvexStub(SECRET).start();
  const weav = await new WeaviateStub().start();
  const hooksDir = hooksWithSqlRoute();
  const pb = await startPocketBase({
    hooksDir,
    env: {
      SYNC_MODE: "development", CONVEX_SITE_URL: convex.url, CONVEX_SYNC_SECRET: SECRET,
      WEAVIATE_URL: weaviate ? weav.url : "", WEAVIATE_API_KEY: "", SYNC_DRAIN_CRON: "off",
    },
  });
  try {
    const t0 = performance.now();
    await insertContacts(pb, RECORDS, 1);
    const insertMs = performance.now() - t0;
    const queued = await pending(pb);
    const { ms, requests } = await drainAll(pb);
    const live = Object.keys(convex.live()).length;
    if (live !== RECORDS) throw new Error(`the Convex stub holds ${live} records, expected ${RECORDS}`);
    if (weaviate && weav.objects.size !== RECORDS) throw new Error(`the Weaviate stub holds ${weav.objects.size} objects, expected ${RECORDS}`);
    const perTarget = weaviate ? 2 : 1;
    console.log(
      `  ${label}: ${RECORDS.toLocaleString("en")} records (${queued.toLocaleString("en")} outbox rows, inserted with their rows in ${(insertMs / 1000).toFixed(2)} s) ` +
      `drained in ${(ms / 1000).toFixed(2)} s, ${requests} requests: ${Math.round(RECORDS / (ms / 1000)).toLocaleString("en")} records/s` +
      (perTarget > 1 ? ` (${Math.round((RECORDS * perTarget) / (ms / 1000)).toLocaleString("en")} deliveries/s over both targets)` : ""),
    );
  } finally {
    await pb.stop();
    await convex.close();
    await weav.close();
    rmSync(hooksDir, { recursive: true, force: true });
  }
}

console.log(`Sync outbox drain throughput to the local stubs (goal >= 1,000 records/s; BENCH_SYNC_RECORDS=${RECORDS}):`);
await run("Convex only", false);
await run("Convex + Weaviate", true);
