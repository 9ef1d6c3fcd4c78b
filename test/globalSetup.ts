// Builds the hooks once before any test boots PocketBase with them.
import { execFileSync } from "node:child_process";
import { resolve } from "node:path";

export default function setup(): void {
  execFileSync(process.execPath, [resolve(import.meta.dirname, "../build/build.mjs")], { stdio: "inherit" });
}
