// `hvac ocr-worker [URL]`: reads every uploaded invoice and equipment photo waiting to be read on
// the PocketBase at URL (default http://HTTP_ADDR), as the admin from HVAC_ADMIN_EMAIL /
// HVAC_ADMIN_PASSWORD, until SIGTERM or Ctrl+C. `hvac run` starts it as a child process.
// Exit 0 after a clean stop, 2 for a configuration error (bad variable, refused sign-in).
import { serverUrl } from "../config";
import { loadOcrConfig } from "../ocr/config";
import { OcrWorker } from "../ocr/worker";
import { loadOcrWorkerConfig, loadWorkerAdmin } from "../ocr/worker-config";

export const OCR_WORKER_USAGE = "Usage: npx hvac ocr-worker [URL]   (default http://$HTTP_ADDR, else http://127.0.0.1:8090)";

export async function ocrWorkerCommand(args: string[]): Promise<number> {
  if (args.length > 1 || (args[0] ?? "").startsWith("-")) {
    console.error(OCR_WORKER_USAGE);
    return 2;
  }
  const url = serverUrl(args[0]);
  const config = loadOcrWorkerConfig();
  loadOcrConfig(); // the reader's own variables, checked now rather than at the first file
  const admin = loadWorkerAdmin();
  const worker = new OcrWorker({ url, adminEmail: admin.email, adminPassword: admin.password, config });
  const stopped = new Promise<void>((resolve) => {
    process.once("SIGTERM", () => resolve());
    process.once("SIGINT", () => resolve());
  });
  let stopRequested = false;
  void stopped.then(() => (stopRequested = true));
  const starting = worker.start();
  starting.catch(() => {}); // a stop during the start ends it; a refused sign-in throws below
  await Promise.race([starting, stopped]);
  if (!stopRequested) {
    console.log(
      `ocr-worker: reading uploaded invoices and equipment photos of ${url} ` +
        `(up to ${config.maxAttempts} attempts, lease ${config.leaseSeconds} s, looking every ${config.pollSeconds} s besides realtime events)`,
    );
    await stopped;
  }
  await worker.stop();
  console.log("ocr-worker: stopped");
  return 0;
}
