// The pure sync rules (sha1, utf8, uuid, sync, sync-config) give the same answers inside PocketBase's
// JS VM (goja) as in Node. Not a formality: goja compares and sorts strings beyond the BMP differently
// from V8 and matches a surrogate pair as one character in regular expressions, so code that leans on
// `<`, `.sort()` or surrogate classes in regexes silently disagrees between the office server and Convex.
// The bundle is built like the hooks' (esbuild cjs/es2020) and run by `pocketbase migrate up`, which
// loads hooks and exits.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build } from "esbuild";
import { afterAll, describe, expect, it } from "vitest";
import { pocketbaseBinary } from "../../src/pocketbase-binary";
import { run } from "../fixtures/goja/sync-entry";
import { ROOT } from "../helpers/pocketbase";
import { createRng } from "../../src/demo/generate";

/** Deterministic numbers in [0, 1) (the demo data's mulberry32), so a failure can be replayed from the seed. */
const rng = (seed: number): (() => number) => createRng(seed).next;

/** ASCII, Polish, BMP above the surrogates (U+E000-U+FFFF), astral characters and lone surrogates. */
function inputs(): string[] {
  const r = rng(2026);
  const pools = ["abcXYZ019 -_:%$\"{}", "ąćęłńóśźżĄĆĘŁŃÓŚŹŻ", "€„”中文\ue000\uffef\uffff", "😀🔥🏠𝄞"];
  const out = ["", "kocioł", "\ud800", "a\udfffb", "😀", "\uffff"];
  while (out.length < 400) {
    let s = "";
    const len = Math.floor(r() * 30);
    while (s.length < len) {
      if (out.length % 5 === 0 && r() < 0.08) s += String.fromCharCode(0xd800 + Math.floor(r() * 0x800));
      else {
        const pool = Array.from(pools[Math.floor(r() * pools.length)]);
        s += pool[Math.floor(r() * pool.length)];
      }
    }
    out.push(s);
  }
  return out;
}

const dir = mkdtempSync(join(tmpdir(), "hvac-goja-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("sync rules in PocketBase's JS VM", () => {
  it("answer exactly as in Node", async () => {
    const strings = inputs();
    const hooks = join(dir, "hooks");
    mkdirSync(join(hooks, "lib"), { recursive: true });
    mkdirSync(join(dir, "migrations"));
    writeFileSync(join(dir, "inputs.json"), JSON.stringify(strings));
    await build({
      stdin: {
        contents: `import { run } from "./test/fixtures/goja/sync-entry";\nimport strings from ${JSON.stringify(join(dir, "inputs.json"))};\nexport function main() { return run(strings); }\n`,
        resolveDir: ROOT,
        loader: "ts",
      },
      bundle: true,
      format: "cjs",
      platform: "neutral",
      target: "es2020",
      supported: { "async-generator": false, "for-await": false },
      outfile: join(hooks, "lib", "parity.js"),
      logLevel: "silent",
    });
    writeFileSync(
      join(hooks, "parity.pb.js"),
      "const m = require(`${__hooks}/lib/parity.js`);\n$os.writeFile(`${__hooks}/../goja.json`, m.main(), 0o644);\n",
    );
    const res = spawnSync(pocketbaseBinary(), ["migrate", "up", `--dir=${join(dir, "data")}`, `--hooksDir=${hooks}`, `--migrationsDir=${join(dir, "migrations")}`], {
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(res.status, res.stderr + res.stdout).toBe(0);
    const goja = JSON.parse(readFileSync(join(dir, "goja.json"), "utf8"));
    const node = JSON.parse(run(strings));
    // Field by field first, for a readable failure.
    for (let i = 0; i < strings.length; i++) expect(goja.perString[i], `input ${i}: ${JSON.stringify(strings[i])}`).toEqual(node.perString[i]);
    expect(goja).toEqual(node);
    expect(node.perString.filter((x: unknown[]) => x[1] === true).length).toBeGreaterThan(10); // lone surrogates were in the mix
  });
});
