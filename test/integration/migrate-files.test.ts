// `hvac migrate-files` against the real PocketBase binary:
// - to s3: a local S3 stub that checks every SigV4 signature itself. After --switch, files are read
//   THROUGH PocketBase (/api/files, its own aws-sdk-go-v2 client against the same stub): the same
//   bytes prove the key layout; thumbnails, new uploads, PocketBase's bucket test and a record delete
//   work on the copied bucket too. Resumable after a kill -9, per-file failures listed, a wrong secret
//   stops the run, a switch PocketBase cannot read from is undone.
// - to convex: a stub of the Convex function API and upload URLs running the real convex/files.ts.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, renameSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type PocketBase from "pocketbase";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrateFilesCommand } from "../../src/cli/migrate-files";
import { sha256Hex } from "../../src/cli/s3";
import { ConvexFilesStub } from "../helpers/convex-files-stub";
import { FaultProxy } from "../helpers/fault-proxy";
import { serveWith } from "../helpers/local-server";
import { createWorld, makeContact, makeJob, PNG_1X1, type World } from "../helpers/fixtures";
import { ADMIN_EMAIL, ADMIN_PASSWORD, ROOT, startPocketBase, type RunningPocketBase } from "../helpers/pocketbase";
import { S3Stub } from "../helpers/s3-stub";

const ADMIN = { HVAC_ADMIN_EMAIL: ADMIN_EMAIL, HVAC_ADMIN_PASSWORD: ADMIN_PASSWORD };
const S3 = { bucket: "hvac-files", region: "eu-central-1", accessKey: "AKIDHVACTEST", secret: "s3-secret/0123456789+abcdef" };

/** What a run prints, progress lines included (the non-terminal form: a line per tenth). */
function capture(): { lines: string[]; print: (l: string) => void; progress: { write: (t: string) => void }; text: () => string } {
  const lines: string[] = [];
  return {
    lines,
    print: (l: string) => lines.push(l),
    progress: { write: (t: string) => lines.push(...t.split("\n").filter(Boolean)) },
    text: () => lines.join("\n"),
  };
}

/** A PDF-looking file PocketBase accepts for invoices; `pad` bytes make it bigger. */
function pdf(n: number, pad = 0): Buffer {
  return Buffer.concat([Buffer.from(`%PDF-1.4\n% faktura ${n}\n`), Buffer.alloc(pad, 0x20), Buffer.from("\n%%EOF\n")]);
}

interface Uploaded {
  key: string;
  collectionId: string;
  recordId: string;
  filename: string;
  bytes: Buffer;
}

/** Invoices (the first `firstPad` bytes bigger) and equipment photos with files, by PocketBase's storage key. */
async function uploadFiles(w: World, invoices: number, photos: number, firstPad = 1_200_000): Promise<Map<string, Uploaded>> {
  const contact = await makeContact(w.dispatcher);
  const job = await makeJob(w.dispatcher, contact.id);
  const out = new Map<string, Uploaded>();
  const add = async (collection: string, bytes: Buffer, name: string, type: string) => {
    const form = new FormData();
    form.append("jobId", job.id);
    form.append("contactId", contact.id);
    form.append("file", new Blob([new Uint8Array(bytes)], { type }), name);
    const r = await w.dispatcher.collection(collection).create(form);
    const key = `${r.collectionId}/${r.id}/${r.file}`;
    out.set(key, { key, collectionId: r.collectionId, recordId: r.id, filename: r.file, bytes });
  };
  for (let i = 0; i < invoices; i++) await add("invoices", pdf(i, i === 0 ? firstPad : 0), `faktura-${i}.pdf`, "application/pdf");
  for (let i = 0; i < photos; i++) await add("equipment_photos", PNG_1X1, `kociol-${i}.png`, "image/png");
  return out;
}

