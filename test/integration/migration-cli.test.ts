// The migration commands against the real PocketBase binary: export (killed with SIGKILL in the
// middle of a file, then resumed; checksums against the server), backup and restore (through the
// running server, which restarts itself in place, and offline into a stopped server's data dir),
// import-convex and verify through the official `convex` client against a local stub of the Convex
// functions API (test/helpers/convex-fn-stub.ts) that fails on demand.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import type PocketBase from "pocketbase";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backupCommand, restoreCommand, restoreOffline } from "../../src/cli/backup";
import { exportData, exportCommand, NOT_INCLUDED } from "../../src/cli/export";
import { importConvexCommand, STATE_FILE } from "../../src/cli/import-convex";
import { verifyCommand } from "../../src/cli/verify";
import { readZipEntries } from "../../src/cli/zip";
import { exportChecksum, parseManifest } from "../../src/domain/migration";
import { SYNC_COLLECTIONS, syncRecord } from "../../src/domain/sync";
import { ConvexFunctionStub } from "../helpers/convex-fn-stub";
import { FaultProxy } from "../helpers/fault-proxy";
import { makeContact, makeJob, PNG_1X1 } from "../helpers/fixtures";
import { ADMIN_EMAIL, ADMIN_PASSWORD, freePort, ROOT, startPocketBase, type RunningPocketBase } from "../helpers/pocketbase";
import { makeZip } from "../helpers/zip";

