// The `hvac` command line. Each command is a function in its own file.
import { ConfigError } from "../config";

const HELP = `hvac - HVAC CRM command line

Usage:
  npx hvac run            migrate, serve PocketBase with our hooks and dashboard, load demo data,
                          start the OCR worker (HVAC_OCR_WORKER=off: not)
  npx hvac seed [URL]     create the demo accounts and Warsaw demo data on a running server
                          (idempotent; admin from HVAC_ADMIN_EMAIL / HVAC_ADMIN_PASSWORD)
  npx hvac ocr FILE [--kind invoice|nameplate|auto] [--text] [--full]
                          read an invoice (PDF, scan, photo, KSeF XML) or a nameplate photo
                          offline and print its fields as JSON with per-field confidence
  npx hvac ocr-worker [URL]
                          read every uploaded invoice and equipment photo waiting to be read on
                          the server (default http://HTTP_ADDR) until stopped; \`hvac run\` starts it
                          (admin from HVAC_ADMIN_EMAIL / HVAC_ADMIN_PASSWORD)
  npx hvac sync-backfill convex|weaviate [URL]
                          queue every existing record for Convex or Weaviate on a running server
                          and send them, with progress (admin from HVAC_ADMIN_EMAIL / HVAC_ADMIN_PASSWORD)
  npx hvac weaviate-schema [--dry-run]
                          create the Weaviate classes that WEAVIATE_URL does not have yet
  npx hvac export [--out DIR] [URL]
                          every collection and uploaded file into DIR (default ./hvac-export):
                          manifest.json with counts and checksums; resumable, run again to continue
  npx hvac backup [NAME] [URL]
                          a backup of the server's data dir (PocketBase's backups API)
  npx hvac restore NAME [URL] [--no-backup] | restore NAME|FILE.zip --offline [--force]
                          roll back to a backup: through the running server (it restarts itself),
                          or with the server stopped into DATA_DIR (--force: even when it cannot
                          check that no process has data.db open, e.g. not run as root)
  npx hvac import-convex [--from DIR | URL] [--no-backup] [--state FILE]
                          bulk import of the synced collections into Convex (CONVEX_URL,
                          CONVEX_SYNC_SECRET); backup first, resumable
  npx hvac verify [URL | --from DIR]
                          compare counts and content checksums with Convex; exit 0 when equal
  npx hvac migrate-files --to s3|convex [URL] [--switch] [--dry-run] [--no-backup] [--state FILE]
                          copy every uploaded file to S3 (PocketBase's storage setting, else S3_*;
                          S3_SECRET always) or to Convex file storage (CONVEX_URL, CONVEX_SYNC_SECRET);
                          backup first, resumable; --switch turns PocketBase's S3 storage on once
                          every file is checked in the bucket
  npx hvac reindex-weaviate [URL] [--page-size N]
                          rebuild Weaviate: classes, every record again, objects without a record removed
  npx hvac help           this text

Environment: HTTP_ADDR, DATA_DIR, HVAC_DEMO_DATA, HVAC_ADMIN_EMAIL, HVAC_ADMIN_PASSWORD, HVAC_OCR_*, SYNC_*, CONVEX_*, WEAVIATE_*, S3_* (see README).`;

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case "run":
        return await (await import("./run")).run();
      case "sync-backfill":
        return await (await import("./sync")).syncBackfillCommand(rest);
      case "weaviate-schema":
        return await (await import("./sync")).weaviateSchemaCommand(rest);
      case "export":
        return await (await import("./export")).exportCommand(rest);
      case "backup":
        return await (await import("./backup")).backupCommand(rest);
      case "restore":
        return await (await import("./backup")).restoreCommand(rest);
      case "import-convex":
        return await (await import("./import-convex")).importConvexCommand(rest);
      case "verify":
        return await (await import("./verify")).verifyCommand(rest);
      case "seed":
        return await (await import("./seed")).seedCommand(rest);
      case "ocr":
        return await (await import("./ocr")).ocrCommand(rest);
      case "ocr-worker":
        return await (await import("./ocr-worker")).ocrWorkerCommand(rest);
      case "migrate-files":
        return await (await import("./migrate-files")).migrateFilesCommand(rest);
      case "reindex-weaviate":
        return await (await import("./reindex-weaviate")).reindexWeaviateCommand(rest);
      case undefined:
      case "help":
      case "--help":
      case "-h":
        console.log(HELP);
        return 0;
      default:
        console.error(`Unknown command "${command}".\n\n${HELP}`);
        return 2;
    }
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`Configuration error: ${err.message}`);
      return 2;
    }
    console.error(err instanceof Error ? err.message : err);
    return 1;
  }
}