/** A file read through PocketBase's own file API (protected files: with an admin file token). */
async function throughPocketBase(pb: RunningPocketBase, f: Uploaded, query = ""): Promise<Response> {
  const token = await pb.admin.files.getToken();
  return fetch(`${pb.url}/api/files/${f.collectionId}/${f.recordId}/${f.filename}?token=${token}${query}`);
}

/** The file lines of a state journal (not the backup line). */
function journal(path: string): { dest: string; key: string; size?: number; sha256?: string; undone?: boolean }[] {
  return readFileSync(path, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l)).filter((l) => l.key);
}

describe("hvac migrate-files --to s3", () => {
  let pb: RunningPocketBase;
  let w: World;
  let s3: S3Stub;
  let dir: string;
  let files: Map<string, Uploaded>;
  let env: Record<string, string>;

  beforeAll(async () => {
    pb = await startPocketBase({ env: { CONVEX_SYNC_SECRET: "" } });
    w = await createWorld(pb);
    s3 = await new S3Stub(S3).start();
    dir = mkdtempSync(join(tmpdir(), "hvac-migrate-s3-"));
    files = await uploadFiles(w, 3, 2);
    env = {
      ...ADMIN, S3_ENDPOINT: s3.url, S3_BUCKET: S3.bucket, S3_REGION: S3.region, S3_ACCESS_KEY: S3.accessKey, S3_SECRET: S3.secret, S3_FORCE_PATH_STYLE: "on",
    };
  });
  afterAll(async () => {
    await pb?.stop();
    await s3?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const puts = () => s3.requests.filter((r) => r.method === "PUT" && r.agent !== "aws-sdk-go-v2").length;

  it("--dry-run lists the files and changes nothing", async () => {
    const out = capture();
    expect(await migrateFilesCommand(["--to", "s3", pb.url, "--dry-run", "--state", join(dir, "dry.jsonl")], env, out.print, out.progress)).toBe(0);
    expect(out.lines[0]).toBe(`5 file(s) on ${pb.url} (equipment_photos 2, invoices 3) -> S3 ${s3.url} bucket hvac-files.`);
    expect(out.lines.at(-1)).toBe("Dry run: would copy 5 file(s) after a backup on the server. Nothing was changed.");
    expect(s3.requests).toEqual([]);
    expect(await pb.admin.backups.getFullList()).toEqual([]);
  });

  it("a missing or contradicting setting is a configuration error naming the variable", async () => {
    const run = (over: Record<string, string | undefined>) => migrateFilesCommand(["--to", "s3", pb.url, "--dry-run"], { ...env, ...over }, () => {});
    await expect(run({ S3_SECRET: "" })).rejects.toMatchObject({ key: "S3_SECRET" });
    await expect(run({ S3_BUCKET: "" })).rejects.toMatchObject({ key: "S3_BUCKET", message: "S3_BUCKET: required: PocketBase's s3.bucket is empty, so give it here" });
    await expect(run({ S3_ENDPOINT: "minio:9000" })).rejects.toMatchObject({ key: "S3_ENDPOINT" });
    const out = capture();
    expect(await migrateFilesCommand(["--to", "ftp", pb.url], env, out.print, out.progress)).toBe(2);
    expect(out.lines[0]).toBe('migrate-files: --to: expected s3 or convex, got "ftp"');
  });

  it("PocketBase refusing to show its settings or list the records is a failure saying what was being done", async () => {
    const proxy = await new FaultProxy(pb.url).start();
    try {
      proxy.failing("GET", /^\/api\/settings(\?|$)/);
      const settings = capture();
      expect(await migrateFilesCommand(["--to", "s3", proxy.url, "--dry-run"], env, settings.print, settings.progress)).toBe(1);
      expect(settings.lines).toEqual([`migrate-files: reading PocketBase's settings (Settings > Files storage) on ${proxy.url} failed: HTTP 500: proxy fault 500`]);
      proxy.failing("GET", /^\/api\/collections\/invoices\/records/);
      const listing = capture();
      expect(await migrateFilesCommand(["--to", "s3", proxy.url, "--dry-run"], env, listing.print, listing.progress)).toBe(1);
      expect(listing.lines).toEqual([`migrate-files: listing the files of the records on ${proxy.url} failed: HTTP 500: proxy fault 500`]);
    } finally {
      await proxy.close();
    }
    expect(s3.requests).toEqual([]);
  });

  it("a wrong secret stops at the first file with S3's answer; nothing is recorded as done", async () => {
    const state = join(dir, "wrong.jsonl");
    const out = capture();
    expect(await migrateFilesCommand(["--to", "s3", pb.url, "--no-backup", "--concurrency", "1", "--state", state], { ...env, S3_SECRET: "not-the-secret" }, out.print, out.progress)).toBe(1);
    expect(out.text()).toContain(`Stopped: PUT hvac-files/`);
    expect(out.text()).toContain(": HTTP 403 SignatureDoesNotMatch: The request signature we calculated does not match");
    expect(s3.requests.map((r) => [r.method, r.status])).toEqual([["PUT", 403]]);
    expect(s3.objects.size).toBe(0);
  });

  it("copies every file to PocketBase's key after a backup, with progress; a second run copies nothing", async () => {
    s3.requests.length = 0;
    const state = join(dir, "state.jsonl");
    const out = capture();
    expect(await migrateFilesCommand(["--to", "s3", pb.url, "--state", state], env, out.print, out.progress)).toBe(0);
    expect(out.lines[1]).toMatch(/^Backup before migrating: hvac-before-migrate-files-\d{8}-\d{6}\.zip \(\d+\.\d MB, in DATA_DIR\/backups\//);
    expect((await pb.admin.backups.getFullList()).map((b) => b.key)).toEqual([expect.stringMatching(/^hvac-before-migrate-files-\d{8}-\d{6}\.zip$/)]);
    expect(out.lines.filter((l) => /^s3 \d+% \d\/5 files \(/.test(l))).toHaveLength(5);
    expect(out.lines).toContainEqual(expect.stringMatching(/^s3 100% 5\/5 files \(in \d+ s\)$/));
    expect(out.lines).toContain("Done: 5 file(s) copied (1.1 MB), 0 done before, 5 in all.");
    expect([...s3.objects.keys()].sort()).toEqual([...files.keys()].sort());
    for (const f of files.values()) {
      const o = s3.objects.get(f.key)!;
      expect(Buffer.compare(o.body, f.bytes)).toBe(0);
      expect(o.contentType).toBe(f.filename.endsWith(".pdf") ? "application/pdf" : "image/png");
    }
    // Every request carried a signature the stub accepted; each file was checked after its PUT.
    expect(s3.requests.every((r) => r.status === 200)).toBe(true);
    expect(s3.requests.filter((r) => r.method === "HEAD")).toHaveLength(5);
    expect(journal(state).map((l) => [l.key, l.size, l.sha256]).sort()).toEqual([...files.values()].map((f) => [f.key, f.bytes.length, sha256Hex(f.bytes)]).sort());

    const before = s3.requests.length;
    const again = capture();
    expect(await migrateFilesCommand(["--to", "s3", pb.url, "--state", state], env, again.print, again.progress)).toBe(0);
    expect(again.lines[1]).toBe(`5 of them were copied by an earlier run (state: ${state}).`);
    expect(again.lines).toContain("Done: 0 file(s) copied (0.0 MB), 5 done before, 5 in all.");
    expect(s3.requests.length).toBe(before);
    expect((await pb.admin.backups.getFullList()).length).toBe(1); // nothing to copy: no second backup
  });

  it("a run killed -9 mid-way goes on where it stopped", async () => {
    const state = join(dir, "killed.jsonl");
    const before = puts();
    s3.fail({ method: "PUT", status: 0, code: "", kind: "hang", skip: 2 });
    const runner = `import { register } from "tsx/esm/api"; register();
      const m = await import(${JSON.stringify(pathToFileURL(resolve(ROOT, "src/cli/migrate-files.ts")).href)});
      process.exitCode = await m.migrateFilesCommand(${JSON.stringify(["--to", "s3", pb.url, "--no-backup", "--concurrency", "1", "--state", state])});`;
    const child = spawn(process.execPath, ["--input-type=module", "-e", runner], { cwd: ROOT, env: { ...process.env, ...env }, stdio: "ignore" });
    const exited = new Promise((r) => child.once("exit", r));
    await s3.received("PUT", before + 3);
    child.kill("SIGKILL");
    await exited;
    s3.healthy();
    expect(journal(state)).toHaveLength(2);

    const out = capture();
    expect(await migrateFilesCommand(["--to", "s3", pb.url, "--no-backup", "--state", state], env, out.print, out.progress)).toBe(0);
    expect(out.lines).toContain("Done: 3 file(s) copied (1.1 MB), 2 done before, 5 in all.");
    expect(puts()).toBe(before + 3 + 3);
    expect(journal(state)).toHaveLength(5);
  });

  it("a file PocketBase cannot serve and a PUT answered 503 fail alone, are listed, and a re-run retries just them", async () => {
    const state = join(dir, "partial.jsonl");
    const [missing] = [...files.values()].filter((f) => f.filename.endsWith(".png"));
    const onDisk = join(pb.dataDir, "storage", missing.key);
    renameSync(onDisk, `${onDisk}.away`);
    s3.fail({ method: "PUT", status: 503, code: "SlowDown", skip: 1 });
    const out = capture();
    try {
      expect(await migrateFilesCommand(["--to", "s3", pb.url, "--no-backup", "--concurrency", "1", "--switch", "--state", state], env, out.print, out.progress)).toBe(1);
    } finally {
      renameSync(`${onDisk}.away`, onDisk);
    }
    expect(out.text()).toContain("2 file(s) failed:");
    expect(out.text()).toContain(`  equipment_photos/${missing.recordId} file ${missing.filename}: PocketBase has no such file (HTTP 404: missing from its storage)`);
    expect(out.text()).toMatch(/ file \S+\.pdf: PUT hvac-files\/\S+: HTTP 503 SlowDown: stub fault 503/);
    expect(out.text()).toContain("Copied 3, 0 done before. Run the same command again to go on");
    expect(out.lines.at(-1)).toBe("PocketBase's S3 storage was NOT turned on.");
    expect((await pb.admin.settings.getAll()).s3.enabled).toBe(false);

    const before = puts();
    const again = capture();
    expect(await migrateFilesCommand(["--to", "s3", pb.url, "--no-backup", "--state", state], env, again.print, again.progress)).toBe(0);
    expect(again.lines).toContainEqual(expect.stringMatching(/^Done: 2 file\(s\) copied \(\d\.\d MB\), 3 done before, 5 in all\.$/));
    expect(puts()).toBe(before + 2);
  });

  it("--switch with PocketBase's own settings: a secret PocketBase cannot use is caught by its bucket test and the switch undone", async () => {
    await pb.admin.settings.update({ s3: { enabled: false, bucket: S3.bucket, region: S3.region, endpoint: s3.url, accessKey: S3.accessKey, secret: "a-stale-secret", forcePathStyle: true } });
    // With settings present, a variable that says otherwise is refused.
    await expect(migrateFilesCommand(["--to", "s3", pb.url, "--dry-run"], { ...env, S3_BUCKET: "another-bucket" }, () => {})).rejects.toMatchObject({ key: "S3_BUCKET" });
    const out = capture();
    const fromSettings = { ...ADMIN, S3_SECRET: S3.secret };
    expect(await migrateFilesCommand(["--to", "s3", pb.url, "--no-backup", "--switch", "--state", join(dir, "state.jsonl")], fromSettings, out.print, out.progress)).toBe(1);
    expect(out.lines.at(-1)).toMatch(/^PocketBase's own test of the bucket failed: .*\. PocketBase's S3 storage was turned off again; it serves the local files as before\.$/);
    expect((await pb.admin.settings.getAll()).s3).toMatchObject({ enabled: false, bucket: S3.bucket });
    expect(s3.fromPocketBase().some((r) => r.status === 403)).toBe(true);
    const f = files.values().next().value!;
    expect((await throughPocketBase(pb, f)).status).toBe(200); // still served from local storage
  });

  it("--switch checks every file in the bucket (copying a lost one again), turns S3 on, and PocketBase then serves the same bytes from the bucket", async () => {
    await pb.admin.settings.update({ s3: { enabled: false, bucket: "", region: "", endpoint: "", accessKey: "", secret: "", forcePathStyle: false } });
    const state = join(dir, "state.jsonl");
    const lost = [...files.keys()][1];
    s3.objects.delete(lost);
    s3.requests.length = 0;
    const out = capture();
    expect(await migrateFilesCommand(["--to", "s3", pb.url, "--switch", "--state", state], env, out.print, out.progress)).toBe(0);
    expect(out.lines).toContain(`${lost}: not in the bucket; copying it again.`);
    expect(out.lines.at(-1)).toMatch(new RegExp(`^PocketBase now keeps its files in S3 \\(${s3.url.replace(/\./g, "\\.")}, bucket hvac-files\\); checked 5 file\\(s\\) there and read \\S+ back through PocketBase\\.`));
    expect(s3.objects.has(lost)).toBe(true);
    const settings = (await pb.admin.settings.getAll()).s3;
    expect(settings).toMatchObject({ enabled: true, bucket: S3.bucket, region: S3.region, endpoint: s3.url, accessKey: S3.accessKey, forcePathStyle: true });

    // Now PocketBase reads from the stub with its own S3 client: the same bytes at the same URLs.
    s3.requests.length = 0;
    for (const f of files.values()) {
      const res = await throughPocketBase(pb, f);
      expect(res.status).toBe(200);
      expect(Buffer.compare(Buffer.from(await res.arrayBuffer()), f.bytes)).toBe(0);
    }
    const fromPb = s3.fromPocketBase();
    expect(fromPb.length).toBeGreaterThanOrEqual(5);
    expect(fromPb.every((r) => r.status === 200 || r.status === 206)).toBe(true); // every signature held
    expect(new Set(fromPb.filter((r) => r.method === "GET").map((r) => r.key))).toEqual(new Set(files.keys()));

    // A thumbnail is made from the copied original and stored next to it, as PocketBase lays it out.
    const photo = [...files.values()].find((f) => f.filename.endsWith(".png"))!;
    const thumb = await throughPocketBase(pb, photo, "&thumb=100x100");
    expect(thumb.status).toBe(200);
    expect(thumb.headers.get("content-type")).toBe("image/png");
    expect(s3.objects.has(`${photo.collectionId}/${photo.recordId}/thumbs_${photo.filename}/100x100_${photo.filename}`)).toBe(true);

    // New uploads go to the bucket (over 5 MB PocketBase's client uploads in parts); deleting a record
    // removes its files there.
    const added = await uploadFiles(w, 1, 0, 6_000_000);
    const [big] = added.values();
    expect(Buffer.compare(s3.objects.get(big.key)!.body, big.bytes)).toBe(0);
    const parts = s3.fromPocketBase().filter((r) => r.key === big.key && r.method !== "HEAD" && r.method !== "GET");
    expect(parts.map((r) => `${r.method} ${r.status} ${new URL(r.url, "http://x").searchParams.has("uploads") ? "create" : new URL(r.url, "http://x").searchParams.has("partNumber") ? "part" : "complete"}`).sort())
      .toEqual(["POST 200 complete", "POST 200 create", "PUT 200 part", "PUT 200 part"]);
    expect(Buffer.compare(Buffer.from(await (await throughPocketBase(pb, big)).arrayBuffer()), big.bytes)).toBe(0);
    await pb.admin.collection("equipment_photos").delete(photo.recordId);
    // PocketBase deletes a record's files after answering (in the background): wait for it.
    const left = () => [...s3.objects.keys()].filter((k) => k.startsWith(`${photo.collectionId}/${photo.recordId}/`));
    for (let i = 0; i < 200 && left().length; i++) await new Promise((r) => setTimeout(r, 25));
    expect(left(), JSON.stringify(s3.fromPocketBase().slice(-6))).toEqual([]);

    // Already switched: nothing to do.
    const again = capture();
    expect(await migrateFilesCommand(["--to", "s3", pb.url, "--switch", "--state", state], env, again.print, again.progress)).toBe(0);
    expect(again.lines).toEqual(["PocketBase already keeps its files in S3 (Settings > Files storage is on): nothing to migrate."]);
  });
});

describe("hvac migrate-files --to convex", () => {
  const SECRET = "convex-files-secret-0123456789";
  let pb: RunningPocketBase;
  let convex: ConvexFilesStub;
  let dir: string;
  let files: Map<string, Uploaded>;
  let env: Record<string, string>;
  let admin: PocketBase;

  beforeAll(async () => {
    pb = await startPocketBase({ env: { CONVEX_SYNC_SECRET: "" } });
    admin = pb.admin;
    files = await uploadFiles(await createWorld(pb), 2, 2);
    convex = await new ConvexFilesStub(SECRET).start();
    dir = mkdtempSync(join(tmpdir(), "hvac-migrate-convex-"));
    env = { ...ADMIN, CONVEX_URL: convex.url, CONVEX_SYNC_SECRET: SECRET };
  });
  afterAll(async () => {
    await pb?.stop();
    await convex?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const byKey = (rows: { collection: string; pbId: string; filename: string }[]) => rows.map((r) => `${r.collection}/${r.pbId}/${r.filename}`).sort();
  const expectedKeys = () => [...files.values()].map((f) => `${f.key.startsWith("hvacinvoices") ? "invoices" : "equipment_photos"}/${f.recordId}/${f.filename}`).sort();

  it("configuration: CONVEX_URL and CONVEX_SYNC_SECRET are named; --switch is for s3 only", async () => {
    await expect(migrateFilesCommand(["--to", "convex", pb.url], { ...env, CONVEX_URL: "" }, () => {})).rejects.toMatchObject({ key: "CONVEX_URL" });
    await expect(migrateFilesCommand(["--to", "convex", pb.url], { ...env, CONVEX_URL: "https://happy-cat-123.convex.site" }, () => {})).rejects.toMatchObject({
      key: "CONVEX_URL", message: expect.stringContaining(".convex.site serves the HTTP actions"),
    });
    await expect(migrateFilesCommand(["--to", "convex", pb.url], { ...env, CONVEX_SYNC_SECRET: "" }, () => {})).rejects.toMatchObject({ key: "CONVEX_SYNC_SECRET" });
    const out = capture();
    expect(await migrateFilesCommand(["--to", "convex", "--switch", pb.url], env, out.print, out.progress)).toBe(2);
    expect(out.lines[0]).toBe("migrate-files: --switch applies to --to s3 only (PocketBase cannot serve files from Convex)");
  });

  it("a wrong secret stops at once with the deployment's answer", async () => {
    const out = capture();
    expect(await migrateFilesCommand(["--to", "convex", pb.url, "--no-backup", "--concurrency", "1", "--state", join(dir, "wrong.jsonl")], { ...env, CONVEX_SYNC_SECRET: "not-the-deployment-secret" }, out.print, out.progress)).toBe(1);
    expect(out.text()).toContain(`Stopped: files:generateUploadUrl on ${convex.url}: secret: wrong CONVEX_SYNC_SECRET`);
    expect(convex.calls.map((c) => c.path)).toEqual(["files:generateUploadUrl"]);
    expect(await convex.mappings()).toEqual([]);
  });

  it("Convex echoing the arguments in an error (argument validation) never prints the secret", async () => {
    // A deployment whose files:generateUploadUrl takes other arguments: Convex answers with the object it got.
    const echo = serveWith(async (req, res) => {
      let body = "";
      for await (const c of req) body += c;
      const args = (JSON.parse(body) as { args: unknown[] }).args[0];
      res.writeHead(560, { "Content-Type": "application/json" }).end(JSON.stringify({
        status: "error",
        errorMessage: `ArgumentValidationError: Object is missing the required field \`bucket\`.\n\nObject: ${JSON.stringify(args)}\nValidator: v.object({bucket: v.string(), secret: v.string()})`,
        logLines: [],
      }));
    });
    const url = (await echo.start()).url;
    const out = capture();
    try {
      expect(await migrateFilesCommand(["--to", "convex", pb.url, "--no-backup", "--concurrency", "1", "--state", join(dir, "echo.jsonl")], { ...env, CONVEX_URL: url }, out.print, out.progress)).toBe(1);
    } finally {
      await echo.close();
    }
    expect(out.text()).toContain("4 file(s) failed:");
    expect(out.text()).toContain(`files:generateUploadUrl on ${url}: ArgumentValidationError: Object is missing the required field \`bucket\`.`);
    expect(out.text()).toContain('Object: {"secret":"***"}');
    expect(out.text()).not.toContain(SECRET);
  });

  it("uploads every file and attaches it; a failed upload and a truncated one fail alone and are retried by the next run", async () => {
    const state = join(dir, "state.jsonl");
    convex.failNext("upload", 503);
    convex.truncateNextUpload();
    const out = capture();
    expect(await migrateFilesCommand(["--to", "convex", pb.url, "--concurrency", "1", "--state", state], env, out.print, out.progress)).toBe(1);
    expect(out.text()).toContain("2 file(s) failed:");
    expect(out.text()).toContain(': upload: HTTP 503: {"code":"StubFault","message":"stub answered 503"}');
    expect(out.text()).toMatch(/: files:attach: the upload was not stored intact \(\d+ bytes arrived, \d+ were sent\); it was deleted, upload it again/);
    expect(await convex.mappings()).toHaveLength(2);
    expect(await convex.blobCount()).toBe(2); // the truncated blob was deleted by attach

    const again = capture();
    expect(await migrateFilesCommand(["--to", "convex", pb.url, "--state", state], env, again.print, again.progress), again.text()).toBe(0);
    expect(again.lines).toContainEqual(expect.stringMatching(/^Done: 2 file\(s\) copied \(\d\.\d MB\), 2 done before, 4 in all\.$/));
    const rows = await convex.mappings();
    expect(byKey(rows)).toEqual(expectedKeys());
    for (const row of rows) {
      const f = [...files.values()].find((x) => x.recordId === row.pbId)!;
      expect(row).toMatchObject({ field: "file", size: f.bytes.length, sha256: sha256Hex(f.bytes) });
      expect(Buffer.compare((await convex.blob(row.storageId))!, f.bytes)).toBe(0);
    }
    // One backup for the destination: the second run reuses the first run's.
    expect((await admin.backups.getFullList()).length).toBe(1);
    expect(again.lines[2]).toMatch(/^Backup hvac-before-migrate-files-\S+\.zip was made on the server before the first run to this destination\.$/);

    // Nothing left to do: no calls at all.
    const calls = convex.calls.length;
    expect(await migrateFilesCommand(["--to", "convex", pb.url, "--state", state], env, () => {})).toBe(0);
    expect(convex.calls.length).toBe(calls);
  });

  it("with the state lost, a re-run replaces each blob instead of keeping two copies", async () => {
    const out = capture();
    expect(await migrateFilesCommand(["--to", "convex", pb.url, "--no-backup", "--state", join(dir, "fresh.jsonl")], env, out.print, out.progress)).toBe(0);
    expect(out.lines).toContainEqual(expect.stringMatching(/^Done: 4 file\(s\) copied \(\d\.\d MB\), 0 done before, 4 in all\.$/));
    expect(byKey(await convex.mappings())).toEqual(expectedKeys());
    expect(await convex.blobCount()).toBe(4);
  });
});
