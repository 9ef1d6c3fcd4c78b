// Progress bars of the migration commands (src/cli/progress.ts): the line on a terminal (redrawn in
// place, throttled) and the plain lines every tenth for logs.
import { describe, expect, it } from "vitest";
import { formatDuration, formatRate, Progress, renderLogLine, renderProgress } from "../../src/cli/progress";

function fakeStream(isTTY: boolean, columns?: number) {
  const writes: string[] = [];
  return { writes, stream: { isTTY, columns, write: (t: string) => writes.push(t) } };
}

describe("rendering", () => {
  it.each([
    [0, "0 s"], [59.4, "59 s"], [65, "1 min 05 s"], [3599, "59 min 59 s"], [7380, "2 h 03 min"], [NaN, "?"], [-1, "?"], [Infinity, "?"],
  ])("formatDuration(%s) = %s", (s, text) => expect(formatDuration(s)).toBe(text));

  it("formatRate", () => {
    expect(formatRate(0)).toBe("-/s");
    expect(formatRate(12.345)).toBe("12.3/s");
    expect(formatRate(1234.5)).toBe("1,235/s");
  });

  it("renderProgress: bar, counts, rate and ETA", () => {
    expect(renderProgress({ label: "import", done: 250, total: 1000, unit: "records", elapsedMs: 5000 }, 20)).toBe(
      "import [#####               ] 250/1,000 records  50.0/s  ETA 15 s",
    );
    expect(renderProgress({ label: "files", done: 3, total: 3, unit: "", elapsedMs: 1000 }, 4)).toBe("files [####] 3/3  3.0/s  done");
    expect(renderProgress({ label: "x", done: 0, total: 10, unit: "", elapsedMs: 0 }, 4)).toBe("x [    ] 0/10  -/s  ETA ?");
    // Nothing to do is complete, not a division by zero.
    expect(renderProgress({ label: "x", done: 0, total: 0, unit: "", elapsedMs: 0 }, 4)).toBe("x [####] 0/0  -/s  done");
  });

  it("renderLogLine", () => {
    expect(renderLogLine({ label: "records", done: 400, total: 1000, unit: "records", elapsedMs: 10_000 })).toBe("records 40% 400/1,000 records (40.0/s, ETA 15 s)");
    expect(renderLogLine({ label: "records", done: 1000, total: 1000, unit: "records", elapsedMs: 65_000 })).toBe("records 100% 1,000/1,000 records (in 1 min 05 s)");
  });
});

describe("Progress", () => {
  it("not a terminal: one line per tenth, never more, and the last at 100%", () => {
    const { writes, stream } = fakeStream(false);
    let t = 0;
    const p = new Progress({ label: "files", total: 200, stream, now: () => t });
    p.update(0);
    for (let i = 0; i < 200; i++) {
      t += 10;
      p.tick();
    }
    p.finish();
    p.finish();
    expect(writes.length).toBe(11);
    expect(writes.every((w) => w.endsWith("\n") && !w.includes("\r"))).toBe(true);
    expect(writes.map((w) => /files (\d+)%/.exec(w)![1])).toEqual(["0", "10", "20", "30", "40", "50", "60", "70", "80", "90", "100"]);
    expect(writes[10]).toBe("files 100% 200/200 (in 2 s)\n");
  });

  it("not a terminal: a big jump prints one line, an empty job one line", () => {
    const a = fakeStream(false);
    const p = new Progress({ label: "x", total: 10, stream: a.stream, now: () => 0 });
    p.update(9);
    p.finish(); // stopped before the end: no 100% line
    p.update(10);
    expect(a.writes.map((w) => w.split(" ")[1])).toEqual(["90%"]);
    const b = fakeStream(false);
    const q = new Progress({ label: "y", total: 0, stream: b.stream, now: () => 0 });
    q.update(0);
    q.finish();
    expect(b.writes.length).toBe(1);
  });

  it("a terminal: redraws one line with \\r, throttled, always draws the end, ends with a newline", () => {
    const { writes, stream } = fakeStream(true, 200);
    let t = 0;
    const p = new Progress({ label: "import", total: 100, unit: "records", stream, now: () => t, redrawMs: 100 });
    for (let i = 0; i < 100; i++) {
      t += 10; // 10 ms per item: one redraw every ten items
      p.tick();
    }
    p.finish();
    const draws = writes.filter((w) => w.startsWith("\r"));
    expect(draws.length).toBeGreaterThanOrEqual(10);
    expect(draws.length).toBeLessThanOrEqual(12);
    expect(draws.every((w) => w.endsWith("\x1b[K"))).toBe(true);
    expect(draws[draws.length - 1]).toContain("100/100 records");
    expect(writes[writes.length - 1]).toBe("\n");
  });

  it("say: on a terminal the bar's line is cleared, the line printed, the bar drawn again; elsewhere just printed", () => {
    const { writes, stream } = fakeStream(true, 200);
    const printed: string[] = [];
    const print = (l: string) => {
      printed.push(l);
      writes.push(`print:${l}`);
    };
    const p = new Progress({ label: "import", total: 10, stream, now: () => 0 });
    p.say(print, "before the first draw");
    p.update(4);
    p.say(print, "Note: importing contacts again.");
    expect(writes.slice(1)).toEqual([
      `\r${renderProgress({ label: "import", done: 4, total: 10, unit: "", elapsedMs: 0 })}\x1b[K`,
      "\r\x1b[K",
      "print:Note: importing contacts again.",
      `\r${renderProgress({ label: "import", done: 4, total: 10, unit: "", elapsedMs: 0 })}\x1b[K`,
    ]);
    p.finish();
    p.say(print, "after");
    expect(writes.at(-1)).toBe("print:after");
    const log = fakeStream(false);
    const q = new Progress({ label: "import", total: 10, stream: log.stream });
    q.update(5);
    q.say(print, "in a log");
    expect(log.writes).toHaveLength(1);
    expect(printed).toEqual(["before the first draw", "Note: importing contacts again.", "after", "in a log"]);
  });

  it("a terminal: the line is cut to the width; interrupt ends the line without a final draw", () => {
    const { writes, stream } = fakeStream(true, 30);
    const p = new Progress({ label: "a-long-label", total: 10, stream, now: () => 0 });
    p.update(5);
    expect(writes[0]).toBe(`\r${renderProgress({ label: "a-long-label", done: 5, total: 10, unit: "", elapsedMs: 0 }).slice(0, 29)}\x1b[K`);
    p.interrupt();
    p.tick();
    p.finish();
    expect(writes).toEqual([writes[0], "\n"]);
  });
});
