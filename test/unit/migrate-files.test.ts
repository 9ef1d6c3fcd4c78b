// `hvac migrate-files`: arguments, where the S3 configuration comes from (PocketBase's settings or
// S3_* variables, contradictions refused naming the variable), and the resumable state journal.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parseMigrateFilesArgs, resolveS3Config, StateJournal } from "../../src/cli/migrate-files";

describe("arguments", () => {
  it("reads the target, the server, the switches and the state path (DATA_DIR by default)", () => {
    expect(parseMigrateFilesArgs(["--to", "s3", "http://10.0.0.5:8090/", "--switch", "--no-backup"], { DATA_DIR: "/var/lib/hvac" })).toEqual({
      to: "s3", url: "http://10.0.0.5:8090", switchOn: true, dryRun: false, backup: false, statePath: "/var/lib/hvac/migrate-files.jsonl", concurrency: 4,
    });
    expect(parseMigrateFilesArgs(["--to", "s3"], {}).statePath).toBe(join("pb_data", "migrate-files.jsonl"));
    expect(parseMigrateFilesArgs(["--to=convex", "--dry-run", "--state=/tmp/s.jsonl", "--concurrency", "8"], { HTTP_ADDR: "0.0.0.0:80" })).toMatchObject({
      to: "convex", url: "http://127.0.0.1:80", dryRun: true, backup: true, statePath: "/tmp/s.jsonl", concurrency: 8,
    });
  });

  it.each([
    [[], "--to s3|convex is required"],
    [["--to", "gcs"], '--to: expected s3 or convex, got "gcs"'],
    [["--to", "convex", "--switch"], "--switch applies to --to s3 only (PocketBase cannot serve files from Convex)"],
    [["--to", "s3", "--concurrency", "0"], '--concurrency: expected 1 to 32, got "0"'],
    [["--to", "s3", "--state"], "--state needs a value"],
    [["--to", "s3", "--force"], 'unknown argument "--force"'],
  ])("%j is refused: %s", (args, message) => {
    expect(() => parseMigrateFilesArgs(args as string[], {})).toThrow(message);
  });
});

describe("the S3 configuration", () => {
  const ENV = { S3_ENDPOINT: "https://fsn1.your-objectstorage.com/", S3_BUCKET: "hvac-pliki", S3_REGION: "fsn1", S3_ACCESS_KEY: "AK", S3_SECRET: "sk" };
  const SETTINGS = { enabled: false, bucket: "hvac-pliki", region: "fsn1", endpoint: "https://fsn1.your-objectstorage.com", accessKey: "AK", secret: "******", forcePathStyle: true };

  it("from S3_* when PocketBase's settings are empty (the switch then writes them)", () => {
    expect(resolveS3Config({ bucket: "", secret: "" }, { ...ENV, S3_FORCE_PATH_STYLE: "yes" })).toEqual({
      config: { endpoint: "https://fsn1.your-objectstorage.com", bucket: "hvac-pliki", region: "fsn1", accessKey: "AK", secret: "sk", forcePathStyle: true },
      fromSettings: false,
    });
  });

  it("from PocketBase's settings when they name a bucket, the secret from S3_SECRET (the API masks it)", () => {
    expect(resolveS3Config(SETTINGS, { S3_SECRET: "sk" })).toEqual({
      config: { endpoint: "https://fsn1.your-objectstorage.com", bucket: "hvac-pliki", region: "fsn1", accessKey: "AK", secret: "sk", forcePathStyle: true },
      fromSettings: true,
    });
    // A variable that says the same is fine.
    expect(resolveS3Config(SETTINGS, ENV).fromSettings).toBe(true);
  });

  it.each([
    [{}, { ...ENV, S3_REGION: "" }, "S3_REGION: required: PocketBase's s3.region is empty, so give it here"],
    [{}, { ...ENV, S3_SECRET: "" }, "S3_SECRET: required"],
    [{}, { ...ENV, S3_ENDPOINT: "fsn1.your-objectstorage.com" }, 'S3_ENDPOINT: expected an http(s) URL such as https://s3.eu-central-1.amazonaws.com, got "fsn1.your-objectstorage.com"'],
    [{}, { ...ENV, S3_BUCKET: "Hvac_Pliki" }, 'S3_BUCKET: not a valid bucket name: "Hvac_Pliki"'],
    [{}, { ...ENV, S3_FORCE_PATH_STYLE: "maybe" }, 'S3_FORCE_PATH_STYLE: expected on or off, got "maybe"'],
    [SETTINGS, { ...ENV, S3_REGION: "nbg1" }, `S3_REGION: "nbg1" differs from PocketBase's s3.region "fsn1"; unset S3_REGION or make them agree`],
    [SETTINGS, { ...ENV, S3_FORCE_PATH_STYLE: "off" }, "S3_FORCE_PATH_STYLE: differs from PocketBase's s3.forcePathStyle (true)"],
  ])("refuses %#, naming the variable", (settings, env, message) => {
    expect(() => resolveS3Config(settings, env)).toThrow(message);
  });
});

describe("the state journal", () => {
  let dir = "";
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("keeps lines per destination, honours undone lines and the backup, and skips a line cut by a kill", () => {
    dir = mkdtempSync(join(tmpdir(), "hvac-journal-"));
    const path = join(dir, "s.jsonl");
    writeFileSync(path, [
      JSON.stringify({ dest: "s3:x", backup: "hvac-before-migrate-files-20261125-010000.zip" }),
      JSON.stringify({ dest: "s3:x", key: "a/1/f.png", size: 3, sha256: "aa" }),
      JSON.stringify({ dest: "s3:other", key: "a/2/f.png", size: 3, sha256: "bb" }),
      JSON.stringify({ dest: "s3:x", key: "a/3/f.png", size: 4, sha256: "cc" }),
      JSON.stringify({ dest: "s3:x", key: "a/3/f.png", undone: true }),
      '{"dest":"s3:x","key":"a/4/f.p',
    ].join("\n"));
    const j = new StateJournal(path, "s3:x");
    expect([...j.done.entries()]).toEqual([["a/1/f.png", { size: 3, sha256: "aa" }]]);
    expect(j.backup).toBe("hvac-before-migrate-files-20261125-010000.zip");
    j.markDone("a/5/g.pdf", { size: 9, sha256: "dd", storageId: "kg2abc" });
    // The new line starts on a line of its own, after the cut one.
    expect(readFileSync(path, "utf8").split("\n").at(-2)).toMatch(/^\{"dest":"s3:x","key":"a\/5\/g\.pdf","size":9,"sha256":"dd","storageId":"kg2abc","at":"/);
    expect([...new StateJournal(path, "s3:x").done.keys()]).toEqual(["a/1/f.png", "a/5/g.pdf"]);
    expect(new StateJournal(join(dir, "none.jsonl"), "s3:x").done.size).toBe(0);
  });

  it("a journal that cannot be read is an error naming it and --state", () => {
    dir = mkdtempSync(join(tmpdir(), "hvac-journal-"));
    // A folder where the journal should be: EISDIR.
    expect(() => new StateJournal(dir, "s3:x")).toThrow(`cannot read the state journal ${dir} (EISDIR); fix it, or choose another with --state PATH`);
  });
});