const SECRET = "migration-cli-secret-0123456789";
const ADMIN = { HVAC_ADMIN_EMAIL: ADMIN_EMAIL, HVAC_ADMIN_PASSWORD: ADMIN_PASSWORD };
const sha256 = (b: string | Buffer) => createHash("sha256").update(b).digest("hex");
const tmp = mkdtempSync(join(tmpdir(), "hvac-migration-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function capture(): { lines: string[]; print: (l: string) => void; text: () => string } {
  const lines: string[] = [];
  return { lines, print: (l: string) => lines.push(l), text: () => lines.join("\n") };
}

/** A non-terminal progress stream that keeps what was written. */
function logStream() {
  const writes: string[] = [];
  return { writes, isTTY: false, write: (t: string) => writes.push(t) };
}

/** A PNG that differs per call (PocketBase sniffs the header; trailing bytes are kept as they are). */
let pngs = 0;
function png(): Buffer {
  pngs++;
  return Buffer.concat([PNG_1X1, Buffer.from(`-photo-${pngs}-`.repeat(50 + pngs * 7))]);
}

async function photo(pb: PocketBase, jobId: string, bytes: Buffer) {
  const form = new FormData();
  form.append("jobId", jobId);
  form.append("description", "Tabliczka znamionowa");
  form.append("file", new Blob([Uint8Array.from(bytes)], { type: "image/png" }), "tabliczka.png");
  return pb.collection("equipment_photos").create(form);
}

/**
 * A proxy in front of PocketBase that answers the `stallAt`-th file download with its headers and
 * half of the bytes, then nothing: the exporter is killed in the middle of that file.
 */
function stallingProxy(target: string, stallAt: number) {
  const proxy = new FaultProxy(target);
  let files = 0;
  let onStall!: () => void;
  const stall = { path: "", reached: new Promise<void>((r) => (onStall = r)) };
  proxy.answer = (req, res, up) => {
    if (stall.path || req.method !== "GET" || !req.url?.startsWith("/api/files/") || up.status !== 200 || ++files !== stallAt) return false;
    res.writeHead(200, { "Content-Type": up.type, "Content-Length": String(up.body.length) });
    res.write(up.body.subarray(0, Math.floor(up.body.length / 2)));
    stall.path = decodeURIComponent(new URL(req.url, "http://x").pathname.replace(/^\/api\/files\//, "files/"));
    onStall();
    return true; // never ends
  };
  return { proxy, stall };
}

const until = async (cond: () => boolean) => {
  while (!cond()) await new Promise((r) => setTimeout(r, 20));
};

describe("export, import-convex, verify", () => {
  let pb: RunningPocketBase;
  let convex: ConvexFunctionStub;
  const uploaded = new Map<string, Buffer>(); // "files/equipment_photos/<id>/<name>" -> bytes
  const contactIds: string[] = [];
  let jobId = "";
  let dataDir = "";

  beforeAll(async () => {
    pb = await startPocketBase();
    convex = await new ConvexFunctionStub(SECRET).start();
    dataDir = mkdtempSync(join(tmp, "data-"));
    // 120 contacts: two import batches (100 per mutation).
    for (let i = 0; i < 120; i++) contactIds.push((await makeContact(pb.admin, { name: `Klient migracji ${i}` })).id);
    const job = await makeJob(pb.admin, contactIds[0], { title: "Wymiana kotła" });
    jobId = job.id;
    await makeJob(pb.admin, contactIds[1]);
    for (let i = 0; i < 6; i++) {
      const bytes = png();
      const p = await photo(pb.admin, jobId, bytes);
      uploaded.set(`files/equipment_photos/${p.id}/${p.file}`, bytes);
    }
  });
  afterAll(async () => {
    await convex?.close();
    await pb?.stop();
  });

  const env = (over: Record<string, string> = {}) => ({ ...ADMIN, CONVEX_URL: convex.url, CONVEX_SYNC_SECRET: SECRET, DATA_DIR: dataDir, ...over });

  /** The export's checksum of a collection, computed from the server now. */
  const serverChecksum = async (name: string) =>
    `sha256:${exportChecksum((await pb.admin.collection(name).getFullList({ sort: "id" })) as unknown as Record<string, unknown>[], sha256)}`;

  const out = join(tmp, "export");

  it("export: killed (SIGKILL) in the middle of a file, then resumed: complete, checksums match, no half file counted", async () => {
    const { proxy: started, stall } = stallingProxy(pb.url, 3);
    const proxy = await started.start();
    const child = spawn(process.execPath, [join(ROOT, "bin/hvac.mjs"), "export", "--out", out, proxy.url], {
      cwd: ROOT, env: { ...process.env, ...ADMIN }, stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    const exited = new Promise((r) => child.once("exit", r));
    await Promise.race([stall.reached, exited]);
    expect(stall.path, output).toMatch(/^files\/equipment_photos\//);
    const part = join(out, `${stall.path}.part`);
    await until(() => existsSync(part) && statSync(part).size > 0); // half the bytes arrived
    child.kill("SIGKILL");
    await exited;

    // Killed: no manifest, the half file only under its temporary name, records all written.
    expect(existsSync(join(out, "manifest.json"))).toBe(false);
    expect(existsSync(join(out, stall.path))).toBe(false);
    expect(statSync(part).size).toBe(Math.floor(uploaded.get(stall.path)!.length / 2));
    expect(existsSync(join(out, "records/contacts.jsonl"))).toBe(true);

    // A file the log counts as done but whose size on disk is wrong is fetched again.
    const logged = readFileSync(join(out, ".export-files.jsonl"), "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l));
    expect(logged.length).toBeGreaterThanOrEqual(2);
    writeFileSync(join(out, logged[0].path), "x");

    // Resumed with the same command (the proxy passes everything through now).
    const log = capture();
    const progress = logStream();
    const r = await exportData({ url: proxy.url, outDir: out, env: ADMIN, print: log.print, progress });
    await proxy.close();
    expect(r.alreadyComplete).toBe(false);
    expect(log.text()).toContain(`Resuming the export in ${out}`);
    // Every collection was written before the kill: nothing read again; the files done are kept.
    expect(log.text()).toMatch(/collection\(s\) exported by an earlier run are kept/);
    expect(r.filesReused).toBe(logged.length - 1);
    expect(r.filesFetched).toBe(uploaded.size - logged.length + 1); // the stalled one, the damaged one, any not started
    expect(log.text()).toContain(`${logged.length - 1} file(s) fetched by an earlier run are kept (size checked).`);
    expect(progress.writes.some((w) => /^files 100% 6\/6 files/.test(w))).toBe(true);

    const manifest = parseManifest(JSON.parse(readFileSync(join(out, "manifest.json"), "utf8")));
    const all = (await pb.admin.collections.getFullList()).filter((c) => c.type !== "view").map((c) => c.name).sort();
    expect(manifest.collections.map((c) => c.name).sort()).toEqual(all);
    expect(all).toEqual(expect.arrayContaining(["users", "contacts", "jobs", "equipment_photos", "invoices", "realtime_events", "equipment", "sync_conflicts"]));
    for (const c of manifest.collections) {
      expect(c.checksum, c.name).toBe(await serverChecksum(c.name));
      expect(c.count, c.name).toBe((await pb.admin.collection(c.name).getList(1, 1)).totalItems);
      const lines = readFileSync(join(out, c.file), "utf8").split("\n").filter(Boolean);
      expect(lines.length).toBe(c.count);
    }
    expect(manifest.collections.find((c) => c.name === "contacts")!.count).toBe(120);
    expect(manifest.pocketbase.version).toMatch(/^0\.22\.\d+$/);
    expect(manifest.notIncluded).toEqual(NOT_INCLUDED);
    // Every file complete and equal to what was uploaded; no temporary files left.
    const index = readFileSync(join(out, "files.jsonl"), "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l));
    expect(index.map((f) => f.path).sort()).toEqual([...uploaded.keys()].sort());
    for (const f of index) {
      const bytes = readFileSync(join(out, f.path));
      expect(bytes.equals(uploaded.get(f.path)!)).toBe(true);
      expect(f.sha256).toBe(sha256(bytes));
      expect(f.size).toBe(bytes.length);
    }
    expect(manifest.files.count).toBe(6);
    const leftovers = readdirSync(out, { recursive: true }).map(String).filter((f) => f.endsWith(".part") || f.startsWith(".export"));
    expect(leftovers).toEqual([]);

    // A finished export again: a no-op that says so.
    const again = capture();
    expect(await exportCommand(["--out", out, pb.url], ADMIN, again.print)).toBe(0);
    // Resuming someone else's unfinished export is refused.
    const other = join(tmp, "export-other");
    mkdirSync(other);
    writeFileSync(join(other, ".export-state.json"), JSON.stringify({ version: 1, source: "http://10.0.0.9:8090", startedAt: "x", collections: {} }));
    const refused = capture();
    expect(await exportCommand(["--out", other, pb.url], ADMIN, refused.print)).toBe(1);
    expect(refused.text()).toContain(`holds an unfinished export of http://10.0.0.9:8090, not ${pb.url}`);
    expect(again.lines).toEqual([expect.stringMatching(/already complete \(\d+ records in \d+ collections, 6 files, finished .*\); nothing to do/)]);
  });

  it("export: stopped while reading records resumes after the collections done; refuses a folder that is not an export", async () => {
    const dir = join(tmp, "export-abort");
    const ac = new AbortController();
    // Aborted at the first progress line after records were read (between two collections).
    const stream = { isTTY: false, write: (t: string) => (/^records [1-9]\d*%/.test(t) ? ac.abort() : undefined) };
    await expect(exportData({ url: pb.url, outDir: dir, env: ADMIN, print: () => undefined, progress: stream, signal: ac.signal })).rejects.toThrow();
    expect(existsSync(join(dir, "manifest.json"))).toBe(false);
    const state = JSON.parse(readFileSync(join(dir, ".export-state.json"), "utf8"));
    const doneBefore = Object.keys(state.collections);
    expect(doneBefore.length).toBeGreaterThanOrEqual(1);
    const log = capture();
    await exportData({ url: pb.url, outDir: dir, env: ADMIN, print: log.print, progress: logStream() });
    expect(log.text()).toContain(`${doneBefore.length} collection(s) exported by an earlier run are kept.`);
    const manifest = parseManifest(JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")));
    for (const c of manifest.collections) expect(c.checksum, c.name).toBe(await serverChecksum(c.name));
    // Another server's unfinished export, and a folder with other things in it, are refused.
    const stray = join(tmp, "not-an-export");
    rmSync(stray, { recursive: true, force: true });
    mkdirSync(stray);
    writeFileSync(join(stray, "notes.txt"), "x");
    const refused = capture();
    expect(await exportCommand(["--out", stray, pb.url], ADMIN, refused.print)).toBe(1);
    expect(refused.text()).toMatch(/is not empty and holds no export/);
  });

  it("export: one download failing stops the others at once (aborted, no new one started) and the export with its error", async () => {
    const proxy = await new FaultProxy(pb.url).start();
    let gets = 0;
    let aborted = 0;
    let allIn!: () => void;
    const fourInFlight = new Promise<void>((r) => (allIn = r));
    proxy.intercept = async (req, res) => {
      if (req.method !== "GET" || !req.url?.startsWith("/api/files/")) return false;
      const n = ++gets;
      if (n === 1) {
        // The first download fails once all four are running.
        await fourInFlight;
        res.writeHead(500, { "Content-Type": "application/json" }).end('{"code":500,"message":"disk error","data":{}}');
        return true;
      }
      res.on("close", () => {
        if (!res.writableEnded) aborted++;
      });
      if (n === 4) allIn();
      return true; // held: never answered
    };
    const dir = join(tmp, "export-failing");
    try {
      await expect(exportData({ url: proxy.url, outDir: dir, env: ADMIN, print: () => undefined, progress: logStream() })).rejects.toThrow(/^GET \/api\/files\/equipment_photos\/\w+\/\S+: PocketBase answered HTTP 500$/);
      // The three others were aborted (their connections close) and no fifth download began.
      await until(() => aborted === 3);
      expect(gets).toBe(4);
      expect(existsSync(join(dir, "manifest.json"))).toBe(false);
    } finally {
      await proxy.close();
    }
  });

  it("export: a file the server does not have: exit 1 listing it, not complete; a re-run fetches just that file", async () => {
    const dir = join(tmp, "export-missing");
    const [path, bytes] = [...uploaded].sort(([a], [b]) => a.localeCompare(b))[0];
    const [, , recordId, name] = path.split("/");
    const onDisk = join(pb.dataDir, "storage", (await pb.admin.collections.getOne("equipment_photos")).id, recordId, name);
    renameSync(onDisk, `${onDisk}.away`);
    const first = capture();
    try {
      expect(await exportCommand(["--out", dir, pb.url], ADMIN, first.print)).toBe(1);
    } finally {
      renameSync(`${onDisk}.away`, onDisk);
    }
    expect(first.text()).toContain("Files: 5 fetched, 0 kept from an earlier run.");
    expect(first.lines.slice(-3)).toEqual([
      "INCOMPLETE: 1 file(s) named by records are not on the server (HTTP 404):",
      `  ${path}`,
      "Every record and every other file is exported. Run the same command again to ask for the missing files again.",
    ]);
    const m1 = parseManifest(JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")));
    expect(m1.filesMissing).toEqual([path]);
    expect(m1.files.count).toBe(5);
    expect(existsSync(join(dir, path))).toBe(false);

    const again = capture();
    expect(await exportCommand(["--out", dir, pb.url], ADMIN, again.print), again.text()).toBe(0);
    expect(again.lines[0]).toBe(`The export in ${dir} lacks 1 file(s) the server did not have last time; asking for them again.`);
    expect(again.text()).toContain("Files: 1 fetched, 5 kept from an earlier run.");
    const m2 = parseManifest(JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")));
    expect(m2.filesMissing).toBeUndefined();
    expect(m2.files.count).toBe(6);
    expect(readFileSync(join(dir, path)).equals(bytes)).toBe(true);
    expect(readdirSync(dir).filter((f) => f.startsWith(".export"))).toEqual([]);
    const third = capture();
    expect(await exportCommand(["--out", dir, pb.url], ADMIN, third.print)).toBe(0);
    expect(third.lines).toEqual([expect.stringMatching(/already complete .*6 files/)]);
  });

  it("export: a file name or record id that could leave the folder is refused before any file is fetched", async () => {
    for (const [field, value] of [["file", "../../../escape.png"], ["id", "../../escape"]] as const) {
      const proxy = await new FaultProxy(pb.url).start();
      // A server (or something in between) naming a file outside the export.
      proxy.rewrite = (path, body) => {
        if (!path.startsWith("/api/collections/equipment_photos/records")) return body;
        const page = JSON.parse(body.toString("utf8"));
        if (page.items?.length) page.items[0][field] = value;
        return Buffer.from(JSON.stringify(page));
      };
      const dir = join(tmp, `export-unsafe-${field}`);
      try {
        await expect(exportData({ url: proxy.url, outDir: dir, env: ADMIN, print: () => undefined, progress: logStream() }))
          .rejects.toThrow(new RegExp(`^equipment_photos/".*": unsafe record id or file name ".*" \\(it could write outside ${dir}\\): refused$`));
      } finally {
        await proxy.close();
      }
      expect(proxy.seen.filter((r) => r.startsWith("GET /api/files/"))).toEqual([]);
      expect(existsSync(join(dir, "manifest.json"))).toBe(false);
      expect(readdirSync(tmp).filter((f) => f.startsWith("escape"))).toEqual([]);
    }
  });

  it("import-convex: backup first; a function error stops it with nothing marked done; an answer lost after applying is replayed as skipped", async () => {
    const bad = await pb.admin.collection("equipment_photos").create({ jobId, aiAnalysis: { $model: "FTXM35R" } });
    const backupsBefore = (await pb.admin.backups.getFullList()).length;
    const statePath = join(dataDir, STATE_FILE);

    // 1. The second batch (contacts 101-120) fails in Convex: stop, only the first batch is marked done.
    convex.fail({ kind: "function-error", message: "Server Error: something broke", status: 560 }, 1, "migration:importBatch", 1);
    const first = capture();
    expect(await importConvexCommand([pb.url], env(), first.print, logStream())).toBe(1);
    expect(first.text()).toMatch(/Backup before migrating: hvac-before-import-convex-\d{8}-\d{6}\.zip/);
    expect((await pb.admin.backups.getFullList()).length).toBe(backupsBefore + 1);
    expect(first.text()).toMatch(/import-convex stopped at contacts batch 2\/2 \(records \w+ \.\. \w+\): Server Error: something broke/);
    expect(first.text()).toContain("This batch is not marked done.");
    const state1 = JSON.parse(readFileSync(statePath, "utf8"));
    expect(state1.deployments[convex.url].contacts).toHaveLength(1);
    expect(convex.live("contacts").size).toBe(100);
    // What the official client sent: a mutation, convex_encoded_json, the args as a one-element array.
    const call = convex.callsOf("migration:importBatch")[0];
    expect(call).toMatchObject({ endpoint: "mutation", format: "convex_encoded_json" });
    expect(call.args).toMatchObject({ secret: SECRET, collection: "contacts" });
    expect((call.args.changes as unknown[]).length).toBe(100);

    // 2. Convex applies the batch but the answer is lost: still not marked done.
    convex.fail({ kind: "apply-then-error" }, 1, "migration:importBatch");
    const second = capture();
    expect(await importConvexCommand([pb.url, "--no-backup"], env(), second.print, logStream())).toBe(1);
    expect((await pb.admin.backups.getFullList()).length).toBe(backupsBefore + 1); // --no-backup
    expect(second.text()).toMatch(/stopped at contacts batch 2\/2 .*Server Error \(the answer was lost\)/);
    expect(JSON.parse(readFileSync(statePath, "utf8"))).toEqual(state1);
    expect(convex.live("contacts").size).toBe(120);

    // 3. Healthy: batch 1 is skipped from the state file, batch 2 is sent again and answered "skipped".
    const before = convex.callsOf("migration:importBatch").length;
    const third = capture();
    const progress = logStream();
    expect(await importConvexCommand([pb.url, "--no-backup"], env(), third.print, progress)).toBe(1); // one record cannot be stored
    const sent = convex.callsOf("migration:importBatch").slice(before);
    expect(sent.map((c) => c.args.collection)).toEqual(["contacts", "jobs", "equipment_photos"]);
    expect(third.text()).toMatch(/contacts\s+0 applied, 20 already there, 0 newer in Convex .*, 100 done by an earlier run/);
    expect(third.text()).toContain(`not imported: equipment_photos/${bad.id}: Convex cannot store this record: record.aiAnalysis["$model"]: field names starting with "$" are reserved in Convex`);
    expect(third.text()).toMatch(/1 record\(s\) cannot be stored in Convex and were not sent/);
    expect(progress.writes.at(-1)).toMatch(/^import 100% \d+\/\d+ records/);
    // Convex holds exactly the synced fields of every other record.
    for (const c of SYNC_COLLECTIONS) {
      const records = await pb.admin.collection(c).getFullList();
      const expected = records.filter((r) => r.id !== bad.id);
      expect(convex.live(c).size, c).toBe(expected.length);
      for (const r of expected) expect(convex.live(c).get(r.id)?.record, `${c}/${r.id}`).toEqual(syncRecord(c, r));
    }
    const lastId = contactIds.slice().sort().at(-1)!; // in the second batch (batches go in id order)
    // Sent three times: failed before applying, applied with the answer lost, skipped: stored once.
    expect(convex.callsOf("migration:importBatch").filter((c) => (c.args.changes as { id: string }[]).some((x) => x.id === lastId))).toHaveLength(3);
    expect(convex.imported.filter((c) => c.id === lastId)).toHaveLength(2);

    // 4. Again: every batch is in the state file, nothing is sent (Convex is only read, to check that
    // it still holds what the state file says was imported).
    await pb.admin.collection("equipment_photos").delete(bad.id);
    const n = convex.calls.length;
    const fourth = capture();
    expect(await importConvexCommand([pb.url, "--no-backup"], env(), fourth.print, logStream())).toBe(0);
    expect(convex.calls.slice(n).map((c) => c.path)).toEqual(SYNC_COLLECTIONS.filter((c) => convex.live(c).size > 0).map(() => "migration:page"));
    expect(fourth.text()).toMatch(/Import complete: 0 batch\(es\) sent, \d+ done earlier/);
    expect(fourth.text()).not.toContain("Note:");
  });

  it("import-convex: a wrong secret, no answer, a request error and a malformed answer are clear failures; nothing is marked done", async () => {
    const state = join(tmp, "state-errors.json");
    const run = async (over: Record<string, string>) => {
      const out = capture();
      const code = await importConvexCommand([pb.url, "--no-backup", "--state", state], env(over), out.print, logStream());
      return { code, text: out.text() };
    };
    const wrong = await run({ CONVEX_SYNC_SECRET: "wrong-secret-0123456789" });
    expect(wrong.code).toBe(1);
    expect(wrong.text).toMatch(/stopped at contacts batch 1\/2 .*: secret: wrong CONVEX_SYNC_SECRET \[unauthorized\]/);

    convex.fail({ kind: "status", status: 503, body: JSON.stringify({ code: "Overloaded", message: "try again later" }) }, 1);
    const busy = await run({});
    expect(busy.code).toBe(1);
    expect(busy.text).toMatch(/stopped at contacts batch 1\/2 .*: try again later \[Overloaded\]/);

    convex.fail({ kind: "malformed" }, 1);
    const malformed = await run({});
    expect(malformed.code).toBe(1);
    expect(malformed.text).toMatch(/stopped at contacts batch 1\/2 .*: malformed answer from http:\/\/127\.0\.0\.1:\d+ \(not JSON: /);

    // Convex echoes the arguments in an argument validation error: the secret is never printed.
    convex.fail({
      kind: "function-error",
      message: `ArgumentValidationError: Object contains extra field \`extra\` that is not in the validator.\n\nObject: {changes: [], collection: "contacts", extra: 1, secret: "${SECRET}"}\nValidator: v.object({changes: v.array(v.any()), collection: v.string(), secret: v.string()})`,
    }, 1);
    const validation = await run({});
    expect(validation.code).toBe(1);
    expect(validation.text).toContain('stopped at contacts batch 1/2');
    expect(validation.text).toContain('ArgumentValidationError: Object contains extra field `extra` that is not in the validator.');
    expect(validation.text).toContain('Object: {changes: [], collection: "contacts", extra: 1, secret: "***"}');
    expect(validation.text).not.toContain(SECRET);

    await convex.down();
    try {
      const down = await run({});
      expect(down.code).toBe(1);
      expect(down.text).toMatch(new RegExp(`no answer from ${convex.url.replace(/[.]/g, "\\.")} \\(ECONNREFUSED\\): check CONVEX_URL`));
    } finally {
      await convex.up();
    }
    expect(existsSync(state)).toBe(false);

    // A state file that cannot be written is found before any backup or batch, naming it and --state.
    writeFileSync(join(tmp, "not-a-folder"), "x");
    const badState = join(tmp, "not-a-folder", "state.json");
    const calls = convex.calls.length;
    const backups = (await pb.admin.backups.getFullList()).length;
    const unwritable = capture();
    expect(await importConvexCommand([pb.url, "--state", badState], env(), unwritable.print, logStream())).toBe(1);
    expect(unwritable.lines).toEqual([`import-convex: cannot write the state file ${badState} (ENOTDIR); choose a writable place with --state FILE. Nothing was imported.`]);
    expect(convex.calls.length).toBe(calls);
    expect((await pb.admin.backups.getFullList()).length).toBe(backups);

    // Configuration errors name the variable (main turns them into exit code 2).
    await expect(importConvexCommand([pb.url], env({ CONVEX_URL: "https://x.convex.site" }), () => undefined)).rejects.toMatchObject({ key: "CONVEX_URL" });
    await expect(importConvexCommand([pb.url], env({ CONVEX_SYNC_SECRET: "" }), () => undefined)).rejects.toMatchObject({ key: "CONVEX_SYNC_SECRET" });
  });

  it("verify: ok when both sides match; a readable diff and exit 1 when a record changed, exists on one side only or was deleted", async () => {
    convex.maxPage = 7; // several pages per collection
    const ok = capture();
    expect(await verifyCommand([pb.url], env(), ok.print, logStream()), ok.text()).toBe(0);
    expect(ok.text()).toMatch(/^contacts\s+ok\s+120 record\(s\), checksum [0-9a-f]{12}$/m);
    expect(ok.lines.at(-1)).toBe("All 5 collections match.");
    const pages = convex.callsOf("migration:page").filter((c) => c.args.collection === "contacts");
    expect(pages.length).toBeGreaterThanOrEqual(18);
    expect(pages[0]).toMatchObject({ endpoint: "query", format: "convex_encoded_json" });

    // PocketBase changes a contact; Convex has a job PocketBase does not; a contact is deleted in Convex.
    const changed = contactIds[5];
    await pb.admin.collection("contacts").update(changed, { name: "Zmieniona nazwa", notes: "po migracji" });
    convex.put("jobs", "onlyinconvex001", { title: "Z Convex" }, "2026-11-24 10:00:00.000Z");
    const gone = contactIds[7];
    convex.put("contacts", gone, null, "2099-01-01 00:00:00.000Z");
    const diff = capture();
    expect(await verifyCommand([pb.url], env(), diff.print, logStream())).toBe(1);
    const text = diff.text();
    expect(text).toMatch(/^contacts\s+DIFFERS\s+PocketBase 120 \(checksum [0-9a-f]{12}\), Convex 119 \(checksum [0-9a-f]{12}\)$/m);
    expect(text).toContain(`only in PocketBase (1): ${gone}`);
    expect(text).toContain("content differs (1):");
    expect(text).toMatch(new RegExp(`^\\s+${changed}: (\\w+, )*name, (\\w+, )*notes(, \\w+)* \\(updated .* in PocketBase, .* in Convex\\)$`, "m"));
    expect(text).toMatch(/^jobs\s+DIFFERS/m);
    expect(text).toContain("only in Convex (1): onlyinconvex001");
    expect(text).toMatch(/^equipment\s+ok/m);
    expect(diff.lines.at(-1)).toBe("2 of 5 collection(s) differ.");

    // A wrong secret is an error, not a diff.
    const wrong = capture();
    expect(await verifyCommand([pb.url], env({ CONVEX_SYNC_SECRET: "wrong-secret-0123456789" }), wrong.print, logStream())).toBe(1);
    expect(wrong.text()).toContain("verify failed: secret: wrong CONVEX_SYNC_SECRET [unauthorized]");
  });

  it("import-convex --from an export, then verify --from the same export", async () => {
    const fresh = await new ConvexFunctionStub(SECRET).start();
    try {
      const e = (over: Record<string, string> = {}) => env({ CONVEX_URL: fresh.url, ...over });
      const log = capture();
      expect(await importConvexCommand(["--from", out, "--no-backup"], e(), log.print, logStream()), log.text()).toBe(0);
      expect(existsSync(join(out, STATE_FILE))).toBe(true);
      const manifest = parseManifest(JSON.parse(readFileSync(join(out, "manifest.json"), "utf8")));
      expect(fresh.live("contacts").size).toBe(manifest.collections.find((c) => c.name === "contacts")!.count);
      const v = capture();
      expect(await verifyCommand(["--from", out], e(), v.print, logStream()), v.text()).toBe(0);
      expect(v.lines.at(-1)).toBe("All 5 collections match.");
      // The deployment is reset (same URL, empty again): the state file is not trusted, all is sent again.
      const stateBefore = JSON.parse(readFileSync(join(out, STATE_FILE), "utf8"));
      fresh.docs.clear();
      const reset = capture();
      expect(await importConvexCommand(["--from", out, "--no-backup"], e(), reset.print, logStream()), reset.text()).toBe(0);
      expect(reset.lines).toContain(`Note: ${join(out, STATE_FILE)} says 120 contacts record(s) were imported into ${fresh.url}, but it holds 0 now (reset or emptied?): importing contacts again.`);
      expect(reset.lines.at(-1)).toBe(`Import complete: ${Object.values(stateBefore.deployments[fresh.url] as Record<string, string[]>).flat().length} batch(es) sent, 0 done earlier. Check it with: npx hvac verify`);
      expect(fresh.live("contacts").size).toBe(120);
      const v2 = capture();
      expect(await verifyCommand(["--from", out], e(), v2.print, logStream()), v2.text()).toBe(0);
      // Without a backup server and without --no-backup: refused before anything is sent.
      const nobody = `http://127.0.0.1:${await freePort()}`;
      const refused = capture();
      const calls = fresh.calls.length;
      expect(await importConvexCommand(["--from", out, nobody], e(), refused.print)).toBe(1);
      expect(refused.text()).toContain(`no backup could be made on ${nobody} before migrating: no answer from`);
      expect(refused.text()).toContain("(ECONNREFUSED)");
      expect(fresh.calls.length).toBe(calls);
    } finally {
      await fresh.close();
    }
  });
});

describe("backup and restore", () => {
  let pb: RunningPocketBase;
  const asides: string[] = [];
  beforeAll(async () => {
    pb = await startPocketBase();
  });
  afterAll(async () => {
    await pb?.stop();
    for (const a of asides) rmSync(a, { recursive: true, force: true });
  });

  /** A list right after a restart may meet a keep-alive connection of the replaced process: one retry. */
  async function names(client: PocketBase): Promise<string[]> {
    const list = () => client.collection("contacts").getFullList({ sort: "name" });
    let rows;
    try {
      rows = await list();
    } catch (e) {
      if ((e as { status?: number }).status !== 0) throw e;
      rows = await list();
    }
    return rows.map((r) => r.name as string);
  }

  it("backup, change the data, restore through the running server: the data is back, the server restarted in place", async () => {
    const env = { ...ADMIN };
    const a = await makeContact(pb.admin, { name: "A przed kopią" });
    const b = capture();
    expect(await backupCommand(["przed-migracja", pb.url], env, b.print)).toBe(0);
    expect(b.lines[0]).toMatch(/^Backup przed-migracja\.zip created on http:\/\/127\.0\.0\.1:\d+: \d+\.\d MB, in DATA_DIR\/backups\//);
    expect(b.text()).toContain(`npx hvac restore przed-migracja.zip ${pb.url}`);
    expect(b.text()).toContain("npx hvac restore przed-migracja.zip --offline");
    expect(existsSync(join(pb.dataDir, "backups/przed-migracja.zip"))).toBe(true);
    await expect(backupCommand(["Zła Nazwa", pb.url], env, b.print)).rejects.toMatchObject({ key: "NAME" });
    const dup = capture();
    expect(await backupCommand(["przed-migracja", pb.url], env, dup.print)).toBe(1);
    expect(dup.text()).toMatch(/backup przed-migracja\.zip could not be created: HTTP 400: .*name: The backup file name is invalid or already exists/);

    await pb.admin.collection("contacts").update(a.id, { name: "A po zmianie" });
    await makeContact(pb.admin, { name: "B po kopii" });
    const pid = pb.proc.pid;
    const r = capture();
    expect(await restoreCommand(["przed-migracja", pb.url], env, r.print)).toBe(0);
    expect(r.text()).toMatch(/The current data is saved first as hvac-before-restore-\d{8}-\d{6}\.zip/);
    expect(r.lines.at(-1)).toBe(`Restored przed-migracja.zip on ${pb.url}: the server runs again with the backup's data.`);
    // Same process (PocketBase re-executed itself), same address, the backup's data.
    expect(pb.proc.pid).toBe(pid);
    expect(pb.proc.exitCode).toBeNull();
    const admin = pb.client();
    await admin.admins.authWithPassword(ADMIN_EMAIL, ADMIN_PASSWORD);
    expect(await names(admin)).toEqual(["A przed kopią"]);

    // The state before the restore was kept as a backup: rolling forward brings B back.
    const before = (await admin.backups.getFullList()).map((x) => x.key).find((k) => k.startsWith("hvac-before-restore-"))!;
    const f = capture();
    expect(await restoreCommand([before, pb.url, "--no-backup"], env, f.print)).toBe(0);
    expect(f.text()).not.toContain("saved first");
    const again = pb.client();
    await again.admins.authWithPassword(ADMIN_EMAIL, ADMIN_PASSWORD);
    expect(await names(again)).toEqual(["A po zmianie", "B po kopii"]);

    // A backup that does not exist.
    const missing = capture();
    expect(await restoreCommand(["nie-ma-takiej", pb.url], env, missing.print)).toBe(1);
    expect(missing.text()).toMatch(/has no backup "nie-ma-takiej\.zip"\. Backups there: .*przed-migracja\.zip/);
  });

  it("restore through the server: a backup list or a saving backup PocketBase refuses is a clear failure; nothing is restored", async () => {
    const proxy = await new FaultProxy(pb.url).start();
    try {
      proxy.failing("GET", /^\/api\/backups(\?|$)/);
      const list = capture();
      expect(await restoreCommand(["przed-migracja", proxy.url], ADMIN, list.print)).toBe(1);
      expect(list.lines).toEqual([`restore: cannot list the backups on ${proxy.url}: HTTP 500: proxy fault 500`]);
      proxy.failing("POST", /^\/api\/backups(\?|$)/);
      const save = capture();
      expect(await restoreCommand(["przed-migracja", proxy.url], ADMIN, save.print)).toBe(1);
      expect(save.lines).toEqual([expect.stringMatching(
        /^restore: the current data could not be saved first, nothing was restored: backup hvac-before-restore-\d{8}-\d{6}\.zip could not be created: HTTP 500: proxy fault 500 \(--no-backup skips saving it\)$/,
      )]);
      expect(proxy.seen.filter((r) => r.includes("/restore"))).toEqual([]);
    } finally {
      await proxy.close();
    }
  });

  it("restore --offline: refused while the server answers; into the stopped server's data dir, the old data kept aside", async () => {
    const port = new URL(pb.url).port;
    const env = { ...ADMIN, DATA_DIR: pb.dataDir, HTTP_ADDR: `127.0.0.1:${port}` };
    const admin = pb.client();
    await admin.admins.authWithPassword(ADMIN_EMAIL, ADMIN_PASSWORD);
    await makeContact(admin, { name: "C przed kopią offline" });
    expect(await backupCommand(["offline-test", pb.url], env, () => undefined)).toBe(0);
    await makeContact(admin, { name: "D po kopii offline" });
    const namesBefore = await names(admin);

    const running = capture();
    expect(await restoreCommand(["offline-test", "--offline"], env, running.print)).toBe(1);
    expect(running.text()).toMatch(/a server answers at http:\/\/127\.0\.0\.1:\d+ \(HTTP_ADDR\)\. Stop it first/);

    // Stop the server, keep its data dir.
    const exited = new Promise((r) => pb.proc.once("exit", r));
    pb.proc.kill("SIGTERM");
    await exited;
    // The VM the tests run in hides the open files of its PID 1 even from root, which the check treats
    // as "cannot tell" (test/unit/backup.test.ts): --force here.
    const force = { force: true };
    const missing = capture();
    expect(await restoreOffline("nope.zip", env, missing.print, new Date(), force)).toBe(1);
    expect(missing.text()).toContain(`${join(pb.dataDir, "backups/nope.zip")} does not exist`);

    // A damaged archive and one with a "../" entry fail and leave DATA_DIR exactly as it was.
    const snapshot = () => {
      const out: string[] = [];
      for (const f of readdirSync(pb.dataDir, { recursive: true }).map(String).sort()) {
        const p = join(pb.dataDir, f);
        out.push(statSync(p).isDirectory() ? `${f}/` : `${f} ${sha256(readFileSync(p))}`);
      }
      return out;
    };
    const siblings = () => readdirSync(join(pb.dataDir, "..")).filter((f) => f.startsWith(basename(pb.dataDir))).sort();
    const before = snapshot();
    const siblingsBefore = siblings();
    const good = readFileSync(join(pb.dataDir, "backups/offline-test.zip"));
    const last = (await readZipEntries(join(pb.dataDir, "backups/offline-test.zip"))).filter((e) => !e.isDirectory && e.compressedSize > 0).at(-1)!;
    const damaged = Buffer.from(good);
    const dataAt = last.localHeaderOffset + 30 + damaged.readUInt16LE(last.localHeaderOffset + 26) + damaged.readUInt16LE(last.localHeaderOffset + 28);
    // 16 bytes in the middle of the last entry's data: entries before it are extracted first.
    const from = dataAt + Math.max(0, Math.floor(last.compressedSize / 2) - 8);
    for (let i = from; i < Math.min(dataAt + last.compressedSize, from + 16); i++) damaged[i] ^= 0x5a;
    const damagedZip = join(tmp, "damaged-backup.zip");
    writeFileSync(damagedZip, damaged);
    const slipZip = join(tmp, "slip-backup.zip");
    writeFileSync(slipZip, makeZip([
      { name: "data.db", data: Buffer.from("not the real data"), method: 8 },
      { name: "storage/ok.txt", data: Buffer.from("ok"), method: 0 },
      { name: "../escaped.txt", data: Buffer.from("outside"), method: 0 },
    ]));
    for (const [zip, why] of [[damagedZip, /failed, the data dir is unchanged: .*(damaged|invalid|incorrect|unexpected end)/i], [slipZip, /failed, the data dir is unchanged: unsafe entry name in the archive: "\.\.\/escaped\.txt"/]] as const) {
      const bad = capture();
      expect(await restoreOffline(zip, env, bad.print, new Date("2026-11-25T07:00:00Z"), force), bad.text()).toBe(1);
      expect(bad.text()).toMatch(why);
      expect(snapshot()).toEqual(before);
      expect(siblings()).toEqual(siblingsBefore);
    }
    expect(existsSync(join(pb.dataDir, "..", "escaped.txt"))).toBe(false);

    const r = capture();
    expect(await restoreOffline("offline-test", env, r.print, new Date("2026-11-25T08:00:00Z"), force)).toBe(0);
    const aside = `${pb.dataDir}.before-restore-20261125-080000`;
    asides.push(aside);
    expect(r.lines[0]).toMatch(new RegExp(`^Restored offline-test\\.zip into ${pb.dataDir.replace(/[.]/g, "\\.")} \\(\\d+ files`));
    expect(r.text()).toContain(`The data before the restore is in ${aside}`);
    expect(existsSync(join(aside, "data.db"))).toBe(true);
    expect(existsSync(join(pb.dataDir, "backups/offline-test.zip"))).toBe(true); // backups stay
    expect(readdirSync(pb.dataDir).filter((f) => f.startsWith(".hvac_restore_"))).toEqual([]);

    // Start a server on the restored data dir: the backup's data.
    const restarted = await startPocketBase({ dataDir: pb.dataDir });
    pb = restarted;
    expect(await names(restarted.admin)).toEqual(namesBefore.filter((n) => n !== "D po kopii offline"));
  });
});
