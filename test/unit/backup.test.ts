// restore --offline's check that no process has data.db open (src/cli/backup.ts), with /proc stood in
// for: as root every process's open files are readable, so the unreadable case is simulated.
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { holders, restoreOffline, type ProcFs } from "../../src/cli/backup";
import { freePort } from "../helpers/pocketbase";

const dir = mkdtempSync(join(tmpdir(), "hvac-backup-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const errno = (code: string) => Object.assign(new Error(`${code}: simulated`), { code });

/** A /proc with the given processes: fd lists (file paths), or an error code for an unreadable one. */
function fakeProc(processes: Record<string, string[] | string>): ProcFs {
  return {
    realpath: async (p) => realpathSync(p),
    readdir: async (p) => {
      if (p === "/proc") return [...Object.keys(processes), "self", "meminfo"];
      const pid = /^\/proc\/(\d+)\/fd$/.exec(p)?.[1];
      const entry = pid === undefined ? undefined : processes[pid];
      if (entry === undefined) throw errno("ENOENT");
      if (typeof entry === "string") throw errno(entry);
      return entry.map((_, i) => String(i));
    },
    readlink: async (p) => {
      const [, pid, fd] = /^\/proc\/(\d+)\/fd\/(\d+)$/.exec(p)!;
      return (processes[pid] as string[])[Number(fd)];
    },
  };
}

describe("holders", () => {
  const db = join(dir, "data.db");
  writeFileSync(db, "x");
  const real = realpathSync(db);

  it("finds the processes holding the file, and counts those whose open files it cannot read", async () => {
    expect(await holders(db, fakeProc({ 10: ["/dev/null", real], 11: ["/tmp/other"], 12: "EACCES", 13: "EPERM", 14: "ENOENT" }))).toEqual({ pids: [10], hidden: [12, 13] });
    expect(await holders(db, fakeProc({ 11: ["/tmp/other"] }))).toEqual({ pids: [], hidden: [] });
    // No such file, or no /proc: nothing known.
    expect(await holders(join(dir, "none.db"), fakeProc({ 12: "EACCES" }))).toEqual({ pids: [], hidden: [] });
  });

  it("the real /proc: this process holding the file is found", async () => {
    const { open } = await import("node:fs/promises");
    const fh = await open(db, "r");
    try {
      expect((await holders(db)).pids).toContain(process.pid);
    } finally {
      await fh.close();
    }
  });
});

describe("restore --offline when it cannot tell who has data.db open", () => {
  it("refuses, naming the way out; --force skips the check", async () => {
    const dataDir = join(dir, "pb_data");
    mkdirSync(dataDir);
    writeFileSync(join(dataDir, "data.db"), "the current data");
    const env = { DATA_DIR: dataDir, HTTP_ADDR: `127.0.0.1:${await freePort()}` };
    const proc = fakeProc({ 1: "EACCES", 20: ["/tmp/other"] });
    const out: string[] = [];
    expect(await restoreOffline("nope.zip", env, (l) => out.push(l), new Date(), { proc })).toBe(1);
    expect(out).toEqual([
      `restore --offline: cannot tell whether ${join(dataDir, "data.db")} is open: the open files of process(es) 1 (other users') are not readable. Run as root (it sees every process's open files), or pass --force once you are sure no server uses ${dataDir}.`,
    ]);
    // With --force the restore goes on (and stops at the next check here: there is no such backup).
    const forced: string[] = [];
    expect(await restoreOffline("nope.zip", env, (l) => forced.push(l), new Date(), { proc, force: true })).toBe(1);
    expect(forced).toEqual([`restore --offline: ${join(dataDir, "backups/nope.zip")} does not exist (DATA_DIR=${dataDir}).`]);
    // A holder found is refused even with --force.
    const held: string[] = [];
    expect(await restoreOffline("nope.zip", env, (l) => held.push(l), new Date(), { proc: fakeProc({ 30: [realpathSync(join(dataDir, "data.db"))] }), force: true })).toBe(1);
    expect(held[0]).toContain("is open in process 30");
  });
});
