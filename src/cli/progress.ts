// Progress bars of the migration commands (export, import-convex, verify). On a terminal one line on
// stderr is redrawn in place (bar, done/total, rate, ETA); anywhere else (CI logs, a pipe, a systemd
// journal) a plain line is printed each time another tenth of the work is done, so logs stay readable.

export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface ProgressOptions {
  /** What is counted, e.g. "contacts" or "files". */
  label: string;
  total: number;
  /** Unit after the counts ("records", "files", "batches"); default "". */
  unit?: string;
  /** Default process.stderr. */
  stream?: ProgressStream;
  /** Milliseconds since some origin (default Date.now); tests pass a fake clock. */
  now?: () => number;
  /** Minimum milliseconds between two redraws on a terminal (default 100). */
  redrawMs?: number;
}

/** "3 s", "1 min 05 s", "2 h 03 min"; "?" when unknown. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return "?";
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, "0")} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, "0")} min`;
}

/** "12.3/s" (one decimal below 100/s). */
export function formatRate(perSecond: number): string {
  if (!Number.isFinite(perSecond) || perSecond <= 0) return "-/s";
  return perSecond < 100 ? `${perSecond.toFixed(1)}/s` : `${Math.round(perSecond).toLocaleString("en")}/s`;
}

export interface ProgressState {
  label: string;
  done: number;
  total: number;
  unit: string;
  elapsedMs: number;
}

/** One progress line: `label [#####     ] 1,234/5,000 records  41.2/s  ETA 1 min 31 s`. */
export function renderProgress(s: ProgressState, barWidth = 24): string {
  const frac = s.total > 0 ? Math.min(1, s.done / s.total) : 1;
  const filled = Math.round(frac * barWidth);
  const rate = s.elapsedMs > 0 ? (s.done * 1000) / s.elapsedMs : 0;
  const left = Math.max(0, s.total - s.done);
  const eta = left === 0 ? "done" : rate > 0 ? `ETA ${formatDuration(left / rate)}` : "ETA ?";
  const counts = `${s.done.toLocaleString("en")}/${s.total.toLocaleString("en")}${s.unit ? ` ${s.unit}` : ""}`;
  return `${s.label} [${"#".repeat(filled)}${" ".repeat(barWidth - filled)}] ${counts}  ${formatRate(rate)}  ${eta}`;
}

/** The plain-log line: `label 40% 2,000/5,000 records (41.2/s, ETA 1 min 13 s)`. */
export function renderLogLine(s: ProgressState): string {
  const pct = s.total > 0 ? Math.floor((Math.min(s.done, s.total) * 100) / s.total) : 100;
  const rate = s.elapsedMs > 0 ? (s.done * 1000) / s.elapsedMs : 0;
  const left = Math.max(0, s.total - s.done);
  const tail = left === 0 ? `in ${formatDuration(s.elapsedMs / 1000)}` : `${formatRate(rate)}, ETA ${rate > 0 ? formatDuration(left / rate) : "?"}`;
  return `${s.label} ${pct}% ${s.done.toLocaleString("en")}/${s.total.toLocaleString("en")}${s.unit ? ` ${s.unit}` : ""} (${tail})`;
}

export class Progress {
  private done = 0;
  private readonly start: number;
  private lastDraw = -Infinity;
  private lastTenth = -1;
  private finished = false;
  private readonly stream: ProgressStream;
  private readonly now: () => number;
  private readonly tty: boolean;

  constructor(private readonly opts: ProgressOptions) {
    this.stream = opts.stream ?? process.stderr;
    this.now = opts.now ?? Date.now;
    this.tty = this.stream.isTTY === true;
    this.start = this.now();
  }

  private state(): ProgressState {
    return { label: this.opts.label, done: this.done, total: this.opts.total, unit: this.opts.unit ?? "", elapsedMs: this.now() - this.start };
  }

  /** Counts `n` more items done. */
  tick(n = 1): void {
    this.update(this.done + n);
  }

  /** Sets the count (e.g. items already done by an earlier run, counted at start). */
  update(done: number): void {
    if (this.finished) return;
    this.done = done;
    if (this.tty) {
      const t = this.now();
      if (t - this.lastDraw < (this.opts.redrawMs ?? 100) && done < this.opts.total) return;
      this.lastDraw = t;
      const line = renderProgress(this.state());
      const width = this.stream.columns ?? 0;
      this.stream.write(`\r${width > 0 && line.length >= width ? line.slice(0, width - 1) : line}\x1b[K`);
      return;
    }
    const tenth = this.opts.total > 0 ? Math.floor((Math.min(done, this.opts.total) * 10) / this.opts.total) : 10;
    if (tenth > this.lastTenth) {
      this.lastTenth = tenth;
      this.stream.write(`${renderLogLine(this.state())}\n`);
    }
  }

  /** Draws the final state and ends the line (idempotent). */
  finish(): void {
    if (this.finished) return;
    if (this.tty) {
      this.lastDraw = -Infinity;
      this.update(this.done);
      this.stream.write("\n");
    } else if (this.lastTenth < 10 && this.done >= this.opts.total) {
      this.update(this.done);
    }
    this.finished = true;
  }

  /**
   * Prints a line while the bar runs (`print` writes it elsewhere, e.g. stdout): on a terminal the
   * bar's line is cleared first and the bar drawn again below the line.
   */
  say(print: (line: string) => void, line: string): void {
    if (!this.tty || this.finished || this.lastDraw === -Infinity) {
      print(line);
      return;
    }
    this.stream.write("\r\x1b[K");
    print(line);
    this.lastDraw = -Infinity;
    this.update(this.done);
  }

  /** Ends a terminal line before other output (a failure message), without claiming completion. */
  interrupt(): void {
    if (this.finished) return;
    if (this.tty && this.lastDraw > -Infinity) this.stream.write("\n");
    this.finished = true;
  }
}
